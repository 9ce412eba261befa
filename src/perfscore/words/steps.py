"""Trace steps: the facts behind a number, and their words in Chinese and English.

The judge and the scorer record what they did as :class:`Step` data — a kind and its
arguments (numbers, quantities as printed, the form's own text).  Nothing there knows a
language: the words are written here, when a trace is read (``IndicatorResult.trace``,
``perfscore explain``), so one cached row serves both languages.

A new kind of step is one entry in :data:`STEPS`: its Chinese and its English wording.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

from perfscore.text.operators import OPERATORS, Op
from perfscore.words.messages import (
    formula_text,
    partial,
    percent,
    plain,
    rounding_note,
    shorten,
    substitute,
    symbol,
)

__all__ = ["STEPS", "KeptStep", "Step", "kept", "render", "render_all", "shown"]


class Step(NamedTuple):
    """One step of a trace, as the judge and the scorer write it: ``kind`` (a key of
    :data:`STEPS`) and its arguments."""

    kind: str
    args: tuple[Any, ...] = ()


#: A step as results keep it: ``(kind, args)``, a plain tuple of texts and numbers.  Remembered
#: rows hold many; plain tuples of atoms are ones the garbage collector stops visiting.
KeptStep = tuple[str, tuple[Any, ...]]


def kept(steps: Iterable[KeptStep]) -> tuple[KeptStep, ...]:
    """``steps`` as plain tuples (a clause's own steps too)."""
    # Built from a list: each tuple made after its items, so that one pass of the collector
    # finds them all atoms and stops visiting them (a tuple made first stays tracked).
    return tuple(
        [(kind, (args[0], kept(args[1])) if kind == "clause" else args) for kind, args in steps]
    )


_Words = Callable[..., str]


_NOT_APPLICABLE_ZH = {
    "full": "不适用：按规则计满分 {score}",
    "zero": "不适用：按规则计 0 分",
    "rescale": "不适用：不计分，总分按适用指标折算为百分制",
}
_NOT_APPLICABLE_EN = {
    "full": "not applicable: full marks under the rules, {score}",
    "zero": "not applicable: no marks under the rules",
    "rescale": "not applicable: not scored; the total is scaled up over the applicable indicators",
}


def _met(met: bool, en: bool) -> str:
    if en:
        return "meets" if met else "misses"
    return "满足" if met else "未满足"


def _clause(en: bool) -> _Words:
    def words(number: int, steps: tuple[KeptStep, ...]) -> str:
        head = f"clause {number}: " if en else f"第{number}项："
        return head + "; ".join(render(s, en) for s in steps)

    return words


def _pair(zh: _Words, en: _Words) -> tuple[_Words, _Words]:
    return zh, en


#: Every kind of trace step: (Chinese words, English words), each a function of the step's
#: arguments.
STEPS: Mapping[str, tuple[_Words, _Words]] = MappingProxyType(
    {
        "target-not-applicable": _pair(
            lambda: "指标不适用", lambda: "the indicator does not apply"
        ),
        "actual-not-applicable": _pair(
            lambda: "完成值为不适用", lambda: "the completion says not applicable"
        ),
        "compare": _pair(
            lambda a, met, op, t: f"{a} {_met(met, False)} {symbol(op)} {t}",
            lambda a, met, op, t: f"{a} {_met(met, True)} {symbol(op)} {t}",
        ),
        "achievement": _pair(
            lambda f, i, v: f"完成程度 = {formula_text(f, False)} = {shown(f, i)} = {partial(v)}",
            lambda f, i, v: f"achievement = {f} = {shown(f, i)} = {partial(v)}",
        ),
        "vacuous": _pair(
            lambda: "未发生相关事项，视为达成", lambda: "nothing occurred: taken as met"
        ),
        "nothing-as-targeted": _pair(
            lambda: "目标与完成均为未发生", lambda: "nothing occurred, as targeted"
        ),
        "date": _pair(
            lambda when, met, op, bound: (
                f"完成于 {when}，{_met(met, False)}{OPERATORS[Op(op)].date_zh} {bound}"
            ),
            lambda when, met, op, bound: (
                f"completed {when}, {_met(met, True)} {OPERATORS[Op(op)].date_en} {bound}"
            ),
        ),
        "late": _pair(
            lambda late, f, i, v: (
                f"逾期 {late} 天，完成程度 = {formula_text(f, False)} = {shown(f, i)} = "
                f"{partial(v)}"
            ),
            lambda late, f, i, v: (
                f"{late} days late, achievement = {f} = {shown(f, i)} = {partial(v)}"
            ),
        ),
        "denied": _pair(
            lambda text, v: f"“{text}”否定了指标值，按 {percent(v)} 计",
            lambda text, v: f"{text!r} denies the target: {percent(v)}",
        ),
        "restated": _pair(
            lambda text, m: f"完成值“{shorten(text)}”复述或肯定指标值（“{shorten(m)}”），按达成计",
            lambda text, m: (
                f"{shorten(text)!r} restates or affirms the target ({shorten(m)!r}): met"
            ),
        ),
        "clause": (_clause(False), _clause(True)),
        "clause-mean": _pair(
            lambda v: f"完成程度取各项平均 = {partial(v)}",
            lambda v: f"achievement, the mean of the clauses = {partial(v)}",
        ),
        "counts-as": _pair(
            lambda text, v: f"“{shorten(text)}”按 {percent(v)} 计",
            lambda text, v: f"{shorten(text)!r} counts as {percent(v)}",
        ),
        "band": _pair(lambda name: f"档次：{name}", lambda name: f"band: {name}"),
        "nil-not-applicable": _pair(
            lambda text: f"“{shorten(text)}”按不适用处理",
            lambda text: f"{shorten(text)!r} read as not applicable",
        ),
        "completion": _pair(
            lambda v: f"完成比例 {percent(v)}", lambda v: f"completion {percent(v)}"
        ),
        "not-applicable-policy": _pair(
            lambda policy, score: _NOT_APPLICABLE_ZH[policy].format(score=score),
            lambda policy, score: _NOT_APPLICABLE_EN[policy].format(score=score),
        ),
        "indicator-rule": _pair(
            lambda how, raw: f"指标规则 {formula_text(how, False)} → {partial(raw)}",
            lambda how, raw: f"indicator rule {how} → {partial(raw)}",
        ),
        "full-marks": _pair(
            lambda score: f"达成：得满分 {score}", lambda score: f"met: full marks, {score}"
        ),
        "score": _pair(
            lambda f, i, raw: f"得分 = {formula_text(f, False)} = {shown(f, i)} = {partial(raw)}",
            lambda f, i, raw: f"score = {f} = {shown(f, i)} = {partial(raw)}",
        ),
        "rounding": _pair(
            lambda raw, score, mode, places: rounding_note(False, raw, score, mode, places),
            lambda raw, score, mode, places: rounding_note(True, raw, score, mode, places),
        ),
        "execution-rate": _pair(
            lambda executed, budget, quotient, rate: (
                f"执行率 = {plain(executed)} / "
                f"{plain(budget)} = {partial(quotient)}，取 {percent(rate)}"
            ),
            lambda executed, budget, quotient, rate: (
                f"execution rate = {plain(executed)} / "
                f"{plain(budget)} = {partial(quotient)}, taken as {percent(rate)}"
            ),
        ),
    }
)


def shown(formula: str, inputs: tuple[tuple[str, Any], ...]) -> str:
    """A formula with its inputs in place of its names (``target / actual`` with 98% and
    100% → ``98% / 100%``): numbers as printed (an unrounded one cut as :func:`partial` cuts
    it), quantities with their units."""
    return substitute(
        formula, **{k: partial(v) if isinstance(v, Decimal) else str(v) for k, v in inputs}
    )


def render(step: KeptStep, en: bool | str = False) -> str:
    """One step in words; ``en`` is ``True``/``"en"`` for English."""
    kind, args = step
    words = STEPS[kind][1 if en is True or en == "en" else 0]
    return words(*args)


def render_all(steps: Iterable[KeptStep], lang: str) -> tuple[str, ...]:
    """A trace in words, one line a step."""
    en = lang == "en"
    return tuple(render(s, en) for s in steps)
