"""Units of measure (度量单位) as they are printed on Chinese performance forms.

A small :mod:`pint` registry is built once, from a minimal definition set rather than pint's
full default registry: the forms only ever speak of counts (人, 件, 家 …), durations (天, 月,
年 …), money (元, 万元 …), percentages and rates made of these (次/年, 月/次).

Every counting word (人, 件, 家, 个 …) shares the dimension ``[count]``: forms compare 人 with
人次 and 个 with 家 freely, but never a head count with a percentage.  Durations share ``[time]``
and money ``[currency]``; percentages are dimensionless.

The rest of the package never touches pint objects on the hot path: :func:`resolve` turns a
printed unit into a frozen :class:`Unit` (its dimension and its exact :class:`~decimal.Decimal`
factor to the base unit) once per distinct spelling, and comparisons are plain Decimal
arithmetic.  The base units' dimensions and factors are kept as data (``_unit_table.py``,
generated from the registry by :func:`base_table` and checked against it by the tests), so
reading a form does not even import pint; :func:`registry` builds it when asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from perfscore._unit_table import BASE

if TYPE_CHECKING:
    import pint

__all__ = [
    "COUNT_WORDS",
    "DIMENSIONLESS",
    "PERCENT",
    "Unit",
    "UnknownUnitError",
    "registry",
    "resolve",
    "unit_pattern",
]

#: Counting words (量词) seen on forms, all of dimension ``[count]``.
COUNT_WORDS: tuple[str, ...] = (
    "人次",
    "户次",
    "件次",
    "场次",
    "批次",
    "车次",
    "人",
    "名",
    "位",
    "户",
    "次",
    "件",
    "宗",
    "起",
    "例",
    "家",
    "个",
    "所",
    "场",
    "期",
    "份",
    "本",
    "册",
    "套",
    "台",
    "块",
    "张",
    "条",
    "篇",
    "项",
    "处",
    "间",
    "座",
    "辆",
    "部",
    "批",
    "类",
    "支",
    "组",
    "课时",
    "节",
    "堂",
    "单",
    "笔",
    "只",
    "栋",
    "幅",
    "片",
)

# Duration words, with their pint names.  个工作日 is counted as a day: forms never mix
# working and calendar days within one indicator.
_TIME_WORDS: dict[str, str] = {
    "秒": "second",
    "分钟": "minute",
    "小时": "hour",
    "个小时": "hour",
    "天": "day",
    "日": "day",
    "个工作日": "day",
    "工作日": "day",
    "周": "week",
    "星期": "week",
    "个月": "month",
    "月": "month",
    "季度": "quarter",
    "个季度": "quarter",
    "年": "year",
    "年度": "year",
}

_MONEY_WORDS: dict[str, str] = {
    "元": "yuan",
    "千元": "thousand_yuan",
    "万元": "wan_yuan",
    "亿元": "yi_yuan",
}

_PERCENT_WORDS: dict[str, str] = {
    "%": "percent",
    "百分比": "percent",
    "百分点": "percent",
    "‰": "permille",
}

_DEFINITIONS = """
item = [count]
second = [time]
minute = 60 * second
hour = 60 * minute
day = 24 * hour
week = 7 * day
year = 365 * day
month = year / 12
quarter = year / 4
yuan = [currency]
thousand_yuan = 1000 * yuan
wan_yuan = 10000 * yuan
yi_yuan = 100000000 * yuan
percent = 0.01
permille = 0.001
"""


class UnknownUnitError(LookupError):
    """A printed unit that is not in the registry (raised by :func:`resolve` only)."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit as printed, with what is needed to compare it.

    ``label`` is the printed spelling (``个社区`` keeps its noun in ``noun``), ``dimension`` a
    canonical string such as ``"[count]"`` or ``"[count] / [time]"`` (``""`` for numbers and
    percentages), and ``factor`` the exact multiplier to the dimension's base unit.
    """

    label: str
    dimension: str
    factor: Decimal
    noun: str = ""

    @property
    def is_percent(self) -> bool:
        """True for ``%``, ``‰`` and ``百分比``."""
        return self.label in _PERCENT_WORDS

    @property
    def is_number(self) -> bool:
        """True for a bare number printed without a unit."""
        return self.label == ""

    def __str__(self) -> str:
        return self.label + self.noun

    def __reduce__(self) -> tuple[Any, ...]:
        return (Unit, (self.label, self.dimension, self.factor, self.noun))


DIMENSIONLESS = Unit("", "", Decimal(1))
PERCENT = Unit("%", "", Decimal("0.01"))


@cache
def registry() -> pint.UnitRegistry[Decimal]:
    """The package's pint registry, built once from the minimal definitions above."""
    import pint  # only when asked: forms are read from the table pint generated

    ureg: pint.UnitRegistry[Decimal] = pint.UnitRegistry(
        None, non_int_type=Decimal, cache_folder=None
    )
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    return ureg


def _pint_name(word: str) -> str:
    if word in _TIME_WORDS:
        return _TIME_WORDS[word]
    if word in _MONEY_WORDS:
        return _MONEY_WORDS[word]
    if word in _PERCENT_WORDS:
        return _PERCENT_WORDS[word]
    if word in COUNT_WORDS:
        return "item"
    raise UnknownUnitError(word)


def _all_words() -> list[str]:
    words = set(COUNT_WORDS) | set(_TIME_WORDS) | set(_MONEY_WORDS) | set(_PERCENT_WORDS)
    # Longest first so that 个工作日 wins over 个 and 人次 over 人.
    return sorted(words, key=lambda w: (-len(w), w))


@cache
def unit_pattern() -> str:
    """A regular-expression fragment matching one printed unit, compound ones included."""
    alt = "|".join(re.escape(w) for w in _all_words())
    return rf"(?:{alt})(?:/(?:{alt}))?"


def base_table() -> dict[str, tuple[str, str]]:
    """Each base unit's dimension and factor, computed by the pint registry.

    ``_unit_table.py`` holds this table; regenerate it when the definitions change.
    """
    ureg = registry()
    names = sorted(
        {*_TIME_WORDS.values(), *_MONEY_WORDS.values(), *_PERCENT_WORDS.values(), "item"}
    )
    table = {}
    for name in names:
        quantity = ureg.Quantity(Decimal(1), name).to_base_units()
        dims = {k: float(str(v)) for k, v in quantity.dimensionality.items()}
        table[name] = (
            " * ".join(sorted(k for k, v in dims.items() if v > 0)),
            str(quantity.magnitude),
        )
    return table


def resolve_with_pint(label: str) -> tuple[str, Decimal]:
    """A printed unit's dimension and factor, computed by pint (the reference for the table)."""
    parts = label.split("/")
    if len(parts) > 2 or not all(parts):
        raise UnknownUnitError(label)
    printed = registry().Quantity(Decimal(1), " / ".join(_pint_name(p) for p in parts))
    quantity = printed.to_base_units()
    dims = {name: float(str(power)) for name, power in quantity.dimensionality.items()}
    up = " * ".join(sorted(k for k, v in dims.items() if v > 0))
    down = " * ".join(sorted(k for k, v in dims.items() if v < 0))
    dimension = f"{up or '1'} / {down}" if down else up
    return dimension, Decimal(quantity.magnitude)


@lru_cache(maxsize=1024)
def resolve(label: str, noun: str = "") -> Unit:
    """Resolve a printed unit (``人``, ``次/年``, ``月/次``, ``万元``, ``%``) to a :class:`Unit`.

    Raises :class:`UnknownUnitError` for a spelling the registry does not know.
    """
    if label == "":
        return DIMENSIONLESS if not noun else Unit("", "", Decimal(1), noun)
    parts = label.split("/")
    if len(parts) > 2 or not all(parts):
        raise UnknownUnitError(label)
    (dim, factor), *rest = (
        (BASE[_pint_name(p)][0], Decimal(BASE[_pint_name(p)][1])) for p in parts
    )
    if rest:
        ((dim_b, factor_b),) = rest
        factor /= factor_b
        if dim == dim_b:
            dim = ""
        elif dim_b:
            dim = f"{dim or '1'} / {dim_b}"
    return Unit(label, dim, factor, noun)
