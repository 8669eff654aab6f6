"""What the API answers. Lists are compact rows; an agreement on its own is shaped after the
Open Contracting Data Standard (OCDS 1.1) where it fits: ``parties`` with ``roles``, a
``period``, ``milestones`` (our follow-up actions, with OCDS milestone statuses), ``documents``
and ``relatedProcesses``. Field names follow OCDS (camelCase) in that shape only.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from regions.models import Organisation, Region

from ..models import Agreement, FollowUp, FollowUpOccurrence, RelationType, Sector
from ..selectors import agreement_chain


def absolute(request, path):
    return request.build_absolute_uri(path) if request else path


class RegionSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "kind", "province"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name", "name_en"]


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    country = serializers.CharField(source="country.code")

    class Meta:
        model = Organisation
        fields = ["slug", "name", "short_name", "kind", "parent", "region", "country"]


class PartySummarySerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    role = serializers.CharField()


class AgreementListSerializer(serializers.ModelSerializer):
    """A row of the agreement list."""

    url = serializers.SerializerMethodField(help_text="This agreement in the API (OCDS-shaped).")
    page_url = serializers.SerializerMethodField(help_text="Its page in the catalogue.")
    category = serializers.CharField(help_text="KSDD, KSDPK, KSDPL or KSDLL; empty if not derived.")
    venue_region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    site_region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parties = PartySummarySerializer(many=True, read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "slug",
            "url",
            "page_url",
            "title",
            "kind",
            "stage",
            "category",
            "date",
            "venue",
            "venue_region",
            "site",
            "site_region",
            "valid_from",
            "valid_until",
            "parties",
            "sectors",
            "is_published",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, agreement):
        return absolute(
            self.context.get("request"), reverse("api:agreement-detail", args=[agreement.slug])
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, agreement):
        return absolute(self.context.get("request"), agreement.get_absolute_url())


class OccurrenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpOccurrence
        fields = ["due_date", "done_on"]


class FollowUpSerializer(serializers.ModelSerializer):
    agreement = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    agreement_title = serializers.CharField(source="agreement.title")
    responsible = serializers.SlugRelatedField(
        source="responsible_organisations",
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="Slugs of the responsible organisations.",
    )
    due_date = serializers.DateField(
        allow_null=True, help_text="The last day of the due period (see due_precision)."
    )
    occurrences = OccurrenceSerializer(
        many=True, read_only=True, help_text="A recurring follow-up's occurrences."
    )

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "agreement",
            "agreement_title",
            "action",
            "responsible",
            "due_date",
            "due_precision",
            "recurrence",
            "recurs_until",
            "occurrences",
            "status",
            "done_on",
            "notes",
        ]


# --- One agreement, shaped after OCDS ------------------------------------------------------

# OCDS milestone statuses (codelist milestoneStatus): scheduled, met, notMet, partiallyMet.
MILESTONE_STATUS = {
    FollowUp.Status.PLANNED: "scheduled",
    FollowUp.Status.IN_PROGRESS: "scheduled",
    FollowUp.Status.DONE: "met",
    FollowUp.Status.NOT_DONE: "notMet",
    FollowUp.Status.CANCELLED: "notMet",
}


class OcdsAddressSerializer(serializers.Serializer):
    region = serializers.CharField(allow_null=True, help_text="Kemendagri code of the region.")
    regionName = serializers.CharField(allow_null=True)  # noqa: N815  (OCDS field names)
    countryName = serializers.CharField()  # noqa: N815


class OcdsPartySerializer(serializers.Serializer):
    id = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    roles = serializers.SerializerMethodField(
        help_text="Our party roles (signatory, host, visitor, participant, organiser, "
        "facilitator): OCDS's party-role codelist has none for cooperation agreements."
    )
    details = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, party):
        return [party.role]

    @extend_schema_field(
        serializers.DictField(
            child=serializers.CharField(allow_null=True),
            help_text="kind, shortName; for a signatory its own documentNumber and signedOn "
            "(YYYY-MM-DD), empty or null where not recorded",
        )
    )
    def get_details(self, party):
        return {
            "kind": party.organisation.kind,
            "shortName": party.organisation.short_name,
            "documentNumber": party.document_number,
            "signedOn": party.signed_on.isoformat() if party.signed_on else None,
        }

    @extend_schema_field(OcdsAddressSerializer)
    def get_address(self, party):
        organisation = party.organisation
        region = organisation.region or (
            organisation.parent.region if organisation.parent else None
        )
        return {
            "region": region.code if region else None,
            "regionName": str(region) if region else None,
            "countryName": str(organisation.country.name),
        }


class OcdsPeriodSerializer(serializers.Serializer):
    startDate = serializers.DateField(source="valid_from", allow_null=True)  # noqa: N815
    endDate = serializers.DateField(source="valid_until", allow_null=True)  # noqa: N815


class OcdsMilestoneSerializer(serializers.Serializer):
    id = serializers.CharField(source="pk")
    title = serializers.CharField(source="action")
    description = serializers.CharField(source="notes")
    type = serializers.SerializerMethodField()
    dueDate = serializers.DateField(source="due_date", allow_null=True)  # noqa: N815
    dateMet = serializers.DateField(source="done_on", allow_null=True)  # noqa: N815
    status = serializers.SerializerMethodField(help_text="scheduled, met or notMet (OCDS).")
    catalogueStatus = serializers.CharField(  # noqa: N815
        source="status",
        help_text="Our own status: planned, in_progress, done, not_done, cancelled.",
    )
    responsible = serializers.SerializerMethodField()

    def get_type(self, follow_up) -> str:
        return "delivery"

    def get_status(self, follow_up) -> str:
        return MILESTONE_STATUS.get(follow_up.status, "scheduled")

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    )
    def get_responsible(self, follow_up):
        return [
            {"id": organisation.slug, "name": organisation.name}
            for organisation in follow_up.responsible_organisations.all()
        ]


class OcdsDocumentSerializer(serializers.Serializer):
    id = serializers.CharField(source="pk")
    documentType = serializers.CharField(source="type")  # noqa: N815
    title = serializers.CharField()
    datePublished = serializers.DateField(source="date", allow_null=True)  # noqa: N815
    format = serializers.CharField(source="content_type")
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document):
        return absolute(self.context.get("request"), document.get_absolute_url())


class OcdsRelatedProcessSerializer(serializers.Serializer):
    id = serializers.CharField()
    relationship = serializers.ListField(child=serializers.CharField())
    relationType = serializers.ChoiceField(  # noqa: N815
        choices=RelationType.choices,
        help_text="The catalogue's type of relation, seen from the later agreement.",
    )
    title = serializers.CharField()
    scheme = serializers.CharField(
        help_text="x_catalogue: an agreement in the catalogue; x_description: an earlier "
        "agreement outside it, named by its title."
    )
    identifier = serializers.CharField(allow_blank=True)
    uri = serializers.URLField(allow_null=True)


# OCDS relatedProcess codes: how this agreement relates to an earlier one ...
EARLIER_PROCESS_CODES = {
    RelationType.FOLLOWS_UP: ["prior"],
    RelationType.IMPLEMENTS: ["framework"],
    RelationType.RENEWS: ["prior", "renewalProcess"],
    RelationType.AMENDS: ["prior", "x_amends"],
    RelationType.REPLACES: ["prior", "replacementProcess"],
    RelationType.TERMINATES: ["prior", "x_terminates"],
}
# ... and to a later one (OCDS has no codes for this direction).
LATER_PROCESS_CODES = {
    RelationType.FOLLOWS_UP: ["x_subsequent", "x_followedUpBy"],
    RelationType.IMPLEMENTS: ["x_subsequent", "x_implementedBy"],
    RelationType.RENEWS: ["x_subsequent", "x_renewedBy"],
    RelationType.AMENDS: ["x_subsequent", "x_amendedBy"],
    RelationType.REPLACES: ["x_subsequent", "x_replacedBy"],
    RelationType.TERMINATES: ["x_subsequent", "x_terminatedBy"],
}


class OcdsValueSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False)
    currency = serializers.CharField(help_text="Always IDR (rupiah).")


class OcdsOrganisationReferenceSerializer(serializers.Serializer):
    id = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")


class OcdsQuantitySerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=3, coerce_to_string=False)
    unit = serializers.CharField(help_text="tonnes_per_day, hectares, people or units.")


class OcdsTermSerializer(serializers.Serializer):
    """A term (obligation): who gives or does what for whom, with its value or quantity."""

    id = serializers.CharField(source="pk")
    kind = serializers.CharField(
        help_text="payment, financial_aid, compensation, in_kind_service, facility_use, "
        "capacity_limit, staff, data or other."
    )
    description = serializers.CharField()
    giver = OcdsOrganisationReferenceSerializer()
    receiver = OcdsOrganisationReferenceSerializer(allow_null=True)
    value = serializers.SerializerMethodField(help_text="For money terms: the amount in rupiah.")
    period = serializers.CharField(help_text="For money terms: once, monthly or yearly.")
    quantity = serializers.SerializerMethodField()
    fundingSource = serializers.CharField(source="funding_source")  # noqa: N815

    @extend_schema_field(OcdsValueSerializer(allow_null=True))
    def get_value(self, term):
        return {"amount": term.amount, "currency": "IDR"} if term.amount is not None else None

    @extend_schema_field(OcdsQuantitySerializer(allow_null=True))
    def get_quantity(self, term):
        if term.quantity is None:
            return None
        return OcdsQuantitySerializer({"value": term.quantity, "unit": term.unit}).data


class OcdsMoneyFlowSerializer(serializers.Serializer):
    giver = OcdsOrganisationReferenceSerializer()
    receiver = OcdsOrganisationReferenceSerializer(allow_null=True)
    value = OcdsValueSerializer(help_text="The total a year: monthly amounts count 12 times.")


class OcdsSourceSerializer(serializers.Serializer):
    publisher = serializers.CharField(source="source.publisher")
    headline = serializers.CharField(source="source.headline")
    publishedOn = serializers.DateField(source="source.published_on", allow_null=True)  # noqa: N815
    url = serializers.CharField(source="source.url")


class OcdsOrganisationIdentifierSerializer(serializers.Serializer):
    id = serializers.CharField(source="slug")
    name = serializers.CharField()


class OcdsEvaluationSerializer(serializers.Serializer):
    """A monitoring and evaluation (monev) record: OCDS has no such block, so it follows our
    model, in OCDS's spelling."""

    id = serializers.CharField(source="pk")
    year = serializers.IntegerField(help_text="The year the evaluated period falls in.")
    period = serializers.CharField(
        help_text="The period covered: year, semester_1 or semester_2 (of the year)."
    )
    date = serializers.DateField(source="evaluated_on", help_text="The day of the evaluation.")
    evaluator = OcdsOrganisationIdentifierSerializer(
        allow_null=True, help_text="The evaluating organisation, if recorded."
    )
    assessment = serializers.CharField(help_text="on_track, delayed, not_implemented or completed.")
    implemented = serializers.CharField(help_text="What was implemented.")
    problems = serializers.CharField()
    recommendation = serializers.CharField()
    documents = serializers.SerializerMethodField(
        help_text="The ids of its evidence among the agreement's documents."
    )
    milestones = serializers.SerializerMethodField(
        help_text="The ids of the milestones (follow-up actions) that come from it."
    )

    def get_documents(self, evaluation) -> list[str]:
        return [str(document.pk) for document in evaluation.evidence]

    def get_milestones(self, evaluation) -> list[str]:
        return [str(follow_up.pk) for follow_up in evaluation.recommended_follow_ups]


class AgreementOcdsSerializer(serializers.ModelSerializer):
    """One agreement, after OCDS: a contracting process whose "contract" is the agreement."""

    id = serializers.CharField(source="slug")
    uri = serializers.SerializerMethodField(help_text="Its page in the catalogue.")
    title = serializers.CharField()
    description = serializers.CharField(source="summary")
    date = serializers.DateField(allow_null=True)
    kind = serializers.CharField()
    status = serializers.CharField(source="stage", help_text="The stage in the life cycle.")
    category = serializers.CharField()
    venue = serializers.CharField()
    venueRegion = serializers.SlugRelatedField(  # noqa: N815
        source="venue_region", slug_field="code", read_only=True
    )
    site = serializers.CharField(help_text="Where the cooperation is carried out.")
    siteRegion = serializers.SlugRelatedField(  # noqa: N815
        source="site_region", slug_field="code", read_only=True
    )
    period = OcdsPeriodSerializer(source="*")
    sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    parties = OcdsPartySerializer(many=True, read_only=True)
    terms = OcdsTermSerializer(many=True, read_only=True)
    yearlyMoneyFlows = serializers.SerializerMethodField()  # noqa: N815
    milestones = OcdsMilestoneSerializer(source="follow_ups", many=True, read_only=True)
    documents = OcdsDocumentSerializer(many=True, read_only=True)
    evaluations = OcdsEvaluationSerializer(
        many=True, read_only=True, help_text="Monitoring and evaluation, the latest first."
    )
    relatedProcesses = serializers.SerializerMethodField()  # noqa: N815
    sources = OcdsSourceSerializer(source="citations", many=True, read_only=True)
    isPublished = serializers.BooleanField(source="is_published")  # noqa: N815

    class Meta:
        model = Agreement
        fields = [
            "id",
            "uri",
            "title",
            "description",
            "date",
            "kind",
            "status",
            "category",
            "venue",
            "venueRegion",
            "site",
            "siteRegion",
            "period",
            "sectors",
            "parties",
            "terms",
            "yearlyMoneyFlows",
            "milestones",
            "documents",
            "evaluations",
            "relatedProcesses",
            "sources",
            "isPublished",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_uri(self, agreement):
        return absolute(self.context.get("request"), agreement.get_absolute_url())

    @extend_schema_field(OcdsMoneyFlowSerializer(many=True))
    def get_yearlyMoneyFlows(self, agreement):  # noqa: N802
        flows = [
            {"giver": giver, "receiver": receiver, "value": {"amount": total, "currency": "IDR"}}
            for giver, receiver, total in agreement.yearly_money_flows()
        ]
        return OcdsMoneyFlowSerializer(flows, many=True).data

    @extend_schema_field(OcdsRelatedProcessSerializer(many=True))
    def get_relatedProcesses(self, agreement):  # noqa: N802
        """The agreement's typed relations in both directions (``AgreementChain``: drafts
        only for staff), with OCDS's relatedProcess codes where one fits and ``x_`` codes for
        the rest."""
        request = self.context.get("request")
        user = request.user if request else None
        chain = agreement_chain(agreement, user)
        related = []
        for relation in chain.earlier:
            codes = EARLIER_PROCESS_CODES[relation.type]
            if relation.earlier_id:
                related.append(self._process(request, relation, relation.earlier, codes))
            else:
                related.append(
                    {
                        "id": f"relation-{relation.pk}",
                        "relationship": codes,
                        "relationType": relation.type,
                        "title": relation.earlier_description,
                        "scheme": "x_description",
                        "identifier": "",
                        "uri": None,
                    }
                )
        for relation in chain.later:
            codes = LATER_PROCESS_CODES[relation.type]
            related.append(self._process(request, relation, relation.agreement, codes))
        return OcdsRelatedProcessSerializer(related, many=True).data

    @staticmethod
    def _process(request, relation, other, codes):
        return {
            "id": other.slug,
            "relationship": codes,
            "relationType": relation.type,
            "title": other.title,
            "scheme": "x_catalogue",
            "identifier": other.slug,
            "uri": absolute(request, reverse("api:agreement-detail", args=[other.slug])),
        }
