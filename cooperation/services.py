"""Writes that touch several models."""

import datetime

from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from .models import (
    AgreementRelation,
    Citation,
    Document,
    Evaluation,
    FollowUp,
    FollowUpOccurrence,
    Participant,
    Party,
    Term,
)

# In an order that restores what a part refers to before the part (a term refers to parties).
# A relation is the later agreement's part: the earlier one cannot be deleted while it has one.
AGREEMENT_PARTS = [
    Party,
    Participant,
    Term,
    Evaluation,
    FollowUp,
    Citation,
    Document,
    AgreementRelation,
]

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
        restored += _restore_deleted(model, {"agreement_id": agreement.pk}, deletion, user)
    return restored


def _restore_deleted(model, owner, deletion, user):
    """Restore the rows of ``model`` belonging to ``owner`` (a filter) deleted with the
    agreement (``deletion``), with their many-to-many links and their own parts."""
    restored = 0
    deletions = model.history.filter(
        **owner,
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
        _restore_links(model, part, record)
        for child, key in PART_CHILDREN.get(model, []):
            _restore_deleted(child, {key: part.pk}, deletion, user)
        restored += 1
    return restored


# Rows that belong to a part rather than to the agreement: restored with their part.
PART_CHILDREN = {FollowUp: [(FollowUpOccurrence, "follow_up_id")]}


def _restore_links(model, part, deletion_record):
    """A part's many-to-many links (a follow-up's responsible organisations) as they were
    just before its deletion (the deletion record itself holds none: they go first)."""
    fields = getattr(deletion_record, "_history_m2m_fields", [])
    if not fields:
        return
    before = (
        model.history.filter(id=part.pk, history_id__lt=deletion_record.history_id)
        .order_by("-history_id")
        .first()
    )
    if before is None:
        return
    for field in fields:
        target = field.m2m_reverse_field_name()
        ids = getattr(before, field.name).values_list(target, flat=True)
        existing = field.related_model._base_manager.filter(pk__in=list(ids))
        getattr(part, field.name).set(existing)


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


def follow_up_schedule(follow_up):
    """Make a follow-up's occurrences those of its recurrence (``FollowUp.occurrence_dates``):
    add the missing ones, remove those no longer in it unless they are done or have notes
    (what was done stays recorded). Returns (added, removed)."""
    dates = set(follow_up.occurrence_dates())
    existing = {occurrence.due_date: occurrence for occurrence in follow_up.occurrences.all()}
    removed = 0
    for day, occurrence in existing.items():
        if day not in dates and occurrence.done_on is None and not occurrence.notes:
            occurrence.delete()
            removed += 1
    missing = sorted(dates - existing.keys())
    bulk_create_with_history(
        [FollowUpOccurrence(follow_up=follow_up, due_date=day) for day in missing],
        FollowUpOccurrence,
    )
    if hasattr(follow_up, "_prefetched_objects_cache"):
        follow_up._prefetched_objects_cache.pop("occurrences", None)
    return len(missing), removed
