"""The rule file: the YAML document of a rule set, as pydantic models.

Each model is one section of the file (``weights``, ``execution``, ``quantitative`` …) and
documents its keys; :class:`RuleFile` is the whole document.  Validation here checks shapes and
values; a :class:`~perfscore.ruleset.rules.RuleSet` holds a validated file and compiles it.

A key that is a formula is marked ``Annotated[str, FormulaOf(names…)]``, one that is a list of
regular expressions ``Patterns``: the rule set compiles every marked key when it is loaded (a bad
formula or pattern is refused at its line) and the engine reads them as
``rules.formula("section.key")`` and ``rules.pattern("section.key")``.  Any other key is read
from ``rules.spec`` as it is, so a new setting is a field here and the code that uses it.
``perfscore schema rules`` prints the JSON Schema generated from these models.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from perfscore.ruleset.opinions import FlagCode, OpinionText
from perfscore.ruleset.ranges import in_range
from perfscore.suggest import did_you_mean
from perfscore.text.operators import Direction
from perfscore.words.flags import CATALOGUE, Severity

__all__ = [
    "Band",
    "DirectionHints",
    "Domain",
    "Execution",
    "Expect",
    "FormulaOf",
    "GradeBand",
    "IndicatorRule",
    "Patterns",
    "PatternsOf",
    "Positions",
    "Qualitative",
    "Quantitative",
    "Rounding",
    "RuleFile",
    "RuleTest",
    "ScoreBand",
    "Source",
    "Structure",
    "TargetTables",
    "UnitNames",
    "Weights",
    "check_coverage",
    "compiled_keys",
    "rules_json_schema",
    "shown_key",
]


class FormulaOf:
    """Marks a key as a formula over ``names``: ``Annotated[str, FormulaOf("actual", "target")]``
    (``str | None`` for a formula that may be left out)."""

    __slots__ = ("names",)

    def __init__(self, *names: str) -> None:
        self.names = frozenset(names)


class PatternsOf:
    """Marks a key as regular expressions, any of which matches: compiled into one pattern, or
    ``None`` when the list is empty.  A single expression (``str``) is one pattern."""

    __slots__ = ()


#: A list of regular expressions compiled into one pattern when the rule set is loaded.
Patterns = Annotated[tuple[str, ...], PatternsOf()]
#: Where each key of a rule file is, by its path of keys: (file, line, column).
Positions = dict[tuple[str, ...], tuple[str, int, int]]
_ACHIEVEMENT = FormulaOf("actual", "target")
# The names an indicator rule's formulas may use.
_RULE_NAMES = FormulaOf("weight", "actual", "target", "achievement")


class _Strict(BaseModel):
    # Schemas are built on first validation, not at import: a command that loads no rule file
    # (``perfscore schema form``) never pays for them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Strict):
    """A document a rule set cites."""

    id: str
    title: str
    url: str | None = None
    note: str | None = None


class Weights(_Strict):
    """First-level weights and the execution weight; together they add up to ``total``."""

    total: Annotated[Decimal, in_range("weights.total")] = Decimal(100)
    execution: Annotated[Decimal, in_range("weights.execution")] = Decimal(10)
    level1: dict[str, Annotated[Decimal, in_range("weights.level1.*")]] = Field(
        default_factory=dict
    )
    source: str | None = None


class Execution(_Strict):
    """Budget execution (预算执行率): the rate's rounding, the score formula, and the rate
    below which the form must explain itself."""

    rate_places: Annotated[int, in_range("execution.rate_places")] = 4
    score: Annotated[str, FormulaOf("weight", "rate")] = "weight * min(rate, 1)"
    low_threshold: Annotated[Decimal, in_range("execution.low_threshold")] = Decimal("0.9")
    source: str | None = None


class Quantitative(_Strict):
    """Achievement of a missed quantitative target, by direction, and the score."""

    higher: Annotated[str, _ACHIEVEMENT] = "actual / target"
    lower: Annotated[str, _ACHIEVEMENT] = "target / actual"
    equal: Annotated[str, _ACHIEVEMENT] = "min(actual, target) / max(actual, target)"
    score: Annotated[str, FormulaOf("weight", "achievement")] = "weight * min(achievement, 1)"
    # A date target completed late: achievement over days counted from the start of the year
    # (allowed: to the deadline, taken: to the completion, late: days past the deadline).
    deadline: Annotated[str, FormulaOf("allowed", "taken", "late")] = "0"
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

    score: Annotated[str, FormulaOf("weight", "completion")] = "weight * min(completion, 1)"
    bands: tuple[Band, ...] = ()
    # The share of the weight each completion word earns: from 0 (none) to 1 (full).
    words: dict[
        Literal["full", "basic", "partial", "none"],
        Annotated[Decimal, in_range("qualitative.words.*")],
    ] = Field(default_factory=dict)
    # Grade and verdict words printed as a completion (好, 基本满意, 通过验收) and their band.
    verdicts: dict[str, Literal["full", "basic", "partial", "none"]] = Field(default_factory=dict)
    source: str | None = None


class Rounding(_Strict):
    """How printed scores are rounded: places and mode (四舍五入 is ``half_up``)."""

    places: Annotated[int, in_range("rounding.places")] = 2
    mode: Literal["half_up", "half_even", "down", "up"] = "half_up"


class DirectionHints(_Strict):
    """Name patterns (regular expressions) for targets printed without a comparator."""

    lower: Patterns = ()
    # A money target (元, 万元) is a limit when its name or its second-level group matches.
    money_lower: Patterns = ()
    money_lower_groups: Patterns = ()
    source: str | None = None


class Structure(_Strict):
    """Which second-level groups (二级指标) belong under which first-level block, and which
    a project form must have; the labels local templates print for them (``synonyms``: printed
    label → the rule set's name) and the blocks they may also stand under (``placements``:
    block → groups, such as 满意度 under 效益指标 in older templates)."""

    level1: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    required: tuple[str, ...] = ()
    synonyms: dict[str, str] = Field(default_factory=dict)
    placements: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    source: str | None = None


class UnitNames(_Strict):
    """Name patterns (regular expressions) that say what an indicator measures."""

    percent: Patterns = ()
    count: Patterns = ()
    time: Patterns = ()


class TargetTables(_Strict):
    """Checks of target tables (绩效目标表): the spending plan's expected pace."""

    mid_year: str = "6月底"
    mid_year_share: Annotated[Decimal, in_range("targets.mid_year_share")] = Decimal("0.5")
    source: str | None = None


class ScoreBand(_Strict):
    """One row of a score table: values in [low, high) (edges as declared) score ``points``
    (absolute) or ``share`` of the weight.  ``low``/``high`` left out are unbounded."""

    low: Decimal | None = None
    high: Decimal | None = None
    include_low: bool = True
    include_high: bool = False
    points: Annotated[Decimal, in_range("indicator_rules.*.bands.*.points")] | None = None
    share: Annotated[Decimal, in_range("indicator_rules.*.bands.*.share")] | None = None

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
    match: Annotated[str, PatternsOf()]
    source: str | None = None
    direction: Direction | None = None
    unit: str | None = None
    score: Annotated[str | None, _RULE_NAMES] = None
    measure: Annotated[str, _RULE_NAMES] = "actual"
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
    low: Annotated[Decimal, in_range("grades.*.low")]


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

    @field_validator("flags", "no_flags")
    @classmethod
    def _known_codes(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        # A retired or misspelt code would make a no_flags case pass whatever happens.
        for code in value or ():
            if code not in CATALOGUE:
                raise ValueError(f"unknown flag code {code!r}{did_you_mean(code, CATALOGUE)}")
        return value


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
    # Points: a printed score this close to the recomputed one is no mismatch.
    tolerance: Annotated[Decimal, in_range("tolerance")] = Decimal("0.01")
    direction_hints: DirectionHints = DirectionHints()
    unit_names: UnitNames = UnitNames()
    structure: Structure = Structure()
    # A factor beyond the target (2: twice the target); null turns the check off.
    over_achievement: Annotated[Decimal, in_range("over_achievement")] | None = Decimal(2)
    # A count target beaten by fewer than this many (≥1次 completed 3) is never flagged.
    over_achievement_margin: Annotated[Decimal, in_range("over_achievement_margin")] = Decimal(0)
    indicator_rules: tuple[IndicatorRule, ...] = ()
    # Units of the rule set's own, in pint's definition syntax (担 = 50 kg).
    units: tuple[str, ...] = ()
    targets: TargetTables = TargetTables()
    grades: tuple[GradeBand, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict)
    # Review opinions by flag code, over the defaults (words/opinions.py), key by key.
    # (``null`` for a code: back to the default wording, whatever a parent said.)
    opinions: dict[FlagCode, OpinionText | None] = Field(
        default_factory=dict, json_schema_extra={"propertyNames": {"enum": list(CATALOGUE)}}
    )
    tests: tuple[RuleTest, ...] = ()

    @field_validator("severity")
    @classmethod
    def _known_codes(cls, value: dict[str, Severity]) -> dict[str, Severity]:
        for code in value:
            if code not in CATALOGUE:
                raise ValueError(f"unknown flag code {code!r}{did_you_mean(code, CATALOGUE)}")
        return value


def compiled_keys(
    model: BaseModel, where: str = ""
) -> Iterator[tuple[str, FormulaOf | PatternsOf, Any]]:
    """Every key marked :class:`FormulaOf` or :class:`PatternsOf` in a validated file, with its
    path (``quantitative.higher``, ``indicator_rules.0.score``) and value, in the file's order."""
    for name, info in type(model).model_fields.items():
        path = f"{where}{name}"
        value = getattr(model, name)
        for mark in info.metadata:
            if isinstance(mark, FormulaOf | PatternsOf):
                yield path, mark, value
        items = value if isinstance(value, tuple) else (value,)
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                inner = f"{path}.{i}." if isinstance(value, tuple) else f"{path}."
                yield from compiled_keys(item, inner)


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


def shown_key(key: str | Sequence[str | int], data: Any) -> str:
    """A key of a rule file as a finding names it: a list item by its own ``name`` (or ``id``)
    where it has one, else by its position — ``indicator_rules[时效].score``, not
    ``indicator_rules.0.score``.  ``data`` is the file, as a mapping or a validated model."""
    parts = key.split(".") if isinstance(key, str) else [str(part) for part in key]
    shown, node = "", data
    for part in parts:
        if isinstance(node, list | tuple) and part.isdigit():
            node = node[int(part)] if int(part) < len(node) else None
            name = _member(node, "name") or _member(node, "id")
            shown += f"[{name}]" if isinstance(name, str) and name else f"[{part}]"
        else:
            shown += f".{part}" if shown else part
            node = _member(node, part)
    return shown


def _member(node: Any, name: str) -> Any:
    if isinstance(node, dict):
        return node.get(name)
    return getattr(node, name, None) if isinstance(node, BaseModel) else None


def rules_json_schema() -> dict[str, Any]:
    """The JSON Schema of rule files (``perfscore schema rules``, ``schemas/``).

    In a mapping of names one level down (``weights.level1``, ``structure.level1``) ``null``
    removes a name the parent set (see ``loading._merge``); the model validates the merged
    file, where those nulls are gone, so the schema an editor checks single files with allows
    them here.
    """
    schema = RuleFile.model_json_schema(by_alias=True)
    for definition in [schema, *schema.get("$defs", {}).values()]:
        for prop in definition.get("properties", {}).values():
            values = prop.get("additionalProperties")
            if isinstance(values, dict):
                prop["additionalProperties"] = {"anyOf": [_ranged(values), {"type": "null"}]}
            else:
                _ranged(prop)
    return schema


def _ranged(prop: dict[str, Any]) -> dict[str, Any]:
    """A setting with a range (``ranges.RANGES``, bounds in its number branch) is a number: the
    text branch pydantic allows a Decimal would let ``"-1"`` past the bounds."""
    branches = prop.get("anyOf")
    if isinstance(branches, list) and any(
        {"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"} & set(b) for b in branches
    ):
        prop["anyOf"] = [b for b in branches if b.get("type") != "string"]
    return prop
