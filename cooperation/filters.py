"""Filters for the public catalogue's lists (django-filter).

Every filter is declared explicitly. Values that name a record (a region, an organisation, a
sector) are looked up by their natural key (code or slug), so a filtered list is a readable link;
the organisations, sectors and countries offered are those the reader may know of
(cooperation/selectors.py), never one known only through drafts.
Bad input becomes a form error, never a database error: text fields reject NUL characters
(Django's CharField does so) and the record choices do the same before they query.
"""

import datetime
import re
from functools import partial

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from regions.models import Region

from .models import Agreement, FollowUp, Party
from .search import query_terms
from .selectors import reader, visible_foreign_countries, visible_organisations, visible_sectors


class DateInput(forms.DateInput):
    """A date picker (``type="date"``). A value that is not a date (2025-02-30) is not put back
    into it: the HTML standard allows only a valid date there, and the field's error already
    says what was wrong."""

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, str):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


DATE_WIDGET = DateInput(format="%Y-%m-%d")


class NumberInput(forms.NumberInput):
    """A number field that, like ``DateInput``, puts back only a valid number."""

    def format_value(self, value):
        if isinstance(value, str) and not re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", value):
            return None
        return super().format_value(value)


SEARCH_MAX_LENGTH = 200


class SafeModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that rejects NUL characters before it looks the value up.

    PostgreSQL cannot compare text containing NUL, so the lookup itself would fail.
    """

    def to_python(self, value):
        if isinstance(value, str):
            ProhibitNullCharactersValidator()(value)
        return super().to_python(value)


class SafeModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = SafeModelChoiceField


class SearchField(forms.CharField):
    """Words to search for: at least one that the search can use."""

    def clean(self, value):
        value = super().clean(value)  # length and NUL characters first
        if value and not query_terms(value):
            raise forms.ValidationError(
                _(
                    "There is no word to search for here: type a word of at least two letters "
                    "(titles such as Prof. or H. are ignored)."
                ),
                code="no_search_terms",
            )
        return value


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class YearFilter(django_filters.Filter):
    """A calendar year between 1945 and 2100 (a larger year is not a date the database knows)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", NumberInput)
        kwargs.setdefault("min_value", 1945)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


def known_organisations(request):
    return visible_organisations(reader(request))


def known_sectors(request):
    return visible_sectors(reader(request))


class AgreementFilter(django_filters.FilterSet):
    q = SearchFilter(
        label=_("Search"),
        method="filter_text",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_(
            "Every word must appear: in the title, the summary, a party's name, a sector, the "
            "venue or a participant's name. Other forms of a word count too (sampah, "
            "persampahan)."
        ),
    )
    region = SafeModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        method="filter_region",
        empty_label=_("All regions"),
        help_text=_("A province includes its regencies and cities."),
    )
    partner = SafeModelChoiceFilter(
        label=_("Partner organisation"),
        queryset=known_organisations,
        to_field_name="slug",
        method="filter_partner",
        empty_label=_("All organisations"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Agreement.Kind.choices, empty_label=_("All kinds")
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Agreement.Stage.choices, empty_label=_("All stages")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=Agreement.Category.choices,
        method="filter_category",
        empty_label=_("All categories"),
    )
    sector = SafeModelChoiceFilter(
        label=_("Sector"),
        queryset=known_sectors,
        to_field_name="slug",
        field_name="sectors",
        empty_label=_("All sectors"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country of a foreign partner"),
        choices=(),  # set per reader in __init__
        method="filter_country",
        empty_label=_("Any country"),
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=DATE_WIDGET
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="date", lookup_expr="lte", widget=DATE_WIDGET
    )
    year = YearFilter(label=_("Year"), field_name="date", lookup_expr="year")
    open_follow_ups = django_filters.BooleanFilter(
        label=_("Has open follow-ups"),
        method="filter_open_follow_ups",
        widget=forms.CheckboxInput,
    )
    order = django_filters.OrderingFilter(
        label=_("Order by"),
        # "stage" orders by the life cycle (AgreementQuerySet.with_stage_order), not by name.
        fields=(("date", "date"), ("title", "title"), ("stage_order", "stage")),
        field_labels={
            "date": _("date (oldest first)"),
            "-date": _("date (newest first)"),
            "title": _("title (A to Z)"),
            "-title": _("title (Z to A)"),
            "stage": _("stage (exploration first)"),
            "-stage": _("stage (ended first)"),
        },
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Agreement
        fields = [
            "q",
            "region",
            "partner",
            "kind",
            "stage",
            "category",
            "sector",
            "country",
            "date_from",
            "date_to",
            "year",
            "open_follow_ups",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices follow what this reader may know of (cooperation/selectors.py).
        self.filters["country"].extra["choices"] = partial(
            visible_foreign_countries, reader(self.request)
        )

    def filter_text(self, queryset, name, value):
        if not value:
            return queryset
        queryset = queryset.search(value)
        if self.form.cleaned_data.get("order"):
            return queryset  # the reader chose an order
        # Most relevant first; ties in the list's usual order.
        return queryset.with_search_rank(value).order_by("-search_rank", *Agreement._meta.ordering)

    def filter_region(self, queryset, name, value):
        return queryset.for_region(value) if value else queryset

    def filter_partner(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(Party.objects.filter(agreement=OuterRef("pk"), organisation=value))
        )

    def filter_category(self, queryset, name, value):
        # The stored category (cooperation.derived keeps it equal to with_category()).
        return queryset.filter(category=value) if value else queryset

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(Party.objects.filter(agreement=OuterRef("pk"), organisation__country=value))
        )

    def filter_open_follow_ups(self, queryset, name, value):
        return queryset.with_open_follow_ups() if value else queryset


class FollowUpFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=FollowUp.Status.choices, empty_label=_("All statuses")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    responsible = SafeModelChoiceFilter(
        label=_("Responsible organisation"),
        queryset=known_organisations,
        to_field_name="slug",
        empty_label=_("All organisations"),
    )
    region = SafeModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        method="filter_region",
        empty_label=_("All regions"),
        help_text=_("A province includes its regencies and cities."),
    )
    due_from = django_filters.DateFilter(
        label=_("Due from"), field_name="due_date", lookup_expr="gte", widget=DATE_WIDGET
    )
    due_to = django_filters.DateFilter(
        label=_("Due until"), field_name="due_date", lookup_expr="lte", widget=DATE_WIDGET
    )

    class Meta:
        model = FollowUp
        fields = ["status", "overdue", "responsible", "region", "due_from", "due_to"]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_region(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(agreement__region_links__region=value)
