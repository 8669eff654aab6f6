"""Setting up again never reverts editors' work: ``make run`` seeds only an empty catalogue
(``manage.py seed_catalogue``); ``loaddata fixtures/*.json`` stays the first-install command."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from cooperation.models import Agreement
from regions.models import Organisation, Region
from tests.helpers import REGION_COUNT

pytestmark = pytest.mark.django_db

SERANG_BANDUNG_SIGNING = "kerja-sama-kabupaten-serang-kabupaten-bandung-2023"


def seed():
    out = io.StringIO()
    call_command("seed_catalogue", stdout=out)
    return out.getvalue()


def test_seeding_an_empty_catalogue_loads_every_fixture_with_a_first_history_record():
    output = seed()

    assert Region.objects.count() == REGION_COUNT
    assert Agreement.objects.published().count() == 5
    assert "Loaded" in output
    signing = Agreement.objects.get(slug=SERANG_BANDUNG_SIGNING)
    assert signing.history.count() == 1
    assert Region.history.count() == REGION_COUNT


def test_seeding_again_keeps_every_edit():
    seed()
    signing = Agreement.objects.get(slug=SERANG_BANDUNG_SIGNING)
    signing.title = "Judul yang dikoreksi"
    signing.is_published = False
    signing.save()
    government = Organisation.objects.filter(kind="regional_government").first()
    government.name = "Nama yang dikoreksi"
    government.save()

    output = seed()

    signing.refresh_from_db()
    government.refresh_from_db()
    assert (signing.title, signing.is_published) == ("Judul yang dikoreksi", False)
    assert government.name == "Nama yang dikoreksi"
    assert "nothing loaded" in output


def test_make_run_seeds_instead_of_loading_the_fixtures_over_the_catalogue():
    makefile = Path(settings.BASE_DIR, "Makefile").read_text()
    run = re.search(r"^run:.*?\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)

    assert "manage.py seed_catalogue" in run
    assert "loaddata" not in run
