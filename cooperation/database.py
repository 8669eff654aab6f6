"""The database safety net (PostgreSQL): per-session settings sent when a connection opens.

No web request may hold the database for long: every statement of a web process is cancelled
after ``DJANGO_DB_STATEMENT_TIMEOUT`` seconds (default 30, gunicorn's worker timeout), while
management commands (migrations, imports, the catalogue generator) get
``DJANGO_DB_COMMAND_STATEMENT_TIMEOUT`` (default 3600). 0 means no limit. JIT compilation is
off unless ``DJANGO_DB_JIT=1``: measured on a catalogue of 100,000 agreements it cost more
than it saved (README, "Performance"). Web processes sort in ``DJANGO_DB_WORK_MEM`` of memory
(default 16MB) rather than the server's 4MB: a ranked search sorted its 15,000 matches to
temporary files at 4MB.
"""

import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

WEB_STATEMENT_TIMEOUT = 30
COMMAND_STATEMENT_TIMEOUT = 3600
WEB_WORK_MEM = "16MB"


def is_management_command(argv):
    """Whether this process is ``manage.py``/``django-admin`` running a command other than
    the development server."""
    if not argv or Path(argv[0]).name not in ("manage.py", "django-admin"):
        return False
    return argv[1:2] != ["runserver"]


def session_options(*, statement_timeout, jit, work_mem="", existing=""):
    """libpq's ``options`` for a new session: ``-c statement_timeout=30s -c jit=off``, and
    ``-c work_mem=16MB`` when ``work_mem`` is given (a number of kB, or with kB, MB or GB;
    empty or ``0``: the server's own), after any options the database URL already gave."""
    options = [existing.strip()] if existing and existing.strip() else []
    options.append(f"-c statement_timeout={int(statement_timeout)}s")
    options.append(f"-c jit={'on' if jit else 'off'}")
    if work_mem and work_mem != "0":
        if not re.fullmatch(r"[1-9][0-9]*(kB|MB|GB)?", work_mem):
            raise ImproperlyConfigured(
                f"DJANGO_DB_WORK_MEM must be a size such as 16MB or 65536 (kB), not {work_mem!r}"
            )
        options.append(f"-c work_mem={work_mem}")
    return " ".join(options)
