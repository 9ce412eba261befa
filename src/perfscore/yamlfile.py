"""The one YAML reader for forms and rule files (YAML 文件读取): data plus the position of every
key, built straight from the parser's events.

What it guarantees, whatever the file holds:

* **bounded**: the file is checked to be a regular file no larger than ``max_bytes`` before it
  is read, and nesting deeper than ``max_depth`` is refused on the events, before anything is
  built (libyaml's parser keeps its own stack on the heap, so 50,000 levels cost nothing until
  a builder recurses; this one does not recurse);
* **no aliases**: ``*name`` is refused (anchors and aliases are how a 400-byte file expands to
  gigabytes; forms and rule files never need them);
* **YAML 1.2 scalars** (the core schema): ``1:15`` is text, not 75; ``010`` is ten, not eight;
  ``yes``/``no``/``on``/``off`` are text; dates are text; only ``true``/``false`` are booleans;
* **exact numbers**: floats are read as :class:`~decimal.Decimal` from their digits;
  ``.inf``/``.nan`` are refused;
* **duplicate keys refused**, naming both lines;
* errors are one :class:`~perfscore.errors.PerfscoreError` (the kind the caller names) with the
  file, line and column — never a parser exception or a ``RecursionError``.

The positions map a path of keys and list indices (``("indicators", 3, "weight")``) to the
1-based line and column of the key (or of the list item, or ``()`` for the document).
Building from events instead of libyaml's node tree also makes reading cheaper than
``yaml.load`` with ``CSafeLoader``, which builds every node and then every value.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from perfscore.errors import FormError, PerfscoreError
from perfscore.files import read_regular_file

__all__ = [
    "MAX_DEPTH",
    "MAX_YAML_BYTES",
    "Position",
    "Positions",
    "YamlDocument",
    "parse_yaml",
    "read_yaml",
]

#: Deepest nesting accepted: a form is four levels deep, a rule file five or six.
MAX_DEPTH = 64
#: Largest file read by default (forms are a few KiB; this guards against a stray binary).
MAX_YAML_BYTES = 8 * 1024 * 1024

Position = tuple[int, int]
"""1-based (line, column)."""
Positions = dict[tuple[str | int, ...], Position]
"""Where each key (or list item) of the document starts."""


class YamlDocument(NamedTuple):
    """A document read by :func:`read_yaml`: its data and the position of every key."""

    data: Any
    positions: Positions


# libyaml's parser when the platform has it: an order of magnitude faster than pure Python.
_Parser: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#103-core-schema), plain scalars only.
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_NUMBER_START = frozenset("0123456789+-.")
# Plain scalars that are not text although they do not start like a number.
_WORDS = _NULL | _TRUE | _FALSE
# Python's int() refuses more than 4,300 digits; longer integers are kept as Decimals for the
# caller's range checks to refuse with a field path.
_INT_DIGITS = 4000

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset({f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null")})
_COLLECTION_TAG = {yaml.SequenceStartEvent: f"{_TAG}seq", yaml.MappingStartEvent: f"{_TAG}map"}


class _Refused(Exception):
    """Raised inside the builder with the message and the mark it concerns."""

    def __init__(self, message: str, mark: Any, expected: str | None = None) -> None:
        super().__init__(message)
        self.message, self.mark, self.expected = message, mark, expected


def _plain(value: str, mark: Any) -> Any:
    """A plain (unquoted, untagged) scalar under the YAML 1.2 core schema."""
    if value in _NULL:
        return None
    first = value[0]
    if first in _NUMBER_START:
        if _INT.fullmatch(value):
            return int(value) if len(value) <= _INT_DIGITS else Decimal(value)
        if _FLOAT.fullmatch(value):
            return Decimal(value)
        if _OCT.fullmatch(value):
            return int(value[2:], 8)
        if _HEX.fullmatch(value):
            return int(value[2:], 16)
        if _SPECIAL.fullmatch(value):
            raise _Refused(f"not a finite number: {value}", mark, "a number with digits")
        return value
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return value


def _tagged(tag: str, value: str, mark: Any) -> Any:
    """A scalar with an explicit standard tag (``!!str 5``, ``!!float 1``)."""
    kind = tag.removeprefix(_TAG)
    if kind == "str":
        return value
    resolved = _plain(value, mark)
    number = isinstance(resolved, (int, Decimal)) and not isinstance(resolved, bool)
    if kind == "null" and resolved is None:
        return None
    if kind == "bool" and isinstance(resolved, bool):
        return resolved
    if kind == "float" and number:
        return Decimal(resolved)
    # to_integral_value is exact whatever the context (``% 1`` needs the precision: 1e999999999)
    whole = isinstance(resolved, int) or (number and resolved == resolved.to_integral_value())
    if kind == "int" and number and whole:
        return resolved
    wanted = {"int": "a whole number", "float": "a number", "bool": "true or false"}
    raise _Refused(f"{value!r} is not a valid !!{kind}", mark, wanted.get(kind, "null"))


def _build(parser: Any, max_depth: int) -> YamlDocument:
    """Data and positions from the parser's events: the stream, one document, its end."""
    get = parser.get_event
    get()  # StreamStartEvent
    if isinstance(get(), yaml.StreamEndEvent):  # else the DocumentStartEvent
        return YamlDocument(None, {})
    positions: Positions = {}
    root = _read_root(get, positions, max_depth)
    event = get()  # DocumentEndEvent
    if not isinstance(event, yaml.StreamEndEvent):
        event = get()
    if not isinstance(event, yaml.StreamEndEvent):
        raise _Refused("a second document in the file", event.start_mark, "a single document")
    return YamlDocument(root, positions)


def _read_root(get: Any, positions: Positions, max_depth: int) -> Any:
    """The document's one node, read event by event without recursion.

    The open collection is kept in locals (``container``, its ``path``, the pending ``key`` of
    a mapping) and saved on ``stack`` while a nested one is read: per event that is a few
    local operations, which is what makes this cheaper than libyaml's own node tree.
    """
    stack: list[tuple[Any, tuple[str | int, ...], Any, bool]] = []
    missing = _MISSING
    container: Any = None  # None: the root is next
    path: tuple[str | int, ...] = ()
    key: Any = missing
    is_map = False
    scalar, seq_start, map_start = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
    seq_end, map_end = yaml.SequenceEndEvent, yaml.MappingEndEvent
    while True:
        event = get()
        cls = event.__class__
        if cls is scalar:
            value = _scalar(event)
            if is_map and key is missing:
                key = _new_key(container, path, value, event.start_mark, positions)
            elif is_map:
                container[key] = value
                key = missing
            else:
                _place(container, path, value, event.start_mark, positions)
                if container is None:
                    return value
        elif cls is map_end or cls is seq_end:
            closed = container
            container, path, key, is_map = stack.pop()
            if container is None:
                return closed
        elif cls is map_start or cls is seq_start:
            _check_opening(event, cls, len(stack), max_depth)
            new: Any = {} if cls is map_start else []
            if is_map:
                if key is missing:
                    raise _Refused("a key must be a plain value", event.start_mark, "text")
                container[key] = new
                inner = (*path, key)
            else:
                inner = _place(container, path, new, event.start_mark, positions)
            stack.append((container, path, missing, is_map))
            container, path, key, is_map = new, inner, missing, cls is map_start
        elif cls is yaml.AliasEvent:
            raise _Refused(
                f"anchors and aliases (*{event.anchor}) are not allowed",
                event.start_mark,
                "each value written out where it is used",
            )
        else:  # the root is always one node: nothing else can come here
            raise _Refused("unexpected YAML structure", event.start_mark)


def _scalar(event: Any) -> Any:
    """A scalar event's value: plain under the YAML 1.2 core schema, or its standard tag's."""
    tag = event.tag
    value = event.value
    if tag is None:
        if event.implicit[0] and (value[:1] in _NUMBER_START or value in _WORDS):
            return _plain(value, event.start_mark)
        return value
    if tag in _SCALAR_TAGS:
        return _tagged(tag, value, event.start_mark)
    if tag != "!":
        raise _Refused(f"unknown tag {tag}", event.start_mark, "plain values")
    return value


def _new_key(
    mapping: dict[Any, Any], path: tuple[str | int, ...], key: Any, mark: Any, positions: Positions
) -> Any:
    """A mapping's next key, its position noted; a key seen before in it is refused."""
    if key in mapping:
        line = positions[(*path, key)][0]
        raise _Refused(
            f"duplicate key {key!r} (first on line {line})", mark, "each key once per mapping"
        )
    positions[(*path, key)] = (mark.line + 1, mark.column + 1)
    return key


def _place(
    sequence: list[Any] | None,
    path: tuple[str | int, ...],
    value: Any,
    mark: Any,
    positions: Positions,
) -> tuple[str | int, ...]:
    """Append ``value`` to ``sequence`` (or, with none open, make it the root); its path."""
    inner = (*path, len(sequence)) if sequence is not None else ()
    positions[inner] = (mark.line + 1, mark.column + 1)
    if sequence is not None:
        sequence.append(value)
    return inner


def _check_opening(event: Any, cls: type[Any], depth: int, max_depth: int) -> None:
    """A collection may open here: no foreign tag, and not deeper than ``max_depth``."""
    tag = event.tag
    if tag is not None and tag != "!" and tag != _COLLECTION_TAG[cls]:
        raise _Refused(f"unknown tag {tag}", event.start_mark, "plain values")
    if depth >= max_depth:
        raise _Refused(
            f"nesting deeper than {max_depth} levels", event.start_mark, "a shallower file"
        )


class _Missing:
    __slots__ = ()


_MISSING = _Missing()


def parse_yaml(
    text: str,
    *,
    source: str | None = None,
    error: type[PerfscoreError] = FormError,
    max_depth: int = MAX_DEPTH,
) -> YamlDocument:
    """Read YAML text (see the module's guarantees).

    :raises PerfscoreError: of the kind ``error``, naming ``source``, the line and column.
    """
    parser = _Parser(text)
    try:
        return _build(parser, max_depth)
    except _Refused as exc:
        mark = exc.mark
        raise error(
            exc.message,
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            expected=exc.expected,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise error(
            f"invalid YAML: {exc.problem or exc.context}",
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", source=source) from None
    finally:
        parser.dispose()


def decode_text(raw: bytes, *, source: str | None, error: type[PerfscoreError]) -> str:
    """UTF-8 text (a byte-order mark is dropped), or a clear error."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            f"the file is not UTF-8 text (byte {exc.start})", source=source, expected="UTF-8 text"
        ) from None


def read_yaml(
    path: str | Path,
    *,
    error: type[PerfscoreError] = FormError,
    max_bytes: int = MAX_YAML_BYTES,
    max_depth: int = MAX_DEPTH,
) -> YamlDocument:
    """The YAML document in the regular file at ``path`` and the position of every key.

    ``error`` is the kind raised (:class:`~perfscore.errors.FormError` for forms,
    :class:`~perfscore.errors.RuleSetError` for rule files).

    :raises PerfscoreError: of the kind ``error``, naming the file and, for content, the line
        and column: a missing, special or oversized file, text that is not UTF-8, invalid
        YAML, an alias, a duplicate key, nesting deeper than ``max_depth``.
    """
    source = str(path)
    raw = read_regular_file(path, max_bytes=max_bytes, error=error)
    text = decode_text(raw, source=source, error=error)
    return parse_yaml(text, source=source, error=error, max_depth=max_depth)
