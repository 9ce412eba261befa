"""Checks: every form-, row- and target-level finding that is not a judgement.

The judge compares each actual with its target; the checks here look at what surrounds that —
the target itself (measurable? the unit its name calls for?), the printed row (negative
values, a score above its weight, a score that differs from the recomputed one, a shortfall left
unexplained), the budget block, the first- and second-level structure, duplicates, and whether
the printed numbers add up.  Each check is a function that reports through a
:class:`~perfscore.words.flags.Flagger`.  A new check goes here, with its code in the catalogue
(:mod:`perfscore.words.flags`) and in ``docs/flags.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from perfscore.engine.structure import (
    Layout,
    goal_tables,
    has_execution_row,
    label_key,
    read_layout,
)
from perfscore.form.model import Budget, Form, Indicator
from perfscore.paths import Location
from perfscore.ruleset.rules import RuleSet
from perfscore.text.operators import OPERATORS
from perfscore.text.values import (
    Comparison,
    parse_value,
)
from perfscore.words.flags import Flagger, Severity
from perfscore.words.messages import num as fmt
from perfscore.words.messages import percent

__all__ = [
    "Flagger",
    "check_budget",
    "check_structure",
    "check_targets",
    "check_totals",
]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


class Scored(Protocol):
    """What the form-level checks need of an indicator result."""

    @property
    def index(self) -> int: ...
    @property
    def indicator(self) -> Indicator: ...
    @property
    def status(self) -> str: ...
    @property
    def score(self) -> Decimal | None: ...
    @property
    def weight(self) -> Decimal | None: ...
    @property
    def achievement(self) -> Decimal | None: ...


_BUDGET_FIELDS_ZH = {
    "initial": "年初预算数",
    "adjusted": "全年预算数",
    "executed": "全年执行数",
    "weight": "分值",
    "score": "得分",
}


def check_budget(
    budget: Budget, rate: Decimal | None, rules: RuleSet, flag: Flagger, kind: str = "project"
) -> None:
    """Negative amounts, a row that cannot give a rate, spending over budget, and a low rate
    left unexplained."""
    if kind != "targets":
        _check_amounts(budget, flag)
    for name, zh in _BUDGET_FIELDS_ZH.items():
        value = getattr(budget, name)
        if value is not None and value < 0:
            flag("negative-value", ("budget", name), field=name, field_zh=zh, value=value)
    if budget.weight is not None and budget.score is not None and budget.score > budget.weight:
        flag("score-exceeds-weight", ("budget", "score"), score=budget.score, weight=budget.weight)
    if (
        budget.adjusted is not None
        and budget.executed is not None
        and budget.executed > budget.adjusted > 0
    ):
        flag("overspent", ("budget", "executed"), executed=budget.executed, budget=budget.adjusted)
    threshold = rules.spec.execution.low_threshold
    if rate is not None and rate < threshold and not (budget.reason or "").strip():
        flag(
            "low-execution",
            ("budget", "rate"),
            rate=percent(rate),
            threshold=percent(threshold),
        )


def _check_amounts(budget: Budget, flag: Flagger) -> None:
    """A budget row blank or all zeros, or one amount missing: no rate can be computed."""
    planned = budget.adjusted if budget.adjusted is not None else budget.initial
    executed = budget.executed
    if not planned and not executed:
        what, what_en = "为空或全为零", "is blank or all zeros"
    elif not planned:
        what, what_en = "未填写预算数", "has no budget amount"
    elif executed is None:
        what, what_en = "未填写全年执行数", "has no amount executed"
    else:
        return
    flag("budget-incomplete", ("budget",), what=what, what_en=what_en)


def check_structure(
    form: Form,
    results: Sequence[Scored],
    name_keys: Sequence[str],
    rules: RuleSet,
    flag: Flagger,
) -> Layout:
    """The layout against the rule set's template (one ``structure`` finding listing every
    difference), duplicates (by the rows' ``name_keys``, their names' label keys) and weight on
    not-applicable rows; returns the layout read.

    A row whose goal is unknown is a duplicate only within its goal's table (``goal_tables``)
    and only of a row the same in every printed cell: rows repeated under different goals are
    the department form's normal layout, not copies."""
    layout = read_layout(
        form, [r.weight for r in results], rules, kind_checks=form.kind != "department"
    )
    seen: dict[tuple[Any, ...], Scored] = {}
    tables = goal_tables(
        layout.places,
        [
            (n, r.indicator.target, r.indicator.actual, r.weight)
            for r, n in zip(results, name_keys, strict=True)
        ],
        rules,
    )
    for r, where, name_key, table in zip(results, layout.places, name_keys, tables, strict=True):
        ind = r.indicator
        if r.status == "not_applicable":
            if r.weight:
                flag("weight-on-not-applicable", ("indicators", r.index, "weight"), weight=r.weight)
            continue
        key: tuple[Any, ...] = (ind.goal, where.group or label_key(ind.level2), name_key)
        key += (ind.target,) if ind.goal is not None else (table, ind.target, ind.actual, r.weight)
        if key in seen:
            # The first row as the form numbers it (its 序号, else counted from 1), as the
            # reports name every row.
            first = seen[key].indicator.number or str(seen[key].index + 1)
            flag("duplicate-indicator", ("indicators", r.index, "name"), first=first)
        else:
            seen[key] = r
    if layout.differences:
        flag(
            "structure",
            ("indicators",),
            at=Severity.WARNING if layout.absent else None,
            differences="；".join(zh for zh, _ in layout.differences),
            differences_en="; ".join(en for _, en in layout.differences),
        )
    return layout


def check_totals(
    form: Form,
    results: Sequence[Scored],
    execution_weight: Decimal | None,
    execution_score: Decimal | None,
    total: Decimal | None,
    rules: RuleSet,
    flag: Flagger,
    layout: Layout | None = None,
) -> None:
    """Weights (and the blocks' points) adding up, printed scores within their blocks, the
    printed total against the recomputed one, against the rule set's total and against the sum
    of the printed scores — on unscored forms too, where scores are printed."""
    expected = rules.weights.total
    if execution_weight is None:
        execution_weight = rules.weights.execution if has_execution_row(form, rules) else _ZERO
    points = layout.points if layout is not None else {}
    homes = [p.home for p in layout.places] if layout is not None else [None] * len(results)
    wrong_weights = _check_weights(form, results, execution_weight, points, homes, expected, flag)
    _check_block_scores(results, homes, points, rules, flag)
    if form.total is None:
        return
    off = total is not None and abs(form.total - total) > rules.tolerance
    if off:
        flag("total-mismatch", ("total",), reported=form.total, recomputed=total)
    if form.total > expected and not wrong_weights:
        flag("score-exceeds-weight", ("total",), score=form.total, weight=expected)
    _check_sum(form, results, execution_weight, execution_score, total, rules, flag)


def _check_weights(
    form: Form,
    results: Sequence[Scored],
    execution_weight: Decimal,
    points: Mapping[str, Decimal],
    homes: Sequence[str | None],
    expected: Decimal,
    flag: Flagger,
) -> bool:
    """Blocks' points and rows' weights adding up to the rule set's total, and each block's
    rows to its points; whether the weights were found wrong."""
    wrong_weights = False
    if points and (form.kind != "targets"):
        added = sum(points.values(), _ZERO) + execution_weight
        if added != expected:
            flag(
                "weights-sum", ("blocks",), sum=added, execution=execution_weight, expected=expected
            )
            wrong_weights = True
    if not any(r.weight is not None for r in results):
        if results and form.kind != "targets":
            flag("unscored-form", ("indicators",))
        return wrong_weights
    row_weights = sum((r.weight for r in results if r.weight is not None), _ZERO)
    added = row_weights + execution_weight
    # Rows that follow their blocks repeat the blocks' mistake: one flag for it.
    if added != expected and not (wrong_weights and row_weights == sum(points.values())):
        flag(
            "weights-sum", ("indicators",), sum=added, execution=execution_weight, expected=expected
        )
        wrong_weights = True
    for block, header in points.items():
        under = [
            r.indicator.weight
            for r, home in zip(results, homes, strict=True)
            if home == block and r.indicator.weight is not None
        ]
        if under and sum(under, _ZERO) != header:
            flag(
                "block-weights",
                ("blocks", block),
                block=block,
                sum=sum(under, _ZERO),
                points=header,
            )
    return wrong_weights


def _check_sum(
    form: Form,
    results: Sequence[Scored],
    execution_weight: Decimal,
    execution_score: Decimal | None,
    total: Decimal | None,
    rules: RuleSet,
    flag: Flagger,
) -> None:
    """The printed total against the sum of the printed scores; a blank execution score read
    from what the total implies.  ``total`` is the recomputed total, ``None`` where there is
    none."""
    assert form.total is not None
    printed = [r.indicator.score for r in results if r.indicator.score is not None]
    if not printed:
        return
    budget = form.budget
    budget_score = budget.score if budget is not None else None
    added = sum(printed, _ZERO)
    if budget_score is None and budget is not None and execution_weight > 0:
        if execution_score is not None:  # else the budget row says why (budget-incomplete)
            _implied_execution(form.total - added, execution_score, execution_weight, rules, flag)
        return
    added += budget_score or _ZERO
    if total is not None and (
        abs(added - total) <= rules.tolerance or abs(form.total - total) <= rules.tolerance
    ):
        # One slip, one flag.  Printed parts that add up to the recomputed total leave the
        # total alone wrong, and total-mismatch says so.  A printed total equal to the
        # recomputed one is right: the parts that do not add up to it differ from their
        # recomputed scores, each flagged where it is printed (score-mismatch,
        # execution-score-mismatch) — asking to correct the total would mislead.
        return
    if abs(form.total - added) > rules.tolerance:
        flag("sum-mismatch", ("total",), reported=form.total, sum=added)


def _implied_execution(
    implied: Decimal, execution_score: Decimal, weight: Decimal, rules: RuleSet, flag: Flagger
) -> None:
    """A blank execution score (seed 003): the total says what was meant.  The number is the
    execution score the printed total implies (total minus the printed scores), not a total,
    and one above the execution weight is said to be so."""
    if abs(implied - execution_score) <= rules.tolerance:
        flag(
            "missing-execution-score",
            ("budget", "score"),
            at=Severity.INFO,
            how=f"，总分按预算执行得分 {fmt(implied)} 计入",
            how_en=f"; the total counts an execution score of {fmt(implied)}",
        )
        return
    over, over_en = "", ""
    if implied > weight:
        over = f"，超过预算执行权重 {fmt(weight)}"
        over_en = f", above the execution weight {fmt(weight)}"
    flag(
        "missing-execution-score",
        ("budget", "score"),
        how=f"，按总分推算的预算执行得分为 {fmt(implied)}{over}，按规则应为 {fmt(execution_score)}",
        how_en=(
            f"; the total implies an execution score of {fmt(implied)}{over_en},"
            f" the rules give {fmt(execution_score)}"
        ),
    )


def _check_block_scores(
    results: Sequence[Scored],
    homes: Sequence[str | None],
    points: Mapping[str, Decimal],
    rules: RuleSet,
    flag: Flagger,
) -> None:
    """Printed scores of rows without weights against their block's points: none above them,
    the block's sum not above them, and a block met throughout scoring them in full."""
    for block, header in points.items():
        rows = [r for r, home in zip(results, homes, strict=True) if home == block]
        if not rows or any(r.indicator.weight is not None for r in rows):
            continue
        scores = [r.indicator.score for r in rows if r.indicator.score is not None]
        over = [r for r in rows if r.indicator.score is not None and r.indicator.score > header]
        for r in over:
            flag(
                "score-exceeds-weight",
                ("indicators", r.index, "score"),
                score=r.indicator.score,
                weight=header,
            )
        if not scores or over:
            continue
        added = sum(scores, _ZERO)
        if added > header + rules.tolerance:
            flag(
                "block-score",
                ("blocks", block),
                block=block,
                sum=added,
                how=f"超过该级分值 {fmt(header)}",
                how_en=f"more than its {fmt(header)} points",
            )
        elif (
            len(scores) == len(rows)
            and all(_earns_weight(r, rules) for r in rows)
            and added < header - rules.tolerance
        ):
            flag(
                "block-score",
                ("blocks", block),
                block=block,
                sum=added,
                how=f"但各项均已达成或不适用，应为 {fmt(header)}",
                how_en=f"though every row was met or does not apply: {fmt(header)} expected",
            )


def _earns_weight(r: Scored, rules: RuleSet) -> bool:
    """Met in full (a qualitative 90% is met yet scores 90%; an indicator rule scores as it
    says), or not applicable where the rule set scores those in full (seed 003's
    不涉及面向社会公众, 10 of 10)."""
    if r.status == "not_applicable":
        return rules.spec.not_applicable == "full"
    return r.status == "met" and r.achievement == 1 and rules.rule_for(r.indicator.name) is None


# --------------------------------------------------------------------------------------------
# Target tables (绩效目标表)

_PLACEHOLDER = re.compile(r"[(（]\s*[$￥*#?？]?\s*[)）]|[$*＊#？?]")
_COST = re.compile(r"成本|费用|支出标准")


def _text_key(text: str | None) -> str:
    return re.sub(r"[\s(（][^)）]*[)）]|[\s，,。.、]", "", text or "")


def _repeats(text: str | None, name: str) -> bool:
    """Only the name again, perhaps cut short or padded (完成各项事务以保证基层基础运)."""
    said, named = _text_key(text), _text_key(name)
    if not said:
        return False
    return (
        said == named
        or (named.startswith(said) and len(said) >= len(named) - 2)
        or (said.startswith(named) and len(said) <= len(named) + 2)
    )


def check_targets(form: Form, rules: RuleSet, flag: Flagger) -> None:
    """What a finance bureau checks in a target table before the year starts."""
    _check_plan(form, rules, flag)
    for i, ind in enumerate(form.indicators):
        where: Location = ("indicators", i)
        if _PLACEHOLDER.search(ind.name):
            flag("name-placeholder", (*where, "name"), name=ind.name)
        for field, zh in (("description", "绩效指标描述"), ("basis", "指标值确定依据")):
            text = getattr(ind, field)
            # A basis that only repeats the name or the description says nothing of where the
            # value comes from; the message names the text it repeats.
            if _repeats(text, ind.name):
                repeated, repeated_zh = "indicator's name", "指标名称"
            elif field == "basis" and ind.description and _repeats(text, ind.description):
                repeated, repeated_zh = "description", "绩效指标描述"
            else:
                continue
            flag(
                "uninformative-text",
                (*where, field),
                field=field,
                field_zh=zh,
                text=text,
                repeats=repeated,
                repeats_zh=repeated_zh,
            )
        target = parse_value(ind.target) if ind.target else None
        if not isinstance(target, Comparison):
            continue
        q = target.quantity
        if q.unit.is_percent and q.base > 1:
            flag("rate-over-100", (*where, "target"), text=target.text)
        cost = _COST.search(ind.name) or label_key(ind.level2) == "成本"
        if cost and target.op is not None and OPERATORS[target.op].better == "higher":
            flag("cost-direction", (*where, "target"), text=target.text)


def _check_plan(form: Form, rules: RuleSet, flag: Flagger) -> None:
    plan = form.spending_plan
    if not plan:
        return
    shares: list[Decimal] = []
    for i, point in enumerate(plan):
        value = parse_value(point.share)
        if not isinstance(value, Comparison) or not value.quantity.unit.is_percent:
            flag(
                "unreadable-value",
                ("spending_plan", i, "share"),
                text=point.share,
                reason="不是百分比",
                reason_en="not a percentage",
            )
            return
        shares.append(value.quantity.base)
    for i in range(1, len(shares)):
        if shares[i] < shares[i - 1]:
            flag(
                "spending-plan-decreasing",
                ("spending_plan", i, "share"),
                when=plan[i].when,
                share=percent(shares[i]),
                before=percent(shares[i - 1]),
            )
    if shares[-1] != 1:
        flag(
            "spending-plan-incomplete",
            ("spending_plan", len(plan) - 1, "share"),
            when=plan[-1].when,
            share=percent(shares[-1]),
        )
    spec = rules.spec.targets
    mid = next(
        (
            i
            for i, p in enumerate(plan)
            if "".join(p.when.split()) == "".join(spec.mid_year.split())
        ),
        None,
    )
    if mid is not None and shares[mid] < spec.mid_year_share:
        flag(
            "spending-plan-back-loaded",
            ("spending_plan", mid, "share"),
            when=plan[mid].when,
            share=percent(shares[mid]),
            expected=percent(spec.mid_year_share),
        )
