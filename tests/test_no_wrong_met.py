"""No wrong met: properties over the value grammar that no words around a number, no negated
bound and no zero target can turn a shortfall into a met (issue 20)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

import perfscore
from perfscore import parse_value
from perfscore.text.operators import OPERATORS, Op
from perfscore.text.values import Comparison
from tests.strategies import positive, units

# Words a person puts before or after a completion's number: a verdict, an approximation, a
# total, a plan, a forecast, a denial.
_BEFORE = st.sampled_from(
    [
        *("", "已完成", "完成", "实际完成", "约", "共", "共计", "累计", "全年"),
        *("计划", "预计", "计划完成", "预计完成", "力争", "目标"),
        *("未达到", "没有达到", "未能达到", "不足", "不到", "未完成", "尚未完成"),
    ]
)
_AFTER = st.sampled_from(["", "左右", "余", "（预计）", "(目标值)", "未达标", "，未完成"])
# Negated bounds and the direction each keeps.
_NEGATED = st.sampled_from(
    [
        ("不低于", Op.GE),
        ("不少于", Op.GE),
        ("不得低于", Op.GE),
        ("不得少于", Op.GE),
        ("不应低于", Op.GE),
        ("不能低于", Op.GE),
        ("不宜低于", Op.GE),
        ("不超过", Op.LE),
        ("不得超过", Op.LE),
        ("不能超过", Op.LE),
        ("不宜超过", Op.LE),
        ("不应超过", Op.LE),
        ("不得高于", Op.LE),
        ("不高于", Op.LE),
    ]
)
_COUNTS = st.sampled_from(["", "次", "件", "人", "起", "个"])
_ZEROS = st.sampled_from(["0", "0次", "0件", "0人", "0起", "零", "0个"])


def _row(target: str, actual: str, name: str = "指标") -> perfscore.IndicatorResult:
    form = {
        "project": "p",
        "year": 2024,
        "indicators": [
            {
                "level1": "产出指标",
                "level2": "数量指标",
                "name": name,
                "target": target,
                "actual": actual,
                "weight": 10,
                "reason": "说明",
            }
        ],
    }
    return perfscore.evaluate(form, "national-2020").indicators[0]


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


@given(positive, positive, units, _BEFORE, _AFTER, st.sampled_from(["≥", ">", "不低于"]))
def test_a_shortfall_is_never_met_whatever_the_words(
    target: Decimal, actual: Decimal, unit: str, before: str, after: str, op: str
) -> None:
    """An actual below its ≥ target by the numbers is never met, whatever is printed around
    it: 已完成, 约, 共, 计划, 预计, a denial."""
    assume(actual < target)
    row = _row(f"{op}{_plain(target)}{unit}", f"{before}{_plain(actual)}{unit}{after}")
    assert row.status != "met", (row.target, row.actual)


@given(positive, positive, units, _BEFORE, _AFTER)
def test_an_excess_over_a_limit_is_never_met_whatever_the_words(
    limit: Decimal, actual: Decimal, unit: str, before: str, after: str
) -> None:
    """An actual above its ≤ limit by the numbers is never met, whatever is printed around it."""
    assume(actual > limit)
    row = _row(f"≤{_plain(limit)}{unit}", f"{before}{_plain(actual)}{unit}{after}")
    assert row.status != "met", (row.target, row.actual)


@given(_NEGATED, positive, units)
def test_a_negated_bound_keeps_its_direction(
    negated: tuple[str, Op], bound: Decimal, unit: str
) -> None:
    """不得低于 90% is at least 90%, 不得超过 5天 at most 5 days: the denial turns the bound
    word around, never the target."""
    word, op = negated
    target = parse_value(f"{word}{_plain(bound)}{unit}")
    assert isinstance(target, Comparison)
    assert target.op is op
    assert target.quantity.magnitude == bound


@given(_NEGATED, positive, units)
def test_the_wrong_side_of_a_negated_bound_is_never_met(
    negated: tuple[str, Op], bound: Decimal, unit: str
) -> None:
    """80% against 不得低于90% (or 7天 against 不得超过5天) misses the target."""
    word, op = negated
    worse = bound / 2 if OPERATORS[op].better == "higher" else bound * 2
    row = _row(f"{word}{_plain(bound)}{unit}", f"{_plain(worse)}{unit}")
    assert row.status != "met"


@given(_ZEROS, st.integers(min_value=1, max_value=100_000), _COUNTS)
def test_a_zero_target_is_never_met_by_a_positive_count(zero: str, count: int, unit: str) -> None:
    """A bare zero (0次, 0, 零) is "no more than zero": 3次 against it is never met."""
    row = _row(zero, f"{count}{unit}", name="有效投诉次数")
    assert row.status != "met", (row.target, row.actual)


@given(st.integers(min_value=1, max_value=11), st.sampled_from(["每月", "每季度", "每周"]))
def test_a_count_for_the_year_below_a_per_period_target_is_never_met(
    done: int, period: str
) -> None:
    """每月 ≥1次 against 5 done in the year is no ×5 over-achievement: it falls short."""
    periods = {"每月": 12, "每季度": 4, "每周": 52}[period]
    assume(done < periods)
    row = _row("≥1次", str(done), name=f"{period}开展活动次数")
    assert row.status != "met"


def test_a_bare_zero_target_takes_the_unit_of_the_actual() -> None:
    """hunan-department: 预算调整率 target 0 completed 15% is 0.15 (1 point), never 15 (0)."""
    form = {
        "project": "p",
        "kind": "department",
        "indicators": [
            {"name": "预算调整率", "target": "0", "actual": "15%", "weight": 3, "reason": "调整"}
        ],
    }
    row = perfscore.evaluate(form, "hunan-department").indicators[0]
    assert row.score == Decimal("1.00")


def test_a_yuan_sign_is_yuan_whatever_the_form_unit() -> None:
    """￥3,500 against a 万元 target is 3500 元 (0.35 万元), as 3,500元 is."""
    value = parse_value("￥3,500")
    assert isinstance(value, Comparison)
    assert value.quantity.unit.label == "元"
    assert value.quantity.magnitude == Decimal(3500)
    assert _row("≤20万元", "￥300,000", name="项目支出").status == "partly_met"


def test_the_total_says_what_it_took_on_trust() -> None:
    """A form whose printed scores of unjudged rows make up the total says so: the flag names
    the rows and the points, and the result carries the verified share."""
    form = {
        "project": "p",
        "indicators": [
            {"name": "a", "target": "≥10次", "actual": "12次", "weight": 20, "score": 20},
            {"name": "b", "target": "80&", "actual": "90&", "weight": 80, "score": 80},
        ],
        "total": 100,
    }
    result = perfscore.evaluate(form)
    assert result.total == Decimal(100)
    assert result.verified == Decimal("0.2")
    assert result.trusted == (1,)
    trusted = [f for f in result.flags if f.code == "printed-scores-trusted"]
    assert [f.path for f in trusted] == ["total"]
    assert result.to_dict()["verified_share"] == "0.2000"


def test_a_small_count_beaten_by_a_few_is_no_over_achievement() -> None:
    """≥1次 completed 3 (seeds 001, 002) raises nothing an auditor ignores; ≧50人 completed 147
    still warns (national-2020's over_achievement_margin)."""
    small = perfscore.evaluate(
        {"project": "p", "indicators": [{"name": "培训次数", "target": "≥1次", "actual": "3"}]}
    )
    large = perfscore.evaluate(
        {"project": "p", "indicators": [{"name": "人数", "target": "≧50人", "actual": "147"}]}
    )
    assert "over-achievement" not in {f.code for f in small.flags}
    assert "over-achievement" in {f.code for f in large.flags}


def test_an_execution_rate_row_is_checked_against_the_budget_amounts() -> None:
    """预算执行率 printed 100% among the indicators where the budget block's amounts give 91%:
    flagged as the budget row's printed rate is; 91% passes."""
    form = {
        "project": "p",
        "money_unit": "元",
        "budget": {"adjusted": 100000, "executed": 91000},
        "indicators": [
            {"name": "预算执行率", "target": "≥90%", "actual": "100%", "weight": 10},
            {"name": "资金执行率", "target": "≥90%", "actual": "91%", "weight": 10},
        ],
    }
    flags = [(f.code, f.path) for f in perfscore.evaluate(form).flags]
    assert ("execution-rate-mismatch", "indicators[0].actual") in flags
    assert not [p for c, p in flags if c == "execution-rate-mismatch" and "[1]" in p]


@given(
    st.integers(min_value=1, max_value=100),
    st.sampled_from(["预计", "计划", "力争", "未完成", "无法完成", "尚未完成"]),
    st.sampled_from(["有效提升", "效果显著", "明显改善"]),
)
def test_a_plan_or_a_denial_never_meets_a_qualitative_target(
    share: int, words: str, target: str
) -> None:
    """预计95% or 未完成95% against 有效提升 is not a completion of 95%: never met."""
    assert _row(target, f"{words}{share}%").status != "met"
