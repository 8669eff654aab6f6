"""The agreement page in a real browser: its terms with the yearly money per direction, and its
officials grouped by the party they acted for with each side's number and signing date, in
Indonesian (the browser's language) and, after the switch, in English."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from cooperation.models import Agreement, Term, today
from regions.models import Organisation


@pytest.fixture
def tpas(
    live_server,
    make_government,
    make_organisation,
    make_agreement,
    make_term,
    make_participant,
    make_person,
    make_position,
):
    """A PKS between two environment agencies: one pays to use the other's disposal site."""
    city = make_organisation(
        slug="dlh-kota-uji",
        name="DLH Kota Uji",
        kind=Organisation.Kind.REGIONAL_AGENCY,
        parent=make_government(),
    )
    regency = make_organisation(
        slug="dlh-kabupaten-uji",
        name="DLH Kabupaten Uji",
        kind=Organisation.Kind.REGIONAL_AGENCY,
        parent=make_government(),
    )
    agreement = make_agreement(
        title="PKS pemanfaatan TPAS",
        kind=Agreement.Kind.COOPERATION_AGREEMENT,
        parties=[city, regency],
    )
    host, user = agreement.parties.order_by("id")
    make_term(agreement, giver=user, receiver=host, amount=14 * 10**9, period="yearly")
    make_term(agreement, giver=user, receiver=host, amount=250_000_000, period="monthly")
    make_term(agreement, giver=user, receiver=host, amount=500_000_000, period="once")
    make_term(
        agreement,
        giver=host,
        receiver=user,
        kind=Term.Kind.CAPACITY_LIMIT,
        quantity=200,
        unit="tonnes_per_day",
    )
    for party, number in ((host, "660/12/PKS/DLH/2025"), (user, "02/PKS-DLH/XII/2025")):
        party.document_number, party.signed_on = number, datetime.date(2025, 10, 24)
        party.save()
    for party, name, title in (
        (host, "Siti Kota", "Kepala DLH Kota Uji"),
        (user, "Budi Kabupaten", "Kepala DLH Kabupaten Uji"),
        (user, "Ani Kabupaten", "Sekretaris DLH Kabupaten Uji"),
    ):
        make_participant(
            agreement,
            person=make_person(name=name),
            position=make_position(title=title, organisation=party.organisation),
            party=party,
        )
    return live_server.url + agreement.get_absolute_url()


def terms_section(page, heading):
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))


def test_the_page_shows_terms_and_yearly_money_in_both_languages(tpas, page):
    page.goto(tpas)

    terms = terms_section(page, "Ketentuan")
    rows = terms.locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("pembayaran atau retribusi")
    expect(rows.nth(0)).to_contain_text("Rp14.000.000.000 per tahun")
    expect(rows.nth(0)).to_contain_text("Rp14 miliar/tahun")
    expect(rows.nth(2)).to_contain_text("Rp500.000.000, sekali")
    expect(rows.nth(3)).to_contain_text("200 ton per hari")
    flows = terms.locator(".money-flows li")
    expect(flows).to_have_count(1)  # the capacity limit is no money; the one-off is not yearly
    expect(flows.first).to_contain_text("DLH Kabupaten Uji kepada DLH Kota Uji")
    expect(flows.first).to_contain_text("Rp17.000.000.000 per tahun (Rp17 miliar/tahun)")

    page.get_by_role("button", name="English").click()

    terms = terms_section(page, "Terms")
    expect(terms.locator("tbody tr").nth(0)).to_contain_text("IDR 14,000,000,000 per year")
    expect(terms.locator("tbody tr").nth(3)).to_contain_text("200 tonnes per day")
    expect(terms.locator(".money-flows li").first).to_contain_text(
        "DLH Kabupaten Uji to DLH Kota Uji: IDR 17,000,000,000 per year (IDR 17 billion/year)"
    )


def officials_of(page, heading):
    """The official names in the table labelled by ``heading`` (its group's heading)."""
    return page.get_by_role("table", name=heading).locator("tbody tr td:first-child")


def test_the_page_groups_officials_by_party_with_each_sides_number(tpas, page):
    page.goto(tpas)

    expect(officials_of(page, "Untuk DLH Kota Uji")).to_have_text(["Siti Kota"])
    expect(officials_of(page, "Untuk DLH Kabupaten Uji")).to_have_text(
        ["Budi Kabupaten", "Ani Kabupaten"]
    )
    parties = page.locator("section", has=page.get_by_role("heading", name="Para pihak"))
    expect(parties.locator("tbody tr").nth(0)).to_contain_text("660/12/PKS/DLH/2025")
    expect(parties.locator("tbody tr").nth(1)).to_contain_text("02/PKS-DLH/XII/2025")
    expect(parties.locator("tbody tr").nth(1)).to_contain_text("Jumat, 24 Oktober 2025")

    page.get_by_role("button", name="English").click()

    expect(officials_of(page, "For DLH Kabupaten Uji")).to_have_text(
        ["Budi Kabupaten", "Ani Kabupaten"]
    )
    parties = page.locator("section", has=page.get_by_role("heading", name="Parties"))
    expect(parties.locator("tbody tr").nth(1)).to_contain_text("Friday, 24 October 2025")


@pytest.fixture
def renewal(live_server, make_agreement, make_relation):
    """A PKS that implements a KSB and renews a PKS outside the catalogue, then amended."""
    ksb = make_agreement(title="KSB Kota Uji dan Kabupaten Uji", date=datetime.date(2022, 3, 1))
    pks = make_agreement(
        title="PKS TPAS 2026-2027",
        kind=Agreement.Kind.COOPERATION_AGREEMENT,
        date=datetime.date(2025, 12, 10),
    )
    addendum = make_agreement(
        title="Adendum PKS TPAS", kind=Agreement.Kind.ADDENDUM, date=datetime.date(2026, 6, 1)
    )
    make_relation(pks, ksb, type="implements")
    make_relation(pks, "PKS 2023 No. 658/2023", type="renews")
    make_relation(addendum, pks, type="amends")
    return live_server.url + pks.get_absolute_url()


def test_the_page_shows_the_chain_and_leads_along_it_in_both_languages(renewal, page):
    page.goto(renewal)

    chain = page.locator("section", has=page.get_by_role("heading", name="Riwayat / Rangkaian"))
    steps = chain.locator("ol.chain > li")
    expect(steps).to_have_count(3)
    expect(steps.nth(0)).to_contain_text("KSB Kota Uji dan Kabupaten Uji")
    expect(steps.nth(1)).to_contain_text("Melaksanakan: KSB Kota Uji dan Kabupaten Uji")
    expect(steps.nth(1)).to_contain_text("Memperpanjang: PKS 2023 No. 658/2023 (di luar katalog)")
    expect(steps.nth(1)).to_contain_text("Diubah dengan: Adendum PKS TPAS")

    page.get_by_role("button", name="English").click()
    chain = page.locator(
        "section", has=page.get_by_role("heading", name="History and chain of agreements")
    )
    expect(chain.locator("ol.chain > li").nth(1)).to_contain_text("Renews: PKS 2023 No. 658/2023")

    chain.get_by_role("link", name="Adendum PKS TPAS").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adendum PKS TPAS")
    expect(page.locator("ol.chain [aria-current=page]")).to_have_text("Adendum PKS TPAS")


@pytest.fixture
def life_cycle(live_server, make_agreement):
    """A PKS in force, one whose validity ended yesterday, and a suspended one."""
    day = today()
    signed = {
        "kind": Agreement.Kind.COOPERATION_AGREEMENT,
        "stage": Agreement.Stage.IMPLEMENTATION,
        "date": day - datetime.timedelta(days=400),
    }
    make_agreement(
        title="PKS masih berlaku", valid_until=day + datetime.timedelta(days=90), **signed
    )
    make_agreement(title="PKS sudah lewat", valid_until=day - datetime.timedelta(days=1), **signed)
    make_agreement(title="PKS ditangguhkan", **{**signed, "stage": Agreement.Stage.SUSPENDED})
    return live_server.url + "/agreements/"


def test_the_list_shows_in_force_and_expired_and_filters_what_is_in_force(life_cycle, page):
    page.goto(life_cycle)

    current = page.get_by_role("row", name=re.compile("PKS masih berlaku"))
    expect(current.locator(".badge-validity-in-force")).to_have_text("berlaku")
    expired = page.get_by_role("row", name=re.compile("PKS sudah lewat"))
    expect(expired.locator(".badge-validity-expired")).to_have_text("berakhir")
    suspended = page.get_by_role("row", name=re.compile("PKS ditangguhkan"))
    expect(suspended.locator(".badge-stage-suspended")).to_have_text("ditangguhkan")

    page.get_by_label("Berlaku hari ini").check()
    page.get_by_role("button", name="Terapkan filter").click()
    expect(page.locator("table.agreements tbody tr")).to_have_count(1)
    expect(page.locator("table.agreements tbody")).to_contain_text("PKS masih berlaku")

    page.get_by_role("link", name="PKS masih berlaku").click()
    expect(page.locator(".progress-rule")).to_contain_text("Tanpa perkembangan")


def test_a_region_page_shows_its_chains_and_leads_to_each_agreements_chain(renewal, page):
    pks = Agreement.objects.get(title="PKS TPAS 2026-2027")
    region = pks.parties.first().organisation.region
    page.goto(renewal.replace(pks.get_absolute_url(), region.get_absolute_url()))

    chains = page.locator("section", has=page.get_by_role("heading", name="Rangkaian kerja sama"))
    links = chains.locator("ul.chain-links > li")
    expect(links).to_have_count(2)
    expect(chains).to_contain_text("melaksanakan: KSB Kota Uji dan Kabupaten Uji")
    expect(chains).to_contain_text("memperpanjang: PKS 2023 No. 658/2023 (di luar katalog)")
    page.get_by_role("button", name="English").click()
    chains = page.locator("section", has=page.get_by_role("heading", name="Chains of agreements"))
    expect(chains).to_contain_text("implements: KSB Kota Uji dan Kabupaten Uji")

    chains.get_by_role("link", name="PKS TPAS 2026-2027").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PKS TPAS 2026-2027")
    expect(page).to_have_url(re.compile(r"#related$"))
    expect(page.locator("ol.chain [aria-current=page]")).to_have_text("PKS TPAS 2026-2027")
