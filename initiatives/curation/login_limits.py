"""Who is logging in, and when to stop them: the client's address behind the trusted
proxies, and a limit per address on top of django-axes' limit per username and
address, against one address trying many usernames (password spraying).

An address is often shared (a hospital's proxy, a municipality's NAT), so the limit
per address never locks the address as a whole: once it has failed too often, each
username that has failed there is locked, after one failure instead of five. A
sprayer's usernames stay locked, and one that turns to real usernames gets one guess
at each; a curator behind the same address who has not failed logs in. Whether a
username has an account plays no part, so the answers tell no one which exist."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address that connected to the first of our trusted proxies. Each proxy
    appends the address it was reached from to X-Forwarded-For, so the client is
    that many places from the end of the chain; anything before it may be forged."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in forwarded.split(",") if part.strip()]
    chain.append(request.META.get("REMOTE_ADDR", ""))
    trusted = settings.TRUSTED_PROXY_COUNT
    return chain[max(len(chain) - 1 - trusted, 0)]


class AddressLimitingHandler(AxesDatabaseHandler):
    """django-axes' database handler, which also locks every username that has
    failed from an address once that address has failed too often."""

    def get_failures(self, request, credentials=None) -> int:
        """The failures that count toward a lockout: the username's from this
        address, or the whole limit if it has any and the address has failed too
        often."""
        failures = super().get_failures(request, credentials)
        if (
            failures
            and self.failures_from_address(request)
            >= settings.AXES_ADDRESS_FAILURE_LIMIT
        ):
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def failures_from_address(self, request) -> int:
        address = getattr(request, "axes_ip_address", None) or client_address(request)
        recent = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
        )
        return recent.aggregate(n=Sum("failures_since_start"))["n"] or 0
