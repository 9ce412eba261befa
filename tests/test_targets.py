"""Target tables (绩效目标表): seed 004's six tables, every check, a clean table, workbooks."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

import perfscore
from perfscore.cli import run
from perfscore.readers import load_forms
from tests.conftest import DATA

SEED_004 = DATA / "seeds" / "004_f2f3303566fa8c39.txt"

#: A well-written target table: measurable targets in the right units, descriptions and bases
#: that say something, a steady spending plan.
CLEAN: dict[str, Any] = {
    "kind": "targets",
    "code": "130303210196XGDESKDNM",
    "project": "社区矫正专项经费",
    "year": 2021,
    "unit": "某区司法局",
    "budget": {"adjusted": 200000, "fiscal": 200000, "other": 0},
    "purpose": "社区矫正日常监管、教育帮扶和社工购买服务",
    "spending_plan": [
        {"when": "3月底", "share": "25%"},
        {"when": "6月底", "share": "55%"},
        {"when": "10月底", "share": "85%"},
        {"when": "12月底", "share": "100%"},
    ],
    "goals": ["保障社区矫正工作持续稳定开展", "矫正对象零脱管"],
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "矫正对象走访人次",
            "description": "全年对在册矫正对象开展走访的人次",
            "target": "≥600人次",
            "basis": "2020年在册矫正对象平均50人，每人每月走访一次",
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "矫正对象脱管率",
            "description": "脱管人数占在册矫正对象人数的比例",
            "target": "≤1%",
            "basis": "省司法厅社区矫正工作考核办法",
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "报到登记办理时长",
            "description": "矫正对象到司法所报到至完成登记的工作日",
            "target": "≤3个工作日",
            "basis": "《社区矫正法实施办法》第十七条",
        },
        {
            "level1": "产出指标",
            "level2": "成本指标",
            "name": "人均监管成本",
            "description": "全年监管经费除以在册矫正对象人数",
            "target": "≤4000元",
            "basis": "2020年决算人均3860元",
        },
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "矫正期间重新犯罪率",
            "description": "矫正期间重新犯罪人数占在册人数的比例",
            "target": "≤0.2%",
            "basis": "近三年平均0.15%",
        },
        {
            "level1": "满意度指标",
            "level2": "服务对象满意度指标",
            "name": "矫正对象满意度",
            "description": "年终问卷调查中表示满意的比例",
            "target": "≥90%",
            "basis": "2020年问卷结果92%",
        },
    ],
}


def _set(index: int, **fields: Any) -> Callable[[dict[str, Any]], None]:
    def apply(form: dict[str, Any]) -> None:
        form["indicators"][index].update(fields)

    return apply


def _plan(*shares: str) -> Callable[[dict[str, Any]], None]:
    def apply(form: dict[str, Any]) -> None:
        for point, share in zip(form["spending_plan"], shares, strict=True):
            point["share"] = share

    return apply


def _drop_block(form: dict[str, Any]) -> None:
    form["indicators"] = [i for i in form["indicators"] if i["level1"] != "效益指标"]


TARGET_CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("spending-plan-decreasing", _plan("25%", "55%", "50%", "100%"), "spending_plan[2].share"),
    ("spending-plan-incomplete", _plan("25%", "55%", "85%", "95%"), "spending_plan[3].share"),
    ("spending-plan-back-loaded", _plan("10%", "30%", "75%", "100%"), "spending_plan[1].share"),
    ("structure", _drop_block, "indicators"),
    ("rate-over-100", _set(5, target="≥120%"), "indicators[5].target"),
    ("uninformative-text", _set(0, description="矫正对象走访人次"), "indicators[0].description"),
    ("cost-direction", _set(3, target="≥4000元"), "indicators[3].target"),
    ("name-placeholder", _set(1, name="矫正对象脱管率($)"), "indicators[1].name"),
]


def _flags(mutate: Callable[[dict[str, Any]], None] | None = None) -> list[Any]:
    form = copy.deepcopy(CLEAN)
    if mutate:
        mutate(form)
    return list(perfscore.evaluate(form).flags)


def test_clean_table_has_no_warning() -> None:
    """A well-written table gets no warning or error, and no scores."""
    result = perfscore.evaluate(CLEAN)
    assert [f for f in result.flags if f.severity != "info"] == []
    assert result.total is None
    assert all(r.status == "not_judged" and r.score is None for r in result.indicators)


@pytest.mark.parametrize(("code", "mutate", "path"), TARGET_CASES, ids=[c[0] for c in TARGET_CASES])
def test_target_check(code: str, mutate: Callable[[dict[str, Any]], None], path: str) -> None:
    """Each check fires on the faulty table at its path; the clean table does not raise it."""
    flagged = [f for f in _flags(mutate) if f.code == code]
    assert [f.path for f in flagged][:1] == [path]
    assert not [f for f in _flags() if f.code == code]


def test_seed_004_loads_every_field() -> None:
    """Six tables with code, name, unit, budget, plan, goals and six-field indicators."""
    forms = load_forms(SEED_004)
    assert [f.project for f in forms] == [
        "人事代理专项补助",
        "社区矫正专项经费",
        "法律顾问聘用经费",
        "社区戒毒专项经费",
        "法律援助专项经费",
        "人民调解经费",
    ]
    first = forms[0]
    assert first.kind == "targets"
    assert first.code == "130303210196XGDESKDNM"
    assert first.unit == "315001秦皇岛市山海关区司法局本级"
    assert first.budget is not None
    assert (str(first.budget.adjusted), str(first.budget.fiscal), str(first.budget.other)) == (
        "107000.00",
        "107000.00",
        "0",
    )
    assert [(p.when, p.share) for p in first.spending_plan] == [
        ("3月底", "25.00%"),
        ("6月底", "50.00%"),
        ("10月底", "75.00%"),
        ("12月底", "100.00%"),
    ]
    assert first.goals == (
        "1.保障人事代理人员基本经费",
        "2.保障基层工作顺利开展",
        "3.提高基层工作人员整体效率",
    )
    assert all(len(f.indicators) == 7 for f in forms)
    broken = first.indicators[3]  # a cell broken over a blank line in the text
    assert (broken.name, broken.description, broken.target, broken.basis) == (
        "资金使用效益",
        "资金支出情况",
        "≥95百分比",
        "资金支出情况",
    )
    assert all(
        i.level1 and i.level2 and i.name and i.target and i.description and i.basis
        for f in forms
        for i in f.indicators
    )


def test_seed_004_quirks_are_flagged() -> None:
    """Every quirk of seed 004 named in the brief gets its flag."""
    found = {
        (f.code, form.project, f.path)
        for form in load_forms(SEED_004)
        for f in perfscore.evaluate(form).flags
    }
    assert ("unit-mismatch", "人事代理专项补助", "indicators[0].target") in found  # ≤2人, 脱管率
    assert ("unmeasurable-target", "法律顾问聘用经费", "indicators[2].target") in found  # 及时受理
    assert ("ceiling-target", "社区戒毒专项经费", "indicators[5].target") in found  # ≥100百分比
    assert ("name-placeholder", "法律援助专项经费", "indicators[4].name") in found  # 案件办结率($)
    assert ("uninformative-text", "人事代理专项补助", "indicators[0].description") in found
    assert ("uninformative-text", "人事代理专项补助", "indicators[3].basis") in found
    assert ("structure", "社区矫正专项经费", "indicators") in found  # no 质量指标
    notes = [
        f
        for form in load_forms(SEED_004)
        if form.project == "社区矫正专项经费"
        for f in perfscore.evaluate(form).flags
        if f.code == "structure"
    ]
    assert "质量指标" in notes[0].message
    codes = {code for code, _, _ in found}
    assert "missing-value" not in codes  # nothing is completed in a target table
    assert "unscored-form" not in codes


def test_targets_through_the_cli(tmp_path: Path) -> None:
    """score in every format and explain take target tables."""
    for fmt in ("table", "json", "markdown", "csv", "html"):
        out = io.StringIO()
        assert (
            run(["score", "--format", fmt, "--fail-on", "never", str(SEED_004)], out, io.StringIO())
            == 0
        )
        assert "人民调解经费" in out.getvalue()
    out = io.StringIO()
    run(["score", str(SEED_004)], out, io.StringIO())
    assert "年度指标值" in out.getvalue()
    assert "≥95百分比" in out.getvalue()


def test_targets_round_trip_yaml_and_xlsx(tmp_path: Path) -> None:
    """A target table converts to YAML and to a workbook and reads back the same."""
    for target in (tmp_path / "t.yaml", tmp_path / "t.json"):
        assert run(["convert", str(SEED_004), str(target)], io.StringIO(), io.StringIO()) == 0
        assert load_forms(target) == load_forms(SEED_004)


def test_target_workbook(tmp_path: Path) -> None:
    """A target table laid out in a workbook reads as its YAML twin."""
    path = tmp_path / "targets.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["社区矫正专项经费绩效目标表"])
    sheet.append(["项目编码", CLEAN["code"], "项目名称", CLEAN["project"]])
    sheet.append(["实施单位", CLEAN["unit"]])
    sheet.append(["预算数", 200000, "其中：财政资金", 200000, "其他资金", 0])
    sheet.append(["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"])
    sheet.append(["", "25%", "55%", "85%", "100%"])
    sheet.append(["绩效目标", "\n".join(CLEAN["goals"])])
    sheet.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
    for ind in CLEAN["indicators"]:
        sheet.append(
            [
                ind["level1"],
                ind["level2"],
                ind["name"],
                ind["description"],
                ind["target"],
                ind["basis"],
            ]
        )
    book.save(path)
    (form,) = load_forms(path)
    twin = perfscore.form.model.form_from_data(
        {k: v for k, v in CLEAN.items() if k not in ("year", "purpose")}
    )
    assert form == twin
