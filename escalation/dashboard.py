"""Aggregates for the Pokja chair's and the admin's dashboard.

Each figure is one SQL aggregate over a queryset that starts from
``casework.scoping.cases_for``, so the page costs a fixed number of queries
whatever the number of cases.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Lead
from django.utils import timezone

from casework.models import OPEN_STATES, AgendaItem, Case, CaseEvent, CaseState, EventKind
from casework.scoping import cases_for
from escalation.deadlines import median
from escalation.models import OPD

# The states whose duration is measured: the kecamatan deciding, the Pokja assigning, the OPD acting, confirmation.
MEASURED_STATES = (CaseState.RAISED, CaseState.ESCALATED, CaseState.ASSIGNED, CaseState.RESOLVED)
STAY_EVENT_KINDS = (EventKind.CREATED, EventKind.TRANSITION)


def dashboard_scope(user: Any, kabupaten_id: int | None = None) -> QuerySet[Case]:
    qs = cases_for(user)
    return qs.filter(kabupaten_id=kabupaten_id) if kabupaten_id else qs


def open_by_state(scope: QuerySet[Case]) -> dict[str, int]:
    rows = scope.filter(state__in=OPEN_STATES).values("state").annotate(n=Count("id")).order_by()
    counts = {state.value: 0 for state in OPEN_STATES}
    counts.update({r["state"]: r["n"] for r in rows})
    return counts


def open_by_kecamatan(scope: QuerySet[Case]) -> list[dict]:
    return list(scope.filter(state__in=OPEN_STATES).values("kecamatan_id", "kecamatan__name", "kabupaten__name")
                .annotate(n=Count("id")).order_by("-n", "kecamatan__name"))


def overdue_by_opd(scope: QuerySet[Case], *, now: datetime) -> tuple[list[dict], dict[str, int]]:
    """Overdue cases held by each OPD, and overdue cases nobody at an OPD holds yet, by state."""
    overdue = scope.filter(state__in=OPEN_STATES, deadline_at__lte=now)
    by_opd = list(overdue.filter(opd__isnull=False).values("opd_id", "opd__short_name", "kabupaten__name")
                  .annotate(n=Count("id")).order_by("-n", "opd__short_name"))
    without = {r["state"]: r["n"] for r in overdue.filter(opd__isnull=True).values("state")
               .annotate(n=Count("id")).order_by()}
    return by_opd, without


def oldest_open(scope: QuerySet[Case], limit: int = 10) -> list[Case]:
    return list(scope.filter(state__in=OPEN_STATES).select_related("kabupaten", "kecamatan", "desa", "opd")
                .order_by("created_at", "id")[:limit])


def carried_over_by_meeting(scope: QuerySet[Case], limit: int = 12) -> list[dict]:
    """Per recent meeting: how many cases were carried onto its agenda for review."""
    return list(AgendaItem.objects.filter(case__in=scope.values("id"))
                .values("meeting_id", "meeting__date", "meeting__kecamatan__name")
                .annotate(n=Count("id")).order_by("-meeting__date", "-meeting_id")[:limit])


def most_carried_cases(scope: QuerySet[Case], *, minimum: int = 2, limit: int = 10) -> list[Case]:
    """Cases carried over to ``minimum`` meetings or more: what keeps coming back."""
    return list(scope.annotate(times=Count("agenda_items")).filter(times__gte=minimum)
                .select_related("kecamatan", "desa", "opd").order_by("-times", "created_at")[:limit])


# --- median days in each state per OPD -----------------------------------------------------------
def _stays(scope: QuerySet[Case]) -> QuerySet:
    """One row per completed stay in a state: the event entering it and the next state-changing event (LEAD)."""
    return (CaseEvent.objects.filter(case__in=scope.values("id"), kind__in=STAY_EVENT_KINDS)
            .annotate(next_at=Window(Lead("at"), partition_by=[F("case_id")], order_by=[F("at").asc(), F("id").asc()]))
            .filter(next_at__isnull=False))


def _median_days_postgres(scope: QuerySet[Case]) -> dict[tuple[int, str], tuple[float, int]]:
    """PostgreSQL: window and median (percentile_cont) both in SQL, one query."""
    # Join the scope (id, opd_id) inside the window, not the whole case table afterwards: at a million
    # cases the outer join read every case with an OPD (~600 ms); this reads only the scope (~7 ms).
    scope_sql, scope_params = scope.values("id", "opd_id").query.sql_with_params()
    event_table = connection.ops.quote_name(CaseEvent._meta.db_table)
    sql = f"""
        WITH ev AS (
            SELECT c.opd_id, e.to_state, e.at,
                   LEAD(e.at) OVER (PARTITION BY e.case_id ORDER BY e.at, e.id) AS next_at
              FROM {event_table} e
              JOIN ({scope_sql}) c ON c.id = e.case_id
             WHERE e.kind = ANY(%s) AND c.opd_id IS NOT NULL
        )
        SELECT opd_id, to_state,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (next_at - at))) / 86400.0,
               COUNT(*)
          FROM ev
         WHERE next_at IS NOT NULL
         GROUP BY opd_id, to_state
    """  # noqa: S608 - table names come from model metadata; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope_params, [str(k) for k in STAY_EVENT_KINDS]])
        return {(opd_id, state): (float(days), n) for opd_id, state, days, n in cursor.fetchall()}


def _median_days_generic(scope: QuerySet[Case]) -> dict[tuple[int, str], tuple[float, int]]:
    """Other databases (SQLite): the window in SQL via the ORM, the median of the fetched durations in Python."""
    durations: dict[tuple[int, str], list[float]] = {}
    rows = _stays(scope).filter(case__opd__isnull=False).values_list("case__opd_id", "to_state", "at", "next_at")
    for opd_id, state, start, end in rows:
        durations.setdefault((opd_id, state), []).append((end - start).total_seconds() / 86400)
    return {key: (median(values), len(values)) for key, values in durations.items()}


@dataclass
class MedianRow:
    opd: OPD
    cells: list[tuple[str, str, float | None, int]]  # (state, label, median days, number of stays)


def median_days_per_opd(scope: QuerySet[Case]) -> list[MedianRow]:
    """Median days a case spent in each state, per OPD now holding it, from the history rows.

    A stay in a state lasts from the history row entering it to the next
    state-changing row of the same case; stays not yet ended are left out.
    Cases are attributed to the OPD on the case (the one that holds or last
    held it), so "escalated" shows how long the Pokja took to route them.
    """
    compute = _median_days_postgres if connection.vendor == "postgresql" else _median_days_generic
    values = compute(scope)
    opd_ids = sorted({opd_id for opd_id, _state in values})
    opds = OPD.objects.filter(pk__in=opd_ids).select_related("kabupaten").order_by("kabupaten__name", "short_name")
    result = []
    for opd in opds:
        cells = []
        for state in MEASURED_STATES:
            days, n = values.get((opd.pk, state.value), (None, 0))
            cells.append((state.value, str(state.label), days, n))
        result.append(MedianRow(opd=opd, cells=cells))
    return result


def dashboard_data(user: Any, *, kabupaten_id: int | None = None, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    scope = dashboard_scope(user, kabupaten_id)
    by_opd, overdue_without_opd = overdue_by_opd(scope, now=now)
    totals = scope.aggregate(open=Count("id", filter=Q(state__in=OPEN_STATES)),
                             overdue=Count("id", filter=Q(state__in=OPEN_STATES, deadline_at__lte=now)))
    return {
        "totals": totals,
        "by_state": open_by_state(scope),
        "by_kecamatan": open_by_kecamatan(scope),
        "overdue_by_opd": by_opd,
        "overdue_without_opd": overdue_without_opd,
        "oldest": oldest_open(scope),
        "medians": median_days_per_opd(scope),
        "carried_by_meeting": carried_over_by_meeting(scope),
        "most_carried": most_carried_cases(scope),
    }
