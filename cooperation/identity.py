"""Who publishes the catalogue: the one place pages, printouts and exports take it from.

An administrator sets the bureau's name, its government, a logo, a contact and the data
licence on the one ``SiteIdentity`` row (admin: "Catalogue identity"); what the row leaves
blank comes from ``settings.CATALOGUE_IDENTITY`` (environment variables). Pages (header and
footer, through ``cooperation.context_processors``), exports (the XLSX's first sheet), PDF
reports and reminder emails ask ``catalogue_identity()`` and nothing else. It is cached
(``cooperation.caching.cached_identity``), so a page costs no query for it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from .caching import cached_identity

FIELDS = (
    "bureau_name",
    "government_name",
    "address",
    "email",
    "phone",
    "website",
    "licence_name",
    "licence_url",
)


@dataclass(frozen=True)
class Identity:
    name: str  # the bureau's name, or else the catalogue's, in the current language
    government: str  # the government it belongs to; empty when not configured
    logo_path: str  # a file path to the logo for printouts; empty when there is none
    logo_url: str = ""  # the logo for pages; empty when there is none
    bureau: str = ""  # the bureau's name as configured (empty when not configured)
    address: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    licence_name: str = ""
    licence_url: str = ""

    @property
    def catalogue_name(self):
        return _("Regional Cooperation Catalogue")

    @property
    def has_contact(self):
        return bool(self.address or self.email or self.phone or self.website)


def _stored():
    """The configured values: the admin's row over the settings; the logo as (kind, value)."""
    from .models import SiteIdentity

    values = {field: settings.CATALOGUE_IDENTITY.get(field, "") for field in FIELDS}
    logo = ("static", settings.CATALOGUE_IDENTITY.get("logo", ""))
    row = SiteIdentity.objects.filter(pk=1).first()
    if row is not None:
        values.update({field: getattr(row, field) for field in FIELDS if getattr(row, field)})
        if row.logo:
            logo = ("media", row.logo.name)
    return values, logo


def settings_identity():
    """The identity from settings alone (what a catalogue without the admin's row shows)."""
    values = {field: settings.CATALOGUE_IDENTITY.get(field, "") for field in FIELDS}
    return values, ("static", settings.CATALOGUE_IDENTITY.get("logo", ""))


def catalogue_identity():
    values, (kind, logo) = cached_identity(_stored)
    logo_path = logo_url = ""
    if logo and kind == "media":
        logo_path = str(settings.MEDIA_ROOT / logo)
        logo_url = reverse("cooperation:identity_logo")
    elif logo:
        logo_path = finders.find(logo) or ""
        logo_url = static(logo)
    return Identity(
        name=values["bureau_name"] or _("Regional Cooperation Catalogue"),
        government=values["government_name"],
        logo_path=logo_path,
        logo_url=logo_url,
        bureau=values["bureau_name"],
        address=values["address"],
        email=values["email"],
        phone=values["phone"],
        website=values["website"],
        licence_name=values["licence_name"],
        licence_url=values["licence_url"],
    )
