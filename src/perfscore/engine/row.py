"""One row through the engine: read once into a :class:`Row`, judged, scored and checked into
a :class:`RowOutcome` of facts.

A :class:`Row` holds everything the row's work may read — its texts, the values read from
them, the printed weight and score, whether a reason was given — and is the key the work is
remembered under in the rule set's memo (the values read are functions of the texts, and the
row's place in the form is not part of the work, so neither is compared).  The work receives
the row and nothing else, so what it reads is by construction what it is cached under; its
findings carry no path, and its steps no words, so one remembered answer serves every form
and both languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from perfscore.engine.judge import Outcome, judge
from perfscore.engine.results import Status
from perfscore.engine.rowchecks import measurable, printed_row, printed_score, target_fits
from perfscore.engine.scoring import score
from perfscore.errors import FormulaError
from perfscore.form.model import Indicator
from perfscore.ruleset.rules import RuleSet
from perfscore.text.values import Op, Value, parse_value
from perfscore.words.flags import Finding, finding
from perfscore.words.steps import Step

__all__ = ["Row", "RowOutcome", "outcome_of", "read_row"]

_ZERO = Decimal(0)
_FIELD_ZH = {"target": "年度指标值", "actual": "实际完成值"}


@dataclass(frozen=True, slots=True)
class Row:
    """One indicator as the engine reads it, built once per row (:func:`read_row`)."""

    name: str
    level1: str | None
    level2: str | None
    target_text: str | None
    actual_text: str | None
    weight: Decimal | None
    score: Decimal | None
    has_reason: bool
    #: Whether the form is scored (some row has a weight); a row without one then weighs 0.
    scored: bool
    #: A target table (绩效目标表): nothing is completed yet; only the target is checked.
    targets_only: bool
    #: The form's year: the year of a date printed without one (6月底前).
    year: int | None
    target: Value | None = field(compare=False)
    actual: Value | None = field(compare=False)
    index: int = field(default=0, compare=False)


def read_row(
    index: int, ind: Indicator, *, scored: bool, targets_only: bool, year: int | None
) -> Row:
    """The row ``ind`` at ``index``, each of its cells read once."""
    target, actual = ind.target, ind.actual
    return Row(
        ind.name,
        ind.level1,
        ind.level2,
        target,
        actual,
        ind.weight,
        ind.score,
        bool((ind.reason or "").strip()),
        scored,
        targets_only,
        year,
        parse_value(target) if target is not None else None,
        parse_value(actual) if actual is not None else None,
        index,
    )


class RowOutcome(NamedTuple):
    """What the engine concludes about a row, as facts: no path, no words."""

    status: Status
    achievement: Decimal | None
    weight: Decimal | None
    points: Decimal | None
    direction: Op | None
    steps: tuple[Step, ...]
    compared: tuple[Decimal, Decimal] | None
    findings: tuple[Finding, ...]


def outcome_of(row: Row, rules: RuleSet) -> RowOutcome:
    """The row's outcome, from the rule set's memo when a row like it was seen before."""
    memo = rules.memo.table("rows")
    hit: RowOutcome | None = memo.get(row)
    if hit is None:
        hit = memo.put(row, _work(row, rules))
    return hit


def _judged(row: Row, rules: RuleSet) -> tuple[Outcome, list[Finding]]:
    found: list[Finding] = []
    target, actual = row.target, row.actual
    if target is not None:
        found += target_fits(row.name, target, rules)
    if row.targets_only:
        if target is None:
            found.append(_missing("target"))
        else:
            found += measurable(target)
        return Outcome("not_judged"), found
    if target is None or actual is None:
        found += [_missing(n) for n, v in (("target", target), ("actual", actual)) if v is None]
        return Outcome("not_judged"), found
    outcome = judge(rules, row.name, target, actual, level2=row.level2, year=row.year)
    found += outcome.findings
    return outcome, found


def _missing(name: str) -> Finding:
    return finding("missing-value", name, field=name, field_zh=_FIELD_ZH[name])


def _work(row: Row, rules: RuleSet) -> RowOutcome:
    weight = row.weight if row.weight is not None else (_ZERO if row.scored else None)
    found = list(printed_row(row.weight, row.score))
    outcome, judged = _judged(row, rules)
    found += judged
    points: Decimal | None = None
    steps: tuple[Step, ...] = tuple(outcome.steps)
    if weight is not None:
        try:
            points, scoring = score(outcome, weight, rules, row.name)
            steps += scoring
        except FormulaError as exc:
            found.append(finding("formula-failed", detail=str(exc)))
    found += printed_score(
        outcome, weight, points, steps, row.score, row.has_reason, row.scored, rules
    )
    return RowOutcome(
        outcome.status,
        outcome.achievement,
        weight,
        points,
        outcome.direction,
        steps,
        outcome.values,
        tuple(found),
    )
