"""Where a form's values came from (来源位置): each field path's :class:`SourceLocation` in the
file it was read from, carried with the :class:`~perfscore.form.model.Form`.

The readers know the places (a workbook's cells, a PDF's pages and table rows, a YAML file's
lines); :func:`with_sources` keeps them beside the form's fields — not a field, so validating a
form costs nothing more and two forms that read the same stay equal.  The engine gives each
flag the place of its path, or of the nearest wider place
(:class:`~perfscore.words.flags.Flagger`).

Besides the paths of values, the sources give a few wider places: each indicator row
(``("indicators", 3)``: the row as a whole), the budget block (``("budget",)``), the indicator
table (``("indicators",)``) and the form (``()``: its first place).  They are looked up when
a flag asks (a YAML form's here, a grid form's in :mod:`perfscore.readers.places`): reading a
form builds no table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from perfscore.form.document import Lines, key_positions
from perfscore.form.fields import BUDGET, FORM, INDICATOR, FieldLabels, Location
from perfscore.form.model import Form
from perfscore.paths import SourceLocation
from perfscore.text.script import simplify

__all__ = ["PlaceTable", "Sources", "line_sources", "line_table", "sources_of", "with_sources"]

#: A field path → where its value stands in the file.
Sources = Mapping[Location, SourceLocation]

_NONE: Sources = {}


def with_sources(form: Form, sources: Sources) -> Form:
    """``form``, carrying ``sources`` (see :func:`sources_of`); the form itself is returned,
    fresh from its reader, with the table beside its fields."""
    if not sources:
        return form
    private = dict(form.__pydantic_private__ or {})
    private["sources"] = sources
    # Beside the fields, as the printed text is: a declared private attribute would cost
    # every model of every form its initialisation.
    object.__setattr__(form, "__pydantic_private__", private)
    return form


def sources_of(form: Form) -> Sources:
    """Where each value of ``form`` came from; empty for a form made in Python."""
    private = form.__pydantic_private__
    found = private.get("sources") if private else None
    return found if found is not None else _NONE


def _keys(fields: Iterable[FieldLabels]) -> dict[str, str]:
    return {simplify(spelling): f.key for f in fields for spelling in (f.key, *f.labels)}


_FORM_KEYS = _keys(FORM.values())
_BUDGET_KEYS = _keys(BUDGET.values())
_INDICATOR_KEYS = _keys(INDICATOR.values())


def _table_under(parent: Location) -> dict[str, str] | None:
    """The keys a mapping at ``parent`` (in the form's own keys) may hold: the form's at the
    top, the budget's, an indicator row's; ``None`` where no field is named below."""
    if not parent:
        return _FORM_KEYS
    if parent == ("budget",):
        return _BUDGET_KEYS
    if len(parent) == 2 and parent[0] == "indicators":
        return _INDICATOR_KEYS
    return None


class PlaceTable(Mapping[Location, SourceLocation]):
    """A form's places looked up when a flag asks (the YAML reader's here, the grid readers' in
    :mod:`perfscore.readers.places`): a subclass finds one path's place (:meth:`_find`) and,
    for who asks for all, builds the whole table (:meth:`_table`); ``bool`` must not build it."""

    __slots__ = ()

    def _find(self, key: Location) -> SourceLocation | None:
        raise NotImplementedError

    def _table(self) -> dict[Location, SourceLocation]:
        raise NotImplementedError

    def __getitem__(self, key: Location) -> SourceLocation:
        found = self._find(key)
        if found is None:
            raise KeyError(key)
        return found

    def get(self, key: Location, default: Any = None) -> Any:
        found = self._find(key)
        return default if found is None else found

    def __iter__(self) -> Iterator[Location]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


class _KeyPlaces(PlaceTable):
    """The places of a YAML form's values, looked up when a flag asks: a path in the form's
    own keys (``indicators[3].score``) is followed key by key through the spellings the file
    may use (``绩效指标[3].得分``) among the positions its reader kept — no table is built for
    the form, so reading stays as fast; iterating builds one, for who asks for all."""

    __slots__ = ("_file", "_positions", "_tops")

    def __init__(self, positions: Mapping[Location, tuple[int, int | None]], file: str) -> None:
        self._positions = positions
        self._file = file
        # How the file spells each top-level field it has (``绩效指标`` for indicators): a few
        # lookups now, so that a flag's place is a few more.
        self._tops = {
            key: name
            for key, names in _FORM_LABELS.items()
            for name in reversed(names)
            if (name,) in positions
        }

    def _find(self, key: Location) -> SourceLocation | None:
        positions = self._positions
        raw: Location = ()
        if key:
            top = self._tops.get(str(key[0])) or self._top_as_printed(str(key[0]))
            if top is None:
                return None
            raw = (top,)
            # Where the fields of a block are named: budget.rate, indicators[3].score.
            labels, at = _UNDER.get(str(key[0]), (None, 0))
            for depth in range(1, len(key)):
                part = key[depth]
                if type(part) is int:
                    raw = (*raw, part)
                    continue
                names = labels.get(str(part), (part,)) if labels and depth == at else (part,)
                raw = next((r for n in names if (r := (*raw, n)) in positions), ())
                if not raw:
                    return None
        found = positions.get(raw)
        return None if found is None else SourceLocation(self._file, line=found[0], column=found[1])

    def _top_as_printed(self, name: str) -> str | None:
        """The top-level key the file spells otherwise than the field table (``績效指標``,
        in traditional script), looked for only when the usual spellings are not there."""
        return next(
            (
                k[0]
                for k in self._positions
                if len(k) == 1
                and isinstance(k[0], str)
                and not k[0].isascii()
                and _FORM_KEYS.get(simplify(k[0])) == name
            ),
            None,
        )

    def _table(self) -> dict[Location, SourceLocation]:
        return line_table(self._positions, self._file)

    def __bool__(self) -> bool:
        return bool(self._positions)  # asking must not build the table


def _spelled(fields: Iterable[FieldLabels]) -> dict[str, tuple[str, ...]]:
    return {f.key: (f.key, *f.labels) for f in fields}


_FORM_LABELS = _spelled(FORM.values())
_BUDGET_LABELS = _spelled(BUDGET.values())
_INDICATOR_LABELS = _spelled(INDICATOR.values())
#: The spellings of the fields under a block, and the depth they stand at.
_UNDER = {"budget": (_BUDGET_LABELS, 1), "indicators": (_INDICATOR_LABELS, 2)}


def line_sources(lines: Lines | None, file: str) -> Sources:
    """The places of a YAML form's values (each key's line and column), looked up as flags ask
    for them; empty where the reader kept no lines (JSON)."""
    if not lines:
        return {}
    return _KeyPlaces(key_positions(lines), file)


def line_table(
    positions: Mapping[Location, tuple[int, int | None]], file: str
) -> dict[Location, SourceLocation]:
    """The places of a YAML form's values: each key's line and column, from the positions its
    document reader kept (:func:`perfscore.form.document.parse_data`), in the form's own keys
    (``绩效指标[3].得分`` is ``indicators[3].score``).

    The reader gives every key, list item and the root their place, in document order, a
    parent before what it holds: so each path's own keys come from its parent's in one step,
    and the wider places (a row's item, ``budget:``, the root) are there already.
    """
    out: dict[Location, SourceLocation] = {}
    own: dict[Location, Location | None] = {(): ()}  # a path as written → in the form's keys
    for path, (line, column) in positions.items():
        if not path:
            out[()] = SourceLocation(file, line=line, column=column)
            continue
        parent = own.get(path[:-1])
        key: Location | None = None
        if parent is not None:
            part = path[-1]
            if type(part) is int:
                key = (*parent, part)
            else:
                table = _table_under(parent)
                name = table.get(part) if table is not None and isinstance(part, str) else None
                if name is None and table is not None and isinstance(part, str):
                    name = table.get(simplify(part))  # a label in traditional script
                key = None if name is None else (*parent, name)
        own[path] = key
        if key is not None:
            out.setdefault(key, SourceLocation(file, line=line, column=column))
    return out
