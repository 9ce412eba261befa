"""PDFs made the way units make them — a Word or Excel form exported by LibreOffice, A4 and
Letter, portrait and landscape, one page and five — score exactly as their YAML twins.

The fixtures are written by ``tests/data/make_pdfs.py`` (which says how to rerun it)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfscore
from perfscore.readers import load_forms
from perfscore.readers.grid import forms_from_grid
from perfscore.readers.pdflayout import Placed, join_pages
from tests.conftest import DATA

PDFS = sorted((DATA / "pdf").glob("*.pdf"))


def _outcome(result: perfscore.EvaluationResult) -> dict[str, Any]:
    """What must agree between a PDF and its twin.  Names are compared without white space:
    a space at which a line wrapped is not printed in the PDF, so it cannot be read back."""
    return {
        "total": result.total,
        "grade": result.grade,
        "execution": result.execution.score if result.execution else None,
        "budget": result.form.budget,
        "rows": [
            (re.sub(r"\s", "", r.name), r.status, r.score, r.reported_score)
            for r in result.indicators
        ],
        "flags": sorted((f.code, f.path) for f in result.flags if f.code != "reading-note"),
    }


def test_fixtures_are_there() -> None:
    assert len(PDFS) >= 6


# Not read yet: a Calc export whose merged 一级指标 cell straddles the page break prints its
# text as loose lines on the next page, outside the table pdfplumber finds there.
GAPS = {"social-xlsx-a4-landscape"}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason="docs/reading.md: not read"))
        if p.stem in GAPS
        else p
        for p in PDFS
    ],
    ids=[p.stem for p in PDFS],
)
def test_unit_pdf_scores_as_its_twin(path: Path) -> None:
    """Title merged across the table, 项目资金 merged down beside 年度资金总额 (every amount
    filled), rows broken by the page, the merged first column without rules on middle pages."""
    forms = load_forms(path)
    assert len(forms) == 1
    got = _outcome(perfscore.evaluate(forms[0]))
    assert got == _outcome(perfscore.evaluate(path.with_suffix(".yaml")))


def test_budget_read_by_its_columns() -> None:
    """Regression: the budget row was read one column off (2,025,000 as the weight, a total of
    1,516,612.40) when the title was merged across the table."""
    form = load_forms(DATA / "pdf" / "social-docx-a4-portrait.pdf")[0]
    assert form.budget is not None
    budget = form.budget
    assert (budget.initial, budget.adjusted, budget.weight) == tuple(
        Decimal(n) for n in ("2704000", "2025000", "10")
    )


HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "权重", "得分"]
LEFTS = (0.0, 50.0, 100.0, 150.0, 200.0, 250.0, 300.0)


def _rows(*rows: list[str], lefts: tuple[float, ...] = LEFTS) -> list[Placed]:
    return [Placed(list(r), lefts) for r in rows]


def test_a_row_broken_by_the_page_is_one_row() -> None:
    first = _rows(HEADER, ["产出指标", "数量指标", "资金是否全部及", "是", "是", "10", "10"])
    second = _rows(
        HEADER,
        ["", "", "时纳入", "", "", "", ""],
        ["产出指标", "质量指标", "合格率", "≥90%", "95%", "10", "10"],
    )
    grid = join_pages([first, second])
    names = [row[2] for row in grid if row[2] != "三级指标"]
    assert names == ["资金是否全部及时纳入", "合格率"]


def test_a_new_row_at_the_page_top_is_not_joined() -> None:
    """A row with its own completion, weight or score starts a new indicator."""
    first = _rows(HEADER, ["产出指标", "数量指标", "人数", "≥16人", "16人", "10", "10"])
    second = _rows(["", "", "次数", "≥2次", "", "10", ""])
    assert [row[2] for row in join_pages([first, second])][1:] == ["人数", "次数"]


def test_a_split_level1_label_is_joined() -> None:
    first = _rows(HEADER, ["满意", "服务对象满意度指标", "满意度", "≥90%", "95%", "10", "10"])
    second = _rows(["度指标", "服务对象满意度指标", "投诉率", "≤1%", "0", "10", "10"])
    grid = join_pages([first, second])
    assert [row[0] for row in grid[1:]] == ["满意度指标", "满意度指标"]


def test_a_page_missing_a_column_is_aligned_by_x() -> None:
    """A middle page whose merged first column has no rules: its cells stand under the
    columns of the page before, not one to the left."""
    first = _rows(HEADER, ["产出指标", "数量指标", "人数", "≥16人", "16人", "10", "10"])
    second = _rows(["数量指标", "次数", "≥2次", "3次", "10", "10"], lefts=LEFTS[1:])
    grid = join_pages([first, second])
    assert grid[-1] == ["", "数量指标", "次数", "≥2次", "3次", "10", "10"]


def test_budget_columns_that_cannot_be_placed_are_flagged_not_guessed() -> None:
    """Numbers that stand under no budget label are not paired with the labels in order."""
    grid = [
        ["项目支出绩效自评表"],
        ["项目名称", "X"],
        ["", "年初预算数", "全年预算数", "全年执行数", "", "", ""],
        ["年度资金总额", "", "", "", "100", "90", "80"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "权重", "得分"],
        ["产出指标", "数量指标", "人数", "≥16人", "16人", "100", "100"],
    ]
    (form,) = forms_from_grid(grid)
    assert "budget" not in form.data
    assert [path for path, _, severity in form.notes if severity == "warning"] == ["budget"]


class _Page:
    """A page of words at given positions, as pdfplumber reports them."""

    def __init__(self, words: list[tuple[int, int, str]]) -> None:
        self.words = [
            {"x0": x, "x1": x + 9 * len(text), "top": top, "bottom": top + 9, "text": text}
            for x, top, text in words
        ]

    def extract_words(self, **_: Any) -> list[dict[str, Any]]:
        return self.words


def test_unruled_numbers_are_not_glued_across_lines() -> None:
    """Regression: two rows set at the line spacing (cells centred vertically) read their
    weights 30 and 0 as one cell, 300."""
    from perfscore.readers.pdf import normalise
    from perfscore.readers.pdfwords import word_rows

    # Rows set apart by their padding (22 points), wrapped lines at the spacing (12): the
    # second row's line sits at the spacing below the first, as a centred cell puts it.
    head = [(0, 0, "三级指标"), (100, 0, "年度指标值"), (200, 0, "权重")]
    one = [(0, 22, "人数"), (100, 22, "≥16人"), (205, 22, "30")]
    two = [(0, 34, "次数"), (100, 34, "≥2次"), (205, 34, "0")]
    filler = [(0, top, "说明") for top in (56, 68, 90, 102)]
    rows = word_rows(_Page(head + one + two + filler), normalise)
    weights = [row.cells[2] for row in rows]
    assert "300" not in weights
    assert weights[:3] == ["权重", "30", "0"]


def test_goal_tables_without_a_goal_column_hold_no_duplicates() -> None:
    """Regression: the department form printed in the project layout (no 年度目标 column)
    gave 11 duplicate-indicator warnings, one for each row repeated under another goal, where
    the same form as YAML (each row's ``goal``) gives none.  Each goal's table starts over at
    产出指标; a row copied within a table, the same in every cell, is still a duplicate."""
    path = DATA / "pdf" / "caidian-docx-a4-portrait-3pages.pdf"
    (form,) = load_forms(path)
    codes = [f.code for f in perfscore.evaluate(form).flags]
    assert "duplicate-indicator" not in codes
    twin = perfscore.evaluate(DATA / "forms" / "caidian-2020-department.yaml")
    assert sum(f.severity == "warning" for f in perfscore.evaluate(form).flags) == sum(
        f.severity == "warning" for f in twin.flags
    )
    rows = list(form.indicators)
    rows.insert(1, rows[0])  # a copy in goal 1's table
    rows.insert(3, rows[0].model_copy(update={"actual": "未完成"}))  # another completion
    copied = form.model_copy(update={"indicators": tuple(rows)})
    dups = [f.path for f in perfscore.evaluate(copied).flags if f.code == "duplicate-indicator"]
    assert dups == ["indicators[1].name"]


@pytest.mark.parametrize(
    ("printed", "goals"),
    [
        (["1", "2", "2"], [1, 2, 2]),
        (["年度目标1：普法", "年度目标 2：援助", "目标2"], [1, 2, 2]),
        (["2020年普及法律", "法律援助", "法律援助"], [1, 2, 2]),
    ],
)
def test_a_goal_column_of_texts_is_numbered(printed: list[str], goals: list[int]) -> None:
    """Regression: a 年度目标 column (or the merged cell beside each goal's rows) was read only
    when it printed a bare number; its texts lost the goal, and rows repeated under two goals
    were flagged as duplicates."""
    grid = [
        ["项目名称", "x"],
        ["年度目标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"],
        *([goal, "产出指标", "时效指标", "工作完成及时率", "100%", "100%"] for goal in printed),
    ]
    (form,) = forms_from_grid(grid)
    assert [row["goal"] for row in form.data["indicators"]] == goals
    result = perfscore.evaluate(form.data)
    assert [f.path for f in result.flags if f.code == "duplicate-indicator"] == [
        "indicators[2].name"
    ]
