"""What the rule-file model refuses, in the project's words, every key at once.

:func:`refusals` turns a pydantic :class:`~pydantic.ValidationError` into one
:class:`~perfscore.errors.RuleSetError` a key, at the key's line, worded as the rest of the
project words its errors (``title: required key missing``, ``'upward' is not one of the allowed
values; did you mean 'higher'?``).  :func:`pared` removes the refused keys from the file's data,
so that validating again reaches the checks a refusal hides (the weights' sum, each formula and
pattern): ``perfscore rules check`` reports every mistake of a file in one run.
"""

from __future__ import annotations

import copy
import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from perfscore.errors import RuleSetError
from perfscore.ruleset.ranges import range_at
from perfscore.ruleset.rulefile import Positions, RuleFile, shown_key
from perfscore.suggest import did_you_mean

__all__ = ["Loc", "pared", "refusals"]

#: A key's path in the file's data: mapping keys as text, list positions as digits.
Loc = tuple[str, ...]

_BOUNDS = frozenset({"greater_than", "greater_than_equal", "less_than", "less_than_equal"})
# Error types and what the key was expected to be, in our words.
_KINDS: dict[str, str] = {
    "decimal_parsing": "a number",
    "decimal_type": "a number",
    "float_parsing": "a number",
    "float_type": "a number",
    "finite_number": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "tuple_type": "a list",
    "list_type": "a list",
}


def refusals(
    exc: ValidationError, data: dict[str, Any], positions: Positions, path: Path
) -> dict[Loc, RuleSetError]:
    """One error per key the validation refused, by the key's path, each at its file, line and
    column, in the order of the file's lines; a key refused for several reasons (each type of a
    union) is one error."""
    found: dict[Loc, RuleSetError] = {}
    for error in exc.errors():
        loc = _loc(error["loc"])
        if loc in found:
            continue
        message, expected = _worded(error, loc)
        file, line, column = next(
            (positions[loc[:i]] for i in range(len(loc), 0, -1) if loc[:i] in positions),
            (str(path), None, None),
        )
        found[loc] = RuleSetError(
            message,
            source=file,
            path=shown_key(loc, data),
            line=line,
            column=column,
            expected=expected,
        )
    # In the order of the file's lines: the loader's one error is the first a reader meets.
    return dict(
        sorted(
            found.items(),
            key=lambda item: (item[1].source != str(path), item[1].line or 0, item[1].column or 0),
        )
    )


def _loc(raw: tuple[int | str, ...]) -> Loc:
    # A mapping's key is named by itself, not by pydantic's "[key]" after it.
    return tuple(str(p) for p in raw if p != "[key]")


def _worded(error: Any, loc: Loc) -> tuple[str, str | None]:
    """The message and what was expected for one pydantic error."""
    kind, value = error["type"], error.get("input")
    ranged = range_at(loc)
    if kind in _BOUNDS and ranged is not None:
        # Words from the one table of ranges, the same the JSON Schema carries.
        return f"{value} is out of range", ranged[1].expected()
    if kind == "missing":
        return "required key missing", None
    if kind == "extra_forbidden":
        return f"unknown key {loc[-1]!r}" + _suggest_key(loc), None
    if kind in {"literal_error", "enum"}:
        allowed = _allowed(loc)
        if allowed:
            return (
                f"{value!r} is not one of the allowed values{did_you_mean(str(value), allowed)}",
                ", ".join(allowed),
            )
    if kind in _KINDS:
        return f"{value!r} is not {_KINDS[kind]}", _KINDS[kind]
    # Our own validators' sentences (unknown flag codes, a band's points or share).
    return str(error["msg"]).removeprefix("Value error, "), None


def _model_at(loc: Loc) -> type[BaseModel]:
    """The model the last key of ``loc`` sits in."""
    model: type[BaseModel] = RuleFile
    for part in loc[:-1]:
        if part.isdigit():
            continue
        found = model.model_fields.get(part)
        if found is None:
            break
        inner = found.annotation
        for candidate in getattr(inner, "__args__", ()) or (inner,):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                model = candidate
                break
    return model


def _suggest_key(loc: Loc) -> str:
    """A did-you-mean for a misspelt key, looked up in the model the key sits in."""
    model = _model_at(loc)
    return did_you_mean(loc[-1], [f.alias or name for name, f in model.model_fields.items()])


def _allowed(loc: Loc) -> tuple[str, ...]:
    """The values the key at ``loc`` allows, read from its field's ``Literal`` (the one table
    each such key names: ``direction`` is :data:`~perfscore.text.operators.Direction`)."""
    model = _model_at(loc)
    parts = [p for p in loc if not p.isdigit()]
    field = model.model_fields.get(parts[-1]) if parts else None
    if field is None and len(parts) >= 2:
        field = model.model_fields.get(parts[-2])  # a mapping's value (severity.<code>)
    return _literals(field.annotation) if field is not None else ()


def _literals(annotation: Any) -> tuple[str, ...]:
    origin = get_origin(annotation)
    if origin is Literal:
        return tuple(str(a) for a in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return ()
    if isinstance(annotation, type) and hasattr(annotation, "__members__"):
        return tuple(str(m.value) for m in annotation.__members__.values())  # an enum
    args = get_args(annotation)
    if origin is Annotated:
        args = args[:1]
    elif origin is dict:
        args = args[1:]  # the values a mapping allows, not its keys
    elif origin not in {Union, types.UnionType, tuple, list}:
        return ()
    return tuple(value for arg in args for value in _literals(arg))


def pared(
    exc: ValidationError, data: dict[str, Any], positions: Positions
) -> tuple[dict[str, Any], Positions, list[Loc]]:
    """The data without what ``exc`` refused, the positions to go with it, and the lists an
    item was taken out of.  A refused key is removed (its default takes its place); a key
    required where it is missing takes its parent out (a list item, a mapping), and a required
    key of the file itself is set to empty text; a list's later items move up, with their
    lines."""
    out = copy.deepcopy(data)
    places = dict(positions)
    lists: list[Loc] = []
    locs = {_loc(e["loc"]) if e["type"] != "missing" else _loc(e["loc"])[:-1] for e in exc.errors()}
    for error in exc.errors():
        loc = _loc(error["loc"])
        if error["type"] == "missing" and len(loc) == 1:
            out[loc[0]] = ""  # name, title: text, so that the rest of the file is checked
            locs.discard(())
    # The last item of a list first, so that the earlier ones keep their places.
    for loc in sorted(locs, key=lambda k: [int(p) if p.isdigit() else -1 for p in k], reverse=True):
        if loc and _remove(out, loc) and loc[-1].isdigit():
            lists.append(loc[:-1])
            places = _moved_up(places, loc)
    return out, places, lists


def _remove(data: dict[str, Any], loc: Loc) -> bool:
    node: Any = data
    for part in loc[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    last = loc[-1]
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        del node[int(last)]
        return True
    return False


def _moved_up(positions: Positions, item: Loc) -> Positions:
    """Positions after the list item ``item`` is taken out: its own gone, later items' one up."""
    depth, gone = len(item) - 1, int(item[-1])
    out: Positions = {}
    for key, where in positions.items():
        if key[:depth] == item[:-1] and len(key) > depth and key[depth].isdigit():
            index = int(key[depth])
            if index == gone:
                continue
            if index > gone:
                key = (*key[:depth], str(index - 1), *key[depth + 1 :])
        out[key] = where
    return out
