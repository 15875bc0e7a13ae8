"""The site's own address, `settings.SITE_URL`. Every absolute link the catalogue
gives (feeds, sitemap, robots.txt, exports, the API, the pages' metadata) is made from
it, never from the Host a request names: an allowed host with another port, or any
host a proxy lets through, then changes no link, no cached page and no file name."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def absolute_url(path: str) -> str:
    """`path` (from reverse() or get_absolute_url(), so with the script prefix)
    on the site."""
    return f"{settings.SITE_URL}{path}"


def on_site(url: str) -> str:
    """An absolute `url` with the site's scheme and host in place of its own."""
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))


def scheme() -> str:
    return urlsplit(settings.SITE_URL).scheme


def host() -> str:
    """The host and port, if any, as a sitemap's "domain"."""
    return urlsplit(settings.SITE_URL).netloc


def site_url(request: HttpRequest) -> dict:
    """Templates' SITE_URL, for the absolute links of a page's metadata."""
    return {"SITE_URL": settings.SITE_URL}
