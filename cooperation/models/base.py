"""What the parts of an agreement share, and what the models' list pages need to be quick."""

import functools

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@functools.cache
def _choice_labels(field, language):
    """{value: label} of a field with choices, in ``language`` (the active one)."""
    return {
        make_hashable(value): force_str(label, strings_only=True)
        for value, label in field.flatchoices
    }


class ChoiceLabelsMixin:
    """``get_<field>_display()`` from a table of labels kept per field and language.

    Django's own builds a dict of the field's choices on every call, hashing each lazily
    translated label (a translation lookup per choice): on a list page, a few calls per row
    were a quarter of the agreement table's rendering. The labels and the values shown are
    the same."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        labels = _choice_labels(field, get_language())
        return labels.get(make_hashable(value), force_str(value, strings_only=True))


class AgreementPartManager(models.Manager):
    """Natural key of a part: the agreement's slug and the slug of what it links to."""

    key_fields = ()

    def get_by_natural_key(self, agreement_slug, *key):
        return self.get(
            agreement__slug=agreement_slug, **dict(zip(self.key_fields, key, strict=True))
        )
