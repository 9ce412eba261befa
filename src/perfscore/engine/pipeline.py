"""The engine: :func:`evaluate` scores every indicator of a form, recomputes the total and
collects every flag.

It puts the stages together: each row is read once into a :class:`~perfscore.engine.row.Row`
(its texts and the values read from them), and its outcome — judged
(:mod:`perfscore.engine.judge`), scored (:mod:`perfscore.engine.scoring`) and checked
(:mod:`perfscore.engine.rowchecks`) — is facts with no path and no words, remembered in the
rule set's bounded memo under the row.  Here the findings get their path and severity, once;
then the budget, the structure and the totals are checked.  Words are written only when a
message or a trace is read.

``evaluate`` is safe to call from many threads at once with the same rule set.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any, Literal

from perfscore.engine.checks import (
    check_budget,
    check_structure,
    check_targets,
    check_totals,
)
from perfscore.engine.results import EvaluationResult, ExecutionResult, IndicatorResult, Status
from perfscore.engine.row import RowOutcome, outcome_of, read_row, rows_memo
from perfscore.engine.rowchecks import could_score_execution, execution_row
from perfscore.engine.scoring import execution as score_execution
from perfscore.engine.scoring import rescale
from perfscore.engine.structure import execution_weight
from perfscore.form.model import Form, Indicator, form_from_data
from perfscore.form.sources import sources_of
from perfscore.readers import load_form
from perfscore.ruleset.expressions import SCORING_CONTEXT
from perfscore.ruleset.rules import RuleSet, load_rules
from perfscore.waivers import WaiverInput, Waivers, load_waivers
from perfscore.words.flags import Flag, Flagger, parse_path
from perfscore.words.messages import num, percent

__all__ = ["EvaluationResult", "ExecutionResult", "IndicatorResult", "Status", "evaluate"]

_ZERO = Decimal(0)


def evaluate(
    form: Form | Mapping[str, Any] | str | Path,
    rules: str | Path | RuleSet = "national-2020",
    *,
    lang: Literal["zh", "en"] = "zh",
    waivers: WaiverInput | None = None,
) -> EvaluationResult:
    """Score a self-evaluation form and flag every deviation.

    ``form`` is a :class:`~perfscore.form.model.Form`, a mapping in the form format, or the path of
    a form file; ``rules`` a shipped rule-set name, a rule file's path or a loaded
    :class:`~perfscore.ruleset.rules.RuleSet`.  Flag messages are Chinese unless ``lang="en"``.
    ``waivers`` (a waivers file's path, or :class:`~perfscore.waivers.Waivers`) marks the flags
    they match as accepted (:mod:`perfscore.waivers`).
    Thread-safe; the host's Decimal context does not affect the result.

    :raises FormError: the form cannot be read.
    :raises RuleSetError: the rule set cannot be loaded.
    :raises WaiverError: the waivers cannot be read.
    """
    accepted = None if waivers is None else load_waivers(waivers)
    source: str | None = None
    if isinstance(form, (str, Path)):
        source = str(form)
        form = load_form(form)
    elif not isinstance(form, Form):
        form = form_from_data(form)
    ruleset = load_rules(rules)
    with localcontext(SCORING_CONTEXT):
        return _evaluate(form, ruleset, lang, source, accepted)


def _evaluate(
    form: Form, rules: RuleSet, lang: str, source: str | None, waivers: Waivers | None = None
) -> EvaluationResult:
    # Each flag is given its place in the file once, as it is placed.
    flag = Flagger(rules.spec.severity, lang, sources_of(form))
    for note in form.notes:
        code = "unreadable-cell" if note.severity == "warning" else "reading-note"
        english = note.message_en or note.message
        flag(code, parse_path(note.path), message=note.message, message_en=english)
    execution = _execution(form, rules, flag)
    scored = any(ind.weight is not None for ind in form.indicators)
    targets_only = form.kind == "targets"
    memo = rows_memo(rules)
    outcomes = [
        outcome_of(
            read_row(ind, scored=scored, targets_only=targets_only, year=form.year), rules, memo
        )
        for ind in form.indicators
    ]
    results = [
        _result(i, ind, out, flag)
        for i, (ind, out) in enumerate(zip(form.indicators, outcomes, strict=True))
    ]

    _execution_rows(results, execution, flag)
    total = _total(results, execution, rules) if scored else None
    verified, trusted = _verified(results, execution, flag) if scored else (None, ())

    layout = check_structure(form, results, [o.name_key for o in outcomes], rules, flag)
    if targets_only:
        check_targets(form, rules, flag)
    check_totals(
        form,
        results,
        execution.weight if execution else None,
        execution.score if execution else None,
        total,
        rules,
        flag,
        layout,
    )

    flags = tuple(sorted(flag.flags, key=Flag.sort_key))
    if waivers is not None:
        flags = waivers.accept(form, flags)
    grade = rules.grade(total) if total is not None and not _unread_parts(form) else None
    return EvaluationResult(
        form,
        rules.name,
        execution,
        tuple(results),
        total,
        form.total,
        flags,
        source,
        grade,
        verified,
        trusted,
        opinions=tuple((c, rules.opinions[c]) for c in dict.fromkeys(f.code for f in flags)),
    )


# The cells a total is made of: the budget row, and each row's target, actual, weight and score.
_TOTAL_PARTS = frozenset({"target", "actual", "weight", "score"})


def _unread_parts(form: Form) -> bool:
    """Whether a cell the total is made of could not be read (a budget whose numbers stand
    under no label, an unreadable weight): such a total is unverified, and is not graded."""
    for note in form.notes:
        if note.severity != "warning":
            continue
        path = parse_path(note.path)
        if path[:1] in (("budget",), ("total",)) or (
            path[:1] == ("indicators",) and path[-1] in _TOTAL_PARTS
        ):
            return True
    return False


def _execution(form: Form, rules: RuleSet, flag: Flagger) -> ExecutionResult | None:
    """The budget row scored and checked, if the form has one."""
    if form.budget is None:
        return None
    budget = form.budget
    implied = execution_weight(form, rules)
    if implied is not None:  # a budget block header, or a template without the row
        budget = budget.model_copy(update={"weight": implied})
    execution = score_execution(budget, rules, flag)
    check_budget(form.budget, execution.rate, rules, flag, form.kind)
    return execution


def _total(
    results: list[IndicatorResult], execution: ExecutionResult | None, rules: RuleSet
) -> Decimal:
    """The recomputed total: the rows' scores and the execution score, rescaled where the rule
    set says so, rounded."""
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
    if rules.spec.not_applicable == "rescale":
        total = rescale(total, results, rules)
    return rules.round(total)


def _execution_rows(
    results: list[IndicatorResult], execution: ExecutionResult | None, flag: Flagger
) -> None:
    """Indicator rows scoring budget execution, checked against the budget block's own rate."""
    rate = execution.rate if execution is not None else None
    if rate is None or not could_score_execution("\n".join(r.name for r in results)):
        return
    for r in results:
        found = execution_row(r.name, r.actual, rate)
        if found is not None:
            flag.place((found,), ("indicators", r.index))


def _verified(
    results: list[IndicatorResult], execution: ExecutionResult | None, flag: Flagger
) -> tuple[Decimal | None, tuple[int, ...]]:
    """The share of the total that was recomputed, and the rows whose printed score
    :func:`_total` took as printed (flagged once, at the total, naming them)."""
    trusted = [
        r
        for r in results
        if r.score is None and r.status == "not_judged" and r.reported_score is not None
    ]
    taken = sum((r.reported_score for r in trusted if r.reported_score is not None), _ZERO)
    checked = sum((r.score for r in results if r.score is not None), _ZERO)
    if execution is not None and execution.score is not None:
        checked += execution.score
    whole = checked + taken
    share = (checked / whole).quantize(Decimal("0.0001")) if whole > 0 else Decimal(1)
    rows = tuple(r.index for r in trusted)
    if taken > 0:
        flag(
            "printed-scores-trusted",
            ("total",),
            points=num(taken),
            # Numbered as the reports number them: the form's 序号, else from 1.
            rows=", ".join(f"#{r.indicator.number or r.index + 1}" for r in trusted),
            share=percent(share),
        )
    return share, rows


def _result(index: int, ind: Indicator, out: RowOutcome, flag: Flagger) -> IndicatorResult:
    """The result of the row ``ind`` at ``index``; its findings placed on the row."""
    if out.findings:
        flag.place(out.findings, ("indicators", index))
    return _new_result(
        IndicatorResult,
        (
            index,
            ind,
            out.target,
            out.actual,
            out.status,
            out.achievement,
            # The row's own weight as printed (1E+2 and 100 share an outcome, not a spelling).
            ind.weight if ind.weight is not None else out.weight,
            out.points,
            ind.score,
            out.direction,
            out.steps,
            out.compared,
            flag.lang,
        ),
    )


# A result for every indicator of every form: built straight from its fields.
_new_result = tuple.__new__
