"""/healthz tells a load balancer whether this instance can reach its database, within a few
seconds even when the database hangs."""

import socket
import threading
from unittest import mock

import pytest
from django.db import OperationalError, connections

from cooperation import health

pytestmark = pytest.mark.django_db


def database_down():
    """Every new connection's queries fail, as when the server is gone."""
    return mock.patch.object(
        type(connections["default"]), "cursor", side_effect=OperationalError("server closed")
    )


class HangingDatabase:
    """Queries wait until ``release()``; ``waiting`` counts the queries waiting now."""

    def __init__(self):
        self.released = threading.Event()
        self.waiting = 0

    def hang(self, *args, **kwargs):
        self.waiting += 1
        try:
            self.released.wait(timeout=30)
        finally:
            self.waiting -= 1
        raise OperationalError("server stopped answering")

    def release(self):
        self.released.set()


@pytest.fixture
def hanging_database():
    database = HangingDatabase()
    with mock.patch.object(type(connections["default"]), "cursor", side_effect=database.hang):
        yield database
    database.release()


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


def test_healthz_answers_503_while_the_database_hangs(client, settings, hanging_database):
    settings.HEALTHZ_TIMEOUT = 0.2

    first = client.get("/healthz")
    waiting_after_first = hanging_database.waiting
    second = client.get("/healthz")  # the first check is still stuck: no second one starts
    waiting_after_second = hanging_database.waiting
    hanging_database.release()
    health._pending.result(timeout=30)

    assert (first.status_code, second.status_code) == (503, 503)
    # The answers came while the database was still hanging, and only one check hung.
    assert (waiting_after_first, waiting_after_second) == (1, 1)


@pytest.mark.postgresql  # connect_timeout is PostgreSQL's
def test_a_database_that_never_answers_the_connection_is_given_up_on(monkeypatch):
    """A server that accepts the TCP connection and then says nothing (a hung PostgreSQL)."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    # New connections (the check's) go to the silent server; the test's own stays open.
    monkeypatch.setitem(connections.settings["default"], "HOST", "127.0.0.1")
    monkeypatch.setitem(connections.settings["default"], "PORT", silent.getsockname()[1])
    answers = []
    thread = threading.Thread(target=lambda: answers.append(health.database_answers()))

    thread.start()
    thread.join(timeout=30)
    silent.close()

    assert answers == [False]  # given up after the connect timeout, not hanging


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
