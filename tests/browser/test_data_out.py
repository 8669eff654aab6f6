"""Data out and in, in a real browser: each export and report link of a filtered list, the
fact sheet, the feeds, the API's documentation page, the reminder settings and the import."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import User
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from cooperation.models import Agreement, Party
from regions.models import Organisation

PASSWORD = "kata-sandi-uji-yang-panjang"


def download(page, link_name):
    """Click the link and return what the browser saved."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return info.value.path().read_bytes()


def pdf_text(content):
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def banten_draft(catalogue):
    """A draft agreement in Banten, which visitors must not get in any file."""
    draft = Agreement.objects.create(
        slug="draf-banten",
        title="Draf kerja sama Banten",
        kind=Agreement.Kind.OTHER,
        stage=Agreement.Stage.EXPLORATION,
        is_published=False,
    )
    for slug in ("pemerintah-provinsi-banten", "pemerintah-provinsi-bengkulu"):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            organisation = Organisation.objects.filter(region__code="36").first()
        Party.objects.get_or_create(agreement=draft, organisation=organisation, role="signatory")
    return draft


def filter_by_banten(catalogue, page):
    page.goto(catalogue.url + "/agreements/")
    page.locator("#id_region").fill("36")  # the picker takes a code
    page.get_by_role("button", name="Terapkan filter").click()
    heading = page.get_by_role("heading", name=re.compile(r"\d+ kerja sama ditemukan"))
    return int(re.match(r"\d+", heading.inner_text()).group())


def test_each_export_of_a_filtered_list_holds_the_pages_rows_and_no_draft(
    catalogue, page, banten_draft
):
    count = filter_by_banten(catalogue, page)
    assert count == 5

    rows = list(csv.reader(io.StringIO(download(page, "CSV").decode("utf-8-sig"))))
    assert rows[0][0] == "Judul"
    assert len(rows) - 1 == count
    assert banten_draft.title not in {row[0] for row in rows}

    workbook = load_workbook(io.BytesIO(download(page, "Excel (XLSX)")), read_only=True)
    about, data = workbook.worksheets
    assert ["Daerah", "Provinsi Banten"] in [list(r) for r in about.iter_rows(values_only=True)]
    data_rows = list(data.iter_rows(values_only=True))
    assert len(data_rows) - 1 == count
    assert banten_draft.title not in {row[0] for row in data_rows}

    report = pdf_text(download(page, "Laporan PDF"))
    assert "Laporan Kerja Sama" in report
    assert "Provinsi Banten" in report
    assert f"{count} kerja sama" in report
    assert "Halaman 1 dari" in report
    assert banten_draft.title not in report


def test_exports_in_english_after_the_language_switch(catalogue, page):
    page.goto(catalogue.url + "/agreements/?order=title")
    page.get_by_role("button", name="English").click()

    rows = list(csv.reader(io.StringIO(download(page, "CSV").decode("utf-8-sig"))))
    assert rows[0][:3] == ["Title", "Date", "Kind"]
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])
    assert "Cooperation report" in pdf_text(download(page, "PDF report"))


def test_fact_sheet_link_gives_the_agreements_pdf(catalogue, page):
    agreement = Agreement.objects.published().first()
    page.goto(catalogue.url + agreement.get_absolute_url())

    text = pdf_text(download(page, "Lembar fakta (PDF)"))

    assert "Lembar fakta kerja sama" in text
    assert agreement.title.split()[0] in text


def test_region_page_links_to_its_feed_and_calendar(catalogue, page):
    page.goto(catalogue.url + "/regions/36/")
    feed = page.get_by_role("link", name="kerja sama baru (umpan Atom)")
    calendar = page.get_by_role("link", name=re.compile("kalender, iCal"))

    atom = page.request.get(catalogue.url + feed.get_attribute("href"))
    ics = page.request.get(catalogue.url + calendar.get_attribute("href"))

    assert atom.headers["content-type"].startswith("application/atom+xml")
    assert "<entry>" in atom.text()
    assert ics.text().startswith("BEGIN:VCALENDAR")


def test_api_documentation_page_works_under_the_content_security_policy(catalogue, page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    # Swagger UI is a large script: give a busy machine time to load it.
    page.goto(catalogue.url + "/api/docs/", timeout=120_000)

    expect(page.get_by_text("Katalog Kerja Sama Daerah API")).to_be_visible(timeout=60_000)
    operations = page.locator(".opblock-summary-path", has_text="/api/agreements/")
    expect(operations.first).to_be_visible()
    assert violations == []


def log_in(catalogue, page, user):
    page.goto(catalogue.url + "/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


def test_staff_follow_a_region_on_the_reminder_settings_page(catalogue, page):
    officer = User.objects.create_user("petugas", "petugas@biro.go.id", PASSWORD, is_staff=True)
    log_in(catalogue, page, officer)
    page.goto(catalogue.url)
    page.get_by_role("link", name="Pengaturan pengingat").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Pengaturan pengingat")
    expect(page.get_by_text("petugas@biro.go.id")).to_be_visible()
    page.get_by_role("combobox", name="Daerah").select_option(label="Provinsi Banten")
    page.get_by_role("button", name="Ikuti").click()

    expect(page.get_by_role("status")).to_contain_text("Anda akan menerima pengingat ini.")
    following = page.locator("section", has=page.get_by_role("heading", name="Yang Anda ikuti"))
    expect(following).to_contain_text("Provinsi Banten")
    assert officer.reminder_subscriptions.get().region.code == "36"


def test_an_editor_imports_a_spreadsheet_after_its_dry_run(catalogue, page, tmp_path):
    # The live server's database is flushed, so the migration's groups are gone: an
    # administrator imports here (the Editor's right to import is tested in test_import.py).
    editor = User.objects.create_superuser("editor", password=PASSWORD)
    log_in(catalogue, page, editor)
    page.goto(catalogue.url + "/admin/cooperation/agreement/")
    page.get_by_role("link", name="Impor").click()

    template = download(page, "Unduh templat (XLSX)")
    headers = [c.value for c in load_workbook(io.BytesIO(template)).worksheets[0][1]]
    workbook = Workbook()
    workbook.active.append(headers)
    values = {
        "judul": "Kerja sama uji impor",
        "jenis": "lainnya",
        "tahap": "penjajakan",
        "tanggal": "01/12/2026",
        "pihak": "36; 17",
    }
    workbook.active.append([values.get(header, "") for header in headers])
    path = tmp_path / "impor.xlsx"
    workbook.save(path)

    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_label("Format").select_option(label="xlsx")
    page.get_by_role("button", name=re.compile("Kirim|Submit")).click()
    expect(page.locator("table.import-preview")).to_contain_text("Kerja sama uji impor")
    assert not Agreement.objects.filter(title="Kerja sama uji impor").exists()
    page.get_by_role("button", name=re.compile("Konfirmasi|Confirm")).click()

    expect(page.get_by_role("link", name="Kerja sama uji impor")).to_be_visible()
    imported = Agreement.objects.get(title="Kerja sama uji impor")
    assert imported.parties.count() == 2
    assert imported.history.first().history_user == editor
