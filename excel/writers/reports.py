"""The kecamatan summary (Matriks 4) and the kabupaten case register, streamed with openpyxl's write-only mode."""
from __future__ import annotations

import tempfile
from typing import IO, Any, Callable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from casework.models import CaseState, Meeting
from excel import conf
from excel.layout import SUPPORT_LABEL
from excel.selectors import meeting_sheets, register_queryset, register_rows
from excel.text import tanggal
from excel.writers.cells import (BOLD, HEADER_FILL, ITALIC, TITLE, SheetRows, bullets, cell, landscape,
                                 save_with_rows)

MATRIKS4_COLUMNS = [
    ("No.", 6), ("Desa", 18), ("Tujuan dan upaya yang dilakukan desa", 50),
    ("Tantangan yang dihadapi desa dan penyebabnya", 60), ("Tindak lanjut atau dukungan yang dibutuhkan", 60),
]


def write_matriks4(fh: IO[bytes], *, user: Any, meeting: Meeting) -> int:
    """One row per participating desa, filled from the meeting's cases. Returns the number of desa rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Matriks 4")
    for i, (_h, width) in enumerate(MATRIKS4_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    landscape(ws, title_rows="4:4")
    ws.freeze_panes = "A5"
    ws.append([cell(ws, f"Kecamatan: {meeting.kecamatan.name}", font=TITLE)])
    ws.append([cell(ws, f"Pertemuan koordinasi: {tanggal(meeting.date)}", font=ITALIC)])
    ws.append([])
    ws.append([cell(ws, h, font=BOLD, wrap=True, border=True, fill=HEADER_FILL) for h, _w in MATRIKS4_COLUMNS])
    sheets = meeting_sheets(user, meeting)
    for number, sheet in enumerate(sheets, start=1):
        goals = [g.statement + (f" ({g.target})" if g.target and g.target not in g.statement else "")
                 for g in sheet.goals]
        challenges, follow_up = [], []
        for case in sheet.cases:
            challenges.append(case.obstacle + (f" Penyebab: {case.cause}" if case.cause else ""))
            if case.solution:
                follow_up.append(case.solution)
            if case.support_needed:
                follow_up.append(f"{case.support_needed} (dukungan dari: {SUPPORT_LABEL.get(case.support_from, '')})")
        ws.append([cell(ws, f"{number}.", wrap=True, border=True), cell(ws, sheet.entry.desa.name, wrap=True, border=True),
                   cell(ws, bullets(goals), wrap=True, border=True),
                   cell(ws, bullets(challenges), wrap=True, border=True),
                   cell(ws, bullets(follow_up), wrap=True, border=True)])
    wb.save(fh)
    return len(sheets)


REGISTER_COLUMNS = [
    ("No. kasus", 10), ("Ref", 38), ("Kabupaten", 18), ("Kecamatan", 18), ("Desa", 18), ("Pertemuan", 12),
    ("Kendala/Tantangan", 50), ("Penyebab", 30), ("Gagasan solusi & tindak lanjut", 36),
    ("Dukungan yang dibutuhkan", 30), ("Dukungan dari", 14), ("Status", 14), ("OPD", 18),
    ("Diangkat", 12), ("Dieskalasi", 12), ("Ditugaskan", 12), ("Diselesaikan", 12), ("Ditutup", 12),
    ("Batas waktu penyelesaian", 14), ("Tenggat berikutnya", 14), ("Hari terlambat", 10),
]


def write_register(fh: IO[bytes], *, user: Any, kecamatan_id: int | None = None,
                   progress: Callable[[int, int], None] | None = None, scope_label: str = "") -> int:
    """Every case in the user's scope, one row each, as a filterable table. Returns the number of cases.

    Memory stays flat: rows are streamed from a server-side cursor
    (``iterator(chunk_size=...)``) into a temporary file of sheet XML (``SheetRows``), which is
    spliced into the workbook openpyxl saves with the title rows and the sheet's settings.
    """
    qs = register_queryset(user, kecamatan_id=kecamatan_id)
    total = qs.count() if progress else 0
    labels = {k: str(v) for k, v in CaseState.choices}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Register kasus")
    for i, (_h, width) in enumerate(REGISTER_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    landscape(ws, title_rows="3:3")
    ws.freeze_panes = "C4"
    ws.append([cell(ws, f"Register kasus tindak lanjut{' · ' + scope_label if scope_label else ''}", font=TITLE)])
    ws.append([cell(ws, f"Dicetak {tanggal(timezone.localdate())}", font=ITALIC)])
    ws.append([cell(ws, h, font=BOLD, wrap=True, fill=HEADER_FILL) for h, _w in REGISTER_COLUMNS])
    n = 0
    rows = register_rows(user, now=timezone.now(), kecamatan_id=kecamatan_id, chunk_size=conf.chunk_size())
    with tempfile.TemporaryFile() as body:
        out = SheetRows(ws, body, first_row=4, columns=len(REGISTER_COLUMNS))
        text, day, number = out.text, out.date, out.number
        # Rows come sorted by kabupaten, kecamatan and desa: a name's cell is mostly the previous row's.
        last_kab = last_kec = last_desa = object()
        kab_cell = kec_cell = desa_cell = None
        known = {v: text(v) for v in (*labels.values(), *SUPPORT_LABEL.values())}
        opds: dict[str | None, str | None] = {}

        def opd_text(name: str | None) -> str | None:
            cached = opds.get(name, False)
            if cached is False:
                if len(opds) > 10_000:  # bounds memory; OPD names repeat
                    opds.clear()
                cached = opds[name] = text(name)
            return cached

        for (pk, ref, kab, kec, desa, meeting_date, obstacle, cause, solution, support_needed, support_from, state,
             opd, raised, escalated, assigned, resolved, closed, due_date, deadline, overdue) in rows:
            if kab != last_kab:
                last_kab, kab_cell = kab, text(kab)
            if kec != last_kec:
                last_kec, kec_cell = kec, text(kec)
            if desa != last_desa:
                last_desa, desa_cell = desa, text(desa)
            support = SUPPORT_LABEL.get(support_from, support_from)
            status = labels.get(state, state)
            out.append((
                number(pk), text(str(ref)), kab_cell, kec_cell, desa_cell, day(meeting_date),
                text(obstacle), text(cause or None), text(solution or None), text(support_needed or None),
                known.get(support) or text(support), known.get(status) or text(status), opd_text(opd),
                day(raised), day(escalated), day(assigned), day(resolved), day(closed), day(due_date), day(deadline),
                number(overdue),
            ))
            n += 1
            if progress and n % 1000 == 0:
                progress(n, total)
        out.flush()
        last = get_column_letter(len(REGISTER_COLUMNS))
        ws.auto_filter.ref = f"A3:{last}{3 + max(n, 1)}"
        save_with_rows(wb, ws, body, fh)
    if progress:
        progress(n, total)
    return n
