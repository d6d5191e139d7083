"""A worksheet as a plain grid of values, with merged cells filled down and formulas reported as problems."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from excel.text import clean, compact

MAX_ROWS = 20_000
MAX_COLS = 40


@dataclass
class Problem:
    """One thing wrong with a file, pointed at as Excel users point: sheet, row number, column letter."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    @property
    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(_("lembar '%(s)s'") % {"s": self.sheet})
        if self.row:
            parts.append(_("baris %(r)d") % {"r": self.row})
        if self.column:
            parts.append(_("kolom %(c)s") % {"c": self.column})
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_dict(self) -> dict:
        return {**asdict(self), "where": self.where, "text": str(self)}


def formula_problem(sheet: str, row: int, col: int) -> Problem:
    return Problem(_("rumus tidak didukung, ketik nilainya"), sheet, row, get_column_letter(col))


class Grid:
    """Values of one sheet by (row, column), 1-based like Excel.

    ``merged_from[(r, c)]`` is the top-left cell a value was filled down from,
    so a reader can tell "same goal, merged over several rows" from "a new goal".
    """

    def __init__(self, ws, problems: list[Problem]):
        self.title = ws.title
        self.max_row = min(ws.max_row or 0, MAX_ROWS)
        self.max_col = min(ws.max_column or 0, MAX_COLS)
        self.values: dict[tuple[int, int], object] = {}
        self.merged_from: dict[tuple[int, int], tuple[int, int]] = {}
        self.hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
        if (ws.max_row or 0) > MAX_ROWS:
            problems.append(Problem(_("Lembar terlalu panjang; hanya %(n)d baris pertama dibaca.") % {"n": MAX_ROWS},
                                    ws.title))
        for row in ws.iter_rows(min_row=1, max_row=self.max_row, max_col=self.max_col):
            for cell in row:
                value = cell.value
                if value is None:
                    continue
                if cell.data_type == "f" or isinstance(value, (ArrayFormula, DataTableFormula)):
                    problems.append(formula_problem(ws.title, cell.row, cell.column))
                    continue
                self.values[(cell.row, cell.column)] = value
        for rng in ws.merged_cells.ranges:
            top = (rng.min_row, rng.min_col)
            value = self.values.get(top)
            # Fill down only, within the first column of the range: a goal merged
            # across rows repeats, but text merged across columns must not leak
            # into the next column's field.
            for r in range(rng.min_row + 1, min(rng.max_row, self.max_row) + 1):
                self.merged_from[(r, rng.min_col)] = top
                if value is not None:
                    self.values[(r, rng.min_col)] = value

    def get(self, row: int, col: int | None) -> object:
        if not col:
            return None
        return self.values.get((row, col))

    def text(self, row: int, col: int | None) -> str:
        return clean(self.get(row, col))

    def row_is_empty(self, row: int, cols) -> bool:
        return not any(self.text(row, c) for c in cols if c)

    def find_header(self, match, *, scan_rows: int = 20):
        """The best header row among the first ``scan_rows``: (row, {field: column}) or (None, {}).

        ``match(compact_text)`` returns a field name or None; the row naming the most distinct fields wins.
        """
        best_row, best = None, {}
        for r in range(1, min(scan_rows, self.max_row) + 1):
            found: dict[str, int] = {}
            for c in range(1, self.max_col + 1):
                if (r, c) in self.merged_from:
                    continue
                field = match(compact(self.get(r, c)))
                if field and field not in found:
                    found[field] = c
            if len(found) > len(best):
                best_row, best = r, found
        return best_row, best
