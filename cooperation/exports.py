"""Exports of a filtered list: CSV (UTF-8 with a byte-order mark, streamed) and XLSX
(openpyxl's write-only mode), bounded in memory however many rows there are.

The rows are the list page's rows (``cooperation.selectors``); the columns are declared once
here, with headers in the reader's language. Internal staff notes are never a column.
"""

import csv
import datetime
import tempfile
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .identity import catalogue_identity
from .models import (
    Agreement,
    AgreementRelation,
    Evaluation,
    FollowUp,
    Party,
    Term,
    today,
    yearly_money_flows,
)
from .money import rupiah

# Rows fetched from the database at a time (with their parties and sectors).
CHUNK_SIZE = 2000
BOM = "\ufeff"
DATE_FORMAT = "DD/MM/YYYY"  # how Indonesian spreadsheets show dates
SLUG_PLACEHOLDER = "slug-placeholder"


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation
    value: Any  # function(row, export) -> str, date or None
    staff_only: bool = False
    # What the column reads, prefetched with each chunk of rows: a lookup, or a function of the
    # reader giving one (what the reader may see).
    prefetch: tuple = ()


def _join(values):
    return "; ".join(value for value in values if value)


def _party(party, export):
    return f"{party.organisation.name} ({export.label(Party.Role, party.role)})"


def _document_numbers(agreement):
    """Each signatory's own number: "Pemkab A: 1/2023; Pemkab B: 2/2023"."""
    return _join(
        f"{party.organisation.name}: {party.document_number}"
        for party in agreement.parties.all()
        if party.document_number
    )


def _yearly_money(agreement, export):
    """Each direction's money a year: "Pemkab A → Pemkab B: Rp14.000.000.000 per tahun"."""
    return _join(
        f"{giver.organisation.name} → {receiver.organisation.name if receiver else '-'}: "
        f"{rupiah(total, Term.Period.YEARLY)}"
        for giver, receiver, total in yearly_money_flows(agreement.yearly_terms)
    )


def _relations(agreement, export):
    """Each relation to an earlier agreement: "renews: PKS 2023 No. 658/..."."""
    return _join(
        f"{export.label(AgreementRelation.Type, relation.type)}: "
        f"{relation.earlier.title if relation.earlier_id else relation.earlier_description}"
        for relation in agreement.visible_relations
    )


def visible_relations(user):
    """The relations to earlier agreements ``user`` may see (or outside the catalogue)."""
    visible = Agreement.objects.visible_to(user).values("pk")
    return Prefetch(
        "relations",
        queryset=AgreementRelation.objects.filter(
            Q(earlier__isnull=True) | Q(earlier__in=visible)
        ).select_related("earlier"),
        to_attr="visible_relations",
    )


YEARLY_TERMS = Prefetch(
    "terms",
    queryset=Term.objects.yearly().select_related("giver__organisation", "receiver__organisation"),
    to_attr="yearly_terms",
)

EVALUATIONS = Prefetch(
    "evaluations",
    queryset=Evaluation.objects.only("agreement", "evaluated_on", "assessment"),
    to_attr="export_evaluations",
)


def _latest_evaluation(agreement):
    """The latest evaluation (evaluations are ordered latest first), or None."""
    return agreement.export_evaluations[0] if agreement.export_evaluations else None


def _latest_assessment(agreement, export):
    latest = _latest_evaluation(agreement)
    return export.label(Evaluation.Assessment, latest.assessment) if latest else ""


AGREEMENT_COLUMNS = [
    Column(gettext_lazy("Title"), lambda a, e: a.title),
    Column(gettext_lazy("Date"), lambda a, e: a.date),
    Column(gettext_lazy("Kind"), lambda a, e: e.label(Agreement.Kind, a.kind)),
    Column(gettext_lazy("Stage"), lambda a, e: e.label(Agreement.Stage, a.stage)),
    Column(gettext_lazy("Category"), lambda a, e: e.label(Agreement.Category, a.category)),
    Column(gettext_lazy("Parties"), lambda a, e: _join(_party(p, e) for p in a.parties.all())),
    Column(gettext_lazy("Sectors"), lambda a, e: _join(str(s) for s in a.sectors.all())),
    Column(gettext_lazy("Venue"), lambda a, e: a.venue),
    Column(
        gettext_lazy("Region of the venue"),
        lambda a, e: str(a.venue_region) if a.venue_region_id else "",
    ),
    Column(gettext_lazy("Site of implementation"), lambda a, e: a.site),
    Column(
        gettext_lazy("Region of the site"),
        lambda a, e: str(a.site_region) if a.site_region_id else "",
    ),
    Column(gettext_lazy("Valid from"), lambda a, e: a.valid_from),
    Column(gettext_lazy("Valid until"), lambda a, e: a.valid_until),
    Column(gettext_lazy("Document numbers"), lambda a, e: _document_numbers(a)),
    Column(gettext_lazy("Money a year, per direction"), _yearly_money, prefetch=(YEARLY_TERMS,)),
    Column(
        gettext_lazy("Evaluations"),
        lambda a, e: len(a.export_evaluations),
        prefetch=(EVALUATIONS,),
    ),
    Column(
        gettext_lazy("Latest evaluation"),
        lambda a, e: _latest_evaluation(a) and _latest_evaluation(a).evaluated_on,
        prefetch=(EVALUATIONS,),
    ),
    Column(gettext_lazy("Latest assessment"), _latest_assessment, prefetch=(EVALUATIONS,)),
    Column(
        gettext_lazy("Relations to earlier agreements"), _relations, prefetch=(visible_relations,)
    ),
    Column(gettext_lazy("Summary"), lambda a, e: a.summary),
    Column(gettext_lazy("Link"), lambda a, e: e.agreement_link(a)),
    Column(gettext_lazy("Published"), lambda a, e: e.published(a), staff_only=True),
]

FOLLOW_UP_COLUMNS = [
    Column(gettext_lazy("Action"), lambda f, e: f.action),
    Column(gettext_lazy("Agreement"), lambda f, e: f.agreement.title),
    Column(
        gettext_lazy("Responsible organisations"),
        lambda f, e: f.responsible_names,
    ),
    Column(gettext_lazy("Due date"), lambda f, e: f.due_date),
    Column(gettext_lazy("Due"), lambda f, e: f.due_label),
    Column(
        gettext_lazy("Recurrence"),
        lambda f, e: e.label(FollowUp.Recurrence, f.recurrence) if f.is_recurring else "",
    ),
    Column(
        gettext_lazy("Occurrences done"),
        lambda f, e: f"{f.occurrences_done}/{len(f.occurrences.all())}" if f.is_recurring else "",
    ),
    Column(gettext_lazy("Status"), lambda f, e: e.label(FollowUp.Status, f.status)),
    Column(gettext_lazy("Date done"), lambda f, e: f.done_on),
    Column(gettext_lazy("Notes"), lambda f, e: f.notes),
    Column(gettext_lazy("Link"), lambda f, e: e.agreement_link(f.agreement)),
    Column(gettext_lazy("Published"), lambda f, e: e.published(f.agreement), staff_only=True),
]


@dataclass
class Export:
    """What to write: a list's title, its rows, its columns for this reader, and its filters."""

    title: str
    sheet_name: str
    rows: Any  # a queryset
    columns: list
    filters: list  # [(label, value)] from describe_filters
    base_url: str  # the site's address, for links back
    labels: dict = field(default_factory=dict)  # choice labels, translated once per export

    @classmethod
    def of(cls, title, sheet_name, filterset, columns, request):
        staff = request.user.is_authenticated and request.user.is_staff
        columns = [column for column in columns if staff or not column.staff_only]
        rows = filterset.qs
        prefetches = [
            lookup(request.user) if callable(lookup) else lookup
            for lookup in dict.fromkeys(lookup for column in columns for lookup in column.prefetch)
        ]
        if prefetches:
            rows = rows.prefetch_related(*prefetches)
        return cls(
            title=title,
            sheet_name=sheet_name,
            rows=rows,
            columns=columns,
            filters=describe_filters(filterset),
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )

    def agreement_link(self, agreement):
        """The agreement page's address (reversed once: reverse() per row is slow)."""
        if "agreement_path" not in self.labels:
            self.labels["agreement_path"] = reverse(
                "cooperation:agreement_detail", args=[SLUG_PLACEHOLDER]
            )
        return self.base_url + self.labels["agreement_path"].replace(
            SLUG_PLACEHOLDER, agreement.slug
        )

    def label(self, choices, value):
        """A choice's label in the current language (get_FOO_display translates each time:
        too slow for 100,000 rows)."""
        key = (choices, value)
        if key not in self.labels:
            self.labels[key] = str(choices(value).label) if value else ""
        return self.labels[key]

    def published(self, agreement):
        return _("yes") if agreement.is_published else _("no (draft)")

    def headers(self):
        return [str(column.header) for column in self.columns]

    def values(self):
        """Each row's values, reading the rows from the database a chunk at a time."""
        for row in self.rows.iterator(chunk_size=CHUNK_SIZE):
            yield [_plain(column.value(row, self)) for column in self.columns]


def describe_filters(filterset):
    """The filters a valid filter set applies, as (label, value) pairs in the reader's language."""
    form = filterset.form
    described = []
    for name, form_field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", False) or value == []:
            continue
        described.append((str(form_field.label), _display(form_field, value)))
    return described


def _display(field, value):
    if isinstance(value, list | tuple):
        return ", ".join(_display(field, item) for item in value)
    if value is True:
        return _("yes")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def _plain(value):
    """A date stays a date (a date cell in XLSX); anything else becomes text ("" for none)."""
    if isinstance(value, datetime.date) or value is None:
        return value
    return str(value)


def _text(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


class _Echo:
    """A file whose write returns what it is given: csv.writer then yields lines."""

    def write(self, value):
        return value


def csv_lines(export):
    """The CSV, a line at a time: a byte-order mark (so Excel reads UTF-8), headers, rows."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(export.headers())
    for values in export.values():
        yield writer.writerow([_text(value) for value in values])


def write_xlsx(export, file):
    """Write the workbook to ``file``: a first sheet saying what the export holds (who, which
    list, which filters, when), then the rows. Write-only mode keeps one row in memory."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def cell(sheet, value, font=None):
        item = WriteOnlyCell(sheet, value=value)
        if font:
            item.font = font
        if isinstance(value, datetime.date):
            item.number_format = DATE_FORMAT
        return item

    about = workbook.create_sheet(_("About this export")[:31])
    identity = catalogue_identity()
    about.append([cell(about, identity.name, bold)])
    if identity.government:
        about.append([identity.government])
    about.append([cell(about, export.title, bold)])
    about.append([_("Exported on"), cell(about, today())])
    about.append([])
    about.append([cell(about, _("Filters"), bold)])
    for label, value in export.filters or [(_("none"), _("all records"))]:
        about.append([label, value])

    data = workbook.create_sheet(export.sheet_name[:31])
    data.append([cell(data, header, bold) for header in export.headers()])
    for values in export.values():
        data.append(
            [
                cell(data, value) if isinstance(value, datetime.date) else (value or None)
                for value in values
            ]
        )
    workbook.save(file)


def xlsx_file(export):
    """The workbook in a temporary file (on disk, not in memory), rewound for reading."""
    file = tempfile.TemporaryFile()
    write_xlsx(export, file)
    file.seek(0)
    return file
