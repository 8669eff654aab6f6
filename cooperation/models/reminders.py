"""Email reminders (``manage.py send_reminders``): who receives them and what was sent.

Recipients are an organisation's contact addresses and staff users subscribed to a region or
an organisation. Each reminder is recorded once per item, threshold and deadline, so a run
never repeats one, and a deadline that moves gets reminders of its own.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import Organisation, Region


class OrganisationContact(models.Model):
    """An address that receives an organisation's reminders (its cooperation unit, say)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="reminder_contacts",
    )
    email = models.EmailField(_("email address"))
    name = models.CharField(
        _("name or unit"),
        max_length=200,
        blank=True,
        help_text=_("Who reads this address: Bagian Kerja Sama, Sekretariat Bappeda."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "email"]
        verbose_name = _("organisation contact address")
        verbose_name_plural = _("organisation contact addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                name="organisation_contact_once",
                violation_error_message=_("This address is already a contact of the organisation."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.email}"


class ReminderSubscription(models.Model):
    """A staff user's wish to receive the reminders of a region or an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_subscriptions",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_subscriptions",
        help_text=_("A province includes its regencies and cities."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_subscriptions",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "region__code", "organisation__name"]
        verbose_name = _("reminder subscription")
        verbose_name_plural = _("reminder subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, organisation__isnull=True)
                | Q(region__isnull=True, organisation__isnull=False),
                name="reminder_subscription_region_or_organisation",
                violation_error_message=_("Choose a region or an organisation, not both."),
            ),
            models.UniqueConstraint(
                fields=["user", "region"],
                condition=Q(region__isnull=False),
                name="reminder_subscription_region_once",
                violation_error_message=_("You already follow this region."),
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(organisation__isnull=False),
                name="reminder_subscription_organisation_once",
                violation_error_message=_("You already follow this organisation."),
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.region or self.organisation}"

    def clean(self):
        super().clean()
        if bool(self.region_id) == bool(self.organisation_id):
            raise ValidationError(_("Choose a region or an organisation, not both."))


class ReminderKind(models.TextChoices):
    FOLLOW_UP_DUE_30 = "follow_up_due_30", _("follow-up due within 30 days")
    FOLLOW_UP_DUE_7 = "follow_up_due_7", _("follow-up due within 7 days")
    FOLLOW_UP_OVERDUE = "follow_up_overdue", _("follow-up overdue")
    VALIDITY_ENDS_90 = "validity_ends_90", _("validity ends within 90 days")
    VALIDITY_ENDS_30 = "validity_ends_30", _("validity ends within 30 days")
    EVALUATION_DUE = "evaluation_due", _("evaluation due (none in the last 6 months)")


class ReminderSent(models.Model):
    """A reminder that went out: once per item, threshold and deadline."""

    Kind = ReminderKind

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    agreement = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="reminders_sent",
    )
    follow_up = models.ForeignKey(
        "cooperation.FollowUp",
        verbose_name=_("follow-up action"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders_sent",
    )
    deadline = models.DateField(
        _("deadline"),
        help_text=_(
            "The due date, validity end or day an evaluation became due that the reminder was "
            "about."
        ),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.TextField(_("recipients"), help_text=_("The addresses it went to."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "kind"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values),
                name="reminder_sent_kind_valid",
                violation_error_message=_("Choose a valid kind of reminder."),
            ),
            models.UniqueConstraint(
                fields=["kind", "follow_up", "deadline"],
                condition=Q(follow_up__isnull=False),
                name="reminder_sent_once_per_follow_up",
            ),
            models.UniqueConstraint(
                fields=["kind", "agreement", "deadline"],
                condition=Q(follow_up__isnull=True),
                name="reminder_sent_once_per_agreement",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.follow_up or self.agreement} ({self.deadline})"
