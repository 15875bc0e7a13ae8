"""A response cache for the public catalogue pages.

GET and HEAD requests without a session (so from anonymous visitors) for a public page
are answered from Django's cache, keyed by the full path with its query string (which
holds the language: /en/...) and the catalogue version. A hit is answered before
sessions, users and languages are looked up.
Every change to the catalogue bumps the version (`CatalogueVersion`, one row in the
database, so all app servers agree), which makes the next request render afresh.
Logged-in users, the admin, drafts, errors and the streamed CSV export are never cached.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation

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
        self.last_version = None  # to answer from while the database is away

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
        try:
            version = self.last_version = CatalogueVersion.current()
        except DATABASE_AWAY:
            # Serve what was cached; anything else fails as the database does.
            cached = self.cache.get(f"{self.last_version}:{request.method}:{path}")
            if self.last_version is None or cached is None:
                raise
            return cached
        key = f"{version}:{request.method}:{path}"
        response = self.cache.get(key)
        if response is None:
            response = self.get_response(request)
            if is_cacheable(response):
                self.cache.set(key, response)
        return response


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
