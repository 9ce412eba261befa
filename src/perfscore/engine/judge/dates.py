"""Dates: a deadline (2024年6月底前) against a completion date."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from perfscore.engine.judge.outcome import Outcome
from perfscore.engine.judge.qualitative import grade_completion
from perfscore.engine.reading import planned
from perfscore.engine.results import Status
from perfscore.errors import FormulaError
from perfscore.text.dates import year_offset
from perfscore.text.operators import OPERATORS
from perfscore.text.values import (
    Comparison,
    Date,
    Grade,
    Op,
    Value,
    as_date,
)
from perfscore.words.steps import Step

if TYPE_CHECKING:
    from perfscore.engine.judge.core import Judge

__all__ = ["judge_date"]

_ONE = Decimal(1)
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
# A year no form prints, for dates compared where neither the cell nor the form gives one.
_ANY_YEAR = 2000


def judge_date(j: Judge, target: Date, actual: Value) -> Outcome:
    """A deadline (2024年6月底前) against a completion date: late is missed, and earns the
    rule set's ``deadline`` achievement; never a ratio of month numbers."""
    done: Date | None
    if isinstance(actual, Date):
        done = actual
    elif isinstance(actual, Comparison):
        done = as_date(actual)
    elif isinstance(actual, Grade):
        return grade_completion(j, actual, target.op or Op.LE)
    else:
        done = None
    if done is None:
        j.mismatch(target.text, actual.text)
        return Outcome("not_judged", direction=target.op)
    if planned(done.label, done.tail):
        # 计划12月完成: when it is to be done, not when it was.
        return j.refuse(
            actual,
            target.op,
            "完成值是计划或预计的时间，不是实际完成时间",
            "the completion is a planned or expected date, not when it was done",
        )
    year = j.year or target.year or done.year or _ANY_YEAR
    op = target.op or Op.LE
    t0, t1 = target.start(year), target.end(year)
    # 次年3月 against 12月底前 falls in the next year, never in the form's March.
    done_year = done.year or year + year_offset(done)
    a0, a1 = done.start(done_year), done.end(done_year)
    met = OPERATORS[op].holds_on_dates(a0, a1, t0, t1)
    bound = t1 if op in (Op.LE, Op.GT) else t0
    when = f"{a0}" if a0 == a1 else f"{a0}–{a1}"
    trace = [Step("date", (when, met, str(op), str(bound)))]
    if met:
        return Outcome("met", _ONE, "quantitative", op, steps=trace)
    if op not in (Op.LE, Op.LT, Op.EQ) or a1 <= bound:
        # Too early for a 不早于 target: there is no on-time share to speak of.
        return Outcome("missed", _ZERO, "quantitative", op, steps=trace)
    deadline = t1 if op is not Op.LT else t0 - datetime.timedelta(days=1)
    origin = datetime.date(deadline.year, 1, 1)
    allowed = Decimal((deadline - origin).days + 1)
    taken = Decimal((a1 - origin).days + 1)
    late = Decimal((a1 - deadline).days)
    formula = j.rules.deadline
    try:
        achievement = formula(allowed=allowed, taken=taken, late=late)
    except FormulaError as exc:
        j.find("formula-failed", "", detail=str(exc))
        return Outcome("not_judged", direction=op)
    achievement = min(max(achievement, _ZERO), _ONE)
    inputs = (("allowed", allowed), ("taken", taken), ("late", late))
    trace.append(Step("late", (late, formula.text, inputs, achievement)))
    status: Status = "missed" if achievement == 0 else "partly_met"
    return Outcome(status, achievement, "quantitative", op, formula.text, trace)
