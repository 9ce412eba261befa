"""The self-evaluation form (绩效自评表) as a pydantic model, and reading it from data.

The English keys are the public contract; the Chinese field names a user would type
(项目名称, 年度指标值, 实际完成值, 权重, 得分 …) are accepted as aliases, all taken from the one
field table (:mod:`perfscore.form.fields`).  Numbers may arrive as numbers or as printed
strings (``"4,262.41"``, ``150万``, ``5分``); YAML floats are read as exact Decimals.  Keys and
text in traditional script are read as simplified (``權重``, ``產出指標``), the text as printed
kept for reports (:meth:`Indicator.printed`).  A field that cannot be read is left out with a
note on its path (an ``unreadable-cell`` flag, see :mod:`perfscore.form.problems`), so the rest
of the form is still scored; unknown keys and a form that is not a form are refused with a
did-you-mean.  Files are read by :mod:`perfscore.form.document`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from perfscore.errors import FormError
from perfscore.form.cells import (
    bounded,
    from_float,
    money_unit,
    rate_text,
    read_amount,
    read_kind,
    read_points,
    read_year,
    to_blocks,
)
from perfscore.form.conversion import (
    Cells,
    Printed,
    convert,
    convert_tree,
    keep_printed,
    simple_key,
    tables,
    taken,
)
from perfscore.form.document import MAX_FORM_BYTES, Lines, read_data
from perfscore.form.fields import BUDGET, FORM, INDICATOR, PLAN_POINT, FieldLabels, Location
from perfscore.form.problems import NoteData, drop_unreadable, form_error, reading_note

__all__ = [
    "MAX_FORM_BYTES",
    "Budget",
    "Form",
    "Indicator",
    "Note",
    "PlanPoint",
    "form_from_data",
    "read_data",
]

# Plain field types with one conversion pass per model (below) build and validate faster than
# a validator on every field; numbers are the exception, bounded one by one.
Number = Annotated[Decimal, AfterValidator(bounded)]
Text = str
RateText = Annotated[str, AfterValidator(rate_text)]
Year = Annotated[int, Field(ge=1000, le=9999)]


def _names(table: Mapping[str, FieldLabels], key: str) -> AliasChoices:
    """The key and its Chinese labels (the field table's), as the model accepts them."""
    return AliasChoices(key, *table[key].labels)


def _alias(table: Mapping[str, FieldLabels], key: str) -> Any:
    return Field(default=None, validation_alias=_names(table, key))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    #: Whether cells are read as people type them (see :mod:`perfscore.form.conversion`).
    typed_cells: ClassVar[bool] = True

    # Cells typed as people type them (numbers as printed, "4,262.41", to Decimals; numbers
    # typed for text to text; text in simplified script, blank text as none) are converted in
    # one pass of Python over the mapping before pydantic-core validates it: a validator on
    # each model would cost every row of every form a call into Python and back.  The printed
    # text is kept aside where it differs.
    def __init__(self, /, **data: Any) -> None:
        printed: list[Printed] = []
        super().__init__(**convert_tree(type(self), data, (), printed))
        keep_printed(self, printed)

    # pydantic-core calls a model's own __init__ for every model nested in another (every row)
    # unless it is marked as pydantic's: nested cells are converted with their form instead.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        """Validate ``obj`` (a mapping of cells as typed, or a model) as this model."""
        printed: list[Printed] = []
        model = super().model_validate(convert_tree(cls, obj, (), printed), *args, **kwargs)
        keep_printed(model, printed)
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

    initial: Number | None = _alias(BUDGET, "initial")
    adjusted: Number | None = _alias(BUDGET, "adjusted")
    fiscal: Number | None = _alias(BUDGET, "fiscal")
    other: Number | None = _alias(BUDGET, "other")
    executed: Number | None = _alias(BUDGET, "executed")
    weight: Number | None = _alias(BUDGET, "weight")
    rate: RateText | None = _alias(BUDGET, "rate")
    score: Number | None = _alias(BUDGET, "score")
    reason: Text | None = _alias(BUDGET, "reason")


class Indicator(_Model):
    """One third-level indicator (三级指标) with its printed target, actual, weight and score."""

    level1: Text | None = _alias(INDICATOR, "level1")
    level2: Text | None = _alias(INDICATOR, "level2")
    name: Text = Field(validation_alias=_names(INDICATOR, "name"))
    target: Text | None = _alias(INDICATOR, "target")
    actual: Text | None = _alias(INDICATOR, "actual")
    weight: Number | None = _alias(INDICATOR, "weight")
    score: Number | None = _alias(INDICATOR, "score")
    reason: Text | None = _alias(INDICATOR, "reason")
    goal: Annotated[int, Field(ge=0, le=10_000)] | None = _alias(INDICATOR, "goal")
    number: Text | None = _alias(INDICATOR, "number")  # 序号 as printed: the reports' numbering
    description: Text | None = _alias(INDICATOR, "description")
    basis: Text | None = _alias(INDICATOR, "basis")


class Note(_Model):
    """Something a reader could not read, or decided, at ``path`` (``indicators[3].weight``)."""

    typed_cells: ClassVar[bool] = False  # written by readers: taken as written

    path: str
    message: str
    severity: Literal["warning", "info"] = "warning"
    message_en: str | None = None  # the message in English, where the reader wrote one


class PlanPoint(_Model):
    """One point of a spending plan (资金支出计划): by ``when``, ``share`` of the budget spent."""

    when: Text = Field(validation_alias=_names(PLAN_POINT, "when"))
    share: Text = Field(validation_alias=_names(PLAN_POINT, "share"))


class Form(_Model):
    """项目支出绩效自评表 (``kind: project``), 部门整体绩效自评表 (``kind: department``) or a
    budget-time 绩效目标表 (``kind: targets``: targets only, nothing completed yet)."""

    kind: Literal["project", "department", "targets"] = Field(
        default="project", validation_alias=_names(FORM, "kind")
    )
    code: Text | None = _alias(FORM, "code")
    project: Text | None = _alias(FORM, "project")
    year: Year | None = _alias(FORM, "year")
    unit: Text | None = _alias(FORM, "unit")
    money_unit: Literal["元", "万元"] = Field(
        default="元", validation_alias=_names(FORM, "money_unit")
    )
    budget: Budget | None = _alias(FORM, "budget")
    indicators: tuple[Indicator, ...] = Field(
        default=(), validation_alias=_names(FORM, "indicators")
    )
    total: Number | None = _alias(FORM, "total")
    # 一级指标分值 printed on the block headers only (产出指标(60分)): block label → points.
    blocks: Annotated[dict[Text, Number], Cells(to_blocks)] = Field(
        default_factory=dict, validation_alias=_names(FORM, "blocks")
    )
    purpose: Text | None = _alias(FORM, "purpose")
    spending_plan: tuple[PlanPoint, ...] = Field(
        default=(), validation_alias=_names(FORM, "spending_plan")
    )
    goals: tuple[Text, ...] = Field(default=(), validation_alias=_names(FORM, "goals"))
    notes: tuple[Note, ...] = Field(default=(), validation_alias=_names(FORM, "notes"))

    @model_validator(mode="after")
    def _not_empty(self) -> Form:
        # An empty mapping scored as a clean form would pass an auditor's check unseen.
        if not self.indicators and self.budget is None:
            raise ValueError("the form is empty: it has neither indicators nor a budget")
        return self


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
_EVERY_KEY = frozenset(k for m in (Budget, Indicator, PlanPoint, Form) for k in tables(m).field_of)


# --------------------------------------------------------------------------------------------
# Reading the cells: keys in any script, amounts with their units, points with 分.  Runs once on
# the raw mapping, before validation, because converting an amount needs the form's money unit.

_MONEY_FIELDS = frozenset({"initial", "adjusted", "fiscal", "other", "executed"})
_POINT_FIELDS = frozenset({"weight", "score", "total"})


def _keys(data: Mapping[Any, Any]) -> dict[Any, Any]:
    """The mapping with its keys in simplified script (``權重`` → ``权重``), in a new dict."""
    if data.keys() <= _EVERY_KEY:  # the usual case, checked at C speed
        return dict(data)
    return {simple_key(k): v for k, v in data.items()}


def _cells(
    data: dict[Any, Any], model: type[BaseModel], read: Callable[[str, Any], Any]
) -> dict[Any, Any]:
    """``data`` (owned) with ``read(field, value)`` applied to every known field."""
    fields = tables(model).field_of
    for key, value in data.items():
        field = fields.get(key)
        if field is not None:
            data[key] = read(field, value)
    return data


def _money_unit(form: dict[Any, Any], notes: list[NoteData]) -> tuple[str | None, str]:
    """The money unit ``form`` (owned) declares (None when unreadable) and the unit its
    amounts are read in, which it is set to."""
    fields = tables(Form).field_of
    unit_key = next((k for k in form if fields.get(k) == "money_unit"), None)
    declared = money_unit(form[unit_key]) if unit_key is not None else "元"
    unit = declared or "元"
    if unit_key is not None and declared is not None:
        if declared not in ("元", "万元"):
            # 千元 and 百万元 forms are kept in 元, 亿元 forms in 万元: the units reports use.
            unit = "万元" if declared == "亿元" else "元"
            notes.append(
                reading_note(
                    "money_unit",
                    f"金额单位为{declared}，金额按{unit}计",
                    f"the money unit is {declared}: amounts are read in {unit}",
                    severity="info",
                )
            )
        form[unit_key] = unit
    return declared, unit


def _read_cells(data: Mapping[Any, Any], printed: list[Printed]) -> dict[Any, Any]:
    """A copy of ``data`` with keys simplified, amounts in the form's money unit and points
    read, a reading note (in ``notes``) for every amount converted, and every model's cells
    converted to their fields' types (their printed texts added to ``printed``): the one
    pass of Python over a form's cells, so that validating it is pydantic-core's work alone
    (but for the numbers' bounds)."""
    notes: list[NoteData] = []
    form = _keys(data)
    fields = tables(Form).field_of
    declared, unit = _money_unit(form, notes)

    def amount(field: str, value: Any, where: str) -> Any:
        if field in _MONEY_FIELDS:
            value, note = read_amount(value, declared or "元", unit)
            if note:
                notes.append(reading_note(f"{where}.{field}", *note, severity="info"))
            return value
        return read_points(value) if field in _POINT_FIELDS else value

    kept_keys = {key for key, _ in taken(Form, form)}
    for key, value in form.items():
        field = fields.get(key)
        # Printed texts are kept for the models validation takes (one key for each field).
        kept = printed if key in kept_keys else []
        if field == "total":
            form[key] = read_points(value)
        elif field == "year":
            form[key] = read_year(value)
        elif field == "kind":
            form[key] = read_kind(value)
        elif field == "blocks" and isinstance(value, Mapping):
            form[key] = _keys(value)
        elif field == "budget" and isinstance(value, Mapping):
            cells = _cells(_keys(value), Budget, _at(amount, "budget"))
            form[key] = convert(Budget, cells, ("budget",), kept)
        elif field == "indicators" and isinstance(value, (list, tuple)):
            form[key] = [
                _read_row(row, i, notes, kept) if _is_mapping(row) else row
                for i, row in enumerate(value)
            ]
        elif field == "spending_plan" and isinstance(value, (list, tuple)):
            form[key] = [
                convert(PlanPoint, item, ("spending_plan", i), kept) if _is_mapping(item) else item
                for i, item in enumerate(value)
            ]
    read = convert(Form, form, (), printed)
    if notes:
        _add_notes(read, notes)
    return read


# The keys of a row's weight and score: the only number cells of a row.
_ROW_POINTS = tuple(k for k, f in tables(Indicator).field_of.items() if f in _POINT_FIELDS)


def _is_mapping(value: Any) -> bool:
    # A dict in nearly every case: tested directly before the (slower) abstract-class test.
    return type(value) is dict or isinstance(value, Mapping)


def _read_row(
    row: Mapping[Any, Any], index: int, notes: list[NoteData], printed: list[Printed]
) -> dict[Any, Any]:
    """Indicator ``index``'s cells, converted (keys simplified, points read)."""
    if not row.keys() <= _EVERY_KEY:  # the usual case, checked at C speed
        row = {simple_key(k): v for k, v in row.items()}
    for key in _ROW_POINTS:
        value = row.get(key)
        if isinstance(value, float) and Decimal(repr(value)) != from_float(value):
            # A weight worked out by a program (100/3): rounded, and said so.
            notes.append(
                reading_note(
                    f"indicators[{index}].{tables(Indicator).field_of[key]}",
                    f"{value!r} 为计算所得的小数，按 {from_float(value)} 计",
                    f"{value!r} is a computed fraction: {from_float(value)} is used",
                    severity="info",
                )
            )
    return convert(Indicator, row, ("indicators", index), printed, points=True)


def _at(read: Callable[[str, Any, str], Any], where: str) -> Callable[[str, Any], Any]:
    """``read`` with the path of the mapping it reads in."""
    return lambda field, value: read(field, value, where)


def _add_notes(form: dict[Any, Any], notes: list[NoteData]) -> None:
    key = next((k for k in form if tables(Form).field_of.get(k) == "notes"), "notes")
    given = form.get(key)
    form[key] = [*given, *notes] if isinstance(given, (list, tuple)) else notes


# Fields whose loss leaves no form to score: their errors stay errors.
_STRUCTURAL = frozenset({"kind", "indicators", "name", "notes", "spending_plan", "goals"})


def _canonical(loc: Location) -> Location | None:
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
        field = tables(model).field_of.get(part) if model is not None else None
        if field is None:
            return None
        out.append(field)
        model = Budget if field == "budget" else None
    if not out or isinstance(out[-1], int) or out[-1] in _STRUCTURAL:
        return None
    return tuple(out)


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
    printed: list[Printed] = []
    data = _read_cells(data, printed)
    # The cells are converted: pydantic-core validates them as they are (Form.model_validate
    # would convert them again).
    validate = Form.__pydantic_validator__.validate_python
    try:
        form: Form = validate(data)
    except ValidationError as first:
        exc = first
    else:
        keep_printed(form, printed)
        return form
    # One unreadable cell must not cost the form: fields whose values cannot be read are left
    # out, each with a note on its path, and the rest is validated again.
    dropped = drop_unreadable(data, exc.errors(), _canonical)
    if dropped is not None:
        data, notes = dropped
        _add_notes(data, notes)
        try:
            form = validate(data)
        except ValidationError as second:
            exc = second
        else:
            keep_printed(form, printed)
            return form
    raise form_error(exc, source=source, lines=lines, known_keys=_KNOWN_KEYS) from None
