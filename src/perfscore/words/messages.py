"""Wording shared by the engine and the reports: numbers as printed on a form, statuses, and
the choice between Chinese and English — the one place a message picks its language."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from perfscore.text.operators import OPERATORS
from perfscore.text.units import ARITHMETIC
from perfscore.text.values import plain

__all__ = [
    "STATUS_EN",
    "STATUS_ZH",
    "formula_text",
    "grade_word",
    "num",
    "partial",
    "percent",
    "plain",
    "rounding_note",
    "say",
    "shorten",
    "status",
    "substitute",
    "symbol",
]

STATUS_EN = {
    "met": "met",
    "partly_met": "partly met",
    "missed": "missed",
    "not_applicable": "not applicable",
    "not_judged": "not judged",
}
STATUS_ZH = {
    "met": "达成",
    "partly_met": "部分达成",
    "missed": "未达成",
    "not_applicable": "不适用",
    "not_judged": "无法判断",
}


def num(value: Decimal | None) -> str:
    """A Decimal as printed on a form: no exponent, no trailing zeros; ``""`` for None."""
    return "" if value is None else plain(value)


#: The English of the grade names rule sets give (优 90–100 …): a grade is the rule set's own
#: word, so a name not here is printed as the rule set spells it.
GRADE_EN = {
    "优": "excellent",
    "优秀": "excellent",
    "良": "good",
    "良好": "good",
    "中": "fair",
    "中等": "fair",
    "合格": "pass",
    "及格": "pass",
    "差": "poor",
    "较差": "poor",
    "不合格": "fail",
    "不及格": "fail",
}


def grade_word(grade: str | None, lang: str) -> str:
    """A total's grade in ``lang``: ``优`` → ``excellent`` in English; ``""`` for None."""
    if not grade:
        return ""
    return GRADE_EN.get(grade, grade) if lang == "en" else grade


#: Decimal places an unrounded intermediate shows (a quotient such as 18/19 runs to the
#: context's 28 digits); the trace's rounding step then gives the value that counts.
PARTIAL_PLACES = 10


def partial(value: Decimal) -> str:
    """An unrounded intermediate as a trace shows it: whole up to :data:`PARTIAL_PLACES`
    decimals, longer cut there (toward zero, so the rounding step that follows never seems to
    round the other way) and marked ``…``: ``0.9473684210…``."""
    text = plain(value)
    whole, _, decimals = text.partition(".")
    if len(decimals) <= PARTIAL_PLACES:
        return text
    return f"{whole}.{decimals[:PARTIAL_PLACES]}…"


def percent(fraction: Decimal | None) -> str:
    """0.9686 → ``96.86%`` (half-up: 0.96865 → ``96.87%``); ``""`` for None."""
    if fraction is None:
        return ""
    with localcontext(ARITHMETIC):  # the host program's context must not change what is printed
        return f"{plain((fraction * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))}%"


#: How many characters of a form's text a message quotes before cutting it with an ellipsis:
#: enough for any indicator name or numeric target, short of a descriptive sentence.
QUOTE_LIMIT = 24


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A form's text as a message quotes it: whole up to ``limit`` characters, longer text with
    its whitespace runs closed up and cut to ``limit`` characters ending in ``…`` (the full
    text stays in the flag's data)."""
    if len(text) <= limit:
        return text
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def say(lang: str | bool, zh: str, en: str) -> str:
    """The Chinese or the English text; ``lang`` is ``"zh"``/``"en"`` or whether it is English."""
    return en if lang is True or lang == "en" else zh


_NAME = re.compile(r"\b[a-z_]+\b")


def substitute(text: str, **values: str) -> str:
    """A formula with its inputs shown: ``target / actual`` with target=98%, actual=100% →
    ``98% / 100%``; ``*`` is printed as ``×``."""
    shown = _NAME.sub(lambda m: values.get(m.group(0), m.group(0)), text)
    return shown.replace(" * ", " × ")


#: The names a rule formula may use, as a Chinese trace says them.
NAMES_ZH = {
    "weight": "权重",
    "rate": "执行率",
    "achievement": "完成程度",
    "completion": "完成比例",
    "actual": "实际完成值",
    "target": "指标值",
    "allowed": "规定天数",
    "taken": "实际天数",
    "late": "逾期天数",
}


def formula_text(text: str, en: bool) -> str:
    """A rule formula as a trace shows it: as written in English; in Chinese with its names
    said in Chinese and ``*`` as ``×`` (``weight * min(rate, 1)`` → ``权重 × min(执行率, 1)``);
    functions (min, max, floor…) keep their names."""
    if en:
        return text
    return substitute(text, **NAMES_ZH)


_SYMBOLS = {str(op): row.symbol for op, row in OPERATORS.items()}


def symbol(op: str) -> str:
    """A comparison as a form prints it: ``>=`` → ``≥``, ``<=`` → ``≤``, ``==`` → ``=``."""
    return _SYMBOLS.get(str(op), str(op))


def status(value: str, lang: str) -> str:
    """An indicator status in the report's language."""
    return STATUS_EN[value] if lang == "en" else STATUS_ZH[value]


_MODE_ZH = {"half_up": "四舍五入"}


def rounding_note(en: bool, raw: Decimal, score: Decimal, mode: str, places: int) -> str:
    """The trace line of a rounding step: ``四舍五入到 2 位小数：4.9 → 4.90``."""
    if en:
        return f"rounded {mode.replace('_', '-')} to {places} places: {partial(raw)} → {score}"
    return f"{_MODE_ZH.get(mode, mode)}到 {places} 位小数：{partial(raw)} → {score}"
