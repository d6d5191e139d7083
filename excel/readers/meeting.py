"""Read a filled meeting sheet (Matriks 2) back: one entry per non-empty row, with the ids from the hidden Ref column."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from excel.layout import TEXT_FIELDS, parse_ref, parse_support
from excel.readers.grid import Grid, Problem
from excel.text import DateNotUnderstood, clean, compact, parse_date


def match_header(t: str) -> str | None:
    if not t:
        return None
    if t == "ref":
        return "ref"
    if t.startswith("dukungandari"):
        return "support_from"
    if t.startswith("dukungan"):
        return "support_needed"
    if t.startswith("tujuan"):
        return "goal"
    if t.startswith("kendala") or t.startswith("tantangan"):
        return "obstacle"
    if t.startswith("penyebab"):
        return "cause"
    if t.startswith("gagasan") or t.startswith("solusi") or t.startswith("tindaklanjut"):
        return "solution"
    if "kegiatan" in t or "aktivitas" in t:
        return "activity"
    return None


@dataclass
class SheetRow:
    row: int
    ref: dict
    values: dict[str, str]
    support_from: str | None = None


@dataclass
class MeetingSheet:
    title: str
    meeting_id: int | None = None
    desa_id: int | None = None
    desa_name: str = ""
    date: date | None = None
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[SheetRow] = field(default_factory=list)

    def letter(self, name: str) -> str:
        return get_column_letter(self.columns[name]) if name in self.columns else ""


def read_meeting_workbook(workbook) -> tuple[list[MeetingSheet], list[Problem], list[Problem]]:
    """All Matriks 2 sheets of a workbook, with problems (blocking) and warnings."""
    sheets: list[MeetingSheet] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for ws in workbook.worksheets:
        sheet_problems: list[Problem] = []
        grid = Grid(ws, sheet_problems)
        header_row, columns = grid.find_header(match_header)
        if "obstacle" not in columns:
            if grid.values:
                warnings.append(Problem(_("Lembar ini dilewati: judul kolom Matriks 2 (Kendala/Tantangan) tidak "
                                          "ditemukan."), ws.title))
            continue
        problems.extend(sheet_problems)
        sheet = MeetingSheet(title=ws.title, columns=columns)
        _read_titles(grid, header_row, sheet, problems)
        if "ref" not in columns:
            warnings.append(Problem(_("Kolom Ref tidak ada; kendala baru dicatat tanpa kaitan ke tujuan/kegiatan."),
                                    ws.title, header_row))
        _read_rows(grid, header_row, sheet, problems)
        sheets.append(sheet)
    if not sheets:
        first = workbook.worksheets[0].title if workbook.worksheets else ""
        problems.append(Problem(_("Tidak ada lembar pertemuan (Matriks 2) di berkas ini. Gunakan berkas yang "
                                  "diekspor dari halaman pertemuan."), first))
    return sheets, problems, warnings


def _read_titles(grid: Grid, header_row: int, sheet: MeetingSheet, problems: list[Problem]) -> None:
    for r in range(1, header_row):
        for c in range(1, grid.max_col + 1):
            text = grid.text(r, c)
            if not text:
                continue
            meta = re.search(r"meeting=(\d+);desa=(\d+)", text)
            if meta:
                sheet.meeting_id, sheet.desa_id = int(meta[1]), int(meta[2])
                continue
            key = compact(text.split(":")[0])
            if key == "desa" and ":" in text:
                sheet.desa_name = text.split(":", 1)[1].strip()
            elif key.startswith("tanggal"):
                value = text.split(":", 1)[1].strip() if ":" in text else grid.get(r, c + 1)
                if not value and grid.get(r, c + 1) is not None:
                    value = grid.get(r, c + 1)
                try:
                    sheet.date = parse_date(value)
                except DateNotUnderstood:
                    col = c if ":" in text and text.split(":", 1)[1].strip() else c + 1
                    problems.append(Problem(
                        _("Tanggal '%(v)s' tidak dapat dibaca. Tulis seperti 28 Maret 2024, 28/03/2024 atau "
                          "2024-03-28.") % {"v": clean(value)}, grid.title, r, get_column_letter(col)))


def _read_rows(grid: Grid, header_row: int, sheet: MeetingSheet, problems: list[Problem]) -> None:
    cols = sheet.columns
    context: dict = {}
    for r in range(header_row + 1, grid.max_row + 1):
        ref: dict = {}
        ref_text = grid.text(r, cols.get("ref"))
        if ref_text:
            try:
                ref = parse_ref(ref_text)
            except ValueError:
                problems.append(Problem(_("Isi kolom Ref rusak ('%(v)s'); jangan mengubah kolom tersembunyi ini.")
                                        % {"v": ref_text[:40]}, grid.title, r, sheet.letter("ref")))
                continue
        if "g" in ref:
            context = {"g": ref["g"]}
        elif "c" not in ref:
            ref = {**context, **ref}  # a row the user inserted belongs to the goal above it
        values = {f: grid.text(r, cols.get(f)) for f in TEXT_FIELDS}
        support_text = grid.text(r, cols.get("support_from"))
        try:
            support = parse_support(support_text)
        except ValueError:
            problems.append(Problem(_("'Dukungan dari' harus salah satu dari: Desa sendiri, Kecamatan, "
                                      "Kabupaten/OPD (tertulis '%(v)s').") % {"v": support_text[:40]},
                                    grid.title, r, sheet.letter("support_from")))
            continue
        if not any(values.values()) and not support_text and "c" not in ref:
            continue
        sheet.rows.append(SheetRow(row=r, ref=ref, values=values, support_from=support))
