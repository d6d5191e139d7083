"""The register's streamed sheet XML is what openpyxl itself writes, byte for byte, odd text included."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import openpyxl
import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook

from casework.models import Case, CaseState
from excel.layout import SUPPORT_LABEL
from excel.selectors import REGISTER_ROW, register_rows
from excel.services.exports import export_register
from excel.text import tanggal
from excel.writers.cells import BOLD, HEADER_FILL, ITALIC, TITLE, SheetRows, cell, landscape, plain, save_with_rows
from excel.writers.reports import REGISTER_COLUMNS
from tests.conftest import make_case, step

ODD_TEXT = [
    "biasa", "", " spasi depan", "spasi belakang ", "   ", "\u00a0tanpa putus\u00a0", "=1+2", "+62 812 000", "-5",
    "@SUM(A1)", "＝1+1", "＋", "－x", "＠x", "\tTab", "\nbaris", "\r\nCRLF", "a\x00b\x07c\x1f", "\x01", "\x01=1",
    "=\x01", "\x0b-2", "#N/A", "#REF!", "#N/A\x02", "a & b < c > d", "]]> <![CDATA[", "é ü 中文 😀", "x" * 40_000,
    "=" + "y" * 40_000, "baris\nkedua", '"kutip"', "'apostrof", "=HYPERLINK(\"http://evil.example\",\"klik\")",
]
DATES = [date(2024, 3, 1), date(1900, 1, 15), date(1900, 3, 1), date(1899, 12, 31), date(2099, 12, 31), None]


def _sheet_parts(data: bytes) -> tuple[bytes, bytes, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return (zf.read("xl/worksheets/sheet1.xml"), zf.read("xl/styles.xml"), zf.read("xl/workbook.xml"))


def _header(ws, title: str) -> None:
    landscape(ws, title_rows="1:1")
    ws.freeze_panes = "B2"
    ws.append([cell(ws, title, font=BOLD)])


def test_sheet_rows_write_what_openpyxl_writes_for_odd_text_dates_and_numbers():
    rows = [(i, text, DATES[i % len(DATES)], None, ODD_TEXT[-1 - i], -i if i % 3 else None)
            for i, text in enumerate(ODD_TEXT)]

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Lembar")
    _header(ws, "Judul")
    for row in rows:
        ws.append([plain(ws, v) for v in row])
    ws.auto_filter.ref = f"A1:F{1 + len(rows)}"
    expected = io.BytesIO()
    wb.save(expected)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Lembar")
    _header(ws, "Judul")
    got = io.BytesIO()
    with io.BytesIO() as body:
        out = SheetRows(ws, body, first_row=2, columns=6)
        for pk, text, day, empty, other, days in rows:
            out.append((out.number(pk), out.text(text), out.date(day), out.text(empty), out.text(other),
                        out.number(days)))
        out.flush()
        ws.auto_filter.ref = f"A1:F{1 + len(rows)}"
        save_with_rows(wb, ws, body, got)

    assert _sheet_parts(got.getvalue()) == _sheet_parts(expected.getvalue())
    back = openpyxl.load_workbook(io.BytesIO(got.getvalue())).active
    assert back["B8"].value == "=1+2" and back["B8"].data_type == "s" and back["B8"].quotePrefix
    assert back["B19"].value == "abc"
    assert back["C2"].value == datetime(2024, 3, 1) and back["C2"].number_format == "DD/MM/YYYY"
    assert len(back["B30"].value) == 32_767


def test_the_days_worked_out_in_postgresql_match_python(world):
    if connection.vendor != "postgresql":
        pytest.skip("the AT TIME ZONE query is PostgreSQL's")
    now = timezone.now()
    # Moments either side of midnight in Jayapura (UTC+9) and Makassar (UTC+8).
    utc = dt_timezone.utc
    moments = [datetime(2024, 1, 1, 14, 59, tzinfo=utc), datetime(2024, 1, 1, 15, 0, tzinfo=utc),
               datetime(2024, 1, 1, 16, 0, tzinfo=utc), now - timedelta(hours=1), now + timedelta(hours=1),
               now - timedelta(days=3, minutes=1)]
    cases = []
    for i, moment in enumerate(moments):
        for desa in (world.desa_a1, world.desa_b1):
            case = make_case(world, desa=desa, user=world.admin_user, obstacle=f"Kendala {i}")
            Case.objects.filter(pk=case.pk).update(deadline_at=moment, created_at=moment - timedelta(hours=i))
            cases.append(case)
    step(cases[0], world.kecamatan_user, "escalate", "Mohon bantuan")
    step(cases[0], world.pokja_user, "assign", "", opd=world.opd_a_tani,
         due_date=timezone.localdate() + timedelta(days=5))
    step(cases[2], world.kecamatan_user, "withdraw", "Sudah beres")

    in_sql = list(register_rows(world.admin_user, now=now, in_sql=True))
    in_python = list(register_rows(world.admin_user, now=now, in_sql=False))
    assert in_sql == in_python and len(in_sql) == len(cases)
    overdue = {dict(zip(REGISTER_ROW, row))["overdue"] for row in in_sql}
    assert None in overdue and len(overdue - {None}) >= 3  # the zones' midnights fall on different days


def _reference_register(user) -> bytes:
    """The register as openpyxl alone wrote it before the rows were streamed: a cell per value via ``plain``."""
    labels = {k: str(v) for k, v in CaseState.choices}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Register kasus")
    for i, (_h, width) in enumerate(REGISTER_COLUMNS, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width
    landscape(ws, title_rows="3:3")
    ws.freeze_panes = "C4"
    ws.append([cell(ws, f"Register kasus tindak lanjut · {user.scope_label()}", font=TITLE)])
    ws.append([cell(ws, f"Dicetak {tanggal(timezone.localdate())}", font=ITALIC)])
    ws.append([cell(ws, h, font=BOLD, wrap=True, fill=HEADER_FILL) for h, _w in REGISTER_COLUMNS])
    n = 0
    for row in register_rows(user, now=timezone.now(), in_sql=False):
        r = dict(zip(REGISTER_ROW, row))
        ws.append([r["pk"], str(r["ref"])] + [plain(ws, r[k]) for k in ("kabupaten", "kecamatan", "desa",
                                                                        "meeting_date", "obstacle")]
                  + [plain(ws, r[k] or None) for k in ("cause", "solution", "support_needed")]
                  + [SUPPORT_LABEL.get(r["support_from"], r["support_from"]), labels.get(r["state"], r["state"])]
                  + [plain(ws, r[k]) for k in ("opd", "raised", "escalated", "assigned", "resolved", "closed",
                                               "due_date", "deadline")]
                  + [r["overdue"]])
        n += 1
    ws.auto_filter.ref = f"A3:U{3 + max(n, 1)}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_register_is_the_workbook_openpyxl_would_write(world):
    odd = ["=cmd|' /C calc'!A0", "+62", "\x07bel", "#N/A", " ", "", "a & <b>", "\ttab", "teks biasa"]
    for i, text in enumerate(odd):
        case = make_case(world, desa=world.desa_a1 if i % 2 else world.desa_a1b, user=world.admin_user,
                         obstacle=text if text.strip() else "kosong", cause=text, solution=odd[-1 - i])
        if i % 3 == 0:
            Case.objects.filter(pk=case.pk).update(deadline_at=timezone.now() - timedelta(days=i + 1))
    assigned = make_case(world, user=world.admin_user, obstacle="Ditugaskan")
    step(assigned, world.kecamatan_user, "escalate", "Mohon jadwal")
    step(assigned, world.pokja_user, "assign", "", opd=world.opd_a_tani, due_date=timezone.localdate())
    make_case(world, desa=world.desa_b1, user=world.admin_user, obstacle="-kabupaten lain")

    got = io.BytesIO()
    assert export_register(user=world.admin_user, fh=got) == len(odd) + 2
    assert _sheet_parts(got.getvalue()) == _sheet_parts(_reference_register(world.admin_user))
    ws = openpyxl.load_workbook(io.BytesIO(got.getvalue())).active
    obstacles = {row[6] for row in ws.iter_rows(min_row=4, values_only=True)}
    assert {"=cmd|' /C calc'!A0", "+62", "#N/A", "a & <b>"} <= obstacles


def test_an_empty_register_keeps_its_header_and_filter(world):
    got = io.BytesIO()
    assert export_register(user=world.pokja_user, fh=got) == 0
    ws = openpyxl.load_workbook(io.BytesIO(got.getvalue())).active
    assert ws.max_row == 3 and ws["A3"].value == "No. kasus" and ws.auto_filter.ref == "A3:U4"
