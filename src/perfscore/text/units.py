"""Units of measure (度量单位) as they are printed on Chinese performance forms.

A small :mod:`pint` registry is built from a minimal definition set rather than pint's full
default registry: counts (人, 件, 家 …), durations (天, 工作日, 月, 季度, 半年, 年 …), money
(元, 千元, 万元, 亿元), percentages, length (米, 公里, 千米 …), area (平方米, 亩, 公顷), mass
(克, 公斤, 吨 …), volume (立方米, 升), power (瓦, 千瓦) and energy (千瓦时, 度), and rates made
of these (次/年, 元/人, 万元/户·年).

Every counting word (人, 件, 家, 个 …) shares the dimension ``[count]``: forms compare 人 with
人次 and 个 with 家 freely, but never a head count with a percentage.  Chinese SI prefixes
(千米, 千克, 千瓦) are units in their own right, not the multiplier 千 before a unit.

The rest of the package never touches pint objects on the hot path: :func:`resolve` turns a
printed unit into a frozen :class:`Unit` (its dimension and its exact :class:`~decimal.Decimal`
factor to the base unit) once per distinct spelling, and comparisons are plain Decimal
arithmetic.  The base units' dimensions and factors are kept as data (``_unit_table.py``,
generated from the registry by :func:`base_table` and checked against it by the tests), so
reading a form does not even import pint; :func:`registry` builds it when asked, and
:func:`local_units` when a rule set declares units of its own (``担 = 50 kg``).

Thread safety: every table here is built once and never changed; the caches are
:func:`functools.lru_cache`, which is safe to call from several threads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from perfscore.text._unit_table import BASE

if TYPE_CHECKING:
    import pint

__all__ = [
    "COUNT_WORDS",
    "DIMENSIONLESS",
    "PERCENT",
    "Unit",
    "UnknownUnitError",
    "local_units",
    "registry",
    "resolve",
    "unit_pattern",
    "unknown",
]

#: The arithmetic context of unit conversion: wide enough to be exact for any factor and
#: magnitude the reader admits, independent of the host program's context.
ARITHMETIC = Context(prec=60, Emax=999_999, Emin=-999_999)

#: Counting words (量词) seen on forms, all of dimension ``[count]``.
COUNT_WORDS: tuple[str, ...] = (
    "人次",
    "户次",
    "件次",
    "场次",
    "批次",
    "车次",
    "架次",
    "台次",
    "班次",
    "期次",
    "课次",
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
    "学时",
    "节",
    "堂",
    "单",
    "笔",
    "只",
    "栋",
    "幅",
    "片",
    "箱",
    "盒",
    "桶",
    "瓶",
    "包",
    "袋",
    "棵",
    "株",
    "头",
    "匹",
    "艘",
    "盏",
    "根",
    "枚",
    "顶",
    "副",
    "双",
    "把",
    "扇",
    "面",
    "队",
    "村",
    "床",
    "孔",
    "眼",
    "口",
    "轮",
    "届",
    "版",
    "集",
    "个点",
)

# Durations, with their names in the package's registry.  工作日 is counted as a day: forms
# never mix working and calendar days within one indicator.
_TIME_WORDS: dict[str, str] = {
    "秒": "second",
    "秒钟": "second",
    "分钟": "minute",
    "min": "minute",
    "小时": "hour",
    "个小时": "hour",
    "天": "day",
    "日": "day",
    "个工作日": "day",
    "工作日": "day",
    "周": "week",
    "星期": "week",
    "个星期": "week",
    "旬": "xun",
    "个月": "month",
    "月": "month",
    "季度": "quarter",
    "个季度": "quarter",
    "季": "quarter",
    "半年": "half_year",
    "年": "year",
    "年度": "year",
}

_MONEY_WORDS: dict[str, str] = {
    "元": "yuan",
    "块钱": "yuan",
    "十元": "ten_yuan",
    "百元": "hundred_yuan",
    "千元": "thousand_yuan",
    "万元": "wan_yuan",
    "十万元": "shiwan_yuan",
    "百万元": "million_yuan",
    "千万元": "ten_million_yuan",
    "亿元": "yi_yuan",
}

_PERCENT_WORDS: dict[str, str] = {
    "%": "percent",
    "百分比": "percent",
    "百分点": "percent",
    "个百分点": "percent",
    "‰": "permille",
    "千分比": "permille",
}

# Points of a score (90分以上): their own dimension, never a duration.
_POINT_WORDS: dict[str, str] = {"分": "point"}

_LENGTH_WORDS: dict[str, str] = {
    "毫米": "millimetre",
    "mm": "millimetre",
    "厘米": "centimetre",
    "公分": "centimetre",
    "cm": "centimetre",
    "米": "metre",
    "延米": "metre",
    "m": "metre",
    "公里": "kilometre",
    "千米": "kilometre",
    "km": "kilometre",
}

_AREA_WORDS: dict[str, str] = {
    "平方米": "square_metre",
    "平米": "square_metre",
    "m2": "square_metre",
    "平方公里": "square_kilometre",
    "平方千米": "square_kilometre",
    "km2": "square_kilometre",
    "亩": "mu",
    "公顷": "hectare",
    "hm2": "hectare",
}

_MASS_WORDS: dict[str, str] = {
    "毫克": "milligram",
    "克": "gram",
    "g": "gram",
    "斤": "jin",
    "公斤": "kilogram",
    "千克": "kilogram",
    "kg": "kilogram",
    "吨": "tonne",
    "t": "tonne",
}

_VOLUME_WORDS: dict[str, str] = {
    "毫升": "millilitre",
    "ml": "millilitre",
    "升": "litre",
    "L": "litre",
    "立方米": "cubic_metre",
    "立方": "cubic_metre",
    "方": "cubic_metre",
    "m3": "cubic_metre",
}

_POWER_WORDS: dict[str, str] = {
    "瓦": "watt",
    "W": "watt",
    "千瓦": "kilowatt",
    "kW": "kilowatt",
    "kw": "kilowatt",
    "兆瓦": "megawatt",
    "MW": "megawatt",
}

_ENERGY_WORDS: dict[str, str] = {
    "千瓦时": "kilowatt_hour",
    "千瓦·时": "kilowatt_hour",
    "度": "kilowatt_hour",
    "kWh": "kilowatt_hour",
    "kwh": "kilowatt_hour",
    "兆瓦时": "megawatt_hour",
    "MWh": "megawatt_hour",
}

#: Every printed word and its registry name, by family.
FAMILIES: dict[str, Mapping[str, str]] = {
    "count": dict.fromkeys(COUNT_WORDS, "item"),
    "time": _TIME_WORDS,
    "money": _MONEY_WORDS,
    "percent": _PERCENT_WORDS,
    "point": _POINT_WORDS,
    "length": _LENGTH_WORDS,
    "area": _AREA_WORDS,
    "mass": _MASS_WORDS,
    "volume": _VOLUME_WORDS,
    "power": _POWER_WORDS,
    "energy": _ENERGY_WORDS,
}
_WORDS: dict[str, str] = {w: name for family in FAMILIES.values() for w, name in family.items()}
# 人/次 is a counting word as printed (件/次 per time is a rate); it is matched whole.
_WORDS["人/次"] = "item"

_DEFINITIONS = """
item = [count]
point = [points]
second = [time] = s
minute = 60 * second = min
hour = 60 * minute = h
day = 24 * hour = d
week = 7 * day
xun = 10 * day
year = 365 * day = a
month = year / 12
quarter = year / 4
half_year = year / 2
yuan = [currency] = CNY
ten_yuan = 10 * yuan
hundred_yuan = 100 * yuan
thousand_yuan = 1000 * yuan
wan_yuan = 10000 * yuan
shiwan_yuan = 100000 * yuan
million_yuan = 1000000 * yuan
ten_million_yuan = 10000000 * yuan
yi_yuan = 100000000 * yuan
percent = 0.01
permille = 0.001
metre = [length] = m = meter
millimetre = metre / 1000 = mm
centimetre = metre / 100 = cm
kilometre = 1000 * metre = km
square_metre = metre ** 2
square_kilometre = kilometre ** 2
hectare = 10000 * square_metre = ha
mu = hectare / 15
gram = [mass] = g
milligram = gram / 1000 = mg
kilogram = 1000 * gram = kg
jin = 500 * gram
tonne = 1000 * kilogram = t
cubic_metre = metre ** 3
litre = cubic_metre / 1000 = L = l = liter
millilitre = litre / 1000 = ml = mL
watt = kilogram * metre ** 2 / second ** 3 = W
kilowatt = 1000 * watt = kW
megawatt = 1000000 * watt = MW
kilowatt_hour = kilowatt * hour = kWh
megawatt_hour = megawatt * hour = MWh
"""


class UnknownUnitError(LookupError):
    """A printed unit that is not in the registry (raised by :func:`resolve` only)."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit as printed, with what is needed to compare it.

    ``label`` is the printed spelling (``个社区`` keeps its noun in ``noun``), ``dimension`` a
    canonical string such as ``"[count]"``, ``"[length]**2"`` or ``"[count] / [time]"``
    (``""`` for numbers and percentages), and ``factor`` the exact multiplier to the
    dimension's base unit.  A word the table does not know (``≥70箱子``) has the dimension
    ``"<箱子>"``: it compares with the same word only.
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

    @property
    def is_known(self) -> bool:
        """False for a word outside the table (its dimension is the word itself)."""
        return not self.dimension.startswith("<")

    @property
    def is_money(self) -> bool:
        """True for 元, 万元 …"""
        return self.dimension == "[currency]"

    def __str__(self) -> str:
        return self.label + self.noun

    def __reduce__(self) -> tuple[Any, ...]:
        return (Unit, (self.label, self.dimension, self.factor, self.noun))


DIMENSIONLESS = Unit("", "", Decimal(1))
PERCENT = Unit("%", "", Decimal("0.01"))


def unknown(label: str) -> Unit:
    """A word printed as a unit that the table does not know: it compares with itself only."""
    return Unit(label, f"<{label}>", Decimal(1))


# --------------------------------------------------------------------------------------------
# Dimensions as text: "[length]**2 * [mass] / [time]**3"

Powers = dict[str, int]


def format_dimension(powers: Mapping[str, int]) -> str:
    """The canonical text of a dimension given each base dimension's power."""

    def term(name: str, power: int) -> str:
        return name if power == 1 else f"{name}**{power}"

    up = " * ".join(term(k, v) for k, v in sorted(powers.items()) if v > 0)
    down = " * ".join(term(k, -v) for k, v in sorted(powers.items()) if v < 0)
    if down:
        return f"{up or '1'} / {down}"
    return up


def _parse_dimension(text: str) -> Powers:
    powers: Powers = {}
    if not text:
        return powers
    up, _, down = text.partition(" / ")
    for sign, side in ((1, up), (-1, down)):
        for item in side.split(" * "):
            if not item or item == "1":
                continue
            name, _, power = item.partition("**")
            powers[name] = powers.get(name, 0) + sign * int(power or 1)
    return powers


def _combine(a: str, b: str, sign: int) -> str:
    powers = _parse_dimension(a)
    for name, power in _parse_dimension(b).items():
        powers[name] = powers.get(name, 0) + sign * power
    return format_dimension({k: v for k, v in powers.items() if v})


# --------------------------------------------------------------------------------------------
# The registry (pint), used to generate and check the table and for a rule set's own units


def _new_registry() -> pint.UnitRegistry[Decimal]:
    import pint  # only when asked: forms are read from the table pint generated

    ureg: pint.UnitRegistry[Decimal] = pint.UnitRegistry(
        None, non_int_type=Decimal, cache_folder=None
    )
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    return ureg


@cache
def registry() -> pint.UnitRegistry[Decimal]:
    """The package's pint registry, built once from the minimal definitions above."""
    return _new_registry()


def _pint_dimension(quantity: Any) -> str:
    return format_dimension(
        {name: int(Decimal(str(power))) for name, power in quantity.dimensionality.items()}
    )


def base_table() -> dict[str, tuple[str, str]]:
    """Each registry unit's dimension and factor to base units, computed by pint.

    ``_unit_table.py`` holds this table; regenerate it when the definitions change.
    """
    ureg = registry()
    table = {}
    for name in sorted(set(_WORDS.values())):
        quantity = ureg.Quantity(Decimal(1), name).to_base_units()
        table[name] = (_pint_dimension(quantity), str(quantity.magnitude))
    return table


def resolve_with_pint(label: str) -> tuple[str, Decimal]:
    """A printed unit's dimension and factor, computed by pint (the reference for the table)."""
    num, den = _split(label)
    expr = " * ".join(_registry_name(p) for p in num)
    if den:
        expr = f"({expr}) / ({' * '.join(_registry_name(p) for p in den)})"
    quantity = registry().Quantity(Decimal(1), expr).to_base_units()
    return _pint_dimension(quantity), Decimal(quantity.magnitude)


def local_units(definitions: Iterable[str]) -> dict[str, Unit]:
    """Units a rule set declares in pint's definition syntax (``担 = 50 kg``), resolved by pint.

    Definitions may use the registry's names and symbols (``kg``, ``m ** 2``, ``hour``) and
    the printed words of the table (``斤``, ``亩``).  Returns each new word's :class:`Unit`.

    :raises ValueError: a definition pint cannot read, or one of a word already known.
    """
    ureg = _new_registry()
    for word, name in _WORDS.items():
        if word.isidentifier() and word != name:
            try:
                ureg.define(f"{word} = {name}")
            except Exception:  # a symbol pint already has (m, kg …)
                continue
    out: dict[str, Unit] = {}
    for line in definitions:
        word = line.split("=", 1)[0].strip()
        if not word or "=" not in line:
            raise ValueError(f"not a unit definition (word = expression): {line!r}")
        if word in _WORDS:
            raise ValueError(f"{word!r} is already a unit ({_WORDS[word]})")
        try:
            ureg.define(line)
            quantity = ureg.Quantity(Decimal(1), word).to_base_units()
        except Exception as exc:  # pint raises many types; any of them means "cannot read"
            raise ValueError(f"{line!r}: {exc}") from None
        out[word] = Unit(word, _pint_dimension(quantity), Decimal(str(quantity.magnitude)))
    return out


# --------------------------------------------------------------------------------------------
# Reading printed units


def _registry_name(word: str) -> str:
    try:
        return _WORDS[word]
    except KeyError:
        raise UnknownUnitError(word) from None


def _split(label: str) -> tuple[list[str], list[str]]:
    """``万元/户·年`` → (["万元"], ["户", "年"]); ``人/次`` is one counting word."""
    if label in _WORDS:
        return [label], []
    num, sep, den = label.partition("/")
    if not num or (sep and not den) or "/" in den:
        raise UnknownUnitError(label)
    parts = [p for p in re.split(r"[·*.×]", den) if p] if den else []
    if den and not parts:
        raise UnknownUnitError(label)
    return [num], parts


def _all_words() -> list[str]:
    # Longest first so that 个工作日 wins over 个 and 人次 over 人.
    return sorted(_WORDS, key=lambda w: (-len(w), w))


@cache
def unit_pattern() -> str:
    """A regular-expression fragment matching one printed unit, rates included."""
    alt = "|".join(re.escape(w) for w in _all_words() if "/" not in w)
    return rf"(?:人/次|(?:{alt})(?:/(?:{alt})(?:[·*×](?:{alt}))?)?)"


def _word_unit(word: str) -> tuple[str, Decimal]:
    dim, factor = BASE[_registry_name(word)]
    return dim, Decimal(factor)


@lru_cache(maxsize=1024)
def resolve(label: str, noun: str = "") -> Unit:
    """Resolve a printed unit (``人``, ``次/年``, ``万元/户·年``, ``公里``) to a :class:`Unit`.

    Raises :class:`UnknownUnitError` for a spelling the table does not know.
    """
    if label == "":
        return DIMENSIONLESS if not noun else Unit("", "", Decimal(1), noun)
    num, den = _split(label)
    with localcontext(ARITHMETIC):
        dim, factor = _word_unit(num[0])
        for word in den:
            d, f = _word_unit(word)
            dim = _combine(dim, d, -1)
            factor = factor / f
    return Unit(label, dim, factor, noun)
