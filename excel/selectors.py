"""Reads for the exports. Each starts from casework.scoping, so an export holds only what the user may see."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import F, DateField, DateTimeField, Func, IntegerField, Max, Min, Q, QuerySet, Value
from django.db.models import Case as SqlCase
from django.db.models import When
from django.db.models.functions import Coalesce

from casework.models import OPEN_STATES, Case, CaseState, MainGoal, Meeting, MeetingDesa, Plan
from casework.meeting_selectors import plan_goals
from casework.scoping import cases_for, get_in_scope_or_404, meetings_for


@dataclass
class DesaSheet:
    entry: MeetingDesa
    plan: Plan | None
    goals: list[MainGoal] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)


def meeting_in_scope(user: Any, meeting_id: int) -> Meeting:
    return get_in_scope_or_404(meetings_for(user), pk=meeting_id)


def meeting_sheets(user: Any, meeting: Meeting, desa_id: int | None = None) -> list[DesaSheet]:
    """Per participating desa, in discussion order: the plan its sheet is laid out from and the meeting's cases.

    The plan is the one fixed when the meeting was prepared, else the desa's current plan.
    ``desa_id`` narrows to one desa; one that is not a participant is a 404.
    """
    entries = (meeting.desa_entries.select_related("desa", "plan").order_by("position", "id")
               .prefetch_related("desa__plans"))
    if desa_id is not None:
        entries = entries.filter(desa_id=desa_id)
        if not entries.exists():
            from django.http import Http404

            raise Http404
    cases = cases_for(user).filter(meeting=meeting).exclude(state=CaseState.WITHDRAWN).order_by("created_at", "id")
    by_desa: dict[int, list[Case]] = {}
    for case in cases:
        by_desa.setdefault(case.desa_id, []).append(case)
    # A fixed number of queries for any number of desa: the plans prefetched, their goals in one go.
    entries = list(entries)
    plans = {entry.pk: entry.plan or entry.desa.current_plan() for entry in entries}
    goals = plan_goals(plan.pk for plan in plans.values() if plan)
    return [DesaSheet(entry=entry, plan=plans[entry.pk], goals=goals.get(plans[entry.pk].pk, []) if plans[entry.pk]
                      else [], cases=by_desa.get(entry.desa_id, [])) for entry in entries]


def register_queryset(user: Any, *, kecamatan_id: int | None = None) -> QuerySet[Case]:
    """Every case in scope with the date of each step, derived in SQL from the append-only history.

    One aggregate query (no per-row queries): the first time a case was raised,
    escalated and assigned, and the latest time it was resolved and closed
    (a reopened case is resolved again later, and the latest is what counts).
    """
    qs = cases_for(user)
    if kecamatan_id:
        qs = qs.filter(kecamatan_id=kecamatan_id)
    return (qs.annotate(
                raised_on=Min("events__at", filter=Q(events__kind="created")),
                escalated_on=Min("events__at", filter=Q(events__to_state=CaseState.ESCALATED)),
                assigned_on=Min("events__at", filter=Q(events__to_state=CaseState.ASSIGNED)),
                resolved_on=Max("events__at", filter=Q(events__to_state=CaseState.RESOLVED)),
                closed_on=Max("events__at", filter=Q(events__to_state=CaseState.CLOSED)),
            )
            .order_by("kabupaten__name", "kecamatan__name", "desa__name", "created_at", "id"))


class _LocalDate(Func):
    """PostgreSQL: the calendar day of a moment in a time zone given by a column."""

    arg_joiner = ") AT TIME ZONE ("
    template = "((%(expressions)s))::date"
    output_field = DateField()


class _DaysBetween(Func):
    """PostgreSQL: date - date, a whole number of days."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


class _WhenOverdue(SqlCase):
    # psycopg returns the days as an int already; Django's int() converter would run once per row.
    convert_value = staticmethod(SqlCase._convert_value_noop)


REGISTER_ROW = ("pk", "ref", "kabupaten", "kecamatan", "desa", "meeting_date", "obstacle", "cause", "solution",
                "support_needed", "support_from", "state", "opd", "raised", "escalated", "assigned", "resolved",
                "closed", "due_date", "deadline", "overdue")
_REGISTER_FIELDS = ("pk", "ref", "kabupaten__name", "kecamatan__name", "desa__name", "meeting__date", "obstacle",
                    "cause", "solution", "support_needed", "support_from", "state", "opd__short_name")


def register_rows(user: Any, *, now: datetime, kecamatan_id: int | None = None, chunk_size: int = 2000,
                  in_sql: bool | None = None) -> Iterator[tuple]:
    """The register's rows as tuples in ``REGISTER_ROW`` order, streamed from a server-side cursor.

    Step dates, the deadline and the due date are calendar days in the case's kabupaten time zone;
    ``overdue`` is the number of days an open case is past its deadline at ``now`` (None when it is not).
    On PostgreSQL the days are worked out in the query (``AT TIME ZONE``): Django's loader for
    timestamps with time zone is pure Python, and ~470,000 of them cost more than the rest of the
    fetch for 100,000 cases. Elsewhere (SQLite) the same is done here from the timestamps.
    """
    qs = register_queryset(user, kecamatan_id=kecamatan_id)
    if in_sql is None:
        in_sql = connections[qs.db].vendor == "postgresql"
    if in_sql:
        tz = F("kabupaten__timezone")
        deadline = _LocalDate(F("deadline_at"), tz)
        today = _LocalDate(Value(now, output_field=DateTimeField()), tz)
        overdue = _WhenOverdue(When(Q(state__in=OPEN_STATES, deadline_at__lte=now), then=_DaysBetween(today, deadline)),
                               output_field=IntegerField())
        qs = qs.annotate(r_raised=_LocalDate(Coalesce("raised_on", "created_at"), tz),
                         r_escalated=_LocalDate(F("escalated_on"), tz), r_assigned=_LocalDate(F("assigned_on"), tz),
                         r_resolved=_LocalDate(F("resolved_on"), tz), r_closed=_LocalDate(F("closed_on"), tz),
                         r_deadline=deadline, r_overdue=overdue)
        yield from qs.values_list(*_REGISTER_FIELDS, "r_raised", "r_escalated", "r_assigned", "r_resolved", "r_closed",
                                  "due_date", "r_deadline", "r_overdue").iterator(chunk_size=chunk_size)
        return
    zones: dict[str, tuple[ZoneInfo, Any]] = {}
    for row in qs.values_list(*_REGISTER_FIELDS, "kabupaten__timezone", "created_at", "raised_on", "escalated_on",
                              "assigned_on", "resolved_on", "closed_on", "due_date",
                              "deadline_at").iterator(chunk_size=chunk_size):
        (tz_name, created_at, raised_on, escalated_on, assigned_on, resolved_on, closed_on, due_date,
         deadline_at) = row[13:]
        zone = zones.get(tz_name)
        if zone is None:
            tz = ZoneInfo(tz_name)
            zone = zones[tz_name] = (tz, now.astimezone(tz).date())
        tz, today = zone
        raised = raised_on or created_at
        deadline = deadline_at.astimezone(tz).date() if deadline_at else None
        overdue = None
        if row[11] in OPEN_STATES and deadline_at and deadline_at <= now:
            overdue = (today - deadline).days
        yield (*row[:13], raised.astimezone(tz).date() if raised else None,
               escalated_on.astimezone(tz).date() if escalated_on else None,
               assigned_on.astimezone(tz).date() if assigned_on else None,
               resolved_on.astimezone(tz).date() if resolved_on else None,
               closed_on.astimezone(tz).date() if closed_on else None, due_date, deadline, overdue)
