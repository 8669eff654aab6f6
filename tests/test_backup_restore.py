"""Backup and restore as the README's Production section documents them: a natural-key dump of
the users, groups and the whole catalogue (with documents), loaded into an empty database,
reproduces it exactly; the documents' files come back from the copy of MEDIA_ROOT. The dump
works after records were deleted (the change history, which would name them, is left to
pg_dump).

The seed fixtures' own round trip (catalogue rows only) is in
tests/cooperation/test_seed_fixtures.py; this test follows the README's commands word for word.
"""

import re
import shlex
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client

from cooperation.models import Agreement, Document
from regions.models import Region
from tests.helpers import catalogue_models, load_fixtures

README = Path(settings.BASE_DIR) / "README.md"
PDF = b"%PDF-1.7\n% Naskah Kesepakatan Bersama Banten - Bengkulu\n%%EOF\n"


def readme_command(name, mentioning="backup-"):
    """The arguments of the README's ``manage.py <name>`` command in its Production section
    that mentions ``mentioning`` (shell line continuations joined, ``$(date +%F)`` read as
    DATE), without the ``manage.py`` before them."""
    production = README.read_text("utf-8").split("## Production", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", production, flags=re.DOTALL)
    for block in blocks:
        for line in block.replace("\\\n", " ").replace("$(date +%F)", "DATE").splitlines():
            words = shlex.split(line, comments=True)
            if "manage.py" not in words or mentioning not in line:
                continue
            args = words[words.index("manage.py") + 1 :]
            if args[0] == name:
                return args
    raise AssertionError(f"no manage.py {name} command in the README's Production section")


def backup(path):
    """Run the README's dumpdata command, writing to ``path`` instead of backup-DATE.json."""
    args = readme_command("dumpdata")
    output = args.index("-o")
    assert args[output + 1].startswith("backup-")
    args[output + 1] = str(path)
    call_command(*args, verbosity=0)
    return path.read_text("utf-8")


def test_the_readme_backs_up_users_groups_and_every_catalogue_model_with_natural_keys():
    args = readme_command("dumpdata")
    catalogue = {
        model._meta.label_lower
        for model in catalogue_models()  # without django-simple-history's historical models
    }

    assert {"--natural-foreign", "--natural-primary"} <= set(args)
    assert {"auth.user", "auth.group"} | catalogue == {
        arg for arg in args if "." in arg and not arg.startswith("backup-")
    }
    assert readme_command("loaddata")[1].startswith("backup-")
    assert readme_command("migrate", mentioning="migrate --noinput")


@pytest.fixture
def backup_catalogue(db, settings, tmp_path, django_user_model, make_agreement):
    """The seed catalogue, with officers, edits in the history, a deleted agreement and a
    signed document on disk."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_fixtures()
    officer = django_user_model.objects.create_user("ani", password="Kerjasama-Daerah-2025!")
    officer.groups.add(Group.objects.get(name="Editor"))
    signing = Agreement.objects.get(slug="kerja-sama-provinsi-banten-provinsi-bengkulu-2025")
    signing.venue = "Pendopo Gubernur Banten"
    signing._history_user = officer
    signing.save()
    Document.objects.create(
        agreement=signing,
        type=Document.Type.SIGNED_TEXT,
        title="Naskah Kesepakatan Bersama",
        file=ContentFile(PDF, name="naskah.pdf"),
        content_type="application/pdf",
    )
    make_agreement(title="Dicatat keliru").delete()
    return signing


def test_a_backup_loaded_into_an_empty_database_reproduces_it_exactly(backup_catalogue, tmp_path):
    media_copy = tmp_path / "media-backup"
    shutil.copytree(settings.MEDIA_ROOT, media_copy)
    before = backup(tmp_path / "backup.json")
    assert '"model": "cooperation.document"' in before
    assert '"model": "auth.user"' in before
    assert '"pk"' not in before

    # A new, empty database: nothing but what migrate creates (content types, permissions).
    try:
        ContentType.objects.clear_cache()
        # PostgreSQL cannot empty tables with foreign key checks still deferred in the test's
        # transaction: run them now.
        connection.check_constraints()
        call_command("flush", interactive=False, verbosity=0)
        shutil.rmtree(settings.MEDIA_ROOT)
        assert not Agreement.objects.exists() and not Region.objects.exists()
        assert not Group.objects.exists()

        call_command(*readme_command("loaddata")[:1], str(tmp_path / "backup.json"), verbosity=0)
    finally:
        ContentType.objects.clear_cache()
    shutil.copytree(media_copy, settings.MEDIA_ROOT)

    assert backup(tmp_path / "restored.json") == before
    restored = Agreement.objects.get(slug="kerja-sama-provinsi-banten-provinsi-bengkulu-2025")
    assert restored.venue == "Pendopo Gubernur Banten"
    assert not Agreement.objects.filter(title="Dicatat keliru").exists()
    assert Group.objects.get(name="Editor").user_set.get().check_password("Kerjasama-Daerah-2025!")
    document = restored.documents.get()
    response = Client().get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
