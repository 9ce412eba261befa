"""Where a grid's cells stand in the file they were read from.

Every reader turns its file into a grid of cell texts, and the grid reader remembers each
value's (row, column) in that grid (:attr:`~perfscore.readers.grid.GridForm.positions`).  A
:class:`GridOrigin` says what a grid position is in the file — a worksheet's cell, a row of a
Word or PDF table, a line of a text — and :func:`grid_sources` turns a form's positions into
:class:`~perfscore.paths.SourceLocation` s, which the form carries to its flags.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from perfscore.form.fields import Location
from perfscore.form.sources import widened
from perfscore.paths import SourceLocation, cell_name, column_letters

if TYPE_CHECKING:
    from perfscore.readers.grid import GridForm

__all__ = ["GridOrigin", "grid_sources", "located"]


@dataclass(frozen=True, slots=True)
class GridOrigin:
    """What a grid's (row, column) is in its file.

    ``sheet``: the grid is that worksheet from A1, a position is a cell.  ``first_line``: grid
    row ``r`` is line ``first_line + r`` of a text.  ``rows``: each grid row's own place (a
    Word table's row, a paragraph, a PDF page's table row), for files whose rows are not lines.
    """

    sheet: str | None = None
    first_line: int | None = None
    rows: tuple[SourceLocation | None, ...] = ()

    def cell(self, row: int, column: int) -> SourceLocation | None:
        """The place of the grid position (``row``, ``column``), both 0-based."""
        if self.sheet is not None:
            return SourceLocation(sheet=self.sheet, cell=cell_name(row + 1, column + 1))
        return self.row(row)

    def row(self, row: int) -> SourceLocation | None:
        """The place of grid row ``row`` (0-based) as a whole."""
        if self.sheet is not None:
            return SourceLocation(sheet=self.sheet, row=row + 1)
        if self.first_line is not None:
            return SourceLocation(line=self.first_line + row)
        return self.rows[row] if 0 <= row < len(self.rows) else None


def located(forms: Iterable[GridForm], origin: GridOrigin) -> list[GridForm]:
    """``forms``, each told where its grid came from."""
    out = list(forms)
    for form in out:
        form.origin = origin
    return out


def grid_sources(form: GridForm, file: str) -> dict[Location, SourceLocation]:
    """Each value's place in ``file``, with the wider places (each indicator row, the budget,
    the form: see :func:`perfscore.form.sources.widened`); empty where the reader kept none."""
    origin = form.origin
    if origin is None or not form.positions:
        return {}
    cells: dict[Location, SourceLocation] = {}
    rows: dict[Location, SourceLocation] = {}
    sheet = origin.sheet
    letters: dict[int, str] = {}  # a form's few columns, each named once
    for loc, (r, c) in form.positions.items():
        if sheet is not None:  # a workbook's cell, made whole at once (replace costs more)
            column = letters.get(c) or letters.setdefault(c, column_letters(c + 1))
            cells[loc] = SourceLocation(file=file, sheet=sheet, cell=f"{column}{r + 1}")
        else:
            place = origin.cell(r, c)
            if place is None:
                continue
            cells[loc] = replace(place, file=file)
        # A row's finding with no cell of its own (a blank score) points at its row.
        row_key = loc[:2] if loc[:1] == ("indicators",) and len(loc) > 2 else loc[:1]
        if (
            row_key in (("budget",), loc[:2])
            and row_key != loc
            and (row_key not in rows or loc[-1] == "name")
        ):
            if sheet is not None:
                rows[row_key] = SourceLocation(file=file, sheet=sheet, row=r + 1)
                continue
            whole = origin.row(r)
            if whole is not None:
                rows[row_key] = replace(whole, file=file)
    return widened(cells, rows)
