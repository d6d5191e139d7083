"""Fast row loading for the benchmark: PostgreSQL COPY, or executemany elsewhere (the tiny SQLite smoke run).

Rows are plain tuples in the order of the field names given; ids are chosen by
the generator so that rows can point at each other without reading anything
back. On PostgreSQL the big tables lose their secondary indexes and foreign
keys while they are filled and get them back afterwards (one index build and
one validating join each, far cheaper than maintaining them row by row).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection, models


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[models.Field]:
    return [model._meta.get_field(name) for name in fields]


class Loader:
    def __init__(self):
        self.pg = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}

    @staticmethod
    def next_id(model: type[models.Model]) -> int:
        return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1

    def load(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
        """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table. Returns the number of rows."""
        rows = list(rows) if not isinstance(rows, list) else rows
        if not rows:
            return 0
        cols = _columns(model, fields)
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c.column) for c in cols)
        json_at = [i for i, c in enumerate(cols) if isinstance(c, models.JSONField)]
        with connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    if json_at:
                        for row in rows:
                            row = list(row)
                            for i in json_at:
                                value = row[i]
                                row[i] = value if isinstance(value, str) else json.dumps(value)
                            copy.write_row(row)
                    else:
                        for row in rows:
                            copy.write_row(row)
            else:
                prepared = [tuple(c.get_db_prep_save(v, connection) for c, v in zip(cols, row)) for row in rows]
                marks = ", ".join(["%s"] * len(cols))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(rows)
        return len(rows)

    def reset_sequences(self, model_list: Sequence[type[models.Model]]) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    @contextmanager
    def bare_tables(self, model_list: Sequence[type[models.Model]]):
        """PostgreSQL: drop secondary indexes and foreign keys of these tables during the load, then restore them."""
        if not self.pg:
            yield
            return
        saved: list[tuple[str, str, str]] = []  # (kind, table, definition)
        with connection.cursor() as cursor:
            for model in model_list:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", [table])
                for name, definition in cursor.fetchall():
                    saved.append(("index", table, definition))
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
                for name, definition in cursor.fetchall():
                    saved.append(("fk", table, f"ALTER TABLE {connection.ops.quote_name(table)} ADD CONSTRAINT "
                                               f"{connection.ops.quote_name(name)} {definition}"))
                    cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} "
                                   f"DROP CONSTRAINT {connection.ops.quote_name(name)}")
        yield
        with connection.cursor() as cursor:
            # A little more memory for the index builds of this session only.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for kind, _table, definition in saved:
                if kind == "index":
                    cursor.execute(definition)
            for kind, _table, definition in saved:
                if kind == "fk":
                    cursor.execute(definition)

    def analyze(self, model_list: Sequence[type[models.Model]]) -> None:
        """Fresh planner statistics (and, on PostgreSQL, the visibility map for index-only scans)."""
        with connection.cursor() as cursor:
            for model in model_list:
                table = connection.ops.quote_name(model._meta.db_table)
                # VACUUM cannot run inside a transaction (e.g. the test suite's): ANALYZE alone then.
                vacuum = self.pg and not connection.in_atomic_block
                cursor.execute(f"VACUUM ANALYZE {table}" if vacuum else f"ANALYZE {table}")
