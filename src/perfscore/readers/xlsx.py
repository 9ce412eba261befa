"""Writing forms to Excel workbooks (.xlsx) in the standard layout.

Reading spreadsheets is :mod:`perfscore.readers.spreadsheet` (python-calamine); its
:func:`forms_from_workbook` and :class:`SheetForm` are re-exported here for existing callers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfscore.files import atomic_path
from perfscore.readers.spreadsheet import SheetForm, forms_from_workbook

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["SheetForm", "forms_from_workbook", "write_workbook"]


_INDICATOR_HEADER = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "权重",
    "得分",
    "偏差原因分析及改进措施",
]


def write_workbook(forms: list[Any], path: Path) -> None:
    """Write forms to a workbook in the standard layout, one sheet per form: heading fields,
    the 预算执行情况 block, the indicator table with 一级/二级 merged over their rows, 总分.

    The workbook reads back (:func:`forms_from_workbook`) as the same forms.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for number, form in enumerate(forms, start=1):
        title = (form.project or f"form {number}")[:28].replace("/", "_")
        sheet = workbook.create_sheet(title if title not in workbook.sheetnames else f"{number}")
        kind = "部门整体支出绩效自评表" if form.kind == "department" else "项目支出绩效自评表"
        sheet.append([kind])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append(
            [
                "项目编码:",
                form.code or "",
                "项目名称:",
                form.project or "",
                "绩效自评年度:",
                form.year or "",
            ]
        )
        sheet.append(["实施单位:", form.unit or ""])
        budget = form.budget
        if budget is not None:
            sheet.append(["预算执行情况"])
            sheet.append(
                [
                    f"项目资金({form.money_unit})",
                    "年初预算数",
                    "全年预算数",
                    "全年执行数",
                    "分值",
                    "执行率(%)",
                    "得分",
                ]
            )
            sheet.append(
                [
                    "年度资金总额",
                    *(
                        "" if v is None else str(v)
                        for v in (
                            budget.initial,
                            budget.adjusted,
                            budget.executed,
                            budget.weight,
                            budget.rate,
                            budget.score,
                        )
                    ),
                ]
            )
        sheet.append(_INDICATOR_HEADER)
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = bold
        first_row = header_row + 1
        for ind in form.indicators:
            # Points printed on the block header (产出指标 (50分)) read back as ``blocks``.
            points = form.blocks.get(ind.level1) if ind.level1 else None
            sheet.append(
                [
                    f"{ind.level1} ({points}分)" if points is not None else ind.level1 or "",
                    ind.level2 or "",
                    ind.name,
                    ind.target or "",
                    ind.actual or "",
                    "" if ind.weight is None else str(ind.weight),
                    "" if ind.score is None else str(ind.score),
                    ind.reason or "",
                ]
            )
        last_row = sheet.max_row
        for col in (1, 2):
            _merge_runs(sheet, col, first_row, last_row)
        sheet.append(["总分", "", "", "", "", "", "" if form.total is None else str(form.total)])
        for column, width in zip("ABCDEFGH", (12, 18, 30, 18, 18, 8, 8, 40), strict=True):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_row=first_row, max_row=last_row):
            for cell in row:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    with atomic_path(path) as temporary:
        workbook.save(temporary)


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
