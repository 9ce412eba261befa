"""The annotated workbook pins each flag on its own cell — a blank budget score on the budget's
score cell, a missing reason on the blank reason cell, the row's name where the form has no such
column — and stores scores, totals and the execution rate as numbers."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from perfscore.cli import run
from tests.conftest import EXAMPLES

openpyxl = pytest.importorskip("openpyxl")

NOTARY = EXAMPLES / "luohu-2024-notary-lawyers.yaml"
SHEET = "公证律师管理经费"
# missing-execution-score is a note by default: a warning here, so that it is pinned.
RULES = "name: w\ntitle: w\nextends: national-2020\nseverity: {missing-execution-score: warning}\n"


def _book(tmp_path: Path, edit: Any) -> Path:
    """The notary form as a workbook, edited: row 7 is the budget, row 8 the indicator header,
    row 10 the indicator scored 0 of 6 (its reason in column H)."""
    book = tmp_path / "form.xlsx"
    assert run(["convert", str(NOTARY), str(book)], io.StringIO(), io.StringIO()) == 0
    workbook = openpyxl.load_workbook(book)
    edit(workbook[SHEET])
    workbook.save(book)
    return book


def _annotated(tmp_path: Path, book: Path) -> Any:
    (tmp_path / "w.yaml").write_text(RULES, "utf-8")
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "annotated.xlsx"
    argv = ["score", str(book), "--rules", str(tmp_path / "w.yaml"), "--annotate", str(target)]
    run(argv, out, err)
    assert target.exists(), err.getvalue()
    return openpyxl.load_workbook(target)


def _pinned(sheet: Any) -> dict[str, str]:
    """Each commented cell and the flag codes on it."""
    return {
        cell.coordinate: " ".join(re.findall(r"\(([a-z0-9-]+)\)", cell.comment.text))
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment
    }


def test_blank_cells_carry_their_own_flags(tmp_path: Path) -> None:
    """A blank budget score (its 得分 column present) is flagged on G7, not 年初预算数 (B7); a
    blank reason on H10, not the score."""

    def edit(sheet: Any) -> None:
        sheet["G6"] = "得分"
        sheet["H10"] = None

    sheet = _annotated(tmp_path, _book(tmp_path, edit))[SHEET]
    pinned = _pinned(sheet)
    assert pinned["G7"] == "missing-execution-score"
    assert pinned["H10"] == "missing-reason"
    assert "B7" not in pinned
    # In the report's words: severity, the catalogue's title, the row as the form numbers it.
    assert sheet["H10"].comment.text.startswith("警告 缺少偏差原因 (missing-reason) 第2项「")


def test_without_the_column_the_rows_name_carries_the_flag(tmp_path: Path) -> None:
    """No 得分 column in the budget: the budget row's label (A7); no reason column: the row's
    name (C10)."""

    def edit(sheet: Any) -> None:
        sheet.delete_cols(8)

    pinned = _pinned(_annotated(tmp_path, _book(tmp_path, edit))[SHEET])
    assert pinned["A7"] == "missing-execution-score"
    assert pinned["C10"] == "missing-reason"


def test_scores_and_totals_are_numbers(tmp_path: Path) -> None:
    """重算得分 cells and the summary's 填报总分 / 重算总分 are numeric cells, not text."""
    workbook = _annotated(tmp_path, _book(tmp_path, lambda sheet: None))
    summary = workbook["perfscore"]
    assert [c.value for c in summary[1]][2:4] == ["填报总分", "重算总分"]
    printed, recomputed = summary.cell(2, 3), summary.cell(2, 4)
    assert (printed.data_type, recomputed.data_type) == ("n", "n")
    assert Decimal(str(recomputed.value)) == Decimal("93.69")
    scores = [c for c in workbook[SHEET]["I"] if c.row > 8 and c.value is not None]
    assert scores
    assert all(c.data_type == "n" for c in scores)


def test_convert_writes_the_rate_as_a_number(tmp_path: Path) -> None:
    """`convert`'s 执行率 is a numeric cell shown as printed, and reads back as printed."""
    from perfscore.readers import load_forms

    book = _book(tmp_path, lambda sheet: None)
    cell = openpyxl.load_workbook(book)[SHEET]["F7"]
    assert cell.data_type == "n"
    assert Decimal(str(cell.value)) == Decimal("96.86")
    assert load_forms(book) == load_forms(NOTARY)


def test_a_percent_rate_is_a_percentage_cell(tmp_path: Path) -> None:
    """A rate printed 64.38% is 0.6438 in a 0.00% cell, and reads back as 64.38%."""
    from perfscore.readers import load_forms

    form = tmp_path / "f.yaml"
    form.write_text(
        "project: 培训支出\nbudget: {adjusted: 23.95, executed: 15.42, rate: 64.38%}\n"
        "indicators: [{name: 培训次数, target: ≥1次, actual: 2次}]\n",
        "utf-8",
    )
    book = tmp_path / "f.xlsx"
    assert run(["convert", str(form), str(book)], io.StringIO(), io.StringIO()) == 0
    sheet = openpyxl.load_workbook(book).worksheets[0]
    [cell] = [c for row in sheet.iter_rows() for c in row if c.number_format == "0.00%"]
    assert Decimal(str(cell.value)) == Decimal("0.6438")
    [read] = load_forms(book)
    assert read.budget is not None
    assert read.budget.rate == "64.38%"


def test_the_summary_names_each_flags_cell_and_request(tmp_path: Path) -> None:
    """The summary sheet: notes and accepted counted beside errors and warnings, and each flag
    with the cell it is pinned on and the review's request (regression: 位置 held the row's
    words, with no cell and no 审核意见)."""
    workbook = _annotated(tmp_path, _book(tmp_path, lambda sheet: None))
    summary = workbook["perfscore"]
    assert [c.value for c in summary[1]][4:8] == ["错误", "警告", "提示", "已接受"]
    header = [c.value for c in summary[4]]
    rows = [dict(zip(header, (c.value for c in row), strict=False)) for row in summary.iter_rows(5)]
    assert rows
    assert all(r["审核意见"] for r in rows)
    placed = [r for r in rows if r["位置"]]
    assert placed
    assert all(str(r["位置"]).startswith(f"{SHEET}!") for r in placed if "!" in str(r["位置"]))
