"""Email the reminders that are due (see cooperation/reminders.py). Run it daily (README)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from cooperation.reminders import reminders_send


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date takes a date as YYYY-MM-DD; got {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Email reminders of follow-up actions due within 7 or 30 days or overdue, and of "
        "validity ending within 30 or 90 days; each once per item, threshold and deadline."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be sent; send nothing."
        )
        parser.add_argument(
            "--date", type=iso_date, help="Act as if today were this day (YYYY-MM-DD)."
        )

    def handle(self, *args, dry_run=False, date=None, **options):
        outcome = reminders_send(on=date, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(f"{outcome.reminders} reminder(s) due; {verb} {outcome.emails} email(s).")
        if outcome.without_recipient:
            self.stdout.write(
                f"{outcome.without_recipient} reminder(s) have no recipient: add contact "
                "addresses to the organisations or subscriptions for their regions."
            )
        if outcome.failed:
            raise CommandError(
                f"{len(outcome.failed)} email(s) could not be sent (they will be tried again "
                f"on the next run): {', '.join(outcome.failed)}"
            )
