"""The catalogue's agreement pages (namespace "cooperation")."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import downloads, feeds, reminder_views, views

app_name = "cooperation"

agreement_download = downloads.AgreementDownloadView.as_view()
follow_up_download = downloads.FollowUpDownloadView.as_view()

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # Readers log in at /login/ (cooperation.urls) and out here, from the header's button.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("identity/logo", views.identity_logo, name="identity_logo"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path(
        "statistics/<slug:chart>.csv",
        downloads.StatisticsDownloadView.as_view(),
        name="statistics_csv",
    ),
    # A filtered list as a file: the list page's query string, plus ``lang``.
    path("agreements/export.csv", agreement_download, {"format": "csv"}, name="agreement_csv"),
    path("agreements/export.xlsx", agreement_download, {"format": "xlsx"}, name="agreement_xlsx"),
    path("agreements/report.pdf", agreement_download, {"format": "pdf"}, name="agreement_report"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path(
        "agreements/<slug:slug>/fact-sheet.pdf",
        downloads.FactSheetView.as_view(),
        name="agreement_fact_sheet",
    ),
    path("documents/<int:pk>/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="followup_list"),
    path("network/", views.NetworkView.as_view(), name="network"),
    path("network/<str:code>/", views.NetworkView.as_view(), name="network_province"),
    path("pick/regions/", views.RegionPickerView.as_view(), name="pick_region"),
    path("pick/organisations/", views.OrganisationPickerView.as_view(), name="pick_organisation"),
    path("follow-ups/export.csv", follow_up_download, {"format": "csv"}, name="followup_csv"),
    path("feeds/agreements.atom", feeds.AgreementFeed(), name="agreement_feed"),
    path(
        "reminders/settings/",
        reminder_views.ReminderSettingsView.as_view(),
        name="reminder_settings",
    ),
    path("calendar.ics", feeds.CalendarView.as_view(), name="calendar"),
    path("follow-ups/export.xlsx", follow_up_download, {"format": "xlsx"}, name="followup_xlsx"),
]
