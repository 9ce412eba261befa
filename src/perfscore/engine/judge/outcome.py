"""What judging produces, and the comparator table it judges by.

:class:`Outcome` is the judge's answer for one row: facts (status, achievement, direction, the
compared quantities, the steps, the findings) — no words and no path.  :data:`OPERATORS` and
:data:`DATE_TESTS` say what each comparator means for numbers and for dates.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, NamedTuple

from perfscore.engine.results import Status
from perfscore.text.values import Op
from perfscore.words.flags import Finding
from perfscore.words.steps import Step

__all__ = ["DATE_TESTS", "OPERATORS", "Outcome", "Sense", "tidy"]


class Sense(NamedTuple):
    """What a comparator means: the test it applies and which way is better."""

    holds: Callable[[Decimal, Decimal], bool]
    better: Literal["higher", "lower", "equal"]
    zh: str


#: Every comparator the value language reads, in one table.
OPERATORS: Mapping[Op, Sense] = {
    Op.GE: Sense(operator.ge, "higher", "不低于（≥）"),
    Op.GT: Sense(operator.gt, "higher", "高于（>）"),
    Op.LE: Sense(operator.le, "lower", "不高于（≤）"),
    Op.LT: Sense(operator.lt, "lower", "低于（<）"),
    Op.EQ: Sense(operator.eq, "equal", "等于（=）"),
}

#: How a date target bounds the completion: the test on (completion start, completion end)
#: against (target start, target end).  A date printed bare is a deadline (完成时间).
_Days = Callable[[datetime.date, datetime.date, datetime.date, datetime.date], bool]
DATE_TESTS: Mapping[Op, _Days] = {
    Op.LE: lambda a0, a1, t0, t1: a1 <= t1,
    Op.LT: lambda a0, a1, t0, t1: a1 < t0,
    Op.GE: lambda a0, a1, t0, t1: a0 >= t0,
    Op.GT: lambda a0, a1, t0, t1: a0 > t1,
    Op.EQ: lambda a0, a1, t0, t1: t0 <= a0 and a1 <= t1,
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """How an actual compares with its target.

    ``achievement`` is a Decimal fraction (1 when met) or ``None`` where no comparison was
    possible; ``kind`` says which score formula applies; ``values`` are the compared actual and
    target in base units (fractions for percentages), for indicator rules and the roll-up;
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
    findings: tuple[Finding, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))


def tidy(value: Decimal) -> Decimal:
    """A compared value without the noise of unit conversion (12个月 is 1年, not 0.9999…9年)."""
    return value.quantize(Decimal("1e-12")) if value.adjusted() < 15 else value
