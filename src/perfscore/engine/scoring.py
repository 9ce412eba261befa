"""Scoring: the points a judged indicator earns, and the budget-execution score.

Scores follow the rule set: full weight for a met quantitative target, the quantitative score
formula over the achievement otherwise, the qualitative formula over the completion, an
indicator rule where one matches the name, the not-applicable policy, then rounding
(四舍五入 to two places by default).  Every step is written to a trace.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from perfscore.engine.judge import Judgement
from perfscore.engine.results import ExecutionResult, IndicatorResult
from perfscore.errors import FormulaError
from perfscore.form.model import Budget
from perfscore.ruleset.rules import RuleSet
from perfscore.text.values import Comparison, parse_value
from perfscore.words.flags import Flagger
from perfscore.words.messages import formula_text, percent, plain, rounding_note, say, substitute

__all__ = ["execution", "rescale", "score"]

_ONE = Decimal(1)
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


#: The not-applicable policy of a rule set (``not_applicable: full|zero|rescale``) as a trace
#: says it, Chinese and English.
_NOT_APPLICABLE = {
    "full": ("不适用：按规则计满分 {score}", "not applicable: full marks under the rules, {score}"),
    "zero": ("不适用：按规则计 0 分", "not applicable: no marks under the rules"),
    "rescale": (
        "不适用：不计分，总分按适用指标折算为百分制",
        "not applicable: not scored; the total is scaled up over the applicable indicators",
    ),
}


def _how(rules: RuleSet) -> tuple[str, int]:
    return rules.spec.rounding.mode, rules.spec.rounding.places


def execution(budget: Budget, rules: RuleSet, flag: Flagger) -> ExecutionResult:
    """预算执行: the rate (executed / 全年预算数, rounded as the rule set says) and its score,
    with the printed rate and score checked against them."""
    weight = budget.weight if budget.weight is not None else rules.weights.execution
    adjusted, executed = budget.adjusted, budget.executed
    rate = score = reported_rate = None
    steps = None
    if adjusted is None and budget.initial and executed is not None:
        # Only 年初预算数 printed: the rate a reader would work out is against it.
        adjusted = budget.initial
        flag("execution-from-initial", ("budget", "initial"), initial=adjusted)
    if adjusted is not None and executed is not None and adjusted > 0:
        exact = executed / adjusted
        rate = exact.quantize(Decimal(1).scaleb(-rules.spec.execution.rate_places))
        try:
            raw = rules.execution_score(weight=weight, rate=rate)
        except FormulaError as exc:
            flag("formula-failed", ("budget", "score"), detail=str(exc))
            return ExecutionResult(adjusted, executed, rate, None, weight, None, budget.score, None)
        score = rules.round(raw)
        steps = (exact, raw, rules.execution_score.text, rules.spec.rounding, flag.en)
        reported_rate = _reported_rate(budget.rate, exact)
        if reported_rate is not None:
            # Places of the fraction the printed rate carries (96.86% and 0.9686 both four).
            places = max(-_printed_places(budget.rate or ""), 0)
            if not _is_fraction(budget.rate or "", reported_rate):
                places += 2
            step = Decimal(1).scaleb(-places)
            # Forms print the rate rounded or cut to their places (97.80% for 97.808%).
            readings = (
                exact.quantize(step, rounding=ROUND_HALF_UP),
                exact.quantize(step, rounding=ROUND_DOWN),
            )
            if reported_rate not in readings:
                flag(
                    "execution-rate-mismatch",
                    ("budget", "rate"),
                    reported=percent(reported_rate),
                    recomputed=percent(exact),
                )
        if budget.score is not None and abs(budget.score - score) > rules.tolerance:
            flag(
                "execution-score-mismatch",
                ("budget", "score"),
                reported=budget.score,
                recomputed=score,
                formula=f"{plain(weight)} × {percent(min(rate, _ONE))}",
            )
    return ExecutionResult(
        adjusted, executed, rate, reported_rate, weight, score, budget.score, steps
    )


def _printed_places(text: str) -> int:
    number = text.strip().rstrip("%％").replace(",", "")
    return -len(number.split(".")[1]) if "." in number else 0


def _is_fraction(text: str, reported: Decimal) -> bool:
    """Whether the printed rate was read as a fraction (0.958) rather than a percent (95.8)."""
    number = text.strip().replace(",", "")
    if number.endswith(("%", "％")):
        return False
    try:
        return Decimal(number) == reported
    except ArithmeticError:
        return False


def _reported_rate(text: str | None, exact: Decimal) -> Decimal | None:
    """The printed rate as a fraction: ``"96.86"`` and ``"96.86%"`` are both 0.9686.

    A bare number no greater than 1 could be a fraction (0.9686) or a percent (1%): the reading
    closer to executed / budget is taken.
    """
    if not text:
        return None
    value = parse_value(text)
    if not isinstance(value, Comparison):
        return None
    q = value.quantity
    if q.unit.is_percent:
        return q.base
    if not q.unit.is_number:
        return None
    as_percent = q.magnitude / _HUNDRED
    if q.magnitude <= _ONE and abs(q.magnitude - exact) < abs(as_percent - exact):
        return q.magnitude
    return as_percent


def rescale(total: Decimal, results: Sequence[IndicatorResult], rules: RuleSet) -> Decimal:
    """用适用指标得分汇总后按百分制折算: scale applicable scores up to the full total."""
    excluded = sum(
        (r.weight for r in results if r.status == "not_applicable" and r.weight is not None),
        _ZERO,
    )
    possible = rules.weights.total - excluded
    return total * rules.weights.total / possible if possible > 0 else total


def score(
    judgement: Judgement,
    weight: Decimal,
    rules: RuleSet,
    trace: list[str],
    name: str = "",
    en: bool = False,
) -> Decimal | None:
    """The recomputed score of a judged indicator, with its steps in ``trace``.

    Scores repeat as judgements do: worked out once per judgement, weight and language.

    :raises FormulaError: a rule formula failed at these values.
    """
    memo = rules.memo.table("score")
    # Everything _score_fresh reads: the judgement's outcome, the weight, the language, and the
    # name only where an indicator rule may pick it out.
    key = (
        judgement.status,
        judgement.kind,
        judgement.achievement,
        judgement.values,
        weight,
        en,
        name if rules.indicator_rules else "",
    )
    hit = memo.get(key)
    if hit is None:
        steps: list[str] = []
        points = _score_fresh(judgement, weight, rules, steps, name, en)
        hit = memo.put(key, (points, tuple(steps)))
    trace.extend(hit[1])
    return hit[0]  # type: ignore[no-any-return]


def _score_fresh(
    judgement: Judgement,
    weight: Decimal,
    rules: RuleSet,
    trace: list[str],
    name: str,
    en: bool,
) -> Decimal | None:
    if judgement.status == "not_applicable":
        score = rules.round(weight) if rules.spec.not_applicable == "full" else rules.round(_ZERO)
        trace.append(_NOT_APPLICABLE[rules.spec.not_applicable][en].format(score=score))
        return score
    rule = rules.rule_for(name) if judgement.values is not None else None
    if rule is not None and judgement.values is not None:
        actual, target = (rule.in_unit(v) for v in judgement.values)
        raw, how = rule.points(
            weight, actual=actual, target=target, achievement=judgement.achievement or _ZERO
        )
        score = rules.round(min(max(raw, _ZERO), weight))
        trace.append(
            say(en, "指标规则 ", "indicator rule ") + f"{formula_text(how, en)} → {plain(raw)}"
        )
        trace.append(rounding_note(en, min(max(raw, _ZERO), weight), score, *_how(rules)))
        return score
    if judgement.status == "met" and judgement.kind != "qualitative":
        score = rules.round(weight)
        trace.append(say(en, f"达成：得满分 {score}", f"met: full marks, {score}"))
        return score
    if judgement.achievement is None:
        return None
    if judgement.kind == "qualitative":
        formula = rules.qualitative_score
        raw = formula(weight=weight, completion=judgement.achievement)
        shown = substitute(
            formula.text, weight=plain(weight), completion=plain(judgement.achievement)
        )
    else:
        formula = rules.quantitative_score
        raw = formula(weight=weight, achievement=judgement.achievement)
        shown = substitute(
            formula.text, weight=plain(weight), achievement=plain(judgement.achievement)
        )
    score = rules.round(min(max(raw, _ZERO), weight))
    trace.append(
        say(en, "得分", "score") + f" = {formula_text(formula.text, en)} = {shown} = {plain(raw)}"
    )
    trace.append(rounding_note(en, min(max(raw, _ZERO), weight), score, *_how(rules)))
    return score
