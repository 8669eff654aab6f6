"""`/healthz`: tells a load balancer or monitor whether this instance can serve pages.

The database is asked ``SELECT 1`` on a connection of its own, in a worker thread, and the answer
is awaited for at most ``HEALTHZ_TIMEOUT`` seconds: a database that hangs (rather than refuses
connections) gives a 503 within that time instead of holding the probe. The worker's connection
has the connect timeout of every connection (settings, ``DJANGO_DB_CONNECT_TIMEOUT``) and, on
PostgreSQL, a statement timeout of its own, so that a stuck check ends by itself; while one is
still running, the next probe answers 503 at once rather than starting another.
"""

import threading
from concurrent.futures import ThreadPoolExecutor, TimeoutError

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

DATABASE = "default"

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")
_lock = threading.Lock()
_pending = None  # the check still running, if one is


def database_answers():
    """True when the database answers ``SELECT 1`` (runs in the worker thread)."""
    connection = connections.create_connection(DATABASE)
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                milliseconds = int(settings.HEALTHZ_TIMEOUT * 1000)
                cursor.execute(f"SET statement_timeout = {milliseconds}")
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except DatabaseError:
        return False
    finally:
        try:
            connection.close()
        except DatabaseError:
            pass


def check_database():
    """True when the database answered within ``HEALTHZ_TIMEOUT`` seconds."""
    global _pending
    with _lock:
        if _pending is not None and not _pending.done():
            return False  # the last check is stuck: do not pile up threads
        _pending = _executor.submit(database_answers)
        future = _pending
    try:
        return future.result(timeout=settings.HEALTHZ_TIMEOUT)
    except TimeoutError:
        return False


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """200 "ok" when the database answers a trivial query in time, 503 when it does not."""
    if not check_database():
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
