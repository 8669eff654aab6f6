"""The admin's changelists stay cheap at national scale: their list filters' lookups never scan
the tables that grow with the catalogue, and no changelist needs more than 15 queries.

On a few hundred generated agreements (``generate_catalogue``), each filter's lookups are run
and each of their queries is explained: it may read one table only (no join, such as parties ×
organisations), and never the whole of a table that grows with the agreements. Timings are the
benchmark's business (tests/benchmarks/), not this test's.
"""

import re
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.admin import LookupListFilter
from cooperation.generator import CatalogueGenerator
from cooperation.models import (
    Agreement,
    Citation,
    Document,
    FollowUp,
    Participant,
    Party,
    Source,
)
from regions.pagination import CappedCountPaginator

MAX_QUERIES = 15  # issue 12's target for every changelist
# Tables with a row (or several) per agreement: a lookup must never read one in full.
GROWING_TABLES = {
    model._meta.db_table
    for model in (Agreement, Party, Participant, FollowUp, Citation, Source, Document)
} | {Agreement.sectors.through._meta.db_table}
CATALOGUE_ADMINS = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ("cooperation", "regions")
    ),
    key=lambda item: item[0]._meta.label,
)


@pytest.fixture(scope="module")
def officer_in_a_national_catalogue(django_db_setup, django_db_blocker):
    """A superuser, in a catalogue of a few hundred generated agreements made once for this
    module's tests and rolled back after them (each test runs in a savepoint inside)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "regions", "sectors", verbosity=0)
        CatalogueGenerator(agreements=300, seed=3).run()
        yield get_user_model().objects.create(username="officer", is_staff=True, is_superuser=True)
        transaction.set_rollback(True)


def plan(sql):
    """(tables read, tables read in full) by the database's plan for ``sql``.

    PostgreSQL is asked with sequential scans discouraged: the plan then shows a sequential
    scan only where no index can serve (on a small table it would otherwise prefer one)."""
    tables, full = set(), set()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            (document,) = cursor.fetchone()
        nodes = [document[0]["Plan"]]
        while nodes:
            node = nodes.pop()
            nodes.extend(node.get("Plans", []))
            if "Relation Name" in node:
                tables.add(node["Relation Name"])
                if node["Node Type"] == "Seq Scan":
                    full.add(node["Relation Name"])
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            details = [row[-1] for row in cursor.fetchall()]
        for detail in details:
            match = re.match(r"(SCAN|SEARCH) (\w+)", detail)
            if match:
                tables.add(match[2])
                if match[1] == "SCAN":
                    full.add(match[2])
    return tables, full


def filter_names(model_admin):
    names = []
    for item in model_admin.list_filter:
        spec = item[1] if isinstance(item, tuple) else item
        if isinstance(spec, type) and issubclass(spec, SimpleListFilter):
            names.append(spec.__name__)
        else:
            names.append(item[0] if isinstance(item, tuple) else item)
    return names


@pytest.mark.parametrize(
    ("model", "model_admin"),
    CATALOGUE_ADMINS,
    ids=[model._meta.label for model, _admin in CATALOGUE_ADMINS],
)
def test_list_filter_lookups_read_one_table_and_never_scan_a_growing_one(
    officer_in_a_national_catalogue, db, rf, model, model_admin
):
    request = rf.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    request.user = officer_in_a_national_catalogue
    changelist = model_admin.get_changelist_instance(request)

    with CaptureQueriesContext(connection) as captured:
        changelist.get_filters(request)

    for query in captured:
        tables, full = plan(query["sql"])
        assert len(tables) <= 1, (filter_names(model_admin), query["sql"], tables)
        assert not full & GROWING_TABLES, (filter_names(model_admin), query["sql"], full)


def changelist_urls(model, model_admin, request):
    """The changelist unfiltered, searched, and with the first choice of each filter."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    changelist = model_admin.get_changelist_instance(request)
    urls = [url]
    if model_admin.search_fields:
        urls.append(f"{url}?q=kerja+sama")
    for spec in changelist.get_filters(request)[0]:
        if isinstance(spec, LookupListFilter):  # a text box: name a record it finds
            (found,) = spec.lookup["matches"](request.user, "an", limit=1)
            text = spec.lookup["describe"](found)["text"]
            urls.append(f"{url}?{urlencode({spec.parameter_name: text})}")
            continue
        choices = [
            c for c in spec.choices(changelist) if not c.get("selected") and "query_string" in c
        ]
        if choices:
            urls.append(url + choices[0]["query_string"])
    return urls


@pytest.mark.parametrize(
    ("model", "model_admin"),
    CATALOGUE_ADMINS,
    ids=[model._meta.label for model, _admin in CATALOGUE_ADMINS],
)
def test_every_changelist_page_needs_at_most_15_queries(
    officer_in_a_national_catalogue, db, rf, client, model, model_admin
):
    request = rf.get("/")
    request.user = officer_in_a_national_catalogue
    client.force_login(officer_in_a_national_catalogue)
    client.get(reverse("admin:index"))  # the session and content types, once

    for url in changelist_urls(model, model_admin, request):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        assert len(captured) <= MAX_QUERIES, (url, len(captured))


def words(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_a_long_changelist_is_counted_up_to_a_limit_and_still_pages_on(
    officer_in_a_national_catalogue, db, client, english, monkeypatch
):
    """Counting every row for "N participants" read the whole table (a search of 394,000
    participants took a second): a changelist counts at most ``count_limit`` rows beyond the
    page asked for, says "More than ...", and each page counts as far as it needs."""
    monkeypatch.setattr(CappedCountPaginator, "count_limit", 100)
    client.force_login(officer_in_a_national_catalogue)
    url = reverse("admin:cooperation_participant_changelist")
    total = Participant.objects.count()
    assert total > 200

    first = words(client.get(url))
    assert "More than 100 participants" in first
    assert f"{total} participants" not in first
    assert "?p=3" in client.get(url).content.decode()  # the page after the counted ones

    searched = words(client.get(url, {"q": "a"}))
    assert "More than 100 results" in searched
    assert "Select all (more than 100) participants" in searched

    # The last page counts to the end: the exact number, no "more than".
    last = words(client.get(url, {"p": -(-total // 50)}))
    assert f"{total} participants" in last
    assert "More than" not in last
