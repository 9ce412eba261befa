"""The indicator-value language: a printed target or actual (年度指标值 / 实际完成值) as data.

:func:`parse_value` reads one cell exactly as printed — ``≥90%``, ``≧50人``, ``550 件以上``,
``不低于 90%``, ``1个工作日内``, ``12000余人次``, ``群众≥5000人；公司≥200家``, ``效果显著``,
``不适用`` — into one of a few frozen value types.  It never raises for any string: what it
cannot read comes back as :class:`FreeText` with the reason.

Reading is purely textual.  Decisions that need context (the direction of a target printed
without a comparator, a bare ``0.9`` against a percentage target) belong to the engine, which
reports them as flags.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

from perfscore.errors import ValueTextError
from perfscore.units import DIMENSIONLESS, Unit, UnknownUnitError, resolve, unit_pattern

__all__ = [
    "Band",
    "Comparison",
    "Compound",
    "Deadline",
    "FreeText",
    "Grade",
    "Nil",
    "NotApplicable",
    "Op",
    "Quantity",
    "Range",
    "Value",
    "parse_value",
]


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
    """A number with its unit as printed (``16人``, ``96.86%``, ``3月/次``)."""

    magnitude: Decimal
    unit: Unit = DIMENSIONLESS

    @property
    def base(self) -> Decimal:
        """The magnitude in the dimension's base unit (a fraction for percentages)."""
        return self.magnitude * self.unit.factor

    def __str__(self) -> str:
        return f"{_plain(self.magnitude)}{self.unit}"


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
    """A closed interval ``80%-90%`` (either end may be printed first)."""

    text: str
    low: Quantity
    high: Quantity
    label: str = ""

    kind = "range"


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
    clauses: tuple[Comparison | Range | Grade, ...] = field(default_factory=tuple)

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


Value = Comparison | Range | Grade | Deadline | NotApplicable | Nil | Compound | FreeText


def _reduce(self: Any) -> tuple[Any, ...]:
    """Pickle a value as its text when that is how it was read (results cross processes in
    batches, and re-reading cached text is far cheaper than rebuilding the objects); else as
    its fields."""
    text = getattr(self, "text", None)
    if isinstance(text, str) and _parse(text) is self:
        return (parse_value, (text,))
    return (type(self), tuple(getattr(self, name) for name in self.__slots__))


for _cls in (Quantity, Comparison, Range, Grade, Deadline, NotApplicable, Nil, Compound, FreeText):
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
    }
)
_WHITESPACE = re.compile(r"\s+")
# A calendar year (2020年, 2021年度) is a date, never a duration: forms print it as context.
_CALENDAR_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}年(?:度)?(?=.)")
# List enumerators at the start of a clause: 1. 2、 (3) （4）.
_ENUMERATOR = re.compile(
    r"^(?:\(\d{1,2}\)|（\d{1,2}）|\d{1,2}[、.．](?!\d)|\d{1,2}[.．](?=(?:19|20)\d{2}年))"
)
_TRAILING = re.compile(r"[。.;；,，、:：!！]+$")
# A letter that is not ASCII: in these forms, a Chinese character.  Written as a class of
# categories rather than a code-point range, which the regex compiler builds far faster.
_HAN = r"[^\W\d_A-Za-z]"
_CJK = re.compile(_HAN)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    text = text.replace(">=", "≥").replace("<=", "≤").replace("==", "=")
    text = _WHITESPACE.sub("", text)
    return _TRAILING.sub("", text)


# --------------------------------------------------------------------------------------------
# Words

_NOT_APPLICABLE = re.compile(r"^(?:不适用|不涉及.*|无面向.*|-+|/+|\\|n/?a|N/?A|暂无指标|无此项)$")
_NIL = re.compile(
    rf"^(?:(?:无|没有|零)(?:{_HAN}|、)*"
    rf"|{_HAN}{{0,8}}?(?:未发现|未发生|未收到|未出现|未有)(?:{_HAN}|、)*)$"
)
_DEADLINE = re.compile(
    r"(?:规定|法定|约定|合同)?(?:时间|时限|期限|期)内|及时|按时|按期|限期|当日|当天"
)

_GOAL = r"(?:预期)?(?:目标|指标|要求|任务|效果)?$"
_BAND_WORDS: tuple[tuple[Band, re.Pattern[str]], ...] = (
    (Band.NONE, re.compile(rf"^(?:未达成|未完成|未实现|未通过|未达标|不合格|没有完成|否){_GOAL}")),
    (Band.PARTIAL, re.compile(rf"^部分(?:达成|完成|实现|达标){_GOAL}")),
    (Band.BASIC, re.compile(rf"^(?:基本(?:达成|完成|实现|达标|达到){_GOAL}|较好$)")),
    (
        Band.FULL,
        re.compile(
            r"^(?:全部|全面|已|均已|圆满|按时|按合同|顺利|如期)?"
            rf"(?:达成|完成|实现|通过|达标|达到|合格){_GOAL}"
            r"|^是$|^已完成.*$|^(?:优秀|优|良好|良)$"
        ),
    ),
)
_GRADE_WORDS = re.compile(
    r"显著|明显|有效|提升|提高|促进|较好|良好|优秀|优良|较高|满意|积极|改善|增强|加强|"
    r"健全|建立|规范|稳定|保障|长期|持续|逐步|降低|减少|增加|作用|成效|效果|达到预期|"
    r"较为|完善|到位|好转|满足"
)

# --------------------------------------------------------------------------------------------
# Numbers and comparators

_NUMBER = r"(?:\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+|[一二两三四五六七八九十百]+)"
_CMP_WORDS: dict[str, Op] = {
    "≥": Op.GE,
    "不低于": Op.GE,
    "不少于": Op.GE,
    "不小于": Op.GE,
    "大于等于": Op.GE,
    "大于或等于": Op.GE,
    "至少": Op.GE,
    "达到": Op.GE,
    "达": Op.GE,
    "不下于": Op.GE,
    "≤": Op.LE,
    "不超过": Op.LE,
    "不高于": Op.LE,
    "不多于": Op.LE,
    "不大于": Op.LE,
    "小于等于": Op.LE,
    "小于或等于": Op.LE,
    "最多": Op.LE,
    "控制在": Op.LE,
    "不超出": Op.LE,
    ">": Op.GT,
    "高于": Op.GT,
    "大于": Op.GT,
    "超过": Op.GT,
    "多于": Op.GT,
    "<": Op.LT,
    "低于": Op.LT,
    "小于": Op.LT,
    "少于": Op.LT,
    "不足": Op.LT,
    "=": Op.EQ,
    "等于": Op.EQ,
    "为": Op.EQ,
}
_POST_WORDS: dict[str, Op | None] = {
    "及以上": Op.GE,
    "以上": Op.GE,
    "之上": Op.GE,
    "及以下": Op.LE,
    "以下": Op.LE,
    "以内": Op.LE,
    "之内": Op.LE,
    "内": Op.LE,
    "左右": None,
}


def _alternation(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CMP = _alternation(_CMP_WORDS)
_POST = _alternation(_POST_WORDS)
_UNIT = unit_pattern()
_MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1_000)}

_CLAUSE = re.compile(
    rf"^(?P<label>.*?)(?P<op>{_CMP})?(?P<approx>约|大约|近|将近)?(?P<num>{_NUMBER})"
    rf"(?P<mult>[万亿千](?!元))?(?P<plus>余|多)?(?P<unit>{_UNIT})?(?P<post>{_POST})?"
    rf"(?P<tail>.*)$"
)
_RANGE_MARKS = ("-", "~", "至", "到")


@cache
def _range() -> re.Pattern[str]:
    """Ranges are rare: their pattern is compiled the first time a cell could hold one."""
    return re.compile(
        rf"^(?P<label>[^\d]*?)(?P<a>{_NUMBER})(?P<ua>{_UNIT})?(?:-|~|至|到)"
        rf"(?P<b>{_NUMBER})(?P<ub>{_UNIT})?(?:\(含\))?$"
    )


_EACH = re.compile(r"^(?:均为|均达到|均达|均是|全部为|全部达到|都为|都达到|皆为)")
_CLAUSE_SPLIT = re.compile(r"(?<!\d)[;；,，。](?!\d)|[;；。](?=\d)")

_CHINESE_NUMERALS = frozenset("一二两三四五六七八九十百")
_CHINESE_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _chinese_number(text: str) -> Decimal | None:
    """一 … 九百九十九: enough for the ``一年`` and ``两次`` that forms print."""
    total, current = 0, 0
    for ch in text:
        if ch in _CHINESE_DIGITS:
            current = _CHINESE_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return Decimal(total + current)


def _number(text: str) -> Decimal | None:
    if text[0] in _CHINESE_NUMERALS:
        return _chinese_number(text)
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return None


def _plain(d: Decimal) -> str:
    """A Decimal as a person writes it: no exponent, no trailing zeros after the point."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _unit(label: str | None, noun: str = "") -> Unit | None:
    if not label:
        return DIMENSIONLESS if not noun else resolve("", noun)
    try:
        return resolve(label, noun)
    except UnknownUnitError:  # pragma: no cover - the regex admits only known units
        return None


# A short run of CJK after a counting word names what is counted (81个社区, 5家律所).
_NOUN = re.compile(rf"^{_HAN}{{1,6}}$")
# Text around a number that is only symbols is a typo (80&), not a label.
_SYMBOLS_ONLY = re.compile(r"^[\W\d_]+$")


def _clause(text: str) -> Comparison | Range | Grade | Deadline | Nil | NotApplicable | FreeText:
    """Read one clause (no separators inside)."""
    if _NOT_APPLICABLE.match(text):
        return NotApplicable(text)
    for band, pattern in _BAND_WORDS:
        if pattern.match(text):
            return Grade(text, band)
    if _NIL.match(text):
        return Nil(text)

    each = False
    body = text
    m_each = _EACH.match(body)
    if m_each:
        each = True
        body = body[m_each.end() :]

    m = _range().match(body) if any(mark in body for mark in _RANGE_MARKS) else None
    if m and not _SYMBOLS_ONLY.match(m["label"] or "x"):
        a, b = _number(m["a"]), _number(m["b"])
        ua = _unit(m["ua"] or m["ub"])
        ub = _unit(m["ub"] or m["ua"])
        if a is not None and b is not None and ua is not None and ub is not None:
            qa, qb = Quantity(a, ua), Quantity(b, ub)
            low, high = (qa, qb) if qa.base <= qb.base else (qb, qa)
            return Range(text, low, high, m["label"])

    m = _CLAUSE.match(body)
    if m and m["num"][0] in _CHINESE_NUMERALS and (m["label"] or m["tail"] or not m["unit"]):
        m = None  # 一 inside words (一线, 进一步) is not a number; 一年 and 两次 are
    if m:
        magnitude = _number(m["num"])
        label, tail = m["label"], m["tail"]
        if magnitude is not None and not _SYMBOLS_ONLY.match(tail or "x"):
            if m["mult"]:
                magnitude *= _MULTIPLIERS[m["mult"]]
            noun = ""
            if (
                m["unit"]
                and not m["post"]
                and _NOUN.match(tail)
                and resolve(m["unit"]).dimension == "[count]"
            ):
                noun, tail = tail, ""
            elif m["unit"] and m["post"] is None and tail.startswith(("以上", "以下", "以内")):
                pass  # handled by the regex; kept for clarity
            unit = _unit(m["unit"], noun)
            op = _CMP_WORDS[m["op"]] if m["op"] else None
            approximate = bool(m["approx"] or m["plus"])
            if m["post"]:
                post_op = _POST_WORDS[m["post"]]
                if post_op is None:
                    approximate = True
                elif op is None or op is Op.LE:  # 控制在0.5%以内
                    op = post_op
            if label and _SYMBOLS_ONLY.match(label) and not each:
                return FreeText(text, "stray-before", label)
            if unit is not None:
                return Comparison(
                    text, op, Quantity(magnitude, unit), label, tail, approximate, each
                )
        elif magnitude is not None:
            return FreeText(text, "stray-after", tail)

    if _DEADLINE.search(text):
        return Deadline(text)
    if _GRADE_WORDS.search(text) and len(text) <= 24:
        return Grade(text)
    if not _CJK.search(text):
        return FreeText(text, "no-words")
    return FreeText(text, "no-value")


_MEASURABLE = (Comparison, Range, Grade)


@lru_cache(maxsize=65_536)
def _parse(text: str) -> Value:
    normal = _CALENDAR_YEAR.sub("", _normalise(text))
    if not normal:
        return FreeText(text, "empty")
    parts = [_ENUMERATOR.sub("", p) for p in _CLAUSE_SPLIT.split(normal)]
    parts = [p for p in parts if p]
    if len(parts) > 1:
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
    single = _clause(normal)
    if isinstance(single, Comparison) and len(single.label) + len(single.tail) > 24:
        return FreeText(text, "descriptive")
    if isinstance(single, (Comparison, Range, Grade, Deadline, Nil, NotApplicable, FreeText)):
        return _retext(single, text)
    return single  # pragma: no cover


def _retext(value: Value, text: str) -> Value:
    """Keep the text exactly as printed on the value returned to the caller."""
    if value.text == text:
        return value
    from dataclasses import replace

    return replace(value, text=text)


def parse_value(text: str) -> Value:
    """Read one printed target or actual (年度指标值 / 实际完成值).

    >>> parse_value("≥90%")
    Comparison(text='≥90%', op=<Op.GE: '>='>, quantity=Quantity(magnitude=Decimal('90'), ...), ...)

    Any string is accepted; text that is not a value comes back as :class:`FreeText`.
    Results are cached per distinct text, so re-reading the same cell is free.

    :raises ValueTextError: if ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise ValueTextError(f"parse_value expects a string, got {type(text).__name__}")
    return _parse(text)


#: A Decimal as a person writes it (``Decimal("4.90")`` → ``"4.9"``); shared with the reports.
plain = _plain
