"""The real server survives a PostgreSQL restart: 503 pages while it is down, then recovery.

The shared PostgreSQL on 127.0.0.1:5432 is never touched: the test makes a throwaway cluster of
its own in a temporary directory (initdb as the ``postgres`` user, trust authentication, a free
loopback port, its socket in the directory), migrates a database in it, and runs gunicorn against
it the way production does (debug off, persistent connections). It then stops and starts the
cluster under the running server. Needs PostgreSQL's server binaries: if they are missing, or the
cluster cannot start, the test fails; it never skips.

Deselected from the default run (``-m "not db_restart"``); ``.ci/run`` runs it on its own:
``.venv/bin/pytest -m db_restart tests/faults``.
"""

import glob
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.db_restart

BASE_DIR = Path(settings.BASE_DIR)
DATABASE = "katalog_faults"
# A session key that exists nowhere: the admin login page must look it up in the database.
UNKNOWN_SESSION = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={'x' * 32}"}
PAGES = [
    ("/", {}),  # the catalogue's home page: counts of agreements and follow-ups
    ("/admin/login/", UNKNOWN_SESSION),
]


def postgresql_bin():
    """The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda name: int(re.search(r"/(\d+)/bin/", name).group(1)),
    )
    if not found:
        pytest.fail("PostgreSQL server binaries not found (apt-get install postgresql)")
    return Path(found[-1]).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in ``directory``, listening on 127.0.0.1:``port`` only."""

    def __init__(self, directory):
        self.bin = postgresql_bin()
        self.directory = directory
        self.data = directory / "data"
        self.log = directory / "postgresql.log"
        self.port = free_port()
        # initdb and postgres refuse to run as root: run them as the postgres user.
        self.as_owner = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(directory, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]

    def run(self, program, *args):
        command = [*self.as_owner, str(self.bin / program), *args]
        # cwd: the postgres user may not be allowed into the caller's directory.
        result = subprocess.run(
            command, cwd=self.directory, capture_output=True, text=True, timeout=60
        )
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            pytest.fail(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}{log}")

    def create(self):
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust")

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.directory} -c fsync=off"
        )
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self):
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def is_running(self):
        return (self.data / "postmaster.pid").exists()

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"


def child_pids(pid):
    """The processes whose parent is ``pid`` (gunicorn's workers)."""
    children = set()
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.add(int(Path(stat).parent.name))
    return children


def fetch(url, headers):
    request = urllib.request.Request(url, headers={"Accept-Language": "en", **headers})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def workspace():
    directory = Path(tempfile.mkdtemp(prefix="katalog-db-restart-"))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def cluster(workspace):
    cluster = Cluster(workspace)
    cluster.create()
    cluster.start()
    try:
        cluster.run(
            "createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", DATABASE
        )
        yield cluster
    finally:
        if cluster.is_running():
            cluster.run("pg_ctl", "-D", str(cluster.data), "-m", "immediate", "-w", "stop")


@pytest.fixture
def server(cluster, workspace):
    """gunicorn serving the project against ``cluster``, configured as in production."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PG"))
    }
    env.update(
        DATABASE_URL=cluster.url,
        DJANGO_SETTINGS_MODULE="cooperation.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_CONN_MAX_AGE="600",
        # Plain HTTP on loopback: no redirect to HTTPS.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(workspace / "static"),
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )

    port = free_port()
    log = (workspace / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cooperation.wsgi", "--workers", "1"]
        + ["--bind", f"127.0.0.1:{port}", "--timeout", "30"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.base_url = f"http://127.0.0.1:{port}"
    process.log = workspace / "gunicorn.log"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"gunicorn exited:\n{process.log.read_text()}"
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, f"gunicorn not up:\n{process.log.read_text()}"
                time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_server_answers_503_while_postgresql_is_down_and_recovers_without_restart(cluster, server):
    def get_all():
        return {path: fetch(server.base_url + path, headers) for path, headers in PAGES}

    def health():
        return fetch(server.base_url + "/healthz", {})[0]

    for path, (status, _, body) in get_all().items():
        assert status == 200, f"{path} before the outage: {status}\n{body[:2000]}"
    assert health() == 200
    workers = child_pids(server.pid)
    assert len(workers) == 1

    cluster.stop()
    for path, (status, headers, body) in get_all().items():
        assert status == 503, f"{path} during the outage: {status}\n{body[:2000]}"
        assert headers["Retry-After"] == "30"
        assert "<h1>The catalogue is temporarily unavailable</h1>" in body
        assert "Traceback" not in body
        assert "OperationalError" not in body
    assert "Database unavailable while handling GET /admin/login/" in server.log.read_text()
    assert health() == 503

    cluster.start()
    for path, (status, _, body) in get_all().items():
        assert status == 200, f"{path} after the outage: {status}\n{body[:2000]}"
    assert health() == 200

    # A restart between two requests leaves the worker holding a dead persistent connection: the
    # health check at the start of the next request replaces it, so no visitor sees an error.
    cluster.stop()
    cluster.start()
    for path, (status, _, body) in get_all().items():
        assert status == 200, f"{path} after a quiet restart: {status}\n{body[:2000]}"
    assert health() == 200

    # The very same processes answered: gunicorn's master was not restarted, nor its worker.
    assert server.poll() is None
    assert child_pids(server.pid) == workers
