"""The judge: one actual against its target, for one indicator.

:class:`Judge` compares a parsed target (:mod:`perfscore.text.values`) with a parsed actual: it
settles the direction (printed, from an indicator rule, or inferred from the name), brings both
to comparable units, reads ratios written as percentages, and hands dates
(:mod:`~perfscore.engine.judge.dates`) and qualitative completions
(:mod:`~perfscore.engine.judge.qualitative`) to their own modules.  Each decision a reader
might question is recorded as a finding, each step as a
:class:`~perfscore.words.steps.Step`: facts, never words.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from perfscore.engine.judge.dates import judge_date
from perfscore.engine.judge.frames import (
    describe_share,
    gives_no_change,
    in_change_frame,
    nothing_as_zero,
    per_year,
    share_done,
    small_count,
    zero_limit,
)
from perfscore.engine.judge.outcome import Outcome, tidy
from perfscore.engine.judge.qualitative import (
    deadline,
    disowning,
    grade_completion,
    qualitative,
    restates,
)
from perfscore.engine.reading import read_actual
from perfscore.engine.results import Status
from perfscore.errors import FormulaError
from perfscore.ruleset.rules import RuleSet
from perfscore.text.operators import BY_DIRECTION, OPERATORS
from perfscore.text.values import (
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
)
from perfscore.words.flags import Finding, finding
from perfscore.words.messages import percent, plain, shorten
from perfscore.words.steps import Step

__all__ = ["Judge", "judge"]

_ONE = Decimal(1)
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_new_outcome = tuple.__new__


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
    # Made once per row, straight from the fields: the steps as a tuple, the findings added.
    return _new_outcome(
        Outcome, (*outcome[:5], tuple(outcome.steps), *outcome[6:8], tuple(j.found))
    )


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
        restated = restates(self, target, actual)
        if restated is not None:
            return restated
        zero = nothing_as_zero(target, actual)
        if zero is not None:
            return self._quantitative(zero, actual)
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
            return judge_date(self, target, actual)
        if isinstance(target, Comparison):
            month = as_date(target) if isinstance(actual, Date) else None
            if month is not None:
                return judge_date(self, month, actual)
            return self._quantitative(target, actual)
        if isinstance(target, Range):
            return self._range(target, actual)
        if isinstance(target, Deadline):
            return deadline(self, target, actual)
        if isinstance(target, FreeText):
            self.unmeasurable(target)
            judged = qualitative(self, target, actual)
            if judged.status == "not_judged":
                # One finding, one flag: the target nobody could measure is why the row is not
                # judged; its completion's grade word is no second warning.
                self.found = [f for f in self.found if f.code != "unknown-grade"]
            return judged
        return qualitative(self, target, actual)

    def unmeasurable(self, target: FreeText | Deadline) -> None:
        """A target nobody could measure: free text, or a time limit without a date."""
        if isinstance(target, FreeText):
            reason, reason_en = target.reason_zh, target.reason
        else:
            reason, reason_en = "未给出具体时限", "no time limit is given"
        self.find(
            "unmeasurable-target", "target", text=target.text, reason=reason, reason_en=reason_en
        )

    def refuse(self, actual: Value, op: Op | None, reason: str, reason_en: str) -> Outcome:
        """Not judged: the words of ``actual`` say it is no completion to compare (a plan, a
        shortfall, no change from last year)."""
        self.find(
            "unreadable-value",
            "actual",
            text=shorten(actual.text),
            reason=reason,
            reason_en=reason_en,
        )
        return Outcome("not_judged", direction=op)

    def find(self, code: str, field: str, **data: Any) -> None:
        """Record a finding about the row's ``field`` (``""``: the row as a whole)."""
        self.found.append(finding(code, field, **data))

    # -- quantitative -----------------------------------------------------------------------

    def _direction(self, target: Comparison) -> Op:
        if target.op is not None:
            return target.op
        zero = zero_limit(target)
        if zero is not None:
            # Nobody sets a target every value meets: a bare zero is "no more than zero".
            self.find(
                "direction-inferred",
                "target",
                text=target.text,
                direction=str(zero),
                direction_zh=OPERATORS[zero].zh,
                why="指标值为零",
                why_en="the target is zero",
            )
            return zero
        rule = self.rules.rule_for(self.name)
        if rule is not None and rule.spec.direction is not None:
            op = BY_DIRECTION[rule.spec.direction]
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
            self.mismatch(str(target), str(q))
            return None
        return read

    def compare(self, op: Op, target: Quantity, actual: Quantity, *, over: bool = True) -> Outcome:
        t = target.base if not target.unit.is_number else target.magnitude
        a = actual.base if not target.unit.is_number else actual.magnitude
        t, a = tidy(t), tidy(a)
        sense = OPERATORS[op]
        met = sense.holds(a, t)
        # The quantities as printed, once: the steps keep texts, not objects.
        shown_actual, shown_target = str(actual), str(target)
        trace = [Step("compare", (shown_actual, met, str(op), shown_target))]
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
                and not small_count(target, a - t, self.rules.spec.over_achievement_margin)
            ):
                self.find(
                    "over-achievement",
                    "actual",
                    actual=str(actual),
                    target=str(target),
                    ratio=plain((a / t).quantize(Decimal("0.01"))),
                )
            return Outcome("met", _ONE, "quantitative", op, "", trace, (a, t), (actual, target))
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
        inputs = (("actual", shown_actual), ("target", shown_target))
        trace.append(Step("achievement", (formula.text, inputs, achievement)))
        status: Status = "missed" if achievement == 0 else "partly_met"
        return Outcome(
            status, achievement, "quantitative", op, formula.text, trace, (a, t), (actual, target)
        )

    def _quantitative(self, target: Comparison, actual: Value) -> Outcome:
        op = self._direction(target)
        tq = self._known(target.quantity)
        if isinstance(actual, Comparison):
            return self._against(target, op, tq, actual)
        return self._not_a_number(target, op, tq, actual)

    def _against(self, target: Comparison, op: Op, tq: Quantity, actual: Comparison) -> Outcome:
        """A number against a number target, in the target's frame (its period, its direction
        of change), after the words around the actual are heard."""
        disowned = disowning(self, actual, op)
        if disowned is not None:
            return disowned
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
        if actual.quantity.magnitude < 0 and not (
            actual.quantity.unit.is_percent or tq.unit.is_percent
        ):
            # 负120人, -3天: no count, time or amount is below zero.
            return self.refuse(actual, op, "数量为负", "a negative quantity")
        if gives_no_change(target, actual):
            return self.refuse(
                actual,
                op,
                "指标值以上年为基数，完成值未给出与上年相比的变化",
                "the target is a change from last year and the actual gives no change",
            )
        share = share_done(tq, actual.quantity)
        if share is not None:
            return self._share(op, tq, actual, share)
        actual = in_change_frame(target, actual, self.name)
        year = per_year(self, target, actual)
        if year is not None:
            tq = year
        elif tq.unit.is_number and tq.magnitude == 0:
            tq = Quantity(_ZERO, actual.quantity.unit)  # zero is zero in any unit: 0 and 15%
        aq = self._actual_quantity(tq, actual)
        if aq is None:
            return Outcome("not_judged", direction=op)
        return self.compare(op, tq, aq)

    def _share(self, op: Op, target: Quantity, actual: Comparison, share: Decimal) -> Outcome:
        """100% against 1名 or 一年: the share of the target done, as a completion."""
        self.find(
            "share-of-target",
            "actual",
            text=actual.text,
            target=str(target),
            share=describe_share(share),
        )
        done = Quantity(target.magnitude * min(share, _ONE), target.unit)
        if OPERATORS[op].better != "higher":
            op = Op.GE  # a limit or a time allowed, done in full, is the target reached
        return self.compare(op, target, done, over=False)

    def _not_a_number(self, target: Comparison, op: Op, tq: Quantity, actual: Value) -> Outcome:
        """A number target against words, a date or nothing."""
        if isinstance(actual, Nil):
            if OPERATORS[op].better == "lower" or not (
                tq.unit.is_percent or (tq.unit.is_number and tq.magnitude <= 1)
            ):
                # 无 against a limit is zero (no complaints); against a count it is nothing done.
                return self.compare(op, tq, Quantity(_ZERO, tq.unit))
            self.find("vacuous-met", "actual", text=actual.text)
            return Outcome(
                "met",
                _ONE,
                "quantitative",
                op,
                steps=[Step("vacuous")],
            )
        if isinstance(actual, Grade):
            return grade_completion(self, actual, op, tq)
        if isinstance(actual, Date):
            self.mismatch(str(tq), actual.text)
            return Outcome("not_judged", direction=op)
        self.find(
            "unreadable-value",
            "actual",
            text=actual.text,
            reason="不是数量",
            reason_en="not a quantity",
        )
        return Outcome("not_judged", direction=op)

    def mismatch(self, target: str, actual: str) -> None:
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
        low = self.compare(target.low_op, low_q, aq, over=False)
        if low.status != "met":
            return low
        return self.compare(target.high_op, high_q, aq)

    # -- restated targets -------------------------------------------------------------------

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
