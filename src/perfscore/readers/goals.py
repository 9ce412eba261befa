"""The department form (部门整体绩效自评表) with one indicator table per annual goal (seed 002).

Each table opens with a line ``年度目标 N: …`` (the goal's text) and, usually, a header row
(一级指标 二级指标 三级指标 年初目标值 实际完成值); a table printed without one uses the
header above it.  Extracted tables drift: a merged 一级指标 cell may be dropped or doubled, a
wide 三级指标 cell may leave an empty cell after it, a header may start one column left of its
rows.  So a row is read by content, as a person reads it: the group labels it opens with (产出
指标, 数量指标 …, spaces inside them dropped) set 一级/二级指标, and the cells after them are the
name, the target and the completion in that order.  When a cell is missing, the columns of the
header — shifted by where the row's own labels sit — say which one.

Every indicator carries ``goal: N`` so the tables stay apart (the same indicator may appear
under several goals), and the goals' texts become the form's ``goals``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

from perfscore.form.fields import DEPARTMENT_NAME
from perfscore.readers.grid import GridForm
from perfscore.readers.labels import LEVEL1, column_key, is_group_label, squeeze

__all__ = ["has_goal_tables", "read_goal_tables", "read_unit_name"]

_GOAL = re.compile(
    r"^\s*(?:<[^<>]*>)?\s*年度(?:绩效)?目标\s*(\d+)\s*[:：]?\s*(.*?)\s*(?:</[^<>]*>)?\s*$"
)
_ROW_LABEL = re.compile(r"目标完成情况|^年度绩效目标$")
_END = re.compile(r"原因分析|改进措施|结果应用")
_ORDER = ("name", "target", "actual", "weight", "score", "reason")
_UNIT_NAME = re.compile(rf"^\s*{DEPARTMENT_NAME}\s*[:：]?\s*(.*?)\s*$")


def _goal(row: Sequence[str]) -> tuple[int, str] | None:
    for cell in row:
        if cell.strip():
            match = _GOAL.match(cell)
            return (int(match.group(1)), match.group(2)) if match else None
    return None


def has_goal_tables(grid: Sequence[Sequence[str]], start: int = 0, end: int | None = None) -> bool:
    """True when rows ``start:end`` hold a ``年度目标 N`` line followed by an indicator table."""
    rows = grid[start:end]
    return any(_goal(row) for row in rows) and any(_header(row) for row in rows)


def _header(row: Sequence[str]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for col, cell in enumerate(row):
        key = column_key(cell) if cell.strip() else None
        if key and key not in columns:
            columns[key] = col
    return columns if {"name", "target"} <= set(columns) else None


def read_goal_tables(grid: Sequence[Sequence[str]], form: GridForm) -> None:
    """Replace the indicators of ``form`` (read from rows ``form.rows`` of ``grid``) by those of
    its annual-goal tables, each indicator with its ``goal``."""
    start, end = form.rows
    form.notes[:] = [n for n in form.notes if not n[0].startswith("indicators")]
    for stale in [k for k in form.positions if k[:1] == ("indicators",)]:
        del form.positions[stale]
    indicators: list[dict[str, Any]] = []
    goals: list[str] = []
    header: dict[str, int] | None = None
    goal: int | None = None
    level1 = level2 = ""
    for r in range(start, end):
        row = [c.strip() for c in grid[r]]
        found = _goal(row)
        if found:
            goal, text = found
            goals.append(text)
            level1 = level2 = ""
            continue
        columns = _header(row)
        if columns:
            header = columns
            continue
        if goal is None or header is None:
            continue
        cells = [(c, v) for c, v in enumerate(row) if v and not _ROW_LABEL.search(squeeze(v))]
        if not cells:
            continue
        if len(cells) == 1 and _END.search(cells[0][1]):
            goal = None  # the form's closing rows
            continue
        anchors: list[tuple[int, str]] = []
        while cells and is_group_label(cells[0][1]) and len(cells) > 1:
            col, label = cells.pop(0)
            label = squeeze(label)
            if label in LEVEL1:
                level1, level2 = label, ""
                anchors.append((col, "level1"))
            else:
                level2 = label
                anchors.append((col, "level2"))
        index = len(indicators)
        item: dict[str, Any] = {"goal": goal, "level1": level1 or None, "level2": level2 or None}
        for key, (col, value) in _assign(cells, header, anchors):
            item[key] = value
            form.positions[("indicators", index, key)] = (r, col)
        if "name" not in item:
            form.notes.append((f"indicators[{index}].name", "三级指标名称为空", "warning"))
            item["name"] = level2 or f"第{index + 1}项"
        indicators.append({k: v for k, v in item.items() if v is not None})
    form.data["indicators"] = indicators
    if goals and not form.data.get("goals"):
        form.data["goals"] = goals


def _assign(
    cells: list[tuple[int, str]], header: dict[str, int], anchors: list[tuple[int, str]]
) -> list[tuple[str, tuple[int, str]]]:
    """The cells after a row's group labels, matched to the header's value columns: in order
    when all are there; else the assignment (in order) nearest the header's columns, shifted by
    where the row's labels sit relative to theirs."""
    keys = [k for k in sorted(header, key=header.__getitem__) if k in _ORDER]
    keys = [k for k in keys if header[k] >= header.get("name", 0)]
    if len(cells) >= len(keys):
        extra = len(cells) - len(keys)
        if extra:
            joined = " ".join(v for _, v in cells[: extra + 1])
            cells = [(cells[extra][0], joined), *cells[extra + 1 :]]
        return list(zip(keys, cells, strict=False))
    shifts = [col - header[key] for col, key in anchors if key in header]
    shift = shifts[0] if shifts else 0
    best: tuple[int, ...] = tuple(range(len(cells)))
    best_cost: float = float("inf")
    for chosen in itertools.combinations(range(len(keys)), len(cells)):
        cost = sum(
            abs(col - shift - header[keys[k]]) for (col, _), k in zip(cells, chosen, strict=True)
        )
        if cost < best_cost:
            best, best_cost = chosen, cost
    return [(keys[k], cell) for cell, k in zip(cells, best, strict=True)]


def read_unit_name(grid: Sequence[Sequence[str]], form: GridForm) -> None:
    """单位名称 in a department form's heading: the department is both the form's subject
    (``project``) and its ``unit``.  The value may follow in the next cell or after a colon."""
    start, end = form.rows
    for r in range(start, end):
        row = grid[r]
        for c, cell in enumerate(row):
            match = _UNIT_NAME.match(cell)
            if not match:
                continue
            value = match.group(1) or next((v.strip() for v in row[c + 1 :] if v.strip()), "")
            if value:
                for key in ("project", "unit"):
                    if not form.data.get(key):
                        form.data[key] = value
                        form.positions[(key,)] = (r, c)
                return
