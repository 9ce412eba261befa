"""An annotated copy of a workbook: what perfscore found, written where the auditor looks.

Beside each printed score goes the recomputed one (a new column headed 重算得分 at the right of
the indicator table); every flagged cell is filled — red for errors, yellow for warnings — and
carries the flag messages as a cell comment; a ``perfscore`` sheet summarises every form and
lists every flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
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
from perfscore.readers.xlsx import forms_from_workbook
from perfscore.ruleset.loading import rule_files
from perfscore.ruleset.rules import RuleSet, load_rules
from perfscore.waivers import WaiverInput, flag_message, load_waivers
from perfscore.words.flags import Flag
from perfscore.words.messages import num

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


def _cell_of(
    flag: Flag, positions: dict[tuple[str | int, ...], tuple[int, int]]
) -> tuple[int, int] | None:
    """Where a flag belongs: its own cell, else its indicator's name, else the total."""
    loc = flag.location
    for key in (loc, (*loc[:2], "score"), (*loc[:2], "name"), (*loc[:2], "target")):
        if key in positions:
            return positions[key]
    if loc[:1] == ("budget",):
        return next((p for k, p in positions.items() if k[:1] == ("budget",)), None)
    if loc[:1] == ("indicators",):
        return positions.get(("total",)) or next(
            (p for k, p in positions.items() if k[:1] == ("indicators",)), None
        )
    return positions.get(("total",))


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
        _mark_flags(sheet, result.flags, positions)
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


def _write_scores(
    sheet: Worksheet,
    result: EvaluationResult,
    positions: dict[tuple[str | int, ...], tuple[int, int]],
) -> None:
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
        cell = sheet.cell(place[0] + 1, column)
        cell.value = float(row.score)
        cell.number_format = "0.00"
    if result.total is not None and ("total",) in positions:
        cell = sheet.cell(positions[("total",)][0] + 1, column)
        cell.value = float(result.total)
        cell.number_format = "0.00"


def _mark_flags(
    sheet: Worksheet, flags: Sequence[Flag], positions: dict[tuple[str | int, ...], tuple[int, int]]
) -> None:
    by_cell: dict[tuple[int, int], list[Flag]] = {}
    for flag in flags:
        if flag.severity == "info":
            continue
        place = _cell_of(flag, positions)
        if place is None:
            continue
        by_cell.setdefault(_top_left(sheet, place[0] + 1, place[1] + 1), []).append(flag)
    for (row, col), cell_flags in by_cell.items():
        cell = sheet.cell(row, col)
        live = [f for f in cell_flags if f.waiver is None]
        worst = "error" if any(f.severity == "error" for f in live) else "warning"
        cell.fill = FILLS[worst if live else "accepted"]
        text = "\n".join(
            f"[{f.severity}] {f.code} ({f.path}): {flag_message(f, f.lang)}" for f in cell_flags
        )
        cell.comment = Comment(text, _AUTHOR, width=360, height=40 + 40 * len(cell_flags))


def _summary(sheet: Worksheet, results: Sequence[EvaluationResult], lang: str) -> None:
    en = lang == "en"
    sheet.append(
        ["form", "project", "printed total", "recomputed total", "errors", "warnings"]
        if en
        else ["表", "项目", "填报总分", "重算总分", "错误", "警告"]
    )
    for result in results:
        sheet.append(
            [
                result.source or "",
                result.form.project or "",
                num(result.reported_total),
                num(result.total),
                len(result.errors),
                len(result.warnings),
            ]
        )
    sheet.append([])
    sheet.append(
        ["form", "severity", "code", "path", "message"]
        if en
        else ["表", "级别", "代码", "位置", "说明"]
    )
    for result in results:
        for flag in result.flags:
            sheet.append(
                [
                    result.source or "",
                    str(flag.severity),
                    flag.code,
                    flag.path,
                    flag_message(flag, flag.lang),
                ]
            )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
