"""The page shapes that the benchmark measures (bench_pages.py). Add yours here.

A shape is one kind of request: a page with given parameters, as an anonymous visitor or as
staff (a superuser). Each function decorated with ``@shapes`` receives a ``Catalogue`` (the
records worth asking for, found in the database being measured) and returns a list of
``Shape``. Names must not depend on the data: the benchmark compares a shape's query count on
a small and on the big catalogue by name. ``compare`` names the admin shape for the same filter,
so that the table shows the ratio between the two.

Measurements that are not page latencies (an export's memory, say) go in ``@measurements``
functions: each receives the benchmark's ``Server`` (``server.get(path, staff=False)`` returns a
``Response``) and the ``Catalogue``, and returns rows of (name, {column: value}) printed in a
table of their own.
"""

from dataclasses import dataclass
from functools import cached_property

SHAPE_FUNCTIONS = []
MEASUREMENT_FUNCTIONS = []


def shapes(function):
    SHAPE_FUNCTIONS.append(function)
    return function


def measurements(function):
    MEASUREMENT_FUNCTIONS.append(function)
    return function


@dataclass(frozen=True)
class Shape:
    name: str
    path: str
    staff: bool = False
    compare: str = ""  # the name of the admin shape for the same filter
    throughput: bool = False  # also measure requests per second at concurrency


class Catalogue:
    """Records to ask for, chosen the same way on any catalogue (the busiest, the first)."""

    @cached_property
    def agreement(self):
        """A published agreement with a predecessor, parties, participants and follow-ups."""
        from django.db.models import Count, Exists, OuterRef

        from cooperation.models import Agreement, AgreementRelation

        return (
            Agreement.objects.published()
            .filter(Exists(AgreementRelation.objects.filter(agreement=OuterRef("pk"))))
            .annotate(parts=Count("participants"))
            .order_by("-parts", "pk")
            .first()
        )

    @cached_property
    def province(self):
        """The province with the most agreements (venue or parties)."""
        from django.db.models import Count

        from regions.models import Region

        return (
            Region.objects.provinces()
            .annotate(n=Count("organisations__parties"))
            .order_by("-n", "code")
            .first()
        )

    @cached_property
    def regency(self):
        from django.db.models import Count

        return (
            self.province.children.annotate(n=Count("organisations__parties"))
            .order_by("-n", "code")
            .first()
        )

    @cached_property
    def government(self):
        from regions.models import Organisation

        return Organisation.objects.get(
            kind=Organisation.Kind.REGIONAL_GOVERNMENT, region=self.province
        )

    @cached_property
    def responsible(self):
        """The organisation responsible for the most recurring follow-ups: its calendar has
        both kinds of event on any catalogue, so its queries compare across sizes."""
        from django.db.models import Count, Q

        from cooperation.models import FollowUp
        from regions.models import Organisation

        return (
            Organisation.objects.annotate(
                n=Count("follow_ups", filter=~Q(follow_ups__recurrence=FollowUp.Recurrence.NONE))
            )
            .order_by("-n", "pk")
            .first()
        )

    @cached_property
    def official(self):
        from regions.models import Person, Position

        return (
            Person.objects.filter(
                tenures__position__organisation=self.government,
                tenures__position__role=Position.Role.HEAD,
            )
            .order_by("pk")
            .first()
        )

    @cached_property
    def sector(self):
        from django.db.models import Count

        from cooperation.models import Sector

        return Sector.objects.annotate(n=Count("agreements")).order_by("-n", "slug").first()

    @cached_property
    def country(self):
        """The most frequent country of foreign partners."""
        from django.db.models import Count

        from regions.models import INDONESIA, Organisation

        countries = (
            Organisation.objects.exclude(country=INDONESIA)
            .values("country")
            .annotate(n=Count("pk"))
            .order_by("-n", "country")
        )
        return countries[0]["country"]

    @cached_property
    def year(self):
        from cooperation.models import Agreement

        dates = Agreement.objects.filter(date__isnull=False).order_by("-date")
        return dates.values_list("date", flat=True).first().year - 1

    def lookup_value(self, lookup):
        """What an admin filter's text box is given: the province's code, or the government's
        slug (``cooperation.filters.REGION_LOOKUP`` or ``ORGANISATION_LOOKUP``)."""
        from cooperation.filters import REGION_LOOKUP

        return self.province.code if lookup is REGION_LOOKUP else self.government.slug

    @cached_property
    def deep_page(self):
        """A page far down the agreement list: page 2000, or the last if there are fewer."""
        from cooperation.models import Agreement
        from cooperation.views import PAGE_SIZE

        pages = max(1, -(-Agreement.objects.published().count() // PAGE_SIZE))
        return min(2000, pages)


SEARCH = "sampah"  # a frequent topic word
SEARCH_INFLECTED = "berinvestasi"


@shapes
def public_pages(catalogue):
    from django.urls import reverse

    agreements = reverse("cooperation:agreement_list")
    network = reverse("cooperation:network")
    province, regency = catalogue.province, catalogue.regency
    filters = [
        ("region (province)", f"region={province.code}", f"region={province.code}"),
        ("region (regency)", f"region={regency.code}", f"region={regency.code}"),
        ("partner", f"partner={catalogue.government.slug}", f"partner={catalogue.government.slug}"),
        ("kind", "kind=cooperation_agreement", "kind__exact=cooperation_agreement"),
        ("stage", "stage=implementation", "stage__exact=implementation"),
        ("category", "category=KSDPK", "category=KSDPK"),
        ("sector", f"sector={catalogue.sector.slug}", f"sector={catalogue.sector.slug}"),
        ("country", f"country={catalogue.country}", ""),
        ("year", f"year={catalogue.year}", f"year={catalogue.year}"),
        ("date from", f"date_from={catalogue.year}-01-01", ""),
        ("open follow-ups", "open_follow_ups=on", ""),
        ("ordered by title", "order=title", ""),
    ]
    result = [
        Shape("home", reverse("cooperation:home")),
        Shape("statistics", reverse("cooperation:statistics")),
        Shape(
            "statistics, province", reverse("cooperation:statistics") + f"?region={province.code}"
        ),
        Shape("statistics, year", reverse("cooperation:statistics") + f"?year={catalogue.year}"),
        Shape("agreements", agreements, compare="admin agreements", throughput=True),
    ]
    for label, public, admin in filters:
        compare = f"admin agreements, {label}" if admin else ""
        result.append(Shape(f"agreements, {label}", f"{agreements}?{public}", compare=compare))
    result += [
        Shape(
            "agreements, search",
            f"{agreements}?q={SEARCH}",
            compare="admin agreements, search",
            throughput=True,
        ),
        Shape("agreements, search (inflected)", f"{agreements}?q={SEARCH_INFLECTED}"),
        Shape("agreements, deep page", f"{agreements}?page={catalogue.deep_page}"),
        Shape("agreement detail", catalogue.agreement.get_absolute_url(), throughput=True),
        Shape("follow-ups", reverse("cooperation:followup_list")),
        Shape("follow-ups, overdue", reverse("cooperation:followup_list") + "?overdue=on"),
        Shape(
            "follow-ups, responsible organisation",
            reverse("cooperation:followup_list") + f"?responsible={catalogue.government.slug}",
        ),
        Shape(
            "calendar, organisation",
            reverse("cooperation:calendar") + f"?organisation={catalogue.responsible.slug}",
        ),
        Shape("regions", reverse("regions:region_list")),
        Shape("network", network, throughput=True),
        Shape("network, year and category", f"{network}?year={catalogue.year}&category=KSDD"),
        Shape("network, province", reverse("cooperation:network_province", args=[province.code])),
        Shape("region, province", province.get_absolute_url()),
        Shape("region, regency", regency.get_absolute_url()),
        Shape("organisation", catalogue.government.get_absolute_url()),
        Shape("official", catalogue.official.get_absolute_url()),
        Shape("picker, regions", reverse("cooperation:pick_region") + "?q=kab"),
        Shape("picker, organisations", reverse("cooperation:pick_organisation") + "?q=pemerintah"),
    ]
    return result


@shapes
def admin_agreements(catalogue):
    """The agreement changelist with the filters the public list has, for the ratio."""
    from django.urls import reverse

    url = reverse("admin:cooperation_agreement_changelist")
    province, regency = catalogue.province, catalogue.regency
    filters = [
        ("region (province)", f"region={province.code}"),
        ("region (regency)", f"region={regency.code}"),
        ("partner", f"partner={catalogue.government.slug}"),
        ("kind", "kind__exact=cooperation_agreement"),
        ("stage", "stage__exact=implementation"),
        ("category", "category=KSDPK"),
        ("sector", f"sector={catalogue.sector.slug}"),
        ("year", f"year={catalogue.year}"),
        ("published", "is_published__exact=0"),
        ("search", f"q={SEARCH}"),
    ]
    result = [Shape("admin agreements", url, staff=True)]
    result += [
        Shape(f"admin agreements, {label}", f"{url}?{query}", staff=True)
        for label, query in filters
    ]
    result.append(
        Shape(
            "admin agreement change",
            reverse("admin:cooperation_agreement_change", args=[catalogue.agreement.pk]),
            staff=True,
        )
    )
    return result


@shapes
def admin_changelists(catalogue):
    """Every other changelist of the catalogue: unfiltered, with each filter's first choice
    and with a search."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory
    from django.urls import reverse

    from cooperation.admin import LookupListFilter
    from cooperation.models import Agreement

    user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    assert user is not None, "the benchmark creates its staff user first"
    result = []
    registered = sorted(
        (
            (model, model_admin)
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in ("cooperation", "regions") and model is not Agreement
        ),
        key=lambda item: item[0]._meta.label,
    )
    for model, model_admin in registered:
        name = f"admin {model._meta.verbose_name_plural}"
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        result.append(Shape(name, url, staff=True))
        request = RequestFactory().get(url)
        request.user = user
        changelist = model_admin.get_changelist_instance(request)
        for spec in changelist.get_filters(request)[0]:
            title = str(spec.title)
            if isinstance(spec, LookupListFilter):
                value = catalogue.lookup_value(spec.lookup)
                query = f"?{spec.parameter_name}={value}"
                result.append(Shape(f"{name}, {title}", url + query, staff=True))
                continue
            choices = [
                choice
                for choice in spec.choices(changelist)
                if not choice.get("selected") and "query_string" in choice
            ]
            if choices:
                result.append(
                    Shape(f"{name}, {title}", url + choices[0]["query_string"], staff=True)
                )
        if model_admin.search_fields:
            result.append(Shape(f"{name}, search", f"{url}?q=kota", staff=True))
    return result
