"""The unit table is what pint computes; printed units convert as pint converts them."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pint
import pytest

from perfscore.text import units
from perfscore.text._unit_table import BASE


def test_table_is_what_pint_computes() -> None:
    """_unit_table.py equals the registry's own base units (regenerate it if this fails)."""
    assert units.base_table() == BASE


def test_committed_table_is_what_the_script_writes() -> None:
    """_unit_table.py is byte for byte what scripts/gen_unit_table.py writes (run it if not)."""
    script = Path(__file__).parent.parent / "scripts" / "gen_unit_table.py"
    spec = importlib.util.spec_from_file_location("gen_unit_table", script)
    assert spec is not None
    assert spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert generator.TABLE.read_text(encoding="utf-8") == generator.render()


WORDS = sorted(w for family in units.FAMILIES.values() for w in family)


@pytest.mark.parametrize("label", WORDS)
def test_simple_units_match_pint(label: str) -> None:
    """Every printed unit resolves as the package's pint registry resolves it."""
    unit = units.resolve(label)
    assert (unit.dimension, unit.factor) == units.resolve_with_pint(label)


DENOMINATORS = ["人", "户", "次", "天", "月", "季度", "年", "户·年", "人·月", "平方米", "亩"]


@pytest.mark.parametrize("den", DENOMINATORS)
def test_rates_match_pint(den: str) -> None:
    """Every printed unit per each denominator (次/年, 元/人, 万元/户·年) resolves as pint does."""
    for word in WORDS:
        label = f"{word}/{den}"
        unit = units.resolve(label)
        dimension, factor = units.resolve_with_pint(label)
        assert unit.dimension == dimension, label
        assert abs(unit.factor - factor) <= abs(factor) * Decimal("1e-20"), label


# Factors checked against pint's own default registry (not the package's definitions).
STANDARD = [
    ("毫米", "millimeter"),
    ("厘米", "centimeter"),
    ("米", "meter"),
    ("公里", "kilometer"),
    ("千米", "kilometer"),
    ("平方米", "meter ** 2"),
    ("平方公里", "kilometer ** 2"),
    ("公顷", "hectare"),
    ("亩", "hectare / 15"),
    ("克", "gram"),
    ("千克", "kilogram"),
    ("公斤", "kilogram"),
    ("斤", "0.5 * kilogram"),
    ("吨", "metric_ton"),
    ("毫升", "milliliter"),
    ("升", "liter"),
    ("立方米", "meter ** 3"),
    ("方", "meter ** 3"),
    ("瓦", "watt"),
    ("千瓦", "kilowatt"),
    ("兆瓦", "megawatt"),
    ("千瓦时", "kilowatt_hour"),
    ("度", "kilowatt_hour"),
    ("秒", "second"),
    ("分钟", "minute"),
    ("小时", "hour"),
    ("天", "day"),
    ("周", "week"),
    ("次/年", "1 / (365 * day)"),
    ("万元/户·年", "10000 / (365 * day)"),
    ("公里/小时", "kilometer / hour"),
    ("吨/亩", "metric_ton / (hectare / 15)"),
]


@pytest.fixture(scope="module")
def default_registry() -> pint.UnitRegistry[Decimal]:
    return pint.UnitRegistry(non_int_type=Decimal, cache_folder=None)


@pytest.mark.parametrize(("label", "expression"), STANDARD)
def test_factors_agree_with_pint_defaults(
    label: str, expression: str, default_registry: pint.UnitRegistry[Decimal]
) -> None:
    """Printed units have the factor pint's default registry gives the SI unit they name.

    The package's base units are metre, gram, second (pint's are metre, kilogram, second), so
    ratios are compared: the unit against 米, 克 or 秒 in both registries.
    """
    unit = units.resolve(label)
    q = default_registry.parse_expression(expression).to_base_units()
    # Express ours in pint's base: grams → kilograms where mass is involved.
    mass_power = int(Decimal(str(q.dimensionality.get("[mass]", 0))))
    ours_in_pint_base = unit.factor / Decimal(1000) ** mass_power
    magnitude = Decimal(str(q.magnitude))
    assert abs(ours_in_pint_base - magnitude) <= abs(magnitude) * Decimal("1e-12"), label


def test_dimensions_are_distinct() -> None:
    """Length, area, volume, mass, power, energy, time, count, money never compare."""
    dims = {
        units.resolve(w).dimension
        for w in ["米", "平方米", "立方米", "克", "瓦", "千瓦时", "天", "人", "元", "分"]
    }
    assert len(dims) == 10
    assert units.resolve("平方米").dimension == "[length]**2"
    assert units.resolve("万元/户·年").dimension == "[currency] / [count] * [time]"


def test_prefixed_units_are_units() -> None:
    """千米, 千克 and 千瓦 are a kilometre, a kilogram and a kilowatt."""
    assert units.resolve("千米").factor == units.resolve("米").factor * 1000
    assert units.resolve("千克").factor == units.resolve("克").factor * 1000
    assert units.resolve("千瓦").factor == units.resolve("瓦").factor * 1000


def test_mu_and_hectare() -> None:
    """15 亩 make a 公顷 (亩 = 10000/15 m², printed as 666.67 m²)."""
    mu = units.resolve("亩").factor
    assert (mu * 15).quantize(Decimal("1e-12")) == units.resolve("公顷").factor
    assert mu.quantize(Decimal("0.01")) == Decimal("666.67")


def test_unknown_unit() -> None:
    """A spelling outside the registry is refused by resolve; unknown() compares with itself."""
    with pytest.raises(units.UnknownUnitError):
        units.resolve("光年")
    assert units.unknown("箱子").dimension == units.unknown("箱子").dimension
    assert units.unknown("箱子").dimension != units.unknown("盒子").dimension
    assert not units.unknown("箱子").is_known


def test_local_units_resolved_by_pint() -> None:
    """A rule set's own units (pint definition syntax) resolve to the table's dimensions."""
    local = units.local_units(["担 = 50 kg", "标准亩 = 666.67 m**2", "市担 = 100 斤"])
    assert local["担"].dimension == "[mass]"
    assert local["担"].factor == Decimal(50_000)
    assert local["标准亩"].dimension == "[length]**2"
    assert local["标准亩"].factor == Decimal("666.67")
    assert local["市担"].factor == Decimal(50_000)


@pytest.mark.parametrize("line", ["担 50 kg", "担 = 50 furlongs_of_nothing", "米 = 2 m"])
def test_local_units_refused(line: str) -> None:
    """A definition pint cannot read, or one redefining a known word, is refused."""
    with pytest.raises(ValueError, match=r"担|米"):
        units.local_units([line])


def test_reading_does_not_import_pint() -> None:
    """Reading a form's values uses the generated table: pint is not imported."""
    code = (
        "import sys, perfscore\n"
        "perfscore.parse_value('≥2公里'); perfscore.parse_value('每季度1次')\n"
        "assert 'pint' not in sys.modules, 'pint imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
