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
arithmetic.  The printed words and the definitions are in :mod:`perfscore.text.unit_words`;
the base units' dimensions and factors are kept as data (``_unit_table.py``, written by
``scripts/gen_unit_table.py`` from :func:`base_table`, and checked by the tests to be what
the script writes), so reading a form does not even import pint; :func:`registry` builds it
when asked, and :func:`local_units` when a rule set declares units of its own (``担 = 50 kg``).

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
from perfscore.text.unit_words import COUNT_WORDS, DEFINITIONS, FAMILIES, PERCENT_WORDS, WORDS

if TYPE_CHECKING:
    import pint

__all__ = [
    "ARITHMETIC",
    "COUNT_WORDS",
    "DIMENSIONLESS",
    "FAMILIES",
    "PERCENT",
    "Unit",
    "UnknownUnitError",
    "local_units",
    "registry",
    "resolve",
    "same_thing",
    "unit_pattern",
    "unknown",
]

#: The arithmetic context of unit conversion: wide enough to be exact for any factor and
#: magnitude the reader admits, independent of the host program's context.
ARITHMETIC = Context(prec=60, Emax=999_999, Emin=-999_999)


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
        return self.label in PERCENT_WORDS

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


# What a counting word counts, for the words that name one kind of thing: 200家 (firms) and
# 6000人 (people) share the dimension [count] but are never the same count.  Words outside
# every group (个, 项, 份 …) count anything and compare with any count.
_THINGS: tuple[frozenset[str], ...] = (
    # People served and visits by people are counted interchangeably on forms (群众≥5000人
    # completed 12000余人次); households likewise.
    frozenset(("人", "名", "位", "人次")),
    frozenset(("户", "家", "户次")),
    frozenset(("次", "场", "场次", "期", "期次", "批次", "课次", "堂", "节", "班次")),
    frozenset(("件", "宗", "起", "例", "单", "笔", "件次")),
    frozenset(("所", "校")),
    frozenset(("村", "社区")),
    frozenset(("台", "台次", "辆", "车次", "架次")),
    frozenset(("课时", "学时")),
)
_THING_OF = {word: group for group in _THINGS for word in group}


def same_thing(a: Unit, b: Unit) -> bool:
    """False when two counts name different things (200家 and 6000人, 10次 and 50人); a noun
    printed after the word (81个社区) is what is counted."""
    if a.dimension != "[count]" or b.dimension != "[count]":
        return True
    ga = _THING_OF.get(a.noun) or _THING_OF.get(a.label)
    gb = _THING_OF.get(b.noun) or _THING_OF.get(b.label)
    return ga is None or gb is None or ga is gb


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
    for line in DEFINITIONS.strip().splitlines():
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

    ``_unit_table.py`` holds this table: run ``scripts/gen_unit_table.py`` when the definitions
    change.
    """
    ureg = registry()
    table = {}
    for name in sorted(set(WORDS.values())):
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
    for word, name in WORDS.items():
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
        if word in WORDS:
            raise ValueError(f"{word!r} is already a unit ({WORDS[word]})")
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
        return WORDS[word]
    except KeyError:
        raise UnknownUnitError(word) from None


def _split(label: str) -> tuple[list[str], list[str]]:
    """``万元/户·年`` → (["万元"], ["户", "年"]); ``人/次`` is one counting word."""
    if label in WORDS:
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
    return sorted(WORDS, key=lambda w: (-len(w), w))


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
