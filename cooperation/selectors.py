"""Reads that several pages share, starting with who may see what.

The visibility rule, said once. A reader sees the agreements ``Agreement.objects.visible_to``
gives them: staff (``can_see_drafts``) see drafts too, everyone else the published ones. An
organisation, an official or a sector is known to a reader unless every agreement that names it
is one the reader may not see: something known only through drafts has no public page and is in
no public list of choices (filters, pickers), while one that no agreement names yet (a region's
government, say) stays public. Countries are those of the foreign organisations a reader may
see.

Pages, filters and pickers ask these functions, never ``.objects.all()``. A new way for an
agreement to name an organisation or an official (a new part model with an ``agreement`` foreign
key) is added to ``ORGANISATION_LINKS`` or ``PERSON_LINKS``.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django_countries import countries

from regions.models import INDONESIA, Organisation, Person, Region

from .models import (
    Agreement,
    AgreementRegion,
    FollowUp,
    Participant,
    Party,
    Sector,
    can_see_drafts,
)

# (part model with an ``agreement`` foreign key, its lookup to the organisation or official)
ORGANISATION_LINKS = [
    (Party, "organisation"),
    (FollowUp, "responsible"),
    (Participant, "position__organisation"),
]
PERSON_LINKS = [(Participant, "person")]
SECTOR_LINKS = [(Agreement.sectors.through, "sector")]


def reader(request_or_user):
    """The user of a request (or a user); anonymous when there is none (a filter set built
    without a request)."""
    user = getattr(request_or_user, "user", request_or_user)
    return user if user is not None else AnonymousUser()


def visible_agreements(user):
    return Agreement.objects.visible_to(reader(user))


def _known_to(queryset, links, user):
    user = reader(user)
    if can_see_drafts(user):
        return queryset
    visible = Agreement.objects.visible_to(user).values("pk")

    def named(in_visible):
        condition = Q()
        for model, lookup in links:
            parts = model._default_manager.filter(**{lookup: OuterRef("pk")})
            if in_visible:
                parts = parts.filter(agreement__in=visible)
            else:
                parts = parts.exclude(agreement__in=visible)
            condition |= Q(Exists(parts))
        return condition

    return queryset.filter(named(in_visible=True) | ~named(in_visible=False))


def visible_organisations(user, queryset=None):
    """Organisations ``user`` may know of (see the module's rule)."""
    queryset = Organisation.objects.all() if queryset is None else queryset
    return _known_to(queryset, ORGANISATION_LINKS, user)


def visible_people(user, queryset=None):
    """Officials ``user`` may know of (see the module's rule)."""
    queryset = Person.objects.all() if queryset is None else queryset
    return _known_to(queryset, PERSON_LINKS, user)


def visible_sectors(user, queryset=None):
    """Sectors ``user`` may know of (see the module's rule)."""
    queryset = Sector.objects.all() if queryset is None else queryset
    return _known_to(queryset, SECTOR_LINKS, user)


def visible_foreign_countries(user):
    """(code, name) of the countries of the foreign organisations ``user`` may know of."""
    codes = set(
        visible_organisations(user)
        .exclude(country=INDONESIA)
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return [(code, name) for code, name in countries if code in codes]


# --- Counts and pages over stored derived data (cooperation.derived) ------------------------


def agreement_counts(agreements):
    """({stage: n}, {category: n}) of ``agreements``, in one grouped query."""
    stages, categories = {}, {}
    rows = agreements.order_by().values_list("stage", "category").annotate(n=Count("pk"))
    for stage, category, n in rows:
        stages[stage] = stages.get(stage, 0) + n
        categories[category] = categories.get(category, 0) + n
    return stages, categories


def region_agreement_counts(agreements):
    """{region pk: number of ``agreements`` that concern it}. A province's number includes its
    regencies' and cities' agreements (the stored links include the regions above)."""
    return dict(
        AgreementRegion.objects.filter(agreement__in=agreements.order_by().values("pk"))
        .order_by()
        .values_list("region")
        .annotate(n=Count("pk"))
        .values_list("region", "n")
    )


def region_partners(region, agreements):
    """Organisations outside ``region`` that are parties to ``agreements`` (the region's),
    most frequent first, with ``agreement_count``."""
    within = Region.objects.within(region)
    return (
        Organisation.objects.filter(parties__agreement__in=agreements.values("pk"))
        .exclude(region__in=within)
        .exclude(parent__region__in=within)
        .annotate(agreement_count=Count("parties__agreement", distinct=True))
        .select_related("region")
        .order_by("-agreement_count", "name")
    )


class DeferredJoinPaginator(Paginator):
    """A paginator whose page query finds the page's primary keys in a subquery, then reads
    only those rows: ``WHERE id IN (SELECT id ... ORDER BY ... LIMIT 20 OFFSET n)``. The
    subquery walks an index (``agreement_published_order`` on PostgreSQL) rather than reading
    every row before a deep page; still one query."""

    def _get_page(self, object_list, number, paginator):
        if hasattr(object_list, "values"):
            object_list = self.object_list.filter(pk__in=object_list.values("pk"))
        return super()._get_page(object_list, number, paginator)
