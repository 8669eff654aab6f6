"""An Editor (not a superuser) enters a complete cooperation agreement (PKS) in the admin, as a
bureau officer would from a signed document: two agencies as parties, three money terms and a
capacity limit, a site in a kecamatan, the renewal of an earlier agreement the catalogue does not
hold, a monthly monitoring and an evaluation. Then the public page shows each fact in its own
place, with the yearly totals, in Indonesian and in English."""

from django.contrib.auth.models import User
from playwright.sync_api import expect

from cooperation.models import Agreement
from regions.models import Organisation
from tests.helpers import group

PASSWORD = "a-long-secret-1"
CITY_AGENCY = "Dinas Lingkungan Hidup Kota Serang"
REGENCY_AGENCY = "Dinas Lingkungan Hidup Kabupaten Serang"
EARLIER = "PKS pemanfaatan TPAS Cilowong 2024–2025"


def environment_agencies():
    """The two regional environment agencies that share the landfill, under their governments."""
    for government_slug, name, slug in [
        ("pemerintah-kota-serang", CITY_AGENCY, "dlh-kota-serang"),
        ("pemerintah-kabupaten-serang", REGENCY_AGENCY, "dlh-kabupaten-serang"),
    ]:
        government = Organisation.objects.get(slug=government_slug)
        Organisation.objects.create(
            slug=slug,
            name=name,
            kind=Organisation.Kind.REGIONAL_AGENCY,
            parent=government,
            region=government.region,
        )


def log_in_as_editor(page, live_server):
    editor = User.objects.create_user("editor_ani", password=PASSWORD, is_staff=True)
    editor.groups.add(group("Editor"))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor_ani")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("editor_ani")


def pick(page, field_id, typed, choice):
    """Choose ``choice`` (its whole text, so that no result of an earlier search is taken) in
    the admin's autocomplete (Select2) of ``field_id`` after typing ``typed``."""
    page.locator(f"#{field_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=choice).first.click()


def choose_party(page, field_id, name):
    """Choose the party named ``name`` in a select of the agreement's parties."""
    value = page.locator(f"#{field_id} option", has_text=name).get_attribute("value")
    page.select_option(f"#{field_id}", value)


def add_row(page, group):
    page.locator(f"#{group}-group .add-row a").click()


def save(page, button):
    page.click(f"input[name={button}]")
    expect(page.locator(".errornote")).to_have_count(0)
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_an_editor_enters_a_complete_pks_and_readers_see_every_fact(catalogue, page):
    environment_agencies()
    log_in_as_editor(page, catalogue)

    # The agreement and its parties: saved first, so that terms can name who gives what.
    page.goto(f"{catalogue.url}/admin/cooperation/agreement/add/")
    page.fill("#id_title", "PKS pemanfaatan TPAS Cilowong")
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).to_have_value(
        "pks-pemanfaatan-tpas-cilowong"
    )  # from the title
    page.select_option("#id_kind", "cooperation_agreement")
    page.select_option("#id_stage", "implementation")
    page.check("#id_is_published")
    page.fill("#id_date", "2025-12-10")
    page.fill("#id_valid_from", "2026-01-01")
    page.fill("#id_valid_until", "2027-12-31")
    page.fill("#id_site", "TPAS Cilowong")
    pick(page, "id_site_region", "Taktakan", "Kecamatan Taktakan")
    pick(page, "id_parties-0-organisation", "Lingkungan Hidup Kota", CITY_AGENCY)
    page.select_option("#id_parties-0-role", "signatory")
    pick(page, "id_parties-1-organisation", "Lingkungan Hidup Kabupaten", REGENCY_AGENCY)
    page.select_option("#id_parties-1-role", "signatory")
    save(page, "_continue")

    # Three money terms and a capacity limit.
    city, regency = CITY_AGENCY, REGENCY_AGENCY
    terms = [
        ("payment", regency, city, "14000000000", "yearly"),
        ("payment", regency, city, "250000000", "monthly"),
        ("compensation", city, regency, "500000000", "once"),
    ]
    for row, (kind, giver, receiver, amount, period) in enumerate(terms):
        add_row(page, "terms")
        page.select_option(f"#id_terms-{row}-kind", kind)
        choose_party(page, f"id_terms-{row}-giver", giver)
        choose_party(page, f"id_terms-{row}-receiver", receiver)
        page.fill(f"#id_terms-{row}-amount", amount)
        page.select_option(f"#id_terms-{row}-period", period)
    add_row(page, "terms")
    page.select_option("#id_terms-3-kind", "capacity_limit")
    choose_party(page, "id_terms-3-giver", city)
    choose_party(page, "id_terms-3-receiver", regency)
    page.fill("#id_terms-3-quantity", "200")
    page.select_option("#id_terms-3-unit", "tonnes_per_day")
    page.fill("#id_terms-3-description", "Sampah yang diterima di TPAS")

    # A monthly monitoring that both agencies carry out, and the year-end evaluation.
    add_row(page, "follow_ups")
    page.fill("#id_follow_ups-0-action", "Monitoring bulanan volume sampah")
    pick(page, "id_follow_ups-0-responsible_organisations", "Lingkungan Hidup Kota", CITY_AGENCY)
    page.fill("#id_follow_ups-0-due_date", "2026-01-31")
    page.select_option("#id_follow_ups-0-due_precision", "month")
    page.select_option("#id_follow_ups-0-recurrence", "monthly")
    page.select_option("#id_follow_ups-0-status", "in_progress")
    add_row(page, "evaluations")
    page.fill("#id_evaluations-0-year", "2026")
    page.select_option("#id_evaluations-0-period", "semester_1")
    page.fill("#id_evaluations-0-evaluated_on", "2026-07-15")
    pick(page, "id_evaluations-0-evaluator", "Lingkungan Hidup Kabupaten", REGENCY_AGENCY)
    page.select_option("#id_evaluations-0-assessment", "on_track")
    page.fill("#id_evaluations-0-implemented", "Pengiriman sampah rata-rata 180 ton per hari.")
    page.fill("#id_evaluations-0-problems", "Jalan akses rusak saat hujan.")
    page.fill("#id_evaluations-0-recommendation", "Perbaikan jalan akses bersama.")
    # It renews an earlier agreement that the catalogue does not hold: said in the relation.
    add_row(page, "relations")
    page.select_option("#id_relations-0-type", "renews")
    page.fill("#id_relations-0-earlier_description", EARLIER)
    save(page, "_continue")

    agreement = Agreement.objects.get(slug="pks-pemanfaatan-tpas-cilowong")
    assert agreement.history.filter(history_user__username="editor_ani").exists()

    # What a reader sees, in Indonesian first.
    page.goto(catalogue.url + agreement.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("PKS pemanfaatan TPAS Cilowong")
    # The category follows from the parties (two regions' agencies): nobody typed it.
    category = page.locator("dt", has_text="Kategori").locator("xpath=following-sibling::dd")
    expect(category).to_contain_text("KSDD: dengan daerah lain di Indonesia")
    expect(page.locator("dd.site")).to_contain_text("TPAS Cilowong")
    expect(page.locator("dd.site")).to_contain_text("Kecamatan Taktakan")
    terms_table = page.locator("table.terms")
    expect(terms_table.locator("tbody tr")).to_have_count(4)
    expect(terms_table).to_contain_text("Rp14.000.000.000 per tahun")
    expect(terms_table).to_contain_text("Rp250.000.000 per bulan")
    expect(terms_table).to_contain_text("Rp500.000.000")
    expect(terms_table).to_contain_text("200 ton per hari")
    flows = page.locator("ul.money-flows li")
    # 14 miliar + 12 × 250 juta from the regency's agency to the city's; the one-off is no flow.
    expect(flows).to_have_count(1)
    expect(flows.first).to_contain_text(
        "Dinas Lingkungan Hidup Kabupaten Serang kepada Dinas Lingkungan Hidup Kota Serang"
    )
    expect(flows.first).to_contain_text("Rp17.000.000.000 per tahun")
    monitoring = page.locator("table.follow-ups tr", has_text="Monitoring bulanan volume sampah")
    expect(monitoring).to_contain_text("Bulanan")
    expect(monitoring).to_contain_text("Dinas Lingkungan Hidup Kota Serang")
    evaluations = page.locator(
        "section", has=page.get_by_role("heading", name="Monitoring dan evaluasi")
    )
    expect(evaluations).to_contain_text("Sesuai rencana")
    expect(evaluations).to_contain_text("Jalan akses rusak saat hujan.")
    chain = page.locator("section", has=page.get_by_role("heading", name="Riwayat / Rangkaian"))
    expect(chain).to_contain_text(f"Memperpanjang: {EARLIER} (di luar katalog)")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    category = page.locator("dt", has_text="Category").locator("xpath=following-sibling::dd")
    expect(category).to_contain_text("KSDD: with another Indonesian region")
    terms_table = page.locator("table.terms")
    expect(terms_table).to_contain_text("IDR 14,000,000,000 per year")
    expect(terms_table).to_contain_text("IDR 250,000,000 per month")
    expect(terms_table).to_contain_text("200 tonnes per day")
    flows = page.locator("ul.money-flows li")
    expect(flows.first).to_contain_text("Kabupaten Serang to Dinas Lingkungan Hidup Kota Serang")
    expect(flows.first).to_contain_text("IDR 17,000,000,000 per year")
    expect(page.locator("table.follow-ups tr", has_text="Monitoring bulanan")).to_contain_text(
        "Monthly"
    )
    expect(
        page.locator("section", has=page.get_by_role("heading", name="Monitoring and evaluation"))
    ).to_contain_text("On track")
    chain = page.locator(
        "section", has=page.get_by_role("heading", name="History and chain of agreements")
    )
    expect(chain).to_contain_text(f"Renews: {EARLIER} (not in the catalogue)")
