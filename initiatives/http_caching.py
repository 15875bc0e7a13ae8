"""How long a public page may be kept, and how to check it is still good: HTTP's job.

An anonymous GET of a public page is answered with `Cache-Control: public` and a short
max-age, and an ETag made from what the page shows, the day and the page's canonical
URL, so the reverse proxy (deploy/nginx.conf) or a CDN keeps it and asks again with
If-None-Match; that answer is a 304 before anything is rendered. What a page shows
is named by the catalogue's version, which every change bumps (changes.py), or, for
the pages most read, by the initiatives they show (page_contents.py): after a
curator saves one initiative, the pages showing it are rendered afresh and the rest
answer 304. The app keeps no pages itself.
Logged-in users, the admin, drafts, forms, errors and streamed downloads are never
kept by a shared cache.
"""

import hashlib
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import timezone, translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)

from . import page_contents
from .models import CatalogueVersion
from .site import absolute_url

# A proxy may answer from its copy for MAX_AGE seconds (nginx: to the end of the
# second, kept_by_nginx_until), then (and for up to STALE_WHILE_REVALIDATE seconds
# more) serve that copy while it asks the app whether it is still good: a change
# shows within about a second plus a render, and a reader never waits for a render a
# proxy has already made.
MAX_AGE = 1
STALE_WHILE_REVALIDATE = 60


def kept_by_nginx_until() -> str:
    """nginx counts a max-age from the whole second it stores a copy in, so
    `max-age=1` keeps it one to two seconds. Its own header can name the end of
    the second the page was answered in: the copy is asked about again within a
    second. nginx reads it on its own clock, which must agree with the app's (one
    machine, or NTP), and hides it from readers; a CDN or a browser goes by the
    max-age."""
    return f"@{int(time.time())}"


PUBLIC_NAMESPACES = {"initiatives", "api"}
PUBLIC_URL_NAMES = {"robots_txt", "sitemap", "sitemap_section"}


def public_page(request: HttpRequest) -> ResolverMatch | None:
    path = request.path_info
    # Before LocaleMiddleware: /en/... resolves only with English active.
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return None
    if match.namespace in PUBLIC_NAMESPACES or match.url_name in PUBLIC_URL_NAMES:
        return match
    return None


def page_etag(request: HttpRequest, shown: str) -> str:
    """An ETag for the page's canonical URL (the path holds the language and the
    filters; its links are on SITE_URL, whatever host the request named) showing
    `shown`, on this day (for what counts "the last 30 days")."""
    url = absolute_url(request.get_full_path())
    key = f"{shown} {timezone.localdate()} {url}"
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


def what_it_shows(request: HttpRequest, match: ResolverMatch) -> tuple[str, int | None]:
    """What the page shows, named, and, if it is named by the initiatives it
    shows, the catalogue's stamp when it was named."""
    stamp, shared_stamp = CatalogueVersion.current_stamps()
    shown = page_contents.shown_by(match, request.GET, stamp)
    if shown is None:
        return f"{stamp}", None
    return f"{shared_stamp} {shown}", stamp


def changed_since(stamp: int | None) -> bool:
    """Whether the catalogue changed since a page named by what it shows was named.
    A page named by the version shows at least what it names, and a version's stamp
    never comes back: it needs no such check."""
    return stamp is not None and CatalogueVersion.current_stamp() != stamp


def may_be_shared(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response
        and not (user is not None and user.is_authenticated)
    )


def shared(response: HttpResponse, etag: str, match: ResolverMatch) -> HttpResponse:
    response["ETag"] = etag
    response["X-Accel-Expires"] = kept_by_nginx_until()
    patch_cache_control(
        response,
        public=True,
        max_age=MAX_AGE,
        stale_while_revalidate=STALE_WHILE_REVALIDATE,
    )
    # The page is the same whatever cookies come with the request: one with a
    # session cookie (a curator) is never answered from a shared copy (the proxy
    # passes those by). The catalogue's pages have their language in the path, so
    # Accept-Language changes nothing either; the API's and the sitemap's may.
    ignored = {"cookie"}
    if match.namespace == "initiatives":
        ignored.add("accept-language")
    if response.has_header("Vary"):
        kept = [v.strip() for v in response["Vary"].split(",")]
        del response["Vary"]
        if kept := [v for v in kept if v.lower() not in ignored]:
            patch_vary_headers(response, kept)
    return response


class PublicCachingMiddleware:
    """Goes after SecurityMiddleware (which redirects to HTTPS), CORS and
    WhiteNoise, before the session: a conditional request is answered before
    sessions, users and languages are looked up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = request.method in ("GET", "HEAD") and public_page(request)
        if not match:
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:  # a curator, most likely
            return private(self.get_response(request))
        request.get_host()  # a host that is not allowed gets its 400, never a 304
        shown, named_at = what_it_shows(request, match)
        etag = page_etag(request, shown)
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return shared(not_modified, etag, match)
        response = self.get_response(request)
        if not may_be_shared(request, response):
            return private(response)
        if changed_since(named_at):
            # Rendered while the catalogue changed, it may show more than `shown`
            # names, and a later state could name it so again: it is kept under the
            # version it began at, which no later check gives, so the next renders it.
            etag = page_etag(request, f"{named_at}")
        return shared(response, etag, match)


def private(response: HttpResponse) -> HttpResponse:
    """Kept by no shared cache, and checked by the browser each time; a view's own
    Cache-Control (a draft's, a form's) stands."""
    if "Cache-Control" not in response:
        patch_cache_control(response, private=True, no_cache=True)
    return response
