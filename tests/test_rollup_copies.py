"""The roll-up counts each form once, names what it leaves out, keeps the unit a sum was
printed in, and sums time delivered (issue 20)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import yaml

import perfscore
from perfscore.report.rollup import rollup_csv, rollup_markdown, rollup_table
from perfscore.rollup import aggregate
from tests.conftest import EXAMPLES


def test_a_form_and_its_converted_copy_count_once(tmp_path: Path) -> None:
    """form.yaml and the form.json converted from it, in one folder: counted once, the copy
    named."""
    shutil.copy(EXAMPLES / "luohu-2024-social-workers.yaml", tmp_path / "form.yaml")
    data = yaml.safe_load((tmp_path / "form.yaml").read_text("utf-8"))
    (tmp_path / "form.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    results = [perfscore.evaluate(tmp_path / n) for n in ("form.yaml", "form.json")]
    once = aggregate(results[:1])
    rollup = aggregate(results)
    assert rollup.budget == once.budget
    assert [i.value for i in rollup.indicators] == [i.value for i in once.indicators]
    assert rollup.duplicates == (str(tmp_path / "form.json"),)
    assert rollup.to_dict()["duplicates"] == [str(tmp_path / "form.json")]
    assert str(tmp_path / "form.json") in rollup_table(rollup)


def _form(rows: list[dict[str, object]]) -> perfscore.EvaluationResult:
    form = {
        "project": "p",
        "year": 2020,
        "money_unit": "万元",
        "budget": {"adjusted": 100, "executed": 100},
        "indicators": rows,
    }
    return perfscore.evaluate(form)


def test_rows_left_out_are_listed_with_why() -> None:
    """A row the engine could not judge is not summed, and the roll-up says which and why."""
    result = _form(
        [
            {"name": "培训次数", "target": "≥1次", "actual": "2次"},
            {"name": "培训效果反馈", "target": "较好", "actual": "80&"},
        ]
    )
    rollup = aggregate([result])
    assert [i.name for i in rollup.indicators] == ["培训次数"]
    assert [(p, n) for p, n, _ in rollup.dropped] == [("p", "培训效果反馈")]
    # Every text output says so too, not only the model and its JSON.
    for lang in ("zh", "en"):
        assert "培训效果反馈" in rollup_table(rollup, lang)
        assert "培训效果反馈" in rollup_markdown(rollup, lang)
    out = io.StringIO()
    rollup_csv(rollup, out, "en")
    rows = list(csv.DictReader(io.StringIO(out.getvalue().removeprefix("\ufeff"))))
    dropped = [r for r in rows if r["kind"] == "dropped"]
    assert [(r["source"], r["name"]) for r in dropped] == [("p", "培训效果反馈")]
    assert dropped[0]["note"]


def test_a_sum_printed_in_wan_stays_in_wan() -> None:
    """3790.19万 sums as 3790.19万, never 37901900 with no unit."""
    rollup = aggregate(
        [_form([{"name": "帮助群众挽回的经济损失", "target": "2000万", "actual": "3790.19万"}])]
    )
    (row,) = rollup.indicators
    assert (row.method, row.unit, row.printed, row.shown) == (
        "sum",
        "万",
        Decimal("3790.19"),
        "3790.19万",
    )


def test_time_delivered_is_summed_and_an_average_duration_is_not() -> None:
    """线上法律服务时长 ≥1000小时 is an absolute value (seed 001 note 4); 案件平均调解时长 is
    an average."""
    forms = [
        _form(
            [
                {"name": "线上法律服务时长", "target": "≥1000小时", "actual": f"{hours}小时"},
                {"name": "案件平均调解时长", "target": "≤7天", "actual": f"{days}天"},
            ]
        )
        for hours, days in ((1000, 6), (500, 4))
    ]
    rows = {i.name: (i.method, i.shown) for i in aggregate(forms).indicators}
    assert rows["线上法律服务时长"] == ("sum", "1500小时")
    assert rows["案件平均调解时长"] == ("weighted_mean", "5天")
