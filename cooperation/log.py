"""Logs for a log collector: one JSON object per line on standard error.

Each record has its time (UTC), level, logger and message; a record about a request (Django's
``django.request`` and ``django.security`` loggers, and our own) adds the method, path, status
and user id; a record with an exception adds its type, message and traceback.
"""

import datetime
import json
import logging
import sys

from django.utils.functional import empty


class StderrHandler(logging.StreamHandler):
    """A stream handler that writes to whatever ``sys.stderr`` is at the time of the record
    (gunicorn and tests may replace it after logging is configured)."""

    def __init__(self, level=logging.NOTSET):
        logging.Handler.__init__(self, level)

    @property
    def stream(self):
        return sys.stderr


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "META"):
            entry["method"] = request.method
            entry["path"] = request.path
            entry["user_id"] = user_id(request)
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["exception"] = f"{type(error).__module__}.{type(error).__qualname__}: {error}"
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def user_id(request):
    """The id of the request's user if it is already known; never a query of its own (the
    database may be what failed)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return getattr(user, "pk", None)
