"""Filters for the public catalogue's lists (django-filter).

Every filter is declared explicitly. Values that name a record (a region, an organisation, a
sector) are looked up by their natural key (code or slug), so a filtered list is a readable link;
the organisations, sectors and countries offered are those the reader may know of
(cooperation/selectors.py), never one known only through drafts.
Bad input becomes a form error, never a database error: text fields reject NUL characters
(Django's CharField does so) and the record choices do the same before they query.
"""

import datetime
import functools
import re

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Exists, OuterRef
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import caching, selectors
from .models import Agreement, AgreementRegion, FollowUp, Party, Term, can_see_drafts
from .search import query_terms
from .selectors import filter_choices, reader, visible_sectors


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


class ReaderChoices:
    """A field's choices for one reader, found when the field is rendered or validated (not
    when the form is built: exports and the API never render it), from
    ``selectors.filter_choices``; ``first`` goes before them (a select's empty choice). The
    form's copy of the field shares it rather than copying the reader."""

    def __init__(self, user, kind, first=()):
        self.user, self.kind, self.first = user, kind, list(first)

    def __call__(self):
        return [*self.first, *filter_choices(self.user)[self.kind]]

    def __deepcopy__(self, memo):
        return self


class CachedChoicesModelChoiceFilter(SafeModelChoiceFilter):
    """A record filter whose select lists cached choices (``ReaderChoices``) instead of
    reading its queryset on every page; the value chosen is still looked up in the queryset."""

    def __init__(self, *args, choices_kind, **kwargs):
        self.choices_kind = choices_kind
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            field = super().field
            user = reader(getattr(self.parent, "request", None))
            field.choices = ReaderChoices(user, self.choices_kind, [("", field.empty_label)])
        return self._field


class CachedFieldGroup(forms.BoundField):
    """A filter form's field whose HTML (label, help, widget and every option) is rendered
    once per form, reader kind and language while the reader has not filled it in, then read
    from ``caching.cached_briefly`` (as its choices are: a write seen by this process renders
    it afresh at once, another process's within a minute). A list page with one filter renders
    one field of sixteen; the form was a fifth of the page's Python (README, Performance).
    A field with a value, an error or choices changed for this page (facets) renders afresh."""

    def as_field_group(self):
        form = self.form
        scope = getattr(form, "cache_scope", None)
        if (
            scope is None
            or self.html_name in form.data
            or self.name in form.fresh_fields
            or self.errors
        ):
            return super().as_field_group()
        form_class = type(form)
        name = (
            f"field-group:{form_class.__module__}.{form_class.__qualname__}:{self.html_name}:"
            f"{scope}:{get_language()}"
        )
        return caching.cached_briefly(name, super().as_field_group)


class CachedFieldsForm(forms.Form):
    """The form of a filter set whose empty fields render from the cache (``CachedFieldGroup``).
    ``cache_scope`` says what else the fields' HTML depends on (the reader's kind, for the
    choices of records they may know of); None renders every field afresh. ``fresh_fields``
    names the fields whose choices this page changed."""

    bound_field_class = CachedFieldGroup
    cache_scope = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fresh_fields = set()


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


class LookupField(forms.CharField):
    """A record named in a text box: by its code or slug, by "name (code)" as the picker fills
    it in, or by words of its name. Works without JavaScript; ``static/js/picker.js`` only
    suggests. The cleaned value is the record; no match, or several, is a form error."""

    SHOWN_CHOICES = 5

    def __init__(self, *, matches=None, describe=None, no_match="", several="", url="", **kw):
        self.matches, self.describe = matches, describe
        self.no_match, self.several = no_match, several
        kw.setdefault("max_length", 200)
        kw.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "data-picker": url,
                    "data-picker-found": _("%s suggestions: choose one with the arrow keys."),
                    "data-picker-none": _("No suggestions."),
                    "autocomplete": "off",
                    "spellcheck": "false",
                }
            ),
        )
        super().__init__(**kw)

    def clean(self, value):
        text = super().clean(value)  # length and NUL characters first
        if not text:
            return None
        found = self.matches(text, limit=self.SHOWN_CHOICES + 1)
        if len(found) == 1:
            self.chosen = (value, found[0])
            return found[0]
        if not found:
            raise forms.ValidationError(self.no_match, code="no_match")
        choices = ", ".join(self.describe(record)["text"] for record in found[: self.SHOWN_CHOICES])
        if len(found) > self.SHOWN_CHOICES:
            choices += ", …"
        raise forms.ValidationError(self.several, code="several", params={"choices": choices})

    def prepare_value(self, value):
        # The record found shows as the picker would fill it in: "Provinsi Banten (36)".
        chosen = getattr(self, "chosen", None)
        if chosen and chosen[0] == value:
            return self.describe(chosen[1])["text"]
        return super().prepare_value(value)


class LookupFilter(django_filters.Filter):
    """A filter on a record chosen with a ``LookupField``; ``matches(user, text)`` says which
    records a text names (``cooperation.selectors``)."""

    field_class = LookupField

    def __init__(self, *args, matches, **kwargs):
        self.match_for_user = matches
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            request = getattr(self.parent, "request", None)
            user = getattr(request, "user", None) or AnonymousUser()
            self.extra["matches"] = functools.partial(self.match_for_user, user)
            super().field  # noqa: B018  (builds self._field)
        return self._field


def _regions_for(user, text, limit):
    return selectors.matching_regions(text, limit)


REGION_LOOKUP = {
    "matches": _regions_for,
    "describe": selectors.region_choice,
    "url": reverse_lazy("cooperation:pick_region"),
    "no_match": _("No region has this code or name."),
    "several": _("Several regions match: %(choices)s. Choose one, or type its code."),
}
ORGANISATION_LOOKUP = {
    "matches": selectors.matching_organisations,
    "describe": selectors.organisation_choice,
    "url": reverse_lazy("cooperation:pick_organisation"),
    "no_match": _("No organisation in the catalogue has this name or short name."),
    "several": _("Several organisations match: %(choices)s. Choose one, or type more of its name."),
}


class YearFilter(django_filters.Filter):
    """A calendar year between 1945 and 2100 (a larger year is not a date the database knows)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", NumberInput)
        kwargs.setdefault("min_value", 1945)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


def known_sectors(request):
    return visible_sectors(reader(request))


def _facet_label(label, count):
    return format_lazy("{label} ({count})", label=label, count=intcomma(count))


class AgreementFilter(django_filters.FilterSet):
    q = SearchFilter(
        label=_("Search"),
        method="filter_text",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_(
            "Every word must appear: in the title, the summary, a party's name, a sector, the "
            "venue, the site or a participant's name. Other forms of a word count too (sampah, "
            "persampahan)."
        ),
    )
    region = LookupFilter(
        label=_("Region"),
        method="filter_region",
        help_text=_(
            "A name or a code (36 for Banten). A region includes the regions under it: a "
            "province its regencies and cities, a regency or city its districts."
        ),
        **REGION_LOOKUP,
    )
    partner_region = LookupFilter(
        label=_("Together with region"),
        method="filter_partner_region",
        help_text=_(
            "Only agreements that also concern this region: with Region, the cooperation "
            "between the two regions."
        ),
        **REGION_LOOKUP,
    )
    partner = LookupFilter(
        label=_("Partner organisation"),
        method="filter_partner",
        help_text=_("A name or a short name (Pemkab Serang)."),
        **ORGANISATION_LOOKUP,
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
    sector = CachedChoicesModelChoiceFilter(
        label=_("Sector"),
        queryset=known_sectors,
        choices_kind="sectors",
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
        label=_("Date from"), field_name="date", lookup_expr="gte", widget=DATE_WIDGET
    )
    date_to = django_filters.DateFilter(
        label=_("Date to"), field_name="date", lookup_expr="lte", widget=DATE_WIDGET
    )
    year = YearFilter(label=_("Year"), field_name="date", lookup_expr="year")
    open_follow_ups = django_filters.BooleanFilter(
        label=_("Has open follow-ups"),
        method="filter_open_follow_ups",
        widget=forms.CheckboxInput,
    )
    in_force = django_filters.BooleanFilter(
        label=_("In force today"),
        method="filter_in_force",
        widget=forms.CheckboxInput,
    )
    evaluation_due = django_filters.BooleanFilter(
        label=_("In force, no evaluation in the last 6 months"),
        method="filter_evaluation_due",
        widget=forms.CheckboxInput,
    )
    money_terms = django_filters.BooleanFilter(
        label=_("Has money terms (payment, aid or compensation)"),
        method="filter_money_terms",
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
            "-stage": _("stage (terminated first)"),
        },
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Agreement
        form = CachedFieldsForm
        fields = [
            "q",
            "region",
            "partner_region",
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
            "in_force",
            "evaluation_due",
            "money_terms",
        ]

    def __init__(self, *args, only=None, **kwargs):
        """``only``: the names of the filters to offer and apply (the statistics page offers
        the region, the year and the category); every filter by default."""
        super().__init__(*args, **kwargs)
        # Choices follow what this reader may know of (cooperation/selectors.py).
        self.filters["country"].extra["choices"] = ReaderChoices(reader(self.request), "countries")
        if only is not None:
            self.filters = {name: self.filters[name] for name in only}

    @property
    def form(self):
        form = super().form
        if form.cache_scope is None:
            # The sector and country choices are those this kind of reader may know of.
            form.cache_scope = "drafts" if can_see_drafts(reader(self.request)) else "published"
        return form

    def show_facets(self, facets):
        """Put the number of current results beside each stage, kind, category and sector
        choice: "in implementation (12)". ``facets`` comes from selectors.agreement_facets."""
        form = self.form
        for name, counts in facets.items():  # sectors by slug
            form.fresh_fields.add(name)
            field = form.fields[name]
            # django-filter's choice fields put their empty choice ("All stages") first
            # themselves: given it again, they showed it twice.
            adds_empty = isinstance(field, django_filters.fields.ChoiceIteratorMixin)
            field.choices = [
                (value, _facet_label(label, counts.get(value, 0)) if value else label)
                for value, label in field.choices
                if value or not adds_empty
            ]

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

    def filter_partner_region(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(AgreementRegion.objects.filter(agreement=OuterRef("pk"), region=value))
        )

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

    def filter_in_force(self, queryset, name, value):
        return queryset.in_force() if value else queryset

    def filter_evaluation_due(self, queryset, name, value):
        return queryset.evaluation_due() if value else queryset

    def filter_money_terms(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Term.objects.money().filter(agreement=OuterRef("pk"))))


class FollowUpFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=FollowUp.Status.choices, empty_label=_("All statuses")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    responsible = LookupFilter(
        label=_("Responsible organisation"),
        field_name="responsible_organisations",
        help_text=_("A name or a short name (Pemkab Serang)."),
        **ORGANISATION_LOOKUP,
    )
    region = LookupFilter(
        label=_("Region"),
        method="filter_region",
        help_text=_(
            "A name or a code (36 for Banten). A region includes the regions under it: a "
            "province its regencies and cities, a regency or city its districts."
        ),
        **REGION_LOOKUP,
    )
    due_from = django_filters.DateFilter(
        label=_("Due from"), field_name="due_date", lookup_expr="gte", widget=DATE_WIDGET
    )
    due_to = django_filters.DateFilter(
        label=_("Due until"), field_name="due_date", lookup_expr="lte", widget=DATE_WIDGET
    )
    # The agreement's year and category, as the agreement list and the statistics take them.
    year = YearFilter(
        label=_("Year of the agreement"), field_name="agreement__date", lookup_expr="year"
    )
    category = django_filters.ChoiceFilter(
        label=_("Category of the agreement"),
        choices=Agreement.Category.choices,
        field_name="agreement__category",
        empty_label=_("All categories"),
    )

    class Meta:
        model = FollowUp
        fields = [
            "status",
            "overdue",
            "responsible",
            "region",
            "due_from",
            "due_to",
            "year",
            "category",
        ]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_region(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(agreement__region_links__region=value)
