"""Reads for pages and exports. Every function starts from casework.scoping, so results are in scope."""
from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from casework.models import OPEN_STATES, Activity, Case, CaseState, Desa, IntermediateGoal, MainGoal, Plan
from casework.scoping import cases_for, desa_for, kecamatan_for, plans_for


def case_counts_by_state(user: Any) -> dict[str, int]:
    rows = cases_for(user).values("state").annotate(n=Count("id")).order_by()
    counts = {state: 0 for state in CaseState.values}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def overdue_count(user: Any) -> int:
    return cases_for(user).filter(state__in=OPEN_STATES, deadline_at__lte=timezone.now()).count()


def desa_with_plans(user: Any) -> QuerySet[Desa]:
    open_cases = Count("cases", filter=Q(cases__state__in=OPEN_STATES))
    return (desa_for(user).annotate(open_cases=open_cases,
                                    has_plan=Exists(Plan.objects.filter(desa=OuterRef("pk"))))
            .prefetch_related("plans")  # Desa.current_plan() then reads them without a query per desa
            .order_by("kecamatan__name", "name"))


def kecamatan_summary(user: Any):
    open_cases = Count("cases", filter=Q(cases__state__in=OPEN_STATES))
    return kecamatan_for(user).annotate(open_cases=open_cases, desa_count=Count("desa", distinct=True)).order_by("name")


def plan_with_matrix(user: Any, plan_id: int) -> Plan:
    """A plan with its goals, intermediate goals and activities prefetched in order (Matriks 1)."""
    from casework.scoping import get_in_scope_or_404

    activities = Activity.objects.prefetch_related("funding_sources").order_by("position", "id")
    goals = MainGoal.objects.order_by("position", "id").prefetch_related(
        Prefetch("intermediate_goals", queryset=IntermediateGoal.objects.order_by("position", "id")),
        Prefetch("activities", queryset=activities),
    )
    return get_in_scope_or_404(plans_for(user).prefetch_related(Prefetch("goals", queryset=goals)), pk=plan_id)
