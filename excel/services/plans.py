"""Import a village plan (Matriks 1): preview first, then a new Plan version in one transaction."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from casework.models import Activity, Desa, FundingSource, IntermediateGoal, MainGoal, Plan
from casework.scoping import desa_for, get_in_scope_or_404
from excel.readers.grid import Problem
from excel.readers.plan import ParsedPlan, read_plan
from excel.safety import FileRejected, check_upload, load_workbook
from excel.services.common import ImportRefused, rejected_preview

PLAN_ROLES = ("kecamatan", "pokja", "admin")


def _check_user(user: Any, desa_id: int) -> Desa:
    """The desa, if the user may import a plan for it; 404 when it is outside their scope."""
    desa = get_in_scope_or_404(desa_for(user), pk=desa_id)
    if not (user.is_superuser or user.role in PLAN_ROLES):
        raise ImportRefused(_("Petugas OPD tidak dapat mengimpor rencana desa."))
    return desa


def _clean_period(period: str) -> str:
    period = (period or "").strip()
    import re

    if not re.fullmatch(r"20\d{2}(?:\s*[-–/]\s*20\d{2})?", period):
        raise ImportRefused(_("Periode harus berupa tahun (2024) atau rentang tahun (2024-2026)."))
    return re.sub(r"\s*[-–/]\s*", "-", period)


def _parse(path: Path) -> ParsedPlan:
    check_upload(path)
    return read_plan(load_workbook(path))


def plan_import_preview(*, user: Any, desa_id: int, period: str, path: Path) -> dict:
    """What importing this file would create, and every problem found, as a JSON-ready dict. Writes nothing."""
    desa = _check_user(user, desa_id)
    period = _clean_period(period)
    try:
        parsed = _parse(path)
    except FileRejected as exc:
        return rejected_preview("plan", exc.message)
    next_version = (Plan.objects.filter(desa=desa, period=period).aggregate(m=Max("version"))["m"] or 0) + 1
    known = {n.lower() for n in FundingSource.objects.values_list("name", flat=True)}
    new_sources = sorted({n for g in parsed.goals for a in g.activities for n in a.funding if n.lower() not in known})
    return {
        "kind": "plan",
        "ok": not parsed.problems,
        "problems": [p.as_dict() for p in parsed.problems],
        "warnings": [p.as_dict() for p in parsed.warnings],
        "desa": desa.name, "desa_id": desa.pk, "kecamatan": desa.kecamatan.name, "period": period,
        "version": next_version, "layout": parsed.layout, "sheet": parsed.sheet,
        "summary": {
            "goals": len(parsed.goals),
            "intermediate": sum(len(g.intermediate) for g in parsed.goals),
            "activities": sum(len(g.activities) for g in parsed.goals),
            "new_funding_sources": new_sources,
        },
        "goals": [
            {"statement": g.statement, "target": g.target, "target_year": g.target_year, "row": g.row,
             "intermediate": [{"statement": i.statement, "target_value": i.target_value} for i in g.intermediate],
             "activities": [{"name": a.name, "description": a.description, "funding_note": a.funding_note,
                             "funding": a.funding, "row": a.row} for a in g.activities]}
            for g in parsed.goals
        ],
    }


def _funding_source(name: str, cache: dict[str, FundingSource]) -> FundingSource:
    key = name.lower()
    if key not in cache:
        existing = FundingSource.objects.filter(name__iexact=name).first()
        cache[key] = existing or FundingSource.objects.get_or_create(name=name)[0]
    return cache[key]


def plan_import_commit(*, user: Any, desa_id: int, period: str, path: Path, source_name: str = "") -> Plan:
    """Create a new Plan version (max + 1 for the desa and period) from the file, all or nothing.

    The file is parsed again here rather than trusting the stored preview, so
    what is saved is exactly what the file says; any problem refuses the whole
    import (ImportRefused with the problems) and nothing is written.
    """
    desa = _check_user(user, desa_id)
    period = _clean_period(period)
    try:
        parsed = _parse(path)
    except FileRejected as exc:
        raise ImportRefused(exc.message) from None
    if parsed.problems:
        raise ImportRefused(_("Berkas berisi %(n)d masalah; tidak ada yang disimpan.") % {"n": len(parsed.problems)},
                            problems=parsed.problems)
    with transaction.atomic():
        # Lock the desa row so two imports for the same desa and period get consecutive versions.
        Desa.objects.select_for_update().filter(pk=desa.pk).first()
        version = (Plan.objects.filter(desa=desa, period=period).aggregate(m=Max("version"))["m"] or 0) + 1
        plan = Plan.objects.create(desa=desa, period=period, version=version, created_by=user,
                                   source_file=(source_name or Path(path).name)[:255],
                                   note=_("Diimpor dari berkas Excel (%(layout)s).") % {
                                       "layout": "Matriks 10" if parsed.layout == "matriks10" else "Matriks 1"})
        cache: dict[str, FundingSource] = {}
        for g_pos, g in enumerate(parsed.goals, start=1):
            goal = MainGoal.objects.create(plan=plan, position=g_pos, statement=g.statement, target=g.target,
                                           target_year=g.target_year)
            igs = [IntermediateGoal.objects.create(main_goal=goal, position=i, statement=ig.statement,
                                                   target_value=ig.target_value)
                   for i, ig in enumerate(g.intermediate, start=1)]
            for a_pos, a in enumerate(g.activities, start=1):
                activity = Activity.objects.create(
                    main_goal=goal, position=a_pos, name=a.name, description=a.description,
                    funding_note=a.funding_note,
                    intermediate_goal=igs[a.intermediate_index] if a.intermediate_index is not None else None)
                if a.funding:
                    activity.funding_sources.set([_funding_source(n, cache) for n in a.funding])
    return plan


__all__ = ["plan_import_preview", "plan_import_commit", "Problem"]
