"""Form-level checks: budget, structure and arithmetic, each emitting catalogue flags.

The engine judges indicators one by one; the checks here look at the form as a whole — the
budget block, the first- and second-level structure, duplicates, and whether the printed
numbers add up.  Each check is a function that reports through a :class:`Flagger`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any, Protocol

from perfscore._text import num as fmt
from perfscore._text import percent
from perfscore.flags import CATALOGUE, Flag
from perfscore.form import Budget, Form, Indicator
from perfscore.rules import RuleSet
from perfscore.values import Comparison, Op, parse_value

__all__ = [
    "Flagger",
    "check_budget",
    "check_structure",
    "check_targets",
    "check_totals",
]

Location = tuple[str | int, ...]
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


class Flagger:
    """Collects flags with the rule set's severities and messages in one language."""

    def __init__(self, rules: RuleSet, lang: str) -> None:
        self.rules = rules
        self.lang = lang
        self.flags: list[Flag] = []
        # The rule set's caches of judgements and of whole rows in this language (see
        # engine._judged and engine._indicator).
        self.memo: dict[tuple[Any, ...], Any] = rules._memo.setdefault(("judged", lang), {})
        self.rows: dict[tuple[Any, ...], Any] = rules._memo.setdefault(("rows", lang), {})
        self._scratch: Flagger | None = None

    def scratch(self) -> Flagger:
        """An empty collector for work whose flags are cached and re-addressed later."""
        if self._scratch is None:
            self._scratch = Flagger(self.rules, self.lang)
        self._scratch.flags = []
        return self._scratch

    def __call__(self, code: str, location: Location, **data: Any) -> None:
        """Record flag ``code`` at ``location``; ``data`` fills the message and is kept."""
        spec = CATALOGUE[code]
        values = {k: v if isinstance(v, str) else fmt(v) for k, v in data.items()}
        template = spec.en if self.lang == "en" else spec.zh
        self.flags.append(
            Flag(code, self.rules.severity(code), location, template.format(**values), values)
        )

    @property
    def en(self) -> bool:
        """True when messages are English."""
        return self.lang == "en"


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


_BUDGET_FIELDS_ZH = {
    "initial": "年初预算数",
    "adjusted": "全年预算数",
    "executed": "全年执行数",
    "weight": "分值",
    "score": "得分",
}


def check_budget(budget: Budget, rate: Decimal | None, rules: RuleSet, flag: Flagger) -> None:
    """Negative amounts, spending over budget, and a low rate left unexplained."""
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


def check_structure(form: Form, results: Sequence[Scored], rules: RuleSet, flag: Flagger) -> None:
    """First-level weights, missing and misplaced second-level groups, duplicates, weight on
    not-applicable rows — in one pass over the indicators."""
    placed: dict[tuple[Any, ...], tuple[str | None, str | None, str, str]] = rules._memo.setdefault(
        "placed", {}
    )
    seen: dict[tuple[Any, ...], int] = {}
    present: set[str] = set()
    blocks: set[str | None] = set()
    sums: dict[str, Decimal] = {}
    for r in results:
        ind = r.indicator
        level1, level2 = ind.level1, ind.level2
        place = placed.get((level1, level2, ind.name))
        if place is None:
            place = placed[(level1, level2, ind.name)] = (
                rules.level1_key(level1),
                rules.level1_of(level2),
                _norm(level2),
                _norm(ind.name),
            )
        printed, expected, group, name = place
        if printed and expected and printed != expected:
            flag(
                "misplaced-level2",
                ("indicators", r.index, "level2"),
                level2=level2 or "",
                level1=level1 or "",
                expected=expected,
            )
        status, weight = r.status, r.weight
        if status == "not_applicable":
            if weight:
                flag("weight-on-not-applicable", ("indicators", r.index, "weight"), weight=weight)
        else:
            key = (ind.goal, group, name, ind.target)
            if key in seen:
                flag("duplicate-indicator", ("indicators", r.index, "name"), first=str(seen[key]))
            else:
                seen[key] = r.index
        present.add(group)
        blocks.add(printed)
        # A group printed under the wrong heading counts where it belongs (seed 003's
        # extraction shifted 成本指标 under 效益指标).
        home = expected or printed
        if home is not None and weight is not None:
            sums[home] = sums.get(home, _ZERO) + weight

    if form.kind == "department" or not results:
        return
    for group in rules.spec.structure.required:
        if _norm(group) not in present:
            flag("missing-level2", ("indicators",), level2=group)
    for block in rules.spec.structure.level1:
        if block not in blocks:
            flag("missing-level1", ("indicators",), level1=block)

    if not sums or not rules.weights.level1 or all(r.weight is None for r in results):
        return
    for name, convention in rules.weights.level1.items():
        # A combined key (效益指标+满意度指标: 40) weighs several blocks together.
        got = sum((sums.get(part, _ZERO) for part in name.split("+")), _ZERO)
        if got != convention:
            flag("level1-weights", ("indicators",), level1=name, sum=got, expected=convention)


@lru_cache(maxsize=4096)
def _norm(level2: str | None) -> str:
    return "".join((level2 or "").split()).removesuffix("指标")


def check_totals(
    form: Form,
    results: Sequence[Scored],
    execution_weight: Decimal | None,
    execution_score: Decimal | None,
    total: Decimal | None,
    rules: RuleSet,
    flag: Flagger,
) -> None:
    """Weights adding up, the printed total against the recomputed one and against the sum of
    the printed scores."""
    scored = any(r.weight is not None for r in results)
    if not scored:
        if results and form.kind != "targets":
            flag("unscored-form", ("indicators",))
        return
    exec_weight = execution_weight if execution_weight is not None else rules.weights.execution
    weight_sum = sum((r.weight for r in results if r.weight is not None), _ZERO) + exec_weight
    if weight_sum != rules.weights.total:
        flag(
            "weights-sum",
            ("indicators",),
            sum=weight_sum,
            execution=exec_weight,
            expected=rules.weights.total,
        )
    if form.total is None:
        return
    if total is not None and abs(form.total - total) > rules.tolerance:
        flag("total-mismatch", ("total",), reported=form.total, recomputed=total)
    printed = [r.indicator.score for r in results if r.indicator.score is not None]
    if not printed:
        return
    # The execution score is often left blank (seed 003, form 2): the recomputed one stands in.
    budget_score = form.budget.score if form.budget and form.budget.score is not None else None
    added = sum(printed, _ZERO) + (
        budget_score if budget_score is not None else (execution_score or _ZERO)
    )
    if abs(form.total - added) > rules.tolerance:
        flag("sum-mismatch", ("total",), reported=form.total, sum=added)


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
            # value comes from.
            if _repeats(text, ind.name) or (
                field == "basis" and ind.description and _repeats(text, ind.description)
            ):
                flag("uninformative-text", (*where, field), field=field, field_zh=zh, text=text)
        target = parse_value(ind.target) if ind.target else None
        if not isinstance(target, Comparison):
            continue
        q = target.quantity
        if q.unit.is_percent and q.base > 1:
            flag("rate-over-100", (*where, "target"), text=target.text)
        cost = _COST.search(ind.name) or _norm(ind.level2) == "成本"
        if cost and target.op in (Op.GE, Op.GT):
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
                reason="不是百分比" if not flag.en else "not a percentage",
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
    mid = next((i for i, p in enumerate(plan) if _norm(p.when) == _norm(spec.mid_year)), None)
    if mid is not None and shares[mid] < spec.mid_year_share:
        flag(
            "spending-plan-back-loaded",
            ("spending_plan", mid, "share"),
            when=plan[mid].when,
            share=percent(shares[mid]),
            expected=percent(spec.mid_year_share),
        )
