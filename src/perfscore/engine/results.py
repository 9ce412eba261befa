"""What an evaluation returns: one :class:`IndicatorResult` per row, the
:class:`ExecutionResult` of the budget, and the :class:`EvaluationResult` holding them with the
total and the flags.  Every result converts to JSON-ready data with ``to_dict``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any, Literal, NamedTuple

from perfscore.form.model import Form, Indicator
from perfscore.ruleset.expressions import SCORING_CONTEXT
from perfscore.text.values import (
    Comparison,
    Compound,
    Date,
    FreeText,
    Grade,
    Op,
    Quantity,
    Range,
    Value,
)
from perfscore.words.flags import Flag
from perfscore.words.opinions import Opinion
from perfscore.words.steps import KeptStep, render_all

__all__ = ["EvaluationResult", "ExecutionResult", "IndicatorResult", "Status", "value_dict"]

Status = Literal["met", "partly_met", "missed", "not_applicable", "not_judged"]


class IndicatorResult(NamedTuple):
    """One indicator, judged and scored.

    ``achievement`` is a Decimal fraction (1 when met) or ``None`` where the engine could not
    compare; ``score`` is ``None`` where the form prints no weight; ``steps`` are the facts
    behind the numbers and ``trace`` the same in words (:meth:`trace_in` for a language);
    ``compared`` the actual and target quantities as compared (the actual in the target's
    unit; a qualitative completion as a percentage, with no target), where a number was
    compared — the roll-up and the reports take them from here, never from the cells again.
    """

    index: int  # type: ignore[assignment]  # the row's position; tuple.index is not needed
    indicator: Indicator
    target: Value | None
    actual: Value | None
    status: Status
    achievement: Decimal | None
    weight: Decimal | None
    score: Decimal | None
    reported_score: Decimal | None
    direction: Op | None = None
    steps: tuple[KeptStep, ...] = ()
    compared: tuple[Quantity, Quantity | None] | None = None
    lang: str = "zh"

    @property
    def trace(self) -> tuple[str, ...]:
        """The steps behind the numbers in words, in the evaluation's language."""
        return self.trace_in(self.lang)

    def trace_in(self, lang: str) -> tuple[str, ...]:
        """The steps behind the numbers in words, in ``lang`` (``"zh"`` or ``"en"``)."""
        # Written when read, perhaps after evaluate has left its context: the host's must not
        # count.
        with localcontext(SCORING_CONTEXT):
            return render_all(self.steps, lang)

    @property
    def name(self) -> str:
        """三级指标 name."""
        return self.indicator.name

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping; Decimals as strings."""
        return {
            "index": self.index,
            "number": self.indicator.number or str(self.index + 1),
            "level1": self.indicator.level1,
            "level2": self.indicator.level2,
            "name": self.indicator.name,
            "target": value_dict(self.target),
            "actual": value_dict(self.actual),
            "direction": str(self.direction) if self.direction else None,
            "status": self.status,
            "achievement": _str(self.achievement),
            "weight": _str(self.weight),
            "score": _str(self.score),
            "reported_score": _str(self.reported_score),
            "trace": list(self.trace),
            **_printed(self.indicator, _ROW_TEXT),
        }


@dataclass(frozen=True, slots=True)
class ExecutionResult:
    """预算执行情况: budget, executed, the rate (a Decimal fraction) and its score."""

    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    reported_rate: Decimal | None
    weight: Decimal
    score: Decimal | None
    reported_score: Decimal | None
    #: The facts behind the rate and the score; the words are written only when read.
    steps: tuple[KeptStep, ...] = ()
    lang: str = "zh"

    @property
    def trace(self) -> tuple[str, ...]:
        """The steps behind the rate and the score, in the evaluation's language."""
        return self.trace_in(self.lang)

    def trace_in(self, lang: str) -> tuple[str, ...]:
        """The steps behind the rate and the score, in ``lang``."""
        with localcontext(SCORING_CONTEXT):
            return render_all(self.steps, lang)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping; Decimals as strings."""
        return {
            "budget": _str(self.budget),
            "executed": _str(self.executed),
            "rate": _str(self.rate),
            "reported_rate": _str(self.reported_rate),
            "weight": _str(self.weight),
            "score": _str(self.score),
            "reported_score": _str(self.reported_score),
            "trace": list(self.trace),
        }


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """What :func:`evaluate` returns: every indicator, the execution, the total and the flags."""

    form: Form
    rules: str
    execution: ExecutionResult | None
    indicators: tuple[IndicatorResult, ...]
    total: Decimal | None
    reported_total: Decimal | None
    flags: tuple[Flag, ...]
    source: str | None = None
    grade: str | None = None
    #: The share of the total the engine verified (a fraction, 1 when every point was
    #: recomputed); the rest is printed scores of rows it could not judge, taken as printed.
    verified: Decimal | None = None
    #: The rows whose printed score the total took as printed.
    trusted: tuple[int, ...] = ()
    #: The review opinion (审核意见) of each code raised, as the rule set words it, in the
    #: order the codes are first raised: what :func:`perfscore.review` words the review with.
    opinions: tuple[tuple[str, Opinion], ...] = ()

    @property
    def errors(self) -> tuple[Flag, ...]:
        """Flags of severity ``error`` no waiver accepted."""
        return tuple(f for f in self.flags if f.severity == "error" and f.waiver is None)

    @property
    def warnings(self) -> tuple[Flag, ...]:
        """Flags of severity ``warning`` no waiver accepted."""
        return tuple(f for f in self.flags if f.severity == "warning" and f.waiver is None)

    @property
    def accepted(self) -> tuple[Flag, ...]:
        """Flags a waiver accepted (:mod:`perfscore.waivers`), whatever their severity."""
        return tuple(f for f in self.flags if f.waiver is not None)

    @property
    def ok(self) -> bool:
        """True when no flag is an error (an accepted error does not count)."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of the whole result; Decimals as strings."""
        return {
            "source": self.source,
            "kind": self.form.kind,
            "project": self.form.project,
            **_printed(self.form, ("project", "unit")),
            "code": self.form.code,
            "year": self.form.year,
            "unit": self.form.unit,
            "money_unit": self.form.money_unit,
            "rules": self.rules,
            "execution": self.execution.to_dict() if self.execution else None,
            "indicators": [i.to_dict() for i in self.indicators],
            "total": _str(self.total),
            "reported_total": _str(self.reported_total),
            "grade": self.grade,
            "verified_share": _str(self.verified),
            "trusted_rows": list(self.trusted),
            "ok": self.ok,
            "flags": [f.to_dict() for f in self.flags],
        }


_ROW_TEXT = ("level1", "level2", "name", "target", "actual", "reason")


def _printed(model: Form | Indicator, fields: tuple[str, ...]) -> dict[str, Any]:
    """``{"printed": {field: text}}`` for the fields the form printed otherwise than they were
    read (traditional script, full-width digits); empty when every field reads as printed."""
    differs = {
        name: text
        for name in fields
        if (text := model.printed(name)) and text != (getattr(model, name) or "")
    }
    return {"printed": differs} if differs else {}


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _quantity_dict(q: Quantity) -> dict[str, Any]:
    return {"magnitude": str(q.magnitude), "unit": str(q.unit), "dimension": q.unit.dimension}


def value_dict(value: Value | None) -> dict[str, Any] | None:
    """A parsed value as JSON-ready data: its kind, printed text and what was read."""
    if value is None:
        return None
    out: dict[str, Any] = {"kind": value.kind, "text": value.text}
    if isinstance(value, Comparison):
        out.update(op=str(value.op) if value.op else None, quantity=_quantity_dict(value.quantity))
        if value.label:
            out["label"] = value.label
        if value.approximate:
            out["approximate"] = True
        if value.each:
            out["each"] = True
    elif isinstance(value, Range):
        out.update(low=_quantity_dict(value.low), high=_quantity_dict(value.high))
        out.update(low_op=str(value.low_op), high_op=str(value.high_op))
    elif isinstance(value, Date):
        out.update(
            op=str(value.op) if value.op else None,
            year=value.year,
            first=list(value.first),
            last=list(value.last),
        )
    elif isinstance(value, Grade):
        out["band"] = str(value.band) if value.band else None
    elif isinstance(value, Compound):
        out["clauses"] = [value_dict(c) for c in value.clauses]
    elif isinstance(value, FreeText):
        out["reason"] = value.reason
        out["reason_code"] = value.code
    return out
