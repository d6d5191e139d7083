"""Reads for the meeting pages: the per-desa sheet (Matriks 2/3) and the review agenda.

A meeting is always fetched through ``casework.scoping.meetings_for`` first (or by
its share token for the read-only village copy); these functions then read what
belongs to that meeting.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.crypto import constant_time_compare, salted_hmac

from casework.models import (
    Activity,
    AgendaItem,
    Case,
    CaseEvent,
    IntermediateGoal,
    MainGoal,
    Meeting,
    MeetingDesa,
    MeetingStatus,
)
from casework.scoping import get_in_scope_or_404, meetings_for


def meeting_for(user: Any, meeting_id: int) -> Meeting:
    return get_in_scope_or_404(meetings_for(user).select_related("previous"), pk=meeting_id)


def desa_share_key(meeting: Meeting, desa_id: int) -> str:
    """A per-desa key, so the link given to one village cannot be edited into another village's sheet."""
    return salted_hmac("casework.shared_sheet", f"{meeting.share_token}:{desa_id}").hexdigest()[:20]


def shared_meeting(token: str, desa_id: int, key: str) -> Meeting:
    """The village copy: only a finalised meeting, found by its unguessable token and the desa's key."""
    meeting = get_in_scope_or_404(Meeting.objects.select_related("kecamatan__kabupaten"),
                                  share_token=token, status=MeetingStatus.FINALISED)
    if not constant_time_compare(key, desa_share_key(meeting, desa_id)):
        raise Http404
    return meeting


def desa_entries(meeting: Meeting) -> list[MeetingDesa]:
    return list(meeting.desa_entries.select_related("desa", "plan").order_by("position", "id"))


@dataclass
class SheetRow:
    """One line of Matriks 2: a goal (with its target), an intermediate goal, or an activity."""

    kind: str  # "goal", "intermediate", "activity", "other"
    label: str
    detail: str = ""
    goal: MainGoal | None = None
    activity: Activity | None = None
    cases: list[Case] = field(default_factory=list)


@dataclass
class Sheet:
    entry: MeetingDesa
    rows: list[SheetRow]
    cases: list[Case]
    carried: list[AgendaItem]

    @property
    def desa(self):
        return self.entry.desa

    @property
    def targets(self) -> list[tuple[str, str]]:
        """Choices for "against which goal or activity" when recording an obstacle."""
        choices = []
        for row in self.rows:
            if row.kind == "goal":
                choices.append((f"goal:{row.goal.pk}", row.label))
            elif row.kind == "activity":
                choices.append((f"activity:{row.activity.pk}", f"— {row.label}"))
        return choices


def plan_goals(plan_ids) -> dict[int, list[MainGoal]]:
    """The main goals of each plan, in order, with their intermediate goals and activities: three queries
    for any number of plans (a meeting's sheets and the Matriks 4 export read every participating desa's)."""
    ids = [pk for pk in set(plan_ids) if pk]
    if not ids:
        return {}
    goals: dict[int, list[MainGoal]] = defaultdict(list)
    for goal in (MainGoal.objects.filter(plan_id__in=ids).order_by("plan_id", "position", "id").prefetch_related(
            Prefetch("intermediate_goals", queryset=IntermediateGoal.objects.order_by("position", "id")),
            Prefetch("activities", queryset=Activity.objects.order_by("position", "id")))):
        goals[goal.plan_id].append(goal)
    return goals


def _plan_goals(plan_id: int | None) -> list[MainGoal]:
    return plan_goals([plan_id]).get(plan_id, []) if plan_id else []


def build_sheet(meeting: Meeting, entry: MeetingDesa, *, carried: list[AgendaItem] | None = None) -> Sheet:
    """Lay out the desa's sheet as the guide says (section 3, step 6).

    First the main goal and its target, then its intermediate goals, then the
    activities; the obstacles recorded at this meeting sit on the row of the goal
    or activity they were raised against, the rest on a closing "other" row.
    """
    cases = list(Case.objects.filter(meeting=meeting, desa_id=entry.desa_id)
                 .select_related("main_goal", "activity", "opd").order_by("created_at", "id"))
    by_activity: dict[int, list[Case]] = defaultdict(list)
    by_goal: dict[int, list[Case]] = defaultdict(list)
    unattached: list[Case] = []
    for case in cases:
        if case.activity_id:
            by_activity[case.activity_id].append(case)
        elif case.main_goal_id:
            by_goal[case.main_goal_id].append(case)
        else:
            unattached.append(case)
    rows: list[SheetRow] = []
    placed: set[int] = set()
    for number, goal in enumerate(_plan_goals(entry.plan_id), start=1):
        detail = goal.target + (f" ({goal.target_year})" if goal.target_year else "")
        rows.append(SheetRow("goal", f"{number}. {goal.statement}", detail, goal=goal,
                             cases=by_goal.get(goal.pk, [])))
        placed.update(c.pk for c in by_goal.get(goal.pk, []))
        for ig in goal.intermediate_goals.all():
            rows.append(SheetRow("intermediate", ig.statement, ig.target_value, goal=goal))
        for act in goal.activities.all():
            rows.append(SheetRow("activity", act.name, act.description, goal=goal, activity=act,
                                 cases=by_activity.get(act.pk, [])))
            placed.update(c.pk for c in by_activity.get(act.pk, []))
    # Cases whose goal/activity is not on this plan version (e.g. the plan was updated) stay visible.
    rest = unattached + [c for c in cases if c.pk not in placed and c not in unattached]
    if rest:
        rows.append(SheetRow("other", "", cases=rest))
    if carried is None:
        carried = list(meeting.agenda.filter(case__desa_id=entry.desa_id).select_related("case").order_by("position"))
    return Sheet(entry=entry, rows=rows, cases=cases, carried=carried)


def all_sheets(meeting: Meeting, *, desa_id: int | None = None) -> list[Sheet]:
    entries = desa_entries(meeting)
    if desa_id:
        entries = [e for e in entries if e.desa_id == desa_id]
    carried: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in meeting.agenda.select_related("case").order_by("position"):
        carried[item.case.desa_id].append(item)
    return [build_sheet(meeting, entry, carried=carried.get(entry.desa_id, [])) for entry in entries]


@dataclass
class AgendaGroup:
    desa: Any
    position: int | None
    items: list[AgendaItem]


def agenda_groups(meeting: Meeting) -> list[AgendaGroup]:
    """Carried-over cases grouped by desa in discussion order, each with its events since the previous meeting."""
    items = list(meeting.agenda.select_related("case__desa", "case__opd", "reviewed_by").order_by("position", "id"))
    if not items:
        return []
    since = meeting.previous.prepared_at if meeting.previous_id and meeting.previous else None
    events = CaseEvent.objects.filter(case_id__in=[i.case_id for i in items]).select_related("actor")
    if since:
        events = events.filter(at__gte=since)
    by_case: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in events.order_by("at", "id"):
        by_case[event.case_id].append(event)
    order = {e.desa_id: e.position for e in meeting.desa_entries.all()}
    groups: dict[int, AgendaGroup] = {}
    for item in items:
        item.recent_events = by_case.get(item.case_id, [])
        desa = item.case.desa
        if desa.pk not in groups:
            groups[desa.pk] = AgendaGroup(desa=desa, position=order.get(desa.pk), items=[])
        groups[desa.pk].items.append(item)
    return sorted(groups.values(), key=lambda g: (g.position is None, g.position or 0, g.desa.name))


def missing_review_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.agenda.filter(outcome="").select_related("case__desa").order_by("position", "id")
