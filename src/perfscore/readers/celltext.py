"""A spreadsheet cell's value as the text a person reads in it.

Percent-formatted numbers read as printed (``96.86%``), other numbers as their shortest text,
booleans as 是/否, dates as ``2024-03-31``.  The arithmetic runs in a context of its own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Context, Decimal, localcontext
from typing import Any

__all__ = ["cell_text"]

# A cell's number printed: exact for any float's digits (17) or an int a cell holds.
_CELL_CONTEXT = Context(prec=60, Emax=999_999, Emin=-999_999)


def cell_text(value: Any, percent: bool = False) -> str:
    """A cell's value as the text a person reads in it."""
    if value == "" or value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if value.__class__ is float and not percent:
        # The common cases without Decimal: whole numbers, and floats whose shortest
        # round-trip text has no exponent (repr is that text).
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        shown = repr(value)
        if "e" not in shown and "n" not in shown:
            return shown
    if isinstance(value, (int, float)):
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        # In a context of its own: the caller's (prec=3, or Rounded trapped) must not change
        # what a cell reads as (96.51% is not 96.6%).
        with localcontext(_CELL_CONTEXT):
            if percent:
                return f"{format((exact * 100).normalize(), 'f')}%"
            return format(exact.normalize(), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
