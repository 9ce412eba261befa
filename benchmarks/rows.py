"""Row rates: indicators per second of ``perfscore.evaluate`` on fresh and on repeated rows, from
mappings and from ``Form`` objects, for this tree and — with ``--against REV`` — for an older
revision measured in the same run on the same inputs, beside zen-engine and the naive baseline.

    python benchmarks/run.py --rows                      # this tree only
    python benchmarks/run.py --rows --against [REV]      # and REV (default 319057d), new/old
    python benchmarks/run.py --rows --profile            # and where fresh-row time goes

Every pass runs in a new process (``benchmarks/rowpass.py``) with ``PYTHONPATH`` naming the
``src`` folder of the code measured, so nothing one pass computed is remembered by the next, and
an old revision is timed by the same script as the new one.  The inputs are written once to a
JSON file that every pass reads:

* **fresh**: forms from ``generate.forms(..., wide=True)`` — every row distinct, numbers drawn
  from wide ranges so that a cell text seldom repeats (what repeats is the closed vocabulary:
  grade words, ``0``, ``1``, ``无``, ``不适用``); each row is scored once, by a process that
  has scored only two warm-up forms with other texts.  This is the re-score after a rule change.
* **repeated**: a batch of 100 ordinary generated forms, scored once untimed and then cycled:
  every row is a memo hit.  This is the same forms scored again.

Old and new alternate within each round, one pass of each back to back per rate (the order
flipping every round), so that both see the same machine; each rate is given as the best and the
median over the rounds.  The new/old figure held against issue 19's targets (fresh ≥ 3×,
repeated ≥ 2×) is the median of the rounds' own ratios, which cancels a load that comes and
goes between rounds; the ratio of the bests is printed beside it.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

import generate
from baselines import decisions, naive_rate, zen_rate

import perfscore

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ROWPASS = HERE / "rowpass.py"
BEFORE = "319057d"  # main before the row pipeline of issue 19
RATES = {
    "fresh-mappings": "fresh rows, from mappings",
    "fresh-forms": "fresh rows, from Form objects",
    "repeated-mappings": "repeated rows, from mappings",
    "repeated-forms": "repeated rows, from Form objects",
}
TARGETS = {"fresh": 3.0, "repeated": 2.0}  # new/old, issue 19


@dataclass(frozen=True)
class Sizes:
    fresh: int  # forms scored once each per pass
    batch: int  # forms cycled for the repeated rows
    passes: int  # passes over the batch per round
    rounds: int


FULL = Sizes(fresh=2_000, batch=100, passes=20, rounds=5)
SMOKE = Sizes(fresh=6, batch=5, passes=2, rounds=1)


@dataclass(frozen=True)
class Side:
    """One code base measured: its column's label, what it is (a revision) and the ``src``
    folder its passes import."""

    label: str
    what: str
    src: Path


@dataclass
class Measured:
    """Per side and rate, the rate (rows/s) and collector share of each round."""

    rates: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    collector: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    full: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    zen: list[float] = field(default_factory=list)
    naive: list[float] = field(default_factory=list)

    def add(self, side: Side, rate: str, rows: int, seconds: float, in_gc: float) -> None:
        self.rates.setdefault(side.label, {}).setdefault(rate, []).append(rows / seconds)
        self.collector.setdefault(side.label, {}).setdefault(rate, []).append(in_gc / seconds)


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@contextmanager
def checkout(rev: str) -> Iterator[Side]:
    """A detached worktree of ``rev`` in a temporary folder, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="perfscore-before-"))
    tree = folder / "tree"
    git("worktree", "add", "--detach", "--quiet", str(tree), rev)
    try:
        yield Side("before", f"{rev} ({git('rev-parse', '--short', rev)})", tree / "src")
    finally:
        git("worktree", "remove", "--force", str(tree))
        shutil.rmtree(folder, ignore_errors=True)


def this_tree(label: str) -> Side:
    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = ", with uncommitted changes" if git("status", "--porcelain", "-uno") else ""
        what = f"this tree ({head}{dirty})"
    except (OSError, subprocess.CalledProcessError):
        what = "this tree"
    return Side(label, what, ROOT / "src")


def write_inputs(folder: Path, sizes: Sizes) -> tuple[Path, list[dict[str, Any]]]:
    """The forms every pass reads, as one JSON file; also the fresh forms themselves."""
    fresh = list(generate.forms(sizes.fresh, seed=19, wide=True))
    warmup = list(generate.forms(2, seed=1919, wide=True))
    for form in warmup:  # names no fresh form has
        for row in form["indicators"]:
            row["name"] = f"预热{row['name']}"
    inputs = {
        "fresh": fresh,
        "batch": list(generate.forms(sizes.batch, seed=11)),
        "warmup": warmup,
    }
    path = folder / "rows.json"
    path.write_text(json.dumps(inputs, ensure_ascii=False), "utf-8")
    return path, fresh


def run_pass(side: Side, inputs: Path, mode: str, *extra: str) -> dict[str, Any]:
    """One pass in a new process importing ``side``'s code; its JSON answer."""
    env = {**os.environ, "PYTHONPATH": str(side.src)}
    done = subprocess.run(
        [sys.executable, str(ROWPASS), str(inputs), mode, *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{side.what}, {mode}: the pass failed\n{done.stderr}")
    answer: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    if not Path(answer["perfscore"]).resolve().is_relative_to(side.src.resolve()):
        raise RuntimeError(f"{side.what}: the pass imported {answer['perfscore']}")
    return answer


def measure(sides: list[Side], inputs: Path, sizes: Sizes, fresh: list[dict[str, Any]]) -> Measured:
    """Every rate of every side, ``sizes.rounds`` times, sides alternating within each round."""
    sample = fresh[:500]
    cases = decisions([perfscore.evaluate(form) for form in sample])
    measured = Measured()
    for number in range(sizes.rounds):
        order = sides if number % 2 == 0 else sides[::-1]
        for mode in ("fresh-mappings", "fresh-forms"):
            for side in order:
                got = run_pass(side, inputs, mode)
                measured.add(side, mode, got["rows"], got["seconds"], got["gc"])
                full = measured.full.setdefault(side.label, {}).setdefault(mode, [])
                full.append(got.get("full", 0))
        for side in order:
            got = run_pass(side, inputs, "repeated", "--passes", str(sizes.passes))
            for kind in ("mappings", "forms"):
                spent, in_gc = got[f"{kind}_seconds"], got[f"{kind}_gc"]
                measured.add(side, f"repeated-{kind}", got["rows"], spent, in_gc)
        measured.zen.append(zen_rate(cases, 1) or 0.0)
        measured.naive.append(naive_rate(sample, 1))
    return measured


def machine() -> str:
    """Cores, load average, interpreter and library versions: the line a recorded run needs."""
    from importlib.metadata import PackageNotFoundError, version

    import pydantic

    try:
        zen_version = version("zen-engine")
    except PackageNotFoundError:
        zen_version = "not installed"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({platform.machine()}, {platform.system()}), load average "
        f"{load}; CPython {platform.python_version()}, pydantic {pydantic.VERSION}, "
        f"zen-engine {zen_version}"
    )


def distinct_shares(fresh: list[dict[str, Any]]) -> tuple[int, float, float]:
    """Rows in the fresh forms, the share of distinct rows and of distinct cell texts."""
    rows = [row for form in fresh for row in form["indicators"]]
    keys = {(r["name"], r["target"], r["actual"], r["weight"]) for r in rows}
    texts = [r[k] for r in rows for k in ("target", "actual")]
    return len(rows), len(keys) / len(rows), len(set(texts)) / len(texts)


def _cell(values: list[float]) -> str:
    return f"{max(values):>9,.0f} {median(values):>9,.0f}"


def _ratio_line(label: str, new: list[float], old: list[float], target: float) -> str:
    """after/before as the median of each round's ratio (the two sides of a round ran one
    after the other, so a load that comes and goes between rounds cancels), and of the bests."""
    ratio = median(n / o for n, o in zip(new, old, strict=True))
    best = max(new) / max(old)
    mark = "PASS" if ratio >= target else "MISS"
    return f"  {label:<34} {ratio:>6.2f}x (best {best:.2f}x)   >= {target:.0f}x  {mark}"


def report(sides: list[Side], measured: Measured, sizes: Sizes, fresh: list[Any]) -> list[str]:
    """The row section's lines: rates per side, new/old against the targets, the comparisons."""
    rows, distinct_rows, distinct_texts = distinct_shares(fresh)
    lines = [
        f"row rates: indicators/s, best and median of {sizes.rounds} round(s), every pass a new "
        "process",
        f"  fresh: {len(fresh)} forms, {rows} rows, each scored once ({distinct_rows:.1%} of rows"
        f" and {distinct_texts:.1%} of target/actual texts distinct)",
        f"  repeated: {sizes.batch} forms scored {sizes.passes} times after one untimed pass",
        *(f"  {side.label}: {side.what}" for side in sides),
        f"  {'':<34} " + " ".join(f"{side.label:>19}" for side in sides),
        f"  {'':<34} " + " ".join(f"{'best':>9} {'median':>9}" for _ in sides),
    ]
    for rate, label in RATES.items():
        cells = " ".join(_cell(measured.rates[side.label][rate]) for side in sides)
        lines.append(f"  {label:<34} {cells}")
    lines.append("  time in the garbage collector (median share of the pass)")
    for rate, label in RATES.items():
        shares = " ".join(
            f"{median(measured.collector[side.label][rate]):>19.0%}" for side in sides
        )
        lines.append(f"  {label:<34} {shares}")
    lines.append("  full collections (generation 2) within the pass, median")
    for rate in ("fresh-mappings", "fresh-forms"):
        counts = " ".join(f"{median(measured.full[side.label][rate]):>19g}" for side in sides)
        lines.append(f"  {RATES[rate]:<34} {counts}")
    if len(sides) == 2:
        old, new = sides
        lines.append("  after/before: median of the rounds' ratios (ratio of the bests)")
        for rate, label in RATES.items():
            target = TARGETS[rate.split("-")[0]]
            new_rates, old_rates = measured.rates[new.label][rate], measured.rates[old.label][rate]
            lines.append(_ratio_line(label, new_rates, old_rates, target))
    lines.extend(_comparisons(sides, measured))
    lines.extend(per_indicator(sides[-1], measured))
    return lines


# Issue 23's targets, as multiples of zen-engine's and the naive script's rate.
AGAINST = {
    "fresh-forms": (1.0, None),
    "fresh-mappings": (0.5, None),
    "repeated-forms": (2.0, 20.0),
    "repeated-mappings": (2.0, 20.0),
}


def per_indicator(side: Side, measured: Measured) -> list[str]:
    """Microseconds per indicator (median round) for each rate of ``side``, beside
    zen-engine and the naive script in the same rounds, as multiples of their rates."""
    zen = median(measured.zen) if all(measured.zen) else None
    naive = median(measured.naive)
    lines = [
        f"  per indicator, {side.label} (median round)       us/indicator  x zen-engine"
        "  x naive script",
    ]
    if zen is not None:
        lines.append(f"  {'zen-engine decision table':<40} {1e6 / zen:>9.1f} {1.0:>12.2f}")
    lines.append(
        f"  {'naive regex + pint + simpleeval':<40} {1e6 / naive:>9.1f} "
        f"{naive / zen if zen else float('nan'):>12.2f} {1.0:>14.2f}"
    )
    for rate, label in RATES.items():
        ours = median(measured.rates[side.label][rate])
        on_zen, on_naive = AGAINST[rate]
        cells = f"  {label:<40} {1e6 / ours:>9.1f} "
        cells += f"{ours / zen:>12.2f}" if zen else f"{'-':>12}"
        cells += f" {ours / naive:>14.2f}"
        marks = []
        if zen and on_zen is not None:
            marks.append(f">= {on_zen:g}x zen {'PASS' if ours >= on_zen * zen else 'MISS'}")
        if on_naive is not None:
            marks.append(f">= {on_naive:g}x naive {'PASS' if ours >= on_naive * naive else 'MISS'}")
        lines.append(cells + "   " + ", ".join(marks))
    return lines


def _comparisons(sides: list[Side], measured: Measured) -> list[str]:
    """zen-engine and the naive baseline in the same rounds, and each side's fresh rate
    from mappings against them (issue 19's targets: >= 1.0x zen-engine, >= 20x naive)."""
    lines = [f"  naive baseline: indicators/s {_cell(measured.naive)}"]
    zen_known = all(measured.zen)
    if zen_known:
        lines.insert(0, f"  zen-engine: decisions/s      {_cell(measured.zen)}")
    for side in sides:
        ours = median(measured.rates[side.label]["fresh-mappings"])
        against = [("naive baseline", median(measured.naive), 20.0)]
        if zen_known:
            against.insert(0, ("zen-engine", median(measured.zen), 1.0))
        for name, theirs, target in against:
            mark = "PASS" if ours >= target * theirs else "MISS"
            label = f"fresh from mappings / {name}"
            lines.append(
                f"  {label:<40} {side.label:>9} {ours / theirs:>6.2f}x   >= {target:g}x  {mark}"
            )
    return lines


def profile_lines(side: Side, inputs: Path, measured: Measured, top: int) -> list[str]:
    """Where a fresh pass from mappings spends its time: a cProfile by cumulative time, and the
    collector's share (from the unprofiled passes; the profiler slows everything else)."""
    got = run_pass(side, inputs, "fresh-mappings", "--profile", str(top))
    shares = measured.collector[side.label]["fresh-mappings"]
    return [
        f"fresh rows from mappings, {side.what}: time in the garbage collector "
        f"{median(shares):.0%} of the pass (median of the unprofiled passes; "
        f"{got['gc'] / got['seconds']:.0%} under the profiler)",
        *got["profile"].rstrip().splitlines(),
    ]


def row_section(smoke: bool, against: str | None, profile: bool) -> list[str]:
    """Measure the row rates (and with ``against``, the same for that revision); the lines to
    print."""
    sizes = SMOKE if smoke else FULL
    start_line = f"machine at start: {machine()}"
    folder = Path(tempfile.mkdtemp(prefix="perfscore-rows-"))
    try:
        inputs, fresh = write_inputs(folder, sizes)
        new = this_tree("this tree" if against is None else "after")
        if against is None:
            sides = [new]
            measured = measure(sides, inputs, sizes, fresh)
        else:
            with checkout(against) as old:
                sides = [old, new]
                measured = measure(sides, inputs, sizes, fresh)
        lines = [start_line, *report(sides, measured, sizes, fresh)]
        lines.append(f"machine at end: {machine()}")
        if profile:
            lines.extend(profile_lines(new, inputs, measured, 8 if smoke else 30))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return lines
