"""Login lockout (django-axes): repeated failures lock a user name at an address out."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client

from cooperation.models import Agreement, Sector
from regions.models import Region

pytestmark = pytest.mark.django_db

PASSWORD = "Kerjasama-Banten-2025!"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """These tests log in many times; a cheap hasher keeps them quick (never in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def officer(django_user_model):
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


def test_a_failed_login_below_the_limit_still_lets_the_right_password_in(client, officer):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        response = admin_login(client, "petugas", "wrong-password")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    response = admin_login(client, "petugas", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, officer):
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


def test_lockout_is_per_user_name_and_address(client, officer, django_user_model):
    django_user_model.objects.create_user("kepala", password=PASSWORD, is_staff=True)
    fail_until_locked(client, "petugas", address="10.0.0.1")

    # The same officer from another address, and another officer from the same address, get in.
    assert admin_login(Client(), "petugas", PASSWORD, address="10.0.0.2").status_code == 302
    assert admin_login(Client(), "kepala", PASSWORD, address="10.0.0.1").status_code == 302


def test_lockout_ends_after_the_cool_off_time(client, officer):
    fail_until_locked(client, "petugas")
    assert admin_login(client, "petugas", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")

    assert admin_login(client, "petugas", PASSWORD).status_code == 302


def test_lockout_page_is_served_in_the_interface_language(client, officer):
    fail_until_locked(client, "petugas")

    response = client.post(
        "/admin/login/",
        {"username": "petugas", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        headers={"accept-language": "id"},
    )

    assert response.status_code == 429
    assert '<html lang="id">' in response.content.decode()


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(client, officer):
    fail_until_locked(client, "petugas", address="10.0.0.1")

    response = client.post(
        "/admin/login/",
        {"username": "petugas", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        headers={"x-forwarded-for": "203.0.113.99"},
    )

    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_address_is_counted_apart(client, officer, settings):
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


# The Editor and Viewer groups, each checked from a real login through the admin login form.


@pytest.fixture
def login_as(django_user_model, client):
    def login(group_name):
        user = django_user_model.objects.create_user(
            f"{group_name.lower()}-1", password=PASSWORD, is_staff=True
        )
        user.groups.add(Group.objects.get(name=group_name))
        response = admin_login(client, user.username, PASSWORD)
        assert response.status_code == 302, "the login itself should succeed"
        return client

    return login


def test_viewer_sees_drafts_but_cannot_change_anything(login_as, make_agreement, make_sector):
    draft = make_agreement(is_published=False, title="Draf kerja sama Banten Bengkulu")
    sector = make_sector()
    client = login_as("Viewer")

    # Drafts: on the catalogue page (anonymous visitors get a 404) and in the admin list.
    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert draft.title in page.content.decode()
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert draft.title in client.get("/admin/cooperation/agreement/").content.decode()

    # The change page is read-only, and every way of changing is refused.
    change_url = f"/admin/cooperation/agreement/{draft.pk}/change/"
    change_page = client.get(change_url).content.decode()
    assert 'name="_save"' not in change_page
    assert client.post(change_url, {"title": "Diubah"}).status_code == 403
    assert client.get("/admin/cooperation/agreement/add/").status_code == 403
    assert client.get(f"/admin/cooperation/agreement/{draft.pk}/delete/").status_code == 403
    response = client.post(
        f"/admin/cooperation/sector/{sector.pk}/change/", {"slug": sector.slug, "name": "Diubah"}
    )
    assert response.status_code == 403
    sector.refresh_from_db()
    assert sector.name != "Diubah"
    draft.refresh_from_db()
    assert draft.title == "Draf kerja sama Banten Bengkulu"


def test_editor_changes_the_catalogue(login_as, make_agreement, make_sector):
    agreement = make_agreement()
    sector = make_sector()
    client = login_as("Editor")

    change_page = client.get(f"/admin/cooperation/agreement/{agreement.pk}/change/")
    assert 'name="_save"' in change_page.content.decode()
    response = client.post(
        "/admin/cooperation/sector/add/",
        {"slug": "pariwisata-uji", "name": "Pariwisata uji", "name_en": "Tourism test"},
    )
    assert response.status_code == 302
    assert Sector.objects.filter(slug="pariwisata-uji").exists()
    response = client.post(
        f"/admin/cooperation/sector/{sector.pk}/change/",
        {"slug": sector.slug, "name": "Nama baru", "name_en": ""},
    )
    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.name == "Nama baru"


def test_editor_cannot_delete_regions_or_agreements(login_as, make_agreement):
    agreement = make_agreement()
    region = Region.objects.filter(kind="province").first()
    client = login_as("Editor")

    assert client.get(f"/admin/regions/region/{region.pk}/delete/").status_code == 403
    assert (
        client.post(f"/admin/regions/region/{region.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    delete_agreement = f"/admin/cooperation/agreement/{agreement.pk}/delete/"
    assert client.post(delete_agreement, {"post": "yes"}).status_code == 403
    assert Region.objects.filter(pk=region.pk).exists()
    assert Agreement.objects.filter(pk=agreement.pk).exists()


@pytest.mark.parametrize("group_name", ["Editor", "Viewer"])
def test_editors_and_viewers_cannot_manage_users_or_groups(login_as, group_name, django_user_model):
    client = login_as(group_name)

    for url in ["/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/group/"]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        "/admin/auth/user/add/",
        {"username": "penyusup", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 403
    assert not django_user_model.objects.filter(username="penyusup").exists()
    # Nor do they see the user administration in the admin's menu.
    assert "/admin/auth/user/" not in client.get("/admin/").content.decode()
