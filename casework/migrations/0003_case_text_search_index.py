"""Full-text GIN index on the case texts (PostgreSQL only).

Built from ``casework.text_search.document()`` so the index expression is, by
construction, the one the selectors query with. SQLite has no GIN index and
keeps its ``icontains`` fallback, so there this migration does nothing.
"""
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations


def _index():
    from casework import text_search

    return GinIndex(text_search.document(), name=text_search.INDEX_NAME)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("casework", "Case"), _index())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("casework", "Case"), _index())


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
