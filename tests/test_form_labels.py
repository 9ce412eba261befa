"""The one field table: every label of a field is accepted by the form model, the grid reader
and the text layouts alike, so a spelling one accepts is never lost by another."""

from __future__ import annotations

from typing import Any

import pytest

from perfscore.form.fields import BUDGET, FORM, INDICATOR, TARGET_PARTS, FieldLabels
from perfscore.form.model import form_from_data
from perfscore.readers.labels import (
    BUDGET_COLUMNS,
    GRID_INDICATOR_COLUMNS,
    HEADING,
    column_key,
    label_columns,
)

# A value each field accepts.
_VALUES: dict[str, Any] = {
    "goal": 1,
    "weight": 5,
    "score": 5,
    "total": 5,
    "rate": "9%",
    "year": 2024,
}
_MONEY = {"initial", "adjusted", "fiscal", "other", "executed"}


def _each(table: dict[str, FieldLabels], *, exclude: tuple[str, ...] = ()) -> list[Any]:
    return [
        pytest.param(f.key, label, id=f"{f.key}-{label}")
        for f in table.values()
        if f.key not in exclude
        for label in f.labels
    ]


def _value(key: str) -> Any:
    return 100 if key in _MONEY else _VALUES.get(key, "文本")


@pytest.mark.parametrize(("key", "label"), _each(INDICATOR))
def test_the_model_reads_every_indicator_label(key: str, label: str) -> None:
    """An indicator key typed as any of its labels fills the field."""
    row = {label: _value(key)} if key == "name" else {"name": "社工人数", label: _value(key)}
    (indicator,) = form_from_data({"indicators": [row]}).indicators
    assert getattr(indicator, key) is not None


@pytest.mark.parametrize(("key", "label"), _each(BUDGET))
def test_the_model_reads_every_budget_label(key: str, label: str) -> None:
    form = form_from_data({"budget": {label: _value(key)}})
    assert form.budget is not None
    assert getattr(form.budget, key) is not None


@pytest.mark.parametrize(
    ("key", "label"), _each(FORM, exclude=("kind", "money_unit", "budget", "indicators"))
)
def test_the_model_reads_every_form_label(key: str, label: str) -> None:
    values = {"blocks": {"产出指标": 50}, "spending_plan": [], "goals": ["目标"], "notes": []}
    data = {"budget": {"adjusted": 1}, label: values.get(key, _value(key))}
    assert key in form_from_data(data).model_fields_set


@pytest.mark.parametrize(("key", "label"), _each(INDICATOR) + _each(TARGET_PARTS))
def test_the_grid_reads_every_indicator_label(key: str, label: str) -> None:
    """A header cell printed with any label (with ``*`` and a suffix in brackets) names its
    column."""
    assert label_columns(["", f"* {label}(说明)"], GRID_INDICATOR_COLUMNS) == {key: [1]}


@pytest.mark.parametrize(("key", "label"), _each(INDICATOR))
def test_the_text_layouts_read_every_indicator_label(key: str, label: str) -> None:
    assert column_key(label) == key


@pytest.mark.parametrize(("key", "label"), _each(BUDGET, exclude=("reason",)))
def test_every_reader_reads_every_budget_column(key: str, label: str) -> None:
    assert column_key(label, BUDGET_COLUMNS) == key
    assert label_columns([label], BUDGET_COLUMNS) == {key: [0]}


@pytest.mark.parametrize(("key", "label"), _each(FORM, exclude=("kind",)))
def test_heading_labels_are_the_form_fields(key: str, label: str) -> None:
    """The grid's heading labels are the form's own (a department's 单位名称 aside)."""
    if key in ("project", "code", "year", "unit") and label != "单位名称":
        assert HEADING[label.replace("：", "")] == key
    else:
        assert label not in HEADING


def test_reason_spelled_weiwancheng_yuanyin_fenxi_in_a_form_file() -> None:
    """未完成原因分析及改进措施 is a reason key in the form format too (it was an unknown key)."""
    row = {"三级指标": "培训次数", "年度指标值": "4次", "未完成原因分析及改进措施": "停办一次"}
    (indicator,) = form_from_data({"绩效指标": [row]}).indicators
    assert indicator.reason == "停办一次"
