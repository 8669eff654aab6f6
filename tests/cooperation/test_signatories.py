"""Signatories per party: each official says which party they acted for, each signatory party
carries its own document number and signing date, and the agreement page groups officials by
party."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cooperation.models import Agreement, Party
from tests.helpers import admin_url, change_form_data, html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(english):
    """Validation messages in English."""


def clean_errors(obj):
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    return excinfo.value.message_dict


@pytest.fixture
def ksb(make_government, make_agreement, make_person, make_position):
    """A joint agreement of two regencies, numbered by each side."""
    serang = make_government(name="Pemerintah Kabupaten Serang")
    bandung = make_government(name="Pemerintah Kabupaten Bandung")
    agreement = make_agreement(title="KSB Serang dan Bandung", parties=[serang, bandung])
    first, second = agreement.parties.order_by("id")
    first.document_number, first.signed_on = "119/01/KSB/2023", datetime.date(2023, 1, 30)
    second.document_number, second.signed_on = "415.4/04-Pem/2023", datetime.date(2023, 1, 30)
    first.save()
    second.save()
    return agreement


def test_an_official_can_only_act_for_a_party_of_the_same_agreement(
    ksb, make_agreement, make_participant
):
    stranger = make_agreement().parties.first()
    official = make_participant(ksb)
    official.party = stranger

    assert clean_errors(official) == {
        "party": ["The official can only act for a party of this agreement."]
    }
    official.party = ksb.parties.first()
    official.full_clean()


@pytest.mark.parametrize("field", ["document_number", "signed_on"])
def test_only_a_signatory_party_has_a_number_and_a_signing_date(ksb, field):
    host = ksb.parties.first()
    host.role = Party.Role.HOST
    host.document_number = host.document_number if field == "document_number" else ""
    host.signed_on = host.signed_on if field == "signed_on" else None

    assert clean_errors(host)[field] == [
        "Only a signatory party has a document number and a signing date."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        host.save()


def test_a_signing_date_is_not_in_the_future(ksb, today):
    party = ksb.parties.first()
    party.signed_on = today + datetime.timedelta(days=1)

    assert clean_errors(party)["signed_on"] == ["The signing date cannot be in the future."]


def test_removing_a_party_keeps_its_officials_without_a_party(ksb, make_participant):
    party = ksb.parties.first()
    official = make_participant(ksb, party=party)

    party.delete()
    official.refresh_from_db()

    assert official.party is None


@pytest.fixture
def ksb_officials(ksb, make_participant, make_person, make_position):
    serang, bandung = ksb.parties.order_by("id")
    make_participant(
        ksb,
        person=make_person(name="Ratu Tatu Chasanah"),
        position=make_position(title="Bupati Serang", organisation=serang.organisation),
        party=serang,
    )
    make_participant(
        ksb,
        person=make_person(name="Rachmat Maulana"),
        position=make_position(title="Kepala Bappeda Litbang Kabupaten Serang"),
        role="delegation_member",
        party=serang,
    )
    make_participant(
        ksb,
        person=make_person(name="Dadang Supriatna"),
        position=make_position(title="Bupati Bandung", organisation=bandung.organisation),
        party=bandung,
    )
    make_participant(ksb, person=make_person(name="Tamu Tanpa Pihak"), role="witness")
    return ksb


def test_officials_are_grouped_by_the_party_they_acted_for(ksb_officials):
    agreement = Agreement.objects.prefetch_related("parties", "participants").get(
        pk=ksb_officials.pk
    )

    groups = [
        (party.organisation.name if party else None, [p.person.name for p in officials])
        for party, officials in agreement.officials_by_party()
    ]

    assert groups == [
        ("Pemerintah Kabupaten Serang", ["Ratu Tatu Chasanah", "Rachmat Maulana"]),
        ("Pemerintah Kabupaten Bandung", ["Dadang Supriatna"]),
        (None, ["Tamu Tanpa Pihak"]),
    ]


def test_the_page_groups_officials_by_party_and_shows_each_sides_number(client, ksb_officials):
    page = html(client.get(ksb_officials.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    serang = page.index("For Pemerintah Kabupaten Serang")
    bandung = page.index("For Pemerintah Kabupaten Bandung")
    unknown = page.index("Party not recorded")
    assert serang < page.index("Rachmat Maulana") < bandung < page.index("Dadang Supriatna")
    assert bandung < unknown < page.index("Tamu Tanpa Pihak")
    assert "119/01/KSB/2023" in page and "415.4/04-Pem/2023" in page
    indonesian = html(client.get(ksb_officials.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id"))
    assert "Untuk Pemerintah Kabupaten Serang" in indonesian
    assert "Senin, 30 Januari 2023" in indonesian


@pytest.mark.parametrize("rows", [1, 30])
def test_agreement_page_queries_do_not_grow_with_officials(
    client, ksb, make_participant, django_assert_num_queries, rows
):
    serang = ksb.parties.first()
    for _ in range(rows):
        make_participant(ksb, party=serang)
    # agreement, parties, participants, sectors, terms, follow-ups, citations, documents,
    # evaluations, the chain (one query)
    with django_assert_num_queries(10):
        client.get(ksb.get_absolute_url())


def test_exports_and_api_give_each_sides_number(client, ksb):
    csv_text = b"".join(
        client.get(reverse("cooperation:agreement_csv"), {"lang": "en"}).streaming_content
    ).decode()
    data = client.get(reverse("api:agreement-detail", args=[ksb.slug])).json()

    assert (
        "Pemerintah Kabupaten Serang: 119/01/KSB/2023; "
        "Pemerintah Kabupaten Bandung: 415.4/04-Pem/2023"
    ) in csv_text
    details = [party["details"] for party in data["parties"]]
    assert [d["documentNumber"] for d in details] == ["119/01/KSB/2023", "415.4/04-Pem/2023"]
    assert [d["signedOn"] for d in details] == ["2023-01-30", "2023-01-30"]


def test_an_editor_says_in_the_admin_which_party_an_official_acted_for(
    editor_client, ksb, make_agreement, make_participant
):
    serang, bandung = ksb.parties.order_by("id")
    official = make_participant(ksb)
    url = admin_url(Agreement, "change", ksb.pk)
    page = editor_client.get(url)
    [inline] = [
        i for i in page.context["inline_admin_formsets"] if i.formset.prefix == "participants"
    ]
    offered = {str(choice) for choice, _label in inline.formset.forms[0].fields["party"].choices}

    response = editor_client.post(
        url, change_form_data(page, **{"participants-0-party": str(bandung.pk)})
    )

    assert offered == {"", str(serang.pk), str(bandung.pk)}
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.party == bandung
    assert official.history.latest().party_id == bandung.pk
