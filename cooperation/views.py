"""The public catalogue: server-rendered pages for agreements, follow-ups, regions,
organisations and officials.

Every page shows agreements, so the region, organisation and official pages live here too:
``regions`` never imports from ``cooperation`` (see cooperation/region_urls.py).

Visibility: anonymous visitors see published agreements only; staff also see drafts. With
``CATALOGUE_LOGIN_REQUIRED`` every page asks for a login first.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Case, F, Prefetch, When
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView, View
from django_filters.views import FilterView

from regions.models import Organisation, Position, Region, Tenure

from . import network, selectors, statistics
from .filters import AgreementFilter, FollowUpFilter
from .models import (
    EVALUATION_DUE_AFTER_MONTHS,
    STALLED_AFTER_MONTHS,
    Agreement,
    Document,
    FollowUp,
    Participant,
    Party,
    SiteIdentity,
    can_see_drafts,
)
from .search import highlight_matches
from .selectors import (
    agreement_detail,
    agreement_list,
    follow_up_list,
    visible_organisations,
    visible_people,
)

PAGE_SIZE = 20
HOME_LIST_SIZE = 10
PREVIEW_SIZE = 20  # rows of a secondary list on a detail page, e.g. a region's partners
DUE_SOON_DAYS = 30
ENDING_SOON_DAYS = 90


class CatalogueMixin:
    """Login when the catalogue requires it, and the agreements this reader may see."""

    @staticmethod
    def login_needed(request):
        return settings.CATALOGUE_LOGIN_REQUIRED and not request.user.is_authenticated

    @staticmethod
    def login_redirect(request):
        return redirect_to_login(request.get_full_path())

    def dispatch(self, request, *args, **kwargs):
        if self.login_needed(request):
            return self.login_redirect(request)
        response = super().dispatch(request, *args, **kwargs)
        if settings.CATALOGUE_LOGIN_REQUIRED or can_see_drafts(request.user):
            # The page shows drafts, or is for signed-in readers: no shared cache may keep it.
            patch_cache_control(response, private=True)
        return response

    def visible_agreements(self):
        return Agreement.objects.visible_to(self.request.user)

    def preview(self, queryset, size=PREVIEW_SIZE):
        """The first ``size`` rows of a secondary list, and whether there are more."""
        rows = list(queryset[: size + 1])
        return rows[:size], len(rows) > size

    def paginate(self, queryset, paginator_class=Paginator):
        """A page of ``queryset`` for pages whose main object is not the list itself."""
        return paginator_class(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))


# --- Agreements ---------------------------------------------------------------------------


class HomeView(CatalogueMixin, TemplateView):
    template_name = "cooperation/home.html"

    def get_context_data(self, **kwargs):
        agreements = self.visible_agreements()
        follow_ups = (
            FollowUp.objects.visible_to(self.request.user)
            .with_list_data()
            .order_by("due_date", "id")
        )
        overdue, due_soon = follow_ups.overdue_and_due_within(DUE_SOON_DAYS, HOME_LIST_SIZE)
        return super().get_context_data(
            figures=selectors.home_figures(self.request.user),
            latest=agreements.with_list_data()[:HOME_LIST_SIZE],
            overdue=overdue,
            due_soon=due_soon,
            ending_soon=agreements.ending_within(ENDING_SOON_DAYS)
            .order_by("valid_until", "title")
            .select_related("venue_region")[:HOME_LIST_SIZE],
            stalled=agreements.stalled(user=self.request.user).order_by("date", "title")[
                :HOME_LIST_SIZE
            ],
            evaluation_due=agreements.evaluation_due().order_by(
                F("last_evaluated_on").asc(nulls_first=True), "in_force_since", "title"
            )[:HOME_LIST_SIZE],
            evaluation_due_months=EVALUATION_DUE_AFTER_MONTHS,
            due_soon_days=DUE_SOON_DAYS,
            ending_soon_days=ENDING_SOON_DAYS,
            stalled_months=STALLED_AFTER_MONTHS,
            **kwargs,
        )


class StatisticsView(CatalogueMixin, TemplateView):
    """Charts of the agreements the reader may see, filtered as the list is
    (cooperation/statistics.py); invalid filters show the form's errors and no chart."""

    template_name = "cooperation/statistics.html"

    def get_context_data(self, **kwargs):
        filterset = statistics.statistics_filterset(self.request)
        charts = []
        if filterset.is_valid():
            base = statistics.applied_filters(filterset)
            charts = statistics.build_charts(statistics.statistics_numbers(filterset), base)
        return super().get_context_data(filter=filterset, charts=charts, **kwargs)


class AgreementListView(CatalogueMixin, FilterView):
    filterset_class = AgreementFilter
    paginate_by = PAGE_SIZE
    paginator_class = selectors.DeferredJoinPaginator
    template_name = "cooperation/agreement_list.html"

    def get_queryset(self):
        return agreement_list(self.request.user)

    def feed_query(self):
        query = self.request.GET.copy()
        for name in ("page", "order", "lang"):
            query.pop(name, None)
        return query.urlencode()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            download_links=[
                ("cooperation:agreement_csv", _("CSV")),
                ("cooperation:agreement_xlsx", _("Excel (XLSX)")),
                ("cooperation:agreement_report", _("PDF report")),
            ],
            # The feed of this list: its filters, without page or order (a feed is newest first).
            feed_query=self.feed_query(),
            **kwargs,
        )
        page = context.get("page_obj")
        if page is not None and self.filterset.is_valid():
            highlight_matches(page.object_list, self.filterset.form.cleaned_data.get("q"))
            if not page.paginator.is_capped:
                self.filterset.show_facets(selectors.agreement_facets(self.object_list))
        return context


class AgreementDetailView(CatalogueMixin, DetailView):
    template_name = "cooperation/agreement_detail.html"

    def get_queryset(self):
        return agreement_detail(self.request.user)

    def get_context_data(self, **kwargs):
        agreement = self.object
        user = self.request.user
        admin_url = None
        if user.is_authenticated and user.has_perm("cooperation.change_agreement"):
            try:
                admin_url = reverse("admin:cooperation_agreement_change", args=[agreement.pk])
            except NoReverseMatch:  # the admin may not register agreements
                admin_url = None
        return super().get_context_data(
            chain=selectors.agreement_chain(agreement, user),
            stalled_months=STALLED_AFTER_MONTHS,
            money_flows=agreement.yearly_money_flows(),
            admin_url=admin_url,
            **kwargs,
        )


class DocumentDownloadView(CatalogueMixin, View):
    """A document of an agreement this reader may see, as an attachment: a draft's documents
    are 404 to anonymous visitors, as the draft itself is."""

    def get(self, request, pk):
        document = get_object_or_404(
            Document.objects.filter(agreement__in=self.visible_agreements().values("pk")), pk=pk
        )
        try:
            file = document.file.open("rb")
        except (FileNotFoundError, ValueError) as missing:  # ValueError: no file recorded
            raise Http404("The document's file is missing.") from missing
        response = FileResponse(
            file,
            as_attachment=True,
            filename=document.download_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private"
        return response


class FollowUpListView(CatalogueMixin, FilterView):
    filterset_class = FollowUpFilter
    paginate_by = PAGE_SIZE
    paginator_class = selectors.CappedCountPaginator
    template_name = "cooperation/followup_list.html"

    def get_queryset(self):
        return follow_up_list(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            download_links=[
                ("cooperation:followup_csv", _("CSV")),
                ("cooperation:followup_xlsx", _("Excel (XLSX)")),
            ],
            **kwargs,
        )


# --- The cooperation network --------------------------------------------------------------


class NetworkView(CatalogueMixin, TemplateView):
    """Which regions and partners cooperate with which: nationally, or within the province
    ``code``, filtered by year and category with the agreement list's filters; and the map
    of the provinces (cooperation/network.py)."""

    template_name = "cooperation/network.html"

    def get_context_data(self, **kwargs):
        province = None
        if "code" in self.kwargs:
            province = get_object_or_404(Region.objects.provinces(), code=self.kwargs["code"])
        filterset = selectors.filtered_agreements(self.request, only=network.NETWORK_FILTERS)
        return super().get_context_data(
            filter=filterset,
            province=province,
            network=network.cooperation_network(self.request.user, filterset, province),
            **kwargs,
        )


# --- Pickers: suggestions for the region and organisation filters -------------------------


class PickerView(CatalogueMixin, View):
    """JSON suggestions for a picker (``static/js/picker.js``): up to 20 records whose code,
    slug or name matches ``q``, as {"key", "label", "text"}; "text" is what the filter field
    accepts. Organisations follow what the reader may see (never one known only through
    drafts)."""

    def get(self, request):
        text = request.GET.get("q", "")[:100]
        records = []
        if "\x00" not in text and len(text.strip()) >= 2:
            records = self.matches(text)
        response = JsonResponse({"results": [self.describe(record) for record in records]})
        response["Cache-Control"] = "private, max-age=60"
        return response


class RegionPickerView(PickerView):
    def matches(self, text):
        return selectors.matching_regions(text)

    describe = staticmethod(selectors.region_choice)


class OrganisationPickerView(PickerView):
    def matches(self, text):
        return selectors.matching_organisations(self.request.user, text)

    describe = staticmethod(selectors.organisation_choice)


# --- Regions, organisations and officials -------------------------------------------------


class RegionListView(CatalogueMixin, ListView):
    """Provinces with their regencies and cities, and how many agreements each has."""

    template_name = "regions/region_list.html"
    context_object_name = "provinces"

    def get_queryset(self):
        # Districts are listed on their regency's or city's page, not here (7,000 of them).
        return Region.objects.provinces().prefetch_related(
            Prefetch("children", queryset=Region.objects.regencies_and_cities())
        )

    def get_context_data(self, **kwargs):
        counts = selectors.region_agreement_counts(self.request.user)
        provinces = list(self.object_list)
        for province in provinces:
            province.agreement_count = counts.get(province.pk, 0)
            for child in province.children.all():
                child.agreement_count = counts.get(child.pk, 0)
        return super().get_context_data(provinces=provinces, **kwargs)


class RegionDetailView(CatalogueMixin, DetailView):
    template_name = "regions/region_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    queryset = Region.objects.select_related("province", "regency")

    def get_context_data(self, **kwargs):
        region = self.object
        user = self.request.user
        # Only a province lists regencies and cities: no query for the others.
        children = region.children.regencies_and_cities() if region.is_province else ()
        leaders = (
            Tenure.objects.with_succession()
            .filter(
                position__organisation__kind=Organisation.Kind.REGIONAL_GOVERNMENT,
                position__organisation__region=region,
                position__role__in=[Position.Role.HEAD, Position.Role.DEPUTY_HEAD],
                person__in=visible_people(user).values("pk"),
            )
            .select_related("person", "position")
            .order_by(
                Case(When(position__role=Position.Role.HEAD, then=0), default=1),
                "position__title",
                F("start_date").desc(nulls_last=True),
                "person__name",
            )
        )
        agreements = self.visible_agreements().for_region(region)
        partners, more_partners = self.preview(selectors.region_partners(region, user))
        relations, more_relations = self.preview(selectors.region_relations(region, user))
        return super().get_context_data(
            children=children,
            districts=selectors.region_districts_with_agreements(region, agreements),
            government=selectors.region_government(region, user),
            leaders=leaders,
            page_obj=self.paginate(
                agreements.with_list_data(), paginator_class=selectors.DeferredJoinPaginator
            ),
            partners=partners,
            more_partners=more_partners,
            relations=relations,
            more_relations=more_relations,
            **kwargs,
        )


class OrganisationDetailView(CatalogueMixin, DetailView):
    """An organisation the reader may know of (cooperation/selectors.py), else 404."""

    template_name = "regions/organisation_detail.html"

    def get_queryset(self):
        user = self.request.user
        people = visible_people(user).values("pk")
        return (
            visible_organisations(user)
            .select_related("region", "parent")
            .prefetch_related(
                Prefetch("units", queryset=visible_organisations(user)),
                Prefetch(
                    "positions",
                    queryset=Position.objects.prefetch_related(
                        Prefetch(
                            "tenures",
                            queryset=Tenure.objects.with_succession()
                            .filter(person__in=people)
                            .select_related("person"),
                        )
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        parties = (
            Party.objects.filter(
                organisation=self.object,
                agreement__in=self.visible_agreements().values("pk"),
            )
            .select_related("agreement")
            .order_by("-agreement__date", "agreement__title")
        )
        follow_ups, more_follow_ups = self.preview(
            FollowUp.objects.visible_to(self.request.user)
            .filter(responsible_organisations=self.object)
            .with_list_data()
        )
        return super().get_context_data(
            page_obj=self.paginate(parties),
            follow_ups=follow_ups,
            more_follow_ups=more_follow_ups,
            **kwargs,
        )


class PersonDetailView(CatalogueMixin, DetailView):
    """An official the reader may know of (cooperation/selectors.py), else 404."""

    template_name = "regions/person_detail.html"

    def get_queryset(self):
        return visible_people(self.request.user).prefetch_related(
            Prefetch(
                "tenures",
                queryset=Tenure.objects.with_succession().select_related(
                    "position__organisation__region"
                ),
            )
        )

    def get_context_data(self, **kwargs):
        participations = (
            Participant.objects.filter(
                person=self.object, agreement__in=self.visible_agreements().values("pk")
            )
            .select_related("agreement", "position__organisation")
            .order_by("-agreement__date", "agreement__title")
        )
        return super().get_context_data(
            page_obj=self.paginate(participations),
            **kwargs,
        )


# --- The publisher's logo -----------------------------------------------------------------

LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}


def identity_logo(request):
    """The logo an administrator uploaded (``SiteIdentity.logo``), for the header: public, as
    the login page shows it too."""
    row = SiteIdentity.objects.filter(pk=1).first()
    suffix = Path(row.logo.name).suffix.lower() if row and row.logo else ""
    if suffix not in LOGO_TYPES:
        raise Http404("No logo is set.")
    try:
        file = row.logo.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The logo's file is missing.") from missing
    response = FileResponse(file, content_type=LOGO_TYPES[suffix])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300"
    return response
