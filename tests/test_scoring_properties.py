"""Properties of scoring: scores stay within [0, weight] and never fall as the actual rises."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

import perfscore
from tests.strategies import magnitudes, positive, units, weights


def _score(target: str, actual: str, weight: Decimal, name: str = "指标") -> Any:
    form = {
        "project": "p",
        "indicators": [{"name": name, "target": target, "actual": actual, "weight": weight}],
    }
    return perfscore.evaluate(form).indicators[0]


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


@given(st.sampled_from(["≥", "≤", ">", "<", "", "="]), positive, magnitudes, weights, units)
def test_score_within_weight(
    op: str, target: Decimal, actual: Decimal, weight: Decimal, unit: str
) -> None:
    """Whatever the numbers, a recomputed score lies in [0, weight]."""
    row = _score(f"{op}{_plain(target)}{unit}", f"{_plain(actual)}{unit}", weight)
    assert row.score is not None
    assert Decimal(0) <= row.score <= weight


@given(positive, magnitudes, magnitudes, weights, units)
def test_score_monotone_for_higher_is_better(
    target: Decimal, a: Decimal, b: Decimal, weight: Decimal, unit: str
) -> None:
    """For a ≥ target, a larger actual never scores less."""
    low, high = sorted((a, b))
    t = f"≥{_plain(target)}{unit}"
    assert (
        _score(t, f"{_plain(low)}{unit}", weight).score
        <= _score(t, f"{_plain(high)}{unit}", weight).score
    )


@given(positive, positive, positive, weights)
def test_score_monotone_for_lower_is_better(
    target: Decimal, a: Decimal, b: Decimal, weight: Decimal
) -> None:
    """For a ≤ target, a larger actual never scores more."""
    low, high = sorted((a, b))
    t = f"≤{_plain(target)}%"
    assert _score(t, f"{_plain(low)}%", weight).score >= _score(t, f"{_plain(high)}%", weight).score


@given(positive, magnitudes, weights)
def test_met_target_scores_full_weight(target: Decimal, extra: Decimal, weight: Decimal) -> None:
    """A ≥ target reached or beaten scores exactly its weight."""
    row = _score(f"≥{_plain(target)}人", f"{_plain(target + extra)}人", weight)
    assert row.status == "met"
    assert row.score == weight


@given(st.decimals(min_value=0, max_value=Decimal("1.5"), places=2), weights)
def test_qualitative_completion_scores_weight_times_percent(
    completion: Decimal, weight: Decimal
) -> None:
    """效果显著 completed p% scores weight × min(p, 100%), half-up to 2 places."""
    row = _score("效果显著", f"{_plain(completion * 100)}%", weight)
    expected = (weight * min(completion, Decimal(1))).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    assert row.score == expected


@given(positive, positive, weights)
def test_proportional_shortfall(target: Decimal, actual: Decimal, weight: Decimal) -> None:
    """A missed ≥ target scores actual / target × weight, rounded half-up."""
    assume(actual < target)
    row = _score(f"≥{_plain(target)}件", f"{_plain(actual)}件", weight)
    expected = (weight * (actual / target)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    assert row.score == expected
