"""The cooperation network page in a real browser, at desktop and phone width, in Indonesian
(the browser's language) and in English after the site's language switch: the drawing's links
lead to the agreements they count, the page never scrolls sideways, and nothing breaks the
Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import assert_clean, serious_axe_violations

HEADINGS = {
    "id": ("Jaringan kerja sama", "Jaringan kerja sama di Provinsi Banten", r"(\d+) kerja sama"),
    "en": (
        "Cooperation network",
        "Cooperation network in Provinsi Banten",
        r"(\d+) agreements?",
    ),
}
FOUND = {"id": "{} kerja sama ditemukan", "en": "{} agreements found"}
PAGES = ["/network/", "/network/36/", "/network/?year=2025&category=KSDD"]


def open_network(page, catalogue, language):
    page.goto(f"{catalogue.url}/network/")
    if language == "en":
        page.get_by_role("button", name="English").click()
    national, _province, _count = HEADINGS[language]
    expect(page.get_by_role("heading", level=1)).to_have_text(national)


def found(language, count):
    text = FOUND[language].format(count)
    if language == "en" and count == 1:
        text = "1 agreement found"
    return text


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["id", "en"])
def test_a_link_of_the_drawing_leads_to_the_agreements_it_counts(
    catalogue, watched, width, language
):
    page = watched
    page.set_viewport_size({"width": width, "height": 900})
    open_network(page, catalogue, language)
    assert_clean(page, width)

    # The strongest link: Banten and Jawa Barat (Kabupaten Serang with Kabupaten Bandung, Kota
    # Serang's visit to Kota Bandung). Its title says how many agreements it stands for.
    edge = page.locator("svg.network-graph a.edge").first
    title = edge.locator("title").text_content()
    assert "Provinsi Banten" in title and "Provinsi Jawa Barat" in title
    count = int(re.search(HEADINGS[language][2], title).group(1))
    assert count == 2
    edge.click()

    expect(page).to_have_url(
        re.compile(r"/agreements/\?region=(36&partner_region=32|32&partner_region=36)$")
    )
    expect(page.get_by_role("heading", name=found(language, count))).to_be_visible()
    expect(page.locator("table.agreements tbody tr")).to_have_count(count)
    assert_clean(page, width)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["id", "en"])
def test_a_province_on_the_map_opens_the_network_within_it(catalogue, watched, width, language):
    page = watched
    page.set_viewport_size({"width": width, "height": 900})
    open_network(page, catalogue, language)

    page.locator("svg.tile-map a.tile", has=page.locator("text", has_text="BANTEN")).click()

    _national, province, _count = HEADINGS[language]
    expect(page.get_by_role("heading", level=1)).to_have_text(province)
    pairs = page.locator("table.network-pairs tbody tr")
    serang = pairs.filter(has_text="Kabupaten Serang").filter(has_text="Kota Serang")
    expect(serang).to_have_count(1)
    assert_clean(page, width)

    # The table is the drawing's text alternative: its numbers lead to the same list.
    serang.get_by_role("link", name=re.compile(HEADINGS[language][2])).click()
    expect(page).to_have_url(re.compile(r"region=36\.04&partner_region=36\.73"))
    expect(page.get_by_role("heading", name=found(language, 1))).to_be_visible()
    assert_clean(page, width)


def test_filtering_by_year_narrows_the_network(catalogue, watched):
    page = watched
    page.goto(f"{catalogue.url}/network/")
    page.get_by_label("Tahun").fill("2023")
    page.get_by_role("button", name="Terapkan filter").click()

    expect(page).to_have_url(re.compile(r"year=2023"))
    expect(page.locator("svg.network-graph a.edge")).to_have_count(1)
    # Kabupaten Serang and Kabupaten Bandung, 30 January 2023.
    pairs = page.locator("table.network-pairs tbody tr")
    expect(pairs).to_have_count(1)
    pairs.get_by_role("link", name="1 kerja sama").click()
    expect(page).to_have_url(re.compile(r"year=2023"))
    expect(page.get_by_role("heading", name="1 kerja sama ditemukan")).to_be_visible()
    assert_clean(page, 1280)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(catalogue, axe_page, path, width):
    page = axe_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(catalogue.url + path)

    assert serious_axe_violations(page) == []
