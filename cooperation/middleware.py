"""Answer a friendly 503 page, not a traceback, while the database cannot be reached."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.template.loader import render_to_string
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

# How long, in seconds, clients are asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Turn a database error that means "cannot reach the database" into a 503 page.

    ``process_exception`` sees exceptions raised by a view and while rendering its
    ``TemplateResponse``. The page is rendered without the request, so no context processor runs
    and nothing (``request.user``, the session, messages) touches the database again. Recovery
    needs no restart: with ``conn_health_checks`` Django drops a broken persistent connection at
    the start of the next request and opens a new one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable while handling %s %s: %s",
            request.method,
            request.path,
            exception,
            exc_info=exception,
        )
        return database_unavailable_response()


def database_unavailable_response():
    try:
        content = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        content_type = "text/html; charset=utf-8"
    except Exception:
        # The page must never become a 500 of its own (a missing static manifest entry, say).
        logger.exception("Could not render 503.html; answering plain text instead")
        content = gettext("The catalogue is temporarily unavailable. Please try again shortly.")
        content_type = "text/plain; charset=utf-8"
    response = HttpResponse(content, status=503, content_type=content_type)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # An outage page must not be cached as if it were the page itself.
    response["Cache-Control"] = "no-store"
    return response


class ResponseSecurityHeadersMiddleware(SecurityMiddleware):
    """SecurityMiddleware's response headers (nosniff, Referrer-Policy, Cross-Origin-Opener-Policy,
    HSTS) on every response, placed first in MIDDLEWARE: Django's own SecurityMiddleware skips
    them when its request step fails, as it does for a plain-HTTP request with a wrong ``Host``
    (refused with a 400 while it builds the HTTPS redirect). It never redirects itself."""

    def process_request(self, request):
        return None


class RequestBodyLimitMiddleware:
    """Refuse a request body larger than its sender may send (413), from its Content-Length,
    before anything reads it: Django limits form fields but not uploaded files, so without this
    a 300 MB upload to any form would be read in full. Staff may send
    ``MAX_STAFF_REQUEST_BODY`` (a 20 MB document and its form); everyone else Django's
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``. A body without Content-Length (chunked) is not read by
    Django at all. Placed after the authentication middleware, before any view reads POST."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if request.user.is_authenticated and request.user.is_staff:
                limit = settings.MAX_STAFF_REQUEST_BODY
            if length > limit:
                message = gettext(
                    "The request is too large: at most %(size)s MB can be sent at once."
                ) % {"size": f"{limit / (1024 * 1024):g}"}
                response = HttpResponse(message, status=413, content_type="text/plain")
                response["Connection"] = "close"
                return response
        return self.get_response(request)
