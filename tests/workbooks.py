"""Workbooks built as the originals are laid out (merged cells and all), for the reader tests.

Each builder returns the path of a new .xlsx file; its YAML twin is a form-format mapping that
must evaluate exactly as the workbook does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

#: The indicator table's heading row as the ordinary template prints it (一级 to 偏差原因).
INDICATOR_HEADING = (
    "年度绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "度量单位",
    "* 实际完成值",
    "* 权重",
    "* 得分",
    "偏差原因分析及改进措施",
)


def _put(sheet: Worksheet, row: int, values: list[Any], col: int = 1) -> None:
    for offset, value in enumerate(values):
        if value is not None:
            sheet.cell(row, col + offset, value)


def _percent(sheet: Worksheet, row: int, col: int, value: float) -> None:
    cell = sheet.cell(row, col, value)
    cell.number_format = "0.00%"


def luohu_style(path: Path, forms: list[dict[str, Any]], per_sheet: bool = True) -> Path:
    """The 2024 Luohu layout: title, heading fields, 预算执行情况 with 项目资金(元) merged over
    two columns, an indicator table with 年度绩效指标 / 一级 / 二级 merged down their rows, and
    a 总分 row.  One form per sheet, or all stacked on one sheet."""
    workbook = Workbook()
    sheet = workbook.active
    row = 1
    for number, form in enumerate(forms):
        if per_sheet and number:
            sheet = workbook.create_sheet(f"表{number + 1}")
            row = 1
        elif not per_sheet and number:
            row += 2
        _luohu_heading(sheet, row, form)
        row = _luohu_indicators(sheet, row + 7, form)
    workbook.save(path)
    return path


def _luohu_heading(sheet: Worksheet, row: int, form: dict[str, Any]) -> None:
    """The title, the heading fields and the 预算执行情况 block, from ``row`` down."""
    sheet.cell(row, 1, "项目支出绩效自评表")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=10)
    _put(
        sheet,
        row + 1,
        [
            "项目编码:",
            form.get("code"),
            "项目名称:",
            form["project"],
            "绩效自评年度:",
            form.get("year"),
        ],
    )
    _put(sheet, row + 2, ["实施单位:", form.get("unit")])
    sheet.cell(row + 3, 1, "预算执行情况")
    money = form.get("money_unit", "元")
    sheet.cell(row + 4, 1, f"项目资金({money})")
    sheet.merge_cells(start_row=row + 4, start_column=1, end_row=row + 4, end_column=2)
    _put(
        sheet,
        row + 4,
        ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)", "得分"],
        col=3,
    )
    budget = form["budget"]
    _put(
        sheet,
        row + 5,
        [
            "年度资金总额",
            budget.get("initial"),
            budget["adjusted"],
            budget["executed"],
            budget.get("weight"),
        ],
        col=2,
    )
    if "rate" in budget:
        sheet.cell(row + 5, 7, float(budget["rate"]))


def _luohu_indicators(sheet: Worksheet, row: int, form: dict[str, Any]) -> int:
    """The indicator table with its header at ``row`` and the 总分 row; the last row used."""
    _put(
        sheet,
        row,
        list(INDICATOR_HEADING),
    )
    first = row + 1
    for i, ind in enumerate(form["indicators"]):
        r = first + i
        _put(
            sheet,
            r,
            [None, ind["level1"], ind["level2"], ind["name"], ind["target"], None],
            col=1,
        )
        actual = ind["actual"]
        if isinstance(actual, str) and actual.endswith("%") and actual[:-1].isdigit():
            _percent(sheet, r, 7, int(actual[:-1]) / 100)
        else:
            sheet.cell(r, 7, actual)
        _put(sheet, r, [ind["weight"], ind["score"], ind.get("reason")], col=8)
    last = first + len(form["indicators"]) - 1
    sheet.cell(first, 1, "年度绩效指标")
    sheet.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
    _merge_down(sheet, 2, first, last)
    _merge_down(sheet, 3, first, last)
    total_row = last + 1
    sheet.cell(total_row, 2, "总分")
    sheet.merge_cells(start_row=total_row, start_column=2, end_row=total_row, end_column=7)
    _put(sheet, total_row, [100, form.get("total"), "—"], col=8)
    return total_row


def _merge_down(sheet: Worksheet, col: int, first: int, last: int) -> None:
    """Merge runs of the same value down a column, leaving only the top cell filled."""
    start = first
    for r in range(first + 1, last + 2):
        if r <= last and sheet.cell(r, col).value == sheet.cell(start, col).value:
            sheet.cell(r, col).value = None
            continue
        if r - 1 > start:
            sheet.merge_cells(start_row=start, start_column=col, end_row=r - 1, end_column=col)
        start = r


_ROW_KEYS = ("level1", "level2", "name", "target", "actual", "weight", "score", "reason")


def _rows(*rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    """A twin's indicators from their values in the order of ``_ROW_KEYS``."""
    return [dict(zip(_ROW_KEYS, row, strict=False)) for row in rows]


# The indicator rows of split_target: the target over 指标性质 | 指标值 | 度量单位.
_SPLIT_ROWS: list[list[Any]] = [
    ["产出指标", "数量指标", "法律援助案件数", "≥", 550, "件", 566, 30, 30, None],
    ["产出指标", "质量指标", "案件质量评估合格率", "≥", 95, "%", "93%", 20, 19.58, "评估从严"],
    ["产出指标", "成本指标", "成本控制率", "≤", 100, "%", "100%", 0, 0, None],
    [
        "效益指标",
        "社会效益指标",
        "群众法治意识",
        None,
        "显著提升",
        None,
        "90%",
        30,
        27,
        "持续宣传",
    ],
    ["满意度指标", "服务对象满意度指标", "受援人满意度", "≥", 90, "%", "95%", 10, 10, None],
]


def split_target(path: Path) -> tuple[Path, dict[str, Any]]:
    """年度指标值 spread over 指标性质 | 指标值 | 度量单位, money in 万元."""
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "项目支出绩效自评表（2023年度）"
    _put(sheet, 2, ["项目名称", "法律援助", "实施单位", "某区司法局"])
    _put(sheet, 3, ["项目资金（万元）", "全年预算数（A）", "全年执行数（B）", "执行率（B/A）"])
    _put(sheet, 4, ["年度资金总额", 120, 108])
    _percent(sheet, 4, 4, 0.9)
    _put(
        sheet,
        6,
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            None,
            None,
            "实际完成值",
            "权重",
            "得分",
            "偏差原因分析及改进措施",
        ],
    )
    sheet.merge_cells("D6:F6")
    _put(sheet, 7, [None, None, None, "指标性质", "指标值", "度量单位"])
    for i, values in enumerate(_SPLIT_ROWS):
        _put(sheet, 8 + i, values)
    _merge_down(sheet, 1, 8, 12)
    _put(sheet, 13, ["总分", None, None, None, None, None, None, 100, 95.58])
    sheet.merge_cells("A13:G13")
    workbook.save(path)
    twin = {
        "project": "法律援助",
        "year": 2023,
        "unit": "某区司法局",
        "money_unit": "万元",
        "budget": {"adjusted": 120, "executed": 108},
        "indicators": _rows(
            ("产出指标", "数量指标", "法律援助案件数", "≥550件", "566", 30, 30),
            ("产出指标", "质量指标", "案件质量评估合格率", "≥95%", "93%", 20, 19.58, "评估从严"),
            ("产出指标", "成本指标", "成本控制率", "≤100%", "100%", 0, 0),
            ("效益指标", "社会效益指标", "群众法治意识", "显著提升", "90%", 30, 27, "持续宣传"),
            ("满意度指标", "服务对象满意度指标", "受援人满意度", "≥90%", "95%", 10, 10),
        ),
        "total": 95.58,
    }
    return path, twin


def hubei_blocks(path: Path) -> tuple[Path, dict[str, Any]]:
    """Weights printed on the first-level blocks only: 产出指标（40分）, 效益指标（30分）…"""
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "项目支出绩效自评表"
    _put(sheet, 2, ["项目名称", "社区矫正", "实施单位", "某区司法局"])
    _put(sheet, 3, ["预算执行情况", "全年预算数", "全年执行数", "分值", "得分(20分*执行率)"])
    _put(sheet, 4, ["年度资金总额", 200, 180, 20, 18])
    _put(sheet, 6, ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "得分"])
    rows: list[list[Any]] = [
        ["产出指标（40分）", "数量指标", "矫正对象接收数", "≥50人", "60人", 20],
        [None, "质量指标", "矫正对象脱管率", "0", "0", 20],
        ["效益指标（30分）", "社会效益指标", "社会稳定", "效果显著", "90%", 27],
        ["满意度指标（10分）", "服务对象满意度指标", "满意度", "≥90%", "95%", 10],
    ]
    for i, values in enumerate(rows):
        _put(sheet, 7 + i, values)
    sheet.merge_cells("A7:A8")
    _put(sheet, 11, ["总分", None, None, None, None, 95])
    workbook.save(path)
    twin = {
        "project": "社区矫正",
        "unit": "某区司法局",
        "budget": {"adjusted": 200, "executed": 180, "weight": 20, "score": 18},
        "indicators": _rows(
            ("产出指标", "数量指标", "矫正对象接收数", "≥50人", "60人", 20, 20),
            ("产出指标", "质量指标", "矫正对象脱管率", "0", "0", 20, 20),
            ("效益指标", "社会效益指标", "社会稳定", "效果显著", "90%", 30, 27),
            ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "95%", 10, 10),
        ),
        "total": 95,
    }
    return path, twin
