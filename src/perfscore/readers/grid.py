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
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from perfscore.text.script import simplify
from perfscore.text.values import plain

__all__ = ["GridForm", "forms_from_grid"]

Grid = Sequence[Sequence[str]]
Position = tuple[int, int]  # (row, column), 0-based within the grid

_TITLE = re.compile(r"绩效(?:目标)?自评表|绩效目标表")
_DATE = re.compile(r"^\d{1,2}月(?:底|末)?$|^\d{4}[-./年]\d{1,2}")
_SHARE = re.compile(r"^\d+(?:\.\d+)?%$")
_POINTS = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_MONEY = re.compile(r"[(（]\s*(万元|元)\s*[)）]|单位[:：]\s*(万元|元)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_NUMBER = re.compile(r"^-?\d[\d,]*(?:\.\d+)?%?$|^-?\.\d+%?$")

# Heading labels and the form keys they fill.
_HEADING = {
    "项目名称": "project",
    "项目编码": "code",
    "绩效自评年度": "year",
    "自评年度": "year",
    "实施单位": "unit",
}

# Indicator header labels (normalised: no spaces, no *, no colon) and the columns they name.
_INDICATOR_COLUMNS: tuple[tuple[str, str], ...] = (
    # Longer labels first: 指标值确定依据 is not 指标值.
    ("指标值确定依据", "basis"),
    ("绩效指标描述", "description"),
    ("指标描述", "description"),
    ("一级指标", "level1"),
    ("二级指标", "level2"),
    ("三级指标", "name"),
    ("指标名称", "name"),
    ("年度指标值", "target"),
    ("年初目标值", "target"),
    ("指标值", "target"),
    ("度量单位", "unit"),
    ("计量单位", "unit"),
    ("指标性质", "sense"),
    ("实际完成值", "actual"),
    ("全年完成值", "actual"),
    ("实际完成情况", "actual"),
    ("完成值", "actual"),
    ("权重", "weight"),
    ("分值", "weight"),
    ("得分", "score"),
    ("偏差原因分析及改进措施", "reason"),
    ("未完成原因和改进措施", "reason"),
    ("偏差原因", "reason"),
    ("年度目标", "goal"),
)

_BUDGET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("年初预算数", "initial"),
    ("全年预算数", "adjusted"),
    ("调整后预算数", "adjusted"),
    ("预算数", "adjusted"),
    ("全年执行数", "executed"),
    ("执行数", "executed"),
    ("其中财政资金", "fiscal"),
    ("财政资金", "fiscal"),
    ("其他资金", "other"),
    ("分值", "weight"),
    ("执行率", "rate"),
    ("得分", "score"),
)


_LABEL_NOISE = re.compile(r"[\s*＊:：]")
_LINE_BREAK = re.compile(r"\s*\n\s*")
_BRACKETED = re.compile(r"[(（].*?[)）]")


def _norm(text: str) -> str:
    return _LABEL_NOISE.sub("", text)


def _clean(text: str) -> str:
    """A cell's text with PDF line breaks folded (Chinese has no spaces between words)."""
    if "\n" not in text:
        return text.strip()
    return _LINE_BREAK.sub("", text).strip()


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.replace(" ", "")))


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").replace(" ", "").rstrip("%"))
    except InvalidOperation:
        return None


@dataclass
class GridForm:
    """One form found in a grid: its data in the form format, where each value came from, and
    notes on what could not be read (``path`` → message)."""

    data: dict[str, Any]
    positions: dict[tuple[str | int, ...], Position] = field(default_factory=dict)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # path, message, severity
    rows: tuple[int, int] = (0, 0)


def _label_columns(row: Sequence[str], labels: tuple[tuple[str, str], ...]) -> dict[str, list[int]]:
    """Columns of a header row by the key their label names; a cell holding several labels
    (``*实际完成值 *权重 *得分 偏差原因…``) names consecutive columns."""
    found: dict[str, list[int]] = {}
    for col, cell in enumerate(row):
        if not cell:
            continue
        for offset, key in _cell_labels(cell, labels):
            found.setdefault(key, []).append(col + offset)
    return found


@lru_cache(maxsize=8192)
def _cell_labels(cell: str, labels: tuple[tuple[str, str], ...]) -> tuple[tuple[int, str], ...]:
    """The (column offset, key) pairs one cell's text names.  Remembered per text: the same
    header and block labels recur on every form, and every row is tried as a header."""
    parts = [p for p in re.split(r"\s+", cell.strip()) if p] if cell.strip() else []
    if len(parts) > 1:
        keys = [_match(_norm(p), labels) for p in parts]
        if all(keys):
            return tuple((offset, key) for offset, key in enumerate(keys) if key)
    key = _match(_norm(cell), labels)
    return ((0, key),) if key else ()


def _match(label: str, labels: tuple[tuple[str, str], ...]) -> str | None:
    if not label:
        return None
    base = _BRACKETED.sub("", label) if "(" in label or "（" in label else label
    for text, key in labels:
        if base == text or (len(text) > 2 and base.startswith(text)):
            return key
    return None


def _split(grid: Grid) -> list[tuple[int, int]]:
    """Row ranges of the forms in a grid: a title row (…绩效自评表) starts a form."""
    starts = [
        i
        for i, row in enumerate(grid)
        if any(_TITLE.search(c) for c in row) and len({c.strip() for c in row if c.strip()}) <= 2
    ]
    if not starts or (
        starts[0] > 0 and any(_norm(c) in _HEADING for row in grid[: starts[0]] for c in row)
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
    rows = [[c if c.isascii() or (s := simplify(c)) == c else s for c in row] for row in printed]
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
            if {"name", "target"} <= set(_label_columns(grid[i], _INDICATOR_COLUMNS))
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
    _read_indicators(grid, header_row, end, form)
    _read_extras(grid, start, header_row, form)
    return form


# Heading labels of the other fields (as :mod:`perfscore.readers.writer` writes them).  The
# 年度总体目标 block of a self-evaluation (预期目标 beside 实际完成情况) is not read as goals.
_GOALS = {"绩效目标"}


def _read_extras(grid: list[list[str]], start: int, stop: int, form: GridForm) -> None:
    """资金用途, 绩效目标, 资金支出计划 and the budget's 说明 above the indicator table."""
    data = form.data
    for r in range(start, stop):
        row = grid[r]
        filled = [(c, v.strip()) for c, v in enumerate(row) if v.strip()]
        if len(filled) < 2:
            continue
        (_, label), (vc, value) = filled[0], filled[1]
        label = _norm(label)
        if label == "资金用途" and "purpose" not in data:
            data["purpose"] = value
            form.positions[("purpose",)] = (r, vc)
        elif label in _GOALS and "goals" not in data:
            data["goals"] = [g.strip() for g in value.split("\n") if g.strip()]
        elif label == "读取说明" and len(filled) >= 3:
            severity = filled[3][1] if len(filled) > 3 else "warning"
            note = (value, filled[2][1], severity)
            if note not in form.notes:  # a note this reading made again is kept once
                form.notes.append(note)
        elif label == "说明" and isinstance(data.get("budget"), dict):
            data["budget"].setdefault("reason", value)
        elif label.startswith("资金支出计划") and "spending_plan" not in data:
            dates = [v for _, v in filled[1:]]
            below = [v.strip() for v in grid[r + 1] if v.strip()] if r + 1 < stop else []
            data["spending_plan"] = [
                {"when": d, "share": s} for d, s in zip(dates, below, strict=False)
            ]


def _read_heading(grid: list[list[str]], start: int, stop: int, form: GridForm) -> None:
    data = form.data
    for r in range(start, stop):
        row = grid[r]
        for c, cell in enumerate(row):
            text = cell.strip()
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
            key = _HEADING.get(_norm(text))
            if key is None or key in data:
                continue
            value = next((v.strip() for v in row[c + 1 :] if v.strip()), "")
            if not value or _norm(value) in _HEADING:
                continue  # no value, or the next label (项目编码: | 项目名称: …)
            if key == "year":
                year = _YEAR.search(value) or re.match(r"((?:19|20)\d{2})", value)
                if year:
                    data["year"] = int(year.group(1))
                    form.positions[("year",)] = (r, c + 1)
                continue
            data[key] = value
            col = next(i for i in range(c + 1, len(row)) if row[i].strip())
            form.positions[(key,)] = (r, col)


_TARGET_MONEY = {
    "预算数": "adjusted",
    "财政资金": "fiscal",
    "其中财政资金": "fiscal",
    "其他资金": "other",
}


def _read_target_heading(grid: list[list[str]], start: int, stop: int, form: GridForm) -> None:
    """A target table's budget (预算数 / 财政资金 / 其他资金), spending plan and goals."""
    budget: dict[str, Any] = {}
    for r in range(start, stop):
        row = grid[r]
        for c, cell in enumerate(row):
            label = _norm(cell)
            value = next((v.strip() for v in row[c + 1 :] if v.strip()), "")
            key = _TARGET_MONEY.get(label)
            if key and key not in budget and _is_number(value):
                budget[key] = value.replace(",", "")
            if label.startswith("资金支出计划"):
                dates = [v.strip() for v in row[c + 1 :] if _DATE.match(v.strip())]
                below = grid[r + 1] if r + 1 < stop else []
                if not dates:
                    dates = [v.strip() for v in below if _DATE.match(v.strip())]
                    below = grid[r + 2] if r + 2 < stop else []
                shares = [v.strip() for v in below if _SHARE.match(v.strip())]
                form.data["spending_plan"] = [
                    {"when": d, "share": s} for d, s in zip(dates, shares, strict=False)
                ]
            if label == "绩效目标" and value and "goals" not in form.data:
                form.data["goals"] = [g.strip() for g in value.split("\n") if g.strip()]
    if budget:
        form.data["budget"] = budget


def _read_budget(grid: list[list[str]], start: int, stop: int, form: GridForm) -> None:
    for r in range(start, stop):
        columns = _label_columns(grid[r], _BUDGET_COLUMNS)
        if not ({"adjusted", "executed"} <= set(columns)):
            continue
        keys = sorted(((cols[0], key) for key, cols in columns.items()), key=lambda x: x[0])
        # The money row: 年度资金总额 / 合计, else the first row with numbers.
        data_row = next(
            (
                i
                for i in range(r + 1, stop)
                if any("资金总额" in c or _norm(c) in {"合计", "总计"} for c in grid[i])
            ),
            next((i for i in range(r + 1, stop) if any(_is_number(c) for c in grid[i])), None),
        )
        if data_row is None:
            return
        row = grid[data_row]
        numbers = [(c, v.strip()) for c, v in enumerate(row) if _is_number(v)]
        by_col = dict(keys)
        label = next((c for c, v in enumerate(row) if v.strip() and not _is_number(v)), None)
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
        if shift is not None:
            pairs = [(by_col[c - shift], c, v) for c, v in numbers]
        else:
            pairs = [(key, c, v) for (_, key), (c, v) in zip(keys, numbers, strict=False)]
        for key, c, value in pairs:
            if key in budget:
                continue
            budget[key] = value if key == "rate" else value.replace(",", "")
            form.positions[("budget", key)] = (data_row, c)
        if budget:
            form.data["budget"] = budget
        return


def _read_indicators(grid: list[list[str]], header: int, end: int, form: GridForm) -> None:
    columns = {k: v[0] for k, v in _label_columns(grid[header], _INDICATOR_COLUMNS).items()}
    first = header + 1
    # A sub-header under 年度指标值: 指标性质 | 指标值 | 度量单位.
    if first < end:
        sub = _label_columns(grid[first], _INDICATOR_COLUMNS)
        if "sense" in sub or ("unit" in sub and "target" in sub and "name" not in sub):
            for key in ("sense", "target", "unit"):
                if key in sub:
                    columns[key] = sub[key][0]
            first += 1
    indicators: list[dict[str, Any]] = []
    blocks: list[tuple[int, Decimal]] = []  # (first indicator, points) of a block
    level1 = level2 = ""

    def cell(row: list[str], key: str) -> str:
        col = columns.get(key)
        return _clean(row[col]) if col is not None and col < len(row) else ""

    for r in range(first, end):
        row = grid[r]
        if any(("总" in c or "合" in c) and _norm(c) in {"总分", "合计"} for c in row):
            _read_total(row, r, columns, form)
            break
        if not any(c.strip() for c in row):
            continue
        if _label_columns(row, _INDICATOR_COLUMNS).keys() >= {"name", "target"}:
            continue  # a repeated header (a page break in the original)
        printed_level1 = cell(row, "level1")
        new_level1 = _POINTS.sub("", printed_level1).strip()
        if new_level1 and new_level1 != level1:
            points = _POINTS.search(printed_level1)
            if points:
                blocks.append((len(indicators), Decimal(points.group(1))))
                # Every reader states the block's points as the form format does (``blocks``).
                form.data.setdefault("blocks", {})[new_level1] = points.group(1)
                if "level1" in columns:  # block-score and block-weights point at the header
                    form.positions[("blocks", new_level1)] = (r, columns["level1"])
            level1 = new_level1
            level2 = ""
        level2 = cell(row, "level2") or level2
        name = cell(row, "name")
        target = cell(row, "target")
        actual = cell(row, "actual")
        if not name and not target and not actual:
            continue
        index = len(indicators)
        if not name:
            form.notes.append((f"indicators[{index}].name", "三级指标名称为空", "warning"))
            name = level2 or f"第{index + 1}项"
        if "sense" in columns and cell(row, "sense") and target:
            target = cell(row, "sense") + target
        unit = cell(row, "unit")
        if unit and target and not target.endswith(unit):
            target += unit
        item: dict[str, Any] = {"level1": level1 or None, "level2": level2 or None, "name": name}
        for key, value in (("target", target), ("actual", actual)):
            if value:
                item[key] = value
                form.positions[("indicators", index, key)] = (r, columns[key])
        for key in ("weight", "score"):
            value = cell(row, key)
            if not value:
                continue
            if _is_number(value):
                item[key] = value.replace(",", "")
                form.positions[("indicators", index, key)] = (r, columns[key])
            else:
                form.notes.append((f"indicators[{index}].{key}", f"不是数字：“{value}”", "warning"))
        reason = cell(row, "reason")
        if reason and reason not in {"—", "-", "/", "无"}:
            item["reason"] = reason
        for key in ("description", "basis"):
            if cell(row, key):
                item[key] = cell(row, key)
        goal = cell(row, "goal")
        if goal.isdigit():
            item["goal"] = int(goal)
        for key in ("level1", "level2", "name"):
            if key in columns:
                form.positions[("indicators", index, key)] = (r, columns[key])
        indicators.append({k: v for k, v in item.items() if v is not None})
    # Rows that print their scores keep them unweighted: an equal share is a guess their scores
    # may contradict, and the blocks' points (``blocks``) check them instead.
    if blocks and not any("weight" in i or "score" in i for i in indicators):
        _spread_block_points(indicators, blocks, form)
    form.data["indicators"] = indicators


def _spread_block_points(
    indicators: list[dict[str, Any]], blocks: list[tuple[int, Decimal]], form: GridForm
) -> None:
    """Weights printed on the blocks only (产出指标 (40分)): shared equally within the block,
    to the cent, the remainder on the block's last indicator."""
    bounds = [*(b for b, _ in blocks), len(indicators)]
    for (first, points), last in zip(blocks, bounds[1:], strict=False):
        count = last - first
        if count <= 0:
            continue
        share = (points / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        for i in range(first, last):
            indicators[i]["weight"] = plain(share)
        indicators[last - 1]["weight"] = plain(points - share * (count - 1))
        form.notes.append(
            (
                f"indicators[{first}].weight",
                f"权重按“{points}分”在本级 {count} 项指标间平均分配",
                "info",
            )
        )


def _read_total(row: list[str], r: int, columns: dict[str, int], form: GridForm) -> None:
    col = columns.get("score")
    value = row[col].strip() if col is not None and col < len(row) else ""
    if not _is_number(value):
        numbers = [(c, v.strip()) for c, v in enumerate(row) if _is_number(v)]
        if not numbers:
            return
        col, value = numbers[-1]
    form.data["total"] = value.replace(",", "")
    if col is not None:
        form.positions[("total",)] = (r, col)
