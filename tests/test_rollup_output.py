"""The department roll-up as printed: rounded as a person writes numbers, every project with
the file it came from, and no traceback for percentages under compound targets."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

import perfscore
from perfscore.cli import run
from perfscore.report import html as htmlreport
from perfscore.report import rollup as rollupreport
from perfscore.rollup import aggregate, rounded
from perfscore.words.messages import percent
from tests.conftest import DATA, EXAMPLES

FORMS = sorted((DATA / "forms").glob("*.yaml"))


def _aggregate_json(*paths: Path) -> dict[str, Any]:
    out = io.StringIO()
    assert run(["aggregate", "--format", "json", *map(str, paths)], out, io.StringIO()) in (0, 1)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def _places(text: str | None) -> int:
    return len(text.split(".")[1]) if text and "." in text else 0


def test_json_is_rounded_as_printed() -> None:
    """Rates and averaged percentages to 0.01% (4 places of a fraction), scores and other
    averages to 0.01: no 28-digit quotients."""
    data = _aggregate_json(*FORMS, *EXAMPLES.glob("*.yaml"))
    assert _places(data["execution_rate"]) <= 4
    assert _places(data["score"]) <= 2
    for row in data["indicators"]:
        assert _places(row["value"]) <= (4 if row["unit"] == "%" else 2), row
    for row in [data, *data["projects"]]:
        for key in ("budget", "executed"):
            assert not re.fullmatch(r"\d+\.\d{3,}0", row[key] or ""), row  # no padded zeros


def test_api_keeps_the_exact_quotient() -> None:
    """The attributes stay exact; printed_* and to_dict are the rounded figures."""
    rollup = aggregate(perfscore.evaluate(f) for f in FORMS)
    assert rollup.execution_rate is not None
    assert rollup.printed_rate == rounded(rollup.execution_rate, 4)
    assert rollup.to_dict()["execution_rate"] == str(rollup.printed_rate)
    assert rollup.execution_rate != rollup.printed_rate  # a long quotient, kept whole


def test_rounded_is_half_up_without_exponent() -> None:
    """0.125 → 0.13 (half-up, not to even); 4305.00 → 4305; 1E+3 never appears."""
    assert str(rounded(Decimal("0.125"), 2)) == "0.13"
    assert str(rounded(Decimal("4305.004"), 2)) == "4305"
    assert str(rounded(Decimal("1000"), 2)) == "1000"
    assert str(rounded(Decimal("0.98665"), 4)) == "0.9867"
    assert percent(Decimal("0.96865")) == "96.87%"


def test_two_forms_of_one_project_are_told_apart(tmp_path: Path) -> None:
    """The same project name from two files: JSON, CSV, table, Markdown and both HTML pages
    name each file."""
    for name in ("dept-a", "dept-b"):
        (tmp_path / name).mkdir()
        shutil.copy(EXAMPLES / "luohu-2024-social-workers.yaml", tmp_path / name / "form.yaml")
    paths = sorted(tmp_path.rglob("form.yaml"))
    data = _aggregate_json(*paths)
    assert [p["source"] for p in data["projects"]] == [str(p) for p in paths]
    results = [perfscore.evaluate(p) for p in paths]
    rollup = aggregate(results)
    rows = list(csv.DictReader(io.StringIO(_csv(rollup).removeprefix("\ufeff"))))
    assert [r["source"] for r in rows if r["kind"] == "project"] == [str(p) for p in paths]
    table = rollupreport.rollup_table(rollup)
    assert "…/dept-a/form.yaml" in table or "dept-a/form.yaml" in table
    assert "dept-b/form.yaml" in table
    for text in (
        rollupreport.rollup_markdown(rollup),
        htmlreport.rollup_page(rollup, results),
        htmlreport.page(results).split('<section class="form"')[0],
    ):
        assert all(str(p) in text for p in paths)


def _csv(rollup: Any) -> str:
    out = io.StringIO()
    rollupreport.rollup_csv(rollup, out, "en")
    return out.getvalue()


def test_source_cell_keeps_the_file_name() -> None:
    """A long path is cut from the left: the end tells files apart."""
    cell = rollupreport.source_cell("/very/long/shared/directory/of/many/forms/pingshan-2020.yaml")
    assert cell.startswith("…")
    assert cell.endswith("pingshan-2020.yaml")
    assert len(cell) <= 28
    assert rollupreport.source_cell("a.yaml") == "a.yaml"


def test_percentages_under_a_compound_target_are_averaged() -> None:
    """Regression: a percentage actual against a compound target was summed, then divided by
    a zero weight (DivisionByZero traceback from `perfscore aggregate`)."""
    base = yaml.safe_load((EXAMPLES / "luohu-2024-social-workers.yaml").read_text("utf-8"))
    forms = []
    for actual, budget in (("95%", 100), ("85%", 300)):
        form = copy.deepcopy(base)
        form["budget"]["adjusted"] = form["budget"]["executed"] = budget
        form["indicators"][1].update(
            {"name": "衔接率和帮教率", "target": "衔接率100%，帮教率90%以上", "actual": actual}
        )
        forms.append(perfscore.evaluate(form))
    (row,) = [i for i in aggregate(forms).indicators if i.name == "衔接率和帮教率"]
    assert (row.method, row.unit, row.value) == ("weighted_mean", "%", Decimal("0.875"))
