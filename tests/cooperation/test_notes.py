"""Public data notes and internal staff notes (issue 7 item 9, issue 11 item 8): the data notes
are printed on the agreement page; the staff notes stay in the admin, whatever the reader or
the format (page, CSV, XLSX, PDF, API, feed, search)."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.helpers import admin_url, html

PUBLIC = "Nama bupati dikoreksi dari sumber."
SECRET = "Rahasiainternal tanyakan Pak Budi sebelum terbit."
SECRET_WORD = "Rahasiainternal"


def body(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_text(response):
    workbook = load_workbook(io.BytesIO(body(response)), read_only=True)
    return repr([list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets])


def pdf_text(response):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body(response))).pages)


def feed_text(response):
    return ET.tostring(ET.fromstring(body(response)), encoding="unicode")


@pytest.fixture
def noted(make_agreement):
    return make_agreement(title="Kerja sama persampahan", data_notes=PUBLIC, staff_notes=SECRET)


def test_the_agreement_page_shows_the_data_notes_and_never_the_staff_notes(
    client, superuser_client, noted
):
    for reader in (client, superuser_client):
        page = html(reader.get(noted.get_absolute_url()))
        assert PUBLIC in page
        assert SECRET_WORD not in page


@pytest.mark.parametrize("name", ["cooperation:agreement_csv", "cooperation:agreement_xlsx"])
def test_exports_never_hold_the_staff_notes_even_for_staff(superuser_client, noted, name):
    response = superuser_client.get(reverse(name))

    text = xlsx_text(response) if name.endswith("xlsx") else body(response).decode()
    assert noted.title in text
    assert SECRET_WORD not in text


def test_printed_reports_never_hold_the_staff_notes(superuser_client, noted):
    fact_sheet = pdf_text(
        superuser_client.get(reverse("cooperation:agreement_fact_sheet", args=[noted.slug]))
    )
    report = pdf_text(superuser_client.get(reverse("cooperation:agreement_report")))

    assert noted.title in fact_sheet and noted.title in report
    assert SECRET_WORD not in fact_sheet + report


def test_the_api_never_answers_the_staff_notes(superuser_client, noted):
    listed = body(superuser_client.get(reverse("api:agreement-list"))).decode()
    detail = body(superuser_client.get(reverse("api:agreement-detail", args=[noted.slug]))).decode()

    assert noted.title in listed and noted.title in detail
    assert SECRET_WORD not in listed + detail


def test_the_feed_never_holds_the_staff_notes(client, noted):
    noted.save()  # a publication the feed reads from the history
    feed = feed_text(client.get(reverse("cooperation:agreement_feed")))

    assert noted.title in feed
    assert SECRET_WORD not in feed


def test_a_word_only_in_the_staff_notes_finds_nothing(client, superuser_client, noted):
    def found(reader, q):
        response = reader.get(reverse("cooperation:agreement_list"), {"q": q})
        return [agreement.slug for agreement in response.context["object_list"]]

    assert found(client, "persampahan") == [noted.slug]
    assert found(client, SECRET_WORD) == []
    assert found(superuser_client, SECRET_WORD) == []
    admin_search = superuser_client.get(admin_url(type(noted), "changelist"), {"q": SECRET_WORD})
    assert list(admin_search.context["cl"].result_list) == []


def test_the_admin_says_which_notes_are_public_and_which_internal(superuser_client, noted):
    page = html(superuser_client.get(admin_url(type(noted), "change", noted.pk)))

    assert "Public data notes (shown on the agreement page)" in page
    assert "Internal staff notes (never public)" in page
    assert "data notes (shown to the public)" in page.lower()
    assert "Shown to every visitor on the agreement page" in page
    assert "never shown to visitors and never exported" in page
    assert SECRET in page  # staff read them here


def test_the_indonesian_admin_labels_the_data_notes_as_public(superuser_client, noted):
    page = html(
        superuser_client.get(admin_url(type(noted), "change", noted.pk), HTTP_ACCEPT_LANGUAGE="id")
    )

    assert "Catatan data (tampil untuk publik)" in page
    assert "Catatan internal staf (tidak pernah tampil untuk publik)" in page
