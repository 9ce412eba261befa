"""The unit table is what pint computes from the definitions."""

from __future__ import annotations

import itertools

import pytest

from perfscore import units
from perfscore._unit_table import BASE


def test_table_is_what_pint_computes() -> None:
    """_unit_table.py equals the registry's own base units (regenerate it if this fails)."""
    assert units.base_table() == BASE


WORDS = sorted({*units.COUNT_WORDS, *units._TIME_WORDS, *units._MONEY_WORDS, *units._PERCENT_WORDS})


@pytest.mark.parametrize("label", WORDS)
def test_simple_units_match_pint(label: str) -> None:
    """Every printed unit resolves as pint resolves it."""
    unit = units.resolve(label)
    assert (unit.dimension, unit.factor) == units.resolve_with_pint(label)


def test_rates_match_pint() -> None:
    """Every rate a/b of two printed units resolves as pint resolves it."""
    checked = 0
    for a, b in itertools.product(WORDS, repeat=2):
        label = f"{a}/{b}"
        unit = units.resolve(label)
        dimension, factor = units.resolve_with_pint(label)
        assert unit.dimension == dimension, label
        assert abs(unit.factor - factor) <= abs(factor) * units.Decimal("1e-20"), label
        checked += 1
    assert checked == len(WORDS) ** 2


def test_unknown_unit() -> None:
    """A spelling outside the registry is refused."""
    with pytest.raises(units.UnknownUnitError):
        units.resolve("光年")
