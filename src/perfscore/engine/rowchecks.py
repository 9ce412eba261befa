"""Checks on one row: the target on its own, the printed weight and score, and the printed
score against the recomputed one.

Each check is a generator of :class:`~perfscore.words.flags.Finding` facts about the row's
fields, without a path: the engine places them on the row (and caches them with it).  A new
row check goes here, with its code in the catalogue (:mod:`perfscore.words.catalogue`) and in
``docs/flags.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from perfscore.engine.judge import Outcome
from perfscore.ruleset.rules import RuleSet
from perfscore.text.operators import OPERATORS
from perfscore.text.values import Comparison, Compound, Deadline, FreeText, NotApplicable, Value
from perfscore.words.flags import Finding, finding
from perfscore.words.messages import num, partial, percent, shorten, symbol
from perfscore.words.steps import KeptStep, shown

__all__ = [
    "could_score_execution",
    "execution_row",
    "measurable",
    "printed_row",
    "printed_score",
    "target_fits",
]

_ZERO = Decimal(0)
_MEASURE_ZH = {"percent": "百分比", "count": "数量", "time": "时长"}
_DIMENSION_OF = {"count": "[count]", "time": "[time]"}


def target_fits(name: str, target: Value, rules: RuleSet) -> Iterator[Finding]:
    """A target whose unit does not fit what the name measures, ceiling targets, and targets
    of several clauses."""
    clauses = target.clauses if isinstance(target, Compound) else (target,)
    for clause in clauses:
        if not isinstance(clause, Comparison):
            continue
        unit = clause.quantity.unit
        measures = rules.measures(clause.label or name)
        if unit.dimension or unit.is_percent:
            wrong = (measures == "percent" and not unit.is_percent) or (
                measures in _DIMENSION_OF and _DIMENSION_OF[measures] not in unit.dimension
            )
            if measures is not None and wrong:
                yield finding(
                    "unit-mismatch",
                    "target",
                    detail=f"“{shorten(name)}”应以{_MEASURE_ZH[measures]}衡量，"
                    f"指标值却以“{unit}”计",
                    detail_en=f"{shorten(name)!r} measures a {measures}, but the target is in "
                    f"{unit}",
                )
        if (
            unit.is_percent
            and clause.op is not None
            and OPERATORS[clause.op].better == "higher"
            and clause.quantity.base >= 1
        ):
            yield finding("ceiling-target", "target", text=clause.text)
    if isinstance(target, Compound):
        yield finding("compound-target", "target", clauses=str(len(target.clauses)))


# An indicator row that scores budget execution (预算执行率 among the indicators).
_EXECUTION_ROW = re.compile(r"(?:预算|资金|支出|经费)(?:执行率|支出率|使用率)|^执行率$", re.M)


def could_score_execution(names: str) -> bool:
    """A cheap test on a form's row names (joined) before each row is looked at."""
    return _EXECUTION_ROW.search(names) is not None


def execution_row(name: str, actual: Value | None, rate: Decimal | None) -> Finding | None:
    """An indicator scoring budget execution (预算执行率 100%) whose actual is not the rate the
    form's own budget amounts give: flagged as the budget row's printed rate is."""
    if rate is None or not isinstance(actual, Comparison) or not _EXECUTION_ROW.search(name):
        return None
    q = actual.quantity
    if not q.unit.is_percent or _as_printed(q.magnitude, rate * 100):
        return None
    return finding(
        "execution-rate-mismatch",
        "actual",
        reported=percent(q.base),
        recomputed=percent(rate),
    )


def _as_printed(printed: Decimal, exact: Decimal) -> bool:
    """True when ``printed`` (a percentage) is ``exact`` rounded or cut to the places printed
    (97.8% and 97.81% for 97.808%), as the budget row's printed rate is read."""
    exponent = printed.as_tuple().exponent
    step = Decimal(1).scaleb(min(int(exponent), 0) if isinstance(exponent, int) else 0)
    return printed in (
        exact.quantize(step, rounding=ROUND_HALF_UP),
        exact.quantize(step, rounding=ROUND_DOWN),
    )


def measurable(target: Value) -> Iterator[Finding]:
    """A target nobody could measure a year later: free text, a bare time limit, a blank."""
    clauses = target.clauses if isinstance(target, Compound) else (target,)
    for clause in clauses:
        if isinstance(clause, FreeText):
            reason, reason_en = clause.reason_zh, clause.reason
        elif isinstance(clause, Deadline):
            reason, reason_en = "未给出具体时限", "no time limit is given"
        elif isinstance(clause, NotApplicable) and clause.placeholder:
            reason, reason_en = "指标值空缺", "no target is given"
        else:
            continue
        yield finding(
            "unmeasurable-target", "target", text=clause.text, reason=reason, reason_en=reason_en
        )


def printed_row(weight: Decimal | None, score: Decimal | None) -> Iterator[Finding]:
    """The printed row on its own: negative weight or score, a score above its weight."""
    if weight is not None and weight < 0:
        yield finding("negative-value", "weight", field="weight", field_zh="权重", value=weight)
    if score is not None and score < 0:
        yield finding("negative-value", "score", field="score", field_zh="得分", value=score)
    if weight is not None and score is not None and score > weight:
        yield finding("score-exceeds-weight", "score", score=score, weight=weight)


def _formula(steps: tuple[KeptStep, ...]) -> str:
    """The scoring step's formula with the row's values in it (``weight * achievement = 5 ×
    0.98 = 4.9``), as the rule file writes it."""
    for step in reversed(steps):
        kind, args = step
        if kind == "score":
            text, inputs, raw = args
            return f"{text} = {shown(text, inputs)} = {partial(raw)}"
        if kind == "compare":  # met: full marks, on the comparison that met the target
            shown_actual, _, op, shown_target = args
            return f"{shown_actual} {symbol(op)} {shown_target}"
        if kind == "indicator-rule":
            how, raw = args
            return f"{how} → {partial(raw)}"
    return ""


def printed_score(
    outcome: Outcome,
    weight: Decimal | None,
    points: Decimal | None,
    steps: tuple[KeptStep, ...],
    printed: Decimal | None,
    has_reason: bool,
    scored: bool,
    rules: RuleSet,
) -> Iterator[Finding]:
    """The printed score against the recomputed one, and a shortfall with no reason given."""
    if points is not None and printed is not None and abs(printed - points) > rules.tolerance:
        full = outcome.achievement == 1
        achieved = percent(outcome.achievement or _ZERO)
        yield finding(
            "score-mismatch",
            "score",
            reported=printed,
            recomputed=points,
            how="指标已达成，应得满分" if full else f"完成程度 {achieved}",
            how_en="target met" if full else f"achievement {achieved}",
            status=outcome.status,
            formula=_formula(steps),
        )
    short = (
        # Against the weight as scores are rounded: full marks on a weight of 100/3 are 33.33.
        points is not None and weight is not None and points < rules.round(weight)
        if scored
        else outcome.status in ("missed", "partly_met")
    )
    if short and outcome.status not in ("not_applicable", "not_judged") and not has_reason:
        if scored and points is not None and weight is not None:
            what = f"得分 {num(points)} 低于权重 {num(weight)}"
            what_en = f"scored {num(points)} of {num(weight)}"
        else:
            what = "目标未达成" if outcome.status == "missed" else "目标部分达成"
            what_en = f"target {outcome.status.replace('_', ' ')}"
        yield finding("missing-reason", "reason", what=what, what_en=what_en)
