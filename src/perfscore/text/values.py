"""The indicator-value language: a printed target or actual (年度指标值 / 实际完成值) as data.

:func:`parse_value` reads one cell exactly as printed — ``≥90%``, ``≧50人``, ``550 件以上``,
``不低于 90%``, ``不低於90%``, ``1个工作日内``, ``12000余人次``, ``≥80%且≤100%``,
``每季度1次``, ``2天半``, ``≥2公里``, ``2024年6月底前``, ``群众≥5000人；公司≥200家``,
``效果显著``, ``不适用`` — into one of a few frozen value types.  It never raises for any
string and runs in time linear in the text: what it cannot read comes back as
:class:`FreeText` with the reason.

Reading is purely textual.  Decisions that need context (the direction of a target printed
without a comparator, a bare ``0.9`` against a percentage target, the year of a date printed
without one, what a grade word is worth) belong to the engine and the rule set, which report
them as flags.

This module splits a cell into clauses and puts their readings together; the grammar is in
:mod:`~perfscore.text.normalise` (one normalisation of the cell), :mod:`~perfscore.text.clauses`
(one clause), :mod:`~perfscore.text.dates`, :mod:`~perfscore.text.phrases` and
:mod:`~perfscore.text.numbers`, and the comparator words in :mod:`~perfscore.text.operators`.

Thread safety: values are immutable; the only state is a bounded
:func:`functools.lru_cache` of parsed short texts (and the normaliser's small one of recent
cells), and arithmetic runs in a local :class:`decimal.Context`, so the host program's
context never changes a reading.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from perfscore.errors import ValueTextError
from perfscore.memo import Table
from perfscore.text.clauses import read_clause, two_sided
from perfscore.text.dates import as_date
from perfscore.text.kinds import (
    Band,
    Comparison,
    Compound,
    Date,
    Deadline,
    FreeText,
    Grade,
    Nil,
    NotApplicable,
    Quantity,
    Range,
    Value,
)
from perfscore.text.normalise import (
    MAX_CACHED_TEXT,
    MAX_TEXT,
    bound_words,
    currency_signs,
    normalise,
    numeric_dates,
    words,
)
from perfscore.text.numbers import plain
from perfscore.text.operators import Op
from perfscore.text.shapes import ShapeReader
from perfscore.text.units import resolve

__all__ = [
    "Band",
    "Comparison",
    "Compound",
    "Date",
    "Deadline",
    "FreeText",
    "Grade",
    "Nil",
    "NotApplicable",
    "Op",
    "Quantity",
    "Range",
    "Value",
    "as_date",
    "parse_value",
    "plain",
    "read_in_full",
    "words",
]


def _reduce(self: Any) -> tuple[Any, ...]:
    """Pickle a value as its text when that is how it was read (results cross processes in
    batches, and re-reading cached text is far cheaper than rebuilding the objects); else as
    its fields."""
    text = getattr(self, "text", None)
    if isinstance(text, str) and len(text) <= MAX_CACHED_TEXT and _cached(text) is self:
        return (parse_value, (text,))
    return (type(self), tuple(getattr(self, f.name) for f in fields(self) if f.init))


for _cls in (
    Quantity,
    Comparison,
    Range,
    Date,
    Grade,
    Deadline,
    NotApplicable,
    Nil,
    Compound,
    FreeText,
):
    _cls.__reduce__ = _reduce  # type: ignore[method-assign]


# --------------------------------------------------------------------------------------------
# A whole cell

# List enumerators at the start of a clause: 1. 2、 (3) （4）.
_ENUMERATOR = re.compile(
    r"^(?:\(\d{1,2}\)|（\d{1,2}）|\d{1,2}[、.．](?!\d)|\d{1,2}[.．](?=(?:19|20)\d{2}年))"
)
# Commas between digits are thousands separators (4,262.41), never between clauses.
_CLAUSE_SPLIT = re.compile(r"(?<!\d)[;；,，。]|[;；。](?=\d)")
_MEASURABLE = (Comparison, Range, Date, Grade)


# Targets and completions that name full coverage in words.
_FULL_COVERAGE = re.compile(
    r"^(?:实现|做到|达到|已|已经)?(?:全覆盖|全面覆盖|全部覆盖|覆盖全部|全员覆盖|全域覆盖|100%覆盖)$"
)


def read_in_full(text: str) -> Value:
    """``text`` read by the whole grammar, with no cache and no shape: what
    :func:`parse_value` answers, the slow way (the reference the shape path is checked
    against)."""
    normal = normalise(text)
    if not normal:
        return FreeText(text, "empty")
    if len(normal) > MAX_TEXT:
        return FreeText(text, "too-long", str(MAX_TEXT))
    normal = bound_words(numeric_dates(currency_signs(normal)))
    parts = [_ENUMERATOR.sub("", p) for p in _CLAUSE_SPLIT.split(normal)]
    parts = [p for p in parts if p]
    if len(parts) > 1:
        two = two_sided(text, normal)
        if two is not None:
            return two
        clauses = [read_clause(p) for p in parts]
        if all(isinstance(c, Nil) for c in clauses):
            return Nil(text)
        if all(isinstance(c, Grade) for c in clauses):
            return Grade(text)
        if all(isinstance(c, _MEASURABLE) for c in clauses) and all(
            len(getattr(c, "label", "")) + len(getattr(c, "tail", "")) <= 16 for c in clauses
        ):
            return Compound(text, tuple(c for c in clauses if isinstance(c, _MEASURABLE)))
        if len(normal) > 24:
            return FreeText(text, "descriptive")
    normal = _ENUMERATOR.sub("", normal) or normal
    if _FULL_COVERAGE.match(normal):
        # 全覆盖 says 100%: 90% covered is not full coverage, whatever the qualitative bands say.
        return Comparison(text, None, Quantity(Decimal(100), resolve("%")), tail=normal)
    single = read_clause(normal)
    if isinstance(single, (Comparison, Date)) and len(single.label) + len(single.tail) > 24:
        return FreeText(text, "descriptive")
    return _retext(single, text)


# New texts are read by their shape (perfscore.text.shapes) where a trusted template serves:
# a fraction of the grammar's cost for the many texts that differ only in their numbers.
_SHAPES = ShapeReader(read_in_full, limit=16_384)
_parse = _SHAPES.read
_cached = lru_cache(maxsize=65_536)(_parse)
# Texts seen, and whether only once (True).  A value made from its shape's template the first
# time its text is seen is not kept: values are objects the garbage collector walks for as
# long as they are kept, and most new texts (a re-score after a rule change) are seen once.
# A text seen again, or one the grammar had to read, is kept in the cache above.
_ONCE: Table[str, bool] = Table(65_536)


def _retext(value: Value, text: str) -> Value:
    """Keep the text exactly as printed on the value returned to the caller."""
    if value.text == text:
        return value
    return replace(value, text=text)


def parse_value(text: str) -> Value:
    """Read one printed target or actual (年度指标值 / 实际完成值).

    >>> parse_value("≥90%")
    Comparison(text='≥90%', op=<Op.GE: '>='>, quantity=Quantity(magnitude=Decimal('90'), ...), ...)

    Any string is accepted and read in time linear in its length; text that is not a value
    comes back as :class:`FreeText`.  Results for short texts are cached (a bounded number
    of them), so re-reading the same cell is free; a new text is read by its shape where
    :mod:`perfscore.text.shapes` has a trusted template for it, and kept from its second
    reading on.

    :raises ValueTextError: if ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise ValueTextError(f"parse_value expects a string, got {type(text).__name__}")
    if len(text) > MAX_CACHED_TEXT:
        return _parse(text)
    seen = _ONCE.get(text)
    if seen is None:
        made = _SHAPES.made(text)
        if made is not None:
            # Seen once and made from its shape: not kept until it is seen again.
            _ONCE.put(text, True)
            return made
        _ONCE.put(text, False)
    elif seen:
        _ONCE.put(text, False)
    return _cached(text)
