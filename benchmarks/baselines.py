"""The comparisons perfscore's rates are read against, in the same run: zen-engine (GoRules)
running the same scoring decisions on pre-parsed numbers, and a naive baseline (pint parsing each
value's string, ``simple_eval`` per call).  zen-engine is in the ``bench`` extra."""

from __future__ import annotations

import gc
import re
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import perfscore
from perfscore.text.values import Comparison, Op

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
