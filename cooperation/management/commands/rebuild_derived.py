"""``manage.py rebuild_derived``: recompute every agreement's stored category, region links and
search document (after a bulk load that bypassed the ORM's signals, or a change of the rules)."""

import time

from django.core.management.base import BaseCommand, CommandError

from cooperation import derived


class Command(BaseCommand):
    help = "Recompute the derived data of every agreement: category, region links, search."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; exit 1 if any agreement's derived data is out of date.",
        )

    def handle(self, *args, **options):
        if options["check"]:
            stale = derived.stale_agreements()
            if stale:
                raise CommandError(
                    f"{len(stale)} agreements have out-of-date derived data "
                    f"(e.g. pk {min(stale)}): run manage.py rebuild_derived."
                )
            self.stdout.write("Every agreement's derived data is up to date.")
            return
        started = time.monotonic()

        def progress(done, total):
            if options["verbosity"] >= 2:
                self.stdout.write(f"{done}/{total} agreements")

        # Each batch commits on its own (derived.rebuild_all): no transaction holds 100,000
        # agreements, and an interrupted rebuild is simply run again.
        count = derived.rebuild_all(progress=progress)
        seconds = time.monotonic() - started
        self.stdout.write(f"Rebuilt the derived data of {count} agreements in {seconds:.1f} s.")
