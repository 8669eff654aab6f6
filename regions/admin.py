"""Admin for regions, organisations, officials, positions and tenures.

Every model keeps its history (django-simple-history): the history view shows each change and,
for users who may change the record, reverts it. No changelist issues a query per row: every
column that follows a relation is covered by ``list_select_related`` or a prefetch.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.db.models import Max, Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, Person, Position, Region, Tenure


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
        target = remote.model._meta.get_field(remote.field_name)
        using = self.db or router.db_for_read(remote.model)
        value = [v for v in value if is_storable_key(target, v, using)]
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
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class VersionCheckedForm(forms.ModelForm):
    """A change form that refuses to save over someone else's change.

    The form carries a hidden version token: the latest history record ids of the record (and
    of whatever ``history_sources`` adds) when the page was opened. On save the record's row is
    locked (``SELECT ... FOR UPDATE`` where the database supports it, inside the admin's save
    transaction) and the token is computed again: if anyone saved in between, the save is
    refused and the officer is told to reload. Every save through the ORM leaves a history
    record (django-simple-history), so any change through the admin or the code counts.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A new record cannot be stale; the add page does not show the field, so an error
            # on it (a tampered value) would be invisible.
            del self.fields["version"]
        elif not self.is_bound:
            self.initial["version"] = self.current_version(self.instance.pk)

    @classmethod
    def history_sources(cls, pk):
        """Historical querysets whose latest record id is part of the version token."""
        return [cls._meta.model.history.filter(id=pk)]

    @classmethod
    def lock(cls, pk):
        """Lock the record's row until the save transaction ends."""
        list(cls._meta.model._base_manager.select_for_update().filter(pk=pk).values_list("pk"))

    @classmethod
    def current_version(cls, pk):
        latest = [
            source.aggregate(latest=Max("history_id"))["latest"] or 0
            for source in cls.history_sources(pk)
        ]
        return ".".join(str(number) for number in latest)

    def clean(self):
        cleaned_data = super().clean()
        pk = self.instance.pk
        if pk is None:
            return cleaned_data
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
        self.lock(pk)
        if token != self.current_version(pk):
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


class VersionCheckedAdminMixin:
    """Admin side of ``VersionCheckedForm``: the hidden token goes on the change page of users
    who may change the record (and nowhere else, so a read-only page shows no empty row)."""

    form = VersionCheckedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "version"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets[0][1]["fields"].append("version")
        return fieldsets


class CatalogueAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Base admin for the catalogue's models: history view with a guarded revert."""

    list_per_page = 50

    def history_form_view(self, request, object_id, version_id, extra_context=None):
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
        if self.value():
            return queryset.filter(province__code=self.value())
        return queryset


@admin.register(Region)
class RegionAdmin(CatalogueAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_display_links = ["code", "name"]
    list_filter = ["kind", ProvinceListFilter]
    search_fields = ["code", "name"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]
    list_per_page = 100


class TenureInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Tenure
    extra = 0
    fields = ["person", "position", "start_date", "end_date", "is_acting", "source_note"]
    autocomplete_fields = ["person", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "position")


class PersonTenureInline(TenureInline):
    verbose_name_plural = _("posts held")


class PositionTenureInline(TenureInline):
    verbose_name_plural = _("holders of this post")


@admin.register(Organisation)
class OrganisationAdmin(CatalogueAdmin):
    list_display = ["name", "short_name", "kind", "parent", "region", "country"]
    list_filter = ["kind", "country", ("region", admin.RelatedOnlyFieldListFilter)]
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
