"""Round trips YAML ↔ JSON ↔ .xlsx keep every field and invent nothing; written files are safe
to open in a spreadsheet."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfscore.form.model import Form, form_from_data
from perfscore.readers import dump_forms, load_forms
from perfscore.readers.writer import write_workbook
from tests.conftest import DATA

SEEDS = sorted((DATA / "seeds").glob("*.txt"))

# Characters of no printed label (项目, 指标, 目标, 合计 … would be read as labels).
_CJK = "甲乙丙丁戊己庚辛壬癸春夏秋冬东南西北山水火木金土人口手足"
_TEXT = (
    st.text(_CJK + "0123456789ABCxyz%≥≤()、=+-@ ", min_size=1, max_size=12)
    .map(str.strip)
    .filter(lambda t: bool(t) and t not in {"—", "-", "/", "无"} and not t.isdigit())
)
_FORMULA = st.sampled_from(["=", "+", "-", "@"]).flatmap(lambda c: _TEXT.map(lambda t: c + t))
_CELL = st.one_of(_TEXT, _FORMULA)
_AMOUNT = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
_POINTS = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
_LEVELS = {
    "产出指标": ["数量指标", "质量指标", "时效指标", "成本指标"],
    "效益指标": ["社会效益指标", "可持续影响指标"],
    "满意度指标": ["服务对象满意度指标"],
}


@st.composite
def _indicator(draw: st.DrawFn, kind: str, goals: bool) -> dict[str, Any]:
    level1 = draw(st.sampled_from(sorted(_LEVELS)))
    item: dict[str, Any] = {
        "level1": level1,
        "level2": draw(st.sampled_from(_LEVELS[level1])),
        "name": draw(_CELL),
        "target": draw(_CELL),
    }
    optional: dict[str, Any] = {
        "actual": _CELL if kind != "targets" else st.nothing(),
        "weight": _POINTS,
        "score": _POINTS,
        "reason": _TEXT,
        "description": _TEXT,
        "basis": _TEXT,
    }
    for key, values in optional.items():
        if draw(st.booleans()):
            value = draw(st.one_of(st.none(), values))
            if value is not None:
                item[key] = value
    if goals:
        item["goal"] = draw(st.integers(1, 4))
    return item


@st.composite
def forms(draw: st.DrawFn) -> Form:
    """A form of any kind with any of its fields."""
    kind = draw(st.sampled_from(["project", "department", "targets"]))
    data: dict[str, Any] = {"kind": kind, "project": draw(_CELL)}
    money = draw(st.sampled_from(["元", "万元"]))
    if money != "元":
        data["money_unit"] = money
    maybe = {
        "code": st.text("0123456789", min_size=3, max_size=20),
        "year": st.integers(2000, 2035),
        "unit": _CELL,
        "purpose": _CELL,
        "total": _POINTS,
    }
    for key, values in maybe.items():
        if draw(st.booleans()):
            data[key] = draw(values)
    if draw(st.booleans()):
        data["goals"] = draw(st.lists(_CELL, min_size=1, max_size=3))
    if draw(st.booleans()):
        months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True))
        data["spending_plan"] = [
            {"when": f"{m}月底", "share": f"{draw(st.integers(0, 100))}%"} for m in sorted(months)
        ]
    budget: dict[str, Any] = {"adjusted": draw(_AMOUNT)}
    keys = ["fiscal", "other"] if kind == "targets" else ["initial", "fiscal", "other"]
    keys += [] if kind == "targets" else ["executed", "weight", "score"]
    for key in keys:
        if draw(st.booleans()):
            budget[key] = draw(_POINTS if key in ("weight", "score") else _AMOUNT)
    if kind != "targets" and draw(st.booleans()):
        budget["rate"] = f"{draw(st.decimals(0, 200, places=2))}%"
    if draw(st.booleans()):
        budget["reason"] = draw(_TEXT)
    data["budget"] = budget
    goals = kind == "department" and draw(st.booleans())
    if draw(st.booleans()):
        data["notes"] = [
            {"path": f"indicators[{n}].weight", "message": draw(_TEXT), "severity": severity}
            for n, severity in enumerate(draw(st.lists(st.sampled_from(["warning", "info"]))))
        ]
    indicators = draw(st.lists(_indicator(kind, goals), min_size=1, max_size=6))
    data["indicators"] = indicators
    if all("weight" in i for i in indicators) and draw(st.booleans()):
        # Points of the blocks the form has (without weights they would be shared out).
        data["blocks"] = {i["level1"]: draw(_POINTS) for i in indicators}
    return form_from_data(data)


def _written(forms: list[Form], path: Path) -> list[Form]:
    if path.suffix == ".xlsx":
        write_workbook(forms, path)
    else:
        dump_forms(forms, path)
    return load_forms(path)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(form=forms())
def test_every_field_survives_yaml_json_xlsx(form: Form, tmp_path: Path) -> None:
    """A form of any kind, with any fields: YAML → JSON → .xlsx → YAML gives it back."""
    current = [form]
    for suffix in (".yaml", ".json", ".xlsx", ".yaml"):
        current = _written(current, tmp_path / f"form{suffix}")
        assert current == [form], suffix


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("suffix", [".xlsx", ".yaml", ".json"])
def test_seed_forms_round_trip(seed: Path, suffix: str, tmp_path: Path) -> None:
    """Every seed's forms written and read back are the same forms."""
    forms = load_forms(seed)
    assert _written(forms, tmp_path / f"forms{suffix}") == forms


def test_seed_002_through_a_workbook_invents_no_code(tmp_path: Path) -> None:
    """YAML → .xlsx → YAML of the department form: no ``code: '项目名称:'``."""
    (form,) = load_forms(DATA / "forms" / "caidian-2020-department.yaml")
    assert form.code is None
    write_workbook([form], tmp_path / "dept.xlsx")
    dump_forms(load_forms(tmp_path / "dept.xlsx"), tmp_path / "dept.yaml")
    text = (tmp_path / "dept.yaml").read_text("utf-8")
    assert "code" not in text
    assert load_forms(tmp_path / "dept.yaml") == [form]


def test_workbook_numbers_are_numbers_and_text_is_never_a_formula(tmp_path: Path) -> None:
    """Amounts, weights, scores and the total are numeric cells (SUM works); a name starting
    with ``=`` is text."""
    form = form_from_data(
        {
            "project": '=HYPERLINK("http://x")',
            "year": 2024,
            "budget": {"adjusted": "224500", "executed": "217461.64", "weight": 10},
            "indicators": [
                {"name": "+1", "target": "-1", "actual": "@SUM(A1)", "weight": 30, "score": 30},
                {"name": "b", "target": "≥1", "actual": "1", "weight": "4.9", "score": "4.90"},
            ],
            "total": "34.9",
        }
    )
    path = tmp_path / "form.xlsx"
    write_workbook([form], path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    for text in ('=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"):
        assert cells[text].data_type == "s", text
        assert cells[text].quotePrefix, text
    numbers = [c.value for c in cells.values() if c.data_type == "n"]
    assert Decimal("217461.64") in [Decimal(str(n)) for n in numbers]
    weights = [c for c in cells.values() if c.data_type == "n" and c.value in (30, 4.9)]
    assert len(weights) >= 2
    assert not any(c.data_type == "f" for c in cells.values())


def test_json_and_yaml_write_numbers_as_numbers(tmp_path: Path) -> None:
    (form,) = load_forms(DATA / "forms" / "pingshan-2020-training.yaml")
    dump_forms([form], tmp_path / "f.json")
    data = json.loads((tmp_path / "f.json").read_text("utf-8"), parse_float=Decimal)
    assert data["budget"]["adjusted"] == Decimal("23.95")
    dump_forms([form], tmp_path / "f.yaml")
    assert "adjusted: 23.95" in (tmp_path / "f.yaml").read_text("utf-8")
