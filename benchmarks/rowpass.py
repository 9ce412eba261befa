"""One measured pass of ``perfscore.evaluate`` over rows, in a process of its own.

    python benchmarks/rowpass.py INPUTS.json MODE [--passes N] [--profile N]

``benchmarks/rows.py`` starts this script once per measurement, with ``PYTHONPATH`` naming the
``src`` folder of the revision to measure, so that the same script times today's code and an
older revision's on the same inputs.  It therefore uses only what every revision makes public
(``perfscore.evaluate``, ``perfscore.Form`` and the module that defines it) and the standard
library.  ``INPUTS.json`` holds three lists of forms as mappings: ``fresh``, ``batch`` and
``warmup``.  MODE is one of:

* ``fresh-mappings`` / ``fresh-forms``: score each ``fresh`` form once, from its mapping
  (validation included) or from a ``Form`` built before the clock starts.  The process is new,
  so no memo table and no value cache has seen these rows; only the ``warmup`` forms (other
  texts) were scored first, to pay for imports, the rule set and tables built on first use.
* ``repeated``: score the ``batch`` forms once untimed, then ``--passes`` times from mappings
  and ``--passes`` times from ``Form`` objects, alternating: every row is one seen before.

Prints one JSON object: the rows scored, the seconds taken and the seconds the garbage
collector ran within them (``gc.callbacks``), the full collections among them (fresh modes),
and which ``perfscore`` was imported.  With
``--profile N`` (fresh modes) it prints instead the top N functions of a cProfile of the pass,
by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import sys
import time
from collections.abc import Iterable
from typing import Any

import perfscore


class CollectorClock:
    """Seconds the garbage collector runs while the clock is on, from ``gc.callbacks``."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0  # full collections (generation 2) while the clock is on
        self.on = False
        self._started = 0.0
        gc.callbacks.append(self._phase)

    def _phase(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self.on:
            self.seconds += time.perf_counter() - self._started
            self.full += info["generation"] == 2


def as_form(data: dict[str, Any]) -> Any:
    """``data`` validated as a ``Form`` the way ``evaluate`` validates a mapping: through
    ``form_from_data`` in the module that defines ``perfscore.Form`` (its home moved between
    revisions; the function did not)."""
    module = sys.modules[perfscore.Form.__module__]
    build = getattr(module, "form_from_data", None)
    return build(data) if build is not None else perfscore.Form.model_validate(data)


def timed(items: Iterable[Any], clock: CollectorClock) -> tuple[float, float]:
    """Seconds to score every item, and the collector's seconds within them."""
    gc.collect()
    before = clock.seconds
    clock.on = True
    start = time.perf_counter()
    for item in items:
        perfscore.evaluate(item)
    elapsed = time.perf_counter() - start
    clock.on = False
    return elapsed, clock.seconds - before


def rows_in(forms: list[dict[str, Any]]) -> int:
    return sum(len(form["indicators"]) for form in forms)


def fresh(inputs: dict[str, Any], mode: str, profile: int) -> dict[str, Any]:
    """One pass over rows this process has never seen."""
    for form in inputs["warmup"]:
        perfscore.evaluate(form)
        perfscore.evaluate(as_form(form))
    forms = inputs["fresh"]
    items = [as_form(form) for form in forms] if mode == "fresh-forms" else forms
    clock = CollectorClock()
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        seconds, collector = timed(items, clock)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
        profiled = out.getvalue()
        return {"rows": rows_in(forms), "seconds": seconds, "gc": collector, "profile": profiled}
    seconds, collector = timed(items, clock)
    return {"rows": rows_in(forms), "seconds": seconds, "gc": collector, "full": clock.full}


def repeated(inputs: dict[str, Any], passes: int) -> dict[str, Any]:
    """``passes`` passes over the batch from mappings and from ``Form`` objects, after one
    untimed pass of each that leaves every row remembered."""
    batch = inputs["batch"]
    forms = [as_form(form) for form in batch]
    clock = CollectorClock()
    kinds: dict[str, tuple[list[Any], list[float], list[float]]] = {
        "mappings": (batch, [], []),
        "forms": (forms, [], []),
    }
    for items, _, _ in kinds.values():
        timed(items, clock)
    for _ in range(passes):
        for items, seconds, collector in kinds.values():
            spent, in_gc = timed(items, clock)
            seconds.append(spent)
            collector.append(in_gc)
    return {
        "rows": rows_in(batch) * passes,
        **{f"{kind}_seconds": sum(s) for kind, (_, s, _) in kinds.items()},
        **{f"{kind}_gc": sum(g) for kind, (_, _, g) in kinds.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs")
    parser.add_argument("mode", choices=["fresh-mappings", "fresh-forms", "repeated"])
    parser.add_argument("--passes", type=int, default=10)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    with open(args.inputs, encoding="utf-8") as f:
        inputs = json.load(f)
    if args.mode == "repeated":
        result = repeated(inputs, args.passes)
    else:
        result = fresh(inputs, args.mode, args.profile)
    result["perfscore"] = perfscore.__file__
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
