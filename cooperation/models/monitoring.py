"""Monitoring and evaluation (monev): evaluation records of an agreement's implementation.

An evaluation covers a semester or a year, is made on a date by an evaluating organisation,
says what was implemented, the problems and a recommendation, and gives an assessment (on track,
delayed, not implemented, completed). Its evidence is the agreement's documents that belong to
it (``Document.evaluation``); the follow-up actions that come from it point to it
(``FollowUp.evaluation``). "Evaluation due" (an agreement in force with no evaluation in the
last six months) is ``AgreementQuerySet.evaluation_due``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import Organisation

from .clock import months_before, today

# An agreement in force with no evaluation for this many months is due one.
EVALUATION_DUE_AFTER_MONTHS = 6
FIRST_YEAR, LAST_YEAR = 1945, 2100
# A half year's name: "H1" in English, "Semester I" in Indonesian.
SEMESTER_NAMES = {1: _("H1"), 2: _("H2")}


class EvaluationPeriod(models.TextChoices):
    YEAR = "year", _("whole year")
    FIRST_SEMESTER = "semester_1", _("first semester (January to June)")
    SECOND_SEMESTER = "semester_2", _("second semester (July to December)")


class Assessment(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    DELAYED = "delayed", _("delayed")
    NOT_IMPLEMENTED = "not_implemented", _("not implemented")
    COMPLETED = "completed", _("completed")


class EvaluationManager(models.Manager):
    def get_by_natural_key(self, agreement_slug, year, period, evaluated_on):
        return self.get(
            agreement__slug=agreement_slug, year=year, period=period, evaluated_on=evaluated_on
        )


class Evaluation(models.Model):
    """An evaluation (evaluasi) of how an agreement is being implemented over a period."""

    Period = EvaluationPeriod
    Assessment = Assessment

    agreement = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text=_("The year the evaluated period falls in."),
    )
    period = models.CharField(
        _("period covered"),
        max_length=12,
        choices=EvaluationPeriod.choices,
        default=EvaluationPeriod.YEAR,
    )
    evaluated_on = models.DateField(_("date of the evaluation"))
    evaluator = models.ForeignKey(
        Organisation,
        verbose_name=_("evaluating organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        help_text=_("Who evaluated: Bagian Kerja Sama, Bappeda. Blank if the source does not say."),
    )
    assessment = models.CharField(_("assessment"), max_length=20, choices=Assessment.choices)
    implemented = models.TextField(
        _("what was implemented"), blank=True, help_text=_("Short and factual, in Indonesian.")
    )
    problems = models.TextField(_("problems"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    source = models.ForeignKey(
        "cooperation.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        help_text=_("The report that gives this evaluation, if it is public."),
    )

    history = HistoricalRecords()
    objects = EvaluationManager()

    class Meta:
        ordering = ["agreement", F("evaluated_on").desc(), "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes = [
            # "The latest evaluation of each agreement" (evaluation due).
            models.Index(fields=["agreement", "evaluated_on"], name="evaluation_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period__in=EvaluationPeriod.values),
                name="evaluation_period_valid",
                violation_error_message=_("Choose a valid period."),
            ),
            models.CheckConstraint(
                condition=Q(assessment__in=Assessment.values),
                name="evaluation_assessment_valid",
                violation_error_message=_("Choose a valid assessment."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="evaluation_year_valid",
                violation_error_message=_("Give a year between 1945 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(evaluated_on__year__gte=F("year")),
                name="evaluation_after_its_period_begins",
                violation_error_message=_("A period is evaluated once it has begun, not before."),
            ),
            models.UniqueConstraint(
                fields=["agreement", "year", "period", "evaluator"],
                name="evaluation_once_per_period_and_evaluator",
                violation_error_message=_(
                    "This organisation has already evaluated the agreement for this period."
                ),
            ),
            models.UniqueConstraint(
                fields=["agreement", "year", "period", "evaluated_on"],
                name="evaluation_natural_key",
                violation_error_message=_(
                    "The agreement already has an evaluation of this period on this date."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.agreement}: {self.period_label}"

    def get_absolute_url(self):
        return self.agreement.get_absolute_url() + f"#evaluation-{self.pk}"

    def natural_key(self):
        return (self.agreement.slug, self.year, self.period, self.evaluated_on.isoformat())

    natural_key.dependencies = ["cooperation.agreement"]

    @property
    def period_start(self):
        month = 7 if self.period == EvaluationPeriod.SECOND_SEMESTER else 1
        return datetime.date(self.year, month, 1)

    @property
    def period_end(self):
        if self.period == EvaluationPeriod.FIRST_SEMESTER:
            return datetime.date(self.year, 6, 30)
        return datetime.date(self.year, 12, 31)

    @property
    def evidence(self):
        """The documents that are evidence of this evaluation, read from its agreement's
        documents: no query where they are prefetched (``selectors.agreement_detail``)."""
        return [d for d in self.agreement.documents.all() if d.evaluation_id == self.pk]

    @property
    def recommended_follow_ups(self):
        """The follow-up actions that come from this evaluation, read from its agreement's
        follow-ups as ``evidence`` is."""
        return [f for f in self.agreement.follow_ups.all() if f.evaluation_id == self.pk]

    @property
    def period_label(self):
        """The period as people say it: "Semester I 2026", "2026" (in English "H1 2026")."""
        if self.period == EvaluationPeriod.YEAR:
            return str(self.year)
        half = 1 if self.period == EvaluationPeriod.FIRST_SEMESTER else 2
        return f"{SEMESTER_NAMES[half]} {self.year}"

    def clean(self):
        super().clean()
        errors = {}
        if self.evaluated_on and self.year and FIRST_YEAR <= self.year <= LAST_YEAR:
            if self.evaluated_on < self.period_start:
                errors["evaluated_on"] = _("A period is evaluated once it has begun, not before.")
            elif self.evaluated_on > today():
                errors["evaluated_on"] = _("The date of the evaluation cannot be in the future.")
        if errors:
            raise ValidationError(errors)


def evaluation_due_since(agreement, months=EVALUATION_DUE_AFTER_MONTHS):
    """The day an agreement from ``AgreementQuerySet.evaluation_due`` became due an evaluation:
    ``months`` months after its last evaluation, or after it came into force."""
    last = max(d for d in (agreement.last_evaluated_on, agreement.in_force_since) if d)
    return months_before(last, -months)
