"""The publisher's identity (bureau, government, logo, contact, licence): set by an
administrator or by settings, shown in the header and footer, the admin, printouts and
exports; and what else every page's frame shows (the logout button)."""

import io

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from cooperation.models import SiteIdentity
from tests.helpers import html


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def first_sheet(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_without_an_identity_the_catalogue_shows_its_own_name_and_the_default_licence(client, db):
    page = html(client.get(reverse("cooperation:home"), HTTP_ACCEPT_LANGUAGE="en"))

    assert '<span class="brand-name">Regional Cooperation Catalogue</span>' in page
    assert "brand-publisher" not in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in page


def test_settings_give_the_identity_when_the_admin_has_set_none(client, settings, db):
    settings.CATALOGUE_IDENTITY = {
        **settings.CATALOGUE_IDENTITY,
        "bureau_name": "Biro Pemerintahan",
        "government_name": "Pemerintah Provinsi Banten",
        "email": "biro@example.go.id",
    }
    cache.clear()

    page = html(client.get(reverse("cooperation:home")))

    assert "Biro Pemerintahan · Pemerintah Provinsi Banten" in page
    assert '<a href="mailto:biro@example.go.id">biro@example.go.id</a>' in page


def test_the_admin_s_identity_shows_in_header_footer_and_admin(client, admin_user, media):
    SiteIdentity.objects.create(
        bureau_name="Biro Pemerintahan dan Otonomi Daerah",
        government_name="Pemerintah Provinsi Banten",
        address="KP3B, Serang",
        phone="(0254) 000000",
        licence_name="ODbL 1.0",
        licence_url="https://opendatacommons.org/licenses/odbl/1-0/",
        logo=ContentFile(png(), name="logo.png"),
    )

    page = html(client.get(reverse("cooperation:home"), HTTP_ACCEPT_LANGUAGE="en"))

    assert "Biro Pemerintahan dan Otonomi Daerah · Pemerintah Provinsi Banten" in page
    assert '<img class="brand-logo" src="/identity/logo"' in page
    assert "KP3B, Serang" in page and "Telephone: (0254) 000000" in page
    assert 'under the licence <a href="https://opendatacommons.org/licenses/odbl/1-0/">' in page
    logo = client.get(reverse("cooperation:identity_logo"))
    assert logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == png()

    client.force_login(admin_user)
    admin_page = html(client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en"))
    assert '<a href="/admin/">Regional Cooperation Catalogue</a>' in admin_page
    assert "Django administration" not in admin_page


def test_the_logo_is_404_until_one_is_uploaded(client, db):
    assert client.get(reverse("cooperation:identity_logo")).status_code == 404


def test_the_admin_is_titled_with_the_catalogue_s_name_in_indonesian(client, admin_user):
    client.force_login(admin_user)

    page = html(client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="id"))

    assert "<title>Pengelolaan katalog | Katalog Kerja Sama Daerah</title>" in page


def test_exports_and_printouts_carry_the_identity(client, media, make_agreement):
    SiteIdentity.objects.create(
        bureau_name="Biro Pemerintahan", government_name="Pemerintah Provinsi Banten"
    )
    agreement = make_agreement(title="Kerja sama air bersih")

    sheet = first_sheet(client.get(reverse("cooperation:agreement_xlsx")))
    assert sheet[0][0] == "Biro Pemerintahan"
    assert sheet[1][0] == "Pemerintah Provinsi Banten"

    pdf = client.get(reverse("cooperation:agreement_fact_sheet", args=[agreement.slug]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Biro Pemerintahan" in text and "Pemerintah Provinsi Banten" in text


def test_the_identity_has_one_row(admin_user, client):
    SiteIdentity.objects.create(bureau_name="Biro Pemerintahan")
    client.force_login(admin_user)

    assert client.get(reverse("admin:cooperation_siteidentity_add")).status_code == 403
    assert client.post(reverse("admin:cooperation_siteidentity_delete", args=[1])).status_code in (
        403,
        302,
    )
    assert SiteIdentity.objects.count() == 1


def test_a_logged_in_reader_can_log_out_from_the_header(client, db):
    reader = User.objects.create_user("pembaca", password="rahasia-sekali-123")
    client.force_login(reader)

    page = html(client.get(reverse("cooperation:home"), HTTP_ACCEPT_LANGUAGE="en"))
    assert f'<form class="logout" action="{reverse("cooperation:logout")}" method="post">' in page

    response = client.post(reverse("cooperation:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert 'class="logout"' not in html(client.get(reverse("cooperation:home")))
