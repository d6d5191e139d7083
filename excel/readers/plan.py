"""Read a village plan (Matriks 1) from a workbook, in the guide's clean layout or the field's "Matriks 10" layout.

Clean layout:  Tujuan & Target Capaian | Tujuan Antara dan nilai target | Kegiatan yang direncanakan |
               Keterangan Kegiatan | Sumber Pembiayaan
Matriks 10:    NO | TUJUAN KEGIATAN | TARGET TUJUAN | Sasaran-sasaran yang perlu dicapai | TARGET SASARAN |
               KEGIATAN-KEGIATAN yang perlu dilakukan | KETERANGAN | SUMBER PEMBIAYAAN

Rules, as villages actually fill these in:
- the header row is the best match among the first 20 rows, in any case, spacing or hyphenation;
- a goal cell merged over several rows (or repeated, or left blank below) is one goal;
- one cell may list several bullet items; activities, their keterangan and funding are paired by
  position when the counts match, otherwise each activity keeps the whole text and a warning says so;
- empty rows are spacers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from excel.readers.grid import Grid, Problem
from excel.text import clean, funding_names, same_text, split_items, split_target

FIELD_LABELS = {
    "goal": "Tujuan & Target Capaian",
    "goal_target": "Target Tujuan",
    "intermediate": "Tujuan Antara / Sasaran",
    "ig_target": "Target Sasaran",
    "activity": "Kegiatan",
    "description": "Keterangan",
    "funding": "Sumber Pembiayaan",
}


def match_header(t: str) -> str | None:
    """Which plan field a compacted header names (see excel.text.compact)."""
    if not t:
        return None
    if t in ("no", "nomor", "nourut", "nmr"):
        return "no"
    if t.startswith("target"):
        return "ig_target" if ("sasaran" in t or "antara" in t) else "goal_target"
    if "tujuanantara" in t or t.startswith("sasaran"):
        return "intermediate"
    if t.startswith("tujuan"):
        return "goal"
    if t.startswith("keterangan"):
        return "description"
    if "sumber" in t or "pembiayaan" in t or t.startswith("dana"):
        return "funding"
    if "kegiatan" in t or "aktivitas" in t:
        return "activity"
    return None


@dataclass
class ActivityData:
    name: str
    description: str = ""
    funding_note: str = ""
    funding: list[str] = field(default_factory=list)
    intermediate_index: int | None = None
    row: int = 0


@dataclass
class IntermediateData:
    statement: str
    target_value: str = ""


@dataclass
class GoalData:
    raw: str
    statement: str
    target: str = ""
    target_year: int | None = None
    row: int = 0
    intermediate: list[IntermediateData] = field(default_factory=list)
    activities: list[ActivityData] = field(default_factory=list)


@dataclass
class ParsedPlan:
    sheet: str = ""
    layout: str = ""
    header_row: int | None = None
    goals: list[GoalData] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def read_plan(workbook) -> ParsedPlan:
    """Parse the first sheet that has a plan header. Problems (blocking) and warnings are collected, never raised."""
    result = ParsedPlan()
    best = None
    formula_problems: dict[str, list[Problem]] = {}
    for ws in workbook.worksheets:
        problems: list[Problem] = []
        grid = Grid(ws, problems)
        header_row, columns = grid.find_header(match_header)
        if "goal" in columns and "activity" in columns and (best is None or len(columns) > len(best[2])):
            best = (grid, header_row, columns)
        formula_problems[ws.title] = problems
    if best is None:
        expected = "; ".join(FIELD_LABELS[f] for f in ("goal", "intermediate", "activity", "description", "funding"))
        first = workbook.worksheets[0].title if workbook.worksheets else ""
        result.problems.append(Problem(
            _("Judul kolom rencana tidak ditemukan di 20 baris pertama. Kolom yang dikenali: %(cols)s "
              "(atau susunan Matriks 10: NO, TUJUAN KEGIATAN, TARGET TUJUAN, Sasaran, TARGET SASARAN, "
              "KEGIATAN, KETERANGAN, SUMBER PEMBIAYAAN).") % {"cols": expected}, first))
        return result
    grid, header_row, columns = best
    result.sheet, result.header_row = grid.title, header_row
    result.layout = "matriks10" if {"goal_target", "ig_target", "no"} & set(columns) else "matriks1"
    result.problems.extend(formula_problems.get(grid.title, []))
    _read_rows(grid, header_row, columns, result)
    if not result.goals and not result.problems:
        result.problems.append(Problem(_("Tidak ada tujuan atau kegiatan di bawah baris judul; berkas kosong."),
                                       grid.title, header_row))
    return result


def _parallel(items: list[str], n: int, whole: str, label: str, grid: Grid, row: int, col: int,
              warnings: list[Problem]) -> list[str]:
    """Pair a list column with n activities: by position when counts match, else whole text for each."""
    if n == 0:
        return []
    if not whole:
        return [""] * n
    if n == 1:
        return [" ".join(i for i in items if i) or whole.replace("\n", " ")]
    if len(items) == n:
        return items
    warnings.append(Problem(
        _("Jumlah butir %(label)s (%(got)d) tidak sama dengan jumlah kegiatan (%(n)d); "
          "seluruh isi sel dicatat pada setiap kegiatan. Periksa setelah impor.")
        % {"label": label, "got": len([i for i in items if i]), "n": n},
        grid.title, row, get_column_letter(col)))
    return [whole.replace("\n", "; ")] * n


def _read_rows(grid: Grid, header_row: int, cols: dict[str, int], result: ParsedPlan) -> None:
    goal: GoalData | None = None
    used = [c for f, c in cols.items() if f != "no"]

    def consumed(r: int, f: str) -> bool:
        # A list cell merged down over several rows is read once, at its top row.
        return f in cols and (r, cols[f]) in grid.merged_from

    for r in range(header_row + 1, grid.max_row + 1):
        if grid.row_is_empty(r, used):
            continue
        goal_text = grid.text(r, cols["goal"])
        if goal_text and (goal is None or not same_text(goal_text, goal.raw)):
            statement, target, year = split_target(goal_text)
            if not statement:
                result.problems.append(Problem(_("Pernyataan tujuan kosong."), grid.title, r,
                                               get_column_letter(cols["goal"])))
                continue
            goal = GoalData(raw=goal_text, statement=statement, target=target, target_year=year, row=r)
            result.goals.append(goal)
        if goal is None:
            result.problems.append(Problem(_("Baris ini berisi kegiatan tetapi belum ada tujuan di atasnya; "
                                             "isi kolom tujuan."), grid.title, r, get_column_letter(cols["goal"])))
            continue
        if "goal_target" in cols and not consumed(r, "goal_target"):
            extra = grid.text(r, cols["goal_target"])
            if extra and not same_text(extra, goal.target):
                goal.target = f"{goal.target}\n{extra}".strip() if goal.target and goal.row != r else extra
                years = [int(y) for y in re.findall(r"\b(20\d{2})\b", goal.target)]
                goal.target_year = years[-1] if years else goal.target_year
        row_ig: int | None = None
        if "intermediate" in cols and not consumed(r, "intermediate"):
            ig_items = split_items(grid.get(r, cols["intermediate"]))
            targets_whole = grid.text(r, cols.get("ig_target"))
            targets = split_items(targets_whole) if targets_whole else []
            if targets and len(targets) != len(ig_items) and len(ig_items) > 1:
                result.warnings.append(Problem(
                    _("Jumlah target sasaran tidak sama dengan jumlah sasaran; seluruh isi sel dicatat pada setiap "
                      "sasaran."), grid.title, r, get_column_letter(cols["ig_target"])))
            for i, item in enumerate(ig_items):
                statement, target_value, _year = split_target(item)
                if targets:
                    if len(targets) == len(ig_items):
                        target_value = targets[i]
                    else:
                        target_value = " ".join(targets) if len(ig_items) == 1 else targets_whole.replace("\n", "; ")
                existing = next((k for k, ig in enumerate(goal.intermediate) if same_text(ig.statement, statement)),
                                None)
                if existing is None:
                    goal.intermediate.append(IntermediateData(statement=statement, target_value=target_value))
                    existing = len(goal.intermediate) - 1
                if row_ig is None:
                    row_ig = existing
        if row_ig is None and goal.intermediate:
            row_ig = len(goal.intermediate) - 1
        acts = [] if consumed(r, "activity") else split_items(grid.get(r, cols["activity"]))
        desc_whole = "" if consumed(r, "description") else grid.text(r, cols.get("description"))
        fund_whole = "" if consumed(r, "funding") else grid.text(r, cols.get("funding"))
        if not acts:
            if desc_whole or fund_whole:
                col = cols.get("description") if desc_whole else cols.get("funding")
                result.warnings.append(Problem(_("Keterangan/sumber pembiayaan tanpa kegiatan diabaikan."),
                                               grid.title, r, get_column_letter(col)))
            continue
        descs = _parallel(split_items(desc_whole, keep_placeholders=True), len(acts), desc_whole,
                          _("keterangan"), grid, r, cols.get("description") or 1, result.warnings)
        funds = _parallel(split_items(fund_whole, keep_placeholders=True), len(acts), fund_whole,
                          _("sumber pembiayaan"), grid, r, cols.get("funding") or 1, result.warnings)
        for name, desc, fund in zip(acts, descs, funds):
            note = clean(fund)
            note = note if len(note) <= 255 else note[:254] + "…"
            goal.activities.append(ActivityData(name=name, description=desc, funding_note=note,
                                                funding=funding_names(fund), intermediate_index=row_ig, row=r))
