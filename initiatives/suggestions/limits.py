"""At most a few suggestions an hour from one address, counted in Django's cache (one
Redis for every app server with CACHE_URL, else files every server process shares), so a
flood from one address does not fill the curators' queue. The address is the one the
login limits see; it is not stored with the suggestion."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from ..curation.login_limits import client_address

HOUR = 3600


def limit_key(request: HttpRequest) -> str:
    # Hashed: the cache need not hold the address itself.
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"suggestions:{address}:{int(time.time()) // HOUR}"


def over_limit(request: HttpRequest) -> bool:
    """Whether this address has sent its suggestions for this hour."""
    sent = cache.get(limit_key(request), 0)
    return sent >= settings.SUGGESTIONS_PER_HOUR


def count_one(request: HttpRequest) -> None:
    key = limit_key(request)
    cache.add(key, 0, HOUR)
    try:
        cache.incr(key)
    except ValueError:  # gone between add and incr: expired at the hour's end
        cache.set(key, 1, HOUR)
