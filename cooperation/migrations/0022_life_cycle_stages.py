# The life cycle (issue 7 item 5): stages "in renewal", "suspended" and "terminated (ended
# early)"; "ended" goes, because "expired" follows from the validity end and the clock and is
# never stored (Agreement.validity).

from django.db import migrations, models

EXPLORATORY_KINDS = ["exploratory_meeting", "working_visit", "letter_of_intent", "other"]
SIGNED_STAGE = {
    "joint_agreement": "joint_agreement_signed",
    "cooperation_agreement": "cooperation_agreement_signed",
    "addendum": "cooperation_agreement_signed",
}


def ended_to_derived(apps, schema_editor):
    """An agreement at "ended": a meeting, visit or letter goes back to exploration; a signed
    agreement with a validity end keeps its signed stage (it shows as expired once that day has
    passed); one with no validity end recorded ended before its time: terminated."""
    Agreement = apps.get_model("cooperation", "Agreement")
    ended = Agreement.objects.filter(stage="ended")
    ended.filter(kind__in=EXPLORATORY_KINDS).update(stage="exploration")
    for kind, stage in SIGNED_STAGE.items():
        ended.filter(kind=kind, valid_until__isnull=False).update(stage=stage)
    ended.update(stage="terminated")


def derived_to_ended(apps, schema_editor):
    """Back: the new stages become the nearest old one ("ended" for terminated; in renewal and
    suspended were signed and running). Which stage an expired agreement once had by hand is
    not recorded: it stays at its signed stage."""
    Agreement = apps.get_model("cooperation", "Agreement")
    Agreement.objects.filter(stage="terminated").update(stage="ended")
    for kind, stage in SIGNED_STAGE.items():
        Agreement.objects.filter(stage__in=["in_renewal", "suspended"], kind=kind).update(
            stage=stage
        )
    Agreement.objects.filter(stage__in=["in_renewal", "suspended"]).update(stage="implementation")


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0021_remove_agreement_follows_from"),
        ("regions", "0002_districts"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="agreement",
            name="agreement_stage_valid",
        ),
        migrations.RunPython(ended_to_derived, derived_to_ended),
        migrations.AlterField(
            model_name="agreement",
            name="stage",
            field=models.CharField(
                choices=[
                    ("exploration", "exploration"),
                    ("joint_agreement_signed", "joint agreement signed"),
                    ("cooperation_agreement_signed", "cooperation agreement signed"),
                    ("implementation", "in implementation"),
                    ("in_renewal", "in renewal"),
                    ("suspended", "suspended"),
                    ("terminated", "terminated (ended early)"),
                ],
                max_length=30,
                verbose_name="stage",
            ),
        ),
        migrations.AlterField(
            model_name="historicalagreement",
            name="stage",
            field=models.CharField(
                choices=[
                    ("exploration", "exploration"),
                    ("joint_agreement_signed", "joint agreement signed"),
                    ("cooperation_agreement_signed", "cooperation agreement signed"),
                    ("implementation", "in implementation"),
                    ("in_renewal", "in renewal"),
                    ("suspended", "suspended"),
                    ("terminated", "terminated (ended early)"),
                ],
                max_length=30,
                verbose_name="stage",
            ),
        ),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "stage__in",
                        [
                            "exploration",
                            "joint_agreement_signed",
                            "cooperation_agreement_signed",
                            "implementation",
                            "in_renewal",
                            "suspended",
                            "terminated",
                        ],
                    )
                ),
                name="agreement_stage_valid",
                violation_error_message="Choose a valid stage.",
            ),
        ),
    ]
