"""A response cache for the public catalogue pages.

GET and HEAD requests without a session (so from anonymous visitors) for a public page
are answered from Django's cache, keyed by the full URL with its query string (which
holds the language: /en/...), and kept with the catalogue version they show. A hit is
answered before sessions, users and languages are looked up.
Every change to the catalogue bumps the version (`CatalogueVersion`, one row in the
database, so all app servers agree). A page of an older version is rendered afresh on
the next request, or, when settings.CHANGES_SHOW_WITHIN_SECONDS is more than 0 (the
production default, 10), once it is that old: with curators at work the catalogue
changes every few seconds, and rendering every page after every save would leave
visitors waiting.
Logged-in users, the admin, drafts, errors and the streamed CSV export are never cached.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation

from . import count_index
from .faults import DATABASE_AWAY
from .models import CatalogueVersion, SourceLine

CACHED_NAMESPACES = {"initiatives", "api"}
NOT_CACHED = {"initiative_export"}


def is_public_page(request: HttpRequest) -> bool:
    path = request.path_info
    # Before LocaleMiddleware: /en/... resolves only with English active.
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return False
    return match.namespace in CACHED_NAMESPACES and match.url_name not in NOT_CACHED


def is_cacheable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    """Goes right after SecurityMiddleware (which redirects to HTTPS) and WhiteNoise.
    A logged-in user has a session cookie, so is never answered from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches["pages"]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or not is_public_page(request)
        ):
            return self.get_response(request)
        # With scheme and host, which the API's, feeds' and sitemap's links hold
        # (and get_host() refuses a host that is not allowed before any cached
        # answer); hashed, as query strings can be long and hold any character.
        path = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"{request.method}:{path}"
        cached = self.cache.get(key)
        try:
            version = CatalogueVersion.current()
        except DATABASE_AWAY:
            # Serve what was cached; anything else fails as the database does.
            if cached is None:
                raise
            return cached.response
        if cached is not None and cached.is_fresh(version):
            return cached.response
        count_index.start_reading()
        response = self.get_response(request)
        if is_cacheable(response):
            # A page counted from an index built before the latest change shows
            # that index's version, and is rendered again once the lag is over.
            shown = count_index.version_read() or version
            self.cache.set(key, CachedPage(shown, time.time(), response))
        return response


@dataclass
class CachedPage:
    version: int
    rendered: float  # time.time(): app servers sharing a cache share a clock
    response: HttpResponse

    def is_fresh(self, version: int) -> bool:
        """Of the catalogue as it is, or rendered within the lag that changes may
        show with (settings.CHANGES_SHOW_WITHIN_SECONDS)."""
        if self.version == version:
            return True
        lag = settings.CHANGES_SHOW_WITHIN_SECONDS
        return lag > 0 and time.time() - self.rendered < lag


def catalogue_changed(sender, raw: bool = False, **kwargs) -> None:
    """Cache invalidation, not domain logic: any saved or deleted catalogue row, or a
    changed relation, gives the catalogue a new version. Fixture loads save raw rows;
    the commands that load them bump the version themselves, once."""
    if not raw:
        CatalogueVersion.bump()


def relation_changed(sender, action: str, **kwargs) -> None:
    if sender._meta.app_label == "initiatives" and action.startswith("post_"):
        CatalogueVersion.bump()


def connect_signals(app_config) -> None:
    for model in app_config.get_models():
        if model in (CatalogueVersion, SourceLine) or model.__name__.startswith(
            "Historical"
        ):
            # A report's lines are replaced thousands at a time, in bulk;
            # source_texts.store_lines bumps the version once instead.
            continue
        uid = f"page-cache-{model._meta.label}"
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=uid)
    m2m_changed.connect(relation_changed, dispatch_uid="page-cache-m2m")
