"""Numbers as forms print them: the one number reader of the package.

Digits with thousands separators and exponents (``4,262.41``, ``1.2E+05``), Chinese numerals
(``两``, ``一万五千``), multipliers (``48万``, ``1.2亿``) and compound numbers and durations
(``1万5千``, ``2天半``, ``1小时30分钟``).  :func:`read_number` reads a whole cell that is one
number; the value grammar (:mod:`perfscore.text.clauses`) uses the patterns and
:func:`number` to read numbers inside text.

Magnitudes are bounded: a number beyond any a form prints (``1e999``, thirty-one digits) is
not read as one, so no arithmetic ever runs on it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext
from functools import cache

from perfscore.text.normalise import normalise
from perfscore.text.units import ARITHMETIC, Unit, resolve

__all__ = [
    "CHINESE_NUMERALS",
    "CN_DIGITS",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "MIN_EXPONENT",
    "MULTIPLIER",
    "MULTIPLIERS",
    "NUMBER",
    "chinese_number",
    "compound_numbers",
    "number",
    "percent_words",
    "plain",
    "read_number",
]

#: Numbers beyond these powers of ten are not magnitudes any form prints.
MAX_EXPONENT = 18
MIN_EXPONENT = -12
MAX_DIGITS = 30

#: Chinese digits as printed (〇 is read as 零 by the normaliser).
CN_DIGITS = "零一二两三四五六七八九"
#: Characters that start a Chinese numeral.
CHINESE_NUMERALS = frozenset(CN_DIGITS + "十百千万")
_CN_NUMBER = "[零一二两三四五六七八九十百千万]+"
#: One printed number: exponent notation, grouped thousands, decimals, Chinese numerals.
NUMBER = (
    r"(?:\d+(?:\.\d+)?[eE][+-]?\d+"
    r"|\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
    rf"|{_CN_NUMBER})"
)
#: A multiplier printed after a number (48万, 1.2亿), with its size.
MULTIPLIERS: dict[str, Decimal] = {
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "千": Decimal(1_000),
    "百": Decimal(100),
    "十万": Decimal(100_000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
}
#: A multiplier after a number.  千 before 米, 克, 瓦 is the SI prefix of a unit (千米 is a
#: kilometre), and 万元, 千元 are money units, not multipliers.
MULTIPLIER = r"(?:十万|百万|千万|万|亿)(?!元)|千(?![米克瓦元分])"

_CHINESE_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> Decimal | None:
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
        else:
            return None
    return Decimal(total + section + current)


def number(text: str) -> Decimal | None:
    """A number matched by :data:`NUMBER`, or None when it is no magnitude a form prints
    (1e999, 10**10**6)."""
    if text[0] in CHINESE_NUMERALS:
        return chinese_number(text)
    digits = text.replace(",", "") if "," in text else text
    mantissa, _, exponent = digits.lower().partition("e")
    if len(mantissa) > MAX_DIGITS or len(exponent.lstrip("+-")) > 3:
        return None
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return None
    if value and not MIN_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        return None
    return value


_CELL = re.compile(rf"(?P<sign>[+-]?)(?P<num>{NUMBER})(?P<mult>{MULTIPLIER})?")


def read_number(text: str) -> Decimal | None:
    """A cell that is one number, as a Decimal; None for anything else.

    Full-width and traditional forms are read (``１，２３４．５``, ``1.2萬``), thousands
    separators and exponents (``1,234.5``, ``1.2E+05``), Chinese numerals (``两``) and the
    multipliers 万, 亿, 千, 百 (``48万`` → 480000).  Units, words and numbers beyond any
    magnitude a form prints are not numbers here.

    >>> read_number("1,234.5"), read_number("1.2E+05"), read_number("1.5亿")
    (Decimal('1234.5'), Decimal('1.2E+5'), Decimal('150000000.0'))
    """
    m = _CELL.fullmatch(normalise(text))
    if m is None:
        return None
    value = number(m["num"])
    if value is None:
        return None
    with localcontext(ARITHMETIC):
        if m["mult"]:
            value *= MULTIPLIERS[m["mult"]]
        return -value if m["sign"] == "-" else value


def plain(d: Decimal) -> str:
    """A Decimal as a person writes it: no exponent, no trailing zeros after the point."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


# --------------------------------------------------------------------------------------------
# Compound numbers and durations: 1万5千, 2天半, 1小时30分钟, 半年

_MIXED = re.compile(r"(?<![\d.])(?:\d+(?:\.\d+)?(?:千万|百万|十万|亿|万|千|百)){2,}")
_MIXED_PART = re.compile(r"(\d+(?:\.\d+)?)(千万|百万|十万|亿|万|千|百)")
_DURATION = r"个小时|小时|个工作日|工作日|天|个月|月|周|年|分钟|分|秒"
# Cheap tests before the patterns above are searched: each needs two multipliers, or two
# duration words (each of which holds one of these characters).
_TWO_MULTIPLIERS = re.compile("[千百万亿].*?[千百万亿]")
_TWO_DURATION_WORDS = re.compile("[时日天月周年分秒].*?[时日天月周年分秒]")


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
    value = number(text)
    return Decimal(0) if value is None else value


def _duration_unit(word: str) -> Unit:
    return resolve("分钟" if word == "分" else word)


def _mixed(m: re.Match[str]) -> str:
    parts = (Decimal(n) * MULTIPLIERS[u] for n, u in _MIXED_PART.findall(m[0]))
    return plain(sum(parts, Decimal(0)))


# A percentage in words: 百分之九十, 百分之95, 九成, 九成五, 8成.
_PERCENT_WORDS = re.compile(
    r"百分之(\d+(?:\.\d+)?|[零一二两三四五六七八九十百]+)"
    r"|(?<![\d.零一二两三四五六七八九十])(\d|[一二两三四五六七八九十])成([一二三四五六七八九])?(?![\d%])"
)
_CN_DIGIT = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"两": 2, "十": 10}


def _percent_words(m: re.Match[str]) -> str:
    if m[1]:
        return f"{plain(_magnitude(m[1]))}%"
    tenths = int(m[2]) if m[2].isdigit() else _CN_DIGIT[m[2]]
    return f"{tenths * 10 + (_CN_DIGIT[m[3]] if m[3] else 0)}%"


def percent_words(text: str) -> str:
    """A percentage printed in words as a number: 百分之九十 → 90%, 九成五 → 95%."""
    if "百分之" not in text and "成" not in text:
        return text
    return _PERCENT_WORDS.sub(_percent_words, text)


def compound_numbers(text: str) -> str:
    """Write compound numbers as one number: 1万5千人 → 15000人, 2天半 → 2.5天."""
    # In the module's own context: the result is cached process-wide, so the caller's
    # context (prec=3, ROUND_UP) must not shape it.
    with localcontext(ARITHMETIC):
        if _TWO_MULTIPLIERS.search(text) and _MIXED.search(text):
            text = _MIXED.sub(_mixed, text)
        if "半" in text:
            text = _AND_A_HALF.sub(
                lambda m: f"{plain(_magnitude(m[1]) + Decimal('0.5'))}{m[2]}", text
            )
            text = _A_HALF.sub(lambda m: f"0.5{m[1]}", text)
        if _TWO_DURATION_WORDS.search(text) and _two_durations_pattern().search(text):
            text = _two_durations_pattern().sub(_two_durations, text)
        return text


def _two_durations(m: re.Match[str]) -> str:
    big, small = _duration_unit(m[2]), _duration_unit(m[4])
    if big.factor <= small.factor:
        return m[0]
    total = _magnitude(m[1]) * big.factor / small.factor + _magnitude(m[3])
    total = total.quantize(Decimal("1e-6")).normalize()
    return f"{plain(total)}{'分钟' if m[4] == '分' else m[4]}"
