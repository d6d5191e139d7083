"""Deadline arithmetic in local working days: pure functions, no database."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from escalation.deadlines import (
    add_working_days,
    compute_deadline,
    end_of_local_day,
    is_overdue,
    last_rakor_start,
    median,
    waiting_days,
)

WIT = ZoneInfo("Asia/Jayapura")  # UTC+9, Seram Bagian Timur
WITA = ZoneInfo("Asia/Makassar")  # UTC+8, Sumba Barat Daya
POLICY = dict(raised_days=30, escalated_working_days=5, acknowledge_working_days=3, update_interval_days=14,
              due_date=None, acknowledged=False, last_progress_at=None, next_meeting_date=None)


def deadline(state, tz, entered, holidays=(), **overrides):
    return compute_deadline(state=state, tz=tz, holidays=holidays, state_changed_at=entered,
                            **{**POLICY, **overrides})


def test_it_skips_the_weekend():
    friday = date(2025, 1, 10)
    assert add_working_days(friday, 1) == date(2025, 1, 13)  # Monday
    assert add_working_days(friday, 5) == date(2025, 1, 17)  # next Friday


def test_it_skips_a_holiday():
    friday = date(2025, 1, 10)
    assert add_working_days(friday, 1, holidays=[date(2025, 1, 13)]) == date(2025, 1, 14)
    # Isra Mikraj (Mon 27 Jan 2025) and the Imlek cuti bersama (Tue 28) and Imlek (Wed 29):
    off = [date(2025, 1, 27), date(2025, 1, 28), date(2025, 1, 29)]
    assert add_working_days(date(2025, 1, 24), 3, holidays=off) == date(2025, 2, 3)


def test_it_does_not_count_the_start_day_even_when_it_is_a_working_day():
    assert add_working_days(date(2025, 1, 13), 1) == date(2025, 1, 14)


def test_a_deadline_passes_at_local_midnight_at_the_end_of_the_day():
    assert end_of_local_day(date(2025, 1, 13), WIT) == datetime(2025, 1, 13, 15, 0, tzinfo=UTC)
    assert end_of_local_day(date(2025, 1, 13), WITA) == datetime(2025, 1, 13, 16, 0, tzinfo=UTC)


def test_the_same_instant_falls_on_different_local_days_in_wit_and_wita():
    # 15:30 UTC on Thursday 9 Jan 2025 is already Friday 00:30 in WIT but still Thursday 23:30 in WITA.
    entered = datetime(2025, 1, 9, 15, 30, tzinfo=UTC)
    wit, kind, _ = deadline("escalated", WIT, entered, escalated_working_days=1)
    wita, _, _ = deadline("escalated", WITA, entered, escalated_working_days=1)
    assert kind == "assign"
    # WIT: Friday + 1 working day = Monday 13 Jan, ends at Tue 00:00 WIT.
    assert wit == datetime(2025, 1, 14, 0, 0, tzinfo=WIT)
    # WITA: Thursday + 1 working day = Friday 10 Jan, ends at Sat 00:00 WITA.
    assert wita == datetime(2025, 1, 11, 0, 0, tzinfo=WITA)


def test_a_local_holiday_moves_the_pokja_deadline_in_that_zone():
    entered = datetime(2025, 1, 9, 15, 30, tzinfo=UTC)  # Friday in WIT
    with_holiday, _, _ = deadline("escalated", WIT, entered, holidays=[date(2025, 1, 13)],
                                  escalated_working_days=1)
    assert with_holiday == datetime(2025, 1, 15, 0, 0, tzinfo=WIT)


def test_an_unacknowledged_assignment_is_due_for_acknowledgement_in_three_working_days():
    entered = datetime(2025, 1, 10, 2, 0, tzinfo=UTC)  # Friday 11:00 WIT
    at, kind, update_due = deadline("assigned", WIT, entered, due_date=date(2025, 2, 28))
    assert kind == "acknowledge"
    assert at == datetime(2025, 1, 16, 0, 0, tzinfo=WIT)  # Mon, Tue, Wed → ends Wed 15 Jan
    assert update_due == datetime(2025, 1, 25, 0, 0, tzinfo=WIT)  # 14 calendar days after Fri 10 Jan
    at, kind, _ = deadline("assigned", WIT, entered, due_date=date(2025, 2, 28), acknowledged=True)
    assert (at, kind) == (datetime(2025, 3, 1, 0, 0, tzinfo=WIT), "resolve")


def test_overdue_switches_exactly_at_the_deadline():
    at = datetime(2025, 1, 14, 0, 0, tzinfo=WIT)
    assert not is_overdue(at, at - timedelta(microseconds=1))
    assert is_overdue(at, at)
    assert not is_overdue(None, at)


def test_waiting_days_counts_local_calendar_days():
    since = datetime(2025, 1, 9, 14, 0, tzinfo=UTC)  # Thu 23:00 WIT, Thu 22:00 WITA
    now = datetime(2025, 1, 9, 15, 30, tzinfo=UTC)  # Fri 00:30 WIT, still Thu 23:30 WITA
    assert waiting_days(since, now, WIT) == 1
    assert waiting_days(since, now, WITA) == 0


def test_since_the_last_rakor_is_the_latest_rakor_before_today_else_ninety_days():
    today = date(2025, 6, 30)
    assert last_rakor_start([date(2025, 3, 1), date(2025, 5, 20), date(2025, 6, 30)], today) == date(2025, 5, 20)
    assert last_rakor_start([], today) == today - timedelta(days=90)


def test_median_of_odd_and_even_counts():
    assert median([5, 1, 3]) == 3
    assert median([4, 1, 3, 2]) == 2.5
    assert median([]) is None
