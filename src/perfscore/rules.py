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
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from simpleeval import SimpleEval

from perfscore.errors import RuleSetError
from perfscore.flags import CATALOGUE, Severity

__all__ = ["Formula", "RuleSet", "list_rules", "load_rules"]

DEFAULT_RULES = "national-2020"
MAX_EXPRESSION_LENGTH = 300
MAX_CONSTANT = Decimal(1_000_000)
MAX_RULE_BYTES = 256 * 1024

_FUNCTIONS: dict[str, Any] = {"min": min, "max": max, "abs": abs}
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


@dataclass(frozen=True)
class Formula:
    """A compiled rule expression: ``weight * min(rate, 1)``.

    Built once per rule set; :meth:`__call__` evaluates it with Decimal arguments.
    """

    text: str
    names: frozenset[str]
    _tree: ast.expr
    _evaluator: SimpleEval

    @classmethod
    def compile(cls, text: str, names: frozenset[str], where: str) -> Formula:
        """Parse and check ``text``; only ``names`` and ``min``/``max``/``abs`` are allowed.

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
        for node in ast.walk(tree):
            if not isinstance(node, _ALLOWED_NODES):
                raise RuleSetError(
                    f"{type(node).__name__} is not allowed in an expression ({text!r})",
                    path=where,
                    expected="arithmetic, comparisons, min/max/abs and the declared names",
                )
            if isinstance(node, ast.Call) and not (
                isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
            ):
                raise RuleSetError(f"only min, max and abs may be called ({text!r})", path=where)
            if isinstance(node, ast.Name) and node.id not in names and node.id not in _FUNCTIONS:
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
        return cls(text, names, tree.body, evaluator)

    def __call__(self, **values: Decimal) -> Decimal:
        """Evaluate with the given names bound."""
        self._evaluator.names = values
        result = self._evaluator.eval(self.text, previously_parsed=self._tree)
        return Decimal(result) if not isinstance(result, Decimal) else result


_ROUNDING_MODES = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_UP,
}

# --------------------------------------------------------------------------------------------
# The file format (pydantic models of the YAML)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    severity: dict[str, Severity] = Field(default_factory=dict)

    @field_validator("severity")
    @classmethod
    def _known_codes(cls, value: dict[str, Severity]) -> dict[str, Severity]:
        for code in value:
            if code not in CATALOGUE:
                close = difflib.get_close_matches(code, list(CATALOGUE), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ValueError(f"unknown flag code {code!r}{hint}")
        return value


# --------------------------------------------------------------------------------------------
# The compiled rule set


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
    lower_hint: re.Pattern[str] | None
    unit_name: dict[str, re.Pattern[str]]
    quantum: Decimal
    rounding_mode: str

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
        for dim, pattern in self.unit_name.items():
            if pattern.search(name):
                return dim
        return None

    def level1_of(self, level2: str | None) -> str | None:
        """The first-level block a second-level group belongs to, or ``None`` if unknown."""
        key = _group_key(level2)
        for level1, groups in self.spec.structure.level1.items():
            if key and any(_group_key(g) == key for g in groups):
                return level1
        return None

    def level1_key(self, label: str | None) -> str | None:
        """The rule set's name for a printed first-level label (``产出指标 (50分)`` → 产出指标)."""
        key = _group_key(label)
        if not key:
            return None
        names = list(self.spec.structure.level1) or list(self.spec.weights.level1)
        for name in names:
            if _group_key(name) in key:
                return name
        return None

    def band(self, completion: Decimal) -> Band | None:
        """The qualitative band holding ``completion`` (a fraction), or ``None``."""
        for band in self.spec.qualitative.bands:
            above = completion > band.low or (band.include_low and completion == band.low)
            below = completion < band.high or (band.include_high and completion == band.high)
            if above and below:
                return band
        return None


def _group_key(label: str | None) -> str:
    """产出指标 (50分) → 产出; 服务对象满意度指标 → 服务对象满意度."""
    if not label:
        return ""
    text = re.split(r"[(（]", "".join(label.split()))[0]
    return text.removesuffix("指标")


def _compile(spec: RuleFile, source_file: str | None) -> RuleSet:
    def formula(text: str, names: set[str], where: str) -> Formula:
        try:
            return Formula.compile(text, frozenset(names), where)
        except RuleSetError as exc:
            raise RuleSetError(
                exc.message, source=source_file, path=exc.path, expected=exc.expected
            ) from None

    total = spec.weights.execution + sum(spec.weights.level1.values(), Decimal(0))
    if spec.weights.level1 and total != spec.weights.total:
        raise RuleSetError(
            f"execution and first-level weights add up to {total}, not {spec.weights.total}",
            source=source_file,
            path="weights",
        )

    def pattern(items: tuple[str, ...], where: str) -> re.Pattern[str] | None:
        if not items:
            return None
        try:
            return re.compile("|".join(f"(?:{p})" for p in items))
        except re.error as exc:
            raise RuleSetError(f"invalid pattern: {exc}", source=source_file, path=where) from None

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
    packaged = resources.files("perfscore") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    # A source checkout: rules/ sits at the top of the repository.
    return Path(__file__).resolve().parents[2] / "rules"


def list_rules() -> list[str]:
    """Names of the shipped rule sets."""
    return sorted(p.stem for p in _shipped_dir().glob("*.yaml"))


class _LimitedLoader(yaml.SafeLoader):
    """Safe YAML that refuses aliases: rule files never need them, and they enable bombs."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases are not allowed in rule files", event.start_mark
            )
        return super().compose_node(parent, index)


def _read_yaml(path: Path) -> tuple[dict[str, Any], dict[tuple[str, ...], int]]:
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleSetError(f"cannot read the rule file: {exc.strerror}", source=source) from None
    if len(raw) > MAX_RULE_BYTES:
        raise RuleSetError(f"rule file larger than {MAX_RULE_BYTES} bytes", source=source)
    loader = _LimitedLoader(raw.decode("utf-8", errors="replace"))
    try:
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
        raise RuleSetError("a rule file is a mapping", source=source, line=1)
    lines: dict[tuple[str, ...], int] = {}

    def walk(n: yaml.Node, path: tuple[str, ...]) -> None:
        lines[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                lines[(*path, str(k.value))] = k.start_mark.line + 1
                walk(v, (*path, str(k.value)))

    if node is not None:
        walk(node, ())
    return data, lines


def _merge(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _resolve(
    name_or_path: str | Path, seen: tuple[str, ...]
) -> tuple[dict[str, Any], str, dict[tuple[str, ...], int]]:
    text = str(name_or_path)
    path = Path(text)
    if not (path.suffix in {".yaml", ".yml"} or path.exists()):
        path = _shipped_dir() / f"{text}.yaml"
        if not path.exists():
            close = difflib.get_close_matches(text, list_rules(), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise RuleSetError(
                f"no rule set named {text!r}{hint}", expected=", ".join(list_rules())
            )
    key = str(path.resolve())
    if key in seen:
        raise RuleSetError("rule sets extend each other in a cycle", source=str(path))
    data, lines = _read_yaml(path)
    parent = data.get("extends")
    if parent:
        base_data, _, _ = _resolve(str(parent), (*seen, key))
        base_data = {k: v for k, v in base_data.items() if k not in {"name", "title", "$schema"}}
        data = _merge(base_data, data)
    return data, str(path), lines


@lru_cache(maxsize=64)
def _load(key: str) -> RuleSet:
    data, source, lines = _resolve(key, ())
    try:
        spec = RuleFile.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(str(p) for p in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            fields = RuleFile.model_fields
            known: list[str] = [*list(fields), "$schema"]
            if len(loc) > 1 and loc[0] in fields:
                annotation = fields[loc[0]].annotation
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    known = list(annotation.model_fields)
            close = difflib.get_close_matches(loc[-1], known, n=1)
            message = f"unknown key {loc[-1]!r}" + (
                f"; did you mean {close[0]!r}?" if close else ""
            )
        line = next((lines[loc[:i]] for i in range(len(loc), 0, -1) if loc[:i] in lines), None)
        raise RuleSetError(message, source=source, path=".".join(loc), line=line) from None
    return _compile(spec, source)


def load_rules(name_or_path: str | Path | RuleSet = DEFAULT_RULES) -> RuleSet:
    """Load a shipped rule set by name (``"national-2020"``) or a rule file by path.

    Loaded rule sets are cached: the same name returns the same compiled object.

    :raises RuleSetError: naming the file, the key and the line that is wrong.
    """
    if isinstance(name_or_path, RuleSet):
        return name_or_path
    text = str(name_or_path)
    path = Path(text)
    key = str(path.resolve()) if path.suffix in {".yaml", ".yml"} or path.exists() else text
    return _load(key)
