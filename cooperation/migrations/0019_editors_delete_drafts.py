"""Editors delete draft agreements; deleting a published one stays with administrators.

The permission "Can delete a published agreement" (delete_published_agreement) is declared on
Agreement; no group gets it (superusers have every permission). The Editor group gets
delete_agreement, which the admin limits to drafts for users without the new permission
(AgreementAdmin.has_delete_permission). A draft goes with all its parts: its evaluations (which
Editors may delete, 0017) and its follow-ups' occurrences (which they may not delete one by one:
AgreementAdmin.get_deleted_objects lets them go with the agreement).
"""

from django.db import migrations, models

from cooperation.group_permissions import grant

allow_deleting_drafts, forbid_deleting_drafts = grant({"Editor": ["delete_agreement"]})


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0018_public_and_staff_notes")]

    operations = [
        migrations.AlterModelOptions(
            name="agreement",
            options={
                "ordering": [
                    models.OrderBy(models.F("date"), descending=True, nulls_last=True),
                    "title",
                    "id",
                ],
                "permissions": [
                    ("delete_published_agreement", "Can delete a published agreement")
                ],
                "verbose_name": "agreement",
                "verbose_name_plural": "agreements",
            },
        ),
        migrations.RunPython(allow_deleting_drafts, forbid_deleting_drafts),
    ]
