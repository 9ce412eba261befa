"""The fast path judges the commonest pair exactly as the general judge does, and leaves every
other pair to it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from perfscore import parse_value
from perfscore.engine.judge import judge
from perfscore.engine.judge.fast import fast_judgement
from perfscore.ruleset.loading import load_rules
from perfscore.ruleset.rules import RuleSet
from tests.strategies import magnitudes, units, value_text

_CASES = yaml.safe_load((Path(__file__).parent / "cases" / "values.yaml").read_text("utf-8"))
PAIRS = [(c["target"], c["actual"]) for c in _CASES if "target" in c and "actual" in c]
RULES = {name: load_rules(name) for name in ("national-2020", "linear-reverse", "sichuan")}

# Names that make the general judge ask more: a period (每月), a change, a limit, money.
NAMES = ["培训人数", "每月巡查次数", "季度督查次数", "增长率", "成本控制率", "投诉率", "满意度"]
_COMPARATORS = ["≥", "≤", ">", "<", "不低于", "不超过", "", "约", "=", "≧"]

target_text = st.builds(
    lambda op, number, unit, after: f"{op}{number}{unit}{after}",
    st.sampled_from(_COMPARATORS),
    magnitudes.map(str),
    units,
    st.sampled_from(["", "", "以上", "以内", "左右"]),
)
actual_text = st.builds(
    lambda pre, number, unit: f"{pre}{number}{unit}",
    st.sampled_from(["", "", "", "约", "预计", "-", "≥"]),
    magnitudes.map(str),
    units,
)


def _same_as_general(rules: RuleSet, name: str, target: str, actual: str) -> bool:
    """Whether the fast path answered; when it did, its outcome is the general judge's."""
    t, a = parse_value(target), parse_value(actual)
    fast = fast_judgement(rules, name, t, a, level2="数量指标", year=2024)
    if fast is None:
        return False
    general = judge(rules, name, t, a, level2="数量指标", year=2024)
    assert fast == general, (name, target, actual)
    assert not general.findings  # the fast path never answers where a flag is due
    return True


@settings(deadline=None, max_examples=400)
@given(
    st.sampled_from(sorted(RULES)),
    st.sampled_from(NAMES),
    target_text,
    st.one_of(actual_text, value_text),
)
def test_the_fast_path_is_the_general_judge(
    rules: str, name: str, target: str, actual: str
) -> None:
    """Bounds, numbers and units as forms print them, and any text as the actual."""
    _same_as_general(RULES[rules], name, target, actual)


@settings(deadline=None, max_examples=200)
@given(st.sampled_from(NAMES), value_text, value_text)
def test_any_texts_are_judged_as_by_the_general_judge(name: str, target: str, actual: str) -> None:
    """Any two texts of the value grammar's alphabet."""
    _same_as_general(RULES["national-2020"], name, target, actual)


@pytest.mark.parametrize(("target", "actual"), PAIRS)
def test_every_case_pair_is_judged_as_by_the_general_judge(target: str, actual: str) -> None:
    """Every pair of tests/cases/values.yaml, under each name."""
    for name in NAMES:
        _same_as_general(RULES["national-2020"], name, target, actual)


@pytest.mark.parametrize(
    ("target", "actual"),
    [
        ("≥90%", "95%"),
        ("≤5天", "4天"),
        ("≥200人", "180人"),
        ("<3%", "2.5%"),
        ("≥90%", "80%"),
        ("≥90%", "96"),  # a bare number takes the target's unit
        ("≥5天", "100小时"),  # another unit of the same thing, converted as the judge does
    ],
)
def test_the_commonest_pairs_take_the_fast_path(target: str, actual: str) -> None:
    """A bound against a number in its unit (or bare, or in another unit of the same
    thing) is answered by the fast path."""
    assert _same_as_general(RULES["national-2020"], "培训人数", target, actual)


@pytest.mark.parametrize(
    ("name", "target", "actual"),
    [
        ("培训人数", "≥90%", "0.95"),  # a ratio read as a percentage: a flag
        ("培训人数", "≥90%", "约95%"),  # approximate: a flag
        ("培训人数", "≥10人", "300人"),  # over-achievement: a flag
        ("每月巡查次数", "≥1次", "14次"),  # a period in the name: scaled, a flag
        ("培训人数", "90%", "95%"),  # no comparator: the direction is inferred, a flag
        ("培训人数", "≥5天", "4人"),  # units that do not compare: a flag
        ("培训人数", "≥5人", "100%"),  # a percentage against a count: a share done, a flag
    ],
)
def test_pairs_with_something_to_say_take_the_general_path(
    name: str, target: str, actual: str
) -> None:
    """Where the general judge has a flag to raise or a conversion to make, the fast path
    does not answer."""
    assert not _same_as_general(RULES["national-2020"], name, target, actual)
