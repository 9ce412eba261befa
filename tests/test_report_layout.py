"""What the text and HTML reports print for target tables, unscored forms and budgets without
an executed amount: nothing the form does not have, and no status the API does not give."""

from __future__ import annotations

import copy
import re
from typing import Any, Literal

import pytest
import yaml

import perfscore
from perfscore.readers import load_forms
from perfscore.report import formats as report
from perfscore.report import html as htmlreport
from perfscore.report.explain import explain
from tests.conftest import DATA, EXAMPLES

SEED_004 = DATA / "seeds" / "004_f2f3303566fa8c39.txt"
SOCIAL: dict[str, Any] = yaml.safe_load(
    (EXAMPLES / "luohu-2024-social-workers.yaml").read_text("utf-8")
)


def _unscored() -> dict[str, Any]:
    form = copy.deepcopy(SOCIAL)
    for row in form["indicators"]:
        row.pop("weight", None)
        row.pop("score", None)
    form["budget"].pop("weight", None)
    form["budget"].pop("score", None)
    form.pop("total", None)
    return form


def _text(result: perfscore.EvaluationResult, fmt: str, lang: str) -> str:
    """The form's report up to its flags (whose messages may say anything)."""
    if fmt == "table":
        text = report.to_table(result, lang)
        return re.split(r"^(?:错误|警告|提示|error|warning|note)  ", text, maxsplit=1, flags=re.M)[
            0
        ]
    if fmt == "markdown":
        return report.to_markdown(result, lang).split("| 级别 |")[0].split("| Severity |")[0]
    # The form's own section (the page's summary lists totals for every form).
    page = htmlreport.page([result], lang).split('<section class="form"', 1)[1]
    return page.split('<ul class="flags">')[0]


FORMATS = ["table", "markdown", "html"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_target_table_shows_targets_not_judgements(fmt: str, lang: Literal["zh", "en"]) -> None:
    """Seed 004: no status, actual, weight or score column and no total; the API's status is
    not_judged and no report says otherwise."""
    result = perfscore.evaluate(load_forms(SEED_004)[0], lang=lang)
    assert {r.status for r in result.indicators} == {"not_judged"}
    text = _text(result, fmt, lang)
    header = report.INDICATOR_HEADER[lang]
    for absent in (*header[5:], "总分", "Total", "total -", "目标 ", " target\n"):
        assert absent not in text.replace("Targets", ""), absent
    for present in (*header[1:5], "≥90百分比", "107000"):
        assert present in text
    assert report.shown_columns(result) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unscored_form_has_no_scores(fmt: str) -> None:
    """An unscored form: its execution rate without a score, no empty score columns, no total."""
    result = perfscore.evaluate(_unscored())
    assert result.total is None
    text = _text(result, fmt, "zh")
    assert "100%" in text
    for absent in ("得分", "权重", "总分", "10 / 10"):
        assert absent not in text, absent
    if fmt == "table":
        assert "预算执行率 100%\n" in text


@pytest.mark.parametrize("fmt", ["table", "markdown"])
@pytest.mark.parametrize(
    ("budget", "missing"),
    [
        ({"adjusted": 2025000}, "未填写全年执行数"),
        ({"executed": 2025000}, "未填写全年预算数"),
        ({"adjusted": 0, "executed": 100}, "全年预算数为 0"),
    ],
)
def test_budget_without_a_rate_says_what_is_missing(
    fmt: str, budget: dict[str, Any], missing: str
) -> None:
    """预算执行率 - says why, and no 得分  / 10 with an empty score."""
    form = copy.deepcopy(SOCIAL)
    form["budget"] = {**budget, "weight": 10}
    text = _text(perfscore.evaluate(form), fmt, "zh")
    assert re.search(rf"预算执行率 - +\({missing}\)", text)
    assert not re.search(r"得分\s+/", text)


def test_scored_form_keeps_every_column_and_its_total() -> None:
    """Seed 003's scored form: the execution score, all ten columns and the total."""
    result = perfscore.evaluate(SOCIAL)
    text = report.to_table(result)
    assert "预算执行率 100%  得分 10 / 10  (填报 -)" in text
    assert report.shown_columns(result) == list(range(10))
    assert "总分 99.9  (填报 99.9)  等级 优" in text


def test_explain_target_table_shows_targets_only() -> None:
    """explain of a target table: targets and flags, no empty 预算执行, 实际完成值 or 结果."""
    text = explain(perfscore.evaluate(load_forms(SEED_004)[0]))
    assert "年度指标值: “≤2人”" in text
    for absent in ("预算执行", "实际完成值", "结果", "无法判断", "（空）"):
        assert absent not in text, absent


def test_explain_unscored_form_gives_the_rate_without_a_score() -> None:
    """An unscored form's execution is its rate: no 得分 = 权重 × … line."""
    text = explain(perfscore.evaluate(_unscored()))
    section = text.split("预算执行", 1)[1].split("\n\n", 1)[0]
    assert "执行率 = 2025000 / 2025000" in section
    assert "得分" not in section
