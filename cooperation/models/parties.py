"""The organisations that take part in an agreement, and the officials present for them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import Organisation, Person, Position, Tenure

from .base import AgreementPartManager
from .clock import today


class PartyManager(AgreementPartManager):
    key_fields = ["organisation__slug"]


class PartyRole(models.TextChoices):
    SIGNATORY = "signatory", _("signatory party")
    HOST = "host", _("host")
    VISITOR = "visitor", _("visiting party")
    PARTICIPANT = "participant", _("participating party")
    ORGANISER = "organiser", _("organiser")
    FACILITATOR = "facilitator", _("facilitator")


class Party(models.Model):
    """An organisation taking part in an agreement, with its role."""

    Role = PartyRole

    PRINCIPAL_ROLES = (Role.SIGNATORY, Role.HOST, Role.VISITOR, Role.PARTICIPANT)

    agreement = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="parties",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="parties",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    document_number = models.CharField(
        _("document number"),
        max_length=200,
        blank=True,
        help_text=_(
            "This party's number of the document, only as written on it (a joint agreement "
            "has a number from each side; a document with one number has it on each side)."
        ),
    )
    signed_on = models.DateField(
        _("signed on"),
        null=True,
        blank=True,
        help_text=_("The day this party signed, where the source gives it."),
    )

    # Set on a page of search results (cooperation.search.highlight_matches).
    label_html = None

    history = HistoricalRecords()
    objects = PartyManager()

    class Meta:
        ordering = ["agreement", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        # An organisation's agreements (the partner and country filters, its page) without
        # reading the parties' rows.
        indexes = [models.Index(fields=["organisation", "agreement"], name="party_by_organisation")]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"],
                name="party_once_per_agreement",
                violation_error_message=_("This organisation is already a party to the agreement."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=PartyRole.values),
                name="party_role_valid",
                violation_error_message=_("Choose a valid role."),
            ),
            models.CheckConstraint(
                condition=Q(role=PartyRole.SIGNATORY)
                | (Q(document_number="") & Q(signed_on__isnull=True)),
                name="party_signing_only_for_signatories",
                violation_error_message=_(
                    "Only a signatory party has a document number and a signing date."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        errors = {}
        if self.role != PartyRole.SIGNATORY:
            message = _("Only a signatory party has a document number and a signing date.")
            if self.document_number:
                errors["document_number"] = message
            if self.signed_on:
                errors["signed_on"] = message
        if self.signed_on and self.signed_on > today():
            errors["signed_on"] = _("The signing date cannot be in the future.")
        if self.agreement_id and self.organisation_id:
            # The constraint party_once_per_agreement, with a message that names the
            # organisation (an error on the field makes full_clean skip the constraint's own).
            others = Party.objects.filter(
                agreement_id=self.agreement_id, organisation_id=self.organisation_id
            ).exclude(pk=self.pk)
            if others.exists():
                errors["organisation"] = self.repeated_message(self.organisation)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def repeated_message(organisation):
        return _(
            "%(organisation)s is already a party to this agreement: each organisation is a "
            "party once."
        ) % {"organisation": organisation}

    def natural_key(self):
        return (self.agreement.slug, self.organisation.slug)

    natural_key.dependencies = ["cooperation.agreement", "regions.organisation"]


class ParticipantQuerySet(models.QuerySet):
    def with_post_recorded(self):
        """Annotate ``post_recorded``: whether the catalogue's tenures say the official held
        the position on the agreement's date ("who held this post on this day",
        ``TenureQuerySet.held_on``). False marks a participant to check: tenures may be
        incomplete, so it is a warning, never a refusal. None where there is nothing to check
        (no named official, no position or no date). A subquery of the participants' own
        query: no query per participant."""
        held = Tenure.objects.filter(
            person=OuterRef("person"), position=OuterRef("position")
        ).held_on(OuterRef("agreement__date"))
        return self.annotate(
            post_recorded=models.Case(
                models.When(
                    Q(person__isnull=True)
                    | Q(position__isnull=True)
                    | Q(agreement__date__isnull=True),
                    then=models.Value(None),
                ),
                default=Exists(held),
                output_field=models.BooleanField(null=True),
            )
        )

    def post_not_recorded(self):
        """The participants whose post on the agreement's date the tenures do not record."""
        return self.with_post_recorded().filter(post_recorded=False)


class ParticipantManager(AgreementPartManager.from_queryset(ParticipantQuerySet)):
    key_fields = ["person__slug", "position__slug"]


class ParticipantRole(models.TextChoices):
    SIGNATORY = "signatory", _("signatory")
    HEAD_OF_DELEGATION = "head_of_delegation", _("head of delegation")
    DELEGATION_MEMBER = "delegation_member", _("delegation member")
    HOST = "host", _("host")
    SPEAKER = "speaker", _("speaker")
    WITNESS = "witness", _("witness")


class Participant(models.Model):
    """An official present at a meeting or signing, with the position they held that day.

    The person may be unnamed in the source ("the head of the public works agency"): then the
    position alone is recorded.
    """

    Role = ParticipantRole

    agreement = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text=_("Blank if the source names the post but not the person."),
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position held then"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    party = models.ForeignKey(
        Party,
        verbose_name=_("acting for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officials",
        help_text=_("The party of this agreement the official acted for. Save the parties first."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = ParticipantManager()

    class Meta:
        ordering = ["agreement", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(position__isnull=False),
                name="participant_person_or_position",
                violation_error_message=_("Give the official, the position, or both."),
            ),
            models.UniqueConstraint(
                fields=["agreement", "person"],
                condition=Q(person__isnull=False),
                name="participant_person_once",
                violation_error_message=_("This official is already a participant."),
            ),
            models.UniqueConstraint(
                fields=["agreement", "position"],
                condition=Q(person__isnull=True),
                name="participant_unnamed_position_once",
                violation_error_message=_("This unnamed position is already a participant."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=ParticipantRole.values),
                name="participant_role_valid",
                violation_error_message=_("Choose a valid role."),
            ),
        ]

    def __str__(self):
        who = self.person.full_name if self.person_id else _("(name not given)")
        return f"{who}, {self.position}" if self.position_id else str(who)

    def natural_key(self):
        return (
            self.agreement.slug,
            self.person.slug if self.person_id else None,
            self.position.slug if self.position_id else None,
        )

    natural_key.dependencies = ["cooperation.agreement", "regions.person", "regions.position"]

    def clean(self):
        super().clean()
        if not self.person_id and not self.position_id:
            raise ValidationError(_("Give the official, the position, or both."))
        if self.party_id and self.agreement_id and self.party.agreement_id != self.agreement_id:
            raise ValidationError(
                {"party": _("The official can only act for a party of this agreement.")}
            )
