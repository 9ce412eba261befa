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

from perfscore.readers.grid import GridForm

__all__ = ["looks_like_targets", "targets_from_text"]

_TITLE = re.compile(r"^\s*\d+[.、．]\s*(.+?)绩效目标表")
_HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
_DATE = re.compile(r"^\d{1,2}月(?:底|末)?$|^\d{4}[-./年]\d{1,2}")
_SHARE = re.compile(r"^\d+(?:\.\d+)?%$")
_LABELS = {"项目编码": "code", "项目名称": "project"}
_MONEY = {
    "预算数": "adjusted",
    "其中：财政资金": "fiscal",
    "其中:财政资金": "fiscal",
    "财政资金": "fiscal",
    "其他资金": "other",
}


def looks_like_targets(text: str) -> bool:
    """True for a text holding target tables (a 绩效目标表 title and its indicator header)."""
    return bool(re.search(r"绩效目标表", text)) and "指标值确定依据" in text


def _cells(lines: list[str]) -> list[str]:
    """The cells of a table: tab-led lines; untabbed text continues the previous cell."""
    cells: list[str] = []
    for line in lines:
        if line.startswith("\t"):
            cells.append(line.strip())
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
        forms.append(_table(_cells(lines[start + 1 : end]), title))
    return forms


def _after(cells: list[str], label: str) -> str | None:
    try:
        return cells[cells.index(label) + 1]
    except (ValueError, IndexError):
        return None


def _table(cells: list[str], title: str) -> GridForm:
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
    if "其他资金" in cells:
        # After the amounts: an empty cell, then the use of the funds.
        rest = cells[cells.index("其他资金") + 2 :]
        purpose = next((c for c in rest[:2] if c and not c.startswith("资金支出计划")), None)
        if purpose:
            data["purpose"] = purpose
    plan_at = next((i for i, c in enumerate(cells) if c.startswith("资金支出计划")), None)
    if plan_at is not None:
        dates = []
        i = plan_at + 1
        while i < len(cells) and _DATE.match(cells[i]):
            dates.append(cells[i])
            i += 1
        shares = [c for c in cells[i : i + len(dates) + 2] if _SHARE.match(c)][: len(dates)]
        data["spending_plan"] = [
            {"when": when, "share": share} for when, share in zip(dates, shares, strict=False)
        ]
        if len(shares) < len(dates):
            form.notes.append(("spending_plan", "资金支出计划的比例不全", "warning"))
    goals = _after(cells, "绩效目标")
    if goals:
        data["goals"] = [g.strip() for g in goals.split("\n") if g.strip()]
    header_at = next((i for i in range(len(cells)) if tuple(cells[i : i + 6]) == _HEADER), None)
    indicators: list[dict[str, Any]] = []
    if header_at is None:
        form.notes.append(("indicators", "未找到指标表（一级指标 … 指标值确定依据）", "warning"))
    else:
        rows = cells[header_at + 6 :]
        level1 = ""
        for k in range(0, len(rows) - len(rows) % 6, 6):
            l1, l2, name, description, value, basis = rows[k : k + 6]
            level1 = l1 or level1
            item = {
                "level1": level1,
                "level2": l2,
                "name": name,
                "target": value,
                "description": description,
                "basis": basis,
            }
            indicators.append({key: v for key, v in item.items() if v})
        if len(rows) % 6:
            form.notes.append(
                (f"indicators[{len(indicators)}]", "指标表末尾的单元格不足一行", "warning")
            )
    data["indicators"] = indicators
    return form
