"""Where a page's time goes: the page shapes of shapes.py requested in-process (Django's test
client, no gunicorn) against a database, with each query's time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/katalog_bench \\
        .venv/bin/python tests/benchmarks/profile_pages.py --only "agreements, search" --explain

For each shape it prints the median time of --repeat requests, the median CPU time of this
process (Django's Python: unlike wall time, hardly inflated by other programs on a loaded
machine), the time spent in SQL, and the slowest queries of the last request (with --explain,
PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of the slowest). Use it to find a fix; bench_pages.py
measures the result behind gunicorn. Not a test: timings depend on the machine.
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))
HEADERS = {"Accept-Language": "en"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="shapes whose name has this")
    parser.add_argument("--exact", action="store_true", help="--only is the whole name")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=5, help="slowest queries shown")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest query")
    parser.add_argument("--path", action="append", default=[], help="also request this path")
    return parser.parse_args()


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "profile-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    import django

    django.setup()


def clients():
    """An anonymous and a signed-in superuser's test client, asking for English as the page
    benchmark does, with the production settings but plain static files (the page benchmark
    collects them; this does not)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    storages = {**settings.STORAGES}
    storages["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES=storages).enable()
    staff, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True, "is_superuser": True}
    )
    anonymous, signed_in = Client(headers=HEADERS), Client(headers=HEADERS)
    signed_in.force_login(staff)
    return anonymous, signed_in


@dataclass
class Request:
    seconds: float  # wall time
    cpu_seconds: float  # this process's CPU time: Django's Python (and SQLite, in-process)
    queries: list  # (seconds, sql, params) of each query
    status: int
    content: bytes


def profile(client, path, repeat):
    """Request ``path`` once to warm up, then ``repeat`` times: a ``Request`` for each."""
    from django.db import connection

    client.get(path)
    requests = []
    for _ in range(repeat):
        queries = []

        def timer(execute, sql, params, many, context, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((time.perf_counter() - started, sql, params))

        started, cpu_started = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(timer):
            response = client.get(path)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        # Not the response: the test client's keeps every template context, and a few dozen
        # of them make Python's garbage collections slower than a server's.
        requests.append(
            Request(seconds, cpu_seconds, queries, response.status_code, response.content)
        )
    return requests


def main():
    args = parse_args()
    setup()
    from django.db import connection

    from tests.benchmarks.shapes import SHAPE_FUNCTIONS, Catalogue, Shape

    anonymous, signed_in = clients()
    catalogue = Catalogue()
    shapes = [shape for function in SHAPE_FUNCTIONS for shape in function(catalogue)]
    if args.only:
        shapes = [s for s in shapes if (s.name == args.only if args.exact else args.only in s.name)]
    shapes += [Shape(path, path, staff="/admin/" in path) for path in args.path]

    for shape in shapes:
        requests = profile(signed_in if shape.staff else anonymous, shape.path, args.repeat)
        last = requests[-1]
        sql_time = sum(q[0] for q in last.queries)
        print(
            f"\n== {shape.name}: {statistics.median(r.seconds for r in requests) * 1000:.0f} ms "
            f"median, Python CPU {statistics.median(r.cpu_seconds for r in requests) * 1000:.0f}"
            f" ms, SQL {sql_time * 1000:.0f} ms in {len(last.queries)} queries, "
            f"{len(last.content) / 1024:.1f} KB, status {last.status}"
        )
        slowest = sorted(last.queries, key=lambda q: -q[0])[: args.top]
        for seconds, sql, _params in slowest:
            print(f"  {seconds * 1000:7.1f} ms  {sql[:300]}")
        if args.explain and slowest and connection.vendor == "postgresql":
            _seconds, sql, params = slowest[0]
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                print("\n".join("    " + row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
