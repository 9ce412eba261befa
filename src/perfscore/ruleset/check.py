"""Checking rule sets before they score a form: load errors, property checks and own tests.

The commands ``perfscore rules check`` (:func:`print_checks`) and ``rules test``
(:func:`print_tests`) print what these find.

``perfscore rules check`` runs :func:`check_file` on each file: the file must load (schema,
expressions, units, bands, weights, inheritance — see :mod:`perfscore.ruleset.rules`), and its
formulas must behave over generated inputs: scores within [0, weight], never falling as achievement
rises, full marks when the target is met.  ``perfscore rules test`` runs :func:`run_tests`: the
cases a rule set carries, each a form fragment and the scores its sources give.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from perfscore.engine.pipeline import evaluate
from perfscore.errors import PerfscoreError
from perfscore.readers import form_files
from perfscore.ruleset.expressions import Formula
from perfscore.ruleset.loading import problems_and_rest
from perfscore.ruleset.opinions import wrong_language
from perfscore.ruleset.rulefile import RuleTest
from perfscore.ruleset.rules import RuleSet, list_rules, load_rules, shipped_dir

__all__ = [
    "Finding",
    "TestOutcome",
    "check_file",
    "print_checks",
    "print_tests",
    "run_tests",
    "shown_path",
]

_WEIGHTS = (Decimal(1), Decimal(5), Decimal(10), Decimal(100))
# Achievement, completion and rate from 0 to 150% in steps of 2.5 points.
_GRID = tuple(Decimal(i) / 40 for i in range(61))


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in a rule file, with where it is."""

    file: str
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "file": self.file,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }

    def text(self) -> str:
        """``file:line:column: path: message (expected …)`` — the shape compilers print, which
        editors and terminals turn into links."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.path + ': ' if self.path else ''}{self.message}"

    def github(self, root: str | Path | None = None) -> str:
        """A GitHub Actions workflow command that annotates the line: the file relative to
        ``root`` (the repository checkout, ``$GITHUB_WORKSPACE``; the working directory by
        default), as the annotation needs to land on the file."""
        place = f"file={_escape(_relative_to(self.file, root), in_property=True)}"
        if self.line is not None:
            place += f",line={self.line}"
        if self.column is not None:
            place += f",col={self.column}"
        message = f"{self.path + ': ' if self.path else ''}{self.message}"
        return f"::error {place}::{_escape(message)}"


def _escape(text: str, in_property: bool = False) -> str:
    """Workflow-command escaping: ``%``, CR and LF everywhere, ``:`` and ``,`` in properties."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if in_property else text


def _relative_to(path: str, root: str | Path | None) -> str:
    """``path`` relative to ``root`` with ``/`` separators, or as it is when outside ``root``."""
    base = Path(root) if root is not None else Path.cwd()
    try:
        return Path(path).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path


def shown_path(path: str | Path, given: str | Path | None = None) -> str:
    """A file as a finding names it: as the user typed it (``given``) when it is that file,
    otherwise relative to the working directory when inside it (a file an ``extends:``
    reached), otherwise as it is."""
    if given is not None and Path(path).resolve() == Path(given).resolve():
        return str(given)
    relative = os.path.relpath(Path(path).resolve(), Path.cwd())
    return str(path) if relative.startswith("..") else relative


def check_file(path: str | Path) -> list[Finding]:
    """Load ``path`` and run the property checks; every problem is a :class:`Finding` at its
    file, line and column, naming the file as ``path`` names it.  One mistake is one finding:
    every key the loader refuses once, and each formula or table whose scores misbehave once,
    at the key's line (a rule by its own name: ``indicator_rules[时效].score``)."""
    refused, rest = problems_and_rest(path)
    rules = load_rules(Path(path)) if not refused else rest
    findings: dict[str, Finding] = {}
    if rules is not None:
        for key, message in _properties(rules):
            if key not in findings:
                findings[key] = _finding(_located(rules, key, message, Path(path)), path)
    # A refused key and a property of the default set in its place are one mistake.
    told = {finding.path for finding in (_finding(exc, path) for exc in refused)}
    kept = [f for f in findings.values() if f.path not in told]
    return sorted([*(_finding(exc, path) for exc in refused), *kept], key=_place)


def _located(rules: RuleSet, key: str, message: str, path: Path) -> PerfscoreError:
    """A property finding at its key's line; one the checked file inherits from a shipped set
    at the file's own ``extends:`` (the shipped sets pass on their own: the file's override
    broke them), never in the installed file."""
    file, line, column = rules.locate(key)
    shown = rules.shown_key(key)
    shipped = shipped_dir().resolve()
    inherited = line is None or (file and Path(file).resolve().parent == shipped)
    if inherited and path.resolve().parent != shipped and rules.locate("extends")[1]:
        # A default or a shipped set's key: the file's own `extends:` brought it in.
        message = f"{Path(file).stem if file else rules.name} {shown}: {message}"
        (file, line, column), shown = rules.locate("extends"), "extends"
    return PerfscoreError(message, source=file, path=shown, line=line, column=column)


def _place(finding: Finding) -> tuple[str, int, int]:
    return (finding.file, finding.line or 0, finding.column or 0)


def _finding(exc: PerfscoreError, path: str | Path) -> Finding:
    """A load error or a property finding as a :class:`Finding`; one in another file than the
    one checked (a file it extends) says which file reached it."""
    message = exc.message + (f" (expected {exc.expected})" if exc.expected else "")
    source = shown_path(exc.source, path) if exc.source else str(path)
    if source != str(path):
        message += f" (reached through extends from {path})"
    # A problem of the file as a whole (too large, not UTF-8) is told at its start: every
    # finding has a line and column for editors and annotations to land on.
    line, column = (exc.line, exc.column or 1) if exc.line is not None else (1, 1)
    return Finding(source, message, exc.path, line, column)


def _properties(rules: RuleSet) -> Iterator[tuple[str, str]]:
    """Scores within [0, weight], monotone in achievement, full marks when met."""
    yield from _score_curve("execution.score", lambda w, x: rules.execution_score(weight=w, rate=x))
    yield from _score_curve(
        "quantitative.score", lambda w, x: rules.quantitative_score(weight=w, achievement=x)
    )
    yield from _score_curve(
        "qualitative.score", lambda w, x: rules.qualitative_score(weight=w, completion=x)
    )
    yield from _achievement("quantitative.higher", rules.higher, lower_is_better=False)
    yield from _achievement("quantitative.lower", rules.lower, lower_is_better=True)
    yield from wrong_language(rules.spec.opinions)
    for i, rule in enumerate(rules.indicator_rules):
        where = f"indicator_rules.{i}.{'score' if rule.spec.score is not None else 'bands'}"
        direction = rule.spec.direction
        points = [b.points for b in rule.spec.bands if b.points is not None]
        weights = (max(points),) if points else _WEIGHTS
        for weight in weights:
            scores = [
                rule.points(weight, actual=x, target=Decimal(1), achievement=min(x, Decimal(1)))[0]
                for x in _GRID
            ]
            yield from _bounded(where, weight, scores)
            if direction in ("higher", "lower"):
                ordered = scores if direction == "higher" else scores[::-1]
                if any(b < a for a, b in itertools.pairwise(ordered)):
                    worse = "rises" if direction == "lower" else "falls"
                    yield where, f"the score {worse} as the actual improves"
                    break
            at_target = rule.points(
                weight, actual=Decimal(1), target=Decimal(1), achievement=Decimal(1)
            )[0]
            if not points and at_target != weight:
                yield where, f"meeting a 100% target scores {at_target}, not {weight}"
                break


def _bounded(where: str, weight: Decimal, scores: list[Decimal]) -> Iterator[tuple[str, str]]:
    low, high = min(scores), max(scores)
    if low < 0 or high > weight:
        yield where, f"scores leave [0, {weight}] (from {low} to {high})"


def _score_curve(
    where: str, score: Callable[[Decimal, Decimal], Decimal]
) -> Iterator[tuple[str, str]]:
    for weight in _WEIGHTS:
        try:
            scores = [score(weight, x) for x in _GRID]
        except (ArithmeticError, TypeError, ValueError) as exc:
            yield where, f"fails at ordinary inputs: {exc}"
            return
        problems = list(_bounded(where, weight, scores))
        if problems:
            yield from problems
            return
        if any(b < a for a, b in itertools.pairwise(scores)):
            yield where, "the score falls as achievement rises"
            return
        full = score(weight, Decimal(1))
        if full != weight:
            yield where, f"full achievement scores {full} of {weight}, not full marks"
            return


def _achievement(where: str, formula: Formula, lower_is_better: bool) -> Iterator[tuple[str, str]]:
    """A missed target's achievement lies in [0, 1] and falls as the miss grows."""
    target = Decimal(1)
    misses = [x for x in _GRID if (x > target if lower_is_better else x < target)]
    values = []
    for actual in misses:
        try:
            values.append(formula(actual=actual, target=target))
        except (ArithmeticError, TypeError, ValueError) as exc:
            yield where, f"fails for actual {actual}, target {target}: {exc}"
            return
    if any(v < 0 or v > 1 for v in values):
        yield where, "achievement of a missed target leaves [0, 1]"
    ordered = values[::-1] if lower_is_better else values
    if any(b < a for a, b in itertools.pairwise(ordered)):
        yield where, "achievement rises as the miss grows"


@dataclass(frozen=True, slots=True)
class TestOutcome:
    """The result of one rule-set test case."""

    rules: str
    name: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the case scored as expected."""
        return not self.problems


def run_tests(rules: RuleSet) -> list[TestOutcome]:
    """Score each test case the rule set carries and compare with what it expects."""
    return [
        TestOutcome(rules.name, case.name, tuple(_run(rules, case))) for case in rules.spec.tests
    ]


def _same(got: Decimal | None, want: Decimal | None) -> bool:
    return got is not None and want is not None and got == want


def _run(rules: RuleSet, case: RuleTest) -> Iterator[str]:
    try:
        result = evaluate(case.form, rules, lang="en")
    except PerfscoreError as exc:
        yield f"the form does not load: {exc}"
        return
    want = case.expect
    if want.total is not None and not _same(result.total, want.total):
        yield f"total {result.total}, expected {want.total}"
    if want.grade is not None and result.grade != want.grade:
        yield f"grade {result.grade}, expected {want.grade}"
    rate = result.execution.rate if result.execution else None
    if want.execution_rate is not None and not _same(rate, want.execution_rate):
        yield f"execution rate {rate}, expected {want.execution_rate}"
    score = result.execution.score if result.execution else None
    if want.execution_score is not None and not _same(score, want.execution_score):
        yield f"execution score {score}, expected {want.execution_score}"
    if want.scores is not None:
        got_scores = [r.score for r in result.indicators]
        if len(got_scores) != len(want.scores) or any(
            not (g == w if g is not None and w is not None else g is w)
            for g, w in zip(got_scores, want.scores, strict=False)
        ):
            yield f"scores {[str(s) for s in got_scores]}, expected {[str(s) for s in want.scores]}"
    if want.statuses is not None:
        got_statuses = [r.status for r in result.indicators]
        if got_statuses != list(want.statuses):
            yield f"statuses {got_statuses}, expected {list(want.statuses)}"
    codes = {f.code for f in result.flags}
    for code in want.flags or ():
        if code not in codes:
            yield f"flag {code} expected, not raised"
    for code in want.no_flags or ():
        if code in codes:
            yield f"flag {code} raised, not expected"


def print_checks(paths: Sequence[str], fmt: str, stdout: TextIO, stderr: TextIO) -> int:
    """``perfscore rules check``: the findings of every file (``text``, ``json`` or ``github``
    annotations) on ``stdout``, a count on ``stderr``; 1 when anything was found."""
    # Like `rules test`: no path means the shipped sets, and a shipped set's name names it.
    shipped = set(list_rules())
    if not paths:
        paths = [shown_path(shipped_dir() / f"{name}.yaml") for name in sorted(shipped)]
    else:
        paths = [
            shown_path(shipped_dir() / f"{p}.yaml") if p in shipped and not Path(p).exists() else p
            for p in paths
        ]
    files, notes = form_files(paths, {".yaml", ".yml"}, forms_only=False)
    for note in notes:
        print(f"perfscore: {note}", file=stderr)
    findings = [finding for path in files for finding in check_file(path)]
    if fmt == "json":
        json.dump([f.to_dict() for f in findings], stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
    else:
        # Annotations land on files named relative to the repository's checkout.
        root = os.environ.get("GITHUB_WORKSPACE") or None
        for finding in findings:
            print(finding.github(root) if fmt == "github" else finding.text(), file=stdout)
    print(
        f"{len(files)} rule file{'s' * (len(files) != 1)} checked, "
        f"{len(findings)} finding{'s' * (len(findings) != 1)}",
        file=stderr,
    )
    return 1 if findings else 0


def print_tests(names: Sequence[str], stdout: TextIO) -> int:
    """``perfscore rules test``: PASS or FAIL for each case of the named (or every shipped) rule
    set, the problems under a failure; 1 when any failed."""
    passed = failed = 0
    for name in names or list_rules():
        for outcome in run_tests(load_rules(name)):
            if outcome.ok:
                passed += 1
                print(f"PASS  {outcome.rules}: {outcome.name}", file=stdout)
            else:
                failed += 1
                print(f"FAIL  {outcome.rules}: {outcome.name}", file=stdout)
                for problem in outcome.problems:
                    print(f"      {problem}", file=stdout)
    print(f"{passed} passed, {failed} failed", file=stdout)
    return 1 if failed else 0
