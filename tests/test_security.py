"""Security headers, the catalogue's own error pages, and static files served by WhiteNoise."""

import re
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.management import call_command
from django.db import OperationalError, connections
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import translation
from django.views.defaults import server_error

from cooperation import urls as project_urls

pytestmark = pytest.mark.django_db


# A test URLconf: the real site plus views that fail in each way (`@pytest.mark.urls(__name__)`).
def raise_permission_denied(request):
    raise PermissionDenied


def raise_suspicious_operation(request):
    raise SuspiciousOperation("tampered")


def raise_error(request):
    raise RuntimeError("secret detail that must not reach the visitor")


urlpatterns = [
    *project_urls.urlpatterns,
    path("test/forbidden/", raise_permission_denied),
    path("test/suspicious/", raise_suspicious_operation),
    path("test/broken/", raise_error),
]


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def assert_security_headers(response):
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_carry_the_security_headers(client):
    assert_security_headers(client.get("/"))
    assert_security_headers(client.get("/admin/login/"))


def test_error_pages_carry_the_security_headers_too(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_security_headers(response)


class InlineCode(HTMLParser):
    """Collects what a no-'unsafe-inline' policy would block: inline scripts and styles."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.found.append(f"<script> without src: {attrs}")
        if tag == "style":
            self.found.append("<style> block")
        if "style" in attrs:
            self.found.append(f"style attribute on <{tag}>: {attrs['style']}")
        for name in attrs:
            if name.startswith("on"):
                self.found.append(f"event handler attribute {name} on <{tag}>")


def inline_code(response):
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser.found


def admin_pages(user):
    """Every registered model's list and add page, and its change page when a row exists."""
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        yield reverse("admin:{}_{}_changelist".format(*info))
        if model_admin.has_add_permission(request=mock.Mock(user=user)):
            yield reverse("admin:{}_{}_add".format(*info))
        obj = model._default_manager.first()
        if obj is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[obj.pk])


def test_admin_pages_need_no_inline_script_or_style(client, admin_user, make_agreement):
    make_agreement()
    client.force_login(admin_user)
    pages = ["/admin/", *admin_pages(admin_user)]
    assert "/admin/auth/user/" in pages

    problems = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        if found := inline_code(response):
            problems[url] = found

    assert problems == {}


def test_admin_history_page_needs_no_inline_script(client, admin_user, make_agreement):
    """Our copy of django-simple-history's page (templates/simple_history/) drops its one
    cosmetic style attribute."""
    agreement = make_agreement()
    client.force_login(admin_user)

    response = client.get(reverse("admin:cooperation_agreement_history", args=[agreement.pk]))

    assert response.status_code == 200
    assert agreement.title in response.content.decode()
    assert inline_code(response) == []


def test_catalogue_pages_need_no_inline_script_or_style(client, make_agreement):
    agreement = make_agreement(is_published=True)

    pages = [
        reverse("cooperation:home"),
        reverse("cooperation:agreement_list"),
        reverse("cooperation:followup_list"),
        reverse("regions:region_list"),
        agreement.get_absolute_url(),
        "/no-such-page/",
    ]
    for url in pages:
        assert inline_code(client.get(url)) == [], url


# Error pages: with debug off (as pytest-django runs) each shows the catalogue's own page.


def assert_catalogue_page(response, heading):
    content = response.content.decode()
    assert f"<h1>{heading}</h1>" in content
    assert "Regional Cooperation Catalogue" in content or "Katalog" in content
    assert "Traceback" not in content
    assert "secret detail" not in content


def test_unknown_address_shows_the_catalogue_404_page(client, settings):
    settings.LANGUAGE_CODE = "en"

    response = client.get("/no-such-page/", headers={"accept-language": "en"})

    assert response.status_code == 404
    assert_catalogue_page(response, "Page not found")


def test_request_for_a_foreign_host_shows_the_catalogue_400_page(client):
    response = client.get("/", headers={"host": "attacker.example", "accept-language": "en"})

    assert response.status_code == 400
    assert_catalogue_page(response, "Bad request")


@pytest.mark.urls(__name__)
def test_suspicious_request_shows_the_catalogue_400_page(client):
    response = client.get("/test/suspicious/", headers={"accept-language": "en"})

    assert response.status_code == 400
    assert_catalogue_page(response, "Bad request")


@pytest.mark.urls(__name__)
def test_forbidden_page_shows_the_catalogue_403_page(client):
    response = client.get("/test/forbidden/", headers={"accept-language": "en"})

    assert response.status_code == 403
    assert_catalogue_page(response, "Access denied")


def test_form_without_csrf_token_shows_the_catalogue_403_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/admin/login/", {"username": "x", "password": "y"}, headers={"accept-language": "en"}
    )

    assert response.status_code == 403
    assert_catalogue_page(response, "Access denied")
    assert "security check failed" in response.content.decode()


@pytest.mark.urls(__name__)
def test_failing_view_shows_the_catalogue_500_page(client):
    client.raise_request_exception = False

    response = client.get("/test/broken/", headers={"accept-language": "en"})

    assert response.status_code == 500
    assert_catalogue_page(response, "Server error")


def test_500_page_renders_while_the_database_is_down(settings, django_assert_num_queries):
    settings.LANGUAGE_CODE = "en"
    request = RequestFactory().get("/")
    failing_cursor = mock.patch.object(
        connections["default"], "cursor", side_effect=OperationalError("server closed")
    )

    with failing_cursor, django_assert_num_queries(0), translation.override("en"):
        response = server_error(request)

    assert response.status_code == 500
    assert_catalogue_page(response, "Server error")


# Static files: WhiteNoise, hashed and compressed names in production.


def test_static_files_carry_the_security_headers_too(client):
    response = client.get("/static/admin/img/icon-yes.svg")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert_security_headers(response)


@pytest.fixture
def production_static(settings, tmp_path):
    """The production storage, with `collectstatic` run into a fresh STATIC_ROOT."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    return settings.STATIC_ROOT


def test_pages_link_hashed_static_files_served_compressed_and_cached_forever(
    production_static, client
):
    page = client.get("/admin/login/").content.decode()
    link = re.search(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', page)
    assert link, "the admin login page should link the hashed stylesheet"

    response = client.get(link.group(1), headers={"accept-encoding": "gzip"})

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]


# Headers on every response, caching of staff pages.


def test_redirects_and_the_disallowed_host_page_carry_the_security_headers(settings):
    slash_redirect = Client().get("/agreements")
    wrong_host = Client().get("/", headers={"host": "attacker.example"})
    settings.SECURE_SSL_REDIRECT = True  # as in production
    https_redirect = Client().get("/agreements/")
    wrong_host_over_http = Client().get("/", headers={"host": "attacker.example"})

    assert [slash_redirect.status_code, https_redirect.status_code] == [301, 301]
    assert [wrong_host.status_code, wrong_host_over_http.status_code] == [400, 400]
    for response in (slash_redirect, https_redirect, wrong_host, wrong_host_over_http):
        assert_security_headers(response)


def test_pages_that_show_drafts_are_private_to_the_browser(client, admin_user, make_agreement):
    agreement = make_agreement(is_published=False)
    public = client.get("/")
    client.force_login(admin_user)

    for url in ("/", "/agreements/", agreement.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"], url
    assert "private" not in public.get("Cache-Control", "")
