"""Agreements: the catalogue's unit, from a first meeting to an addendum, and the sectors they
concern."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import INDONESIA, Organisation, Region, SlugManager, SlugNaturalKeyMixin

from ..search import query_terms
from .base import ChoiceLabelsMixin
from .clock import months_before, today
from .derived import search_match, search_rank
from .follow_ups import FollowUp, FollowUpOccurrence
from .monitoring import EVALUATION_DUE_AFTER_MONTHS, Evaluation
from .parties import Party
from .relations import ENDING_TYPES, SUPERSEDING_TYPES, AgreementRelation
from .sources import Source
from .terms import yearly_money_flows

# An agreement with no activity for this many months is "stalled" (AgreementQuerySet.stalled).
STALLED_AFTER_MONTHS = 6


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


def can_see_drafts(user):
    """Drafts are for staff only."""
    return user.is_authenticated and user.is_staff


class AgreementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def ever_published(self):
        """Agreements published now or at any time before (their history says so): once
        public, an agreement is deleted only by whoever may delete published ones, even if it
        was turned back into a draft first."""
        return self.filter(
            models.Q(is_published=True)
            | models.Q(pk__in=self.model.history.filter(is_published=True).values("id"))
        )

    def visible_to(self, user):
        """The agreements ``user`` may see (``can_see_drafts``). What they may know of beyond
        agreements follows from these: cooperation/selectors.py."""
        if can_see_drafts(user):
            return self
        return self.published()

    def for_region(self, region):
        """Agreements where the region, or a region under it, is a party, the venue or the
        site: one indexed join on the stored links (``AgreementRegion``, from ``region_links``)."""
        return self.filter(region_links__region=region)

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
        """Agreements in which every word of ``text`` appears, in any field of their search
        document (title, summary, parties' names and short names, sectors, venue and site and
        their regions, participants), after normalisation and stemming (``cooperation.search``).

        A text with no search term in it (only punctuation or honorifics) matches nothing.
        """
        return search_match(self, query_terms(text))

    def with_search_rank(self, text):
        """Annotate ``search_rank``: how well the agreement matches ``text`` (higher is
        better): a title counts most, then parties and sectors, the summary, and the rest."""
        return search_rank(self, query_terms(text))

    def ending_within(self, days, on=None):
        """Agreements whose validity ends between ``on`` (default today) and ``days`` later."""
        start = on or today()
        return self.filter(
            valid_until__gte=start, valid_until__lte=start + datetime.timedelta(days)
        )

    def in_force(self, on=None):
        """Agreements in force on ``on`` (default today): see ``in_force_condition``."""
        return self.filter(in_force_condition(on or today()))

    def with_validity(self, on=None):
        """Annotate ``in_force`` (``in_force_condition``) for ``Agreement.validity``."""
        return self.annotate(in_force=ExpressionWrapper(in_force_condition(on or today()), BOOL))

    def stalled(self, on=None, months=STALLED_AFTER_MONTHS, user=None):
        """Agreements with no sign of progress for ``months`` months ("stalled"): the rule is
        ``progress_conditions``, shown on the agreement page by ``with_progress``."""
        return self.filter(stalled_condition(progress_conditions(on, months, user)))

    def with_progress(self, on=None, months=STALLED_AFTER_MONTHS, user=None):
        """Annotate each part of the "no progress" rule (``progress_<name>``, see
        ``progress_conditions``) and ``is_stalled``: what the agreement page says of it."""
        conditions = progress_conditions(on, months, user)
        return self.annotate(
            **{f"progress_{name}": ExpressionWrapper(q, BOOL) for name, q in conditions.items()},
            is_stalled=ExpressionWrapper(stalled_condition(conditions), BOOL),
        )

    def superseded(self):
        """Agreements that a published later agreement renews, replaces or terminates: they no
        longer run on their own (no reminder of their expiry, say)."""
        return self.filter(self._superseded())

    def not_superseded(self):
        return self.exclude(self._superseded())

    @staticmethod
    def _superseded():
        return Exists(
            AgreementRelation.objects.filter(
                earlier=OuterRef("pk"), type__in=SUPERSEDING_TYPES, agreement__is_published=True
            )
        )

    def evaluation_due(self, on=None, months=EVALUATION_DUE_AFTER_MONTHS):
        """Agreements in force on ``on`` (default today, ``in_force``) with no evaluation in
        the last ``months`` months, that have been in force at least that long (a new agreement
        is not due one yet), with ``last_evaluated_on`` and ``in_force_since`` annotated."""
        on = on or today()
        cutoff = months_before(on, months)
        evaluations = Evaluation.objects.filter(agreement=OuterRef("pk"))
        in_force = (
            self.in_force(on)
            .alias(in_force_since=Coalesce("valid_from", "date"))
            .filter(in_force_since__lte=cutoff)
        )
        return in_force.exclude(Exists(evaluations.filter(evaluated_on__gt=cutoff))).annotate(
            in_force_since=Coalesce("valid_from", "date"),
            last_evaluated_on=Subquery(
                evaluations.order_by("-evaluated_on").values("evaluated_on")[:1]
            ),
        )

    def region_links(self):
        """The rule for the regions an agreement concerns, as a set of (agreement pk, region
        pk) pairs: the venue's region, the site's region and the regions of the parties
        (directly or through their parent organisation). Four queries in all.
        ``cooperation.derived`` stores them with the regions above them (``AgreementRegion``:
        a site in a district links the agreement to its regency and province too); read those
        for pages."""
        links = set(
            self.filter(venue_region__isnull=False).values_list("pk", "venue_region").order_by()
        )
        links.update(
            self.filter(site_region__isnull=False).values_list("pk", "site_region").order_by()
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
        """Everything a list row shows, in a fixed number of queries (whether it is in force
        in the same query as the rows)."""
        return (
            self.with_validity()
            .select_related("venue_region", "site_region")
            .prefetch_related(
                # In each agreement's order (by id) without the parties' own ordering, which
                # joins and sorts by the agreements' (README, Performance).
                Prefetch(
                    "parties",
                    queryset=Party.objects.select_related("organisation").order_by("id"),
                ),
                "sectors",
            )
        )

    def same_event_as(self, agreement):
        """Other agreements with ``agreement``'s date, kind and set of party organisations
        (roles aside): most likely the same event entered twice. None without a date or
        parties. One query."""
        organisations = set(agreement.parties.values_list("organisation", flat=True))
        if agreement.date is None or not organisations:
            return self.none()
        parties = Party.objects.filter(agreement=OuterRef("pk"))
        same = self.filter(date=agreement.date, kind=agreement.kind).exclude(pk=agreement.pk)
        for organisation in organisations:
            same = same.filter(Exists(parties.filter(organisation=organisation)))
        return same.exclude(Exists(parties.exclude(organisation__in=organisations)))


BOOL = models.BooleanField()


def in_force_condition(on):
    """In force on ``on``: signed (a joint or cooperation agreement signed, in implementation
    or in renewal; not suspended or terminated), its validity begun (from ``valid_from``, else
    its date) and not ended, and not replaced or terminated by a published later agreement."""
    ended_by_later = Exists(
        AgreementRelation.objects.filter(
            earlier=OuterRef("pk"), type__in=ENDING_TYPES, agreement__is_published=True
        )
    )
    return (
        Q(stage__in=IN_FORCE_STAGES)
        & (Q(valid_from__lte=on) | Q(valid_from__isnull=True, date__lte=on))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        & ~ended_by_later
    )


def progress_conditions(on=None, months=STALLED_AFTER_MONTHS, user=None):
    """The parts of the "no progress" rule on ``on`` (default today), as conditions:

    - ``closed``: terminated or suspended, or its validity has ended (expired);
    - ``old``: dated ``months`` months ago or earlier;
    - ``follow_up``: a follow-up in progress, or a follow-up or an occurrence of a recurring
      one done in those months (an open "planned" follow-up has no date of its own, so it is
      no activity);
    - ``later``: a later agreement related to it (of any type) dated in those months, among
      those ``user`` may see (``visible_to``; without a user, published ones): an unpublished
      follow-on must not drop an agreement from a public list, which would reveal the draft;
    - ``monitored``: in force (``in_force_condition``) and evaluated in those months.

    Stalled (``stalled_condition``): old, and none of the others.
    """
    on = on or today()
    cutoff = months_before(on, months)
    follow_ups = FollowUp.objects.filter(agreement=OuterRef("pk"))
    later = Agreement.objects.published() if user is None else Agreement.objects.visible_to(user)
    return {
        "closed": Q(stage__in=[AgreementStage.TERMINATED, AgreementStage.SUSPENDED])
        | Q(valid_until__lt=on),
        "old": Q(date__lte=cutoff),
        "follow_up": Q(
            Exists(
                follow_ups.filter(
                    Q(status=FollowUp.Status.IN_PROGRESS)
                    | Q(status=FollowUp.Status.DONE, done_on__gt=cutoff)
                )
            )
        )
        | Q(
            Exists(
                FollowUpOccurrence.objects.filter(
                    follow_up__agreement=OuterRef("pk"), done_on__gt=cutoff
                )
            )
        ),
        "later": Q(
            Exists(
                AgreementRelation.objects.filter(
                    earlier=OuterRef("pk"),
                    agreement__in=later.filter(date__gt=cutoff).values("pk"),
                )
            )
        ),
        "monitored": in_force_condition(on)
        & Q(Exists(Evaluation.objects.filter(agreement=OuterRef("pk"), evaluated_on__gt=cutoff))),
    }


def stalled_condition(conditions):
    return (
        conditions["old"]
        & ~conditions["closed"]
        & ~conditions["follow_up"]
        & ~conditions["later"]
        & ~conditions["monitored"]
    )


class AgreementKind(models.TextChoices):
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


class AgreementStage(models.TextChoices):
    EXPLORATION = "exploration", _("exploration")
    JOINT_AGREEMENT_SIGNED = "joint_agreement_signed", _("joint agreement signed")
    COOPERATION_AGREEMENT_SIGNED = (
        "cooperation_agreement_signed",
        _("cooperation agreement signed"),
    )
    IMPLEMENTATION = "implementation", _("in implementation")
    IN_RENEWAL = "in_renewal", _("in renewal")
    SUSPENDED = "suspended", _("suspended")
    TERMINATED = "terminated", _("terminated (ended early)")


# The stages of a signed agreement that may be in force (``in_force_condition``).
IN_FORCE_STAGES = [
    AgreementStage.JOINT_AGREEMENT_SIGNED,
    AgreementStage.COOPERATION_AGREEMENT_SIGNED,
    AgreementStage.IMPLEMENTATION,
    AgreementStage.IN_RENEWAL,
]


class AgreementValidity(models.TextChoices):
    """Derived from the stage, the validity and the clock (``Agreement.validity``), never
    stored: "expired" is never typed by hand."""

    IN_FORCE = "in_force", _("in force")
    EXPIRED = "expired", _("expired")


class AgreementCategory(models.TextChoices):
    KSDD = "KSDD", _("KSDD: with another Indonesian region")
    KSDPK = "KSDPK", _("KSDPK: with a third party in Indonesia")
    KSDPL = "KSDPL", _("KSDPL: with a regional government abroad")
    KSDLL = "KSDLL", _("KSDLL: with an institution abroad")


class Agreement(ChoiceLabelsMixin, SlugNaturalKeyMixin, models.Model):
    """The catalogue's unit: a meeting, visit, letter, joint agreement or cooperation agreement."""

    Kind = AgreementKind

    Stage = AgreementStage

    Category = AgreementCategory

    # The kinds that are signed documents (a meeting or a visit is not): "signed this year".
    SIGNED_KINDS = (
        AgreementKind.LETTER_OF_INTENT,
        AgreementKind.JOINT_AGREEMENT,
        AgreementKind.COOPERATION_AGREEMENT,
        AgreementKind.ADDENDUM,
    )

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
    site = models.CharField(
        _("site of implementation"),
        max_length=200,
        blank=True,
        help_text=_(
            "Where the cooperation is carried out, if not at the venue of the signing: "
            "TPAS Cilowong, a named village or facility."
        ),
    )
    site_region = models.ForeignKey(
        Region,
        verbose_name=_("region of the site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sited_agreements",
        help_text=_("The region of the site, down to the district (kecamatan)."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="agreements"
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Short and factual, in our own words (Indonesian).")
    )
    # Two kinds of notes, labelled so that no one mistakes which is public: the data notes are
    # printed on the agreement page; the staff notes are read in the admin only (never on a
    # page, in an export, the API, a feed, a report or the search document).
    data_notes = models.TextField(
        _("data notes (shown to the public)"),
        blank=True,
        help_text=_(
            "Shown to every visitor on the agreement page: corrections of the source, "
            "contradictions and how they were resolved. Nothing internal here: use the staff "
            "notes."
        ),
    )
    staff_notes = models.TextField(
        _("staff notes (internal, never public)"),
        blank=True,
        help_text=_(
            "For staff only, never shown to visitors and never exported: who to ask, what is "
            "still to be checked, internal remarks."
        ),
    )
    sources = models.ManyToManyField(
        Source, through="Citation", verbose_name=_("sources"), related_name="agreements"
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Drafts are visible to staff only.")
    )
    category = models.CharField(
        _("category"),
        max_length=5,
        choices=Category.choices,
        blank=True,
        editable=False,
        help_text=_(
            "Derived from the parties (AgreementQuerySet.with_category), never typed in: "
            "empty while no principal party is recorded."
        ),
    )

    # Set on a page of search results (cooperation.search.highlight_matches); None elsewhere,
    # so that list templates find them without a failed attribute lookup per row.
    title_html = snippet = None

    # The category is derived data: its history is that of the parties.
    history = HistoricalRecords(m2m_fields=[sectors], excluded_fields=["category"])
    objects = SlugManager.from_queryset(AgreementQuerySet)()

    class Meta:
        ordering = [F("date").desc(nulls_last=True), "title", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        # Editors delete drafts (delete_agreement); deleting a published agreement also needs
        # this one, which only administrators have (AgreementAdmin.has_delete_permission).
        permissions = [("delete_published_agreement", _("Can delete a published agreement"))]
        # On PostgreSQL, migration 0005 also indexes the lists' order (date descending, nulls
        # last, which SQLite cannot index), for all agreements and for the published ones.
        indexes = [
            models.Index(fields=["category", "is_published"], name="agreement_category"),
            models.Index(fields=["kind", "is_published"], name="agreement_kind"),
            # The stage filter (and counts by stage and category from the index alone).
            models.Index(fields=["is_published", "stage", "category"], name="agreement_stage"),
            # The year filters' first and last year, and the date filters.
            models.Index(fields=["date"], name="agreement_date"),
            # The home page's agreements whose validity ends soon.
            models.Index(fields=["valid_until"], name="agreement_valid_until"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=[*AgreementCategory.values, ""]),
                name="agreement_category_valid",
                violation_error_message=_("Choose a valid category."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AgreementKind.values),
                name="agreement_kind_valid",
                violation_error_message=_("Choose a valid kind of agreement."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=AgreementStage.values),
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
    def is_in_force(self):
        """In force today (``in_force_condition``): from the ``in_force`` annotation of
        ``with_validity`` where the page has it, else one query."""
        if hasattr(self, "in_force"):
            return bool(self.in_force)
        return type(self).objects.filter(pk=self.pk).in_force().exists()

    @property
    def validity(self):
        """ "in_force", "expired" (its validity has ended, and it was not terminated or
        suspended before), or "" (neither: not signed yet, suspended, terminated)."""
        if self.stage in (AgreementStage.TERMINATED, AgreementStage.SUSPENDED):
            return ""
        if self.valid_until and self.valid_until < today():
            return AgreementValidity.EXPIRED
        return AgreementValidity.IN_FORCE if self.is_in_force else ""

    def get_validity_display(self):
        return AgreementValidity(self.validity).label if self.validity else ""

    def officials_by_party(self):
        """The participants grouped by the party they acted for: [(party, [participants])] in
        the parties' order, parties without officials left out, then (None, [...]) for those
        whose party is not recorded. Reads prefetched parties and participants: no query."""
        groups = {party.pk: (party, []) for party in self.parties.all()}
        unassigned = []
        for participant in self.participants.all():
            group = groups.get(participant.party_id)
            (group[1] if group else unassigned).append(participant)
        grouped = [group for group in groups.values() if group[1]]
        return grouped + ([(None, unassigned)] if unassigned else [])

    def yearly_money_flows(self):
        """The yearly money flows per direction (giver, receiver, total a year) from this
        agreement's terms (``cooperation.models.terms.yearly_money_flows``); reads prefetched
        terms with their parties where the page has them."""
        return yearly_money_flows(self.terms.all())

    def clean(self):
        super().clean()
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("An agreement cannot be valid until a date before it starts.")
        if errors:
            raise ValidationError(errors)
