"""When a message may go out: the recipient's local working hours, never at night.

``next_send_time`` is pure (no database) and tested on its own; ``send_windows``
reads each kabupaten's time zone, working hours (DeadlinePolicy) and days off.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKEND = (5, 6)  # Saturday, Sunday
DEFAULT_START, DEFAULT_END = 8, 16


def _at(day: date, hour: int, tz: ZoneInfo) -> datetime:
    # Indonesia has no daylight saving time, so combining is exact.
    return datetime.combine(day, time.min, tzinfo=tz) + timedelta(hours=hour)


def next_send_time(now: datetime, tz: ZoneInfo, start_hour: int, end_hour: int,
                   days_off: frozenset[date] | set[date] = frozenset()) -> datetime:
    """The earliest moment at or after ``now`` inside the local working hours.

    Working hours are ``[start_hour, end_hour)`` local time on working days
    (Monday to Friday, not in ``days_off``). ``start_hour == end_hour`` means the
    kabupaten set no quiet hours: any time is fine. ``start_hour > end_hour`` is a
    window across midnight. The result is returned in UTC.
    """
    if start_hour == end_hour:
        return now
    local = now.astimezone(tz)
    for offset in range(0, 31):
        day = local.date() + timedelta(days=offset)
        if day.weekday() in WEEKEND or day in days_off:
            continue
        if start_hour < end_hour:
            windows = [(start_hour, end_hour)]
        else:
            windows = [(0, end_hour), (start_hour, 24)]
        for begin, end in windows:
            w_start, w_end = _at(day, begin, tz), _at(day, end, tz)
            if local < w_end:
                return max(local, w_start).astimezone(ZoneInfo("UTC"))
    return now  # a month without a working day: better late than never


@dataclass(frozen=True)
class SendWindow:
    tz: ZoneInfo
    start_hour: int = DEFAULT_START
    end_hour: int = DEFAULT_END
    days_off: frozenset[date] = field(default_factory=frozenset)

    def next_send_time(self, now: datetime) -> datetime:
        return next_send_time(now, self.tz, self.start_hour, self.end_hour, self.days_off)


def send_windows(kabupaten_ids=None) -> dict[int, SendWindow]:
    """{kabupaten_id: SendWindow} from each kabupaten's zone, policy hours and holidays (3 queries)."""
    from django.utils import timezone

    from casework.models import Kabupaten
    from escalation.models import DeadlinePolicy, Holiday

    kabs = Kabupaten.objects.all()
    if kabupaten_ids is not None:
        kabs = kabs.filter(pk__in=list(kabupaten_ids))
    zones = dict(kabs.values_list("pk", "timezone"))
    hours = {kab: (start, end) for kab, start, end in DeadlinePolicy.objects.filter(kabupaten_id__in=zones)
             .values_list("kabupaten_id", "working_hours_start", "working_hours_end")}
    today = timezone.now().date() - timedelta(days=1)
    national: set[date] = set()
    local: dict[int, set[date]] = {}
    for day, kab in Holiday.objects.filter(date__gte=today, date__lte=today + timedelta(days=40)).values_list(
            "date", "kabupaten_id"):
        (national if kab is None else local.setdefault(kab, set())).add(day)
    result = {}
    for kab_id, tz_name in zones.items():
        start, end = hours.get(kab_id, (DEFAULT_START, DEFAULT_END))
        result[kab_id] = SendWindow(ZoneInfo(tz_name), start, end, frozenset(national | local.get(kab_id, set())))
    return result


def fallback_window() -> SendWindow:
    """For a recipient without a kabupaten (a programme admin): the server's zone, default hours."""
    from django.conf import settings

    return SendWindow(ZoneInfo(settings.TIME_ZONE))
