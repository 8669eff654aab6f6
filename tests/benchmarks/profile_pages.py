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
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))


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


def main():
    args = parse_args()
    setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    from tests.benchmarks.shapes import SHAPE_FUNCTIONS, Catalogue, Shape

    setup_test_environment()
    # Production settings but plain static files (the benchmark collects them; this does not).
    storages = {**settings.STORAGES}
    storages["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES=storages).enable()
    User = get_user_model()
    staff, _ = User.objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True, "is_superuser": True}
    )
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(staff)

    catalogue = Catalogue()
    shapes = [shape for function in SHAPE_FUNCTIONS for shape in function(catalogue)]
    if args.only:
        shapes = [s for s in shapes if (s.name == args.only if args.exact else args.only in s.name)]
    shapes += [Shape(path, path, staff="/admin/" in path) for path in args.path]

    for shape in shapes:
        client = signed_in if shape.staff else anonymous
        times, cpu_times, queries = [], [], []

        def timer(execute, sql, params, many, context, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((time.perf_counter() - started, sql, params))

        client.get(shape.path)  # warm up
        for _ in range(args.repeat):
            queries.clear()
            started, cpu_started = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(timer):
                response = client.get(shape.path)
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu_started)
        sql_time = sum(q[0] for q in queries)
        print(
            f"\n== {shape.name}: {statistics.median(times) * 1000:.0f} ms median, "
            f"Python CPU {statistics.median(cpu_times) * 1000:.0f} ms, "
            f"SQL {sql_time * 1000:.0f} ms in {len(queries)} queries, "
            f"{len(response.content) / 1024:.1f} KB, status {response.status_code}"
        )
        slowest = sorted(queries, key=lambda q: -q[0])[: args.top]
        for seconds, sql, _params in slowest:
            print(f"  {seconds * 1000:7.1f} ms  {sql[:300]}")
        if args.explain and slowest and connection.vendor == "postgresql":
            _seconds, sql, params = slowest[0]
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                print("\n".join("    " + row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
