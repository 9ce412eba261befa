"""perfscore's performance figures, from one run on the same inputs, each beside its target.

    python benchmarks/run.py            # the full run (ten to twenty-five minutes on 2 cores)
    python benchmarks/run.py --smoke    # small numbers, to prove the script works (CI)
    python benchmarks/run.py --rows --against [REV]  # row rates only, this tree and REV
    python benchmarks/run.py --rows --profile         # and where fresh-row time goes

Figures:
  * the row rates (``benchmarks/rows.py``): indicators/s on fresh rows and on repeated rows,
    from mappings and from ``Form`` objects, each pass in a new process; with ``--against REV``
    the same for git revision REV (default: main before issue 19's row pipeline), old and new
    alternating, with the new/old ratios against the issue's targets;
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
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from itertools import cycle, islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import coldstart
import generate
import rows
from baselines import best_of, decisions, naive_rate, zen_rate

import perfscore
import workbooks
from perfscore.form.model import form_from_data
from perfscore.readers import dump_forms
from perfscore.report.formats import rendered

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "luohu-2024-social-workers.yaml"


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


def _one_core(dicts: list[dict[str, Any]], forms: list[Any], rounds: int) -> dict[str, float]:
    """indicators/s of ``evaluate`` from mappings and from ``Form`` objects, and zen-engine's
    decisions/s on the same decisions, alternating within each round."""
    n_indicators = sum(len(f.indicators) for f in forms)
    cases = decisions([perfscore.evaluate(f) for f in forms])

    def one_core() -> int:
        for form in forms:
            perfscore.evaluate(form)
        return n_indicators

    def from_mappings() -> int:
        # As other code calls it: a mapping in, validation included.
        for data in dicts:
            perfscore.evaluate(data)
        return n_indicators

    ours, mapped, zen = 0.0, 0.0, 0.0
    for _ in range(rounds):
        mapped = max(mapped, best_of(1, from_mappings))
        ours = max(ours, best_of(1, one_core))
        zen = max(zen, zen_rate(cases, 1) or 0.0)
    return {"mapped": mapped, "ours": ours, "zen": zen}


def _over_files(forms: list[Any], rounds: int, smoke: bool) -> dict[str, Any]:
    """evaluate_many over YAML files (one process, two, Dask), loading YAML forms and scoring
    workbooks, and the machine's own two-process scaling."""
    n_indicators = sum(len(f.indicators) for f in forms)
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

    half = max(1, rounds // 2)
    figures: dict[str, Any] = {
        "files_one": best_of(half, files(1)),
        "files_two": best_of(half, files(2)),
        "on_dask": dask_rate(paths, n_indicators, half),
        "text_one": best_of(half, files(1, as_text)),
        "text_two": best_of(half, files(2, as_text)),
    }
    figures["yaml"] = yaml_forms_seconds(paths, max(3, rounds))
    figures["book"] = workbook_seconds(forms[: 20 if smoke else 400], folder, rounds)
    figures["scaling"] = machine_scaling(rounds)
    shutil.rmtree(folder, ignore_errors=True)
    return figures


def measure(smoke: bool) -> dict[str, Any]:
    """Every figure but the row section's."""
    n_forms, rounds, stream_total, repeat = (60, 1, 2_000, 2) if smoke else (2_000, 5, 100_000, 15)
    dicts = list(generate.forms(n_forms, seed=11))
    forms = [form_from_data(f) for f in dicts]
    figures = {**_one_core(dicts, forms, rounds), **_over_files(forms, rounds, smoke)}
    figures["n_forms"] = len(forms)
    figures["n_indicators"] = sum(len(f.indicators) for f in forms)
    figures["naive"] = naive_rate(dicts[: max(5, n_forms // 10)], 1)
    figures["cold"] = cold_start(repeat)
    figures["stream_total"] = stream_total
    figures["growth"], figures["tenths"] = streaming(dicts, stream_total)
    figures["distinct_growth"], _ = streaming(dicts, stream_total, distinct=True)
    figures["check"] = rules_check_seconds(max(1, repeat // 3))
    return figures


def _print_rates(f: dict[str, Any], smoke: bool) -> None:
    mapped, ours, zen, naive = f["mapped"], f["ours"], f["zen"], f["naive"]
    per_form = f["n_indicators"] / f["n_forms"]
    print(
        f"perfscore {perfscore.__version__} benchmark, {f['n_forms']} synthetic forms "
        f"({f['n_indicators']} indicators, {per_form:.1f} per form), python "
        f"{sys.version.split()[0]}, {os.cpu_count()} cores{' [smoke]' if smoke else ''}"
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
    ratio = mapped / naive
    print(line("from mappings / naive baseline", f"{ratio:.1f}x", ">= 20x", ratio >= 20))


def _print_scaling(f: dict[str, Any]) -> None:
    per_form = f["n_indicators"] / f["n_forms"]
    many = "evaluate_many over YAML files"
    print(line(f"{many}, jobs=1: forms/s", f"{f['files_one'] / per_form:,.0f}", "", None))
    print(line(f"{many}, jobs=2: forms/s", f"{f['files_two'] / per_form:,.0f}", "", None))
    two = f["files_two"] / f["files_one"]
    print(line("jobs=2 / jobs=1", f"{two:.2f}x", ">= 1.5x", two >= 1.5))
    if f["on_dask"] is not None:
        dask_files, dask_start = f["on_dask"]
        print(line("same on Dask, 2 workers: forms/s", f"{dask_files / per_form:,.0f}", "", None))
        ratio = dask_files / f["files_one"]
        print(line("Dask 2 workers / jobs=1", f"{ratio:.2f}x", ">= 1.2x", ratio >= 1.2))
        print(line("Dask LocalCluster start", f"{dask_start:.1f} s", "", None))
    else:
        print(line("Dask 2 workers / jobs=1", "not installed", ">= 1.2x (pip .[bench])", None))
    rendered_two = f"{f['text_two'] / f['text_one']:.2f}x"
    print(line("same, rendered in the workers: jobs=2 / jobs=1", rendered_two, "", None))
    print(line("machine: 2 processes / 1 on a plain loop", f"{f['scaling']:.2f}x", "", None))


def _print_rest(f: dict[str, Any]) -> None:
    cli, base, floor = f["cold"]["cli"], f["cold"]["base"], f["cold"]["floor"]
    share = (cli - floor) * 1000
    print(line("cold start: perfscore score one form", f"{cli * 1000:.0f} ms", "", None))
    print(line("cold start: one pydantic model (floor)", f"{floor * 1000:.0f} ms", "", None))
    print(line("perfscore above the floor", f"{share:.0f} ms", "<= 30 ms", share <= 30))
    print(line("cold start: import pydantic, yaml", f"{base * 1000:.0f} ms", "", None))
    print(line("cold start / import (target retired)", f"{cli / base:.2f}x", "", None))
    print(line("floor / import baseline", f"{floor / base:.2f}x", "", None))
    tenths, growth, distinct = f["tenths"], f["growth"], f["distinct_growth"]
    spread = max(tenths) / min(tenths) if tenths and min(tenths) > 0 else 0.0
    stream = f"streaming {f['stream_total']:,} forms: memory growth"
    print(line(stream, f"{growth:.1f} MB", "< 50 MB", growth < 50))
    same = "  same, every indicator name distinct"
    print(line(same, f"{distinct:.1f} MB", "< 50 MB", distinct < 50))
    print(line("streaming: slowest / fastest tenth (linear)", f"{spread:.2f}", "close to 1", None))
    check = f["check"]
    print(line("perfscore rules check rules/", f"{check * 1000:.0f} ms", "< 1000 ms", check < 1.0))
    yaml_ratio = f["yaml"][0] / f["yaml"][1]
    yaml_label = "YAML forms: load_forms / CSafeLoader alone"
    print(line(yaml_label, f"{yaml_ratio:.2f}x", "<= 1.25x", yaml_ratio <= 1.25))
    book_ratio = f["book"][0] / f["book"][1]
    book_label = "workbooks: score / calamine reading alone"
    print(line(book_label, f"{book_ratio:.1f}x", "<= 2.0x", book_ratio <= 2.0))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small numbers, for CI")
    parser.add_argument(
        "--rows", action="store_true", help="only the row rates (fresh and repeated rows)"
    )
    parser.add_argument(
        "--against",
        nargs="?",
        const=rows.BEFORE,
        metavar="REV",
        help=f"row rates of git revision REV too, new/old (default {rows.BEFORE}); implies --rows",
    )
    parser.add_argument(
        "--profile", action="store_true", help="where fresh-row time goes (cProfile, collector)"
    )
    args = parser.parse_args()
    if not (args.rows or args.against):
        figures = measure(args.smoke)
        _print_rates(figures, args.smoke)
        _print_scaling(figures)
        _print_rest(figures)
        for row in workbooks.lines(workbooks.workbook_figures(args.smoke)):
            print(line(*row))
        for row in coldstart.lines(coldstart.measure(2 if args.smoke else 15)):
            print(line(*row))
    for text in rows.row_section(args.smoke, args.against, args.profile):
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
