"""/healthz tells a load balancer whether this instance can reach its database."""

from unittest import mock

import pytest
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db


def database_down():
    return mock.patch.object(
        connections["default"], "cursor", side_effect=OperationalError("server closed")
    )


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client):
    with database_down():
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"database unavailable"


def test_healthz_needs_no_login_even_when_the_catalogue_requires_one(client, settings):
    settings.CATALOGUE_LOGIN_REQUIRED = True
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_is_not_redirected_to_https(client, settings):
    """A load balancer may probe over plain HTTP while every page is redirected."""
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/admin/login/").status_code == 301


def test_healthz_refuses_writes(client):
    response = client.post("/healthz")

    assert response.status_code == 405
