"""Reads for the Pokja inbox, the OPD workspace and the Rakor preparation page.

Every function starts from ``casework.scoping`` so what it returns is in the
user's scope; ``now`` is a parameter so the overdue boundary can be tested.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case as SqlCase
from django.db.models import Count, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import User
from casework.models import Case, CaseEvent, CaseState, EventKind, Kabupaten
from casework.scoping import cases_for, kabupaten_for
from escalation.deadlines import end_of_local_day, is_overdue, last_rakor_start, waiting_days
from escalation.models import OPD, Rakor

SECTION_LIMIT = 100


def pokja_kabupaten_list(user: Any) -> QuerySet[Kabupaten]:
    """Kabupaten whose Pokja pages this user may open: their own (Pokja) or all (programme admin)."""
    if not getattr(user, "is_authenticated", False):
        return Kabupaten.objects.none()
    if user.is_programme_admin or user.role == "pokja":
        return kabupaten_for(user).order_by("name")
    return Kabupaten.objects.none()


def chosen_kabupaten(user: Any, requested: str | int | None) -> Kabupaten | None:
    """The kabupaten a Pokja page works on: the Pokja's own, or the admin's choice (default: the first).

    A kabupaten asked for by id but outside the user's scope gives None (the views answer 404), never a
    silent switch to the user's own kabupaten.
    """
    options = pokja_kabupaten_list(user)
    if requested not in (None, ""):
        try:
            return options.filter(pk=int(requested)).first()
        except (TypeError, ValueError):
            return None
    return options.first()


def opds_of(kabupaten_id: int) -> QuerySet[OPD]:
    return OPD.objects.filter(kabupaten_id=kabupaten_id, active=True).order_by("short_name")


def officers_of(kabupaten_id: int) -> QuerySet[User]:
    return (User.objects.filter(role="opd", is_active=True, opd__kabupaten_id=kabupaten_id, opd__active=True)
            .select_related("opd").order_by("opd__short_name", "first_name", "username"))


# --- Pokja inbox ---------------------------------------------------------------------------------
@dataclass
class DesaGroup:
    desa: Any
    cases: list[Case] = field(default_factory=list)


@dataclass
class KecamatanGroup:
    kecamatan: Any
    desa_groups: list[DesaGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(g.cases) for g in self.desa_groups)


def inbox_cases(user: Any, kabupaten_id: int) -> QuerySet[Case]:
    """Escalated cases of the kabupaten waiting for the Pokja, the longest-waiting first."""
    return (cases_for(user).filter(kabupaten_id=kabupaten_id, state=CaseState.ESCALATED)
            .select_related("kabupaten", "kecamatan", "desa").order_by("state_changed_at", "id"))


def annotate_waiting(cases: list[Case], *, now: datetime) -> list[Case]:
    """Attach ``waited_days`` (local calendar days since the case entered its state) and ``overdue_now``."""
    for case in cases:
        tz = ZoneInfo(case.kabupaten.timezone)
        case.waited_days = waiting_days(case.state_changed_at, now, tz)
        case.overdue_now = is_overdue(case.deadline_at, now)
    return cases


def group_inbox(cases: list[Case]) -> list[KecamatanGroup]:
    """Group oldest-first cases by kecamatan and desa; groups keep the order of their oldest case."""
    groups: dict[int, KecamatanGroup] = {}
    desa_index: dict[tuple[int, int], DesaGroup] = {}
    for case in cases:
        kec = groups.setdefault(case.kecamatan_id, KecamatanGroup(case.kecamatan))
        key = (case.kecamatan_id, case.desa_id)
        if key not in desa_index:
            desa_index[key] = DesaGroup(case.desa)
            kec.desa_groups.append(desa_index[key])
        desa_index[key].cases.append(case)
    return list(groups.values())


# --- OPD workspace -------------------------------------------------------------------------------
@dataclass
class Workspace:
    new: list[Case]
    in_progress: list[Case]
    overdue: list[Case]
    resolved: list[Case]
    counts: dict[str, int]


def opd_workspace(user: Any, *, now: datetime | None = None) -> Workspace:
    """The OPD officer's four lists. Overdue cases appear only under "overdue" so each case is listed once.

    One query: each assigned or resolved case of the agency is put in its section, ranked within it
    (soonest deadline first; resolved: most recently resolved first) and counted per section, and only the
    first ``SECTION_LIMIT`` of each section are returned. Four list queries and a count cost more in round
    trips and planning than in reading the few hundred rows of one agency.
    """
    now = now or timezone.now()
    resolved = Q(state=CaseState.RESOLVED)
    assigned = Q(state=CaseState.ASSIGNED)
    overdue_q = Q(state=CaseState.ASSIGNED, deadline_at__lte=now)
    section = SqlCase(When(resolved, then=Value("resolved")), When(overdue_q, then=Value("overdue")),
                      When(acknowledged_at__isnull=True, then=Value("new")), default=Value("in_progress"))
    # A section holds one state, so the keys of the other state are NULL there and do not reorder it.
    order = [SqlCase(When(resolved, then="state_changed_at")).desc(), SqlCase(When(resolved, then="id")).desc(),
             SqlCase(When(assigned, then="deadline_at")).asc(), SqlCase(When(assigned, then="id")).asc()]
    rows = (cases_for(user).filter(assigned | resolved, opd_id=user.opd_id)
            .select_related("kabupaten", "kecamatan", "desa", "assignee")
            .annotate(ws_section=section,
                      ws_rank=Window(RowNumber(), partition_by=[section], order_by=order),
                      ws_total=Window(Count("id"), partition_by=[section]))
            .filter(ws_rank__lte=SECTION_LIMIT).order_by("ws_rank"))
    lists: dict[str, list[Case]] = {"new": [], "in_progress": [], "overdue": [], "resolved": []}
    counts = dict.fromkeys(lists, 0)
    for case in rows:
        lists[case.ws_section].append(case)
        counts[case.ws_section] = case.ws_total
    for cases in lists.values():
        annotate_waiting(cases, now=now)
    return Workspace(counts=counts, **lists)


# --- Rakor preparation ---------------------------------------------------------------------------
@dataclass
class RakorRow:
    opd: OPD
    open: int = 0
    overdue: int = 0
    resolved_since: int = 0
    cases: list[Case] = field(default_factory=list)


def rakor_since(kabupaten: Kabupaten, *, now: datetime | None = None) -> tuple[date, datetime, Rakor | None]:
    """(start date, start instant in the kabupaten's zone, the last Rakor before today or None)."""
    now = now or timezone.now()
    tz = ZoneInfo(kabupaten.timezone)
    today = timezone.localdate(now, tz)
    last = Rakor.objects.filter(kabupaten=kabupaten, date__lt=today).order_by("-date").first()
    start = last_rakor_start([last.date] if last else [], today)
    # Local midnight at the start of ``start`` is the end of the day before.
    return start, end_of_local_day(start - timedelta(days=1), tz), last


def rakor_summary(user: Any, kabupaten: Kabupaten, *, now: datetime | None = None,
                  with_cases: bool = False) -> tuple[list[RakorRow], date, Rakor | None]:
    """Per OPD of the kabupaten: cases held open (assigned), overdue, and resolved since the last Rakor."""
    now = now or timezone.now()
    start, start_at, last = rakor_since(kabupaten, now=now)
    scope = cases_for(user).filter(kabupaten_id=kabupaten.pk, opd__isnull=False)
    overdue_q = Q(state=CaseState.ASSIGNED, deadline_at__lte=now)
    held = {r["opd_id"]: r for r in scope.values("opd_id").annotate(
        open=Count("id", filter=Q(state=CaseState.ASSIGNED)), overdue=Count("id", filter=overdue_q)).order_by()}
    resolved_events = CaseEvent.objects.filter(case__in=scope.values("id"), kind=EventKind.TRANSITION,
                                               action="resolve", at__gte=start_at)
    resolved = {r["case__opd_id"]: r["n"] for r in resolved_events.values("case__opd_id")
                .annotate(n=Count("case_id", distinct=True)).order_by()}
    rows = {opd.pk: RakorRow(opd=opd, open=held.get(opd.pk, {}).get("open", 0),
                             overdue=held.get(opd.pk, {}).get("overdue", 0), resolved_since=resolved.get(opd.pk, 0))
            for opd in OPD.objects.filter(kabupaten=kabupaten).order_by("short_name")}
    if with_cases:
        listed = (scope.filter(Q(state=CaseState.ASSIGNED) | Q(pk__in=resolved_events.values("case_id")))
                  .select_related("kabupaten", "kecamatan", "desa", "opd").order_by("deadline_at", "id"))
        for case in annotate_waiting(list(listed), now=now):
            if case.opd_id in rows:
                rows[case.opd_id].cases.append(case)
    return list(rows.values()), start, last
