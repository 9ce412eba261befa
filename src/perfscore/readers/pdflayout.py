"""A ruled table continued over the pages of a PDF, put back together as a person reads it.

:mod:`perfscore.readers.pdf` reads each page's tables as rows of cells; this module joins the
pages into one grid:

- **Columns fixed once.**  A table continued on the next page is aligned to the columns of the
  table it continues, by the x of each column's left edge: where a page lacks a column's rules
  (a merged first column with no horizontal rule on a middle page), the page's columns are
  placed under the columns they stand under, not shifted one to the left.
- **A row broken by the page** (Word and WPS let a row split by default) is joined to its first
  half: the next page's first row continues the last row of the page before when it has
  nothing in the columns a new indicator always fills (实际完成值, 权重, 得分) while the row it
  follows does, and text in the name or target columns; or when it holds neither a target nor
  a name beside anything measured (the tail of a completion, or of a name alone).  A header
  repeated on the new page is looked past (the grid reader skips it).
- **A group label split by the page** (``满意`` | ``度指标``) is joined where the halves make a
  label of the national scheme, in the rows above and below the break.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from perfscore.paths import SourceLocation
from perfscore.readers.labels import GRID_INDICATOR_COLUMNS, LEVEL1, label_columns

__all__ = ["Placed", "join_pages"]

#: How far (in points) two column edges may lie apart and still be the same column.
_EDGE = 3.0
# A new indicator row fills at least one of these; the second half of a broken row fills none.
_FILLED = ("actual", "weight", "score")
_TEXT = ("name", "target")


@dataclass
class Placed:
    """One row of a page: its cells, and for a table row the left edges of its table's
    columns (empty for a line of text outside the tables)."""

    cells: list[str]
    lefts: tuple[float, ...] = ()
    #: Where the row stands: its page and table row (``第2页 表1第5行``), or its page's line.
    place: SourceLocation | None = None

    @property
    def in_table(self) -> bool:
        return bool(self.lefts)


def join_pages(
    pages: Sequence[Sequence[Placed]], places: list[SourceLocation | None] | None = None
) -> list[list[str]]:
    """The rows of every page as one grid, tables continued over page breaks joined;
    ``places``, when given, receives each grid row's place (a joined row keeps its first
    half's)."""
    grid: list[list[str]] = []
    out = places if places is not None else []
    columns: dict[str, int] = {}
    lefts: tuple[float, ...] = ()  # the columns of the table the page before ended in
    last = -1  # the grid index of the page before's last table row
    for page in pages:
        first = next((row for row in page if row.in_table), None)
        # The row a broken row continues in: the first below a repeated header.
        opening = next((row for row in page if row.in_table and not _header(row.cells)), None)
        renamed: dict[int, tuple[str, str]] = {}
        ending = -1
        for row in page:
            cells = row.cells
            if row.in_table and lefts and first is not None and row.lefts == first.lefts:
                cells = _aligned(cells, row.lefts, lefts)
            columns = _header(cells) or columns
            if row is opening and last >= 0 and columns:
                if _continues(grid[last], cells, columns):
                    grid[last] = _joined(grid[last], cells)
                    ending = last
                    continue
                renamed = _join_labels(grid, last, cells, columns)
            for col, (tail, whole) in renamed.items():
                if col < len(cells) and cells[col].strip() == tail:
                    cells[col] = whole
            grid.append(cells)
            out.append(row.place)
            if row.in_table:
                ending = len(grid) - 1
        tables = [row for row in page if row.in_table]
        lefts, last = (tables[-1].lefts, ending) if tables else ((), -1)
    return grid


def _header(cells: Sequence[str]) -> dict[str, int]:
    """The columns of an indicator header row by key, or nothing for another row."""
    found = label_columns(cells, GRID_INDICATOR_COLUMNS)
    if "name" not in found or not any(key in found for key in _FILLED):
        return {}
    return {key: cols[0] for key, cols in found.items()}


def _aligned(cells: list[str], own: tuple[float, ...], reference: tuple[float, ...]) -> list[str]:
    """A row placed under the columns of the table it continues, by the x of each column's
    left edge; unchanged when a column of its own stands under none of them."""
    if own == reference:
        return cells
    places = []
    for x in own:
        near = min(range(len(reference)), key=lambda i: abs(reference[i] - x))
        if abs(reference[near] - x) > _EDGE:
            return cells
        places.append(near)
    out = [""] * len(reference)
    for place, text in zip(places, cells, strict=False):
        out[place] = text
    return out


def _cell(cells: Sequence[str], columns: dict[str, int], key: str) -> str:
    col = columns.get(key)
    return cells[col].strip() if col is not None and col < len(cells) else ""


def _continues(before: list[str], cells: list[str], columns: dict[str, int]) -> bool:
    """Whether ``cells`` (a page's first table row) is the second half of ``before``: it
    fills none of 实际完成值, 权重, 得分 where ``before`` fills one, or it holds no target and
    no name beside something measured."""
    if _header(cells) or _header(before) or not _cell(before, columns, "name"):
        return False
    keys = [key for key in _FILLED if key in columns]
    if (
        keys
        and not any(_cell(cells, columns, key) for key in keys)
        and any(_cell(before, columns, key) for key in keys)
        and any(_cell(cells, columns, key) for key in _TEXT)
    ):
        return True
    # The tails of cells that wrapped: neither a target nor a name with something to measure.
    own = {key for key in ("name", "target", *keys) if _cell(cells, columns, key)}
    return bool(own) and "target" not in own and ("name" not in own or own == {"name"})


def _joined(before: list[str], after: list[str]) -> list[str]:
    """Two halves of a broken row, cell by cell (a merged cell's text carried into both halves
    is taken once)."""
    out = list(before) + [""] * max(0, len(after) - len(before))
    for c, text in enumerate(after):
        if text and text != out[c]:
            out[c] = _join_text(out[c], text)
    return out


def _join_text(head: str, tail: str) -> str:
    """Text wrapped over a page break: a space between two words, nothing elsewhere."""
    if not head:
        return tail
    word = head[-1].isascii() and head[-1].isalnum() and tail[0].isascii() and tail[0].isalnum()
    return f"{head} {tail}" if word else head + tail


def _join_labels(
    grid: list[list[str]], last: int, cells: list[str], columns: dict[str, int]
) -> dict[int, tuple[str, str]]:
    """A level-1 or level-2 label split by the page: the whole label written into the rows
    above the break that carry the first half; the second half and the whole label of each
    column returned, for the rows of the new page."""
    renamed: dict[int, tuple[str, str]] = {}
    for key in ("level1", "level2"):
        col = columns.get(key)
        if col is None or col >= len(cells) or col >= len(grid[last]):
            continue
        head, tail = grid[last][col].strip(), cells[col].strip()
        if not head or not tail or head == tail or not _splits(head, tail, key):
            continue
        whole = head + tail
        r = last
        while r >= 0 and col < len(grid[r]) and grid[r][col].strip() == head:
            grid[r][col] = whole
            r -= 1
        renamed[col] = (tail, whole)
    return renamed


def _splits(head: str, tail: str, key: str) -> bool:
    """Whether ``head`` and ``tail`` are the halves of one label of column ``key``."""
    if key == "level1":
        return head not in LEVEL1 and head + tail in LEVEL1
    return not head.endswith("指标") and (head + tail).endswith("指标") and len(tail) <= 4
