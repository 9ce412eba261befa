"""The engine: :func:`evaluate` scores every indicator of a form, recomputes the total and
collects every flag.

It puts the stages together: each row's printed target and actual are read
(:mod:`perfscore.text.values`), the target checked (:mod:`perfscore.engine.checks`), the actual
judged against it (:mod:`perfscore.engine.judge`) and scored (:mod:`perfscore.engine.scoring`); then
the budget, the structure and the totals are checked.  Rows repeat across forms, so judgements and
whole rows are kept in the rule set's bounded memo, keyed by everything the cached step reads.

``evaluate`` is safe to call from many threads at once with the same rule set.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any, Literal, NamedTuple

from perfscore.engine.checks import (
    check_budget,
    check_judged_targets,
    check_measurable,
    check_row,
    check_score,
    check_structure,
    check_target,
    check_targets,
    check_totals,
)
from perfscore.engine.judge import Judge, Judgement
from perfscore.engine.results import EvaluationResult, ExecutionResult, IndicatorResult, Status
from perfscore.engine.scoring import execution as score_execution
from perfscore.engine.scoring import rescale, score
from perfscore.engine.structure import execution_weight
from perfscore.errors import FormulaError
from perfscore.form.model import Form, Indicator, form_from_data
from perfscore.readers import load_form
from perfscore.ruleset.expressions import SCORING_CONTEXT
from perfscore.ruleset.rules import RuleSet, load_rules
from perfscore.text.values import Value, parse_value
from perfscore.words.flags import Flag, Flagger, parse_path

__all__ = ["EvaluationResult", "ExecutionResult", "IndicatorResult", "Status", "evaluate"]

_ZERO = Decimal(0)
_FIELD_ZH = {"target": "年度指标值", "actual": "实际完成值"}

Location = tuple[str | int, ...]
# Flags found while working out a cached step, kept without the row's index so they can be
# re-addressed to any row with the same input: (code, severity, path below the row, message,
# data).
_Found = tuple[tuple[Any, ...], ...]


def evaluate(
    form: Form | Mapping[str, Any] | str | Path,
    rules: str | Path | RuleSet = "national-2020",
    *,
    lang: Literal["zh", "en"] = "zh",
) -> EvaluationResult:
    """Score a self-evaluation form and flag every deviation.

    ``form`` is a :class:`~perfscore.form.model.Form`, a mapping in the form format, or the path of
    a form file; ``rules`` a shipped rule-set name, a rule file's path or a loaded
    :class:`~perfscore.ruleset.rules.RuleSet`.  Flag messages are Chinese unless ``lang="en"``.
    Thread-safe; the host's Decimal context does not affect the result.

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
    with localcontext(SCORING_CONTEXT):
        return _evaluate(form, ruleset, lang, source)


def _evaluate(form: Form, rules: RuleSet, lang: str, source: str | None) -> EvaluationResult:
    flag = Flagger(rules.severity, lang)
    for note in form.notes:
        code = "unreadable-cell" if note.severity == "warning" else "reading-note"
        message = note.message_en if flag.en and note.message_en else note.message
        flag(code, parse_path(note.path), message=message)
    execution = None
    if form.budget is not None:
        budget = form.budget
        implied = execution_weight(form, rules)
        if implied is not None:  # a budget block header, or a template without the row
            budget = budget.model_copy(update={"weight": implied})
        execution = score_execution(budget, rules, flag)
        check_budget(form.budget, execution.rate, rules, flag, form.kind)

    scored = any(ind.weight is not None for ind in form.indicators)
    targets_only = form.kind == "targets"
    results = [
        _row(i, ind, rules, flag, scored, targets_only, form.year)
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
        if rules.spec.not_applicable == "rescale":
            total = rescale(total, results, rules)
        total = rules.round(total)

    check_judged_targets(results, rules, flag)
    layout = check_structure(form, results, rules, flag)
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
    grade = rules.grade(total) if total is not None else None
    return EvaluationResult(
        form, rules.name, execution, tuple(results), total, form.total, flags, source, grade
    )


# --------------------------------------------------------------------------------------------
# One row.  Two cached steps: the judgement (JudgeInput → target, actual, judgement, flags) and
# the whole row (RowInput → result, flags).  Each step is handed its key and nothing else, so
# what it reads is by construction what it is cached under.


class JudgeInput(NamedTuple):
    """Everything the judgement of a row may read."""

    name: str
    level1: str | None
    level2: str | None
    target: str | None
    actual: str | None
    targets_only: bool
    # The form's year: the year of a date printed without one (6月底前).
    year: int | None = None

    @classmethod
    def of(cls, ind: Indicator, targets_only: bool, year: int | None = None) -> JudgeInput:
        return cls(ind.name, ind.level1, ind.level2, ind.target, ind.actual, targets_only, year)


class RowInput(NamedTuple):
    """Everything the scoring and row checks of a row may read (besides its judgement)."""

    judged: JudgeInput
    weight: Decimal | None
    score: Decimal | None
    reason: str | None
    scored: bool

    @classmethod
    def of(
        cls, ind: Indicator, scored: bool, targets_only: bool, year: int | None = None
    ) -> RowInput:
        # Only whether a reason was given matters, but the text is kept: it is what the
        # row's Indicator is rebuilt from below.
        judged = JudgeInput.of(ind, targets_only, year)
        return cls(judged, ind.weight, ind.score, ind.reason, scored)

    def indicator(self) -> Indicator:
        """The fields of the row the cached step may see, as an :class:`Indicator`."""
        j = self.judged
        return _bare_indicator(
            {
                **_INDICATOR_DEFAULTS,
                "level1": j.level1,
                "level2": j.level2,
                "name": j.name,
                "target": j.target,
                "actual": j.actual,
                "weight": self.weight,
                "score": self.score,
                "reason": self.reason,
            }
        )


# An Indicator from values already read, built as pydantic's ``model_construct`` builds one
# (its fields, the fields set, no extras, private attributes at their defaults) but without
# that method's walk over every field's aliases and defaults on each call: on a stream of rows
# never seen before, that walk was a fifth of the engine's time.
_INDICATOR_DEFAULTS: dict[str, Any] = {  # every field, in the model's order
    name: None if field.is_required() else field.get_default(call_default_factory=True)
    for name, field in Indicator.model_fields.items()
}
_ROW_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "reason")
_INDICATOR_PRIVATE: dict[str, Any] = {
    name: attr.get_default() for name, attr in Indicator.__private_attributes__.items()
}
_set = object.__setattr__


def _bare_indicator(values: dict[str, Any]) -> Indicator:
    ind = Indicator.__new__(Indicator)
    _set(ind, "__dict__", values)
    _set(ind, "__pydantic_fields_set__", set(_ROW_FIELDS))
    _set(ind, "__pydantic_extra__", None)
    _set(ind, "__pydantic_private__", dict(_INDICATOR_PRIVATE) if _INDICATOR_PRIVATE else None)
    return ind


_Judged = tuple[Value | None, Value | None, Judgement]


def _judge_fresh(inp: JudgeInput, rules: RuleSet, flag: Flagger) -> _Judged:
    path: Location = ("indicators", 0)
    target = parse_value(inp.target) if inp.target is not None else None
    actual = parse_value(inp.actual) if inp.actual is not None else None
    if target is not None:
        check_target(inp.name, target, rules, flag, path)
    if inp.targets_only:
        # A target table (绩效目标表): nothing is completed yet; only the target is checked.
        if target is None:
            flag("missing-value", (*path, "target"), field="target", field_zh=_FIELD_ZH["target"])
        else:
            check_measurable(target, flag, path)
        return target, actual, Judgement("not_judged")
    if target is None or actual is None:
        for name, value in (("target", target), ("actual", actual)):
            if value is None:
                flag("missing-value", (*path, name), field=name, field_zh=_FIELD_ZH[name])
        return target, actual, Judgement("not_judged")
    judge = Judge(rules, flag, path, inp.name, level2=inp.level2, year=inp.year)
    return target, actual, judge.judge(target, actual)


def _judged(inp: JudgeInput, rules: RuleSet, flag: Flagger) -> tuple[_Judged, _Found]:
    memo = rules.memo.table(f"judged:{flag.lang}")
    hit = memo.get(inp)
    if hit is None:
        scratch = flag.scratch()
        judged = _judge_fresh(inp, rules, scratch)
        hit = memo.put(inp, (judged, _relative(scratch)))
    return hit  # type: ignore[no-any-return]


def _row_fresh(inp: RowInput, rules: RuleSet, flag: Flagger) -> IndicatorResult:
    path: Location = ("indicators", 0)
    ind = inp.indicator()
    weight = inp.weight if inp.weight is not None else (_ZERO if inp.scored else None)
    check_row(ind, flag, path)
    (target, actual, judgement), found = _judged(inp.judged, rules, flag)
    _replay(flag, found, 0)
    points: Decimal | None = None
    trace = list(judgement.trace)
    if weight is not None:
        try:
            points = score(judgement, weight, rules, trace, inp.judged.name, flag.en)
        except FormulaError as exc:
            flag("formula-failed", path, detail=str(exc))
    check_score(ind, judgement, weight, points, trace, inp.scored, rules, flag, path)
    return IndicatorResult(
        0,
        ind,
        target,
        actual,
        judgement.status,
        judgement.achievement,
        weight,
        points,
        inp.score,
        judgement.direction,
        tuple(trace),
    )


def _row(
    index: int,
    ind: Indicator,
    rules: RuleSet,
    flag: Flagger,
    scored: bool,
    targets_only: bool,
    year: int | None = None,
) -> IndicatorResult:
    """One indicator judged and scored; a row seen before is taken from the memo and its
    flags re-addressed to this row."""
    inp = RowInput.of(ind, scored, targets_only, year)
    memo = rules.memo.table(f"rows:{flag.lang}")
    hit = memo.get(inp)
    if hit is None:
        scratch = flag.scratch()
        row = _row_fresh(inp, rules, scratch)
        hit = memo.put(inp, (row, _relative(scratch)))
    row, found = hit
    _replay(flag, found, index)
    return _new_row(IndicatorResult, (index, ind, *row[2:]))


_new_row = tuple.__new__


def _relative(scratch: Flagger) -> _Found:
    return tuple((f.code, f.severity, f.location[2:], f.message, f.data) for f in scratch.flags)


def _replay(flag: Flagger, found: _Found, index: int) -> None:
    append = flag.flags.append
    for code, severity, rel, message, data in found:
        append(Flag(code, severity, ("indicators", index, *rel), message, data))
