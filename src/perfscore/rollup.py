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
from pathlib import PurePath
from typing import Any, Literal

from perfscore.engine.pipeline import EvaluationResult
from perfscore.ruleset.expressions import SCORING_CONTEXT
from perfscore.text.numbers import MULTIPLIERS
from perfscore.text.operators import OPERATORS
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
    #: Indicators left out of the sums, each (project, indicator, why): a reader sees what the
    #: department figures do not include.
    dropped: tuple[tuple[str, str, str], ...] = ()
    #: Forms left out as a second copy of one already counted (the same project code and year:
    #: a ``.txt`` and the ``.xlsx`` converted from it), by source.
    duplicates: tuple[str, ...] = ()

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
            "dropped": [{"project": p, "indicator": n, "why": why} for p, n, why in self.dropped],
            "duplicates": list(self.duplicates),
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
    """The actual of indicator ``index`` as the engine compared it, and whether it is a
    percentage reading (a rate, or a qualitative completion) — taken from the result, not
    read from the cell again."""
    row = result.indicators[index]
    actual = row.actual
    if not isinstance(actual, Comparison) or row.status in ("not_judged", "not_applicable"):
        return None
    q = actual.quantity
    rate_name = bool(_RATE_NAME.search(row.name))
    if isinstance(row.target, Compound) or row.compared is None:
        if isinstance(row.target, (Comparison, Range)):
            return None  # not comparable with its target: the engine did not compare it
        return q, rate_name and q.unit.is_number
    read, target = row.compared
    if target is None:  # a qualitative completion, as a percentage
        return read, True
    return read, read.unit.is_percent or (rate_name and q.unit.is_number)


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
    dropped: list[tuple[str, str, str]] = []
    items, duplicates = _distinct(items)
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
        _add_indicators(result, funds, accs, dropped)
    indicators = tuple(
        IndicatorRollup(name, acc.method, _indicator_value(acc), acc.unit, acc.projects)
        for name, acc in accs.items()
        if acc.projects and (acc.method == "sum" or acc.weight > 0)
    )
    rate = executed_sum / budget_sum if budget_sum > 0 else None
    score = score_sum / score_weight if score_weight > 0 else None
    return Rollup(
        tuple(rows),
        unit,
        budget_sum,
        executed_sum,
        rate,
        score,
        indicators,
        tuple(dropped),
        duplicates,
    )


def _distinct(items: list[EvaluationResult]) -> tuple[list[EvaluationResult], tuple[str, ...]]:
    """Each form once: one read from a file of the same folder and name as one already counted
    (``form.txt`` and the ``form.xlsx`` converted from it), with the same project code (or
    name) and year, is a copy — left out of the figures and named, by its source."""
    seen: set[tuple[object, ...]] = set()
    kept: list[EvaluationResult] = []
    copies: list[str] = []
    for result in items:
        key = _copy_key(result)
        if key is not None and key in seen:
            copies.append(result.source or "?")
            continue
        if key is not None:
            seen.add(key)
        kept.append(result)
    return kept, tuple(copies)


def _copy_key(result: EvaluationResult) -> tuple[object, ...] | None:
    """What a copy of the form in another format shares with it; None without a source."""
    if not result.source:
        return None
    path, _, number = result.source.partition(" #")
    file = PurePath(path)
    form = result.form
    return (str(file.parent), file.stem, number, form.code or form.project, form.year)


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


# A duration that is an average or a limit (平均调解时长, 审批时效, 培训覆盖周期): averaged.
_PER_CASE = re.compile(r"平均|均|时效|时限|周期|期间|时间$|用时")
# Why a row is left out of the sums, by its status.
_WHY = {
    "not_judged": "未能判断，不计入汇总",
    "not_applicable": "不适用",
}


def _summed(row_name: str, q: Quantity, relative: bool, direction: str | None) -> bool:
    """Whether an actual is an absolute value, summed (seed 001 note 4): counts and money, and
    time delivered (线上法律服务时长 ≥1000小时) — never rates, percentages, or the average or
    limit of a duration."""
    if relative or q.unit.is_percent:
        return False
    if q.unit.dimension in ("[count]", "[currency]", ""):
        return True
    return q.unit.dimension == "[time]" and direction == "higher" and not _PER_CASE.search(row_name)


def _shown_unit(actual: object, q: Quantity) -> tuple[str, Decimal]:
    """The unit a summed value is shown in: the actual's own, or ``万``/``亿`` for a bare number
    printed with one (3790.19万 stays 3790.19万, never 37901900 with no unit)."""
    if q.unit.is_percent:
        return "%", q.unit.factor
    text = getattr(actual, "text", "")
    if q.unit.is_number and isinstance(text, str):
        for word in ("亿", "万"):
            if word in text:
                return word, MULTIPLIERS[word]
    return q.unit.label, q.unit.factor


def _add_indicators(
    result: EvaluationResult,
    funds: Decimal,
    accs: dict[str, _Acc],
    dropped: list[tuple[str, str, str]],
) -> None:
    """Add a project's indicator values to the totals by name: counts and money summed, rates
    and percentages averaged by ``funds``; what is left out, and why, in ``dropped``."""
    project = result.form.project or (result.source or "?")
    for i, row in enumerate(result.indicators):
        reading = _value(result, i)
        if reading is None:
            why = _WHY.get(row.status, "完成值不是可汇总的数量")
            dropped.append((project, row.name, why))
            continue
        q, relative = reading
        name = "".join(row.name.split())
        better = OPERATORS[row.direction].better if row.direction is not None else None
        # Percentages are relative whatever the target (a compound's clause, say): never summed.
        averaged = not _summed(name, q, relative, better)
        method: Literal["sum", "weighted_mean"] = "weighted_mean" if averaged else "sum"
        acc = accs.get(name)
        if acc is None:
            label, factor = _shown_unit(row.actual, q)
            acc = accs[name] = _Acc(method, label, factor)
        if acc.method != method:
            # The same name measured differently elsewhere: not comparable.
            dropped.append((project, row.name, "与其他项目同名指标的计量方式不同"))
            continue
        if method == "sum":
            acc.total += q.base
        else:
            if funds <= 0:
                continue
            acc.total += q.base * funds
            acc.weight += funds
        acc.projects += 1
