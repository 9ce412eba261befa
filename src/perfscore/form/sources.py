"""Where a form's values came from (来源位置): each field path's :class:`SourceLocation` in the
file it was read from, carried with the :class:`~perfscore.form.model.Form`.

The readers know the places (a workbook's cells, a PDF's pages and table rows, a YAML file's
lines); :func:`with_sources` keeps them beside the form's fields — not a field, so validating a
form costs nothing more and two forms that read the same stay equal.  The engine gives each
flag the place of its path, or of the nearest wider place
(:class:`~perfscore.words.flags.Flagger`).

Besides the paths of values, a table of sources holds a few wider places: each indicator row
(``("indicators", 3)``: the row as a whole), the budget block (``("budget",)``), the indicator
table (``("indicators",)``) and the form (``()``: its first place).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from perfscore.form.document import Lines, key_positions
from perfscore.form.fields import BUDGET, FORM, INDICATOR, FieldLabels, Location
from perfscore.form.model import Form
from perfscore.paths import SourceLocation
from perfscore.text.script import simplify

__all__ = ["Sources", "line_sources", "sources_of", "widened", "with_sources"]

#: A field path → where its value stands in the file.
Sources = Mapping[Location, SourceLocation]

_NONE: Sources = {}


def with_sources(form: Form, sources: Sources) -> Form:
    """``form``, carrying ``sources`` (see :func:`sources_of`); the form itself is returned,
    fresh from its reader, with the table beside its fields."""
    if not sources:
        return form
    private = dict(form.__pydantic_private__ or {})
    private["sources"] = dict(sources)
    # Beside the fields, as the printed text is: a declared private attribute would cost
    # every model of every form its initialisation.
    object.__setattr__(form, "__pydantic_private__", private)
    return form


def sources_of(form: Form) -> Sources:
    """Where each value of ``form`` came from; empty for a form made in Python."""
    private = form.__pydantic_private__
    found = private.get("sources") if private else None
    return found if found is not None else _NONE


def widened(
    cells: Mapping[Location, SourceLocation], rows: Mapping[Location, SourceLocation]
) -> dict[Location, SourceLocation]:
    """``cells`` with the wider places added where ``cells`` has none of its own: each
    indicator row's and the budget row's place from ``rows`` (else its first cell), the
    indicator table's first row, the form's first place."""
    out = dict(cells)
    firsts: dict[Location, tuple[Any, SourceLocation]] = {}
    for loc, place in (*cells.items(), *rows.items()):
        wider: list[Location] = [()]
        if loc[:1] in (("budget",), ("indicators",)) and len(loc) > 1:
            wider.append(loc[:1])
        if loc[:1] == ("indicators",) and len(loc) > 2:
            wider.append(loc[:2])
        order = _order(place)
        for key in wider:
            if key not in firsts or order < firsts[key][0]:
                firsts[key] = (order, place)
    out.update(rows)
    for key, (_, place) in firsts.items():
        out.setdefault(key, place)
    return out


def _order(place: SourceLocation) -> tuple[int, ...]:
    """Reading order of places in one file: page, table, row, paragraph, line, column."""
    page, table, row = place.page, place.table, place.row
    paragraph, line, column = place.paragraph, place.line, place.column
    # Spelt out: a generator here cost more than the rest of reading a place.
    return (
        -1 if page is None else page,
        -1 if table is None else table,
        -1 if row is None else row,
        -1 if paragraph is None else paragraph,
        -1 if line is None else line,
        -1 if column is None else column,
    )


def _keys(fields: Iterable[FieldLabels]) -> dict[str, str]:
    return {simplify(spelling): f.key for f in fields for spelling in (f.key, *f.labels)}


_FORM_KEYS = _keys(FORM.values())
_BUDGET_KEYS = _keys(BUDGET.values())
_INDICATOR_KEYS = _keys(INDICATOR.values())


def _canonical(path: Location) -> Location | None:
    """A path as a form file writes its keys (``绩效指标[3].得分``) in the form's own keys
    (``indicators[3].score``); ``None`` for a key that is no field."""
    out: list[str | int] = []
    table = _FORM_KEYS
    for part in path:
        if isinstance(part, int):
            out.append(part)
            continue
        key = table.get(simplify(part)) if isinstance(part, str) else None
        if key is None:
            return None
        out.append(key)
        table = _BUDGET_KEYS if key == "budget" else _INDICATOR_KEYS
    return tuple(out)


def line_sources(lines: Lines | None, file: str) -> dict[Location, SourceLocation]:
    """The places of a YAML or JSON form's values: each key's line (and column), from the
    lines its document reader kept (:func:`perfscore.form.document.parse_data`)."""
    if not lines:
        return {}
    cells: dict[Location, SourceLocation] = {}
    rows: dict[Location, SourceLocation] = {}
    here = SourceLocation(file=file)
    for path, line, column in key_positions(lines):
        key = _canonical(path)
        if key is None:
            continue
        place = replace(here, line=line, column=column)
        if key[:1] == ("indicators",) and len(key) == 2:
            rows[key] = place  # the row's own item: ``- 三级指标: …``
        else:
            cells.setdefault(key, place)
    return widened(cells, rows)
