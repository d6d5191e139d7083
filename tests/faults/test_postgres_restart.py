"""PostgreSQL restarts while people work: clear error pages, nothing half-written, no app restart needed.

The app runs under gunicorn (one sync worker: one persistent database connection,
``conn_max_age=60`` with ``conn_health_checks=True``) against a PRIVATE cluster
that the test stops, starts and restarts; the machine's shared PostgreSQL is
never touched.
"""
from __future__ import annotations

import json
import re
import threading

import pytest

from tests.faults.app_scripts import PASSWORD
from tests.faults.conftest import Browser, manage, private_app_env, run_script, wait_for, web_server

pytestmark = [pytest.mark.services, pytest.mark.timeout(240)]

ERROR_TEXT = "Terjadi gangguan, coba lagi"


def obstacle(text: str) -> dict:
    return {"target": "", "obstacle": text, "cause": "Laporan terlambat", "solution": "", "support_needed": "",
            "support_from": "desa"}


def escalate_form(page: str, note: str) -> dict:
    version = re.search(r'name="escalate-version" value="(\d+)"', page)
    assert version, "the escalate form is missing from the case page"
    return {"escalate-version": version.group(1), "escalate-note": note}


def census(url: str, env: dict) -> dict:
    return json.loads(run_script("census", database_url=url, **env))


def test_it_survives_a_postgres_restart_while_people_work(private_postgres, tmp_path):
    url = private_postgres.createdb("tindaklanjut")
    env = private_app_env(url, tmp_path)
    migrated = manage("migrate", "--no-input", database_url=url, **env)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    world = json.loads(run_script("seed", database_url=url, **env))
    record = f"/pertemuan/{world['meeting']}/desa/{world['desa'][0]}/kendala/"

    with web_server(env) as (base, log_path, proc):
        staff = Browser(base)
        staff.login(world["kecamatan_user"], PASSWORD)
        assert staff.post(record, obstacle("Laporan keuangan desa terlambat")).status_code == 302
        (case_id,) = [row[0] for row in census(url, env)["rows"] if row[4] == "Laporan keuangan desa terlambat"]
        detail = f"/kasus/{case_id}/"
        assert staff.get(detail).status_code == 200

        # 1. A restart between two clicks: the pooled connection is dead, the next request must not fail.
        private_postgres.restart()
        page = staff.get(detail)
        assert page.status_code == 200, page.text[:500]

        # 2. An outage while people keep working: a colleague keeps recording obstacles throughout.
        colleague = Browser(base)
        colleague.login(world["kecamatan_user"], PASSWORD)
        outcomes: dict[str, int | str] = {}
        stop_hammer = threading.Event()

        def keep_recording() -> None:
            n = 0
            while not stop_hammer.is_set():
                text = f"Kendala beruntun nomor {n}"
                try:
                    outcomes[text] = colleague.post(record, obstacle(text)).status_code
                except Exception as exc:  # noqa: BLE001 - no answer at all: recorded, and fails the test below
                    outcomes[text] = repr(exc)
                n += 1

        hammer = threading.Thread(target=keep_recording, daemon=True)
        hammer.start()
        private_postgres.stop()
        during = [staff.get(detail), staff.post(f"/kasus/{case_id}/aksi/escalate/",
                                                escalate_form(page.text, "Mohon dukungan kabupaten.")),
                  staff.post(record, obstacle("Kendala yang dicatat saat gangguan"))]
        for answer in during:
            assert answer.status_code == 500
            assert ERROR_TEXT in answer.text  # a clear page in Bahasa Indonesia ...
            assert "Traceback" not in answer.text and "OperationalError" not in answer.text  # ... not a dump
        wait_for(lambda: 500 in outcomes.values(), what="the colleague's click during the outage")
        private_postgres.start()
        before = sum(1 for status in list(outcomes.values()) if status == 302)

        # 3. Back without restarting the app: the same session reads and writes again.
        page = staff.get(detail)
        assert page.status_code == 200
        assert staff.post(f"/kasus/{case_id}/aksi/escalate/",
                          escalate_form(page.text, "Mohon dukungan kabupaten.")).status_code == 302
        assert staff.post(record, obstacle("Kendala setelah pulih")).status_code == 302
        wait_for(lambda: sum(1 for status in list(outcomes.values()) if status == 302) > before,
                 what="the colleague's click after the outage")
        stop_hammer.set()
        hammer.join(timeout=30)
        assert proc.poll() is None
    assert log_path.read_text().count("Booting worker") == 1  # gunicorn never replaced its worker either

    failed = {text for text, status in outcomes.items() if status == 500}
    saved_ok = {text for text, status in outcomes.items() if status == 302}
    assert failed and saved_ok, outcomes  # the colleague's clicks really spanned the outage
    assert set(outcomes.values()) <= {302, 500}

    # Nothing half-written: every case has exactly one "created" event and a history that ends in its state.
    result = census(url, env)
    assert result["without_created"] == [] and result["disagreeing"] == [] and result["orphan_events"] == []
    stored = {row[4] for row in result["rows"]}
    assert saved_ok <= stored  # every confirmed save is there ...
    assert stored - saved_ok <= failed | {"Laporan keuangan desa terlambat", "Kendala setelah pulih"}
    assert "Kendala yang dicatat saat gangguan" not in stored  # ... and the refused one is not
    (escalated,) = [row for row in result["rows"] if row[0] == case_id]
    assert escalated[1:4] == [2, "escalated", "escalated"]  # created + one escalation: the refused try left nothing
