"""The department roll-up (部门汇总) of several project forms.

Seed 001, note 4: 定量指标填写实际完成数。主管部门汇总时，对绝对值直接累加计算，相对值按照资金额度
加权平均计算; note 5: qualitative completion percentages are weighted-averaged too.

:func:`aggregate` sums the absolute actuals (counts, money) of indicators that share a name,
averages rates, durations and qualitative percentages weighted by each project's funds (its
全年预算数), and computes the department's execution rate Σ executed / Σ budget and its
fund-weighted score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Literal

from perfscore.engine.pipeline import EvaluationResult
from perfscore.engine.reading import read_actual, read_completion
from perfscore.ruleset.expressions import SCORING_CONTEXT
from perfscore.text.units import PERCENT
from perfscore.text.values import Comparison, Compound, Quantity, Range, plain

__all__ = ["IndicatorRollup", "ProjectRow", "Rollup", "aggregate"]

_ZERO = Decimal(0)
_MONEY = {"元": Decimal(1), "万元": Decimal(10_000)}
# Names of relative values (脱管率 0): averaged, never summed, even when printed bare.
_RATE_NAME = re.compile(r"(?<!频)率$|比例$|比重$|占比$|满意度$")


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _money(value: Decimal | None) -> str | None:
    """An amount exactly, to the fen (3585.90) or as many places as it has (21.746164 万元),
    without the zeros a unit conversion pads it with (8073.260000)."""
    if value is None:
        return None
    with localcontext(SCORING_CONTEXT):
        fen = value.quantize(Decimal("0.01"))
    return str(fen) if fen == value else plain(value)


def rounded(value: Decimal, places: int) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals, without trailing zeros or an exponent
    (a roll-up prints what a person writes: 96.5%, 4305次, never 28 digits of a quotient)."""
    with localcontext(SCORING_CONTEXT):
        exact = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        whole = exact.to_integral_value()
        return whole if exact == whole else exact.normalize()


#: Decimals kept: fractions (rates, percentages) to 0.01%, everything else to 0.01.
FRACTION_PLACES = 4
PLACES = 2


@dataclass(frozen=True, slots=True)
class ProjectRow:
    """One project in the roll-up; money in the roll-up's unit."""

    project: str
    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    total: Decimal | None
    reported_total: Decimal | None
    errors: int
    warnings: int
    #: The file (and form number) it came from: two forms may share a project name.
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping; Decimals as strings."""
        return {
            "project": self.project,
            "source": self.source,
            "budget": _money(self.budget),
            "executed": _money(self.executed),
            "rate": _s(self.rate),
            "total": _s(self.total),
            "reported_total": _s(self.reported_total),
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass(frozen=True, slots=True)
class IndicatorRollup:
    """Indicators of one name across projects: summed, or averaged weighted by funds."""

    name: str
    method: Literal["sum", "weighted_mean"]
    value: Decimal
    unit: str
    projects: int

    @property
    def printed(self) -> Decimal:
        """The value as reports print it: a fraction to 0.01%, anything else to 0.01, half-up;
        ``value`` keeps the exact quotient."""
        return rounded(self.value, FRACTION_PLACES if self.unit == "%" else PLACES)

    @property
    def shown(self) -> str:
        """The value as a person writes it: ``96.5%``, ``4305次``."""
        if self.unit == "%":
            with localcontext(SCORING_CONTEXT):
                hundredfold = self.value * 100
            return f"{plain(rounded(hundredfold, PLACES))}%"
        return f"{plain(rounded(self.value, PLACES))}{self.unit}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping; Decimals as strings."""
        return {
            "name": self.name,
            "method": self.method,
            "value": str(self.printed),
            "unit": self.unit,
            "shown": self.shown,
            "projects": self.projects,
        }


@dataclass(frozen=True, slots=True)
class Rollup:
    """The department's view of its projects."""

    projects: tuple[ProjectRow, ...]
    money_unit: str
    budget: Decimal
    executed: Decimal
    execution_rate: Decimal | None
    score: Decimal | None
    indicators: tuple[IndicatorRollup, ...]

    @property
    def printed_rate(self) -> Decimal | None:
        """Σ executed / Σ budget as reports print it: to 0.01%, half-up."""
        return (
            None if self.execution_rate is None else rounded(self.execution_rate, FRACTION_PLACES)
        )

    @property
    def printed_score(self) -> Decimal | None:
        """The fund-weighted score as reports print it: to 0.01, half-up."""
        return None if self.score is None else rounded(self.score, PLACES)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping; Decimals as strings, rates, scores and averages rounded as
        printed (the attributes keep the exact quotients)."""
        return {
            "money_unit": self.money_unit,
            "budget": _money(self.budget),
            "executed": _money(self.executed),
            "execution_rate": _s(self.printed_rate),
            "score": _s(self.printed_score),
            "projects": [p.to_dict() for p in self.projects],
            "indicators": [i.to_dict() for i in self.indicators],
        }


@dataclass
class _Acc:
    method: Literal["sum", "weighted_mean"]
    unit: str
    factor: Decimal
    total: Decimal = _ZERO
    weight: Decimal = _ZERO
    projects: int = 0


def _value(result: EvaluationResult, index: int) -> tuple[Quantity, bool] | None:
    """The actual of indicator ``index`` as the engine read it, and whether it is a percentage
    reading (a rate, or a qualitative completion)."""
    row = result.indicators[index]
    actual = row.actual
    if not isinstance(actual, Comparison) or row.status in ("not_judged", "not_applicable"):
        return None
    q = actual.quantity
    rate_name = bool(_RATE_NAME.search(row.name))
    target = row.target
    bound = (
        target.quantity
        if isinstance(target, Comparison)
        else target.low
        if isinstance(target, Range)
        else None
    )
    if bound is not None:
        read, _ = read_actual(bound, q, actual.text)
        if read is None:
            return None  # not comparable with its target: the engine did not compare it
        return read, read.unit.is_percent or (rate_name and q.unit.is_number)
    if isinstance(target, Compound):
        return q, rate_name and q.unit.is_number
    # A qualitative target: the actual is a completion percentage (0.9 is 90%).
    completion, _ = read_completion(q)
    if completion is None:
        return q, rate_name and q.unit.is_number
    return Quantity(completion / PERCENT.factor, PERCENT), True


def _indicator_value(acc: _Acc) -> Decimal:
    """The summed or fund-weighted value in the indicator's unit (a fraction for %)."""
    value = acc.total / acc.weight if acc.method == "weighted_mean" else acc.total
    return value if acc.unit == "%" else value / acc.factor


def aggregate(results: Iterable[EvaluationResult]) -> Rollup:
    """Roll several project results up to the department.

    Money is reported in the first form's unit (元 or 万元); projects in the other unit are
    converted.  Funds (the weights of the averages) are each project's 全年预算数.
    The host program's Decimal context does not change the figures.
    """
    with localcontext(SCORING_CONTEXT):
        return _aggregate(list(results))


def _aggregate(items: list[EvaluationResult]) -> Rollup:
    unit = items[0].form.money_unit if items else "元"
    scale = _MONEY[unit]
    rows: list[ProjectRow] = []
    budget_sum = executed_sum = score_sum = score_weight = _ZERO
    accs: dict[str, _Acc] = {}
    for result in items:
        row = _project_row(result, _MONEY[result.form.money_unit] / scale)
        rows.append(row)
        funds = row.budget or _ZERO
        if row.budget is not None and row.executed is not None:
            budget_sum += row.budget
            executed_sum += row.executed
        if result.total is not None and funds > 0:
            score_sum += result.total * funds
            score_weight += funds
        _add_indicators(result, funds, accs)
    indicators = tuple(
        IndicatorRollup(name, acc.method, _indicator_value(acc), acc.unit, acc.projects)
        for name, acc in accs.items()
        if acc.projects and (acc.method == "sum" or acc.weight > 0)
    )
    rate = executed_sum / budget_sum if budget_sum > 0 else None
    score = score_sum / score_weight if score_weight > 0 else None
    return Rollup(tuple(rows), unit, budget_sum, executed_sum, rate, score, indicators)


def _project_row(result: EvaluationResult, factor: Decimal) -> ProjectRow:
    """One project's line, its money multiplied by ``factor`` into the roll-up's unit."""
    ex = result.execution
    return ProjectRow(
        result.form.project or (result.source or "?"),
        ex.budget * factor if ex and ex.budget is not None else None,
        ex.executed * factor if ex and ex.executed is not None else None,
        ex.rate if ex else None,
        result.total,
        result.reported_total,
        len(result.errors),
        len(result.warnings),
        result.source,
    )


def _add_indicators(result: EvaluationResult, funds: Decimal, accs: dict[str, _Acc]) -> None:
    """Add a project's indicator values to the totals by name: counts and money summed, rates
    and percentages averaged by ``funds``."""
    for i, row in enumerate(result.indicators):
        reading = _value(result, i)
        if reading is None:
            continue
        q, relative = reading
        name = "".join(row.name.split())
        # Percentages are relative whatever the target (a compound's clause, say): never summed.
        averaged = (
            relative or q.unit.is_percent or q.unit.dimension not in ("[count]", "[currency]", "")
        )
        method: Literal["sum", "weighted_mean"] = "weighted_mean" if averaged else "sum"
        acc = accs.get(name)
        if acc is None:
            label = "%" if q.unit.is_percent else q.unit.label
            acc = accs[name] = _Acc(method, label, q.unit.factor)
        if acc.method != method:
            continue  # the same name measured differently elsewhere: not comparable
        if method == "sum":
            acc.total += q.base
        else:
            if funds <= 0:
                continue
            acc.total += q.base * funds
            acc.weight += funds
        acc.projects += 1
