"""Cells for the streaming (write-only) writers, with formula injection shut out.

A value that starts with ``=``, ``+``, ``-``, ``@``, their full-width forms
(``＝＋－＠``) or a control character could be run as a formula by a
spreadsheet. Such values are written as an inline *string* cell
(``t="inlineStr"``, never ``<f>``) with Excel's quotePrefix style — the
stored form of typing an apostrophe first — so editing the cell in Excel
keeps it text. Characters XML cannot hold are dropped.
"""
from __future__ import annotations

from datetime import date, datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

RISKY_FIRST = frozenset("=+-@＝＋－＠")

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
ITALIC = Font(italic=True)
DATE_FORMAT = "DD/MM/YYYY"


def is_risky(text: str) -> bool:
    return bool(text) and (text[0] in RISKY_FIRST or ord(text[0]) < 32)


def cell(ws, value, *, font=None, wrap: bool = False, border: bool = False, fill=None, number_format=None):
    """A WriteOnlyCell holding ``value`` safely (strings never become formulas)."""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        c.data_type = "s"  # openpyxl would otherwise turn "=..." into a formula
        if is_risky(value):
            c.quotePrefix = True
    elif isinstance(value, date) and number_format is None:
        number_format = DATE_FORMAT
    if font is not None:
        c.font = font
    if wrap:
        c.alignment = WRAP
    if border:
        c.border = BORDER
    if fill is not None:
        c.fill = fill
    if number_format:
        c.number_format = number_format
    return c


def plain(ws, value):
    """Fast path for bulk rows: a bare value when it is harmless, a safe cell otherwise."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value and (is_risky(value) or ILLEGAL_CHARACTERS_RE.search(value)):
            return cell(ws, value)
        return value
    return cell(ws, value)


def bullets(lines) -> str:
    """Bullet lines as Matriks 3 and 4 write them."""
    return "\n".join(f"• {line}" for line in lines if line)


def sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet title Excel accepts (31 chars, none of []:*?/\\), unique in the workbook."""
    base = "".join("-" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "Lembar"
    base = base[:31]
    title, n = base, 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def landscape(ws, *, title_rows: str | None = None) -> None:
    """Set a sheet up for projecting and printing: A4 landscape, fit to one page wide, header row repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        from openpyxl.worksheet.properties import PageSetupProperties

        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows
