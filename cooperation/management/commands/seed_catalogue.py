"""``manage.py seed_catalogue``: the regions and the seed records, into an empty catalogue only.

``loaddata`` writes every fixture row over the row with the same natural key, without a history
record: run on a catalogue in use, it would silently revert every seed record an editor has
corrected, renamed or unpublished. This command loads ``fixtures/*.json`` only while the
catalogue holds no record at all, so ``make run`` can run it every time.
"""

import io
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction

CATALOGUE_APPS = ("regions", "cooperation")


def catalogue_models():
    return [
        model
        for app in CATALOGUE_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]


class Command(BaseCommand):
    help = (
        "Load fixtures/*.json (the regions and the seed records) into an empty catalogue, with a "
        "first history record for each row. Does nothing once the catalogue holds any record."
    )

    def handle(self, *args, **options):
        holding = [
            model._meta.verbose_name_plural
            for model in catalogue_models()
            if model._default_manager.exists()
        ]
        if holding:
            names = ", ".join(str(name) for name in holding)
            self.stdout.write(
                f"The catalogue already holds records ({names}): nothing loaded, so that no "
                "edit is overwritten."
            )
            return
        fixtures = sorted(str(path) for path in Path(settings.BASE_DIR, "fixtures").glob("*.json"))
        with transaction.atomic():
            call_command("loaddata", *fixtures, verbosity=0)
            # loaddata writes no history; the first record lets an edit of a seed be reverted.
            call_command("populate_history", auto=True, stdout=io.StringIO())
        count = sum(model._default_manager.count() for model in catalogue_models())
        self.stdout.write(f"Loaded {count} records from {len(fixtures)} fixture files.")
