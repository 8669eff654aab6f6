"""Let the Editor group remove a wrong part of an agreement.

Editors may delete an agreement's parties, participants, follow-up actions, citations and
documents (on the agreement page or the part's own page), and nothing else: not agreements,
regions, organisations, officials, positions, tenures, sectors or sources.
"""

from django.db import migrations

AGREEMENT_PARTS = ["party", "participant", "followup", "citation", "document"]
CODENAMES = [f"delete_{model}" for model in AGREEMENT_PARTS]


def editor_and_permissions(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    permissions = Permission.objects.filter(
        content_type__app_label="cooperation", codename__in=CODENAMES
    )
    return editor, permissions


def allow_deleting_parts(apps, schema_editor):
    editor, permissions = editor_and_permissions(apps)
    if editor is None:  # the group was removed by hand: nothing to extend
        return
    missing = set(CODENAMES) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Permissions missing for the Editor group: {sorted(missing)}")
    editor.permissions.add(*permissions)


def forbid_deleting_parts(apps, schema_editor):
    editor, permissions = editor_and_permissions(apps)
    if editor is not None:
        editor.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0003_editor_and_viewer_groups"),
    ]

    operations = [migrations.RunPython(allow_deleting_parts, forbid_deleting_parts)]
