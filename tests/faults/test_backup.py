"""The documented backup (docs/deployment.md §7–8): ``pg_dump --format=custom``, then ``pg_restore`` into a
FRESH database, and the app finds every case with its whole history there.

The dump is taken from the test database (read-only for the shared server); the
restore goes into a new database on a PRIVATE cluster.
"""
from __future__ import annotations

import json
import os
import subprocess
from datetime import timedelta

import pytest
from django.db import connection

from casework.services.cases import case_acknowledge, case_add_comment, case_add_progress, case_update_text
from tests.conftest import make_case, step
from tests.faults.app_scripts import census
from tests.faults.conftest import manage, private_app_env, run_script
from tests.notifications.conftest import local_today

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]


def cases_with_history(world) -> None:
    """Cases in every kind of situation, each step through the real services."""
    kec, pokja, officer = world.kecamatan_user, world.pokja_user, world.opd_user
    due = local_today(world) + timedelta(days=14)
    make_case(world, obstacle="Penyuluh pertanian tidak hadir — kelompok tani “Maju Bersama”")
    edited = make_case(world, desa=world.desa_a1b, obstacle="Air bersih")
    edited.refresh_from_db()
    case_update_text(user=kec, case_id=edited.pk, expected_version=edited.version, cause="Pipa bocor")
    local = make_case(world)
    step(local, kec, "resolve_locally", "Diselesaikan oleh kepala desa.", resolved_by="Pemerintah Desa X")
    for i in range(3):
        case = make_case(world, obstacle=f"Laporan keuangan desa terlambat ({i})")
        step(case, kec, "escalate", "Mohon dukungan DPMD.")
        step(case, pokja, "assign", "Mohon ditindaklanjuti.", opd=world.opd_a_tani, due_date=due,
             assignee=officer)
        case.refresh_from_db()
        case_acknowledge(user=officer, case_id=case.pk, expected_version=case.version)
        case_add_progress(user=officer, case_id=case.pk, note="Jadwal penyuluhan disusun.")
        case_add_comment(user=kec, case_id=case.pk, note="Terima kasih.")
        if i:
            step(case, officer, "resolve", "Penyuluh hadir di dua pertemuan.")
        if i == 2:
            step(case, kec, "confirm", "")


def test_a_pg_dump_backup_restores_into_a_fresh_database_with_every_case_and_its_history(
        world, postgres_db, private_postgres, tmp_path, discard_enqueues):
    cases_with_history(world)
    source = census()
    assert source["cases"] == 6 and source["events"] > 20

    # Backup: the documented command, against the live database.
    dump = tmp_path / "tindaklanjut.dump"
    db = connection.settings_dict
    subprocess.run(
        [str(private_postgres.bindir / "pg_dump"), "--format=custom", "-h", db.get("HOST") or "127.0.0.1",
         "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres", "-d", db["NAME"], "-f", str(dump)],
        check=True, capture_output=True, timeout=120, env={**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""})
    assert dump.stat().st_size > 0

    # Restore: into a database created just now, as on a new server.
    target = private_postgres.createdb("tindaklanjut_pulih")
    private_postgres.client("pg_restore", "--no-owner", "--exit-on-error", "-d", "tindaklanjut_pulih", str(dump))

    env = private_app_env(target, tmp_path)
    restored = json.loads(run_script("census", database_url=target, **env))  # a fresh app process reads it
    assert restored["rows"] == source["rows"]  # every case: id, number of events, state, last state, text
    assert (restored["cases"], restored["events"], restored["checksum"]) == (
        source["cases"], source["events"], source["checksum"])
    assert restored["tables"] == source["tables"]  # users, plans, meetings, notifications ... too
    assert restored["without_created"] == restored["disagreeing"] == restored["orphan_events"] == []
    check = manage("migrate", "--check", database_url=target, **env)  # the schema is complete and current
    assert check.returncode == 0, check.stdout + check.stderr
