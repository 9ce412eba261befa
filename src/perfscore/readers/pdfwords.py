"""A table printed without rules (WPS exports, the text layer of a scan), read from the
positions of its words.

Without rules there are no cell boxes, but the cells still stand in columns and rows:

- **Columns** are where words begin: a cell's text starts at its column's left edge, so the x
  at which many words of the page begin (on at least :data:`_MIN_COLUMN_WORDS` lines) is a
  column; every word belongs to the column it begins in (the nearest edge at or left of it).
- **Rows** are lines close together: a cell's text wrapped over several lines is set at the
  line spacing, while the next row starts after the cell padding as well; so a gap between
  lines wider than the page's usual line spacing starts a new row, and the words of a column
  within one row are one cell (a wrapped label ``年度资金总`` | ``额`` joined).
- **Numbers** are kept apart by their boxes: words are cut where the gap between two
  characters is more than a sliver (``10`` and ``100`` printed close together stay two).

Each page becomes rows of cells with its column edges, for
:func:`perfscore.readers.pdflayout.join_pages` to put the pages together.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

from perfscore.readers.labels import GRID_INDICATOR_COLUMNS, column_key, is_number
from perfscore.readers.pdflayout import Placed

__all__ = ["word_rows"]

# Characters further apart than this (points) are two words.
_X_TOLERANCE = 1.0
# Words whose tops differ by less than this are one printed line.
_LINE = 2.0
# Edges nearer than this are one column.
_EDGE = 2.5
_MIN_COLUMN_WORDS = 3
# Two words nearer than this (points) may be one cell's text.
_CELL_GAP = 3.5


def word_rows(page: Any, normalise: Any, reference: tuple[float, ...] = ()) -> list[Placed]:
    """The page's words as table rows: cells by column edge, rows by the gaps between lines;
    ``normalise`` reads a cell's text (look-alike characters, wrapped lines joined).  The
    column edges of the page before (``reference``) stand on this page too: a page holding
    the last two rows of a table has too few lines to show its columns."""
    words = page.extract_words(x_tolerance=_X_TOLERANCE, keep_blank_chars=False)
    if not words:
        return []
    lines = _lines(words)
    lefts = _columns(lines, reference)
    if len(lefts) < 2:
        return []
    out: list[Placed] = []
    for row in _rows(lines, lefts):
        cells: list[list[str]] = [[] for _ in lefts]
        for line in row:
            for word in line:
                cells[_column(lefts, _start(word))].append(word["text"])
        out.append(Placed([normalise("\n".join(c)) for c in cells], lefts))
    return out


def _lines(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words grouped into printed lines, top to bottom, each left to right."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) < _LINE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _columns(lines: list[list[dict[str, Any]]], reference: tuple[float, ...]) -> tuple[float, ...]:
    """The x of each column's left edge: where words begin on several lines, or where a
    header label begins (``权重`` and ``得分`` over columns no row fills)."""
    starts: Counter[float] = Counter({round(x): _MIN_COLUMN_WORDS for x in reference})
    for line in lines:
        for before, word in zip([None, *line], line, strict=False):
            if column_key(word["text"], GRID_INDICATOR_COLUMNS):
                # A label marked required (``* 权重``) begins at its star.
                begins_at = word
                if before is not None and before["text"] in ("*", "＊"):
                    begins_at = before if word["x0"] - before["x1"] < 6 else word
                starts[round(begins_at["x0"])] += _MIN_COLUMN_WORDS
        # A word counts where it begins a cell: first on its line, or set apart from the word
        # before it by more than a space (``6 项`` is one cell).
        begins = [
            w
            for b, w in zip([None, *line], line, strict=False)
            if (not b or w["x0"] - b["x1"] > _CELL_GAP) and not is_number(w["text"])
        ]
        for x in {round(w["x0"]) for w in begins}:
            starts[x] += 1
    edges: list[tuple[float, int]] = []
    for x, count in sorted(starts.items()):
        if edges and x - edges[-1][0] <= _EDGE:
            edges[-1] = (edges[-1][0], edges[-1][1] + count)
        else:
            edges.append((x, count))
    return tuple(float(x) for x, count in edges if count >= _MIN_COLUMN_WORDS)


def _start(word: dict[str, Any]) -> float:
    """Where a word stands: its left edge; a number's middle (spreadsheets right-align
    numbers, so a number begins wherever its digits make it begin)."""
    return (word["x0"] + word["x1"]) / 2 if is_number(word["text"]) else float(word["x0"])


def _column(lefts: tuple[float, ...], x: float) -> int:
    """The column a word beginning at ``x`` stands in."""
    index = 0
    for i, left in enumerate(lefts):
        if left <= x + _EDGE:
            index = i
    return index


def _rows(
    lines: list[list[dict[str, Any]]], lefts: tuple[float, ...]
) -> list[list[list[dict[str, Any]]]]:
    """Lines grouped into rows.  A line continues the row above when it is set at the line
    spacing and each of its cells continues a cell of the line above that was full (its text
    reached its column's right edge, so it wrapped); anything else starts a row."""
    tops = [line[0]["top"] for line in lines]
    gaps = [round(b - a) for a, b in itertools.pairwise(tops)]
    # The line spacing: the smallest gap that recurs (a wrapped cell sets several lines at it).
    recurring = [gap for gap, n in Counter(gaps).items() if n >= 2 and gap > _LINE]
    spacing = min(recurring) if recurring else min(gaps, default=0)
    # Rows set apart by their cells' padding are told by the gaps alone; without padding (the
    # gap between rows is the line spacing), by which cells go on.
    padded = any(gap > spacing * 1.5 for gap in recurring)
    rights = _rights(lines, lefts)
    rows: list[list[list[dict[str, Any]]]] = []
    for i, line in enumerate(lines):
        # A line nearer than the spacing is a row beside a merged cell's text, not its wrap.
        if (
            i
            and spacing * 0.9 <= gaps[i - 1] <= spacing * 1.3
            and (padded or _wraps(lines[i - 1], line, lefts, rights))
            and not _clash(rows[-1], line, lefts)
        ):
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _clash(
    row: list[list[dict[str, Any]]], line: list[dict[str, Any]], lefts: tuple[float, ...]
) -> bool:
    """Whether ``line`` sets a lone number under a lone number of ``row`` in one column: a
    number never wraps into another, so such a line is another row (``30`` above ``0`` is
    not ``300``)."""
    above = set().union(*(_lone_numbers(printed, lefts) for printed in row))
    return bool(_lone_numbers(line, lefts) & above)


def _lone_numbers(line: list[dict[str, Any]], lefts: tuple[float, ...]) -> set[int]:
    """The columns in which ``line`` prints one number and nothing else."""
    cells: dict[int, list[str]] = {}
    for word in line:
        cells.setdefault(_column(lefts, _start(word)), []).append(word["text"])
    return {c for c, texts in cells.items() if len(texts) == 1 and is_number(texts[0])}


def _rights(lines: list[list[dict[str, Any]]], lefts: tuple[float, ...]) -> list[float]:
    """The right edge of each column: the next column's left edge; for the last column, where
    the furthest text in it ends."""
    last = max(
        (w["x1"] for line in lines for w in line if _column(lefts, w["x0"]) == len(lefts) - 1),
        default=lefts[-1],
    )
    return [*lefts[1:], last]


def _wraps(
    above: list[dict[str, Any]],
    line: list[dict[str, Any]],
    lefts: tuple[float, ...],
    rights: list[float],
) -> bool:
    """Whether every cell of ``line`` continues a full cell of the line ``above``."""
    ends: dict[int, float] = {}
    for word in above:
        c = _column(lefts, word["x0"])
        ends[c] = max(ends.get(c, 0.0), word["x1"])
    for word in line:
        c = _column(lefts, word["x0"])
        size = word["bottom"] - word["top"]
        # Full: no room left for another character and the cell's padding.
        if c not in ends or ends[c] < rights[c] - 3 * size:
            return False
    return True
