"""Reads for the exports. Each starts from casework.scoping, so an export holds only what the user may see."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Min, Prefetch, Q, QuerySet

from casework.models import Activity, Case, CaseState, IntermediateGoal, MainGoal, Meeting, MeetingDesa, Plan
from casework.scoping import cases_for, get_in_scope_or_404, meetings_for


@dataclass
class DesaSheet:
    entry: MeetingDesa
    plan: Plan | None
    goals: list[MainGoal] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)


def meeting_in_scope(user: Any, meeting_id: int) -> Meeting:
    return get_in_scope_or_404(meetings_for(user), pk=meeting_id)


def _plan_goals(plan: Plan | None) -> list[MainGoal]:
    if plan is None:
        return []
    return list(MainGoal.objects.filter(plan=plan).order_by("position", "id").prefetch_related(
        Prefetch("intermediate_goals", queryset=IntermediateGoal.objects.order_by("position", "id")),
        Prefetch("activities", queryset=Activity.objects.order_by("position", "id")),
    ))


def meeting_sheets(user: Any, meeting: Meeting, desa_id: int | None = None) -> list[DesaSheet]:
    """Per participating desa, in discussion order: the plan its sheet is laid out from and the meeting's cases.

    The plan is the one fixed when the meeting was prepared, else the desa's current plan.
    ``desa_id`` narrows to one desa; one that is not a participant is a 404.
    """
    entries = meeting.desa_entries.select_related("desa", "plan").order_by("position", "id")
    if desa_id is not None:
        entries = entries.filter(desa_id=desa_id)
        if not entries.exists():
            from django.http import Http404

            raise Http404
    cases = cases_for(user).filter(meeting=meeting).exclude(state=CaseState.WITHDRAWN).order_by("created_at", "id")
    by_desa: dict[int, list[Case]] = {}
    for case in cases:
        by_desa.setdefault(case.desa_id, []).append(case)
    sheets = []
    for entry in entries:
        plan = entry.plan or entry.desa.current_plan()
        sheets.append(DesaSheet(entry=entry, plan=plan, goals=_plan_goals(plan), cases=by_desa.get(entry.desa_id, [])))
    return sheets


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
