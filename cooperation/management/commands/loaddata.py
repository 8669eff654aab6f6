"""``manage.py loaddata``, as Django's, with the agreements' derived data refreshed once at the
end of the load (inside its transaction) instead of once per row the fixture saves, and regions
found by their code from one map read at the start (``RegionManager.natural_keys_cached``)."""

from django.core.management.commands import loaddata
from django.db import connections

from cooperation import derived
from cooperation.derived import DERIVED_MODELS
from regions.models import Region


class Command(loaddata.Command):
    def loaddata(self, fixture_labels):
        with derived.deferred(), Region.objects.db_manager(self.using).natural_keys_cached():
            super().loaddata(fixture_labels)
        # As Django does after loading: check the foreign keys of the rows just written (on
        # PostgreSQL this also runs the deferred checks now, not at commit).
        connections[self.using].check_constraints(
            table_names=[model._meta.db_table for model in DERIVED_MODELS]
        )
