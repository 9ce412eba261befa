"""What judging produces, and the comparator table it judges by.

:class:`Outcome` is the judge's answer for one row: facts (status, achievement, direction, the
compared quantities, the steps, the findings) — no words and no path.  What each comparator
means is :data:`perfscore.text.operators.OPERATORS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal, NamedTuple

from perfscore.engine.results import Status
from perfscore.text.values import Op, Quantity
from perfscore.words.flags import Finding
from perfscore.words.steps import Step

__all__ = ["Outcome", "tidy"]


class Outcome(NamedTuple):
    """How an actual compares with its target.

    ``achievement`` is a Decimal fraction (1 when met) or ``None`` where no comparison was
    possible; ``kind`` says which score formula applies; ``values`` are the compared actual and
    target in base units (fractions for percentages), for indicator rules; ``compared`` the
    same as quantities (the actual in the target's unit; a qualitative completion as a
    percentage, with no target), for the roll-up and the reports;
    ``steps`` what was done, as facts; ``findings`` what a reader should be told, without a
    path.  Outcomes are cached and shared, so they are immutable.
    """

    status: Status
    achievement: Decimal | None = None
    kind: Literal["quantitative", "qualitative", "none"] = "none"
    direction: Op | None = None
    formula: str = ""
    steps: Sequence[Step] = ()
    values: tuple[Decimal, Decimal] | None = None
    compared: tuple[Quantity, Quantity | None] | None = None
    findings: tuple[Finding, ...] = ()


def tidy(value: Decimal) -> Decimal:
    """A compared value without the noise of unit conversion (12个月 is 1年, not 0.9999…9年)."""
    return value.quantize(Decimal("1e-12")) if value.adjusted() < 15 else value
