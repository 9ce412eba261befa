"""Self-evaluation forms in published text without tabs (PDF text, seed 001's layout).

When a PDF is turned into plain text the table borders are lost: a row of the table becomes one
line whose cells are separated by spaces (``教育改造列管矫正人员数量 ≧50人 147``), a narrow
cell broken over lines becomes several short lines (``产`` / ``出`` / ``指`` / ``标``, ``可持续影``
/ ``响指标``), and a wide cell that wrapped leaves its first lines on their own before the line
holding the rest of the row.  The reader does what a person does with such a page:

- a title line (…绩效自评表) starts a form; heading labels (项目名称, 实施单位 …) are followed by
  their values on the same line; ``项目资金（万元）`` gives the money unit;
- the budget header line (全年预算数 全年执行数 执行率) names the columns of the 年度资金总额 line;
- the indicator header line (二级指标 三级指标 年度指标值 全年完成值) names the value columns,
  and short lines right after it that complete a label (未完成原因和改 / 进措施) add a column;
- short lines that join into a group label ending in 指标 set 一级/二级指标; a label may also
  open a row's line (``成本指标 成本控制率 100% 100%``);
- a line with fewer cells than a row is completed by the lines of text before it (the start of
  a wrapped name); text after a complete row continues its last cell when that cell had wrapped,
  and is otherwise the row's 未完成原因;
- lines that hold a whole row without any separating space (every cell wrapped) are split by
  content, and a note says so.

Nothing here knows a seed's strings: the vocabulary is the standard form's labels.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from perfscore.form.fields import DEPARTMENT_NAME
from perfscore.readers.grid import GridForm
from perfscore.readers.labels import (
    BUDGET_COLUMNS,
    HEADING,
    INDICATOR_COLUMNS,
    LEVEL1,
    POINTS,
    column_key,
    is_group_label,
    squeeze,
)

__all__ = ["forms_from_spaced_text", "looks_spaced"]

_TITLE = re.compile(r"绩效(?:目标)?自评表|绩效评价表")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_MONEY = re.compile(r"[(（]\s*(万元|元)\s*[)）]|单位[:：]\s*(万元|元)")
_NUMBER = re.compile(r"^-?\d[\d,]*(?:\.\d+)?[%％]?$")

# Heading labels: the form key each fills (None: a label whose value is not kept).  单位名称
# names the unit (a department form's text prints no 项目名称 to take its place).
_HEADING: dict[str, str | None] = {
    **HEADING,
    DEPARTMENT_NAME: "unit",
    **dict.fromkeys(
        (
            "主管部门",
            "项目起止时间",
            "是否重点绩效项目",
            "项目属性",
            "项目负责人",
            "联系电话",
            "填表人",
            "填报日期",
        )
    ),
}

_VALUE_COLUMNS = ("target", "actual", "weight", "score", "reason")
# A piece of a label broken over lines; the last may carry the block's points (指标(30分)).
_LABEL_PIECE = re.compile(r"^(?=.)[\u4e00-\u9fff]{0,12}(?:[(（]\d+(?:\.\d+)?分[)）])?$")

# Where an indicator table ends.
_TABLE_END = re.compile(r"^(?:说明|填表人|备注|注[:：]|联系电话|审核人)")
_TOTAL = re.compile(r"^(?:总分|合计|总计)")

# Pieces a printed value falls into when its number and unit are spaced apart
# (``不少于 1 次``, ``550 件以上``): glued back before the cells are counted.
_COMPARATOR_WORD = re.compile(
    r"(?:不少于|不低于|不高于|不超过|不大于|不小于|大于|小于|高于|低于|多于|少于|达到|至少|约|"
    r"[≥≤≧≦>＜<＞=＝])$"
)
_UNIT_PIECE = re.compile(
    r"^(?:个|人|次|件|家|场|场次|天|日|月|年|小时|万元|元|万|亿|项|所|份|期|篇|户|名|宗|起|"
    r"人次|户次|个月|工作日|%|％)?(?:以上|以下|以内|左右|内)?$"
)
_VALUE_END = re.compile(r"(?:\d|[%％‰])[\u4e00-\u9fff]{0,2}$")
_VALUE_START = re.compile(r"^[\d≥≤≧≦>＜<＞=＝.,，、；;。%％]")


def looks_spaced(text: str) -> bool:
    """True for a text with a self-evaluation title and no tab-separated table (no line has
    three cells between tabs; a stray tab or two is a PDF's wide gap, not a table)."""
    lines = text.splitlines()
    if any(sum(1 for c in line.split("\t") if c.strip()) >= 3 for line in lines):
        return False
    return any(_is_title(line) for line in lines)


def _is_title(line: str) -> bool:
    text = line.strip()
    return bool(_TITLE.search(text)) and len(text) <= 60 and not _TABLE_END.match(text)


def _width(text: str) -> float:
    """Printed width in full-width characters (ASCII half)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def _glue(tokens: list[str]) -> list[str]:
    """Join a value's pieces spaced apart: a comparator word and its number, a number and
    its unit."""
    out: list[str] = []
    for token in tokens:
        if out and (
            (_COMPARATOR_WORD.search(out[-1]) and token[:1].isdigit())
            or (
                re.search(r"\d$", out[-1])
                and _UNIT_PIECE.match(token)
                and not token[:1].isdigit()
                and token
            )
        ):
            out[-1] += token
        else:
            out.append(token)
    return out


@dataclass
class _Table:
    """The state of one indicator table being read."""

    columns: list[str]
    indicators: list[dict[str, Any]] = field(default_factory=list)
    level1: str = ""
    level2: str = ""
    pending: list[str] = field(default_factory=list)  # lines of text not yet placed
    pending_from: int = 0  # the line the pending text starts on, for the row it becomes
    header_tail: str | None = ""  # a header label continued after the header; None: done

    @property
    def values(self) -> list[str]:
        """The value columns after the name, in printed order."""
        after = self.columns[self.columns.index("name") + 1 :] if "name" in self.columns else []
        return [c for c in after if c in _VALUE_COLUMNS]

    @property
    def needed(self) -> int:
        """Cells a line must hold, name included, to be a whole row."""
        return 1 + sum(1 for c in self.values if c in ("target", "actual"))


@dataclass
class _Reader:
    form: GridForm
    table: _Table | None = None
    budget_columns: list[str] = field(default_factory=list)
    done: bool = False

    # --- heading and budget ---------------------------------------------------------------

    def heading(self, line: str, number: int) -> None:
        data = self.form.data
        text = line.strip()
        if _TITLE.search(text) and "部门整体" in text:
            data["kind"] = "department"
        year = _YEAR.search(text)
        if year and "year" not in data and (_TITLE.search(text) or text.startswith(("(", "（"))):
            data["year"] = int(year.group(1))
        money = _MONEY.search(text)
        if money and "money_unit" not in data:
            data["money_unit"] = money.group(1) or money.group(2)
        tokens = text.split()
        budget = [column_key(t, BUDGET_COLUMNS) for t in tokens]
        if sum(1 for b in budget if b) >= 2:
            self.budget_columns = [b for b in budget if b]
            return
        if self.budget_columns and tokens and not _NUMBER.match(tokens[0]):
            numbers = [t for t in tokens[1:] if _NUMBER.match(t)]
            if numbers and ("资金总额" in tokens[0] or _TOTAL.match(tokens[0])):
                amounts: dict[str, Any] = {}
                for key, value in zip(self.budget_columns, numbers, strict=False):
                    amounts[key] = value if key == "rate" else value.replace(",", "")
                    self.form.positions[("budget", key)] = (number, 0)
                data.setdefault("budget", amounts)
                return
        self._labels(tokens, number)

    def _labels(self, tokens: list[str], number: int) -> None:
        key: str | None = None
        found = False
        values: list[str] = []
        for token in [*tokens, "项目名称"]:  # a sentinel label closes the last value
            label = squeeze(token)
            if label in _HEADING:
                if found and key and values and key not in self.form.data:
                    self._set(key, " ".join(values), number)
                key, found, values = _HEADING[label], True, []
            elif found:
                values.append(token)

    def _set(self, key: str, value: str, number: int) -> None:
        if key == "year":
            year = _YEAR.search(value) or re.match(r"((?:19|20)\d{2})", value)
            if year:
                self.form.data["year"] = int(year.group(1))
            return
        self.form.data[key] = value
        self.form.positions[(key,)] = (number, 0)

    # --- the indicator table --------------------------------------------------------------

    def header(self, line: str) -> bool:
        """Start the indicator table if ``line`` is its header."""
        keys = [column_key(t) for t in line.split()]
        found = [k for k in keys if k]
        if not ({"name", "target"} <= set(found) and len(found) >= 3):
            return False
        self.table = _Table(columns=found)
        return True

    def row(self, line: str, number: int) -> None:
        table = self.table
        assert table is not None
        text = line.strip()
        if _TABLE_END.match(text):
            self._settle(table)
            self.done = True
            return
        tokens = text.split()
        if _TOTAL.match(tokens[0]):
            self._settle(table)
            numbers = [t for t in tokens[1:] if _NUMBER.match(t)]
            if numbers:
                self.form.data["total"] = numbers[-1].replace(",", "")
            self.done = True
            return
        if table.header_tail is not None and self._header_tail(table, text):
            return
        if len(tokens) == 1 and text.isdigit() and len(text) <= 3 and not table.pending:
            return  # a page number
        # Group labels opening the line.
        while len(tokens) > 1 and is_group_label(tokens[0]):
            self._settle(table)
            self._group(table, tokens.pop(0))
        tokens = _glue(tokens)
        if len(tokens) == 1:
            if not table.pending:
                table.pending_from = number
            self._fragment(table, tokens[0])
            return
        if len(tokens) >= table.needed:
            self._settle(table)
            cells = tokens
            # The cells a row can fill; a last cell that reads as a value (a number, a short
            # word) is the completion, not a 未完成原因 — the extra cells then belong to a name
            # printed with spaces (``51 个社区实际配备律师数 51人 51人``).
            room = len(table.values)
            if table.values[-1:] == ["reason"] and (
                re.search(r"\d", cells[-1]) or len(cells[-1]) < 4
            ):
                room -= 1
            extra = len(cells) - 1 - room
            if extra > 0:
                cells = [" ".join(cells[: extra + 1]), *cells[extra + 1 :]]
            self._add(table, cells[0], cells[1:], number)
        elif table.pending:
            name = "".join(table.pending)
            table.pending = []
            self._add(table, name, tokens, number, table.pending_from)
        else:
            self._add(table, tokens[0], tokens[1:], number)

    def _header_tail(self, table: _Table, text: str) -> bool:
        """Lines right after the header completing a label (未完成原因和改 / 进措施)."""
        joined = (table.header_tail or "") + squeeze(text)
        for label, key in INDICATOR_COLUMNS:
            if label == joined:
                table.columns.append(key)
                table.header_tail = ""
                return True
            if label.startswith(joined) and len(joined) < len(label):
                table.header_tail = joined
                return True
        table.header_tail = None
        return False

    def _fragment(self, table: _Table, text: str) -> None:
        """A line of one cell: part of a label broken over lines, or of a wrapped cell."""
        table.pending.append(text)
        for k in range(len(table.pending), 0, -1):
            pieces = table.pending[-k:]
            if not all(_LABEL_PIECE.match(p) for p in pieces):
                continue
            joined = "".join(pieces)
            if is_group_label(joined):
                table.pending = table.pending[:-k]
                self._settle(table)
                self._group(table, joined)
                return

    def _group(self, table: _Table, label: str) -> None:
        points = POINTS.search(squeeze(label))
        if points:  # 产出指标(50分): the block's points, as the form format states them
            label = squeeze(label)[: points.start()]
            self.form.data.setdefault("blocks", {})[label] = points.group(1)
        if label in LEVEL1:
            table.level1, table.level2 = label, ""
            return
        if (
            label.endswith("成本指标")
            and label != "成本指标"
            and table.level2 == "成本指标"
            and not any(i.get("level2") == "成本指标" for i in table.indicators)
        ):
            # 成本指标 was the first-level block of the 2021 scheme (经济成本指标 below it).
            table.level1 = "成本指标"
        table.level2 = label

    def _add(
        self, table: _Table, name: str, cells: list[str], number: int, first: int | None = None
    ) -> None:
        """A row read from line ``number`` (its name from line ``first`` where it began
        above)."""
        index = len(table.indicators)
        item: dict[str, Any] = {"level1": table.level1 or None, "level2": table.level2 or None}
        item["name"] = name
        for key, value in zip(table.values, cells, strict=False):
            item[key] = value
        for key in ("weight", "score"):
            printed = item.get(key)
            if printed is not None and not _NUMBER.match(printed):
                del item[key]
                self.form.notes.append(
                    (f"indicators[{index}].{key}", f"不是数字：“{printed}”", "warning")
                )
        for key in ("target", "actual"):
            if key in item:
                self.form.positions[("indicators", index, key)] = (number, 0)
        self.form.positions[("indicators", index, "name")] = (number if first is None else first, 0)
        table.indicators.append({k: v for k, v in item.items() if v is not None})

    def _settle(self, table: _Table) -> None:
        """Place the lines of text left over after a row: a row whose cells all wrapped, the
        continuation of the row's last cell, or its 未完成原因."""
        pending, table.pending = table.pending, []
        if not pending:
            return
        if len(pending) >= 2 and any(re.search(r"\d|[≥≤≧≦]", p) for p in pending):
            self._blob(table, pending)
            return
        if not table.indicators:
            self.form.notes.append(
                ("indicators", f"指标表开头的文字未能归入任何一栏：“{''.join(pending)}”", "warning")
            )
            return
        last = table.indicators[-1]
        filled = [k for k in ("name", *table.values) if k in last and k != "reason"]
        tail = filled[-1]
        if (
            tail in ("target", "actual")
            and _width(last[tail]) >= 8
            and re.search(r"[\u4e00-\u9fff]", last[tail])
        ):
            last[tail] += "".join(pending)  # a wrapped cell: the breaks were the PDF's
        elif "reason" in table.columns and "reason" not in last:
            last["reason"] = "".join(pending)
        elif "reason" in last:
            last["reason"] += "".join(pending)
        else:
            index = len(table.indicators) - 1
            self.form.notes.append(
                (f"indicators[{index}]", f"未能归入任何一栏的文字：“{''.join(pending)}”", "warning")
            )

    def _blob(self, table: _Table, lines: list[str]) -> None:
        """A row printed without a space between its cells (every cell wrapped): the name is
        the text before the first value; the target ends at a number and its unit."""
        first_value = next(
            (i for i, p in enumerate(lines) if re.search(r"\d|[≥≤≧≦]", p)), len(lines)
        )
        name_lines, rest = lines[: max(first_value, 1)], lines[max(first_value, 1) :]
        split = next(
            (
                i
                for i in range(1, len(rest))
                if _VALUE_END.search(rest[i - 1]) and not _VALUE_START.match(rest[i])
            ),
            len(rest),
        )
        cells = ["".join(rest[:split]), "".join(rest[split:])]
        index = len(table.indicators)
        first = table.pending_from
        self._add(table, "".join(name_lines), [c for c in cells if c], first, first)
        self.form.notes.append(
            (
                f"indicators[{index}]",
                "原文中本行各栏之间没有分隔，按内容拆分为指标名称、指标值和完成值，请核对",
                "info",
            )
        )


def forms_from_spaced_text(text: str) -> list[GridForm]:
    """Every self-evaluation form in a text whose cells are separated by spaces."""
    lines = text.replace("\r\n", "\n").split("\n")
    starts = [i for i, line in enumerate(lines) if _is_title(line)]
    forms: list[GridForm] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        form = _read(lines, start, end)
        if form is not None:
            forms.append(form)
    return forms


def _read(lines: list[str], start: int, end: int) -> GridForm | None:
    form = GridForm({"kind": "project"}, rows=(start, end))
    reader = _Reader(form)
    for number in range(start, end):
        line = lines[number]
        if not line.strip():
            continue
        if reader.table is None:
            if not reader.header(line):
                reader.heading(line, number)
        elif not reader.done:
            reader.row(line, number)
    table = reader.table
    if table is None:
        return None
    if not reader.done:
        reader._settle(table)
    form.data.setdefault("money_unit", "元")
    form.data["indicators"] = table.indicators
    return form
