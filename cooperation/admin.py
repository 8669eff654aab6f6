"""Admin for agreements and their parts, sectors and sources.

An agreement is edited on one page with its parties, participants, follow-up actions, sources
and documents. No changelist issues a query per row: the derived category is stored on the
agreement (``cooperation.derived``) and many-relations are prefetched. Every list filter's
choices are cheap at national scale: a fixed list, an index-answered query, or a text box that
names a region or an organisation, with suggestions, as on the public lists.
"""

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.forms.widgets import Script
from django.http import HttpResponse, QueryDict
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX

from regions.admin import (
    CatalogueAdmin,
    CatalogueChangeList,
    SafeAutocompleteMixin,
    YearListFilter,
    admin_link,
    is_clean_text,
)

from . import derived
from .filters import ORGANISATION_LOOKUP, REGION_LOOKUP, LookupField
from .imports import AgreementResource, import_template
from .models import (
    Agreement,
    AgreementRelation,
    Citation,
    Document,
    Evaluation,
    FollowUp,
    FollowUpOccurrence,
    OrganisationContact,
    Participant,
    Party,
    ReminderSent,
    ReminderSubscription,
    Sector,
    SiteIdentity,
    Source,
    Term,
    is_new_upload,
)
from .services import agreement_restore_parts, follow_up_schedule

# --- Checks that warn after a save ---------------------------------------------------------


def may_delete_published(user):
    return user.has_perm("cooperation.delete_published_agreement")


def warn_posts_not_recorded(request, participants):
    """A warning for each of ``participants`` whose post on the agreement's date the
    catalogue's tenures do not record (``ParticipantQuerySet.with_post_recorded``): tenures
    may be incomplete, so the participant is saved all the same."""
    unrecorded = participants.post_not_recorded().select_related("person", "position", "agreement")
    for participant in unrecorded:
        messages.warning(
            request,
            format_html(
                gettext(
                    "Check {official}: the catalogue's tenures do not record them as "
                    "{position} on {date}. The participant was saved; if the source is right, "
                    'add the tenure on <a href="{url}">the official\'s page</a>.'
                ),
                official=participant.person.full_name,
                position=participant.position.title,
                date=formats.date_format(participant.agreement.date, "j F Y"),
                url=reverse("admin:regions_person_change", args=[participant.person_id]),
            ),
        )


def warn_same_event(request, agreement):
    """A warning, with a link, when another agreement has the same date, kind and parties
    (``AgreementQuerySet.same_event_as``): most likely the same event entered twice."""
    for other in Agreement.objects.same_event_as(agreement)[:5]:
        messages.warning(
            request,
            format_html(
                gettext(
                    'Another agreement has the same date, kind and parties: <a href="{url}">'
                    "{title}</a>. Check that this one is not the same agreement entered twice."
                ),
                url=reverse("admin:cooperation_agreement_change", args=[other.pk]),
                title=other.title,
            ),
        )


# --- Agreement list filters --------------------------------------------------------------


class PublishedListFilter(admin.BooleanFieldListFilter):
    """The published flag's filter, titled for what it sorts by ("Berdasarkan status terbit")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("publication status")


class CategoryListFilter(admin.SimpleListFilter):
    """KSDD, KSDPK, KSDPL or KSDLL: the stored category (derived from the parties)."""

    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return Agreement.Category.choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.value() not in Agreement.Category.values:
            return queryset.none()  # not a category (PostgreSQL refuses NUL characters)
        return queryset.filter(category=self.value())


class SectorListFilter(admin.SimpleListFilter):
    """Agreements of a sector, as an EXISTS (Django's own filter on a many-to-many field
    makes the list SELECT DISTINCT over every column)."""

    title = _("sector")
    parameter_name = "sector"

    def lookups(self, request, model_admin):
        return [(sector.slug, str(sector)) for sector in Sector.objects.all()]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not is_clean_text(self.value()):
            return queryset.none()
        through = Agreement.sectors.through.objects.filter(
            agreement=OuterRef("pk"), sector__slug=self.value()
        )
        return queryset.filter(Exists(through))


class LookupListFilter(admin.SimpleListFilter):
    """A list filter over a big table (regions, organisations): a text box that names one
    record, the public lists' ``LookupField`` (a code, a slug, "name (code)" as the picker fills
    it in, or words of the name; none or several found is an error under the box and an empty
    list), with suggestions from the public pickers (``static/js/picker.js``). Its lookups list
    nothing; the chosen record costs a query or two."""

    template = "admin/lookup_filter.html"
    lookup = None  # REGION_LOOKUP or ORGANISATION_LOOKUP (cooperation.filters)
    media = forms.Media(
        js=[Script("js/picker.js", defer=True)], css={"screen": ["css/admin-picker.css"]}
    )

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        options = {
            **self.lookup,
            "matches": functools.partial(self.lookup["matches"], request.user),
        }
        value = self.value()
        self.form = forms.Form(
            None if value is None else {self.parameter_name: value}, auto_id="filter_%s"
        )
        self.form.fields[self.parameter_name] = LookupField(
            label=self.title, required=False, **options
        )

    def lookups(self, request, model_admin):
        return []

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not self.form.is_valid():
            return queryset.none()
        chosen = self.form.cleaned_data[self.parameter_name]
        return queryset if chosen is None else self.filter_chosen(queryset, chosen)

    def filter_chosen(self, queryset, chosen):
        raise NotImplementedError

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("All"),
        }
        others = changelist.get_query_string(remove=[self.parameter_name, "p"])
        yield {
            "lookup": True,
            "field": self.form[self.parameter_name],
            "hidden": list(QueryDict(others[1:]).lists()),
        }


class RegionListFilter(LookupListFilter):
    """A province includes its regencies and cities (``AgreementQuerySet.for_region``)."""

    title = _("region")
    parameter_name = "region"
    lookup = REGION_LOOKUP

    def filter_chosen(self, queryset, region):
        return queryset.for_region(region)


class PartnerListFilter(LookupListFilter):
    title = _("partner organisation")
    parameter_name = "partner"
    lookup = ORGANISATION_LOOKUP

    def filter_chosen(self, queryset, organisation):
        parties = Party.objects.filter(agreement=OuterRef("pk"), organisation=organisation)
        return queryset.filter(Exists(parties))


class PartyOrganisationListFilter(LookupListFilter):
    title = _("organisation")
    parameter_name = "organisation"
    lookup = ORGANISATION_LOOKUP

    def filter_chosen(self, queryset, organisation):
        return queryset.filter(organisation=organisation)


class ResponsibleListFilter(LookupListFilter):
    title = _("responsible organisation")
    parameter_name = "responsible"
    lookup = ORGANISATION_LOOKUP

    def filter_chosen(self, queryset, organisation):
        return queryset.filter(responsible_organisations=organisation)


class DueYearListFilter(YearListFilter):
    title = _("year due")
    parameter_name = "due_year"
    field_name = "due_date"


class PublicationYearListFilter(YearListFilter):
    title = _("year of publication")
    parameter_name = "year"
    field_name = "published_on"


class AgreementChangeList(CatalogueChangeList):
    """The agreement list at national scale: the long texts are not read, and a search lists
    the most relevant first (as the public list does) unless the officer sorts by a column."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer("summary", "data_notes", "staff_notes")

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        if ORDER_VAR not in self.params and "search_rank" in queryset.query.annotations:
            return ["-search_rank", *ordering]
        return ordering


# --- Agreement and its inlines -----------------------------------------------------------


class PartyFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """The same organisation twice on the page: the second form's error names it (the
        formset's own duplicate check would only say "organisation")."""
        seen = set()
        for form in self.forms:
            if not form.is_valid() or self.can_delete and self._should_delete_form(form):
                continue
            organisation = form.cleaned_data.get("organisation")
            if organisation is None:
                continue
            if organisation.pk in seen:
                form.add_error("organisation", Party.repeated_message(organisation))
            seen.add(organisation.pk)
        super().clean()


class PartyInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Party
    formset = PartyFormSet
    extra = 0
    min_num = 2
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "document_number", "signed_on"]
    verbose_name_plural = _("parties (at least two; each organisation once)")

    def get_formset(self, request, obj=None, **kwargs):
        # InlineModelAdmin has no validate_min option: without it, min_num only shows two
        # empty forms and deleting a party down to one would still be accepted.
        kwargs.setdefault("validate_min", True)
        return super().get_formset(request, obj, **kwargs)


class AgreementPartiesChoiceMixin:
    """Foreign keys to parties (a term's giver and receiver) offer the parties of the agreement
    being edited, read once per page; a new agreement has none until it is saved."""

    party_fields = ()

    def get_formset(self, request, obj=None, **kwargs):
        self._agreement = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.party_fields:
            agreement = getattr(self, "_agreement", None)
            parties = Party.objects.filter(agreement=agreement).select_related("organisation")
            kwargs["queryset"] = parties if agreement is not None else Party.objects.none()
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            # One query per page, not one per form: the choices are listed once.
            field.choices = list(field.choices)
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ParticipantInline(AgreementPartiesChoiceMixin, SafeAutocompleteMixin, admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["person", "position"]
    party_fields = ("party",)
    fields = ["person", "position", "party", "role", "note"]


class TermInline(AgreementPartiesChoiceMixin, admin.TabularInline):
    model = Term
    extra = 0
    # No agreement has this many terms; a lower cap keeps the page within the POST field limit.
    max_num = 50
    party_fields = ("giver", "receiver")
    fields = [
        "kind",
        "giver",
        "receiver",
        "amount",
        "period",
        "quantity",
        "unit",
        "description",
        "funding_source",
    ]
    verbose_name_plural = _("terms (save the parties first: a term is given by a party)")


class FollowUpInline(SafeAutocompleteMixin, admin.StackedInline):
    model = FollowUp
    extra = 0
    # A recurring follow-up's occurrences are marked done on its own page (the change link).
    show_change_link = True
    autocomplete_fields = ["responsible_organisations", "source", "evaluation"]
    fields = [
        "action",
        "responsible_organisations",
        ("due_date", "due_precision"),
        ("recurrence", "recurs_until"),
        ("status", "done_on"),
        ("source", "evaluation"),
        "notes",
    ]

    def get_queryset(self, request):
        # Each row's responsible organisations, for its initial value and its widget.
        return super().get_queryset(request).prefetch_related("responsible_organisations")


class FollowUpOccurrenceInline(admin.TabularInline):
    """The occurrences follow from the recurrence (``follow_up_schedule``): an officer marks
    each one done, and never adds or removes one by hand."""

    model = FollowUpOccurrence
    extra = 0
    can_delete = False
    fields = ["due", "done_on", "notes"]
    readonly_fields = ["due"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("due"))
    def due(self, occurrence):
        return occurrence.due_label


class CitationInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    verbose_name_plural = _("sources")


class RelationInline(SafeAutocompleteMixin, admin.TabularInline):
    """The agreement's relations to earlier ones. Each row's earlier agreement comes with the
    rows (``SafeAutocompleteMixin`` selects it, ``KnownChoicesForm`` shows it without a query),
    and the date order is checked in ``AgreementRelation.clean`` from the agreements already
    loaded: no query per row."""

    model = AgreementRelation
    fk_name = "agreement"
    extra = 0
    # An agreement relates to a handful of earlier ones; the cap keeps the page within the
    # POST field limit (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS).
    max_num = 20
    autocomplete_fields = ["earlier"]
    fields = ["type", "earlier", "earlier_description", "note"]
    verbose_name_plural = _("relations to earlier agreements (renews, amends, implements ...)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("earlier")


class DocumentFileMixin:
    """A stored document is reached through its download view (which applies the agreement's
    visibility), never by a media URL: the file input shows no "Currently: <url>" link."""

    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}

    @admin.display(description=_("stored file"))
    def download(self, document):
        if document.pk is None or not document.file:
            return "-"
        return format_html('<a href="{}">{}</a>', document.get_absolute_url(), _("Download"))


class EvaluationInline(SafeAutocompleteMixin, admin.StackedInline):
    """Monitoring and evaluation: its evidence is the agreement's documents that name it, its
    follow-up actions those that name it (below)."""

    model = Evaluation
    extra = 0
    autocomplete_fields = ["evaluator", "source"]
    fields = [
        ("year", "period", "evaluated_on"),
        ("evaluator", "assessment"),
        "implemented",
        "problems",
        "recommendation",
        "source",
    ]


class DocumentInline(SafeAutocompleteMixin, DocumentFileMixin, admin.TabularInline):
    model = Document
    extra = 0
    autocomplete_fields = ["evaluation"]
    fields = ["type", "title", "date", "file", "evaluation", "download"]
    readonly_fields = ["download"]


class DeferredDerivedDataMixin:
    """Pages that save an agreement with its parts refresh its derived data once, at the end
    of their transaction, rather than once per part saved (``cooperation.derived``)."""

    def _deferred(self, view, *args, **kwargs):
        with transaction.atomic(using=router.db_for_write(self.model)), derived.deferred():
            return view(*args, **kwargs)

    def changeform_view(self, *args, **kwargs):
        return self._deferred(super().changeform_view, *args, **kwargs)

    def changelist_view(self, *args, **kwargs):  # actions and list_editable
        return self._deferred(super().changelist_view, *args, **kwargs)

    def delete_view(self, *args, **kwargs):
        return self._deferred(super().delete_view, *args, **kwargs)

    def history_form_view(self, *args, **kwargs):
        return self._deferred(super().history_form_view, *args, **kwargs)


class GoesWithItMixin:
    """Rows that follow from what is deleted go with it without a delete permission of their
    own: a follow-up's occurrences (from its recurrence; no one deletes one by hand) and the
    records of reminders sent (bookkeeping, not catalogue data)."""

    goes_with_it = (FollowUpOccurrence, ReminderSent)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed = set(perms_needed) - {
            str(model._meta.verbose_name) for model in self.goes_with_it
        }
        return deleted, model_count, perms_needed, protected


@admin.register(Agreement)
class AgreementAdmin(ImportMixin, DeferredDerivedDataMixin, GoesWithItMixin, CatalogueAdmin):
    # Spreadsheet import (cooperation/imports.py): a dry run first, nothing written unless the
    # whole file is valid, a template to download from the import page.
    resource_classes = [AgreementResource]
    formats = [XLSX, CSV]
    import_template_name = "admin/cooperation/agreement/import.html"

    list_display = [
        "title",
        "date",
        "kind",
        "stage",
        "category",
        "party_names",
        "venue_region",
        "is_published",
    ]
    list_filter = [
        "kind",
        "stage",
        CategoryListFilter,
        SectorListFilter,
        YearListFilter,
        RegionListFilter,
        PartnerListFilter,
        ("is_published", PublishedListFilter),
    ]
    # The search itself is get_search_results'; search_fields only shows the search box.
    search_fields = ["title"]
    search_help_text = _(
        "Every word must appear: in the title, the summary, a party's name, a sector, the "
        "venue, the site or a participant's name. Other forms of a word count too (sampah, "
        "persampahan)."
    )
    list_select_related = ["venue_region"]
    autocomplete_fields = ["venue_region", "site_region"]
    filter_horizontal = ["sectors"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["category"]
    actions = ["publish", "unpublish"]
    inlines = [
        PartyInline,
        ParticipantInline,
        TermInline,
        FollowUpInline,
        EvaluationInline,
        RelationInline,
        CitationInline,
        DocumentInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "stage", "category", "is_published"]}),
        (
            _("When and where"),
            {
                "fields": [
                    "date",
                    "venue",
                    "venue_region",
                    "site",
                    "site_region",
                    "valid_from",
                    "valid_until",
                ]
            },
        ),
        (
            _("Content"),
            {"fields": ["sectors", "summary"]},
        ),
        (
            _("Public data notes (shown on the agreement page)"),
            {
                "fields": ["data_notes"],
                "description": _(
                    "Every visitor reads these on the agreement page: corrections of the "
                    "source and resolved contradictions only."
                ),
            },
        ),
        (
            _("Internal staff notes (never public)"),
            {
                "fields": ["staff_notes"],
                "description": _(
                    "Only staff read these, here in the admin: they are never shown on a page "
                    "nor put in an export, the API, a feed, a report or the search."
                ),
            },
        ),
    ]

    def get_urls(self):
        template = self.admin_site.admin_view(self.import_template_view)
        return [
            path("import/template.xlsx", template, name="cooperation_agreement_import_template"),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="impor-kerja-sama.xlsx"'
        import_template(response)
        return response

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("parties", queryset=Party.objects.select_related("organisation"))
            )
        )

    def get_changelist(self, request, **kwargs):
        return AgreementChangeList

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The follow-ups' occurrences follow their recurrence and the validity end.
        for follow_up in form.instance.follow_ups.prefetch_related("occurrences"):
            follow_up_schedule(follow_up)
        # Warnings, not refusals: the record is saved either way.
        warn_same_event(request, form.instance)
        warn_posts_not_recorded(request, form.instance.participants.all())

    def has_delete_permission(self, request, obj=None):
        """Editors (delete_agreement) delete drafts that were never published; an agreement
        published now or before also needs delete_published_agreement, which only
        administrators have."""
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None or may_delete_published(request.user):
            return True
        return not Agreement.objects.filter(pk=obj.pk).ever_published().exists()

    def get_deleted_objects(self, objs, request):
        """The bulk delete action, for a user who may delete only drafts, refuses a selection
        with an agreement published now or before, and names it."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if not may_delete_published(request.user):
            # objs: the action's queryset, or the delete page's one-item list
            published = Agreement.objects.filter(pk__in=[obj.pk for obj in objs]).ever_published()
            if published:
                perms_needed.discard(str(Agreement._meta.verbose_name))
                perms_needed |= {
                    gettext("%(agreement)s (published: only an administrator deletes it)")
                    % {"agreement": agreement}
                    for agreement in published
                }
        return deleted, model_count, perms_needed, protected

    def save_model(self, request, obj, form, change):
        # Restoring a deleted agreement from its history brings back its parts too.
        restoring = change and not Agreement._base_manager.filter(pk=obj.pk).exists()
        super().save_model(request, obj, form, change)
        if restoring:
            count = agreement_restore_parts(obj, request.user)
            message = ngettext(
                "%(count)d part deleted with the agreement (its parties, participants, terms, "
                "follow-up actions, evaluations, sources, documents and relations to earlier "
                "agreements) was restored too.",
                "%(count)d parts deleted with the agreement (its parties, participants, terms, "
                "follow-up actions, evaluations, sources, documents and relations to earlier "
                "agreements) were restored too.",
                count,
            )
            self.message_user(request, message % {"count": count})

    def get_search_results(self, request, queryset, search_term):
        # The public lists' search (AgreementQuerySet.search): every word, in any field of the
        # stored search document, normalised and stemmed; ranked (AgreementChangeList).
        if not search_term.strip():
            return queryset, False
        if not is_clean_text(search_term):
            return queryset.none(), False
        return queryset.search(search_term).with_search_rank(search_term), False

    @admin.display(description=_("parties"))
    def party_names(self, agreement):
        return ", ".join(str(party.organisation) for party in agreement.parties.all())

    @admin.action(description=_("Publish the selected agreements"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish the selected agreements"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, value):
        # Saved one by one (not update()) so that each change is kept in the history.
        changed = 0
        for agreement in queryset.exclude(is_published=value):
            agreement.is_published = value
            agreement._history_user = request.user
            agreement.save(update_fields=["is_published"])
            changed += 1
        if value:
            message = ngettext(
                "%(count)d agreement was published.",
                "%(count)d agreements were published.",
                changed,
            )
        else:
            message = ngettext(
                "%(count)d agreement was unpublished.",
                "%(count)d agreements were unpublished.",
                changed,
            )
        self.message_user(request, message % {"count": changed})


# --- Parts of an agreement ---------------------------------------------------------------


@admin.register(Party)
class PartyAdmin(CatalogueAdmin):
    list_display = ["organisation", "role", "document_number", "signed_on", "agreement"]
    list_filter = ["role", "organisation__kind", PartyOrganisationListFilter]
    search_fields = ["organisation__name", "organisation__short_name", "agreement__title"]
    list_select_related = ["organisation", "agreement"]
    autocomplete_fields = ["agreement", "organisation"]


@admin.register(Participant)
class ParticipantAdmin(CatalogueAdmin):
    list_display = ["person", "position", "role", "party", "agreement"]
    list_display_links = ["person", "position"]
    list_filter = ["role"]
    search_fields = ["person__name", "position__title", "agreement__title"]
    list_select_related = ["person", "position", "agreement", "party__organisation"]
    autocomplete_fields = ["agreement", "person", "position", "party"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_posts_not_recorded(request, Participant.objects.filter(pk=obj.pk))


@admin.register(Term)
class TermAdmin(CatalogueAdmin):
    list_display = ["__str__", "kind", "amount", "period", "quantity", "unit", "giver", "agreement"]
    list_filter = ["kind", "period", "funding_source"]
    search_fields = ["description", "agreement__title", "giver__organisation__name"]
    list_select_related = ["agreement", "giver__organisation"]
    autocomplete_fields = ["agreement", "giver", "receiver"]


class OverdueListFilter(admin.SimpleListFilter):
    """Open follow-ups whose due date has passed (``FollowUpQuerySet.overdue``)."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        overdue = FollowUp.objects.overdue().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue)
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue)
        return queryset


@admin.register(FollowUp)
class FollowUpAdmin(GoesWithItMixin, CatalogueAdmin):
    list_display = ["action", "agreement", "responsible", "due", "status", "overdue"]
    list_filter = [
        "status",
        OverdueListFilter,
        DueYearListFilter,
        ResponsibleListFilter,
        "recurrence",
    ]
    search_fields = ["action", "notes", "agreement__title"]
    list_select_related = ["agreement"]
    autocomplete_fields = ["agreement", "responsible_organisations", "source", "evaluation"]
    inlines = [FollowUpOccurrenceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_list_data()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        follow_up_schedule(form.instance)

    @admin.display(description=_("responsible organisations"))
    def responsible(self, follow_up):
        return follow_up.responsible_names

    @admin.display(description=_("due date"), ordering="due_date")
    def due(self, follow_up):
        return follow_up.due_label

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, follow_up):
        return follow_up.is_overdue


@admin.register(Evaluation)
class EvaluationAdmin(CatalogueAdmin):
    list_display = ["agreement", "period", "year", "evaluated_on", "evaluator", "assessment"]
    list_filter = ["assessment", "period"]
    search_fields = ["agreement__title", "implemented", "problems", "recommendation"]
    list_select_related = ["agreement", "evaluator"]
    autocomplete_fields = ["agreement", "evaluator", "source"]


@admin.register(FollowUpOccurrence)
class FollowUpOccurrenceAdmin(CatalogueAdmin):
    """Occurrences come from their follow-up's recurrence; here an officer finds and marks
    them done across agreements."""

    list_display = ["follow_up", "due", "done_on"]
    list_filter = [("done_on", admin.EmptyFieldListFilter)]
    search_fields = ["follow_up__action", "follow_up__agreement__title"]
    list_select_related = ["follow_up"]
    autocomplete_fields = ["follow_up"]

    @admin.display(description=_("due date"), ordering="due_date")
    def due(self, occurrence):
        return occurrence.due_label


@admin.register(AgreementRelation)
class AgreementRelationAdmin(CatalogueAdmin):
    list_display = ["agreement", "type", "earlier", "earlier_description"]
    list_filter = ["type"]
    search_fields = ["agreement__title", "earlier__title", "earlier_description"]
    list_select_related = ["agreement", "earlier"]
    autocomplete_fields = ["agreement", "earlier"]


@admin.register(Citation)
class CitationAdmin(CatalogueAdmin):
    list_display = ["source", "agreement", "note"]
    search_fields = ["source__headline", "source__publisher", "agreement__title"]
    list_select_related = ["source", "agreement"]
    autocomplete_fields = ["agreement", "source"]


class DocumentForm(forms.ModelForm):
    def clean_file(self):
        """Reverting to a version whose file was deleted (the document was removed or its file
        replaced) needs the file again: say so rather than restore a document that 404s."""
        file = self.cleaned_data.get("file")
        from_history = getattr(self.instance, "_history", None) is not None
        if from_history and file and not is_new_upload(file) and not file.storage.exists(file.name):
            raise forms.ValidationError(
                _(
                    "The file of this version was deleted when the document was removed or "
                    "its file replaced. Upload the file again."
                ),
                code="file_gone",
            )
        return file


@admin.register(Document)
class DocumentAdmin(DocumentFileMixin, CatalogueAdmin):
    form = DocumentForm
    list_display = ["title", "type", "date", "agreement", "content_type"]
    list_filter = ["type"]
    search_fields = ["title", "agreement__title"]
    list_select_related = ["agreement"]
    autocomplete_fields = ["agreement", "evaluation"]
    fields = [
        "agreement",
        "type",
        "title",
        "date",
        "file",
        "evaluation",
        "download",
        "content_type",
    ]
    readonly_fields = ["download", "content_type"]


# --- Sectors and sources -----------------------------------------------------------------


def _agreement_links(agreements):
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (reverse("admin:cooperation_agreement_change", args=[agreement.pk]), agreement)
            for agreement in agreements
        ),
    )


@admin.register(Sector)
class SectorAdmin(CatalogueAdmin):
    list_display = ["name", "name_en", "agreement_count"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(agreement_total=Count("agreements"))

    @admin.display(description=_("agreements"), ordering="agreement_total")
    def agreement_count(self, sector):
        return sector.agreement_total

    def get_deleted_objects(self, objs, request):
        """A sector that agreements use is protected, as a PROTECT foreign key would be: the
        delete page names the agreements and refuses the deletion."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        using = Agreement.objects.filter(sectors__in=list(objs)).distinct().order_by("title")
        protected = list(protected) + [admin_link(agreement) for agreement in using]
        return deleted, model_count, perms_needed, protected


@admin.register(Source)
class SourceAdmin(CatalogueAdmin):
    list_display = ["headline", "publisher", "published_on", "cited_by"]
    list_filter = [PublicationYearListFilter]
    search_fields = ["headline", "publisher", "url", "slug"]
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = ["cited_by", "reports_follow_ups"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("agreements")

    @admin.display(description=_("cited by"))
    def cited_by(self, source):
        return _agreement_links(source.agreements.all()) or "-"

    @admin.display(description=_("follow-up actions it reports"))
    def reports_follow_ups(self, source):
        return ", ".join(str(follow_up) for follow_up in source.follow_ups.all()) or "-"


# --- Reminders ---------------------------------------------------------------------------


@admin.register(OrganisationContact)
class OrganisationContactAdmin(CatalogueAdmin):
    list_display = ["email", "name", "organisation"]
    search_fields = ["email", "name", "organisation__name", "organisation__short_name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(ReminderSubscription)
class ReminderSubscriptionAdmin(CatalogueAdmin):
    list_display = ["user", "region", "organisation"]
    search_fields = ["user__username", "user__email", "region__name", "organisation__name"]
    list_select_related = ["user", "region", "organisation"]
    autocomplete_fields = ["user", "region", "organisation"]


@admin.register(ReminderSent)
class ReminderSentAdmin(CatalogueAdmin):
    """What ``send_reminders`` sent. Deleting a record sends that reminder again on the next
    run; adding one by hand keeps a reminder from being sent."""

    list_display = ["sent_at", "kind", "deadline", "agreement", "follow_up", "recipients"]
    list_filter = ["kind"]
    search_fields = ["agreement__title", "follow_up__action", "recipients"]
    list_select_related = ["agreement", "follow_up"]
    autocomplete_fields = ["agreement", "follow_up"]
    date_hierarchy = "sent_at"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # a record of what was sent stays as it was
            return ["kind", "agreement", "follow_up", "deadline", "recipients", "sent_at"]
        return ["sent_at"]


# --- The catalogue's identity and the admin's own titles ----------------------------------


@admin.register(SiteIdentity)
class SiteIdentityAdmin(CatalogueAdmin):
    """The one identity row: it can be added once and never deleted (what it leaves blank
    comes from settings.CATALOGUE_IDENTITY)."""

    list_display = ["__str__", "government_name", "email"]
    search_fields = ["bureau_name", "government_name"]
    fieldsets = [
        (None, {"fields": ["bureau_name", "government_name", "logo"]}),
        (_("Contact"), {"fields": ["address", "email", "phone", "website"]}),
        (_("Data licence"), {"fields": ["licence_name", "licence_url"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteIdentity.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


# Django's own Indonesian catalogue writes "dibawah"; ours (LOCALE_PATHS, read first) says
# "di bawah".
ADMIN_WORDING = [
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1)
]

admin.site.site_header = _("Regional Cooperation Catalogue")
admin.site.site_title = _("Regional Cooperation Catalogue")
admin.site.index_title = _("Catalogue management")
