"""Judging one indicator: does the actual meet the target, and by how much?

:class:`Judge` compares a parsed target (:mod:`perfscore.text.values`) with a parsed actual: it
settles the direction (printed, from an indicator rule, or inferred from the name), brings both
to comparable units, reads ratios written as percentages, and turns qualitative completions
into bands.  Each decision a reader might question is reported as a flag.  Scores are not made
here (see :mod:`perfscore.engine.scoring`).

A new comparator goes into :data:`OPERATORS`: what it holds and which way is better.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal, NamedTuple

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
from perfscore.words.flags import Flagger
from perfscore.words.messages import formula_text, percent, plain, say, shorten, substitute, symbol

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
_DATE_ZH = {Op.LE: "不晚于", Op.LT: "早于", Op.GE: "不早于", Op.GT: "晚于", Op.EQ: "在"}
_DATE_EN = {Op.LE: "by", Op.LT: "before", Op.GE: "from", Op.GT: "after", Op.EQ: "within"}
# A year no form prints, for dates compared where neither the cell nor the form gives one.
_ANY_YEAR = 2000


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

    def __init__(
        self,
        rules: RuleSet,
        flag: Flagger,
        path: Path_,
        name: str,
        *,
        level2: str | None = None,
        year: int | None = None,
    ) -> None:
        self.rules = rules
        self.flag = flag
        self.path = path
        self.name = name
        self.level2 = level2
        self.year = year

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
                reason=self.say(
                    "指标值空缺，但填报了完成值", "no target is given, yet a completion is reported"
                ),
            )
            return Judgement("not_judged")
        if isinstance(actual, NotApplicable):
            return Judgement(
                "not_applicable",
                trace=[self.say("完成值为不适用", "the completion says not applicable")],
            )
        restated = self._restates(target, actual)
        if restated is not None:
            return restated
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
            reason = self._why(target)
        else:
            reason = self.say("未给出具体时限", "no time limit is given")
        self.flag("unmeasurable-target", (*self.path, "target"), text=target.text, reason=reason)

    def say(self, zh: str, en: str) -> str:
        """A trace line in the evaluation's language."""
        return say(self.flag.en, zh, en)

    def _why(self, value: FreeText) -> str:
        return self.say(value.reason_zh, value.reason)

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
        money = self._money_limit(target)
        if money is not None:
            self.flag(
                "direction-inferred",
                (*self.path, "target"),
                text=target.text,
                direction=str(Op.LE),
                direction_zh=OPERATORS[Op.LE].zh,
                why=f"a money target, {money!r}" if self.flag.en else f"金额指标，{money}",
            )
            return Op.LE
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
            self.flag("actual-as-bound", (*self.path, "actual"), text=actual.text, value=str(q))
        if actual.approximate:
            self.flag("approximate-actual", (*self.path, "actual"), text=actual.text, value=str(q))
        read, ratio = read_actual(target, q, actual.text)
        if ratio:
            self.flag(
                "ratio-read-as-percent",
                (*self.path, "actual"),
                text=actual.text,
                percent=percent(q.magnitude),
            )
        if read is None:
            self._mismatch(str(target), str(q))
            return None
        return read

    def _compare(
        self, op: Op, target: Quantity, actual: Quantity, *, over: bool = True
    ) -> Judgement:
        t = target.base if not target.unit.is_number else target.magnitude
        a = actual.base if not target.unit.is_number else actual.magnitude
        t, a = tidy(t), tidy(a)
        sense = OPERATORS[op]
        met = sense.holds(a, t)
        trace = [
            self.say(
                f"{actual} {'满足' if met else '未满足'} {symbol(op)} {target}",
                f"{actual} {'meets' if met else 'misses'} {symbol(op)} {target}",
            )
        ]
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
            + f" = {formula_text(formula.text, self.flag.en)} = {shown} = {plain(achievement)}"
        )
        status: Status = "missed" if achievement == 0 else "partly_met"
        return Judgement(status, achievement, "quantitative", op, formula.text, trace, (a, t))

    def _quantitative(self, target: Comparison, actual: Value) -> Judgement:
        op = self._direction(target)
        tq = self._known(target.quantity)
        if isinstance(actual, Comparison):
            if falls_short(actual.tail):
                # 90%未达标: the completion itself says the target was not reached.
                self.flag(
                    "unreadable-value",
                    (*self.path, "actual"),
                    text=shorten(actual.text),
                    reason=self.say("完成值注明未达标", "the completion says it fell short"),
                )
                return Judgement("not_judged", direction=op)
            bound = OPERATORS[actual.op].better if actual.op is not None and not actual.each else ""
            if bound in ("higher", "lower") and OPERATORS[op].better != bound:
                # 90%以下 completed against ≥90% (or =90%): it may lie anywhere below; never
                # call it met.
                self.flag(
                    "bound-against-target",
                    (*self.path, "actual"),
                    text=shorten(actual.text),
                    target=shorten(target.text),
                    side="上方" if bound == "lower" else "下方",
                    side_en="above" if bound == "lower" else "below",
                )
                return Judgement("not_judged", direction=op)
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
            return self._grade_completion(actual, op, tq)
        if isinstance(actual, Date):
            self._mismatch(str(tq), actual.text)
            return Judgement("not_judged", direction=op)
        self.flag(
            "unreadable-value",
            (*self.path, "actual"),
            text=actual.text,
            reason=self.say("不是数量", "not a quantity"),
        )
        return Judgement("not_judged", direction=op)

    def _mismatch(self, target: str, actual: str) -> None:
        self.flag(
            "unit-mismatch",
            self.path,
            detail=(
                self.say(
                    f"指标值“{target}”与实际完成值“{actual}”量纲不同",
                    f"target {target} and actual {actual} have different dimensions",
                )
            ),
        )

    def _range(self, target: Range, actual: Value) -> Judgement:
        if not isinstance(actual, Comparison):
            return self._quantitative(Comparison(target.text, target.low_op, target.low), actual)
        low_q, high_q = self._known(target.low), self._known(target.high)
        aq = self._actual_quantity(low_q, actual)
        if aq is None:
            return Judgement("not_judged")
        # Beating the low end of a range is no over-achievement: the high end bounds it.
        low = self._compare(target.low_op, low_q, aq, over=False)
        if low.status != "met":
            return low
        return self._compare(target.high_op, high_q, aq)

    # -- dates ------------------------------------------------------------------------------

    def _date(self, target: Date, actual: Value) -> Judgement:
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
            return Judgement("not_judged", direction=target.op)
        year = self.year or target.year or done.year or _ANY_YEAR
        op = target.op or Op.LE
        t0, t1 = target.start(year), target.end(year)
        a0, a1 = done.start(year), done.end(year)
        met = DATE_TESTS[op](a0, a1, t0, t1)
        bound = t1 if op in (Op.LE, Op.GT) else t0
        when = f"{a0}" if a0 == a1 else f"{a0}–{a1}"
        trace = [
            self.say(
                f"完成于 {when}，{'满足' if met else '未满足'}{_DATE_ZH[op]} {bound}",
                f"completed {when}, {'meets' if met else 'misses'} {_DATE_EN[op]} {bound}",
            )
        ]
        if met:
            return Judgement("met", _ONE, "quantitative", op, trace=trace)
        if op not in (Op.LE, Op.LT, Op.EQ) or a1 <= bound:
            # Too early for a 不早于 target: there is no on-time share to speak of.
            return Judgement("missed", _ZERO, "quantitative", op, trace=trace)
        deadline = t1 if op is not Op.LT else t0 - datetime.timedelta(days=1)
        origin = datetime.date(deadline.year, 1, 1)
        allowed = Decimal((deadline - origin).days + 1)
        taken = Decimal((a1 - origin).days + 1)
        late = Decimal((a1 - deadline).days)
        formula = self.rules.deadline
        try:
            achievement = formula(allowed=allowed, taken=taken, late=late)
        except FormulaError as exc:
            self.flag("formula-failed", self.path, detail=str(exc))
            return Judgement("not_judged", direction=op)
        achievement = min(max(achievement, _ZERO), _ONE)
        shown = substitute(
            formula.text, allowed=plain(allowed), taken=plain(taken), late=plain(late)
        )
        trace.append(
            self.say(f"逾期 {late} 天，完成程度", f"{late} days late, achievement")
            + f" = {formula_text(formula.text, self.flag.en)} = {shown} = {plain(achievement)}"
        )
        status: Status = "missed" if achievement == 0 else "partly_met"
        return Judgement(status, achievement, "quantitative", op, formula.text, trace)

    # -- restated targets -------------------------------------------------------------------

    def _restates(self, target: Value, actual: Value) -> Judgement | None:
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
                self.flag(
                    "grade-read", (*self.path, "actual"), text=actual.text, percent=percent(none)
                )
                trace = [
                    self.say(
                        f"“{actual.text}”否定了指标值，按 {percent(none)} 计",
                        f"{actual.text!r} denies the target: {percent(none)}",
                    )
                ]
                return self._by_band(none, trace)
            return None
        if isinstance(target, (FreeText, Deadline)):
            self._unmeasurable(target)
        self.flag(
            "actual-restates-target", (*self.path, "actual"), text=actual.text, matched=matched
        )
        return Judgement(
            "met",
            _ONE,
            "qualitative",
            trace=[
                self.say(
                    f"完成值“{shorten(actual.text)}”复述或肯定指标值（“{shorten(matched)}”），"
                    "按达成计",
                    f"{shorten(actual.text)!r} restates or affirms the target "
                    f"({shorten(matched)!r}): met",
                )
            ],
        )

    def _compound(self, target: Compound, actual: Value) -> Judgement:
        clauses = target.clauses
        if isinstance(actual, Compound) and len(actual.clauses) == len(clauses):
            pairs: list[tuple[Value, Value]] = list(zip(clauses, actual.clauses, strict=True))
        else:
            named = actual.label if isinstance(actual, Comparison) and not actual.each else ""
            labels = [getattr(c, "label", "") for c in clauses]
            if named and named in labels and any(label != named for label in labels):
                # 群众6000人 against 群众≥5000人；公司≥200家: one clause reported, not all.
                self.flag(
                    "unreadable-value",
                    (*self.path, "actual"),
                    text=shorten(actual.text),
                    reason=self.say(
                        f"只填报了“{named}”一项，指标值有 {len(clauses)} 项",
                        f"only {named!r} is reported of the target's {len(clauses)} clauses",
                    ),
                )
                return Judgement("not_judged")
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
        self._unmeasurable(target)
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

    def _grade_completion(
        self, actual: Grade, op: Op | None = None, target: Quantity | None = None
    ) -> Judgement:
        verdict = self.rules.spec.qualitative.verdicts.get(words(actual.text))
        band = Band(verdict) if verdict is not None else actual.band
        if band is None:
            self.flag("unknown-grade", (*self.path, "actual"), text=actual.text)
            return Judgement("not_judged", direction=op)
        completion = self.rules.spec.qualitative.words.get(band.value, _ONE)
        self.flag(
            "grade-read", (*self.path, "actual"), text=actual.text, percent=percent(completion)
        )
        higher = op is not None and OPERATORS[op].better == "higher"
        if higher and op is not None and target is not None and target.unit.is_percent:
            # 基本满意 (80%) against ≥90%: the word's completion is compared with the target's
            # percentage, not placed in a qualitative band (where 80% would count as met).
            read = self.say(
                f"“{shorten(actual.text)}”按 {percent(completion)} 计",
                f"{shorten(actual.text)!r} counts as {percent(completion)}",
            )
            judged = self._compare(op, target, Quantity(completion * _HUNDRED, target.unit))
            return replace(judged, trace=(read, *judged.trace))
        return self._by_band(
            completion,
            [
                self.say(
                    f"“{shorten(actual.text)}”按 {percent(completion)} 计",
                    f"{shorten(actual.text)!r} counts as {percent(completion)}",
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
                        f"“{shorten(actual.text)}”按不适用处理",
                        f"{shorten(actual.text)!r} read as not applicable",
                    )
                ],
            )
        if isinstance(actual, Comparison):
            q = actual.quantity
            if actual.op is not None:
                self.flag("actual-as-bound", (*self.path, "actual"), text=actual.text, value=str(q))
            completion, ratio = read_completion(q)
            if completion is not None and not ratio:
                self._check_band(actual, completion)
            elif completion is not None:
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
                        self.say(
                            f"定性指标的完成值“{q}”不是百分比",
                            f"qualitative completion {q} is not a percentage",
                        )
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
            reason=self.say(
                "不是完成比例或完成情况", "neither a completion percentage nor a completion word"
            ),
        )
        return Judgement("not_judged")


def tidy(value: Decimal) -> Decimal:
    """A compared value without the noise of unit conversion (12个月 is 1年, not 0.9999…9年)."""
    return value.quantize(Decimal("1e-12")) if value.adjusted() < 15 else value
