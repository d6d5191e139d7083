"""Aggregates for the Pokja chair's and the admin's dashboard.

A kabupaten's dashboard is computed live: each figure is one SQL aggregate
over a queryset that starts from ``casework.scoping``, so the page costs a
fixed number of queries and the time grows with the kabupaten's cases only.

The programme-wide view is a snapshot (``DashboardSnapshot``) that the beat
refreshes every few minutes: at a national scale (a million cases, millions of
history rows) its medians and groupings take seconds, which is fine for a
background job and not for a page. The page reads one row and a few cases by id.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Window
from django.db.models.functions import Lead
from django.utils import timezone

from casework.models import OPEN_STATES, AgendaItem, Case, CaseEvent, CaseState, EventKind, Kabupaten, Kecamatan
from casework.scoping import cases_for, cases_nationwide, meetings_for, meetings_nationwide
from escalation.deadlines import median
from escalation.models import OPD, DashboardSnapshot

# The states whose duration is measured: the kecamatan deciding, the Pokja assigning, the OPD acting, confirmation.
MEASURED_STATES = (CaseState.RAISED, CaseState.ESCALATED, CaseState.ASSIGNED, CaseState.RESOLVED)
STAY_EVENT_KINDS = (EventKind.CREATED, EventKind.TRANSITION)
# Bars and rows shown per chart/table: the largest first; the rest is one click away in the case list.
TOP = 25
NATIONAL_KEY = "national"
# Older than this, the page recomputes the snapshot itself instead of showing it (beat is down).
SNAPSHOT_MAX_AGE = timedelta(hours=6)


def dashboard_scope(user: Any, kabupaten_id: int | None = None) -> QuerySet[Case]:
    qs = cases_for(user)
    return qs.filter(kabupaten_id=kabupaten_id) if kabupaten_id else qs


# --- open and overdue cases: one grouped query --------------------------------------------------
def open_summary(scope: QuerySet[Case], *, now: datetime, area: str = "kecamatan", top: int = TOP) -> dict[str, Any]:
    """Totals, open cases by state and by area, overdue cases by OPD, from one GROUP BY over open cases.

    ``area`` is "kecamatan" (one kabupaten) or "kabupaten" (many). Lists hold
    the ``top`` largest rows; ``*_total`` says how many there are in all.
    """
    area_field = f"{area}_id"
    rows = (scope.filter(state__in=OPEN_STATES).values(area_field, "opd_id", "state")
            .annotate(n=Count("id"), late=Count("id", filter=Q(deadline_at__lte=now))).order_by())
    by_state = {state.value: 0 for state in OPEN_STATES}
    by_area: Counter = Counter()
    late_by_opd: Counter = Counter()
    late_without_opd: Counter = Counter()
    for r in rows:
        by_state[r["state"]] += r["n"]
        by_area[r[area_field]] += r["n"]
        if r["late"]:
            (late_by_opd.update({r["opd_id"]: r["late"]}) if r["opd_id"]
             else late_without_opd.update({r["state"]: r["late"]}))
    top_areas = _top(by_area, top)
    top_opds = _top(late_by_opd, top)
    model = Kecamatan if area == "kecamatan" else Kabupaten
    names = {o.pk: o for o in model.objects.filter(pk__in=[pk for pk, _n in top_areas])
             .select_related(*(["kabupaten"] if area == "kecamatan" else []))}
    opds = {o.pk: o for o in OPD.objects.filter(pk__in=[pk for pk, _n in top_opds]).select_related("kabupaten")}
    return {
        "area": area,
        "totals": {"open": sum(by_state.values()), "overdue": sum(late_by_opd.values()) + sum(late_without_opd.values())},
        "by_state": by_state,
        "by_area": [{"id": pk, "name": names[pk].name, "kabupaten": names[pk].kabupaten.name if area == "kecamatan"
                     else "", "n": n} for pk, n in top_areas if pk in names],
        "by_area_total": len(by_area),
        "overdue_by_opd": [{"opd_id": pk, "short_name": opds[pk].short_name, "kabupaten": opds[pk].kabupaten.name,
                            "n": n} for pk, n in top_opds if pk in opds],
        "overdue_opd_total": len(late_by_opd),
        "overdue_without_opd": dict(late_without_opd),
    }


def _top(counts: Counter, n: int) -> list[tuple[int, int]]:
    """The n largest counts; ties by id so the order is stable."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def oldest_open(scope: QuerySet[Case], limit: int = 10) -> list[Case]:
    return list(scope.filter(state__in=OPEN_STATES).select_related("kabupaten", "kecamatan", "desa", "opd")
                .order_by("created_at", "id")[:limit])


def carried_over_by_meeting(scope: QuerySet[Case], meetings: QuerySet, limit: int = 12) -> list[dict]:
    """Per recent meeting with an agenda: how many cases were carried onto it for review.

    Starts from the newest meetings (an index walk that stops after ``limit``),
    then counts the agenda of just those, still restricted to cases in scope.
    """
    recent = list(meetings.filter(Exists(AgendaItem.objects.filter(meeting_id=OuterRef("pk"))))
                  .order_by("-date", "-pk").values("pk", "date", "kecamatan__name")[:limit])
    counts = dict(AgendaItem.objects.filter(meeting_id__in=[m["pk"] for m in recent], case__in=scope.values("id"))
                  .values_list("meeting_id").annotate(n=Count("id")).order_by())
    return [{"meeting_id": m["pk"], "meeting__date": m["date"], "meeting__kecamatan__name": m["kecamatan__name"],
             "n": counts[m["pk"]]} for m in recent if counts.get(m["pk"])]


def most_carried(scope: QuerySet[Case], *, minimum: int = 2, limit: int = 10) -> list[tuple[int, int]]:
    """(case id, meetings) of the cases carried over to ``minimum`` meetings or more, most first.

    Groups the narrow agenda rows by case (not the wide case rows by all their columns).
    """
    rows = (AgendaItem.objects.filter(case__in=scope.values("id")).values("case_id")
            .annotate(times=Count("id"), first=Min("case__created_at")).filter(times__gte=minimum)
            .order_by("-times", "first", "case_id")[:limit])
    return [(r["case_id"], r["times"]) for r in rows]


def most_carried_cases(scope: QuerySet[Case], *, minimum: int = 2, limit: int = 10) -> list[Case]:
    """Cases carried over to ``minimum`` meetings or more: what keeps coming back."""
    top = most_carried(scope, minimum=minimum, limit=limit)
    cases = scope.filter(pk__in=[pk for pk, _n in top]).select_related("kecamatan", "desa", "opd").in_bulk()
    return [_with_times(cases[pk], times) for pk, times in top if pk in cases]


def _with_times(case: Case, times: int) -> Case:
    case.times = times
    return case


# --- median days in each state ---------------------------------------------------------------------
def _stays(scope: QuerySet[Case]) -> QuerySet:
    """One row per completed stay in a state: the event entering it and the next state-changing event (LEAD)."""
    return (CaseEvent.objects.filter(case__in=scope.values("id"), kind__in=STAY_EVENT_KINDS)
            .annotate(next_at=Window(Lead("at"), partition_by=[F("case_id")], order_by=[F("at").asc(), F("id").asc()]))
            .filter(next_at__isnull=False))


def _median_days_postgres(scope: QuerySet[Case], group: str) -> dict[tuple[int, str], tuple[float, int]]:
    """PostgreSQL: window and median (percentile_cont) both in SQL, one query."""
    # Join the scope (id, group) inside the window, not the whole case table afterwards: at a million
    # cases the outer join read every case with an OPD (~600 ms); this reads only the scope (~7 ms).
    scope_sql, scope_params = scope.values("id", group).query.sql_with_params()
    event_table = connection.ops.quote_name(CaseEvent._meta.db_table)
    sql = f"""
        WITH ev AS (
            SELECT c.{group} AS grp, e.to_state, e.at,
                   LEAD(e.at) OVER (PARTITION BY e.case_id ORDER BY e.at, e.id) AS next_at
              FROM {event_table} e
              JOIN ({scope_sql}) c ON c.id = e.case_id
             WHERE e.kind = ANY(%s) AND c.{group} IS NOT NULL
        )
        SELECT grp, to_state,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (next_at - at))) / 86400.0,
               COUNT(*)
          FROM ev
         WHERE next_at IS NOT NULL
         GROUP BY grp, to_state
    """  # noqa: S608 - table and column names come from model metadata; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope_params, [str(k) for k in STAY_EVENT_KINDS]])
        return {(pk, state): (float(days), n) for pk, state, days, n in cursor.fetchall()}


def _median_days_generic(scope: QuerySet[Case], group: str) -> dict[tuple[int, str], tuple[float, int]]:
    """Other databases (SQLite): the window in SQL via the ORM, the median of the fetched durations in Python."""
    durations: dict[tuple[int, str], list[float]] = defaultdict(list)
    rows = (_stays(scope).filter(**{f"case__{group}__isnull": False})
            .values_list(f"case__{group}", "to_state", "at", "next_at"))
    for pk, state, start, end in rows:
        durations[(pk, state)].append((end - start).total_seconds() / 86400)
    return {key: (median(values), len(values)) for key, values in durations.items()}


def median_days(scope: QuerySet[Case], group: str) -> dict[tuple[int, str], tuple[float, int]]:
    """{(group value, state): (median days, number of stays)} with ``group`` "opd_id" or "kabupaten_id"."""
    compute = _median_days_postgres if connection.vendor == "postgresql" else _median_days_generic
    return compute(scope, group)


@dataclass
class MedianRow:
    owner: Any  # an OPD (one kabupaten) or a Kabupaten (the programme)
    cells: list[tuple[str, str, float | None, int]]  # (state, label, median days, number of stays)

    @property
    def opd(self):  # the per-OPD table's name for its owner
        return self.owner


def _cells(values: dict, pk: int) -> list[tuple[str, str, float | None, int]]:
    return [(state.value, str(state.label), *values.get((pk, state.value), (None, 0))) for state in MEASURED_STATES]


def median_days_per_opd(scope: QuerySet[Case]) -> list[MedianRow]:
    """Median days a case spent in each state, per OPD now holding it, from the history rows.

    A stay in a state lasts from the history row entering it to the next
    state-changing row of the same case; stays not yet ended are left out.
    Cases are attributed to the OPD on the case (the one that holds or last
    held it), so "escalated" shows how long the Pokja took to route them.
    """
    values = median_days(scope, "opd_id")
    opd_ids = sorted({pk for pk, _state in values})
    opds = OPD.objects.filter(pk__in=opd_ids).select_related("kabupaten").order_by("kabupaten__name", "short_name")
    return [MedianRow(owner=opd, cells=_cells(values, opd.pk)) for opd in opds]


def dashboard_data(user: Any, *, kabupaten_id: int | None = None, now: datetime | None = None,
                   area: str = "kecamatan") -> dict[str, Any]:
    """The live dashboard of the user's scope (or one kabupaten of it)."""
    now = now or timezone.now()
    scope = dashboard_scope(user, kabupaten_id)
    meetings = meetings_for(user)
    if kabupaten_id:
        meetings = meetings.filter(kecamatan__kabupaten_id=kabupaten_id)
    return {
        **open_summary(scope, now=now, area=area),
        "oldest": oldest_open(scope),
        "medians": median_days_per_opd(scope),
        "carried_by_meeting": carried_over_by_meeting(scope, meetings),
        "most_carried": most_carried_cases(scope),
        "computed_at": None,
    }


# --- the programme-wide snapshot -----------------------------------------------------------------
def compute_national(*, now: datetime | None = None) -> dict[str, Any]:
    """Everything the programme-wide dashboard shows, as JSON-ready data (ids, numbers, strings)."""
    now = now or timezone.now()
    scope = cases_nationwide()
    summary = open_summary(scope, now=now, area="kabupaten")
    values = median_days(scope, "kabupaten_id")
    assigned = CaseState.ASSIGNED.value
    # The slowest first: by the median of the OPDs' stage, then the Pokja's.
    kab_ids = sorted({pk for pk, _state in values},
                     key=lambda pk: (-(values.get((pk, assigned)) or (0, 0))[0],
                                     -(values.get((pk, CaseState.ESCALATED.value)) or (0, 0))[0], pk))
    names = dict(Kabupaten.objects.filter(pk__in=kab_ids[:TOP]).values_list("pk", "name"))
    carried = carried_over_by_meeting(scope, meetings_nationwide())
    return {
        **summary,
        "oldest_ids": [c.pk for c in scope.filter(state__in=OPEN_STATES).order_by("created_at", "id")[:10]],
        "medians": [{"id": pk, "name": names.get(pk, ""), "cells": [[s, d, n] for s, _l, d, n in _cells(values, pk)]}
                    for pk in kab_ids[:TOP]],
        "medians_total": len(kab_ids),
        "carried_by_meeting": [{**r, "meeting__date": r["meeting__date"].isoformat()} for r in carried],
        "most_carried": [list(row) for row in most_carried(scope)],
    }


def refresh_national_snapshot(*, now: datetime | None = None) -> DashboardSnapshot:
    """Recompute the programme-wide figures and store them (the beat runs this every few minutes)."""
    started = timezone.now()
    data = compute_national(now=now or started)
    took = (timezone.now() - started).total_seconds() * 1000
    with transaction.atomic():
        snap, _created = DashboardSnapshot.objects.update_or_create(
            key=NATIONAL_KEY, defaults={"data": data, "computed_at": now or started, "duration_ms": int(took)})
    return snap


def national_dashboard(user: Any, *, now: datetime | None = None) -> dict[str, Any]:
    """The programme-wide dashboard from the snapshot (computed on the spot when missing or too old).

    A page view never writes the snapshot (GET changes nothing); the beat does.
    The cases it names are loaded through the user's scope, so the page never
    shows a case the user could not open.
    """
    now = now or timezone.now()
    snap = DashboardSnapshot.objects.filter(key=NATIONAL_KEY).first()
    if snap is None or snap.computed_at < now - SNAPSHOT_MAX_AGE:
        data, computed_at = compute_national(now=now), now
    else:
        data, computed_at = dict(snap.data), snap.computed_at
    scope = cases_for(user)
    ids = list(dict.fromkeys([*data["oldest_ids"], *(pk for pk, _t in data["most_carried"])]))
    cases = {c.pk: c for c in scope.filter(pk__in=ids).select_related("kabupaten", "kecamatan", "desa", "opd")}
    most = [_with_times(cases[pk], times) for pk, times in data["most_carried"] if pk in cases]
    kabs = {k.pk: k for k in Kabupaten.objects.filter(pk__in=[r["id"] for r in data["medians"]])}
    return {
        **data,
        "oldest": [cases[pk] for pk in data["oldest_ids"] if pk in cases],
        "most_carried": most,
        "medians": [MedianRow(owner=kabs[r["id"]], cells=[(s, str(CaseState(s).label), d, n) for s, d, n in r["cells"]])
                    for r in data["medians"] if r["id"] in kabs],
        "carried_by_meeting": [{**r, "meeting__date": date.fromisoformat(r["meeting__date"])}
                               for r in data["carried_by_meeting"]],
        "computed_at": computed_at,
    }
