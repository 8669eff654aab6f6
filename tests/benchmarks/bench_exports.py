"""Export benchmark: peak memory and time of exporting every agreement as CSV and as XLSX
(and of the PDF list report, which holds the first 200).

Run from the project root:

    .venv/bin/python tests/benchmarks/bench_exports.py [--agreements 100000] [--limit-mb 300]
        [--database-url postgres://postgres@127.0.0.1:5432/katalog_bench_exports [--reuse]]

It builds its own database (a temporary SQLite file, or a PostgreSQL database it creates and
drops) with bench_pages.py's steps (migrate, the regions and sectors fixtures, then
`generate_catalogue`), or with --reuse measures an existing one, such as the page benchmark's
kept `katalog_bench`. Then, for each format, a fresh Python process sets Django up, requests
/agreements/export.csv or .xlsx as an anonymous visitor with the test client, reads the whole
response and reports its peak resident memory (the process's maximum RSS, which includes Django
and the libraries) and the time taken. It exits 1
("OVER THE LIMIT") if a peak passes --limit-mb, or if the CSV does not hold every published
agreement.

This is not a test (pytest collects test_*.py only): memory and time are measured here.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_pages  # noqa: E402  (the page benchmark's database and catalogue generator)

FORMATS = {
    "csv": "cooperation:agreement_csv",
    "xlsx": "cooperation:agreement_xlsx",
    "pdf": "cooperation:agreement_report",  # the list report stops at its first 200 rows
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=100_000, metavar="N")
    parser.add_argument("--limit-mb", type=float, default=300.0)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database to create and drop (default: a temporary SQLite file)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the existing --database-url as it is"
    )
    parser.add_argument("--measure", choices=sorted(FORMATS), help=argparse.SUPPRESS)
    return parser.parse_args()


def setup_django():
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cooperation.settings"
    os.environ["DJANGO_ALLOWED_HOSTS"] = os.environ.get("DJANGO_ALLOWED_HOSTS", "") + ",testserver"
    import django

    django.setup()


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(format):
    """In its own process: one export, read to the end. Prints a JSON line."""
    setup_django()
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.get("/")  # import and warm up everything a request needs, before measuring
    baseline = peak_rss_mb()
    started = time.perf_counter()
    response = client.get(reverse(FORMATS[format]))
    size, lines = 0, 0
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
    print(
        json.dumps(
            {
                "format": format,
                "status": response.status_code,
                "bytes": size,
                "lines": lines,
                "seconds": time.perf_counter() - started,
                "baseline_mb": baseline,
                "peak_mb": peak_rss_mb(),
            }
        )
    )


def run(limit_mb):
    setup_django()
    from cooperation.models import Agreement

    published = Agreement.objects.published().count()
    print(f"catalogue: {published} published agreements", flush=True)

    failures = []
    for format in FORMATS:
        child = subprocess.run(
            [sys.executable, __file__, "--measure", format],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            check=False,
        )
        if child.returncode != 0:
            failures.append(f"{format}: the export process failed:\n{child.stderr[-2000:]}")
            continue
        result = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"{format:>4}: HTTP {result['status']}, {result['bytes'] / 1e6:.1f} MB written in "
            f"{result['seconds']:.1f} s; peak memory {result['peak_mb']:.0f} MB "
            f"(process before the export: {result['baseline_mb']:.0f} MB)",
            flush=True,
        )
        if result["status"] != 200:
            failures.append(f"{format}: HTTP {result['status']}")
        if result["peak_mb"] > limit_mb:
            failures.append(
                f"OVER THE LIMIT: {format} peaked at {result['peak_mb']:.0f} MB > {limit_mb} MB"
            )
        if format == "csv" and result["lines"] != published + 1:
            failures.append(f"csv: {result['lines'] - 1} rows for {published} agreements")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


def main():
    args = parse_args()
    if args.measure:
        measure(args.measure)
        return 0
    temporary = None
    if args.database_url:
        url = args.database_url
        if not args.reuse:
            bench_pages.prepare(url, args.agreements, args.seed, reuse=False)
    else:
        if args.reuse:
            sys.exit("--reuse needs --database-url.")
        temporary = tempfile.TemporaryDirectory(prefix="katalog-bench-exports-")
        url = f"sqlite:///{temporary.name}/bench.sqlite3"
        bench_pages.manage(url, "migrate", "--noinput")
        bench_pages.manage(url, "loaddata", "regions", "sectors")
        started = time.perf_counter()
        size = ("--agreements", str(args.agreements), "--seed", str(args.seed))
        bench_pages.manage(url, "generate_catalogue", *size)
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    os.environ["DATABASE_URL"] = url
    try:
        status = run(args.limit_mb)
    finally:
        from django.db import connections

        connections.close_all()
        if args.database_url and not args.reuse:
            bench_pages.drop(url)
        if temporary:
            temporary.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
