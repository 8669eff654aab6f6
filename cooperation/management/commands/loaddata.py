"""``manage.py loaddata``, as Django's, with the agreements' derived data refreshed once at the
end of the load (inside its transaction) instead of once per row the fixture saves."""

from django.core.management.commands import loaddata

from cooperation import derived


class Command(loaddata.Command):
    def loaddata(self, fixture_labels):
        with derived.deferred():
            super().loaddata(fixture_labels)
