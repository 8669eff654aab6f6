"""Follow-up actions (tindak lanjut): the concrete next steps of an agreement.

A follow-up may have several responsible organisations, a due date with a precision (a day, a
month, a quarter or a year: "Desember 2026", "triwulan IV 2026"), and a recurrence (monthly,
quarterly, each semester, yearly) whose occurrences (``FollowUpOccurrence``) are each marked
done on their own. A due date of a month, quarter or year is stored as the period's last day:
it is due by the end of the period, and is overdue only after it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history.models import HistoricalRecords

from regions.models import Organisation

from .base import AgreementPartManager
from .clock import months_before, today

# A recurring follow-up has at most this many occurrences (ten years, monthly).
MAX_OCCURRENCES = 120


class FollowUpStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    NOT_DONE = "not_done", _("not done")
    CANCELLED = "cancelled", _("cancelled")


class DuePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class Recurrence(models.TextChoices):
    NONE = "", _("does not recur")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    SEMESTER = "semester", _("each semester")
    YEARLY = "yearly", _("yearly")


# Months in a period of each precision and between occurrences of each recurrence.
PRECISION_MONTHS = {
    DuePrecision.DAY: 0,
    DuePrecision.MONTH: 1,
    DuePrecision.QUARTER: 3,
    DuePrecision.YEAR: 12,
}
RECURRENCE_MONTHS = {
    Recurrence.MONTHLY: 1,
    Recurrence.QUARTERLY: 3,
    Recurrence.SEMESTER: 6,
    Recurrence.YEARLY: 12,
}
# A recurrence takes a due date no coarser than its interval (a monthly action is not due "in
# a quarter").
RECURRENCE_PRECISIONS = {
    recurrence: [p for p, months in PRECISION_MONTHS.items() if months <= interval]
    for recurrence, interval in RECURRENCE_MONTHS.items()
}
# A quarter's name: "Q4" in English, "triwulan IV" in Indonesian.
QUARTER_NAMES = {1: _("Q1"), 2: _("Q2"), 3: _("Q3"), 4: _("Q4")}


def _month_end(year, month):
    return datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)


def period_end(day, precision):
    """The last day of the day, month, quarter or year ``day`` falls in."""
    if precision == DuePrecision.MONTH:
        return _month_end(day.year, day.month)
    if precision == DuePrecision.QUARTER:
        return _month_end(day.year, (day.month - 1) // 3 * 3 + 3)
    if precision == DuePrecision.YEAR:
        return datetime.date(day.year, 12, 31)
    return day


def is_period_end(day, precision):
    return day == period_end(day, precision)


def due_label(day, precision):
    """A due date as people say it: "1 Desember 2026", "Desember 2026", "triwulan IV 2026",
    "2026" (in English "December 2026", "Q4 2026")."""
    if day is None:
        return ""
    if precision == DuePrecision.MONTH:
        # Translators: a month and its year, in Django's date format syntax ("F Y").
        return format_date(day, pgettext("month and year format", "F Y"))
    if precision == DuePrecision.QUARTER:
        return f"{QUARTER_NAMES[(day.month - 1) // 3 + 1]} {day.year}"
    if precision == DuePrecision.YEAR:
        return str(day.year)
    return format_date(day, pgettext("long date format", "l, j F Y"))


def _period_end_condition(field="due_date"):
    """The database's form of ``is_period_end`` for each precision (February's 28th counts as
    its end in every year: a leap year's 28th slips through here, never through ``clean``)."""
    long_months, short_months = [1, 3, 5, 7, 8, 10, 12], [4, 6, 9, 11]
    month_end = (
        Q(**{f"{field}__month__in": long_months, f"{field}__day": 31})
        | Q(**{f"{field}__month__in": short_months, f"{field}__day": 30})
        | Q(**{f"{field}__month": 2, f"{field}__day__gte": 28})
    )
    quarter_end = Q(**{f"{field}__month__in": [3, 12], f"{field}__day": 31}) | Q(
        **{f"{field}__month__in": [6, 9], f"{field}__day": 30}
    )
    year_end = Q(**{f"{field}__month": 12, f"{field}__day": 31})
    return (
        Q(due_precision=DuePrecision.DAY)
        | Q(**{f"{field}__isnull": True})
        | (Q(due_precision=DuePrecision.MONTH) & month_end)
        | (Q(due_precision=DuePrecision.QUARTER) & quarter_end)
        | (Q(due_precision=DuePrecision.YEAR) & year_end)
    )


def _precision_fits_recurrence():
    condition = Q()
    for recurrence, precisions in RECURRENCE_PRECISIONS.items():
        condition |= Q(recurrence=recurrence, due_precision__in=precisions)
    return condition


class FollowUpQuerySet(models.QuerySet):
    OPEN_STATUSES = (FollowUpStatus.PLANNED, FollowUpStatus.IN_PROGRESS)

    def open(self):
        return self.filter(status__in=self.OPEN_STATUSES)

    def visible_to(self, user):
        """Follow-ups of the agreements ``user`` may see (drafts are for staff only)."""
        agreements = self.model._meta.get_field("agreement").related_model.objects
        return self.filter(agreement__in=agreements.visible_to(user).values("pk"))

    def _due(self, **due_date):
        """Open follow-ups due in a range (``due_date__lt=...``): a one-off by its due date
        (the end of its period), a recurring one by an occurrence not yet done."""
        occurrences = FollowUpOccurrence.objects.filter(
            follow_up=OuterRef("pk"), done_on__isnull=True, **due_date
        )
        return self.open().filter(
            Q(recurrence=Recurrence.NONE, **due_date)
            | (~Q(recurrence=Recurrence.NONE) & Exists(occurrences))
        )

    def overdue(self, on=None):
        return self._due(due_date__lt=on or today())

    def due_within(self, days, on=None):
        """Open follow-ups due from ``on`` (default today) to ``days`` later, as ``_due``.

        The few follow-ups due in a window are found by index ranges (a one-off by its due
        date, a recurring one by an occurrence), not by ``_due``'s walk along the list's order
        past every earlier follow-up: at 100,000 agreements the home page's "due soon" read
        140,000 follow-ups (250 ms) before it found ten."""
        start = on or today()
        window = {"due_date__gte": start, "due_date__lte": start + datetime.timedelta(days)}
        one_off = self.model._default_manager.filter(recurrence=Recurrence.NONE, **window)
        occurrences = FollowUpOccurrence.objects.filter(done_on__isnull=True, **window).exclude(
            follow_up__recurrence=Recurrence.NONE
        )
        due = one_off.order_by().values("pk").union(occurrences.order_by().values("follow_up"))
        return self.open().filter(pk__in=due)

    def overdue_and_due_within(self, days, limit, on=None):
        """The first ``limit`` overdue follow-ups (``overdue``) and the first ``limit`` due
        from ``on`` to ``days`` later (``due_within``), in this queryset's order, as two lists
        read in one query (with this queryset's prefetches run once for both): each list's
        keys are found by its own query, as a subquery; a recurring follow-up may be in
        both."""
        overdue = self.overdue(on).values("pk")[:limit]
        due = self.due_within(days, on).values("pk")[:limit]
        # The members of a UNION cannot be sliced on every database: each filters by its slice.
        keys = self.model._default_manager.order_by().values("pk")
        either = keys.filter(pk__in=overdue).union(keys.filter(pk__in=due))
        rows = list(
            self.filter(pk__in=either).annotate(
                in_overdue=models.ExpressionWrapper(Q(pk__in=overdue), models.BooleanField()),
                in_due_within=models.ExpressionWrapper(Q(pk__in=due), models.BooleanField()),
            )
        )
        return [r for r in rows if r.in_overdue], [r for r in rows if r.in_due_within]

    def with_list_data(self):
        """What a row of a follow-up list shows (agreement, responsible organisations,
        occurrences), in a fixed number of queries."""
        return self.select_related("agreement").prefetch_related(
            "responsible_organisations",
            models.Prefetch(
                "occurrences", queryset=FollowUpOccurrence.objects.order_by("due_date")
            ),
        )


class FollowUpManager(AgreementPartManager.from_queryset(FollowUpQuerySet)):
    key_fields = ["action"]


class FollowUp(models.Model):
    """A concrete next step (tindak lanjut): a survey, a return visit, a technical meeting."""

    Status = FollowUpStatus
    Precision = DuePrecision
    Recurrence = Recurrence

    agreement = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    action = models.CharField(_("action"), max_length=300, help_text=_("What is to be done."))
    responsible_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("responsible organisations"),
        blank=True,
        related_name="follow_ups",
        help_text=_("Every organisation that is to do it; none if the source does not say."),
    )
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_(
            "Blank if none was set. For a month, quarter or year, any day in it: it is kept "
            "as the period's last day."
        ),
    )
    due_precision = models.CharField(
        _("due date precision"),
        max_length=10,
        choices=DuePrecision.choices,
        default=DuePrecision.DAY,
        help_text=_(
            "How precisely the source gives the due date: a day, a month, a quarter or a year."
        ),
    )
    recurrence = models.CharField(
        _("recurrence"),
        max_length=10,
        choices=Recurrence.choices,
        default=Recurrence.NONE,
        blank=True,
        help_text=_(
            "For recurring work (monthly monitoring): the due date is the first occurrence, "
            "and each occurrence is marked done on its own."
        ),
    )
    recurs_until = models.DateField(
        _("recurs until"),
        null=True,
        blank=True,
        help_text=_("The last day an occurrence may fall on; blank: the agreement's validity end."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField(
        _("date done"), null=True, blank=True, help_text=_("Required once it is done.")
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.ForeignKey(
        "cooperation.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text=_("The report that says this is to be done, or was done."),
    )
    evaluation = models.ForeignKey(
        "cooperation.Evaluation",
        verbose_name=_("from the evaluation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text=_("The evaluation of this agreement that recommended it, if any."),
    )

    history = HistoricalRecords(m2m_fields=[responsible_organisations])
    objects = FollowUpManager()

    class Meta:
        # Undated actions after the dated ones, on every database.
        ordering = [F("due_date").asc(nulls_last=True), "id"]
        indexes = [
            # The list's order, and the due-year filter's first and last year.
            models.Index(fields=["due_date", "id"], name="follow_up_list_order"),
        ]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "action"],
                name="follow_up_action_once",
                violation_error_message=_("This action is already listed for the agreement."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=FollowUpStatus.values),
                name="follow_up_status_valid",
                violation_error_message=_("Choose a valid status."),
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(status=FollowUpStatus.DONE),
                name="follow_up_done_date_only_when_done",
                violation_error_message=_("Only a follow-up that is done has a date done."),
            ),
            models.CheckConstraint(
                condition=~Q(status=FollowUpStatus.DONE) | Q(done_on__isnull=False),
                name="follow_up_done_has_date",
                violation_error_message=_("A follow-up that is done needs the date it was done."),
            ),
            models.CheckConstraint(
                condition=Q(due_precision__in=DuePrecision.values),
                name="follow_up_due_precision_valid",
                violation_error_message=_("Choose a valid precision of the due date."),
            ),
            models.CheckConstraint(
                condition=_period_end_condition(),
                name="follow_up_due_date_ends_its_period",
                violation_error_message=_(
                    "A due date of a month, quarter or year is kept as the period's last day."
                ),
            ),
            models.CheckConstraint(
                condition=Q(recurrence__in=Recurrence.values),
                name="follow_up_recurrence_valid",
                violation_error_message=_("Choose a valid recurrence."),
            ),
            models.CheckConstraint(
                condition=Q(recurrence=Recurrence.NONE)
                | (Q(due_date__isnull=False) & _precision_fits_recurrence()),
                name="follow_up_recurrence_has_first_due_date",
                violation_error_message=_(
                    "A recurring follow-up needs the due date of its first occurrence, given "
                    "no coarser than the recurrence (a monthly action is due in a month or on "
                    "a day)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(recurs_until__isnull=True)
                | (~Q(recurrence=Recurrence.NONE) & Q(recurs_until__gte=F("due_date"))),
                name="follow_up_recurs_until_after_first",
                violation_error_message=_(
                    "Only a recurring follow-up recurs until a date, and not before its first "
                    "occurrence."
                ),
            ),
        ]

    def __str__(self):
        return self.action

    def natural_key(self):
        return (self.agreement.slug, self.action)

    natural_key.dependencies = ["cooperation.agreement", "regions.organisation"]

    @property
    def is_open(self):
        return self.status in FollowUpQuerySet.OPEN_STATUSES

    @property
    def is_recurring(self):
        return self.recurrence != Recurrence.NONE

    @property
    def is_overdue(self):
        """Open and past due: a one-off after the end of its due period, a recurring one when
        an occurrence not yet done is (reads the occurrences: prefetch them for a list)."""
        if not self.is_open:
            return False
        if self.is_recurring:
            return any(occurrence.is_overdue for occurrence in self.occurrences.all())
        return self.due_date is not None and self.due_date < today()

    @property
    def due_label(self):
        return due_label(self.due_date, self.due_precision)

    @property
    def next_occurrence(self):
        """The first occurrence not yet done (from the prefetched occurrences)."""
        return next((o for o in self.occurrences.all() if o.done_on is None), None)

    @property
    def responsible_names(self):
        """The responsible organisations' names, for plain text (prefetch them for a list)."""
        return ", ".join(o.name for o in self.responsible_organisations.all())

    @property
    def next_due(self):
        """What is due next, with a ``due_date`` and a ``due_label``: a recurring follow-up's
        first occurrence not yet done, else the follow-up itself."""
        return self.next_occurrence if self.is_recurring else self

    @property
    def occurrences_done(self):
        return sum(1 for o in self.occurrences.all() if o.done_on is not None)

    def recurrence_end(self):
        """The last day an occurrence may fall on: ``recurs_until``, else the agreement's
        validity end; None when neither is known."""
        return self.recurs_until or (self.agreement.valid_until if self.agreement_id else None)

    def occurrence_dates(self):
        """The due dates of the occurrences, from the first due date to ``recurrence_end``."""
        if not self.is_recurring or self.due_date is None:
            return []
        end, step = self.recurrence_end(), RECURRENCE_MONTHS[self.recurrence]
        if end is None:
            return []
        dates = []
        while len(dates) <= MAX_OCCURRENCES:
            day = period_end(months_before(self.due_date, -step * len(dates)), self.due_precision)
            if day > end:
                break
            dates.append(day)
        return dates

    def clean(self):
        super().clean()
        errors = {}
        if self.due_date and not is_period_end(self.due_date, self.due_precision):
            # A month, quarter or year is due by its end: keep that day, whichever was typed.
            self.due_date = period_end(self.due_date, self.due_precision)
        if self.done_on and self.status != self.Status.DONE:
            errors["done_on"] = _("Only a follow-up that is done has a date done.")
        elif self.status == self.Status.DONE and not self.done_on:
            errors["done_on"] = _("A follow-up that is done needs the date it was done.")
        elif self.done_on and self.done_on > today():
            errors["done_on"] = _("The date done cannot be in the future.")
        if self.is_recurring:
            if self.due_date is None:
                errors["due_date"] = _(
                    "A recurring follow-up needs the due date of its first occurrence."
                )
            elif self.due_precision not in RECURRENCE_PRECISIONS[self.recurrence]:
                errors["due_precision"] = _(
                    "A due date this coarse does not fit the recurrence: a monthly action is "
                    "due in a month or on a day, a quarterly one in a quarter at most."
                )
            elif self.recurs_until and self.recurs_until < self.due_date:
                errors["recurs_until"] = _("This is before the first occurrence.")
            elif self.recurrence_end() is None:
                errors["recurs_until"] = _(
                    "Say until when it recurs: the agreement has no validity end to go by."
                )
            elif len(self.occurrence_dates()) > MAX_OCCURRENCES:
                errors["recurs_until"] = _(
                    "That makes more than %(count)d occurrences: choose an earlier end."
                ) % {"count": MAX_OCCURRENCES}
        elif self.recurs_until:
            errors["recurs_until"] = _("Only a recurring follow-up recurs until a date.")
        if self.evaluation_id and self.evaluation.agreement_id != self.agreement_id:
            errors["evaluation"] = _("Choose an evaluation of the same agreement.")
        if errors:
            raise ValidationError(errors)


class FollowUpOccurrenceManager(models.Manager):
    def get_by_natural_key(self, agreement_slug, action, due_date):
        return self.get(
            follow_up__agreement__slug=agreement_slug, follow_up__action=action, due_date=due_date
        )


class FollowUpOccurrence(models.Model):
    """One occurrence of a recurring follow-up (the January monitoring of a monthly one),
    made from its recurrence (``follow_up_schedule``) and marked done on its own."""

    follow_up = models.ForeignKey(
        FollowUp,
        verbose_name=_("follow-up action"),
        on_delete=models.CASCADE,
        related_name="occurrences",
    )
    due_date = models.DateField(
        _("due date"), help_text=_("As the follow-up's precision: the period's last day.")
    )
    done_on = models.DateField(
        _("date done"), null=True, blank=True, help_text=_("Blank while it is not done.")
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = FollowUpOccurrenceManager()

    class Meta:
        ordering = ["follow_up", "due_date"]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "due_date"],
                name="follow_up_occurrence_once",
                violation_error_message=_("The follow-up already has an occurrence due then."),
            ),
        ]

    def __str__(self):
        return f"{self.follow_up}: {self.due_label}"

    def natural_key(self):
        return (*self.follow_up.natural_key(), self.due_date.isoformat())

    natural_key.dependencies = ["cooperation.followup"]

    @property
    def due_label(self):
        return due_label(self.due_date, self.follow_up.due_precision)

    @property
    def due_precision(self):
        return self.follow_up.due_precision

    @property
    def is_overdue(self):
        return self.done_on is None and self.due_date < today()

    def clean(self):
        super().clean()
        if self.follow_up_id and not self.follow_up.is_recurring:
            raise ValidationError({"follow_up": _("Only a recurring follow-up has occurrences.")})
        if self.done_on and self.done_on > today():
            raise ValidationError({"done_on": _("The date done cannot be in the future.")})
