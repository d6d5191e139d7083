"""Two people change the same case, or the same meeting, at the same moment, on PostgreSQL.

Each person is a thread with its own database connection. A barrier lines them
up; whoever takes the row lock first then keeps its transaction open until the
other is *seen* waiting on that lock (pg_stat_activity), so the two really
overlap on every run instead of merely following each other. One wins; the
other gets a conflict in Bahasa Indonesia; nothing of the winner's is lost and
nothing of the loser's is half-written.
"""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from casework.models import Case, CaseEvent, Meeting
from casework.services.cases import case_update_text
from casework.services.errors import CaseConflict
from casework.services.meetings import meeting_create, meeting_set_order, meeting_update_details
from tests.conftest import make_case
from tests.factories import UserFactory
from tests.faults.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]

CASE_CONFLICT = "telah diubah oleh orang lain sejak Anda membukanya"
MEETING_CONFLICT = "Pertemuan ini telah diubah oleh orang lain sejak Anda membukanya"


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps the first snapshot of pg_stat_activity: drop it to see now.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def race(*calls):
    """Run the calls at the same moment, one thread (and connection) each; returns each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    first_done = threading.Lock()

    def run(i: int, call) -> None:
        try:
            barrier.wait(timeout=20)
            with transaction.atomic():
                value = call()
                if first_done.acquire(blocking=False):
                    # The first one through holds the row lock still: it commits only once the other
                    # one is queued behind that lock.
                    wait_for(lambda: _lock_waiters() >= len(calls) - 1, timeout=20, what="the other one waiting")
            results[i] = value
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def colleague(world):
    """A second staff member of the same kecamatan."""
    return UserFactory(username="kec_a1_kedua", role="kecamatan", kecamatan=world.kec_a1)


def test_it_lets_one_of_two_simultaneous_case_steps_win_and_keeps_the_others_text(world, postgres_db, colleague,
                                                                                  discard_enqueues):
    case = make_case(world)
    version = case.version
    url = f"/kasus/{case.pk}/aksi/"
    people = {"escalate": Client(), "resolve_locally": Client()}
    people["escalate"].force_login(world.kecamatan_user)
    people["resolve_locally"].force_login(colleague)
    forms = {
        "escalate": {"escalate-version": version, "escalate-note": "Mohon dukungan penyuluh dari kabupaten."},
        "resolve_locally": {"resolve_locally-version": version,
                            "resolve_locally-note": "Kepala desa sudah mengatur jadwal penyuluh sendiri.",
                            "resolve_locally-resolved_by": "Pemerintah Desa X"},
    }
    actions = list(forms)
    answers = race(*[lambda a=a: people[a].post(f"{url}{a}/", forms[a]) for a in actions])

    assert sorted(a.status_code for a in answers) == [302, 409]
    winner, loser = (actions[0], actions[1]) if answers[0].status_code == 302 else (actions[1], actions[0])
    page = answers[actions.index(loser)].content.decode()
    assert CASE_CONFLICT in page  # the loser is told, in Bahasa Indonesia ...
    assert forms[loser][f"{loser}-note"] in page  # ... and still has what they typed

    case.refresh_from_db()
    assert case.state == {"escalate": "escalated", "resolve_locally": "resolved"}[winner]
    assert case.version == version + 1
    steps = list(CaseEvent.objects.filter(case=case, kind="transition").values_list("action", "note"))
    assert steps == [(winner, forms[winner][f"{winner}-note"])]  # the winner's step, once; none of the loser's


def test_it_lets_one_of_two_simultaneous_text_edits_win(world, postgres_db, colleague, discard_enqueues):
    case = make_case(world)
    version = case.version
    edits = {world.kecamatan_user: "Penyuluh dipindahtugaskan.", colleague: "Jadwal bentrok dengan panen."}
    results = race(*[lambda u=u, text=text: case_update_text(user=u, case_id=case.pk, expected_version=version,
                                                             cause=text) for u, text in edits.items()])

    conflicts = [r for r in results if isinstance(r, CaseConflict)]
    saved = [r for r in results if isinstance(r, Case)]
    assert len(conflicts) == 1 and len(saved) == 1, results
    assert CASE_CONFLICT in conflicts[0].message
    case.refresh_from_db()
    assert case.cause == saved[0].cause and case.version == version + 1
    assert conflicts[0].current.cause == case.cause  # the loser is shown what the winner wrote
    assert CaseEvent.objects.filter(case=case, kind="edited").count() == 1


@pytest.fixture
def meeting(world):
    return meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk,
                          date=timezone.localdate() + timedelta(days=7), place="Kantor Camat",
                          desa_ids=[world.desa_a1.pk, world.desa_a1b.pk])


def test_it_lets_one_of_two_staff_editing_a_meeting_at_once_win(world, postgres_db, colleague, meeting):
    version, day = meeting.version, meeting.date
    details = {world.kecamatan_user: ("Balai Desa X", "Camat"), colleague: ("Aula Puskesmas", "Sekretaris Camat")}
    results = race(*[lambda u=u, place=place, chair=chair: meeting_update_details(
        user=u, meeting_id=meeting.pk, expected_version=version, date=day, place=place, chair=chair)
        for u, (place, chair) in details.items()])

    conflicts = [r for r in results if isinstance(r, CaseConflict)]
    saved = [r for r in results if isinstance(r, Meeting)]
    assert len(conflicts) == 1 and len(saved) == 1, results
    assert MEETING_CONFLICT in conflicts[0].message
    meeting.refresh_from_db()
    assert (meeting.place, meeting.chair) == (saved[0].place, saved[0].chair)  # the winner's pair, not a mix
    assert meeting.version == version + 1


def test_it_lets_one_of_a_simultaneous_reorder_and_edit_of_a_meeting_win(world, postgres_db, colleague, meeting):
    version, day = meeting.version, meeting.date
    new_order = [world.desa_a1b.pk, world.desa_a1.pk]
    results = race(
        lambda: meeting_set_order(user=world.kecamatan_user, meeting_id=meeting.pk, desa_ids=new_order,
                                  expected_version=version),
        lambda: meeting_update_details(user=colleague, meeting_id=meeting.pk, expected_version=version, date=day,
                                       place="Aula Puskesmas"),
    )

    assert sum(isinstance(r, CaseConflict) for r in results) == 1, results
    meeting.refresh_from_db()
    order = list(meeting.desa_entries.order_by("position").values_list("desa_id", flat=True))
    if isinstance(results[0], Meeting):  # the reorder won: the order changed, the place did not
        assert (order, meeting.place) == (new_order, "Kantor Camat")
    else:
        assert (order, meeting.place) == ([world.desa_a1.pk, world.desa_a1b.pk], "Aula Puskesmas")
    assert meeting.version == version + 1
