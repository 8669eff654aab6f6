"""The region and organisation pickers in a real browser: suggestions as the reader types,
chosen with the keyboard or the mouse, under the site's Content-Security-Policy; and the same
inputs without JavaScript."""

import re

import pytest
from playwright.sync_api import expect


@pytest.fixture
def violations(page):
    """CSP violations the page reports (an inline script or style would be one)."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return found


def test_choosing_a_province_from_the_suggestions_with_the_keyboard(catalogue, page, violations):
    page.goto(catalogue.url + "/agreements/")
    region = page.get_by_role("combobox", name="Daerah:", exact=True)

    region.press_sequentially("bant", delay=50)
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options.first).to_contain_text("Provinsi Banten")
    expect(region).to_have_attribute("aria-expanded", "true")
    region.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    region.press("Enter")
    expect(region).to_have_value("Provinsi Banten (36)")
    expect(page.get_by_role("listbox")).to_be_hidden()
    page.get_by_role("button", name="Terapkan filter").click()

    expect(page.get_by_role("heading", name="5 kerja sama ditemukan")).to_be_visible()
    expect(region).to_have_value("Provinsi Banten (36)")
    assert violations == []


def test_choosing_a_partner_with_the_mouse(catalogue, page, violations):
    page.goto(catalogue.url + "/agreements/")
    partner = page.get_by_role("combobox", name="Organisasi mitra")

    partner.press_sequentially("iastic", delay=50)
    page.get_by_role("option", name=re.compile("IASTIC Beijing")).click()
    page.get_by_role("button", name="Terapkan filter").click()

    expect(page.get_by_role("heading", name="1 kerja sama ditemukan")).to_be_visible()
    assert violations == []


def test_without_javascript_a_name_is_typed_and_an_ambiguous_one_is_explained(catalogue, browser):
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    page.goto(catalogue.url + "/agreements/")

    page.locator("#id_region").fill("serang")
    page.get_by_role("button", name="Terapkan filter").click()
    expect(page.locator("#id_region_error")).to_contain_text("Kabupaten Serang (36.04)")
    expect(page.locator("#id_region_error")).to_contain_text("Kota Serang (36.73)")

    page.locator("#id_region").fill("36.73")
    page.get_by_role("button", name="Terapkan filter").click()
    expect(page.locator("#id_region")).to_have_value("Kota Serang (36.73)")
    expect(page.locator("table.agreements tbody tr")).not_to_have_count(0)
    context.close()
