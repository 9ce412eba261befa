"""Scoring: the points a judged indicator earns, and the budget-execution score.

Scores follow the rule set: full weight for a met quantitative target, the quantitative score
formula over the achievement otherwise, the qualitative formula over the completion, an
indicator rule where one matches the name, the not-applicable policy, then rounding
(四舍五入 to two places by default).  Every step is recorded as a
:class:`~perfscore.words.steps.Step`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from perfscore.engine.judge import Outcome
from perfscore.engine.results import ExecutionResult, IndicatorResult
from perfscore.errors import FormulaError
from perfscore.form.model import Budget
from perfscore.ruleset.rules import RuleSet
from perfscore.text.values import Comparison, parse_value
from perfscore.words.flags import Flagger
from perfscore.words.messages import percent, plain, substitute
from perfscore.words.steps import Step

__all__ = ["execution", "rescale", "score"]

_ONE = Decimal(1)
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def _rounding(rules: RuleSet, raw: Decimal, score: Decimal) -> Step:
    how = rules.spec.rounding
    return Step("rounding", (raw, score, how.mode, how.places))


def execution(budget: Budget, rules: RuleSet, flag: Flagger) -> ExecutionResult:
    """预算执行: the rate (executed / 全年预算数, rounded as the rule set says) and its score,
    with the printed rate and score checked against them."""
    weight = budget.weight if budget.weight is not None else rules.weights.execution
    adjusted, executed = budget.adjusted, budget.executed
    if adjusted is None and budget.initial and executed is not None:
        # Only 年初预算数 printed: the rate a reader would work out is against it.
        adjusted = budget.initial
        flag("execution-from-initial", ("budget", "initial"), initial=adjusted)
    if adjusted is None or executed is None or adjusted <= 0:
        return ExecutionResult(
            adjusted, executed, None, None, weight, None, budget.score, (), flag.lang
        )
    exact = executed / adjusted
    rate = exact.quantize(Decimal(1).scaleb(-rules.spec.execution.rate_places))
    try:
        raw = rules.execution_score(weight=weight, rate=rate)
    except FormulaError as exc:
        flag("formula-failed", ("budget", "score"), detail=str(exc))
        return ExecutionResult(adjusted, executed, rate, None, weight, None, budget.score)
    score = rules.round(raw)
    formula = rules.execution_score.text
    steps = (
        Step("execution-rate", (executed, adjusted, exact.quantize(Decimal("1e-6")), rate)),
        Step("score", (formula, substitute(formula, weight=plain(weight), rate=plain(rate)), raw)),
        _rounding(rules, raw, score),
    )
    reported_rate = _check_rate(budget.rate, exact, flag)
    if budget.score is not None and abs(budget.score - score) > rules.tolerance:
        flag(
            "execution-score-mismatch",
            ("budget", "score"),
            reported=budget.score,
            recomputed=score,
            formula=f"{plain(weight)} × {percent(min(rate, _ONE))}",
        )
    return ExecutionResult(
        adjusted, executed, rate, reported_rate, weight, score, budget.score, steps, flag.lang
    )


def _check_rate(text: str | None, exact: Decimal, flag: Flagger) -> Decimal | None:
    """The printed rate as a fraction, checked against executed / budget at the places it is
    printed to; ``None`` where no rate is printed or it is no number."""
    printed = _printed_rate(text, exact) if text else None
    if printed is None:
        return None
    reported, places = printed
    step = Decimal(1).scaleb(-places)
    # Forms print the rate rounded or cut to their places (97.80% for 97.808%).
    readings = (
        exact.quantize(step, rounding=ROUND_HALF_UP),
        exact.quantize(step, rounding=ROUND_DOWN),
    )
    if reported not in readings:
        flag(
            "execution-rate-mismatch",
            ("budget", "rate"),
            reported=percent(reported),
            recomputed=percent(exact),
        )
    return reported


def _printed_rate(text: str, exact: Decimal) -> tuple[Decimal, int] | None:
    """The printed rate, read once: as a fraction (``"96.86"`` and ``"96.86%"`` are both
    0.9686), and the places of that fraction the print carries (four for both).

    A bare number no greater than 1 could be a fraction (0.9686) or a percent (1%): the reading
    closer to executed / budget is taken.
    """
    value = parse_value(text)
    if not isinstance(value, Comparison):
        return None
    q = value.quantity
    number = text.strip().rstrip("%％").replace(",", "")
    places = len(number.split(".")[1]) if "." in number else 0
    if q.unit.is_percent:
        return q.base, places + 2
    if not q.unit.is_number:
        return None
    reported = q.magnitude / _HUNDRED
    if q.magnitude <= _ONE and abs(q.magnitude - exact) < abs(reported - exact):
        reported = q.magnitude
    # Read as a fraction (0.9686), the print's places are the fraction's; read as a percent
    # (96.86), two more.
    return reported, places if reported == q.magnitude else places + 2


def rescale(total: Decimal, results: Sequence[IndicatorResult], rules: RuleSet) -> Decimal:
    """用适用指标得分汇总后按百分制折算: scale applicable scores up to the full total."""
    excluded = sum(
        (r.weight for r in results if r.status == "not_applicable" and r.weight is not None),
        _ZERO,
    )
    possible = rules.weights.total - excluded
    return total * rules.weights.total / possible if possible > 0 else total


def score(
    outcome: Outcome, weight: Decimal, rules: RuleSet, name: str = ""
) -> tuple[Decimal | None, tuple[Step, ...]]:
    """The recomputed score of a judged indicator and the steps that make it.

    :raises FormulaError: a rule formula failed at these values.
    """
    if outcome.status == "not_applicable":
        policy = rules.spec.not_applicable
        score = rules.round(weight) if policy == "full" else rules.round(_ZERO)
        return score, (Step("not-applicable-policy", (policy, score)),)
    rule = rules.rule_for(name) if outcome.values is not None else None
    if rule is not None and outcome.values is not None:
        actual, target = (rule.in_unit(v) for v in outcome.values)
        raw, how = rule.points(
            weight, actual=actual, target=target, achievement=outcome.achievement or _ZERO
        )
        bounded = min(max(raw, _ZERO), weight)
        score = rules.round(bounded)
        return score, (Step("indicator-rule", (how, raw)), _rounding(rules, bounded, score))
    if outcome.status == "met" and outcome.kind != "qualitative":
        score = rules.round(weight)
        return score, (Step("full-marks", (score,)),)
    if outcome.achievement is None:
        return None, ()
    if outcome.kind == "qualitative":
        formula = rules.qualitative_score
        raw = formula(weight=weight, completion=outcome.achievement)
        shown = substitute(
            formula.text, weight=plain(weight), completion=plain(outcome.achievement)
        )
    else:
        formula = rules.quantitative_score
        raw = formula(weight=weight, achievement=outcome.achievement)
        shown = substitute(
            formula.text, weight=plain(weight), achievement=plain(outcome.achievement)
        )
    bounded = min(max(raw, _ZERO), weight)
    score = rules.round(bounded)
    return score, (Step("score", (formula.text, shown, raw)), _rounding(rules, bounded, score))
