"""Follow-up actions (tindak lanjut): the concrete next steps of an agreement."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import Organisation

from .base import AgreementPartManager
from .clock import today


class FollowUpStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    NOT_DONE = "not_done", _("not done")
    CANCELLED = "cancelled", _("cancelled")


class FollowUpQuerySet(models.QuerySet):
    OPEN_STATUSES = (FollowUpStatus.PLANNED, FollowUpStatus.IN_PROGRESS)

    def open(self):
        return self.filter(status__in=self.OPEN_STATUSES)

    def visible_to(self, user):
        """Follow-ups of the agreements ``user`` may see (drafts are for staff only)."""
        agreements = self.model._meta.get_field("agreement").related_model.objects
        return self.filter(agreement__in=agreements.visible_to(user).values("pk"))

    def overdue(self, on=None):
        return self.open().filter(due_date__lt=on or today())

    def due_within(self, days, on=None):
        start = on or today()
        return self.open().filter(
            due_date__gte=start, due_date__lte=start + datetime.timedelta(days)
        )


class FollowUpManager(AgreementPartManager.from_queryset(FollowUpQuerySet)):
    key_fields = ["action"]


class FollowUp(models.Model):
    """A concrete next step (tindak lanjut): a survey, a return visit, a technical meeting."""

    Status = FollowUpStatus

    agreement = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    action = models.CharField(_("action"), max_length=300, help_text=_("What is to be done."))
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    due_date = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("Blank if none was set.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField(_("date done"), null=True, blank=True)
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

    history = HistoricalRecords()
    objects = FollowUpManager()

    class Meta:
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
        ]

    def __str__(self):
        return self.action

    def natural_key(self):
        return (self.agreement.slug, self.action)

    natural_key.dependencies = ["cooperation.agreement"]

    @property
    def is_open(self):
        return self.status in FollowUpQuerySet.OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_date is not None and self.due_date < today()

    def clean(self):
        super().clean()
        if self.done_on and self.status != self.Status.DONE:
            raise ValidationError({"done_on": _("Only a follow-up that is done has a date done.")})
        if self.done_on and self.done_on > today():
            raise ValidationError({"done_on": _("The date done cannot be in the future.")})
