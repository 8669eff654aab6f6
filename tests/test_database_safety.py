"""The database safety net: on PostgreSQL no statement of a web request runs longer than the
configured timeout, management commands get a longer one, JIT compilation is off, and web
requests sort in more memory than the server's default."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from cooperation.database import is_management_command, session_options


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["/srv/katalog/.venv/bin/gunicorn", "cooperation.wsgi"], False),
        (["manage.py", "runserver"], False),
        (["/usr/bin/pytest", "-q"], False),
        (["manage.py", "migrate"], True),
        (["./manage.py", "generate_catalogue", "--agreements", "10"], True),
        (["/srv/katalog/.venv/bin/django-admin", "loaddata", "regions"], True),
    ],
)
def test_management_commands_are_told_from_web_processes(argv, command):
    assert is_management_command(argv) is command


def test_the_session_options_keep_those_of_the_database_url():
    assert session_options(statement_timeout=30, jit=False) == (
        "-c statement_timeout=30s -c jit=off"
    )
    assert session_options(statement_timeout=0, jit=True, existing="-c search_path=kk") == (
        "-c search_path=kk -c statement_timeout=0s -c jit=on"
    )
    assert session_options(statement_timeout=30, jit=False, work_mem="16MB") == (
        "-c statement_timeout=30s -c jit=off -c work_mem=16MB"
    )
    assert "work_mem" not in session_options(statement_timeout=30, jit=False, work_mem="0")


@pytest.mark.parametrize("work_mem", ["16 MB", "16MB -c statement_timeout=0", "-1", "lots"])
def test_a_work_mem_that_is_not_a_size_is_refused(work_mem):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DB_WORK_MEM"):
        session_options(statement_timeout=30, jit=False, work_mem=work_mem)


@pytest.mark.django_db
def test_the_web_process_connection_has_the_timeout_no_jit_and_room_to_sort():
    # The suite runs as a web process would (not through manage.py): 30 s, JIT off, 16MB.
    if connection.vendor != "postgresql":
        assert "options" not in connection.settings_dict.get("OPTIONS", {})
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("30s",)
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone() == ("16MB",)
