"""Rule sets: a scoring convention as a reviewed YAML file, validated and compiled once.

A rule set says how much budget execution is worth, how a missed quantitative target is scored
(``actual / target`` for ≥ targets, ``target / actual`` for ≤ targets), the qualitative bands,
rounding, tolerance, the treatment of not-applicable indicators and which indicator names read
as "lower is better".  The file's shape is :mod:`perfscore.ruleset.rulefile`; a
:class:`RuleSet` holds the validated file as :attr:`RuleSet.spec` and compiles its formulas
(:mod:`perfscore.ruleset.expressions`) and patterns when it is built, never at scoring time.

Finding and reading rule files is :mod:`perfscore.ruleset.loading`; :func:`load_rules` and
:func:`list_rules` are offered here too, beside the rule set they return.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import InitVar, dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from functools import partial
from typing import Any

from perfscore.errors import RuleSetError
from perfscore.memo import Memo
from perfscore.ruleset.expressions import Formula
from perfscore.ruleset.loading import DEFAULT_RULES, list_rules, load_rules, shipped_dir
from perfscore.ruleset.opinions import worded_opinions
from perfscore.ruleset.patterns import nested_repeat
from perfscore.ruleset.rulefile import (
    Band,
    FormulaOf,
    IndicatorRule,
    Positions,
    RuleFile,
    UnitNames,
    Weights,
    check_coverage,
    compiled_keys,
    shown_key,
)
from perfscore.text.units import Unit, UnknownUnitError, local_units, resolve
from perfscore.text.values import plain
from perfscore.words.flags import CATALOGUE, Severity
from perfscore.words.opinions import Opinion

__all__ = [
    "DEFAULT_RULES",
    "CompiledIndicatorRule",
    "RuleSet",
    "compile_problems",
    "list_rules",
    "load_rules",
    "shipped_dir",
]

#: Sizes a rule set's own unit may have, in its base unit (a 担 is 50 kg; a 箩 not 10**100000).
MIN_FACTOR = Decimal("1e-12")
MAX_FACTOR = Decimal("1e12")

_ROUNDING_MODES = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_UP,
}


@dataclass(frozen=True)
class CompiledIndicatorRule:
    """An :class:`~perfscore.ruleset.rulefile.IndicatorRule`, pattern and formulas compiled."""

    spec: IndicatorRule
    pattern: re.Pattern[str]
    score: Formula | None
    measure: Formula
    unit: Unit | None = None

    def in_unit(self, base: Decimal) -> Decimal:
        """A base-unit value expressed in the rule's unit."""
        return base / self.unit.factor if self.unit is not None else base

    def points(self, weight: Decimal, **values: Decimal) -> tuple[Decimal, str]:
        """The raw score for ``values`` and a line saying how it was reached.

        :raises FormulaError: a formula failed at these values.
        """
        if self.score is not None:
            raw = self.score(weight=weight, **values)
            return raw, f"{self.spec.name}: {self.score.text}"
        value = self.measure(weight=weight, **values)
        # Written in symbols, not words: the line serves Chinese and English traces alike.
        shown = f"{self.spec.name}: {self.measure.text} = {plain(value)}"
        for band in self.spec.bands:
            if band.holds(value):
                raw = band.points if band.points is not None else weight * (band.share or 0)
                return raw, f"{shown} ∈ {band.describe()}"
        return Decimal(0), f"{shown} ∉ {' ∪ '.join(b.describe() for b in self.spec.bands)}"


@dataclass(frozen=True, repr=False)
class RuleSet:
    """A validated rule file (:attr:`spec`), compiled.

    ``RuleSet(spec, source_file, positions)`` compiles every formula and pattern the file marks
    (see :mod:`perfscore.ruleset.rulefile`), resolves its units and checks its weights and bands,
    raising :class:`RuleSetError` at the key's line in ``positions``.  A plain setting is read
    from :attr:`spec`; a compiled one with :meth:`formula` or :meth:`pattern`.

    Immutable and safe to share between threads: formulas take their inputs per call, and the
    only thing that changes is :attr:`memo`, bounded tables of answers keyed by their complete
    input.  Two rule sets are equal when their files are.
    """

    spec: RuleFile
    source_file: str | None = None
    positions: InitVar[Positions | None] = None
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)
    formulas: Mapping[str, Formula] = field(init=False, compare=False, repr=False)
    patterns: Mapping[str, re.Pattern[str] | None] = field(init=False, compare=False, repr=False)
    indicator_rules: tuple[CompiledIndicatorRule, ...] = field(
        init=False, compare=False, repr=False
    )
    local_units: Mapping[str, Unit] = field(init=False, compare=False, repr=False)
    #: The review opinion of every flag code: the defaults, as the rule file words them.
    opinions: Mapping[str, Opinion] = field(init=False, compare=False, repr=False)
    _unit_names: Mapping[str, re.Pattern[str]] = field(init=False, compare=False, repr=False)
    _where: _Where = field(init=False, compare=False, repr=False)

    def __post_init__(self, positions: Positions | None) -> None:
        where = _Where(self.source_file, positions or {}, self.spec)
        _check_weights(self.spec, where)
        _check_bands(self.spec, where)
        formulas, patterns = _compile_keys(self.spec, where)
        derived: dict[str, Any] = {
            "formulas": formulas,
            "patterns": patterns,
            "indicator_rules": _indicator_rules(self.spec, formulas, patterns, where),
            "local_units": _local_units(self.spec, where),
            "opinions": worded_opinions(self.spec.opinions),
            "_where": where,
            "_unit_names": {
                dim: found
                for dim in UnitNames.model_fields
                if (found := patterns[f"unit_names.{dim}"]) is not None
            },
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)  # a frozen dataclass sets its own fields so

    def __repr__(self) -> str:
        return f"<RuleSet {self.name!r} from {self.source_file or 'no file'}>"

    def locate(self, key: str) -> tuple[str, int | None, int | None]:
        """The file, line and column ``key`` (``"indicator_rules.0.score"``) was read from: the
        rule set's own file or one it extends (the key's nearest parent when it was not
        written)."""
        return self._where.locate(key)

    def shown_key(self, key: str) -> str:
        """``key`` as findings name it: ``indicator_rules[时效].score``."""
        return shown_key(key, self.spec)

    def formula(self, key: str) -> Formula:
        """The compiled formula at ``key`` (``"quantitative.higher"``)."""
        return self.formulas[key]

    def pattern(self, key: str) -> re.Pattern[str] | None:
        """The compiled patterns at ``key`` (``"direction_hints.lower"``), ``None`` if empty."""
        return self.patterns[key]

    # The settings the engine reads by name.

    @property
    def name(self) -> str:
        """The rule set's name (``national-2020``)."""
        return self.spec.name

    @property
    def title(self) -> str:
        """The rule set's title, one line."""
        return self.spec.title

    @property
    def weights(self) -> Weights:
        """The first-level and execution weights."""
        return self.spec.weights

    @property
    def tolerance(self) -> Decimal:
        """Largest difference between printed and recomputed scores that is not a mismatch."""
        return self.spec.tolerance

    @property
    def execution_score(self) -> Formula:
        """Points for budget execution (``weight``, ``rate``)."""
        return self.formulas["execution.score"]

    @property
    def higher(self) -> Formula:
        """Achievement of a missed ≥ target (``actual``, ``target``)."""
        return self.formulas["quantitative.higher"]

    @property
    def lower(self) -> Formula:
        """Achievement of a missed ≤ target (``actual``, ``target``)."""
        return self.formulas["quantitative.lower"]

    @property
    def equal(self) -> Formula:
        """Achievement of a missed = target (``actual``, ``target``)."""
        return self.formulas["quantitative.equal"]

    @property
    def quantitative_score(self) -> Formula:
        """Points for a quantitative indicator (``weight``, ``achievement``)."""
        return self.formulas["quantitative.score"]

    @property
    def qualitative_score(self) -> Formula:
        """Points for a qualitative indicator (``weight``, ``completion``)."""
        return self.formulas["qualitative.score"]

    @property
    def deadline(self) -> Formula:
        """Achievement of a date target completed late (``allowed``, ``taken``, ``late``)."""
        return self.formulas["quantitative.deadline"]

    @property
    def lower_hint(self) -> re.Pattern[str] | None:
        """Names that make a target printed without a comparator a limit."""
        return self.patterns["direction_hints.lower"]

    @property
    def money_lower_hint(self) -> re.Pattern[str] | None:
        """Names that make a money target a limit."""
        return self.patterns["direction_hints.money_lower"]

    @property
    def money_lower_group(self) -> re.Pattern[str] | None:
        """Second-level groups that make a money target a limit."""
        return self.patterns["direction_hints.money_lower_groups"]

    def round(self, value: Decimal) -> Decimal:
        """Round a score as the rule set says (四舍五入 to 2 places by default)."""
        rounding = self.spec.rounding
        return value.quantize(_QUANTA[rounding.places], rounding=_ROUNDING_MODES[rounding.mode])

    def severity(self, code: str) -> Severity:
        """The severity of ``code`` under this rule set (its override, else the default)."""
        return self.spec.severity.get(code, CATALOGUE[code].severity)

    def measures(self, name: str) -> str | None:
        """What an indicator's name says it measures: ``percent``, ``count``, ``time``."""
        table = self.memo.table("measures")
        found = table.get(name)
        if found is None:
            found = table.put(
                name,
                next((dim for dim, p in self._unit_names.items() if p.search(name)), ""),
            )
        return found or None

    def rule_for(self, name: str) -> CompiledIndicatorRule | None:
        """The first indicator rule whose pattern matches ``name``."""
        if not self.indicator_rules:
            return None
        table = self.memo.table("rule_for")
        found = table.get(name)
        if found is None:
            found = table.put(
                name, next((r for r in self.indicator_rules if r.pattern.search(name)), False)
            )
        return found or None

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
        for grade in sorted(self.spec.grades, key=lambda g: g.low, reverse=True):
            if total >= grade.low:
                return grade.name
        return None


# One quantum per allowed number of places (``Rounding.places`` is 0–6).
_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}


# --------------------------------------------------------------------------------------------
# Compiling a rule file: each step raises at the line of the key it is about.


class _Where:
    """Where a key of the rule file is, for errors that point at its line."""

    def __init__(self, source_file: str | None, positions: Positions, spec: RuleFile) -> None:
        self.source_file = source_file
        self.positions = positions
        self.spec = spec

    def locate(self, key: str) -> tuple[str, int | None, int | None]:
        """The file, line and column of ``key`` (or of the nearest key above it)."""
        path = tuple(key.split("."))
        return next(
            (
                self.positions[path[:i]]
                for i in range(len(path), 0, -1)
                if path[:i] in self.positions
            ),
            (self.source_file or "", None, None),
        )

    def fail(
        self, message: str, key: str, expected: str | None = None, among: tuple[str, ...] = ()
    ) -> RuleSetError:
        """The error for ``key``, at its line; or, for a problem several keys make together
        (a sum), at the first of ``among`` the rule set's own file writes: the override that
        broke it, not the inherited keys it was added to."""
        own = next((k for k in among if self._own(k)), key)
        file, line, column = self.locate(own)
        return RuleSetError(
            message,
            source=file or None,
            path=shown_key(own, self.spec),
            line=line,
            column=column,
            expected=expected,
        )

    def _own(self, key: str) -> bool:
        """Whether the rule set's own file writes ``key`` itself (not only a key above it)."""
        found = self.positions.get(tuple(key.split(".")))
        return found is not None and found[0] == self.source_file


def compile_problems(
    spec: RuleFile, source_file: str | None, positions: Positions
) -> list[RuleSetError]:
    """Every problem compiling a validated file meets, one a key (``RuleSet`` stops at the
    first): the weights' sum, band coverage, each formula and pattern, each unit."""
    where = _Where(source_file, positions, spec)
    found: list[RuleSetError] = []
    steps: list[Callable[[], object]] = [
        partial(_check_weights, spec, where),
        partial(_check_bands, spec, where),
        partial(_local_units, spec, where),
    ]
    for key, mark, value in compiled_keys(spec):
        if isinstance(mark, FormulaOf):
            if value is not None:
                steps.append(partial(_formula, value, mark.names, key, where))
        else:
            items = (value,) if isinstance(value, str) else value
            steps.append(partial(_pattern, items, key, where))
    for i, rule in enumerate(spec.indicator_rules):
        if rule.unit is not None:
            steps.append(partial(_unit, rule.unit, f"indicator_rules.{i}.unit", where))
    for step in steps:
        try:
            step()
        except RuleSetError as exc:
            found.append(exc)
    return found


def _unit(text: str, key: str, where: _Where) -> Unit:
    try:
        return resolve(text)
    except UnknownUnitError:
        raise where.fail(f"unknown unit {text!r}", key) from None


def _check_weights(spec: RuleFile, where: _Where) -> None:
    total = spec.weights.execution + sum(spec.weights.level1.values(), Decimal(0))
    if spec.weights.level1 and total != spec.weights.total:
        # Blamed on what the file itself wrote: an inherited sum is broken by an override.
        blocks = tuple(f"weights.level1.{name}" for name in spec.weights.level1)
        raise where.fail(
            f"execution and first-level weights add up to {total}, not {spec.weights.total}",
            "weights.level1",
            f"weights adding up to {spec.weights.total}",
            ("weights.execution", *blocks, "weights.total", "weights.level1", "weights"),
        )


def _check_bands(spec: RuleFile, where: _Where) -> None:
    """Qualitative bands cover 0–1 once, and each indicator rule's bands its domain."""
    edges = [((b.low, b.include_low), (b.high, b.include_high)) for b in spec.qualitative.bands]
    problem = check_coverage(edges, (Decimal(0), Decimal(1)))
    if problem:
        raise where.fail(problem, "qualitative.bands", "bands covering 0–1 exactly once")
    for i, rule in enumerate(spec.indicator_rules):
        problem = check_coverage(
            [((b.low, b.include_low), (b.high, b.include_high)) for b in rule.bands],
            (rule.domain.low, rule.domain.high),
        )
        if problem:
            low, high = rule.domain.low, rule.domain.high
            domain = f"{'-∞' if low is None else low}–{'+∞' if high is None else high}"
            raise where.fail(
                problem, f"indicator_rules.{i}.bands", f"bands covering {domain} exactly once"
            )


def _compile_keys(
    spec: RuleFile, where: _Where
) -> tuple[dict[str, Formula], dict[str, re.Pattern[str] | None]]:
    """Every formula and pattern the file marks, by key; a formula left out has none."""
    formulas: dict[str, Formula] = {}
    patterns: dict[str, re.Pattern[str] | None] = {}
    for key, mark, value in compiled_keys(spec):
        if isinstance(mark, FormulaOf):
            if value is not None:
                formulas[key] = _formula(value, mark.names, key, where)
        else:
            patterns[key] = _pattern((value,) if isinstance(value, str) else value, key, where)
    return formulas, patterns


def _formula(text: str, names: frozenset[str], key: str, where: _Where) -> Formula:
    file, line, _ = where.locate(key)
    origin = f"{file}:{line} {key}" if file and line else key
    try:
        return Formula.compile(text, names, key, origin=origin)
    except RuleSetError as exc:
        raise where.fail(exc.message, key, exc.expected) from None


def _pattern(items: tuple[str, ...], key: str, where: _Where) -> re.Pattern[str] | None:
    if not items:
        return None
    for item in items:
        nested = nested_repeat(item)
        if nested is not None:
            raise where.fail(
                f"pattern {item!r} repeats a repeat ({nested}): it can take exponential time "
                "on a text it does not match",
                key,
                "a pattern without a repeated group that repeats inside ((ab)+, not (a+)+)",
            )
    try:
        return re.compile("|".join(f"(?:{p})" for p in items))
    except re.error as exc:
        raise where.fail(f"invalid pattern: {exc}", key) from None


def _indicator_rules(
    spec: RuleFile,
    formulas: Mapping[str, Formula],
    patterns: Mapping[str, re.Pattern[str] | None],
    where: _Where,
) -> tuple[CompiledIndicatorRule, ...]:
    rules = []
    for i, rule in enumerate(spec.indicator_rules):
        key = f"indicator_rules.{i}"
        unit = None if rule.unit is None else _unit(rule.unit, f"{key}.unit", where)
        pattern = patterns[f"{key}.match"]
        assert pattern is not None  # one expression is never an empty list
        score, measure = formulas.get(f"{key}.score"), formulas[f"{key}.measure"]
        rules.append(CompiledIndicatorRule(rule, pattern, score, measure, unit))
    return tuple(rules)


def _local_units(spec: RuleFile, where: _Where) -> dict[str, Unit]:
    if not spec.units:
        return {}
    try:
        units = local_units(spec.units)
    except ValueError as exc:
        raise where.fail(f"unit definition: {exc}", "units") from None
    for word, unit in units.items():
        # A factor is a positive, finite size: 0, a negative or 1e-320 turns every comparison
        # in the unit upside down or to nothing.
        if not (unit.factor.is_finite() and MIN_FACTOR <= unit.factor <= MAX_FACTOR):
            raise where.fail(
                f"unit {word!r} is {unit.factor} of its base unit",
                "units",
                f"a positive size between {MIN_FACTOR} and {MAX_FACTOR} of the base unit",
            )
    return units
