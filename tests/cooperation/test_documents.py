"""Signed documents: attached by editors on the agreement's admin page (PDF, PNG or JPEG by
content, at most 20 MB), stored under generated names, listed on the agreement page and served as
attachments through a view that applies the agreement's visibility."""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation.models import MAX_DOCUMENT_SIZE, Document
from tests.helpers import change_form_data

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
WRONG_TYPE = "Only PDF, PNG and JPEG files are accepted; this file&#x27;s content is none of these."


@pytest.fixture
def make_document(media):
    def make(agreement, title="Naskah Kesepakatan Bersama", content=PDF, **fields):
        fields.setdefault("type", Document.Type.SIGNED_TEXT)
        fields.setdefault("content_type", "application/pdf")
        return Document.objects.create(
            agreement=agreement, title=title, file=ContentFile(content, name="upload"), **fields
        )

    return make


def attach(client, agreement, name, content, title="Naskah Kesepakatan Bersama"):
    """Attach one file on the agreement's admin page, as an editor's browser would."""
    url = reverse("admin:cooperation_agreement_change", args=[agreement.pk])
    data = change_form_data(client.get(url))
    index = int(data["documents-TOTAL_FORMS"])
    data.update(
        {
            "documents-TOTAL_FORMS": str(index + 1),
            f"documents-{index}-type": "signed_text",
            f"documents-{index}-title": title,
            f"documents-{index}-date": "2025-10-24",
            f"documents-{index}-file": SimpleUploadedFile(name, content),
        }
    )
    return client.post(url, data)


# --- Attaching in the admin -----------------------------------------------------------------


def test_an_editor_attaches_a_signed_pdf_stored_under_a_generated_name(
    editor_client, media, make_agreement
):
    agreement = make_agreement()

    response = attach(editor_client, agreement, "Naskah KSB Banten-Bengkulu (final).pdf", PDF)

    assert response.status_code == 302
    document = agreement.documents.get()
    assert (document.type, document.title) == ("signed_text", "Naskah Kesepakatan Bersama")
    assert document.date == datetime.date(2025, 10, 24)
    assert document.content_type == "application/pdf"
    stored = Path(document.file.path)
    assert stored.parent == media / "documents"
    assert "Naskah" not in stored.name and stored.suffix == ".pdf"
    assert stored.read_bytes() == PDF


def test_a_png_named_pdf_is_accepted_as_a_png_by_its_content(editor_client, media, make_agreement):
    agreement = make_agreement()

    response = attach(editor_client, agreement, "foto-penandatanganan.pdf", PNG)

    assert response.status_code == 302
    document = agreement.documents.get()
    assert document.content_type == "image/png"
    assert document.file.name.endswith(".png")


def test_a_jpeg_photo_is_accepted(editor_client, media, make_agreement):
    agreement = make_agreement()

    assert attach(editor_client, agreement, "foto.jpg", JPEG).status_code == 302
    assert agreement.documents.get().content_type == "image/jpeg"


@pytest.mark.parametrize(
    "name, content",
    [
        ("naskah.pdf", b"Ini hanya teks biasa, bukan PDF.\n"),
        ("pemasang.exe", EXE),
        ("naskah.pdf", EXE),
        ("kosong.pdf", b"%PD"),
    ],
)
def test_a_file_that_is_not_pdf_png_or_jpeg_is_refused_with_a_message(
    editor_client, media, make_agreement, name, content
):
    agreement = make_agreement()

    response = attach(editor_client, agreement, name, content)

    assert response.status_code == 200
    assert WRONG_TYPE in response.content.decode()
    assert not agreement.documents.exists()
    assert not (media / "documents").exists() or not list((media / "documents").iterdir())


def test_a_file_one_byte_over_20_mb_is_refused_with_a_message(editor_client, media, make_agreement):
    agreement = make_agreement()
    too_big = PDF + b"\0" * (MAX_DOCUMENT_SIZE + 1 - len(PDF))

    response = attach(editor_client, agreement, "naskah.pdf", too_big)

    assert response.status_code == 200  # the form's message, not a 400 or 413
    assert "The file is 20.0 MB; documents may be at most 20 MB." in response.content.decode()
    assert not agreement.documents.exists()


def test_a_file_of_exactly_20_mb_is_accepted(editor_client, media, make_agreement):
    agreement = make_agreement()
    largest = PDF + b"\0" * (MAX_DOCUMENT_SIZE - len(PDF))

    response = attach(editor_client, agreement, "naskah.pdf", largest)

    assert response.status_code == 302
    assert agreement.documents.get().file.size == MAX_DOCUMENT_SIZE


def test_the_agreement_is_saved_again_when_a_stored_file_went_missing(
    editor_client, media, make_agreement, make_document
):
    agreement = make_agreement()
    document = make_document(agreement)
    Path(document.file.path).unlink()
    url = reverse("admin:cooperation_agreement_change", args=[agreement.pk])

    response = editor_client.post(url, change_form_data(editor_client.get(url), venue="KP3B"))

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.venue == "KP3B"
    assert agreement.documents.get() == document


def test_the_admin_links_a_stored_document_to_the_download_view_not_to_media(
    editor_client, media, make_agreement, make_document
):
    agreement = make_agreement()
    document = make_document(agreement)

    page = editor_client.get(reverse("admin:cooperation_agreement_change", args=[agreement.pk]))

    content = page.content.decode()
    assert f'href="{document.get_absolute_url()}"' in content
    assert document.file.name not in content


def test_an_editor_removes_a_wrong_document(editor_client, media, make_agreement, make_document):
    agreement = make_agreement()
    make_document(agreement, title="Dokumen yang salah")
    url = reverse("admin:cooperation_agreement_change", args=[agreement.pk])
    data = change_form_data(editor_client.get(url))
    data["documents-0-DELETE"] = "on"

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert not agreement.documents.exists()


# --- Downloading ----------------------------------------------------------------------------


def test_a_published_agreement_s_document_downloads_as_an_attachment(
    client, make_agreement, make_document
):
    document = make_document(make_agreement(is_published=True))

    response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="naskah-kesepakatan-bersama.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_png_downloads_with_its_own_type_and_extension(client, make_agreement, make_document):
    document = make_document(
        make_agreement(is_published=True),
        title="Foto penandatanganan",
        content=PNG,
        type=Document.Type.PHOTO,
        content_type="image/png",
    )

    response = client.get(document.get_absolute_url())

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="foto-penandatanganan.png"'


def test_the_download_name_comes_from_the_title_and_is_safe(client, make_agreement, make_document):
    document = make_document(
        make_agreement(is_published=True), title='../../etc/passwd"; x=.exe\r\nSet-Cookie: a'
    )

    response = client.get(document.get_absolute_url())

    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="etcpasswd-xexe-set-cookie-a.pdf"'
    assert "/" not in disposition and "\n" not in disposition


def test_a_draft_s_documents_are_404_to_visitors_and_served_to_staff(
    client, viewer_client, make_agreement, make_document
):
    document = make_document(make_agreement(is_published=False))

    assert client.get(document.get_absolute_url()).status_code == 404
    response = viewer_client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_documents_ask_for_a_login_when_the_catalogue_requires_it(
    client, settings, make_agreement, make_document
):
    settings.CATALOGUE_LOGIN_REQUIRED = True
    document = make_document(make_agreement(is_published=True))

    response = client.get(document.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_document_whose_file_is_missing_is_404_not_500(client, make_agreement, make_document):
    document = make_document(make_agreement(is_published=True))
    Path(document.file.path).unlink()

    response = client.get(document.get_absolute_url())

    assert response.status_code == 404


def test_an_unknown_document_is_404(client, db):
    assert client.get(reverse("cooperation:document_download", args=[999])).status_code == 404


def test_media_files_are_not_served_at_a_url_of_their_own(client, make_agreement, make_document):
    document = make_document(make_agreement(is_published=False))

    assert client.get(f"/media/{document.file.name}").status_code == 404


# --- On the agreement page ------------------------------------------------------------------


def test_the_agreement_page_lists_its_documents_with_type_title_and_date(
    client, make_agreement, make_document
):
    agreement = make_agreement(is_published=True)
    signed = make_document(agreement, date=datetime.date(2025, 10, 24))
    photo = make_document(
        agreement,
        title="Foto penandatanganan",
        content=PNG,
        type=Document.Type.PHOTO,
        content_type="image/png",
    )

    response = client.get(agreement.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    section = content[content.index('id="documents"') :]
    assert "signed text" in section and "photo of the signing" in section
    assert f'<a href="{signed.get_absolute_url()}" download>Naskah Kesepakatan Bersama</a>' in (
        section
    )
    assert f'href="{photo.get_absolute_url()}"' in section
    assert '<time datetime="2025-10-24">Friday, 24 October 2025</time>' in section


def test_an_agreement_without_documents_says_so(client, make_agreement):
    agreement = make_agreement(is_published=True)

    response = client.get(agreement.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    assert "No documents recorded." in response.content.decode()


# --- Files on disk follow the documents -------------------------------------------------------


def stored(document):
    return Path(document.file.path)


def test_a_removed_document_s_file_is_deleted_once_the_save_commits(
    editor_client, media, make_agreement, make_document, django_capture_on_commit_callbacks
):
    agreement = make_agreement()
    document = make_document(agreement, title="Dokumen yang salah")
    url = reverse("admin:cooperation_agreement_change", args=[agreement.pk])
    data = change_form_data(editor_client.get(url))
    data["documents-0-DELETE"] = "on"

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)

    assert response.status_code == 302
    assert not stored(document).exists()


def test_a_replaced_file_is_deleted_and_the_new_one_kept(
    superuser_client, media, make_agreement, make_document, django_capture_on_commit_callbacks
):
    document = make_document(make_agreement())
    old = stored(document)
    url = reverse("admin:cooperation_document_change", args=[document.pk])
    data = change_form_data(superuser_client.get(url))
    data["file"] = SimpleUploadedFile("naskah-baru.pdf", PDF + b"% versi baru\n")

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(url, data)

    assert response.status_code == 302
    document.refresh_from_db()
    assert not old.exists()
    assert stored(document).read_bytes() == PDF + b"% versi baru\n"


def test_the_files_of_a_deleted_agreement_stay_for_its_restore(
    superuser_client, media, make_agreement, make_document, django_capture_on_commit_callbacks
):
    agreement = make_agreement()
    document = make_document(agreement)
    url = reverse("admin:cooperation_agreement_delete", args=[agreement.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert stored(document).read_bytes() == PDF


# --- Request bodies ---------------------------------------------------------------------------


def post_declaring(client, megabytes):
    """A POST that says it carries ``megabytes`` MB (it carries one byte: nothing may read on)."""
    return client.generic(
        "POST",
        "/admin/login/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(megabytes * 1024 * 1024),
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_large_anonymous_upload_is_refused_before_it_is_read(client):
    response = post_declaring(client, 300)

    assert response.status_code == 413
    assert "at most 2.5 MB can be sent at once" in response.content.decode()


def test_staff_may_send_a_document_but_not_more_than_25_mb(editor_client):
    assert post_declaring(editor_client, 26).status_code == 413


def test_restoring_a_removed_document_asks_for_its_file_again(
    superuser_client, media, make_agreement, make_document, django_capture_on_commit_callbacks
):
    document = make_document(make_agreement())
    pk = document.pk
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(
            reverse("admin:cooperation_document_delete", args=[pk]), {"post": "yes"}
        )
    deletion = Document.history.filter(id=pk, history_type="-").get()
    revert_url = reverse(
        "admin:cooperation_document_simple_history", args=[pk, deletion.history_id]
    )

    response = superuser_client.post(revert_url, change_form_data(superuser_client.get(revert_url)))

    assert response.status_code == 200
    assert "Upload the file again." in response.content.decode()
    assert not Document.objects.filter(pk=pk).exists()
