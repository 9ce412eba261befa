"""Cold start: ``perfscore score`` of one YAML form, against a process that validates one
pydantic model (the floor any pydantic program pays).

    python benchmarks/coldstart.py            # best of 15 runs each, alternating
    python benchmarks/coldstart.py --smoke    # best of 2 (CI: proves it runs)
    python benchmarks/coldstart.py --imports  # and perfscore's slowest imports (-X importtime)
    python benchmarks/coldstart.py --source   # perfscore's modules compiled on every run

Each command runs as a new process with this interpreter, perfscore's and the floor's runs
alternating so that both see the same machine; the figure is the best wall time of each, and
perfscore's share is the difference (also in CPU time, which a busy machine disturbs less).
The floor imports PyYAML and pydantic, builds one model with a Decimal field and validates one
value: what a pydantic program that reads YAML cannot avoid.  The form is
``examples/luohu-2024-social-workers.yaml``, scored with the default rule set and written as the
default table.

Both processes run from bytecode, as an installed copy does: pip compiles a package's modules
when it installs it (pydantic's and PyYAML's are), but an editable install's modules are
compiled when first imported, and not at all where ``PYTHONDONTWRITEBYTECODE`` is set, so every
run would compile perfscore's ~80 modules from source again (about 90 ms of CPU).  perfscore's
modules are therefore compiled beside their sources first (``compileall``: the ``__pycache__``
folders any Python run writes); ``--source`` times them compiled on every run instead.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "luohu-2024-social-workers.yaml"
#: The target: perfscore's share above the floor, in seconds.
TARGET = 0.030

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


def _package_folders() -> list[str]:
    spec = importlib.util.find_spec("perfscore")
    assert spec is not None
    assert spec.submodule_search_locations
    return list(spec.submodule_search_locations)


def compile_package(bytecode: bool = True) -> None:
    """perfscore's modules compiled to bytecode beside their sources (as ``pip install`` leaves
    an installed package), for the timed runs to load instead of compiling each time; with
    ``bytecode`` false, the compiled copies removed instead (the runs then compile from source
    under ``PYTHONDONTWRITEBYTECODE``)."""
    for folder in _package_folders():
        if bytecode:
            compileall.compile_dir(folder, quiet=1)
            continue
        for cache in Path(folder).rglob("__pycache__"):
            shutil.rmtree(cache)


def commands() -> dict[str, list[str]]:
    """The timed commands: perfscore scoring the form, and the one-model floor."""
    # The console script installed beside this interpreter, not whichever ``perfscore`` is first
    # on PATH: another installation would time another environment.
    script = Path(sys.executable).with_name("perfscore")
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "perfscore.cli"]
    return {"score": [*cli, "score", str(EXAMPLE)], "floor": [sys.executable, "-c", FLOOR]}


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def measure(repeat: int, bytecode: bool = True) -> dict[str, float]:
    """Best wall seconds (``score``, ``floor``) and CPU seconds (``score_cpu``,
    ``floor_cpu``: what the process itself used, whatever else the machine runs) of each
    command over ``repeat`` alternating runs."""
    compile_package(bytecode)
    env = {**os.environ} if bytecode else {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    best: dict[str, float] = {}
    for _ in range(repeat):
        for key, cmd in commands().items():
            cpu, start = _children_cpu(), time.perf_counter()
            subprocess.run(
                cmd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
                cwd=ROOT,
                env=env,
            )
            wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
            best[key] = min(best.get(key, 9e9), wall)
            best[f"{key}_cpu"] = min(best.get(f"{key}_cpu", 9e9), cpu)
    return best


def lines(figures: dict[str, float]) -> list[tuple[str, str, str, bool | None]]:
    """(label, value, target, met) rows for ``benchmarks/run.py``'s table."""
    share = figures["score"] - figures["floor"]
    cpu_share = figures["score_cpu"] - figures["floor_cpu"]
    return [
        ("cold start: perfscore score one YAML form", f"{figures['score'] * 1e3:.0f} ms", "", None),
        ("cold start: one pydantic model (floor)", f"{figures['floor'] * 1e3:.0f} ms", "", None),
        (
            "cold start: perfscore's share above the floor",
            f"{share * 1e3:.0f} ms",
            f"<= {TARGET * 1e3:.0f} ms",
            share <= TARGET,
        ),
        ("cold start: the same in CPU time", f"{cpu_share * 1e3:.0f} ms", "", None),
    ]


def slowest_imports(count: int = 25, bytecode: bool = True) -> list[str]:
    """perfscore's own modules by import time (self, cumulative; microseconds), slowest first,
    while scoring the form (from bytecode unless ``bytecode`` is false: see the module's
    notes)."""
    compile_package(bytecode)
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    best: dict[str, tuple[int, int]] = {}
    for _ in range(5):  # the least of five runs each: a busy machine adds, never takes away
        done = subprocess.run(
            commands()["score"], capture_output=True, text=True, env=env, cwd=ROOT, check=True
        )
        for text in done.stderr.splitlines():
            parts = text.removeprefix("import time:").split("|")
            if len(parts) == 3 and "perfscore" in parts[2] and parts[0].strip().isdigit():
                name, own, total = parts[2].strip(), int(parts[0]), int(parts[1])
                was = best.get(name, (own, total))
                best[name] = (min(own, was[0]), min(total, was[1]))
    rows = sorted(((own, total, name) for name, (own, total) in best.items()), reverse=True)
    return [f"{own:>8} {total:>8}  {name}" for own, total, name in rows[:count]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="two runs, for CI")
    parser.add_argument("--imports", action="store_true", help="perfscore's slowest imports")
    parser.add_argument(
        "--source", action="store_true", help="perfscore's modules compiled on every run"
    )
    args = parser.parse_args()
    for label, value, target, ok in lines(measure(2 if args.smoke else 15, not args.source)):
        verdict = "" if ok is None else ("PASS" if ok else "MISS")
        print(f"{label:<52} {value:>10}   {target:<9} {verdict}")
    if args.imports:
        print("    self  cumul.  module (microseconds, -X importtime, least of 5 runs)")
        print("\n".join(slowest_imports(bytecode=not args.source)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
