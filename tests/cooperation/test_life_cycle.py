"""The life cycle (issue 7 item 5): the stages people use, "in force" and "expired" derived
from the validity and the clock, and "no progress" that leaves monitored agreements alone."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from cooperation.models import Agreement, Evaluation, FollowUp, FollowUpOccurrence
from tests.helpers import assert_database_refuses, html

Stage = Agreement.Stage


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def days(today):
    return lambda n: today + datetime.timedelta(days=n)


@pytest.fixture
def running(make_agreement, days):
    """A PKS in implementation, signed more than a year ago, valid for another year."""

    def make(**fields):
        fields = {
            "kind": Agreement.Kind.COOPERATION_AGREEMENT,
            "stage": Stage.IMPLEMENTATION,
            "date": days(-400),
            "valid_from": days(-390),
            "valid_until": days(365),
            **fields,
        }
        return make_agreement(**fields)

    return make


def in_force(agreement):
    return Agreement.objects.in_force().filter(pk=agreement.pk).exists()


# --- Stages ---------------------------------------------------------------------------------


def test_expired_is_never_a_stored_stage(make_agreement):
    agreement = make_agreement()
    agreement.stage = "ended"

    assert "ended" not in Stage.values and "expired" not in Stage.values
    assert_database_refuses(agreement)


def test_the_new_stages_are_kept(make_agreement):
    for stage in (Stage.IN_RENEWAL, Stage.SUSPENDED, Stage.TERMINATED):
        agreement = make_agreement(stage=stage)
        agreement.full_clean()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_ended_stage_is_migrated_to_what_it_meant_and_back():
    before = [("cooperation", "0021_remove_agreement_follows_from")]
    after = [("cooperation", "0022_life_cycle_stages")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        OldAgreement = executor.loader.project_state(before).apps.get_model(
            "cooperation", "Agreement"
        )
        day = datetime.date(2023, 1, 1)
        for slug, kind, valid_until in [
            ("pertemuan", "exploratory_meeting", None),
            ("ksb-berakhir", "joint_agreement", datetime.date(2024, 1, 1)),
            ("pks-berakhir", "cooperation_agreement", datetime.date(2024, 1, 1)),
            ("pks-tanpa-akhir", "cooperation_agreement", None),
        ]:
            OldAgreement.objects.create(
                slug=slug, title=slug, kind=kind, stage="ended", date=day, valid_until=valid_until
            )
        OldAgreement.objects.create(
            slug="berjalan", title="berjalan", kind="joint_agreement", stage="implementation"
        )

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        stages = dict(Agreement.objects.values_list("slug", "stage"))
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        back = dict(OldAgreement.objects.values_list("slug", "stage"))

        assert stages == {
            "pertemuan": "exploration",
            "ksb-berakhir": "joint_agreement_signed",
            "pks-berakhir": "cooperation_agreement_signed",
            "pks-tanpa-akhir": "terminated",
            "berjalan": "implementation",
        }
        assert back["pks-tanpa-akhir"] == "ended"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


# --- In force and expired -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, True),
        ({"stage": Stage.IN_RENEWAL}, True),
        ({"stage": Stage.JOINT_AGREEMENT_SIGNED, "kind": Agreement.Kind.JOINT_AGREEMENT}, True),
        ({"valid_from": None, "valid_until": None}, True),  # from its date, open-ended
        ({"stage": Stage.SUSPENDED}, False),
        ({"stage": Stage.TERMINATED}, False),
        ({"stage": Stage.EXPLORATION}, False),
        ({"valid_until": "yesterday"}, False),
        ({"valid_from": "tomorrow"}, False),
    ],
)
def test_in_force_follows_the_stage_and_the_validity(running, days, fields, expected):
    when = {"yesterday": days(-1), "tomorrow": days(1)}
    agreement = running(**{k: when.get(v, v) for k, v in fields.items()})

    assert in_force(agreement) is expected
    assert Agreement.objects.get(pk=agreement.pk).is_in_force is expected


@pytest.mark.parametrize(
    ("type", "published", "expected"),
    [
        ("terminates", True, False),
        ("replaces", True, False),
        ("terminates", False, True),  # a draft ends nothing yet
        ("renews", True, True),  # the renewal starts when this one's validity ends
        ("amends", True, True),
    ],
)
def test_a_published_later_agreement_that_ends_it_takes_it_out_of_force(
    running, make_agreement, make_relation, days, type, published, expected
):
    agreement = running()
    make_relation(make_agreement(date=days(-10), is_published=published), agreement, type=type)

    assert in_force(agreement) is expected


def test_validity_is_derived_from_the_validity_end_and_the_clock(running, days, clock):
    agreement = running(valid_until=days(10))

    assert Agreement.objects.get(pk=agreement.pk).validity == "in_force"
    clock.move_to(days(11))
    assert Agreement.objects.get(pk=agreement.pk).validity == "expired"
    assert Agreement.objects.get(pk=agreement.pk).get_validity_display() == "expired"
    Agreement.objects.filter(pk=agreement.pk).update(stage=Stage.TERMINATED)
    assert Agreement.objects.get(pk=agreement.pk).validity == ""


def test_the_list_and_the_page_show_the_derived_status(client, running, days):
    current = running(title="Masih berlaku")
    expired = running(title="Sudah lewat", valid_until=days(-1))

    listing = html(client.get(reverse("cooperation:agreement_list"), HTTP_ACCEPT_LANGUAGE="id"))
    page = html(client.get(current.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    expired_page = html(client.get(expired.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id"))

    assert '<span class="badge badge-validity-in-force">berlaku</span>' in listing
    assert '<span class="badge badge-validity-expired">berakhir</span>' in listing
    assert '<span class="badge badge-validity-in-force">in force</span>' in page
    assert '<span class="badge badge-validity-expired">berakhir</span>' in expired_page


def test_the_list_filters_in_force_and_the_new_stages(client, running, days):
    running(title="Berlaku")
    running(title="Ditangguhkan", stage=Stage.SUSPENDED)
    running(title="Lewat", valid_until=days(-1))

    def titles(**params):
        response = client.get(reverse("cooperation:agreement_list"), params)
        return sorted(a.title for a in response.context["page_obj"].object_list)

    assert titles(in_force="on") == ["Berlaku"]
    assert titles(stage="suspended") == ["Ditangguhkan"]
    assert titles() == ["Berlaku", "Ditangguhkan", "Lewat"]


@pytest.mark.parametrize("rows", [1, 30])
def test_the_filtered_list_query_count_does_not_grow(
    client, running, django_assert_num_queries, rows
):
    for _ in range(rows):
        running()
    # count, page, parties, sectors, the sector and country choices, facets (stage, kind,
    # category; sectors): as the unfiltered list
    with django_assert_num_queries(8):
        client.get(
            reverse("cooperation:agreement_list"), {"in_force": "on", "stage": "implementation"}
        )


def test_evaluation_due_counts_only_agreements_in_force(
    running, make_agreement, make_relation, days
):
    due = running(title="Perlu evaluasi", stage=Stage.IN_RENEWAL)
    ended = running(title="Diakhiri")
    make_relation(make_agreement(date=days(-5)), ended, type="terminates")
    running(title="Ditangguhkan", stage=Stage.SUSPENDED)

    assert list(Agreement.objects.evaluation_due()) == [due]


# --- No progress ----------------------------------------------------------------------------


def evaluate(agreement, on):
    return Evaluation.objects.create(
        agreement=agreement,
        year=on.year,
        period="year",
        evaluated_on=on,
        evaluator=agreement.parties.first().organisation,
        assessment="on_track",
    )


def stalled(agreement):
    return Agreement.objects.stalled().filter(pk=agreement.pk).exists()


def test_an_agreement_in_force_and_being_evaluated_is_not_stalled(running, days):
    monitored = running()
    evaluate(monitored, days(-30))
    unmonitored = running()
    evaluate(unmonitored, days(-300))  # long ago

    assert not stalled(monitored)
    assert stalled(unmonitored)


def test_a_done_occurrence_of_a_recurring_follow_up_is_progress(running, make_follow_up, days):
    monitored = running()
    follow_up = make_follow_up(
        monitored,
        due_date=days(-390),
        recurrence=FollowUp.Recurrence.MONTHLY,
        recurs_until=days(300),
    )
    FollowUpOccurrence.objects.filter(follow_up=follow_up, due_date__lte=days(-20)).update(
        done_on=days(-20)
    )

    assert FollowUpOccurrence.objects.filter(follow_up=follow_up, done_on__isnull=False).exists()
    assert not stalled(monitored)


@pytest.mark.parametrize(
    "fields",
    [{"stage": Stage.SUSPENDED}, {"stage": Stage.TERMINATED}, {"valid_until": "yesterday"}],
)
def test_an_agreement_that_has_ended_or_is_suspended_is_not_stalled(running, days, fields):
    when = {"yesterday": days(-1)}

    assert not stalled(running(**{k: when.get(v, v) for k, v in fields.items()}))


def test_the_page_says_in_plain_words_why_it_counts_as_stalled_or_not(client, running, days):
    quiet = running(title="Sepi")
    monitored = running(title="Dipantau")
    evaluate(monitored, days(-30))

    quiet_page = html(client.get(quiet.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    monitored_page = html(client.get(monitored.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    indonesian = html(client.get(monitored.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id"))

    assert "Without progress: dated 6 months ago or more" in quiet_page
    assert "it is in force and being monitored (evaluated in the last 6 months)" in monitored_page
    assert "sedang dipantau" in indonesian
