"""Qualitative completions: words restating or denying the target, grade words and their
bands, completion percentages against a qualitative target."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from perfscore.engine.judge.frames import change_outcome
from perfscore.engine.judge.outcome import Outcome
from perfscore.engine.reading import denied, falls_short, planned, read_completion, restated
from perfscore.engine.results import Status
from perfscore.text.operators import OPERATORS
from perfscore.text.units import PERCENT
from perfscore.text.values import (
    Band,
    Comparison,
    Deadline,
    FreeText,
    Grade,
    Nil,
    Op,
    Quantity,
    Value,
    parse_value,
    words,
)
from perfscore.words.flags import finding
from perfscore.words.messages import percent
from perfscore.words.steps import Step

if TYPE_CHECKING:
    from perfscore.engine.judge.core import Judge

__all__ = [
    "by_band",
    "check_band",
    "deadline",
    "disowning",
    "grade_completion",
    "qualitative",
    "restates",
]

_ONE = Decimal(1)
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def restates(j: Judge, target: Value, actual: Value) -> Outcome | None:
    """明显改善 → 明显改善, 是否有利于带动就业 → 有利于带动就业, 获得群众认可 →
    群众认可度显著, 达成预期指标: a completion that restates, answers or affirms a
    qualitative target is met."""
    if not isinstance(target, (Grade, FreeText, Deadline)) or target.text.strip() == "":
        return None
    if not isinstance(actual, (Grade, FreeText, Deadline)):
        return None
    target_words, actual_words = words(target.text), words(actual.text)
    matched = restated(target_words, actual_words)
    verdicts = j.rules.spec.qualitative.verdicts
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
            none = j.rules.spec.qualitative.words.get(Band.NONE.value, _ZERO)
            j.find("grade-read", "actual", text=actual.text, percent=percent(none))
            return by_band(j, none, [Step("denied", (actual.text, none))])
        return None
    if isinstance(target, (FreeText, Deadline)):
        j.unmeasurable(target)
    j.find("actual-restates-target", "actual", text=actual.text, matched=matched)
    return Outcome(
        "met",
        _ONE,
        "qualitative",
        steps=[Step("restated", (actual.text, matched))],
    )


def deadline(j: Judge, target: Deadline, actual: Value) -> Outcome:
    j.unmeasurable(target)
    if isinstance(actual, Nil):
        j.find("vacuous-met", "actual", text=actual.text)
        return Outcome(
            "met",
            _ONE,
            "qualitative",
            steps=[Step("vacuous")],
        )
    return qualitative(j, target, actual)


def grade_completion(
    j: Judge, actual: Grade, op: Op | None = None, target: Quantity | None = None
) -> Outcome:
    verdict = j.rules.spec.qualitative.verdicts.get(words(actual.text))
    band = Band(verdict) if verdict is not None else actual.band
    if band is None:
        j.find("unknown-grade", "actual", text=actual.text)
        return Outcome("not_judged", direction=op)
    completion = j.rules.spec.qualitative.words.get(band.value, _ONE)
    j.find("grade-read", "actual", text=actual.text, percent=percent(completion))
    higher = op is not None and OPERATORS[op].better == "higher"
    if higher and op is not None and target is not None and target.unit.is_percent:
        # 基本满意 (80%) against ≥90%: the word's completion is compared with the target's
        # percentage, not placed in a qualitative band (where 80% would count as met).
        read = Step("counts-as", (actual.text, completion))
        judged = j.compare(op, target, Quantity(completion * _HUNDRED, target.unit))
        return judged._replace(steps=(read, *judged.steps))
    return by_band(
        j,
        completion,
        [Step("counts-as", (actual.text, completion))],
        op,
    )


def by_band(
    j: Judge,
    completion: Decimal,
    trace: list[Step],
    op: Op | None = None,
    compared: tuple[Quantity, None] | None = None,
) -> Outcome:
    achievement = min(max(completion, _ZERO), _ONE)
    band = j.rules.band(achievement)
    status: Status = band.status if band else ("met" if achievement >= 1 else "partly_met")
    if band:
        trace.append(Step("band", (band.name,)))
    kind: Literal["quantitative", "qualitative"] = "qualitative" if op is None else "quantitative"
    formula = j.rules.spec.qualitative.score
    return Outcome(status, achievement, kind, op, formula, trace, None, compared)


def check_band(j: Judge, actual: Comparison, completion: Decimal) -> None:
    """达成预期指标 90%: the words and the percentage must agree; nothing exceeds 100%."""
    words = parse_value(actual.label) if actual.label else None
    claimed = words.band if isinstance(words, Grade) else None
    band = j.rules.band(min(completion, _ONE))
    statuses = {
        Band.FULL: "met",
        Band.BASIC: "met",
        Band.PARTIAL: "partly_met",
        Band.NONE: "missed",
    }
    expected = statuses[claimed] if claimed else None
    if completion > _ONE or (expected and band and band.status != expected):
        j.find(
            "grade-out-of-band",
            "actual",
            percent=percent(completion),
            words=actual.label or actual.text,
            band=band.name if band and completion <= _ONE else "0%–100%",
        )


# A cell that says only "none": no target set, or no completion given.
_BARE_NIL = frozenset(("无", "没有", "零", "暂无", "无无"))
# A grade word (效果显著, 明显改善) is short; a target longer than this describes work to do.
_GRADE_WORDS = 8


def _nil(j: Judge, target: Value, actual: Nil) -> Outcome:
    """无 against a qualitative target: the same 无 (no target, nothing done: 不适用, as every
    project's 无/不适用 pair), nothing occurred as targeted (无安全事故), a real target left
    without a completion, or nothing to assess."""
    bare = words(actual.text) in _BARE_NIL
    if isinstance(target, Nil):
        if bare and words(target.text) in _BARE_NIL:
            return Outcome("not_applicable", steps=[Step("target-not-applicable")])
        return Outcome("met", _ONE, "qualitative", steps=[Step("nothing-as-targeted")])
    described = isinstance(target, (FreeText, Grade)) and len(words(target.text)) > _GRADE_WORDS
    if bare and (described or (isinstance(target, FreeText) and target.code == "descriptive")):
        # A real quality target answered 无: the completion is missing, not "does not apply".
        j.found.append(finding("missing-value", "actual", field="actual", field_zh="实际完成值"))
        return Outcome("not_judged")
    # 无 against a qualitative target says there is nothing to assess (不适用).
    j.find("nil-as-not-applicable", "actual", text=actual.text)
    return Outcome(
        "not_applicable",
        steps=[Step("nil-not-applicable", (actual.text,))],
    )


def qualitative(j: Judge, target: Value, actual: Value) -> Outcome:
    if isinstance(actual, Grade):
        return grade_completion(j, actual)
    if isinstance(actual, Nil):
        return _nil(j, target, actual)
    if isinstance(actual, Comparison):
        disowned = disowning(j, actual, None)
        if disowned is not None:
            return disowned
        changed = change_outcome(j, words(target.text), actual)
        if changed is not None:
            return changed
        q = actual.quantity
        if actual.op is not None:
            j.find("actual-as-bound", "actual", text=actual.text, value=str(q))
        completion, ratio = read_completion(q)
        if completion is not None and not ratio:
            check_band(j, actual, completion)
        elif completion is not None:
            j.find(
                "ratio-read-as-percent",
                "actual",
                text=actual.text,
                percent=percent(completion),
            )
        else:
            j.find(
                "unit-mismatch",
                "",
                detail=f"定性指标的完成值“{q}”不是百分比",
                detail_en=f"qualitative completion {q} is not a percentage",
            )
            return Outcome("not_judged")
        # The completion as the roll-up and the reports take it: a percentage, no target.
        read = (Quantity(completion / PERCENT.factor, PERCENT), None)
        return by_band(j, completion, [Step("completion", (completion,))], compared=read)
    j.find(
        "unreadable-value",
        "actual",
        text=actual.text,
        reason="不是完成比例或完成情况",
        reason_en="neither a completion percentage nor a completion word",
    )
    return Outcome("not_judged")


def disowning(j: Judge, actual: Comparison, op: Op | None) -> Outcome | None:
    """Not judged, where the completion's own words disown its number: a plan or the target
    itself (预计95%, 95%(目标值)), or a shortfall it states (90%未达标)."""
    if planned(actual.label, actual.tail):
        return j.refuse(
            actual,
            op,
            "完成值是计划、预计或目标数，不是实际完成",
            "the completion is a plan, a forecast or the target, not what was done",
        )
    if falls_short(actual.tail, actual.label):
        return j.refuse(actual, op, "完成值注明未达标", "the completion says it fell short")
    return None
