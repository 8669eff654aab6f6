"""The catalogue's pages for regions, organisations and officials (namespace "regions").

They show agreements, so their views live in the cooperation app: ``regions`` never imports
from ``cooperation``. The namespace stays "regions", which the regions models reverse.
"""

from django.urls import path, register_converter

from . import views


class RegionCodeConverter:
    """A Kemendagri code: 36 for a province, 36.04 for a regency or city, 36.04.01 for a
    district. Anything else is a 404."""

    regex = r"\d{2}(?:\.\d{2}){0,2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(RegionCodeConverter, "region_code")

app_name = "regions"

urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/<region_code:code>/", views.RegionDetailView.as_view(), name="region_detail"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path("officials/<slug:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
]
