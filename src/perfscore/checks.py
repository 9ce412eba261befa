"""Form-level checks: budget, structure and arithmetic, each emitting catalogue flags.

The engine judges indicators one by one; the checks here look at the form as a whole — the
budget block, the first- and second-level structure, duplicates, and whether the printed
numbers add up.  Each check is a function that reports through a :class:`Flagger`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from perfscore._text import num as fmt
from perfscore._text import percent
from perfscore.flags import CATALOGUE, Flag
from perfscore.form import Budget, Form, Indicator
from perfscore.rules import RuleSet

__all__ = [
    "Flagger",
    "check_budget",
    "check_structure",
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


@dataclass(frozen=True, slots=True)
class _Placement:
    printed: str | None  # the first-level block as printed (normalised to the rule set's name)
    expected: str | None  # where the second-level group belongs


def check_structure(form: Form, results: Sequence[Scored], rules: RuleSet, flag: Flagger) -> None:
    """First-level weights, missing and misplaced second-level groups, duplicates, weight on
    not-applicable rows."""
    placements: list[_Placement] = []
    for r in results:
        ind = r.indicator
        printed = rules.level1_key(ind.level1)
        expected = rules.level1_of(ind.level2)
        placements.append(_Placement(printed, expected))
        if printed and expected and printed != expected:
            flag(
                "misplaced-level2",
                ("indicators", r.index, "level2"),
                level2=ind.level2 or "",
                level1=ind.level1 or "",
                expected=expected,
            )
        if r.status == "not_applicable" and r.weight:
            flag("weight-on-not-applicable", ("indicators", r.index, "weight"), weight=r.weight)

    _check_duplicates(results, flag)
    if form.kind != "project" or not results:
        return

    present = {_norm(r.indicator.level2) for r in results}
    for group in rules.spec.structure.required:
        if _norm(group) not in present:
            flag("missing-level2", ("indicators",), level2=group)

    scored = any(r.weight is not None for r in results)
    if not scored or not rules.weights.level1:
        return
    sums: dict[str, Decimal] = {}
    for r, place in zip(results, placements, strict=True):
        # A group printed under the wrong heading counts where it belongs (seed 003's
        # extraction shifted 成本指标 under 效益指标).
        block = place.expected or place.printed
        if block is not None and r.weight is not None:
            sums[block] = sums.get(block, _ZERO) + r.weight
    for name, convention in rules.weights.level1.items():
        # A combined key (效益指标+满意度指标: 40) weighs several blocks together.
        got = sum((sums.get(part, _ZERO) for part in name.split("+")), _ZERO)
        if got != convention:
            flag("level1-weights", ("indicators",), level1=name, sum=got, expected=convention)


def _norm(level2: str | None) -> str:
    return "".join((level2 or "").split()).removesuffix("指标")


def _check_duplicates(results: Sequence[Scored], flag: Flagger) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for r in results:
        ind = r.indicator
        if r.status == "not_applicable":
            continue
        key = (ind.goal, _norm(ind.level2), "".join(ind.name.split()), ind.target)
        if key in seen:
            flag("duplicate-indicator", ("indicators", r.index, "name"), first=str(seen[key]))
        else:
            seen[key] = r.index


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
        if results:
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
