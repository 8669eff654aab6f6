"""Terms of an agreement (obligations): each rule with the message a user sees from
``full_clean()`` and the database's own refusal when ``clean()`` is bypassed; the yearly money
flows; the agreement page, its fact sheet, the exports and the API."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError
from django.urls import reverse
from pypdf import PdfReader

from cooperation.models import Agreement, Party, Term
from regions.models import Organisation
from tests.helpers import admin_url, change_form_data, count_queries, html

pytestmark = pytest.mark.django_db

BILLION = Decimal(10) ** 9


@pytest.fixture(autouse=True)
def in_english(english):
    """Validation messages in English."""


def clean_errors(obj):
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    return excinfo.value.message_dict


def assert_database_refuses(obj):
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


@pytest.fixture
def facility(make_government, make_organisation, make_agreement):
    """A PKS between two environment agencies: one uses the other's disposal site."""
    host = make_organisation(
        slug="dlh-kota",
        name="Dinas Lingkungan Hidup Kota Serang",
        kind=Organisation.Kind.REGIONAL_AGENCY,
        parent=make_government(),
    )
    user = make_organisation(
        slug="dlh-kabupaten",
        name="Dinas Lingkungan Hidup Kabupaten Serang",
        kind=Organisation.Kind.REGIONAL_AGENCY,
        parent=make_government(),
    )
    return make_agreement(
        title="PKS pemanfaatan TPAS",
        kind=Agreement.Kind.COOPERATION_AGREEMENT,
        parties=[host, user],
    )


def parties(agreement):
    host, user = agreement.parties.order_by("id")
    return host, user


def term(agreement, **fields):
    host, user = parties(agreement)
    fields.setdefault("giver", user)
    fields.setdefault("receiver", host)
    return Term(agreement=agreement, **fields)


# --- Rules ---------------------------------------------------------------------------------


def test_a_money_term_needs_an_amount_and_a_period(facility):
    errors = clean_errors(term(facility, kind=Term.Kind.PAYMENT))

    assert errors["amount"] == ["A payment, aid or compensation needs an amount in rupiah."]
    assert errors["period"] == ["Say whether the amount is paid once, per month or per year."]
    assert_database_refuses(term(facility, kind=Term.Kind.PAYMENT, period="yearly"))
    assert_database_refuses(term(facility, kind=Term.Kind.COMPENSATION, amount=5))


def test_only_money_terms_have_an_amount_or_a_period(facility):
    errors = clean_errors(
        term(facility, kind=Term.Kind.STAFF, amount=5, period="monthly", description="Tenaga")
    )

    assert errors["amount"] == [
        "Only payments, financial aid and compensation have an amount in rupiah."
    ]
    assert errors["period"] == ["Only an amount of money has a period."]
    assert_database_refuses(term(facility, kind=Term.Kind.STAFF, amount=5, period="monthly"))


def test_a_money_term_has_no_quantity(facility):
    errors = clean_errors(
        term(facility, kind="payment", amount=5, period="once", quantity=3, unit="units")
    )

    assert "not a quantity" in errors["quantity"][0]
    assert_database_refuses(
        term(facility, kind="payment", amount=5, period="once", quantity=3, unit="units")
    )


def test_a_capacity_limit_needs_a_quantity_and_a_quantity_its_unit(facility):
    no_quantity = clean_errors(term(facility, kind=Term.Kind.CAPACITY_LIMIT))
    no_unit = clean_errors(term(facility, kind=Term.Kind.CAPACITY_LIMIT, quantity=40))
    no_number = clean_errors(term(facility, kind=Term.Kind.DATA, unit="units"))

    assert no_quantity["quantity"] == ["A capacity limit needs a quantity and its unit."]
    assert no_unit["unit"] == ["Give the unit of the quantity."]
    assert no_number["quantity"] == ["Give the quantity in this unit."]
    assert_database_refuses(term(facility, kind=Term.Kind.CAPACITY_LIMIT))
    assert_database_refuses(term(facility, kind=Term.Kind.CAPACITY_LIMIT, quantity=40))
    assert_database_refuses(term(facility, kind=Term.Kind.DATA, unit="units"))


@pytest.mark.parametrize("field", ["amount", "quantity"])
def test_amounts_and_quantities_are_more_than_zero(facility, field):
    fields = (
        {"kind": "payment", "amount": 0, "period": "yearly"}
        if field == "amount"
        else {"kind": "capacity_limit", "quantity": -1, "unit": "tonnes_per_day"}
    )

    assert clean_errors(term(facility, **fields))[field] == [f"The {field} must be more than zero."]
    assert_database_refuses(term(facility, **fields))


def test_a_party_does_not_give_to_itself(facility):
    host, _user = parties(facility)
    bad = term(facility, kind="data", giver=host, receiver=host)

    assert clean_errors(bad)["receiver"] == ["A party does not give to itself."]
    assert_database_refuses(bad)


def test_giver_and_receiver_must_be_parties_of_the_same_agreement(facility, make_agreement):
    stranger, other_stranger = make_agreement().parties.all()

    errors = clean_errors(term(facility, kind="data", giver=stranger, receiver=other_stranger))

    assert errors["giver"] == ["The giving party must be a party to this agreement."]
    assert errors["receiver"] == ["The receiving party must be a party to this agreement."]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("kind", "Choose a valid kind of term."),
        ("period", "Choose a valid period."),
        ("unit", "Choose a valid unit."),
        ("funding_source", "Choose a valid funding source."),
    ],
)
def test_choices_are_checked_by_the_database(facility, field, message):
    valid = {"kind": "capacity_limit", "quantity": 3, "unit": "hectares"}
    bad = term(facility, **{**valid, field: "nonsense"})

    assert_database_refuses(bad)
    with pytest.raises(ValidationError) as excinfo:
        bad.validate_constraints()
    assert message in str(excinfo.value)


def test_a_valid_term_of_every_kind_saves(facility):
    for kind in Term.Kind.values:
        money = kind in ("payment", "financial_aid", "compensation")
        fields = {"amount": 10, "period": "once"} if money else {}
        if kind == "capacity_limit":
            fields = {"quantity": Decimal("40.5"), "unit": "tonnes_per_day"}
        made = term(facility, kind=kind, **fields)
        made.full_clean()
        made.save()

    assert facility.terms.count() == len(Term.Kind.values)


def test_a_party_with_terms_is_kept_until_its_terms_go_but_the_agreement_deletes_both(
    facility, make_term
):
    host, user = parties(facility)
    make_term(facility, giver=user, receiver=host)

    with pytest.raises(RestrictedError):
        host.delete()
    facility.delete()

    assert not Term.objects.exists()
    assert not Party.objects.filter(pk=host.pk).exists()


# --- Money a year --------------------------------------------------------------------------


def test_yearly_flows_sum_per_direction_monthly_twelve_times_once_not_at_all(facility, make_term):
    host, user = parties(facility)
    make_term(facility, giver=user, receiver=host, amount=14 * BILLION, period="yearly")
    make_term(facility, giver=user, receiver=host, amount=100_000_000, period="monthly")
    make_term(facility, giver=user, receiver=host, amount=5 * BILLION, period="once")
    make_term(facility, giver=host, receiver=user, kind="compensation", amount=2_000_000)
    make_term(facility, giver=host, receiver=None, amount=300, period="monthly")
    make_term(facility, kind="capacity_limit", quantity=40, unit="tonnes_per_day")

    flows = {(g.pk, r.pk if r else None): total for g, r, total in facility.yearly_money_flows()}

    assert flows == {
        (user.pk, host.pk): Decimal(15_200_000_000),
        (host.pk, user.pk): Decimal(2_000_000),
        (host.pk, None): Decimal(3_600),
    }
    assert Term.objects.yearly().count() == 4


# --- Where terms appear --------------------------------------------------------------------


@pytest.fixture
def facility_terms(facility, make_term):
    host, user = parties(facility)
    make_term(
        facility,
        giver=user,
        receiver=host,
        amount=14 * BILLION,
        period="yearly",
        description="Retribusi pemanfaatan TPAS",
        funding_source=Term.FundingSource.APBD_REGENCY,
    )
    make_term(facility, giver=user, receiver=host, amount=250_000_000, period="monthly")
    make_term(
        facility,
        giver=host,
        receiver=user,
        kind="capacity_limit",
        quantity=Decimal("200.5"),
        unit="tonnes_per_day",
        description="Sampah yang diterima",
    )
    return facility


def test_the_agreement_page_shows_terms_and_yearly_totals_in_indonesian(client, facility_terms):
    page = html(client.get(facility_terms.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id"))

    assert "Rp14.000.000.000 per tahun" in page
    assert "Rp14 miliar/tahun" in page
    assert "Rp250.000.000 per bulan" in page
    assert "200,5 ton per hari" in page
    assert "APBD kabupaten" in page
    # 14 miliar + 12 × 250 juta, from the regency's agency to the city's
    assert "Rp17.000.000.000 per tahun" in page
    assert "Rp17 miliar/tahun" in page


def test_the_agreement_page_shows_terms_and_yearly_totals_in_english(client, facility_terms):
    page = html(client.get(facility_terms.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert "IDR 14,000,000,000 per year" in page
    assert "IDR 14 billion/year" in page
    assert "200.5 tonnes per day" in page
    assert "Dinas Lingkungan Hidup Kabupaten Serang to Dinas Lingkungan Hidup Kota Serang" in page
    assert "IDR 17 billion/year" in page


def test_an_agreement_without_terms_says_so(client, make_agreement):
    page = html(client.get(make_agreement().get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert "No terms recorded." in page


@pytest.mark.parametrize("rows", [1, 30])
def test_agreement_page_queries_do_not_grow_with_terms(
    client, facility, make_term, django_assert_num_queries, rows
):
    for _ in range(rows):
        make_term(facility, amount=1_000_000, period="monthly")
        make_term(facility, kind="capacity_limit", quantity=5, unit="hectares")
    # agreement, parties, participants, sectors, terms, follow-ups, citations, documents,
    # evaluations, the chain (one query)
    with django_assert_num_queries(10):
        client.get(facility.get_absolute_url())


def test_the_fact_sheet_lists_the_terms(client, facility_terms):
    response = client.get(
        reverse("cooperation:agreement_fact_sheet", args=[facility_terms.slug]), {"lang": "id"}
    )
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())  # table cells wrap

    assert "Rp14.000.000.000 per tahun" in text
    assert "200,5 ton per hari" in text
    assert "Rp17.000.000.000 per tahun (Rp17 miliar/tahun)" in text


def test_the_csv_export_has_yearly_money_per_direction(client, facility_terms, make_agreement):
    make_agreement(title="Tanpa uang")

    response = client.get(
        reverse("cooperation:agreement_csv"), {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()[1:])))
    by_title = {row["Title"]: row for row in rows}

    assert by_title["PKS pemanfaatan TPAS"]["Money a year, per direction"] == (
        "Dinas Lingkungan Hidup Kabupaten Serang → Dinas Lingkungan Hidup Kota Serang: "
        "IDR 17,000,000,000 per year"
    )
    assert by_title["Tanpa uang"]["Money a year, per direction"] == ""


def test_the_api_gives_terms_with_ocds_values_and_yearly_flows(client, facility_terms):
    data = client.get(reverse("api:agreement-detail", args=[facility_terms.slug])).json()

    first = data["terms"][0]
    assert first["kind"] == "payment"
    assert first["value"] == {"amount": 14000000000.0, "currency": "IDR"}
    assert first["period"] == "yearly"
    assert first["giver"]["id"] == "dlh-kabupaten"
    assert first["receiver"]["id"] == "dlh-kota"
    assert data["terms"][2]["quantity"] == {"value": 200.5, "unit": "tonnes_per_day"}
    assert data["yearlyMoneyFlows"] == [
        {
            "giver": {"id": "dlh-kabupaten", "name": "Dinas Lingkungan Hidup Kabupaten Serang"},
            "receiver": {"id": "dlh-kota", "name": "Dinas Lingkungan Hidup Kota Serang"},
            "value": {"amount": 17000000000.0, "currency": "IDR"},
        }
    ]


def test_a_term_is_kept_in_history(facility, make_term):
    made = make_term(facility)
    made.amount = 2_000_000
    made.save()

    assert [record.amount for record in made.history.order_by("history_id")] == [
        Decimal("1000000.00"),
        Decimal("2000000.00"),
    ]


# --- Admin ---------------------------------------------------------------------------------


def test_an_editor_adds_terms_on_the_agreement_page_choosing_among_its_parties(
    editor_client, facility, make_agreement
):
    host, user = parties(facility)
    stranger = make_agreement().parties.first()
    url = admin_url(Agreement, "change", facility.pk)
    page = editor_client.get(url)
    [inline] = [i for i in page.context["inline_admin_formsets"] if i.formset.prefix == "terms"]
    offered = {choice for choice, _label in inline.formset.empty_form.fields["giver"].choices}
    assert {str(c) for c in offered if c} == {str(host.pk), str(user.pk)}

    def post(**term):
        data = change_form_data(page, **{"terms-TOTAL_FORMS": "1"})
        data.update({f"terms-0-{name}": value for name, value in term.items()})
        return editor_client.post(url, data)

    missing_period = post(kind="payment", giver=user.pk, receiver=host.pk, amount="14000000000")
    wrong_party = post(kind="data", giver=stranger.pk)
    saved = post(
        kind="payment", giver=user.pk, receiver=host.pk, amount="14000000000", period="yearly"
    )

    errors = missing_period.context["inline_admin_formsets"]
    term_errors = [i for i in errors if i.formset.prefix == "terms"][0].formset.errors[0]
    assert term_errors["period"] == ["Say whether the amount is paid once, per month or per year."]
    wrong = [i for i in wrong_party.context["inline_admin_formsets"] if i.formset.prefix == "terms"]
    assert "giver" in wrong[0].formset.errors[0]
    assert saved.status_code == 302
    made = facility.terms.get()
    assert made.yearly_amount == 14 * BILLION
    assert made.history.get().history_user.username == "editor"


def test_the_agreement_change_page_queries_do_not_grow_with_its_terms(
    superuser_client, facility, make_term
):
    url = admin_url(Agreement, "change", facility.pk)
    make_term(facility)
    superuser_client.get(url)
    with_one = count_queries(superuser_client, url)

    for _ in range(9):
        make_term(facility, kind="capacity_limit", quantity=5, unit="hectares")
    with_ten = count_queries(superuser_client, url)

    assert with_ten == with_one
