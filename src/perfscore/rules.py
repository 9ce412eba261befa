"""Rule sets: a scoring convention as a reviewed YAML file, validated and compiled once.

A rule set says how much budget execution is worth, how a missed quantitative target is scored
(``actual / target`` for ≥ targets, ``target / actual`` for ≤ targets), the qualitative bands,
rounding, tolerance, the treatment of not-applicable indicators and which indicator names read
as "lower is better".  Formulas are :mod:`simpleeval` expressions over declared names only; they
are parsed, checked and compiled when the rule set is loaded, never at scoring time.

Shipped rule sets live in ``rules/`` (``national-2020`` is the default); :func:`load_rules`
takes a shipped name or a path.
"""

from __future__ import annotations

import ast
import itertools
import math
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from simpleeval import SimpleEval

from perfscore.errors import RuleSetError
from perfscore.flags import CATALOGUE, Severity
from perfscore.units import Unit, UnknownUnitError, resolve

__all__ = ["Formula", "RuleSet", "list_rules", "load_rules"]

DEFAULT_RULES = "national-2020"
MAX_EXPRESSION_LENGTH = 300
MAX_CONSTANT = Decimal(1_000_000)
# A formula whose value at ordinary inputs exceeds this is refused: scores are small numbers.
MAX_MAGNITUDE = Decimal(1_000_000_000)
MAX_RULE_BYTES = 256 * 1024


def _floor(x: Decimal) -> Decimal:
    return Decimal(math.floor(x))


def _ceil(x: Decimal) -> Decimal:
    return Decimal(math.ceil(x))


_FUNCTIONS: dict[str, Any] = {"min": min, "max": max, "abs": abs, "floor": _floor, "ceil": _ceil}
_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.IfExp,
    ast.BoolOp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.USub,
    ast.UAdd,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.Eq,
    ast.NotEq,
    ast.And,
    ast.Or,
)
_PROBES = (Decimal(0), Decimal("0.5"), Decimal(1), Decimal(2), Decimal(100))


@dataclass(frozen=True)
class Formula:
    """A compiled rule expression: ``weight * min(rate, 1)``.

    Built once per rule set; :meth:`__call__` evaluates it with Decimal arguments.
    """

    text: str
    names: frozenset[str]
    _tree: ast.expr
    _evaluator: SimpleEval
    _memo: dict[tuple[tuple[str, Decimal], ...], Decimal] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def compile(cls, text: str, names: frozenset[str], where: str, probe: bool = True) -> Formula:
        """Parse and check ``text``; only ``names`` and min/max/abs/floor/ceil are allowed.

        :raises RuleSetError: naming ``where`` and what was wrong.
        """
        if len(text) > MAX_EXPRESSION_LENGTH:
            raise RuleSetError(
                f"expression longer than {MAX_EXPRESSION_LENGTH} characters", path=where
            )
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise RuleSetError(f"invalid expression {text!r}: {exc.msg}", path=where) from None
        allowed = ", ".join(sorted(_FUNCTIONS))
        for node in ast.walk(tree):
            if not isinstance(node, _ALLOWED_NODES):
                raise RuleSetError(
                    f"{type(node).__name__} is not allowed in an expression ({text!r})",
                    path=where,
                    expected=f"arithmetic, comparisons, {allowed} and the declared names",
                )
            if isinstance(node, ast.Call) and not (
                isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS and not node.keywords
            ):
                raise RuleSetError(f"only {allowed} may be called ({text!r})", path=where)
            if isinstance(node, ast.Name) and node.id not in names and node.id not in _FUNCTIONS:
                import difflib

                close = difflib.get_close_matches(node.id, sorted(names), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise RuleSetError(
                    f"unknown name {node.id!r} in {text!r}{hint}",
                    path=where,
                    expected=", ".join(sorted(names)),
                )
            if isinstance(node, ast.Constant):
                if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                    raise RuleSetError(f"only numbers may appear in {text!r}", path=where)
                # Exact decimals: 0.5 in a rule file means Decimal("0.5"), not a binary float.
                literal = ast.get_source_segment(text.strip(), node) or repr(node.value)
                exact = Decimal(literal)
                node.value = exact  # type: ignore[assignment]  # simpleeval returns it as is
                if abs(exact) > MAX_CONSTANT:
                    raise RuleSetError(
                        f"constant {literal} exceeds {MAX_CONSTANT} in {text!r}", path=where
                    )
        evaluator = SimpleEval(functions=dict(_FUNCTIONS))
        formula = cls(text, names, tree.body, evaluator)
        if probe:  # a rule set read back from the cache passed its probes when first read
            formula._probe(where)
        return formula

    def _probe(self, where: str) -> None:
        """Evaluate at ordinary inputs: a product of huge constants is refused now, not later."""
        for probe in _PROBES:
            try:
                value = self(**dict.fromkeys(self.names, probe))
            except (ArithmeticError, TypeError, ValueError):
                continue  # division by zero at a probe point is the engine's to guard
            if abs(value) > MAX_MAGNITUDE:
                raise RuleSetError(
                    f"{self.text!r} reaches {value:.3g} at ordinary inputs",
                    path=where,
                    expected=f"values below {MAX_MAGNITUDE}",
                )

    def __call__(self, **values: Decimal) -> Decimal:
        """Evaluate with the given names bound (each distinct set of values once)."""
        key = tuple(sorted(values.items()))
        hit = self._memo.get(key)
        if hit is None:
            self._evaluator.names = values
            result = self._evaluator.eval(self.text, previously_parsed=self._tree)
            hit = Decimal(result) if not isinstance(result, Decimal) else result
            if len(self._memo) >= 10_000:
                self._memo.clear()
            self._memo[key] = hit
        return hit


_ROUNDING_MODES = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_UP,
}

# --------------------------------------------------------------------------------------------
# The file format (pydantic models of the YAML)


class _Strict(BaseModel):
    # Schemas are built on first validation, not at import: a rule set found in the cache
    # (see _cached_spec) is never validated again, and the command line starts faster.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Strict):
    """A document a rule set cites."""

    id: str
    title: str
    url: str | None = None
    note: str | None = None


class Weights(_Strict):
    """First-level weights and the execution weight; together they add up to ``total``."""

    total: Decimal = Decimal(100)
    execution: Decimal = Decimal(10)
    level1: dict[str, Decimal] = Field(default_factory=dict)
    source: str | None = None


class Execution(_Strict):
    """Budget execution (预算执行率): the rate's rounding, the score formula, and the rate
    below which the form must explain itself."""

    rate_places: int = 4
    score: str = "weight * min(rate, 1)"
    low_threshold: Decimal = Decimal("0.9")
    source: str | None = None


class Quantitative(_Strict):
    """Achievement of a missed quantitative target, by direction, and the score."""

    higher: str = "actual / target"
    lower: str = "target / actual"
    equal: str = "min(actual, target) / max(actual, target)"
    score: str = "weight * min(achievement, 1)"
    source: str | None = None


class Band(_Strict):
    """A qualitative band: completions in [low, high] (ends as declared) get ``status``."""

    name: str
    low: Decimal
    high: Decimal
    include_low: bool = True
    include_high: bool = True
    status: Literal["met", "partly_met", "missed"]


class Qualitative(_Strict):
    """Qualitative (定性) indicators: bands, completion words and the score formula."""

    score: str = "weight * min(completion, 1)"
    bands: tuple[Band, ...] = ()
    words: dict[Literal["full", "basic", "partial", "none"], Decimal] = Field(default_factory=dict)
    source: str | None = None


class Rounding(_Strict):
    """How printed scores are rounded: places and mode (四舍五入 is ``half_up``)."""

    places: int = 2
    mode: Literal["half_up", "half_even", "down", "up"] = "half_up"


class DirectionHints(_Strict):
    """Name patterns (regular expressions) for targets printed without a comparator."""

    lower: tuple[str, ...] = ()
    source: str | None = None


class Structure(_Strict):
    """Which second-level groups (二级指标) belong under which first-level block, and which
    a project form must have."""

    level1: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    required: tuple[str, ...] = ()
    source: str | None = None


class UnitNames(_Strict):
    """Name patterns (regular expressions) that say what an indicator measures."""

    percent: tuple[str, ...] = ()
    count: tuple[str, ...] = ()
    time: tuple[str, ...] = ()


class TargetTables(_Strict):
    """Checks of target tables (绩效目标表): the spending plan's expected pace."""

    mid_year: str = "6月底"
    mid_year_share: Decimal = Decimal("0.5")
    source: str | None = None


class ScoreBand(_Strict):
    """One row of a score table: values in [low, high) (edges as declared) score ``points``
    (absolute) or ``share`` of the weight.  ``low``/``high`` left out are unbounded."""

    low: Decimal | None = None
    high: Decimal | None = None
    include_low: bool = True
    include_high: bool = False
    points: Decimal | None = None
    share: Decimal | None = None

    @model_validator(mode="after")
    def _one_award(self) -> ScoreBand:
        if (self.points is None) == (self.share is None):
            raise ValueError("a band gives either points or share, not both or neither")
        return self

    def holds(self, value: Decimal) -> bool:
        """True when ``value`` falls in this band."""
        above = self.low is None or value > self.low or (self.include_low and value == self.low)
        below = self.high is None or value < self.high or (self.include_high and value == self.high)
        return above and below

    def describe(self) -> str:
        """``[0.8, 0.9)`` style."""
        left = "(-∞" if self.low is None else ("[" if self.include_low else "(") + str(self.low)
        right = "+∞)" if self.high is None else str(self.high) + ("]" if self.include_high else ")")
        return f"{left}, {right}"


class Domain(_Strict):
    """The values a score table must cover, without gap or overlap."""

    low: Decimal | None = Decimal(0)
    high: Decimal | None = None


class IndicatorRule(_Strict):
    """Scoring for the indicators whose name matches ``match`` (a regular expression), in
    place of the general quantitative rule: a ``score`` formula or a table of ``bands`` over
    the value of ``measure``.  Names: ``actual``, ``target``, ``achievement``, ``weight``;
    ``actual`` and ``target`` are in ``unit`` (``天``, ``%``, ``万元``) when one is given, else in
    base units (fractions for percentages)."""

    name: str
    match: str
    source: str | None = None
    direction: Literal["higher", "lower", "equal"] | None = None
    unit: str | None = None
    score: str | None = None
    measure: str = "actual"
    domain: Domain = Domain()
    bands: tuple[ScoreBand, ...] = ()

    @model_validator(mode="after")
    def _one_method(self) -> IndicatorRule:
        if (self.score is None) == (not self.bands):
            raise ValueError("an indicator rule has either a score formula or bands")
        return self


class GradeBand(_Strict):
    """A grade of the total: totals from ``low`` up (to the next grade) get ``name``."""

    name: str
    low: Decimal


class Expect(_Strict):
    """What a rule-set test case expects; only the keys given are checked."""

    total: Decimal | None = None
    grade: str | None = None
    execution_rate: Decimal | None = None
    execution_score: Decimal | None = None
    scores: tuple[Decimal | None, ...] | None = None
    statuses: tuple[str, ...] | None = None
    flags: tuple[str, ...] | None = None
    no_flags: tuple[str, ...] | None = None


class RuleTest(_Strict):
    """A case a rule set carries: a form fragment and what scoring it must give."""

    name: str
    source: str | None = None
    form: dict[str, Any]
    expect: Expect


class RuleFile(_Strict):
    """The YAML document of a rule set."""

    schema_: str | None = Field(default=None, alias="$schema")
    name: str
    title: str
    extends: str | None = None
    sources: tuple[Source, ...] = ()
    weights: Weights = Weights()
    execution: Execution = Execution()
    quantitative: Quantitative = Quantitative()
    qualitative: Qualitative = Qualitative()
    not_applicable: Literal["full", "zero", "rescale"] = "full"
    rounding: Rounding = Rounding()
    tolerance: Decimal = Decimal("0.01")
    direction_hints: DirectionHints = DirectionHints()
    unit_names: UnitNames = UnitNames()
    structure: Structure = Structure()
    over_achievement: Decimal | None = Decimal("1.2")
    indicator_rules: tuple[IndicatorRule, ...] = ()
    targets: TargetTables = TargetTables()
    grades: tuple[GradeBand, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict)
    tests: tuple[RuleTest, ...] = ()

    @field_validator("severity")
    @classmethod
    def _known_codes(cls, value: dict[str, Severity]) -> dict[str, Severity]:
        for code in value:
            if code not in CATALOGUE:
                import difflib

                close = difflib.get_close_matches(code, list(CATALOGUE), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ValueError(f"unknown flag code {code!r}{hint}")
        return value


# --------------------------------------------------------------------------------------------
# The compiled rule set


@dataclass(frozen=True)
class CompiledIndicatorRule:
    """An :class:`IndicatorRule` with its pattern and formulas compiled."""

    spec: IndicatorRule
    pattern: re.Pattern[str]
    score: Formula | None
    measure: Formula
    unit: Unit | None = None

    def in_unit(self, base: Decimal) -> Decimal:
        """A base-unit value expressed in the rule's unit."""
        return base / self.unit.factor if self.unit is not None else base

    def points(self, weight: Decimal, **values: Decimal) -> tuple[Decimal, str]:
        """The raw score for ``values`` and a line saying how it was reached."""
        if self.score is not None:
            raw = self.score(weight=weight, **values)
            return raw, f"{self.spec.name}: {self.score.text}"
        value = self.measure(weight=weight, **values)
        for band in self.spec.bands:
            if band.holds(value):
                raw = band.points if band.points is not None else weight * (band.share or 0)
                return raw, f"{self.spec.name}: {self.measure.text} = {value} ∈ {band.describe()}"
        return Decimal(0), f"{self.spec.name}: {self.measure.text} = {value} outside every band"


_RULE_NAMES = frozenset({"weight", "actual", "target", "achievement"})


@dataclass(frozen=True)
class RuleSet:
    """A loaded, validated and compiled rule set.  Immutable; safe to share between threads
    that do not evaluate the same formula at once (each process builds its own)."""

    name: str
    title: str
    source_file: str | None
    spec: RuleFile
    execution_score: Formula
    higher: Formula
    lower: Formula
    equal: Formula
    quantitative_score: Formula
    qualitative_score: Formula
    indicator_rules: tuple[CompiledIndicatorRule, ...]
    lower_hint: re.Pattern[str] | None
    unit_name: dict[str, re.Pattern[str]]
    quantum: Decimal
    rounding_mode: str
    # Answers worked out once per distinct input (group names, indicator names, judgements).
    _memo: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def weights(self) -> Weights:
        """The first-level and execution weights."""
        return self.spec.weights

    @property
    def tolerance(self) -> Decimal:
        """Largest difference between printed and recomputed scores that is not a mismatch."""
        return self.spec.tolerance

    def round(self, value: Decimal) -> Decimal:
        """Round a score as the rule set says (四舍五入 to 2 places by default)."""
        return value.quantize(self.quantum, rounding=self.rounding_mode)

    def severity(self, code: str) -> Severity:
        """The severity of ``code`` under this rule set (its override, else the default)."""
        return self.spec.severity.get(code, CATALOGUE[code].severity)

    def measures(self, name: str) -> str | None:
        """What an indicator's name says it measures: ``percent``, ``count``, ``time``."""
        memo = self._memo.setdefault("measures", {})
        if name not in memo:
            memo[name] = next(
                (dim for dim, pattern in self.unit_name.items() if pattern.search(name)), None
            )
        return memo[name]  # type: ignore[no-any-return]

    def rule_for(self, name: str) -> CompiledIndicatorRule | None:
        """The first indicator rule whose pattern matches ``name``."""
        if not self.indicator_rules:
            return None
        memo = self._memo.setdefault("rule_for", {})
        if name not in memo:
            memo[name] = next((r for r in self.indicator_rules if r.pattern.search(name)), None)
        return memo[name]  # type: ignore[no-any-return]

    def level1_of(self, level2: str | None) -> str | None:
        """The first-level block a second-level group belongs to, or ``None`` if unknown."""
        memo = self._memo.setdefault("level1_of", {})
        if level2 not in memo:
            key = _group_key(level2)
            memo[level2] = next(
                (
                    level1
                    for level1, groups in self.spec.structure.level1.items()
                    if key and any(_group_key(g) == key for g in groups)
                ),
                None,
            )
        return memo[level2]  # type: ignore[no-any-return]

    def level1_key(self, label: str | None) -> str | None:
        """The rule set's name for a printed first-level label (``产出指标 (50分)`` → 产出指标)."""
        memo = self._memo.setdefault("level1_key", {})
        if label not in memo:
            key = _group_key(label)
            names = list(self.spec.structure.level1) or [
                part for name in self.spec.weights.level1 for part in name.split("+")
            ]
            memo[label] = (
                next((name for name in names if _group_key(name) in key), None) if key else None
            )
        return memo[label]  # type: ignore[no-any-return]

    def band(self, completion: Decimal) -> Band | None:
        """The qualitative band holding ``completion`` (a fraction), or ``None``."""
        for band in self.spec.qualitative.bands:
            above = completion > band.low or (band.include_low and completion == band.low)
            below = completion < band.high or (band.include_high and completion == band.high)
            if above and below:
                return band
        return None

    def grade(self, total: Decimal) -> str | None:
        """The grade of a total (优/良/中/差), or ``None`` when the rule set has no grades."""
        grades = self._memo.get("grades")
        if grades is None:
            grades = self._memo["grades"] = sorted(
                self.spec.grades, key=lambda g: g.low, reverse=True
            )
        for grade in grades:
            if total >= grade.low:
                return str(grade.name)
        return None


def _group_key(label: str | None) -> str:
    """产出指标 (50分) → 产出; 服务对象满意度指标 → 服务对象满意度."""
    if not label:
        return ""
    text = re.split(r"[(（]", "".join(label.split()))[0]
    return text.removesuffix("指标")


Edge = tuple[Decimal | None, bool]  # a band edge and whether the band includes it


def check_coverage(
    edges: Sequence[tuple[Edge, Edge]], domain: tuple[Decimal | None, Decimal | None]
) -> str | None:
    """Whether bands (each a (low, high) pair of edges) cover ``domain`` exactly once.

    Returns a sentence describing the first gap or overlap, or ``None``.
    """
    if not edges:
        return None
    inf = Decimal("Infinity")
    ordered = sorted(edges, key=lambda e: (-inf if e[0][0] is None else e[0][0], not e[0][1]))
    start, end = domain
    first_low = ordered[0][0]
    if first_low[0] is not None and (start is None or first_low[0] > start):
        return (
            f"nothing covers values from {start if start is not None else '-∞'} to {first_low[0]}"
        )
    if first_low[0] is not None and first_low[0] == start and not first_low[1]:
        return f"nothing covers {start} itself"
    for (_, high), (low, _) in itertools.pairwise(ordered):
        if high[0] is None:
            return "a band open to +∞ is followed by another band (overlap)"
        if low[0] is None or low[0] < high[0]:
            return f"bands overlap below {high[0]}"
        if low[0] > high[0]:
            return f"gap between {high[0]} and {low[0]}"
        if high[1] and low[1]:
            return f"bands overlap at {high[0]} (both include it)"
        if not high[1] and not low[1]:
            return f"gap at {high[0]} (neither band includes it)"
    last_high = ordered[-1][1]
    if end is None and last_high[0] is not None:
        return f"nothing covers values above {last_high[0]}"
    if end is not None and last_high[0] is not None:
        if last_high[0] < end:
            return f"nothing covers values from {last_high[0]} to {end}"
        if last_high[0] == end and not last_high[1]:
            return f"nothing covers {end} itself"
    return None


Positions = dict[tuple[str, ...], tuple[str, int, int]]


def _compile(
    spec: RuleFile, source_file: str | None, positions: Positions, probe: bool = True
) -> RuleSet:
    def fail(message: str, where: str, expected: str | None = None) -> RuleSetError:
        path = tuple(where.split("."))
        file, line, column = next(
            (positions[path[:i]] for i in range(len(path), 0, -1) if path[:i] in positions),
            (source_file or "", None, None),
        )
        return RuleSetError(
            message, source=file or None, path=where, line=line, column=column, expected=expected
        )

    def formula(text: str, names: frozenset[str] | set[str], where: str) -> Formula:
        try:
            return Formula.compile(text, frozenset(names), where, probe)
        except RuleSetError as exc:
            raise fail(exc.message, where, exc.expected) from None

    total = spec.weights.execution + sum(spec.weights.level1.values(), Decimal(0))
    if spec.weights.level1 and total != spec.weights.total:
        raise fail(
            f"execution and first-level weights add up to {total}, not {spec.weights.total}",
            "weights.level1",
        )

    def pattern(items: tuple[str, ...], where: str) -> re.Pattern[str] | None:
        if not items:
            return None
        try:
            return re.compile("|".join(f"(?:{p})" for p in items))
        except re.error as exc:
            raise fail(f"invalid pattern: {exc}", where) from None

    qual_bands = [
        ((b.low, b.include_low), (b.high, b.include_high)) for b in spec.qualitative.bands
    ]
    problem = check_coverage(qual_bands, (Decimal(0), Decimal(1)))
    if problem:
        raise fail(f"qualitative bands do not cover 0–1: {problem}", "qualitative.bands")

    rules: list[CompiledIndicatorRule] = []
    for i, rule in enumerate(spec.indicator_rules):
        where = f"indicator_rules.{i}"
        compiled_pattern = pattern((rule.match,), f"{where}.match")
        assert compiled_pattern is not None
        if rule.bands:
            problem = check_coverage(
                [((b.low, b.include_low), (b.high, b.include_high)) for b in rule.bands],
                (rule.domain.low, rule.domain.high),
            )
            if problem:
                raise fail(f"bands of {rule.name!r}: {problem}", f"{where}.bands")
        unit = None
        if rule.unit is not None:
            try:
                unit = resolve(rule.unit)
            except UnknownUnitError:
                raise fail(f"unknown unit {rule.unit!r}", f"{where}.unit") from None
        rules.append(
            CompiledIndicatorRule(
                rule,
                compiled_pattern,
                formula(rule.score, _RULE_NAMES, f"{where}.score") if rule.score else None,
                formula(rule.measure, _RULE_NAMES, f"{where}.measure"),
                unit,
            )
        )

    quant, qual = spec.quantitative, spec.qualitative
    return RuleSet(
        name=spec.name,
        title=spec.title,
        source_file=source_file,
        spec=spec,
        execution_score=formula(spec.execution.score, {"weight", "rate"}, "execution.score"),
        higher=formula(quant.higher, {"actual", "target"}, "quantitative.higher"),
        lower=formula(quant.lower, {"actual", "target"}, "quantitative.lower"),
        equal=formula(quant.equal, {"actual", "target"}, "quantitative.equal"),
        quantitative_score=formula(quant.score, {"weight", "achievement"}, "quantitative.score"),
        qualitative_score=formula(qual.score, {"weight", "completion"}, "qualitative.score"),
        indicator_rules=tuple(rules),
        lower_hint=pattern(spec.direction_hints.lower, "direction_hints.lower"),
        unit_name={
            dim: compiled
            for dim in ("percent", "count", "time")
            if (compiled := pattern(getattr(spec.unit_names, dim), f"unit_names.{dim}"))
        },
        quantum=Decimal(1).scaleb(-spec.rounding.places),
        rounding_mode=_ROUNDING_MODES[spec.rounding.mode],
    )


# --------------------------------------------------------------------------------------------
# Loading


def _shipped_dir() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "rules"  # installed: perfscore/rules beside this module
    if packaged.is_dir():
        return packaged
    # A source checkout: rules/ sits at the top of the repository.
    return here.parents[1] / "rules"


def list_rules() -> list[str]:
    """Names of the shipped rule sets."""
    return sorted(p.stem for p in _shipped_dir().glob("*.yaml"))


# libyaml's parser when the platform has it: rule files are read on every start.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_aliases(text: str) -> None:
    """Rule files never need anchors or aliases, and aliases make expansion bombs possible:
    any alias is refused before the document is built."""
    loader = _SafeLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.AliasEvent):
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    "aliases are not allowed in rule files",
                    event.start_mark,  # type: ignore[arg-type]
                )
    finally:
        loader.dispose()


def _read_yaml(path: Path) -> tuple[dict[str, Any], Positions]:
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleSetError(f"cannot read the rule file: {exc.strerror}", source=source) from None
    if len(raw) > MAX_RULE_BYTES:
        raise RuleSetError(f"rule file larger than {MAX_RULE_BYTES} bytes", source=source)
    text = raw.decode("utf-8", errors="replace")
    loader = _SafeLoader(text)
    try:
        _refuse_aliases(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise RuleSetError(
            f"invalid YAML: {exc.problem or exc.context}",
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise RuleSetError("a rule file is a mapping", source=source, line=1, column=1)
    positions: Positions = {}

    def walk(n: yaml.Node, path: tuple[str, ...]) -> None:
        positions[path] = (source, n.start_mark.line + 1, n.start_mark.column + 1)
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key = (*path, str(k.value))
                walk(v, key)
                positions[key] = (source, k.start_mark.line + 1, k.start_mark.column + 1)
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*path, str(i)))

    if node is not None:
        walk(node, ())
    return data, positions


def _merge(parent: Mapping[str, Any], child: Mapping[str, Any], depth: int = 0) -> dict[str, Any]:
    """The child's keys over the parent's, mappings merged key by key.

    Inside a mapping of names (``weights.level1``, ``structure.level1``), ``null`` removes what
    the parent set: hubei drops ``效益指标: 30`` for ``效益指标+满意度指标: 40``.  Elsewhere
    ``null`` is a value (``over_achievement: null`` turns that check off).
    """
    out = dict(parent)
    for key, value in child.items():
        if value is None and depth >= 2:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value, depth + 1)
        else:
            out[key] = value
    return out


def _locate(name_or_path: str, relative_to: Path | None = None) -> Path:
    path = Path(name_or_path)
    if relative_to is not None and not path.is_absolute() and path.suffix in {".yaml", ".yml"}:
        path = relative_to / path
    if path.suffix in {".yaml", ".yml"} or path.exists():
        return path
    shipped = _shipped_dir() / f"{name_or_path}.yaml"
    if shipped.exists():
        return shipped
    import difflib

    close = difflib.get_close_matches(name_or_path, list_rules(), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise RuleSetError(
        f"no rule set named {name_or_path!r}{hint}", expected=", ".join(list_rules())
    )


def _resolve(
    path: Path, seen: tuple[str, ...], chain: list[_Stamp] | None = None
) -> tuple[dict[str, Any], Positions]:
    """Read a rule file and the files it extends, merged; ``chain`` collects each file's
    stamp (for the cache)."""
    key = str(path.resolve())
    if key in seen:
        cycle = " → ".join(Path(p).name for p in (*seen, key))
        raise RuleSetError(f"rule sets extend each other in a cycle: {cycle}", source=str(path))
    if not path.exists():
        raise RuleSetError("no such rule file", source=str(path))
    data, positions = _read_yaml(path)
    if chain is not None:
        chain.append(_stamp(key))
    parent = data.get("extends")
    if parent:
        try:
            parent_path = _locate(str(parent), path.parent)
        except RuleSetError as exc:
            file, line, column = positions.get(("extends",), (str(path), None, None))
            raise RuleSetError(
                exc.message,
                source=file,
                path="extends",
                line=line,
                column=column,
                expected=exc.expected,
            ) from None
        base, base_positions = _resolve(parent_path, (*seen, key), chain)
        base = {k: v for k, v in base.items() if k not in {"name", "title", "$schema", "tests"}}
        data = _merge(base, data)
        positions = {**base_positions, **positions}
    return data, positions


def _cache_dir() -> Path | None:
    """Where validated rule sets are kept between runs (``PERFSCORE_CACHE``, else the user's
    cache directory); ``PERFSCORE_CACHE=off`` turns the cache off."""
    configured = os.environ.get("PERFSCORE_CACHE")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "perfscore"


_Stamp = tuple[str, int, int]  # a file's path, modification time and size


def _stamp(path: str) -> _Stamp:
    info = os.stat(path)
    return (path, info.st_mtime_ns, info.st_size)


def _cache_file(path: Path) -> tuple[Path, str] | None:
    """Where a rule set's validated form is kept, and the key the entry must carry."""
    directory = _cache_dir()
    if directory is None:
        return None
    import zlib

    import pydantic

    from perfscore import __version__

    # The models' own source is part of the key: a changed model never reads an old pickle.
    identity = (str(path), __version__, _stamp(__file__), pydantic.VERSION, sys.version_info[:2])
    key = repr(identity)
    # A short checksum names the file; the full key inside it settles any collision.
    return directory / f"rules-{zlib.crc32(key.encode()):08x}.pickle", key


def _cached_spec(cache: tuple[Path, str] | None) -> tuple[RuleFile, Positions] | None:
    """A rule set validated on an earlier run, if none of the files it was read from has
    changed since: reading and validating are the slowest part of starting up."""
    if cache is None:
        return None
    import pickle

    file, key = cache
    try:
        with file.open("rb") as f:
            entry = pickle.load(f)  # written by _store_spec below, from validated data
        stored_key, chain, spec, positions = entry
        if (
            stored_key == key
            and isinstance(spec, RuleFile)
            and all(_stamp(stamp[0]) == tuple(stamp) for stamp in chain)
        ):
            return spec, positions
    except (
        OSError,
        ValueError,
        TypeError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
    ):
        pass
    return None


def _store_spec(
    spec: RuleFile, positions: Positions, chain: list[_Stamp], cache: tuple[Path, str] | None
) -> None:
    if cache is None:
        return
    import pickle

    file, key = cache
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        scratch = file.with_suffix(f".{os.getpid()}.tmp")
        with scratch.open("wb") as f:
            pickle.dump((key, chain, spec, positions), f, protocol=pickle.HIGHEST_PROTOCOL)
        scratch.replace(file)
    except OSError:
        pass  # a read-only home directory only costs the next start a validation


@lru_cache(maxsize=64)
def _load(key: str) -> RuleSet:
    path = Path(key)
    cache_file = _cache_file(path)
    cached = _cached_spec(cache_file)
    if cached is not None:
        return _compile(cached[0], str(path), cached[1], probe=False)
    chain: list[_Stamp] = []
    data, positions = _resolve(path, (), chain)
    try:
        spec = RuleFile.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(str(p) for p in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = f"unknown key {loc[-1]!r}" + _suggest_key(loc)
        file, line, column = next(
            (positions[loc[:i]] for i in range(len(loc), 0, -1) if loc[:i] in positions),
            (str(path), None, None),
        )
        raise RuleSetError(
            message, source=file, path=".".join(loc), line=line, column=column
        ) from None
    ruleset = _compile(spec, str(path), positions)
    _store_spec(spec, positions, chain, cache_file)  # only rule sets that compile are kept
    return ruleset


def _suggest_key(loc: tuple[str, ...]) -> str:
    """A did-you-mean for a misspelt key, looked up in the model the key sits in."""
    model: type[BaseModel] = RuleFile
    for part in loc[:-1]:
        if part.isdigit():
            continue
        field = model.model_fields.get(part)
        if field is None:
            break
        inner = field.annotation
        for candidate in getattr(inner, "__args__", ()) or (inner,):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                model = candidate
                break
    known = [f.alias or name for name, f in model.model_fields.items()]
    import difflib

    close = difflib.get_close_matches(loc[-1], known, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def load_rules(name_or_path: str | Path | RuleSet = DEFAULT_RULES) -> RuleSet:
    """Load a shipped rule set by name (``"national-2020"``) or a rule file by path.

    Loaded rule sets are cached: the same name returns the same compiled object.

    :raises RuleSetError: naming the file, the key, the line and column that are wrong.
    """
    if isinstance(name_or_path, RuleSet):
        return name_or_path
    return _load(_cache_key(str(name_or_path)))


@lru_cache(maxsize=256)
def _cache_key(name_or_path: str) -> str:
    """The resolved file of a name or path, looked up on disk once."""
    return str(_locate(name_or_path).resolve())
