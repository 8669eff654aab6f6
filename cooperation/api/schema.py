"""What the OpenAPI schema cannot guess about the pages' filter sets: record choices given by
their natural key (a region code, an organisation slug) and a country code are strings."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ..filters import AgreementFilter, FollowUpFilter

KEYED_FILTERS = {
    AgreementFilter: ["region", "partner_region", "partner", "country", "sector"],
    FollowUpFilter: ["region", "responsible"],
}


def document_keyed_filters():
    for filterset, names in KEYED_FILTERS.items():
        for name in names:
            if name in filterset.base_filters:
                extend_schema_field(OpenApiTypes.STR)(filterset.base_filters[name])


document_keyed_filters()
