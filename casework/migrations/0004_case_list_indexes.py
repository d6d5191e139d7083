"""Indexes in the sort orders of the case list, so a first page is read in index order (docs/performance.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0003_case_text_search_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(models.F('kabupaten'), models.OrderBy(models.F('deadline_at')), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('state__in', ['raised', 'escalated', 'assigned', 'resolved'])), name='case_kab_open_by_deadline'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(models.OrderBy(models.F('created_at'), descending=True), models.OrderBy(models.F('id'), descending=True), name='case_newest'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(models.F('state'), models.OrderBy(models.F('created_at'), descending=True), models.OrderBy(models.F('id'), descending=True), name='case_state_newest'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(models.F('kabupaten'), models.OrderBy(models.F('created_at'), descending=True), models.OrderBy(models.F('id'), descending=True), name='case_kab_newest'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(models.F('kecamatan'), models.OrderBy(models.F('created_at'), descending=True), models.OrderBy(models.F('id'), descending=True), name='case_kec_newest'),
        ),
    ]
