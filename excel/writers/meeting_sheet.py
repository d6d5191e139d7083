"""The meeting sheet (Matriks 2), one worksheet per desa, laid out as guide section 3 step 6 says.

Main goal and target on the first row, then the intermediate goals, then each
activity on its own row; obstacles already recorded at this meeting sit on
their activity's (or goal's) row, further ones below it; a few empty rows per
goal are left for new obstacles. See excel.layout for the columns.
"""
from __future__ import annotations

from typing import IO, Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from casework.models import Case, Meeting
from excel.layout import COL, EXTRA_ROWS_PER_GOAL, HEADER_ROW, MEETING_COLUMNS, SUPPORT_CHOICES, SUPPORT_LABEL, make_ref
from excel.selectors import DesaSheet, meeting_sheets
from excel.text import tanggal
from excel.writers.cells import BOLD, HEADER_FILL, ITALIC, TITLE, cell, landscape, sheet_title

LAST = get_column_letter(len(MEETING_COLUMNS))


def write_meeting_workbook(fh: IO[bytes], *, user: Any, meeting: Meeting, desa_id: int | None = None) -> int:
    """Write the sheets (all participating desa, or one) to ``fh``. Returns the number of sheets."""
    sheets = meeting_sheets(user, meeting, desa_id)
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    for sheet in sheets:
        _write_sheet(wb, sheet, meeting, taken)
    if not sheets:
        ws = wb.create_sheet("Matriks 2")
        ws.append([cell(ws, "Belum ada desa peserta pada pertemuan ini.")])
    wb.save(fh)
    return len(sheets)


def _row(ws, values: dict[str, Any], *, goal_font=None, activity_font=None) -> None:
    row = []
    for field, _header, _width in MEETING_COLUMNS:
        value = values.get(field) or None
        font = goal_font if field == "goal" else activity_font if field == "activity" else None
        row.append(cell(ws, value, wrap=True, border=True, font=font))
    ws.append(row)


def _case_values(case: Case) -> dict[str, Any]:
    return {"obstacle": case.obstacle, "cause": case.cause, "solution": case.solution,
            "support_needed": case.support_needed, "support_from": SUPPORT_LABEL.get(case.support_from, "")}


def _write_sheet(wb: Workbook, sheet: DesaSheet, meeting: Meeting, taken: set[str]) -> None:
    desa = sheet.entry.desa
    ws = wb.create_sheet(sheet_title(desa.name, taken))
    # Set before the first row: write-only sheets emit columns, views and setup at the top.
    for i, (_field, _header, width) in enumerate(MEETING_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.column_dimensions[get_column_letter(COL["ref"])].hidden = True
    landscape(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    ws.freeze_panes = f"A{HEADER_ROW + 1}"

    ws.append([cell(ws, f"Desa: {desa.name}", font=TITLE)] + [None] * (COL["ref"] - 2)
              + [cell(ws, f"meeting={meeting.pk};desa={desa.pk}")])
    ws.append([cell(ws, f"Tanggal pelaksanaan koordinasi: {tanggal(meeting.date)}", font=BOLD)])
    plan_note = (f"Kecamatan {meeting.kecamatan.name} · Rencana {sheet.plan.period} versi {sheet.plan.version}"
                 if sheet.plan else f"Kecamatan {meeting.kecamatan.name} · desa ini belum memiliki rencana (Matriks 1)")
    ws.append([cell(ws, plan_note, font=ITALIC)])
    ws.append([])
    ws.append([cell(ws, header, font=BOLD, wrap=True, border=True, fill=HEADER_FILL)
               for _f, header, _w in MEETING_COLUMNS])
    row_no = HEADER_ROW

    by_activity: dict[int, list[Case]] = {}
    by_goal: dict[int, list[Case]] = {}
    goal_ids = {g.pk for g in sheet.goals}
    activity_ids = {a.pk for g in sheet.goals for a in g.activities.all()}
    other: list[Case] = []
    for case in sheet.cases:
        if case.activity_id in activity_ids:
            by_activity.setdefault(case.activity_id, []).append(case)
        elif case.main_goal_id in goal_ids:
            by_goal.setdefault(case.main_goal_id, []).append(case)
        else:
            other.append(case)

    def put(values: dict, cases: list[Case], ref_kwargs: dict, **fonts) -> None:
        nonlocal row_no
        first = cases[0] if cases else None
        _row(ws, {**values, **(_case_values(first) if first else {}),
                  "ref": make_ref(**ref_kwargs, case_ref=first.ref if first else None)}, **fonts)
        row_no += 1
        for case in cases[1:]:
            _row(ws, {**_case_values(case), "ref": make_ref(**ref_kwargs, case_ref=case.ref)})
            row_no += 1

    for number, goal in enumerate(sheet.goals, start=1):
        target = f"\nTarget: {goal.target}" if goal.target and goal.target not in goal.statement else ""
        put({"goal": f"{number}. {goal.statement}{target}"}, by_goal.get(goal.pk, []), {"goal_id": goal.pk},
            goal_font=BOLD)
        for ig in goal.intermediate_goals.all():
            value = f" ({ig.target_value})" if ig.target_value else ""
            put({"activity": f"Tujuan antara: {ig.statement}{value}"}, [], {"goal_id": goal.pk},
                activity_font=ITALIC)
        for activity in goal.activities.all():
            put({"activity": f"• {activity.name}"}, by_activity.get(activity.pk, []),
                {"goal_id": goal.pk, "activity_id": activity.pk})
        for _ in range(EXTRA_ROWS_PER_GOAL):
            _row(ws, {"ref": make_ref(goal_id=goal.pk)})
            row_no += 1

    put({"goal": "Kendala lain (tidak terkait tujuan tertentu)"}, other, {"no_goal": True}, goal_font=ITALIC)
    for _ in range(EXTRA_ROWS_PER_GOAL):
        _row(ws, {"ref": make_ref(no_goal=True)})
        row_no += 1

    choices = ",".join(label for _v, label in SUPPORT_CHOICES)
    dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True, showErrorMessage=True,
                        errorTitle="Dukungan dari", error=f"Pilih salah satu: {choices}")
    letter = get_column_letter(COL["support_from"])
    dv.add(f"{letter}{HEADER_ROW + 1}:{letter}{max(row_no, HEADER_ROW + 1)}")
    ws.data_validations.append(dv)
    ws.print_area = f"A1:{get_column_letter(COL['support_from'])}{row_no}"
