"""What a visitor gets when something fails, and what the operator gets: a request id
in every log line, a traceback for every fault, one line for what is expected, and a
503 with Retry-After while the database is away. The error pages are in the site's
frame and in the language of the address (/en/...), which the failing request may not
have got as far as choosing."""

import logging
import re
import sys
import uuid
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils import translation
from django.views import defaults
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


logger = logging.getLogger(__name__)

# Said when even the framed page cannot be rendered (a template or a static file
# missing from the manifest after a bad deploy).
PLAIN_ERROR = """<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>Der opstod en fejl</title></head>
<body><h1>Der opstod en fejl</h1>
<p>Siden kunne ikke vises. Fejlen er skrevet i serverens log; prøv igen senere.</p>
<p lang="en">The page could not be shown. The error has been logged.</p></body></html>
"""


def language_of(request: HttpRequest) -> str:
    return translation.get_language_from_path(request.path_info) or (
        settings.LANGUAGE_CODE
    )


def in_language_of_address(view):
    """An error view that answers in the language of the address."""

    @wraps(view)
    def in_language(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with translation.override(language_of(request)):
            return view(request, *args, **kwargs)

    return in_language


bad_request = in_language_of_address(defaults.bad_request)
permission_denied = in_language_of_address(defaults.permission_denied)
page_not_found = in_language_of_address(defaults.page_not_found)


def without_database(template_name: str, language: str) -> str:
    """An error page rendered from the template alone: no context processors, no
    request, so nothing asks the database or the host."""
    try:
        with translation.override(language):
            return loader.render_to_string(template_name)
    except Exception:
        logger.exception("The error page %s could not be rendered", template_name)
        return PLAIN_ERROR


def database_unavailable(language: str) -> HttpResponse:
    response = HttpResponse(
        without_database("503.html", language),
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
    language = language_of(request)
    if isinstance(sys.exc_info()[1], DATABASE_AWAY):
        return database_unavailable(language)
    return HttpResponseServerError(
        without_database("500.html", language),
        content_type="text/html; charset=utf-8",
    )
