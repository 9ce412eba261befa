"""The roll-up reads every actual exactly as the engine does: one reading, in one place."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from perfscore.rollup import IndicatorRollup, aggregate
from tests.conftest import DATA, EXAMPLES


def _form(project: str, budget: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "project": project,
        "money_unit": "万元",
        "budget": {"adjusted": budget, "executed": budget},
        "indicators": rows,
    }


def _rolled(name: str, *forms: dict[str, Any]) -> IndicatorRollup:
    rollup = aggregate(perfscore.evaluate(f) for f in forms)
    return next(i for i in rollup.indicators if i.name == name)


def test_ratio_actual_is_a_percentage_in_the_rollup() -> None:
    """Regression: ``aggregate`` showed a ``0.9`` satisfaction as 0.9% where the engine reads
    90% (ratio-read-as-percent)."""
    a = _form("甲", "100", [{"name": "群众满意度", "target": "≥90%", "actual": "0.9"}])
    b = _form("乙", "100", [{"name": "群众满意度", "target": "≥90%", "actual": "95%"}])
    result = perfscore.evaluate(a)
    assert result.indicators[0].status == "met"
    assert "ratio-read-as-percent" in {f.code for f in result.flags}
    rolled = _rolled("群众满意度", a, b)
    assert rolled.value == Decimal("0.925")
    assert rolled.shown == "92.5%"


@pytest.mark.parametrize(
    ("target", "actual", "shown"),
    [
        ("≥90%", "0.9", "90%"),
        ("≥90%", "90%", "90%"),
        ("80%-95%", "0.9", "90%"),
        ("效果显著", "0.9", "90%"),
        ("效果显著", "90%", "90%"),
        ("≥50人", "147", "147人"),
        ("≥50人", "147人", "147人"),
        ("≥2万元", "25000元", "25000元"),
    ],
)
def test_rollup_reads_as_the_engine(target: str, actual: str, shown: str) -> None:
    """Bare numbers take the target's unit, ratios against percentages are percentages, and
    completions of qualitative targets are percentages, as in the engine."""
    form = _form("甲", "100", [{"name": "指标", "target": target, "actual": actual}])
    assert _rolled("指标", form).shown == shown


def test_actual_the_engine_cannot_compare_is_left_out() -> None:
    """An actual in another dimension than its target is not compared, nor rolled up."""
    form = _form("甲", "100", [{"name": "培训人数", "target": "≥50人", "actual": "3天"}])
    rollup = aggregate([perfscore.evaluate(form)])
    assert not rollup.indicators


@given(st.integers(min_value=1, max_value=100))
def test_ratio_and_percentage_roll_up_the_same(points: int) -> None:
    """An actual printed as a ratio rolls up as the same actual printed as a percentage."""
    ratio = Decimal(points) / 100
    as_ratio = _form("甲", "100", [{"name": "完成率", "target": "≥90%", "actual": str(ratio)}])
    as_percent = _form("甲", "100", [{"name": "完成率", "target": "≥90%", "actual": f"{points}%"}])
    assert _rolled("完成率", as_ratio).value == _rolled("完成率", as_percent).value == ratio


def test_traditional_and_simplified_forms_roll_up_together() -> None:
    """A form typed in traditional script joins its simplified twin's indicators by name."""
    simplified = perfscore.evaluate(EXAMPLES / "luohu-2024-social-workers.yaml")
    traditional = perfscore.evaluate(
        DATA / "traditional" / "luohu-2024-social-workers-traditional.yaml"
    )
    rollup = aggregate([simplified, traditional])
    people = next(i for i in rollup.indicators if i.name == "社工人数")
    assert (people.method, people.value, people.projects) == ("sum", Decimal(32), 2)
    assert rollup.budget == 2 * Decimal(2_025_000)
