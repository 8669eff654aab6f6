"""Admin for regions, organisations, officials, positions and tenures.

Every model keeps its history (django-simple-history): the history view shows each change and,
for users who may change the record, reverts it. No changelist issues a query per row: every
column that follows a relation is covered by ``list_select_related`` or a prefetch.
"""

import re

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NestedObjects
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.db.models import Max, Min, Prefetch, Q
from django.forms.models import _get_foreign_key
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name

from .models import Organisation, Person, Position, Region, Tenure
from .pagination import CappedCountPaginator


def is_storable_key(field, value, using):
    """Whether ``value`` can be looked up in ``field`` (a key) without the query failing: a
    key field that is a number refuses "0.0" and numbers too large for the database."""
    try:
        key = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(key, int):
        low, high = connections[using].ops.integer_field_range(field.get_internal_type())
        return (low is None or key >= low) and (high is None or key <= high)
    return True


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks the submitted ids up again to show them; an id the
    database cannot hold makes that query crash. The form field already reports such an id as
    an invalid choice, so the widget leaves it out."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        # A foreign key names the field it points to; a many-to-many points to the primary key.
        field_name = getattr(remote, "field_name", None)
        target = remote.model._meta.get_field(field_name) if field_name else remote.model._meta.pk
        using = self.db or router.db_for_read(remote.model)
        value = [v for v in value if is_storable_key(target, v, using)]
        known = getattr(self, "known", None)
        if known is not None and {str(v) for v in value if v not in (None, "")} == {
            str(getattr(known, target.attname))
        }:
            # The form's own record is already loaded (``SafeAutocompleteMixin``): no query.
            return self.known_optgroups(name, known, target)
        return super().optgroups(name, value, attr)

    def known_optgroups(self, name, record, target):
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        key = getattr(record, target.attname)
        label = self.choices.field.label_from_instance(record)
        options.append(self.create_option(name, key, label, {str(key)}, len(options)))
        return [(None, options, 0)]


def autocomplete_widget(field):
    """The ``SafeAutocompleteSelect`` of a form field, inside the admin's wrapper, or None."""
    widget = getattr(field.widget, "widget", field.widget)  # RelatedFieldWidgetWrapper
    return widget if isinstance(widget, SafeAutocompleteSelect) else None


class KnownChoicesForm(forms.BaseForm):
    """A model form whose autocomplete widgets show the record's own related records when they
    are already loaded (``select_related``), rather than each widget querying for its one
    record: an inline of 50 participants would otherwise cost 100 queries."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is None:
            return
        for name, field in self.fields.items():
            widget = autocomplete_widget(field)
            if widget is None:
                continue
            model_field = instance._meta.get_field(name)
            if model_field.many_to_many:
                prefetched = getattr(instance, "_prefetched_objects_cache", {})
                if instance.pk and name in prefetched:
                    widget.known_many = list(prefetched[name])
            elif model_field.is_cached(instance):
                widget.known = getattr(instance, name)


class SafeAutocompleteSelectMultiple(SafeAutocompleteSelect, AutocompleteSelectMultiple):
    """The same for a many-to-many field (a follow-up's responsible organisations): the
    records prefetched with the rows (``known_many``) are shown without a query."""

    def optgroups(self, name, value, attr=None):
        known = getattr(self, "known_many", None)
        if known is not None and {str(v) for v in value if v not in (None, "")} == {
            str(record.pk) for record in known
        }:
            label = self.choices.field.label_from_instance
            options = [
                self.create_option(name, record.pk, label(record), True, index)
                for index, record in enumerate(known)
            ]
            return [(None, options, 0)]
        return super().optgroups(name, value, attr)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids the database cannot hold with the usual message, before Django's own check
    queries with them (SQLite raises OverflowError for a number above 2**63)."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for pk in value:
            if not isinstance(pk, str | int) or not is_storable_key(target, pk, self.queryset.db):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class SafeAutocompleteMixin:
    """Admins and inlines: record choices that never crash on an id the database cannot hold."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def autocomplete_foreign_keys(self, request):
        fields = self.get_autocomplete_fields(request)
        return [
            field.name
            for field in self.model._meta.get_fields()
            if field.name in fields and field.many_to_one
        ]

    # Inlines: each row's autocomplete choices come with the rows (KnownChoicesForm).

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if isinstance(self, admin.options.InlineModelAdmin):
            queryset = queryset.select_related(*self.autocomplete_foreign_keys(request))
        return queryset

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if not issubclass(formset.form, KnownChoicesForm):
            formset.form = type(formset.form.__name__, (KnownChoicesForm, formset.form), {})
        return formset


class RecordVersion:
    """What a change page's version token covers, and which rows its save locks.

    The token is the latest history record id of the record and of every record the page
    edits inline (the children: an agreement's parties, follow-ups ...). Every save through the
    ORM leaves a history record (django-simple-history), so any change through the admin or the
    code since the page was opened changes the token.

    Before comparing, the save locks (``SELECT ... FOR UPDATE``, inside the admin's save
    transaction) the record's row, the rows of its children, the rows of the records whose
    pages edit it inline (its parents: the agreement of a party), and the record's latest
    history record (a deleted record being restored has no row of its own). Rows are locked in
    one order (by model, then id) on every page, so two saves wait for each other instead of
    deadlocking; the second then sees the first one's history record and is refused.
    """

    def __init__(self, model, children=(), parents=()):
        self.model = model
        self.children = tuple(children)  # (model, foreign key attname to self.model)
        self.parents = tuple(parents)  # (model, foreign key attname on self.model)

    @classmethod
    def for_admin(cls, model_admin):
        """The children are the admin's inlines; the parents, the admins that show this model
        inline."""
        model = model_admin.model
        children = [
            (inline.model, _get_foreign_key(model, inline.model, inline.fk_name).attname)
            for inline in model_admin.inlines
        ]
        parents = [
            (other.model, _get_foreign_key(other.model, inline.model, inline.fk_name).attname)
            for other in model_admin.admin_site._registry.values()
            for inline in other.inlines
            if inline.model is model
        ]
        return cls(model, children, parents)

    def history_sources(self, pk):
        pk_name = self.model._meta.pk.attname
        return [self.model.history.filter(**{pk_name: pk})] + [
            child.history.filter(**{fk: pk}) for child, fk in self.children
        ]

    def current(self, pk):
        latest = [
            source.aggregate(latest=Max("history_id"))["latest"] or 0
            for source in self.history_sources(pk)
        ]
        return ".".join(str(number) for number in latest)

    def lock(self, pk):
        rows = {self.model: {pk}}
        record = self.model._base_manager.filter(pk=pk)
        for parent, fk in self.parents:
            rows.setdefault(parent, set()).update(
                value for value in record.values_list(fk, flat=True) if value is not None
            )
        for child, fk in self.children:
            rows.setdefault(child, set()).update(
                child._base_manager.filter(**{fk: pk}).values_list("pk", flat=True)
            )
        for model in sorted(rows, key=lambda model: model._meta.label):
            locked = model._base_manager.select_for_update().filter(pk__in=rows[model])
            list(locked.order_by("pk").values_list("pk"))
        pk_name = self.model._meta.pk.attname
        latest = self.model.history.select_for_update().filter(**{pk_name: pk})
        list(latest.order_by("-history_id").values_list("history_id")[:1])


class VersionCheckedForm(forms.ModelForm):
    """The change form of every ``CatalogueAdmin``: it refuses to save over someone else's
    change, and a form opened on a history record (a revert or a restore) starts from that
    record's many-to-many values as well as its fields.

    The form carries a hidden version token (``RecordVersion``) from when the page was opened;
    on save the rows are locked and the token computed again: if anyone saved in between, the
    save is refused and the officer is told to reload. ``CatalogueAdmin.get_form`` sets
    ``record_version`` and mixes this form into any form an admin declares.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    record_version = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None or self.record_version is None:
            # A new record cannot be stale; the add page does not show the field, so an error
            # on it (a tampered value) would be invisible.
            del self.fields["version"]
            return
        if not self.is_bound:
            self.initial["version"] = self.record_version.current(self.instance.pk)
            self.initial.update(historical_many_to_many(self.instance, self.fields))

    def clean(self):
        cleaned_data = super().clean()
        if "version" not in self.fields:
            return cleaned_data
        pk = self.instance.pk
        name = self._meta.model._meta.verbose_name
        token = cleaned_data.get("version")
        if not token:
            raise ValidationError(
                _(
                    "This form did not say which version of the %(name)s it was opened on, so "
                    "it could overwrite someone else's change. Reload the page and make your "
                    "changes again."
                ),
                code="missing_version",
                params={"name": name},
            )
        self.record_version.lock(pk)
        if token != self.record_version.current(pk):
            raise ValidationError(
                _(
                    "Someone else changed this %(name)s after you opened it, so your changes "
                    "were not saved. Reload the page to see the current version, then make "
                    "your changes again."
                ),
                code="stale_version",
                params={"name": name},
            )
        return cleaned_data


def historical_many_to_many(instance, fields):
    """For an instance built from a history record (``record.instance``), the values its
    many-to-many fields had then, as form initial data: simple_history keeps them, but the
    instance itself would show today's values (or none, for a deleted record)."""
    record = getattr(instance, "_history", None)
    if record is None:
        return {}
    if record.history_type == "-" and record.prev_record is not None:
        # Deleting a record deletes its many-to-many rows first: the deletion record holds
        # none of them, the record before it holds what the record had.
        record = record.prev_record
    initial = {}
    for field in record._history_m2m_fields:
        if field.name in fields:
            target = get_m2m_reverse_field_name(field)
            initial[field.name] = list(
                getattr(record, field.name).values_list(target, flat=True).order_by(target)
            )
    return initial


class VersionCheckedAdminMixin:
    """Kept so that admins written before every ``CatalogueAdmin`` checked versions still
    import; it adds nothing now."""


# At most this many rows of one inline on a change page (an inline may set a lower max_num).
# settings.DATA_UPLOAD_MAX_NUMBER_FIELDS must leave room for a page with every inline full.
INLINE_MAX_FORMS = 100


# --- Changelists at national scale -------------------------------------------------------

# The date hierarchy's parts, and the values a date can hold.
DATE_PARTS = {"year": (1, 9998), "month": (1, 12), "day": (1, 31)}


def is_clean_text(value):
    """Whether ``value`` can be compared in the database: PostgreSQL refuses NUL characters."""
    return isinstance(value, str) and "\x00" not in value


class CatalogueChangeList(ChangeList):
    """A date hierarchy value that no date can have (year 99999, month 13) is a bad lookup
    (Django then shows the list unfiltered with an error flag), not a crash."""

    def get_filters(self, request):
        if self.date_hierarchy:
            for part, (low, high) in DATE_PARTS.items():
                values = self.filter_params.get(f"{self.date_hierarchy}__{part}")
                for value in values or ():
                    if not re.fullmatch(r"[0-9]{1,4}", value) or not low <= int(value) <= high:
                        raise IncorrectLookupParameters(f"Invalid {part}: {value!r}")
        return super().get_filters(request)


class YearListFilter(admin.SimpleListFilter):
    """The years of a date field, from the first to the last, newest first.

    The first and last come from MIN and MAX queries that an index on the field answers
    without reading the rows; a year in between with no record lists an empty page. A value that is
    not a year the database can hold gives an empty list, never an error."""

    title = _("year")
    parameter_name = "year"
    field_name = "date"

    def lookups(self, request, model_admin):
        # Two queries: SQLite answers MIN or MAX from an index, not both in one query.
        manager = model_admin.model._default_manager
        first = manager.aggregate(day=Min(self.field_name))["day"]
        if first is None:
            return []
        last = manager.aggregate(day=Max(self.field_name))["day"]
        years = range(last.year, first.year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not re.fullmatch(r"[0-9]{1,4}", value) or not 1 <= int(value) <= 9998:
            return queryset.none()
        return queryset.filter(**{f"{self.field_name}__year": int(value)})


class CatalogueAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Base admin for the catalogue's models: every change page (and the page's inlines) is
    version-checked (``VersionCheckedForm``), inlines are capped, and the history view reverts
    only for users who may change the record. Its changelists stay cheap at national scale:
    no full count, list filters whose choices cost at most an index lookup (``YearListFilter``,
    or a text box with suggestions: a filter's ``media`` is the page's), and date hierarchies
    that refuse impossible dates."""

    list_per_page = 50
    form = VersionCheckedForm
    # The "N total" link counts the whole table on every filtered page.
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """Counts at most 1,000 rows beyond the page asked for (``CappedCountPaginator``): a
        search of 394,000 participants counted them all for "N results" (about a second). The
        changelist then says "More than 1,000"; each page counts as far as it needs, so its
        page links still reach the next one."""
        paginator = CappedCountPaginator(queryset, per_page, orphans, allow_empty_first_page)
        # The changelist counts before it asks for its page (ChangeList.get_results).
        paginator.requested = request.GET.get(PAGE_VAR, 1)
        return paginator

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = kwargs.get("form", self.form)
        if not issubclass(form, VersionCheckedForm):
            # An admin that declares its own form still gets the version check.
            form = type(form.__name__, (form, VersionCheckedForm), {})
        kwargs["form"] = form
        form_class = super().get_form(request, obj, change=change, **kwargs)
        form_class.record_version = RecordVersion.for_admin(self)
        return form_class

    def get_formsets_with_inlines(self, request, obj=None):
        # Every inline is capped: a form count inflated by hand in a POST is refused ("Please
        # submit at most N forms") without building N forms.
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            cap = min(formset.max_num, INLINE_MAX_FORMS)
            capped = type(formset.__name__, (formset,), {"max_num": cap, "absolute_max": cap})
            yield capped, inline

    def get_fieldsets(self, request, obj=None):
        # The hidden token goes on the change page of users who may change the record (and
        # nowhere else, so that a read-only page shows no empty row).
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "version"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets[0][1]["fields"].append("version")
        return fieldsets

    def get_changelist(self, request, **kwargs):
        return CatalogueChangeList

    @property
    def media(self):
        # A list filter that needs a script (a picker's suggestions) says so in its ``media``.
        media = super().media
        for item in self.list_filter:
            spec = item[1] if isinstance(item, tuple) else item
            media += getattr(spec, "media", None) or forms.Media()
        return media

    def get_search_results(self, request, queryset, search_term):
        if not is_clean_text(search_term):
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not re.fullmatch(r"[0-9]{1,18}", str(version_id)):
            raise Http404("No such version.")
        # As the change view, in one transaction: a version-checked form locks the row.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return self._history_form_view(request, object_id, version_id, extra_context)

    def _history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a POSTed revert form for anyone who may *view* the history;
        # reverting is a change, so a view-only user (the Viewer group) is refused.
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            if obj is None:
                # A deleted record: restoring it adds it back.
                allowed = self.has_add_permission(request) and self.has_change_permission(request)
            else:
                allowed = self.has_change_permission(request, obj)
            if not allowed:
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_deleted_objects(self, objs, request):
        """As Django's, but a protected part of an agreement (a party, a participant, a
        follow-up) also names its agreement, so the refusal says which agreement uses it."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            collector = NestedObjects(using=router.db_for_write(self.model))
            collector.collect(objs)
            protected = [describe_protected(obj) for obj in collector.protected]
        return deleted, model_count, perms_needed, protected


def admin_link(obj):
    """``Verbose name: <a href="change page">obj</a>``, or without a link if not registered."""
    opts = obj._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return format_html("{}: {}", capfirst(opts.verbose_name), obj)
    return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)


def describe_protected(obj):
    agreement = getattr(obj, "agreement", None)
    if agreement is None:
        return admin_link(obj)
    return format_html("{} ({})", admin_link(obj), admin_link(agreement))


class ProvinceListFilter(admin.SimpleListFilter):
    title = _("province")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return [(region.code, str(region)) for region in Region.objects.provinces()]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not is_clean_text(self.value()):
            return queryset.none()
        return self.in_province(queryset, self.value())

    def in_province(self, queryset, code):
        return queryset.filter(province__code=code)


class CountryListFilter(admin.SimpleListFilter):
    """The countries that organisations belong to (a few dozen), not every country."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        used = set(Organisation.objects.order_by().values_list("country", flat=True).distinct())
        return [(code, name) for code, name in countries if code in used]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not is_clean_text(self.value()):
            return queryset.none()
        return queryset.filter(country=self.value())


@admin.register(Region)
class RegionAdmin(CatalogueAdmin):
    list_display = ["code", "name", "kind", "regency", "province"]
    list_display_links = ["code", "name"]
    list_filter = ["kind", ProvinceListFilter]
    search_fields = ["code", "name"]
    list_select_related = ["province", "regency"]
    autocomplete_fields = ["province", "regency"]
    list_per_page = 100


class TenureFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """The same official in the same post twice on one page, from the same start (or both
        from an unknown one): the database's unique constraints refuse it, and the formset's own
        check skips the conditional one, so the second row says so here."""
        seen = set()
        for form in self.forms:
            if not form.is_valid() or self.can_delete and self._should_delete_form(form):
                continue
            person, position = form.cleaned_data.get("person"), form.cleaned_data.get("position")
            if person is None or position is None:
                continue
            start = form.cleaned_data.get("start_date")
            # An official or post being added has no pk yet: the object stands for itself.
            key = (person.pk or id(person), position.pk or id(position), start)
            if key in seen:
                if start is None:
                    message = _("This official already holds this post from an unknown date.")
                else:
                    message = _("This official already holds this post from that date.")
                form.add_error("start_date", message)
            seen.add(key)
        super().clean()


class TenureInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Tenure
    formset = TenureFormSet
    extra = 0
    fields = ["person", "position", "start_date", "end_date", "is_acting", "source_note"]
    autocomplete_fields = ["person", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "position")


class PersonTenureInline(TenureInline):
    verbose_name_plural = _("posts held")


class PositionTenureInline(TenureInline):
    verbose_name_plural = _("holders of this post")


class OrganisationProvinceListFilter(ProvinceListFilter):
    """Organisations of the province or of a regency or city in it (38 choices, whatever the
    number of organisations)."""

    def in_province(self, queryset, code):
        return queryset.filter(Q(region__code=code) | Q(region__province__code=code))


@admin.register(Organisation)
class OrganisationAdmin(CatalogueAdmin):
    list_display = ["name", "short_name", "kind", "parent", "region", "country"]
    list_filter = ["kind", CountryListFilter, OrganisationProvinceListFilter]
    search_fields = ["name", "short_name", "slug"]
    list_select_related = ["parent", "region"]
    autocomplete_fields = ["parent", "region"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(CatalogueAdmin):
    list_display = ["full_name", "name", "posts"]
    list_display_links = ["full_name"]
    search_fields = ["name", "slug", "honorific_prefix", "honorific_suffix"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PersonTenureInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("tenures", queryset=Tenure.objects.select_related("position"))
            )
        )

    @admin.display(description=_("full name"), ordering="name")
    def full_name(self, person):
        return person.full_name

    @admin.display(description=_("posts"))
    def posts(self, person):
        # Uses the prefetched tenures: no query per row.
        return ", ".join(sorted({tenure.position.title for tenure in person.tenures.all()}))


@admin.register(Position)
class PositionAdmin(CatalogueAdmin):
    list_display = ["title", "organisation", "role"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["title", "slug", "organisation__name", "organisation__short_name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PositionTenureInline]


@admin.register(Tenure)
class TenureAdmin(CatalogueAdmin):
    list_display = ["person", "position", "start_date", "end_date", "is_acting"]
    list_display_links = ["person", "position"]
    list_filter = ["is_acting", "position__role"]
    search_fields = ["person__name", "position__title", "position__organisation__name"]
    list_select_related = ["person", "position"]
    autocomplete_fields = ["person", "position"]
    date_hierarchy = "start_date"
