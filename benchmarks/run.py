"""perfscore's performance figures, from one run on the same inputs, each beside its target.

    python benchmarks/run.py            # the full run (about three minutes on 2 cores)
    python benchmarks/run.py --smoke    # small numbers, to prove the script works (CI)

Figures:
  * indicators/s of ``perfscore.evaluate`` on one core, counted from mappings (as other code
    calls it: validation included) and from already-validated ``Form`` objects;
  * ``evaluate_many`` over 2,000 YAML files with ``jobs=1``, ``jobs=2`` and on a two-worker Dask
    ``LocalCluster`` (``executor=client.get_executor()``; the ``dask`` extra);
  * the same scoring decisions run by zen-engine (GoRules; ``ZenEngine(...).evaluate(key, …)``
    on a decision table, fed pre-parsed numbers) and by a naive baseline (``simple_eval`` per
    call and pint string parsing per value), as ratios to perfscore;
  * cold start of ``perfscore score one-form.yaml``: perfscore's own share above the floor
    (a process that builds and validates one pydantic model), beside
    ``python -c "import pydantic, yaml"``;
  * memory growth and time per 10,000 forms while streaming 100,000 forms;
  * wall time of ``perfscore rules check rules/``;
  * loading YAML forms (``load_forms``: read, check, validate) against parsing them with
    libyaml's ``CSafeLoader`` alone, CPU time;
  * scoring one-form .xlsx workbooks (``load_forms`` + ``evaluate``) against reading their
    cells with python-calamine alone, CPU time.

zen-engine and dask are in the ``bench`` extra (``pip install -e '.[bench]'``).  The machine is
shared and noisy: throughput is the best of several rounds, and perfscore and its comparisons
alternate within each round so that both see the same machine.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from functools import partial
from itertools import cycle, islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

import perfscore
from perfscore.form.model import form_from_data
from perfscore.readers import dump_forms
from perfscore.report.formats import rendered
from perfscore.text.values import Comparison, Op

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "luohu-2024-social-workers.yaml"
DECISION = Path(__file__).resolve().parent / "data" / "indicator-score.json"


def best_of(rounds: int, work: Callable[[], int]) -> float:
    """The highest rate (items per second) over ``rounds`` runs of ``work``."""
    best = 0.0
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        items = work()
        best = max(best, items / (time.perf_counter() - start))
    return best


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def machine_scaling(rounds: int) -> float:
    """How much faster two processes finish two pure-Python loops than one process does: the
    most ``jobs=2`` can gain on this machine (shared virtual cores often give far less than 2)."""
    from concurrent.futures import ProcessPoolExecutor

    n = 2_000_000
    single, parallel = 9e9, 9e9
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_spin, [10, 10]))  # start both workers first
        for _ in range(rounds):
            for _ in range(2):
                start = time.perf_counter()
                _spin(n)
                single = min(single, time.perf_counter() - start)
            start = time.perf_counter()
            list(pool.map(_spin, [n, n]))
            parallel = min(parallel, time.perf_counter() - start)
    # Two loops one after the other take twice the best single loop.
    serial = 2 * single
    return serial / parallel


def dask_rate(paths: list[Path], items: int, rounds: int) -> tuple[float, float] | None:
    """Items per second of ``evaluate_many(paths, executor=…)`` on a local Dask cluster of two
    worker processes (one thread each), best of ``rounds``, and the cluster's start-up in
    seconds; None without the ``dask`` extra."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        return None
    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        executor = client.get_executor()
        list(perfscore.evaluate_many(paths[:64], executor=executor))  # workers import perfscore
        started = time.perf_counter() - start

        def work() -> int:
            for _ in perfscore.evaluate_many(paths, executor=executor):
                pass
            return items

        return best_of(rounds, work), started


# --- the decisions, pre-parsed, for the comparisons ------------------------------------------


def decisions(results: list[perfscore.EvaluationResult]) -> list[dict[str, Any]]:
    """Each indicator's scoring decision as plain numbers: what the comparison engines get."""
    out = []
    for result in results:
        for row in result.indicators:
            weight = float(row.weight or 0)
            target, actual = row.target, row.actual
            if row.status == "not_applicable":
                out.append({"direction": "na", "actual": 0, "target": 0, "weight": weight})
            elif (
                isinstance(target, Comparison)
                and isinstance(actual, Comparison)
                and row.direction in (Op.GE, Op.GT, Op.LE, Op.LT)
            ):
                direction = "ge" if row.direction in (Op.GE, Op.GT) else "le"
                out.append(
                    {
                        "direction": direction,
                        "actual": float(actual.quantity.base),
                        "target": float(target.quantity.base),
                        "weight": weight,
                    }
                )
            else:
                completion = float(row.achievement if row.achievement is not None else 0)
                out.append(
                    {"direction": "qual", "actual": completion, "target": 1, "weight": weight}
                )
    return out


def zen_rate(cases: list[dict[str, Any]], rounds: int) -> float | None:
    """Decisions per second through zen-engine's ``ZenEngine.evaluate(key, context)``."""
    try:
        import zen
    except ImportError:
        return None
    content = zen.ZenDecisionContent(DECISION.read_text("utf-8"))
    engine = zen.ZenEngine({"loader": lambda key: content})

    def work() -> int:
        for case in cases:
            engine.evaluate("score", case)
        return len(cases)

    return best_of(rounds, work)


_NAIVE_UNITS = {
    "%": "percent",
    "％": "percent",
    "百分比": "percent",
    "天": "day",
    "小时": "hour",
    "个月": "month",
}  # counting words and money: plain numbers
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(%|％|百分比|个月|小时|人|件|次|家|天|元|场|份)?")


def naive_rate(forms: list[dict[str, Any]], rounds: int) -> float:
    """Indicators per second for the naive way: pint parses each value's string, and
    ``simple_eval`` evaluates the rule for every indicator."""
    import pint
    from simpleeval import simple_eval

    ureg: Any = pint.UnitRegistry()
    formula = "weight * min(actual / target, 1) if target > 0 else weight"

    def quantity(text: str) -> Any:
        m = _NUMBER.search(unicodedata.normalize("NFKC", text or ""))
        if m is None:
            return ureg.Quantity("0")
        return ureg.Quantity(f"{m.group(1)} {_NAIVE_UNITS.get(m.group(2) or '', 'dimensionless')}")

    items = [ind for form in forms for ind in form["indicators"]]

    def work() -> int:
        for ind in items:
            target = quantity(ind.get("target", ""))
            actual = quantity(ind.get("actual", ""))
            simple_eval(
                formula,
                names={
                    "weight": float(ind.get("weight", 0)),
                    "actual": float(actual.to_base_units().magnitude),
                    "target": float(target.to_base_units().magnitude),
                },
                functions={"min": min},
            )
        return len(items)

    return best_of(rounds, work)


# --- cold start, streaming, rules check ------------------------------------------------------


# The least any process that validates with a pydantic model pays: building one model (which
# imports the rest of pydantic, and its plugin loader's importlib.metadata) and validating once.
FLOOR = """
import yaml
from decimal import Decimal
from pydantic import BaseModel
class Model(BaseModel):
    value: Decimal
Model(value="1")
"""


def cold_start(repeat: int) -> dict[str, float]:
    """Best wall times of ``perfscore score EXAMPLE``, of ``python -c "import pydantic, yaml"``
    and of the one-model floor, all with this interpreter."""
    # The console script installed beside this interpreter, not whichever ``perfscore`` is first
    # on PATH: another installation would time another environment.
    script = Path(sys.executable).with_name("perfscore")
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "perfscore.cli"]
    commands = {
        "cli": [*cli, "score", str(EXAMPLE)],
        "base": [sys.executable, "-c", "import pydantic, yaml"],
        "floor": [sys.executable, "-c", FLOOR],
    }
    best = dict.fromkeys(commands, 9e9)
    for _ in range(repeat):
        for key, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(
                cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT
            )
            best[key] = min(best[key], time.perf_counter() - start)
    return best


def rss_mb() -> float:
    """Resident memory now, in MB (Linux), else the peak."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def streaming(
    pool: list[dict[str, Any]], total: int, distinct: bool = False
) -> tuple[float, list[float]]:
    """Stream ``total`` forms (the pool, renumbered) through ``evaluate_many``; return the
    memory growth after warm-up (MB) and the seconds per tenth of the stream.  With
    ``distinct``, every indicator name is made new (no row repeats: the memo's worst case)."""

    def stream() -> Iterator[dict[str, Any]]:
        for number, form in enumerate(islice(cycle(pool), total)):
            if distinct:
                rows = [{**i, "name": f"{i['name']}{number}"} for i in form["indicators"]]
                yield {**form, "code": f"S{number:09d}", "indicators": rows}
            else:
                yield {**form, "code": f"S{number:09d}"}

    step = max(total // 10, 1)
    times: list[float] = []
    start = time.perf_counter()
    warm = 0.0
    for count, _ in enumerate(perfscore.evaluate_many(stream()), start=1):
        if count == step:
            gc.collect()
            warm = rss_mb()
        if count % step == 0:
            now = time.perf_counter()
            times.append(now - start)
            start = now
    gc.collect()
    return rss_mb() - warm, times


def yaml_forms_seconds(paths: list[Path], rounds: int) -> tuple[float, float]:
    """Best CPU seconds to load every YAML form with ``perfscore.load_forms`` (read, check,
    validate) and to parse the same files with libyaml's ``CSafeLoader`` alone, alternating
    within each round so that both see the same machine."""
    import yaml

    def timed(load: Callable[[Path], object]) -> float:
        gc.collect()
        start = time.process_time()
        for path in paths:
            load(path)
        return time.process_time() - start

    def libyaml(path: Path) -> object:
        return yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

    perfscore.load_forms(paths[0])  # first use imports the readers: not part of the figure
    ours = base = 9e9
    for _ in range(rounds):
        ours = min(ours, timed(perfscore.load_forms))
        base = min(base, timed(libyaml))
    return ours, base


def workbook_seconds(forms: list[Any], folder: Path, rounds: int) -> tuple[float, float]:
    """Best CPU seconds to score one-form workbooks (``load_forms`` then ``evaluate``) and to
    read the same workbooks' cells with python-calamine alone (open, every sheet as values),
    alternating within each round so that both see the same machine."""
    from python_calamine import CalamineWorkbook

    from perfscore.readers.xlsx import write_workbook

    paths = []
    for number, form in enumerate(forms):
        path = folder / f"form-{number:05d}.xlsx"
        write_workbook([form], path)
        paths.append(path)

    def score() -> None:
        for path in paths:
            for form in perfscore.load_forms(path):
                perfscore.evaluate(form)

    def calamine() -> None:
        for path in paths:
            with CalamineWorkbook.from_path(str(path)) as book:
                for name in book.sheet_names:
                    book.get_sheet_by_name(name).to_python()

    def timed(work: Callable[[], None]) -> float:
        gc.collect()
        start = time.process_time()
        work()
        return time.process_time() - start

    score()  # first use imports the readers: not part of the figure
    ours = base = 9e9
    for _ in range(rounds):
        ours = min(ours, timed(score))
        base = min(base, timed(calamine))
    return ours, base


def rules_check_seconds(repeat: int) -> float:
    """Best wall time of ``perfscore rules check rules/`` as a command."""
    best = 9e9
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "perfscore.cli", "rules", "check", "rules/"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            cwd=ROOT,
        )
        best = min(best, time.perf_counter() - start)
    return best


# --- the report ------------------------------------------------------------------------------


def line(label: str, value: str, target: str, ok: bool | None) -> str:
    mark = "" if ok is None else ("PASS" if ok else "MISS")
    return f"{label:<48} {value:>16}   {target:<26} {mark}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small numbers, for CI")
    args = parser.parse_args()
    n_forms, rounds, stream_total, repeat = (
        (60, 1, 2_000, 2) if args.smoke else (2_000, 5, 100_000, 15)
    )

    dicts = list(generate.forms(n_forms, seed=11))
    forms = [form_from_data(f) for f in dicts]
    n_indicators = sum(len(f.indicators) for f in forms)
    results = [perfscore.evaluate(f) for f in forms]
    cases = decisions(results)

    def one_core() -> int:
        for form in forms:
            perfscore.evaluate(form)
        return n_indicators

    def from_mappings() -> int:
        # As other code calls it: a mapping in, validation included.
        for data in dicts:
            perfscore.evaluate(data)
        return n_indicators

    # evaluate_many reads files, as the command line does: each form a YAML file.
    folder = Path(tempfile.mkdtemp(prefix="perfscore-bench-"))
    paths = []
    for number, form in enumerate(forms):
        path = folder / f"form-{number:05d}.yaml"
        dump_forms([form], path)
        paths.append(path)

    # As the command line does: each result rendered where it is scored, only text sent back.
    as_text = partial(rendered, fmt="table", lang="zh", worst=("error",))

    def files(jobs: int, transform: Callable[..., Any] | None = None) -> Callable[[], int]:
        def work() -> int:
            for _ in perfscore.evaluate_many(paths, jobs=jobs, transform=transform):
                pass
            return n_indicators

        return work

    # Alternate perfscore and zen-engine within each round: the same machine for both.
    ours, mapped, zen = 0.0, 0.0, 0.0
    for _ in range(rounds):
        mapped = max(mapped, best_of(1, from_mappings))
        ours = max(ours, best_of(1, one_core))
        zen = max(zen, zen_rate(cases, 1) or 0.0)
    files_one = best_of(max(1, rounds // 2), files(1))
    files_two = best_of(max(1, rounds // 2), files(2))
    on_dask = dask_rate(paths, n_indicators, max(1, rounds // 2))
    text_one = best_of(max(1, rounds // 2), files(1, as_text))
    text_two = best_of(max(1, rounds // 2), files(2, as_text))
    yaml_ours, yaml_base = yaml_forms_seconds(paths, max(3, rounds))
    book_ours, book_base = workbook_seconds(forms[: 20 if args.smoke else 400], folder, rounds)
    scaling = machine_scaling(rounds)
    shutil.rmtree(folder, ignore_errors=True)
    naive = naive_rate(dicts[: max(5, n_forms // 10)], 1)
    cold = cold_start(repeat)
    cli, base, floor = cold["cli"], cold["base"], cold["floor"]
    growth, tenths = streaming(dicts, stream_total)
    distinct_growth, _ = streaming(dicts, stream_total, distinct=True)
    check = rules_check_seconds(max(1, repeat // 3))
    per_form = n_indicators / len(forms)

    print(
        f"perfscore {perfscore.__version__} benchmark, {len(forms)} synthetic forms "
        f"({n_indicators} indicators, {per_form:.1f} per form), python {sys.version.split()[0]}"
        f", {os.cpu_count()} cores{' [smoke]' if args.smoke else ''}"
    )
    print(line("figure", "value", "target", None))
    print(line("evaluate from mappings: indicators/s", f"{mapped:,.0f}", "", None))
    print(line("evaluate from Form objects: indicators/s", f"{ours:,.0f}", "", None))
    print(line("evaluate from Form objects: forms/s", f"{ours / per_form:,.0f}", "", None))
    if zen:
        print(line("zen-engine: decisions/s", f"{zen:,.0f}", "", None))
        print(line("from mappings / zen-engine", f"{mapped / zen:.2f}x", ">= 1.0x", mapped >= zen))
        print(line("from Form objects / zen-engine", f"{ours / zen:.2f}x", "", None))
    else:
        print(line("perfscore / zen-engine", "not installed", ">= 1.0x (pip .[bench])", None))
    print(line("naive baseline: indicators/s", f"{naive:,.0f}", "", None))
    print(
        line(
            "from mappings / naive baseline",
            f"{mapped / naive:.1f}x",
            ">= 20x",
            mapped >= 20 * naive,
        )
    )
    many = "evaluate_many over YAML files"
    print(line(f"{many}, jobs=1: forms/s", f"{files_one / per_form:,.0f}", "", None))
    print(line(f"{many}, jobs=2: forms/s", f"{files_two / per_form:,.0f}", "", None))
    two = files_two / files_one
    print(line("jobs=2 / jobs=1", f"{two:.2f}x", ">= 1.5x", two >= 1.5))
    if on_dask is not None:
        dask_files, dask_start = on_dask
        print(line("same on Dask, 2 workers: forms/s", f"{dask_files / per_form:,.0f}", "", None))
        ratio = dask_files / files_one
        print(line("Dask 2 workers / jobs=1", f"{ratio:.2f}x", ">= 1.2x", ratio >= 1.2))
        print(line("Dask LocalCluster start", f"{dask_start:.1f} s", "", None))
    else:
        print(line("Dask 2 workers / jobs=1", "not installed", ">= 1.2x (pip .[bench])", None))
    print(
        line(
            "same, rendered in the workers: jobs=2 / jobs=1",
            f"{text_two / text_one:.2f}x",
            "",
            None,
        )
    )
    print(line("machine: 2 processes / 1 on a plain loop", f"{scaling:.2f}x", "", None))
    share = (cli - floor) * 1000
    print(line("cold start: perfscore score one form", f"{cli * 1000:.0f} ms", "", None))
    print(line("cold start: one pydantic model (floor)", f"{floor * 1000:.0f} ms", "", None))
    print(line("perfscore above the floor", f"{share:.0f} ms", "<= 30 ms", share <= 30))
    print(line("cold start: import pydantic, yaml", f"{base * 1000:.0f} ms", "", None))
    print(line("cold start / import (target retired)", f"{cli / base:.2f}x", "", None))
    print(line("floor / import baseline", f"{floor / base:.2f}x", "", None))
    spread = max(tenths) / min(tenths) if tenths and min(tenths) > 0 else 0.0
    print(
        line(
            f"streaming {stream_total:,} forms: memory growth",
            f"{growth:.1f} MB",
            "< 50 MB",
            growth < 50,
        )
    )
    print(
        line(
            "  same, every indicator name distinct",
            f"{distinct_growth:.1f} MB",
            "< 50 MB",
            distinct_growth < 50,
        )
    )
    print(line("streaming: slowest / fastest tenth (linear)", f"{spread:.2f}", "close to 1", None))
    print(line("perfscore rules check rules/", f"{check * 1000:.0f} ms", "< 1000 ms", check < 1.0))
    yaml_ratio = yaml_ours / yaml_base
    print(
        line(
            "YAML forms: load_forms / CSafeLoader alone",
            f"{yaml_ratio:.2f}x",
            "<= 1.25x",
            yaml_ratio <= 1.25,
        )
    )
    book_ratio = book_ours / book_base
    print(
        line(
            "workbooks: score / calamine reading alone",
            f"{book_ratio:.1f}x",
            "<= 2.0x",
            book_ratio <= 2.0,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
