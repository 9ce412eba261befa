"""Forms in published text: tab-separated tables as extracted from PDF or Word.

Layouts read: the standard self-evaluation table (seed 003: one or more forms, the cells
separated by tabs) through :mod:`perfscore.readers.grid`; the wide department table of one
row per project (seed 000: 项目名称, budget, spending, execution rate, then a 年度指标内容 /
完成情况 pair per second-level group); the same forms printed without tabs, cells separated by
spaces and labels broken over lines (seed 001, :mod:`perfscore.readers.spaced`); and the
department form with one indicator table per annual goal (seed 002,
:mod:`perfscore.readers.goals`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from perfscore.readers.grid import GridForm, forms_from_grid
from perfscore.readers.places import GridOrigin, located
from perfscore.readers.spaced import forms_from_spaced_text, looks_spaced
from perfscore.readers.targets import looks_like_targets, targets_from_text
from perfscore.text.script import simplify

__all__ = ["forms_from_text"]

_LEVEL1 = (
    ("数量", "产出指标"),
    ("质量", "产出指标"),
    ("时效", "产出指标"),
    ("成本", "产出指标"),
    ("经济效益", "效益指标"),
    ("社会效益", "效益指标"),
    ("生态效益", "效益指标"),
    ("可持续", "效益指标"),
    ("满意度", "满意度指标"),
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PERCENT = re.compile(r"^\d+(?:\.\d+)?%$")


def forms_from_text(text: str) -> list[GridForm]:
    """Every form in a published text; an empty list when it holds none.  Text in traditional
    script is read as simplified (the tab-separated table keeps its cells as printed).  Each
    value's place is its line (grid row ``r`` is line ``r + 1``)."""
    return located(_forms_from_text(text), GridOrigin(first_line=1))


def _forms_from_text(text: str) -> list[GridForm]:
    printed, text = text, simplify(text)
    if looks_like_targets(text):
        return _as_printed(targets_from_text(text), text, printed)
    if looks_spaced(text):
        return _as_printed(forms_from_spaced_text(text), text, printed)
    grid = [line.split("\t") for line in text.replace("\r\n", "\n").split("\n")]
    if any("年度指标内容" in cell for row in grid for cell in row):
        return _as_printed(_wide_table(grid, text), text, printed)
    # Department forms' goal tables are read by the grid reader (perfscore.readers.goals).
    return forms_from_grid([line.split("\t") for line in printed.replace("\r\n", "\n").split("\n")])


def _as_printed(forms: list[GridForm], text: str, printed: str) -> list[GridForm]:
    """Text values read from the simplified text get their printed spelling back (traditional
    script, full-width digits), for the reports; the form reads them simplified again.

    :func:`~perfscore.text.script.simplify` maps character for character, so a value found in the
    simplified text stands at the same place in the printed one.  A value joined from several
    lines is not found and stays simplified.
    """
    if printed == text:
        return forms
    # Values are looked for from where the last one was found (they follow the text's order),
    # and the whole search may read the text a few times over at most: a value not found in
    # that budget keeps its simplified spelling, and a 4 MB text costs seconds, not minutes.
    budget = [8 * len(text) + 100_000]
    cursor = [0]

    def find(value: str) -> int:
        at = text.find(value, cursor[0])
        budget[0] -= (at if at >= 0 else len(text)) - cursor[0]
        if at < 0 and budget[0] > len(text):
            at = text.find(value)
            budget[0] -= at if at >= 0 else len(text)
        if at >= 0:
            cursor[0] = at
        return at

    def restore(node: dict[str, Any], keys: Iterable[str]) -> None:
        for key in keys:
            value = node.get(key)
            if isinstance(value, str) and value and not value.isascii() and budget[0] > 0:
                at = find(value)
                if at >= 0:
                    node[key] = printed[at : at + len(value)]

    for form in forms:
        # The fields the form reads in simplified script and keeps as printed.
        restore(form.data, ("project", "unit"))
        for row in form.data.get("indicators") or ():
            if isinstance(row, dict):
                restore(row, list(row))
    return forms


def _level1(group: str) -> str | None:
    return next((level1 for key, level1 in _LEVEL1 if key in group), None)


def _wide_table(grid: list[list[str]], text: str) -> list[GridForm]:
    """One row per project (seed 000); header rows may repeat with their own column drift."""
    year = _YEAR.search(text)
    money = "万元" if re.search(r"单位[:：]\s*万元", text) else "元"
    department = re.search(r"部门名称[^:：]*[:：]\s*(\S+)", text)
    groups: list[str] = []
    forms: list[GridForm] = []
    for r, row in enumerate(grid):
        cells = [c.strip() for c in row]
        if "数量指标" in cells:
            groups = [c for c in cells if c.endswith("指标") and _level1(c)]
            continue
        if not groups or not cells or not cells[0].isdigit() or len(cells) < 12:
            continue
        rate_col = next((i for i in range(3, len(cells)) if _PERCENT.match(cells[i])), None)
        if rate_col is None:
            continue
        data: dict[str, Any] = {
            "kind": "project",
            "project": cells[2],
            "unit": cells[1] or (department.group(1) if department else None),
            "money_unit": money,
            "budget": {"adjusted": cells[3], "executed": cells[4], "rate": cells[rate_col]},
            "indicators": [],
        }
        if year:
            data["year"] = int(year.group(1))
        form = GridForm(data, rows=(r, r + 1))
        form.positions[("budget", "adjusted")] = (r, 3)
        form.positions[("budget", "executed")] = (r, 4)
        form.positions[("budget", "rate")] = (r, rate_col)
        first = rate_col + 3  # after 年初绩效目标 and 绩效目标完成情况
        for g, group in enumerate(groups):
            col = first + 2 * g
            if col + 1 >= len(cells):
                form.notes.append((f"indicators[{g}]", f"“{group}”一栏缺失", "warning"))
                break
            target, actual = cells[col], cells[col + 1]
            index = len(data["indicators"])
            data["indicators"].append(
                {
                    "level1": _level1(group),
                    "level2": group,
                    "name": group,
                    "target": target,
                    "actual": actual,
                }
            )
            form.positions[("indicators", index, "target")] = (r, col)
            form.positions[("indicators", index, "actual")] = (r, col + 1)
        data = {k: v for k, v in data.items() if v is not None}
        form.data = data
        forms.append(form)
    return forms
