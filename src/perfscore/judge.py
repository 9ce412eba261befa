"""Judging one indicator: does the actual meet the target, and by how much?

:class:`Judge` compares a parsed target (:mod:`perfscore.values`) with a parsed actual: it
settles the direction (printed, from an indicator rule, or inferred from the name), brings both
to comparable units, reads ratios written as percentages, and turns qualitative completions
into bands.  Each decision a reader might question is reported as a flag.  Scores are not made
here (see :mod:`perfscore.scoring`).

A new comparator goes into :data:`OPERATORS`: what it holds and which way is better.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, NamedTuple

from perfscore.errors import FormulaError
from perfscore.flags import Flagger
from perfscore.messages import percent, plain, substitute
from perfscore.results import Status
from perfscore.rules import RuleSet
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
    parse_value,
)

__all__ = ["OPERATORS", "Judge", "Judgement", "Sense", "tidy"]

Path_ = tuple[str | int, ...]
_ONE = Decimal(1)
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


class Sense(NamedTuple):
    """What a comparator means: the test it applies and which way is better."""

    holds: Callable[[Decimal, Decimal], bool]
    better: Literal["higher", "lower", "equal"]
    zh: str


#: Every comparator the value language reads, in one table.
OPERATORS: Mapping[Op, Sense] = {
    Op.GE: Sense(operator.ge, "higher", "不低于（≥）"),
    Op.GT: Sense(operator.gt, "higher", "高于（>）"),
    Op.LE: Sense(operator.le, "lower", "不高于（≤）"),
    Op.LT: Sense(operator.lt, "lower", "低于（<）"),
    Op.EQ: Sense(operator.eq, "equal", "等于（=）"),
}
_RULE_DIRECTION = {"higher": Op.GE, "lower": Op.LE, "equal": Op.EQ}


@dataclass(frozen=True, slots=True)
class Judgement:
    """How an actual compares with its target.

    ``achievement`` is a Decimal fraction (1 when met) or ``None`` where no comparison was
    possible; ``kind`` says which score formula applies; ``values`` are the compared actual and
    target in base units (fractions for percentages), for indicator rules; ``trace`` the steps.
    Judgements are cached and shared, so they are immutable.
    """

    status: Status
    achievement: Decimal | None = None
    kind: Literal["quantitative", "qualitative", "none"] = "none"
    direction: Op | None = None
    formula: str = ""
    trace: Sequence[str] = ()
    values: tuple[Decimal, Decimal] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "trace", tuple(self.trace))


class Judge:
    """Judges target against actual for one indicator, emitting flags under ``path``."""

    def __init__(self, rules: RuleSet, flag: Flagger, path: Path_, name: str) -> None:
        self.rules = rules
        self.flag = flag
        self.path = path
        self.name = name

    # -- entry ------------------------------------------------------------------------------

    def judge(self, target: Value, actual: Value) -> Judgement:
        """The judgement of ``actual`` against ``target``."""
        if isinstance(target, NotApplicable):
            if isinstance(actual, NotApplicable) or (
                isinstance(actual, Nil) and not target.placeholder
            ):
                return Judgement(
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
            return Judgement("not_judged")
        if isinstance(actual, NotApplicable):
            return Judgement(
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
            return Judgement("not_judged")
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
                direction_zh=OPERATORS[op].zh,
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
            direction_zh=OPERATORS[op].zh,
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
                    percent=percent(q.magnitude),
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

    def _compare(self, op: Op, target: Quantity, actual: Quantity) -> Judgement:
        t = target.base if not target.unit.is_number else target.magnitude
        a = actual.base if not target.unit.is_number else actual.magnitude
        t, a = tidy(t), tidy(a)
        sense = OPERATORS[op]
        met = sense.holds(a, t)
        trace = [
            self.say(
                f"{actual} {'满足' if met else '未满足'} {op!s} {target}",
                f"{actual} {'meets' if met else 'misses'} {op!s} {target}",
            )
        ]
        if met:
            factor = self.rules.spec.over_achievement
            # A percentage at or below 100% is never implausible (satisfaction 100% vs ≥80%).
            ceiling = target.unit.is_percent and a <= _ONE
            if (
                factor is not None
                and sense.better == "higher"
                and t > 0
                and a >= t * factor
                and not ceiling
            ):
                self.flag(
                    "over-achievement",
                    (*self.path, "actual"),
                    actual=str(actual),
                    target=str(target),
                    ratio=plain((a / t).quantize(Decimal("0.01"))),
                )
            return Judgement("met", _ONE, "quantitative", op, trace=trace, values=(a, t))
        formula = getattr(self.rules, sense.better)
        # Where the formula's divisor is zero nothing was achieved (0 of a ≥ count, a ≤ 0 limit
        # exceeded); the rule set's formula is asked only inside its domain.
        defined = {"higher": t > 0, "lower": a > 0, "equal": max(a, t) > 0}[sense.better]
        try:
            achievement = formula(actual=a, target=t) if defined else _ZERO
        except FormulaError as exc:
            self.flag("formula-failed", self.path, detail=str(exc))
            return Judgement("not_judged", direction=op)
        achievement = min(max(achievement, _ZERO), _ONE)
        shown = substitute(formula.text, actual=str(actual), target=str(target))
        trace.append(
            self.say("完成程度", "achievement")
            + f" = {formula.text} = {shown} = {plain(achievement)}"
        )
        status: Status = "missed" if achievement == 0 else "partly_met"
        return Judgement(status, achievement, "quantitative", op, formula.text, trace, (a, t))

    def _quantitative(self, target: Comparison, actual: Value) -> Judgement:
        op = self._direction(target)
        tq = target.quantity
        if isinstance(actual, Comparison):
            aq = self._actual_quantity(tq, actual)
            if aq is None:
                return Judgement("not_judged", direction=op)
            return self._compare(op, tq, aq)
        if isinstance(actual, Nil):
            if OPERATORS[op].better == "lower" or not (
                tq.unit.is_percent or (tq.unit.is_number and tq.magnitude <= 1)
            ):
                # 无 against a limit is zero (no complaints); against a count it is nothing done.
                return self._compare(op, tq, Quantity(_ZERO, tq.unit))
            self.flag("vacuous-met", (*self.path, "actual"), text=actual.text)
            return Judgement(
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
        return Judgement("not_judged", direction=op)

    def _range(self, target: Range, actual: Value) -> Judgement:
        if not isinstance(actual, Comparison):
            return self._quantitative(Comparison(target.text, Op.GE, target.low), actual)
        aq = self._actual_quantity(target.low, actual)
        if aq is None:
            return Judgement("not_judged")
        low = self._compare(Op.GE, target.low, aq)
        if low.status != "met":
            return low
        return self._compare(Op.LE, target.high, aq)

    def _compound(self, target: Compound, actual: Value) -> Judgement:
        clauses = target.clauses
        if isinstance(actual, Compound) and len(actual.clauses) == len(clauses):
            pairs: list[tuple[Value, Value]] = list(zip(clauses, actual.clauses, strict=True))
        else:
            pairs = [(c, actual) for c in clauses]
        results = [self.judge(t, a) for t, a in pairs]
        judged = [r for r in results if r.achievement is not None]
        if len(judged) < len(results):
            return Judgement("not_judged")
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
                + f" = {plain(achievement)}"
            )
        return Judgement(status, achievement, kind, trace=trace)

    def _deadline(self, target: Deadline, actual: Value) -> Judgement:
        self.flag(
            "unmeasurable-target",
            (*self.path, "target"),
            text=target.text,
            reason="未给出具体时限" if self.flag.lang != "en" else "no time limit is given",
        )
        if isinstance(actual, Nil):
            self.flag("vacuous-met", (*self.path, "actual"), text=actual.text)
            return Judgement(
                "met",
                _ONE,
                "qualitative",
                trace=[self.say("未发生相关事项，视为达成", "nothing occurred: taken as met")],
            )
        return self._qualitative(target, actual)

    # -- qualitative ------------------------------------------------------------------------

    def _grade_completion(self, actual: Grade, op: Op | None = None) -> Judgement:
        if actual.band is None:
            self.flag("unknown-grade", (*self.path, "actual"), text=actual.text)
            return Judgement("not_judged", direction=op)
        band = actual.band
        completion = self.rules.spec.qualitative.words.get(band.value, _ONE)
        self.flag(
            "grade-read", (*self.path, "actual"), text=actual.text, percent=percent(completion)
        )
        return self._by_band(
            completion,
            [
                self.say(
                    f"“{actual.text}”按 {percent(completion)} 计",
                    f"{actual.text!r} counts as {percent(completion)}",
                )
            ],
            op,
        )

    def _by_band(self, completion: Decimal, trace: list[str], op: Op | None = None) -> Judgement:
        achievement = min(max(completion, _ZERO), _ONE)
        band = self.rules.band(achievement)
        status: Status = band.status if band else ("met" if achievement >= 1 else "partly_met")
        if band:
            trace.append(self.say("档次：", "band: ") + band.name)
        kind: Literal["quantitative", "qualitative"] = (
            "qualitative" if op is None else "quantitative"
        )
        return Judgement(status, achievement, kind, op, self.rules.spec.qualitative.score, trace)

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
                percent=percent(completion),
                words=actual.label or actual.text,
                band=band.name if band and completion <= _ONE else "0%–100%",
            )

    def _qualitative(self, target: Value, actual: Value) -> Judgement:
        if isinstance(actual, Grade):
            return self._grade_completion(actual)
        if isinstance(actual, Nil):
            if isinstance(target, Nil):
                return Judgement(
                    "met",
                    _ONE,
                    "qualitative",
                    trace=[self.say("目标与完成均为未发生", "nothing occurred, as targeted")],
                )
            # 无 against a qualitative target says there is nothing to assess (不适用).
            self.flag("nil-as-not-applicable", (*self.path, "actual"), text=actual.text)
            return Judgement(
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
                    percent=percent(completion),
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
                return Judgement("not_judged")
            return self._by_band(
                completion, [self.say("完成比例 ", "completion ") + percent(completion)]
            )
        self.flag(
            "unreadable-value",
            (*self.path, "actual"),
            text=actual.text,
            reason="不是完成比例或完成情况"
            if self.flag.lang != "en"
            else "neither a completion percentage nor a completion word",
        )
        return Judgement("not_judged")


def tidy(value: Decimal) -> Decimal:
    """A compared value without the noise of unit conversion (12个月 is 1年, not 0.9999…9年)."""
    return value.quantize(Decimal("1e-12")) if value.adjusted() < 15 else value
