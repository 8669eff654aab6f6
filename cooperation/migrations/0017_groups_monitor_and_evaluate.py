"""The Editor group records evaluations and marks a recurring follow-up's occurrences done,
as it edits the other parts of an agreement; the Viewer group views them. Both view their
history. (The monitoring migration, 0014, gave no group these permissions.)

Editors may delete an evaluation (a part of an agreement) but not an occurrence: occurrences
follow from the follow-up's recurrence."""

from django.db import migrations

from cooperation.group_permissions import grant

GROUP_PERMISSIONS = {
    "Editor": [
        "add_evaluation",
        "change_evaluation",
        "view_evaluation",
        "delete_evaluation",
        "view_historicalevaluation",
        "add_followupoccurrence",
        "change_followupoccurrence",
        "view_followupoccurrence",
        "view_historicalfollowupoccurrence",
    ],
    "Viewer": [
        "view_evaluation",
        "view_historicalevaluation",
        "view_followupoccurrence",
        "view_historicalfollowupoccurrence",
    ],
}
allow_monitoring, forbid_monitoring = grant(GROUP_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0016_capital_province_renamed")]

    operations = [migrations.RunPython(allow_monitoring, forbid_monitoring)]
