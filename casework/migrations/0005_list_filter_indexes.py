"""The national case list filtered by state and overdue; the newest meetings (docs/performance.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0004_case_list_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['state', 'deadline_at'], name='case_state_deadline'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['-date'], name='meeting_newest'),
        ),
    ]
