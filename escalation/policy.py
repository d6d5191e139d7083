"""Database side of deadlines: the kabupaten's policy and holidays, applied to a case."""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from escalation.deadlines import compute_deadline, local_date
from escalation.models import DeadlinePolicy, Holiday


def policy_for(kabupaten_id: int) -> DeadlinePolicy:
    """The kabupaten's policy, created with the shipped defaults on first use."""
    policy, _ = DeadlinePolicy.objects.get_or_create(kabupaten_id=kabupaten_id)
    return policy


def holidays_for(kabupaten_id: int, start: date, days: int = 400) -> frozenset[date]:
    end = start + timedelta(days=days)
    rows = Holiday.objects.filter(date__gte=start, date__lte=end).filter(
        kabupaten_id__in=[kabupaten_id]
    ) | Holiday.objects.filter(date__gte=start, date__lte=end, kabupaten__isnull=True)
    return frozenset(rows.values_list("date", flat=True))


def default_due_date(kabupaten_id: int, today: date | None = None) -> date:
    policy = policy_for(kabupaten_id)
    tz = ZoneInfo(policy.kabupaten.timezone)
    today = today or local_date(timezone.now(), tz)
    return today + timedelta(days=policy.default_due_days)


def next_meeting_date_for(kecamatan_id: int, after: date) -> date | None:
    """The next scheduled meeting of the kecamatan: a meeting not yet held, or the date announced at the last one."""
    from casework.models import Meeting, MeetingStatus

    upcoming = (Meeting.objects.filter(kecamatan_id=kecamatan_id, date__gte=after)
                .exclude(status=MeetingStatus.FINALISED).order_by("date").values_list("date", flat=True).first())
    announced = (Meeting.objects.filter(kecamatan_id=kecamatan_id, next_meeting_date__gte=after)
                 .order_by("-date").values_list("next_meeting_date", flat=True).first())
    candidates = [d for d in (upcoming, announced) if d]
    return min(candidates) if candidates else None


def refresh_case_deadline(case) -> None:
    """Set ``deadline_at``, ``deadline_kind`` and ``update_due_at`` from the case's state. Does not save."""
    policy = policy_for(case.kabupaten_id)
    tz = ZoneInfo(policy.kabupaten.timezone)
    entered = case.state_changed_at or timezone.now()
    start = local_date(entered, tz)
    next_meeting = None
    if case.state in ("raised", "resolved"):
        next_meeting = next_meeting_date_for(case.kecamatan_id, start)
    deadline_at, kind, update_due = compute_deadline(
        state=case.state, tz=tz, holidays=holidays_for(case.kabupaten_id, start), state_changed_at=entered,
        raised_days=policy.raised_days, escalated_working_days=policy.escalated_working_days,
        acknowledge_working_days=policy.acknowledge_working_days,
        update_interval_days=policy.update_interval_days, due_date=case.due_date,
        acknowledged=case.acknowledged_at is not None, last_progress_at=case.last_progress_at,
        next_meeting_date=next_meeting,
    )
    case.deadline_at, case.deadline_kind, case.update_due_at = deadline_at, kind, update_due
