"""The home page and the statistics page in a real browser: at desktop and phone width, in
Indonesian (the default) and in English (through the language switch), with no sideways
scrolling, no Content-Security-Policy violation, charts that lead to their lists, and no
serious or critical accessibility violation found by axe-core (tests/browser/vendor/).

The catalogue holds the five seed articles: in 2023 one KSDD, in 2025 two KSDD and a KSDLL,
in 2026 one KSDD.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import assert_clean, serious_axe_violations

PAGES = ["/", "/statistics/", "/statistics/?region=36&year=2025"]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["id", "en"])
def test_home_and_statistics_read_well_at_each_width_in_each_language(
    catalogue, watched, width, language
):
    page = watched
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(catalogue.url + "/")
    if language == "en":
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    english = language == "en"

    for path in PAGES:
        page.goto(catalogue.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_clean(page, width)

    page.goto(catalogue.url + "/statistics/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Statistics" if english else "Statistik"
    )
    charts = page.locator("svg.chart-svg")
    expect(charts).to_have_count(5)  # the seed articles record no money terms: no money chart
    for index in range(5):
        expect(charts.nth(index)).to_be_visible()
        box = charts.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    heading = (
        "Agreements per year, by category" if english else "Kerja sama per tahun, menurut kategori"
    )
    years = page.locator("section.chart", has=page.get_by_role("heading", name=heading))
    rows = years.locator("tbody tr")
    expect(rows).to_have_count(4)  # 2023 to 2026, 2024 empty
    expect(rows.filter(has_text="2025")).to_contain_text("3")


def test_a_bar_of_the_chart_leads_to_the_list_it_counts(catalogue, watched):
    page = watched
    page.goto(catalogue.url + "/statistics/")

    # The 2025 KSDLL segment of the years chart: one agreement, abroad.
    page.locator("svg.chart-svg a[href*='category=KSDLL']").first.click()

    expect(page).to_have_url(re.compile(r"/agreements/\?year=2025&category=KSDLL$"))
    expect(page.get_by_role("heading", name="1 kerja sama ditemukan")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("IASTIC Beijing")
    assert_clean(page, 1280)


def test_the_tables_links_lead_to_the_same_lists_in_english(catalogue, watched):
    page = watched
    page.goto(catalogue.url + "/statistics/")
    page.get_by_role("button", name="English").click()
    page.get_by_role("spinbutton", name="Year").fill("2025")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"year=2025"))

    stages = page.locator(
        "section.chart", has=page.get_by_role("heading", name="Agreements by stage")
    )
    first = stages.locator("tbody tr").first
    count = first.locator("td").inner_text()
    first.get_by_role("link").click()

    expect(
        page.get_by_role("heading", name=re.compile(rf"^{count} agreements? found$"))
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"year=2025&stage="))


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(catalogue, axe_page, path, width):
    page = axe_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(catalogue.url + path)

    assert serious_axe_violations(page) == []
