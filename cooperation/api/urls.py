"""The open-data API (namespace "api")."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = True
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("follow-ups", views.FollowUpViewSet, basename="followup")
router.register("regions", views.RegionViewSet, basename="region")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("sectors", views.SectorViewSet, basename="sector")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocumentationView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
