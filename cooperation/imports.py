"""Bringing agreements in from a spreadsheet (django-import-export, in the admin).

One row an agreement, columns named in Indonesian (``IMPORT_COLUMNS``). Parties are given by
region code (the region's government: ``36.04``) or by an organisation's name or short name,
separated by ``;``; sectors by name (Indonesian or English); dates as Indonesian spreadsheets
write them (dd/mm/yyyy) or as date cells. A row whose ``slug`` names an existing agreement
changes it; a row without one is a new agreement.

The admin shows a dry run first: what would be created and changed, and every row's errors
with its row number. Nothing is written unless the whole file is valid (one transaction). Each
saved record is kept in its history like any other edit, with the reason
``IMPORT_REASON``.
"""

import datetime
import itertools
import operator
import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from openpyxl import Workbook
from openpyxl.styles import Font

from regions.models import Organisation, Region

from .models import Agreement, AgreementRelation, Party, Sector

PARTY_SEPARATOR = ";"
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# Kept with each imported record in its history (data, so in Indonesian).
IMPORT_REASON = "Diimpor dari spreadsheet"
TEXT = widgets.CharWidget(allow_blank=True)  # an empty cell is an empty text, never NULL


def _cell_text(value):
    return "" if value is None else str(value).strip()


class DayMonthYearWidget(widgets.DateWidget):
    """dd/mm/yyyy (or a date cell); the error says which format is expected."""

    def __init__(self):
        super().__init__(format="%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _cell_text(value)
        if not text:
            return None
        try:
            day, month, year = DAY_MONTH_YEAR.fullmatch(text).groups()
            return datetime.date(int(year), int(month), int(day))
        except (AttributeError, ValueError):  # not dd/mm/yyyy, or no such day
            raise ValueError(
                _("“%(value)s” is not a date written dd/mm/yyyy, such as 24/10/2025.")
                % {"value": text}
            ) from None


class ChoiceWidget(widgets.Widget):
    """A choice by its code or its label, in Indonesian or English, in any case."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = _cell_text(value).casefold()
        if not text:
            return ""
        for code, label in self.choices.choices:
            names = {code.casefold()}
            for language in ("id", "en"):
                with translation.override(language):
                    names.add(str(label).casefold())
            if text in names:
                return code
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": _cell_text(value), "choices": ", ".join(self.choices.values)}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


class PublishedWidget(widgets.Widget):
    YES = {"ya", "yes", "y", "1", "true", "benar"}
    NO = {"tidak", "no", "n", "0", "false", "salah", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _cell_text(value).casefold()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("Write “ya” or “tidak”."))

    def render(self, value, obj=None, **kwargs):
        return "ya" if value else "tidak"


class RegionCodeWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Region, field="code")

    def clean(self, value, row=None, **kwargs):
        text = _cell_text(value)
        if not text:
            return None
        region = Region.objects.filter(code=text).first()
        if region is None:
            raise ValueError(_("No region has the code “%(code)s”.") % {"code": text})
        return region


def find_party(text):
    """The organisation a party cell names: a region code means its regional government."""
    if Region.objects.filter(code=text).exists():
        government = Organisation.objects.filter(
            kind=Organisation.Kind.REGIONAL_GOVERNMENT, region__code=text
        ).first()
        if government is None:
            raise ValueError(
                _("The region %(code)s has no regional government in the catalogue.")
                % {"code": text}
            )
        return government
    matches = list(
        Organisation.objects.filter(Q(name__iexact=text) | Q(short_name__iexact=text))[:2]
    )
    if not matches:
        raise ValueError(_("No organisation is named “%(name)s”.") % {"name": text})
    if len(matches) > 1:
        raise ValueError(
            _("“%(name)s” names more than one organisation: write its full name.") % {"name": text}
        )
    return matches[0]


def find_sectors(cell):
    names = [name.strip() for name in _cell_text(cell).split(PARTY_SEPARATOR) if name.strip()]
    found, unknown = [], []
    for name in names:
        sector = Sector.objects.filter(Q(name__iexact=name) | Q(name_en__iexact=name)).first()
        (found if sector else unknown).append(sector or name)
    if unknown:
        raise ValueError(
            _("No sector is named %(names)s.") % {"names": ", ".join(f"“{n}”" for n in unknown)}
        )
    return found


def find_relations(cell, agreement):
    """The relations a ``relasi`` cell lists ("memperpanjang: pks-2023; mengubah (adendum):
    PKS 2020 No. 12"), each checked as the admin checks it: a slug names an agreement of the
    catalogue, anything else describes one outside it."""
    relations, problems = [], []
    types = ChoiceWidget(AgreementRelation.Type)
    for item in _cell_text(cell).split(PARTY_SEPARATOR):
        if not item.strip():
            continue
        type_text, colon, earlier_text = item.partition(":")
        earlier_text = earlier_text.strip()
        if not colon or not earlier_text:
            problems.append(
                _("“%(value)s” is not written “type: earlier agreement”.") % {"value": item.strip()}
            )
            continue
        try:
            type = types.clean(type_text)
        except ValueError as error:
            problems.append(str(error))
            continue
        earlier = Agreement.objects.filter(slug=earlier_text).first()
        relation = AgreementRelation(
            agreement=agreement,
            type=type,
            earlier=earlier,
            earlier_description="" if earlier else earlier_text[:300],
        )
        try:
            relation.clean()
        except ValidationError as error:
            problems.extend(
                message for messages in error.message_dict.values() for message in messages
            )
            continue
        relations.append(relation)
    return relations, problems


class AgreementResource(resources.ModelResource):
    slug = fields.Field(attribute="slug", column_name="slug", widget=TEXT)
    title = fields.Field(attribute="title", column_name="judul", widget=TEXT)
    kind = fields.Field(attribute="kind", column_name="jenis", widget=ChoiceWidget(Agreement.Kind))
    stage = fields.Field(
        attribute="stage", column_name="tahap", widget=ChoiceWidget(Agreement.Stage)
    )
    date = fields.Field(attribute="date", column_name="tanggal", widget=DayMonthYearWidget())
    venue = fields.Field(attribute="venue", column_name="tempat", widget=TEXT)
    venue_region = fields.Field(
        attribute="venue_region", column_name="kode_wilayah_tempat", widget=RegionCodeWidget()
    )
    valid_from = fields.Field(
        attribute="valid_from", column_name="berlaku_sejak", widget=DayMonthYearWidget()
    )
    valid_until = fields.Field(
        attribute="valid_until", column_name="berlaku_sampai", widget=DayMonthYearWidget()
    )
    # Not a field of the agreement: each signatory party carries the number (Party).
    document_number = fields.Field(column_name="nomor_dokumen")
    summary = fields.Field(attribute="summary", column_name="ringkasan", widget=TEXT)
    is_published = fields.Field(
        attribute="is_published", column_name="diterbitkan", widget=PublishedWidget()
    )
    # Not model fields: read and checked in import_instance, saved in after_save_instance.
    parties = fields.Field(column_name="pihak")
    sectors = fields.Field(column_name="sektor")
    relations = fields.Field(column_name="relasi")

    class Meta:
        model = Agreement
        fields = [
            "slug",
            "title",
            "kind",
            "stage",
            "date",
            "venue",
            "venue_region",
            "valid_from",
            "valid_until",
            "document_number",
            "summary",
            "is_published",
            "parties",
            "sectors",
            "relations",
        ]
        import_id_fields = ["slug"]
        clean_model_instances = True
        use_transactions = True
        rollback_on_validation_errors = True
        skip_unchanged = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._slugs_in_file = set()

    def before_import_row(self, row, **kwargs):
        """A row without a slug is a new agreement: give it one nobody uses."""
        if _cell_text(row.get("slug")):
            row["slug"] = _cell_text(row["slug"])
        else:
            row["slug"] = self._new_slug(row)
        self._slugs_in_file.add(row["slug"])

    def _new_slug(self, row):
        base = slugify(_cell_text(row.get("judul")))[:100] or "kerja-sama"
        for n in itertools.count(1):
            slug = base if n == 1 else f"{base}-{n}"
            if slug not in self._slugs_in_file and not Agreement.objects.filter(slug=slug).exists():
                return slug

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance._import_parties, instance._import_sectors = [], []
        instance._import_number = _cell_text(row.get("nomor_dokumen"))[:200]
        party_cells = [
            cell.strip()
            for cell in _cell_text(row.get("pihak")).split(PARTY_SEPARATOR)
            if cell.strip()
        ]
        problems = []
        for cell in party_cells:
            try:
                organisation = find_party(cell)
            except ValueError as error:
                problems.append(str(error))
                continue
            if organisation in instance._import_parties:
                problems.append(_("%(name)s is named twice.") % {"name": organisation.name})
            instance._import_parties.append(organisation)
        if not problems and len(instance._import_parties) < 2:
            problems.append(_("Name at least two parties, separated by “;”."))
        if problems:
            errors["parties"] = problems
        try:
            instance._import_sectors = find_sectors(row.get("sektor"))
        except ValueError as error:
            errors["sectors"] = [str(error)]
        # A file without the column leaves the relations as they are.
        instance._import_relations = None
        if "relasi" in row:
            instance._import_relations, problems = find_relations(row.get("relasi"), instance)
            if problems:
                errors["relations"] = problems
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = IMPORT_REASON

    def after_save_instance(self, instance, row, **kwargs):
        """The parties and sectors as the row lists them (each change kept in history)."""
        wanted = {organisation.pk: organisation for organisation in instance._import_parties}
        for party in instance.parties.exclude(organisation__in=wanted):
            party._change_reason = instance._change_reason
            party.delete()
        present = set(instance.parties.values_list("organisation", flat=True))
        for organisation in instance._import_parties:
            if organisation.pk not in present:
                party = Party(agreement=instance, organisation=organisation, role="signatory")
                party._change_reason = instance._change_reason
                party.save()
        # One number in the row: the number each signatory's copy bears.
        if instance._import_number:
            for party in instance.parties.filter(role=Party.Role.SIGNATORY).exclude(
                document_number=instance._import_number
            ):
                party.document_number = instance._import_number
                party._change_reason = instance._change_reason
                party.save(update_fields=["document_number"])
        instance.sectors.set(instance._import_sectors)
        if instance._import_relations is not None:
            self._save_relations(instance)

    def _save_relations(self, instance):
        """The relations as the row lists them: those no longer listed are deleted, new ones
        added, each change in history."""
        key = operator.attrgetter("type", "earlier_id", "earlier_description")
        wanted = {key(relation): relation for relation in instance._import_relations}
        for relation in instance.relations.all():
            if wanted.pop(key(relation), None) is None:
                relation._change_reason = instance._change_reason
                relation.delete()
        for relation in wanted.values():
            relation.agreement = instance
            relation._change_reason = instance._change_reason
            relation.save()

    def dehydrate_parties(self, agreement):
        return f"{PARTY_SEPARATOR} ".join(p.organisation.name for p in agreement.parties.all())

    def dehydrate_document_number(self, agreement):
        numbers = dict.fromkeys(p.document_number for p in agreement.parties.all())
        return f"{PARTY_SEPARATOR} ".join(number for number in numbers if number)

    def dehydrate_relations(self, agreement):
        return f"{PARTY_SEPARATOR} ".join(
            f"{r.type}: {r.earlier.slug if r.earlier_id else r.earlier_description}"
            for r in agreement.relations.select_related("earlier")
        )

    def dehydrate_sectors(self, agreement):
        return f"{PARTY_SEPARATOR} ".join(s.name for s in agreement.sectors.all())


# What each column holds, for the template's instructions sheet.
IMPORT_COLUMNS = [
    ("slug", gettext_lazy("Leave blank for a new agreement; to change one, its slug.")),
    ("judul", gettext_lazy("Title (required).")),
    ("jenis", gettext_lazy("Kind: its name or code, e.g. cooperation_agreement.")),
    ("tahap", gettext_lazy("Stage: its name or code, e.g. implementation.")),
    ("tanggal", gettext_lazy("Date of the meeting or signing, dd/mm/yyyy.")),
    ("tempat", gettext_lazy("Venue, as written.")),
    ("kode_wilayah_tempat", gettext_lazy("Region code of the venue, e.g. 36.04.")),
    ("berlaku_sejak", gettext_lazy("Valid from, dd/mm/yyyy.")),
    ("berlaku_sampai", gettext_lazy("Valid until, dd/mm/yyyy.")),
    (
        "nomor_dokumen",
        gettext_lazy(
            "Document number, only as written on the document: recorded for each signatory "
            "party (a number from each side is entered on each party in the admin)."
        ),
    ),
    ("ringkasan", gettext_lazy("Summary, short and factual, in our own words.")),
    ("diterbitkan", gettext_lazy("“ya” to publish; “tidak” or blank for a draft.")),
    (
        "pihak",
        gettext_lazy(
            "At least two parties, separated by “;”: a region code (its regional government) "
            "or an organisation's name or short name."
        ),
    ),
    ("sektor", gettext_lazy("Sectors by name, separated by “;”.")),
    (
        "relasi",
        gettext_lazy(
            "Relations to earlier agreements, separated by “;”, each written “type: earlier "
            "agreement”: the type by name or code (renews, amends, implements ...), the earlier "
            "agreement by its slug, or described (PKS 2023 No. 658/...) if it is not in the "
            "catalogue. Leave the column out to keep the relations as they are."
        ),
    ),
]


def import_template(file):
    """The spreadsheet to fill in: the columns on a first sheet, what each holds on a second."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kerja sama"
    sheet.append([column for column, _help in IMPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = workbook.create_sheet(_("Instructions")[:31])
    guide.append([_("Column"), _("What it holds")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column, help_text in IMPORT_COLUMNS:
        guide.append([column, str(help_text)])
    guide.append([])
    guide.append(
        [_("Kinds"), ", ".join(f"{code} ({label})" for code, label in Agreement.Kind.choices)]
    )
    guide.append(
        [_("Stages"), ", ".join(f"{code} ({label})" for code, label in Agreement.Stage.choices)]
    )
    workbook.save(file)
