"""What a form's validation errors say: unreadable cells as reading notes, the rest as one
:class:`~perfscore.errors.FormError` naming every problem with its path and line.

A cell that cannot be read (a weight printed as words) costs only that cell: it is left out
with a note on its path, which the engine reports as an ``unreadable-cell`` flag.  A missing or
unknown key, or a number out of bounds, stays an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from perfscore.errors import FormError
from perfscore.form.cells import MAX_PLACES
from perfscore.form.document import Lines
from perfscore.form.fields import FORM, Location
from perfscore.suggest import did_you_mean
from perfscore.text.script import simplify

__all__ = ["NoteData", "drop_unreadable", "form_error", "format_location", "reading_note"]

NoteData = dict[str, str]


def reading_note(
    path: str, message: str, message_en: str, *, severity: str = "warning"
) -> NoteData:
    """A reading note in the form format (a :class:`~perfscore.form.model.Note`'s fields)."""
    return {"path": path, "message": message, "message_en": message_en, "severity": severity}


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


def drop_unreadable(
    data: dict[Any, Any], errors: list[Any], canonical: Callable[[Location], Location | None]
) -> tuple[dict[Any, Any], list[NoteData]] | None:
    """``data`` without the fields whose values cannot be read, with a note for each, or None
    when some error is not about one field's value.  ``canonical`` gives an error's location
    with aliases replaced by field names, or None when it is not one field's value."""
    notes: list[NoteData] = []
    drops: list[Location] = []
    for error in errors:
        loc = tuple(error["loc"])
        where = canonical(loc)
        if where is None or error["type"] not in _UNREADABLE:
            return None
        kind = next((k for k in _EXPECTED_ZH if error["type"].startswith(k)), None)
        expected = _EXPECTED_ZH.get(kind or "", "可读的值")
        value = error.get("input")
        cell = value if isinstance(value, str) else str(value)
        cell = cell if len(cell) <= 60 else f"{cell[:40]}…"  # a 100 KB cell is not quoted whole
        notes.append(
            reading_note(
                format_location(where),
                f"无法读取“{cell}”，应为{expected}",
                f"cannot read {cell!r}: expected {_EXPECTED_EN.get(kind or '', 'a value')}",
            )
        )
        drops.append(loc)
    for loc in drops:
        data = _without(data, loc)
    return data, notes


def _without(data: Any, loc: Location) -> Any:
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


def format_location(loc: Location) -> str:
    """``("indicators", 3, "weight")`` as ``indicators[3].weight``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _section(loc: Location) -> str:
    """The part of the form ``loc`` is in: ``indicators``, ``budget`` or the form (``""``)."""
    for key in ("indicators", "budget"):
        if loc and (loc[0] == key or loc[0] in FORM[key].labels):
            return key
    return ""


_OUT_OF_BOUNDS = frozenset({"number_bounds", "finite_number"})
_BOUNDS = f"a number between -10^15 and 10^15 with at most {MAX_PLACES} decimal places"


def _shown(value: Any) -> str:
    """A value as an error message quotes it: a 100 KB cell is not quoted whole."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else f"{text[:40]}… ({len(text):,} characters)"


def form_error(
    exc: ValidationError,
    *,
    source: str | None,
    lines: Lines | None,
    known_keys: Mapping[str, list[str]],
) -> FormError:
    """Every problem of a form at once (a person fixes them in one pass, not one per run): the
    first as the error, the others a line each.  ``known_keys`` are the keys of the form
    (``""``), its budget and its indicators, for did-you-mean."""
    if lines:  # keys were read in simplified script
        lines = {
            tuple(simplify(p) if isinstance(p, str) else p for p in k): v for k, v in lines.items()
        }
    problems = [_problem(error, lines, known_keys) for error in exc.errors()]
    message, where, line, expected = problems[0]
    if len(problems) > 1:
        if expected:
            message, expected = f"{message} (expected {expected})", None
        message += f"; {len(problems) - 1} more:"
        for other, at, at_line, wanted in problems[1:]:
            place = f"line {at_line} {at}" if at_line is not None else at
            message += f"\n  {place}: {other}" + (f" (expected {wanted})" if wanted else "")
    return FormError(message, source=source, path=where, line=line, expected=expected)


def _problem(
    error: Any, lines: Lines | None, known_keys: Mapping[str, list[str]]
) -> tuple[str, str, int | None, str | None]:
    """One validation error as (message, field path, line, what was expected)."""
    loc = tuple(error["loc"])
    where = format_location(loc)
    line = (lines or {}).get(loc)
    if line is None and lines:
        for cut in range(len(loc) - 1, 0, -1):
            if loc[:cut] in lines:
                line = lines[loc[:cut]]
                break
    if error["type"] == "extra_forbidden":
        key = str(loc[-1])
        known = known_keys[_section(loc) if len(loc) > 1 else ""]
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
