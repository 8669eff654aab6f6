"""Rules of agreements, parties, participants, follow-ups and citations: the message a user
sees from ``full_clean()`` and the database's own refusal when ``clean()`` is bypassed; the
derived category; overdue follow-ups."""

import datetime

import pytest

from cooperation.models import Agreement, Citation, FollowUp, Participant, Party
from tests.helpers import assert_database_refuses, clean_errors, constraint_errors

pytestmark = pytest.mark.django_db

ALL = "__all__"


@pytest.fixture(autouse=True)
def in_english(english):
    """Validation messages in English."""


def new_agreement(**fields):
    fields = {
        "slug": "kerja-sama-baru",
        "title": "Kerja sama baru",
        "kind": Agreement.Kind.JOINT_AGREEMENT,
        "stage": Agreement.Stage.JOINT_AGREEMENT_SIGNED,
        **fields,
    }
    return Agreement(**fields)


# --- Agreement ----------------------------------------------------------------------------


def test_a_valid_agreement_passes_full_clean():
    new_agreement(
        valid_from=datetime.date(2025, 10, 24), valid_until=datetime.date(2030, 10, 24)
    ).full_clean()


def test_an_agreement_cannot_be_valid_until_before_it_starts():
    agreement = new_agreement(
        valid_from=datetime.date(2025, 10, 24), valid_until=datetime.date(2025, 1, 1)
    )

    message = "An agreement cannot be valid until a date before it starts."
    assert message in clean_errors(agreement)["valid_until"]
    assert message in constraint_errors(agreement)[ALL]
    assert_database_refuses(agreement)


@pytest.mark.parametrize(("field", "value"), [("kind", "treaty"), ("stage", "dreaming")])
def test_agreement_kind_and_stage_must_be_valid(field, value):
    agreement = new_agreement(**{field: value})

    assert f"Value '{value}' is not a valid choice." in clean_errors(agreement)[field]
    assert_database_refuses(agreement)


def test_agreement_slugs_are_unique(make_agreement):
    make_agreement(slug="ksb-banten-bengkulu")
    duplicate = new_agreement(slug="ksb-banten-bengkulu")

    assert "Agreement with this Slug already exists." in clean_errors(duplicate)["slug"]
    assert_database_refuses(duplicate)


# --- The derived category -------------------------------------------------------------------


def category(agreement):
    """The category both ways: the rule (the ``with_category()`` annotation) and the value
    stored on the agreement, which its parties' saves keep equal to it."""
    derived = Agreement.objects.with_category().get(pk=agreement.pk)
    assert derived.category == derived.category_code
    agreement.refresh_from_db()
    return agreement.category


def test_two_regional_governments_make_a_ksdd(make_agreement, make_government):
    agreement = make_agreement(parties=[make_government(), make_government()])

    assert category(agreement) == Agreement.Category.KSDD
    assert agreement.get_category_display() == "KSDD: with another Indonesian region"


def test_an_agency_of_a_regional_government_still_makes_a_ksdd(
    make_agreement, make_government, make_organisation
):
    kota_serang = make_government()
    bappeda = make_organisation(
        name="Bappeda Litbang Kabupaten Serang", kind="regional_agency", parent=make_government()
    )

    agreement = make_agreement(parties=[kota_serang, bappeda])

    assert category(agreement) == Agreement.Category.KSDD


def test_a_regional_parliament_is_a_regional_party_and_still_makes_a_ksdd(
    make_agreement, make_government, make_organisation
):
    dprd = make_organisation(name="DPRD Kabupaten Serang", kind="regional_parliament")

    agreement = make_agreement(parties=[make_government(), dprd])

    assert category(agreement) == Agreement.Category.KSDD


def test_a_company_makes_a_ksdpk(make_agreement, make_government, make_organisation):
    company = make_organisation(name="PT Contoh", kind="company")

    agreement = make_agreement(parties=[make_government(), company])

    assert category(agreement) == Agreement.Category.KSDPK


def test_a_foreign_regional_government_makes_a_ksdpl(
    make_agreement, make_government, make_organisation
):
    guangdong = make_organisation(name="Guangdong", kind="regional_government", country="CN")

    agreement = make_agreement(parties=[make_government(), guangdong])

    assert category(agreement) == Agreement.Category.KSDPL


def test_a_foreign_institution_makes_a_ksdll(make_agreement, make_government, make_organisation):
    iastic = make_organisation(name="IASTIC Beijing", kind="institution", country="CN")

    agreement = make_agreement(parties=[(make_government(), "host"), (iastic, "visitor")])

    assert category(agreement) == Agreement.Category.KSDLL


def test_an_organiser_or_facilitator_does_not_change_the_category(
    make_agreement, make_government, make_organisation
):
    apkasi = make_organisation(name="Apkasi", kind="association")
    company = make_organisation(name="PT Fasilitator", kind="company")
    embassy = make_organisation(name="Kedutaan", kind="institution", country="CN")

    agreement = make_agreement(
        parties=[
            make_government(),
            make_government(),
            (apkasi, "organiser"),
            (company, "facilitator"),
            (embassy, "facilitator"),
        ]
    )

    assert category(agreement) == Agreement.Category.KSDD


def test_an_agreement_without_parties_has_no_category(make_agreement):
    agreement = make_agreement(parties=[])

    assert category(agreement) == ""
    assert agreement.get_category_display() == ""


def test_an_agreement_with_only_an_organiser_has_no_category(make_agreement, make_organisation):
    agreement = make_agreement(parties=[(make_organisation(), "organiser")])

    assert category(agreement) == ""


# --- Party --------------------------------------------------------------------------------


def test_an_organisation_is_a_party_once(make_agreement):
    agreement = make_agreement()
    first = agreement.parties.first()
    duplicate = Party(agreement=agreement, organisation=first.organisation, role="host")

    assert clean_errors(duplicate)["organisation"] == [
        f"{first.organisation.name} is already a party to this agreement: each organisation is "
        "a party once."
    ]
    assert_database_refuses(duplicate)


def test_party_role_must_be_valid(make_agreement, make_organisation):
    party = Party(agreement=make_agreement(), organisation=make_organisation(), role="spectator")

    assert "Value 'spectator' is not a valid choice." in clean_errors(party)["role"]
    assert_database_refuses(party)


# --- Participant --------------------------------------------------------------------------


def test_a_participant_needs_an_official_or_a_position(make_agreement):
    participant = Participant(agreement=make_agreement(), role="witness")

    assert "Give the official, the position, or both." in clean_errors(participant)[ALL]
    assert "Give the official, the position, or both." in constraint_errors(participant)[ALL]
    assert_database_refuses(participant)


def test_an_official_takes_part_once(make_agreement, make_participant, make_position):
    agreement = make_agreement()
    present = make_participant(agreement)
    duplicate = Participant(
        agreement=agreement, person=present.person, position=make_position(), role="witness"
    )

    assert "This official is already a participant." in clean_errors(duplicate)[ALL]
    assert_database_refuses(duplicate)


def test_an_unnamed_position_takes_part_once(make_agreement, make_participant, make_position):
    agreement = make_agreement()
    kepala_dinas = make_position(title="Kepala Dinas PU")
    make_participant(agreement, position=kepala_dinas, role="delegation_member")
    duplicate = Participant(agreement=agreement, position=kepala_dinas, role="delegation_member")

    assert "This unnamed position is already a participant." in clean_errors(duplicate)[ALL]
    assert_database_refuses(duplicate)


def test_two_named_officials_may_share_a_position(
    make_agreement, make_participant, make_position, make_person
):
    agreement = make_agreement()
    asda = make_position(title="Asisten Daerah")
    make_participant(agreement, person=make_person(), position=asda, role="delegation_member")

    Participant(
        agreement=agreement, person=make_person(), position=asda, role="delegation_member"
    ).full_clean()


def test_participant_role_must_be_valid(make_agreement, make_person):
    participant = Participant(agreement=make_agreement(), person=make_person(), role="guest")

    assert "Value 'guest' is not a valid choice." in clean_errors(participant)["role"]
    assert_database_refuses(participant)


# --- Follow-up ----------------------------------------------------------------------------


def test_an_action_is_listed_once_per_agreement(make_agreement, make_follow_up):
    agreement = make_agreement()
    make_follow_up(agreement, action="Survei lokasi TPAS")
    duplicate = FollowUp(agreement=agreement, action="Survei lokasi TPAS")

    assert "This action is already listed for the agreement." in clean_errors(duplicate)[ALL]
    assert_database_refuses(duplicate)


def test_follow_up_status_must_be_valid(make_agreement):
    follow_up = FollowUp(agreement=make_agreement(), action="Rapat", status="forgotten")

    assert "Value 'forgotten' is not a valid choice." in clean_errors(follow_up)["status"]
    assert_database_refuses(follow_up)


def test_only_a_follow_up_that_is_done_has_a_date_done(make_agreement, today):
    follow_up = FollowUp(
        agreement=make_agreement(),
        action="Kunjungan balasan",
        status=FollowUp.Status.PLANNED,
        done_on=today - datetime.timedelta(days=1),
    )

    message = "Only a follow-up that is done has a date done."
    assert message in clean_errors(follow_up)["done_on"]
    assert message in constraint_errors(follow_up)[ALL]
    assert_database_refuses(follow_up)


def test_the_date_done_cannot_be_in_the_future(make_agreement, today):
    follow_up = FollowUp(
        agreement=make_agreement(),
        action="Kunjungan balasan",
        status=FollowUp.Status.DONE,
        done_on=today + datetime.timedelta(days=1),
    )

    assert "The date done cannot be in the future." in clean_errors(follow_up)["done_on"]


def test_a_done_follow_up_dated_today_is_fine(make_agreement, today):
    FollowUp(
        agreement=make_agreement(), action="Rapat teknis", status="done", done_on=today
    ).full_clean()


@pytest.mark.parametrize(
    ("status", "days_from_today", "overdue"),
    [
        ("planned", -1, True),
        ("in_progress", -30, True),
        ("planned", 0, False),
        ("planned", 1, False),
        ("planned", None, False),
        ("done", -1, False),
        ("not_done", -1, False),
        ("cancelled", -1, False),
    ],
)
def test_an_open_follow_up_past_its_due_date_is_overdue(
    make_agreement, make_follow_up, today, status, days_from_today, overdue
):
    due = None if days_from_today is None else today + datetime.timedelta(days=days_from_today)
    follow_up = make_follow_up(make_agreement(), status=status, due_date=due)

    assert follow_up.is_overdue is overdue
    assert FollowUp.objects.overdue().filter(pk=follow_up.pk).exists() is overdue


def test_overdue_follows_the_date_in_jakarta_not_the_machine_s(
    clock, make_agreement, make_follow_up
):
    clock.move_to(datetime.datetime(2026, 12, 1, 18, 30, tzinfo=datetime.UTC))  # 01:30 WIB
    follow_up = make_follow_up(make_agreement(), due_date=datetime.date(2026, 12, 1))

    assert clock.today == datetime.date(2026, 12, 2)
    assert follow_up.is_overdue
    assert FollowUp.objects.overdue().filter(pk=follow_up.pk).exists()


def test_overdue_can_be_asked_for_another_day(make_agreement, make_follow_up):
    follow_up = make_follow_up(make_agreement(), due_date=datetime.date(2025, 11, 1))

    assert list(FollowUp.objects.overdue(on=datetime.date(2025, 11, 2))) == [follow_up]
    assert list(FollowUp.objects.overdue(on=datetime.date(2025, 11, 1))) == []


# --- Citation -----------------------------------------------------------------------------


def test_a_source_is_cited_once_per_agreement(make_agreement, make_source):
    agreement = make_agreement()
    source = make_source()
    Citation.objects.create(agreement=agreement, source=source)
    duplicate = Citation(agreement=agreement, source=source)

    assert "This source is already cited." in clean_errors(duplicate)[ALL]
    assert_database_refuses(duplicate)


def test_one_source_may_support_several_agreements(make_agreement, make_source):
    source = make_source()
    Citation.objects.create(agreement=make_agreement(), source=source)

    Citation(agreement=make_agreement(), source=source).full_clean()
