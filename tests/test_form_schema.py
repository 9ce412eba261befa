"""The form's JSON Schema accepts what perfscore reads and what `convert` writes: a list of
forms, unquoted numbers in printed cells, and every label of the field table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from perfscore.form.fields import BUDGET, FORM, INDICATOR, PLAN_POINT
from perfscore.form.model import form_from_data
from perfscore.readers import dump_forms, load_forms
from tests.conftest import DATA, EXAMPLES, ROOT

jsonschema = pytest.importorskip("jsonschema")

_FORMS = sorted([*EXAMPLES.glob("*.yaml"), *(DATA / "forms").glob("*.yaml")])
# Published forms read from text: several forms a file, reading notes, every field kind.
_SEEDS = sorted((DATA / "seeds").glob("*.txt"))


def _errors(data: Any) -> list[str]:
    schema = json.loads((ROOT / "schemas" / "form.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("source", [*_FORMS, *_SEEDS], ids=lambda p: p.name)
def test_what_convert_writes_is_valid(tmp_path: Path, source: Path, suffix: str) -> None:
    """Every example form converted to YAML (numbers unquoted) and to JSON is valid."""
    target = tmp_path / f"out{suffix}"
    dump_forms(load_forms(source), target)
    text = target.read_text("utf-8")
    data = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    assert _errors(data) == []


def test_a_list_of_forms_is_valid(tmp_path: Path) -> None:
    """Several forms are written as a top-level list, which the schema accepts (and an empty
    list, which no reader accepts, it refuses)."""
    target = tmp_path / "both.yaml"
    dump_forms([*load_forms(_FORMS[0]), *load_forms(_FORMS[1])], target)
    data = yaml.safe_load(target.read_text("utf-8"))
    assert isinstance(data, list)
    assert _errors(data) == []
    assert _errors([])


def test_numbers_in_printed_cells_are_valid() -> None:
    """`target: 12`, `actual: 0.9`, `budget.rate: 100` are read as the text they print."""
    data = {
        "project": "x",
        "budget": {"adjusted": 100, "executed": 100, "rate": 100},
        "indicators": [{"name": "次数", "target": 12, "actual": 0.9, "weight": 10}],
    }
    assert _errors(data) == []
    assert form_from_data(data).indicators[0].target == "12"


@pytest.mark.parametrize(
    ("table", "where"),
    [(FORM, ()), (BUDGET, ("预算执行情况",)), (INDICATOR, ("绩效指标", 0)), (PLAN_POINT, ())],
    ids=["form", "budget", "indicator", "plan"],
)
def test_every_label_of_the_field_table_is_a_key(table: Any, where: tuple[Any, ...]) -> None:
    """Each Chinese label of the field table is accepted where its field is."""
    for spec in table.values():
        for label in spec.labels:
            value: Any = {"项目名称": "x", "绩效指标": [{"三级指标": "a"}]}
            node = value
            for part in where:
                node = node.setdefault(part, {}) if isinstance(part, str) else node[part]
            if table is PLAN_POINT:
                node = value.setdefault("资金支出计划", [{"时间": "6月", "比例": "50%"}])[0]
            node[label] = _sample(spec.key)
            assert _errors(value) == [], (spec.key, label)


def _sample(key: str) -> Any:
    samples: dict[str, Any] = {
        "kind": "项目支出",
        "year": 2024,
        "money_unit": "万元",
        "budget": {"adjusted": 1},
        "indicators": [{"name": "a"}],
        "blocks": {"产出指标": 50},
        "spending_plan": [{"when": "6月", "share": "50%"}],
        "goals": ["目标"],
        "notes": [],
        "goal": 1,
    }
    return samples.get(key, "1")


def test_the_schema_still_refuses_what_the_reader_refuses() -> None:
    """A misspelt key and a row without a name are errors, in English or in Chinese."""
    assert _errors({"project": "x", "indicators": [], "weigth": 1})
    assert _errors({"项目名称": "x", "绩效指标": [{"年度指标值": 5}]})
    assert _errors({"project": "x", "indicators": [{"name": "a", "权重": {"x": 1}}]})
