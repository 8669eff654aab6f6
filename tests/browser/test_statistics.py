"""The home page and the statistics page in a real browser: at desktop and phone width, in
Indonesian (the default) and in English (through the language switch), with no sideways
scrolling, no Content-Security-Policy violation, charts that lead to their lists, and no
serious or critical accessibility violation found by axe-core (tests/browser/vendor/).

The catalogue holds the five seed articles: in 2023 one KSDD, in 2025 two KSDD and a KSDLL,
in 2026 one KSDD.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PAGES = ["/", "/statistics/", "/statistics/?region=36&year=2025"]

# Each violation of the policy is recorded in the page itself (before any of its scripts).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(page):
    """The page, recording console errors and Content-Security-Policy violations."""
    page.add_init_script(RECORD_VIOLATIONS)
    page.errors = []

    def console(message):
        # The browser asks for /favicon.ico on its own; the site has none.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            page.errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def assert_clean(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("window.__violations") == []
    assert page.errors == []


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


@pytest.fixture
def axe_page(browser, catalogue):
    """A page on which axe-core can be injected: the policy forbids inline scripts, so this
    context alone bypasses it (the other tests check that pages keep to it)."""
    context = browser.new_context(bypass_csp=True, locale="id-ID")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(catalogue, axe_page, path, width):
    page = axe_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(catalogue.url + path)
    page.add_script_tag(path=str(AXE))

    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")

    serious = [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
