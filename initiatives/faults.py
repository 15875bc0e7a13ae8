"""What a visitor gets when something fails, and what the operator gets: a request id
in every log line, a traceback for every fault, one line for what is expected, and a
503 with Retry-After while the database is away."""

import logging
import re
import sys
import uuid
from contextvars import ContextVar

from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

current_request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdMiddleware:
    """First in the chain: each request gets an id, taken from the proxy's
    X-Request-ID when it looks like one, shown in the response and every log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


def database_unavailable() -> HttpResponse:
    response = HttpResponse(
        loader.render_to_string("503.html"),
        status=503,
        content_type="text/html; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


DATABASE_AWAY = (OperationalError, InterfaceError)


class ExpectedConditions(logging.Filter):
    """A request while the database is away (answered 503) or for a host that is
    not allowed (400) is no fault of the code: one WARNING line with the cause, not
    an ERROR with a traceback per request, which would bury the real faults (and
    mail none of them to ADMINS). On the loggers that make these records, so that
    every handler sees the one line."""

    EXPECTED = (*DATABASE_AWAY, DisallowedHost)

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, self.EXPECTED):
            cause = " ".join(str(error).split())
            record.msg = f"{record.getMessage()} ({type(error).__name__}: {cause})"
            record.args = ()
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler, called after the error is logged with its traceback: a
    database that cannot be reached is a 503 the visitor may retry."""
    if isinstance(sys.exc_info()[1], DATABASE_AWAY):
        return database_unavailable()
    return HttpResponseServerError(
        loader.render_to_string("500.html"), content_type="text/html; charset=utf-8"
    )
