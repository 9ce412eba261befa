"""The self-evaluation form (绩效自评表) as a pydantic model, and reading it from YAML or JSON.

The English keys are the public contract; the Chinese field names a user would type
(项目名称, 年度指标值, 实际完成值, 权重, 得分 …) are accepted as aliases.  Numbers may arrive as
numbers or as printed strings (``"4,262.41"``, ``150万``, ``5分``); YAML floats are read as exact
Decimals.  Keys and text in traditional script are read as simplified (``權重``, ``產出指標``),
the text as printed kept for reports (:meth:`Indicator.printed`).  A field that cannot be read is
left out with a note on its path (an ``unreadable-cell`` flag), so the rest of the form is still
scored; unknown keys and a form that is not a form are refused with a did-you-mean.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterator, Mapping
from decimal import Context, Decimal, InvalidOperation, localcontext
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)
from pydantic_core import PydanticCustomError

from perfscore.errors import FormError
from perfscore.files import read_regular_file
from perfscore.form.cells import money_unit, read_amount, read_kind, read_points, read_year
from perfscore.suggest import did_you_mean
from perfscore.text.script import simplify
from perfscore.yamlfile import MAX_YAML_BYTES, Positions, decode_text, parse_yaml

__all__ = ["Budget", "Form", "Indicator", "Note", "PlanPoint", "form_from_data", "read_data"]

# Largest form file read (forms are a few KiB; this guards against a stray binary).
MAX_FORM_BYTES = MAX_YAML_BYTES
# The magnitudes a form's numbers can have: more than any budget in 元 (a national budget is
# about 10^13), and more decimal places than any printed amount, rate or score.  Outside them a
# number is a typing accident (``1e30``, ``1e999999999``), refused with its path and line
# rather than carried into arithmetic.
MAX_MAGNITUDE = Decimal("1e15")
MAX_PLACES = 12


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
        text = (value if value.isascii() else simplify(value)).strip()
        text = text.replace(",", "").replace("，", "")
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


_PLACES = re.compile(rf"[.．][0-9０-９]{{{MAX_PLACES + 1},}}")


def _rate_text(text: str) -> str:
    """A printed rate ("96.86%") is compared to the places it shows: refuse absurd precision."""
    if _PLACES.search(text):
        raise ValueError(f"a rate printed with more than {MAX_PLACES} decimal places: {text!r}")
    return text


def _to_blocks(value: Any) -> Any:
    """``{产出指标: 60, 效益指标: "40分", 產出指標: 四十}``: each block's points as a Decimal, its
    label in simplified script."""
    if not isinstance(value, Mapping):
        return value
    return {
        simplify(key).strip() if isinstance(key, str) else key: _to_decimal(read_points(points))
        for key, points in value.items()
    }


def _bounded(value: Decimal) -> Decimal:
    """A number a form can hold: finite, below 10^15, at most 12 decimal places."""
    if value.is_finite() and value.adjusted() < 15:
        with localcontext(_BOUNDS_CONTEXT):
            if value == value.quantize(_SMALLEST):
                return value
    raise PydanticCustomError("number_bounds", "not a usable number")


_SMALLEST = Decimal(1).scaleb(-MAX_PLACES)
# Exact for every number below 10^15 at 12 places, whatever the host program's context.
_BOUNDS_CONTEXT = Context(prec=40, Emax=999_999, Emin=-999_999)

# Plain field types with one conversion pass per model (below) build and validate faster than
# a validator on every field; numbers are the exception, bounded one by one.
Number = Annotated[Decimal, AfterValidator(_bounded)]
Text = str
RateText = Annotated[str, AfterValidator(_rate_text)]
Year = Annotated[int, Field(ge=1000, le=9999)]


def _alias(*names: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(*names))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="wrap")
    @classmethod
    def _printed(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """Numbers as printed ("4,262.41") to Decimals, numbers typed for text to text, text
        in simplified script (blank text is no text); the printed text is kept aside."""
        converters = _CONVERTERS.get(cls)
        if not isinstance(data, Mapping) or not converters:
            return handler(data)
        out: dict[str, Any] = {}
        printed: dict[str, str] | None = None
        for key, value in data.items():
            convert = converters.get(key)
            if convert is None:
                out[key] = value
                continue
            value = convert(value)
            if convert is _to_text and isinstance(value, str):
                read: str | None = _simple(value)
                if not value.strip() and key not in _REQUIRED[cls]:
                    read = None  # a blank cell is an empty one (missing-value, not unreadable)
                elif read != value:
                    printed = printed or {}
                    printed[_FIELD_OF[cls][key]] = value
                out[key] = read
            else:
                out[key] = value
        model = handler(out)
        if printed:
            # Kept beside the fields, only on the rare model that needs it: a declared private
            # attribute would cost every model of every form its initialisation.
            object.__setattr__(model, "__pydantic_private__", {"printed": printed})
        return model

    def __eq__(self, other: object) -> bool:
        # Two forms that read the same are equal, whatever script or width they were typed in.
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def printed(self, field: str) -> str:
        """The text of ``field`` as the form printed it (traditional script kept); ``""`` when
        the field is empty."""
        private = self.__pydantic_private__
        if private and field in private.get("printed", ()):
            return str(private["printed"][field])
        value = getattr(self, field)
        return "" if value is None else str(value)


class Budget(_Model):
    """预算执行情况: the budget block of a form.  Amounts are in the form's ``money_unit``."""

    initial: Number | None = _alias("initial", "年初预算数")
    adjusted: Number | None = _alias("adjusted", "全年预算数", "调整后预算数", "预算数")
    fiscal: Number | None = _alias("fiscal", "财政资金", "财政拨款")
    other: Number | None = _alias("other", "其他资金")
    executed: Number | None = _alias("executed", "全年执行数", "执行数", "实际支出")
    weight: Number | None = _alias("weight", "分值")
    rate: RateText | None = _alias("rate", "执行率")
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
    goal: Annotated[int, Field(ge=0, le=10_000)] | None = _alias("goal", "年度目标")
    description: Text | None = _alias("description", "绩效指标描述", "指标描述")
    basis: Text | None = _alias("basis", "指标值确定依据")


class Note(_Model):
    """Something a reader could not read, or decided, at ``path`` (``indicators[3].weight``)."""

    path: str
    message: str
    severity: Literal["warning", "info"] = "warning"
    message_en: str | None = None  # the message in English, where the reader wrote one


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
    year: Year | None = _alias("year", "年度", "绩效自评年度")
    unit: Text | None = _alias("unit", "实施单位")
    money_unit: Literal["元", "万元"] = Field(
        default="元", validation_alias=AliasChoices("money_unit", "金额单位")
    )
    budget: Budget | None = _alias("budget", "预算执行情况")
    indicators: tuple[Indicator, ...] = Field(
        default=(), validation_alias=AliasChoices("indicators", "绩效指标")
    )
    total: Number | None = _alias("total", "总分")
    # 一级指标分值 printed on the block headers only (产出指标(60分)): block label → points.
    blocks: dict[Text, Number] = Field(
        default_factory=dict, validation_alias=AliasChoices("blocks", "一级指标分值")
    )
    purpose: Text | None = _alias("purpose", "资金用途")
    spending_plan: tuple[PlanPoint, ...] = Field(
        default=(), validation_alias=AliasChoices("spending_plan", "资金支出计划")
    )
    goals: tuple[Text, ...] = Field(default=(), validation_alias=AliasChoices("goals", "绩效目标"))
    notes: tuple[Note, ...] = Field(default=(), validation_alias=AliasChoices("notes", "读取说明"))

    @model_validator(mode="after")
    def _not_empty(self) -> Form:
        # An empty mapping scored as a clean form would pass an auditor's check unseen.
        if not self.indicators and self.budget is None:
            raise ValueError("the form is empty: it has neither indicators nor a budget")
        return self


def _plain_types(annotation: Any) -> set[Any]:
    """The types inside ``X | None`` and ``Annotated[X, …]``."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Annotated:
        return _plain_types(args[0])
    if args:
        return {t for arg in args for t in _plain_types(arg)}
    return {annotation}


_CONVERTERS: dict[type[BaseModel], dict[str, Any]] = {}
# Every key a model accepts (field names and aliases) → the field's name.
_FIELD_OF: dict[type[BaseModel], dict[str, str]] = {}
# Keys of fields that must be present (a blank one is kept as printed).
_REQUIRED: dict[type[BaseModel], frozenset[str]] = {}
for _model in (Budget, Indicator, PlanPoint, Form):
    table: dict[str, Any] = {}
    fields: dict[str, str] = {}
    required: set[str] = set()
    for _name, _field in _model.model_fields.items():
        _accepted = [_name]
        if isinstance(_field.validation_alias, AliasChoices):
            _accepted += [str(c) for c in _field.validation_alias.choices]
        fields.update(dict.fromkeys(_accepted, _name))
        if _field.is_required():
            required.update(_accepted)
    _FIELD_OF[_model] = fields
    _REQUIRED[_model] = frozenset(required)
    for _name, _field in _model.model_fields.items():
        kinds = {Decimal: _to_decimal, str: _to_text}
        types = _plain_types(_field.annotation)
        convert = next((f for t, f in kinds.items() if t in types), None)
        if convert is None:
            continue
        keys = [_name]
        if isinstance(_field.validation_alias, AliasChoices):
            keys += [str(c) for c in _field.validation_alias.choices]
        table.update(dict.fromkeys(keys, convert))
    _CONVERTERS[_model] = table
_CONVERTERS[Form].update(dict.fromkeys(("blocks", "一级指标分值"), _to_blocks))

_KNOWN_KEYS: dict[str, list[str]] = {}
for _model, _where in ((Form, ""), (Budget, "budget"), (Indicator, "indicators")):
    names: list[str] = []
    for _name, _field in _model.model_fields.items():
        names.append(_name)
        alias = _field.validation_alias
        if isinstance(alias, AliasChoices):
            names.extend(str(c) for c in alias.choices)
    _KNOWN_KEYS[_where] = sorted(set(names))

# Every key any model accepts, as typed in the contract (field names and simplified aliases).
_EVERY_KEY = frozenset(k for fields in _FIELD_OF.values() for k in fields)


# --------------------------------------------------------------------------------------------
# Reading the cells: keys in any script, amounts with their units, points with 分.  Runs once on
# the raw mapping, before validation, because converting an amount needs the form's money unit.

_MONEY_FIELDS = frozenset({"initial", "adjusted", "fiscal", "other", "executed"})
_POINT_FIELDS = frozenset({"weight", "score", "total"})
_NoteData = dict[str, str]


# Keys repeat on every row of every form: each is simplified once (bounded, for hostile input).
_KEY_CACHE: dict[str, str] = {}


def _key(key: Any) -> Any:
    if not isinstance(key, str):
        return key
    read = _KEY_CACHE.get(key)
    if read is None:
        read = simplify(key).strip()
        if len(_KEY_CACHE) < 4096:
            _KEY_CACHE[key] = read
    return read


def _keys(data: Mapping[Any, Any]) -> dict[Any, Any]:
    """The mapping with its keys in simplified script (``權重`` → ``权重``), in a new dict."""
    if data.keys() <= _EVERY_KEY:  # the usual case, checked at C speed
        return dict(data)
    return {_key(k): v for k, v in data.items()}


def _simple(text: str) -> str:
    """``text`` in simplified script; texts repeat across rows and forms, so each distinct one
    is translated once (the table is bounded)."""
    if text.isascii():
        return text
    read = _TEXT_CACHE.get(text)
    if read is None:
        read = simplify(text)
        if len(_TEXT_CACHE) >= 8192:
            _TEXT_CACHE.clear()
        _TEXT_CACHE[text] = read
    return read


_TEXT_CACHE: dict[str, str] = {}


def _cells(
    data: dict[Any, Any], model: type[BaseModel], read: Callable[[str, Any], Any]
) -> dict[Any, Any]:
    """``data`` (owned) with ``read(field, value)`` applied to every known field."""
    fields = _FIELD_OF[model]
    for key, value in data.items():
        field = fields.get(key)
        if field is not None:
            data[key] = read(field, value)
    return data


def _read_cells(data: Mapping[Any, Any]) -> dict[Any, Any]:
    """A copy of ``data`` with keys simplified, amounts in the form's money unit and points
    read, and a reading note (in ``notes``) for every amount converted."""
    notes: list[_NoteData] = []
    form = _keys(data)
    fields = _FIELD_OF[Form]
    unit_key = next((k for k in form if fields.get(k) == "money_unit"), None)
    declared = money_unit(form[unit_key]) if unit_key is not None else "元"
    unit = declared or "元"
    if unit_key is not None and declared is not None:
        if declared not in ("元", "万元"):
            # 千元 and 百万元 forms are kept in 元, 亿元 forms in 万元: the units reports use.
            unit = "万元" if declared == "亿元" else "元"
            notes.append(
                _note(
                    "money_unit",
                    f"金额单位为{declared}，金额按{unit}计",
                    f"the money unit is {declared}: amounts are read in {unit}",
                    severity="info",
                )
            )
        form[unit_key] = unit

    def amount(field: str, value: Any, where: str) -> Any:
        if field in _MONEY_FIELDS:
            value, note = read_amount(value, declared or "元", unit)
            if note:
                notes.append(_note(f"{where}.{field}", *note, severity="info"))
            return value
        return read_points(value) if field in _POINT_FIELDS else value

    for key, value in form.items():
        field = fields.get(key)
        if field == "total":
            form[key] = read_points(value)
        elif field == "year":
            form[key] = read_year(value)
        elif field == "kind":
            form[key] = read_kind(value)
        elif field == "blocks" and isinstance(value, Mapping):
            form[key] = _keys(value)
        elif field == "budget" and isinstance(value, Mapping):
            form[key] = _cells(_keys(value), Budget, _at(amount, "budget"))
        elif field == "indicators" and isinstance(value, (list, tuple)):
            form[key] = [
                _row_points(_keys(row)) if isinstance(row, Mapping) else row for row in value
            ]
    if notes:
        _add_notes(form, notes)
    return form


# The keys of a row's weight and score: the only number cells of a row.
_ROW_POINTS = tuple(k for k, f in _FIELD_OF[Indicator].items() if f in _POINT_FIELDS)


def _row_points(row: dict[Any, Any]) -> dict[Any, Any]:
    for key in _ROW_POINTS:
        if key in row:
            row[key] = read_points(row[key])
    return row


def _at(read: Callable[[str, Any, str], Any], where: str) -> Callable[[str, Any], Any]:
    """``read`` with the path of the mapping it reads in."""
    return lambda field, value: read(field, value, where)


def _note(path: str, message: str, message_en: str, *, severity: str = "warning") -> _NoteData:
    return {"path": path, "message": message, "message_en": message_en, "severity": severity}


def _add_notes(form: dict[Any, Any], notes: list[_NoteData]) -> None:
    key = next((k for k in form if _FIELD_OF[Form].get(k) == "notes"), "notes")
    given = form.get(key)
    form[key] = [*given, *notes] if isinstance(given, (list, tuple)) else notes


# Errors that say a cell could not be read.  Others stay errors: a missing or unknown key, and a
# number out of bounds (a typing accident such as 1e30, refused with its line).
_UNREADABLE = frozenset(
    {
        "decimal_parsing",
        "decimal_type",
        "int_parsing",
        "int_type",
        "int_from_float",
        "string_type",
        "literal_error",
        "model_type",
    }
)
# What an unreadable field should have held, for its note.
_EXPECTED_ZH = {
    "decimal": "数字",
    "int": "整数",
    "string": "文本",
    "literal_error": "元或万元",
    "model_type": "字段映射",
}
_EXPECTED_EN = {
    "decimal": "a number",
    "int": "a whole number",
    "string": "text",
    "literal_error": "元 or 万元",
    "model_type": "a mapping of fields",
}
# Fields whose loss leaves no form to score: their errors stay errors.
_STRUCTURAL = frozenset({"kind", "indicators", "name", "notes", "spending_plan", "goals"})


def _canonical(loc: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    """``loc`` with aliases replaced by field names, or None when it is not one field's value
    (a missing field, an unknown key, a row, or a structural field)."""
    model: type[BaseModel] | None = Form
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, int):
            if not out or out[-1] != "indicators":
                return None
            model = Indicator
            out.append(part)
            continue
        if out and out[-1] == "blocks" and model is None:
            out.append(part)  # one block's points: {产出指标: 很多}
            continue
        field = _FIELD_OF[model].get(part) if model is not None else None
        if field is None:
            return None
        out.append(field)
        model = Budget if field == "budget" else None
    if not out or isinstance(out[-1], int) or out[-1] in _STRUCTURAL:
        return None
    return tuple(out)


def _drop_unreadable(
    data: dict[Any, Any], errors: list[Any]
) -> tuple[dict[Any, Any], list[_NoteData]] | None:
    """``data`` without the fields whose values cannot be read, with a note for each, or None
    when some error is not about one field's value."""
    notes: list[_NoteData] = []
    drops: list[tuple[str | int, ...]] = []
    for error in errors:
        loc = tuple(error["loc"])
        where = _canonical(loc)
        if where is None or error["type"] not in _UNREADABLE:
            return None
        kind = next((k for k in _EXPECTED_ZH if error["type"].startswith(k)), None)
        expected = _EXPECTED_ZH.get(kind or "", "可读的值")
        value = error.get("input")
        cell = value if isinstance(value, str) else str(value)
        cell = cell if len(cell) <= 60 else f"{cell[:40]}…"  # a 100 KB cell is not quoted whole
        notes.append(
            _note(
                _format_loc(where),
                f"无法读取“{cell}”，应为{expected}",
                f"cannot read {cell!r}: expected {_EXPECTED_EN.get(kind or '', 'a value')}",
            )
        )
        drops.append(loc)
    for loc in drops:
        data = _without(data, loc)
    return data, notes


def _without(data: Any, loc: tuple[str | int, ...]) -> Any:
    """A copy of ``data`` without the value at ``loc`` (only the containers on the way are
    copied)."""
    head, rest = loc[0], loc[1:]
    if isinstance(data, Mapping):
        copy = dict(data)
        if rest:
            copy[head] = _without(copy[head], rest)
        else:
            copy.pop(head, None)
        return copy
    items = list(data)
    assert isinstance(head, int)
    items[head] = _without(items[head], rest) if rest else None
    return items


# --------------------------------------------------------------------------------------------
# Reading files


Lines = Mapping[tuple[str | int, ...], int]


class _LineIndex(Mapping[tuple[str | int, ...], int]):
    """The line of each key, taken from the reader's (line, column) positions when asked:
    only a form with an error is ever asked, so no copy is made for the others."""

    __slots__ = ("_positions",)

    def __init__(self, positions: Positions) -> None:
        self._positions = positions

    def __getitem__(self, key: tuple[str | int, ...]) -> int:
        return self._positions[key][0]

    def __iter__(self) -> Iterator[tuple[str | int, ...]]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


# JSON forms are as deep as YAML ones: deeper is refused before pydantic sees it.
_MAX_JSON_DEPTH = 64


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _json_int(text: str) -> int | Decimal:
    # int() refuses more than 4,300 digits; the field bounds refuse such a number with its path.
    return int(text) if len(text) <= 4000 else Decimal(text)


def _json_constant(text: str) -> Any:
    raise ValueError(f"not a finite number: {text}")


def _json_depth(data: Any) -> int:
    """The nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))
    return deepest


def _read_json(text: str, source: str) -> Any:
    import json

    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=_json_int,
            parse_constant=_json_constant,
            object_pairs_hook=_json_pairs,
        )
    except json.JSONDecodeError as exc:
        raise FormError(
            f"invalid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise FormError(f"nesting deeper than {_MAX_JSON_DEPTH} levels", source=source) from None
    except ValueError as exc:  # from the hooks: duplicate keys, NaN, Infinity
        raise FormError(f"invalid JSON: {exc}", source=source) from None
    if _json_depth(data) > _MAX_JSON_DEPTH:
        raise FormError(f"nesting deeper than {_MAX_JSON_DEPTH} levels", source=source)
    return data


def read_data(path: Path) -> tuple[Any, Lines]:
    """The YAML or JSON document at ``path`` with exact Decimals, and the line of every key
    (YAML; see :mod:`perfscore.yamlfile` for what is refused).

    :raises FormError: for a missing, special, oversized, unreadable or malformed file.
    """
    source = str(path)
    raw = read_regular_file(path, max_bytes=MAX_FORM_BYTES, error=FormError)
    text = decode_text(raw, source=source, error=FormError)
    if path.suffix.lower() == ".json":
        return _read_json(text, source), {}
    data, positions = parse_yaml(text, source=source, error=FormError)
    return data, _LineIndex(positions)


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


_OUT_OF_BOUNDS = frozenset({"number_bounds", "finite_number"})
_BOUNDS = f"a number between -10^15 and 10^15 with at most {MAX_PLACES} decimal places"


def _shown(value: Any) -> str:
    """A value as an error message quotes it: a 100 KB cell is not quoted whole."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else f"{text[:40]}… ({len(text):,} characters)"


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
    data = _read_cells(data)
    try:
        return Form.model_validate(data)
    except ValidationError as first:
        exc = first
    # One unreadable cell must not cost the form: fields whose values cannot be read are left
    # out, each with a note on its path, and the rest is validated again.
    dropped = _drop_unreadable(data, exc.errors())
    if dropped is not None:
        data, notes = dropped
        _add_notes(data, notes)
        try:
            return Form.model_validate(data)
        except ValidationError as second:
            exc = second
    if lines:  # keys were read in simplified script
        lines = {
            tuple(simplify(p) if isinstance(p, str) else p for p in k): v for k, v in lines.items()
        }
    # Every problem of the form at once: a person fixes them in one pass, not one per run.
    problems = [_problem(error, lines) for error in exc.errors()]
    message, where, line, expected = problems[0]
    if len(problems) > 1:
        if expected:
            message, expected = f"{message} (expected {expected})", None
        message += f"; {len(problems) - 1} more:"
        for other, at, at_line, wanted in problems[1:]:
            place = f"line {at_line} {at}" if at_line is not None else at
            message += f"\n  {place}: {other}" + (f" (expected {wanted})" if wanted else "")
    raise FormError(message, source=source, path=where, line=line, expected=expected) from None


def _problem(error: Any, lines: Lines | None) -> tuple[str, str, int | None, str | None]:
    """One validation error as (message, field path, line, what was expected)."""
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
        return f"unknown key {key!r}{did_you_mean(key, known)}", where, line, None
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
    elif error["type"] in _OUT_OF_BOUNDS:
        message, expected = f"not a usable number: {_shown(error['input'])}", _BOUNDS
    elif expected in ("a number", "text", "a whole number") and "input" in error:
        message, expected = f"expected {expected}, got {_shown(error['input'])}", None
    return message, where, line, expected
