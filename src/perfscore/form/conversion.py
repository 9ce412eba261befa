"""A model's cells converted to its fields' types, in one pass of Python before pydantic-core
validates them.

Cells come as people type them: numbers as printed (``"4,262.41"``) for number fields, numbers
for text fields, text in traditional script or full-width, blank text for no text.  Converting
them in one pass over the mapping, and letting pydantic-core validate the result natively,
costs a fraction of a validator on each model: pydantic-core would call into Python and back
for every row of every form.  The text as printed is kept aside (:data:`Printed`) where it
differs from the text read, and put beside the validated model's fields
(:func:`keep_printed`), for reports to show.

The conversion of each field comes from its annotation: a ``Decimal`` is read with
:func:`~perfscore.form.cells.to_decimal`, text with :func:`~perfscore.form.cells.to_text`,
and a field marked ``Annotated[…, Cells(convert)]`` with its own ``convert``.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, NamedTuple

from pydantic import AliasChoices, BaseModel

from perfscore.form.cells import read_points, to_decimal, to_text
from perfscore.text.script import simplify

__all__ = [
    "At",
    "Cells",
    "Printed",
    "Tables",
    "convert",
    "convert_tree",
    "keep_printed",
    "simple_key",
    "simple_text",
    "tables",
]

#: Where a model sits in a form: ``()``, ``("budget",)``, ``("indicators", 3)``.
At = tuple[str | int, ...]
#: A model's place and the texts of its fields as printed, where they differ from the text read.
Printed = tuple[At, dict[str, str]]


class Cells(NamedTuple):
    """Marks a field whose cells are converted by ``convert`` (``Annotated[T, Cells(f)]``)."""

    convert: Callable[[Any], Any]


# Named tuples rather than dataclasses: built at import, they cost a tenth as much.
class Tables(NamedTuple):
    """What converting a model's cells needs to know of its fields."""

    #: Every key the model accepts (field names and aliases) → the conversion of its cells.
    converters: dict[str, Callable[[Any], Any]]
    #: Every key the model accepts → the field's name.
    field_of: dict[str, str]
    #: Keys of fields that must be present (a blank one is kept as printed).
    required: frozenset[str]
    #: Fields holding models: field → (the model, whether a list of them), and the keys that
    #: may hold each, in the order validation takes the first present.
    nested: dict[str, tuple[type[BaseModel], bool, tuple[str, ...]]]


def _plain_types(annotation: Any) -> set[Any]:
    """The types inside ``X | None``, ``tuple[X, ...]`` and ``Annotated[X, …]``."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Annotated:
        return _plain_types(args[0])
    if args:
        return {t for arg in args for t in _plain_types(arg)}
    return {annotation}


def _own_conversion(annotation: Any) -> Callable[[Any], Any] | None:
    """The ``Cells`` mark of ``annotation`` (or of a type in its union), if any."""
    if typing.get_origin(annotation) is Annotated:
        marks = [m for m in typing.get_args(annotation)[1:] if isinstance(m, Cells)]
        return marks[0].convert if marks else None
    found = (_own_conversion(arg) for arg in typing.get_args(annotation))
    return next((f for f in found if f is not None), None)


@cache  # one entry per model class: a fixed, small number
def tables(model: type[BaseModel]) -> Tables:
    """The conversion tables of ``model``, built from its fields the first time; empty for a
    model whose ``typed_cells`` is false (its cells are taken as they are)."""
    converters: dict[str, Callable[[Any], Any]] = {}
    field_of: dict[str, str] = {}
    required: set[str] = set()
    nested: dict[str, tuple[type[BaseModel], bool, tuple[str, ...]]] = {}
    fields = model.model_fields if getattr(model, "typed_cells", False) else {}
    for name, info in fields.items():
        alias = info.validation_alias
        keys = (
            (name, *(str(c) for c in alias.choices)) if isinstance(alias, AliasChoices) else (name,)
        )
        field_of.update(dict.fromkeys(keys, name))
        if info.is_required():
            required.update(keys)
        types = _plain_types(info.annotation)
        inner = [t for t in types if isinstance(t, type) and issubclass(t, BaseModel)]
        if inner:
            nested[name] = (inner[0], Ellipsis in types, keys)
        # pydantic keeps a field's own Annotated marks in its metadata.
        marks = [m.convert for m in info.metadata if isinstance(m, Cells)]
        convert = (marks[0] if marks else _own_conversion(info.annotation)) or (
            to_decimal if Decimal in types else to_text if str in types else None
        )
        if convert is not None:
            converters.update(dict.fromkeys(keys, convert))
    return Tables(converters, field_of, frozenset(required), nested)


# Texts and keys repeat across rows and forms: each distinct one is simplified once (bounded,
# for hostile input).  Reads take no lock; a table full is emptied.
_TEXT_CACHE: dict[str, str] = {}
_KEY_CACHE: dict[str, str] = {}


def simple_text(text: str) -> str:
    """``text`` in simplified script (half-width)."""
    if text.isascii():
        return text
    read = _TEXT_CACHE.get(text)
    if read is None:
        read = simplify(text)
        if len(_TEXT_CACHE) >= 8192:
            _TEXT_CACHE.clear()
        _TEXT_CACHE[text] = read
    return read


def simple_key(key: Any) -> Any:
    """A key in simplified script without surrounding space (``權重`` → ``权重``)."""
    if not isinstance(key, str):
        return key
    read = _KEY_CACHE.get(key)
    if read is None:
        read = simplify(key).strip()
        if len(_KEY_CACHE) < 4096:
            _KEY_CACHE[key] = read
    return read


# A number as a weight or score is usually printed: ASCII digits only, nothing to read first.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def convert(
    model: type[BaseModel],
    data: Mapping[Any, Any],
    at: At,
    printed: list[Printed],
    points: bool = False,
) -> dict[Any, Any]:
    """``data``'s cells converted for ``model`` (the model at ``at``), in a new mapping; the
    texts printed otherwise than read are added to ``printed``.  With ``points``, numbers are
    points as a form prints them (``5分``, ``五分``)."""
    table = tables(model)
    converters, required = table.converters, table.required
    out: dict[Any, Any] = {}
    texts: dict[str, str] | None = None
    for key, value in data.items():
        conversion = converters.get(key)
        if conversion is None:
            out[key] = value
        elif conversion is to_text:
            if type(value) is not str:
                value = to_text(value)
                if type(value) is not str:
                    out[key] = value  # not text: for the field's validation to refuse
                    continue
            read: str | None = (
                value if value.isascii() else (_TEXT_CACHE.get(value) or simple_text(value))
            )
            if (not value or value.isspace()) and key not in required:
                read = None  # a blank cell is an empty one (missing-value, not unreadable)
            elif read != value:
                texts = texts or {}
                texts[table.field_of[key]] = value
            out[key] = read
        elif not points:
            out[key] = conversion(value)
        elif value.__class__ is int or (value.__class__ is str and _PLAIN_NUMBER.fullmatch(value)):
            out[key] = Decimal(value)  # nearly every weight and score, typed or printed
        else:
            out[key] = conversion(read_points(value))
    if texts:
        printed.append((at, texts))
    return out


def _is_mapping(value: Any) -> bool:
    # A dict in nearly every case: tested directly before the (slower) abstract-class test.
    return type(value) is dict or isinstance(value, Mapping)


def convert_tree(model: type[BaseModel], data: Any, at: At, printed: list[Printed]) -> Any:
    """``data`` converted for ``model`` (:func:`convert`), and the models inside it; anything
    but a mapping as it is, for validation to refuse."""
    if not _is_mapping(data) or not tables(model).field_of:
        return data
    read = convert(model, data, at, printed)
    for key, field in taken(model, read):
        inner, many, _ = tables(model).nested[field]
        value = read[key]
        if not many:
            read[key] = convert_tree(inner, value, (*at, field), printed)
        elif isinstance(value, (list, tuple)):
            read[key] = [
                convert_tree(inner, item, (*at, field, i), printed) for i, item in enumerate(value)
            ]
    return read


def taken(model: type[BaseModel], data: Mapping[Any, Any]) -> list[tuple[Any, str]]:
    """(key, field) of ``model``'s fields holding models, under the key validation takes for
    each (its name, else the first of its labels present)."""
    out = []
    for field, (_, _, keys) in tables(model).nested.items():
        key = next((k for k in keys if k in data), None)
        if key is not None:
            out.append((key, field))
    return out


def keep_printed(model: BaseModel, printed: list[Printed]) -> None:
    """The printed texts (see :func:`convert`) kept beside the fields of ``model`` and of the
    models inside it."""
    for at, texts in printed:
        item: Any = model
        for part in at:
            if item is None:  # a budget left out as unreadable
                break
            item = item[part] if isinstance(part, int) else getattr(item, part)
        if isinstance(item, BaseModel):
            # Only on the rare model that needs it: a declared private attribute would cost
            # every model of every form its initialisation.
            object.__setattr__(item, "__pydantic_private__", {"printed": texts})
