"""The form's fields and the labels they are printed under (字段与表头): the one table.

Each field has its key in the form format, its Chinese labels — the canonical label first (the
one the writer prints), then every other spelling a form is read with — and one line on what it
holds.  The form model takes its Chinese aliases from here, every reader its header labels, and
the writer its labels, so a spelling accepted by one is accepted by all.

Labels are written as printed; a reader compares them its own way (without spaces, ``*`` or
colons, and without a parenthesised suffix such as ``执行率(%)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from perfscore.paths import Location

__all__ = [
    "BUDGET",
    "DEPARTMENT_NAME",
    "FORM",
    "INDICATOR",
    "PLAN_POINT",
    "TARGET_PARTS",
    "FieldLabels",
    "Location",
    "label_pairs",
]


@dataclass(frozen=True, slots=True)
class FieldLabels:
    """One field: its key, its labels (the canonical one first) and what it holds."""

    key: str
    labels: tuple[str, ...]
    what: str

    @property
    def label(self) -> str:
        """The canonical label: what the writer prints."""
        return self.labels[0]


def _table(*fields: FieldLabels) -> dict[str, FieldLabels]:
    return {f.key: f for f in fields}


def _f(key: str, what: str, *labels: str) -> FieldLabels:
    return FieldLabels(key, labels, what)


#: A department form's 单位名称 names the department: both its subject (``project``, the label
#: is one of that field's) and its ``unit``.  Readers of project forms leave it to the
#: department reader, since a project form's 单位名称 is the unit carrying the project out.
DEPARTMENT_NAME = "单位名称"

#: The fields of the form itself (its heading, and the blocks it is made of).
FORM = _table(
    _f("kind", "project, department or targets (which table the form is)", "类型"),
    _f("code", "the project's code", "项目编码"),
    _f(
        "project",
        "the project's name (a department form: the department)",
        "项目名称",
        DEPARTMENT_NAME,
    ),
    _f("year", "the year evaluated", "绩效自评年度", "自评年度", "年度"),
    _f("unit", "the unit carrying the project out", "实施单位"),
    _f("money_unit", "元 or 万元: the unit of the budget's amounts", "金额单位"),
    _f("budget", "the budget block (BUDGET)", "预算执行情况"),
    _f("indicators", "the indicator rows (INDICATOR)", "绩效指标"),
    _f("total", "the total score printed", "总分"),
    _f("blocks", "points printed on the first-level block headers", "一级指标分值"),
    _f("purpose", "what the money is for", "资金用途"),
    _f("spending_plan", "the spending plan's points (PLAN_POINT)", "资金支出计划"),
    _f("goals", "the performance goals' texts", "绩效目标"),
    _f("notes", "what a reader could not read, or decided", "读取说明"),
)

#: The budget block (预算执行情况), in the order the writer prints its columns.
BUDGET = _table(
    _f("initial", "the budget at the start of the year", "年初预算数"),
    _f("adjusted", "the budget for the whole year", "全年预算数", "调整后预算数", "预算数"),
    _f(
        "fiscal",
        "the part of the budget from fiscal funds",
        "其中：财政资金",
        "其中:财政资金",
        "其中财政资金",
        "财政资金",
        "财政拨款",
    ),
    _f("other", "the part of the budget from other funds", "其他资金"),
    _f("executed", "the amount spent", "全年执行数", "执行数", "实际支出"),
    _f("weight", "the points of the execution row", "分值"),
    _f("rate", "the execution rate as printed", "执行率"),
    _f("score", "the execution row's printed score", "得分"),
    _f("reason", "why the execution fell short", "说明", "执行率偏低原因"),
)

#: One indicator row (三级指标), in the order the writer prints its columns.
INDICATOR = _table(
    _f("number", "the row's number as the form prints it (序号), where it prints one", "序号"),
    _f("goal", "the annual goal the row belongs to (department forms)", "年度目标"),
    _f("level1", "the first-level block (产出指标 …)", "一级指标"),
    _f("level2", "the second-level group (数量指标 …)", "二级指标"),
    _f("name", "the third-level indicator's name", "三级指标", "指标名称"),
    _f("description", "what the indicator measures", "绩效指标描述", "指标描述"),
    _f("target", "the target as printed", "年度指标值", "年初目标值", "指标值"),
    _f("basis", "where the target comes from", "指标值确定依据"),
    _f(
        "actual",
        "what was achieved, as printed",
        "实际完成值",
        "全年完成值",
        "实际完成情况",
        "完成值",
    ),
    _f("weight", "the row's points", "权重", "分值"),
    _f("score", "the row's printed score", "得分"),
    _f(
        "reason",
        "why the target was missed, and what will change",
        "偏差原因分析及改进措施",
        "未完成原因分析及改进措施",
        "未完成原因和改进措施",
        "偏差原因",
    ),
)

#: Columns a workbook may split a target into (指标性质 | 指标值 | 度量单位: ≥ | 550 | 件), which
#: the grid reader folds into ``target``; they are not fields of their own.
TARGET_PARTS = _table(
    _f("sense", "the target's comparator (≥, ≤, =)", "指标性质"),
    _f("unit", "the target's unit of measure", "度量单位", "计量单位"),
)

#: One point of the spending plan (资金支出计划).
PLAN_POINT = _table(
    _f("when", "the date by which", "时间", "截至"),
    _f("share", "the share of the budget spent by then", "累计支出比例", "比例"),
)


def label_pairs(
    fields: Iterable[FieldLabels], *, exclude: Iterable[str] = ()
) -> tuple[tuple[str, str], ...]:
    """Every (label, key) of ``fields``, leaving out the keys in ``exclude``."""
    skip = set(exclude)
    return tuple((label, f.key) for f in fields if f.key not in skip for label in f.labels)
