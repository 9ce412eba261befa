"""The self-evaluation form (绩效自评表) as a pydantic model, and reading it from YAML or JSON.

The English keys are the public contract; the Chinese field names a user would type
(项目名称, 年度指标值, 实际完成值, 权重, 得分 …) are accepted as aliases.  Numbers may arrive as
numbers or as printed strings (``"4,262.41"``); YAML floats are read as exact Decimals.
Unknown keys are refused with a did-you-mean.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from perfscore.errors import FormError
from perfscore.suggest import did_you_mean

__all__ = ["Budget", "Form", "Indicator", "Note", "PlanPoint", "form_from_data", "read_data"]

# Largest form file read (forms are a few KiB; this guards against a stray binary).
MAX_FORM_BYTES = 8 * 1024 * 1024


def _to_decimal(value: Any) -> Any:
    """Accept 2025000, 2025000.0, "2,025,000.00" and " 96.86 " as Decimals; leave anything
    else for the field's own validation to refuse, with its path."""
    if value is None or isinstance(value, (Decimal, bool)):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest repr is what the user wrote
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if text in {"", "—", "-", "/"}:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            return value
    return value


def _to_text(value: Any) -> Any:
    """Printed cells: keep strings; numbers typed in YAML become their printed text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return value


# Plain field types with one conversion pass per model (below) build and validate faster than
# a validator on every field.
Number = Decimal
Text = str


def _alias(*names: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(*names))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _printed(cls, data: Any) -> Any:
        """Numbers as printed ("4,262.41") to Decimals, numbers typed for text to text."""
        converters = _CONVERTERS.get(cls)
        if not isinstance(data, Mapping) or not converters:
            return data
        return {
            key: converters[key](value) if key in converters else value
            for key, value in data.items()
        }


class Budget(_Model):
    """预算执行情况: the budget block of a form.  Amounts are in the form's ``money_unit``."""

    initial: Number | None = _alias("initial", "年初预算数")
    adjusted: Number | None = _alias("adjusted", "全年预算数", "调整后预算数", "预算数")
    fiscal: Number | None = _alias("fiscal", "财政资金", "财政拨款")
    other: Number | None = _alias("other", "其他资金")
    executed: Number | None = _alias("executed", "全年执行数", "执行数", "实际支出")
    weight: Number | None = _alias("weight", "分值")
    rate: Text | None = _alias("rate", "执行率")
    score: Number | None = _alias("score", "得分")
    reason: Text | None = _alias("reason", "说明", "执行率偏低原因")


class Indicator(_Model):
    """One third-level indicator (三级指标) with its printed target, actual, weight and score."""

    level1: Text | None = _alias("level1", "一级指标")
    level2: Text | None = _alias("level2", "二级指标")
    name: Text = Field(validation_alias=AliasChoices("name", "三级指标", "指标名称"))
    target: Text | None = _alias("target", "年度指标值", "年初目标值", "指标值")
    actual: Text | None = _alias("actual", "实际完成值", "全年完成值", "完成值")
    weight: Number | None = _alias("weight", "权重", "分值")
    score: Number | None = _alias("score", "得分")
    reason: Text | None = _alias(
        "reason", "偏差原因分析及改进措施", "偏差原因", "未完成原因和改进措施"
    )
    goal: int | None = _alias("goal", "年度目标")
    description: Text | None = _alias("description", "绩效指标描述", "指标描述")
    basis: Text | None = _alias("basis", "指标值确定依据")


class Note(_Model):
    """Something a reader could not read, or decided, at ``path`` (``indicators[3].weight``)."""

    path: str
    message: str
    severity: Literal["warning", "info"] = "warning"


class PlanPoint(_Model):
    """One point of a spending plan (资金支出计划): by ``when``, ``share`` of the budget spent."""

    when: Text = Field(validation_alias=AliasChoices("when", "时间", "截至"))
    share: Text = Field(validation_alias=AliasChoices("share", "累计支出比例", "比例"))


class Form(_Model):
    """项目支出绩效自评表 (``kind: project``), 部门整体绩效自评表 (``kind: department``) or a
    budget-time 绩效目标表 (``kind: targets``: targets only, nothing completed yet)."""

    kind: Literal["project", "department", "targets"] = Field(
        default="project", validation_alias=AliasChoices("kind", "类型")
    )
    code: Text | None = _alias("code", "项目编码")
    project: Text | None = _alias("project", "项目名称", "单位名称")
    year: int | None = _alias("year", "年度", "绩效自评年度")
    unit: Text | None = _alias("unit", "实施单位")
    money_unit: Literal["元", "万元"] = Field(
        default="元", validation_alias=AliasChoices("money_unit", "金额单位")
    )
    budget: Budget | None = _alias("budget", "预算执行情况")
    indicators: tuple[Indicator, ...] = Field(
        default=(), validation_alias=AliasChoices("indicators", "绩效指标")
    )
    total: Number | None = _alias("total", "总分")
    purpose: Text | None = _alias("purpose", "资金用途")
    spending_plan: tuple[PlanPoint, ...] = Field(
        default=(), validation_alias=AliasChoices("spending_plan", "资金支出计划")
    )
    goals: tuple[Text, ...] = Field(default=(), validation_alias=AliasChoices("goals", "绩效目标"))
    notes: tuple[Note, ...] = Field(default=(), validation_alias=AliasChoices("notes", "读取说明"))


_CONVERTERS: dict[type[BaseModel], dict[str, Any]] = {}
for _model in (Budget, Indicator, PlanPoint, Form):
    table: dict[str, Any] = {}
    for _name, _field in _model.model_fields.items():
        kinds = {Decimal: _to_decimal, str: _to_text}
        convert = next(
            (
                f
                for t, f in kinds.items()
                if t in getattr(_field.annotation, "__args__", ()) or _field.annotation is t
            ),
            None,
        )
        if convert is None:
            continue
        keys = [_name]
        if isinstance(_field.validation_alias, AliasChoices):
            keys += [str(c) for c in _field.validation_alias.choices]
        table.update(dict.fromkeys(keys, convert))
    _CONVERTERS[_model] = table

_KNOWN_KEYS: dict[str, list[str]] = {}
for _model, _where in ((Form, ""), (Budget, "budget"), (Indicator, "indicators")):
    names: list[str] = []
    for _name, _field in _model.model_fields.items():
        names.append(_name)
        alias = _field.validation_alias
        if isinstance(alias, AliasChoices):
            names.extend(str(c) for c in alias.choices)
    _KNOWN_KEYS[_where] = sorted(set(names))


# --------------------------------------------------------------------------------------------
# Reading files


# libyaml's parser when the platform has it: an order of magnitude faster than pure Python.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DecimalLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """Safe YAML with floats read as exact Decimals."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    try:
        return Decimal(text)
    except InvalidOperation:  # .inf / .nan
        raise yaml.constructor.ConstructorError(
            None, None, f"not a finite number: {text}", node.start_mark
        ) from None


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)

Lines = dict[tuple[str | int, ...], int]


def _line_index(node: yaml.Node, path: tuple[str | int, ...], out: Lines) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[(*path, str(key.value))] = key.start_mark.line + 1
            _line_index(value, (*path, str(key.value)), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, (*path, i), out)


def read_data(path: Path) -> tuple[Any, Lines]:
    """The YAML or JSON document at ``path`` with exact Decimals, and the line of every key.

    :raises FormError: for a missing, unreadable or malformed file.
    """
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FormError("no such file", source=source) from None
    except OSError as exc:
        raise FormError(f"cannot read the file: {exc.strerror}", source=source) from None
    if len(raw) > MAX_FORM_BYTES:
        raise FormError(f"file is larger than {MAX_FORM_BYTES} bytes", source=source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormError(
            "the file is not UTF-8 text", source=source, expected="a YAML or JSON form"
        ) from exc
    if path.suffix.lower() == ".json":
        import json

        try:
            return json.loads(text, parse_float=Decimal), {}
        except json.JSONDecodeError as exc:
            raise FormError(
                f"invalid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno
            ) from None
    try:
        loader = _DecimalLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise FormError(
            f"invalid YAML: {exc.problem or exc.context}",
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise FormError(f"invalid YAML: {exc}", source=source) from None
    lines: Lines = {}
    if node is not None:
        _line_index(node, (), lines)
    return data, lines


def _format_loc(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _section(loc: tuple[str | int, ...]) -> str:
    if loc and loc[0] in ("indicators", "绩效指标"):
        return "indicators"
    if loc and loc[0] in ("budget", "预算执行情况"):
        return "budget"
    return ""


def form_from_data(data: Any, *, source: str | None = None, lines: Lines | None = None) -> Form:
    """Validate a mapping (from YAML, JSON or Python) as a :class:`Form`.

    :raises FormError: naming the source, the field path, the line and what was expected.
    """
    if isinstance(data, Form):
        return data
    if not isinstance(data, Mapping):
        raise FormError(
            f"a form is a mapping of fields, got {type(data).__name__}",
            source=source,
            line=1 if source else None,
            expected="kind, project, budget, indicators, …",
        )
    try:
        return Form.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        where = _format_loc(loc)
        line = (lines or {}).get(loc)
        if line is None and lines:
            for cut in range(len(loc) - 1, 0, -1):
                if loc[:cut] in lines:
                    line = lines[loc[:cut]]
                    break
        if error["type"] == "extra_forbidden":
            key = str(loc[-1])
            known = _KNOWN_KEYS[_section(loc) if len(loc) > 1 else ""]
            hint = did_you_mean(key, known)
            more = f" ({exc.error_count() - 1} more errors)" if exc.error_count() > 1 else ""
            raise FormError(
                f"unknown key {key!r}{hint}{more}", source=source, path=where, line=line
            ) from None
        expected = {
            "missing": "this field",
            "literal_error": error.get("ctx", {}).get("expected"),
            "decimal_parsing": "a number",
            "decimal_type": "a number",
            "int_parsing": "a whole number",
            "string_type": "text",
            "tuple_type": "a list",
            "model_type": "a mapping of fields",
        }.get(error["type"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required field is missing"
        elif expected in ("a number", "text", "a whole number") and "input" in error:
            message, expected = f"expected {expected}, got {error['input']!r}", None
        raise FormError(message, source=source, path=where, line=line, expected=expected) from None
