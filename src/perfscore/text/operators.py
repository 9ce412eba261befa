"""The comparison operators of the value language, one row each.

A row says everything the package knows about one :class:`Op`: how forms print it (symbols,
words before a number, words after it, words around a date), which way is better, the test it
applies to numbers and to dates, and how messages name it.  The value parser builds its
patterns from these rows and the judge applies their tests, so a new spelling is one word in
one row, and a new operator one row.

Spellings are read after normalisation (:mod:`perfscore.text.normalise`): full-width and
traditional forms (``＞``, ``不低於``) need no row of their own.
"""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal, get_args

__all__ = [
    "BY_DIRECTION",
    "DIRECTIONS",
    "OPERATORS",
    "Direction",
    "Op",
    "Operator",
    "alternation",
    "date_words_after",
    "date_words_before",
    "words_after",
    "words_before",
]

#: The directions a target can be better in (a rule file's ``direction``): the one table the
#: rule-file model, its error messages and :data:`BY_DIRECTION` read.
Direction = Literal["higher", "lower", "equal"]
DIRECTIONS: tuple[str, ...] = get_args(Direction)


class Op(StrEnum):
    """A comparison operator of a target (or of an actual printed as a bound)."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="


#: The test of a date target on (completion start, completion end, target start, target end).
DateTest = Callable[[datetime.date, datetime.date, datetime.date, datetime.date], bool]


@dataclass(frozen=True, slots=True)
class Operator:
    """One operator: how it is printed, what it tests, which way is better, how it is named.

    ``symbol`` is the sign as printed on forms (``≥``), ``variants`` other signs read as it
    (``≧``, ``>=``); ``before`` the words printed before a number (``不低于90%``) and
    ``after`` those printed after it (``90%以上``); ``date_before`` and ``date_after`` the
    words around a date (``不晚于6月``, ``6月后``).  ``holds(actual, target)`` is the test on
    numbers and ``holds_on_dates(a0, a1, t0, t1)`` the test on periods.  ``zh`` names it in a
    Chinese message (``不低于（≥）``), ``en`` in an English one (``at least``); ``date_zh`` and
    ``date_en`` name it before a date (``不晚于``, ``by``).
    """

    op: Op
    symbol: str
    better: Direction
    holds: Callable[[Decimal, Decimal], bool]
    holds_on_dates: DateTest
    zh: str
    en: str
    date_zh: str
    date_en: str
    variants: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    date_before: tuple[str, ...] = ()
    date_after: tuple[str, ...] = ()


# Words that forbid what follows (不得低于90%): the bound they deny is the other side of it,
# like 不低于.  Each is put before every bare bound word of the other direction.
_MODALS = ("不得", "不能", "不应", "不宜", "不可", "不会", "不应该", "不准", "严禁", "禁止")


def _forbidden(*bounds: str) -> tuple[str, ...]:
    """不得低于, 不能少于 … : every modal before every one of ``bounds``."""
    return tuple(modal + bound for modal in _MODALS for bound in bounds)


#: Every operator the value language reads, in one table.
OPERATORS: Mapping[Op, Operator] = {
    Op.GE: Operator(
        Op.GE,
        "≥",
        "higher",
        operator.ge,
        lambda a0, a1, t0, t1: a0 >= t0,
        "不低于（≥）",
        "at least",
        "不早于",
        "from",
        variants=("≧", "⩾", ">="),
        before=(
            *("不低于", "不少于", "不小于", "大于等于", "大于或等于", "高于或等于", "至少"),
            *("达到", "达", "不下于", "不低于或等于"),
            "未低于",  # a denied bound is the other side of it
            *_forbidden("低于", "少于", "小于", "短于", "不足"),
        ),
        after=("及以上", "或以上", "以上", "之上"),
        date_before=("不早于",),
        date_after=("起", "开始"),
    ),
    Op.GT: Operator(
        Op.GT,
        ">",
        "higher",
        operator.gt,
        lambda a0, a1, t0, t1: a0 > t1,
        "高于（>）",
        "more than",
        "晚于",
        "after",
        before=("高于", "大于", "超过", "超", "多于"),
        after=("不含以上",),  # 80分(不含)以上, as normalised
        date_before=("晚于",),
        date_after=("之后", "以后", "后"),
    ),
    Op.LE: Operator(
        Op.LE,
        "≤",
        "lower",
        operator.le,
        lambda a0, a1, t0, t1: a1 <= t1,
        "不高于（≤）",
        "at most",
        "不晚于",
        "by",
        variants=("≦", "⩽", "<="),
        before=(
            *("不超过", "不高于", "不多于", "不大于", "小于等于", "小于或等于", "低于或等于"),
            *("最多", "控制在", "不超出", "不超"),
            # A denied bound is the other side of it: 未超过90% is at most 90%.
            *("未超过", "没有超过", "未超出", "未高于"),
            *_forbidden("超过", "高于", "多于", "大于", "超出", "超", "长于"),
        ),
        after=("及以下", "或以下", "以下", "以内", "之内", "内"),
        date_before=("不晚于", "不迟于", "截至", "截止到", "截止至", "截止", "最迟", "最晚"),
        date_after=("止", "以内", "之内", "内"),
    ),
    Op.LT: Operator(
        Op.LT,
        "<",
        "lower",
        operator.lt,
        lambda a0, a1, t0, t1: a1 < t0,
        "低于（<）",
        "less than",
        "早于",
        "before",
        before=(
            *("低于", "小于", "少于", "不足"),
            # A denied bound is the other side of it: 未达到90% is below 90%.
            *("未达到", "未能达到", "没有达到", "没达到", "尚未达到", "未达", "未满", "不到"),
            "未到",
        ),
        after=("不含以下",),
        date_before=("早于",),
        # Before a period begins (6月前); before a precise day (6月底前, 6月30日前) includes
        # the day named, which the date reader reads as ≤.
        date_after=("之前", "以前", "前"),
    ),
    Op.EQ: Operator(
        Op.EQ,
        "=",
        "equal",
        operator.eq,
        lambda a0, a1, t0, t1: t0 <= a0 and a1 <= t1,
        "等于（=）",
        "equal to",
        "在",
        "within",
        variants=("═", "＝", "=="),
        before=("等于",),
    ),
}

#: The operator a rule's ``direction`` (higher, lower, equal) stands for.
BY_DIRECTION: Mapping[str, Op] = dict(zip(DIRECTIONS, (Op.GE, Op.LE, Op.EQ), strict=True))


def words_before() -> dict[str, Op]:
    """Every sign and word printed before a number, with its operator."""
    return {w: row.op for row in OPERATORS.values() for w in (row.symbol, *row.before)}


def words_after() -> dict[str, Op]:
    """Every word printed after a number (``以上``, ``以内``), with its operator."""
    return {w: row.op for row in OPERATORS.values() for w in row.after}


def date_words_before() -> dict[str, Op]:
    """Every word printed before a date (``不晚于``, ``截至``), with its operator."""
    return {w: row.op for row in OPERATORS.values() for w in row.date_before}


def date_words_after() -> dict[str, Op]:
    """Every word printed after a date (``前``, ``后``, ``起``), with its operator."""
    return {w: row.op for row in OPERATORS.values() for w in row.date_after}


def alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of ``words``, longest first (``不低于`` before ``低于``)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
