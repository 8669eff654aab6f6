# "Follows from" is now a "follows up" relation (migration 0020 moved the data).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0020_agreement_relations"),
    ]

    operations = [
        migrations.RemoveField(model_name="agreement", name="follows_from"),
        migrations.RemoveField(model_name="historicalagreement", name="follows_from"),
    ]
