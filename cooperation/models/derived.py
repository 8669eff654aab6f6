"""Data derived from agreements and stored for fast reads: the regions an agreement concerns,
and its search document. Never typed in and never edited: ``cooperation.derived`` keeps them
up to date on every write and rebuilds them (``manage.py rebuild_derived``).

They have no change history of their own (they are recomputed from records that do).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models import F, FloatField, Func, Q, TextField, Value
from django.db.models.functions import Cast, Concat, Length, Replace
from django.utils.translation import gettext_lazy as _

from regions.models import Region

# The search document's fields with their PostgreSQL weights (A counts most in ts_rank) and
# the weights the SQLite ranking gives the same fields.
SEARCH_FIELDS = {
    "title_terms": ("A", 1.0),
    "name_terms": ("B", 0.4),
    "summary_terms": ("C", 0.2),
    "other_terms": ("D", 0.1),
}


class AgreementRegion(models.Model):
    """An agreement concerns a region: the region of its venue or of a party (directly or
    through the party's parent organisation), or a region above one of those (a regency's
    province). One row per pair, so a region's agreements are one indexed join.

    ``is_published`` repeats the agreement's, so that a region's published agreements (its
    count on the region list, its partners) are read from this table's index alone."""

    agreement = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="region_links",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        related_name="agreement_links",
        db_index=False,  # the unique constraint's index (region, agreement) serves it
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("The agreement's, repeated.")
    )

    class Meta:
        ordering = ["region", "agreement"]
        verbose_name = _("agreement–region link")
        verbose_name_plural = _("agreement–region links")
        constraints = [
            models.UniqueConstraint(fields=["region", "agreement"], name="agreement_region_once"),
        ]
        indexes = [
            models.Index(
                fields=["region", "agreement"],
                condition=Q(is_published=True),
                name="agreement_region_published",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} → {self.region_id}"


class WeightedSearchVector(Func):
    """PostgreSQL: the search terms as a ``tsvector``, each field with its weight. The terms
    are already normalised and stemmed (``cooperation.search``), so the ``simple``
    configuration only splits them. Other databases store nothing here (NULL)."""

    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(*(models.F(name) for name in SEARCH_FIELDS))

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression, (weight, _rank) in zip(
            self.get_source_expressions(), SEARCH_FIELDS.values(), strict=True
        ):
            sql, field_params = compiler.compile(expression)
            parts.append(f"setweight(to_tsvector('simple'::regconfig, {sql}), '{weight}')")
            params.extend(field_params)
        return " || ".join(parts), params


class SearchDocument(models.Model):
    """An agreement's words as search terms (``cooperation.search.terms``), by weight: its
    title; its parties' names and short names and its sectors; its summary; its venue, the
    venue's region and its participants' names and positions."""

    agreement = models.OneToOneField(
        "cooperation.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    title_terms = models.TextField(_("title"), blank=True)
    name_terms = models.TextField(_("parties and sectors"), blank=True)
    summary_terms = models.TextField(_("summary"), blank=True)
    other_terms = models.TextField(_("venue and participants"), blank=True)
    # On PostgreSQL a generated tsvector with a GIN index (migration 0006); NULL on SQLite.
    vector = models.GeneratedField(
        expression=WeightedSearchVector(),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["agreement"]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return str(self.agreement_id)


# --- Matching and ranking: the same terms, each database in its own way -----------------------


def _uses_postgresql(queryset):
    return connections[queryset.db].vendor == "postgresql"


def _tsquery(terms):
    # Terms are [a-z0-9]+ (cooperation.search), so they need no quoting in a tsquery.
    return SearchQuery(" & ".join(terms), config="simple", search_type="raw")


def _padded(field):
    return Concat(Value(" "), F(f"search_document__{field}"), Value(" "), output_field=TextField())


def search_match(queryset, terms):
    """Rows of ``queryset`` (agreements) whose search document holds every one of ``terms``."""
    if not terms:
        return queryset.none()
    if _uses_postgresql(queryset):
        return queryset.filter(search_document__vector=_tsquery(terms))
    # Elsewhere: each term, with a space either side, in the document's fields side by side.
    everything = Concat(
        *(part for field in SEARCH_FIELDS for part in (Value(" "), F(f"search_document__{field}"))),
        Value(" "),
        output_field=TextField(),
    )
    return queryset.alias(search_text=everything).filter(
        *(Q(search_text__contains=f" {term} ") for term in terms)
    )


def search_rank(queryset, terms):
    """Annotate ``search_rank`` (higher is better) for ``terms``: PostgreSQL's ``ts_rank`` of
    the weighted vector; elsewhere the number of times each term occurs in each field, times
    the field's weight."""
    if not terms:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if _uses_postgresql(queryset):
        return queryset.annotate(
            search_rank=SearchRank(F("search_document__vector"), _tsquery(terms))
        )
    score = Value(0.0, output_field=FloatField())
    for field, (_weight, rank) in SEARCH_FIELDS.items():
        for term in terms:
            needle = f" {term} "
            removed = Length(_padded(field)) - Length(Replace(_padded(field), Value(needle)))
            score = score + Cast(removed, FloatField()) * (rank / len(needle))
    return queryset.annotate(search_rank=score)
