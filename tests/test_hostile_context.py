"""The host program's Decimal context never reaches a value read, cached or scored.

A value read under a hostile context is cached process-wide: were it computed in that context,
a later caller in a clean one would score with it (9.99 read as 10, and met).
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from perfscore.readers import load_forms
from perfscore.text.values import Comparison, parse_value
from tests import formats
from tests.conftest import EXAMPLES

_HOSTILE = decimal.Context(prec=3, rounding=decimal.ROUND_UP)
_TRAPPING = decimal.Context(
    prec=3, rounding=decimal.ROUND_UP, traps=[decimal.Rounded, decimal.Inexact]
)


@pytest.mark.parametrize(
    ("text", "magnitude"),
    [("12万3千4百人", Decimal(123400)), ("1小时31分钟", Decimal(91)), ("3天半", Decimal("3.5"))],
)
def test_compound_numbers_are_cached_as_read_in_a_clean_context(
    text: str, magnitude: Decimal
) -> None:
    """parse_value under prec=3, ROUND_UP first, then in a clean context: the exact number."""
    with decimal.localcontext(_HOSTILE):
        first = parse_value(text)
    again = parse_value(text)
    assert isinstance(first, Comparison)
    assert isinstance(again, Comparison)
    assert first.quantity.magnitude == again.quantity.magnitude == magnitude


def test_compound_durations_read_under_trapping_context() -> None:
    """A host context trapping Rounded does not make a duration unreadable."""
    with decimal.localcontext(_TRAPPING):
        value = parse_value("2小时17分钟")
    assert isinstance(value, Comparison)
    assert value.quantity.magnitude == 137


def test_percent_cells_read_as_printed_under_any_context(tmp_path: Path) -> None:
    """A workbook's 96.51% reads as 96.51% under prec=3 and with Rounded trapped."""
    form = yaml.safe_load((EXAMPLES / "luohu-2024-notary-lawyers.yaml").read_text("utf-8"))
    lay = formats.layout([form])
    row = next(r for r, cells in enumerate(lay.rows) if cells[6] == "0.9")
    lay.rows[row][6] = 0.9651
    lay.percent.add((row, 6))
    name = lay.rows[row][3]
    path = formats.to_xlsx(lay, tmp_path / "rate.xlsx")
    with decimal.localcontext(_TRAPPING):
        (read,) = load_forms(path, isolate=False)
    assert [i.actual for i in read.indicators if i.name == name] == ["96.51%"]


def test_a_valid_rule_file_loads_under_a_trapping_context(tmp_path: Path) -> None:
    """A host trapping Rounded and Inexact at prec=3: a rule file with units of its own and
    long constants loads, its constants exact."""
    from perfscore.ruleset.rules import load_rules

    path = tmp_path / "r.yaml"
    path.write_text(
        "name: r\ntitle: t\nextends: national-2020\n"
        'units: ["担 = 50 kilogram", "箩 = 1.2345678 kilogram"]\n'
        "quantitative:\n  score: weight * min(achievement, 1.23456789)\n",
        "utf-8",
    )
    with decimal.localcontext(_TRAPPING):
        rules = load_rules(path)
    assert rules.local_units["箩"].factor == Decimal("1234.5678")
