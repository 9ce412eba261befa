"""The indicator table of a grid (绩效指标): the rows under the header, to the 总分 row.

一级/二级 printed once for a block (merged cells, or blank below) are filled down; a target
split over 指标性质 | 指标值 | 度量单位 is put together; points printed on a block header
(产出指标 (40分)) become the form's ``blocks``, and are shared among the block's rows when no
row prints a weight or score.  Every value taken is remembered with its cell.
"""

from __future__ import annotations

import re
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

from perfscore.form.fields import FORM
from perfscore.readers.labels import (
    GRID_INDICATOR_COLUMNS,
    clean,
    is_number,
    label_columns,
    labels_of,
    squeeze,
)
from perfscore.text.units import ARITHMETIC
from perfscore.text.values import plain

if TYPE_CHECKING:
    from perfscore.readers.grid import GridForm

__all__ = ["read_indicators"]

_POINTS = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
# The row that closes the table: 总分, or a 合计 printed in its place.
_TOTAL = labels_of(FORM["total"]) | {"合计"}
# A reason cell that gives none.
_NO_REASON = frozenset({"—", "-", "/", "无"})

Columns = dict[str, int]


# 2, 年度目标2, 目标 2：… — the goal's number as the 年度目标 column prints it.
_GOAL_NUMBER = re.compile(r"^\s*(?:(?:年度(?:绩效)?)?目标\s*(\d{1,4})(?!\d)|(\d{1,4})\s*$)")


def read_indicators(grid: list[list[str]], header: int, end: int, form: GridForm) -> None:
    """The indicators of the table whose header is row ``header``, read to the 总分 row (its
    total too) or row ``end``, into ``form.data["indicators"]``."""
    columns, first = _header_columns(grid, header, end)
    indicators: list[dict[str, Any]] = []
    blocks: list[tuple[int, Decimal]] = []  # (first indicator, points) of a block
    level1 = level2 = ""
    for r in range(first, end):
        row = grid[r]
        joined = "".join(row)  # one pass for the tests below (one character each, or blank)
        if ("总" in joined or "合" in joined) and any(
            ("总" in c or "合" in c) and squeeze(c) in _TOTAL for c in row
        ):
            _read_total(row, r, columns, form)
            break
        if not joined.strip():
            continue
        if label_columns(row, GRID_INDICATOR_COLUMNS).keys() >= {"name", "target"}:
            continue  # a repeated header (a page break in the original)
        printed_level1 = _cell(row, columns, "level1")
        new_level1 = _POINTS.sub("", printed_level1).strip()
        if new_level1 and new_level1 != level1:
            points = _POINTS.search(printed_level1)
            if points:
                blocks.append((len(indicators), Decimal(points.group(1))))
                # Every reader states the block's points as the form format does (``blocks``).
                form.data.setdefault("blocks", {})[new_level1] = points.group(1)
                if "level1" in columns:  # block-score and block-weights point at the header
                    form.positions[("blocks", new_level1)] = (r, columns["level1"])
            level1, level2 = new_level1, ""
        level2 = _cell(row, columns, "level2") or level2
        item = _read_row(row, r, columns, (level1, level2), len(indicators), form)
        if item is not None:
            indicators.append(item)
    # Rows that print their scores keep them unweighted: an equal share is a guess their scores
    # may contradict, and the blocks' points (``blocks``) check them instead.
    if blocks and not any("weight" in i or "score" in i for i in indicators):
        _spread_block_points(indicators, blocks, form)
    _number_goals(indicators, form)
    form.data["indicators"] = indicators


def _number_goals(indicators: list[dict[str, Any]], form: GridForm) -> None:
    """The 年度目标 column as goal numbers: ``2`` or ``年度目标2：…`` as printed; a column of
    the goals' texts (a merged cell beside each goal's rows) numbered in the order printed, the
    texts becoming the form's ``goals``."""
    printed = [str(i["goal"]) for i in indicators if "goal" in i]
    numbers = [_GOAL_NUMBER.match(text) for text in printed]
    texts = list(dict.fromkeys(printed))
    for item in indicators:
        if "goal" not in item:
            continue
        match = _GOAL_NUMBER.match(str(item["goal"]))
        if all(numbers) and match:
            item["goal"] = int(match.group(1) or match.group(2))
        else:
            item["goal"] = texts.index(str(item["goal"])) + 1
    if texts and not all(numbers) and not form.data.get("goals"):
        form.data["goals"] = texts


def _header_columns(grid: list[list[str]], header: int, end: int) -> tuple[Columns, int]:
    """The columns of the header row by key, and the first row after the header: a sub-header
    under 年度指标值 (指标性质 | 指标值 | 度量单位) names the target's parts."""
    signature = tuple(grid[header])
    known = _LAYOUTS.get(signature)
    if known is None:
        found = label_columns(signature, GRID_INDICATOR_COLUMNS)
        known = tuple((k, v[0]) for k, v in found.items())
        if len(_LAYOUTS) >= 256:  # bounded: a few layouts recur across a province's forms
            _LAYOUTS.clear()
        _LAYOUTS[signature] = known
    columns = dict(known)
    first = header + 1
    if first < end:
        sub = label_columns(grid[first], GRID_INDICATOR_COLUMNS)
        if "sense" in sub or ("unit" in sub and "target" in sub and "name" not in sub):
            for key in ("sense", "target", "unit"):
                if key in sub:
                    columns[key] = sub[key][0]
            first += 1
    return columns, first


# The columns a header row names, by the header's cells (its signature): the label table of a
# layout is read once for all the forms printed in it.  Values are immutable tuples, so
# threads may share them; the table is bounded.
_LAYOUTS: dict[tuple[str, ...], tuple[tuple[str, int], ...]] = {}


def _cell(row: list[str], columns: Columns, key: str) -> str:
    col = columns.get(key)
    return clean(row[col]) if col is not None and col < len(row) else ""


# The cells of a row whose place is kept, printed or blank.
_PLACED = (
    "number",
    "level1",
    "level2",
    "name",
    "description",
    "target",
    "basis",
    "actual",
    "weight",
    "score",
    "reason",
)


def _read_row(
    row: list[str],
    r: int,
    columns: Columns,
    levels: tuple[str, str],
    index: int,
    form: GridForm,
) -> dict[str, Any] | None:
    """Indicator ``index`` from row ``r``, or None for an empty row.  A row that prints only
    a weight or a score is kept (flagged for its missing name): its points count."""
    level1, level2 = levels
    width = len(row)
    # Each column's cell read once (``_cell`` for every key).
    cells = {key: clean(row[col]) for key, col in columns.items() if col < width}
    name = cells.get("name", "")
    target = cells.get("target", "")
    actual = cells.get("actual", "")
    numbers = {key: is_number(cells.get(key, "")) for key in ("weight", "score")}
    if not name and not target and not actual and not any(numbers.values()):
        return None
    if not name:
        form.notes.append((f"indicators[{index}].name", "三级指标名称为空", "warning"))
        name = level2 or f"第{index + 1}项"
    sense = cells.get("sense", "")
    if sense and target:
        target = sense + target
    unit = cells.get("unit", "")
    if unit and target and not target.endswith(unit):
        target += unit
    item: dict[str, Any] = {"level1": level1 or None, "level2": level2 or None, "name": name}
    for key, value in (("target", target), ("actual", actual)):
        if value:
            item[key] = value
            form.positions[("indicators", index, key)] = (r, columns[key])
    for key in ("weight", "score"):
        value = cells.get(key, "")
        if not value:
            continue
        if numbers[key]:
            item[key] = value.replace(",", "")
            form.positions[("indicators", index, key)] = (r, columns[key])
        else:
            form.notes.append((f"indicators[{index}].{key}", f"不是数字：“{value}”", "warning"))
    reason = cells.get("reason", "")
    if reason and reason not in _NO_REASON:
        item["reason"] = reason
    for key in ("description", "basis", "number"):  # 序号 kept as printed
        if cells.get(key):
            item[key] = cells[key]
    if cells.get("goal"):
        item["goal"] = cells["goal"]  # numbered by _number_goals once every row is read
    # Every cell of the row has its place, a blank one too: a flag about a missing reason or
    # actual points at the cell to fill in.
    for key in _PLACED:
        if key in columns:
            form.positions.setdefault(("indicators", index, key), (r, columns[key]))
    return {k: v for k, v in item.items() if v is not None}


def _spread_block_points(
    indicators: list[dict[str, Any]], blocks: list[tuple[int, Decimal]], form: GridForm
) -> None:
    """Weights printed on the blocks only (产出指标 (40分)): shared equally within the block,
    to the cent, the remainder on the block's last indicator."""
    bounds = [*(b for b, _ in blocks), len(indicators)]
    for (first, points), last in zip(blocks, bounds[1:], strict=False):
        count = last - first
        if count <= 0:
            continue
        with localcontext(ARITHMETIC):  # never the caller's context: weights are exact
            share = (points / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
            rest = points - share * (count - 1)
        for i in range(first, last):
            indicators[i]["weight"] = plain(share)
        indicators[last - 1]["weight"] = plain(rest)
        form.notes.append(
            (
                f"indicators[{first}].weight",
                f"权重按“{points}分”在本级 {count} 项指标间平均分配",
                "info",
            )
        )


def _read_total(row: list[str], r: int, columns: Columns, form: GridForm) -> None:
    col = columns.get("score")
    value = row[col].strip() if col is not None and col < len(row) else ""
    if not is_number(value):
        numbers = [(c, v.strip()) for c, v in enumerate(row) if is_number(v)]
        if not numbers:
            return
        col, value = numbers[-1]
    form.data["total"] = value.replace(",", "")
    if col is not None:
        form.positions[("total",)] = (r, col)
