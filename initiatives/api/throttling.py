"""The API's rate limit per address. Its own module: REST framework imports it from
the settings before any view can be imported."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from ..curation.login_limits import client_address


class PerAddressThrottle(SimpleRateThrottle):
    """At most `settings.API_RATE_LIMIT` requests per client address; read when a
    request arrives, so that a test can lower it."""

    scope = "address"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view) -> str:
        # The address behind the trusted proxies, as the login limits count it;
        # REST framework's own get_ident() trusts NUM_PROXIES, which is not ours.
        return self.cache_format % {
            "scope": self.scope,
            "ident": client_address(request),
        }
