"""The catalogue's one clock: "today" in Jakarta, and month arithmetic on dates."""

import datetime

from django.utils import timezone


def now():
    """The moment the catalogue's "today" is taken from. Only tests replace it (the ``clock``
    fixture in tests/conftest.py), so that every caller of ``today()`` sees the moved clock."""
    return timezone.now()


def today():
    """Today's date in the project's time zone (Asia/Jakarta), whatever the machine's zone."""
    return timezone.localdate(now())


def months_before(day, months):
    """The same day ``months`` calendar months earlier (the month's last day if it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))
