"""Deadline arithmetic in the kabupaten's local time and working days.

The pure functions at the top take plain values and never touch the database;
``refresh_case_deadline`` gathers the policy and holidays and stores the result
on the case, and is called by every transition.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKEND = (5, 6)  # Saturday, Sunday


def is_working_day(day: date, holidays: set[date] | frozenset[date]) -> bool:
    return day.weekday() not in WEEKEND and day not in holidays


def add_working_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    off = frozenset(holidays)
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, off):
            remaining -= 1
    return current


def end_of_local_day(day: date, tz: ZoneInfo) -> datetime:
    """The instant a deadline on ``day`` passes: local midnight at the end of that day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def days_overdue(deadline_at: datetime | None, now: datetime, tz: ZoneInfo) -> int:
    if deadline_at is None or now < deadline_at:
        return 0
    return (local_date(now, tz) - local_date(deadline_at - timedelta(microseconds=1), tz)).days


def compute_deadline(*, state: str, tz: ZoneInfo, holidays: Iterable[date], state_changed_at: datetime,
                     raised_days: int, escalated_working_days: int, acknowledge_working_days: int,
                     update_interval_days: int, due_date: date | None, acknowledged: bool,
                     last_progress_at: datetime | None, next_meeting_date: date | None,
                     ) -> tuple[datetime | None, str, datetime | None]:
    """(deadline_at, deadline_kind, update_due_at) for a case in ``state``. Pure."""
    holidays = frozenset(holidays)
    entered = local_date(state_changed_at, tz)
    if state == "raised":
        day = entered + timedelta(days=raised_days)
        if next_meeting_date and next_meeting_date < day and next_meeting_date >= entered:
            day = next_meeting_date
        return end_of_local_day(day, tz), "decide", None
    if state == "escalated":
        return end_of_local_day(add_working_days(entered, escalated_working_days, holidays), tz), "assign", None
    if state == "assigned":
        basis = last_progress_at or state_changed_at
        update_due = end_of_local_day(local_date(basis, tz) + timedelta(days=update_interval_days), tz)
        due = end_of_local_day(due_date, tz) if due_date else None
        if not acknowledged:
            ack = end_of_local_day(add_working_days(entered, acknowledge_working_days, holidays), tz)
            if due is None or ack < due:
                return ack, "acknowledge", update_due
        return due, ("resolve" if due else ""), update_due
    if state == "resolved":
        if next_meeting_date:
            return end_of_local_day(next_meeting_date, tz), "confirm", None
        return None, "confirm", None
    return None, "", None


def is_overdue(deadline_at: datetime | None, now: datetime) -> bool:
    """Overdue from the deadline instant itself: ``deadline_at <= now`` (the same test the SQL filters use)."""
    return deadline_at is not None and deadline_at <= now


def waiting_days(since: datetime | None, now: datetime, tz: ZoneInfo) -> int:
    """Whole local calendar days between ``since`` and ``now`` (0 on the same local day)."""
    if since is None:
        return 0
    return max(0, (local_date(now, tz) - local_date(since, tz)).days)


def last_rakor_start(rakor_dates: Iterable[date], today: date, default_days: int = 90) -> date:
    """Counting "since the last Rakor": the latest Rakor date before today, else ``default_days`` ago."""
    earlier = [d for d in rakor_dates if d < today]
    return max(earlier) if earlier else today - timedelta(days=default_days)


def median(values: Iterable[float]) -> float | None:
    """The median of ``values`` (mean of the two middle ones for an even count), None when empty."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    mid = n // 2
    return float(ordered[mid]) if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2
