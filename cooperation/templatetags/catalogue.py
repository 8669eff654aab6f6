"""Template helpers for the catalogue pages."""

import datetime

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext

from cooperation import money

register = template.Library()


@register.filter
def long_date(value):
    """A date in a <time> element, in the reader's language: "Jumat, 24 Oktober 2025".

    An empty value gives an empty string, so templates can say what is unknown themselves.
    """
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    # Translators: a long date, in Django's date format syntax ("l, j F Y" gives
    # "Friday, 24 October 2025"; Indonesian uses the same order).
    pattern = pgettext("long date format", "l, j F Y")
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), format_date(value, pattern)
    )


@register.filter
def due(item):
    """A follow-up's (or an occurrence's) due date as people say it, in a <time> element
    holding the last day of its period: "Desember 2026", "triwulan IV 2026"."""
    if item is None or item.due_date is None:
        return ""
    return format_html('<time datetime="{}">{}</time>', item.due_date.isoformat(), item.due_label)


@register.filter
def css_string(value):
    """``value`` as a quoted CSS string, safe inside a <style> element (printouts' page
    headers and footers)."""
    text = str(value)
    for char, escape in (("\\", "\\5C "), ('"', "\\22 "), ("<", "\\3C "), ("\n", " ")):
        text = text.replace(char, escape)
    return mark_safe(f'"{text}"')


@register.filter
def import_column(field_name):
    """The spreadsheet column of an import error's field (``parties`` is ``pihak``)."""
    from cooperation.imports import AgreementResource

    field = AgreementResource.fields.get(field_name)
    if field is None:
        field = next(
            (f for f in AgreementResource.fields.values() if f.attribute == field_name), None
        )
    return field.column_name if field else field_name


@register.filter
def rupiah(amount, period=""):
    """An exact amount of rupiah with its period: "Rp14.000.000.000 per tahun" (Indonesian),
    "IDR 14,000,000,000 per year" (English). ``{{ term.amount|rupiah:term.period }}``."""
    return money.rupiah(amount, period)


@register.filter
def rupiah_short(amount, period=""):
    """A short amount of rupiah with its period: "Rp14 miliar/tahun", "IDR 14 billion/year"."""
    return money.rupiah_short(amount, period)


@register.filter
def quantity(value):
    """A quantity with the decimals it has, in the reader's language: "1.250,5"."""
    return money.quantity(value)


BADGE_FIELDS = {"stage", "kind", "category", "status", "validity"}


# {(model, field, value, language): badge HTML}: a badge depends on nothing else, and a list
# page shows three a row (the model's choices are finite, so this stays small).
_badges = {}


@register.simple_tag
def badge(record, field):
    """A record's stage, kind, category or follow-up status as a badge: the same words and
    colours wherever it is shown (``static/css/catalogue.css``, ``.badge-<field>-<value>``)."""
    if field not in BADGE_FIELDS:
        raise template.TemplateSyntaxError(f"no badge for {field!r}")
    value = getattr(record, field)
    if not value:
        return ""
    key = (type(record), field, value, get_language())
    html = _badges.get(key)
    if html is None:
        html = _badges[key] = _badge_html(record, field, value)
    return html


def _badge_html(record, field, value):
    label = getattr(record, f"get_{field}_display")()
    if field == "category":
        label = value  # KSDD, KSDPK, ...: the full name is the title
        return format_html(
            '<span class="badge badge-{}-{}" title="{}">{}</span>',
            field,
            value.lower(),
            record.get_category_display(),
            label,
        )
    return format_html(
        '<span class="badge badge-{}-{}">{}</span>', field, value.replace("_", "-"), label
    )


@register.simple_tag
def active_filters(form):
    """How many of a filter form's fields have a value (the order of a list is no filter)."""
    if not form.is_bound:
        return 0
    return sum(
        1
        for name in form.fields
        if name != "order" and any(value.strip() for value in form.data.getlist(name, []))
    )
