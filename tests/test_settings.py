"""Production settings: what `check --deploy` says and how the environment switches HTTPS."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_SECRET = "k3Y-for-tests-only-" + "x7Qp2LmZ9vR4tW8s" * 3
PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "CSRF_TRUSTED_ORIGINS", "ALLOWED_HOSTS", "STORAGES",
    "LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_SAMESITE",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def run_django(args, **env):
    """Run Python in a fresh process with only the given DJANGO_* variables set."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(**env):
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": PRODUCTION_SECRET,
        "DJANGO_ALLOWED_HOSTS": "kerjasama.example.go.id",
        "DJANGO_SETTINGS_MODULE": "cooperation.settings",
        **env,
    }
    result = run_django(["-c", PRINT_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_deployment_checklist_is_clean_in_production():
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=PRODUCTION_SECRET,
        DJANGO_ALLOWED_HOSTS="kerjasama.example.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deployment_checklist_notices_when_hsts_is_switched_off():
    """The checklist is clean because of our defaults, not because checks are silenced."""
    result = run_django(
        ["manage.py", "check", "--deploy"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=PRODUCTION_SECRET,
        DJANGO_ALLOWED_HOSTS="kerjasama.example.go.id",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
    )
    assert "security.W004" in result.stderr  # HSTS
    assert "SESSION_COOKIE_SECURE" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django(["manage.py", "check"], DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0" in result.stderr


def test_production_defaults_are_strict_https():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SAMESITE"] == "Lax"
    # A client talking to Django directly must not be able to claim HTTPS by a header.
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["ALLOWED_HOSTS"] == ["kerjasama.example.go.id"]
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_https_behaviour_is_switched_by_environment_variables():
    values = production_settings(
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="3600",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        DJANGO_SECURE_HSTS_PRELOAD="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://kerjasama.example.go.id, https://ksd.example.go.id",
    )
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["CSRF_TRUSTED_ORIGINS"] == [
        "https://kerjasama.example.go.id",
        "https://ksd.example.go.id",
    ]


def test_local_development_default_needs_no_https():
    values = production_settings(DJANGO_DEBUG="1", DJANGO_SECRET_KEY="")
    assert values["DEBUG"] is True
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False


def test_a_mistyped_switch_stops_the_start_with_a_message():
    result = run_django(
        ["manage.py", "check"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=PRODUCTION_SECRET,
        DJANGO_SECURE_SSL_REDIRECT="maybe",
    )
    assert result.returncode != 0
    assert "DJANGO_SECURE_SSL_REDIRECT must be one of 1/0" in result.stderr


@pytest.mark.django_db
def test_behind_a_trusted_proxy_https_requests_are_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600

    plain = client.get("/admin/login/")
    proxied = client.get("/admin/login/", headers={"x-forwarded-proto": "https"})

    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/admin/login/"
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.django_db
def test_sessions_expire_after_a_working_day_and_when_the_browser_closes(client, django_user_model):
    django_user_model.objects.create_user("petugas", password="Kerjasama-2025!", is_staff=True)

    response = client.post(
        "/admin/login/", {"username": "petugas", "password": "Kerjasama-2025!", "next": "/admin/"}
    )

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    # A browser-session cookie (no expiry date): it goes when the browser closes.
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
    assert client.session.get_expiry_age() == 8 * 60 * 60
