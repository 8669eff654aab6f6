"""Settings for Katalog Kerja Sama Daerah, read from the environment (12-factor).

Local default: debug on, a throwaway secret key and a SQLite file. In production set
DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL; with debug off the
HTTPS settings below default to their strict values (`manage.py check --deploy` is clean), and
each can be switched by an environment variable documented in README.md ("Production").
"""

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .database import (
    COMMAND_STATEMENT_TIMEOUT,
    WEB_STATEMENT_TIMEOUT,
    WEB_WORK_MEM,
    is_management_command,
    session_options,
)
from .env import env_bool, env_int, env_list, env_str
from .security import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0: a production site needs a secret "
            "key of its own (generate one with `python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so that runserver serves static files through WhiteNoise too.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER
    "django_filters",
    "django_countries",
    "simple_history",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by us (no CDN)
    "import_export",
    "regions",
    "cooperation",
]

MIDDLEWARE = [
    # First, so that every response gets their headers, even one that a later middleware
    # answers itself: the HTTPS and trailing-slash redirects, the disallowed-host 400.
    "cooperation.middleware.ResponseSecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cooperation.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cooperation.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cooperation.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cooperation.context_processors.identity",
            ],
        },
    },
]

# Forms render with the project's templates, so that templates/django/forms/ can override a
# widget's template (the select, for speed).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "cooperation.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}

# A database that does not answer the connection attempt fails it after this many seconds
# (PostgreSQL; the request then shows the 503 page) instead of holding the worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DJANGO_DB_CONNECT_TIMEOUT", 5
    )
# /healthz answers 503 when the database has not answered within this many seconds.
HEALTHZ_TIMEOUT = env_int("DJANGO_HEALTHZ_TIMEOUT", 3)
# The safety net (cooperation/database.py): a statement timeout per session, longer for
# management commands, no JIT compilation, and room to sort in memory for web processes.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _command = is_management_command(sys.argv)
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = session_options(
        statement_timeout=env_int("DJANGO_DB_COMMAND_STATEMENT_TIMEOUT", COMMAND_STATEMENT_TIMEOUT)
        if _command
        else env_int("DJANGO_DB_STATEMENT_TIMEOUT", WEB_STATEMENT_TIMEOUT),
        jit=env_bool("DJANGO_DB_JIT", False),
        # Commands keep the server's own work_mem; set it per role for them if needed.
        work_mem="" if _command else env_str("DJANGO_DB_WORK_MEM", WEB_WORK_MEM),
        existing=_options.get("options", ""),
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes checks every login (admin and staff) first, then Django checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
# Country names as Indonesian official usage has them (django-countries' own: "Cina").
COUNTRIES_OVERRIDE = {"CN": _("China")}
# Project-wide strings (templates, cooperation) live here; regions/locale is found as an app dir.
LOCALE_PATHS = [BASE_DIR / "cooperation" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
# WhiteNoise serves static files. With debug off (production) `collectstatic` writes hashed,
# compressed copies and pages link to the hashed names, which browsers may cache forever. With
# debug on (local work and the test suite, which imports settings with the debug default) files
# are served straight from the app and project static folders, so no collectstatic is needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers  # CSP and X-Frame-Options on static files

MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")

# Readers log in at /login/ (any active account: the admin's login takes staff only) and land
# on the home page unless the login was asked for by another page.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cooperation:home"
LOGOUT_REDIRECT_URL = "cooperation:home"

# A POST with more fields than this is refused (400) before any form is built. The largest
# legitimate form is an agreement's page with every inline at its cap (regions.admin
# INLINE_MAX_FORMS); tests/test_admin_pages.py checks that it fits.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 6500
# The largest request body staff may send (a 20 MB document and its form); others may send
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB). Larger ones are refused before they are read.
MAX_STAFF_REQUEST_BODY = 25 * 1024 * 1024

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Who publishes the catalogue (header, footer, printouts, exports). An administrator sets these
# in the admin ("Catalogue identity"); what is left blank there comes from here. The logo is a
# static file path (img/logo.png); the licence is that of the catalogue's data.
CATALOGUE_IDENTITY = {
    "bureau_name": env_str("DJANGO_BUREAU_NAME"),
    "government_name": env_str("DJANGO_GOVERNMENT_NAME"),
    "logo": env_str("DJANGO_BUREAU_LOGO"),
    "address": env_str("DJANGO_BUREAU_ADDRESS"),
    "email": env_str("DJANGO_BUREAU_EMAIL"),
    "phone": env_str("DJANGO_BUREAU_PHONE"),
    "website": env_str("DJANGO_BUREAU_WEBSITE"),
    "licence_name": env_str("DJANGO_DATA_LICENCE") or "CC BY 4.0",
    "licence_url": env_str("DJANGO_DATA_LICENCE_URL")
    or ("" if env_str("DJANGO_DATA_LICENCE") else "https://creativecommons.org/licenses/by/4.0/"),
}

# The catalogue is public by default; set CATALOGUE_LOGIN_REQUIRED=1 to require a login.
CATALOGUE_LOGIN_REQUIRED = env_bool("CATALOGUE_LOGIN_REQUIRED", False)

# --- Logs and error mail ---------------------------------------------------------------------
# One JSON object per line on standard error (cooperation/log.py): unhandled exceptions with
# their traceback, request path, status and user id, and security events (CSRF failures,
# disallowed hosts, lockouts). With DJANGO_ADMINS set, each server error is also mailed.

LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO").upper()
ADMINS = [
    (address.split("@")[0], address) for address in env_list("DJANGO_ADMINS", []) if "@" in address
]
SERVER_EMAIL = env_str("DJANGO_SERVER_EMAIL", "root@localhost")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"json": {"()": "cooperation.log.JsonFormatter"}},
    "handlers": {
        "stderr": {"class": "cooperation.log.StderrHandler", "formatter": "json"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"level": LOG_LEVEL, "propagate": True},
        # Server errors are mailed too (nothing is sent while ADMINS is empty).
        "django.request": {"handlers": ["mail_admins"], "level": LOG_LEVEL, "propagate": True},
        "django.security": {"handlers": ["mail_admins"], "level": LOG_LEVEL, "propagate": True},
        "axes.apps": {"level": "WARNING"},  # not its start-up banner in every command
        # WeasyPrint reports each step of every PDF at INFO, and fontTools each font subset.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # A scanner's wrong Host header is logged, never mailed.
        "django.security.DisallowedHost": {"handlers": [], "propagate": True},
    },
}

# --- Production: HTTPS, security headers, sessions and login lockout -------------------------
# Every switch defaults to the strict value when debug is off; see README.md, "Production".

# Behind a reverse proxy that terminates TLS, trust its X-Forwarded-Proto header (only then:
# a client talking to Django directly could forge it).
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer may probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# Full origins (scheme and host), e.g. https://kerjasama.example.go.id, for forms posted through a
# proxy whose host name differs from the one Django sees.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): everything from our own origin, no inline script or
# style, no plugins, never framed, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: after AXES_FAILURE_LIMIT failed logins for one user name from one address, that
# pair is refused (even with the right password) for AXES_COOLOFF_TIME, with a page saying so.
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(hours=env_int("DJANGO_AXES_COOLOFF_HOURS", 1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cooperation.access.lockout_response"  # renders lockout.html
# Reverse proxies in front of Django that append the client's address to X-Forwarded-For (0: none,
# the connection's address is the client's). Only these entries are trusted for the lockout.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "cooperation.access.client_ip_address"

# --- Data out: the open-data API, exports and feeds -------------------------------------------

# The read-only open-data API under /api/ (Django REST framework). It filters with the pages'
# own filter sets (cooperation.filters), pages as they do, and shows drafts to staff only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "cooperation.api.pagination.PagePagination",
    "DEFAULT_THROTTLE_CLASSES": ["cooperation.api.throttling.AnonymousThrottle"],
    # JSON only: the documentation page is Swagger UI at /api/docs/ (DRF's browsable pages
    # carry inline styles that our Content-Security-Policy refuses).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per anonymous caller (by address, see DJANGO_TRUSTED_PROXY_COUNT): "N/second",
# "N/minute", "N/hour" or "N/day". Counted in the cache (one per process unless CACHES is shared).
API_ANONYMOUS_RATE = env_str("DJANGO_API_ANONYMOUS_RATE") or "60/minute"
SPECTACULAR_SETTINGS = {
    "TITLE": "Katalog Kerja Sama Daerah API",
    "DESCRIPTION": (
        "Read-only open data: agreements between Indonesian regions and their partners, their "
        "follow-up actions, regions, organisations and sectors. The lists take the same filters, "
        "ordering (`order`) and pages (`page`) as the catalogue's pages. Anonymous callers see "
        "published records only and are rate-limited."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Email: reminders (manage.py send_reminders) ----------------------------------------------
# DJANGO_EMAIL_URL (smtp://user:password@host:587 with ?tls=True, or smtps:// for SSL) or the
# separate DJANGO_EMAIL_HOST, _PORT, _HOST_USER, _HOST_PASSWORD, _USE_TLS and _USE_SSL.
# Without either, mail goes to the console in debug and to localhost:25 otherwise.
if env_str("DJANGO_EMAIL_URL"):
    globals().update(dj_email_url.parse(env_str("DJANGO_EMAIL_URL")))
elif env_str("DJANGO_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("DJANGO_EMAIL_HOST")
    EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL") or "katalog@localhost"
# The catalogue's address in links inside emails (a command has no request to ask).
SITE_URL = (env_str("DJANGO_SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

# Spreadsheet import in the admin (django-import-export): only users who may add agreements.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
