"""Reading time grows linearly: ten times the input costs at most twenty times the time.

Ratios, not timings: each input is read at two sizes, the best of a few runs each, timed in this
process's own CPU time (a busy machine's other processes do not count), so a slow or busy
machine changes both sides alike.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import perfscore
from perfscore.readers.grid import forms_from_grid
from perfscore.readers.text import forms_from_text
from perfscore.report.html import page

SEED = Path(__file__).parent / "data" / "seeds" / "000_901614b04f88c628.txt"
_TARGET_HEADING = "项目绩效目标表\n项目名称\tx\n"
_INDICATOR_HEADER = "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t件数\t≥1件\n"


def _target_tabs(n: int) -> str:
    """A line of ``n`` tabs under a target table's title (the heading was read quadratically)."""
    return _TARGET_HEADING + "预算数" + "\t" * n + "100\n" + _INDICATOR_HEADER


def _name_cells(n: int) -> str:
    """``n`` 项目名称 cells, one row each."""
    return "项目名称\tx\n" * n + "三级指标\t年度指标值\t实际完成值\n件数\t≥1件\t2件\n"


def _name_cells_in_a_row(n: int) -> str:
    """One row of ``n`` 项目名称 cells: each label's value was looked for in a slice of the rest
    of the row."""
    return "\t".join(["项目名称"] * n) + "\n三级指标\t年度指标值\n件数\t≥1件\n"


def _traditional(n: int) -> str:
    """The published seed table ``n`` times over, a character in traditional script first:
    each value's printed spelling is looked up in the text (once a search of the whole text per
    value)."""
    return "績效\n" + SEED.read_text("utf-8") * n


def _best(run: Callable[[], object], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()  # what earlier runs left is not this run's to collect
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize(
    ("make", "n"),
    [
        (_target_tabs, 20_000),
        (_name_cells, 4_000),
        (_name_cells_in_a_row, 5_000),
        (_traditional, 5),
    ],
    ids=["target-heading-tabs", "name-cells", "name-cells-in-a-row", "traditional-text"],
)
def test_text_reading_grows_linearly(make: Callable[[int], str], n: int) -> None:
    """Ten times the text, at most twenty times the time."""
    small, large = make(n), make(10 * n)
    forms_from_text(small)  # warm: imports, caches
    ratio = _best(lambda: forms_from_text(large)) / _best(lambda: forms_from_text(small))
    assert ratio <= 20, ratio


def test_a_wide_target_heading_row_grows_linearly() -> None:
    """A grid row of many empty cells beside a target table's money label: linear."""

    def grid(n: int) -> list[list[str]]:
        return [
            ["项目绩效目标表"],
            ["预算数", *[""] * n, "100"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "件数", "≥1件"],
        ]

    small, large = grid(20_000), grid(200_000)
    forms_from_grid(small)
    ratio = _best(lambda: forms_from_grid(large)) / _best(lambda: forms_from_grid(small))
    assert ratio <= 20, ratio


def test_the_html_report_grows_linearly() -> None:
    """A form of many flagged rows: its HTML report finds each row's flags once, not by a
    search of every flag for every row."""

    def result(n: int) -> perfscore.EvaluationResult:
        rows = [
            {"name": f"件数{i}", "target": "≥10件", "actual": "5件", "weight": 1, "score": 1}
            for i in range(n)
        ]
        return perfscore.evaluate({"indicators": rows})

    small, large = result(300), result(3_000)
    page([small])
    ratio = _best(lambda: page([large])) / _best(lambda: page([small]))
    assert ratio <= 20, ratio
