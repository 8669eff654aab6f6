"""Regions, the organisations that act in them, and the officials who hold their posts.

The design follows Popolo / OpenCivicData: a Person holds a Position (a post in an
Organisation) over a Tenure with real dates, either of which may be unknown.
"""

import contextlib
import contextvars
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Length
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

INDONESIA = "ID"

# Region codes are checked by length in a database constraint (`code__length=2`).
models.CharField.register_lookup(Length)


class SlugManager(models.Manager):
    """Manager for models whose natural key is their slug."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugNaturalKeyMixin:
    def natural_key(self):
        return (self.slug,)


# --- Regions -----------------------------------------------------------------------------


class RegionQuerySet(models.QuerySet):
    def provinces(self):
        return self.filter(kind=Region.Kind.PROVINCE)

    def regencies_and_cities(self):
        return self.filter(kind__in=Region.MIDDLE_KINDS)

    def districts(self):
        return self.filter(kind=Region.Kind.DISTRICT)

    def within(self, region):
        """The region itself and the regions under it: for a province, its regencies, cities
        and their districts; for a regency or city, its districts."""
        return self.filter(Q(pk=region.pk) | Q(province=region) | Q(regency=region))

    def ancestry(self):
        """{region pk: (the region's pk, then the pks of the regions above it)}, for every
        region, in one query: Kabupaten Serang gives (its pk, Banten's pk); a district gives
        (its pk, its regency's or city's pk, its province's pk). The one place that says which
        regions contain which (stored agreement–region links use it)."""
        rows = self.model._base_manager.values_list("pk", "regency_id", "province_id")
        return {
            pk: tuple(part for part in (pk, regency, province) if part is not None)
            for pk, regency, province in rows
        }


# {code: pk} while ``RegionManager.natural_keys_cached()`` runs (a fixture load), else None.
_natural_keys = contextvars.ContextVar("region_natural_keys", default=None)


class RegionManager(models.Manager.from_queryset(RegionQuerySet)):
    def get_by_natural_key(self, code):
        cache = _natural_keys.get()
        if cache is None:
            return self.get(code=code)
        if code not in cache:
            raise self.model.DoesNotExist(f"No region has the code {code!r}.")
        # A fixture load only needs the pk of the region a natural key names.
        return self.model(pk=cache[code], code=code)

    @contextlib.contextmanager
    def natural_keys_cached(self):
        """Answer ``get_by_natural_key`` from a {code: pk} map read once: loading the 7,800
        regions of the fixture otherwise costs a query for each region and for each region a
        row names (its province, its regency). Regions saved meanwhile join the map
        (``_remember_natural_key``)."""
        token = _natural_keys.set(dict(self.values_list("code", "pk")))
        try:
            yield
        finally:
            _natural_keys.reset(token)


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("province")
    REGENCY = "regency", _("regency")
    CITY = "city", _("city")
    DISTRICT = "district", _("district (kecamatan)")


class Region(models.Model):
    """A province, regency (kabupaten), city (kota) or district (kecamatan, in a regency or
    city), keyed by its Kemendagri code."""

    Kind = RegionKind
    MIDDLE_KINDS = (RegionKind.REGENCY, RegionKind.CITY)

    code = models.CharField(
        _("Kemendagri code"),
        max_length=8,
        unique=True,
        validators=[
            RegexValidator(
                r"^\d{2}(\.\d{2}(\.\d{2})?)?$",
                _(
                    "A region code is two digits for a province (36), NN.NN for a regency or "
                    "city (36.04) and NN.NN.NN for a district (36.04.01)."
                ),
            )
        ],
        help_text=_(
            "The Ministry of Home Affairs code: 36 for Banten, 36.04 for Kabupaten Serang, "
            "36.04.01 for a district of it."
        ),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_(
            "The official name: 'Banten' for a province; 'Kabupaten Serang', 'Kota Serang' below."
        ),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    province = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"kind": Kind.PROVINCE},
        help_text=_("Empty for a province; the province of a regency, city or district."),
    )
    regency = models.ForeignKey(
        "self",
        verbose_name=_("regency or city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
        limit_choices_to={"kind__in": MIDDLE_KINDS},
        help_text=_("Only for a district (kecamatan): the regency or city it lies in."),
    )

    history = HistoricalRecords()
    objects = RegionManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RegionKind.values),
                name="region_kind_valid",
                violation_error_message=_("Choose a valid kind of region."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=RegionKind.PROVINCE,
                        province__isnull=True,
                        regency__isnull=True,
                        code__length=2,
                    )
                    | Q(
                        kind__in=[RegionKind.REGENCY, RegionKind.CITY],
                        province__isnull=False,
                        regency__isnull=True,
                        code__length=5,
                    )
                    | Q(
                        kind=RegionKind.DISTRICT,
                        province__isnull=False,
                        regency__isnull=False,
                        code__length=8,
                    )
                ),
                name="region_parents_match_kind",
                violation_error_message=_(
                    "A province has a two-digit code and no parent; a regency or city has a "
                    "code NN.NN and belongs to a province; a district has a code NN.NN.NN and "
                    "belongs to a regency or city and its province."
                ),
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.PROVINCE:
            return f"Provinsi {self.name}"
        if self.kind == self.Kind.DISTRICT:
            return f"Kecamatan {self.name}"
        return self.name

    def get_absolute_url(self):
        return reverse("regions:region_detail", args=[self.code])

    def natural_key(self):
        return (self.code,)

    @property
    def is_province(self):
        return self.kind == self.Kind.PROVINCE

    @property
    def is_district(self):
        return self.kind == self.Kind.DISTRICT

    def clean(self):
        super().clean()
        errors = {}
        if self.kind != self.Kind.DISTRICT and self.regency_id:
            errors["regency"] = _("Only a district lies in a regency or city.")
        if self.kind == self.Kind.PROVINCE:
            if self.province_id:
                errors["province"] = _("A province does not belong to another province.")
            if self.code and len(self.code) != 2:
                errors["code"] = _("A province's code has two digits, such as 36.")
        elif self.kind == self.Kind.DISTRICT:
            if not self.regency_id:
                errors["regency"] = _("A district lies in a regency or city: choose it.")
            else:
                # The province follows from the regency or city.
                self.province_id = self.regency.province_id
                if self.code and not self.code.startswith(f"{self.regency.code}."):
                    errors["code"] = _(
                        "The code of a district starts with its regency's or city's code."
                    )
            if self.code and len(self.code) != 8:
                errors["code"] = _("A district's code is NN.NN.NN, such as 36.04.01.")
        elif self.kind in (self.Kind.REGENCY, self.Kind.CITY):
            if not self.province_id:
                errors["province"] = _("A regency or city belongs to a province.")
            elif self.code and not self.code.startswith(f"{self.province.code}."):
                errors["code"] = _("The code of a regency or city starts with its province's code.")
            if self.code and len(self.code) == 5 and self.code[3:].isdigit():
                number = int(self.code[3:])
                if self.kind == self.Kind.REGENCY and not 1 <= number <= 69:
                    errors["code"] = _("Regency codes run from NN.01 to NN.69.")
                if self.kind == self.Kind.CITY and not 71 <= number <= 99:
                    errors["code"] = _("City codes run from NN.71 to NN.99.")
        if errors:
            raise ValidationError(errors)


@receiver(post_save, sender=Region, dispatch_uid="region-natural-key-cache")
def _remember_natural_key(sender, instance, **kwargs):
    cache = _natural_keys.get()
    if cache is not None:
        cache[instance.code] = instance.pk


# --- Organisations -----------------------------------------------------------------------


class OrganisationKind(models.TextChoices):
    REGIONAL_GOVERNMENT = "regional_government", _("regional government")
    REGIONAL_AGENCY = "regional_agency", _("regional government agency (OPD)")
    REGIONAL_PARLIAMENT = "regional_parliament", _("regional parliament (DPRD)")
    MINISTRY = "ministry", _("ministry or national agency")
    STATE_ENTERPRISE = "state_enterprise", _("state-owned enterprise (BUMN)")
    REGIONAL_ENTERPRISE = "regional_enterprise", _("regionally owned enterprise (BUMD)")
    COMPANY = "company", _("company")
    UNIVERSITY = "university", _("university")
    ASSOCIATION = "association", _("association")
    INSTITUTION = "institution", _("institution")
    OTHER = "other", _("other")


class Organisation(SlugNaturalKeyMixin, models.Model):
    """Every party to an agreement: a regional government, an agency, a company, a ministry ..."""

    Kind = OrganisationKind

    # A regional government and its agencies act for a region: the parties that make a KSDD.
    REGIONAL_KINDS = (Kind.REGIONAL_GOVERNMENT, Kind.REGIONAL_AGENCY, Kind.REGIONAL_PARLIAMENT)

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"),
        max_length=100,
        blank=True,
        help_text=_("The usual abbreviation: Pemkab Serang, Bappeda Litbang, Apkasi."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        help_text=_("For an agency, the regional government it belongs to."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("The Indonesian region it belongs to or acts for, if any."),
    )
    country = CountryField(_("country"), default=INDONESIA)

    history = HistoricalRecords()
    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
                violation_error_message=_("Choose a valid kind of organisation."),
            ),
            models.CheckConstraint(
                condition=~Q(
                    kind=OrganisationKind.REGIONAL_GOVERNMENT,
                    country=INDONESIA,
                    region__isnull=True,
                ),
                name="organisation_government_has_region",
                violation_error_message=_("An Indonesian regional government needs its region."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.REGIONAL_AGENCY, parent__isnull=True),
                name="organisation_agency_has_parent",
                violation_error_message=_(
                    "A regional agency belongs to a regional government: choose the parent."
                ),
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind=OrganisationKind.REGIONAL_GOVERNMENT),
                name="organisation_one_government_per_region",
                violation_error_message=_("This region already has a regional government."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:organisation_detail", args=[self.slug])

    @property
    def is_foreign(self):
        return self.country != INDONESIA

    def region_lies_within_parent_government(self):
        """An agency of a regional government (an organisation whose parent is one) lies in
        its government's region or a region under it (a provincial agency's office in one of
        the province's regencies; a regency's agency in one of its districts). True when
        either region is not recorded.

        Checked here only: a database constraint cannot compare a row with another row (the
        parent's region), and a trigger is more than this rule is worth."""
        if not (self.region_id and self.parent_id):
            return True
        parent = self.parent
        if parent.kind != OrganisationKind.REGIONAL_GOVERNMENT or not parent.region_id:
            return True
        region = self.region
        return parent.region_id in (region.pk, region.province_id, region.regency_id)

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.kind == self.Kind.REGIONAL_GOVERNMENT
            and not self.is_foreign
            and not self.region_id
        ):
            errors["region"] = _("An Indonesian regional government needs its region.")
        if self.kind == self.Kind.REGIONAL_AGENCY and not self.parent_id:
            errors["parent"] = _(
                "A regional agency belongs to a regional government: choose the parent."
            )
        if self.is_foreign and self.region_id:
            errors["region"] = _("A foreign organisation has no Indonesian region.")
        elif not self.region_lies_within_parent_government():
            errors["region"] = _(
                "%(region)s lies outside %(government)s's region (%(parent_region)s): an "
                "agency is placed in its government's region or a region under it."
            ) % {
                "region": self.region,
                "government": self.parent,
                "parent_region": self.parent.region,
            }
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                errors["parent"] = _("An organisation cannot be its own parent or ancestor.")
                break
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        if errors:
            raise ValidationError(errors)


# --- People, positions and tenures -------------------------------------------------------


class Person(SlugNaturalKeyMixin, models.Model):
    """An official. The name is kept apart from honorifics and academic titles."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("The name alone, without titles: Ratu Tatu Chasanah."),
    )
    honorific_prefix = models.CharField(
        _("honorific prefix"),
        max_length=50,
        blank=True,
        help_text=_("Before the name: Prof., H., Dr."),
    )
    honorific_suffix = models.CharField(
        _("academic titles"), max_length=100, blank=True, help_text=_("After the name: S.E., M.Si.")
    )
    notes = models.TextField(
        _("data notes (shown to the public)"),
        blank=True,
        help_text=_(
            "Shown to every visitor on the official's page: spelling variants, corrections, "
            "sources."
        ),
    )

    history = HistoricalRecords()
    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("regions:person_detail", args=[self.slug])

    @property
    def full_name(self):
        name = " ".join(part for part in (self.honorific_prefix, self.name) if part)
        return f"{name}, {self.honorific_suffix}" if self.honorific_suffix else name


class PositionRole(models.TextChoices):
    HEAD = "head", _("head of region")
    DEPUTY_HEAD = "deputy_head", _("deputy head of region")
    SECRETARY = "secretary", _("regional secretary")
    ASSISTANT = "assistant", _("regional assistant")
    AGENCY_HEAD = "agency_head", _("head of agency")
    LEADER = "leader", _("leader of an organisation")
    OTHER = "other", _("other")


class Position(SlugNaturalKeyMixin, models.Model):
    """A titled post in an organisation: Bupati Serang, Kepala Bapenda Kabupaten Serang."""

    Role = PositionRole

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("As people say it: Bupati Serang.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OTHER)

    history = HistoricalRecords()
    objects = SlugManager()

    class Meta:
        ordering = ["organisation__name", "title"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=PositionRole.values),
                name="position_role_valid",
                violation_error_message=_("Choose a valid role."),
            ),
        ]

    def __str__(self):
        return self.title

    def holders_on(self, day):
        """The tenures of this post that were running on ``day``."""
        return self.tenures.held_on(day).select_related("person")


class TenureQuerySet(models.QuerySet):
    def with_succession(self):
        """Annotate ``succeeded_on``: for a tenure whose end is not recorded, the day the next
        holder of the same post started (the first dated tenure of the post after this one's
        start, or the first at all if this one's start is unknown). A successor's swearing-in
        closes the predecessor's term without our inventing an end date."""
        others = (
            Tenure.objects.filter(position=OuterRef("position"), start_date__isnull=False)
            .exclude(pk=OuterRef("pk"))
            .order_by("start_date")
            .values("start_date")
        )
        return self.annotate(
            succeeded_on=Case(
                When(end_date__isnull=False, then=Value(None)),
                When(start_date__isnull=True, then=Subquery(others[:1])),
                default=Subquery(others.filter(start_date__gt=OuterRef("start_date"))[:1]),
                output_field=models.DateField(),
            )
        )

    def held_on(self, day):
        """Tenures running on ``day``: "who held this post on this day".

        A tenure counts from its start (from always, if unknown) to its end, or, where the end
        is not recorded, until a successor started (see ``with_succession``).
        """
        if isinstance(day, datetime.datetime):
            day = day.date()
        return (
            self.with_succession()
            .filter(Q(start_date__isnull=True) | Q(start_date__lte=day))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
            .filter(Q(succeeded_on__isnull=True) | Q(succeeded_on__gt=day))
        )


class TenureManager(models.Manager.from_queryset(TenureQuerySet)):
    def get_by_natural_key(self, person_slug, position_slug, start_date):
        return self.get(
            person__slug=person_slug, position__slug=position_slug, start_date=start_date
        )


class Tenure(models.Model):
    """A person holding a position from a start date to an end date; either may be unknown."""

    person = models.ForeignKey(
        Person, verbose_name=_("official"), on_delete=models.PROTECT, related_name="tenures"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="tenures"
    )
    start_date = models.DateField(
        _("start"), null=True, blank=True, help_text=_("Blank if unknown.")
    )
    end_date = models.DateField(
        _("end"), null=True, blank=True, help_text=_("Blank if unknown or running.")
    )
    is_acting = models.BooleanField(
        _("acting (Pj/Plt)"), default=False, help_text=_("An acting head: Pj or Plt.")
    )
    source_note = models.TextField(
        _("source"), blank=True, help_text=_("Where the dates come from: publisher, date, report.")
    )

    history = HistoricalRecords()
    objects = TenureManager()

    class Meta:
        ordering = [F("start_date").desc(nulls_last=True), "position__title"]
        verbose_name = _("tenure")
        verbose_name_plural = _("tenures")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="tenure_dates_in_order",
                violation_error_message=_("A tenure cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["person", "position", "start_date"],
                name="tenure_unique_start",
                violation_error_message=_("This official already holds this post from that date."),
            ),
            models.UniqueConstraint(
                fields=["person", "position"],
                condition=Q(start_date__isnull=True),
                name="tenure_unique_unknown_start",
                violation_error_message=_(
                    "This official already holds this post from an unknown date."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person.name}: {self.position.title}"

    def natural_key(self):
        return (self.person.slug, self.position.slug, self.start_date)

    natural_key.dependencies = ["regions.person", "regions.position"]

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A tenure cannot end before it starts.")})
