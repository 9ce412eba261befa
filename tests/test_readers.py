"""Reading the forms people have: workbooks and published text, and writing them back."""

from __future__ import annotations

import io
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from openpyxl import Workbook

import perfscore
from perfscore import FormError
from perfscore.cli import run
from perfscore.readers import MultipleFormsWarning, load_forms
from perfscore.report.annotate import FILLS, annotate_workbook
from tests import workbooks
from tests.conftest import DATA, EXAMPLES

SEED_003 = DATA / "seeds" / "003_1f06280c6eec3f80.txt"
SEED_000 = DATA / "seeds" / "000_901614b04f88c628.txt"
LUOHU = [EXAMPLES / "luohu-2024-social-workers.yaml", EXAMPLES / "luohu-2024-notary-lawyers.yaml"]


def _outcome(result: perfscore.EvaluationResult) -> dict[str, Any]:
    """What must agree between a workbook and its YAML twin."""
    return {
        "total": result.total,
        "execution": result.execution.score if result.execution else None,
        "rows": [(r.name, r.status, r.score, r.reported_score) for r in result.indicators],
        "flags": sorted((f.code, f.path) for f in result.flags if f.code not in ("reading-note",)),
    }


def _yaml(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


# --- published text --------------------------------------------------------------------------


def test_seed_003_text_gives_the_hand_made_fixtures() -> None:
    """The tab-separated text of seed 003 reads as the two hand-made forms, field for field."""
    forms = load_forms(SEED_003)
    assert forms == [perfscore.load_form(p) for p in LUOHU]


def test_seed_003_text_scores_as_printed() -> None:
    """Scoring the text reproduces 99.9 and 93.69 with no error."""
    results = [perfscore.evaluate(f) for f in load_forms(SEED_003)]
    assert [r.total for r in results] == [
        Decimal("99.9"),
        Decimal("93.69"),
    ]
    assert all(r.ok for r in results)


def test_seed_000_wide_table() -> None:
    """Seed 000 yields 15 projects, each with budget, spending and execution rate."""
    forms = load_forms(SEED_000)
    assert len(forms) == 15
    assert all(
        f.budget and f.budget.adjusted and f.budget.executed and f.budget.rate for f in forms
    )
    first, last = forms[0], forms[-1]
    assert first.budget is not None
    assert last.budget is not None
    assert (
        first.project,
        str(first.budget.adjusted),
        str(first.budget.executed),
        first.budget.rate,
    ) == ("其他一般管理事务", "38.54", "38.51", "99.92%")
    assert (last.project, last.budget.rate) == ("防控一线工作", "100%")
    assert all(f.money_unit == "万元" and f.year == 2020 for f in forms)
    assert [i.level2 for i in first.indicators] == [
        "数量指标",
        "质量指标",
        "时效指标",
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "服务对象满意度指标",
    ]
    business = next(f for f in forms if f.project == "业务办案")
    execution = perfscore.evaluate(business).execution
    assert execution is not None
    assert execution.rate == Decimal("0.9710")


def test_load_form_says_when_a_file_holds_more() -> None:
    """load_form returns the first form and warns that there are others."""
    with pytest.warns(MultipleFormsWarning, match="holds 2 forms"):
        form = perfscore.load_form(SEED_003)
    assert form.project == "购买社工岗位服务"


def test_text_without_a_form(tmp_path: Path) -> None:
    """A text that is not a form: one error saying what was looked for."""
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n一、…\n", "utf-8")
    with pytest.raises(FormError, match="no self-evaluation form found") as info:
        load_forms(path)
    assert "三级指标" in str(info.value)


# --- workbooks -------------------------------------------------------------------------------


@pytest.mark.parametrize("per_sheet", [True, False], ids=["one per sheet", "stacked"])
def test_luohu_workbook_evaluates_as_its_twins(tmp_path: Path, per_sheet: bool) -> None:
    """Both Luohu forms in the original layout (merged cells, 100% formatted as a percentage)
    evaluate exactly as the YAML fixtures, one per sheet or both on one sheet."""
    twins = [_yaml(p) for p in LUOHU]
    book = workbooks.luohu_style(tmp_path / "luohu.xlsx", twins, per_sheet=per_sheet)
    forms = load_forms(book)
    assert len(forms) == 2
    for form, twin in zip(forms, LUOHU, strict=True):
        assert _outcome(perfscore.evaluate(form)) == _outcome(perfscore.evaluate(twin))


def test_split_target_workbook(tmp_path: Path) -> None:
    """指标性质 | 指标值 | 度量单位 compose one target; money in 万元."""
    book, twin = workbooks.split_target(tmp_path / "split.xlsx")
    (form,) = load_forms(book)
    assert [i.target for i in form.indicators][:2] == ["≥550件", "≥95%"]
    assert form.money_unit == "万元"
    assert form.year == 2023
    assert _outcome(perfscore.evaluate(form)) == _outcome(perfscore.evaluate(twin))
    assert perfscore.evaluate(form).total == Decimal("95.58")


def test_block_points_check_printed_scores(tmp_path: Path) -> None:
    """Weights printed on the blocks only, scores on the rows: the points fill ``blocks`` and
    no weight is guessed (an equal share could contradict correct scores); the scores are
    checked against their blocks."""
    book, _ = workbooks.hubei_blocks(tmp_path / "hubei.xlsx")
    (form,) = load_forms(book)
    assert [i.weight for i in form.indicators] == [None] * 4
    assert form.blocks == {"产出指标": 40, "效益指标": 30, "满意度指标": 10}
    result = perfscore.evaluate(form, rules="hubei")
    assert [f.code for f in result.flags if f.severity == "error"] == []
    assert "reading-note" not in [f.code for f in result.flags]


def test_block_weights_are_shared_when_no_score_is_printed(tmp_path: Path) -> None:
    """Weights on the blocks only and no scores printed: the points are shared within each
    block so the rows can be scored, and said so."""
    book, _ = workbooks.hubei_blocks(tmp_path / "hubei.xlsx")
    sheet_book = openpyxl.load_workbook(book)
    sheet = sheet_book.active
    for row in range(7, 11):  # the rows' 得分 cells; the total stays
        sheet.cell(row, 6).value = None
    sheet_book.save(book)
    (form,) = load_forms(book)
    assert [str(i.weight) for i in form.indicators] == ["20", "20", "30", "10"]
    result = perfscore.evaluate(form, rules="hubei")
    assert result.total == 95
    assert [f.path for f in result.flags if f.code == "reading-note"] == [
        "indicators[0].weight",
        "indicators[2].weight",
        "indicators[3].weight",
    ]


def test_partly_readable_workbook(tmp_path: Path) -> None:
    """A weight printed as words loads the rest of the form and flags that cell."""
    twin = _yaml(LUOHU[0])
    twin["indicators"][1]["weight"] = "五分"
    book = workbooks.luohu_style(tmp_path / "bad.xlsx", [twin])
    (form,) = load_forms(book)
    result = perfscore.evaluate(form)
    assert len(result.indicators) == 10
    flags = [f for f in result.flags if f.code == "unreadable-cell"]
    assert [f.path for f in flags] == ["indicators[1].weight"]
    assert "五分" in flags[0].message


def test_workbook_without_a_form(tmp_path: Path) -> None:
    """A workbook that holds no form: one clear error, through the CLI as one line."""
    path = tmp_path / "other.xlsx"
    book = Workbook()
    book.active["A1"] = "工资表"
    book.save(path)
    with pytest.raises(FormError, match="no self-evaluation form found"):
        load_forms(path)
    out, err = io.StringIO(), io.StringIO()
    assert run(["score", str(path)], out, err) == 4
    assert err.getvalue().count("\n") == 1
    assert "三级指标" in err.getvalue()


def test_every_command_reads_workbooks(tmp_path: Path) -> None:
    """score, explain and aggregate take a workbook like any form file."""
    book = workbooks.luohu_style(tmp_path / "luohu.xlsx", [_yaml(p) for p in LUOHU])
    for argv in (
        ["score", str(book)],
        ["explain", str(book), "-i", "成本控制率"],
        ["aggregate", str(book)],
    ):
        out, err = io.StringIO(), io.StringIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MultipleFormsWarning)
            assert run(argv, out, err) == 0, err.getvalue()
        assert "购买社工岗位服务" in out.getvalue()


# --- annotated workbook and conversion -------------------------------------------------------


def test_annotated_workbook_read_back(tmp_path: Path) -> None:
    """Every warning and error has a comment and a fill on its cell; scores sit beside; a
    summary sheet lists every form."""
    twins = [_yaml(p) for p in LUOHU]
    twins[0]["indicators"][0]["score"] = 25  # a met target awarded less
    twins[1]["total"] = 94  # an addition slip
    twins[0]["indicators"][3]["score"] = 5  # 4.9 printed as full marks
    book = workbooks.luohu_style(tmp_path / "in.xlsx", twins)
    out = tmp_path / "out.xlsx"
    code = run(["score", str(book), "--annotate", str(out)], io.StringIO(), io.StringIO())
    assert code == 1  # errors were found
    results = annotate_workbook(book, tmp_path / "again.xlsx")
    annotated = openpyxl.load_workbook(out)
    assert annotated.sheetnames[-1] == "perfscore"
    found = load_forms(book)
    assert len(found) == len(results) == 2
    from perfscore.readers.xlsx import forms_from_workbook

    sheets = forms_from_workbook(book)
    checked = 0
    for sheet_form, result in zip(sheets, results, strict=True):
        sheet = annotated[sheet_form.sheet]
        comments = {(c.row, c.column): c for row in sheet.iter_rows() for c in row if c.comment}
        for flag in result.flags:
            if flag.severity == "info" or flag.location not in sheet_form.form.positions:
                continue
            r, c = sheet_form.form.positions[flag.location]
            cell = comments.get((r + 1, c + 1))
            assert cell is not None, flag.path
            assert flag.code in cell.comment.text
            assert cell.fill.start_color.rgb == FILLS[flag.severity].start_color.rgb
            checked += 1
        header = [c.value for c in sheet[8]]
        assert "重算得分" in header
    assert checked >= 3
    summary = annotated["perfscore"]
    assert summary.cell(2, 2).value == "购买社工岗位服务"
    codes = {row[2].value for row in summary.iter_rows(min_row=5)}
    # The execution score is blank in these workbooks: the total's slip is a total-mismatch and
    # what the total implies for the blank score is said at the budget row.
    assert {"score-mismatch", "total-mismatch", "missing-execution-score"} <= codes


def test_annotate_needs_one_workbook() -> None:
    """--annotate with a YAML form is a usage error."""
    err = io.StringIO()
    assert run(["score", str(LUOHU[0]), "--annotate", "x.xlsx"], io.StringIO(), err) == 2
    assert "one .xlsx workbook" in err.getvalue()


def test_convert_round_trips(tmp_path: Path) -> None:
    """text → YAML → xlsx → JSON keeps every form identical."""
    steps = [tmp_path / "a.yaml", tmp_path / "b.xlsx", tmp_path / "c.json"]
    source = SEED_003
    for target in steps:
        assert run(["convert", str(source), str(target)], io.StringIO(), io.StringIO()) == 0
        source = target
    assert load_forms(steps[-1]) == load_forms(SEED_003)


def test_convert_refuses_unknown_target(tmp_path: Path) -> None:
    """An output type perfscore does not write is a usage error naming the choices."""
    err = io.StringIO()
    assert run(["convert", str(LUOHU[0]), str(tmp_path / "x.pdf")], io.StringIO(), err) == 2
    assert ".yaml, .json or .xlsx" in err.getvalue()


# --- header spellings: every reader accepts every label of the field table -------------------


def _relabelled(tmp_path: Path, labels: dict[str, str]) -> Path:
    """The Luohu notary workbook with some header labels printed another way."""
    book = workbooks.luohu_style(tmp_path / "relabelled.xlsx", [_yaml(LUOHU[1])])
    workbook = openpyxl.load_workbook(book)
    for row in workbook.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value in labels:
                cell.value = labels[cell.value]
    workbook.save(book)
    return book


def test_reason_column_headed_weiwancheng_yuanyin_fenxi(tmp_path: Path) -> None:
    """A reason column headed 未完成原因分析及改进措施 is read (it was lost, and the row that
    falls short got a false missing-reason)."""
    book = _relabelled(tmp_path, {"偏差原因分析及改进措施": "未完成原因分析及改进措施"})
    (form,) = load_forms(book)
    twin = perfscore.load_form(LUOHU[1])
    assert [i.reason for i in form.indicators] == [i.reason for i in twin.indicators]
    assert form.indicators[1].reason
    assert "missing-reason" not in [f.code for f in perfscore.evaluate(form).flags]


def test_budget_executed_headed_shiji_zhichu(tmp_path: Path) -> None:
    """A budget whose spending is headed 实际支出 (a spelling the form format accepts) is read
    (the workbook's budget was lost)."""
    book = _relabelled(tmp_path, {"全年执行数": "实际支出"})
    (form,) = load_forms(book)
    twin = perfscore.load_form(LUOHU[1])
    assert form.budget is not None
    assert twin.budget is not None
    assert (form.budget.adjusted, form.budget.executed) == (
        twin.budget.adjusted,
        twin.budget.executed,
    )
