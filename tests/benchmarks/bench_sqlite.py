"""The public agreement list and its searches on the default database, SQLite, at office scale
(issue 8: 10,000 agreements, list and search within 300 ms).

Run from the project root:

    .venv/bin/python tests/benchmarks/bench_sqlite.py --keep            # generate, measure, keep
    .venv/bin/python tests/benchmarks/bench_sqlite.py --reuse --repeat 5 --only search

It creates a fresh SQLite file (--file, default /tmp/katalog_sqlite_bench.sqlite3; it refuses
one that exists unless --reuse), migrates it, loads the regions and sectors and runs
``generate_catalogue --agreements N --seed S`` (which ends with ``rebuild_derived``). Then, in
this process (Django's test client with the production settings, as ``profile_pages.py``), it
requests the list shapes of ``shapes.py`` (the list unfiltered, with each single filter, a
search, a deep page) and more searches, each once to warm up and then --repeat times. The table
gives per shape the median and 95th percentile wall time, the same of the CPU time of this
process (Django's Python *and* SQLite, which runs in-process: hardly inflated by other programs
on a loaded machine, unlike wall time), the SQL time and queries of the last request, the
number of results the page states and its HTML size. It prints the load average before and after.

It exits 1 if a page does not answer 200. Not a test: timings depend on the machine.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from tests.benchmarks.bench_pages import percentile, report  # noqa: E402
from tests.benchmarks.profile_pages import clients, profile, setup  # noqa: E402

TARGET_MS = 300  # issue 8: list and search on SQLite at 10,000 agreements
# Searches beyond shapes.py's two: a frequent root, its derived form, a rare one, two regions'
# names (every word must match) and a two-word phrase.
SEARCHES = [
    ("investasi", "investasi"),
    ("persampahan", "persampahan"),
    ("two regions", "banten bengkulu"),
    ("two words", "pengelolaan sampah"),
]
RESULTS = re.compile(rb'<h2 id="results">\s*([^<]*?)\s*<')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", default="/tmp/katalog_sqlite_bench.sqlite3")
    parser.add_argument("--agreements", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="measure the existing file")
    parser.add_argument("--keep", action="store_true", help="keep the file for --reuse")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", default="", help="measure only shapes whose name has this")
    parser.add_argument("--output", help="also write the table (Markdown) to this file")
    return parser.parse_args()


def load():
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def prepare(path, url, agreements, seed, reuse):
    """Create, migrate and fill the SQLite file (or, with ``reuse``, only migrate it)."""
    exists = path.exists()
    if exists and not reuse:
        sys.exit(f"{path} exists: pass --reuse to measure it, or delete it.")
    if reuse and not exists:
        sys.exit(f"{path} does not exist: run once without --reuse (and --keep).")

    def manage(*args):
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    manage("migrate", "--noinput")
    if not exists:
        manage("loaddata", "regions", "sectors")
        started = time.monotonic()
        print(f"{path}: generating {agreements:,} agreements ...", flush=True)
        manage("generate_catalogue", "--agreements", str(agreements), "--seed", str(seed))
        print(f"{path}: generated in {time.monotonic() - started:.0f} s", flush=True)


def list_shapes(only):
    from django.urls import reverse
    from django.utils import translation

    from tests.benchmarks.shapes import Catalogue, Shape, public_pages

    with translation.override("en"):
        found = [s for s in public_pages(Catalogue()) if s.name.startswith("agreements")]
    url = reverse("cooperation:agreement_list")
    found += [Shape(f"agreements, search ({label})", f"{url}?q={q}") for label, q in SEARCHES]
    return [shape for shape in found if only in shape.name]


def results(content):
    """The number of results the list states: "1,234", "> 1,000" (a capped count), or ""."""
    match = RESULTS.search(content)
    if not match:
        return ""
    text = match.group(1).decode().replace("More than", ">")
    return text.replace("agreements found", "").replace("agreement found", "").strip()


def run(args):
    anonymous, _staff = clients()
    rows, failures = [], []
    for shape in list_shapes(args.only):
        requests = profile(anonymous, shape.path, args.repeat)
        last = requests[-1]
        wall = [r.seconds * 1000 for r in requests]
        cpu = [r.cpu_seconds * 1000 for r in requests]
        row = {
            "name": shape.name,
            "median": statistics.median(wall),
            "p95": percentile(wall, 0.95),
            "cpu": statistics.median(cpu),
            "cpu_p95": percentile(cpu, 0.95),
            "sql": sum(q[0] for q in last.queries) * 1000,
            "queries": len(last.queries),
            "results": results(last.content),
            "size": len(last.content) / 1024,
        }
        rows.append(row)
        over = " (over the target)" if row["median"] > TARGET_MS else ""
        print(f"  {shape.name}: {row['median']:.0f} ms, CPU {row['cpu']:.0f} ms{over}", flush=True)
        if last.status != 200:
            failures.append(f"{shape.name}: HTTP {last.status} ({shape.path})")
    lines = [
        "| page | median ms | p95 ms | CPU median | CPU p95 | SQL ms | queries | results | KB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    lines += [
        f"| {r['name']} | {r['median']:.0f} | {r['p95']:.0f} | {r['cpu']:.0f} | "
        f"{r['cpu_p95']:.0f} | {r['sql']:.0f} | {r['queries']} | {r['results']} | {r['size']:.0f} |"
        for r in rows
    ]
    return lines, failures


def main():
    args = parse_args()
    path = Path(args.file).resolve()
    url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), load(), flush=True)
    prepare(path, url, args.agreements, args.seed, args.reuse)
    setup()
    started = time.strftime("%H:%M", time.gmtime())
    before = load()
    try:
        lines, failures = run(args)
    finally:
        if not args.reuse and not args.keep:
            path.unlink(missing_ok=True)
    lines += [
        "",
        f"Measured {time.strftime('%Y-%m-%d', time.gmtime())} {started}–"
        f"{time.strftime('%H:%M', time.gmtime())} UTC, {args.repeat} requests each; {before} "
        f"before, {load()} after.",
    ]
    return report(lines, failures, args.output)


if __name__ == "__main__":
    sys.exit(main())
