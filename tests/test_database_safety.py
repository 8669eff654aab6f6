"""The database safety net: on PostgreSQL no statement of a web request runs longer than the
configured timeout, management commands get a longer one, and JIT compilation is off."""

import pytest
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


@pytest.mark.django_db
def test_the_web_process_connection_has_the_timeout_and_no_jit():
    # The suite runs as a web process would (not through manage.py): 30 s, JIT off.
    if connection.vendor != "postgresql":
        assert "options" not in connection.settings_dict.get("OPTIONS", {})
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("30s",)
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
