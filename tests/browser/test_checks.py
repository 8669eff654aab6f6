"""An Editor (not a superuser) in a real browser: a warning on saving an agreement whose
official's post the tenures do not record that day, the mark on the public page in both
languages, the two kinds of notes told apart, and deleting a draft while a published agreement
offers no delete link."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cooperation.models import Agreement
from tests.helpers import group

PASSWORD = "Kerjasama-Daerah-2025!"


def log_in_as_editor(page, live_server):
    user = get_user_model().objects.create_user("ani", password=PASSWORD, is_staff=True)
    user.groups.add(group("Editor"))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "ani")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


@pytest.fixture
def signing(live_server, make_agreement, make_participant, make_person, make_position):
    agreement = make_agreement(
        title="Penandatanganan Serang–Bandung",
        date=datetime.date(2023, 1, 30),
        data_notes="Tanggal dikonfirmasi dengan nama hari.",
        staff_notes="Rahasiainternal: tanyakan ke bagian hukum.",
    )
    post = make_position(title="Bupati Serang")
    zakiyah = make_person(name="Ratu Rachmatuzakiyah")
    post.tenures.create(person=zakiyah, start_date=datetime.date(2025, 2, 20))
    make_participant(agreement, person=zakiyah, position=post)
    return agreement


def test_an_editor_is_warned_and_the_public_page_marks_the_post(live_server, page, signing):
    log_in_as_editor(page, live_server)
    page.goto(f"{live_server.url}/admin/cooperation/agreement/{signing.pk}/change/")
    expect(
        page.get_by_text("Catatan data untuk publik (tampil di halaman kerja sama)")
    ).to_be_visible()
    expect(
        page.get_by_text("Catatan internal staf (tidak pernah tampil untuk publik)").first
    ).to_be_visible()
    # A published agreement: the Editor is offered no delete link.
    expect(page.locator("a.deletelink")).to_have_count(0)

    page.locator("input[name=_save]").click()

    warning = page.locator(".messagelist .warning")
    expect(warning).to_contain_text("Periksa Ratu Rachmatuzakiyah")
    expect(warning).to_contain_text("Bupati Serang pada 30 Januari 2023")

    page.goto(live_server.url + signing.get_absolute_url())
    row = page.locator("table.officials tbody tr", has_text="Ratu Rachmatuzakiyah")
    expect(row).to_contain_text("jabatan belum tercatat pada tanggal ini")
    expect(page.locator("body")).to_contain_text("Tanggal dikonfirmasi dengan nama hari.")
    expect(page.locator("body")).not_to_contain_text("Rahasiainternal")

    page.get_by_role("button", name="English").click()

    row = page.locator("table.officials tbody tr", has_text="Ratu Rachmatuzakiyah")
    expect(row).to_contain_text("post not recorded for this date")
    expect(row).to_contain_text("tenures may be incomplete")


def test_an_editor_deletes_a_draft(live_server, page, make_agreement):
    draft = make_agreement(title="Draf yang salah masuk", is_published=False)
    log_in_as_editor(page, live_server)
    page.goto(f"{live_server.url}/admin/cooperation/agreement/{draft.pk}/change/")

    page.locator("a.deletelink").click()
    expect(page).to_have_url(re.compile(r"/delete/$"))
    page.locator("input[type=submit]").click()

    expect(page.locator(".messagelist .success")).to_contain_text("Draf yang salah masuk")
    assert not Agreement.objects.filter(pk=draft.pk).exists()
