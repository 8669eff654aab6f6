"""Page benchmark at national scale: every page shape (tests/benchmarks/shapes.py) served by
gunicorn from a generated catalogue on PostgreSQL.

Run from the project root:

    .venv/bin/python tests/benchmarks/bench_pages.py                # 100,000 agreements
    .venv/bin/python tests/benchmarks/bench_pages.py --reuse        # the catalogue left by --keep
    .venv/bin/python tests/benchmarks/bench_pages.py --agreements 2000 --repeat 5 --only admin

It creates the PostgreSQL database of --database-url (default katalog_bench; it refuses one that
exists unless --reuse), migrates it, loads the regions and sectors and runs
``generate_catalogue`` (a few minutes for 100,000); with --reuse it uses the database as it is
(only migrated). A second, small catalogue (--small, default 1,000 agreements) is generated in
``<name>_small`` to check that no shape's query count grows with the rows. Each catalogue is
served by gunicorn (--workers, default 2) with production settings (debug off, collected static
files, JIT off, the web statement timeout) and a benchmark-only middleware that reports each
request's queries in a header. Each shape is requested twice to warm up, then --repeat times
(default 15) one at a time; the table gives the median and 95th percentile latency, the queries
(big and small catalogue), the HTML size and the ratio to the admin changelist with the same
filter. Then the shapes marked for it are requested by --concurrency clients (default 8) for
--duration seconds (default 10) each: requests per second and errors.

It exits 1 if a page does not answer 200, a query count grew, or a request failed under load.
Timings depend on the machine and on what else runs on it: this is not a test (pytest collects
test_*.py only); query counts are pinned in the tests.
"""

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/katalog_bench"
STAFF_USER = "bench-staff"
# One secret key for gunicorn and this process, which makes the staff session.
SECRET_KEY = "benchmark-only-" + "x" * 40
PUBLIC_MAX_QUERIES = 10  # issue 8's target
ADMIN_MAX_QUERIES = 15  # issue 12's target


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--agreements", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--small", type=int, default=1000, help="agreements of the small one")
    parser.add_argument("--reuse", action="store_true", help="use the existing database")
    parser.add_argument("--keep", action="store_true", help="keep the big database for --reuse")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--only", default="", help="measure only shapes whose name has this")
    parser.add_argument("--output", help="also write the tables (Markdown) to this file")
    return parser.parse_args()


# --- Databases ----------------------------------------------------------------------------


def database_config(url):
    import dj_database_url

    config = dj_database_url.parse(url)
    if "postgres" not in config["ENGINE"]:
        sys.exit("--database-url must be a PostgreSQL URL (postgres://...).")
    return config


def server_sql(config, sql):
    import psycopg

    with psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    ) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else None


def database_exists(config, name):
    return bool(server_sql(config, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))


def manage(url, *args, quiet=True):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def prepare(url, agreements, seed, reuse):
    """Create, migrate and fill the database (or, with ``reuse``, only migrate it)."""
    config = database_config(url)
    name = config["NAME"]
    exists = database_exists(config, name)
    if exists and not reuse:
        sys.exit(f"Database {name} exists: pass --reuse to measure it, or drop it.")
    if reuse and not exists:
        sys.exit(f"Database {name} does not exist: run once without --reuse (and --keep).")
    if not exists:
        server_sql(config, f'CREATE DATABASE "{name}"')
    manage(url, "migrate", "--noinput")
    if not exists:
        manage(url, "loaddata", "regions", "sectors")
        started = time.monotonic()
        print(f"{name}: generating {agreements:,} agreements ...", flush=True)
        manage(url, "generate_catalogue", "--agreements", str(agreements), "--seed", str(seed))
        print(f"{name}: generated in {time.monotonic() - started:.0f} s", flush=True)
        server_sql_in(config, name, "VACUUM ANALYZE")


def server_sql_in(config, name, sql):
    import psycopg

    with psycopg.connect(
        dbname=name,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    ) as connection:
        connection.execute(sql)


def drop(url):
    config = database_config(url)
    server_sql(config, f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')


# --- Serving ------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    seconds: float
    size: int
    queries: int | None


class Server:
    """gunicorn serving one database with production settings, and a staff session for it."""

    def __init__(self, url, port, workers, static_root):
        self.url, self.port = url, port
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "tests.benchmarks.bench_settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_SESSION_COOKIE_SECURE": "0",
            "DJANGO_CSRF_COOKIE_SECURE": "0",
            "DJANGO_STATIC_ROOT": str(static_root),
            "PYTHONPATH": str(BASE_DIR),
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "cooperation.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.get("/healthz").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                sys.exit("gunicorn did not start: see its output above.")
            time.sleep(0.5)
        self.cookie = f"sessionid={staff_session()}"

    def get(self, path, staff=False):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Accept-Language": "en"}
        if staff:
            headers["Cookie"] = self.cookie
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        queries = response.getheader("X-Bench-Queries")
        return Response(response.status, seconds, len(body), int(queries) if queries else None)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def staff_user():
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(
        username=STAFF_USER, defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def staff_session():
    """A logged-in superuser's session key, made in this process (the session is stored in
    the database that gunicorn serves)."""
    from django.test import Client

    user = staff_user()
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def use_database(url):
    """Point this process's Django at ``url``."""
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict.update(database_config(url))
    connections["default"].settings_dict["OPTIONS"] = {}


def collect_shapes(only):
    from django.utils import translation

    from tests.benchmarks.shapes import SHAPE_FUNCTIONS, Catalogue

    catalogue = Catalogue()
    found = []
    with translation.override("en"):
        for function in SHAPE_FUNCTIONS:
            found += function(catalogue)
    return [shape for shape in found if only in shape.name], catalogue


# --- Measuring ----------------------------------------------------------------------------


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def measure(server, shape, repeat):
    for _ in range(2):
        server.get(shape.path, shape.staff)
    responses = [server.get(shape.path, shape.staff) for _ in range(repeat)]
    times = [response.seconds * 1000 for response in responses]
    return {
        "status": max(response.status for response in responses),
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        # The usual count: caches with a timeout (the identity, the list's filter choices: 60 s)
        # make one request a minute pay their refresh, which is no growth with the rows.
        "queries": statistics.median_low(response.queries or 0 for response in responses),
        "size": responses[-1].size,
    }


def throughput(server, shape, concurrency, duration):
    """(requests per second, errors) with ``concurrency`` clients for ``duration`` seconds."""
    done, errors, lock = [0], [0], threading.Lock()
    deadline = time.monotonic() + duration

    def client():
        while time.monotonic() < deadline:
            try:
                ok = server.get(shape.path, shape.staff).status == 200
            except OSError:
                ok = False
            with lock:
                done[0] += ok
                errors[0] += not ok

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started), errors[0]


def serve(url, args, static_root):
    use_database(url)
    staff_user()
    shapes, catalogue = collect_shapes(args.only)
    return Server(url, args.port, args.workers, static_root), shapes, catalogue


def run(args):
    from tests.benchmarks.shapes import MEASUREMENT_FUNCTIONS

    big_url = args.database_url
    small_url = big_url.rsplit("/", 1)[0] + "/" + database_config(big_url)["NAME"] + "_small"
    if database_exists(database_config(small_url), database_config(small_url)["NAME"]):
        drop(small_url)
    static_root = Path(tempfile.mkdtemp(prefix="katalog-bench-static-"))
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": SECRET_KEY}
    env["DJANGO_STATIC_ROOT"] = str(static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    failures = []
    try:
        # The small catalogue: query counts only.
        prepare(small_url, args.small, args.seed, reuse=False)
        server, shapes, _catalogue = serve(small_url, args, static_root)
        small_counts = {}
        try:
            for shape in shapes:
                server.get(shape.path, shape.staff)
                small_counts[shape.name] = server.get(shape.path, shape.staff).queries
        finally:
            server.stop()
        drop(small_url)

        # The big one: everything.
        prepare(big_url, args.agreements, args.seed, reuse=args.reuse)
        server, shapes, catalogue = serve(big_url, args, static_root)
        try:
            rows = {}
            for shape in shapes:
                rows[shape.name] = measure(server, shape, args.repeat)
                row = rows[shape.name]
                print(
                    f"  {shape.name}: {row['median']:.0f} ms, {row['queries']} queries",
                    flush=True,
                )
            rates = [
                (shape, *throughput(server, shape, args.concurrency, args.duration))
                for shape in shapes
                if shape.throughput
            ]
            extra = [
                row for function in MEASUREMENT_FUNCTIONS for row in function(server, catalogue)
            ]
        finally:
            server.stop()
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
        if database_exists(database_config(small_url), database_config(small_url)["NAME"]):
            drop(small_url)
        if not args.reuse and not args.keep:
            drop(big_url)

    lines = table(shapes, rows, small_counts, failures)
    lines += [
        "",
        f"| page, {args.concurrency} clients | requests/s | errors |",
        "| --- | ---: | ---: |",
    ]
    for shape, rate, errors in rates:
        lines.append(f"| {shape.name} | {rate:.1f} | {errors} |")
        if errors:
            failures.append(f"{shape.name}: {errors} failed requests at concurrency")
    if extra:
        columns = sorted({column for _name, values in extra for column in values})
        lines += ["", "| measurement | " + " | ".join(columns) + " |"]
        lines.append("| --- |" + " ---: |" * len(columns))
        for name, values in extra:
            lines.append(
                f"| {name} | " + " | ".join(str(values.get(c, "")) for c in columns) + " |"
            )
    return report(lines, failures, args.output)


def report(lines, failures, output_path):
    """Print the tables and what failed, write the tables to ``output_path`` if one is given,
    and return the exit status: 1 if anything failed."""
    output = "\n".join(lines)
    print()
    print(output)
    for failure in failures:
        print(failure)
    if output_path:
        Path(output_path).write_text(output + "\n")
    return 1 if failures else 0


def table(shapes, rows, small_counts, failures):
    lines = [
        "| page | median ms | p95 ms | queries | small | KB | × admin |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for shape in shapes:
        row = rows[shape.name]
        small = small_counts.get(shape.name)
        ratio = ""
        if shape.compare in rows:
            ratio = f"{row['median'] / rows[shape.compare]['median']:.2f}"
        lines.append(
            f"| {shape.name} | {row['median']:.0f} | {row['p95']:.0f} | {row['queries']} | "
            f"{small if small is not None else ''} | {row['size'] / 1024:.0f} | {ratio} |"
        )
        if row["status"] != 200:
            failures.append(f"{shape.name}: HTTP {row['status']} ({shape.path})")
        if small is not None and row["queries"] > small:
            failures.append(
                f"QUERY COUNT GREW: {shape.name}: {small} queries on the small catalogue, "
                f"{row['queries']} on the big one"
            )
        limit = ADMIN_MAX_QUERIES if shape.staff else PUBLIC_MAX_QUERIES
        if row["queries"] > limit:
            print(f"over the query target ({limit}): {shape.name}, {row['queries']}")
    return lines


def main():
    args = parse_args()
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cooperation.settings"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ["DJANGO_ALLOWED_HOSTS"] += ",testserver"
    import django

    django.setup()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
