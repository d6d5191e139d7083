"""The reminder sweep on plain SQLite: what becomes due, to whom, once, and in working hours."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from casework.models import Case
from casework.services.meetings import meeting_create
from notifications.models import Notification
from notifications.sweep import sweep_reminders
from tests.conftest import make_case, step
from tests.notifications.conftest import assigned_case, assigned_case_b, local_today

pytestmark = pytest.mark.django_db
WIT, WITA = ZoneInfo("Asia/Jayapura"), ZoneInfo("Asia/Makassar")


def rows(kind, **filters):
    return list(Notification.objects.filter(kind=kind, **filters).order_by("recipient__username", "key"))


def test_it_reminds_the_opd_before_the_due_date_once(world):
    case = assigned_case(world, due=local_today(world) + timedelta(days=2))
    created = sweep_reminders()
    assert created["deadline_soon"] == 1
    assert sweep_reminders()["deadline_soon"] == 0  # a second sweep finds it done
    (n,) = rows("deadline_soon")
    assert (n.recipient, n.case, n.ref_at) == (world.opd_user, case, case.deadline_at)


def test_it_does_not_remind_what_is_far_away(world):
    assigned_case(world, due=local_today(world) + timedelta(days=20))
    assert sweep_reminders()["deadline_soon"] == 0


def test_it_reminds_when_the_deadline_passes_and_again_every_repeat_period(world):
    case = assigned_case(world, due=local_today(world) + timedelta(days=1))
    deadline = case.deadline_at
    assert sweep_reminders(now=deadline + timedelta(hours=1))["deadline_passed"] == 1
    assert sweep_reminders(now=deadline + timedelta(days=3))["deadline_passed"] == 0  # same period
    first_repeat = sweep_reminders(now=deadline + timedelta(days=7, hours=1))
    assert first_repeat["overdue_repeat"] == 1
    assert sweep_reminders(now=deadline + timedelta(days=8))["overdue_repeat"] == 0
    assert sweep_reminders(now=deadline + timedelta(days=14, hours=1))["overdue_repeat"] == 1
    assert [n.period for n in rows("overdue_repeat")] == [1, 2]
    assert {n.recipient for n in Notification.objects.filter(case=case, kind__in=["deadline_passed",
                                                                                  "overdue_repeat"])} == {
        world.opd_user}


def test_after_a_long_outage_only_the_current_period_is_reminded(world):
    case = assigned_case(world, due=local_today(world) + timedelta(days=1))
    created = sweep_reminders(now=case.deadline_at + timedelta(days=30))
    assert created["overdue_repeat"] == 1 and created["deadline_passed"] == 0
    assert rows("overdue_repeat")[0].period == 4


def test_it_reminds_the_pokja_when_an_escalation_waits_too_long(world):
    case = make_case(world)
    step(case, world.kecamatan_user, "escalate", "Mohon bantuan.")
    case.refresh_from_db()
    assert case.deadline_kind == "assign"
    sweep_reminders(now=case.deadline_at + timedelta(hours=2))
    assert [n.recipient for n in rows("deadline_passed")] == [world.pokja_user]


def test_it_tells_the_opd_when_no_progress_was_posted_for_the_update_interval(world):
    case = assigned_case(world, assigned_days_ago=15, due=local_today(world) + timedelta(days=20))
    assert case.update_due_at <= timezone.now()
    assert sweep_reminders()["no_update"] == 1
    assert sweep_reminders()["no_update"] == 0
    (n,) = rows("no_update")
    assert n.recipient == world.opd_user and n.ref_at == case.update_due_at


def test_it_escalates_what_stays_overdue_to_the_pokja_and_marks_the_case(world):
    case = assigned_case(world, due=local_today(world) - timedelta(days=9), assigned_days_ago=20)
    assert case.overdue_escalated_at is None
    created = sweep_reminders()
    assert created["overdue_escalation"] == 1
    case.refresh_from_db()
    assert case.overdue_escalated_at is not None
    (n,) = rows("overdue_escalation")
    assert n.recipient == world.pokja_user and n.payload["opd"] == "Dinas Pertanian"
    assert sweep_reminders()["overdue_escalation"] == 0
    assert Case.objects.get(pk=case.pk).overdue_escalated_at == case.overdue_escalated_at


def test_it_does_not_escalate_before_the_threshold(world):
    assigned_case(world, due=local_today(world) - timedelta(days=3), assigned_days_ago=10)
    assert sweep_reminders()["overdue_escalation"] == 0


def test_it_reminds_kecamatan_staff_of_a_scheduled_meeting_with_the_carried_over_count(world):
    make_case(world)
    make_case(world, desa=world.desa_a1b)
    meeting = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk,
                             date=local_today(world) + timedelta(days=2), desa_ids=[world.desa_a1.pk])
    far = meeting_create(user=world.kecamatan_outsider, kecamatan_id=world.kec_a2.pk,
                         date=local_today(world) + timedelta(days=10), desa_ids=[world.desa_a2.pk])
    assert sweep_reminders()["meeting"] == 1
    assert sweep_reminders()["meeting"] == 0
    (n,) = rows("meeting")
    assert (n.recipient, n.meeting) == (world.kecamatan_user, meeting)
    assert n.payload["carried_over"] == 2
    assert not Notification.objects.filter(meeting=far).exists()


def test_it_holds_night_reminders_until_working_hours_in_wit_and_wita(world, kec_b_user):
    due = local_today(world) + timedelta(days=1)
    case_a = assigned_case(world, due=due)
    case_b = assigned_case_b(world, kec_b_user, due=due)
    later = max(case_a.deadline_at, case_b.deadline_at) + timedelta(days=1)
    monday = later.date() + timedelta(days=(7 - later.weekday()) % 7)
    # Monday 23:30 UTC = Tuesday 08:30 in Maluku (WIT) but still 07:30 in Sumba (WITA).
    now = datetime.combine(monday, time(23, 30), tzinfo=ZoneInfo("UTC"))
    sweep_reminders(now=now)
    a = Notification.objects.get(case=case_a, kind__in=["deadline_passed", "overdue_repeat"])
    b = Notification.objects.get(case=case_b, kind__in=["deadline_passed", "overdue_repeat"])
    assert a.recipient == world.opd_user and b.recipient == world.opd_other_kab
    assert a.send_after == now
    assert b.send_after == datetime.combine(monday + timedelta(days=1), time(8), tzinfo=WITA)


def test_it_holds_friday_night_reminders_until_monday_morning(world):
    case = assigned_case(world, due=local_today(world) + timedelta(days=1))
    later = case.deadline_at + timedelta(days=1)
    friday = later.date() + timedelta(days=(4 - later.weekday()) % 7)
    now = datetime.combine(friday, time(21), tzinfo=WIT)
    sweep_reminders(now=now)
    n = Notification.objects.get(case=case, kind__in=["deadline_passed", "overdue_repeat"])
    assert n.send_after == datetime.combine(friday + timedelta(days=3), time(8), tzinfo=WIT)


def test_it_skips_closed_and_out_of_scope_nobody_else_is_told(world):
    case = assigned_case(world, due=local_today(world) + timedelta(days=1))
    step(case, world.opd_user, "resolve", "Sudah selesai.")
    case.refresh_from_db()
    sweep_reminders(now=timezone.now() + timedelta(days=2))
    reminded = set(Notification.objects.filter(kind__startswith="deadline").values_list("recipient__username",
                                                                                         flat=True))
    assert "opd_tani_a" not in reminded
    assert not Notification.objects.filter(recipient__in=[world.pokja_outsider, world.opd_other_kab,
                                                          world.kecamatan_outsider]).exists()
