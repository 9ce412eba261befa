"""Reading a form document: YAML or JSON to data with exact Decimals, and the line of each key.

A form file is read bounded (:func:`perfscore.files.read_regular_file`), decoded, and parsed:
YAML by :mod:`perfscore.yamlfile` (which keeps every key's line for error messages), JSON with
duplicate keys, NaN and Infinity refused and nesting as deep as YAML allows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfscore.errors import FormError
from perfscore.files import read_regular_file
from perfscore.form.fields import Location
from perfscore.yamlfile import MAX_YAML_BYTES, Positions, decode_text, parse_yaml

__all__ = ["MAX_FORM_BYTES", "Lines", "key_positions", "parse_data", "read_data"]

# Largest form file read (forms are a few KiB; this guards against a stray binary).
MAX_FORM_BYTES = MAX_YAML_BYTES

Lines = Mapping[Location, int]


class _LineIndex(Mapping[Location, int]):
    """The line of each key, taken from the reader's (line, column) positions when asked:
    only a form with an error is ever asked, so no copy is made for the others."""

    __slots__ = ("_positions",)

    def __init__(self, positions: Positions) -> None:
        self._positions = positions

    def __getitem__(self, key: Location) -> int:
        return self._positions[key][0]

    def __iter__(self) -> Iterator[Location]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)

    @property
    def positions(self) -> Mapping[Location, tuple[int, int | None]]:
        """The (line, column) of each key, both from 1."""
        return self._positions


def key_positions(lines: Lines) -> Mapping[Location, tuple[int, int | None]]:
    """Each key's line and, where the reader kept it (YAML), its column: the reader's own
    table where it has one (not copied), else one made with no columns."""
    if isinstance(lines, _LineIndex):
        return lines.positions
    return {key: (line, None) for key, line in lines.items()}


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
    (see :mod:`perfscore.yamlfile` for what is refused).

    :raises FormError: for a missing, special, oversized, unreadable or malformed file.
    """
    return parse_data(read_regular_file(path, max_bytes=MAX_FORM_BYTES, error=FormError), path)


def parse_data(raw: bytes, path: Path) -> tuple[Any, Lines]:
    """The YAML or JSON document ``raw`` read from ``path`` (its suffix says which), as
    :func:`read_data` gives it.

    :raises FormError: for text that is not UTF-8, or a malformed document.
    """
    source = str(path)
    text = decode_text(raw, source=source, error=FormError)
    if path.suffix.lower() == ".json":
        return _read_json(text, source), _json_lines(text, source)
    data, positions = parse_yaml(text, source=source, error=FormError)
    return data, _LineIndex(positions)


def _json_lines(text: str, source: str) -> Lines:
    """The line and column of each key of a JSON document already read.

    JSON is YAML's flow style, so the YAML reader follows it and keeps its keys' places: a JSON
    form's flags and errors name their line as a YAML form's do.  The data scored stays the
    JSON reader's; a document the YAML reader does not follow (an escaped surrogate pair) keeps
    no lines.
    """
    try:
        return _LineIndex(parse_yaml(text, source=source, error=FormError).positions)
    except FormError:
        return {}
