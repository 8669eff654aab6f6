"""The admin at desktop and tablet width (issue 10 item 8): an officer opens the agreement list
and an agreement with its inlines; the page never scrolls sideways, and every inline's fields
can be seen and typed into."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cooperation.models import Agreement

SERANG_BANDUNG = "kerja-sama-kabupaten-serang-kabupaten-bandung-2023"


def log_in(page, live_server):
    get_user_model().objects.create_superuser("officer", "officer@example.org", "a-long-secret-1")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "a-long-secret-1")
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 800])
def test_the_agreement_list_fits_the_window(catalogue, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, catalogue)
    page.goto(f"{catalogue.url}/admin/cooperation/agreement/")

    expect(page.locator("#result_list tbody tr")).to_have_count(5)
    assert no_sideways_scroll(page)


@pytest.mark.parametrize("width", [1280, 800])
def test_an_agreement_and_its_inlines_can_be_edited_without_sideways_scroll(catalogue, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, catalogue)
    agreement = Agreement.objects.get(slug=SERANG_BANDUNG)
    page.goto(f"{catalogue.url}/admin/cooperation/agreement/{agreement.pk}/change/")

    expect(page.locator("#id_title")).to_be_visible()
    assert no_sideways_scroll(page)
    checked = 0
    groups = page.locator(".inline-group")
    assert groups.count() >= 3  # parties, participants, follow-ups, sources ...
    for index in range(groups.count()):
        group = groups.nth(index)
        # What the officer types into or picks from: text, numbers, dates, selects (an
        # autocomplete select shows its own box and hides the <select> itself).
        controls = (
            ":is(input[type=text], input[type=number], input[type=date], input[type=url], "
            "select:not(.select2-hidden-accessible), textarea, .select2-selection)"
        )
        fields = group.locator(
            f":is(tbody tr.form-row, .inline-related):not(.empty-form) {controls}"
        )
        for position in range(min(fields.count(), 12)):
            field = fields.nth(position)
            if not field.is_visible():
                continue  # a field of a folded (collapsed) fieldset
            field.scroll_into_view_if_needed()
            box = field.bounding_box()
            # Usable: wide enough to read what it holds, and reachable inside the window
            # (a wide table scrolls within its own group, not the page).
            assert box["width"] >= 48, (index, position, box)
            expect(field).to_be_in_viewport()
            assert box["x"] >= 0 and box["x"] + min(box["width"], 48) <= width
            checked += 1
        assert no_sideways_scroll(page)
    assert checked >= 6  # the inlines' fields were there to check
