"""Monitoring and evaluation (monev): evaluation records per agreement, the latest on the
agreement's page, and agreements in force with no evaluation in the last six months (home page,
list filter, reminders)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from cooperation.models import Agreement, Document, Evaluation
from tests.helpers import PDF, assert_database_refuses, clean_errors, constraint_errors, html

pytestmark = pytest.mark.django_db

ALL = "__all__"
D = datetime.date


@pytest.fixture(autouse=True)
def in_english(english):
    """Validation messages in English."""


@pytest.fixture
def in_force(make_agreement):
    """A cooperation agreement in implementation, valid 2025 to 2027."""

    def make(**fields):
        fields = {
            "kind": Agreement.Kind.COOPERATION_AGREEMENT,
            "stage": Agreement.Stage.IMPLEMENTATION,
            "date": D(2025, 1, 6),
            "valid_from": D(2025, 1, 6),
            "valid_until": D(2027, 1, 5),
            **fields,
        }
        return make_agreement(**fields)

    return make


def evaluation(agreement, **fields):
    fields = {
        "year": 2025,
        "period": Evaluation.Period.FIRST_SEMESTER,
        "evaluated_on": D(2025, 7, 15),
        "assessment": Evaluation.Assessment.ON_TRACK,
        **fields,
    }
    return Evaluation(agreement=agreement, **fields)


def saved(agreement, **fields):
    record = evaluation(agreement, **fields)
    record.full_clean()
    record.save()
    return record


# --- Rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "in_indonesian", "in_english_words"),
    [
        ("semester_1", "Semester I 2025", "H1 2025"),
        ("semester_2", "Semester II 2025", "H2 2025"),
        ("year", "2025", "2025"),
    ],
)
def test_an_evaluation_s_period_is_said_as_people_say_it(
    in_force, period, in_indonesian, in_english_words
):
    record = evaluation(in_force(), period=period, evaluated_on=D(2026, 1, 20))

    with translation.override("id"):
        assert record.period_label == in_indonesian
    assert record.period_label == in_english_words


def test_a_period_is_evaluated_once_it_has_begun(in_force):
    second_half = evaluation(in_force(), period="semester_2", evaluated_on=D(2025, 6, 30))
    year_before = evaluation(in_force(), period="year", evaluated_on=D(2024, 12, 31))

    message = "A period is evaluated once it has begun, not before."
    assert message in clean_errors(second_half)["evaluated_on"]
    assert message in constraint_errors(year_before)[ALL]
    assert_database_refuses(year_before)


def test_an_evaluation_is_not_dated_in_the_future(in_force, today):
    record = evaluation(
        in_force(), year=today.year, period="year", evaluated_on=today + datetime.timedelta(1)
    )

    assert "cannot be in the future" in clean_errors(record)["evaluated_on"][0]


def test_an_assessment_is_one_of_the_four(in_force):
    record = evaluation(in_force(), assessment="excellent")

    assert "assessment" in clean_errors(record)
    assert "Choose a valid assessment." in constraint_errors(record)[ALL]
    assert_database_refuses(record)


def test_an_organisation_evaluates_a_period_once(in_force, make_organisation):
    agreement, bagian = in_force(), make_organisation()
    saved(agreement, evaluator=bagian)

    again = evaluation(agreement, evaluator=bagian, evaluated_on=D(2025, 8, 1))
    assert "already evaluated the agreement for this period" in clean_errors(again)[ALL][0]
    assert_database_refuses(again)


def test_evidence_and_follow_ups_belong_to_an_evaluation_of_the_same_agreement(
    in_force, make_follow_up
):
    record = saved(in_force())
    other = in_force()
    document = Document(
        agreement=other,
        evaluation=record,
        type=Document.Type.OTHER,
        title="Laporan monev",
        file=ContentFile(PDF, name="monev.pdf"),
    )
    follow_up = make_follow_up(other)
    follow_up.evaluation = record

    message = "Choose an evaluation of the same agreement."
    assert message in clean_errors(document)["evaluation"]
    assert message in clean_errors(follow_up)["evaluation"]


# --- Evaluation due -----------------------------------------------------------------------


def test_an_agreement_in_force_with_no_evaluation_for_six_months_is_due_one(
    clock, in_force, make_agreement
):
    clock.move_to(D(2026, 3, 1))
    never = in_force(title="Belum pernah")
    old = in_force(title="Lama")
    saved(old, evaluated_on=D(2025, 8, 31))
    recent = in_force(title="Baru dievaluasi")
    saved(recent, period="year", evaluated_on=D(2026, 1, 15))
    in_force(title="Baru berlaku", valid_from=D(2025, 11, 1), date=D(2025, 11, 1))
    in_force(title="Sudah berakhir", valid_until=D(2026, 2, 28))
    in_force(title="Dihentikan", stage=Agreement.Stage.TERMINATED)
    make_agreement(title="Penjajakan", kind="working_visit", stage="exploration")

    due = Agreement.objects.evaluation_due()
    assert sorted(due.values_list("title", flat=True)) == ["Belum pernah", "Lama"]
    assert due.get(pk=never.pk).last_evaluated_on is None
    assert due.get(pk=old.pk).last_evaluated_on == D(2025, 8, 31)


def test_the_home_page_and_the_list_show_the_agreements_due_an_evaluation(client, clock, in_force):
    clock.move_to(D(2026, 3, 1))
    in_force(title="Perlu monev")
    saved(in_force(title="Sudah monev"), period="year", evaluated_on=D(2026, 1, 15))

    home = html(client.get(reverse("cooperation:home"), HTTP_ACCEPT_LANGUAGE="en"))
    section = home[home.index('id="evaluation-due"') :]
    section = section[: section.index("</section>")]
    assert "Perlu monev" in section and "never evaluated" in section
    assert "Sudah monev" not in section
    listed = client.get(reverse("cooperation:agreement_list"), {"evaluation_due": "on"})
    assert [a.title for a in listed.context["page_obj"].object_list] == ["Perlu monev"]


# --- The agreement page -------------------------------------------------------------------


def test_the_agreement_page_shows_the_latest_evaluation_and_the_earlier_ones(
    client, settings, tmp_path, in_force, make_organisation, make_follow_up
):
    settings.MEDIA_ROOT = tmp_path
    agreement = in_force()
    bagian = make_organisation(name="Bagian Kerja Sama Setda")
    saved(agreement, assessment="delayed", evaluated_on=D(2025, 7, 20))
    latest = saved(
        agreement,
        period="semester_2",
        evaluated_on=D(2026, 1, 20),
        evaluator=bagian,
        assessment="on_track",
        implemented="Pengangkutan sampah 120 ton per hari.",
        problems="Armada terbatas.",
        recommendation="Menambah dua truk.",
    )
    Document.objects.create(
        agreement=agreement,
        evaluation=latest,
        type=Document.Type.OTHER,
        title="Laporan monev semester II",
        file=ContentFile(PDF, name="monev.pdf"),
        content_type="application/pdf",
    )
    make_follow_up(agreement, action="Pengadaan dua truk", evaluation=latest)

    page = html(client.get(agreement.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    section = page[page.index('id="evaluations"') :]
    assert "Latest evaluation: H2 2025" in section
    for text in (
        "On track",
        "Bagian Kerja Sama Setda",
        "Pengangkutan sampah 120 ton per hari.",
        "Armada terbatas.",
        "Menambah dua truk.",
        "Laporan monev semester II",
        "Pengadaan dua truk",
    ):
        assert text in section
    earlier = section[section.index("Earlier evaluations") :]
    assert "H1 2025" in earlier and "delayed" in earlier
    indonesian = html(client.get(agreement.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id"))
    assert "Semester II 2025" in indonesian


def test_an_agreement_with_no_evaluation_says_so(client, in_force):
    page = html(client.get(in_force().get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert "No evaluation recorded." in page


@pytest.mark.parametrize("rows", [1, 8])
def test_agreement_page_queries_do_not_grow_with_evaluations(
    client,
    settings,
    tmp_path,
    in_force,
    make_organisation,
    make_follow_up,
    django_assert_num_queries,
    rows,
):
    settings.MEDIA_ROOT = tmp_path
    agreement = in_force()
    for day in range(1, rows + 1):
        record = saved(agreement, evaluator=make_organisation(), evaluated_on=D(2025, 7, day))
        Document.objects.create(
            agreement=agreement,
            evaluation=record,
            type=Document.Type.OTHER,
            title="Laporan monev",
            file=ContentFile(PDF, name="monev.pdf"),
            content_type="application/pdf",
        )
        make_follow_up(agreement, action=f"Tindak lanjut monev {day}", evaluation=record)
    # the agreement page's queries (tests/cooperation/test_views.py): the evaluations'
    # evidence and follow-ups are read from the agreement's documents and follow-ups
    with django_assert_num_queries(12):
        response = client.get(agreement.get_absolute_url())
    assert response.content.decode().count("Laporan monev") >= rows
    latest = response.context["agreement"].evaluations.all()[0]
    assert [d.title for d in latest.evidence] == ["Laporan monev"]
    assert [f.action for f in latest.recommended_follow_ups] == [f"Tindak lanjut monev {rows}"]
