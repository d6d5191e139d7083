"""Cells for the streaming (write-only) writers, with formula injection shut out.

A value that starts with ``=``, ``+``, ``-``, ``@``, their full-width forms
(``＝＋－＠``) or a control character could be run as a formula by a
spreadsheet. Such values are written as an inline *string* cell
(``t="inlineStr"``, never ``<f>``) with Excel's quotePrefix style — the
stored form of typing an apostrophe first — so editing the cell in Excel
keeps it text. Characters XML cannot hold are dropped.
"""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from datetime import date, datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

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


# The bulk rows of a large sheet, serialised directly. openpyxl builds a Cell and an element tree for
# every value, which is three quarters of the time of a 100,000-row register; ``SheetRows`` writes the
# same XML (types, styles, escaping, formula shielding as ``plain``) as plain strings, and
# ``save_with_rows`` splices it into the workbook openpyxl saves around it.
_EMPTY_TEXT = ' t="inlineStr" />'


def _xml_escape(text: str) -> str:
    # ElementTree's escaping of character data, which openpyxl's writer uses.
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _inline(text: str, style: int | None = None) -> str:
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and text != stripped else ""
    s = f' s="{style}"' if style is not None else ""
    return f'{s} t="inlineStr"><is><t{space}>{_xml_escape(text)}</t></is></c>'


class SheetRows:
    """Rows appended after the ones openpyxl wrote, as the XML its write-only writer makes of ``plain`` values.

    Each ``text``/``date``/``number`` call returns the body of a ``<c>`` element (everything after its
    ``r`` attribute), or None for no cell; ``append`` writes a row of bodies to ``out`` (bytes).
    The two styles (dates, quote-prefixed text) are registered through ``cell`` the first time they
    are needed, so the workbook's style table is the one openpyxl would have built.
    """

    def __init__(self, ws, out, *, first_row: int, columns: int):
        self.ws = ws
        self.out = out
        self.row = first_row
        self.letters = [get_column_letter(i) for i in range(1, columns + 1)]
        self._date_style: int | None = None
        self._quote_style: int | None = None
        self._dates: dict[date, str] = {}
        self._buffer: list[str] = []
        self._buffered = 0

    def text(self, value: str | None) -> str | None:
        """The cell ``plain(ws, value)`` makes of a string (None: no cell)."""
        if value is None:
            return None
        if not value:
            return _EMPTY_TEXT
        if value[0] in RISKY_FIRST or value[0] < " " or ILLEGAL_CHARACTERS_RE.search(value):
            # cell(): drop what XML cannot hold, keep it text, quote-prefix what a spreadsheet would run
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if not value:
                return _EMPTY_TEXT
            style = None
            if is_risky(value):
                if self._quote_style is None:
                    self._quote_style = cell(self.ws, "=").style_id
                style = self._quote_style
            return _inline(value[:32767], style)
        value = value[:32767]
        if value in ERROR_CODES:  # openpyxl stores a bare "#N/A" as an error value
            return f' t="e"><v>{_xml_escape(value)}</v></c>'
        return _inline(value)

    def date(self, value: date | None) -> str | None:
        """The cell ``plain(ws, value)`` makes of a date: its Excel serial, formatted DATE_FORMAT."""
        if value is None:
            return None
        body = self._dates.get(value)
        if body is None:
            if self._date_style is None:
                self._date_style = cell(self.ws, value).style_id
            if len(self._dates) > 100_000:  # dates repeat; the cap only bounds memory
                self._dates.clear()
            serial = safe_string(to_excel(value, self.ws.parent.epoch))
            body = self._dates[value] = f' s="{self._date_style}" t="n"><v>{serial}</v></c>'
        return body

    @staticmethod
    def number(value: int | float | None) -> str | None:
        if value is None:
            return None
        return f' t="n"><v>{safe_string(value)}</v></c>'

    def append(self, bodies) -> None:
        r = str(self.row)
        self.row += 1
        cells = "".join([f'<c r="{letter}{r}"{body}' for letter, body in zip(self.letters, bodies) if body is not None])
        self._buffer.append(f'<row r="{r}">{cells}</row>')
        self._buffered += 1
        if self._buffered >= 500:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            self.out.write("".join(self._buffer).encode())
            self._buffer.clear()
            self._buffered = 0


def save_with_rows(wb, ws, rows, fh) -> None:
    """Save ``wb`` (write-only) to ``fh``, with the bytes of the file ``rows`` after ``ws``'s own rows.

    openpyxl saves the workbook (styles, sheet settings, defined names) into a small shell; it is
    copied member by member, and the sheet's rows are streamed into its ``<sheetData>``.
    """
    size = rows.tell()
    rows.seek(0)
    with tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024) as shell:
        wb.save(shell)
        sheet = ws.path.lstrip("/")  # known once saved
        shell.seek(0)
        with zipfile.ZipFile(shell) as src, \
                zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename != sheet:
                    dst.writestr(info.filename, data)
                    continue
                end = data.rfind(b"</sheetData>")  # text is escaped, so only the element's end matches
                if end < 0:
                    raise ValueError("save_with_rows needs a sheet with rows of its own (the header)")
                head, tail = data[:end], data[end:]
                part = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                part.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(part, "w", force_zip64=size > 1 << 30) as out:
                    out.write(head)
                    shutil.copyfileobj(rows, out, 1 << 20)
                    out.write(tail)
