"""An annotated copy of a workbook: what perfscore found, written where the auditor looks.

Beside each printed score goes the recomputed one (a new column headed 重算得分 at the right of
the indicator table); every flagged cell is filled — red for errors, yellow for warnings — and
carries the flag messages as a cell comment; a ``perfscore`` sheet summarises every form and
lists every flag.  Scores and totals are numeric cells (exact decimals), never text.

A flag is pinned on its own cell: the value it is about; a blank one (a missing score, a missing
reason) under its column's header in the flagged row; where the form has no such column, the
row's name (for the budget, the row's label).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from perfscore.engine.pipeline import EvaluationResult, evaluate
from perfscore.errors import FormError
from perfscore.files import atomic_path, refuse_overwrite
from perfscore.readers import form_from_grid
from perfscore.readers.labels import BUDGET_COLUMNS, INDICATOR_COLUMNS, Columns, column_key
from perfscore.readers.xlsx import forms_from_workbook
from perfscore.report.wording import flag_subject, flag_title, severity_word
from perfscore.ruleset.loading import rule_files
from perfscore.ruleset.rules import RuleSet, load_rules
from perfscore.waivers import WaiverInput, flag_message, load_waivers
from perfscore.words.flags import Flag

__all__ = ["FILLS", "annotate_workbook"]

#: Fill colours by severity (ARGB).
FILLS = {
    "error": PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE"),
    "warning": PatternFill("solid", start_color="FFFFEB9C", end_color="FFFFEB9C"),
    # A cell whose every flag a waiver accepted.
    "accepted": PatternFill("solid", start_color="FFDAFBE1", end_color="FFDAFBE1"),
}
_AUTHOR = "perfscore"
_LAST_COLUMN = 16_384  # XFD: a worksheet has no column beyond


def _top_left(sheet: Worksheet, row: int, col: int) -> tuple[int, int]:
    """The writable cell of a merged range (its top-left), or the cell itself."""
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= col <= merged.max_col:
            return merged.min_row, merged.min_col
    return row, col


Positions = dict[tuple[str | int, ...], tuple[int, int]]


def _cell_of(flag: Flag, positions: Positions, sheet: Worksheet) -> tuple[int, int] | None:
    """Where a flag belongs (0-based row and column): its own cell; a blank one under its
    column's header; else its row's name (the budget row's label), else the total."""
    loc = flag.location
    if loc in positions:
        return positions[loc]
    blank = _blank_cell(sheet, loc, positions)
    if blank is not None:
        return blank
    if loc[:1] == ("budget",):
        return _budget_label(sheet, positions)
    for key in ((*loc[:2], "name"), (*loc[:2], "score"), (*loc[:2], "target")):
        if loc[:1] == ("indicators",) and len(loc) >= 2 and key in positions:
            return positions[key]
    if loc[:1] == ("indicators",):
        return positions.get(("total",)) or next(
            (p for k, p in positions.items() if k[:1] == ("indicators",)), None
        )
    return positions.get(("total",))


def _blank_cell(
    sheet: Worksheet, loc: tuple[str | int, ...], positions: Positions
) -> tuple[int, int] | None:
    """The cell of a field left blank (``budget.score``, ``indicators[3].reason``): in the
    flagged row, under the header naming the field (the field table's labels), shifted as the
    row's other values are from their headers."""
    if loc[:1] == ("budget",) and len(loc) == 2:
        table, labels, field = "budget", BUDGET_COLUMNS, str(loc[1])
        row = next((p[0] for k, p in positions.items() if k[:1] == ("budget",)), None)
        known = {str(k[1]): p for k, p in positions.items() if k[:1] == ("budget",)}
    elif loc[:1] == ("indicators",) and len(loc) == 3:
        table, labels, field = "indicators", INDICATOR_COLUMNS, str(loc[2])
        own = {str(k[2]): p for k, p in positions.items() if k[:2] == loc[:2] and len(k) == 3}
        row = next(iter(own.values()), (None, 0))[0]
        known = own
    else:
        return None
    if row is None:
        return None
    first = min(p[0] for k, p in positions.items() if k[:1] == (table,))
    headers = _headers(sheet, first, labels)
    if field not in headers:
        return None
    # The values may sit a column off their headers (a merged label cell): as a known one does.
    shift = next((p[1] - headers[k] for k, p in known.items() if k in headers), 0)
    return row, headers[field] + shift


def _headers(sheet: Worksheet, first: int, labels: Columns) -> dict[str, int]:
    """The field of each header cell (0-based column) in the three rows above 0-based row
    ``first``, the nearest row first."""
    found: dict[str, int] = {}
    for row in range(first, max(first - 3, 0), -1):  # 1-based: the rows above ``first``
        for cell in sheet[row]:
            if isinstance(cell.value, str):
                key = column_key(cell.value, labels)
                if key is not None and key not in found:
                    found[key] = cell.column - 1
    return found


def _budget_label(sheet: Worksheet, positions: Positions) -> tuple[int, int] | None:
    """The budget row's label (年度资金总额): its first text cell left of the values."""
    places = [p for k, p in positions.items() if k[:1] == ("budget",)]
    if not places:
        return None
    row, first = places[0][0], min(p[1] for p in places)
    for col in range(first):
        if isinstance(sheet.cell(row + 1, col + 1).value, str):
            return row, col
    return row, first


def annotate_workbook(
    source: str | Path,
    target: str | Path,
    rules: str | Path | RuleSet = "national-2020",
    lang: Literal["zh", "en"] = "zh",
    waivers: WaiverInput | None = None,
) -> list[EvaluationResult]:
    """Score every form of the workbook ``source`` and write the annotated copy to ``target``
    (never ``source`` itself; written under a temporary name and renamed when complete).

    :raises FormError: ``source`` is not a readable workbook or holds no form.
    :raises PerfscoreError: ``target`` is ``source``, or cannot be written.
    """
    src = Path(source)
    ruleset = load_rules(rules)
    accepted = None if waivers is None else load_waivers(waivers)
    read = [src, *rule_files(ruleset), *([waivers] if isinstance(waivers, (str, Path)) else [])]
    refuse_overwrite(target, read, what="the annotated copy")
    found = forms_from_workbook(src)  # read in a bounded worker first: a bomb stops here
    if not found:
        raise FormError("no self-evaluation form found", source=str(src))
    workbook = _open(src)
    results: list[EvaluationResult] = []
    for number, sheet_form in enumerate(found, start=1):
        form = form_from_grid(sheet_form.form, str(src), f" [{sheet_form.sheet}]")
        result = replace(
            evaluate(form, ruleset, lang=lang, waivers=accepted),
            source=f"{src} [{sheet_form.sheet}] #{number}",
        )
        results.append(result)
        sheet = workbook[sheet_form.sheet]
        positions = sheet_form.form.positions
        _write_scores(sheet, result, positions)
        _mark_flags(sheet, result, positions, lang)
    _summary(workbook.create_sheet(_AUTHOR), results, lang)
    with atomic_path(target) as temporary:
        workbook.save(temporary)
    return results


def _open(src: Path) -> Any:
    """The workbook as openpyxl edits it (formulas and styles kept as they are).

    :raises FormError: openpyxl cannot open what the reader could read (a DOCTYPE in a sheet,
        damaged document properties, a part missing from the content types).
    """
    try:
        return load_workbook(src)
    except Exception as exc:  # openpyxl, lxml and zipfile each raise their own kinds
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise FormError(
            f"the workbook can be scored but not annotated ({type(exc).__name__}: {reason})",
            source=str(src),
            expected="a workbook as Excel saves it",
        ) from None


def _write_scores(sheet: Worksheet, result: EvaluationResult, positions: Positions) -> None:
    """The recomputed scores in a new column right of the table, headed 重算得分."""
    rows = [p[0] for k, p in positions.items() if k[:1] == ("indicators",)]
    if not rows:
        return
    column = sheet.max_column + 1
    if column > _LAST_COLUMN:
        raise FormError(
            f"sheet {sheet.title!r} uses every column up to XFD: no room for the recomputed scores",
            expected="a sheet with a free column right of its last",
        )
    # Positions are 0-based: the header sits one row above the first indicator, which in
    # 1-based worksheet rows is the first indicator's 0-based number.
    header = sheet.cell(min(rows), column)
    header.value = "重算得分"
    header.font = Font(bold=True)
    for row in result.indicators:
        key = ("indicators", row.index)
        place = positions.get((*key, "score")) or positions.get((*key, "name"))
        if place is None or row.score is None:
            continue
        _number(sheet.cell(place[0] + 1, column), row.score)
    if result.total is not None and ("total",) in positions:
        _number(sheet.cell(positions[("total",)][0] + 1, column), result.total)


def _number(cell: Any, value: Decimal | None) -> None:
    """A score as a numeric cell, exact (a Decimal, not a float), shown to two places."""
    cell.value = value
    if value is not None:
        cell.number_format = "0.00"


def _mark_flags(
    sheet: Worksheet, result: EvaluationResult, positions: Positions, lang: str
) -> None:
    by_cell: dict[tuple[int, int], list[Flag]] = {}
    for flag in result.flags:
        if flag.severity == "info":
            continue
        place = _cell_of(flag, positions, sheet)
        if place is None:
            continue
        by_cell.setdefault(_top_left(sheet, place[0] + 1, place[1] + 1), []).append(flag)
    for (row, col), cell_flags in by_cell.items():
        cell = sheet.cell(row, col)
        live = [f for f in cell_flags if f.waiver is None]
        worst = "error" if any(f.severity == "error" for f in live) else "warning"
        cell.fill = FILLS[worst if live else "accepted"]
        text = "\n".join(_comment_line(f, result, lang) for f in cell_flags)
        cell.comment = Comment(text, _AUTHOR, width=360, height=40 + 40 * len(cell_flags))


def _comment_line(flag: Flag, result: EvaluationResult, lang: str) -> str:
    """``警告 未填写偏差原因 (missing-reason) 第2项「…」偏差原因分析及改进措施: …``: the words the
    other reports use, the code kept for a search."""
    return (
        f"{severity_word(flag.severity, lang)} {flag_title(flag, lang)} ({flag.code}) "
        f"{flag_subject(flag, result, lang)}: {flag_message(flag, flag.lang)}"
    )


def _summary(sheet: Worksheet, results: Sequence[EvaluationResult], lang: str) -> None:
    """The summary sheet: a row per form (totals as numbers, flags counted as the reports count
    them), then a row per flag with the cell it is pinned on and the review's request."""
    from perfscore.report.review import review

    en = lang == "en"
    heads = (
        ("form", "表"),
        ("project", "项目"),
        ("printed total", "填报总分"),
        ("recomputed total", "重算总分"),
        ("errors", "错误"),
        ("warnings", "警告"),
        ("notes", "提示"),
        ("accepted", "已接受"),
    )
    sheet.append([e if en else z for e, z in heads])
    for result in results:
        counts = review(result, lang)
        found = [counts.count(s) for s in ("error", "warning", "info")]
        sheet.append([result.source or "", result.form.project or "", None, None, *found])
        sheet.cell(sheet.max_row, 8, counts.accepted)
        # 填报总分 and 重算总分 as numbers an auditor can sum and compare, not text.
        _number(sheet.cell(sheet.max_row, 3), result.reported_total)
        _number(sheet.cell(sheet.max_row, 4), result.total)
    sheet.append([])
    sheet.append(
        ["form", "severity", "code", "problem", "about", "place", "message", "asked", "path"]
        if en
        else ["表", "级别", "代码", "问题", "指标/字段", "位置", "说明", "审核意见", "字段路径"]
    )
    for result in results:
        asks = {o.code: o.opinion.ask_in(lang) for o in review(result, lang).opinions}
        for flag in result.flags:
            sheet.append(
                [
                    result.source or "",
                    severity_word(flag.severity, lang),
                    flag.code,
                    flag_title(flag, lang),
                    flag_subject(flag, result, lang),
                    flag.source.text(lang) if flag.source is not None else "",
                    flag_message(flag, flag.lang),
                    asks.get(flag.code, ""),
                    flag.path,
                ]
            )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
