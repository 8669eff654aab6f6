"""Typed relations between agreements: a later agreement follows up, implements, renews,
amends, replaces or terminates an earlier one, which is in the catalogue or only described.

The chain of an agreement (every agreement reachable through relations, in both directions) is
``AgreementRelationQuerySet.chain``."""

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RelationType(models.TextChoices):
    FOLLOWS_UP = "follows_up", _("follows up")
    IMPLEMENTS = "implements", _("implements")
    RENEWS = "renews", _("renews")
    AMENDS = "amends", _("amends (addendum)")
    REPLACES = "replaces", _("replaces")
    TERMINATES = "terminates", _("terminates")


# The earlier agreement no longer runs on its own once a later one of these types exists.
SUPERSEDING_TYPES = (RelationType.RENEWS, RelationType.REPLACES, RelationType.TERMINATES)
# Nor is a renewal or an addendum's reminder of expiry useful: the later one runs instead.
ENDING_TYPES = (RelationType.REPLACES, RelationType.TERMINATES)

# How an earlier agreement names its relation to a later one ("renewed by").
REVERSE_LABELS = {
    RelationType.FOLLOWS_UP: _("followed up by"),
    RelationType.IMPLEMENTS: _("implemented by"),
    RelationType.RENEWS: _("renewed by"),
    RelationType.AMENDS: _("amended by"),
    RelationType.REPLACES: _("replaced by"),
    RelationType.TERMINATES: _("terminated by"),
}

# The agreements reachable from one through relations with an earlier agreement in the
# catalogue, in both directions, passing only through agreements the reader may see.
CHAIN_SQL = """
WITH RECURSIVE chain(id) AS (
    SELECT id FROM {agreement} WHERE id = %s
    UNION
    SELECT CASE WHEN r.agreement_id = chain.id THEN r.earlier_id ELSE r.agreement_id END
    FROM {relation} r
    JOIN chain ON r.agreement_id = chain.id OR r.earlier_id = chain.id
    JOIN {agreement} a
        ON a.id = CASE WHEN r.agreement_id = chain.id THEN r.earlier_id ELSE r.agreement_id END
    WHERE r.earlier_id IS NOT NULL AND (a.is_published OR %s)
)
SELECT id FROM chain
"""


class AgreementRelationManager(models.Manager):
    def get_by_natural_key(self, agreement_slug, type, earlier_slug, earlier_description):
        return self.get(
            agreement__slug=agreement_slug,
            type=type,
            earlier__slug=earlier_slug,
            earlier_description=earlier_description,
        )


class AgreementRelationQuerySet(models.QuerySet):
    def _chain_sql(self):
        relation = self.model._meta.db_table
        agreement_table = self.model._meta.get_field("agreement").related_model._meta.db_table
        quote = connections[self.db].ops.quote_name
        return CHAIN_SQL.format(relation=quote(relation), agreement=quote(agreement_table))

    def chain_ids(self, agreement, drafts=False):
        """The ids of ``agreement``'s chain (itself included): one query, a recursive common
        table expression (SQLite and PostgreSQL). Without ``drafts`` the chain neither reaches
        nor passes through an unpublished agreement."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(self._chain_sql(), [agreement.pk, bool(drafts)])
            return {row[0] for row in cursor.fetchall()}

    def of_later(self, later, drafts=False):
        """The relations of the agreements ``later`` (a queryset of their keys) to earlier
        agreements in the catalogue or outside it, newest first, each with both agreements
        loaded: one query (a region page's chains). Without ``drafts``, only relations of a
        published agreement to a published one or to one outside the catalogue."""
        relations = self.filter(agreement__in=later)
        if not drafts:
            # Read on the agreements the query joins anyway: an ``IN`` of every published
            # agreement cost PostgreSQL a hash of 90,000 keys at 100,000 agreements.
            relations = relations.filter(agreement__is_published=True).filter(
                Q(earlier__isnull=True) | Q(earlier__is_published=True)
            )
        return relations.select_related("agreement", "earlier").order_by(
            F("agreement__date").desc(nulls_last=True), "agreement__title", "id"
        )

    def chain(self, agreement, drafts=False):
        """The relations of ``agreement``'s chain, each with its later and earlier agreement
        loaded, oldest first: one query, the chain's ids (``chain_ids``) in its subqueries. A
        relation to an earlier agreement outside the catalogue is part of the chain; one to a
        draft is not (without ``drafts``)."""
        ids = RawSQL(self._chain_sql(), [agreement.pk, bool(drafts)])
        return (
            self.filter(agreement__in=ids)
            .filter(Q(earlier__isnull=True) | Q(earlier__in=ids))
            .select_related("agreement", "earlier")
            .order_by(F("agreement__date").asc(nulls_last=True), "agreement__title", "id")
        )


class AgreementRelation(models.Model):
    """A later agreement's relation to an earlier one: several per agreement."""

    Type = RelationType

    agreement = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("later agreement"),
        on_delete=models.CASCADE,
        related_name="relations",
    )
    type = models.CharField(_("type of relation"), max_length=20, choices=RelationType.choices)
    earlier = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("earlier agreement"),
        # RESTRICT, not PROTECT: an earlier agreement cannot be deleted on its own while a
        # later one relates to it, but deleting both together (a chain) works.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="later_relations",
        help_text=_("The earlier agreement, if it is in the catalogue."),
    )
    earlier_description = models.CharField(
        _("earlier agreement not in the catalogue"),
        max_length=300,
        blank=True,
        help_text=_(
            "If the earlier agreement is not in the catalogue, name it here instead: "
            "PKS 2023 No. 658/..."
        ),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = AgreementRelationManager.from_queryset(AgreementRelationQuerySet)()

    class Meta:
        ordering = ["agreement", "id"]
        verbose_name = _("relation to an earlier agreement")
        verbose_name_plural = _("relations to earlier agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=RelationType.values),
                name="agreement_relation_type_valid",
                violation_error_message=_("Choose a valid type of relation."),
            ),
            models.CheckConstraint(
                condition=(Q(earlier__isnull=False) & Q(earlier_description=""))
                | (Q(earlier__isnull=True) & ~Q(earlier_description="")),
                name="agreement_relation_earlier_xor_description",
                violation_error_message=_(
                    "Choose the earlier agreement or describe it, not both and not neither."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(earlier=F("agreement")),
                name="agreement_relation_not_to_itself",
                violation_error_message=_("An agreement cannot be related to itself."),
            ),
            models.UniqueConstraint(
                fields=["agreement", "earlier", "type"],
                condition=Q(earlier__isnull=False),
                name="agreement_relation_unique",
                violation_error_message=_(
                    "This relation to the earlier agreement is already recorded."
                ),
            ),
        ]

    def __str__(self):
        # Not the later agreement's title: the admin's inline shows each row's text, and the
        # rows come with their earlier agreement only.
        earlier = self.earlier if self.earlier_id else self.earlier_description
        return f"{self.get_type_display()}: {earlier}"

    def get_absolute_url(self):
        return self.agreement.get_absolute_url()

    def natural_key(self):
        return (
            self.agreement.slug,
            self.type,
            self.earlier.slug if self.earlier_id else None,
            self.earlier_description,
        )

    natural_key.dependencies = ["cooperation.agreement"]

    @property
    def reverse_label(self):
        """How the earlier agreement names this relation: "renewed by"."""
        return REVERSE_LABELS[self.type]

    def clean(self):
        """The constraints' rules with a message on the right field, and the date order: the
        earlier agreement is not dated after the later one. Reads the agreements already
        loaded with the relation (the admin's inline selects ``earlier``)."""
        super().clean()
        errors = {}
        has_earlier = self.earlier_id is not None
        if has_earlier and self.earlier_description:
            errors["earlier_description"] = _(
                "Leave this empty when the earlier agreement is chosen from the catalogue."
            )
        elif not has_earlier and not self.earlier_description:
            errors["earlier"] = _(
                "Choose the earlier agreement, or describe it if it is not in the catalogue."
            )
        # The later agreement as given (the admin's inline and an import give it, perhaps not
        # saved yet): never a query for it.
        later = self._meta.get_field("agreement").get_cached_value(self, default=None)
        if has_earlier and self.agreement_id is not None and self.earlier_id == self.agreement_id:
            errors["earlier"] = _("An agreement cannot be related to itself.")
        elif has_earlier and later is not None:
            earlier_date, later_date = self.earlier.date, later.date
            if earlier_date and later_date and earlier_date > later_date:
                errors["earlier"] = _(
                    "The earlier agreement is dated %(earlier)s, after this one (%(later)s): "
                    "a later agreement cannot be older than the one it relates to."
                ) % {"earlier": date_format(earlier_date), "later": date_format(later_date)}
        if errors:
            raise ValidationError(errors)
