"""The kinds of value a printed target or actual reads as: frozen, hashable data.

:class:`Comparison` (``≥90%``), :class:`Range` (``80%-90%``), :class:`Date` (``2024年6月底前``),
:class:`Grade` (``效果显著``), :class:`Deadline` (``按时``), :class:`NotApplicable`
(``不适用``), :class:`Nil` (``无``), :class:`Compound` (several clauses) and :class:`FreeText`
(what could not be read, with the reason).  :func:`~perfscore.text.values.parse_value` makes
them; the engine compares them.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from perfscore.text.normalise import HAN
from perfscore.text.numbers import plain
from perfscore.text.operators import Op
from perfscore.text.units import ARITHMETIC, DIMENSIONLESS, Unit

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
    "Quantity",
    "Range",
    "Value",
]

_CJK = re.compile(HAN)


class Band(StrEnum):
    """How far a qualitative completion word says the target was reached."""

    FULL = "full"  # 达成 / 完成 / 通过
    BASIC = "basic"  # 基本达成
    PARTIAL = "partial"  # 部分达成
    NONE = "none"  # 未达成


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit as printed (``16人``, ``96.86%``, ``3月/次``, ``2公里``).

    ``base`` is the magnitude in the dimension's base unit (a fraction for percentages, metres
    for 公里), worked out once in a local context.
    """

    magnitude: Decimal
    unit: Unit = DIMENSIONLESS
    base: Decimal = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # The context's own method: the same arithmetic without switching the thread's context.
        object.__setattr__(self, "base", ARITHMETIC.multiply(self.magnitude, self.unit.factor))

    def __str__(self) -> str:
        return f"{plain(self.magnitude)}{self.unit}"


@dataclass(frozen=True, slots=True)
class Comparison:
    """A quantity with an optional comparator: ``≥90%``, ``120家``, ``不超过7天``.

    ``op`` is ``None`` when the text printed no comparator; the engine then infers the
    direction.  ``label`` and ``tail`` hold text printed around the number
    (``公证业务办理9827件``); ``approximate`` marks ``约`` / ``余`` / ``多``; ``each`` marks
    ``均为 100%`` (every clause of a compound target).
    """

    text: str
    op: Op | None
    quantity: Quantity
    label: str = ""
    tail: str = ""
    approximate: bool = False
    each: bool = False

    kind = "comparison"

    @property
    def embedded(self) -> bool:
        """True when the number stands inside other text."""
        return bool(self.label or self.tail)


@dataclass(frozen=True, slots=True)
class Range:
    """A two-sided target: ``80%-90%``, ``≥80%且≤100%``, ``60～80分``, ``>1且<5天``.

    Either end may be printed first; ``low_op`` is ``>=`` or ``>`` and ``high_op`` ``<=`` or
    ``<`` (a range printed with a dash includes both ends).
    """

    text: str
    low: Quantity
    high: Quantity
    label: str = ""
    low_op: Op = Op.GE
    high_op: Op = Op.LE

    kind = "range"


@dataclass(frozen=True, slots=True)
class Date:
    """A calendar date or period, as a deadline or a completion: ``2024年6月底前``,
    ``第一季度``, ``上半年``, ``年底前``, ``完成时间为2022年12月30日``, ``2024年9月完成``.

    The period runs from ``first`` to ``last`` (month, day; day ``0`` is the month's last
    day).  ``year`` is ``None`` when the text prints none (the form's year applies).  ``op``
    says how a target bounds the completion: ``<=`` by the end of the period (``底前``,
    ``不晚于``, ``以内``, a plain date), ``<`` before the period starts (``6月前``), ``>`` after
    it ends (``3月后``), ``>=`` from its start (``起``); ``None`` when printed bare.
    """

    text: str
    op: Op | None
    year: int | None
    first: tuple[int, int]
    last: tuple[int, int]
    label: str = ""
    tail: str = ""

    kind = "date"

    def start(self, year: int) -> datetime.date:
        """The first day of the period (in ``year`` when the text printed none)."""
        return _day(self.year or year, *self.first)

    def end(self, year: int) -> datetime.date:
        """The last day of the period (in ``year`` when the text printed none)."""
        return _day(self.year or year, *self.last)

    def __str__(self) -> str:
        return self.text.strip()


def _day(year: int, month: int, day: int) -> datetime.date:
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, last if day == 0 or day > last else day)


@dataclass(frozen=True, slots=True)
class Grade:
    """A qualitative word: a target (``效果显著``) or a completion (``达成预期指标``).

    ``band`` is set for completion words that say how far the target was reached.
    """

    text: str
    band: Band | None = None

    kind = "grade"


@dataclass(frozen=True, slots=True)
class Deadline:
    """An unquantified time limit: ``规定时间内``, ``及时受理``, ``按时``."""

    text: str

    kind = "deadline"


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """``不适用``, ``—``, ``/``, ``不涉及面向社会公众``."""

    text: str

    kind = "not_applicable"

    @property
    def placeholder(self) -> bool:
        """True for a bare mark (``/``, ``—``) rather than words saying 不适用."""
        return not _CJK.search(self.text)


@dataclass(frozen=True, slots=True)
class Nil:
    """A statement that nothing occurred: ``无``, ``未发现``, ``无行政诉讼案件``."""

    text: str

    kind = "nil"


@dataclass(frozen=True, slots=True)
class Compound:
    """Several clauses in one cell (``群众≥5000人；公司≥200家``), each judged on its own."""

    text: str
    clauses: tuple[Comparison | Range | Date | Grade, ...] = field(default_factory=tuple)

    kind = "compound"


_REASONS: dict[str, tuple[str, str]] = {
    "stray-before": ("stray characters {detail!r} before the number", "数字前有多余字符“{detail}”"),
    "stray-after": ("stray characters {detail!r} after the number", "数字后有多余字符“{detail}”"),
    "no-words": ("neither a number nor words", "既不是数字也不是文字"),
    "no-value": ("no number, grade or not-applicable word", "没有数值、等级词或不适用标记"),
    "empty": ("empty", "空白"),
    "descriptive": (
        "descriptive text without one measurable value",
        "描述性文字，没有单一可衡量的数值",
    ),
    "too-long": (
        "longer than {detail} characters: not one value",
        "超过{detail}个字符，不是单一数值",
    ),
    "out-of-range": (
        "the number {detail} is beyond any magnitude a form prints",
        "数字{detail}超出表格数值的合理范围",
    ),
}


@dataclass(frozen=True, slots=True)
class FreeText:
    """Text the parser could not read as a value; ``code`` says why (see :attr:`reason`)."""

    text: str
    code: str
    detail: str = ""

    kind = "free_text"

    @property
    def reason(self) -> str:
        """Why the text could not be read, in English."""
        return _REASONS[self.code][0].format(detail=self.detail)

    @property
    def reason_zh(self) -> str:
        """Why the text could not be read, in Chinese."""
        return _REASONS[self.code][1].format(detail=self.detail)


Value = Comparison | Range | Date | Grade | Deadline | NotApplicable | Nil | Compound | FreeText
