"""Exports of the filtered lists (CSV, XLSX) and the printable PDF reports."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cooperation.models import Agreement, Evaluation

CSV_URL = reverse("cooperation:agreement_csv")
XLSX_URL = reverse("cooperation:agreement_xlsx")
REPORT_URL = reverse("cooperation:agreement_report")


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_sheets(response):
    workbook = load_workbook(io.BytesIO(body(response)), read_only=True)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    return [page.extract_text() for page in reader.pages]


@pytest.fixture
def staff(db):
    return User.objects.create_user("petugas", password="x", is_staff=True)


def test_csv_has_the_rows_of_the_filtered_page_in_its_order(
    client, make_agreement, make_government, make_region
):
    region = make_region()
    government = make_government(region)
    make_agreement(title="B di daerah", parties=[government, make_government()])
    make_agreement(title="A di daerah", parties=[government, make_government()])
    make_agreement(title="Di tempat lain")

    query = {"region": region.code, "order": "title"}
    page = client.get(reverse("cooperation:agreement_list"), query)
    rows = csv_rows(client.get(CSV_URL, query))

    assert page.context["paginator"].count == len(rows) - 1 == 2
    assert [row[0] for row in rows[1:]] == ["A di daerah", "B di daerah"]


def test_visitors_get_no_drafts_and_staff_get_them_marked(client, staff, make_agreement):
    make_agreement(title="Terbit")
    make_agreement(title="Masih draf", is_published=False)

    visitor_rows = csv_rows(client.get(CSV_URL))
    client.force_login(staff)
    staff_rows = csv_rows(client.get(CSV_URL, {"lang": "en"}))

    assert [row[0] for row in visitor_rows[1:]] == ["Terbit"]
    assert "Published" not in visitor_rows[0] and "Diterbitkan" not in visitor_rows[0]
    published = staff_rows[0].index("Published")
    assert {row[0]: row[published] for row in staff_rows[1:]} == {
        "Terbit": "yes",
        "Masih draf": "no (draft)",
    }


def test_headers_follow_the_language_of_the_link(client, make_agreement):
    make_agreement()

    indonesian = csv_rows(client.get(CSV_URL))[0]
    english = csv_rows(client.get(CSV_URL, {"lang": "en"}))[0]

    assert indonesian[:3] == ["Judul", "Tanggal", "Jenis"]
    assert english[:3] == ["Title", "Date", "Kind"]


def test_internal_notes_are_never_exported(client, staff, make_agreement):
    make_agreement(staff_notes="CATATAN-INTERNAL-RAHASIA")
    client.force_login(staff)

    assert b"CATATAN-INTERNAL-RAHASIA" not in body(client.get(CSV_URL))
    sheets = xlsx_sheets(client.get(XLSX_URL))
    assert "CATATAN-INTERNAL-RAHASIA" not in repr(sheets)


def test_a_row_carries_category_parties_sectors_dates_and_a_link(
    client, make_agreement, make_sector
):
    agreement = make_agreement(sectors=[make_sector(name="Pariwisata")])
    row = dict(zip(*csv_rows(client.get(CSV_URL, {"lang": "en"})), strict=True))

    assert row["Category"].startswith("KSDD")
    assert row["Date"] == agreement.date.isoformat()
    assert row["Sectors"] == "Pariwisata"
    assert all(party.organisation.name in row["Parties"] for party in agreement.parties.all())
    assert row["Link"] == "http://testserver" + agreement.get_absolute_url()


def test_rows_carry_the_evaluations_count_and_the_latest_assessment(
    client, make_agreement, make_organisation
):
    evaluated = make_agreement(title="Dievaluasi")
    make_agreement(title="Belum dievaluasi")
    for day, assessment in [
        (datetime.date(2025, 6, 30), Evaluation.Assessment.ON_TRACK),
        (datetime.date(2025, 12, 15), Evaluation.Assessment.DELAYED),
    ]:
        Evaluation.objects.create(
            agreement=evaluated, year=day.year, evaluated_on=day, assessment=assessment
        )

    header, *rows = csv_rows(client.get(CSV_URL, {"lang": "en"}))
    by_title = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    sheet = list(xlsx_sheets(client.get(XLSX_URL, {"lang": "id"})).values())[1]
    xlsx = {row[0]: dict(zip(sheet[0], row, strict=True)) for row in sheet[1:]}

    assert by_title["Dievaluasi"]["Evaluations"] == "2"
    assert by_title["Dievaluasi"]["Latest evaluation"] == "2025-12-15"
    assert by_title["Dievaluasi"]["Latest assessment"] == "delayed"
    columns = ["Evaluations", "Latest evaluation", "Latest assessment"]
    assert [by_title["Belum dievaluasi"][column] for column in columns] == ["0", "", ""]
    assert xlsx["Dievaluasi"]["Evaluasi"] == "2"
    assert xlsx["Dievaluasi"]["Evaluasi terakhir"].date() == datetime.date(2025, 12, 15)
    assert xlsx["Dievaluasi"]["Penilaian terakhir"] == "tertunda"


def test_xlsx_states_the_filters_and_date_then_holds_the_rows(
    today, client, make_agreement, make_sector
):
    sector = make_sector(name="Pariwisata")
    make_agreement(title="Wisata", sectors=[sector])
    make_agreement(title="Lain")

    sheets = xlsx_sheets(client.get(XLSX_URL, {"sector": sector.slug, "lang": "en"}))

    about, rows = list(sheets.values())
    assert list(sheets) == ["About this export", "Agreements"]
    assert ["Sector", "Pariwisata"] in about
    exported_on = next(row for row in about if row[0] == "Exported on")
    assert exported_on[1].date() == today
    assert rows[0][0] == "Title" and [row[0] for row in rows[1:]] == ["Wisata"]
    assert rows[1][1].date() == Agreement.objects.get(title="Wisata").date


def test_follow_up_exports_follow_the_follow_up_filters(
    today, client, make_agreement, make_follow_up
):
    agreement = make_agreement()
    make_follow_up(agreement, action="Survei lokasi", status="planned")
    make_follow_up(agreement, action="Rapat teknis", status="done", done_on=today)
    hidden = make_agreement(is_published=False)
    make_follow_up(hidden, action="Dari draf", status="planned")

    rows = csv_rows(client.get(reverse("cooperation:followup_csv"), {"status": "planned"}))
    sheets = xlsx_sheets(client.get(reverse("cooperation:followup_xlsx")))

    assert [row[0] for row in rows[1:]] == ["Survei lokasi"]
    assert sorted(row[0] for row in list(sheets.values())[1][1:]) == [
        "Rapat teknis",
        "Survei lokasi",
    ]


def test_invalid_filters_export_nothing_and_say_why(client, make_agreement):
    make_agreement()

    response = client.get(CSV_URL, {"year": "abc", "lang": "en"})

    assert response.status_code == 400
    assert "Nothing was exported" in response.content.decode()
    assert "Year" in response.content.decode()


def test_csv_export_queries_do_not_grow_with_rows(client, make_agreement):
    make_agreement()
    with CaptureQueriesContext(connection) as one:
        body(client.get(CSV_URL))
    for _ in range(15):
        make_agreement()
    with CaptureQueriesContext(connection) as many:
        body(client.get(CSV_URL))

    assert len(many) == len(one)


def test_list_report_pdf_has_title_filters_date_and_page_numbers(
    today, client, make_agreement, make_sector
):
    sector = make_sector(name="Pariwisata")
    for n in range(40):
        make_agreement(title=f"Kerja sama wisata {n}", sectors=[sector])

    response = client.get(REPORT_URL, {"sector": sector.slug})

    assert response["Content-Type"] == "application/pdf"
    pages = pdf_text(response)
    assert len(pages) > 1
    assert "Laporan Kerja Sama" in pages[0]
    assert "Pariwisata" in pages[0]
    assert "40 kerja sama" in pages[0]
    assert f"Dicetak pada {today:%-d}" in pages[0]
    assert f"Halaman 1 dari {len(pages)}" in pages[0]
    assert f"Halaman {len(pages)} dari {len(pages)}" in pages[-1]


def test_list_report_stops_at_its_row_limit_and_says_so(monkeypatch, client, make_agreement):
    monkeypatch.setattr("cooperation.reports.REPORT_MAX_ROWS", 3)
    for day in range(1, 5):
        make_agreement(title=f"Kerja sama hari {day}", date=datetime.date(2026, 3, day))

    text = "\n".join(pdf_text(client.get(REPORT_URL, {"lang": "en"})))

    assert "4 agreements" in text
    assert "this report lists the first 3" in text
    assert "Kerja sama hari 2" in text and "Kerja sama hari 1" not in text


def test_fact_sheet_says_whether_the_agreement_is_in_force_or_expired(
    today, client, make_agreement
):
    now = today
    in_force = make_agreement(
        stage="implementation",
        valid_from=now - datetime.timedelta(days=30),
        valid_until=now + datetime.timedelta(days=300),
    )
    expired = make_agreement(
        stage="implementation",
        valid_from=now - datetime.timedelta(days=800),
        valid_until=now - datetime.timedelta(days=1),
    )

    def stage_line(agreement, language):
        url = reverse("cooperation:agreement_fact_sheet", args=[agreement.slug])
        text = pdf_text(client.get(url, {"lang": language}))
        lines = "\n".join(text).splitlines()
        return next(line for line in lines if line.startswith(("Tahap ", "Stage ")))

    assert "berlaku" in stage_line(in_force, "id")
    assert "in force" in stage_line(in_force, "en")
    assert "berakhir" in stage_line(expired, "id")
    assert "expired" in stage_line(expired, "en")


def test_fact_sheet_pdf_shows_the_agreement_and_hides_drafts(
    client, make_agreement, make_follow_up
):
    agreement = make_agreement(title="Kerja sama pengelolaan sampah", summary="Ringkasan singkat.")
    make_follow_up(agreement, action="Survei lokasi TPAS")
    draft = make_agreement(is_published=False)

    text = "\n".join(
        pdf_text(client.get(reverse("cooperation:agreement_fact_sheet", args=[agreement.slug])))
    )
    english = "\n".join(
        pdf_text(
            client.get(
                reverse("cooperation:agreement_fact_sheet", args=[agreement.slug]), {"lang": "en"}
            )
        )
    )

    assert "Kerja sama pengelolaan sampah" in text
    assert "Survei lokasi TPAS" in text
    assert "Para pihak" in text and "Halaman 1 dari 1" in text
    assert "Parties" in english and "Page 1 of 1" in english
    assert (
        client.get(reverse("cooperation:agreement_fact_sheet", args=[draft.slug])).status_code
        == 404
    )


def test_list_pages_link_to_their_exports_with_the_filters_and_language(client, make_agreement):
    agreement = make_agreement()

    page = client.get(
        reverse("cooperation:agreement_list"), {"order": "title", "page": "1"}
    ).content.decode()
    detail = client.get(agreement.get_absolute_url()).content.decode()

    assert f'href="{CSV_URL}?order=title&amp;lang=id"' in page
    assert f'href="{XLSX_URL}?order=title&amp;lang=id"' in page
    assert f'href="{REPORT_URL}?order=title&amp;lang=id"' in page
    assert reverse("cooperation:agreement_fact_sheet", args=[agreement.slug]) + "?lang=id" in detail
