"""The benchmark command end to end on a tiny data set, in the (empty) test database, and its safety checks."""
from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from casework.benchmark.scenarios import SCENARIOS
from casework.models import Case, Kabupaten, Province
from tests.conftest import make_case


@pytest.mark.django_db
def test_it_generates_measures_reports_and_removes_its_data(tmp_path):
    out = tmp_path / "bench.jsonl"
    stdout = io.StringIO()
    call_command("benchmark", cases=200, allow_sqlite=True, repeat=2, json_path=str(out), stdout=stdout)

    rows = [json.loads(line) for line in out.read_text().splitlines()]
    by_name = {row["name"]: row for row in rows}
    assert set(by_name) == {"generate", *SCENARIOS}
    assert by_name["generate"]["detail"]["Case"] == 200
    failed = {name: row["note"] for name, row in by_name.items() if not row["available"]}
    assert failed == {}
    for name in SCENARIOS:
        row = by_name[name]
        assert row["n_cases"] == 200 and row["repeat"] == 2
        assert row["median_ms"] > 0 and row["p95_ms"] >= row["median_ms"] and row["queries"] > 0
        assert row["peak_rss_mb"] > 0
    # The generated shape gives the sweep something to do, and the idle sweep nothing.
    assert by_name["reminder_sweep"]["detail"]["created"] > 0
    assert by_name["reminder_sweep_idle"]["detail"]["created"] == 0
    assert by_name["export_register"]["detail"]["rows"] == 200
    assert "median ms" in stdout.getvalue()
    # Without --keep nothing of it stays behind.
    assert not Province.objects.filter(name="BENCHMARK").exists()
    assert Case.objects.count() == 0 and Kabupaten.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_to_touch_a_database_holding_other_data(world):
    case = make_case(world)
    with pytest.raises(CommandError, match="bukan buatan benchmark"):
        call_command("benchmark", cases=200, allow_sqlite=True, repeat=1, stdout=io.StringIO())
    assert list(Case.objects.values_list("pk", flat=True)) == [case.pk]
    assert not Province.objects.filter(name="BENCHMARK").exists()


@pytest.mark.django_db
def test_it_refuses_sqlite_unless_asked_for_a_smoke_run():
    if connection.vendor != "sqlite":
        pytest.skip("only meaningful on SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("benchmark", cases=200, stdout=io.StringIO())
    assert not Province.objects.exists()
