"""Reads that several pages share, starting with who may see what.

The visibility rule, said once. A reader sees the agreements ``Agreement.objects.visible_to``
gives them: staff (``can_see_drafts``) see drafts too, everyone else the published ones. An
organisation, an official or a sector is known to a reader unless every agreement that names it
is one the reader may not see: something known only through drafts has no public page and is in
no public list of choices (filters, pickers), while one that no agreement names yet (a region's
government, say) stays public. Countries are those of the foreign organisations a reader may
see.

Every list of agreements or follow-ups, whatever its format (page, CSV, XLSX, PDF, API, feed),
starts from ``agreement_list`` / ``follow_up_list`` and is filtered by the one filter set
(``filtered_agreements`` / ``filtered_follow_ups``), so a file or an API page of a filtered list
holds exactly the rows of the list page with the same query string.

Pages, filters and pickers ask these functions, never ``.objects.all()``. A new way for an
agreement to name an organisation or an official (a new part model with an ``agreement`` foreign
key) is added to ``ORGANISATION_LINKS`` or ``PERSON_LINKS``.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, When
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django_countries import countries

from regions.models import INDONESIA, Organisation, Person, Region
from regions.pagination import CappedCountPaginator

from . import caching
from .models import (
    Agreement,
    AgreementRegion,
    AgreementRelation,
    Citation,
    Evaluation,
    FollowUp,
    FollowUpOccurrence,
    Participant,
    Party,
    Sector,
    Term,
    can_see_drafts,
    in_force_condition,
    today,
)

# (part model with an ``agreement`` foreign key, its lookup to the organisation or official)
ORGANISATION_LINKS = [
    (Party, "organisation"),
    (FollowUp, "responsible_organisations"),
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


def filter_choices(user):
    """The record choices of the agreement list's filters for ``user``, in the current language:
    {"sectors": [(slug, name)], "countries": [(code, name)]}. Every list page shows them, and
    finding them (what the reader may know of) costs two queries and a translation of every
    country's name, so they are cached briefly (``caching.cached_briefly``): no query when warm."""
    user = reader(user)

    def compute():
        return {
            "sectors": [(sector.slug, str(sector)) for sector in visible_sectors(user)],
            "countries": [(code, str(name)) for code, name in visible_foreign_countries(user)],
        }

    name = f"filter-choices:{can_see_drafts(user)}:{get_language()}"
    return caching.cached_briefly(name, compute)


# --- Counts and pages over stored derived data (cooperation.derived) ------------------------


def home_figures(user):
    """The home page's key figures for ``user``: agreements in all, in force today, signed
    this year, open follow-ups and partners abroad. Three queries, cached per data version,
    reader kind and day (``cooperation.caching``)."""
    user = reader(user)
    on = today()

    def compute():
        agreements = Agreement.objects.visible_to(user)
        this_year = Q(date__gte=on.replace(month=1, day=1), date__lte=on.replace(month=12, day=31))
        figures = agreements.order_by().aggregate(
            total=Count("*"),
            in_force=Count("pk", filter=in_force_condition(on)),
            signed_this_year=Count("pk", filter=this_year & Q(kind__in=Agreement.SIGNED_KINDS)),
        )
        figures["year"] = on.year
        figures["open_follow_ups"] = FollowUp.objects.visible_to(user).open().order_by().count()
        figures["partners_abroad"] = (
            Party.objects.filter(agreement__in=agreements.values("pk"))
            .exclude(organisation__country=INDONESIA)
            .order_by()
            .values("organisation")
            .distinct()
            .count()
        )
        return figures

    drafts = "drafts" if can_see_drafts(user) else "published"
    return caching.cached(f"home:{drafts}:{on.isoformat()}", compute)


def visible_region_links(user):
    """The agreement–region links of the agreements ``user`` may see: the links repeat their
    agreement's ``is_published``, so this reads the links' index alone."""
    links = AgreementRegion.objects.all()
    return links if can_see_drafts(reader(user)) else links.filter(is_published=True)


def region_agreement_counts(user):
    """{region pk: number of agreements ``user`` may see that concern it}. A province's number
    includes its regencies' and cities' agreements (the stored links include the regions
    above)."""
    return dict(
        visible_region_links(user)
        .order_by()
        .values_list("region")
        .annotate(n=Count("*"))
        .values_list("region", "n")
    )


def region_districts_with_agreements(region, agreements):
    """The districts of a regency or city that ``agreements`` (the region's) concern, with
    ``agreement_count``; none for a province or a district (a province lists its regencies and
    cities instead)."""
    if region.kind not in Region.MIDDLE_KINDS:
        return Region.objects.none()
    return (
        region.districts.filter(agreement_links__agreement__in=agreements.values("pk"))
        .annotate(agreement_count=Count("agreement_links", distinct=True))
        .order_by("name", "code")
    )


def region_government(region, user):
    """The regional government of ``region`` that ``user`` may know of, with ``known_units``
    (its units they may know of, by name), or None: one query for both."""
    government_kind = Organisation.Kind.REGIONAL_GOVERNMENT
    keys = Organisation.objects.order_by().values("pk")
    # The two sets' keys as a UNION, each found by its index: with an OR of the two instead,
    # PostgreSQL checked what the reader may know of for every organisation (100 ms, not 1).
    keys = keys.filter(kind=government_kind, region=region).union(
        keys.filter(parent__kind=government_kind, parent__region=region)
    )
    rows = list(visible_organisations(user).filter(pk__in=keys))
    government = next(
        (o for o in rows if o.kind == government_kind and o.region_id == region.pk), None
    )
    if government is not None:
        government.known_units = [o for o in rows if o.parent_id == government.pk]
    return government


def region_relations(region, user):
    """The chains of the agreements of ``region`` that ``user`` may see: their relations to
    earlier agreements that ``user`` may see, or that are outside the catalogue, newest first.
    The agreements are read from the region's links (their partial index)."""
    agreements = visible_region_links(user).filter(region=region).values("agreement")
    return AgreementRelation.objects.of_later(agreements, drafts=can_see_drafts(reader(user)))


def region_partners(region, user):
    """Organisations outside ``region`` that are parties to the agreements of the region that
    ``user`` may see, most frequent first, with ``agreement_count``."""
    within = Region.objects.within(region)
    agreements = visible_region_links(user).filter(region=region).values("agreement")
    return (
        Organisation.objects.filter(parties__agreement__in=agreements)
        .exclude(region__in=within)
        .exclude(parent__region__in=within)
        .annotate(agreement_count=Count("parties__agreement", distinct=True))
        .select_related("region")
        .order_by("-agreement_count", "name")
    )


class DeferredJoinPaginator(CappedCountPaginator):
    """A paginator whose page query finds the page's primary keys in a subquery, then reads
    only those rows: ``WHERE id IN (SELECT id ... ORDER BY ... LIMIT 20 OFFSET n)``. The
    subquery walks an index (``agreement_published_order`` on PostgreSQL) rather than reading
    every row before a deep page; still one query. Counts as ``CappedCountPaginator``."""

    def _get_page(self, object_list, number, paginator):
        if hasattr(object_list, "values"):
            object_list = self.object_list.filter(pk__in=object_list.values("pk"))
        return super()._get_page(object_list, number, paginator)


# --- Pickers: regions and organisations by code, slug or name ------------------------------

PICKER_SIZE = 20


def _words(text):
    return [word for word in (text or "").split() if word]


def _label_key(text):
    """ "Kabupaten Serang (36.04)" → "36.04": the form a picker fills in."""
    text = (text or "").strip()
    if text.endswith(")") and "(" in text:
        return text[text.rindex("(") + 1 : -1].strip()
    return text


def matching_regions(text, limit=PICKER_SIZE):
    """Regions named by ``text``, as a list: the one whose code (or "(code)" part) or whole
    name it is (a district only by its code: "Serang" is a regency, a city and a district);
    else those whose name holds every word of it, provinces first, districts last."""
    key = _label_key(text)
    regions = Region.objects.select_related("regency")
    named = Q(name__iexact=key) & ~Q(kind=Region.Kind.DISTRICT)
    exact = list(regions.filter(Q(code=key) | named)[:2])
    if len(exact) == 1:
        return exact
    for word in _words(text):
        regions = regions.filter(name__icontains=word)
    by_level = Case(
        When(kind=Region.Kind.PROVINCE, then=0),
        When(kind=Region.Kind.DISTRICT, then=2),
        default=1,
    )
    return list(regions.order_by(by_level, "name", "code")[:limit])


def matching_organisations(user, text, limit=PICKER_SIZE):
    """Organisations ``user`` may know of named by ``text``, as a list: the one whose slug (or
    "(slug)" part), name or short name it is; else those whose name or short name holds
    every word of it."""
    organisations = visible_organisations(user)
    key = _label_key(text)
    exact = organisations.filter(Q(slug=key) | Q(name__iexact=key) | Q(short_name__iexact=key))
    exact = list(exact[:2])
    if len(exact) == 1:
        return exact
    for word in _words(text):
        organisations = organisations.filter(
            Q(name__icontains=word) | Q(short_name__icontains=word)
        )
    return list(organisations.order_by("name", "slug")[:limit])


def region_choice(region):
    """A district is named with its regency or city (``matching_regions`` reads both)."""
    label = f"{region}, {region.regency}" if region.regency_id else str(region)
    return {"key": region.code, "label": label, "text": f"{label} ({region.code})"}


def organisation_choice(organisation):
    label = organisation.name
    if organisation.short_name and organisation.short_name != organisation.name:
        label = f"{organisation.name} – {organisation.short_name}"
    return {"key": organisation.slug, "label": label, "text": f"{label} ({organisation.slug})"}


# --- Facets: how many of the current results fall under each choice -----------------------

FACET_FIELDS = ("stage", "kind", "category")
# Facets are counted only for result sets that were counted exactly (up to COUNT_LIMIT, in
# regions.pagination): grouping 100,000 agreements (and their 200,000 sector rows) costs more
# than the list's whole budget (README, Performance).


def agreement_facets(agreements):
    """{field: {value: count}} for stage, kind, category and sector over ``agreements`` (a
    filtered list), in two grouped queries; sectors by slug."""
    results = Agreement.objects.filter(pk__in=agreements.order_by().values("pk"))
    facets = {field: {} for field in (*FACET_FIELDS, "sector")}
    for *values, n in (
        results.order_by()
        .values_list(*FACET_FIELDS)
        .annotate(n=Count("pk"))
        .values_list(*FACET_FIELDS, "n")
    ):
        for field, value in zip(FACET_FIELDS, values, strict=True):
            facets[field][value] = facets[field].get(value, 0) + n
    through = Agreement.sectors.through
    facets["sector"] = dict(
        through.objects.filter(agreement__in=results.values("pk"))
        .order_by()
        .values_list("sector__slug")
        .annotate(n=Count("pk"))
        .values_list("sector__slug", "n")
    )
    return facets


# --- Lists, in every format ---------------------------------------------------------------


def agreement_list(user):
    """The agreements ``user`` may see, with everything a list row shows."""
    return Agreement.objects.visible_to(user).with_list_data().with_stage_order()


def follow_up_list(user):
    """The follow-up actions ``user`` may see, in the list's order."""
    return (
        FollowUp.objects.visible_to(user)
        .with_list_data()
        # Undated actions last, on every database.
        .order_by(F("due_date").asc(nulls_last=True), "agreement__title", "id")
    )


def filtered_agreements(request, params=None, user=None, only=None):
    """The list page's filter set (over ``params``, by default the query string) on the
    agreements the request's user (or ``user``) may see; with ``only`` (filter names), just
    those filters, in its form and its results (the network page offers two)."""
    # cooperation.filters asks this module for its choices: import it when used.
    from .filters import AgreementFilter

    filterset = AgreementFilter(
        request.GET if params is None else params,
        queryset=agreement_list(user or request.user),
        request=request,
    )
    if only is not None:
        filterset.filters = {name: filterset.filters[name] for name in only}
    return filterset


def filtered_follow_ups(request, params=None, user=None):
    from .filters import FollowUpFilter

    return FollowUpFilter(
        request.GET if params is None else params,
        queryset=follow_up_list(user or request.user),
        request=request,
    )


def agreement_detail(user):
    """The agreements ``user`` may see, with everything the agreement page (and its fact
    sheet) shows, in a fixed number of queries."""
    visible = Agreement.objects.visible_to(user)
    # Whether it is in force, and what the "no progress" rule says of it: in the same query.
    visible = visible.with_validity().with_progress(user=reader(user))
    return visible.select_related(
        "venue_region", "site_region__regency", "site_region__province"
    ).prefetch_related(
        Prefetch(
            "parties",
            queryset=Party.objects.select_related(
                "organisation__region", "organisation__parent__region"
            ),
        ),
        Prefetch(
            "participants",
            # post_recorded marks an official whose post that day the tenures do not record.
            queryset=Participant.objects.select_related(
                "person", "position__organisation"
            ).with_post_recorded(),
        ),
        "sectors",
        Prefetch(
            "terms",
            queryset=Term.objects.select_related("giver__organisation", "receiver__organisation"),
        ),
        Prefetch(
            "follow_ups",
            queryset=FollowUp.objects.prefetch_related(
                "responsible_organisations",
                Prefetch("occurrences", queryset=FollowUpOccurrence.objects.order_by("due_date")),
            ),
        ),
        Prefetch("citations", queryset=Citation.objects.select_related("source")),
        "documents",
        # Their evidence and follow-ups are among the agreement's documents and follow-ups
        # (Evaluation.evidence, .recommended_follow_ups): no query of their own.
        Prefetch("evaluations", queryset=Evaluation.objects.select_related("evaluator")),
    )


class AgreementChain:
    """An agreement's chain as ``user`` may see it: every agreement reachable through typed
    relations, in both directions, from the first meeting to the latest addendum, and the
    relations to earlier agreements outside the catalogue (``AgreementRelation``). One query
    however long the chain; never through or to a draft the user may not see."""

    def __init__(self, agreement, user):
        self.agreement = agreement
        self.relations = list(
            AgreementRelation.objects.chain(agreement, drafts=can_see_drafts(reader(user)))
        )

    def __bool__(self):
        return bool(self.relations)

    @cached_property
    def earlier(self):
        """This agreement's own relations to earlier ones."""
        return [r for r in self.relations if r.agreement_id == self.agreement.pk]

    @cached_property
    def later(self):
        """The relations of later agreements to this one."""
        return [r for r in self.relations if r.earlier_id == self.agreement.pk]

    @cached_property
    def steps(self):
        """[(agreement, its relations to earlier ones)], oldest first (undated last); the
        agreement itself is ``self.agreement``."""
        agreements = {self.agreement.pk: self.agreement}
        relations = {}
        for relation in self.relations:
            agreements.setdefault(relation.agreement_id, relation.agreement)
            if relation.earlier_id:
                agreements.setdefault(relation.earlier_id, relation.earlier)
            relations.setdefault(relation.agreement_id, []).append(relation)
        ordered = sorted(
            agreements.values(),
            key=lambda a: (a.date is None, a.date or datetime.date.min, a.title, a.pk),
        )
        return [(agreement, relations.get(agreement.pk, [])) for agreement in ordered]


def agreement_chain(agreement, user):
    return AgreementChain(agreement, user)
