"""The form format: keys, Chinese aliases, numbers as printed, and clear errors."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import perfscore
from perfscore import FormError, load_form


def test_chinese_aliases_and_printed_numbers() -> None:
    """项目名称/年度指标值/实际完成值/权重/得分 are accepted; "4,262.41" is a number."""
    form = perfscore.evaluate(
        {
            "项目名称": "测试",
            "预算执行情况": {"全年预算数": "4,262.41", "全年执行数": "4,262.41"},
            "绩效指标": [
                {
                    "三级指标": "社工人数",
                    "年度指标值": "≥16人",
                    "实际完成值": "16人",
                    "权重": 90,
                    "得分": 90,
                },
            ],
            "总分": 100,
        }
    )
    assert form.total == Decimal("100.00")
    assert form.execution is not None
    assert form.execution.budget == Decimal("4262.41")
    assert form.ok


def test_yaml_floats_are_exact(tmp_path: Path) -> None:
    """217461.64 in YAML is the Decimal 217461.64, not a binary float."""
    path = tmp_path / "f.yaml"
    path.write_text(
        "project: x\nbudget: {adjusted: 224500.00, executed: 217461.64}\n"
        "indicators: [{name: a, target: 1, actual: 1}]\n",
        "utf-8",
    )
    form = load_form(path)
    assert form.budget is not None
    assert form.budget.executed == Decimal("217461.64")


def test_json_form(tmp_path: Path) -> None:
    """A JSON form is read like YAML, with Decimal numbers."""
    path = tmp_path / "f.json"
    path.write_text(
        json.dumps(
            {
                "project": "x",
                "indicators": [{"name": "a", "target": "≥1次", "actual": "2次", "weight": 0.5}],
            }
        ),
        "utf-8",
    )
    result = perfscore.evaluate(path)
    assert result.indicators[0].weight == Decimal("0.5")


def test_unknown_key_names_file_path_line_and_suggestion(tmp_path: Path) -> None:
    """A misspelt key: the file, the field path, the line and a did-you-mean."""
    path = tmp_path / "bad.yaml"
    path.write_text(
        "project: x\nindicators:\n  - name: a\n    taget: ≥1次\n    actual: 1次\n", "utf-8"
    )
    with pytest.raises(FormError) as info:
        load_form(path)
    err = info.value
    assert err.source == str(path)
    assert err.path == "indicators[0].taget"
    assert err.line == 4
    assert "did you mean 'target'" in str(err)
    assert str(err).startswith(f"{path}:4 indicators[0].taget")


def test_bad_name_names_the_field_and_line(tmp_path: Path) -> None:
    """A row name that is not text names its path and line, through a traditional-script key
    (a row cannot be scored without its name, so this stays an error)."""
    path = tmp_path / "bad.yaml"
    path.write_text("project: x\nindicators:\n  - 三級指標: [a, b]\n    weight: 5\n", "utf-8")
    with pytest.raises(FormError) as info:
        load_form(path)
    assert info.value.path == "indicators[0].三级指标"
    assert info.value.line == 3
    assert "expected text" in str(info.value)


def test_invalid_yaml_has_line_and_column(tmp_path: Path) -> None:
    """Broken YAML is reported with its position, not as a traceback."""
    path = tmp_path / "bad.yaml"
    path.write_text("project: x\nindicators: [\n", "utf-8")
    with pytest.raises(FormError) as info:
        load_form(path)
    assert info.value.line is not None
    assert "invalid YAML" in str(info.value)


def test_missing_file() -> None:
    """A missing file is a FormError naming it."""
    with pytest.raises(FormError, match="no such file"):
        load_form("does-not-exist.yaml")


def test_not_a_mapping(tmp_path: Path) -> None:
    """A YAML list is not a form."""
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n", "utf-8")
    with pytest.raises(FormError, match="mapping"):
        load_form(path)


def test_missing_name_is_required() -> None:
    """An indicator without a name is refused, naming the field."""
    with pytest.raises(FormError) as info:
        perfscore.evaluate({"indicators": [{"target": "1"}]})
    assert info.value.path == "indicators[0].name"


def test_form_without_budget_or_weights_is_judged() -> None:
    """A bare list of indicators is still judged, with an unscored-form note."""
    result = perfscore.evaluate({"indicators": [{"name": "a", "target": "≥3件", "actual": "2件"}]})
    assert result.indicators[0].status == "partly_met"
    assert result.indicators[0].achievement is not None
    assert result.indicators[0].score is None
    codes = [f.code for f in result.flags]
    assert "unscored-form" in codes
    assert "missing-reason" in codes  # partly met with nothing said
    assert not result.errors
