"""Read-only endpoints. Lists filter with the pages' filter sets and page as the pages do;
drafts are for staff only (``cooperation.selectors``)."""

from csp.decorators import csp_update
from django.conf import settings
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import permissions, viewsets

from regions.models import Organisation, Region

from ..filters import AgreementFilter, FollowUpFilter
from ..models import Sector
from ..selectors import agreement_detail, agreement_list, follow_up_list
from . import schema, serializers  # noqa: F401  (schema: documents the filters)


class CatalogueAccess(permissions.BasePermission):
    """With CATALOGUE_LOGIN_REQUIRED the API, like the pages, asks for a login first."""

    def has_permission(self, request, view):
        return not settings.CATALOGUE_LOGIN_REQUIRED or request.user.is_authenticated


class CatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [CatalogueAccess]
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(
        summary="Agreements",
        description="The agreement list: the same filters, `order` and `page` as /agreements/.",
    ),
    retrieve=extend_schema(
        summary="One agreement, shaped after the Open Contracting Data Standard",
        responses=serializers.AgreementOcdsSerializer,
    ),
)
class AgreementViewSet(CatalogueViewSet):
    filterset_class = AgreementFilter

    def get_queryset(self):
        if self.action == "retrieve":
            return agreement_detail(self.request.user)
        return agreement_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.AgreementOcdsSerializer
        return serializers.AgreementListSerializer

    def filter_queryset(self, queryset):
        # One agreement is found by its slug alone, whatever the query string says.
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)


@extend_schema_view(
    list=extend_schema(
        summary="Follow-up actions",
        description="The follow-up list: the same filters and `page` as /follow-ups/.",
    ),
)
class FollowUpViewSet(CatalogueViewSet):
    filterset_class = FollowUpFilter
    serializer_class = serializers.FollowUpSerializer
    lookup_field = "pk"

    def get_queryset(self):
        return follow_up_list(self.request.user)


class RegionViewSet(CatalogueViewSet):
    """Provinces, regencies and cities, by their Kemendagri code (the ``region`` filter's value)."""

    serializer_class = serializers.RegionSerializer
    queryset = Region.objects.select_related("province")
    lookup_field = "code"
    lookup_value_regex = r"\d{2}(?:\.\d{2})?"
    filter_backends = []


class OrganisationViewSet(CatalogueViewSet):
    """Organisations by slug (the ``partner`` and ``responsible`` filters' value)."""

    serializer_class = serializers.OrganisationSerializer
    queryset = Organisation.objects.select_related("region", "parent")
    filter_backends = []


class SectorViewSet(CatalogueViewSet):
    """Sectors by slug (the ``sector`` filter's value)."""

    serializer_class = serializers.SectorSerializer
    queryset = Sector.objects.all()
    filter_backends = []
    pagination_class = None


@method_decorator(csp_update({"img-src": ["data:"]}), name="dispatch")
class DocumentationView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files; its script is a file too (no inline code). Its
    stylesheet draws its icons as data: images, which this page alone allows."""

    template_name = "api/docs.html"
