"""Throughput of perfscore.evaluate on the bundled forms.

    python benchmarks/bench_evaluate.py [--repeat N]

Prints indicators/s and forms/s on one core. Not a test: run it by hand to compare changes.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import perfscore
from perfscore.readers import load_form

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Score every bundled and fixture form ``--repeat`` times and report the rate."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    paths = sorted((ROOT / "examples").glob("*.yaml")) + sorted(
        (ROOT / "tests" / "data" / "forms").glob("*.yaml")
    )
    forms = [load_form(p) for p in paths]
    perfscore.evaluate(forms[0])  # warm the rule-set and value caches
    indicators = sum(len(f.indicators) for f in forms) * args.repeat
    start = time.perf_counter()
    for _ in range(args.repeat):
        for form in forms:
            perfscore.evaluate(form)
    elapsed = time.perf_counter() - start
    print(f"forms/s       {len(forms) * args.repeat / elapsed:10.0f}")
    print(f"indicators/s  {indicators / elapsed:10.0f}")


if __name__ == "__main__":
    main()
