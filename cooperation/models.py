"""Agreements between regions and their partners, with parties, participants, follow-up actions
and the sources that report them."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import (
    INDONESIA,
    Organisation,
    Person,
    Position,
    Region,
    SlugManager,
    SlugNaturalKeyMixin,
)


def today():
    return timezone.localdate()


# An agreement with no activity for this many months is "stalled" (AgreementQuerySet.stalled).
STALLED_AFTER_MONTHS = 6


def months_before(day, months):
    """The same day ``months`` calendar months earlier (the month's last day if it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


class Sector(SlugNaturalKeyMixin, models.Model):
    """A field of cooperation: investment, MSMEs, tourism and culture, ..."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    history = HistoricalRecords()
    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Source(SlugNaturalKeyMixin, models.Model):
    """A published report (usually a news article) that records in the catalogue cite."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200)
    headline = models.CharField(_("headline"), max_length=300)
    published_on = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Blank if the source does not say."),
    )
    url = models.URLField(
        _("URL"), max_length=500, blank=True, help_text=_("Only where it is known; never guessed.")
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = SlugManager()

    class Meta:
        ordering = ["publisher", "headline"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return f"{self.publisher}: {self.headline}"


class AgreementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Drafts are for staff only."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()

    def for_region(self, region):
        """Agreements where the region, or a region under it, is a party or the venue."""
        regions = Region.objects.within(region)
        return self.filter(
            Q(venue_region__in=regions)
            | Q(parties__organisation__region__in=regions)
            | Q(parties__organisation__parent__region__in=regions)
        ).distinct()

    def with_category(self):
        """Annotate ``category_code``: KSDD, KSDPK, KSDPL or KSDLL, derived from the parties.

        Only the principal parties count (signatories, hosts, visitors, participants); an
        organiser or facilitator does not change the kind of cooperation.
        """
        principal = Party.objects.filter(agreement=OuterRef("pk"), role__in=Party.PRINCIPAL_ROLES)
        foreign = principal.exclude(organisation__country=INDONESIA)
        regional = Q(organisation__kind__in=Organisation.REGIONAL_KINDS)
        return self.annotate(
            category_code=Case(
                When(Exists(foreign.filter(regional)), then=Value(Agreement.Category.KSDPL)),
                When(Exists(foreign), then=Value(Agreement.Category.KSDLL)),
                When(Exists(principal.exclude(regional)), then=Value(Agreement.Category.KSDPK)),
                When(Exists(principal), then=Value(Agreement.Category.KSDD)),
                default=Value(""),
                output_field=models.CharField(),
            )
        )

    def with_open_follow_ups(self):
        return self.filter(Exists(FollowUp.objects.open().filter(agreement=OuterRef("pk"))))

    def search(self, text):
        """Agreements whose title, summary or a party's name or short name contains ``text``."""
        named = Party.objects.filter(agreement=OuterRef("pk")).filter(
            Q(organisation__name__icontains=text) | Q(organisation__short_name__icontains=text)
        )
        return self.filter(Q(title__icontains=text) | Q(summary__icontains=text) | Exists(named))

    def ending_within(self, days, on=None):
        """Agreements whose validity ends between ``on`` (default today) and ``days`` later."""
        start = on or today()
        return self.filter(
            valid_until__gte=start, valid_until__lte=start + datetime.timedelta(days)
        )

    def stalled(self, on=None, months=STALLED_AFTER_MONTHS):
        """Agreements with no sign of activity for ``months`` months ("stalled").

        An agreement is stalled when it has not ended, is dated ``months`` months ago or
        earlier, has no follow-up in progress, no follow-up done in that period, and no later
        agreement following from it dated in that period. Follow-ups have no timestamp of their
        own apart from ``done_on``, so an open "planned" follow-up does not count as activity.
        """
        cutoff = months_before(on or today(), months)
        active_follow_ups = FollowUp.objects.filter(agreement=OuterRef("pk")).filter(
            Q(status=FollowUp.Status.IN_PROGRESS)
            | Q(status=FollowUp.Status.DONE, done_on__gt=cutoff)
        )
        recent_successors = Agreement.objects.filter(follows_from=OuterRef("pk"), date__gt=cutoff)
        return (
            self.exclude(stage=Agreement.Stage.ENDED)
            .filter(date__lte=cutoff)
            .exclude(Exists(active_follow_ups))
            .exclude(Exists(recent_successors))
        )

    def region_links(self):
        """The set of (agreement pk, region pk) pairs: the venue's region and the regions of the
        parties (directly or through their parent organisation). Three queries in all."""
        links = set(
            self.filter(venue_region__isnull=False).values_list("pk", "venue_region").order_by()
        )
        parties = Party.objects.filter(agreement__in=self.values("pk")).order_by()
        links.update(
            parties.filter(organisation__region__isnull=False).values_list(
                "agreement", "organisation__region"
            )
        )
        links.update(
            parties.filter(organisation__parent__region__isnull=False).values_list(
                "agreement", "organisation__parent__region"
            )
        )
        return links

    def with_stage_order(self):
        """Alias ``stage_order``: the stages' place in the life cycle, for ordering by stage."""
        return self.alias(
            stage_order=Case(
                *(
                    When(stage=value, then=Value(index))
                    for index, value in enumerate(Agreement.Stage.values)
                ),
                default=Value(len(Agreement.Stage.values)),
                output_field=models.IntegerField(),
            )
        )

    def with_list_data(self):
        """Everything a list row shows, in a fixed number of queries."""
        return (
            self.with_category()
            .select_related("venue_region")
            .prefetch_related(
                Prefetch(
                    "parties",
                    queryset=Party.objects.select_related("organisation"),
                ),
                "sectors",
            )
        )


class Agreement(SlugNaturalKeyMixin, models.Model):
    """The catalogue's unit: a meeting, visit, letter, joint agreement or cooperation agreement."""

    class Kind(models.TextChoices):
        EXPLORATORY_MEETING = "exploratory_meeting", _("exploratory meeting")
        WORKING_VISIT = "working_visit", _("working visit")
        LETTER_OF_INTENT = "letter_of_intent", _("letter of intent")
        JOINT_AGREEMENT = "joint_agreement", _("joint agreement (Kesepakatan Bersama / MoU)")
        COOPERATION_AGREEMENT = (
            "cooperation_agreement",
            _("cooperation agreement (Perjanjian Kerja Sama)"),
        )
        ADDENDUM = "addendum", _("addendum")
        OTHER = "other", _("other")

    class Stage(models.TextChoices):
        EXPLORATION = "exploration", _("exploration")
        JOINT_AGREEMENT_SIGNED = "joint_agreement_signed", _("joint agreement signed")
        COOPERATION_AGREEMENT_SIGNED = (
            "cooperation_agreement_signed",
            _("cooperation agreement signed"),
        )
        IMPLEMENTATION = "implementation", _("in implementation")
        ENDED = "ended", _("ended")

    class Category(models.TextChoices):
        KSDD = "KSDD", _("KSDD: with another Indonesian region")
        KSDPK = "KSDPK", _("KSDPK: with a third party in Indonesia")
        KSDPL = "KSDPL", _("KSDPL: with a regional government abroad")
        KSDLL = "KSDLL", _("KSDLL: with an institution abroad")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("The day of the meeting, visit or signing.")
    )
    venue = models.CharField(
        _("venue"),
        max_length=200,
        blank=True,
        help_text=_("Where it took place: Pendopo Bupati Bandung."),
    )
    venue_region = models.ForeignKey(
        Region,
        verbose_name=_("region of the venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_agreements",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document_number = models.CharField(
        _("document number"),
        max_length=200,
        blank=True,
        help_text=_("Only as written on the document."),
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="agreements"
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Short and factual, in our own words (Indonesian).")
    )
    data_notes = models.TextField(
        _("data notes"),
        blank=True,
        help_text=_(
            "For staff: corrections of the source, contradictions and how they were resolved."
        ),
    )
    follows_from = models.ForeignKey(
        "self",
        verbose_name=_("follows from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        help_text=_("The agreement this one follows from: a meeting for an MoU, an MoU for a PKS."),
    )
    sources = models.ManyToManyField(
        Source, through="Citation", verbose_name=_("sources"), related_name="agreements"
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Drafts are visible to staff only.")
    )

    history = HistoricalRecords(m2m_fields=[sectors])
    objects = SlugManager.from_queryset(AgreementQuerySet)()

    class Meta:
        ordering = [F("date").desc(nulls_last=True), "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "exploratory_meeting",
                        "working_visit",
                        "letter_of_intent",
                        "joint_agreement",
                        "cooperation_agreement",
                        "addendum",
                        "other",
                    ]
                ),
                name="agreement_kind_valid",
                violation_error_message=_("Choose a valid kind of agreement."),
            ),
            models.CheckConstraint(
                condition=Q(
                    stage__in=[
                        "exploration",
                        "joint_agreement_signed",
                        "cooperation_agreement_signed",
                        "implementation",
                        "ended",
                    ]
                ),
                name="agreement_stage_valid",
                violation_error_message=_("Choose a valid stage."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="agreement_validity_in_order",
                violation_error_message=_(
                    "An agreement cannot be valid until a date before it starts."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:agreement_detail", args=[self.slug])

    @property
    def category(self):
        """The derived category, from the ``with_category()`` annotation when present."""
        code = getattr(self, "category_code", None)
        if code is None:
            code = (
                Agreement.objects.with_category()
                .filter(pk=self.pk)
                .values_list("category_code", flat=True)
                .first()
            )
        return Agreement.Category(code) if code else None

    def get_category_display(self):
        category = self.category
        return category.label if category else ""

    def clean(self):
        super().clean()
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("An agreement cannot be valid until a date before it starts.")
        if self.follows_from_id:
            ancestor, seen = self.follows_from, set()
            while ancestor is not None and ancestor.pk not in seen:
                if self.pk and ancestor.pk == self.pk:
                    errors["follows_from"] = _("An agreement cannot follow from itself.")
                    break
                seen.add(ancestor.pk)
                ancestor = ancestor.follows_from
        if errors:
            raise ValidationError(errors)


class AgreementPartManager(models.Manager):
    """Natural key of a part: the agreement's slug and the slug of what it links to."""

    key_fields = ()

    def get_by_natural_key(self, agreement_slug, *key):
        return self.get(
            agreement__slug=agreement_slug, **dict(zip(self.key_fields, key, strict=True))
        )


class PartyManager(AgreementPartManager):
    key_fields = ["organisation__slug"]


class Party(models.Model):
    """An organisation taking part in an agreement, with its role."""

    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("signatory party")
        HOST = "host", _("host")
        VISITOR = "visitor", _("visiting party")
        PARTICIPANT = "participant", _("participating party")
        ORGANISER = "organiser", _("organiser")
        FACILITATOR = "facilitator", _("facilitator")

    PRINCIPAL_ROLES = (Role.SIGNATORY, Role.HOST, Role.VISITOR, Role.PARTICIPANT)

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="parties",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()
    objects = PartyManager()

    class Meta:
        ordering = ["agreement", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"],
                name="party_once_per_agreement",
                violation_error_message=_("This organisation is already a party to the agreement."),
            ),
            models.CheckConstraint(
                condition=Q(
                    role__in=[
                        "signatory",
                        "host",
                        "visitor",
                        "participant",
                        "organiser",
                        "facilitator",
                    ]
                ),
                name="party_role_valid",
                violation_error_message=_("Choose a valid role."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"

    def natural_key(self):
        return (self.agreement.slug, self.organisation.slug)

    natural_key.dependencies = ["cooperation.agreement", "regions.organisation"]


class ParticipantManager(AgreementPartManager):
    key_fields = ["person__slug", "position__slug"]


class Participant(models.Model):
    """An official present at a meeting or signing, with the position they held that day.

    The person may be unnamed in the source ("the head of the public works agency"): then the
    position alone is recorded.
    """

    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("signatory")
        HEAD_OF_DELEGATION = "head_of_delegation", _("head of delegation")
        DELEGATION_MEMBER = "delegation_member", _("delegation member")
        HOST = "host", _("host")
        SPEAKER = "speaker", _("speaker")
        WITNESS = "witness", _("witness")

    agreement = models.ForeignKey(
        Agreement,
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
                condition=Q(
                    role__in=[
                        "signatory",
                        "head_of_delegation",
                        "delegation_member",
                        "host",
                        "speaker",
                        "witness",
                    ]
                ),
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


class FollowUpQuerySet(models.QuerySet):
    OPEN_STATUSES = ("planned", "in_progress")

    def open(self):
        return self.filter(status__in=self.OPEN_STATUSES)

    def visible_to(self, user):
        """Follow-ups of the agreements ``user`` may see (drafts are for staff only)."""
        return self.filter(agreement__in=Agreement.objects.visible_to(user).values("pk"))

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

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        NOT_DONE = "not_done", _("not done")
        CANCELLED = "cancelled", _("cancelled")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="follow_ups"
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
        Source,
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
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "action"],
                name="follow_up_action_once",
                violation_error_message=_("This action is already listed for the agreement."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "not_done", "cancelled"]),
                name="follow_up_status_valid",
                violation_error_message=_("Choose a valid status."),
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(status="done"),
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


class CitationManager(AgreementPartManager):
    key_fields = ["source__slug"]


class Citation(models.Model):
    """A source that supports an agreement's record."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="citations"
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = CitationManager()

    class Meta:
        ordering = ["agreement", "id"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "source"],
                name="citation_once_per_agreement",
                violation_error_message=_("This source is already cited."),
            ),
        ]

    def __str__(self):
        return str(self.source)

    def natural_key(self):
        return (self.agreement.slug, self.source.slug)

    natural_key.dependencies = ["cooperation.agreement", "cooperation.source"]


# --- Documents -----------------------------------------------------------------------------

MAX_DOCUMENT_SIZE = 20 * 1024 * 1024

# The first bytes of each accepted kind of file: checked on the content, never the file name.
DOCUMENT_SIGNATURES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}


def sniff_document(file):
    """The (content type, extension) of an accepted document, or None."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    for signature, kind in DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def is_new_upload(file):
    """True for a file being uploaded now; False for one already stored (re-saving a record
    must not read the stored file, which may even be missing from disk)."""
    return not getattr(file, "_committed", False)


def validate_document_file(file):
    if not is_new_upload(file):
        return
    if file.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("The file is %(size)s MB; documents may be at most 20 MB."),
            code="too_large",
            params={"size": round(file.size / (1024 * 1024), 1)},
        )
    if sniff_document(file) is None:
        raise ValidationError(
            _("Only PDF, PNG and JPEG files are accepted; this file's content is none of these."),
            code="file_type",
        )


def document_upload_to(instance, filename):
    """A generated name: the uploader's file name is never used on disk."""
    _content_type, extension = sniff_document(instance.file) or ("", "bin")
    return f"documents/{uuid.uuid4().hex}.{extension}"


class DocumentManager(AgreementPartManager):
    # The stored name is generated (a random UUID), so it identifies the document.
    key_fields = ["file"]


class Document(models.Model):
    """A file kept with an agreement: the signed text, an annex, minutes, photos of the signing."""

    class Type(models.TextChoices):
        SIGNED_TEXT = "signed_text", _("signed text")
        ANNEX = "annex", _("annex")
        MINUTES = "minutes", _("minutes")
        PHOTO = "photo", _("photo of the signing")
        OTHER = "other", _("other")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="documents"
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=document_upload_to,
        max_length=200,
        validators=[validate_document_file],
        help_text=_("PDF, PNG or JPEG, at most 20 MB."),
    )
    content_type = models.CharField(_("content type"), max_length=50, editable=False)

    history = HistoricalRecords()
    objects = DocumentManager()

    class Meta:
        ordering = ["agreement", F("date").asc(nulls_last=True), "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=["signed_text", "annex", "minutes", "photo", "other"]),
                name="document_type_valid",
                violation_error_message=_("Choose a valid type of document."),
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/png", "image/jpeg"]),
                name="document_content_type_valid",
                violation_error_message=_("Only PDF, PNG and JPEG files are accepted."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:document_download", args=[self.pk])

    def natural_key(self):
        return (self.agreement.slug, self.file.name)

    natural_key.dependencies = ["cooperation.agreement"]

    @property
    def download_name(self):
        """A safe file name for the download: the title as a slug, and the extension of the
        content type (never the uploader's file name)."""
        extension = next(
            (ext for kind, ext in DOCUMENT_SIGNATURES.values() if kind == self.content_type), "bin"
        )
        return f"{slugify(self.title)[:100] or 'document'}.{extension}"

    def clean(self):
        super().clean()
        if self.file and is_new_upload(self.file):
            kind = sniff_document(self.file)
            if kind:
                self.content_type = kind[0]
