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

Thread safety: values are immutable; the only state is a bounded
:func:`functools.lru_cache` of parsed short texts, and arithmetic runs in a local
:class:`decimal.Context`, so the host program's context never changes a reading.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation, localcontext
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

from perfscore.errors import ValueTextError
from perfscore.text.script import simplify
from perfscore.text.units import (
    ARITHMETIC,
    DIMENSIONLESS,
    Unit,
    UnknownUnitError,
    resolve,
    unit_pattern,
    unknown,
)

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
    "words",
]

#: Texts longer than this (after normalisation) are descriptions, never one value; they are
#: not searched for one.
MAX_TEXT = 2000
#: Texts longer than this are read but not cached (a 100 KB cell must not stay in memory).
MAX_CACHED_TEXT = 256
#: Numbers beyond these powers of ten are not magnitudes any form prints.
MAX_EXPONENT = 18
MIN_EXPONENT = -12
MAX_DIGITS = 30


class Op(StrEnum):
    """A comparison operator of a target (or of an actual printed as a bound)."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="


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
        with localcontext(ARITHMETIC):
            object.__setattr__(self, "base", self.magnitude * self.unit.factor)

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
# Normalisation

# Characters NFKC leaves alone but forms use as comparators or separators.
_TRANSLATE = str.maketrans(
    {
        "≧": "≥",
        "⩾": "≥",
        "≦": "≤",
        "⩽": "≤",
        "═": "=",
        "＝": "=",
        "～": "~",
        "〜": "~",
        "—": "-",
        "–": "-",
        "－": "-",
        "﹪": "%",
        "“": "",
        "”": "",
        "‘": "",
        "’": "",
        '"': "",
        "'": "",
        "〇": "零",
    }
)
_WHITESPACE = re.compile(r"\s+")
_TRAILING = "。.;；,，、:：!！"
# A calendar year (2020年, 2021年度) is a date, never a duration: where a clause is not a date,
# forms print it as context.
_CALENDAR_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}年(?:度)?(?=.)")
# List enumerators at the start of a clause: 1. 2、 (3) （4）.
_ENUMERATOR = re.compile(
    r"^(?:\(\d{1,2}\)|（\d{1,2}）|\d{1,2}[、.．](?!\d)|\d{1,2}[.．](?=(?:19|20)\d{2}年))"
)
# A letter that is not ASCII: in these forms, a Chinese character.  Written as a class of
# categories rather than a code-point range, which the regex compiler builds far faster.
_HAN = r"[^\W\d_A-Za-z]"
_CJK = re.compile(_HAN)
# Numeric dates: 2024-06-30, 2024/6/30, 2024.6.30, 2024-06.
_NUMERIC_DATE = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})[-/.](1[0-2]|0?[1-9])[-/.]([12]\d|3[01]|0?[1-9])(?![\d.])"
)
_NUMERIC_MONTH = re.compile(r"(?<![\d.])((?:19|20)\d{2})[-/](1[0-2]|0?[1-9])(?![\d.%])")
# (含) / (含本数) beside 以上 and 以下 only repeats that the bound is included.
_INCLUDED = re.compile(
    r"\(含(?:本数)?\)(?=以上|以下|以内|-|~|至|到)|(?<=以上|以下|以内)\(含(?:本数)?\)"
)
# 80分(不含)以上 is a strict bound.
_EXCLUDED = re.compile(r"\(不含(?:本数)?\)(以上|以下)|(以上|以下)\(不含(?:本数)?\)")


def _normalise(text: str) -> str:
    text = simplify(unicodedata.normalize("NFKC", text)).translate(_TRANSLATE)
    text = text.replace(">=", "≥").replace("<=", "≤").replace("==", "=")
    text = _WHITESPACE.sub("", text)
    return text.rstrip(_TRAILING)


_PUNCTUATION = re.compile(r"[\W_]+")


def words(text: str) -> str:
    """A cell's words as compared with another cell's: normalised (simplified script, half-width)
    without white space or punctuation (``“明显改善。”`` → ``明显改善``)."""
    return _PUNCTUATION.sub("", _normalise(text[:MAX_TEXT]))


def _numeric_dates(text: str) -> str:
    if "-" not in text and "/" not in text and "." not in text:
        return text
    text = _NUMERIC_DATE.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text)
    return _NUMERIC_MONTH.sub(lambda m: f"{m[1]}年{int(m[2])}月", text)


def _bounds_words(text: str) -> str:
    if "含" not in text:
        return text
    text = _INCLUDED.sub("", text)
    return _EXCLUDED.sub(lambda m: "不含" + (m[1] or m[2]), text)


# --------------------------------------------------------------------------------------------
# Words

_NOT_APPLICABLE = re.compile(
    r"^(?:不适用|不涉及.*|无面向.*|-+|/+|\\|n/?a|N/?A|暂无指标|无此项|无此指标|不适宜)$"
)
_NIL = re.compile(
    rf"^(?:(?:无|没有|零)(?:{_HAN}|、)*"
    rf"|{_HAN}{{0,8}}?(?:未发现|未发生|未收到|未出现|未有)(?:{_HAN}|、)*)$"
)
_DEADLINE = re.compile(
    r"(?:规定|法定|约定|合同)?(?:时间|时限|期限|期)内|及时|按时|按期|限期|当日|当天"
)

_GOAL = r"(?:预期)?(?:目标|指标|要求|任务|效果)?$"
_BAND_WORDS: tuple[tuple[Band, re.Pattern[str]], ...] = (
    (
        Band.NONE,
        re.compile(
            rf"^(?:未(?:能)?(?:按时|按期|如期)?(?:达成|完成|实现|通过|达标)|不合格|没有完成|否){_GOAL}"
        ),
    ),
    (Band.PARTIAL, re.compile(rf"^部分(?:达成|完成|实现|达标){_GOAL}")),
    (Band.BASIC, re.compile(rf"^(?:基本(?:达成|完成|实现|达标|达到){_GOAL}|较好$)")),
    (
        Band.FULL,
        re.compile(
            r"^(?:全部|全面|已|均已|圆满|已?按时|已?按期|按合同|顺利|已?如期|已?提前|准时)?"
            rf"(?:达成|完成|实现|通过|达标|达到|合格){_GOAL}"
            r"|^是$|^已完成.*$|^(?:优秀|优|良好|良)$"
        ),
    ),
)
_GRADE_WORDS = re.compile(
    r"显著|明显|有效|提升|提高|促进|较好|良好|优秀|优良|较高|满意|积极|改善|增强|加强|"
    r"健全|建立|规范|稳定|保障|长期|持续|逐步|降低|减少|增加|作用|成效|效果|达到预期|"
    r"较为|完善|到位|好转|满足|合格|通过验收|认可|好评|一般|较差|很差|良|优|好|差"
)
# Single-character grades (中 差 好) only as the whole cell.
_SHORT_GRADE = re.compile(r"^(?:非常|很|较|比较|十分|基本|一般)?(?:中|中等|差|好|高|低)$")

# --------------------------------------------------------------------------------------------
# Numbers and comparators

_CN_DIGITS = "零一二两三四五六七八九"
_CN_NUMBER = "[零一二两三四五六七八九十百千万]+"
_NUMBER = (
    r"(?:\d+(?:\.\d+)?[eE][+-]?\d{1,3}(?![\d])"
    r"|\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
    rf"|{_CN_NUMBER})"
)
_CMP_WORDS: dict[str, Op] = {
    "≥": Op.GE,
    "不低于": Op.GE,
    "不少于": Op.GE,
    "不小于": Op.GE,
    "大于等于": Op.GE,
    "大于或等于": Op.GE,
    "高于或等于": Op.GE,
    "至少": Op.GE,
    "达到": Op.GE,
    "达": Op.GE,
    "不下于": Op.GE,
    "不低于或等于": Op.GE,
    "≤": Op.LE,
    "不超过": Op.LE,
    "不高于": Op.LE,
    "不多于": Op.LE,
    "不大于": Op.LE,
    "小于等于": Op.LE,
    "小于或等于": Op.LE,
    "低于或等于": Op.LE,
    "最多": Op.LE,
    "控制在": Op.LE,
    "不超出": Op.LE,
    "不超": Op.LE,
    ">": Op.GT,
    "高于": Op.GT,
    "大于": Op.GT,
    "超过": Op.GT,
    "超": Op.GT,
    "多于": Op.GT,
    "<": Op.LT,
    "低于": Op.LT,
    "小于": Op.LT,
    "少于": Op.LT,
    "不足": Op.LT,
    # A denied bound is the other side of it: 未达到90% is below 90%.
    "未达到": Op.LT,
    "未能达到": Op.LT,
    "没有达到": Op.LT,
    "没达到": Op.LT,
    "尚未达到": Op.LT,
    "未达": Op.LT,
    "未满": Op.LT,
    "不到": Op.LT,
    "未到": Op.LT,
    "未超过": Op.LE,
    "没有超过": Op.LE,
    "未超出": Op.LE,
    "未高于": Op.LE,
    "未低于": Op.GE,
    "=": Op.EQ,
    "等于": Op.EQ,
}
_POST_WORDS: dict[str, Op | None] = {
    "不含以上": Op.GT,
    "不含以下": Op.LT,
    "及以上": Op.GE,
    "或以上": Op.GE,
    "以上": Op.GE,
    "之上": Op.GE,
    "及以下": Op.LE,
    "或以下": Op.LE,
    "以下": Op.LE,
    "以内": Op.LE,
    "之内": Op.LE,
    "内": Op.LE,
    "左右": None,
    "上下": None,
}


def _alternation(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CMP = _alternation(_CMP_WORDS)
_POST = _alternation(_POST_WORDS)
_UNIT = unit_pattern()
_MULTIPLIERS = {
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "千": Decimal(1_000),
    "百": Decimal(100),
    "十万": Decimal(100_000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
}
# 千 before 米, 克, 瓦 is the SI prefix of a unit (千米 is a kilometre), not a multiplier.
_MULT = r"(?:十万|百万|千万|万|亿)(?!元)|千(?![米克瓦元分])"

_CLAUSE = re.compile(
    rf"^(?P<label>.*?)(?P<op>{_CMP})?(?P<approx>约|大约|近|将近)?(?P<num>{_NUMBER})"
    rf"(?P<mult>{_MULT})?(?P<plus>余|多)?(?P<unit>{_UNIT})?(?P<post>{_POST})?"
    rf"(?P<tail>.*)$"
)
_RANGE_MARKS = ("-", "~", "至", "到")


@cache
def _range() -> re.Pattern[str]:
    """Ranges are rare: their pattern is compiled the first time a cell could hold one."""
    return re.compile(
        rf"^(?P<label>[^\d]*?)(?:在|介于)?(?P<a>{_NUMBER})(?P<ma>{_MULT})?(?P<ua>{_UNIT})?"
        rf"(?:-|~|至|到)(?P<b>{_NUMBER})(?P<mb>{_MULT})?(?P<ub>{_UNIT})?"
        r"(?:\(含\))?(?:之间|区间|范围内?)?$"
    )


# The second half of a two-sided bound: 且≤100%, 并不高于5天, ，≤100%.
@cache
def _second_bound() -> re.Pattern[str]:
    """Compiled the first time a cell could need it."""
    return re.compile(rf"(?:且|并且|而且|同时|并|和|与|,|，|、)?(?=(?:{_CMP})\d)")


_EACH = re.compile(r"^(?:均为|均达到|均达|均是|全部为|全部达到|都为|都达到|皆为)")
# Commas between digits are thousands separators (4,262.41), never between clauses.
_CLAUSE_SPLIT = re.compile(r"(?<!\d)[;；,，。]|[;；。](?=\d)")

_CHINESE_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CHINESE_NUMERALS = frozenset(_CN_DIGITS + "十百千万")


def _chinese_number(text: str) -> Decimal | None:
    """一 … 九万九千九百九十九: the ``一年``, ``两次`` and ``一万五千人`` forms print."""
    total, section, current = 0, 0, 0
    for ch in text:
        if ch in _CHINESE_DIGITS:
            current = _CHINESE_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (current or 1) * _CN_UNITS[ch]
            current = 0
        elif ch == "万":
            total += (section + current or 1) * 10_000
            section = current = 0
        else:  # pragma: no cover - the regex admits only these characters
            return None
    return Decimal(total + section + current)


def _number(text: str) -> Decimal | None:
    """A printed number, or None when it is no magnitude a form prints (1e999, 10**10**6)."""
    if text[0] in _CHINESE_NUMERALS:
        return _chinese_number(text)
    digits = text.replace(",", "") if "," in text else text
    mantissa = re.split("[eE]", digits, maxsplit=1)[0] if "e" in digits.lower() else digits
    if len(mantissa) > MAX_DIGITS:
        return None
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return None
    if value and not MIN_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        return None
    return value


def plain(d: Decimal) -> str:
    """A Decimal as a person writes it: no exponent, no trailing zeros after the point."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


_plain = plain  # the name other modules still import


def _unit(label: str | None, noun: str = "") -> Unit | None:
    if not label:
        return DIMENSIONLESS if not noun else resolve("", noun)
    try:
        return resolve(label, noun)
    except UnknownUnitError:  # pragma: no cover - the regex admits only known units
        return None


# A short run of CJK after a counting word names what is counted (81个社区, 5家律所).
_NOUN = re.compile(rf"^{_HAN}{{1,6}}$")
# A short run of CJK straight after a number is a unit the table does not know (70箱子).
_UNKNOWN_UNIT = re.compile(rf"^{_HAN}{{1,3}}$")
_NOT_A_UNIT = re.compile(r"[的了是为及和与或等在以内上下左右前后底末]|完成|达到|以上")
# Text around a number that is only symbols is a typo (80&), not a label.
_SYMBOLS_ONLY = re.compile(r"^[\W\d_]+$")

# --------------------------------------------------------------------------------------------
# Compound numbers and durations: 1万5千, 2天半, 1小时30分钟, 半年

_MIXED = re.compile(r"(?<![\d.])(?:\d+(?:\.\d+)?(?:千万|百万|十万|亿|万|千|百)){2,}")
_MIXED_PART = re.compile(r"(\d+(?:\.\d+)?)(千万|百万|十万|亿|万|千|百)")
_DURATION = r"个小时|小时|个工作日|工作日|天|个月|月|周|年|分钟|分|秒"


@cache
def _two_durations_pattern() -> re.Pattern[str]:
    """Compiled the first time a cell could need it."""
    return re.compile(
        rf"(?<![\d.])(\d+(?:\.\d+)?|[一二两三四五六七八九十]+)({_DURATION})零?"
        rf"(\d+(?:\.\d+)?|[一二两三四五六七八九十]+)({_DURATION})(?!\d)"
    )


_AND_A_HALF = re.compile(
    r"(?<![\d.])(\d+|[一二两三四五六七八九十]+)(个小时|小时|个工作日|工作日|天|个月|年|周)半"
)
_A_HALF = re.compile(
    r"(?<![\d.零一二两三四五六七八九十上下前后每])半(个小时|小时|个工作日|工作日|天|个月|年)"
)


def _magnitude(text: str) -> Decimal:
    value = _number(text)
    return Decimal(0) if value is None else value


def _duration_unit(word: str) -> Unit:
    return resolve("分钟" if word == "分" else word)


def _compound_numbers(text: str) -> str:
    """Write compound numbers as one number: 1万5千人 → 15000人, 2天半 → 2.5天."""
    if _MIXED.search(text):
        text = _MIXED.sub(
            lambda m: plain(
                sum(
                    (Decimal(n) * _MULTIPLIERS[u] for n, u in _MIXED_PART.findall(m[0])),
                    Decimal(0),
                )
            ),
            text,
        )
    if "半" in text:
        text = _AND_A_HALF.sub(lambda m: f"{plain(_magnitude(m[1]) + Decimal('0.5'))}{m[2]}", text)
        text = _A_HALF.sub(lambda m: f"0.5{m[1]}", text)
    if _two_durations_pattern().search(text):
        text = _two_durations_pattern().sub(_two_durations, text)
    return text


def _two_durations(m: re.Match[str]) -> str:
    big, small = _duration_unit(m[2]), _duration_unit(m[4])
    if big.factor <= small.factor:
        return m[0]
    total = _magnitude(m[1]) * big.factor / small.factor + _magnitude(m[3])
    total = total.quantize(Decimal("1e-6")).normalize()
    return f"{plain(total)}{'分钟' if m[4] == '分' else m[4]}"


# --------------------------------------------------------------------------------------------
# Frequencies and rates: 每季度1次 = 1次/季度, 人均500元 = 500元/人

_PER_WORDS = (
    r"个工作日|工作日|季度|半年|小时|星期|个月|周|年|月|天|日|季"
    r"|人次|人|户|家|村|所|校|次|件|场|期|批"
)


@cache
def _per_pattern() -> re.Pattern[str]:
    """Compiled the first time a cell could need it."""
    return re.compile(
        rf"每(\d*)(?:个)?({_PER_WORDS})|(?<![{_CN_DIGITS}\d])(年|月|日|周|季|人|户)均"
    )


def _per(body: str) -> tuple[str, list[tuple[Decimal, str]]] | None:
    """Take 每季度 / 人均 out of a clause, leaving what is counted per that."""
    if "每" not in body and "均" not in body:
        return None
    pers: list[tuple[Decimal, str]] = []

    def take(m: re.Match[str]) -> str:
        if m[3]:
            pers.append((Decimal(1), m[3]))
        else:
            pers.append((Decimal(m[1] or 1), m[2]))
        return ""

    rest = _per_pattern().sub(take, body)
    return (rest, pers) if pers and rest != body else None


def _rate(value: Comparison, pers: list[tuple[Decimal, str]], text: str) -> Comparison | None:
    unit = value.quantity.unit
    if unit.is_number or unit.is_percent or "/" in unit.label or not unit.is_known:
        return None
    label = unit.label + "/" + "·".join(word for _, word in pers)
    try:
        rate = resolve(label, unit.noun)
    except UnknownUnitError:
        return None
    magnitude = value.quantity.magnitude
    with localcontext(ARITHMETIC):
        for count, _ in pers:
            magnitude = magnitude / count
    return replace(value, text=text, quantity=Quantity(magnitude, rate))


# --------------------------------------------------------------------------------------------
# Dates: 2024年6月底前, 第一季度, 上半年, 年底前, 完成时间为2022年12月30日, 9月前, 3月后

_CN_MONTH = "十二|十一|十|一|二|三|四|五|六|七|八|九"
_CN_MONTHS = {w: i for i, w in enumerate("一二三四五六七八九十", start=1)} | {
    "十一": 11,
    "十二": 12,
}


@cache
def _date_pattern() -> re.Pattern[str]:
    """Compiled the first time a cell could need it."""
    return re.compile(
        rf"^(?P<label>(?:{_HAN}{{0,10}}?(?:为|是|于|在|:))?|{_HAN}{{0,10}}?)"
        r"(?P<pre>不晚于|不迟于|不早于|早于|晚于|截至|截止到|截止至|截止|最迟|最晚|于|在)?"
        r"(?:(?P<year>(?:19|20)\d{2})年(?:度)?)?"
        r"(?:"
        rf"(?P<month>1[0-2]|0?[1-9]|{_CN_MONTH})月(?:份)?"
        r"(?:(?P<day>[12]\d|3[01]|0?[1-9])[日号])?(?P<part>底|末|初|上旬|中旬|下旬)?"
        r"|第?(?P<quarter>[1-4一二三四])季度(?P<qpart>末|底|初)?"
        r"|(?P<half>上|下)半年(?P<hpart>末|底|初)?"
        r"|(?P<yearpart>年底|年末|年内|年度内|年初|年中|底|末|内)"
        r")?"
        r"(?P<post>之前|以前|前|止|以内|之内|内|之后|以后|后|起|开始)?"
        rf"(?P<tail>{_HAN}{{0,10}})$"
    )


# What a date may be followed by: nothing, or what was (to be) done then (前完成招标, 已完成).
@cache
def _completion() -> re.Pattern[str]:
    """Compiled the first time a cell could need it."""
    return re.compile(
        r"^(?:前|内|之前|以前)?(?:全部|全面|已|已经|如期|按期|按时|基本|顺利)?"
        r"(?:(?:完成|完工|竣工|办结|结束|实施|开工|启动|到位|交付|上线|验收|投入使用|投用|建成|拨付|"
        r"支付|发放|兑现|下达|完毕|结项|结题|落实|开展|召开|举办|印发|出台|制定|组织|提交|上报|报送)"
        rf"{_HAN}{{0,8}})?$"
    )


_DATE_PRE = ("不晚于", "不迟于", "不早于", "早于", "晚于", "截至", "截止")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4}
_DATE_HINT = re.compile(r"[月季]|半年|年[底末内初中]|^(?:19|20)\d\d年|(?:19|20)\d\d年(?:度)?$")


def _date(text: str, body: str) -> Date | None:
    m = _date_pattern().match(body)
    if m is None:
        return None
    year = int(m["year"]) if m["year"] else None
    period = m["month"] or m["quarter"] or m["half"] or m["yearpart"]
    pre, post, tail, label = m["pre"], m["post"], m["tail"], m["label"]
    if not _completion().match(tail) or not (year or period):
        return None
    if label and (_CJK.sub("", label) not in ("", ":") or len(label) > 12):
        return None
    for word in _DATE_PRE:
        if not pre and label.endswith(word):
            label, pre = label[: -len(word)], word
            break
    if pre in ("于", "在"):
        label, pre = label + pre, None
    if m["month"]:
        month = _CN_MONTHS.get(m["month"]) or int(m["month"])
        if not (year or m["day"] or m["part"] or pre or post or tail) and not (
            label and label[-1] in "为是于在:"
        ):
            return None  # 6月 (周期6月) is six months as often as June: the engine decides
        part = m["part"]
        if m["day"]:
            first = last = (month, int(m["day"]))
        elif part in ("底", "末"):
            first = last = (month, 0)
        elif part in ("初", "上旬"):
            first, last = (month, 1), (month, 10)
        elif part == "中旬":
            first, last = (month, 11), (month, 20)
        elif part == "下旬":
            first, last = (month, 21), (month, 0)
        else:
            first, last = (month, 1), (month, 0)
        precise = bool(m["day"] or part in ("底", "末"))
    elif m["quarter"]:
        q = _QUARTERS.get(m["quarter"]) or int(m["quarter"])
        first, last = (3 * q - 2, 1), (3 * q, 0)
        if m["qpart"] in ("末", "底"):
            first = last
        elif m["qpart"] == "初":
            last = (3 * q - 2, 0)
        precise = m["qpart"] in ("末", "底")
    elif m["half"]:
        first, last = ((1, 1), (6, 0)) if m["half"] == "上" else ((7, 1), (12, 0))
        if m["hpart"] in ("末", "底"):
            first = last
        precise = m["hpart"] in ("末", "底")
    elif m["yearpart"]:
        yp = m["yearpart"]
        if yp in ("底", "末", "内") and not year:
            return None
        first, last = {
            "年底": ((12, 0), (12, 0)),
            "年末": ((12, 0), (12, 0)),
            "底": ((12, 0), (12, 0)),
            "末": ((12, 0), (12, 0)),
            "年初": ((1, 1), (1, 0)),
            "年中": ((6, 0), (6, 0)),
        }.get(yp, ((1, 1), (12, 0)))
        precise = yp not in ("年初",)
        if yp in ("年内", "年度内", "内") and post is None:
            post = "内"
    else:
        if not (pre or post or tail or label) and m["year"] and body != m[0]:
            return None
        first, last = (1, 1), (12, 0)
        precise = False
    op: Op | None = None
    if pre in ("不晚于", "不迟于", "截至", "截止到", "截止至", "截止", "最迟", "最晚"):
        op = Op.LE
    elif pre == "不早于":
        op = Op.GE
    elif pre == "早于":
        op = Op.LT
    elif pre == "晚于":
        op = Op.GT
    if post in ("前", "之前", "以前"):
        # 6月底前 and 6月30日前 include the day named; 6月前 is before June begins.
        op = Op.LE if precise else Op.LT
    elif post in ("止", "内", "以内", "之内"):
        op = Op.LE
    elif post in ("后", "之后", "以后"):
        op = Op.GT
    elif post in ("起", "开始"):
        op = Op.GE
    elif tail.startswith("前"):
        op = Op.LE if precise else Op.LT
    return Date(text, op, year, first, last, label, tail)


def as_date(value: Comparison) -> Date | None:
    """A bare ``9月`` (nine months, as read) taken as September, for comparing with a date."""
    q = value.quantity
    if (
        value.op is None
        and q.unit.label == "月"
        and q.magnitude == q.magnitude.to_integral_value()
        and 1 <= q.magnitude <= 12
    ):
        month = int(q.magnitude)
        return Date(value.text, None, None, (month, 1), (month, 0), value.label, value.tail)
    return None


# --------------------------------------------------------------------------------------------
# One clause

Clause = Comparison | Range | Date | Grade | Deadline | Nil | NotApplicable | FreeText


def _clause(text: str) -> Clause:
    """Read one clause (no separators inside)."""
    if _NOT_APPLICABLE.match(text):
        return NotApplicable(text)
    for band, pattern in _BAND_WORDS:
        if pattern.match(text):
            return Grade(text, band)
    if _NIL.match(text):
        return Nil(text)
    if _DATE_HINT.search(text):
        date = _date(text, text)
        if date is not None:
            return date
    text_no_year = _CALENDAR_YEAR.sub("", text)
    if not text_no_year:
        return FreeText(text, "no-value")
    if text_no_year != text and _NIL.match(text_no_year):
        return Nil(text)

    each = False
    body = _compound_numbers(text_no_year)
    m_each = _EACH.match(body)
    if m_each:
        each = True
        body = body[m_each.end() :]

    per = _per(body)
    if per is not None:
        rest, pers = per
        inner = _clause(rest) if rest else None
        if isinstance(inner, Comparison):
            rate = _rate(inner, pers, text)
            if rate is not None:
                return rate

    two = _two_sided(text, body)
    if two is not None:
        return two
    m = _range().match(body) if any(mark in body for mark in _RANGE_MARKS) else None
    if m and not _SYMBOLS_ONLY.match(m["label"] or "x"):
        a, b = _number(m["a"]), _number(m["b"])
        ua = _unit(m["ua"] or m["ub"])
        ub = _unit(m["ub"] or m["ua"])
        if a is not None and b is not None and ua is not None and ub is not None:
            if m["ma"]:
                a *= _MULTIPLIERS[m["ma"]]
            if m["mb"] or m["ma"]:
                b *= _MULTIPLIERS[m["mb"] or m["ma"]]
            qa, qb = Quantity(a, ua), Quantity(b, ub)
            if qa.unit.dimension == qb.unit.dimension:
                low, high = (qa, qb) if qa.base <= qb.base else (qb, qa)
                return Range(text, low, high, m["label"])

    return _comparison(text, body, each)


def _comparison(text: str, body: str, each: bool) -> Clause:
    m = _CLAUSE.match(body)
    if m and m["num"][0] in _CHINESE_NUMERALS and (m["label"] or m["tail"] or not m["unit"]):
        m = None  # 一 inside words (一线, 进一步) is not a number; 一年 and 两次 are
    if m:
        magnitude = _number(m["num"])
        label, tail = m["label"], m["tail"]
        if magnitude is None:
            return FreeText(text, "out-of-range", m["num"][:24])
        if not _SYMBOLS_ONLY.match(tail or "x"):
            if m["mult"]:
                with localcontext(ARITHMETIC):
                    magnitude *= _MULTIPLIERS[m["mult"]]
            noun = ""
            unit_word = m["unit"]
            if (
                unit_word
                and not m["post"]
                and _NOUN.match(tail)
                and resolve(unit_word).dimension == "[count]"
            ):
                noun, tail = tail, ""
            unit = _unit(unit_word, noun)
            if (
                not unit_word
                and not m["post"]
                and _UNKNOWN_UNIT.match(tail)
                and not _NOT_A_UNIT.search(tail)
                and not _GRADE_WORDS.search(tail)
            ):
                unit, tail = unknown(tail), ""
            op = _CMP_WORDS[m["op"]] if m["op"] else None
            approximate = bool(m["approx"] or m["plus"])
            if op is None and m["approx"] in ("近", "将近"):
                op = Op.LT  # 近1000人 is a little short of 1000, never 1000 itself
            if m["post"]:
                post_op = _POST_WORDS[m["post"]]
                if post_op is None:
                    approximate = True
                elif op is None or op is Op.LE or m["post"].startswith("不含"):
                    op = post_op  # 控制在0.5%以内; 80分(不含)以上
            if label and _SYMBOLS_ONLY.match(label) and not each:
                return FreeText(text, "stray-before", label)
            if unit is not None:
                return Comparison(
                    text, op, Quantity(magnitude, unit), label, tail, approximate, each
                )
        else:
            return FreeText(text, "stray-after", tail)

    if _DEADLINE.search(text):
        return Deadline(text)
    if len(text) <= 24 and (_GRADE_WORDS.search(text) or _SHORT_GRADE.match(text)):
        return Grade(text)
    if not _CJK.search(text):
        return FreeText(text, "no-words")
    return FreeText(text, "no-value")


_LOWER_OPS = (Op.GE, Op.GT)
_UPPER_OPS = (Op.LE, Op.LT)


def _two_sided(text: str, body: str) -> Range | None:
    """≥80%且≤100%, 不低于60分并不高于80分, 80%以上100%以下: one range."""
    if len(body) > 60 or not _could_be_two_sided(body):
        return None
    candidates = [
        (body[: m.start()], body[m.end() :])
        for m in _second_bound().finditer(body)
        if m.end() < len(body) and _DIGIT.search(body[: m.start()])
    ]
    for post in ("以上", "之上"):
        cut = body.find(post)
        if cut > 0 and cut + len(post) < len(body):
            candidates.append(
                (body[: cut + len(post)], body[cut + len(post) :].lstrip("且并,，、"))
            )
    for halves in candidates[:4]:
        found = _range_of(text, *halves)
        if found is not None:
            return found
    return None


_DIGIT = re.compile(r"\d")
_TWO_SIDED_WORDS = (
    *("且", "并", "以上", "之上", "高于", "超过"),
    *("小于", "低于", "大于", "至多", "最多"),
)


def _could_be_two_sided(body: str) -> bool:
    """A cheap test before the halves are tried: two symbols, or a joining or bounding word."""
    symbols = body.count("≥") + body.count("≤") + body.count(">") + body.count("<")
    return symbols >= 2 or (symbols + len(body) > 3 and any(w in body for w in _TWO_SIDED_WORDS))


def _range_of(text: str, *halves: str) -> Range | None:
    first, second = (_comparison(h, h, False) for h in halves)
    if not (isinstance(first, Comparison) and isinstance(second, Comparison)):
        return None
    if first.tail or second.tail or second.label:
        return None
    lo, hi = (first, second) if first.op in _LOWER_OPS else (second, first)
    if lo.op not in _LOWER_OPS or hi.op not in _UPPER_OPS:
        return None
    lq, hq = lo.quantity, hi.quantity
    # 80且≤100% : a unit printed once applies to both ends.
    if lq.unit.is_number and not hq.unit.is_number:
        lq = Quantity(lq.magnitude, hq.unit)
    elif hq.unit.is_number and not lq.unit.is_number:
        hq = Quantity(hq.magnitude, lq.unit)
    if lq.unit.dimension != hq.unit.dimension or lq.base > hq.base:
        return None
    assert lo.op is not None  # checked above
    assert hi.op is not None
    return Range(text, lq, hq, first.label, lo.op, hi.op)


# --------------------------------------------------------------------------------------------
# A whole cell

_MEASURABLE = (Comparison, Range, Date, Grade)


# Targets and completions that name full coverage in words.
_FULL_COVERAGE = re.compile(
    r"^(?:实现|做到|达到|已|已经)?(?:全覆盖|全面覆盖|全部覆盖|覆盖全部|全员覆盖|全域覆盖|100%覆盖)$"
)


def _parse(text: str) -> Value:
    normal = _normalise(text)
    if not normal:
        return FreeText(text, "empty")
    if len(normal) > MAX_TEXT:
        return FreeText(text, "too-long", str(MAX_TEXT))
    normal = _bounds_words(_numeric_dates(normal))
    parts = [_ENUMERATOR.sub("", p) for p in _CLAUSE_SPLIT.split(normal)]
    parts = [p for p in parts if p]
    if len(parts) > 1:
        two = _two_sided(text, normal)
        if two is not None:
            return two
        clauses = [_clause(p) for p in parts]
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
    single = _clause(normal)
    if isinstance(single, (Comparison, Date)) and len(single.label) + len(single.tail) > 24:
        return FreeText(text, "descriptive")
    return _retext(single, text)


_cached = lru_cache(maxsize=65_536)(_parse)


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
    of them), so re-reading the same cell is free.

    :raises ValueTextError: if ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise ValueTextError(f"parse_value expects a string, got {type(text).__name__}")
    if len(text) > MAX_CACHED_TEXT:
        return _parse(text)
    return _cached(text)
