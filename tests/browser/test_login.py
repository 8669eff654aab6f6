"""A reader without a staff account logs in when the catalogue requires a login."""

import pytest
from playwright.sync_api import expect

PASSWORD = "Kerjasama-Daerah-2025!"


@pytest.fixture
def reader(settings, django_user_model):
    settings.CATALOGUE_LOGIN_REQUIRED = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return django_user_model.objects.create_user("pembaca", password=PASSWORD)


def test_a_reader_is_asked_to_log_in_and_then_sees_the_page_asked_for(catalogue, page, reader):
    page.goto(catalogue.url + "/agreements/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk")
    page.get_by_label("Nama pengguna").fill("pembaca")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    expect(page).to_have_url(catalogue.url + "/agreements/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/login/" not in page.url


def test_a_wrong_password_is_refused_with_a_message(catalogue, page, reader):
    page.goto(catalogue.url + "/")
    page.get_by_label("Nama pengguna").fill("pembaca")
    page.get_by_label("Sandi").fill("salah")
    page.get_by_role("button", name="Masuk").click()

    expect(page.locator(".form-errors")).to_be_visible()
    assert "/login/" in page.url
