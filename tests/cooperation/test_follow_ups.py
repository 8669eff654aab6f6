"""Follow-ups that fit real work: several responsible organisations, a due date with a
precision, a recurrence whose occurrences are each marked done, a date done for what is done,
undated actions last."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from cooperation.models import FollowUp, FollowUpOccurrence
from cooperation.services import follow_up_schedule
from tests.helpers import assert_database_refuses, clean_errors, constraint_errors, html

pytestmark = pytest.mark.django_db

ALL = "__all__"
D = datetime.date


@pytest.fixture(autouse=True)
def in_english(english):
    """Validation messages in English."""


def follow_up(agreement, **fields):
    return FollowUp(agreement=agreement, action=fields.pop("action", "Monitoring"), **fields)


# --- Several responsible organisations ----------------------------------------------------


def test_a_follow_up_has_several_responsible_organisations_each_finds_it(
    client, make_agreement, make_follow_up, make_organisation
):
    dlh_a, dlh_b, other = make_organisation(), make_organisation(), make_organisation()
    make_follow_up(make_agreement(), action="Pengelolaan TPAS bersama", responsible=[dlh_a, dlh_b])
    make_follow_up(make_agreement(), action="Lain", responsible=other)

    for organisation in (dlh_a, dlh_b):
        listed = html(
            client.get(reverse("cooperation:followup_list"), {"responsible": organisation.slug})
        )
        assert "Pengelolaan TPAS bersama" in listed and "Lain" not in listed
        page = html(client.get(organisation.get_absolute_url()))
        assert "Pengelolaan TPAS bersama" in page
    every = html(client.get(reverse("cooperation:followup_list")))
    assert f">{dlh_a.name}</a>, <a" in every and dlh_b.name in every


# --- Due date with a precision ------------------------------------------------------------


@pytest.mark.parametrize(
    ("precision", "typed", "kept", "in_indonesian", "in_english_words"),
    [
        (
            "day",
            D(2026, 12, 4),
            D(2026, 12, 4),
            "Jumat, 4 Desember 2026",
            "Friday, 4 December 2026",
        ),
        ("month", D(2026, 12, 4), D(2026, 12, 31), "Desember 2026", "December 2026"),
        ("month", D(2028, 2, 3), D(2028, 2, 29), "Februari 2028", "February 2028"),
        ("quarter", D(2026, 11, 4), D(2026, 12, 31), "triwulan IV 2026", "Q4 2026"),
        ("quarter", D(2026, 4, 1), D(2026, 6, 30), "triwulan II 2026", "Q2 2026"),
        ("year", D(2026, 3, 4), D(2026, 12, 31), "2026", "2026"),
    ],
)
def test_a_due_date_is_kept_as_its_period_s_end_and_said_as_people_say_it(
    make_agreement, precision, typed, kept, in_indonesian, in_english_words
):
    action = follow_up(make_agreement(), due_date=typed, due_precision=precision)
    action.full_clean()
    action.save()

    assert action.due_date == kept
    with translation.override("id"):
        assert action.due_label == in_indonesian
    assert action.due_label == in_english_words


def test_the_database_refuses_a_month_that_is_not_kept_as_its_last_day(make_agreement):
    action = follow_up(make_agreement(), due_date=D(2026, 12, 4), due_precision="month")

    message = "A due date of a month, quarter or year is kept as the period's last day."
    assert message in constraint_errors(action)[ALL]
    assert_database_refuses(action)


@pytest.mark.parametrize(
    ("today_is", "overdue"),
    [(D(2026, 12, 15), False), (D(2026, 12, 31), False), (D(2027, 1, 1), True)],
)
def test_a_follow_up_due_in_a_month_is_overdue_only_after_the_month(
    clock, make_agreement, make_follow_up, today_is, overdue
):
    action = make_follow_up(make_agreement(), due_date=D(2026, 12, 31), due_precision="month")
    clock.move_to(today_is)

    assert action.is_overdue is overdue
    assert FollowUp.objects.overdue().filter(pk=action.pk).exists() is overdue


def test_the_follow_up_list_says_the_due_month_as_people_say_it(
    client, make_agreement, make_follow_up
):
    make_follow_up(make_agreement(), due_date=D(2026, 12, 31), due_precision="quarter")

    page = html(client.get(reverse("cooperation:followup_list"), HTTP_ACCEPT_LANGUAGE="id"))
    assert '<time datetime="2026-12-31">triwulan IV 2026</time>' in page


# --- Done needs its date; undated last ----------------------------------------------------


def test_a_follow_up_that_is_done_needs_the_date_it_was_done(make_agreement):
    action = follow_up(make_agreement(), status=FollowUp.Status.DONE)

    message = "A follow-up that is done needs the date it was done."
    assert message in clean_errors(action)["done_on"]
    assert message in constraint_errors(action)[ALL]
    assert_database_refuses(action)


def test_undated_follow_ups_are_listed_after_the_dated_ones(
    client, make_agreement, make_follow_up, today
):
    agreement = make_agreement()
    make_follow_up(agreement, action="Tanpa tanggal")
    make_follow_up(agreement, action="Nanti", due_date=today + datetime.timedelta(days=40))
    make_follow_up(agreement, action="Segera", due_date=today + datetime.timedelta(days=4))

    listed = client.get(reverse("cooperation:followup_list")).context["page_obj"].object_list
    on_page = [f.action for f in agreement.follow_ups.all()]
    assert [f.action for f in listed] == on_page == ["Segera", "Nanti", "Tanpa tanggal"]


# --- Recurrence -------------------------------------------------------------------------


def test_a_monthly_follow_up_has_an_occurrence_each_month_of_the_validity(
    make_agreement, make_follow_up
):
    agreement = make_agreement(valid_from=D(2026, 1, 1), valid_until=D(2027, 12, 31))
    action = make_follow_up(
        agreement, due_date=D(2026, 1, 31), due_precision="month", recurrence="monthly"
    )

    dates = list(action.occurrences.values_list("due_date", flat=True))
    assert len(dates) == 24
    assert dates[:3] == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)]
    assert dates[-1] == D(2027, 12, 31)


@pytest.mark.parametrize(
    ("recurrence", "count", "second"),
    [
        ("quarterly", 8, D(2026, 6, 30)),
        ("semester", 4, D(2026, 9, 30)),
        ("yearly", 2, D(2027, 3, 31)),
    ],
)
def test_a_recurrence_steps_by_its_interval_up_to_its_own_end(
    make_agreement, make_follow_up, recurrence, count, second
):
    agreement = make_agreement(valid_until=D(2030, 12, 31))
    action = make_follow_up(
        agreement,
        due_date=D(2026, 3, 31),
        due_precision="month",
        recurrence=recurrence,
        recurs_until=D(2027, 12, 31),
    )

    dates = list(action.occurrences.values_list("due_date", flat=True))
    assert len(dates) == count and dates[1] == second


def test_each_occurrence_is_marked_done_on_its_own_and_the_rest_can_be_overdue(
    clock, make_agreement, make_follow_up
):
    agreement = make_agreement(valid_until=D(2026, 6, 30))
    action = make_follow_up(
        agreement, due_date=D(2026, 1, 31), due_precision="month", recurrence="monthly"
    )
    january, february, *_ = action.occurrences.all()
    january.done_on = D(2026, 1, 28)
    january.save()
    clock.move_to(D(2026, 2, 15))

    action = FollowUp.objects.with_list_data().get(pk=action.pk)
    assert not action.is_overdue and action.next_occurrence == february
    assert not FollowUp.objects.overdue().exists()
    clock.move_to(D(2026, 3, 1))
    action = FollowUp.objects.with_list_data().get(pk=action.pk)
    assert action.is_overdue and action.occurrences_done == 1
    assert list(FollowUp.objects.overdue()) == [action]
    assert list(FollowUp.objects.due_within(30, on=D(2026, 3, 1))) == [action]


def test_rescheduling_keeps_the_occurrences_that_are_done(make_agreement, make_follow_up):
    agreement = make_agreement(valid_until=D(2026, 12, 31))
    action = make_follow_up(
        agreement, due_date=D(2026, 3, 31), due_precision="month", recurrence="quarterly"
    )
    first = action.occurrences.first()
    first.done_on = D(2026, 3, 30)
    first.save()

    action.recurrence, action.due_date, action.due_precision = "semester", D(2026, 6, 30), "month"
    action.save()
    follow_up_schedule(action)

    assert list(action.occurrences.values_list("due_date", "done_on")) == [
        (D(2026, 3, 31), D(2026, 3, 30)),
        (D(2026, 6, 30), None),
        (D(2026, 12, 31), None),
    ]
    # September is no longer in the schedule: its removal is kept in the history.
    assert FollowUpOccurrence.history.filter(history_type="-").count() == 1


def test_a_recurring_follow_up_needs_a_first_due_date(make_agreement):
    action = follow_up(make_agreement(valid_until=D(2027, 1, 1)), recurrence="monthly")

    assert "first occurrence" in clean_errors(action)["due_date"][0]
    assert "first occurrence" in constraint_errors(action)[ALL][0]
    assert_database_refuses(action)


def test_a_recurring_follow_up_is_due_no_coarser_than_it_recurs(make_agreement):
    action = follow_up(
        make_agreement(valid_until=D(2027, 1, 1)),
        recurrence="monthly",
        due_precision="quarter",
        due_date=D(2026, 3, 31),
    )

    assert "does not fit the recurrence" in clean_errors(action)["due_precision"][0]
    assert_database_refuses(action)


def test_a_recurring_follow_up_needs_an_end(make_agreement):
    action = follow_up(make_agreement(), recurrence="yearly", due_date=D(2026, 3, 31))

    assert "until when it recurs" in clean_errors(action)["recurs_until"][0]


def test_only_a_recurring_follow_up_recurs_until_a_date_after_its_first(make_agreement):
    one_off = follow_up(make_agreement(), due_date=D(2026, 3, 31), recurs_until=D(2027, 1, 1))
    backwards = follow_up(
        make_agreement(), recurrence="yearly", due_date=D(2026, 3, 31), recurs_until=D(2026, 1, 1)
    )

    assert "Only a recurring follow-up" in clean_errors(one_off)["recurs_until"][0]
    assert "before the first occurrence" in clean_errors(backwards)["recurs_until"][0]
    assert_database_refuses(one_off)
    assert_database_refuses(backwards)


def test_a_recurrence_has_a_bounded_number_of_occurrences(make_agreement):
    action = follow_up(
        make_agreement(), recurrence="monthly", due_date=D(2026, 1, 31), recurs_until=D(2040, 1, 1)
    )

    assert "more than 120 occurrences" in clean_errors(action)["recurs_until"][0]


def test_the_agreement_page_lists_each_occurrence_and_what_is_done(
    client, make_agreement, make_follow_up, clock
):
    clock.move_to(D(2026, 3, 15))
    agreement = make_agreement(valid_until=D(2026, 4, 30))
    action = make_follow_up(
        agreement,
        action="Monitoring bulanan",
        due_date=D(2026, 1, 31),
        due_precision="month",
        recurrence="monthly",
    )
    action.occurrences.filter(due_date=D(2026, 1, 31)).update(done_on=D(2026, 1, 30))

    page = html(client.get(agreement.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Monthly · next" in page and "1 of 4 done" in page
    assert '<time datetime="2026-01-31">January 2026</time>: done' in page
    assert '<li class="overdue"><time datetime="2026-02-28">February 2026</time>: overdue' in page
    assert '<time datetime="2026-04-30">April 2026</time>: not done yet' in page
