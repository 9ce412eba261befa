"""Writing forms: a workbook in the standard layout (one sheet per form), and YAML or JSON in
the form format.

Every field of every kind of form is written where a person would look for it and where
:mod:`perfscore.readers.grid` reads it back: the heading pairs (项目编码, 项目名称, 绩效自评年度,
实施单位, 资金用途, 绩效目标), the budget (a 预算执行情况 table for self-evaluations, 预算数 /
财政资金 / 其他资金 pairs and the 资金支出计划 for target tables, 说明 under it), the indicator
table (with 年度目标, 绩效指标描述 and 指标值确定依据 columns when the form has them) and 总分.
The reading notes of a form read from text or a workbook are 读取说明 rows in the heading.
Nothing is written for a field the form does not have, so reading back invents nothing.

Amounts, weights, scores, the total, the year, goal numbers and the execution rate are
numeric cells (Excel sums them; a rate printed ``96.86%`` is 0.9686 shown as a percentage, one
printed ``96.86`` the number 96.86, each reading back as printed); other printed values stay
text.  Text that a spreadsheet would run as a formula (starting
``=``, ``+``, ``-`` or ``@``) is stored as text and marked so (quote prefix).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from perfscore.files import atomic_path
from perfscore.form.fields import BUDGET, FORM, INDICATOR
from perfscore.form.model import Form
from perfscore.text.values import plain

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["FORMULA_START", "dump_forms", "form_data", "write_workbook", "yaml_comments"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_TITLES = {
    "project": "项目支出绩效自评表",
    "department": "部门整体支出绩效自评表",
    "targets": "项目绩效目标表",
}
# The budget row's columns and the indicator table's, each under its canonical label.
_BUDGET_LABELS = tuple((f.key, f.label) for f in BUDGET.values() if f.key != "reason")
_INDICATOR_LABELS = tuple((f.key, f.label) for f in INDICATOR.values())
# Columns every indicator table has, whether or not a form fills them.
_ALWAYS = {"level1", "level2", "name", "target", "actual", "weight", "score", "reason"}
_WIDTHS = {"name": 30, "description": 30, "basis": 24, "reason": 40, "target": 18, "actual": 18}


def _cell_value(value: Any) -> Any:
    """What a cell holds: numbers as numbers (exact Decimals), the rest as text."""
    if value is None:
        return None
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, Decimal)):
        return value
    return str(value)


class _Sheet:
    """Rows appended to a worksheet, text guarded against formula injection."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet

    def row(self, values: list[Any]) -> int:
        self.sheet.append([_cell_value(v) for v in values])
        number: int = self.sheet.max_row
        for cell in self.sheet[number]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"  # text, not a formula
                cell.quotePrefix = True  # and kept text when edited
        return number

    def pairs(self, pairs: list[tuple[str, Any]]) -> None:
        """Label/value pairs on one row, leaving out pairs without a value."""
        cells: list[Any] = []
        for label, value in pairs:
            if value is not None and value != "":
                cells += [label, value]
        if cells:
            self.row(cells)


def _sheet_title(form: Form, number: int, taken: list[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "_", form.project or "")[:28].strip("'") or f"表{number}"
    return title if title not in taken else f"{title[:24]} {number}"


def write_workbook(forms: list[Form], path: str | Path) -> None:
    """Write forms to a workbook in the standard layout, one sheet per form; it reads back
    (:func:`perfscore.load_forms`) as the same forms."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, form in enumerate(forms, start=1):
        sheet = workbook.create_sheet(_sheet_title(form, number, workbook.sheetnames))
        _write_form(_Sheet(sheet), form)
    with atomic_path(path) as temporary:
        workbook.save(temporary)


def _heading(key: str, value: Any) -> tuple[str, Any]:
    """A heading pair: the field's canonical label with a colon, as forms print it."""
    return f"{FORM[key].label}:", value


def _write_form(out: _Sheet, form: Form) -> None:
    from openpyxl.styles import Alignment, Font

    out.row([_TITLES[form.kind]])
    out.sheet.cell(1, 1).font = Font(bold=True, size=14)
    out.pairs(
        [
            _heading("code", form.code),
            _heading("project", form.project),
            _heading("year", form.year),
        ]
    )
    out.pairs([_heading("unit", form.unit)])
    out.row([f"{FORM['money_unit'].label}：{form.money_unit}"])
    out.pairs([_heading("purpose", form.purpose)])
    if form.goals:
        out.row([FORM["goals"].label, "\n".join(form.goals)])
    for note in form.notes:  # how the source was read, kept with the form
        out.row([FORM["notes"].label, note.path, note.message, note.severity])
    if form.kind == "targets":
        _target_budget(out, form)
    else:
        _budget(out, form)
    _plan(out, form)
    keys = [
        key
        for key, _ in _INDICATOR_LABELS
        if key in _ALWAYS or any(getattr(i, key) is not None for i in form.indicators)
    ]
    labels = dict(_INDICATOR_LABELS)
    header = out.row([labels[k] for k in keys])
    for cell in out.sheet[header]:
        cell.font = Font(bold=True)
    first = header + 1
    for ind in form.indicators:
        cells = {key: getattr(ind, key) for key in keys}
        # Points printed on the block header (产出指标 (50分)) read back as ``blocks``.
        points = form.blocks.get(ind.level1) if ind.level1 else None
        if points is not None:
            cells["level1"] = f"{ind.level1} ({plain(points)}分)"
        out.row(list(cells.values()))
    last = out.sheet.max_row
    for key in ("level1", "level2"):
        _merge_runs(out.sheet, keys.index(key) + 1, first, last)
    if form.total is not None:
        out.row([FORM["total"].label, *[None] * (keys.index("score") - 1), form.total])
    for col, key in enumerate(keys, start=1):
        letter = out.sheet.cell(1, col).column_letter
        out.sheet.column_dimensions[letter].width = _WIDTHS.get(key, 12)
    for row in out.sheet.iter_rows(min_row=first, max_row=last):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)


def _budget(out: _Sheet, form: Form) -> None:
    budget = form.budget
    if budget is None:
        return
    keys = [k for k, _ in _BUDGET_LABELS if getattr(budget, k) is not None]
    if not {"adjusted", "executed"} <= set(keys):
        # The table is found by these two labels: written even when empty.
        keys = [k for k, _ in _BUDGET_LABELS if k in keys or k in ("adjusted", "executed")]
    labels = dict(_BUDGET_LABELS)
    out.row([FORM["budget"].label])
    out.row([f"项目资金({form.money_unit})", *(labels[k] for k in keys)])
    number = out.row(["年度资金总额", *(getattr(budget, k) for k in keys)])
    if "rate" in keys:
        _rate_cell(out.sheet.cell(number, keys.index("rate") + 2), budget.rate or "")
    out.pairs([(BUDGET["reason"].label, budget.reason)])


_RATE = re.compile(r"(\d{1,9})(?:\.(\d{1,8}))?(%?)")


def _rate_cell(cell: Any, printed: str) -> None:
    """The execution rate as a number, shown as printed: ``96.86%`` is 0.9686 in a ``0.00%``
    cell, ``96.86`` the number 96.86 in a ``0.00`` cell; a rate printed any other way (``约97%``)
    stays text."""
    match = _RATE.fullmatch(printed.strip())
    if match is None or (match[2] or "").endswith("0") or match[1] != str(int(match[1])):
        # 96.80% or 096%: a number would read back without the zero the form printed.
        return
    whole, places, percent = match.groups()
    value = Decimal(f"{whole}.{places or 0}")
    shown = "0" + ("." + "0" * len(places) if places else "")
    cell.value = value / 100 if percent else value
    cell.number_format = shown + percent


def _target_budget(out: _Sheet, form: Form) -> None:
    budget = form.budget
    if budget is None:
        return
    # A target table prints the year's budget as 预算数 (one of the field's labels).
    out.pairs([("预算数", budget.adjusted)])
    for key in ("fiscal", "other", "reason"):
        out.pairs([(BUDGET[key].label, getattr(budget, key))])


def _plan(out: _Sheet, form: Form) -> None:
    if form.spending_plan:
        out.row([FORM["spending_plan"].label, *(p.when for p in form.spending_plan)])
        out.row(["", *(p.share for p in form.spending_plan)])


def _merge_runs(sheet: Worksheet, col: int, first: int, last: int) -> None:
    """Merge runs of equal values down a column, as printed forms do for 一级/二级指标."""
    start = first
    for row in range(first + 1, last + 2):
        same = row <= last and sheet.cell(row, col).value == sheet.cell(start, col).value
        if not same:
            if row - 1 > start and sheet.cell(start, col).value:
                sheet.merge_cells(
                    start_row=start, start_column=col, end_row=row - 1, end_column=col
                )
            start = row


# --------------------------------------------------------------------------------------------
# YAML and JSON


def form_data(form: Form) -> dict[str, Any]:
    """A form as plain data in the form format: the fields it has, numbers as Decimals."""
    data = form.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    if form.kind == "project":
        data.pop("kind", None)
    return data


class _Dumper(yaml.SafeDumper):
    """YAML with Decimals written as exact numbers."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = _number_text(value)
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


# Text a YAML 1.1 or 1.2 reader would take for a number, a boolean or null: written quoted.
_AMBIGUOUS = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|nan)"
    r"|0[xob][0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|y|n|yes|no|on|off|true|false|null|~|)$",
    re.IGNORECASE,
)


# Text that reads back as itself when written as a YAML number (30, 0.90): no sign, no leading
# zero, within the digits a form accepts for a number.  It is written unquoted, as a person
# types it; 007, 1e3 or a 21-digit code stay quoted text.
_NUMBER_TEXT = re.compile(r"(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,12})?")


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _NUMBER_TEXT.fullmatch(value):
        tag = "tag:yaml.org,2002:float" if "." in value else "tag:yaml.org,2002:int"
        return dumper.represent_scalar(tag, value)
    style = "'" if _AMBIGUOUS.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(tuple, yaml.SafeDumper.represent_list)


def _json_text(data: Any) -> str:
    """JSON with Decimals written as numbers with their exact digits (``json`` alone would
    either refuse them or round them through floats)."""
    token = uuid.uuid4().hex
    marked: dict[str, str] = {}

    def mark(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [mark(v) for v in value]
        if isinstance(value, Decimal):
            key = f"{token}{len(marked)}"
            marked[key] = _number_text(value)
            return key
        return value

    text = json.dumps(mark(data), ensure_ascii=False, indent=2)
    return re.sub(f'"({token}\\d+)"', lambda m: marked[m.group(1)], text)


def _number_text(value: Decimal) -> str:
    return plain(value) if value == value.to_integral_value() else format(value, "f")


_TOP_KEY = re.compile(r"([^\s#:'\"{}\[\],&*!|>%@`-][^:#]*?)\s*:(?:\s|$)")


def yaml_comments(text: str) -> dict[str, list[str]]:
    """The whole-line comments of a one-form YAML file, by the top-level key they stand above
    (``""``: after the last key).  Comments at the end of a line, or inside a block, have no
    place of their own in a rewritten form and are not kept."""
    found: dict[str, list[str]] = {}
    pending: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#") and line.startswith("#"):
            pending.append(stripped)
            continue
        if not stripped:
            continue
        key = _TOP_KEY.match(line)
        if key and pending:
            found.setdefault(key.group(1).strip(), []).extend(pending)
        pending = []  # above a key, or inside a block: no place of its own
    if pending:
        found.setdefault("", []).extend(pending)
    return found


def _yaml_text(data: dict[str, Any], comments: Mapping[str, Sequence[str]]) -> str:
    """One form's YAML with the source's comments above the keys they stood above; comments of
    keys the form no longer has (an alias renamed) go to the top."""
    lost = [c for key, lines in comments.items() if key and key not in data for c in lines]
    out = [f"{c}\n" for c in lost]
    for key, value in data.items():
        out += [f"{c}\n" for c in comments.get(key, ())]
        out.append(
            yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        )
    out += [f"{c}\n" for c in comments.get("", ())]
    return "".join(out)


def dump_forms(
    forms: list[Form], path: str | Path, comments: Mapping[str, Sequence[str]] | None = None
) -> None:
    """Write forms to a ``.yaml`` or ``.json`` file in the form format: one form as a mapping,
    several as a list (which :func:`perfscore.load_forms` reads back).  Numbers are written as
    numbers, with their exact digits.  ``comments`` (see :func:`yaml_comments`) are written
    above their keys in a one-form YAML file."""
    items = [form_data(f) for f in forms]
    data: Any = items[0] if len(items) == 1 else items
    p = Path(path)
    if p.suffix.lower() == ".json":
        text = _json_text(data) + "\n"
    elif comments and isinstance(data, dict):
        text = _yaml_text(data, comments)
    else:
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    with atomic_path(p) as temporary:
        temporary.write_text(text, encoding="utf-8")
