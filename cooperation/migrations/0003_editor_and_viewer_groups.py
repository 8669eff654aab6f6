"""Create the "Editor" and "Viewer" groups.

Editor: add, change and view every catalogue model of regions and cooperation, and view their
history. No delete permission and nothing on users or groups.
Viewer: view only, on the same models and their history.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATALOGUE_MODELS = {
    "regions": ["region", "organisation", "person", "position", "tenure"],
    "cooperation": [
        "sector",
        "source",
        "agreement",
        "party",
        "participant",
        "followup",
        "citation",
        "document",
    ],
}

GROUPS = {
    "Editor": {"catalogue": ["add", "change", "view"], "history": ["view"]},
    "Viewer": {"catalogue": ["view"], "history": ["view"]},
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create them now so that
    # the groups can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, actions in GROUPS.items():
        codenames = []
        for models in CATALOGUE_MODELS.values():
            for model in models:
                codenames += [f"{action}_{model}" for action in actions["catalogue"]]
                codenames += [f"{action}_historical{model}" for action in actions["history"]]
        permissions = Permission.objects.filter(
            content_type__app_label__in=list(CATALOGUE_MODELS), codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {group_name}: {sorted(missing)}")
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.set(permissions)


def delete_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=list(GROUPS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("regions", "0001_initial"),
        ("cooperation", "0002_document"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
