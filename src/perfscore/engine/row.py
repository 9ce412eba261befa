"""One row through the engine: taken once into a :class:`Row`, then read, judged, scored and
checked into a :class:`RowOutcome` of facts.

A :class:`Row` holds everything the row's work may read — its texts, the printed weight and
score, whether a reason was given, what the form says of every row — and is the key the work
is remembered under in the rule set's memo.  The work receives the row and nothing else, so
what it reads is by construction what it is cached under.  Each cell is read once, there: the
values read from the target and the actual, and the name's label key, are part of the
outcome.  Findings carry no path and steps no words, so one remembered outcome serves every
form, every place in a form and both languages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from perfscore.engine.judge import Outcome, judge
from perfscore.engine.results import Status
from perfscore.engine.rowchecks import measurable, printed_row, printed_score, target_fits
from perfscore.engine.scoring import score
from perfscore.engine.structure import label_key
from perfscore.errors import FormulaError
from perfscore.form.model import Indicator
from perfscore.memo import Table
from perfscore.ruleset.rules import RuleSet
from perfscore.text.normalise import MAX_CACHED_TEXT
from perfscore.text.units import Unit
from perfscore.text.values import Comparison, Op, Quantity, Value, parse_value
from perfscore.words import flags
from perfscore.words import steps as steps_words
from perfscore.words.flags import Finding, Severity, finding
from perfscore.words.steps import KeptStep, Step

__all__ = ["Record", "Row", "RowOutcome", "outcome_of", "read_row", "rows_memo"]

_ZERO = Decimal(0)
_JUDGED = frozenset({"met", "partly_met", "missed"})
_TARGET_QUALITY = frozenset({"unmeasurable-target"})
_FIELD_ZH = {"target": "年度指标值", "actual": "实际完成值"}


class Row(NamedTuple):
    """One indicator as the engine takes it (:func:`read_row`): hashable, the memo's key."""

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


def read_row(ind: Indicator, *, scored: bool, targets_only: bool, year: int | None) -> Row:
    """The row of ``ind``: its cells as the form holds them."""
    reason = ind.reason
    return _new_row(
        Row,
        (
            ind.name,
            ind.level1,
            ind.level2,
            ind.target,
            ind.actual,
            ind.weight,
            ind.score,
            bool(reason and not reason.isspace()),
            scored,
            targets_only,
            year,
        ),
    )


# Rows are made for every indicator of every form: straight from their fields, past the named
# tuple's keyword-handling constructor.
_new_row = tuple.__new__


class RowOutcome(NamedTuple):
    """What the engine concludes about a row, as facts: no path, no words.

    ``target`` and ``actual`` are the values read from the row's cells, ``name_key`` the
    label key of its name (what duplicate rows are found by); ``compared`` the actual and
    target quantities as compared.
    """

    target: Value | None
    actual: Value | None
    name_key: str
    status: Status
    achievement: Decimal | None
    weight: Decimal | None
    points: Decimal | None
    direction: Op | None
    steps: tuple[KeptStep, ...]
    compared: tuple[Quantity, Quantity | None] | None
    findings: tuple[flags.KeptFinding, ...]


def outcome_of(
    row: Row, rules: RuleSet, memo: Table[tuple[Any, ...], Record] | None = None
) -> RowOutcome:
    """The row's outcome, from the rule set's memo when a row like it was seen before
    (``memo``: the rule set's table of rows, where the caller has it at hand)."""
    if memo is None:
        memo = rows_memo(rules)
    kept = memo.get(row)
    if kept is not None:
        return _remembered(row, kept, rules)
    outcome = _work(row, rules)
    # Kept under the row as a plain tuple: a key of atoms the collector never visits.
    memo.put(tuple(row), _record(row, outcome))
    return outcome


def rows_memo(rules: RuleSet) -> Table[tuple[Any, ...], Record]:
    """The rule set's table of row outcomes, each kept as a :data:`Record`."""
    return rules.memo.table("rows")


#: A row's outcome as the memo keeps it: texts, Decimals and small tuples of them, which the
#: garbage collector stops visiting the first time it sees them.  A memo of outcomes kept as
#: objects (values, quantities, an operator) made the collector walk every remembered row on
#: every full collection: a fifth to two fifths of the time of rows never seen before.  The
#: values come back from their texts (the row, the key, holds them; ``parse_value`` keeps the
#: objects), the compared quantities from the values or from their atoms.
#: ``(name_key, status, achievement, weight, points, direction, steps, compared, findings,
#: values)``; ``values`` is ``None`` unless a text is too long for the value cache.
Record = tuple[Any, ...]

_OPS = {op.value: op for op in Op}
# A compared quantity as atoms: the actual's or the target's own (by name), or its fields.
_KeptQuantity = str | tuple[Decimal, str, str, Decimal, str] | None


def _record(row: Row, out: RowOutcome) -> Record:
    texts = (row.target_text or "", row.actual_text or "")
    values = None if max(map(len, texts)) <= MAX_CACHED_TEXT else (out.target, out.actual)
    compared = None
    if out.compared is not None:
        shown, against = out.compared
        compared = (
            _kept_quantity(shown, out.target, out.actual),
            _kept_quantity(against, out.target, out.actual),
        )
    return (
        out.name_key,
        out.status,
        out.achievement,
        out.weight,
        out.points,
        None if out.direction is None else out.direction.value,
        out.steps,
        compared,
        out.findings,
        values,
    )


def _kept_quantity(q: Quantity | None, target: Value | None, actual: Value | None) -> _KeptQuantity:
    if q is None:
        return None
    if isinstance(target, Comparison) and q is target.quantity:
        return "target"
    if isinstance(actual, Comparison) and q is actual.quantity:
        return "actual"
    unit = q.unit
    return (q.magnitude, unit.label, unit.dimension, unit.factor, unit.noun)


def _remembered(row: Row, kept: Record, rules: RuleSet) -> RowOutcome:
    """The outcome a :data:`Record` keeps, with its objects back."""
    (name_key, status, achievement, weight, points, op, steps, compared, found, values) = kept
    if values is None:
        target = parse_value(row.target_text) if row.target_text is not None else None
        actual = parse_value(row.actual_text) if row.actual_text is not None else None
    else:
        target, actual = values
    if compared is not None:
        compared = (
            _quantity(compared[0], target, actual, rules),
            _quantity(compared[1], target, actual, rules),
        )
    direction = None if op is None else _OPS[op]
    facts = (name_key, status, achievement, weight, points, direction, steps, compared, found)
    return _new_outcome(RowOutcome, (target, actual, *facts))


_new_outcome = tuple.__new__


def _quantity(
    kept: _KeptQuantity, target: Value | None, actual: Value | None, rules: RuleSet
) -> Quantity | None:
    if kept is None:
        return None
    if isinstance(kept, str):
        # Recorded only where the value is a Comparison whose own quantity was compared.
        value = target if kept == "target" else actual
        assert isinstance(value, Comparison)
        return value.quantity
    # Quantities worked out while judging (a ratio read as a percentage, a period converted)
    # are shared from a small table of their own: one object per distinct quantity.
    table: Table[Any, Quantity] = rules.memo.table("quantities", limit=4096)
    found = table.get(kept)
    if found is None:
        magnitude, label, dimension, factor, noun = kept
        found = table.put(kept, Quantity(magnitude, Unit(label, dimension, factor, noun)))
    return found


def _judged(
    row: Row, target: Value | None, actual: Value | None, rules: RuleSet
) -> tuple[Outcome, list[Finding]]:
    found: list[Finding] = []
    if target is not None:
        found += target_fits(row.name, target, rules)
    if row.targets_only:
        if target is None:
            found.append(_missing("target"))
        else:
            found += measurable(target)
        return Outcome("not_judged"), found
    if target is None and actual is None:
        # One finding for one empty row; none for a filler row that prints no points either.
        if row.weight or row.score:
            found.append(
                finding(
                    "missing-value",
                    "target",
                    field="target and actual",
                    field_zh="年度指标值和实际完成值",
                )
            )
        return Outcome("not_judged"), found
    if target is None or actual is None:
        found.append(_missing("target" if target is None else "actual"))
        return Outcome("not_judged"), found
    outcome = judge(rules, row.name, target, actual, level2=row.level2, year=row.year)
    found += outcome.findings
    return outcome, found


def _missing(name: str) -> Finding:
    return finding("missing-value", name, field=name, field_zh=_FIELD_ZH[name])


def _work(row: Row, rules: RuleSet) -> RowOutcome:
    weight = row.weight if row.weight is not None else (_ZERO if row.scored else None)
    found = list(printed_row(row.weight, row.score))
    target = parse_value(row.target_text) if row.target_text is not None else None
    actual = parse_value(row.actual_text) if row.actual_text is not None else None
    outcome, judged = _judged(row, target, actual, rules)
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
    if outcome.status in _JUDGED:
        # A target nobody could measure whose row was judged all the same (a vague target
        # answered 达成预期指标) is a note; a rule set's own severity for the code still wins.
        found = [f._replace(at=Severity.INFO) if f.code in _TARGET_QUALITY else f for f in found]
    return RowOutcome(
        target,
        actual,
        label_key(row.name),
        outcome.status,
        outcome.achievement,
        weight,
        points,
        outcome.direction,
        steps_words.kept(steps),
        outcome.compared,
        flags.kept(found),
    )
