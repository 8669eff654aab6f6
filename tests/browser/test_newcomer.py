"""A newcomer's path through the catalogue, in a real browser, asserting what the reader sees.

The catalogue holds the five seed articles (fixtures/*.json). The browser speaks Indonesian
(conftest.py), so pages come in Indonesian until the reader switches language.
"""

import re

import pytest
from playwright.sync_api import expect

from cooperation.views import AgreementListView
from regions.models import Organisation

SERANG_BANDUNG = (
    "Penandatanganan kerja sama Pemerintah Kabupaten Serang dan Pemerintah Kabupaten Bandung"
)
BANTEN_BENGKULU = (
    "Penandatanganan kerja sama Pemerintah Provinsi Banten dan Pemerintah Provinsi Bengkulu"
)
SERANG_IASTIC = "Pertemuan penjajakan investasi Pemerintah Kabupaten Serang dengan IASTIC Beijing"
KOTA_KAB_SERANG = (
    "Pertemuan Wali Kota Serang dan Wakil Bupati Serang tentang kolaborasi pembangunan daerah"
)
SERANG_TO_BANDUNG = "Kunjungan kerja Pemerintah Kota Serang ke Pemerintah Kota Bandung"
SEED_EVENTS = [SERANG_IASTIC, KOTA_KAB_SERANG, SERANG_TO_BANDUNG, SERANG_BANDUNG, BANTEN_BENGKULU]

SERANG_BANDUNG_PATH = "/agreements/kerja-sama-kabupaten-serang-kabupaten-bandung-2023/"


def table_rows(page, heading):
    """The rows of the table in the section headed ``heading``."""
    return page.locator("section", has=page.get_by_role("heading", name=heading)).locator(
        "tbody tr"
    )


def test_home_page_shows_what_needs_action_key_figures_and_latest_agreements(catalogue, page):
    page.goto(catalogue.url)

    expect(page).to_have_title(re.compile("Katalog Kerja Sama Daerah"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kerja Sama Daerah")
    expect(page.locator(".lead")).to_contain_text("5 kerja sama")
    headings = page.get_by_role("heading", level=2)
    expect(headings.first).to_have_text("Tindak lanjut yang terlambat")
    figures = page.locator(".figures li")
    expect(figures).to_have_count(4)
    # The seed articles: KSDLL with IASTIC Beijing, the only partner abroad.
    expect(figures.filter(has_text="mitra luar negeri")).to_contain_text("1")
    page.get_by_role("link", name="Angka dan grafik lainnya di halaman statistik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistik")
    page.go_back()
    latest = table_rows(page, "Kerja sama terbaru")
    expect(latest).to_have_count(5)
    # Newest first: the 2026 meeting heads the list, the 2023 signing closes it.
    expect(latest.first).to_contain_text("Jumat, 30 Januari 2026")
    expect(latest.first).to_contain_text(KOTA_KAB_SERANG)
    expect(latest.last).to_contain_text("Senin, 30 Januari 2023")
    expect(latest.last).to_contain_text(SERANG_BANDUNG)


def test_filtering_by_a_province_includes_its_regencies_and_cities_and_keeps_the_filter(
    catalogue, page, monkeypatch
):
    # Two rows a page, so the five Banten events run over three pages.
    monkeypatch.setattr(AgreementListView, "paginate_by", 2)
    page.goto(catalogue.url)
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Kerja Sama"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kerja Sama")

    page.get_by_role("combobox", name="Daerah:", exact=True).fill(
        "36"
    )  # a code, typed: no suggestion chosen
    page.get_by_role("button", name="Terapkan filter").click()

    expect(page).to_have_url(re.compile(r"[?&]region=36(&|$)"))
    expect(page.get_by_role("heading", name="5 kerja sama ditemukan")).to_be_visible()
    expect(page.get_by_role("combobox", name="Daerah:", exact=True)).to_have_value(
        "Provinsi Banten (36)"
    )
    titles = []
    for number in (1, 2, 3):
        expect(page.get_by_role("navigation", name="Halaman")).to_contain_text(
            f"Halaman {number} dari 3"
        )
        titles += page.locator("table.agreements tbody tr th a").all_inner_texts()
        if number < 3:
            page.get_by_role("link", name="Berikutnya").click()
            # The next page's link kept the filter.
            expect(page).to_have_url(re.compile(rf"region=36.*page={number + 1}"))
            expect(page.get_by_role("combobox", name="Daerah:", exact=True)).to_have_value(
                "Provinsi Banten (36)"
            )
    # Events of Kabupaten Serang and Kota Serang, and the province's own signing.
    assert sorted(titles) == sorted(SEED_EVENTS)

    # The link reproduces the view: another visitor opening it sees the same list.
    page.goto(page.url)
    expect(page.get_by_role("heading", name="5 kerja sama ditemukan")).to_be_visible()


def test_filtering_by_another_province_narrows_the_list(catalogue, page):
    page.goto(catalogue.url + "/agreements/")
    page.get_by_role("combobox", name="Daerah:", exact=True).fill("Jawa Barat")  # a name, typed
    page.get_by_role("button", name="Terapkan filter").click()

    expect(page).to_have_url(re.compile(r"region=Jawa\+Barat"))
    expect(page.get_by_role("heading", name="2 kerja sama ditemukan")).to_be_visible()
    rows = page.locator("table.agreements tbody tr")
    expect(rows.filter(has_text=SERANG_BANDUNG)).to_have_count(1)
    expect(rows.filter(has_text=SERANG_TO_BANDUNG)).to_have_count(1)
    expect(rows.filter(has_text=BANTEN_BENGKULU)).to_have_count(0)


def test_agreement_page_shows_date_parties_and_participants_with_their_positions_then(
    catalogue, page
):
    page.goto(catalogue.url + "/agreements/")
    page.get_by_role("link", name=SERANG_BANDUNG).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(SERANG_BANDUNG)
    date = page.locator(".facts time").first
    expect(date).to_have_text("Senin, 30 Januari 2023")
    expect(date).to_have_attribute("datetime", "2023-01-30")
    parties = table_rows(page, "Para pihak")
    expect(parties).to_have_count(2)
    expect(parties.filter(has_text="Pemerintah Kabupaten Serang")).to_contain_text(
        "Kabupaten Serang"
    )
    expect(parties.filter(has_text="Pemerintah Kabupaten Bandung")).to_contain_text(
        "Kabupaten Bandung"
    )
    participants = table_rows(page, "Pejabat yang hadir")
    # Ratu Tatu Chasanah signed as Bupati Serang, though another holds the post now.
    expect(participants.filter(has_text="Ratu Tatu Chasanah")).to_contain_text("Bupati Serang")
    expect(participants.filter(has_text="M Dadang Supriatna")).to_contain_text("Bupati Bandung")
    expect(participants.filter(has_text="Rudi Suhartanto")).to_contain_text(
        "Inspektur Kabupaten Serang"
    )


def test_participant_leads_to_the_officials_positions_over_time(catalogue, page):
    page.goto(catalogue.url + SERANG_BANDUNG_PATH)
    table_rows(page, "Pejabat yang hadir").get_by_role("link", name="Ratu Tatu Chasanah").click()

    expect(page).to_have_url(re.compile("/officials/ratu-tatu-chasanah/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ratu Tatu Chasanah")
    expect(table_rows(page, "Riwayat jabatan").filter(has_text="Bupati Serang")).to_have_count(1)
    taken_part = table_rows(page, "Kerja sama yang diikuti")
    expect(taken_part.filter(has_text=SERANG_BANDUNG)).to_contain_text("Senin, 30 Januari 2023")


def test_party_leads_to_its_region_page(catalogue, page):
    page.goto(catalogue.url + SERANG_BANDUNG_PATH)
    table_rows(page, "Para pihak").get_by_role("link", name="Kabupaten Serang", exact=True).click()

    expect(page).to_have_url(re.compile("/regions/36.04/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kabupaten Serang")
    expect(page.locator(".facts")).to_contain_text("36.04")
    expect(page.locator(".facts")).to_contain_text("Provinsi Banten")
    # The region's agreements include the signing we came from.
    expect(page.get_by_role("link", name=SERANG_BANDUNG)).to_be_visible()


def test_language_switch_turns_the_page_to_english_and_back(catalogue, page):
    page.goto(catalogue.url + SERANG_BANDUNG_PATH)
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(re.escape(SERANG_BANDUNG_PATH) + "$"))
    expect(page.locator(".facts time").first).to_have_text("Monday, 30 January 2023")
    expect(page.get_by_role("heading", name="Officials present")).to_be_visible()
    expect(page.get_by_role("heading", name="Parties")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    # The choice sticks while the reader moves on.
    page.get_by_role("link", name="Agreements", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreements")

    page.get_by_role("button", name="Bahasa Indonesia").click()

    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kerja Sama")
    page.goto(catalogue.url + SERANG_BANDUNG_PATH)
    expect(page.locator(".facts time").first).to_have_text("Senin, 30 Januari 2023")
    expect(page.get_by_role("heading", name="Pejabat yang hadir")).to_be_visible()


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(catalogue, page):
    page.goto(catalogue.url + SERANG_BANDUNG_PATH)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Langsung ke konten utama")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab goes on from the main content, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize(
    "path",
    ["/", "/agreements/?region=36", SERANG_BANDUNG_PATH, "/regions/36.04/"],
    ids=["home", "list", "agreement", "region"],
)
def test_phone_width_page_has_no_sideways_scrolling(catalogue, page, path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(catalogue.url + path)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The main navigation and the language switch stay within reach.
    expect(page.get_by_role("button", name="English")).to_be_in_viewport()


@pytest.mark.parametrize("title", SEED_EVENTS)
def test_each_seed_event_is_found_from_the_home_page_in_a_few_clicks(catalogue, page, title):
    page.goto(catalogue.url)
    # By the latest agreements on the home page...
    table_rows(page, "Kerja sama terbaru").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    # ...and by searching the list for a word of its title.
    page.get_by_role("link", name="Beranda").first.click()
    page.get_by_role("link", name="Jelajahi dan cari semua kerja sama").click()
    page.get_by_label("Cari").fill(title)
    page.get_by_role("button", name="Terapkan filter").click()
    page.locator("table.agreements").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_on_a_phone_in_english_each_seed_event_is_found_through_its_region(catalogue, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(catalogue.url)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    for province, region, title in [
        ("Provinsi Banten", "Kabupaten Serang", SERANG_IASTIC),
        ("Provinsi Banten", "Kota Serang", KOTA_KAB_SERANG),
        ("Provinsi Jawa Barat", "Kota Bandung", SERANG_TO_BANDUNG),
        ("Provinsi Jawa Barat", "Kabupaten Bandung", SERANG_BANDUNG),
        ("Provinsi Bengkulu", "Provinsi Bengkulu", BANTEN_BENGKULU),
    ]:
        page.get_by_role("link", name="Regions", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Regions")
        # The regions page is compact: a province folds open to show its regions.
        page.locator("summary", has_text=province).click()
        page.locator("main").get_by_role("link", name=region, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(region)
        page.locator("main").get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_anonymous_visitor_does_not_see_a_draft(catalogue, page, make_agreement):
    draft = make_agreement(
        title="Draf kerja sama Banten dengan mitra rahasia",
        slug="draf-kerja-sama-banten",
        is_published=False,
        parties=[Organisation.objects.get(slug="pemerintah-provinsi-banten")],
    )

    page.goto(catalogue.url)
    expect(page.locator(".lead")).to_contain_text("5 kerja sama")
    expect(page.get_by_text(draft.title)).to_have_count(0)

    page.goto(catalogue.url + "/agreements/?region=36")
    expect(page.get_by_role("heading", name="5 kerja sama ditemukan")).to_be_visible()
    expect(page.get_by_text(draft.title)).to_have_count(0)

    page.goto(catalogue.url + "/regions/36/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Provinsi Banten")
    expect(page.get_by_text(draft.title)).to_have_count(0)

    response = page.goto(catalogue.url + draft.get_absolute_url())
    assert response.status == 404
    expect(page.get_by_text(draft.title)).to_have_count(0)
