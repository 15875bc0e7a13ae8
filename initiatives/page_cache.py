"""A response cache for the public catalogue pages.

GET and HEAD requests without a session (so from anonymous visitors) for a public page
are answered from Django's cache, keyed by the full URL with its query string (which
holds the language: /en/...), and kept with the catalogue version they show. A hit is
answered before sessions, users and languages are looked up.
Every change to the catalogue bumps the version (`CatalogueVersion`, one row in the
database, so all app servers agree). A page of an older version is rendered afresh on
the next request; or, when settings.CHANGES_SHOW_WITHIN_SECONDS is more than 0 (the
production default, 10), once the count index has been built anew, which happens at
most once per that many seconds (count_index.py), and then in the background: the
visitor who finds the page stale is served it once more while a thread renders it
(`Rerenders`). With curators at work the catalogue changes every few seconds, and
rendering every page after every save, in the request, would leave visitors waiting.
An initiative's own pages (its page in each language, its API record) are the
exception: once it or one of its parts has changed (`InitiativeChange`), they are
rendered afresh on the next request, as a change alters few of them.
Logged-in users, the admin, drafts, errors and streamed responses (a CSV export of
more than exports.WHOLE_UP_TO initiatives, the whole catalogue's file) are never cached.
"""

import hashlib
import logging
import queue
import threading
import time
import uuid
from dataclasses import dataclass
from io import BytesIO
from typing import ClassVar

from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, get_script_prefix, resolve, set_script_prefix
from django.utils import translation

from . import count_index
from .faults import DATABASE_AWAY, current_request_id
from .models import (
    CatalogueVersion,
    Initiative,
    InitiativeChange,
    SourceLine,
    Suggestion,
)

logger = logging.getLogger(__name__)

CACHED_NAMESPACES = {"initiatives", "api"}


def is_public_page(request: HttpRequest) -> bool:
    path = request.path_info
    # Before LocaleMiddleware: /en/... resolves only with English active.
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return False
    return match.namespace in CACHED_NAMESPACES


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
        # Refuse a host that is not allowed before any cached answer. The key is the
        # path alone: a page's links are on SITE_URL, whatever the host and port
        # (site.py). Hashed, as query strings can be long and hold any character.
        request.get_host()
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"{CachedPage.FORMAT}:{request.method}:{path}"
        cached = self.cache.get(key)
        try:
            version = CatalogueVersion.current()
        except DATABASE_AWAY:
            # Serve what was cached; anything else fails as the database does.
            if cached is None:
                raise
            return cached.response
        if cached is not None and cached.version == version:
            return cached.response
        if cached is None or count_index.lag() <= 0 or cached.subject_changed():
            return self.render(key, request, version)
        # With a lag: fresh until a newer count index is in place (built at most
        # once per lag); then served once more while a thread renders it again.
        if cached.as_of < count_index.newest_as_of(version):
            rerenders.ask(self, key, request)
        return cached.response

    def render(self, key: str, request: HttpRequest, version: int) -> HttpResponse:
        count_index.start_reading()
        _subject.pk = None
        rendered_at = as_of = time.time()
        response = self.get_response(request)
        if is_cacheable(response):
            # A page counted from an index built before the latest change is as old
            # as that index, and is rendered again once a newer one is built.
            counted = count_index.last_read()
            if counted is not None:
                version, as_of = counted.version, min(as_of, counted.as_of)
            page = CachedPage(version, as_of, response, _subject.pk, rendered_at)
            self.cache.set(key, page)
        elif response.status_code < 500:
            self.cache.delete(key)  # gone since it was cached: a 404, a redirect
        return response


_subject = threading.local()


def shows_initiative(initiative: Initiative) -> None:
    """Called by the views of an initiative's own pages: the page being rendered is
    stale as soon as the initiative changes, whatever the lag."""
    _subject.pk = initiative.pk


@dataclass
class CachedPage:
    # In every key, and changed with the fields: a shared cache (Redis) outlives a
    # deploy, and a page cached by the code of before must not be read as this one.
    FORMAT: ClassVar[int] = 3

    version: int
    # time.time() of the data shown: app servers sharing a cache share a clock
    as_of: float
    response: HttpResponse
    subject: int | None = None  # the initiative whose own page this is
    rendered_at: float = 0.0  # time.time() when its rendering began

    def subject_changed(self) -> bool:
        """Whether this is an initiative's own page and the initiative has changed
        since the page was rendered: asked only once the catalogue has changed."""
        return (
            self.subject is not None
            and InitiativeChange.last(self.subject) >= self.rendered_at
        )


class Rerenders:
    """Stale pages rendered again by one thread per server process, while visitors
    are served the page of before: the request that finds a page stale asks for it,
    and whoever claims it first in the shared cache renders it, so each page is
    rendered once per new count index however many visitors and processes ask
    (and the index is built at most once per lag). A page that is
    now a 404 or a redirect is dropped from the cache; after a 5xx the stale page
    stays."""

    CLAIM_SECONDS = 60  # a claim by a process that died runs out

    def __init__(self):
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.queue: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None

    def ask(self, pages: PageCacheMiddleware, key: str, request: HttpRequest) -> None:
        with self.lock:
            if key in self.pending or not pages.cache.add(
                f"rendering:{key}", True, self.CLAIM_SECONDS
            ):
                return
            self.pending.add(key)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(
                    target=self.work, name="page-rerenders", daemon=True
                )
                self.thread.start()
        self.queue.put((pages, key, plain_environ(request), get_script_prefix()))

    def work(self) -> None:
        while True:
            pages, key, environ, script_prefix = self.queue.get()
            token = current_request_id.set(f"rerender-{uuid.uuid4().hex[:12]}")
            try:
                close_old_connections()
                set_script_prefix(script_prefix)
                version = CatalogueVersion.current()
                response = pages.render(key, WSGIRequest(environ), version)
                # Streamed content (an export grown long) holds a cursor until closed.
                response.close()
            except Exception:
                logger.exception("A cached page could not be rendered again")
            finally:
                current_request_id.reset(token)
                if self.queue.empty():
                    connection.close()  # idle, it holds no connection open
                else:
                    close_old_connections()
                with self.lock:
                    self.pending.discard(key)
                pages.cache.delete(f"rendering:{key}")
                self.queue.task_done()

    def wait(self) -> None:
        """Until every page asked for is rendered: for tests."""
        self.queue.join()


rerenders = Rerenders()


def plain_environ(request: HttpRequest) -> dict:
    """The request as the page's URL alone gives it: the cached page is shared by
    every visitor, so it may depend on nothing else (no cookies, no body)."""
    environ = {
        name: value
        for name, value in request.environ.items()
        if isinstance(value, str) and name != "HTTP_COOKIE"
    }
    environ["wsgi.input"] = BytesIO(b"")
    return environ


def catalogue_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """Cache invalidation, not domain logic: any saved or deleted catalogue row, or a
    changed relation, gives the catalogue a new version, and a change to an
    initiative or one of its parts marks that initiative. Fixture loads save raw
    rows; the commands that load them bump the version themselves, once."""
    if not raw:
        CatalogueVersion.bump()
        if isinstance(instance, Initiative):
            initiatives_changed([instance.pk])
        elif getattr(instance, "initiative_id", None) is not None:
            initiatives_changed([instance.initiative_id])


def relation_changed(sender, instance, action: str, model, pk_set, **kwargs) -> None:
    if sender._meta.app_label == "initiatives" and action.startswith("post_"):
        CatalogueVersion.bump()
        if isinstance(instance, Initiative):
            initiatives_changed([instance.pk])
        elif model is Initiative and pk_set:
            initiatives_changed(pk_set)


def initiatives_changed(pks) -> None:
    """Marked once the change commits, so that a page rendered after the mark shows
    it; a page rendered before the commit has an earlier start and is stale. A mark
    that fails is logged and the save stands: the pages then show the change with the
    lag, as any other page."""
    pks = list(pks)
    transaction.on_commit(
        lambda: InitiativeChange.record(pks, time.time()), robust=True
    )


def connect_signals(app_config) -> None:
    for model in app_config.get_models():
        bookkeeping = (CatalogueVersion, InitiativeChange, SourceLine, Suggestion)
        if model in bookkeeping or model.__name__.startswith("Historical"):
            # A report's lines are replaced thousands at a time, in bulk;
            # source_texts.store_lines bumps the version once instead. Visitors'
            # suggestions are not on any public page, and must not empty the cache.
            continue
        uid = f"page-cache-{model._meta.label}"
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=uid)
    m2m_changed.connect(relation_changed, dispatch_uid="page-cache-m2m")
