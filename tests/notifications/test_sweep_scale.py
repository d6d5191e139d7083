"""The sweep at scale: chunk boundaries, queries that do not grow with the due cases, exact counts.

docs/performance.md (gap 4): the anti-join runs once per kind, rows are read and inserted in chunks,
and the created count is the INSERT's own row count.
"""
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

import notifications.sweep as sweep
from casework.models import Case
from casework.services.meetings import carried_over_cases, meeting_create, meeting_prepare
from notifications.models import Notification
from notifications.sweep import sweep_reminders
from tests.conftest import make_case, step
from tests.notifications.conftest import assigned_case, local_today

LEDGER = ("recipient_id", "key", "kind", "case_id", "meeting_id", "ref_at", "covers_until", "period", "payload",
          "send_after")


def _due_mix(world, n: int) -> None:
    """n cases of each situation: overdue long enough to be escalated, due soon, and without updates."""
    today = local_today(world)
    for i in range(n):
        assigned_case(world, due=today - timedelta(days=9), assigned_days_ago=20, obstacle=f"Lama {i:02d}")
        assigned_case(world, due=today + timedelta(days=2), obstacle=f"Segera {i:02d}")
        assigned_case(world, due=today + timedelta(days=20), assigned_days_ago=15, obstacle=f"Diam {i:02d}")


def _ledger() -> list[tuple]:
    return sorted(Notification.objects.values_list(*LEDGER))


@pytest.mark.django_db
def test_chunk_and_batch_boundaries_change_nothing(world, monkeypatch):
    _due_mix(world, 3)
    Notification.objects.all().delete()
    now = timezone.now() + timedelta(hours=1)
    marks_before = list(Case.objects.values_list("pk", "overdue_escalated_at"))

    whole = sweep_reminders(now=now)
    expected, marked = _ledger(), sorted(Case.objects.values_list("pk", "overdue_escalated_at"))
    Notification.objects.all().delete()
    for pk, at in marks_before:
        Case.objects.filter(pk=pk).update(overdue_escalated_at=at)

    monkeypatch.setattr(sweep, "CHUNK", 2)  # several chunks per id batch, several id batches per kind
    monkeypatch.setattr(sweep, "ID_BATCH", 3)
    assert sweep_reminders(now=now) == whole
    assert _ledger() == expected
    assert sorted(Case.objects.values_list("pk", "overdue_escalated_at")) == marked
    assert {kind: n for kind, n in whole.items() if n} == {"deadline_soon": 3, "overdue_repeat": 3, "no_update": 6,
                                                           "overdue_escalation": 3}
    assert sum(whole.values()) == Notification.objects.count()
    assert sum(sweep_reminders(now=now).values()) == 0


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_the_due_cases(world, django_assert_max_num_queries):
    _due_mix(world, 2)
    Notification.objects.all().delete()
    now = timezone.now() + timedelta(hours=1)
    with django_assert_max_num_queries(100) as few:
        first = sum(sweep_reminders(now=now).values())
    _due_mix(world, 8)
    Notification.objects.all().delete()
    Case.objects.update(overdue_escalated_at=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        more = sum(sweep_reminders(now=now).values())
    assert more > 3 * first
    with django_assert_max_num_queries(len(few.captured_queries)):  # nothing new: one query per kind and less
        assert sum(sweep_reminders(now=now).values()) == 0


@pytest.mark.django_db
def test_the_meeting_reminder_counts_what_each_meeting_carries_over(world):
    soon = local_today(world) + timedelta(days=2)
    for _ in range(3):
        make_case(world)
    make_case(world, desa=world.desa_a1b)
    withdrawn = make_case(world)
    step(withdrawn, world.kecamatan_user, "withdraw", "Sudah tidak relevan.")
    draft = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk, date=soon,
                           desa_ids=[world.desa_a1.pk])
    raised_here = make_case(world, meeting=draft)
    prepared = meeting_create(user=world.kecamatan_outsider, kecamatan_id=world.kec_a2.pk, date=soon,
                              desa_ids=[world.desa_a2.pk])
    make_case(world, desa=world.desa_a2, user=world.kecamatan_outsider)
    make_case(world, desa=world.desa_a2, user=world.kecamatan_outsider)
    prepared = meeting_prepare(user=world.kecamatan_outsider, meeting_id=prepared.pk)
    make_case(world, desa=world.desa_a2, user=world.kecamatan_outsider)  # after preparation: not on its agenda

    assert sweep_reminders()["meeting"] == 2
    carried = {n.meeting_id: n.payload["carried_over"] for n in Notification.objects.filter(kind="meeting")}
    assert carried[draft.pk] == carried_over_cases(draft).count() == 4
    assert Case.objects.get(pk=raised_here.pk).meeting_id == draft.pk
    assert carried[prepared.pk] == prepared.agenda.count() == 2


@pytest.mark.django_db
def test_odd_text_reaches_the_ledger_as_typed(world):
    odd = 'Jembatan "putus" 100% \\ rusak — warga\'s akses %s {x} ü\n baris dua'
    case = assigned_case(world, due=local_today(world) + timedelta(days=2), obstacle=odd)
    assert sweep_reminders()["deadline_soon"] == 1
    n = Notification.objects.get(kind="deadline_soon")
    assert n.payload["obstacle"] == odd and n.payload["case_number"] == case.pk
    assert (n.ref_at, n.created_at <= n.send_after) == (case.deadline_at, True)


@pytest.mark.django_db
def test_a_row_another_sweep_wrote_first_is_neither_duplicated_nor_counted(world):
    case = assigned_case(world, due=local_today(world) + timedelta(days=2))
    key = f"reminder:{case.pk}:soon:{case.deadline_at:%Y%m%d}"
    Notification.objects.create(recipient=world.opd_user, key=key, kind="deadline_soon", case=case,
                                ref_at=case.deadline_at + timedelta(seconds=1), send_after=timezone.now())
    # The other sweep's row does not match the NOT EXISTS (another ref_at), so this sweep tries the same key.
    assert sweep_reminders()["deadline_soon"] == 0
    assert Notification.objects.filter(key=key).count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_write_each_reminder_once_and_each_counts_only_its_own(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two connections writing at once")
    _due_mix(world, 4)
    Notification.objects.all().delete()
    now = timezone.now() + timedelta(hours=1)
    start, results, errors = threading.Barrier(2), [], []

    def run(offset):
        from django.db import connection as own

        try:
            start.wait(timeout=30)
            results.append(sweep_reminders(now=now + timedelta(microseconds=offset)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    total = Notification.objects.count()
    assert sum(sum(r.values()) for r in results) == total
    assert Notification.objects.values("recipient_id", "key").distinct().count() == total
    assert Notification.objects.filter(kind="overdue_escalation").count() == 4
    assert Notification.objects.filter(kind="deadline_soon").count() == 4
