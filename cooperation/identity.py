"""Who publishes the catalogue: the one place printouts and exports take it from.

Issue 10 makes the identity (bureau name, government, logo) configurable; until then the
catalogue's own name stands for it. Exports (the XLSX's first sheet), PDF reports and
reminder emails ask ``catalogue_identity()`` and nothing else.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Identity:
    name: str  # the catalogue's or the bureau's name, in the current language
    government: str  # the government it belongs to; empty when not configured
    logo_path: str  # a file path to the logo for printouts; empty when there is none


def catalogue_identity():
    return Identity(name=_("Regional Cooperation Catalogue"), government="", logo_path="")
