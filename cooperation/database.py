"""The database safety net (PostgreSQL): per-session settings sent when a connection opens.

No web request may hold the database for long: every statement of a web process is cancelled
after ``DJANGO_DB_STATEMENT_TIMEOUT`` seconds (default 30, gunicorn's worker timeout), while
management commands (migrations, imports, the catalogue generator) get
``DJANGO_DB_COMMAND_STATEMENT_TIMEOUT`` (default 3600). 0 means no limit. JIT compilation is
off unless ``DJANGO_DB_JIT=1``: measured on a catalogue of 100,000 agreements it cost more
than it saved (README, "Performance").
"""

from pathlib import Path

WEB_STATEMENT_TIMEOUT = 30
COMMAND_STATEMENT_TIMEOUT = 3600


def is_management_command(argv):
    """Whether this process is ``manage.py``/``django-admin`` running a command other than
    the development server."""
    if not argv or Path(argv[0]).name not in ("manage.py", "django-admin"):
        return False
    return argv[1:2] != ["runserver"]


def session_options(*, statement_timeout, jit, existing=""):
    """libpq's ``options`` for a new session: ``-c statement_timeout=30s -c jit=off``, after
    any options the database URL already gave."""
    options = [existing.strip()] if existing and existing.strip() else []
    options.append(f"-c statement_timeout={int(statement_timeout)}s")
    options.append(f"-c jit={'on' if jit else 'off'}")
    return " ".join(options)
