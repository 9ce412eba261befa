"""Reading by shape: a cell's reading worked out once per *shape* and filled in with each
text's own numbers.

A shape is the text with each number replaced by a placeholder that keeps what the grammar
can see of it — how many digits and where the point is, whether it is 0, 1 or 100, and the
order of the numbers among themselves; years (``2024``) and dates are kept apart (a text
naming one is always read in full).  ``≥93人`` and ``≥57人`` are one shape; so are
``完成率96.5%`` and ``完成率88.1%``.  Forms print few shapes (11,951 generated texts are 274
shapes; real forms about 1.7 texts a shape), so a reading by shape spares the grammar for most
new texts.

A shape's reading is a *template*: the value read from its first text, every magnitude tied
to the number it was read from (``×1``, ``×10000`` for 万, ``-1`` for 负) and every text
field to the cell's text or its numbers.  A template is trusted only after a second text of
the shape whose every number differs from the first was read in full and came out exactly as
the template makes it; a text whose shape has no trusted template is read in full.  A
reading the template cannot express (a rate 每季度1次, 2天半, 1万5千, thousands separators,
dates) keeps its shape on the full grammar for good.  ``tests/test_shapes.py`` checks that
both ways give the same :class:`~perfscore.text.kinds.Value` for every text the value
grammar's strategies generate and for every case of ``tests/cases/values.yaml``.

Thread safety: a :class:`ShapeReader` keeps its shapes in a bounded
:class:`~perfscore.memo.Table`; templates are immutable, and two threads reading the same new
shape both store the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from decimal import Decimal, localcontext
from enum import Enum
from typing import Any, NamedTuple

from perfscore.memo import Table
from perfscore.text.dates import DATE_HINT
from perfscore.text.kinds import (
    Comparison,
    Compound,
    FreeText,
    Grade,
    Nil,
    NotApplicable,
    Quantity,
    Range,
    Value,
)
from perfscore.text.numbers import MULTIPLIERS, number
from perfscore.text.units import ARITHMETIC, Unit

__all__ = ["MAX_SHAPE_TEXT", "ShapeReader", "shape_of"]

#: Longer texts are descriptions, read in full: their shapes seldom repeat.
MAX_SHAPE_TEXT = 64
_MAX_NUMBERS = 6
_MAX_DIGITS = 12

# A number as the shape sees it: ASCII digits with an optional fraction.  Full-width digits
# stay in the shape as printed (they are rare, and the shape is then only more specific).
_RUN = re.compile(r"([0-9]+(?:\.[0-9]+)?)")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
# Numbers the grammar reads by value, not only by form: 100%覆盖, a ratio of 1, nothing (0).
_LITERAL = frozenset({"1", "100"})
# What makes a reading depend on the numbers' values beyond their order: rates (每季度1次,
# 人均), halves (2天半), powers (10⁵), and every date (6月底前, 2024年).
_READ_IN_FULL = re.compile("[每均半⁰¹²³⁴⁵⁶⁷⁸⁹⁻]|[0-9][,，][0-9]{3}")
_DIGIT_FORM = str.maketrans("0123456789", "##########")
# How a magnitude is made from its number: as printed, negated (负), times a multiplier (万).
_FACTORS: tuple[Decimal, ...] = (Decimal(1), Decimal(-1), *sorted(set(MULTIPLIERS.values())))
_VALUE_KINDS = (Comparison, Compound, FreeText, Grade, Nil, NotApplicable, Quantity, Range)


class _Unsupported(Exception):
    """The reading has a part a template cannot make from the text's numbers."""


def shape_of(text: str) -> tuple[str, tuple[str, ...]] | None:
    """The shape of ``text`` and its numbers (the placeholders' fillings), or ``None`` when
    the text is read in full only (no number, a date, a rate, too long)."""
    if len(text) > MAX_SHAPE_TEXT:
        return None
    # Pieces and numbers alternate: piece, number, piece, …, piece.
    parts = _RUN.split(text)
    if len(parts) == 1 or len(parts) > 2 * _MAX_NUMBERS + 1:
        return None
    if _READ_IN_FULL.search(text) or DATE_HINT.search(text):
        return None
    numbers: list[str] = []
    for i in range(1, len(parts), 2):
        run = parts[i]
        if len(run) > _MAX_DIGITS or _YEAR.fullmatch(run):
            return None
        if run not in _LITERAL and run.strip("0."):
            parts[i] = "\x00" + run.translate(_DIGIT_FORM) + "\x00"
            numbers.append(run)
    if len(numbers) > 1:
        # The order of the numbers among themselves (80%-90% is not 90%-80%).
        values = [Decimal(n) for n in numbers]
        ranks = sorted(set(values))
        parts.append("\x01" + ",".join([str(ranks.index(v)) for v in values]))
    return "".join(parts), tuple(numbers)


class _Shape(NamedTuple):
    """A shape's template (``None``: read in full for good), the numbers of the text it was
    made from, and whether a text with other numbers has confirmed it."""

    template: Any
    numbers: tuple[str, ...]
    trusted: bool


class ShapeReader:
    """Reads texts through their shapes, with ``full`` (the whole grammar) where no trusted
    template serves."""

    __slots__ = ("_full", "_shapes")

    def __init__(self, full: Callable[[str], Value], limit: int = 4096) -> None:
        self._full = full
        self._shapes: Table[str, _Shape] = Table(limit)

    def made(self, text: str) -> Value | None:
        """The value of ``text`` made from its shape's trusted template, or ``None`` when
        no trusted template serves it (:meth:`read` then reads it in full)."""
        found = shape_of(text)
        if found is None:
            return None
        known = self._shapes.get(found[0])
        if known is None or not known.trusted:
            return None
        made: Value = known.template(text, found[1])
        # A range's ends in other units may change places (2天-30小时, 2天-50小时).
        if isinstance(made, Range) and made.low.base > made.high.base:
            return None
        return made

    def read(self, text: str) -> Value:
        """The value of ``text``: from its shape's template when one is trusted, else read
        in full (and the shape's template learnt or confirmed)."""
        found = shape_of(text)
        if found is None:
            return self._full(text)
        key, numbers = found
        known = self._shapes.get(key)
        if known is not None and known.trusted:
            made: Value = known.template(text, numbers)
            if not isinstance(made, Range) or made.low.base <= made.high.base:
                return made
            return self._full(text)
        value = self._full(text)
        if known is None:
            self._shapes.put(key, _Shape(_template_of(value, text, numbers), numbers, False))
        elif known.template is not None:
            self._confirm(key, known, value, text, numbers)
        return value

    def _confirm(
        self, key: str, known: _Shape, value: Value, text: str, numbers: tuple[str, ...]
    ) -> None:
        """Trust the template once it makes exactly what the grammar read from a text whose
        every number differs from the first; drop it the first time it does not."""
        try:
            made = _compiled(known.template)(text, numbers)
        except (_Unsupported, ArithmeticError, TypeError, ValueError):
            made = None
        if made != value or repr(made) != repr(value):
            self._shapes.put(key, _Shape(None, numbers, False))
        elif all(a != b for a, b in zip(known.numbers, numbers, strict=True)):
            self._shapes.put(key, known._replace(template=_compiled(known.template), trusted=True))

    def __len__(self) -> int:
        return len(self._shapes)


# --------------------------------------------------------------------------------------------
# Templates: ("k", constant), ("t",) the text, ("n", index, factor) a magnitude,
# ("s", pieces, first) a text of the cell's numbers, ("(", items), ("o", type, fields)


def _template_of(value: Value, text: str, numbers: tuple[str, ...]) -> Any:
    try:
        return _template(value, text, numbers)
    except _Unsupported:
        return None


def _template(obj: Any, text: str, numbers: tuple[str, ...]) -> Any:
    if obj is None or isinstance(obj, (bool, int, Enum)):
        return ("k", obj)
    if isinstance(obj, Decimal):
        return _magnitude_template(obj, numbers)
    if isinstance(obj, str):
        return _text_template(obj, text, numbers)
    if isinstance(obj, Unit):
        if _RUN.search(obj.label + obj.noun):
            raise _Unsupported
        return ("k", obj)
    if isinstance(obj, tuple):
        return ("(", tuple(_template(item, text, numbers) for item in obj))
    if isinstance(obj, _VALUE_KINDS) and is_dataclass(obj):
        parts = tuple(
            (f.name, _template(getattr(obj, f.name), text, numbers)) for f in fields(obj) if f.init
        )
        return ("o", type(obj), parts)
    raise _Unsupported


def _magnitude_template(value: Decimal, numbers: tuple[str, ...]) -> Any:
    for index, printed in enumerate(numbers):
        for factor in _FACTORS:
            made = _scaled(printed, factor)
            if made == value and str(made) == str(value):
                return ("n", index, factor)
    raise _Unsupported


def _scaled(printed: str, factor: Decimal) -> Decimal:
    """The magnitude the grammar makes of ``printed`` and ``factor``, the way it makes it."""
    value = number(printed)
    if value is None:
        raise _Unsupported
    if factor == 1:
        return value
    if factor == -1:
        return -value
    with localcontext(ARITHMETIC):
        return value * factor


def _text_template(value: str, text: str, numbers: tuple[str, ...]) -> Any:
    if value == text:
        return ("t",)
    runs = _RUN.findall(value)
    if not runs:
        return ("k", value)
    # A part of the cell (a clause of a compound, a label): its numbers are a run of the
    # cell's numbers, in order.
    for first in range(len(numbers) - len(runs) + 1):
        if tuple(runs) == numbers[first : first + len(runs)]:
            return ("s", tuple(_RUN.split(value)[::2]), first)
    raise _Unsupported


_Maker = Callable[[str, tuple[str, ...]], Any]


def _compiled(template: Any) -> _Maker:
    """A template as a function of the text and its numbers (built once per shape)."""
    kind = template[0]
    if kind == "k":
        constant = template[1]
        return lambda text, numbers: constant
    if kind == "t":
        return lambda text, numbers: text
    if kind == "n":
        index, factor = template[1], template[2]
        return lambda text, numbers: _scaled(numbers[index], factor)
    if kind == "(":
        items = [_compiled(item) for item in template[1]]
        return lambda text, numbers: tuple([make(text, numbers) for make in items])
    if kind == "o":
        return _compiled_object(template[1], [part for _, part in template[2]])
    pieces, first = template[1], template[2]

    def joined(text: str, numbers: tuple[str, ...]) -> str:
        out = [pieces[0]]
        for i, piece in enumerate(pieces[1:]):
            out.append(numbers[first + i])
            out.append(piece)
        return "".join(out)

    return joined


def _compiled_object(kind: type, parts: list[Any]) -> _Maker:
    """A value or quantity: its constant fields kept, the others made per text."""
    fixed = [part[1] if part[0] == "k" else None for part in parts]
    made = [(i, _compiled(part)) for i, part in enumerate(parts) if part[0] != "k"]

    def make(text: str, numbers: tuple[str, ...]) -> Any:
        args = list(fixed)
        for i, field_maker in made:
            args[i] = field_maker(text, numbers)
        return kind(*args)

    return make
