"""The printed labels of the standard tables, shared by the text layouts.

Labels are compared without spaces, ``*`` or colons, and without a parenthesised suffix
(``全年预算数（A）``, ``执行率（B/A)``), so ``一级 指标`` and ``一级指标`` name the same column.
"""

from __future__ import annotations

import re

__all__ = [
    "BUDGET_COLUMNS",
    "INDICATOR_COLUMNS",
    "LEVEL1",
    "POINTS",
    "column_key",
    "is_group_label",
    "squeeze",
]

# Indicator header labels and the columns they name.
INDICATOR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("指标值确定依据", "basis"),
    ("绩效指标描述", "description"),
    ("一级指标", "level1"),
    ("二级指标", "level2"),
    ("三级指标", "name"),
    ("指标名称", "name"),
    ("年度指标值", "target"),
    ("年初目标值", "target"),
    ("指标值", "target"),
    ("实际完成值", "actual"),
    ("全年完成值", "actual"),
    ("完成值", "actual"),
    ("权重", "weight"),
    ("分值", "weight"),
    ("得分", "score"),
    ("偏差原因分析及改进措施", "reason"),
    ("未完成原因和改进措施", "reason"),
    ("未完成原因分析及改进措施", "reason"),
    ("偏差原因", "reason"),
)

# Budget header labels and the budget keys they name.
BUDGET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("年初预算数", "initial"),
    ("全年预算数", "adjusted"),
    ("调整后预算数", "adjusted"),
    ("预算数", "adjusted"),
    ("全年执行数", "executed"),
    ("执行数", "executed"),
    ("分值", "weight"),
    ("执行率", "rate"),
    ("得分", "score"),
)

# First-level blocks of the national scheme; any other label ending in 指标 is second-level.
LEVEL1 = frozenset({"产出指标", "效益指标", "满意度指标"})

_PARENS = re.compile(r"[(（][^()（）]*[)）]?")
_GROUP = re.compile(r"^[\u4e00-\u9fff]{1,12}指标$")


def squeeze(text: str) -> str:
    """A label without spaces, ``*`` or colons (``产出 指标`` → ``产出指标``)."""
    return re.sub(r"[\s*＊:：]", "", text)


def column_key(text: str, labels: tuple[tuple[str, str], ...] = INDICATOR_COLUMNS) -> str | None:
    """The column a header label names, or None."""
    base = _PARENS.sub("", squeeze(text))
    return next((key for label, key in labels if base == label), None)


# Points printed on a block header: 产出指标(50分), 效益指标（30 分）.
POINTS = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$")


def is_group_label(text: str) -> bool:
    """True for a first- or second-level group label (产出指标, 可持续影响指标 …), with or
    without its points (产出指标(50分))."""
    label = POINTS.sub("", squeeze(text))
    return bool(_GROUP.match(label)) and column_key(label) is None
