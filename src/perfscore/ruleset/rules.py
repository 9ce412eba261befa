"""Rule sets: a scoring convention as a reviewed YAML file, validated and compiled once.

A rule set says how much budget execution is worth, how a missed quantitative target is scored
(``actual / target`` for ≥ targets, ``target / actual`` for ≤ targets), the qualitative bands,
rounding, tolerance, the treatment of not-applicable indicators and which indicator names read
as "lower is better".  The file's shape is :mod:`perfscore.ruleset.rulefile`; its formulas are
compiled by :mod:`perfscore.ruleset.expressions` when the rule set is loaded, never at scoring time.

:func:`load_rules` takes the name of a shipped rule set (``rules/``; ``national-2020`` is the
default) or an explicit path (a :class:`~pathlib.Path`, or text ending in ``.yaml``/``.yml`` or
containing a ``/``).  A bare name never reads the working directory.  A loaded rule set is
immutable and safe to share between threads; loading again after the file changed reads it again.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from perfscore.errors import RuleSetError
from perfscore.memo import Memo
from perfscore.ruleset.expressions import Formula
from perfscore.ruleset.rulefile import Band, RuleFile, Weights, check_coverage
from perfscore.suggest import did_you_mean
from perfscore.text.units import Unit, UnknownUnitError, local_units, resolve
from perfscore.text.values import plain
from perfscore.words.flags import CATALOGUE, Severity
from perfscore.yamlfile import read_yaml

__all__ = [
    "DEFAULT_RULES",
    "CompiledIndicatorRule",
    "RuleSet",
    "group_key",
    "list_rules",
    "load_rules",
]

DEFAULT_RULES = "national-2020"
MAX_RULE_BYTES = 256 * 1024
# How many loaded rule sets are kept (by file); a program cycling through more reloads them.
MAX_LOADED = 64
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

_ROUNDING_MODES = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_UP,
}


@dataclass(frozen=True)
class CompiledIndicatorRule:
    """An :class:`~perfscore.ruleset.rulefile.IndicatorRule`, pattern and formulas compiled."""

    spec: Any  # rulefile.IndicatorRule
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


_RULE_NAMES = frozenset({"weight", "actual", "target", "achievement"})


@dataclass(frozen=True)
class RuleSet:
    """A loaded, validated and compiled rule set.

    Immutable and safe to share between threads: formulas take their inputs per call, and the
    only thing that changes is :attr:`memo`, bounded tables of answers keyed by their complete
    input.
    """

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
    deadline: Formula
    money_lower_hint: re.Pattern[str] | None
    money_lower_group: re.Pattern[str] | None
    local_units: Mapping[str, Unit]
    quantum: Decimal
    rounding_mode: str
    memo: Memo = field(default_factory=Memo, compare=False, hash=False, repr=False)

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
        table = self.memo.table("measures")
        found = table.get(name)
        if found is None:
            found = table.put(
                name,
                next((dim for dim, p in self.unit_name.items() if p.search(name)), ""),
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

    def level1_of(self, level2: str | None) -> str | None:
        """The first-level block a second-level group belongs to, or ``None`` if unknown."""
        table = self.memo.table("level1_of")
        found = table.get(level2)
        if found is None:
            key = group_key(level2)
            found = table.put(
                level2,
                next(
                    (
                        level1
                        for level1, groups in self.spec.structure.level1.items()
                        if key and any(group_key(g) == key for g in groups)
                    ),
                    "",
                ),
            )
        return found or None

    def level1_key(self, label: str | None) -> str | None:
        """The rule set's name for a printed first-level label (``产出指标 (50分)`` → 产出指标)."""
        table = self.memo.table("level1_key")
        found = table.get(label)
        if found is None:
            key = group_key(label)
            names = list(self.spec.structure.level1) or [
                part for name in self.spec.weights.level1 for part in name.split("+")
            ]
            found = table.put(
                label,
                next((name for name in names if group_key(name) in key), "") if key else "",
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


def group_key(label: str | None) -> str:
    """产出指标 (50分) → 产出; 服务对象满意度指标 → 服务对象满意度."""
    if not label:
        return ""
    text = re.split(r"[(（]", "".join(label.split()))[0]
    return text.removesuffix("指标")


Positions = dict[tuple[str, ...], tuple[str, int, int]]


def _compile(spec: RuleFile, source_file: str | None, positions: Positions) -> RuleSet:
    def locate(where: str) -> tuple[str, int | None, int | None]:
        path = tuple(where.split("."))
        return next(
            (positions[path[:i]] for i in range(len(path), 0, -1) if path[:i] in positions),
            (source_file or "", None, None),
        )

    def fail(message: str, where: str, expected: str | None = None) -> RuleSetError:
        file, line, column = locate(where)
        return RuleSetError(
            message, source=file or None, path=where, line=line, column=column, expected=expected
        )

    def formula(text: str, names: frozenset[str] | set[str], where: str) -> Formula:
        file, line, _ = locate(where)
        origin = f"{file}:{line} {where}" if file and line else where
        try:
            return Formula.compile(text, frozenset(names), where, origin=origin)
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

    local: dict[str, Unit] = {}
    if spec.units:
        try:
            local = local_units(spec.units)
        except ValueError as exc:
            raise fail(f"unit definition: {exc}", "units") from None

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
        deadline=formula(quant.deadline, {"allowed", "taken", "late"}, "quantitative.deadline"),
        money_lower_hint=pattern(spec.direction_hints.money_lower, "direction_hints.money_lower"),
        money_lower_group=pattern(
            spec.direction_hints.money_lower_groups, "direction_hints.money_lower_groups"
        ),
        local_units=local,
    )


# --------------------------------------------------------------------------------------------
# Finding and reading rule files


@cache
def shipped_dir() -> Path:
    """Where the shipped rule sets are: beside the installed package, or ``rules/`` at the top
    of a source checkout."""
    here = Path(__file__).resolve().parents[1]  # the perfscore package
    packaged = here / "rules"
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "rules"


def list_rules() -> list[str]:
    """Names of the shipped rule sets."""
    return sorted(p.stem for p in shipped_dir().glob("*.yaml"))


def _is_path(text: str) -> bool:
    """Text that names a file rather than a shipped rule set."""
    return text.endswith((".yaml", ".yml")) or "/" in text or os.sep in text


def _shipped(name: str, **where: Any) -> Path:
    path = shipped_dir() / f"{name}.yaml"
    if _NAME.fullmatch(name) and path.is_file():
        return path
    raise RuleSetError(
        f"no shipped rule set named {name!r}{did_you_mean(name, list_rules())}"
        + ("; a rule file is named by its path, e.g. ./my-rules.yaml" if "." not in name else ""),
        expected=", ".join(list_rules()),
        **where,
    )


def _locate(name_or_path: str | Path) -> Path:
    """The file behind a shipped name or an explicit path; the working directory is read only
    for an explicit relative path."""
    if isinstance(name_or_path, Path) or _is_path(name_or_path):
        return Path(name_or_path)
    return _shipped(name_or_path)


def _extended(parent: str, child: Path, positions: Positions) -> Path:
    """The file an ``extends:`` names: a shipped rule set, or a ``.yaml`` file in the child's
    own folder (or below it)."""
    file, line, column = positions.get(("extends",), (str(child), None, None))
    where: dict[str, Any] = {"source": file, "path": "extends", "line": line, "column": column}
    if not _is_path(parent):
        return _shipped(parent, **where)
    folder = child.resolve().parent
    path = (folder / parent).resolve()
    if path.suffix not in {".yaml", ".yml"} or not path.is_relative_to(folder):
        raise RuleSetError(
            f"extends {parent!r} is outside the rule file's folder",
            expected="a shipped rule set's name or a .yaml file beside the rule file",
            **where,
        )
    return path


def _read_yaml(path: Path) -> tuple[dict[str, Any], Positions]:
    """A rule file's data and the position of every key: a regular file of bounded size, YAML
    1.2 scalars, no aliases, no duplicate keys (see :mod:`perfscore.yamlfile`)."""
    source = str(path)
    document = read_yaml(path, error=RuleSetError, max_bytes=MAX_RULE_BYTES)
    if not isinstance(document.data, dict):
        raise RuleSetError("a rule file is a mapping", source=source, line=1, column=1)
    positions: Positions = {
        tuple(str(part) for part in key): (source, line, column)
        for key, (line, column) in document.positions.items()
    }
    return document.data, positions


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


_Stamp = tuple[str, int, int, int]  # a file's path, inode, modification time and size


def _stamp(path: str) -> _Stamp:
    try:
        info = os.stat(path)
    except OSError:
        return (path, -1, -1, -1)
    return (path, info.st_ino, info.st_mtime_ns, info.st_size)


def _resolve(
    path: Path, seen: tuple[str, ...], chain: list[_Stamp]
) -> tuple[dict[str, Any], Positions]:
    """Read a rule file and the files it extends, merged; ``chain`` collects each file's stamp
    so a later load can tell whether any of them changed."""
    key = str(path.resolve())
    if key in seen:
        cycle = " → ".join(Path(p).name for p in (*seen, key))
        raise RuleSetError(f"rule sets extend each other in a cycle: {cycle}", source=str(path))
    chain.append(_stamp(key))
    data, positions = _read_yaml(path)
    parent = data.get("extends")
    if parent:
        parent_path = _extended(str(parent), path, positions)
        base, base_positions = _resolve(parent_path, (*seen, key), chain)
        base = {k: v for k, v in base.items() if k not in {"name", "title", "$schema", "tests"}}
        data = _merge(base, data)
        positions = {**base_positions, **positions}
    return data, positions


def _load(path: Path) -> tuple[RuleSet, tuple[_Stamp, ...]]:
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
        more = f" ({exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise RuleSetError(
            message + more, source=file, path=".".join(loc), line=line, column=column
        ) from None
    return _compile(spec, str(path), positions), tuple(chain)


def _suggest_key(loc: tuple[str, ...]) -> str:
    """A did-you-mean for a misspelt key, looked up in the model the key sits in."""
    model: type[BaseModel] = RuleFile
    for part in loc[:-1]:
        if part.isdigit():
            continue
        found = model.model_fields.get(part)
        if found is None:
            break
        inner = found.annotation
        for candidate in getattr(inner, "__args__", ()) or (inner,):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                model = candidate
                break
    return did_you_mean(loc[-1], [f.alias or name for name, f in model.model_fields.items()])


class _Loaded:
    """Rule sets loaded so far, by resolved file, each with the stamps of the files it was
    read from: a changed file is read again, and at most ``MAX_LOADED`` are kept."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[RuleSet, tuple[_Stamp, ...]]] = {}
        self._lock = threading.Lock()

    def get(self, path: Path) -> RuleSet:
        key = str(path.resolve())
        entry = self._entries.get(key)
        if entry is not None and all(_stamp(s[0]) == s for s in entry[1]):
            return entry[0]
        with self._lock:  # one thread reads a file; the others wait for its rule set
            entry = self._entries.get(key)
            if entry is None or not all(_stamp(s[0]) == s for s in entry[1]):
                entry = _load(Path(key))
                self._entries.pop(key, None)
                if len(self._entries) >= MAX_LOADED:
                    self._entries.pop(next(iter(self._entries)))
                self._entries[key] = entry
        return entry[0]


_LOADED = _Loaded()


def load_rules(name_or_path: str | Path | RuleSet = DEFAULT_RULES) -> RuleSet:
    """Load a shipped rule set by name (``"national-2020"``) or a rule file by path.

    A name is looked up among the shipped rule sets only; a file is named by its path
    (``Path("my.yaml")``, ``"./my.yaml"``, ``"rules/my.yaml"``).  The same file returns the same
    compiled object until the file (or one it extends) changes.

    :raises RuleSetError: naming the file, the key, the line and column that are wrong.
    """
    if isinstance(name_or_path, RuleSet):
        return name_or_path
    return _LOADED.get(_locate(name_or_path))
