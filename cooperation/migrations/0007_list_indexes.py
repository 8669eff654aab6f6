from django.db import migrations, models


class Migration(migrations.Migration):
    # The admin's year filters read their first and last year from these indexes (MIN and MAX
    # without reading the rows); the follow-up list's order is the second one.

    dependencies = [
        ('cooperation', '0006_reminders'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['date'], name='agreement_date'),
        ),
        migrations.AddIndex(
            model_name='followup',
            index=models.Index(fields=['due_date', 'id'], name='follow_up_list_order'),
        ),
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['published_on'], name='source_published_on'),
        ),
    ]
