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
from perfscore.engine.judge.fast import fast_judgement
from perfscore.engine.results import Status
from perfscore.engine.rowchecks import measurable, printed_row, printed_score, target_fits
from perfscore.engine.scoring import score
from perfscore.engine.structure import label_key
from perfscore.errors import FormulaError
from perfscore.form.model import Indicator
from perfscore.memo import Table
from perfscore.ruleset.rules import RuleSet
from perfscore.text.values import Op, Quantity, Value, parse_value
from perfscore.words import flags
from perfscore.words import steps as steps_words
from perfscore.words.flags import Finding, Severity, finding
from perfscore.words.steps import KeptStep, Step

__all__ = ["Row", "RowOutcome", "outcome_of", "read_row", "rows_memo"]

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
    row: Row, rules: RuleSet, memo: Table[tuple[Any, ...], RowOutcome | int] | None = None
) -> RowOutcome:
    """The row's outcome, from the rule set's memo when the row was seen twice before
    (``memo``: the rule set's table of rows, where the caller has it at hand).

    Once the memo holds :data:`KEEP_WHOLE` rows, a row seen once is remembered by its key
    alone (a tuple of texts and numbers, which the garbage collector stops visiting the first
    time it sees it); the second time it is seen its outcome is kept, as the object the engine
    made.  An outcome is a web of objects
    (values, quantities, nested tuples of steps and findings that the collector untracks one
    level per collection), and outcomes kept for every new row made the collector walk them
    all on every full collection: a fifth to two fifths of the time of rows never seen before
    (a re-score after a rule change), where nearly every row is seen once.  A row seen again
    is worked out once more and kept: a repeated batch pays one more pass, then every row is
    a hit.
    """
    if memo is None:
        memo = rows_memo(rules)
    kept = memo.get(row)
    if kept is not None and kept.__class__ is not int:
        return kept  # type: ignore[return-value]  # not the int mark: an outcome
    outcome = _work(row, rules)
    # Kept under the row as a plain tuple: a key of atoms the collector never visits.
    whole = kept is not None or len(memo) < KEEP_WHOLE
    memo.put(tuple(row), outcome if whole else _SEEN_ONCE)
    return outcome


#: What the memo keeps for a row seen once: an atom, nothing for the collector to visit.
_SEEN_ONCE = 1
#: Rows kept whole the first time they are seen, while the memo holds fewer than this: a
#: batch of a hundred forms scored again and again never works a row out twice, and a stream
#: of new rows leaves at most this many outcomes for the collector.
KEEP_WHOLE = 2048


def rows_memo(rules: RuleSet) -> Table[tuple[Any, ...], RowOutcome | int]:
    """The rule set's table of rows: the outcome of each row seen twice, a mark for a row
    seen once."""
    return rules.memo.table("rows")


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
    outcome = fast_judgement(
        rules, row.name, target, actual, level2=row.level2, year=row.year
    ) or judge(rules, row.name, target, actual, level2=row.level2, year=row.year)
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
