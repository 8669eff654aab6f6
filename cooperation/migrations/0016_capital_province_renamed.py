"""Undang-Undang Nomor 2 Tahun 2024 renamed the capital's province (code 31) "Provinsi Daerah
Khusus Jakarta". A catalogue loaded before the fixture carried the new name is renamed here.

The search documents of the agreements held there (venue or site) hold the old name: they are dropped, and
``migrate`` rebuilds every missing one at its end (``cooperation.apps``)."""

from django.db import migrations
from django.db.models import Q

CODE = "31"
OLD_NAME = "Daerah Khusus Ibukota Jakarta"
NEW_NAME = "Daerah Khusus Jakarta"


def rename(apps, old, new):
    Region = apps.get_model("regions", "Region")
    SearchDocument = apps.get_model("cooperation", "SearchDocument")
    if Region.objects.filter(code=CODE, name=old).update(name=new):
        held_there = Q(agreement__venue_region__code=CODE) | Q(agreement__site_region__code=CODE)
        SearchDocument.objects.filter(held_there).delete()


def forwards(apps, schema_editor):
    rename(apps, OLD_NAME, NEW_NAME)


def backwards(apps, schema_editor):
    rename(apps, NEW_NAME, OLD_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0015_identity_and_data_version"),
        ("regions", "0002_districts"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
