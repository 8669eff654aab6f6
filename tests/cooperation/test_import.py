"""Spreadsheet import in the admin: a dry run listing creations, changes and every row's
errors; nothing written unless the whole file is valid; a template; kept in history."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cooperation.imports import IMPORT_COLUMNS
from cooperation.models import Agreement

IMPORT_URL = reverse("admin:cooperation_agreement_import")
PROCESS_URL = reverse("admin:cooperation_agreement_process_import")
HEADERS = [column for column, _help in IMPORT_COLUMNS]


def spreadsheet(*rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(column, "") for column in HEADERS])
    file = io.BytesIO()
    workbook.save(file)
    file.seek(0)
    file.name = "kerja-sama.xlsx"
    return file


@pytest.fixture
def editor(db, client):
    """An Editor (the migration's group), not a superuser."""
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    return user


@pytest.fixture
def parties(make_government, make_region, make_organisation):
    region = make_region(code="36.04", name="Kabupaten Serang")
    return make_government(region), make_organisation(
        name="IASTIC Beijing", short_name="IASTIC", country="CN"
    )


def upload(client, file):
    return client.post(IMPORT_URL, {"import_file": file, "format": "0", "resource": "0"})


def confirm(client, dry_run):
    form = dry_run.context["confirm_form"]
    return client.post(PROCESS_URL, {name: form[name].value() for name in form.fields})


def test_a_valid_file_is_shown_first_then_imported_with_history(
    client, editor, parties, make_agreement, make_sector
):
    government, institute = parties
    existing = make_agreement(title="Judul lama")
    make_sector(name="Investasi")
    file = spreadsheet(
        {
            "judul": "Pertemuan penjajakan investasi",
            "jenis": "pertemuan penjajakan",
            "tahap": "exploration",
            "tanggal": "05/10/2025",
            "pihak": "36.04; IASTIC",
            "sektor": "Investasi",
            "diterbitkan": "ya",
        },
        {
            "slug": existing.slug,
            "judul": "Judul baru",
            "jenis": existing.kind,
            "tahap": existing.stage,
            "tanggal": datetime.date(2025, 10, 24),  # a date cell
            "pihak": "; ".join(p.organisation.name for p in existing.parties.all()),
        },
    )

    dry_run = upload(client, file)
    page = dry_run.content.decode()

    assert dry_run.status_code == 200
    assert Agreement.objects.count() == 1 and Agreement.objects.get().title == "Judul lama"
    assert page.count('class="new"') == 1 and page.count('class="update"') == 1

    confirm(client, dry_run)

    created = Agreement.objects.get(title="Pertemuan penjajakan investasi")
    assert created.date == datetime.date(2025, 10, 5)
    assert created.kind == Agreement.Kind.EXPLORATORY_MEETING and created.is_published
    assert {p.organisation for p in created.parties.all()} == {government, institute}
    assert [s.name for s in created.sectors.all()] == ["Investasi"]
    assert created.category == Agreement.Category.KSDLL
    record = created.history.first()
    assert record.history_user == editor
    assert record.history_change_reason == "Diimpor dari spreadsheet"
    existing.refresh_from_db()
    assert existing.title == "Judul baru"
    assert existing.history.first().history_user == editor


def test_an_invalid_row_stops_the_whole_file_and_every_error_is_listed_by_row(
    client, editor, parties
):
    file = spreadsheet(
        {"judul": "Baik", "jenis": "other", "tahap": "exploration", "pihak": "36.04; IASTIC"},
        {
            "judul": "Buruk",
            "jenis": "kunjungan",
            "tahap": "exploration",
            "tanggal": "2025-10-24",
            "pihak": "36.04; Pemkot Entah",
            "sektor": "Tidak ada",
        },
    )

    response = upload(client, file)
    page = response.content.decode()

    assert Agreement.objects.count() == 0
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    rows = [cells for cells in _error_rows(page)]
    assert {(row, column) for row, column, _error in rows} == {
        ("3", "jenis"),
        ("3", "tanggal"),
        ("3", "pihak"),
        ("3", "sektor"),
    }
    assert any("Pemkot Entah" in error for _row, _column, error in rows)
    assert any("dd/mm/yyyy" in error for _row, _column, error in rows)


def _error_rows(page):
    table = page.split('class="import-errors"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)


def test_a_csv_with_indonesian_dates_imports_too(client, editor, parties):
    csv = (",".join(HEADERS) + "\n").encode()
    values = {h: "" for h in HEADERS}
    values.update(
        judul="Kesepakatan Bersama",
        jenis="joint_agreement",
        tahap="joint_agreement_signed",
        tanggal="1/2/2025",
        berlaku_sejak="01/02/2025",
        berlaku_sampai="31/01/2027",
        pihak="36.04;IASTIC Beijing",
    )
    csv += (",".join(values[h] for h in HEADERS) + "\n").encode()
    file = io.BytesIO(csv)
    file.name = "kerja-sama.csv"

    dry_run = client.post(IMPORT_URL, {"import_file": file, "format": "1", "resource": "0"})
    confirm(client, dry_run)

    agreement = Agreement.objects.get()
    assert (agreement.date, agreement.valid_from, agreement.valid_until) == (
        datetime.date(2025, 2, 1),
        datetime.date(2025, 2, 1),
        datetime.date(2027, 1, 31),
    )
    assert not agreement.is_published


def test_the_template_has_the_columns_and_their_instructions(client, editor):
    response = client.get(reverse("admin:cooperation_agreement_import_template"))

    workbook = load_workbook(io.BytesIO(response.content))
    columns, instructions = workbook.worksheets
    assert [cell.value for cell in columns[1]] == HEADERS
    assert [
        row[0].value for row in instructions.iter_rows(min_row=2, max_row=len(HEADERS) + 1)
    ] == HEADERS
    assert "template.xlsx" in client.get(IMPORT_URL).content.decode()


def test_only_users_who_may_add_agreements_import(client, db):
    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    viewer.groups.add(Group.objects.get(name="Viewer"))
    client.force_login(viewer)

    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(reverse("admin:cooperation_agreement_import_template")).status_code == 403


def test_an_imported_document_number_is_each_signatory_partys(client, editor, parties):
    file = spreadsheet(
        {
            "judul": "Kesepakatan bersama investasi",
            "jenis": "joint_agreement",
            "tahap": "joint_agreement_signed",
            "pihak": "36.04; IASTIC",
            "nomor_dokumen": "119/01/KSB/2025",
        }
    )

    confirm(client, upload(client, file))

    created = Agreement.objects.get(title="Kesepakatan bersama investasi")
    assert {p.document_number for p in created.parties.all()} == {"119/01/KSB/2025"}
    assert created.parties.count() == 2


def test_relations_are_imported_and_checked_as_in_the_admin(
    client, editor, parties, make_agreement
):
    ksb = make_agreement(slug="ksb-2023", title="KSB 2023", date=datetime.date(2023, 1, 5))
    row = {
        "judul": "PKS persampahan",
        "jenis": "cooperation_agreement",
        "tahap": "cooperation_agreement_signed",
        "tanggal": "05/10/2025",
        "pihak": "36.04; IASTIC",
        "relasi": "melaksanakan: ksb-2023; renews: PKS 2020 No. 12/2020",
    }
    backwards = {
        **row,
        "judul": "Terlalu tua",
        "tanggal": "01/01/2020",
        "relasi": "renews: ksb-2023",
    }

    refused = upload(client, spreadsheet(backwards)).content.decode()
    confirm(client, upload(client, spreadsheet(row)))

    assert "after this one" in refused or "sesudah kerja sama ini" in refused
    created = Agreement.objects.get(title="PKS persampahan")
    assert sorted(created.relations.values_list("type", "earlier", "earlier_description")) == [
        ("implements", ksb.pk, ""),
        ("renews", None, "PKS 2020 No. 12/2020"),
    ]
    assert created.relations.first().history.first().history_change_reason == (
        "Diimpor dari spreadsheet"
    )
