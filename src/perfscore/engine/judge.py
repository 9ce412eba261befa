"""Judging one indicator: does the actual meet the target, and by how much?

:class:`Judge` compares a parsed target (:mod:`perfscore.text.values`) with a parsed actual: it
settles the direction (printed, from an indicator rule, or inferred from the name), brings both
to comparable units, reads ratios written as percentages, and turns qualitative completions
into bands.  Each decision a reader might question is recorded as a finding, and each step as
a :class:`~perfscore.words.steps.Step`: facts, never words — the words are written when a
trace or a flag is read.  Scores are not made here (see :mod:`perfscore.engine.scoring`).

A new comparator goes into :data:`OPERATORS`: what it holds and which way is better.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from perfscore.engine.reading import denied, falls_short, read_actual, read_completion, restated
from perfscore.engine.results import Status
from perfscore.errors import FormulaError
from perfscore.ruleset.rules import RuleSet
from perfscore.text.values import (
    Band,
    Comparison,
    Compound,
    Date,
    Deadline,
    FreeText,
    Grade,
    Nil,
    NotApplicable,
    Op,
    Quantity,
    Range,
    Value,
    as_date,
    parse_value,
    words,
)
from perfscore.words.flags import Finding, finding
from perfscore.words.messages import percent, plain, shorten, substitute
from perfscore.words.steps import Step

__all__ = ["OPERATORS", "Judge", "Outcome", "Sense", "judge", "tidy"]

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

#: How a date target bounds the completion: the test on (completion start, completion end)
#: against (target start, target end).  A date printed bare is a deadline (完成时间).
_Days = Callable[[datetime.date, datetime.date, datetime.date, datetime.date], bool]
DATE_TESTS: Mapping[Op, _Days] = {
    Op.LE: lambda a0, a1, t0, t1: a1 <= t1,
    Op.LT: lambda a0, a1, t0, t1: a1 < t0,
    Op.GE: lambda a0, a1, t0, t1: a0 >= t0,
    Op.GT: lambda a0, a1, t0, t1: a0 > t1,
    Op.EQ: lambda a0, a1, t0, t1: t0 <= a0 and a1 <= t1,
}
# A year no form prints, for dates compared where neither the cell nor the form gives one.
_ANY_YEAR = 2000


@dataclass(frozen=True, slots=True)
class Outcome:
    """How an actual compares with its target.

    ``achievement`` is a Decimal fraction (1 when met) or ``None`` where no comparison was
    possible; ``kind`` says which score formula applies; ``values`` are the compared actual and
    target in base units (fractions for percentages), for indicator rules and the roll-up;
    ``steps`` what was done, as facts; ``findings`` what a reader should be told, without a
    path.  Outcomes are cached and shared, so they are immutable.
    """

    status: Status
    achievement: Decimal | None = None
    kind: Literal["quantitative", "qualitative", "none"] = "none"
    direction: Op | None = None
    formula: str = ""
    steps: Sequence[Step] = ()
    values: tuple[Decimal, Decimal] | None = None
    findings: tuple[Finding, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))


def judge(
    rules: RuleSet,
    name: str,
    target: Value,
    actual: Value,
    *,
    level2: str | None = None,
    year: int | None = None,
) -> Outcome:
    """The outcome of ``actual`` against ``target`` for the indicator ``name``, with what was
    found on the way."""
    j = Judge(rules, name, level2=level2, year=year)
    outcome = j.judge(target, actual)
    return replace(outcome, findings=tuple(j.found))


class Judge:
    """Judges target against actual for one indicator, recording what it finds in ``found``
    (findings about the row's fields, without a path: the engine places them)."""

    __slots__ = ("found", "level2", "name", "rules", "year")

    def __init__(
        self,
        rules: RuleSet,
        name: str,
        *,
        level2: str | None = None,
        year: int | None = None,
    ) -> None:
        self.rules = rules
        self.found: list[Finding] = []
        self.name = name
        self.level2 = level2
        self.year = year

    # -- entry ------------------------------------------------------------------------------

    def judge(self, target: Value, actual: Value) -> Outcome:
        """The judgement of ``actual`` against ``target``."""
        if isinstance(target, NotApplicable):
            if isinstance(actual, NotApplicable) or (
                isinstance(actual, Nil) and not target.placeholder
            ):
                return Outcome("not_applicable", steps=[Step("target-not-applicable")])
            self.find(
                "unmeasurable-target",
                "target",
                text=target.text,
                reason="指标值空缺，但填报了完成值",
                reason_en="no target is given, yet a completion is reported",
            )
            return Outcome("not_judged")
        if isinstance(actual, NotApplicable):
            return Outcome(
                "not_applicable",
                steps=[Step("actual-not-applicable")],
            )
        restated = self._restates(target, actual)
        if restated is not None:
            return restated
        if isinstance(actual, FreeText):
            self.find(
                "unreadable-value",
                "actual",
                text=actual.text,
                reason=actual.reason_zh,
                reason_en=actual.reason,
            )
            return Outcome("not_judged")
        if isinstance(target, Compound):
            return self._compound(target, actual)
        if isinstance(target, Date):
            return self._date(target, actual)
        if isinstance(target, Comparison):
            month = as_date(target) if isinstance(actual, Date) else None
            if month is not None:
                return self._date(month, actual)
            return self._quantitative(target, actual)
        if isinstance(target, Range):
            return self._range(target, actual)
        if isinstance(target, Deadline):
            return self._deadline(target, actual)
        if isinstance(target, FreeText):
            self._unmeasurable(target)
        return self._qualitative(target, actual)

    def _unmeasurable(self, target: FreeText | Deadline) -> None:
        """A target nobody could measure: free text, or a time limit without a date."""
        if isinstance(target, FreeText):
            reason, reason_en = target.reason_zh, target.reason
        else:
            reason, reason_en = "未给出具体时限", "no time limit is given"
        self.find(
            "unmeasurable-target", "target", text=target.text, reason=reason, reason_en=reason_en
        )

    def find(self, code: str, field: str, **data: Any) -> None:
        """Record a finding about the row's ``field`` (``""``: the row as a whole)."""
        self.found.append(finding(code, field, **data))

    # -- quantitative -----------------------------------------------------------------------

    def _direction(self, target: Comparison) -> Op:
        if target.op is not None:
            return target.op
        rule = self.rules.rule_for(self.name)
        if rule is not None and rule.spec.direction is not None:
            op = _RULE_DIRECTION[rule.spec.direction]
            self.find(
                "direction-inferred",
                "target",
                text=target.text,
                direction=str(op),
                direction_zh=OPERATORS[op].zh,
                why=f"指标规则“{rule.spec.name}”",
                why_en=f"indicator rule {rule.spec.name!r}",
            )
            return op
        money = self._money_limit(target)
        if money is not None:
            self.find(
                "direction-inferred",
                "target",
                text=target.text,
                direction=str(Op.LE),
                direction_zh=OPERATORS[Op.LE].zh,
                why=f"金额指标，{money}",
                why_en=f"a money target, {money!r}",
            )
            return Op.LE
        hint = self.rules.lower_hint
        # A clause of a compound target is named by its own label (帮教率 90%以上).
        match = hint.search(target.label or self.name) if hint else None
        op = Op.LE if match else Op.GE
        self.find(
            "direction-inferred",
            "target",
            text=target.text,
            direction=str(op),
            direction_zh=OPERATORS[op].zh,
            why=f"指标名称含“{match.group(0)}”" if match else "默认越高越好",
            why_en=f"name matches {match.group(0)!r}" if match else "default: higher is better",
        )
        return op

    def _money_limit(self, target: Comparison) -> str | None:
        """What makes a money target printed without a comparator a cost (lower is better):
        the name (成本, 费用, 投资 …) or the group (成本指标), as the rule set's hints say."""
        if not target.quantity.unit.is_money:
            return None
        by_name = self.rules.money_lower_hint
        found = by_name.search(target.label or self.name) if by_name else None
        if found:
            return found.group(0)
        by_group = self.rules.money_lower_group
        found = by_group.search(self.level2 or "") if by_group else None
        return found.group(0) if found else None

    def _known(self, q: Quantity) -> Quantity:
        """A quantity in a unit the rule set declares (担 = 50 kg) in that unit."""
        if q.unit.is_known:
            return q
        local = self.rules.local_units.get(q.unit.label)
        return q if local is None else Quantity(q.magnitude, local)

    def _actual_quantity(self, target: Quantity, actual: Comparison) -> Quantity | None:
        """The actual in comparable form, or None after flagging why it is not."""
        target = self._known(target)
        q = self._known(actual.quantity)
        if actual.op is not None and not actual.each:
            self.find("actual-as-bound", "actual", text=actual.text, value=str(q))
        if actual.approximate:
            self.find("approximate-actual", "actual", text=actual.text, value=str(q))
        read, ratio = read_actual(target, q, actual.text)
        if ratio:
            self.find(
                "ratio-read-as-percent",
                "actual",
                text=actual.text,
                percent=percent(q.magnitude),
            )
        if read is None:
            self._mismatch(str(target), str(q))
            return None
        return read

    def _compare(self, op: Op, target: Quantity, actual: Quantity, *, over: bool = True) -> Outcome:
        t = target.base if not target.unit.is_number else target.magnitude
        a = actual.base if not target.unit.is_number else actual.magnitude
        t, a = tidy(t), tidy(a)
        sense = OPERATORS[op]
        met = sense.holds(a, t)
        trace = [Step("compare", (str(actual), met, str(op), str(target)))]
        if met:
            factor = self.rules.spec.over_achievement
            # A percentage at or below 100% is never implausible (satisfaction 100% vs ≥80%).
            ceiling = target.unit.is_percent and a <= _ONE
            if (
                over
                and factor is not None
                and sense.better == "higher"
                and t > 0
                and a >= t * factor
                and not ceiling
            ):
                self.find(
                    "over-achievement",
                    "actual",
                    actual=str(actual),
                    target=str(target),
                    ratio=plain((a / t).quantize(Decimal("0.01"))),
                )
            return Outcome("met", _ONE, "quantitative", op, steps=trace, values=(a, t))
        formula = getattr(self.rules, sense.better)
        # Where the formula's divisor is zero nothing was achieved (0 of a ≥ count, a ≤ 0 limit
        # exceeded); the rule set's formula is asked only inside its domain.
        defined = {"higher": t > 0, "lower": a > 0, "equal": max(a, t) > 0}[sense.better]
        try:
            achievement = formula(actual=a, target=t) if defined else _ZERO
        except FormulaError as exc:
            self.find("formula-failed", "", detail=str(exc))
            return Outcome("not_judged", direction=op)
        achievement = min(max(achievement, _ZERO), _ONE)
        shown = substitute(formula.text, actual=str(actual), target=str(target))
        trace.append(Step("achievement", (formula.text, shown, achievement)))
        status: Status = "missed" if achievement == 0 else "partly_met"
        return Outcome(status, achievement, "quantitative", op, formula.text, trace, (a, t))

    def _quantitative(self, target: Comparison, actual: Value) -> Outcome:
        op = self._direction(target)
        tq = self._known(target.quantity)
        if isinstance(actual, Comparison):
            if falls_short(actual.tail):
                # 90%未达标: the completion itself says the target was not reached.
                self.find(
                    "unreadable-value",
                    "actual",
                    text=shorten(actual.text),
                    reason="完成值注明未达标",
                    reason_en="the completion says it fell short",
                )
                return Outcome("not_judged", direction=op)
            bound = OPERATORS[actual.op].better if actual.op is not None and not actual.each else ""
            if bound in ("higher", "lower") and OPERATORS[op].better != bound:
                # 90%以下 completed against ≥90% (or =90%): it may lie anywhere below; never
                # call it met.
                self.find(
                    "bound-against-target",
                    "actual",
                    text=shorten(actual.text),
                    target=shorten(target.text),
                    side="上方" if bound == "lower" else "下方",
                    side_en="above" if bound == "lower" else "below",
                )
                return Outcome("not_judged", direction=op)
            aq = self._actual_quantity(tq, actual)
            if aq is None:
                return Outcome("not_judged", direction=op)
            return self._compare(op, tq, aq)
        if isinstance(actual, Nil):
            if OPERATORS[op].better == "lower" or not (
                tq.unit.is_percent or (tq.unit.is_number and tq.magnitude <= 1)
            ):
                # 无 against a limit is zero (no complaints); against a count it is nothing done.
                return self._compare(op, tq, Quantity(_ZERO, tq.unit))
            self.find("vacuous-met", "actual", text=actual.text)
            return Outcome(
                "met",
                _ONE,
                "quantitative",
                op,
                steps=[Step("vacuous")],
            )
        if isinstance(actual, Grade):
            return self._grade_completion(actual, op, tq)
        if isinstance(actual, Date):
            self._mismatch(str(tq), actual.text)
            return Outcome("not_judged", direction=op)
        self.find(
            "unreadable-value",
            "actual",
            text=actual.text,
            reason="不是数量",
            reason_en="not a quantity",
        )
        return Outcome("not_judged", direction=op)

    def _mismatch(self, target: str, actual: str) -> None:
        self.find(
            "unit-mismatch",
            "",
            detail=f"指标值“{target}”与实际完成值“{actual}”量纲不同",
            detail_en=f"target {target} and actual {actual} have different dimensions",
        )

    def _range(self, target: Range, actual: Value) -> Outcome:
        if not isinstance(actual, Comparison):
            return self._quantitative(Comparison(target.text, target.low_op, target.low), actual)
        low_q, high_q = self._known(target.low), self._known(target.high)
        aq = self._actual_quantity(low_q, actual)
        if aq is None:
            return Outcome("not_judged")
        # Beating the low end of a range is no over-achievement: the high end bounds it.
        low = self._compare(target.low_op, low_q, aq, over=False)
        if low.status != "met":
            return low
        return self._compare(target.high_op, high_q, aq)

    # -- dates ------------------------------------------------------------------------------

    def _date(self, target: Date, actual: Value) -> Outcome:
        """A deadline (2024年6月底前) against a completion date: late is missed, and earns the
        rule set's ``deadline`` achievement; never a ratio of month numbers."""
        done: Date | None
        if isinstance(actual, Date):
            done = actual
        elif isinstance(actual, Comparison):
            done = as_date(actual)
        elif isinstance(actual, Grade):
            return self._grade_completion(actual, target.op or Op.LE)
        else:
            done = None
        if done is None:
            self._mismatch(target.text, actual.text)
            return Outcome("not_judged", direction=target.op)
        year = self.year or target.year or done.year or _ANY_YEAR
        op = target.op or Op.LE
        t0, t1 = target.start(year), target.end(year)
        a0, a1 = done.start(year), done.end(year)
        met = DATE_TESTS[op](a0, a1, t0, t1)
        bound = t1 if op in (Op.LE, Op.GT) else t0
        when = f"{a0}" if a0 == a1 else f"{a0}–{a1}"
        trace = [Step("date", (when, met, str(op), str(bound)))]
        if met:
            return Outcome("met", _ONE, "quantitative", op, steps=trace)
        if op not in (Op.LE, Op.LT, Op.EQ) or a1 <= bound:
            # Too early for a 不早于 target: there is no on-time share to speak of.
            return Outcome("missed", _ZERO, "quantitative", op, steps=trace)
        deadline = t1 if op is not Op.LT else t0 - datetime.timedelta(days=1)
        origin = datetime.date(deadline.year, 1, 1)
        allowed = Decimal((deadline - origin).days + 1)
        taken = Decimal((a1 - origin).days + 1)
        late = Decimal((a1 - deadline).days)
        formula = self.rules.deadline
        try:
            achievement = formula(allowed=allowed, taken=taken, late=late)
        except FormulaError as exc:
            self.find("formula-failed", "", detail=str(exc))
            return Outcome("not_judged", direction=op)
        achievement = min(max(achievement, _ZERO), _ONE)
        shown = substitute(
            formula.text, allowed=plain(allowed), taken=plain(taken), late=plain(late)
        )
        trace.append(Step("late", (late, formula.text, shown, achievement)))
        status: Status = "missed" if achievement == 0 else "partly_met"
        return Outcome(status, achievement, "quantitative", op, formula.text, trace)

    # -- restated targets -------------------------------------------------------------------

    def _restates(self, target: Value, actual: Value) -> Outcome | None:
        """明显改善 → 明显改善, 是否有利于带动就业 → 有利于带动就业, 获得群众认可 →
        群众认可度显著, 达成预期指标: a completion that restates, answers or affirms a
        qualitative target is met."""
        if not isinstance(target, (Grade, FreeText, Deadline)) or target.text.strip() == "":
            return None
        if not isinstance(actual, (Grade, FreeText, Deadline)):
            return None
        target_words, actual_words = words(target.text), words(actual.text)
        matched = restated(target_words, actual_words)
        verdicts = self.rules.spec.qualitative.verdicts
        if (
            matched is None
            and isinstance(actual, Grade)
            and actual.band is Band.FULL
            and actual_words not in verdicts
        ):
            matched = actual_words  # 达成预期指标, 已完成, 是: an affirmation
        if not matched:
            if denied(target_words, actual_words):
                # 明显改善 completed 未明显改善: the target's own words, denied.
                none = self.rules.spec.qualitative.words.get(Band.NONE.value, _ZERO)
                self.find("grade-read", "actual", text=actual.text, percent=percent(none))
                return self._by_band(none, [Step("denied", (actual.text, none))])
            return None
        if isinstance(target, (FreeText, Deadline)):
            self._unmeasurable(target)
        self.find("actual-restates-target", "actual", text=actual.text, matched=matched)
        return Outcome(
            "met",
            _ONE,
            "qualitative",
            steps=[Step("restated", (actual.text, matched))],
        )

    def _compound(self, target: Compound, actual: Value) -> Outcome:
        clauses = target.clauses
        if isinstance(actual, Compound) and len(actual.clauses) == len(clauses):
            pairs: list[tuple[Value, Value]] = list(zip(clauses, actual.clauses, strict=True))
        else:
            named = actual.label if isinstance(actual, Comparison) and not actual.each else ""
            labels = [getattr(c, "label", "") for c in clauses]
            if named and named in labels and any(label != named for label in labels):
                # 群众6000人 against 群众≥5000人；公司≥200家: one clause reported, not all.
                self.find(
                    "unreadable-value",
                    "actual",
                    text=shorten(actual.text),
                    reason=f"只填报了“{named}”一项，指标值有 {len(clauses)} 项",
                    reason_en=f"only {named!r} is reported of the target's {len(clauses)} clauses",
                )
                return Outcome("not_judged")
            pairs = [(c, actual) for c in clauses]
        results = [self.judge(t, a) for t, a in pairs]
        judged = [r for r in results if r.achievement is not None]
        if len(judged) < len(results):
            return Outcome("not_judged")
        achievement = sum((r.achievement for r in judged if r.achievement is not None), _ZERO)
        achievement /= len(judged)
        trace = [Step("clause", (i + 1, tuple(r.steps))) for i, r in enumerate(results)]
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
            trace.append(Step("clause-mean", (achievement,)))
        return Outcome(status, achievement, kind, steps=trace)

    def _deadline(self, target: Deadline, actual: Value) -> Outcome:
        self._unmeasurable(target)
        if isinstance(actual, Nil):
            self.find("vacuous-met", "actual", text=actual.text)
            return Outcome(
                "met",
                _ONE,
                "qualitative",
                steps=[Step("vacuous")],
            )
        return self._qualitative(target, actual)

    # -- qualitative ------------------------------------------------------------------------

    def _grade_completion(
        self, actual: Grade, op: Op | None = None, target: Quantity | None = None
    ) -> Outcome:
        verdict = self.rules.spec.qualitative.verdicts.get(words(actual.text))
        band = Band(verdict) if verdict is not None else actual.band
        if band is None:
            self.find("unknown-grade", "actual", text=actual.text)
            return Outcome("not_judged", direction=op)
        completion = self.rules.spec.qualitative.words.get(band.value, _ONE)
        self.find("grade-read", "actual", text=actual.text, percent=percent(completion))
        higher = op is not None and OPERATORS[op].better == "higher"
        if higher and op is not None and target is not None and target.unit.is_percent:
            # 基本满意 (80%) against ≥90%: the word's completion is compared with the target's
            # percentage, not placed in a qualitative band (where 80% would count as met).
            read = Step("counts-as", (actual.text, completion))
            judged = self._compare(op, target, Quantity(completion * _HUNDRED, target.unit))
            return replace(judged, steps=(read, *judged.steps))
        return self._by_band(
            completion,
            [Step("counts-as", (actual.text, completion))],
            op,
        )

    def _by_band(self, completion: Decimal, trace: list[Step], op: Op | None = None) -> Outcome:
        achievement = min(max(completion, _ZERO), _ONE)
        band = self.rules.band(achievement)
        status: Status = band.status if band else ("met" if achievement >= 1 else "partly_met")
        if band:
            trace.append(Step("band", (band.name,)))
        kind: Literal["quantitative", "qualitative"] = (
            "qualitative" if op is None else "quantitative"
        )
        return Outcome(status, achievement, kind, op, self.rules.spec.qualitative.score, trace)

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
            self.find(
                "grade-out-of-band",
                "actual",
                percent=percent(completion),
                words=actual.label or actual.text,
                band=band.name if band and completion <= _ONE else "0%–100%",
            )

    def _qualitative(self, target: Value, actual: Value) -> Outcome:
        if isinstance(actual, Grade):
            return self._grade_completion(actual)
        if isinstance(actual, Nil):
            if isinstance(target, Nil):
                return Outcome(
                    "met",
                    _ONE,
                    "qualitative",
                    steps=[Step("nothing-as-targeted")],
                )
            # 无 against a qualitative target says there is nothing to assess (不适用).
            self.find("nil-as-not-applicable", "actual", text=actual.text)
            return Outcome(
                "not_applicable",
                steps=[Step("nil-not-applicable", (actual.text,))],
            )
        if isinstance(actual, Comparison):
            q = actual.quantity
            if actual.op is not None:
                self.find("actual-as-bound", "actual", text=actual.text, value=str(q))
            completion, ratio = read_completion(q)
            if completion is not None and not ratio:
                self._check_band(actual, completion)
            elif completion is not None:
                self.find(
                    "ratio-read-as-percent",
                    "actual",
                    text=actual.text,
                    percent=percent(completion),
                )
            else:
                self.find(
                    "unit-mismatch",
                    "",
                    detail=f"定性指标的完成值“{q}”不是百分比",
                    detail_en=f"qualitative completion {q} is not a percentage",
                )
                return Outcome("not_judged")
            return self._by_band(completion, [Step("completion", (completion,))])
        self.find(
            "unreadable-value",
            "actual",
            text=actual.text,
            reason="不是完成比例或完成情况",
            reason_en="neither a completion percentage nor a completion word",
        )
        return Outcome("not_judged")


def tidy(value: Decimal) -> Decimal:
    """A compared value without the noise of unit conversion (12个月 is 1年, not 0.9999…9年)."""
    return value.quantize(Decimal("1e-12")) if value.adjusted() < 15 else value
