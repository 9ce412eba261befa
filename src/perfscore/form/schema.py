"""The JSON Schema of the form format (``perfscore schema form``, ``schemas/form.schema.json``).

Generated from the form model and its one field table (:mod:`perfscore.form.fields`), so that an
editor accepts what perfscore reads and what ``perfscore convert`` writes:

- a file of one form or a list of forms (``convert`` writes a list when a source held several);
- every field under its key and under each Chinese label of the table (``项目名称``,
  ``绩效指标``), a required field under any of them;
- printed cells (a target, an actual, a rate) as text or as a number: YAML reads ``target: 12``
  and ``rate: 100`` as numbers, and the model takes them as the text they print;
- a year as a number or as printed (``2024年``), a kind and a money unit in Chinese
  (``部门整体``, ``单位：万元``), as the model reads them.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import AliasChoices, BaseModel

from perfscore.form.model import Budget, Form, Indicator, PlanPoint

__all__ = ["form_json_schema"]

# Models whose fields carry Chinese labels, by their name in the schema's definitions.
_LABELLED: tuple[type[BaseModel], ...] = (Form, Budget, Indicator, PlanPoint)
# A value the model reads as printed (cells.read_year, read_kind, money_unit): any text.
_PRINTED_TEXT = {"type": "string", "minLength": 1}
_LOOSE_FIELDS = frozenset({"year", "kind", "money_unit"})


def form_json_schema() -> dict[str, Any]:
    """The schema: one form, or a non-empty list of forms."""
    form = Form.model_json_schema(by_alias=True)
    definitions: dict[str, Any] = form.pop("$defs", {})
    definitions["Form"] = form
    for model in _LABELLED:
        definitions[model.__name__] = _labelled(model, definitions[model.__name__])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "perfscore form",
        "description": (
            "预算绩效自评表: a form, or a list of forms, in perfscore's form format "
            "(keys in English or as the form prints them)."
        ),
        "$defs": dict(sorted(definitions.items())),
        "anyOf": [
            {"$ref": "#/$defs/Form"},
            {"type": "array", "items": {"$ref": "#/$defs/Form"}, "minItems": 1},
        ],
    }


def _labelled(model: type[BaseModel], definition: dict[str, Any]) -> dict[str, Any]:
    """``definition`` with every field also under each of its labels, printed cells accepting
    numbers, and a required field satisfied by any of its names."""
    out = copy.deepcopy(definition)
    properties: dict[str, Any] = {}
    required_any: list[dict[str, Any]] = []
    for name, field in model.model_fields.items():
        schema = _printed(out["properties"][name])
        if name in _LOOSE_FIELDS:
            schema = {"anyOf": [_without_default(schema), _PRINTED_TEXT], "default": field.default}
        names = [name]
        if isinstance(field.validation_alias, AliasChoices):
            names += [str(c) for c in field.validation_alias.choices if c != name]
        for key in names:
            properties[key] = schema
        if field.is_required():
            required_any.append({"anyOf": [{"required": [key]} for key in names]})
    out["properties"] = properties
    out.pop("required", None)
    if required_any:
        out["allOf"] = required_any
    return out


def _printed(schema: dict[str, Any]) -> dict[str, Any]:
    """A text field (``type: string`` with no enum) accepts a number too, at any depth of
    ``anyOf`` and ``items``: ``target: 12`` is the text ``12``."""
    schema = dict(schema)
    if schema.get("type") == "string" and "enum" not in schema and "const" not in schema:
        schema["type"] = ["string", "number"]
    if isinstance(schema.get("anyOf"), list):
        schema["anyOf"] = [_printed(branch) for branch in schema["anyOf"]]
    if isinstance(schema.get("items"), dict):
        schema["items"] = _printed(schema["items"])
    return schema


def _without_default(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in ("default", "title")}
