"""Putting an actual in its target's frame before they are compared: the same period (每月 1次
against a count for the year), the same direction of change (较上年增长 against 下降5%), the
share of a count or time target a percentage completion says was done, and a bare zero.

Each function returns what the judge compares, recording what it assumed as a finding; none
of them decides met or missed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from perfscore.engine.judge.outcome import Outcome
from perfscore.text.operators import Op
from perfscore.text.units import resolve
from perfscore.text.values import Comparison, Nil, Quantity, Value
from perfscore.words.messages import plain, shorten
from perfscore.words.steps import Step

if TYPE_CHECKING:
    from perfscore.engine.judge.core import Judge

__all__ = [
    "change_outcome",
    "change_sign",
    "describe_share",
    "gives_no_change",
    "in_change_frame",
    "nothing_as_zero",
    "per_year",
    "share_done",
    "small_count",
    "zero_limit",
]

_ZERO = Decimal(0)

# Words of a change from last year, and which way each goes.
_UP = re.compile(r"增长|增加|提高|提升|上升|上涨|增幅|增多|扩大|涨")
_DOWN = re.compile(r"下降|减少|降低|下滑|回落|降幅|减幅|缩减|缩小|压减|减")


def change_sign(text: str) -> int:
    """+1 for a rise (增长, 提高), -1 for a fall (下降, 减少), 0 when the words say neither or
    both."""
    up, down = _UP.search(text), _DOWN.search(text)
    if bool(up) == bool(down):
        return 0
    return 1 if up else -1


def in_change_frame(target: Comparison, actual: Comparison, name: str) -> Comparison:
    """``actual`` as a change in the direction its target names: 下降5% against 较上年增长≥3%
    is a rise of -5%, which no rise of 3% is met by."""
    wanted = change_sign(target.label) or change_sign(name)
    given = change_sign(actual.label)
    if wanted and given and wanted != given:
        q = actual.quantity
        return replace(actual, quantity=Quantity(-q.magnitude, q.unit))
    return actual


# A target counted from last year's value (比上年, 同比, 较去年).
_FROM_LAST_YEAR = re.compile(r"上年|去年|上一年|同比|环比|较上|比上|上期|基期")
_BARE_CHANGE = re.compile(r"^(?:有所|逐年)?(?:增长|增加|提高|上升|下降|减少|降低)$")
_ONE = Decimal(1)


def change_outcome(j: Judge, target_words: str, actual: Comparison) -> Outcome | None:
    """A change from last year asked for in words (较上年提高, 同比下降, 增加) against an actual
    that states a change (增加120人, 同比下降3.1%): the direction decides.  An actual with no
    change against a target counted from last year is not judged, and the row says why."""
    wanted = change_sign(target_words)
    from_last_year = _FROM_LAST_YEAR.search(target_words) is not None
    if not wanted or not (from_last_year or _BARE_CHANGE.match(target_words)):
        return None
    given = change_sign(actual.label)
    if not given and not from_last_year:
        return None
    if not given:
        j.find(
            "unreadable-value",
            "actual",
            text=shorten(actual.text),
            reason="指标值以上年为基数，完成值未给出与上年相比的变化",
            reason_en="the target is a change from last year and the actual gives no change",
        )
        return Outcome("not_judged")
    if given == wanted and actual.quantity.magnitude > 0:
        step = Step("restated", (actual.text, target_words))
        return Outcome("met", _ONE, "qualitative", steps=[step])
    step = Step("denied", (actual.text, _ZERO))
    return Outcome("missed", _ZERO, "qualitative", steps=[step])


def gives_no_change(target: Comparison, actual: Comparison) -> bool:
    """True when a target counted from last year (比上年增长5%) meets an actual that states a
    level in another unit (120人), not the change: last year's value would be needed."""
    return (
        bool(change_sign(target.label))
        and _FROM_LAST_YEAR.search(target.label) is not None
        and not change_sign(actual.label)
        and target.quantity.unit.is_percent
        and not actual.quantity.unit.is_percent
        and not actual.quantity.unit.is_number
    )


# Periods a target is set per (每月 1次), with how many make a year.
_PERIODS: dict[str, int] = {
    "月": 12,
    "个月": 12,
    "季度": 4,
    "季": 4,
    "周": 52,
    "星期": 52,
    "半年": 2,
    "年": 1,
}
_PER_NAME = re.compile(r"每(个月|季度|半年|星期|月|季|周|年)|(月|季|周)均|(月|季|周)度(?!内)")
_SHORT = {"月": "月", "季": "季度", "周": "周"}


def _period_of(text: str) -> str | None:
    m = _PER_NAME.search(text)
    if m is None:
        return None
    return m[1] or _SHORT[m[2] or m[3]]


def per_year(j: Judge, target: Comparison, actual: Comparison) -> Quantity | None:
    """A count target set per period (each month: ≥1次, or ≥1次/月) against a count printed
    without one, as the year's count it asks for (≥12次); None when the target is for the
    year already or the actual states its own period."""
    unit = target.quantity.unit
    if unit.is_percent or actual.quantity.unit.is_percent:
        return None  # a rate per quarter (按季度发放率 100%) is no count to add up
    if "/" in unit.label:
        count, _, period = unit.label.partition("/")
        if period not in _PERIODS or "/" in actual.quantity.unit.label:
            return None
    else:
        period = _period_of(target.label) or _period_of(j.name) or ""
        count = unit.label
        if period not in _PERIODS or _period_of(actual.label + actual.tail):
            return None
    if unit.dimension not in ("", "[count]", "[count] / [time]"):
        return None
    if actual.quantity.unit.dimension not in ("", "[count]"):
        return None
    periods = _PERIODS[period]
    if periods == 1 or ("/" not in unit.label and target.quantity.magnitude >= periods):
        # 每季度督查 ≥4次 already counts the year (four quarters): a period named only in the
        # name makes a target smaller than the number of periods one per period.
        return None
    year_unit = resolve(count, unit.noun) if count else unit
    year = Quantity(target.quantity.magnitude * periods, year_unit)
    j.find(
        "period-scaled",
        "target",
        text=target.text,
        period=period,
        periods=periods,
        year=str(year),
    )
    return year


def zero_limit(target: Comparison) -> Op | None:
    """A bare zero (0次, 0件, 0) is a limit nobody exceeds: no more than zero, never ≥ 0."""
    if target.op is None and target.quantity.magnitude == _ZERO:
        return Op.LE
    return None


def share_done(target: Quantity, actual: Quantity) -> Decimal | None:
    """A percentage printed against a count or time target (1名 / 100%, 一年 / 100%): the
    share of the target done, as a fraction; None for any other pair."""
    if not actual.unit.is_percent or target.unit.is_percent or target.unit.is_number:
        return None
    if target.magnitude == 0:
        return None  # a share of nothing says nothing
    return actual.base


def describe_share(share: Decimal) -> str:
    """The share as the finding prints it."""
    return plain(share * 100) + "%"


def small_count(target: Quantity, beaten_by: Decimal, margin: Decimal) -> bool:
    """A small count beaten by a few (≥1次 completed 3): no over-achievement a reader would act
    on, under the rule set's ``over_achievement_margin``."""
    counted = target.unit.dimension in ("[count]", "") and not target.unit.is_percent
    return counted and beaten_by < margin


def nothing_as_zero(target: Value, actual: Value) -> Comparison | None:
    """零 or 无安全事故 (nothing to occur) against a count (4人, 2起): a target of zero in the
    actual's unit, which the count exceeds.  A percentage is how much of it was achieved
    (未收到有效投诉 / 100%) and is read as a completion: None."""
    if not isinstance(target, Nil) or not isinstance(actual, Comparison):
        return None
    if actual.quantity.unit.is_percent:
        return None
    return Comparison(target.text, None, Quantity(_ZERO, actual.quantity.unit))
