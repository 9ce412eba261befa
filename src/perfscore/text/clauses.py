"""One clause of a cell read as a value: ``≥90%``, ``80%-90%``, ``≥80%且≤100%``, ``每季度1次``,
``2024年6月底前``, ``效果显著``.

:func:`read_clause` reads a normalised clause (no clause separators inside) and
:func:`two_sided` a range printed as two bounds; :mod:`perfscore.text.values` splits a cell
into clauses and puts the readings together.  The comparator words come from the operator
table (:mod:`perfscore.text.operators`), numbers from :mod:`perfscore.text.numbers`, units
from :mod:`perfscore.text.units`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, localcontext
from functools import cache, lru_cache

from perfscore.text.dates import DATE_HINT, read_date
from perfscore.text.kinds import (
    Comparison,
    Date,
    Deadline,
    FreeText,
    Grade,
    Nil,
    NotApplicable,
    Quantity,
    Range,
)
from perfscore.text.normalise import HAN
from perfscore.text.numbers import (
    CHINESE_NUMERALS,
    CN_DIGITS,
    MULTIPLIER,
    MULTIPLIERS,
    NUMBER,
    compound_numbers,
    number,
    percent_words,
)
from perfscore.text.operators import OPERATORS, Op, alternation, words_after, words_before
from perfscore.text.phrases import (
    DEADLINE,
    GRADE_WORDS,
    NIL,
    NO_DATA,
    NOT_APPLICABLE,
    SHORT_GRADE,
    band_of,
)
from perfscore.text.units import (
    ARITHMETIC,
    DIMENSIONLESS,
    Unit,
    UnknownUnitError,
    resolve,
    unit_pattern,
    unknown,
)

__all__ = ["Clause", "read_clause", "two_sided"]

Clause = Comparison | Range | Date | Grade | Deadline | Nil | NotApplicable | FreeText

_BEFORE = words_before()
# Words after a number that make it approximate rather than a bound (90%左右).
_APPROXIMATELY = ("左右", "上下")
_AFTER: dict[str, Op | None] = {**words_after(), **dict.fromkeys(_APPROXIMATELY)}
_CMP = alternation(_BEFORE)
_UNIT = unit_pattern()
_CLAUSE = re.compile(
    rf"^(?P<label>.*?)(?P<op>{_CMP})?(?P<approx>约|大约|近|将近)?(?P<num>{NUMBER})"
    rf"(?P<mult>{MULTIPLIER})?(?P<plus>余|多)?(?P<unit>{_UNIT})?(?P<post>{alternation(_AFTER)})?"
    rf"(?P<tail>.*)$"
)
_RANGE_MARKS = ("-", "~", "至", "到")


@cache
def _range() -> re.Pattern[str]:
    """Ranges are rare: their pattern is compiled the first time a cell could hold one."""
    return re.compile(
        rf"^(?P<label>[^\d]*?)(?:在|介于)?(?P<a>{NUMBER})(?P<ma>{MULTIPLIER})?(?P<ua>{_UNIT})?"
        rf"(?:-|~|至|到)(?P<b>{NUMBER})(?P<mb>{MULTIPLIER})?(?P<ub>{_UNIT})?"
        r"(?:\(含\))?(?:之间|区间|范围内?)?$"
    )


# The second half of a two-sided bound: 且≤100%, 并不高于5天, ，≤100%.
@cache
def _second_bound() -> re.Pattern[str]:
    """Compiled the first time a cell could need it."""
    return re.compile(rf"(?:且|并且|而且|同时|并|和|与|,|，|、)?(?=(?:{_CMP})\d)")


_EACH = re.compile(r"^(?:均为|均达到|均达|均是|全部为|全部达到|都为|都达到|皆为)")
# A calendar year (2020年, 2021年度) is a date, never a duration: where a clause is not a date,
# forms print it as context.
_CALENDAR_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}年(?:度)?(?=.)")
_CJK = re.compile(HAN)
# A short run of CJK after a counting word names what is counted (81个社区, 5家律所).
_NOUN = re.compile(rf"^{HAN}{{1,6}}$")
# A short run of CJK straight after a number is a unit the table does not know (70箱子).
_UNKNOWN_UNIT = re.compile(rf"^{HAN}{{1,3}}$")
_NOT_A_UNIT = re.compile(r"[的了是为及和与或等在以内上下左右前后底末]|完成|达到|以上")
# Text around a number that is only symbols is a typo (80&), not a label.
_SYMBOLS_ONLY = re.compile(r"^[\W\d_]+$")


def _unit(label: str | None, noun: str = "") -> Unit | None:
    if not label:
        return DIMENSIONLESS if not noun else resolve("", noun)
    try:
        return resolve(label, noun)
    except UnknownUnitError:  # pragma: no cover - the regex admits only known units
        return None


def read_clause(text: str) -> Clause:
    """Read one normalised clause (no separators inside)."""
    if NOT_APPLICABLE.match(text):
        return NotApplicable(text)
    band = band_of(text)
    if band is not None:
        return Grade(text, band)
    if NO_DATA.match(text):
        return FreeText(text, "no-data")
    if NIL.match(text):
        return Nil(text)
    if DATE_HINT.search(text):
        date = read_date(text, text)
        if date is not None:
            return date
    text_no_year = _CALENDAR_YEAR.sub("", text)
    if not text_no_year:
        return FreeText(text, "no-value")
    if text_no_year != text and NIL.match(text_no_year):
        return Nil(text)

    each = False
    body = percent_words(compound_numbers(text_no_year))
    m_each = _EACH.match(body)
    if m_each:
        each = True
        body = body[m_each.end() :]

    per = _per(body)
    if per is not None:
        rest, pers = per
        inner = read_clause(rest) if rest else None
        if isinstance(inner, Comparison):
            rate = _rate(inner, pers, text)
            if rate is not None:
                return rate

    two = two_sided(text, body)
    if two is not None:
        return two
    m = _range().match(body) if any(mark in body for mark in _RANGE_MARKS) else None
    if m and not _SYMBOLS_ONLY.match(m["label"] or "x"):
        found = _range_of_marks(text, m)
        if found is not None:
            return found
    return _comparison(text, body, each)


def _range_of_marks(text: str, m: re.Match[str]) -> Range | None:
    """80%-90%, 60~80分, 1万至2万元: both ends, in one dimension."""
    a, b = number(m["a"]), number(m["b"])
    ua = _unit(m["ua"] or m["ub"])
    ub = _unit(m["ub"] or m["ua"])
    if a is None or b is None or ua is None or ub is None:
        return None
    if m["ma"]:
        a *= MULTIPLIERS[m["ma"]]
    if m["mb"] or m["ma"]:
        b *= MULTIPLIERS[m["mb"] or m["ma"]]
    qa, qb = Quantity(a, ua), Quantity(b, ub)
    if qa.unit.dimension != qb.unit.dimension:
        return None
    low, high = (qa, qb) if qa.base <= qb.base else (qb, qa)
    return Range(text, low, high, m["label"])


def _comparison(text: str, body: str, each: bool) -> Clause:
    m = _CLAUSE.match(body)
    if m and m["num"][0] in CHINESE_NUMERALS and (m["label"] or m["tail"] or not m["unit"]):
        m = None  # 一 inside words (一线, 进一步) is not a number; 一年 and 两次 are
    if m:
        magnitude = number(m["num"])
        if magnitude is None:
            return FreeText(text, "out-of-range", m["num"][:24])
        if _SYMBOLS_ONLY.match(m["tail"] or "x"):
            return FreeText(text, "stray-after", m["tail"])
        if _DIGIT.search(m["tail"]):
            # 100%完成80%: two numbers, and nothing says which is the value.
            return FreeText(text, "descriptive")
        if m["label"] and m["label"] != "-" and _SYMBOLS_ONLY.match(m["label"]) and not each:
            return FreeText(text, "stray-before", m["label"])
        found = _quantity(text, m, magnitude, each)
        if found is not None:
            return found
    if DEADLINE.search(text):
        return Deadline(text)
    if len(text) <= 24 and (GRADE_WORDS.search(text) or SHORT_GRADE.match(text)):
        return Grade(text)
    if not _CJK.search(text):
        return FreeText(text, "no-words")
    return FreeText(text, "no-value")


def _quantity(text: str, m: re.Match[str], magnitude: Decimal, each: bool) -> Comparison | None:
    """The comparison ``m`` matched: its number, unit, bound and what is printed around it."""
    if m["mult"]:
        with localcontext(ARITHMETIC):
            magnitude *= MULTIPLIERS[m["mult"]]
    label, tail, unit_word, post = m["label"], m["tail"], m["unit"], m["post"]
    noun = ""
    if unit_word and not post and _NOUN.match(tail) and resolve(unit_word).dimension == "[count]":
        noun, tail = tail, ""
    unit = _unit(unit_word, noun)
    if (
        not unit_word
        and not post
        and _UNKNOWN_UNIT.match(tail)
        and not _NOT_A_UNIT.search(tail)
        and not GRADE_WORDS.search(tail)
    ):
        unit, tail = unknown(tail), ""
    if label in ("-", "负") or (label.endswith("负") and not m["op"]):
        # 负95% and -95% are below zero: a sign, not a label.
        magnitude, label = -magnitude, label[:-1]
    op = _BEFORE[m["op"]] if m["op"] else None
    approximate = bool(m["approx"] or m["plus"])
    if op is None and m["approx"] in ("近", "将近"):
        op = Op.LT  # 近1000人 is a little short of 1000, never 1000 itself
    if post:
        post_op = _AFTER[post]
        if post_op is None:
            approximate = True
        elif op is None or op is Op.LE or post.startswith("不含"):
            op = post_op  # 控制在0.5%以内; 80分(不含)以上
    if unit is None:
        return None
    return Comparison(text, op, Quantity(magnitude, unit), label, tail, approximate, each)


# --------------------------------------------------------------------------------------------
# Two bounds: ≥80%且≤100%, 不低于60分并不高于80分, 80%以上100%以下

_LOWER_OPS = tuple(op for op, row in OPERATORS.items() if row.better == "higher")
_UPPER_OPS = tuple(op for op, row in OPERATORS.items() if row.better == "lower")
_DIGIT = re.compile(r"\d")
_SIGNS = re.compile("[≥≤<>]")
# A joining or bounding word: the halves of a range may be joined by it.
_TWO_SIDED_WORDS = re.compile("且|并|以上|之上|高于|超过|小于|低于|大于|至多|最多")


def two_sided(text: str, body: str) -> Range | None:
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
    for first, second in candidates[:4]:
        if _clause_ends(first, second):
            continue
        found = _range_of(text, first, second)
        if found is not None:
            return found
    return None


# What ends a clause (see values): a semicolon or full stop, a comma not between digits.
_SEPARATOR = re.compile(r"[;；。]|(?<!\d)[,，]")


def _clause_ends(first: str, second: str) -> bool:
    """True when a clause ends inside a bound (群众≥5000人;公司 and ≥200家), so the halves are
    no range and are not read.

    A separator is no part of a number, unit or bounding word: after the first half's first
    digit it lies in the text after its number, and anywhere in the second half it lies
    before or after its number, and either makes the half no bound of a range.
    """
    digit = _DIGIT.search(first)
    return bool(
        (digit is not None and _SEPARATOR.search(first, digit.end())) or _SEPARATOR.search(second)
    )


def _could_be_two_sided(body: str) -> bool:
    """A cheap test before the halves are tried: two signs, or a joining or bounding word."""
    signs = len(_SIGNS.findall(body))
    return signs >= 2 or (signs + len(body) > 3 and _TWO_SIDED_WORDS.search(body) is not None)


@lru_cache(maxsize=256)
def _half(text: str) -> Clause:
    """One half of a possible range, read once: a cell's halves are tried by the whole cell
    and again by each of its clauses (群众≥5000人；公司≥200家), and by up to four splits."""
    return _comparison(text, text, False)


def _range_of(text: str, *halves: str) -> Range | None:
    first, second = (_half(h) for h in halves)
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
# Frequencies and rates: 每季度1次 = 1次/季度, 人均500元 = 500元/人

_PER_WORDS = (
    r"个工作日|工作日|季度|半年|小时|星期|个月|周|年|月|天|日|季"
    r"|人次|人|户|家|村|所|校|次|件|场|期|批"
)


@cache
def _per_pattern() -> re.Pattern[str]:
    """Compiled the first time a cell could need it."""
    return re.compile(rf"每(\d*)(?:个)?({_PER_WORDS})|(?<![{CN_DIGITS}\d])(年|月|日|周|季|人|户)均")


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
    if any(count == 0 for count, _ in pers):
        return None  # 每0个月 names no period: no rate (and no division by zero)
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
