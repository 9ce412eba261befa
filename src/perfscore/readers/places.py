"""Where a grid's cells stand in the file they were read from.

Every reader turns its file into a grid of cell texts, and the grid reader remembers each
value's (row, column) in that grid (:attr:`~perfscore.readers.grid.GridForm.positions`).  A
:class:`GridOrigin` says what a grid position is in the file — a worksheet's cell, a row of a
Word or PDF table, a line of a text — and :func:`grid_sources` gives a form's values their
:class:`~perfscore.paths.SourceLocation` s, which the form carries to its flags.  A place is
made when a flag asks for it, from the positions the reader kept anyway: reading a form builds
nothing for its places.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from perfscore.form.fields import Location
from perfscore.form.sources import PlaceTable
from perfscore.paths import SourceLocation, cell_name

if TYPE_CHECKING:
    from perfscore.readers.grid import GridForm

Position = tuple[int, int]  # (row, column) in a grid, from 0

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


def grid_sources(form: GridForm, file: str) -> Mapping[Location, SourceLocation]:
    """Each value's place in ``file`` (and the wider places: each indicator row, the budget
    row, the indicator table, the form's first cell), looked up as flags ask for them; empty
    where the reader kept none."""
    origin = form.origin
    if origin is None or not form.positions:
        return {}
    return _GridPlaces(form.positions, origin, file)


class _GridPlaces(PlaceTable):
    """A grid form's places, found when a flag asks: a value's own cell, else — for a row, the
    budget, the indicator table or the form — the row or cell it starts at.  Nothing is built
    while the form is read; iterating builds the whole table, for who asks for all."""

    __slots__ = ("_file", "_origin", "_positions")

    def __init__(
        self, positions: Mapping[Location, Position], origin: GridOrigin, file: str
    ) -> None:
        self._positions = positions
        self._origin = origin
        self._file = file

    def _find(self, key: Location) -> SourceLocation | None:
        positions, origin = self._positions, self._origin
        at = positions.get(key)
        if at is not None:
            place = origin.cell(*at)
        elif (len(key) == 2 and key[0] == "indicators") or key == ("budget",):
            # A row's finding with no cell of its own (a blank score) points at its row.
            rows = [positions[k][0] for k in positions if k[: len(key)] == key]
            place = origin.row(min(rows)) if rows else None
        elif len(key) <= 1 and (found := [p for k, p in positions.items() if k[:1] == key]):
            # The indicator table at its first row, the form at its first cell.
            first = min(found)
            place = origin.row(first[0]) if key else origin.cell(*first)
        else:
            return None
        return None if place is None else place._replace(file=self._file)

    def __bool__(self) -> bool:
        return True  # made only for a form with places; asking must not build the table

    def _table(self) -> dict[Location, SourceLocation]:
        keys = {k[:n] for k in self._positions for n in range(len(k) + 1)}
        return {k: p for k in keys if (p := self._find(k)) is not None}
