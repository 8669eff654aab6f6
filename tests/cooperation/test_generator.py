"""``manage.py generate_catalogue``: a synthetic catalogue for benchmarks, deterministic for a
seed, shaped like a national one."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from cooperation.generator import END, SLUG_PREFIX, START
from cooperation.models import Agreement, AgreementRelation, FollowUp, Participant, Party
from regions.models import Organisation, Region, Tenure

SIZE = 300


@pytest.fixture
def regions(db, settings):
    settings.DEBUG = True  # the command refuses to run with debug off unless forced
    call_command("loaddata", "regions", "sectors", verbosity=0)


def generate(agreements=SIZE, seed=7, **options):
    call_command(
        "generate_catalogue", agreements=agreements, seed=seed, stdout=io.StringIO(), **options
    )


def fingerprint():
    """The generated catalogue by natural keys (primary keys left out)."""
    agreements = list(
        Agreement.objects.order_by("slug").values_list(
            "slug",
            "title",
            "summary",
            "kind",
            "stage",
            "date",
            "valid_until",
            "venue",
            "venue_region__code",
            "is_published",
        )
    )
    parties = sorted(Party.objects.values_list("agreement__slug", "organisation__slug", "role"))
    relations = sorted(
        AgreementRelation.objects.values_list("agreement__slug", "type", "earlier__slug")
    )
    participants = sorted(
        Participant.objects.values_list(
            "agreement__slug", "person__slug", "position__slug", "role"
        ),
        key=str,
    )
    follow_ups = sorted(
        FollowUp.objects.values_list(
            "agreement__slug",
            "action",
            "status",
            "due_date",
            "recurrence",
            "done_on",
            "responsible_organisations__slug",
        ),
        key=str,
    )
    sectors = sorted(Agreement.sectors.through.objects.values_list("agreement__slug", "sector"))
    return agreements, parties, participants, follow_ups, sectors, relations


def generated_twice(first_seed, second_seed):
    fingerprints = []
    for seed in (first_seed, second_seed):
        with transaction.atomic():
            generate(seed=seed)
            fingerprints.append(fingerprint())
            transaction.set_rollback(True)
    return fingerprints


def test_the_same_seed_generates_the_same_catalogue(regions):
    first, second = generated_twice(7, 7)
    assert len(first[0]) == SIZE
    assert first == second


def test_another_seed_generates_another_catalogue(regions):
    first, second = generated_twice(7, 8)
    assert first[0] != second[0]


def test_the_catalogue_has_the_shape_of_a_national_one(regions):
    generate()
    agreements = Agreement.objects.filter(slug__startswith=SLUG_PREFIX)
    assert agreements.count() == SIZE
    # Sizes per agreement as in a national catalogue (issue 8: 2.5 parties, 4 participants,
    # 3 follow-ups; every region has its government).
    assert 2.2 <= Party.objects.count() / SIZE <= 2.8
    assert 3.4 <= Participant.objects.count() / SIZE <= 4.6
    assert 2.5 <= FollowUp.objects.count() / SIZE <= 3.5
    governments = Organisation.objects.filter(kind=Organisation.Kind.REGIONAL_GOVERNMENT)
    # A government for every province, regency and city; none for a district.
    assert set(governments.values_list("region", flat=True)) >= set(
        Region.objects.exclude(kind=Region.Kind.DISTRICT).values_list("pk", flat=True)
    )
    # Every kind, stage and category; a tenth unpublished; chains of related agreements.
    assert set(agreements.values_list("kind", flat=True)) == set(Agreement.Kind.values)
    assert set(agreements.values_list("stage", flat=True)) == set(Agreement.Stage.values)
    categories = Counter(agreements.with_category().values_list("category_code", flat=True))
    assert set(categories) == set(Agreement.Category.values)
    assert 0.04 <= agreements.filter(is_published=False).count() / SIZE <= 0.18
    relations = AgreementRelation.objects.filter(agreement__in=agreements)
    assert relations.values("agreement").distinct().count() >= SIZE / 5
    assert all(
        r.agreement.date > r.earlier.date for r in relations.select_related("agreement", "earlier")
    )
    assert set(relations.values_list("type", flat=True)) == {"follows_up", "implements", "amends"}
    dates = agreements.values_list("date", flat=True)
    assert START <= min(dates) and max(dates) <= END
    assert agreements.filter(parties__isnull=True).count() == 0
    # The derived data is complete (bulk inserts send no signals; the command rebuilds it).
    call_command("rebuild_derived", check=True, stdout=io.StringIO())
    # The words a search must cope with.
    for text in ("persampahan", "berinvestasi", "penandatanganan", "kerjasama", "kerja sama"):
        assert agreements.search(text).exists(), text


def test_each_named_participant_held_the_post_on_the_day(regions):
    generate(agreements=60)
    participants = Participant.objects.filter(person__isnull=False).select_related("agreement")
    for participant in participants:
        held = Tenure.objects.filter(position=participant.position_id).held_on(
            participant.agreement.date
        )
        assert list(held.values_list("person", flat=True)) == [participant.person_id]


def test_it_refuses_to_generate_into_a_generated_catalogue(regions):
    generate(agreements=10)
    with pytest.raises(CommandError, match="already holds a generated catalogue"):
        generate(agreements=10)


def test_it_refuses_to_run_with_debug_off_unless_forced(regions, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        generate(agreements=10)
    generate(agreements=10, force=True)
    assert Agreement.objects.count() == 10
