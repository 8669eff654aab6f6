"""``manage.py generate_catalogue --agreements 100000 --seed 1``: a synthetic national catalogue
for benchmarks (see ``cooperation.generator``). Never run it on a production database."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from cooperation.generator import CatalogueGenerator, GeneratorError


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic catalogue over the real regions, for benchmarks: "
        "the same seed on the same starting database gives the same catalogue. Not for "
        "production: every row it writes is invented."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--agreements", type=int, default=1000, help="how many agreements (default 1000)"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="rows per INSERT (default 2000)"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even with DJANGO_DEBUG=0 (a production-like configuration)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DJANGO_DEBUG is off, so this may be a production database: the generator "
                "writes invented agreements. Pass --force if this database is a throwaway one."
            )
        verbose = options["verbosity"] > 0
        generator = CatalogueGenerator(
            agreements=options["agreements"],
            seed=options["seed"],
            batch_size=options["batch_size"],
            using=options["database"],
            log=(lambda message: self.stdout.write(message)) if verbose else None,
        )
        try:
            generator.run()
        except GeneratorError as error:
            raise CommandError(str(error)) from error
        # bulk_create sends no signals: the derived data (search documents, stored categories,
        # agreement-region links) is rebuilt once at the end.
        call_command("rebuild_derived", stdout=self.stdout, verbosity=options["verbosity"])
