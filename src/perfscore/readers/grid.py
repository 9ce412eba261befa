"""Reading the standard self-evaluation table (项目支出绩效自评表) from a grid of cells.

A grid is rows of cell texts, as a worksheet or a tab-separated text gives them.  The reader
finds its way by labels, as a person does: the heading fields (项目名称, 实施单位, 绩效自评年度),
the budget block (全年预算数 / 全年执行数 / 分值 / 执行率 / 得分), the indicator header (一级指标 …
三级指标, 年度指标值, 实际完成值, 权重, 得分, 偏差原因) and the 总分 row.  It tolerates the layouts
forms come in: labels shifted one column from their values, several labels in one header cell,
一级/二级 printed once for a block (filled down), the target split over 指标性质 | 指标值 |
度量单位, weights printed on the blocks only, money in 元 or 万元, several forms in one grid.

Every cell it takes is remembered with its position, so a workbook can be annotated later.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from perfscore.form.conversion import simple_text
from perfscore.form.fields import BUDGET, FORM, Location
from perfscore.readers.indicators import read_indicators
from perfscore.readers.labels import (
    BUDGET_COLUMNS,
    GRID_INDICATOR_COLUMNS,
    HEADING,
    is_number,
    label_columns,
    labels_of,
    squeeze,
)

if TYPE_CHECKING:
    from perfscore.readers.places import GridOrigin

__all__ = ["GridForm", "forms_from_grid"]

Grid = Sequence[Sequence[str]]
Position = tuple[int, int]  # (row, column), 0-based within the grid

_TITLE = re.compile(r"绩效(?:目标)?自评表|绩效目标表")
_DATE = re.compile(r"^\d{1,2}月(?:底|末)?$|^\d{4}[-./年]\d{1,2}")
_SHARE = re.compile(r"^\d+(?:\.\d+)?%$")
_MONEY = re.compile(r"[(（]\s*(万元|元)\s*[)）]|单位[:：]\s*(万元|元)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass
class GridForm:
    """One form found in a grid: its data in the form format, where each value came from, and
    notes on what could not be read (``path`` → message)."""

    data: dict[str, Any]
    positions: dict[Location, Position] = field(default_factory=dict)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # path, message, severity
    rows: tuple[int, int] = (0, 0)
    #: What a position is in the file (a sheet's cell, a table's row, a line), set by the
    #: reader of the file: see :mod:`perfscore.readers.places`.
    origin: GridOrigin | None = None


def _split(grid: Grid) -> list[tuple[int, int]]:
    """Row ranges of the forms in a grid: a title row (…绩效自评表) starts a form."""
    # One search a row: the title pattern holds no line break, so it cannot match across the
    # joined cells (a search a cell was the most called thing in reading a workbook).
    starts = [
        i
        for i, row in enumerate(grid)
        if _TITLE.search("\n".join(row)) and len({c.strip() for c in row if c.strip()}) <= 2
    ]
    if not starts or (
        starts[0] > 0 and any(squeeze(c) in HEADING for row in grid[: starts[0]] for c in row)
    ):
        starts = [0, *starts]
    bounds = [*starts, len(grid)]
    return [(bounds[i], bounds[i + 1]) for i in range(len(starts)) if bounds[i + 1] > bounds[i]]


def forms_from_grid(grid: Grid) -> list[GridForm]:
    """Every self-evaluation form in ``grid``; an empty list when none is found.

    Cells in traditional script are read as simplified (``產出指標``, ``年度指標值``); a value
    taken whole from one cell keeps the text as printed, for the form to read and the reports
    to show.
    """
    printed = [[str(c) if c is not None else "" for c in row] for row in grid]
    # The printed cell itself where simplifying changes nothing: no second copy of the grid.
    # ASCII (numbers, empty cells) has nothing to simplify.
    rows = [[c if c.isascii() or (s := simple_text(c)) == c else s for c in row] for row in printed]
    out = []
    for start, end in _split(rows):
        form = _read_form(rows, start, end)
        if form is not None:
            if form.data["kind"] == "department":
                _read_department(rows, form)
            _restore_printed(form, rows, printed)
            out.append(form)
    return out


def _read_department(rows: list[list[str]], form: GridForm) -> None:
    """单位名称, and the indicator tables of the annual goals (:mod:`perfscore.readers.goals`)."""
    from perfscore.readers.goals import has_goal_tables, read_goal_tables, read_unit_name

    read_unit_name(rows, form)
    if has_goal_tables(rows, *form.rows):
        read_goal_tables(rows, form)


def _restore_printed(form: GridForm, rows: list[list[str]], printed: list[list[str]]) -> None:
    """Values read whole from a cell printed in traditional script get that text back."""
    for path, (r, c) in form.positions.items():
        if r >= len(rows) or c >= len(rows[r]) or rows[r][c] == printed[r][c]:
            continue
        holder: Any = form.data
        try:
            for part in path[:-1]:
                holder = holder[part]
            if holder[path[-1]] == rows[r][c].strip():
                holder[path[-1]] = printed[r][c].strip()
        except (KeyError, IndexError, TypeError):
            continue


def _read_form(grid: list[list[str]], start: int, end: int) -> GridForm | None:
    header_row = next(
        (
            i
            for i in range(start, end)
            if {"name", "target"} <= set(label_columns(grid[i], GRID_INDICATOR_COLUMNS))
        ),
        None,
    )
    if header_row is None:
        return None
    form = GridForm({"kind": "project"}, rows=(start, end))
    _read_heading(grid, start, header_row, form)
    if form.data["kind"] == "targets":
        _read_target_heading(grid, start, header_row, form)
    else:
        _read_budget(grid, start, header_row, form)
    read_indicators(grid, header_row, end, form)
    _read_extras(grid, start, header_row, form)
    return form


# Labels of the fields read from a row of their own.  The 年度总体目标 block of a
# self-evaluation (预期目标 beside 实际完成情况) is not read as goals.
_PURPOSE = labels_of(FORM["purpose"])
_GOALS = labels_of(FORM["goals"])
_NOTES = labels_of(FORM["notes"])
_PLAN = tuple(labels_of(FORM["spending_plan"]))
_BUDGET_REASON = labels_of(BUDGET["reason"])


def _read_extras(grid: list[list[str]], start: int, stop: int, form: GridForm) -> None:
    """资金用途, 绩效目标, 资金支出计划 and the budget's 说明 above the indicator table."""
    data = form.data
    for r in range(start, stop):
        row = grid[r]
        filled = [(c, v.strip()) for c, v in enumerate(row) if v.strip()]
        if len(filled) < 2:
            continue
        (_, label), (vc, value) = filled[0], filled[1]
        label = squeeze(label)
        if label in _PURPOSE and "purpose" not in data:
            data["purpose"] = value
            form.positions[("purpose",)] = (r, vc)
        elif label in _GOALS and "goals" not in data:
            data["goals"] = [g.strip() for g in value.split("\n") if g.strip()]
        elif label in _NOTES and len(filled) >= 3:
            severity = filled[3][1] if len(filled) > 3 else "warning"
            note = (value, filled[2][1], severity)
            if note not in form.notes:  # a note this reading made again is kept once
                form.notes.append(note)
        elif label in _BUDGET_REASON and isinstance(data.get("budget"), dict):
            data["budget"].setdefault("reason", value)
        elif label.startswith(_PLAN) and "spending_plan" not in data:
            dates = [v for _, v in filled[1:]]
            below = [v.strip() for v in grid[r + 1] if v.strip()] if r + 1 < stop else []
            data["spending_plan"] = [
                {"when": d, "share": s} for d, s in zip(dates, below, strict=False)
            ]


def _read_heading(grid: list[list[str]], start: int, stop: int, form: GridForm) -> None:
    data = form.data
    for r in range(start, stop):
        row = grid[r]
        following = _values_after(row)
        for c, cell in enumerate(row):
            text = cell.strip()
            if not text:
                continue  # most cells of a heading: nothing to search
            if _TITLE.search(text):
                if "部门整体" in text:
                    data["kind"] = "department"
                elif "绩效目标表" in text:
                    data["kind"] = "targets"
                year = _YEAR.search(text)
                if year and "year" not in data:
                    data["year"] = int(year.group(1))
            money = _MONEY.search(text)
            if money and "money_unit" not in data:
                data["money_unit"] = money.group(1) or money.group(2)
            key = HEADING.get(squeeze(text))
            if key is None or key in data:
                continue
            col, value = following[c]
            if not value or squeeze(value) in HEADING:
                continue  # no value, or the next label (项目编码: | 项目名称: …)
            if key == "year":
                year = _YEAR.search(value) or re.match(r"((?:19|20)\d{2})", value)
                if year:
                    data["year"] = int(year.group(1))
                    form.positions[("year",)] = (r, c + 1)
                continue
            data[key] = value
            form.positions[(key,)] = (r, col)


# A target table prints its budget as label/amount pairs.
_TARGET_MONEY = {
    label: key for key in ("adjusted", "fiscal", "other") for label in labels_of(BUDGET[key])
}


def _values_after(row: list[str]) -> list[tuple[int, str]]:
    """For each cell of ``row``, the first non-empty value right of it and its column
    ((-1, "") for none): one pass from the right, so a row of 100,000 cells costs 100,000 steps,
    not their square."""
    out: list[tuple[int, str]] = [(-1, "")] * len(row)
    found: tuple[int, str] = (-1, "")
    for c in range(len(row) - 1, -1, -1):
        out[c] = found
        value = row[c].strip()
        if value:
            found = (c, value)
    return out


def _read_target_heading(grid: list[list[str]], start: int, stop: int, form: GridForm) -> None:
    """A target table's budget (预算数 / 财政资金 / 其他资金), spending plan and goals."""
    budget: dict[str, Any] = {}
    for r in range(start, stop):
        row = grid[r]
        following = _values_after(row)
        for c, cell in enumerate(row):
            label = squeeze(cell)
            value = following[c][1]
            key = _TARGET_MONEY.get(label)
            if key and key not in budget and is_number(value):
                budget[key] = value.replace(",", "")
            if label.startswith(_PLAN):
                dates = [v.strip() for v in row[c + 1 :] if _DATE.match(v.strip())]
                below = grid[r + 1] if r + 1 < stop else []
                if not dates:
                    dates = [v.strip() for v in below if _DATE.match(v.strip())]
                    below = grid[r + 2] if r + 2 < stop else []
                shares = [v.strip() for v in below if _SHARE.match(v.strip())]
                form.data["spending_plan"] = [
                    {"when": d, "share": s} for d, s in zip(dates, shares, strict=False)
                ]
            if label in _GOALS and value and "goals" not in form.data:
                form.data["goals"] = [g.strip() for g in value.split("\n") if g.strip()]
    if budget:
        form.data["budget"] = budget


def _read_budget(grid: list[list[str]], start: int, stop: int, form: GridForm) -> None:
    for r in range(start, stop):
        columns = label_columns(grid[r], BUDGET_COLUMNS)
        if not ({"adjusted", "executed"} <= set(columns)):
            continue
        keys = sorted(((cols[0], key) for key, cols in columns.items()), key=lambda x: x[0])
        # The money row: 年度资金总额 / 合计, else the first row with numbers.
        data_row = next(
            (
                i
                for i in range(r + 1, stop)
                if any("资金总额" in c or squeeze(c) in {"合计", "总计"} for c in grid[i])
            ),
            next((i for i in range(r + 1, stop) if any(is_number(c) for c in grid[i])), None),
        )
        if data_row is None:
            return
        row = grid[data_row]
        numbers = [(c, v.strip()) for c, v in enumerate(row) if is_number(v)]
        by_col = dict(keys)
        label = next((c for c, v in enumerate(row) if v.strip() and not is_number(v)), None)
        budget: dict[str, Any] = {}
        # The values may sit one column right of their labels (a merged label cell above the
        # row's own label): take the shift that puts the row label outside the numeric labels.
        shift = next(
            (
                s
                for s in (0, 1, 2, -1)
                if (label is None or label - s not in by_col)
                and all(c - s in by_col for c, _ in numbers)
            ),
            None,
        )
        if shift is None:
            # Pairing labels and numbers in order would read an amount from another column
            # without a word: the budget is reported unreadable instead.
            printed = "、".join(v for _, v in numbers)
            form.notes.append(
                ("budget", f"预算执行情况的数字（{printed}）与表头的列对不上，未读取", "warning")
            )
            return
        for key, c, value in ((by_col[c - shift], c, v) for c, v in numbers):
            if key in budget:
                continue
            budget[key] = value if key == "rate" else value.replace(",", "")
            form.positions[("budget", key)] = (data_row, c)
        if budget:
            form.data["budget"] = budget
        return
