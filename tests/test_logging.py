"""Errors are seen: every unhandled exception and security event goes to standard error as one
JSON line (path, status, user id, exception and traceback), and server errors are mailed to
ADMINS when it is set."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import path

from cooperation import urls as project_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def broken_view(request):
    request.user.is_authenticated  # noqa: B018  (the view knows its user, as ours do)
    raise RuntimeError("the catalogue broke here")


urlpatterns = [*project_urls.urlpatterns, path("test/broken/", broken_view)]


def log_lines(capsys):
    entries = []
    for line in capsys.readouterr().err.splitlines():
        if line.startswith("{"):
            entries.append(json.loads(line))
    return entries


def test_a_server_error_leaves_its_traceback_path_status_and_user_in_the_log(
    client, admin_user, capsys
):
    client.force_login(admin_user)
    client.raise_request_exception = False

    response = client.get("/test/broken/")

    assert response.status_code == 500
    [entry] = [entry for entry in log_lines(capsys) if entry["logger"] == "django.request"]
    assert entry["level"] == "ERROR"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/test/broken/", 500)
    assert entry["user_id"] == admin_user.pk
    assert entry["exception"] == "builtins.RuntimeError: the catalogue broke here"
    assert 'raise RuntimeError("the catalogue broke here")' in entry["traceback"]


def test_a_server_error_is_mailed_to_the_admins_when_they_are_set(client, settings, capsys):
    settings.ADMINS = [("Operator", "operator@example.go.id")]
    client.raise_request_exception = False

    client.get("/test/broken/")

    [message] = mail.outbox
    assert message.to == ["operator@example.go.id"]
    assert "the catalogue broke here" in message.body


def test_security_events_are_logged(client, capsys):
    client.get("/", headers={"host": "attacker.example"})
    Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})

    entries = log_lines(capsys)
    host = [e for e in entries if e["logger"] == "django.security.DisallowedHost"]
    csrf = [e for e in entries if e["logger"] == "django.security.csrf"]
    assert host and host[0]["status"] == 400
    assert csrf and csrf[0]["status"] == 403 and csrf[0]["path"] == "/admin/login/"
    assert mail.outbox == []  # ADMINS is empty
