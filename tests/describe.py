"""A compact, readable description of a parsed value, used by the data-driven value tests.

``>= 90 %`` is a comparison, ``? 120 家`` one printed without a comparator, ``~`` marks an
approximate number, ``[label]`` text printed around it; ``grade``, ``grade:full``, ``na``,
``nil``, ``deadline``, ``free:<reason>``, ``range 80 %..90 %`` (``range >80 %..<90 %`` when
an end is excluded), ``date <= 2024 06-end`` (a day; ``09-01..09-end`` a period, ``????`` no
year printed) and ``compound(a | b)``.
"""

from __future__ import annotations

from perfscore.text.values import (
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
from perfscore.text.values import plain as _plain


def _q(q: Quantity) -> str:
    unit = f" {q.unit.label}" if q.unit.label else ""
    noun = f" ({q.unit.noun})" if q.unit.noun else ""
    return f"{_plain(q.magnitude)}{unit}{noun}"


def describe(value: Value) -> str:
    """One line that says how ``value`` was read."""
    if isinstance(value, Comparison):
        op = str(value.op) if value.op else "?"
        if value.each:
            op = "each " + op
        approx = "~" if value.approximate else ""
        around = f" [{value.label}|{value.tail}]" if value.embedded else ""
        return f"{op} {approx}{_q(value.quantity)}{around}"
    if isinstance(value, Range):
        low = "" if value.low_op == ">=" else str(value.low_op)
        high = "" if value.high_op == "<=" else str(value.high_op)
        return f"range {low}{_q(value.low)}..{high}{_q(value.high)}"
    if isinstance(value, Date):
        op = str(value.op) if value.op else "?"
        year = str(value.year) if value.year else "????"
        first, last = (
            f"{m:02d}-{d:02d}" if d else f"{m:02d}-end" for m, d in (value.first, value.last)
        )
        span = first if first == last else f"{first}..{last}"
        return f"date {op} {year} {span}"
    if isinstance(value, Compound):
        return "compound(" + " | ".join(describe(c) for c in value.clauses) + ")"
    if isinstance(value, Grade):
        return f"grade:{value.band}" if value.band else "grade"
    if isinstance(value, NotApplicable):
        return "na"
    if isinstance(value, Nil):
        return "nil"
    if isinstance(value, Deadline):
        return "deadline"
    if isinstance(value, FreeText):
        return f"free:{value.code}"
    raise AssertionError(value)  # pragma: no cover
