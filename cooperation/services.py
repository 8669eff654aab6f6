"""Writes that touch several models."""

import datetime

from django.db import IntegrityError, transaction

from .models import Citation, Document, FollowUp, Participant, Party, Term

# In an order that restores what a part refers to before the part (a term refers to parties).
AGREEMENT_PARTS = [Party, Participant, Term, FollowUp, Citation, Document]

# Deleting an agreement deletes its parts first, in the same transaction: their deletion
# records are at most this much older than the agreement's.
CASCADE_WINDOW = datetime.timedelta(seconds=10)


def agreement_restore_parts(agreement, user=None):
    """Bring back the parts deleted together with ``agreement``, once the agreement itself has
    been restored from its history. Returns how many parts were restored.

    A part comes back when its last history record is its deletion, made with the agreement's
    (within ``CASCADE_WINDOW`` before it). A part removed on purpose earlier stays removed; so
    does a part whose organisation, official, position or source has since been deleted, or
    that would repeat a part added since.
    """
    deletion = (
        agreement.history.filter(history_type="-").order_by("-history_date", "-history_id").first()
    )
    if deletion is None:
        return 0
    restored = 0
    for model in AGREEMENT_PARTS:
        deletions = model.history.filter(
            agreement_id=agreement.pk,
            history_type="-",
            history_date__gte=deletion.history_date - CASCADE_WINDOW,
            history_date__lte=deletion.history_date,
        )
        for record in deletions:
            if model.history.filter(id=record.id, history_id__gt=record.history_id).exists():
                continue  # something happened to it later
            part = record.instance
            if model._base_manager.filter(pk=part.pk).exists() or not _references_exist(part):
                continue
            part._history_user = user
            try:
                with transaction.atomic():
                    part.save(force_insert=True)
            except IntegrityError:  # repeats a part added since (a unique constraint)
                continue
            restored += 1
    return restored


def _references_exist(part):
    """Foreign keys are checked only at commit: check them before saving instead."""
    for field in part._meta.concrete_fields:
        if field.is_relation:
            value = getattr(part, field.attname)
            if (
                value is not None
                and not field.related_model._base_manager.filter(pk=value).exists()
            ):
                return False
    return True
