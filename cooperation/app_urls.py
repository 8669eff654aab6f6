"""The catalogue's agreement pages (namespace "cooperation")."""

from django.urls import path

from . import views

app_name = "cooperation"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("documents/<int:pk>/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="followup_list"),
    path("pick/regions/", views.RegionPickerView.as_view(), name="pick_region"),
    path("pick/organisations/", views.OrganisationPickerView.as_view(), name="pick_organisation"),
]
