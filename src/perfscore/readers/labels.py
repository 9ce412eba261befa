"""The printed labels of the standard tables as the readers match them, taken from the one field
table (:mod:`perfscore.form.fields`), and the cell texts they sit among.

Labels are compared without spaces, ``*`` or colons, and without a parenthesised suffix
(``全年预算数（A）``, ``执行率（B/A)``), so ``一级 指标`` and ``一级指标`` name the same column.
The text layouts match a label whole (:func:`column_key`); the grid reader also takes a label
that only starts with one (``三级指标名称``), the longest label first (:func:`label_columns`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from perfscore.form.fields import (
    BUDGET,
    DEPARTMENT_NAME,
    FORM,
    INDICATOR,
    TARGET_PARTS,
    FieldLabels,
    label_pairs,
)

__all__ = [
    "BUDGET_COLUMNS",
    "GRID_INDICATOR_COLUMNS",
    "HEADING",
    "INDICATOR_COLUMNS",
    "LEVEL1",
    "POINTS",
    "Columns",
    "clean",
    "column_key",
    "is_group_label",
    "is_number",
    "label_columns",
    "labels_of",
    "squeeze",
]

Columns = tuple[tuple[str, str], ...]
"""(label, key) pairs, labels squeezed, the longest first."""

_NOISE = re.compile(r"[\s*＊:：]")


def squeeze(text: str) -> str:
    """A label without spaces, ``*`` or colons (``产出 指标`` → ``产出指标``)."""
    return _NOISE.sub("", text)


def _columns(fields: Iterable[FieldLabels], *, exclude: Iterable[str] = ()) -> Columns:
    """The (label, key) pairs of ``fields`` as the readers compare them: squeezed, each once,
    the longest first (``指标值确定依据`` is tried before ``指标值``)."""
    found = label_pairs(fields, exclude=exclude)
    pairs = dict.fromkeys((squeeze(text), key) for text, key in found)
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def labels_of(field: FieldLabels) -> frozenset[str]:
    """A field's labels, squeezed."""
    return frozenset(squeeze(label) for label in field.labels)


#: Indicator header labels and the columns they name.
INDICATOR_COLUMNS = _columns(INDICATOR.values())
#: The same, with the columns a workbook splits a target into (指标性质 | 指标值 | 度量单位).
GRID_INDICATOR_COLUMNS = _columns([*INDICATOR.values(), *TARGET_PARTS.values()])
#: Budget header labels and the budget keys they name (the 说明 is a row, not a column).
BUDGET_COLUMNS = _columns(BUDGET.values(), exclude={"reason"})
#: Heading labels of a project form and the keys they fill (a department's 单位名称 is read
#: by the department reader).
HEADING = {
    squeeze(label): f.key
    for f in (FORM["project"], FORM["code"], FORM["year"], FORM["unit"])
    for label in f.labels
    if label != DEPARTMENT_NAME
}

# First-level blocks of the national scheme; any other label ending in 指标 is second-level.
LEVEL1 = frozenset({"产出指标", "效益指标", "满意度指标"})

_PARENS = re.compile(r"[(（][^()（）]*[)）]?")
_BRACKETED = re.compile(r"[(（].*?[)）]")
_GROUP = re.compile(r"^[\u4e00-\u9fff]{1,12}指标$")
_LINE_BREAK = re.compile(r"\s*\n\s*")
_NUMBER = re.compile(r"^-?\d[\d,]*(?:\.\d+)?%?$|^-?\.\d+%?$")


def column_key(text: str, labels: Columns = INDICATOR_COLUMNS) -> str | None:
    """The column a header label names (the whole label), or None."""
    base = _PARENS.sub("", squeeze(text))
    return next((key for label, key in labels if base == label), None)


def label_columns(row: Sequence[str], labels: Columns) -> dict[str, list[int]]:
    """Columns of a header row by the key their label names; a cell holding several labels
    (``*实际完成值 *权重 *得分 偏差原因…``) names consecutive columns."""
    known = _known_cells(labels)
    found: dict[str, list[int]] = {}
    for col, cell in enumerate(row):
        if not cell:
            continue
        named = known.get(cell)
        if named is None:
            named = _cell_labels(cell, labels)
            if len(known) >= _KNOWN_CELLS:
                known.clear()  # bounded: a grid of distinct texts cannot grow it
            known[cell] = named
        for offset, key in named:
            found.setdefault(key, []).append(col + offset)
    return found


# What each cell's text names, remembered per label table: the same header and block labels
# recur on every form, and every row is tried as a header.  Keyed by the table's identity (a
# module constant), so a lookup hashes the cell's text only, never the table of 40 labels.
_KNOWN_CELLS = 8192
_KNOWN: dict[int, tuple[Columns, dict[str, tuple[tuple[int, str], ...]]]] = {}


def _known_cells(labels: Columns) -> dict[str, tuple[tuple[int, str], ...]]:
    entry = _KNOWN.get(id(labels))
    if entry is None or entry[0] is not labels:
        if len(_KNOWN) >= 16:  # a few tables are module constants; others come and go
            _KNOWN.clear()
        entry = _KNOWN[id(labels)] = (labels, {})
    return entry[1]


def _cell_labels(cell: str, labels: Columns) -> tuple[tuple[int, str], ...]:
    """The (column offset, key) pairs one cell's text names."""
    parts = [p for p in re.split(r"\s+", cell.strip()) if p] if cell.strip() else []
    if len(parts) > 1:
        keys = [_match(squeeze(p), labels) for p in parts]
        if all(keys):
            return tuple((offset, key) for offset, key in enumerate(keys) if key)
    key = _match(squeeze(cell), labels)
    return ((0, key),) if key else ()


def _match(label: str, labels: Columns) -> str | None:
    """The key of the label ``label`` is, or starts with (a label longer than two characters:
    ``三级指标名称``)."""
    if not label:
        return None
    base = _BRACKETED.sub("", label) if "(" in label or "（" in label else label
    for text, key in labels:
        if base == text or (len(text) > 2 and base.startswith(text)):
            return key
    return None


def clean(text: str) -> str:
    """A cell's text with PDF line breaks folded (Chinese has no spaces between words)."""
    if "\n" not in text:
        return text.strip()
    return _LINE_BREAK.sub("", text).strip()


def is_number(text: str) -> bool:
    """Whether a cell holds a number as printed (``4,262.41``, ``96.86%``)."""
    return bool(_NUMBER.match(text.replace(" ", "")))


# Points printed on a block header: 产出指标(50分), 效益指标（30 分）.
POINTS = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$")


def is_group_label(text: str) -> bool:
    """True for a first- or second-level group label (产出指标, 可持续影响指标 …), with or
    without its points (产出指标(50分))."""
    label = POINTS.sub("", squeeze(text))
    return bool(_GROUP.match(label)) and column_key(label) is None
