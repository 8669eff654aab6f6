"""Login lockout (django-axes): repeated failures lock a user name at an address out."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "Kerjasama-Banten-2025!"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """These tests log in many times; a cheap hasher keeps them quick (never in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def officer_account(django_user_model):
    return django_user_model.objects.create_user("petugas", password=PASSWORD, is_staff=True)


def admin_login(client, username, password, address="10.0.0.1"):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        headers={"accept-language": "en"},
    )


def fail_until_locked(client, username, address="10.0.0.1"):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        response = admin_login(client, username, "wrong-password", address)
    return response


def test_settings_lock_after_five_failures_for_an_hour():
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_COOLOFF_TIME.total_seconds() == 3600


def test_a_failed_login_below_the_limit_still_lets_the_right_password_in(client, officer_account):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        response = admin_login(client, "petugas", "wrong-password")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    response = admin_login(client, "petugas", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(
    client, officer_account
):
    locked = fail_until_locked(client, "petugas")

    assert locked.status_code == 429
    assert "Login locked" in locked.content.decode()

    response = admin_login(client, "petugas", PASSWORD)

    content = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Login locked</h1>" in content
    assert "after 5 failed login attempts" in content
    assert "Try again in 60 minutes" in content
    # Still not logged in: the admin sends the visitor back to its login page.
    admin_index = client.get("/admin/")
    assert admin_index.status_code == 302
    assert admin_index["Location"].startswith("/admin/login/")


def test_lockout_is_per_user_name_and_address(client, officer_account, django_user_model):
    django_user_model.objects.create_user("kepala", password=PASSWORD, is_staff=True)
    fail_until_locked(client, "petugas", address="10.0.0.1")

    # The same officer from another address, and another officer from the same address, get in.
    assert admin_login(Client(), "petugas", PASSWORD, address="10.0.0.2").status_code == 302
    assert admin_login(Client(), "kepala", PASSWORD, address="10.0.0.1").status_code == 302


def test_lockout_ends_after_the_cool_off_time(client, officer_account):
    fail_until_locked(client, "petugas")
    assert admin_login(client, "petugas", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")

    assert admin_login(client, "petugas", PASSWORD).status_code == 302


def test_lockout_page_is_served_in_the_interface_language(client, officer_account):
    fail_until_locked(client, "petugas")

    response = client.post(
        "/admin/login/",
        {"username": "petugas", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        headers={"accept-language": "id"},
    )

    assert response.status_code == 429
    assert '<html lang="id">' in response.content.decode()


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(client, officer_account):
    fail_until_locked(client, "petugas", address="10.0.0.1")

    response = client.post(
        "/admin/login/",
        {"username": "petugas", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        headers={"x-forwarded-for": "203.0.113.99"},
    )

    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_address_is_counted_apart(
    client, officer_account, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "127.0.0.1"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": "petugas", "password": "wrong-password"},
            REMOTE_ADDR=proxy,
            headers={"x-forwarded-for": "198.51.100.7"},
        )

    def login_from(forwarded_for):
        return Client().post(
            "/admin/login/",
            {"username": "petugas", "password": PASSWORD},
            REMOTE_ADDR=proxy,
            headers={"x-forwarded-for": forwarded_for},
        )

    # The locked client stays locked even when it prepends a forged address of its own ...
    assert login_from("203.0.113.99, 198.51.100.7").status_code == 429
    # ... while the officer at another address behind the same proxy gets in.
    assert login_from("198.51.100.8").status_code == 302


@pytest.mark.parametrize("forwarded_for", ["unknown", "198.51.100.7:443", "<script>", "a\x00b"])
def test_a_forwarded_for_entry_that_is_not_an_address_counts_the_connection_s_address(
    client, officer_account, settings, forwarded_for
):
    settings.TRUSTED_PROXY_COUNT = 1

    response = client.post(
        "/admin/login/",
        {"username": "petugas", "password": "wrong-password"},
        REMOTE_ADDR="127.0.0.1",
        headers={"x-forwarded-for": forwarded_for},
    )

    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


# --- Readers' login (CATALOGUE_LOGIN_REQUIRED) ----------------------------------------------------


def test_a_reader_who_is_not_staff_logs_in_and_reads_the_catalogue(
    client, settings, django_user_model
):
    settings.CATALOGUE_LOGIN_REQUIRED = True
    django_user_model.objects.create_user("pembaca", password=PASSWORD)

    sent = client.get("/agreements/")
    response = client.post(
        sent["Location"], {"username": "pembaca", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )

    assert sent["Location"] == "/login/?next=/agreements/"
    assert response.status_code == 302
    assert response["Location"] == "/agreements/"
    assert client.get("/agreements/").status_code == 200


def test_a_login_asked_for_by_no_page_lands_on_the_home_page(client, settings, django_user_model):
    settings.CATALOGUE_LOGIN_REQUIRED = True
    django_user_model.objects.create_user("pembaca", password=PASSWORD)

    response = client.post(
        "/login/", {"username": "pembaca", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
