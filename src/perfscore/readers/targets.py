"""Target tables (绩效目标表) in published text, as a department's budget document prints them.

Seed 004's layout: a title line per table (``1.人事代理专项补助绩效目标表``), then one cell per
line, each led by a tab: the unit, 单位：元, 项目编码 / 项目名称 and their values, 预算数 / 其中：
财政资金 / 其他资金, the use of the funds, 资金支出计划（%） with its dates and shares, 绩效目标
(continued on lines without a tab), and the indicator table, six cells per indicator: 一级指标,
二级指标, 三级指标, 绩效指标描述, 指标值, 指标值确定依据 (一级 left empty below the first row of a
block).  A blank line inside a record (a cell broken by the extraction) is not a cell.
"""

from __future__ import annotations

import re
from typing import Any

from perfscore.form.fields import BUDGET, DEPARTMENT_NAME, FORM, INDICATOR
from perfscore.readers.grid import GridForm
from perfscore.readers.labels import column_key

__all__ = ["looks_like_targets", "targets_from_text"]

_TITLE = re.compile(r"^\s*\d+[.、．]\s*(.+?)绩效目标表")
# The indicator table's six columns, in order (seed 004: 一级指标 二级指标 三级指标 绩效指标描述
# 指标值 指标值确定依据).
_HEADER = ("level1", "level2", "name", "description", "target", "basis")
_DATE = re.compile(r"^\d{1,2}月(?:底|末)?$|^\d{4}[-./年]\d{1,2}")
_SHARE = re.compile(r"^\d+(?:\.\d+)?%$")
# Labels of the heading and the budget, each followed by its value in the next cell.
_LABELS = {
    label: key
    for key in ("code", "project")
    for label in FORM[key].labels
    if label != DEPARTMENT_NAME
}
_MONEY = {label: key for key in ("adjusted", "fiscal", "other") for label in BUDGET[key].labels}
_GOALS = FORM["goals"].labels
_PLAN = FORM["spending_plan"].labels


def looks_like_targets(text: str) -> bool:
    """True for a text holding target tables (a 绩效目标表 title and its indicator header)."""
    return "绩效目标表" in text and INDICATOR["basis"].label in text


def _cells(lines: list[str], first: int, at: list[int]) -> list[str]:
    """The cells of a table: tab-led lines; untabbed text continues the previous cell.  ``at``
    receives the line (0-based in the text; ``lines`` start at ``first``) each cell starts on."""
    cells: list[str] = []
    for number, line in enumerate(lines, start=first):
        if line.startswith("\t"):
            cells.append(line.strip())
            at.append(number)
        elif line.strip() and not line.strip().isdigit() and cells:
            # Text without a tab continues the cell above; a bare number is a page number.
            cells[-1] += "\n" + line.strip()
    return cells


def targets_from_text(text: str) -> list[GridForm]:
    """Every target table in ``text``."""
    lines = text.replace("\r\n", "\n").split("\n")
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _TITLE.match(line))]
    forms = []
    for n, (start, title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        at: list[int] = []
        form = _table(_cells(lines[start + 1 : end], start + 1, at), title, at)
        form.positions[("project",)] = (start, 0)
        forms.append(form)
    return forms


def _after(cells: list[str], label: str) -> str | None:
    try:
        return cells[cells.index(label) + 1]
    except (ValueError, IndexError):
        return None


def _table(cells: list[str], title: str, at: list[int]) -> GridForm:
    data: dict[str, Any] = {"kind": "targets", "project": title}
    form = GridForm(data)
    if cells and not cells[0].startswith("单位"):
        data["unit"] = cells[0]
    money = next((c for c in cells if c.startswith("单位")), "")
    data["money_unit"] = "万元" if "万元" in money else "元"
    for label, key in _LABELS.items():
        value = _after(cells, label)
        if value:
            data[key] = value
    budget = {key: value for label, key in _MONEY.items() if (value := _after(cells, label))}
    if budget:
        data["budget"] = budget
    other = next((c for c in BUDGET["other"].labels if c in cells), None)
    if other is not None:
        # After the amounts: an empty cell, then the use of the funds.
        rest = cells[cells.index(other) + 2 :]
        purpose = next((c for c in rest[:2] if c and not c.startswith(_PLAN)), None)
        if purpose:
            data["purpose"] = purpose
    _read_plan(cells, form)
    goals = next((value for label in _GOALS if (value := _after(cells, label))), None)
    if goals:
        data["goals"] = [g.strip() for g in goals.split("\n") if g.strip()]
    _read_indicators(cells, form, at)
    return form


def _read_plan(cells: list[str], form: GridForm) -> None:
    """资金支出计划（%）: its dates, then as many shares."""
    plan_at = next((i for i, c in enumerate(cells) if c.startswith(_PLAN)), None)
    if plan_at is None:
        return
    dates = []
    i = plan_at + 1
    while i < len(cells) and _DATE.match(cells[i]):
        dates.append(cells[i])
        i += 1
    shares = [c for c in cells[i : i + len(dates) + 2] if _SHARE.match(c)][: len(dates)]
    form.data["spending_plan"] = [
        {"when": when, "share": share} for when, share in zip(dates, shares, strict=False)
    ]
    if len(shares) < len(dates):
        form.notes.append(("spending_plan", "资金支出计划的比例不全", "warning"))


def _read_indicators(cells: list[str], form: GridForm, at: list[int]) -> None:
    """The indicator table: its header, then six cells per indicator (一级 left empty below
    the first row of a block); each cell's line (``at``) is its position."""
    width = len(_HEADER)
    header_at = next(
        (
            i
            for i in range(len(cells))
            if tuple(column_key(c) for c in cells[i : i + width]) == _HEADER
        ),
        None,
    )
    indicators: list[dict[str, Any]] = []
    form.data["indicators"] = indicators
    if header_at is None:
        form.notes.append(("indicators", "未找到指标表（一级指标 … 指标值确定依据）", "warning"))
        return
    rows = cells[header_at + width :]
    level1 = ""
    for k in range(0, len(rows) - len(rows) % width, width):
        values = dict(zip(_HEADER, rows[k : k + width], strict=True))
        for j, key in enumerate(_HEADER):
            form.positions[("indicators", len(indicators), key)] = (
                at[header_at + width + k + j],
                0,
            )
        level1 = values["level1"] or level1
        item = {**values, "level1": level1}
        # The form format's order: names, then the target, its description and its basis.
        order = ("level1", "level2", "name", "target", "description", "basis")
        indicators.append({key: item[key] for key in order if item[key]})
    if len(rows) % width:
        form.notes.append(
            (f"indicators[{len(indicators)}]", "指标表末尾的单元格不足一行", "warning")
        )
