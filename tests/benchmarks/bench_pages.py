"""Page benchmark: query counts and wall times of the main pages as the catalogue grows.

Run from the project root:

    .venv/bin/python tests/benchmarks/bench_pages.py [--agreements 10 100 1000] [--repeat 5]
        [--database-url postgres://postgres@127.0.0.1:5432/katalog_bench]

It never touches db.sqlite3: by default it uses a fresh temporary SQLite file; with
--database-url it creates that PostgreSQL database, and drops it at the end (it refuses to use
one that already exists). It migrates, loads fixtures/*.json, then for each size grows the
catalogue to that many published agreements and requests every page once to warm up and
--repeat times to time it. It prints a table and exits 1 if a page's query count grew with the
number of agreements ("QUERY COUNT GREW") or a page did not answer 200.

This is not a test (pytest collects test_*.py only): timings belong here, query counts in tests.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SEED = 20251001
PROVINCE_BIAS = "36"  # Banten: a share of agreements involve it, so it is the busiest province


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--agreements",
        type=int,
        nargs="+",
        default=[10, 100, 1000],
        metavar="N",
        help="catalogue sizes (published agreements), ascending (default: 10 100 1000)",
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed requests per page (default: 5)"
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database to create and drop (default: a temporary SQLite file)",
    )
    return parser.parse_args()


# --- Database -----------------------------------------------------------------------------


def postgres_admin(url):
    """(database name, function running one SQL statement on the server's 'postgres' db)."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    if "postgres" not in config["ENGINE"]:
        sys.exit("--database-url must be a PostgreSQL URL (postgres://...).")
    name = config["NAME"]

    def run(sql):
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

    return name, run


# --- Data ---------------------------------------------------------------------------------


def load_fixtures():
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    fixtures = sorted(str(path) for path in (BASE_DIR / "fixtures").glob("*.json"))
    call_command("loaddata", *fixtures, verbosity=0)


GOVERNMENT_PREFIX = {
    "province": "Pemerintah Provinsi",
    "regency": "Pemerintah",
    "city": "Pemerintah",
}
SHORT_PREFIX = {"province": "Pemprov", "regency": "Pemkab", "city": "Pemkot"}
HEAD_TITLES = {
    "province": ("Gubernur", "Wakil Gubernur"),
    "regency": ("Bupati", "Wakil Bupati"),
    "city": ("Wali Kota", "Wakil Wali Kota"),
}
ACTIONS = [
    "Survei lapangan",
    "Kunjungan balasan",
    "Rapat teknis",
    "Penyusunan perjanjian kerja sama",
    "Pertemuan antar perangkat daerah",
    "Monitoring dan evaluasi",
]


def bare_name(region):
    for prefix in ("Kabupaten ", "Kota "):
        if region.name.startswith(prefix):
            return region.name[len(prefix) :]
    return region.name


class Catalogue:
    """Grows the catalogue with realistic agreements between regional governments."""

    def __init__(self):
        from cooperation.models import Sector
        from regions.models import Region

        self.rng = random.Random(SEED)
        self.regions = list(Region.objects.all())
        self.sectors = list(Sector.objects.values_list("pk", flat=True))
        self.created = 0
        self.governments = self.ensure_governments()
        self.officials = self.ensure_officials()

    def ensure_governments(self):
        """A regional government for every region: {region pk: (organisation pk, short name)}."""
        from django.utils.text import slugify

        from regions.models import Organisation

        kind = Organisation.Kind.REGIONAL_GOVERNMENT
        existing = set(Organisation.objects.filter(kind=kind).values_list("region", flat=True))
        slugs = set(Organisation.objects.values_list("slug", flat=True))
        new = []
        for region in self.regions:
            if region.pk in existing:
                continue
            prefix = GOVERNMENT_PREFIX[region.kind]
            name = f"{prefix} {region.name}"
            slug = slugify(name)
            while slug in slugs:
                slug += "-x"
            slugs.add(slug)
            short = f"{SHORT_PREFIX[region.kind]} {bare_name(region)}"
            new.append(
                Organisation(slug=slug, name=name, short_name=short, kind=kind, region=region)
            )
        Organisation.objects.bulk_create(new)
        return {
            region: (pk, short or name)
            for region, pk, short, name in Organisation.objects.filter(kind=kind).values_list(
                "region", "pk", "short_name", "name"
            )
        }

    def ensure_officials(self):
        """A head and a deputy head with a current holder for every government:
        {organisation pk: [(person pk, position pk), ...]}."""
        from django.utils.text import slugify

        from regions.models import Person, Position, Tenure

        roles = [Position.Role.HEAD, Position.Role.DEPUTY_HEAD]
        by_org = {pk: region for region, (pk, _short) in self.governments.items()}
        region_by_pk = {region.pk: region for region in self.regions}
        have = set(
            Position.objects.filter(organisation__in=by_org, role__in=roles).values_list(
                "organisation", "role"
            )
        )
        position_slugs = set(Position.objects.values_list("slug", flat=True))
        new_positions = []
        for org_pk, region_pk in by_org.items():
            region = region_by_pk[region_pk]
            for role, title in zip(roles, HEAD_TITLES[region.kind], strict=True):
                if (org_pk, role) in have:
                    continue
                full = f"{title} {bare_name(region)}"
                slug = slugify(full)
                while slug in position_slugs:
                    slug += "-x"
                position_slugs.add(slug)
                new_positions.append(
                    Position(slug=slug, title=full, organisation_id=org_pk, role=role)
                )
        Position.objects.bulk_create(new_positions)

        held = set(Tenure.objects.values_list("position", flat=True))
        vacant = list(
            Position.objects.filter(organisation__in=by_org, role__in=roles).exclude(pk__in=held)
        )
        person_slugs = set(Person.objects.values_list("slug", flat=True))
        people = []
        for index, position in enumerate(vacant):
            slug = f"pejabat-{index:04d}"
            while slug in person_slugs:
                slug += "-x"
            people.append(Person(slug=slug, name=f"Pejabat {index:04d} {position.title}"))
        Person.objects.bulk_create(people)
        pks = dict(
            Person.objects.filter(slug__in=[p.slug for p in people]).values_list("slug", "pk")
        )
        Tenure.objects.bulk_create(
            Tenure(
                person_id=pks[person.slug],
                position=position,
                start_date=datetime.date(2021, 2, 26),
            )
            for person, position in zip(people, vacant, strict=True)
        )
        officials = {}
        for person, position, org in Tenure.objects.filter(
            position__organisation__in=by_org, position__role__in=roles
        ).values_list("person", "position", "position__organisation"):
            officials.setdefault(org, []).append((person, position))
        return officials

    def pick_regions(self, count):
        rng = self.rng
        regions = []
        if rng.random() < 0.3:
            banten = [r for r in self.regions if r.code.split(".")[0] == PROVINCE_BIAS]
            regions.append(rng.choice(banten))
        while len(regions) < count:
            region = rng.choice(self.regions)
            if region not in regions:
                regions.append(region)
        return regions

    def grow(self, target):
        """Add published agreements, with their parts, until there are ``target``."""
        from cooperation.models import (
            Agreement,
            Citation,
            FollowUp,
            Participant,
            Party,
            Source,
        )
        from cooperation.models import (
            today as catalogue_today,
        )

        missing = target - Agreement.objects.published().count()
        if missing <= 0:
            return
        rng = self.rng
        today = catalogue_today()
        kinds = [
            (Agreement.Kind.EXPLORATORY_MEETING, Agreement.Stage.EXPLORATION),
            (Agreement.Kind.WORKING_VISIT, Agreement.Stage.EXPLORATION),
            (Agreement.Kind.JOINT_AGREEMENT, Agreement.Stage.JOINT_AGREEMENT_SIGNED),
            (Agreement.Kind.COOPERATION_AGREEMENT, Agreement.Stage.COOPERATION_AGREEMENT_SIGNED),
            (Agreement.Kind.COOPERATION_AGREEMENT, Agreement.Stage.IMPLEMENTATION),
        ]
        plans = []
        for _ in range(missing):
            self.created += 1
            index = self.created
            regions = self.pick_regions(rng.randint(2, 3))
            kind, stage = rng.choice(kinds)
            date = today - datetime.timedelta(days=rng.randint(0, 4 * 365))
            signed = kind in (Agreement.Kind.JOINT_AGREEMENT, Agreement.Kind.COOPERATION_AGREEMENT)
            names = " dan ".join(self.governments[r.pk][1] for r in regions)
            agreement = Agreement(
                slug=f"bench-{index:05d}",
                title=f"Kerja sama {names} ({index})",
                kind=kind,
                stage=stage,
                date=date,
                venue=f"Kantor {self.governments[regions[0].pk][1]}",
                venue_region=regions[0],
                valid_from=date if signed else None,
                valid_until=date + datetime.timedelta(days=rng.choice([365, 3 * 365, 5 * 365]))
                if signed
                else None,
                summary=f"Ringkasan kerja sama {names}.",
                is_published=True,
            )
            plans.append((agreement, regions, signed))
        Agreement.objects.bulk_create([agreement for agreement, _r, _s in plans])
        pks = dict(
            Agreement.objects.filter(slug__in=[a.slug for a, _r, _s in plans]).values_list(
                "slug", "pk"
            )
        )
        Source.objects.bulk_create(
            Source(
                slug=agreement.slug,
                publisher="Berita Daerah",
                headline=agreement.title,
                published_on=agreement.date,
            )
            for agreement, _r, _s in plans
        )
        sources = dict(Source.objects.filter(slug__in=pks).values_list("slug", "pk"))
        parties, participants, follow_ups, citations, sectors = [], [], [], [], []
        through = Agreement.sectors.through
        for agreement, regions, signed in plans:
            pk = pks[agreement.slug]
            orgs = [self.governments[r.pk][0] for r in regions]
            for position, org in enumerate(orgs):
                if signed:
                    role = Party.Role.SIGNATORY
                else:
                    role = Party.Role.HOST if position == 0 else Party.Role.VISITOR
                parties.append(Party(agreement_id=pk, organisation_id=org, role=role))
            pool = {}
            for org in orgs:
                for person, post in self.officials.get(org, []):
                    pool.setdefault(person, post)
            chosen = rng.sample(sorted(pool.items()), min(len(pool), rng.randint(2, 5)))
            for number, (person, post) in enumerate(chosen):
                role = (
                    Participant.Role.SIGNATORY
                    if signed and number < len(orgs)
                    else Participant.Role.DELEGATION_MEMBER
                )
                participants.append(
                    Participant(agreement_id=pk, person_id=person, position_id=post, role=role)
                )
            for action in rng.sample(ACTIONS, rng.randint(1, 3)):
                status = rng.choice(["overdue", "soon", "in_progress", "done"])
                follow_up = FollowUp(
                    agreement_id=pk,
                    action=f"{action} {agreement.title}"[:300],
                    responsible_id=rng.choice(orgs),
                )
                if status == "overdue":
                    follow_up.due_date = today - datetime.timedelta(days=rng.randint(1, 200))
                elif status == "soon":
                    follow_up.due_date = today + datetime.timedelta(days=rng.randint(1, 60))
                elif status == "in_progress":
                    follow_up.status = FollowUp.Status.IN_PROGRESS
                else:
                    follow_up.status = FollowUp.Status.DONE
                    follow_up.done_on = agreement.date
                follow_ups.append(follow_up)
            citations.append(Citation(agreement_id=pk, source_id=sources[agreement.slug]))
            for sector in rng.sample(self.sectors, min(len(self.sectors), rng.randint(1, 3))):
                sectors.append(through(agreement_id=pk, sector_id=sector))
        Party.objects.bulk_create(parties)
        Participant.objects.bulk_create(participants)
        FollowUp.objects.bulk_create(follow_ups)
        Citation.objects.bulk_create(citations)
        through.objects.bulk_create(sectors)
        # bulk_create sends no signals: derived data (category, region links, search) is
        # rebuilt for the new agreements, as after any bulk load.
        from cooperation.derived import agreements_refresh

        agreements_refresh(pks.values())


# --- Pages --------------------------------------------------------------------------------


def pages(superuser):
    """[(label, url, user)] for the current catalogue; user None is an anonymous visitor."""
    from django.urls import reverse

    from cooperation.models import Agreement
    from cooperation.views import PAGE_SIZE
    from regions.models import Organisation, Person, Position, Region

    published = Agreement.objects.published()
    agreement = published.filter(slug="bench-00001").first() or published.first()
    provinces = {r.pk: (r.province_id or r.pk) for r in Region.objects.all()}
    per_province = {}
    for agreement_pk, region_pk in published.region_links():
        per_province.setdefault(provinces[region_pk], set()).add(agreement_pk)
    busiest_pk = max(per_province, key=lambda pk: (len(per_province[pk]), -pk))
    province = Region.objects.get(pk=busiest_pk)
    page = 2 if len(per_province[busiest_pk]) > PAGE_SIZE else 1
    # The province's government and its head: the same records at every size, busier each time.
    organisation = Organisation.objects.get(
        kind=Organisation.Kind.REGIONAL_GOVERNMENT, region=province
    )
    person = (
        Person.objects.filter(
            tenures__position__organisation=organisation,
            tenures__position__role=Position.Role.HEAD,
        )
        .order_by("pk")
        .first()
    )
    agreement_list = reverse("cooperation:agreement_list")
    return [
        ("home", reverse("cooperation:home"), None),
        ("agreement list", agreement_list, None),
        (
            f"agreement list, province, order, page {page}",
            f"{agreement_list}?region={province.code}&order=title&page={page}",
            None,
        ),
        ("agreement detail", agreement.get_absolute_url(), None),
        ("follow-up list", reverse("cooperation:followup_list"), None),
        ("region list", reverse("regions:region_list"), None),
        (f"region detail ({province.code})", province.get_absolute_url(), None),
        ("organisation detail", organisation.get_absolute_url(), None),
        ("official detail", person.get_absolute_url(), None),
        ("admin agreement list", reverse("admin:cooperation_agreement_changelist"), superuser),
        (
            "admin agreement change",
            reverse("admin:cooperation_agreement_change", args=[agreement.pk]),
            superuser,
        ),
    ]


def measure(client, url, repeat):
    """(status, queries, [seconds]) for one warm-up and ``repeat`` timed requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times, counts, status = [], [], 200
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        counts.append(len(captured))
        if response.status_code != 200:
            status = response.status_code
    return status, max(counts), times


def run(sizes, repeat):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    load_fixtures()
    catalogue = Catalogue()
    superuser = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    anonymous, admin = Client(), Client()
    admin.force_login(superuser)
    print(f"database: {connection.vendor}; repeat: {repeat}; sizes: {sizes}", flush=True)

    rows, first_counts, failures = [], {}, []
    for size in sizes:
        started = time.perf_counter()
        catalogue.grow(size)
        print(f"N={size}: catalogue grown in {time.perf_counter() - started:.1f} s", flush=True)
        for label, url, user in pages(superuser):
            key = label.split(" page ")[0].split(" (")[0]
            status, queries, times = measure(admin if user else anonymous, url, repeat)
            rows.append((label, size, queries, statistics.median(times), max(times)))
            if status != 200:
                failures.append(f"{label} at N={size}: HTTP {status} ({url})")
            baseline = first_counts.setdefault(key, (size, queries))
            if queries > baseline[1]:
                failures.append(
                    f"QUERY COUNT GREW: {key}: {baseline[1]} queries at N={baseline[0]}, "
                    f"{queries} at N={size}"
                )

    width = max(len(row[0]) for row in rows)
    print()
    print(f"{'page':<{width}}  {'N':>6}  {'queries':>7}  {'median ms':>9}  {'max ms':>8}")
    for label, size, queries, median, longest in sorted(rows, key=lambda r: (r[0], r[1])):
        median_ms, max_ms = median * 1000, longest * 1000
        print(f"{label:<{width}}  {size:>6}  {queries:>7}  {median_ms:>9.1f}  {max_ms:>8.1f}")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


def main():
    args = parse_args()
    sizes = sorted(set(args.agreements))
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cooperation.settings"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ["DJANGO_ALLOWED_HOSTS"] += ",testserver"
    temporary = drop = None
    if args.database_url:
        name, admin_sql = postgres_admin(args.database_url)
        if admin_sql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
            sys.exit(f"Database {name} exists; drop it or name another (it is dropped after).")
        admin_sql(f'CREATE DATABASE "{name}"')
        drop = lambda: admin_sql(f'DROP DATABASE IF EXISTS "{name}"')  # noqa: E731
        os.environ["DATABASE_URL"] = args.database_url
    else:
        temporary = tempfile.TemporaryDirectory(prefix="katalog-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary.name}/bench.sqlite3"
    try:
        import django

        django.setup()
        status = run(sizes, args.repeat)
    finally:
        from django.db import connections

        connections.close_all()
        if drop:
            drop()
        if temporary:
            temporary.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
