"""Cached aggregates that follow the data: the statistics, the network and the dashboard's
figures are computed once per version of the catalogue's data, not once per request.

The version is one database row (``DataVersion``) that every write through the ORM bumps
(``cooperation.signals`` connects ``data_changed`` to every catalogue model; bulk writers call
it themselves, as ``derived.rebuild_all`` does). A cached value's key holds the version, so a
write anywhere makes every process compute afresh on its next request: reading the version is
one indexed query of one row. Each process also counts the writes it has seen itself
(``_generation``), so a write inside a transaction (an admin page, a test) is seen by the same
process at once, before it commits.

``cached_identity`` is read by every page, so it does not ask the database for the version: a
change of the identity seen by this process refreshes it at once, another process's within
``IDENTITY_TIMEOUT`` seconds. ``cached_briefly`` does the same for other small values that every
list page reads (the filters' choices of sectors and countries): a write seen by this process
refreshes them at once, another process's within ``BRIEF_TIMEOUT`` seconds.
"""

import hashlib
import itertools

from django.core.cache import cache
from django.db.models import F

from .models import DataVersion
from .models.identity import SINGLETON_PK

AGGREGATE_TIMEOUT = 24 * 60 * 60
IDENTITY_TIMEOUT = 60
BRIEF_TIMEOUT = 60

_generations = itertools.count(1)
_generation = 0
_identity_generation = 0


def data_changed(sender=None, **kwargs):
    """Say that the catalogue's data changed: cached aggregates are computed afresh (and the
    identity, when it is what changed)."""
    global _generation, _identity_generation
    _generation = next(_generations)
    if sender is not None and sender._meta.label == "cooperation.SiteIdentity":
        _identity_generation = _generation
    if not DataVersion.objects.filter(pk=SINGLETON_PK).update(number=F("number") + 1):
        DataVersion.objects.get_or_create(pk=SINGLETON_PK, defaults={"number": 1})


def data_version():
    """The version of the catalogue's data, as this process sees it."""
    number = DataVersion.objects.filter(pk=SINGLETON_PK).values_list("number", flat=True).first()
    return f"{number or 0}.{_generation}"


def cached(name, compute, version=None, timeout=AGGREGATE_TIMEOUT):
    """``compute()``, cached under ``name`` for the current data version (pass ``version`` to
    ask for it once for several values). ``name`` must say everything the value depends on
    besides the data: the reader's kind, the filters, the language."""
    version = data_version() if version is None else version
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return cache.get_or_set(f"aggregate:{version}:{digest}", compute, timeout)


def identity_key():
    return f"identity:{_identity_generation}"


def cached_identity(compute):
    return cache.get_or_set(identity_key(), compute, IDENTITY_TIMEOUT)


def cached_briefly(name, compute, timeout=BRIEF_TIMEOUT):
    """``compute()``, cached under ``name`` without asking the database for the data version:
    recomputed after any write this process sees, and at the latest after ``timeout`` seconds
    (a write made by another process). For small values that every page reads; ``name`` must
    say everything the value depends on besides the data (the reader's kind, the language)."""
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return cache.get_or_set(f"brief:{_generation}:{digest}", compute, timeout)
