"""Published text without tabs (seed 001) and the department form's goal tables (seed 002)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from perfscore.form.model import Form, form_from_data
from perfscore.readers import load_forms
from perfscore.readers.text import forms_from_text
from tests.conftest import DATA

SEED_001 = DATA / "seeds" / "001_aa12b68a981f2731.txt"
SEED_002 = DATA / "seeds" / "002_8b48cda346f1f3a9.txt"
PINGSHAN = [
    DATA / "forms" / f"pingshan-2020-{name}.yaml"
    for name in (
        "community-correction",
        "general-admin",
        "grassroots",
        "rule-of-law",
        "training",
        "other-judicial",
    )
]
CAIDIAN = DATA / "forms" / "caidian-2020-department.yaml"


def _fixture(path: Path) -> Form:
    return form_from_data(yaml.safe_load(path.read_text("utf-8")))


def _without(form: Form, *keys: str) -> Form:
    return form.model_copy(update=dict.fromkeys(keys, ()))


# --- seed 001: cells separated by spaces, labels broken over lines ---------------------------


def test_seed_001_reads_as_six_forms() -> None:
    forms = load_forms(SEED_001)
    assert len(forms) == 6
    assert [f.project for f in forms] == [_fixture(p).project for p in PINGSHAN]


@pytest.mark.parametrize("index", range(6))
def test_seed_001_gives_the_hand_made_fixtures(index: int) -> None:
    """Every form of seed 001 reads field for field as its hand-made YAML twin."""
    form = load_forms(SEED_001)[index]
    assert _without(form, "notes") == _fixture(PINGSHAN[index])


def test_seed_001_first_form_scores() -> None:
    """The first form: 16 indicators, 529.99 / 528.66 = 99.75%."""
    result = perfscore.evaluate(load_forms(SEED_001)[0])
    assert len(result.indicators) == 16
    assert result.execution is not None
    assert result.execution.rate == Decimal("0.9975")
    assert not result.errors
    reasons = [r.name for r in result.indicators]
    assert reasons[2] == "社区矫正人员每月参加公益活动"


def test_seed_001_row_without_spaces_is_split_and_noted() -> None:
    """A row whose cells all wrapped is split by content, with a note for the auditor."""
    form = load_forms(SEED_001)[5]
    assert form.indicators[1].target == "群众≥5000人；公司≥200家"
    assert [n.path for n in form.notes] == ["indicators[1]"]
    result = perfscore.evaluate(form)
    assert any(f.code == "reading-note" and f.path == "indicators[1]" for f in result.flags)


_LEVEL2_ORDER = ["数量指标", "质量指标", "时效指标", "成本指标"]


def _pieces(text: str, sizes: list[int]) -> list[str]:
    """``text`` broken into lines of the given sizes (the last takes the rest)."""
    out, at = [], 0
    for size in sizes:
        if at >= len(text):
            break
        out.append(text[at : at + size])
        at += size
    if at < len(text):
        out.append(text[at:])
    return out


def _spaced(form: Form, sizes: list[int], wrap: int) -> str:
    """``form`` printed as a PDF's text: spaces between cells, group labels broken into pieces of
    ``sizes`` characters, names longer than ``wrap`` characters wrapped before their row."""
    lines = [
        f"{form.project}项目支出绩效自评表",
        f"（{form.year}年度）",
        f"项目名称 {form.project} 项目起止时间 {form.year}.1.1-{form.year}.12.31",
        f"主管部门 {form.unit} 实施单位 {form.unit}",
        f"项目资金（{form.money_unit}）",
        "全年预算数（A） 全年执行数（B） 执行率（B/A)",
    ]
    assert form.budget is not None
    amounts = f"{form.budget.adjusted} {form.budget.executed} {form.budget.rate}"
    lines += [f"年度资金总额： {amounts}", "其中：上级转移支", "付资金", amounts]
    lines += ["绩", "效", "指", "标", *_pieces("一级指标", sizes)]
    lines.append("二级指标 三级指标 年度指标值 全年完成值")
    lines += _pieces("未完成原因和改进措施", [7])
    level1 = level2 = None
    reason = None
    for ind in form.indicators:
        if ind.level1 != level1:
            level1, level2 = ind.level1, None
            lines += _pieces(ind.level1 or "", sizes)
        if ind.level2 != level2:
            level2 = ind.level2
            lines += _pieces(ind.level2 or "", sizes)
        # A wrapped name prints its lines alone, then the row's other cells; (after a reason,
        # which line belongs to which cell is not in the text: such pages are not generated).
        if len(ind.name) > wrap and not reason:
            lines += [*_pieces(ind.name, [wrap]), f"{ind.target} {ind.actual}"]
        else:
            lines.append(f"{ind.name} {ind.target} {ind.actual}")
        reason = ind.reason
        if reason:
            lines += _pieces(reason, [7])
    lines += ["说明 请在此处简要说明……", "填表人： 某 某 联系电话： 0755-00000000", ""]
    return "\n\n".join(lines)


@given(
    index=st.integers(0, 4),
    sizes=st.lists(st.integers(1, 4), min_size=1, max_size=4),
    wrap=st.integers(8, 30),
)
def test_spaced_layout_reads_back_whatever_the_breaks(
    index: int, sizes: list[int], wrap: int
) -> None:
    """A form printed without tabs — labels broken anywhere, long names wrapped — reads back
    as the form."""
    form = _fixture(PINGSHAN[index])
    (read,) = [form_from_data(f.data) for f in forms_from_text(_spaced(form, sizes, wrap))]
    assert read == form


def test_spaced_layout_with_stray_tabs() -> None:
    """A tab here and there (a PDF's wide gap) does not make the page a tab-separated table."""
    text = SEED_001.read_text("utf-8").replace("项目名称 社区矫正 ", "项目名称\t社区矫正 ", 1)
    assert "\t" in text
    forms = forms_from_text(text)
    assert len(forms) == 6
    assert len(forms[0].data["indicators"]) == 16
    assert forms[0].data["project"] == "社区矫正"


def test_spaced_layout_glues_values_printed_with_spaces() -> None:
    """``不少于 1 次`` and ``550 件以上`` are one cell each, not three."""
    text = "\n".join(
        [
            "测试项目支出绩效自评表",
            "（2021年度）",
            "项目名称 测试 实施单位 某局",
            "二级指标 三级指标 年度指标值 全年完成值",
            "数量指标",
            "召开会议次数 不少于 1 次 3 次",
            "办理案件数 550 件以上 660 件",
        ]
    )
    (form,) = forms_from_text(text)
    rows = [(i["name"], i["target"], i["actual"]) for i in form.data["indicators"]]
    assert rows == [("召开会议次数", "不少于1次", "3次"), ("办理案件数", "550件以上", "660件")]


def test_spaced_layout_name_with_a_space_and_a_reason_column() -> None:
    text = "\n".join(
        [
            "测试项目支出绩效自评表",
            "项目名称 测试 实施单位 某局",
            "二级指标 三级指标 年度指标值 全年完成值 偏差原因分析及改进措施",
            "数量指标",
            "51 个社区实际配备律师数 51人 51人",
            "培训次数 ≥4次 3次 受疫情影响停办一次",
        ]
    )
    (form,) = forms_from_text(text)
    first, second = form.data["indicators"]
    assert (first["name"], first["target"], first["actual"]) == (
        "51 个社区实际配备律师数",
        "51人",
        "51人",
    )
    assert "reason" not in first
    assert second["reason"] == "受疫情影响停办一次"


def test_spaced_layout_reads_weights_scores_and_total() -> None:
    text = "\n".join(
        [
            "测试项目支出绩效自评表",
            "项目名称 测试 实施单位 某局 绩效自评年度 2024年",
            "项目资金（元）",
            "年初预算数 全年预算数 全年执行数 分值 执行率 得分",
            "年度资金总额 100 100 90 10 90% 9",
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 权重 得分",
            "产出指标 数量指标 培训次数 ≥4次 4次 50 50",
            "效益指标 社会效益指标 覆盖率 ≥90% 95% 30 30",
            "满意度指标 服务对象满意度指标 满意度 ≥90% 92% 10 10",
            "总分 99",
        ]
    )
    (grid,) = forms_from_text(text)
    form = form_from_data(grid.data)
    assert form.year == 2024
    assert form.budget is not None
    assert (form.budget.initial, form.budget.score) == (Decimal(100), Decimal(9))
    assert [i.weight for i in form.indicators] == [Decimal(50), Decimal(30), Decimal(10)]
    assert form.total == Decimal(99)
    assert perfscore.evaluate(form).total == Decimal(99)


# --- seed 002: the department form's four goal tables ----------------------------------------


def test_seed_002_gives_the_hand_made_fixture() -> None:
    """Every target and completion in its column, 产出指标 without its space, the unit kept."""
    (form,) = load_forms(SEED_002)
    assert _without(form, "goals", "notes") == _fixture(CAIDIAN)
    assert form.unit == form.project == "蔡甸区司法局"
    assert len(form.goals) == 4
    assert form.goals[3].startswith("监督管理袁家台方舱医院餐食工作")


def test_seed_002_goal_tables_stay_apart() -> None:
    (form,) = load_forms(SEED_002)
    result = perfscore.evaluate(form)
    assert not [f for f in result.flags if f.code == "duplicate-indicator"]
    assert [sum(1 for i in form.indicators if i.goal == g) for g in (1, 2, 3, 4)] == [13, 12, 9, 9]


GOAL_HEADER = "年度 绩效 目标 完成 情况\t一级 指标\t二级 指标\t三级指标\t年初目标值\t实际完成值"


def _goal_grid(form: Form, drift: list[int], extra: list[bool]) -> str:
    """``form``'s goal tables as tab-separated rows, each row drifting: ``drift`` leading empty
    cells added or dropped, ``extra`` an empty cell after the name."""
    rows = [
        "2020 年度某局部门整体绩效自评表",
        "单位名称\t某局",
        "预算执行情况 (万元)\t\t预算数 (A)\t执行数 (B)\t执行率 (B/A)",
        "\t部门整体支出总额\t4,262.41\t4,262.41\t100%",
    ]
    goal = None
    level1 = level2 = None
    for n, ind in enumerate(form.indicators):
        if ind.goal != goal:
            goal, level1, level2 = ind.goal, None, None
            rows.append(f"年度目标 {goal}: 第{goal}项目标")
            if goal != 3:  # one table printed without its header
                rows.append(GOAL_HEADER)
        cells = ["" if ind.level1 == level1 else " ".join(ind.level1 or "")]
        cells.append("" if ind.level2 == level2 else (ind.level2 or ""))
        level1, level2 = ind.level1, ind.level2
        shift = drift[n % len(drift)]
        lead = [""] * max(0, 1 + shift)
        if not cells[0] and shift < 0:
            cells = cells[1:]
        cells += [ind.name, *([""] if extra[n % len(extra)] else []), ind.target or ""]
        cells.append(ind.actual or "")
        rows.append("\t".join(lead + cells))
    rows.append("\t偏差大或目前未完成原因分析")
    return "\n".join(rows)


@given(
    drift=st.lists(st.integers(-1, 1), min_size=1, max_size=5),
    extra=st.lists(st.booleans(), min_size=1, max_size=5),
)
def test_goal_tables_read_back_whatever_the_drift(drift: list[int], extra: list[bool]) -> None:
    """Rows drifting a column left or right, an empty cell after the name, a table without its
    header: every indicator reads back with its goal, name, target and completion."""
    form = _fixture(CAIDIAN)
    form = form.model_copy(
        update={"indicators": tuple(i for i in form.indicators if i.actual is not None)}
    )
    (found,) = forms_from_text(_goal_grid(form, drift, extra))
    read = form_from_data(found.data)
    assert [(i.goal, i.level1, i.level2, i.name, i.target, i.actual) for i in read.indicators] == [
        (i.goal, i.level1, i.level2, i.name, i.target, i.actual) for i in form.indicators
    ]
    assert read.unit == "某局"


def test_goal_tables_in_a_workbook_read_as_in_text(tmp_path: Path) -> None:
    """The same rows in a workbook (as a department's own spreadsheet holds them) read as the
    text does: the goal tables are the grid reader's, whatever the file."""
    from openpyxl import Workbook

    lines = SEED_002.read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith("部门整体绩效自评表"))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in lines[start:]:
        sheet.append(line.split("\t"))
    workbook.save(tmp_path / "dept.xlsx")
    (from_workbook,) = load_forms(tmp_path / "dept.xlsx")
    (from_text,) = load_forms(SEED_002)
    assert from_workbook.indicators == from_text.indicators
    assert from_workbook.goals == from_text.goals
    assert from_workbook.unit == "蔡甸区司法局"


def test_spaced_layout_budget_with_its_funds() -> None:
    """A budget header naming 其中财政资金 and 其他资金 gives each number its column (the
    funds' columns were unknown to the text reader, so the spending read as 财政资金)."""
    text = "\n".join(
        [
            "测试项目支出绩效自评表",
            "项目名称 测试 实施单位 某局",
            "项目资金（元）",
            "全年预算数 其中财政资金 其他资金 全年执行数 执行率",
            "年度资金总额 100 80 20 90 90%",
            "二级指标 三级指标 年度指标值 全年完成值",
            "数量指标",
            "培训次数 ≥4次 4次",
        ]
    )
    (form,) = forms_from_text(text)
    assert form.data["budget"] == {
        "adjusted": "100",
        "fiscal": "80",
        "other": "20",
        "executed": "90",
        "rate": "90%",
    }


def test_spaced_layout_actual_headed_shiji_wancheng_qingkuang() -> None:
    """A completion column headed 实际完成情况 (as the grid reader accepts it) is read as the
    actual, not folded into the name."""
    text = "\n".join(
        [
            "测试项目支出绩效自评表",
            "项目名称 测试 实施单位 某局",
            "二级指标 三级指标 年度指标值 实际完成情况",
            "数量指标",
            "培训次数 ≥4次 4次",
        ]
    )
    (form,) = forms_from_text(text)
    (row,) = form.data["indicators"]
    assert (row["name"], row["target"], row["actual"]) == ("培训次数", "≥4次", "4次")
