"""Thin signal receivers: each says which agreements a write touched, and
``cooperation.derived`` does the rest.

Signals rather than explicit calls, because derived data must follow every write path: admin
pages and their inlines, history reverts and restores, ``loaddata``, services and the API all
save through the ORM, and a missed call would leave a list or a search silently wrong. No rule
lives here: which fields count, and what is recomputed, is in ``cooperation.derived``.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from regions.models import Organisation, Person, Position, Region

from . import caching, derived
from .models import Agreement, AgreementRegion, DataVersion, Participant, Party, Sector

# What a record shows of itself in an agreement's derived data: a save that changes none of
# these fields changes nothing derived.
WATCHED_FIELDS = {
    Organisation: ["name", "short_name", "kind", "country", "region", "parent"],
    Person: ["name"],
    Position: ["title"],
    Sector: ["name", "name_en"],
    Region: ["name", "province"],
}


def _remember(instance, fields):
    """Before a save: the stored values of ``fields`` (None for a new record)."""
    old = None
    if instance.pk is not None:
        old = type(instance)._base_manager.filter(pk=instance.pk).values(*fields).first()
    instance._derived_before = old


def _changed(instance, fields):
    old = getattr(instance, "_derived_before", None)
    if old is None:
        return True
    return any(
        old[field] != getattr(instance, instance._meta.get_field(field).attname) for field in fields
    )


@receiver(post_save, sender=Agreement)
def agreement_saved(sender, instance, **kwargs):
    derived.agreements_changed([instance.pk])


# --- Parts: parties and participants ------------------------------------------------------


@receiver(pre_save, sender=Party)
@receiver(pre_save, sender=Participant)
def part_saving(sender, instance, **kwargs):
    _remember(instance, ["agreement"])


@receiver(post_save, sender=Party)
@receiver(post_save, sender=Participant)
def part_saved(sender, instance, **kwargs):
    before = getattr(instance, "_derived_before", None) or {}
    derived.agreements_changed([instance.agreement_id, before.get("agreement")])


@receiver(post_delete, sender=Party)
@receiver(post_delete, sender=Participant)
def part_deleted(sender, instance, origin=None, **kwargs):
    origin_model = getattr(origin, "model", type(origin))
    if origin_model is Agreement:
        return  # deleted with its agreement: nothing left to refresh
    derived.agreements_changed([instance.agreement_id])


@receiver(m2m_changed, sender=Agreement.sectors.through)
def sectors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action.startswith("post_"):
            derived.agreements_changed([instance.pk])
    elif action == "pre_clear":
        instance._derived_agreements = list(instance.agreements.values_list("pk", flat=True))
    elif action == "post_clear":
        derived.agreements_changed(getattr(instance, "_derived_agreements", []))
    elif action in ("post_add", "post_remove"):
        derived.agreements_changed(pk_set or [])


# --- Records that agreements show: organisations, people, positions, sectors, regions -----


def affected_agreements(instance):
    """The pks of the agreements whose derived data show ``instance``."""
    if isinstance(instance, Organisation):
        parties = Party.objects.filter(Q(organisation=instance) | Q(organisation__parent=instance))
        return parties.values_list("agreement", flat=True)
    if isinstance(instance, Person):
        return Participant.objects.filter(person=instance).values_list("agreement", flat=True)
    if isinstance(instance, Position):
        return Participant.objects.filter(position=instance).values_list("agreement", flat=True)
    if isinstance(instance, Sector):
        return instance.agreements.values_list("pk", flat=True)
    if isinstance(instance, Region):
        return AgreementRegion.objects.filter(region=instance).values_list("agreement", flat=True)
    return []


def record_saving(sender, instance, raw=False, **kwargs):
    if raw and sender is Region:
        return  # a fixture load of 7,800 regions: no query per region (see below)
    _remember(instance, WATCHED_FIELDS[sender])


def record_saved(sender, instance, created, raw=False, **kwargs):
    if raw and sender is Region:
        if not created:
            derived.regions_changed([instance.pk])
        return
    if not created and _changed(instance, WATCHED_FIELDS[sender]):
        derived.agreements_changed(set(affected_agreements(instance)))


def sector_deleting(sender, instance, **kwargs):
    # Deleting a sector removes its agreements' links without an m2m_changed signal.
    instance._derived_agreements = list(affected_agreements(instance))


def sector_deleted(sender, instance, **kwargs):
    derived.agreements_changed(getattr(instance, "_derived_agreements", []))


for model in WATCHED_FIELDS:
    pre_save.connect(record_saving, sender=model, dispatch_uid=f"derived-{model.__name__}-pre")
    post_save.connect(record_saved, sender=model, dispatch_uid=f"derived-{model.__name__}-post")

pre_delete.connect(sector_deleting, sender=Sector, dispatch_uid="derived-sector-deleting")
post_delete.connect(sector_deleted, sender=Sector, dispatch_uid="derived-sector-deleted")


# --- The data version: cached aggregates follow every write (cooperation.caching) ---------


def _catalogue_models():
    from django.apps import apps

    for label in ("regions", "cooperation"):
        for model in apps.get_app_config(label).get_models():
            if model is DataVersion or model.__name__.startswith("Historical"):
                continue
            yield model


for model in _catalogue_models():
    uid = f"data-version-{model._meta.label}"
    post_save.connect(caching.data_changed, sender=model, dispatch_uid=f"{uid}-saved")
    post_delete.connect(caching.data_changed, sender=model, dispatch_uid=f"{uid}-deleted")
m2m_changed.connect(
    caching.data_changed, sender=Agreement.sectors.through, dispatch_uid="data-version-sectors"
)
