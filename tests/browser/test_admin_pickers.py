"""The admin's region and organisation filters: an officer filters the agreement list by a
region found by typing (the public pickers' suggestions), under the site's
Content-Security-Policy."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect


def log_in(page, live_server):
    get_user_model().objects.create_superuser("officer", "officer@example.org", "a-long-secret-1")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "a-long-secret-1")
    page.click("input[type=submit]")


def test_an_officer_filters_agreements_by_a_region_found_by_typing(catalogue, page):
    refused, missing = [], []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("/favicon.ico")
            and missing.append(response.url)
        ),
    )
    log_in(page, catalogue)
    page.goto(f"{catalogue.url}/admin/cooperation/agreement/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(5)

    region = page.locator("#filter_region")
    region.fill("Bengkulu")
    page.get_by_role("option", name=re.compile("Provinsi Bengkulu")).click()
    expect(region).to_have_value("Provinsi Bengkulu (17)")
    region.press("Enter")

    expect(page).to_have_url(re.compile(r"region=Provinsi\+Bengkulu\+%2817%29"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Bengkulu")
    expect(region).to_have_value("Provinsi Bengkulu (17)")
    assert refused == []  # no script or style refused by the policy
    assert missing == []  # every script and style was found
