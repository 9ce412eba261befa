"""The engine: score every indicator of a form, recompute the total, flag every deviation.

:func:`evaluate` is the package's entry point.  For each indicator it reads the printed target
and actual (:mod:`perfscore.values`), decides how they compare — direction, units, ratios read
as percentages — and scores it under a rule set (:mod:`perfscore.rules`).  Every decision a
reader might question is reported as a :class:`~perfscore.flags.Flag`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, NamedTuple

from perfscore._text import num as _fmt
from perfscore._text import percent as _percent
from perfscore.checks import (
    Flagger,
    check_budget,
    check_structure,
    check_targets,
    check_totals,
)
from perfscore.flags import Flag, parse_path
from perfscore.form import Budget, Form, Indicator, form_from_data
from perfscore.readers import load_form
from perfscore.rules import RuleSet, load_rules
from perfscore.values import (
    Band,
    Comparison,
    Compound,
    Deadline,
    FreeText,
    Grade,
    Nil,
    NotApplicable,
    Op,
    Quantity,
    Range,
    Value,
    _plain,
    parse_value,
)

__all__ = ["EvaluationResult", "ExecutionResult", "IndicatorResult", "Status", "evaluate"]

Status = Literal["met", "partly_met", "missed", "not_applicable", "not_judged"]
Path_ = tuple[str | int, ...]

_ONE = Decimal(1)
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_DIRECTION_ZH = {Op.GE: "不低于（≥）", Op.LE: "不高于（≤）"}
_RULE_DIRECTION = {"higher": Op.GE, "lower": Op.LE, "equal": Op.EQ}
_FIELD_ZH = {"target": "年度指标值", "actual": "实际完成值"}
_NAME = re.compile(r"\b[a-z_]+\b")


def _say(en: bool, zh: str, english: str) -> str:
    """One trace line in the evaluation's language."""
    return english if en else zh


def _substitute(text: str, **values: str) -> str:
    """``target / actual`` with target=98%, actual=100% → ``98% / 100%``."""
    shown = _NAME.sub(lambda m: values.get(m.group(0), m.group(0)), text)
    return shown.replace(" * ", " × ")


# --------------------------------------------------------------------------------------------
# Results


class IndicatorResult(NamedTuple):
    """One indicator, judged and scored.

    ``achievement`` is a Decimal fraction (1 when met) or ``None`` where the engine could not
    compare; ``score`` is ``None`` where the form prints no weight; ``trace`` lists the steps
    behind the numbers in plain words.
    """

    index: int  # type: ignore[assignment]  # the row's position; tuple.index is not needed
    indicator: Indicator
    target: Value | None
    actual: Value | None
    status: Status
    achievement: Decimal | None
    weight: Decimal | None
    score: Decimal | None
    reported_score: Decimal | None
    direction: Op | None = None
    trace: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """三级指标 name."""
        return self.indicator.name

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping; Decimals as strings."""
        return {
            "index": self.index,
            "level1": self.indicator.level1,
            "level2": self.indicator.level2,
            "name": self.indicator.name,
            "target": _value_dict(self.target),
            "actual": _value_dict(self.actual),
            "direction": str(self.direction) if self.direction else None,
            "status": self.status,
            "achievement": _str(self.achievement),
            "weight": _str(self.weight),
            "score": _str(self.score),
            "reported_score": _str(self.reported_score),
            "trace": list(self.trace),
        }


@dataclass(frozen=True, slots=True)
class ExecutionResult:
    """预算执行情况: budget, executed, the rate (a Decimal fraction) and its score."""

    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    reported_rate: Decimal | None
    weight: Decimal
    score: Decimal | None
    reported_score: Decimal | None
    # What the trace is written from; the words are produced only when someone reads them.
    _steps: tuple[Any, ...] | None = None

    @property
    def trace(self) -> tuple[str, ...]:
        """The steps behind the rate and the score, in plain words."""
        if self._steps is None or self.rate is None or self.score is None:
            return ()
        exact, raw, formula, rounding, en = self._steps
        quotient = _plain(exact.quantize(Decimal("1e-6")))
        shown = _substitute(formula, weight=_plain(self.weight), rate=_plain(self.rate))
        return (
            _say(en, "执行率", "execution rate")
            + f" = {_fmt(self.executed)} / {_fmt(self.budget)} = {quotient}"
            + _say(en, f"，取 {_percent(self.rate)}", f", taken as {_percent(self.rate)}"),
            _say(en, "得分", "score") + f" = {formula} = {shown} = {_plain(raw)}",
            _rounding(en, raw, self.score, rounding),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping; Decimals as strings."""
        return {
            "budget": _str(self.budget),
            "executed": _str(self.executed),
            "rate": _str(self.rate),
            "reported_rate": _str(self.reported_rate),
            "weight": _str(self.weight),
            "score": _str(self.score),
            "reported_score": _str(self.reported_score),
            "trace": list(self.trace),
        }


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """What :func:`evaluate` returns: every indicator, the execution, the total and the flags."""

    form: Form
    rules: str
    execution: ExecutionResult | None
    indicators: tuple[IndicatorResult, ...]
    total: Decimal | None
    reported_total: Decimal | None
    flags: tuple[Flag, ...]
    source: str | None = None
    grade: str | None = None

    @property
    def errors(self) -> tuple[Flag, ...]:
        """Flags of severity ``error``."""
        return tuple(f for f in self.flags if f.severity == "error")

    @property
    def warnings(self) -> tuple[Flag, ...]:
        """Flags of severity ``warning``."""
        return tuple(f for f in self.flags if f.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when no flag is an error."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of the whole result; Decimals as strings."""
        return {
            "source": self.source,
            "project": self.form.project,
            "code": self.form.code,
            "year": self.form.year,
            "unit": self.form.unit,
            "rules": self.rules,
            "execution": self.execution.to_dict() if self.execution else None,
            "indicators": [i.to_dict() for i in self.indicators],
            "total": _str(self.total),
            "reported_total": _str(self.reported_total),
            "grade": self.grade,
            "ok": self.ok,
            "flags": [f.to_dict() for f in self.flags],
        }


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _quantity_dict(q: Quantity) -> dict[str, Any]:
    return {"magnitude": str(q.magnitude), "unit": str(q.unit), "dimension": q.unit.dimension}


def _value_dict(value: Value | None) -> dict[str, Any] | None:
    if value is None:
        return None
    out: dict[str, Any] = {"kind": value.kind, "text": value.text}
    if isinstance(value, Comparison):
        out.update(op=str(value.op) if value.op else None, quantity=_quantity_dict(value.quantity))
        if value.label:
            out["label"] = value.label
        if value.approximate:
            out["approximate"] = True
        if value.each:
            out["each"] = True
    elif isinstance(value, Range):
        out.update(low=_quantity_dict(value.low), high=_quantity_dict(value.high))
    elif isinstance(value, Grade):
        out["band"] = str(value.band) if value.band else None
    elif isinstance(value, Compound):
        out["clauses"] = [_value_dict(c) for c in value.clauses]
    elif isinstance(value, FreeText):
        out["reason"] = value.reason
        out["reason_code"] = value.code
    return out


# --------------------------------------------------------------------------------------------
# Judging one indicator


@dataclass
class _Judgement:
    status: Status
    achievement: Decimal | None = None
    kind: Literal["quantitative", "qualitative", "none"] = "none"
    direction: Op | None = None
    formula: str = ""
    trace: list[str] = field(default_factory=list)
    # The compared values in base units (fractions for percentages), for indicator rules.
    values: tuple[Decimal, Decimal] | None = None


class _Judge:
    """Judges target against actual for one indicator, emitting flags under ``path``."""

    def __init__(self, rules: RuleSet, flag: Flagger, path: Path_, name: str) -> None:
        self.rules = rules
        self.flag = flag
        self.path = path
        self.name = name

    # -- entry ------------------------------------------------------------------------------

    def judge(self, target: Value, actual: Value) -> _Judgement:
        if isinstance(target, NotApplicable):
            if isinstance(actual, NotApplicable) or (
                isinstance(actual, Nil) and not target.placeholder
            ):
                return _Judgement(
                    "not_applicable", trace=[self.say("指标不适用", "the indicator does not apply")]
                )
            self.flag(
                "unmeasurable-target",
                (*self.path, "target"),
                text=target.text,
                reason="指标值空缺，但填报了完成值"
                if self.flag.lang != "en"
                else "no target is given, yet a completion is reported",
            )
            return _Judgement("not_judged")
        if isinstance(actual, NotApplicable):
            return _Judgement(
                "not_applicable",
                trace=[self.say("完成值为不适用", "the completion says not applicable")],
            )
        if isinstance(actual, FreeText):
            self.flag(
                "unreadable-value",
                (*self.path, "actual"),
                text=actual.text,
                reason=self._why(actual),
            )
            return _Judgement("not_judged")
        if isinstance(target, Compound):
            return self._compound(target, actual)
        if isinstance(target, Comparison):
            return self._quantitative(target, actual)
        if isinstance(target, Range):
            return self._range(target, actual)
        if isinstance(target, Deadline):
            return self._deadline(target, actual)
        if isinstance(target, FreeText):
            self.flag(
                "unmeasurable-target",
                (*self.path, "target"),
                text=target.text,
                reason=self._why(target),
            )
        return self._qualitative(target, actual)

    def say(self, zh: str, en: str) -> str:
        """A trace line in the evaluation's language."""
        return en if self.flag.en else zh

    def _why(self, value: FreeText) -> str:
        return value.reason if self.flag.lang == "en" else value.reason_zh

    # -- quantitative -----------------------------------------------------------------------

    def _direction(self, target: Comparison) -> Op:
        if target.op is not None:
            return target.op
        rule = self.rules.rule_for(self.name)
        if rule is not None and rule.spec.direction is not None:
            op = _RULE_DIRECTION[rule.spec.direction]
            self.flag(
                "direction-inferred",
                (*self.path, "target"),
                text=target.text,
                direction=str(op),
                direction_zh=_DIRECTION_ZH.get(op, "等于（=）"),
                why=f"indicator rule {rule.spec.name!r}"
                if self.flag.en
                else f"指标规则“{rule.spec.name}”",
            )
            return op
        hint = self.rules.lower_hint
        # A clause of a compound target is named by its own label (帮教率 90%以上).
        match = hint.search(target.label or self.name) if hint else None
        op = Op.LE if match else Op.GE
        why = (
            f"name matches {match.group(0)!r}"
            if match and self.flag.lang == "en"
            else f"指标名称含“{match.group(0)}”"
            if match
            else "default: higher is better"
            if self.flag.lang == "en"
            else "默认越高越好"
        )
        self.flag(
            "direction-inferred",
            (*self.path, "target"),
            text=target.text,
            direction=str(op),
            direction_zh=_DIRECTION_ZH[op],
            why=why,
        )
        return op

    def _actual_quantity(self, target: Quantity, actual: Comparison) -> Quantity | None:
        """The actual in comparable form, or None after flagging why it is not."""
        q = actual.quantity
        if actual.op is not None and not actual.each:
            self.flag("actual-as-bound", (*self.path, "actual"), text=actual.text, value=str(q))
        if actual.approximate:
            self.flag("approximate-actual", (*self.path, "actual"), text=actual.text, value=str(q))
        if q.unit.is_number and not q.unit.noun:
            if target.unit.is_percent and _ZERO < q.magnitude <= _ONE < target.magnitude:
                self.flag(
                    "ratio-read-as-percent",
                    (*self.path, "actual"),
                    text=actual.text,
                    percent=_percent(q.magnitude),
                )
                return Quantity(q.magnitude * _HUNDRED, target.unit)
            # A bare number takes the target's unit (147 against ≧50人).
            return Quantity(q.magnitude, target.unit)
        if target.unit.is_number:
            return q
        if q.unit.dimension != target.unit.dimension:
            self.flag(
                "unit-mismatch",
                self.path,
                detail=(
                    f"指标值“{target}”与实际完成值“{q}”量纲不同"
                    if self.flag.lang != "en"
                    else f"target {target} and actual {q} have different dimensions"
                ),
            )
            return None
        return q

    def _compare(self, op: Op, target: Quantity, actual: Quantity) -> _Judgement:
        t = target.base if not target.unit.is_number else target.magnitude
        a = actual.base if not target.unit.is_number else actual.magnitude
        t, a = _tidy(t), _tidy(a)
        met = {Op.GE: a >= t, Op.GT: a > t, Op.LE: a <= t, Op.LT: a < t, Op.EQ: a == t}[op]
        trace = [
            self.say(
                f"{actual} {'满足' if met else '未满足'} {op!s} {target}",
                f"{actual} {'meets' if met else 'misses'} {op!s} {target}",
            )
        ]
        if met:
            factor = self.rules.spec.over_achievement
            if factor is not None and op in (Op.GE, Op.GT) and t > 0 and a >= t * factor:
                self.flag(
                    "over-achievement",
                    (*self.path, "actual"),
                    actual=str(actual),
                    target=str(target),
                    ratio=_plain((a / t).quantize(Decimal("0.01"))),
                )
            return _Judgement("met", _ONE, "quantitative", op, trace=trace, values=(a, t))
        if op in (Op.GE, Op.GT):
            formula = self.rules.higher
            achievement = formula(actual=a, target=t) if t > 0 else _ZERO
        elif op in (Op.LE, Op.LT):
            formula = self.rules.lower
            achievement = formula(actual=a, target=t) if a > 0 else _ZERO
        else:
            formula = self.rules.equal
            achievement = formula(actual=a, target=t) if max(a, t) > 0 else _ZERO
        achievement = min(max(achievement, _ZERO), _ONE)
        shown = _substitute(formula.text, actual=str(actual), target=str(target))
        trace.append(
            self.say("完成程度", "achievement")
            + f" = {formula.text} = {shown} = {_plain(achievement)}"
        )
        status: Status = "missed" if achievement == 0 else "partly_met"
        return _Judgement(status, achievement, "quantitative", op, formula.text, trace, (a, t))

    def _quantitative(self, target: Comparison, actual: Value) -> _Judgement:
        op = self._direction(target)
        tq = target.quantity
        if isinstance(actual, Comparison):
            aq = self._actual_quantity(tq, actual)
            if aq is None:
                return _Judgement("not_judged", direction=op)
            return self._compare(op, tq, aq)
        if isinstance(actual, Nil):
            if op in (Op.LE, Op.LT) or not (
                tq.unit.is_percent or (tq.unit.is_number and tq.magnitude <= 1)
            ):
                # 无 against a limit is zero (no complaints); against a count it is nothing done.
                return self._compare(op, tq, Quantity(_ZERO, tq.unit))
            self.flag("vacuous-met", (*self.path, "actual"), text=actual.text)
            return _Judgement(
                "met",
                _ONE,
                "quantitative",
                op,
                trace=[self.say("未发生相关事项，视为达成", "nothing occurred: taken as met")],
            )
        if isinstance(actual, Grade):
            return self._grade_completion(actual, op)
        self.flag(
            "unreadable-value",
            (*self.path, "actual"),
            text=actual.text,
            reason="不是数量" if self.flag.lang != "en" else "not a quantity",
        )
        return _Judgement("not_judged", direction=op)

    def _range(self, target: Range, actual: Value) -> _Judgement:
        if not isinstance(actual, Comparison):
            return self._quantitative(Comparison(target.text, Op.GE, target.low), actual)
        aq = self._actual_quantity(target.low, actual)
        if aq is None:
            return _Judgement("not_judged")
        low = self._compare(Op.GE, target.low, aq)
        if low.status != "met":
            return low
        return self._compare(Op.LE, target.high, aq)

    def _compound(self, target: Compound, actual: Value) -> _Judgement:
        clauses = target.clauses
        if isinstance(actual, Compound) and len(actual.clauses) == len(clauses):
            pairs: list[tuple[Value, Value]] = list(zip(clauses, actual.clauses, strict=True))
        else:
            pairs = [(c, actual) for c in clauses]
        results = [self.judge(t, a) for t, a in pairs]
        judged = [r for r in results if r.achievement is not None]
        if len(judged) < len(results):
            return _Judgement("not_judged")
        achievement = sum((r.achievement for r in judged if r.achievement is not None), _ZERO)
        achievement /= len(judged)
        trace = [
            self.say(f"第{i + 1}项：", f"clause {i + 1}: ") + "; ".join(r.trace)
            for i, r in enumerate(results)
        ]
        status: Status = (
            "met"
            if all(r.status == "met" for r in judged)
            else "missed"
            if achievement == 0
            else "partly_met"
        )
        kind: Literal["quantitative", "qualitative"] = (
            "quantitative" if any(r.kind == "quantitative" for r in judged) else "qualitative"
        )
        if status != "met":
            trace.append(
                self.say("完成程度取各项平均", "achievement, the mean of the clauses")
                + f" = {_plain(achievement)}"
            )
        return _Judgement(status, achievement, kind, trace=trace)

    def _deadline(self, target: Deadline, actual: Value) -> _Judgement:
        self.flag(
            "unmeasurable-target",
            (*self.path, "target"),
            text=target.text,
            reason="未给出具体时限" if self.flag.lang != "en" else "no time limit is given",
        )
        if isinstance(actual, Nil):
            self.flag("vacuous-met", (*self.path, "actual"), text=actual.text)
            return _Judgement(
                "met",
                _ONE,
                "qualitative",
                trace=[self.say("未发生相关事项，视为达成", "nothing occurred: taken as met")],
            )
        return self._qualitative(target, actual)

    # -- qualitative ------------------------------------------------------------------------

    def _grade_completion(self, actual: Grade, op: Op | None = None) -> _Judgement:
        if actual.band is None:
            self.flag("unknown-grade", (*self.path, "actual"), text=actual.text)
            return _Judgement("not_judged", direction=op)
        band = actual.band
        completion = self.rules.spec.qualitative.words.get(band.value, _ONE)
        self.flag(
            "grade-read", (*self.path, "actual"), text=actual.text, percent=_percent(completion)
        )
        return self._by_band(
            completion,
            [
                self.say(
                    f"“{actual.text}”按 {_percent(completion)} 计",
                    f"{actual.text!r} counts as {_percent(completion)}",
                )
            ],
            op,
        )

    def _by_band(self, completion: Decimal, trace: list[str], op: Op | None = None) -> _Judgement:
        achievement = min(max(completion, _ZERO), _ONE)
        band = self.rules.band(achievement)
        status: Status = band.status if band else ("met" if achievement >= 1 else "partly_met")
        if band:
            trace.append(self.say("档次：", "band: ") + band.name)
        kind: Literal["quantitative", "qualitative"] = (
            "qualitative" if op is None else "quantitative"
        )
        return _Judgement(status, achievement, kind, op, self.rules.spec.qualitative.score, trace)

    def _check_band(self, actual: Comparison, completion: Decimal) -> None:
        """达成预期指标 90%: the words and the percentage must agree; nothing exceeds 100%."""
        words = parse_value(actual.label) if actual.label else None
        claimed = words.band if isinstance(words, Grade) else None
        band = self.rules.band(min(completion, _ONE))
        statuses = {
            Band.FULL: "met",
            Band.BASIC: "met",
            Band.PARTIAL: "partly_met",
            Band.NONE: "missed",
        }
        expected = statuses[claimed] if claimed else None
        if completion > _ONE or (expected and band and band.status != expected):
            self.flag(
                "grade-out-of-band",
                (*self.path, "actual"),
                percent=_percent(completion),
                words=actual.label or actual.text,
                band=band.name if band and completion <= _ONE else "0%–100%",
            )

    def _qualitative(self, target: Value, actual: Value) -> _Judgement:
        if isinstance(actual, Grade):
            return self._grade_completion(actual)
        if isinstance(actual, Nil):
            if isinstance(target, Nil):
                return _Judgement(
                    "met",
                    _ONE,
                    "qualitative",
                    trace=[self.say("目标与完成均为未发生", "nothing occurred, as targeted")],
                )
            # 无 against a qualitative target says there is nothing to assess (不适用).
            self.flag("nil-as-not-applicable", (*self.path, "actual"), text=actual.text)
            return _Judgement(
                "not_applicable",
                trace=[
                    self.say(
                        f"“{actual.text}”按不适用处理", f"{actual.text!r} read as not applicable"
                    )
                ],
            )
        if isinstance(actual, Comparison):
            q = actual.quantity
            if actual.op is not None:
                self.flag("actual-as-bound", (*self.path, "actual"), text=actual.text, value=str(q))
            if q.unit.is_percent:
                completion = q.base
                self._check_band(actual, completion)
            elif q.unit.is_number and not q.unit.noun and _ZERO <= q.magnitude <= _ONE:
                completion = q.magnitude
                self.flag(
                    "ratio-read-as-percent",
                    (*self.path, "actual"),
                    text=actual.text,
                    percent=_percent(completion),
                )
            else:
                self.flag(
                    "unit-mismatch",
                    self.path,
                    detail=(
                        f"定性指标的完成值“{q}”不是百分比"
                        if self.flag.lang != "en"
                        else f"qualitative completion {q} is not a percentage"
                    ),
                )
                return _Judgement("not_judged")
            return self._by_band(
                completion, [self.say("完成比例 ", "completion ") + _percent(completion)]
            )
        self.flag(
            "unreadable-value",
            (*self.path, "actual"),
            text=actual.text,
            reason="不是完成比例或完成情况"
            if self.flag.lang != "en"
            else "neither a completion percentage nor a completion word",
        )
        return _Judgement("not_judged")


def _tidy(value: Decimal) -> Decimal:
    """Drop the noise of unit conversion (12个月 is 1年, not 0.9999…9年)."""
    return value.quantize(Decimal("1e-12")) if value.adjusted() < 15 else value


# --------------------------------------------------------------------------------------------
# The form


def _execution(budget: Budget, rules: RuleSet, flag: Flagger) -> ExecutionResult:
    weight = budget.weight if budget.weight is not None else rules.weights.execution
    adjusted, executed = budget.adjusted, budget.executed
    rate = score = reported_rate = None
    steps = None
    if adjusted is not None and executed is not None and adjusted > 0:
        exact = executed / adjusted
        rate = exact.quantize(Decimal(1).scaleb(-rules.spec.execution.rate_places))
        raw = rules.execution_score(weight=weight, rate=rate)
        score = rules.round(raw)
        steps = (exact, raw, rules.execution_score.text, rules.spec.rounding, flag.en)
        reported_rate = _reported_rate(budget.rate, exact)
        if reported_rate is not None:
            places = max(-_printed_places(budget.rate or ""), 0) + 2
            printed_precision = exact.quantize(Decimal(1).scaleb(-places))
            if abs(reported_rate - printed_precision) > Decimal(1).scaleb(-places) / 2:
                flag(
                    "execution-rate-mismatch",
                    ("budget", "rate"),
                    reported=_percent(reported_rate),
                    recomputed=_percent(exact),
                )
        if budget.score is not None and abs(budget.score - score) > rules.tolerance:
            flag(
                "execution-score-mismatch",
                ("budget", "score"),
                reported=budget.score,
                recomputed=score,
                formula=f"{_plain(weight)} × {_percent(min(rate, _ONE))}",
            )
    return ExecutionResult(
        adjusted, executed, rate, reported_rate, weight, score, budget.score, steps
    )


def _rounding(en: bool, raw: Decimal, score: Decimal, rounding: Any) -> str:
    mode, places = rounding.mode, rounding.places
    how = _say(en, "四舍五入" if mode == "half_up" else mode, mode.replace("_", "-"))
    return _say(
        en,
        f"{how}到 {places} 位小数：{_plain(raw)} → {score}",
        f"rounded {how} to {places} places: {_plain(raw)} → {score}",
    )


def _printed_places(text: str) -> int:
    number = text.strip().rstrip("%％").replace(",", "")
    return -len(number.split(".")[1]) if "." in number else 0


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


def _level1_name(text: str | None) -> str:
    if not text:
        return ""
    for sep in ("(", "（"):
        text = text.split(sep)[0]
    return "".join(text.split())


def evaluate(
    form: Form | Mapping[str, Any] | str | Path,
    rules: str | Path | RuleSet = "national-2020",
    *,
    lang: Literal["zh", "en"] = "zh",
) -> EvaluationResult:
    """Score a self-evaluation form and flag every deviation.

    ``form`` is a :class:`~perfscore.form.Form`, a mapping in the form format, or the path of
    a YAML/JSON file; ``rules`` a shipped rule-set name, a rule file's path or a loaded
    :class:`~perfscore.rules.RuleSet`.  Flag messages are Chinese unless ``lang="en"``.

    :raises FormError: the form cannot be read.
    :raises RuleSetError: the rule set cannot be loaded.
    """
    source: str | None = None
    if isinstance(form, (str, Path)):
        source = str(form)
        form = load_form(form)
    elif not isinstance(form, Form):
        form = form_from_data(form)
    ruleset = load_rules(rules)
    flag = Flagger(ruleset, lang)

    for note in form.notes:
        code = "unreadable-cell" if note.severity == "warning" else "reading-note"
        flag(code, parse_path(note.path), message=note.message)
    execution = None
    if form.budget is not None:
        execution = _execution(form.budget, ruleset, flag)
        check_budget(form.budget, execution.rate, ruleset, flag)

    scored = any(ind.weight is not None for ind in form.indicators)
    targets_only = form.kind == "targets"
    results = [
        _indicator(i, ind, ruleset, flag, scored, targets_only)
        for i, ind in enumerate(form.indicators)
    ]

    total: Decimal | None = None
    if scored:
        total = sum((r.score for r in results if r.score is not None), _ZERO)
        # Rows the engine could not judge keep their printed score in the total.
        total += sum(
            (
                r.reported_score
                for r in results
                if r.score is None and r.status == "not_judged" and r.reported_score is not None
            ),
            _ZERO,
        )
        if execution is not None and execution.score is not None:
            total += execution.score
        if ruleset.spec.not_applicable == "rescale":
            total = _rescale(total, results, ruleset)
        total = ruleset.round(total)

    check_structure(form, results, ruleset, flag)
    if targets_only:
        check_targets(form, ruleset, flag)
    check_totals(
        form,
        results,
        execution.weight if execution else None,
        execution.score if execution else None,
        total,
        ruleset,
        flag,
    )

    flags = tuple(sorted(flag.flags, key=Flag.sort_key))
    grade = ruleset.grade(total) if total is not None else None
    return EvaluationResult(
        form, ruleset.name, execution, tuple(results), total, form.total, flags, source, grade
    )


def _rescale(total: Decimal, results: list[IndicatorResult], rules: RuleSet) -> Decimal:
    """用适用指标得分汇总后按百分制折算: scale applicable scores up to the full total."""
    excluded = sum(
        (r.weight for r in results if r.status == "not_applicable" and r.weight is not None),
        _ZERO,
    )
    possible = rules.weights.total - excluded
    return total * rules.weights.total / possible if possible > 0 else total


_MEASURE_ZH = {"percent": "百分比", "count": "数量", "time": "时长"}
_DIMENSION_OF = {"count": "[count]", "time": "[time]"}


def _check_target(
    ind: Indicator, target: Value, rules: RuleSet, flag: Flagger, path: Path_
) -> None:
    """A target whose unit does not fit what the name measures, and ceiling targets."""
    clauses = target.clauses if isinstance(target, Compound) else (target,)
    for clause in clauses:
        if not isinstance(clause, Comparison):
            continue
        unit = clause.quantity.unit
        measures = rules.measures(clause.label or ind.name)
        if unit.dimension or unit.is_percent:
            wrong = (measures == "percent" and not unit.is_percent) or (
                measures in _DIMENSION_OF and _DIMENSION_OF[measures] not in unit.dimension
            )
            if measures is not None and wrong:
                flag(
                    "unit-mismatch",
                    (*path, "target"),
                    detail=(
                        f"{ind.name!r} measures a {measures}, but the target is in {unit}"
                        if flag.en
                        else f"“{ind.name}”应以{_MEASURE_ZH[measures]}衡量，指标值却以“{unit}”计"
                    ),
                )
        if unit.is_percent and clause.op in (Op.GE, Op.GT) and clause.quantity.base >= 1:
            flag("ceiling-target", (*path, "target"), text=clause.text)
    if isinstance(target, Compound):
        flag("compound-target", (*path, "target"), clauses=str(len(target.clauses)))


def _check_measurable(target: Value, flag: Flagger, path: Path_) -> None:
    """A target nobody could measure a year later: free text, a bare time limit, a blank."""
    clauses = target.clauses if isinstance(target, Compound) else (target,)
    for clause in clauses:
        if isinstance(clause, FreeText):
            reason = clause.reason if flag.en else clause.reason_zh
        elif isinstance(clause, Deadline):
            reason = "no time limit is given" if flag.en else "未给出具体时限"
        elif isinstance(clause, NotApplicable) and clause.placeholder:
            reason = "no target is given" if flag.en else "指标值空缺"
        else:
            continue
        flag("unmeasurable-target", (*path, "target"), text=clause.text, reason=reason)


# Judgements are a pure function of the indicator's name, target and actual under one rule set
# and language; real batches repeat them endlessly (成本控制率 100% 100%), so they are worked out
# once.  The cache is cleared when it grows past this many entries, keeping memory flat.
_JUDGED_LIMIT = 50_000

_Judged = tuple[Value | None, Value | None, _Judgement, tuple[tuple[Any, ...], ...]]


def _judge_fresh(
    ind: Indicator, rules: RuleSet, flag: Flagger, path: Path_, targets_only: bool
) -> tuple[Value | None, Value | None, _Judgement]:
    target = parse_value(ind.target) if ind.target is not None else None
    actual = parse_value(ind.actual) if ind.actual is not None else None
    if target is not None:
        _check_target(ind, target, rules, flag, path)
    if targets_only:
        # A target table (绩效目标表): nothing is completed yet; only the target is checked.
        if target is None:
            flag("missing-value", (*path, "target"), field="target", field_zh=_FIELD_ZH["target"])
        else:
            _check_measurable(target, flag, path)
        return target, actual, _Judgement("not_judged")
    if target is None or actual is None:
        for name, value in (("target", target), ("actual", actual)):
            if value is None:
                flag("missing-value", (*path, name), field=name, field_zh=_FIELD_ZH[name])
        return target, actual, _Judgement("not_judged")
    return target, actual, _Judge(rules, flag, path, ind.name).judge(target, actual)


def _judged(
    ind: Indicator, rules: RuleSet, flag: Flagger, index: int, targets_only: bool
) -> tuple[Value | None, Value | None, _Judgement]:
    """Parse, check and judge one indicator, from the cache when it was seen before."""
    memo: dict[tuple[Any, ...], _Judged] = flag.memo
    key = (ind.name, ind.target, ind.actual, targets_only)
    hit = memo.get(key)
    if hit is None:
        scratch = flag.scratch()
        target, actual, judgement = _judge_fresh(
            ind, rules, scratch, ("indicators", 0), targets_only
        )
        found = tuple(
            (f.code, f.severity, f.location[2:], f.message, f.data) for f in scratch.flags
        )
        if len(memo) >= _JUDGED_LIMIT:
            memo.clear()
        hit = memo[key] = (target, actual, judgement, found)
    target, actual, judgement, found = hit
    for code, severity, rel, message, data in found:
        flag.flags.append(Flag(code, severity, ("indicators", index, *rel), message, data))
    return target, actual, judgement


def _indicator(
    index: int, ind: Indicator, rules: RuleSet, flag: Flagger, scored: bool, targets_only: bool
) -> IndicatorResult:
    """One indicator judged and scored; a row seen before (same name, target, actual, weight,
    printed score, reason given or not) is taken from the cache, its flags re-addressed."""
    reason = bool(ind.reason and ind.reason.strip())
    key = (
        ind.name,
        ind.target,
        ind.actual,
        str(ind.weight),
        str(ind.score),
        reason,
        scored,
        targets_only,
    )
    memo: dict[tuple[Any, ...], tuple[IndicatorResult, tuple[tuple[Any, ...], ...]]] = flag.rows
    hit = memo.get(key)
    if hit is None:
        scratch = flag.scratch()
        row = _indicator_fresh(0, ind, rules, scratch, scored, targets_only)
        found = tuple(
            (f.code, f.severity, f.location[2:], f.message, f.data) for f in scratch.flags
        )
        if len(memo) >= _JUDGED_LIMIT:
            memo.clear()
        hit = memo[key] = (row, found)
    row, found = hit
    if found:
        append = flag.flags.append
        for code, severity, rel, message, data in found:
            append(Flag(code, severity, ("indicators", index, *rel), message, data))
    return _new_row(IndicatorResult, (index, ind, *row[2:]))


_new_row = tuple.__new__


def _indicator_fresh(
    index: int, ind: Indicator, rules: RuleSet, flag: Flagger, scored: bool, targets_only: bool
) -> IndicatorResult:
    path: Path_ = ("indicators", index)
    printed_weight, printed_score = ind.weight, ind.score
    weight = printed_weight if printed_weight is not None else (_ZERO if scored else None)

    if printed_weight is not None and printed_weight < 0:
        flag(
            "negative-value",
            (*path, "weight"),
            field="weight",
            field_zh="权重",
            value=printed_weight,
        )
    if printed_score is not None and printed_score < 0:
        flag(
            "negative-value", (*path, "score"), field="score", field_zh="得分", value=printed_score
        )
    if printed_weight is not None and printed_score is not None and printed_score > printed_weight:
        flag("score-exceeds-weight", (*path, "score"), score=printed_score, weight=printed_weight)
    target, actual, judgement = _judged(ind, rules, flag, index, targets_only)

    score: Decimal | None = None
    trace = list(judgement.trace)
    if weight is not None:
        score = _score(judgement, weight, rules, trace, ind.name, flag.en)
        if (
            score is not None
            and printed_score is not None
            and abs(printed_score - score) > rules.tolerance
        ):
            formula = trace[-2] if len(trace) > 1 else (trace[-1] if trace else "")
            full = judgement.achievement == 1
            achieved = _percent(judgement.achievement or _ZERO)
            how = (
                ("target met" if full else f"achievement {achieved}")
                if flag.en
                else ("指标已达成，应得满分" if full else f"完成程度 {achieved}")
            )
            flag(
                "score-mismatch",
                (*path, "score"),
                reported=ind.score,
                recomputed=score,
                how=how,
                status=judgement.status,
                formula=formula,
            )

    short = (
        score is not None and weight is not None and score < weight
        if scored
        else judgement.status in ("missed", "partly_met")
    )
    if (
        short
        and judgement.status not in ("not_applicable", "not_judged")
        and not (ind.reason or "").strip()
    ):
        what = (
            f"scored {_plain(score)} of {_plain(weight)}"
            if scored and score is not None and weight is not None
            else f"target {judgement.status.replace('_', ' ')}"
        )
        what_zh = (
            f"得分 {_plain(score)} 低于权重 {_plain(weight)}"
            if scored and score is not None and weight is not None
            else ("目标未达成" if judgement.status == "missed" else "目标部分达成")
        )
        flag("missing-reason", (*path, "reason"), what=what_zh, what_en=what)

    return IndicatorResult(
        index,
        ind,
        target,
        actual,
        judgement.status,
        judgement.achievement,
        weight,
        score,
        ind.score,
        judgement.direction,
        tuple(trace),
    )


def _score(
    judgement: _Judgement,
    weight: Decimal,
    rules: RuleSet,
    trace: list[str],
    name: str = "",
    en: bool = False,
) -> Decimal | None:
    """The recomputed score of a judged indicator, with its steps in ``trace``.

    Scores repeat as judgements do: worked out once per judgement, weight and language.
    """
    memo: dict[tuple[Any, ...], tuple[Decimal | None, tuple[str, ...]]] = rules._memo.setdefault(
        "score", {}
    )
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
        score = _score_fresh(judgement, weight, rules, steps, name, en)
        if len(memo) >= _JUDGED_LIMIT:
            memo.clear()
        hit = memo[key] = (score, tuple(steps))
    trace.extend(hit[1])
    return hit[0]


def _score_fresh(
    judgement: _Judgement,
    weight: Decimal,
    rules: RuleSet,
    trace: list[str],
    name: str,
    en: bool,
) -> Decimal | None:
    if judgement.status == "not_applicable":
        score = rules.round(weight) if rules.spec.not_applicable == "full" else rules.round(_ZERO)
        trace.append(
            _say(
                en,
                f"不适用：按规则（{rules.spec.not_applicable}）计 {score} 分",
                f"not applicable: scored {score} (rule: {rules.spec.not_applicable})",
            )
        )
        return score
    rule = rules.rule_for(name) if judgement.values is not None else None
    if rule is not None and judgement.values is not None:
        actual, target = (rule.in_unit(v) for v in judgement.values)
        raw, how = rule.points(
            weight, actual=actual, target=target, achievement=judgement.achievement or _ZERO
        )
        score = rules.round(min(max(raw, _ZERO), weight))
        trace.append(_say(en, "指标规则 ", "indicator rule ") + f"{how} → {_plain(raw)}")
        trace.append(_rounding(en, min(max(raw, _ZERO), weight), score, rules.spec.rounding))
        return score
    if judgement.status == "met" and judgement.kind != "qualitative":
        score = rules.round(weight)
        trace.append(_say(en, f"达成：得满分 {score}", f"met: full marks, {score}"))
        return score
    if judgement.achievement is None:
        return None
    if judgement.kind == "qualitative":
        formula = rules.qualitative_score
        raw = formula(weight=weight, completion=judgement.achievement)
        shown = _substitute(
            formula.text, weight=_plain(weight), completion=_plain(judgement.achievement)
        )
    else:
        formula = rules.quantitative_score
        raw = formula(weight=weight, achievement=judgement.achievement)
        shown = _substitute(
            formula.text, weight=_plain(weight), achievement=_plain(judgement.achievement)
        )
    score = rules.round(min(max(raw, _ZERO), weight))
    trace.append(_say(en, "得分", "score") + f" = {formula.text} = {shown} = {_plain(raw)}")
    trace.append(_rounding(en, min(max(raw, _ZERO), weight), score, rules.spec.rounding))
    return score
