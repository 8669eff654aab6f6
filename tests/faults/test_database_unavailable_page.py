"""While the database cannot be reached, pages answer the catalogue's 503 page, not a traceback.

The database is made unreachable with ``connection.execute_wrapper``: every query, including the
session and user look-ups, fails the way psycopg fails when PostgreSQL is stopped.
"""

import logging

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import path

from cooperation.urls import urlpatterns as site_urlpatterns
from regions.models import Region

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


def database_down(error=OperationalError):
    def refuse(execute, sql, params, many, context):
        raise error(REFUSED)

    return connection.execute_wrapper(refuse)


def count_in_view(request):
    return HttpResponse(f"{Region.objects.count()} regions")


def list_in_template(request):
    # The queryset is lazy: the query runs while the TemplateResponse is rendered.
    template = engines["django"].from_string("{% for region in regions %}{{ region }}{% endfor %}")
    return TemplateResponse(request, template, {"regions": Region.objects.all()})


def broken_view(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("count/", count_in_view),
    path("list/", list_in_template),
    path("broken/", broken_view),
    # The site's own pages, which the error pages link to.
    *site_urlpatterns,
]


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    content = response.content.decode()
    assert "The catalogue is temporarily unavailable" in content
    assert "Please try again in 30 seconds." in content
    assert "Traceback" not in content
    assert "OperationalError" not in content
    assert REFUSED not in content


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_query_in_a_view_failing_answers_the_unavailable_page(client, english):
    with database_down():
        response = client.get("/count/")

    assert_unavailable_page(response)


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_query_while_rendering_a_template_response_answers_the_unavailable_page(client, english):
    with database_down():
        response = client.get("/list/")

    assert_unavailable_page(response)


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_closed_connection_answers_the_unavailable_page(client, english):
    with database_down(InterfaceError):
        response = client.get("/count/")

    assert_unavailable_page(response)


@pytest.mark.django_db
def test_logged_in_officer_sees_the_unavailable_page_in_the_admin(
    client, django_user_model, english
):
    # The session and user look-ups fail too: the page itself must not need them.
    officer = django_user_model.objects.create_user("officer", is_staff=True, is_superuser=True)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")

    with database_down():
        response = client.get("/admin/")

    assert_unavailable_page(response)


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_unavailable_page_is_in_indonesian_by_default(client):
    with database_down():
        response = client.get("/count/")

    assert response.status_code == 503
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_outage_is_logged_for_the_operators(client, caplog, english):
    with caplog.at_level(logging.ERROR, logger="cooperation.middleware"), database_down():
        client.get("/count/")

    [record] = [r for r in caplog.records if r.name == "cooperation.middleware"]
    assert "GET /count/" in record.getMessage()
    assert REFUSED in record.getMessage()


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_other_errors_are_not_disguised_as_an_outage(client):
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_pages_answer_normally_when_the_database_is_up(client):
    response = client.get("/count/")

    assert response.status_code == 200
    assert response.content == b"0 regions"
