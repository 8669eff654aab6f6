# Typed relations between agreements (issue 7 item 4). Each agreement's "follows from" becomes a
# "follows up" relation here; migration 0021 then removes the field.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from cooperation.group_permissions import grant

# The Editor group edits relations as it edits the other parts of an agreement; the Viewer
# group views them and their history.
GROUP_PERMISSIONS = {
    "Editor": [
        "add_agreementrelation",
        "change_agreementrelation",
        "view_agreementrelation",
        "delete_agreementrelation",
        "view_historicalagreementrelation",
    ],
    "Viewer": ["view_agreementrelation", "view_historicalagreementrelation"],
}


allow_relations, forbid_relations = grant(GROUP_PERMISSIONS)


def follows_from_to_relations(apps, schema_editor):
    """Each agreement's "follows from" becomes a "follows up" relation to that agreement (once:
    running it again adds nothing)."""
    Agreement = apps.get_model("cooperation", "Agreement")
    AgreementRelation = apps.get_model("cooperation", "AgreementRelation")
    pairs = Agreement.objects.filter(follows_from__isnull=False).values_list("pk", "follows_from")
    existing = set(
        AgreementRelation.objects.filter(type="follows_up", earlier__isnull=False).values_list(
            "agreement", "earlier"
        )
    )
    AgreementRelation.objects.bulk_create(
        AgreementRelation(agreement_id=later, earlier_id=earlier, type="follows_up")
        for later, earlier in pairs
        if (later, earlier) not in existing
    )


def relations_to_follows_from(apps, schema_editor):
    """Back: each agreement follows from the earliest agreement it follows up (the field held
    one); relations of other types, or to agreements outside the catalogue, have no place in
    it."""
    Agreement = apps.get_model("cooperation", "Agreement")
    AgreementRelation = apps.get_model("cooperation", "AgreementRelation")
    relations = AgreementRelation.objects.filter(type="follows_up", earlier__isnull=False).order_by(
        "-earlier__date", "-pk"
    )
    earliest = dict(relations.values_list("agreement", "earlier"))  # the last one wins
    for later, earlier in earliest.items():
        Agreement.objects.filter(pk=later).update(follows_from=earlier)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0019_editors_delete_drafts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalAgreementRelation",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "type",
                    models.CharField(
                        choices=[
                            ("follows_up", "follows up"),
                            ("implements", "implements"),
                            ("renews", "renews"),
                            ("amends", "amends (addendum)"),
                            ("replaces", "replaces"),
                            ("terminates", "terminates"),
                        ],
                        max_length=20,
                        verbose_name="type of relation",
                    ),
                ),
                (
                    "earlier_description",
                    models.CharField(
                        blank=True,
                        help_text="If the earlier agreement is not in the catalogue, name it here instead: PKS 2023 No. 658/...",
                        max_length=300,
                        verbose_name="earlier agreement not in the catalogue",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "agreement",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cooperation.agreement",
                        verbose_name="later agreement",
                    ),
                ),
                (
                    "earlier",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The earlier agreement, if it is in the catalogue.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cooperation.agreement",
                        verbose_name="earlier agreement",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical relation to an earlier agreement",
                "verbose_name_plural": "historical relations to earlier agreements",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="AgreementRelation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "type",
                    models.CharField(
                        choices=[
                            ("follows_up", "follows up"),
                            ("implements", "implements"),
                            ("renews", "renews"),
                            ("amends", "amends (addendum)"),
                            ("replaces", "replaces"),
                            ("terminates", "terminates"),
                        ],
                        max_length=20,
                        verbose_name="type of relation",
                    ),
                ),
                (
                    "earlier_description",
                    models.CharField(
                        blank=True,
                        help_text="If the earlier agreement is not in the catalogue, name it here instead: PKS 2023 No. 658/...",
                        max_length=300,
                        verbose_name="earlier agreement not in the catalogue",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="relations",
                        to="cooperation.agreement",
                        verbose_name="later agreement",
                    ),
                ),
                (
                    "earlier",
                    models.ForeignKey(
                        blank=True,
                        help_text="The earlier agreement, if it is in the catalogue.",
                        null=True,
                        on_delete=django.db.models.deletion.RESTRICT,
                        related_name="later_relations",
                        to="cooperation.agreement",
                        verbose_name="earlier agreement",
                    ),
                ),
            ],
            options={
                "verbose_name": "relation to an earlier agreement",
                "verbose_name_plural": "relations to earlier agreements",
                "ordering": ["agreement", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "type__in",
                                [
                                    "follows_up",
                                    "implements",
                                    "renews",
                                    "amends",
                                    "replaces",
                                    "terminates",
                                ],
                            )
                        ),
                        name="agreement_relation_type_valid",
                        violation_error_message="Choose a valid type of relation.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("earlier__isnull", False), ("earlier_description", "")),
                            models.Q(
                                ("earlier__isnull", True),
                                models.Q(("earlier_description", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="agreement_relation_earlier_xor_description",
                        violation_error_message="Choose the earlier agreement or describe it, not both and not neither.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("earlier", models.F("agreement")), _negated=True),
                        name="agreement_relation_not_to_itself",
                        violation_error_message="An agreement cannot be related to itself.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("earlier__isnull", False)),
                        fields=("agreement", "earlier", "type"),
                        name="agreement_relation_unique",
                        violation_error_message="This relation to the earlier agreement is already recorded.",
                    ),
                ],
            },
        ),
        migrations.RunPython(follows_from_to_relations, relations_to_follows_from),
        migrations.RunPython(allow_relations, forbid_relations),
    ]
