"""Derived data, kept in one place: the stored category of each agreement, its links to the
regions it concerns, and its search document.

They are facts computed from other records, never typed in, and stored so that lists, filters
and searches are cheap at national scale:

- ``Agreement.category`` comes from the parties by the rule in
  ``AgreementQuerySet.with_category`` (the only statement of that rule);
- ``AgreementRegion`` rows come from ``AgreementQuerySet.region_links`` (venue, site, parties,
  the parties' parent organisations), each with the regions above it (``RegionQuerySet.ancestry``),
  and repeat the agreement's ``is_published``;
- ``SearchDocument`` rows hold the agreement's words as search terms (``cooperation.search``).

``agreements_refresh(pks)`` recomputes all three for some agreements and writes only what
changed. ``agreements_changed(pks)`` is what writers call: it refreshes at once, or, inside a
``deferred()`` block (bulk writes, an admin page that saves an agreement with its parts), once
at the end of the block. ``cooperation.signals`` calls it for every save and deletion through
the ORM (admin pages and inlines, history reverts, fixtures, services); code that writes with
``QuerySet.update()`` or ``bulk_create()`` calls it itself, or runs ``rebuild_all()``
(``manage.py rebuild_derived``) at the end, as the catalogue generator does.
"""

import contextlib
import threading
from collections import defaultdict

from django.db import transaction

from regions.models import Region

from . import caching
from .models import (
    SEARCH_FIELDS,
    Agreement,
    AgreementRegion,
    DataVersion,
    Participant,
    Party,
    SearchDocument,
)
from .search import document

BATCH_SIZE = 1000

# Models that hold nothing but derived data: backups leave them out (loaddata rebuilds them;
# the data version only grows, cooperation.caching).
DERIVED_MODELS = [AgreementRegion, SearchDocument, DataVersion]

_local = threading.local()


def _state():
    if not hasattr(_local, "depth"):
        _local.depth, _local.pending, _local.pending_regions = 0, set(), set()
    return _local


def regions_changed(pks):
    """Say that these regions (pks) may have changed: refresh the agreements linked to them,
    now or at the end of the enclosing ``deferred()`` block (a fixture load of 7,800 regions
    asks one query per thousand regions at the end, not one per region)."""
    state = _state()
    if state.depth:
        state.pending_regions |= set(pks)
    else:
        agreements_changed(_agreements_of_regions(pks))


def _agreements_of_regions(pks):
    pks, agreements = sorted(pks), set()
    for start in range(0, len(pks), BATCH_SIZE):
        links = AgreementRegion.objects.filter(region__in=pks[start : start + BATCH_SIZE])
        agreements.update(links.values_list("agreement", flat=True))
    return agreements


def agreements_changed(pks):
    """Say that these agreements (pks) or something they show changed: refresh their derived
    data now, or at the end of the enclosing ``deferred()`` block."""
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return
    state = _state()
    if state.depth:
        state.pending |= pks
    else:
        agreements_refresh(pks)


@contextlib.contextmanager
def deferred():
    """Collect ``agreements_changed`` calls and refresh each agreement once, when the outermost
    block ends without an error (an error discards them: its transaction is rolled back)."""
    state = _state()
    state.depth += 1
    try:
        yield
    except BaseException:
        if state.depth == 1:
            state.pending, state.pending_regions = set(), set()
        raise
    finally:
        state.depth -= 1
    if state.depth == 0 and state.pending_regions:
        state.pending |= _agreements_of_regions(state.pending_regions)
        state.pending_regions = set()
    if state.depth == 0 and state.pending:
        pks, state.pending = state.pending, set()
        agreements_refresh(pks)


def agreements_refresh(pks):
    """Recompute the category, region links and search document of the agreements ``pks``
    (deleted ones are skipped), in batches, writing only rows that changed."""
    pks = sorted(set(pks))
    ancestry = None
    for start in range(0, len(pks), BATCH_SIZE):
        batch = list(
            Agreement.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).values_list(
                "pk", flat=True
            )
        )
        if not batch:
            continue
        if ancestry is None:
            ancestry = Region.objects.ancestry()
        _refresh_categories(batch)
        _refresh_region_links(batch, ancestry)
        _refresh_search_documents(batch)


def rebuild_all(progress=None):
    """Recompute everything derived for every agreement (after bulk loads). Returns the number
    of agreements; ``progress(done, total)`` is called after each batch."""
    pks = list(Agreement.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH_SIZE):
        with transaction.atomic():
            agreements_refresh(pks[start : start + BATCH_SIZE])
        if progress:
            progress(min(start + BATCH_SIZE, len(pks)), len(pks))
    # Bulk loads send no signals: cached aggregates are computed afresh.
    caching.data_changed()
    return len(pks)


def stale_agreements():
    """The pks of agreements whose stored derived data differ from what the rules give now
    (empty when everything is up to date): for ``rebuild_derived --check`` and the tests."""
    ancestry = Region.objects.ancestry()
    pks = list(Agreement.objects.order_by("pk").values_list("pk", flat=True))
    stale = set()
    for start in range(0, len(pks), BATCH_SIZE):
        batch = pks[start : start + BATCH_SIZE]
        categories = Agreement.objects.with_category().filter(pk__in=batch)
        stale |= {
            pk
            for pk, derived, stored in categories.values_list("pk", "category_code", "category")
            if derived != stored
        }
        wanted, existing = _wanted_links(batch, ancestry), _existing_links(batch)
        existing = {pair: published for pair, (_pk, published) in existing.items()}
        stale |= {agreement for (agreement, _region), _ in wanted.items() ^ existing.items()}
        wanted, existing = _wanted_documents(batch), _existing_documents(batch)
        stale |= {pk for pk in batch if wanted.get(pk) != existing.get(pk)}
    return stale


# --- The three kinds of derived data ------------------------------------------------------


def _refresh_categories(pks):
    rows = Agreement.objects.with_category().filter(pk__in=pks)
    changed = defaultdict(list)
    for pk, derived, stored in rows.values_list("pk", "category_code", "category"):
        if derived != stored:
            changed[derived].append(pk)
    for category, changed_pks in changed.items():
        Agreement.objects.filter(pk__in=changed_pks).update(category=category)


def _wanted_links(pks, ancestry):
    """{(agreement pk, region pk): the agreement's is_published}"""
    published = dict(Agreement.objects.filter(pk__in=pks).values_list("pk", "is_published"))
    return {
        (agreement, region): published[agreement]
        for agreement, direct in Agreement.objects.filter(pk__in=pks).region_links()
        for region in ancestry.get(direct, (direct,))
    }


def _existing_links(pks):
    """{(agreement pk, region pk): (link pk, is_published)}"""
    rows = AgreementRegion.objects.filter(agreement__in=pks)
    return {
        (agreement, region): (pk, is_published)
        for pk, agreement, region, is_published in rows.values_list(
            "pk", "agreement", "region", "is_published"
        )
    }


def _refresh_region_links(pks, ancestry):
    wanted, existing = _wanted_links(pks, ancestry), _existing_links(pks)
    stale = [pk for pair, (pk, _published) in existing.items() if pair not in wanted]
    if stale:
        AgreementRegion.objects.filter(pk__in=stale).delete()
    changed = defaultdict(list)
    for pair, (pk, published) in existing.items():
        if pair in wanted and wanted[pair] != published:
            changed[wanted[pair]].append(pk)
    for published, changed_pks in changed.items():
        AgreementRegion.objects.filter(pk__in=changed_pks).update(is_published=published)
    AgreementRegion.objects.bulk_create(
        [
            AgreementRegion(agreement_id=agreement, region_id=region, is_published=published)
            for (agreement, region), published in sorted(wanted.items())
            if (agreement, region) not in existing
        ],
        ignore_conflicts=True,
    )


def search_texts(pks):
    """{agreement pk: {search document field: [texts]}}: what each agreement is found by."""
    texts = {pk: {field: [] for field in SEARCH_FIELDS} for pk in pks}
    rows = Agreement.objects.filter(pk__in=pks).values_list(
        "pk", "title", "summary", "venue", "venue_region__name", "site", "site_region__name"
    )
    for pk, title, summary, venue, venue_region, site, site_region in rows:
        texts[pk]["title_terms"].append(title)
        texts[pk]["summary_terms"].append(summary)
        texts[pk]["other_terms"] += [venue, venue_region or "", site, site_region or ""]
    for pk, name, short_name in Party.objects.filter(agreement__in=pks).values_list(
        "agreement", "organisation__name", "organisation__short_name"
    ):
        texts[pk]["name_terms"] += [name, short_name]
    through = Agreement.sectors.through
    for pk, name, name_en in through.objects.filter(agreement__in=pks).values_list(
        "agreement", "sector__name", "sector__name_en"
    ):
        texts[pk]["name_terms"] += [name, name_en]
    for pk, person, position in Participant.objects.filter(agreement__in=pks).values_list(
        "agreement", "person__name", "position__title"
    ):
        texts[pk]["other_terms"] += [person or "", position or ""]
    return texts


def _wanted_documents(pks):
    return {
        pk: {field: document(*parts[field]) for field in SEARCH_FIELDS}
        for pk, parts in search_texts(pks).items()
    }


def _existing_documents(pks):
    rows = SearchDocument.objects.filter(agreement__in=pks).values("agreement", *SEARCH_FIELDS)
    return {row.pop("agreement"): row for row in rows}


def _refresh_search_documents(pks):
    wanted, existing = _wanted_documents(pks), _existing_documents(pks)
    # ignore_conflicts: no RETURNING of the generated vector, and a concurrent refresh that
    # inserted first is no error.
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(agreement_id=pk, **values)
            for pk, values in wanted.items()
            if pk not in existing
        ],
        ignore_conflicts=True,
    )
    changed = [
        SearchDocument(agreement_id=pk, **values)
        for pk, values in wanted.items()
        if pk in existing and existing[pk] != values
    ]
    SearchDocument.objects.bulk_update(changed, list(SEARCH_FIELDS), batch_size=200)
