"""Permissions of the Editor and Viewer groups, given by data migrations.

A migration that adds a catalogue model gives the groups their permissions on it with
``RunPython(*grant({"Editor": [...], "Viewer": [...]}))``: forwards adds them, backwards
removes them. A group removed by hand is left alone.
"""


def _groups_and_permissions(apps, wanted):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations have run: create them now.
    app_config = apps.get_app_config("cooperation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=list(wanted)):
        codenames = wanted[group.name]
        permissions = Permission.objects.filter(
            content_type__app_label="cooperation", codename__in=codenames
        )
        if permissions.count() != len(codenames):
            raise RuntimeError(f"Permissions missing for the {group.name} group: {codenames}")
        yield group, permissions


def grant(wanted):
    """(forwards, backwards) functions for RunPython giving each group in ``wanted`` (name:
    codenames of the cooperation app) those permissions."""

    def forwards(apps, schema_editor):
        for group, permissions in _groups_and_permissions(apps, wanted):
            group.permissions.add(*permissions)

    def backwards(apps, schema_editor):
        for group, permissions in _groups_and_permissions(apps, wanted):
            group.permissions.remove(*permissions)

    return forwards, backwards
