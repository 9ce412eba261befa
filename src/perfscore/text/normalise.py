"""The one normaliser of printed text: every cell the value language reads goes through here.

:func:`normalise` reads a cell as the value grammar expects it: compatibility forms folded
(NFKC: ``９０％`` → ``90%``), traditional script simplified (``不低於`` → ``不低于``), the signs
forms use for a comparator or a separator written one way (``≧`` and ``>=`` → ``≥``, ``～`` →
``~``, ``—`` → ``-``), quotation marks and white space dropped and trailing punctuation
stripped.  :func:`words` is the same reading without punctuation, for comparing the words of
two cells.

A row's cells are read by :func:`~perfscore.text.values.parse_value` and then, for a
qualitative row, compared as :func:`words`: both take the normalised text from one small
bounded cache, so a cell is normalised once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from perfscore.text.operators import OPERATORS
from perfscore.text.script import simplify

__all__ = [
    "HAN",
    "MAX_CACHED_TEXT",
    "MAX_TEXT",
    "bound_words",
    "currency_signs",
    "normalise",
    "numeric_dates",
    "words",
]

#: Texts longer than this (after normalisation) are descriptions, never one value; they are
#: not searched for one.
MAX_TEXT = 2000
#: Texts longer than this are read but not cached (a 100 KB cell must not stay in memory).
MAX_CACHED_TEXT = 256

#: A letter that is not ASCII: in these forms, a Chinese character.  Written as a class of
#: categories rather than a code-point range, which the regex compiler builds far faster.
HAN = r"[^\W\d_A-Za-z]"

# Characters NFKC leaves alone but forms use as separators, and quotation marks (never part
# of a value).  The comparator signs come from the operator table.
_SIGNS = {
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
_TRANSLATE = str.maketrans(
    {v: row.symbol for row in OPERATORS.values() for v in row.variants if len(v) == 1} | _SIGNS
)
# Signs typed in two ASCII characters (>=, <=, ==), in the table's order.
_DIGRAPHS = tuple((v, row.symbol) for row in OPERATORS.values() for v in row.variants if len(v) > 1)
# Every digraph ends in one of these: a text without them has no digraph to replace.
_DIGRAPH_ENDS = frozenset(digraph[-1] for digraph, _ in _DIGRAPHS)
_WHITESPACE = re.compile(r"\s+")
_TRAILING = "。.;；,，、:：!！"
_PUNCTUATION = re.compile(r"[\W_]+")


# Circled numbers (①, ㉑) number a list, like 1、: NFKC would make them the digits of a value.
_CIRCLED = dict.fromkeys(
    [*range(0x2460, 0x2474), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0), 0x24EA]
)
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# A power of ten with a superscript exponent (10⁵, 3×10⁵, 1.2×10⁻³): NFKC would read 10⁵ as 105.
_POWER = re.compile(rf"(?:(\d+(?:\.\d+)?)\s*[×xX*·]\s*)?10(⁻?[{_SUPERSCRIPTS}]+)")
_EXPONENT = str.maketrans(_SUPERSCRIPTS + "⁻", "0123456789-")


def _power(m: re.Match[str]) -> str:
    return f"{m[1] or 1}e{m[2].translate(_EXPONENT)}"


def _normalise(text: str) -> str:
    if not text.isascii():
        text = text.translate(_CIRCLED)
        if "10" in text:
            text = _POWER.sub(_power, text)
    text = simplify(unicodedata.normalize("NFKC", text)).translate(_TRANSLATE)
    if not _DIGRAPH_ENDS.isdisjoint(text):
        for digraph, symbol in _DIGRAPHS:
            text = text.replace(digraph, symbol)
    text = _WHITESPACE.sub("", text)
    return text.rstrip(_TRAILING)


# Recent cells only: a row's cells are read, then (for a qualitative row) compared as words.
_recent = lru_cache(maxsize=4096)(_normalise)


def normalise(text: str) -> str:
    """``text`` as the value grammar reads it (``不低於 ９０％。`` → ``不低于90%``)."""
    return _recent(text) if len(text) <= MAX_CACHED_TEXT else _normalise(text)


def words(text: str) -> str:
    """A cell's words as compared with another cell's: normalised (simplified script, half-width)
    without white space or punctuation (``“明显改善。”`` → ``明显改善``)."""
    return _PUNCTUATION.sub("", normalise(text[:MAX_TEXT]))


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


def numeric_dates(text: str) -> str:
    """Numeric dates written as the words the date grammar reads: ``2024-06-30`` →
    ``2024年6月30日``, ``2024/6`` → ``2024年6月``."""
    if "-" not in text and "/" not in text and "." not in text:
        return text
    text = _NUMERIC_DATE.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text)
    return _NUMERIC_MONTH.sub(lambda m: f"{m[1]}年{int(m[2])}月", text)


# A yuan sign before a number (¥3,500, 人民币¥3.5万): the amount is in 元, whatever the form's
# money unit, as 3,500元 is.
_YUAN_SIGN = re.compile(r"(?:人民币|RMB|CNY)?¥(\d[\d,]*(?:\.\d+)?)(万|亿|千)?(?!元)")


def currency_signs(text: str) -> str:
    """``¥3,500`` → ``3,500元``: the sign said as the unit the grammar reads."""
    if "¥" not in text:
        return text
    return _YUAN_SIGN.sub(lambda m: f"{m[1]}{m[2] or ''}元", text)


def bound_words(text: str) -> str:
    """``(含)`` beside a bound dropped (it says what ``以上`` says); ``(不含)以上`` written
    ``不含以上``, the strict bound of the operator table."""
    if "含" not in text:
        return text
    text = _INCLUDED.sub("", text)
    return _EXCLUDED.sub(lambda m: "不含" + (m[1] or m[2]), text)
