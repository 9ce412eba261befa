"""The CSV report: one row per indicator, one for the budget's execution, one for the total,
one per flag that is not about an indicator row, and a closing summary row — written as
results arrive.

Headers are in the report's language (the form's labels, from the field table, under
``zh``; stable English names under ``en``).  An indicator row lists its flags' codes and,
in ``message``, each flag in words with its place (``警告 缺少偏差原因（Sheet1!J14）：…``).
Text cells never start a formula (see :func:`csv_text`); the header row starts with a
byte-order mark, so spreadsheet programs read the file as UTF-8.
"""

from __future__ import annotations

import csv
from typing import TextIO

from perfscore.engine.results import EvaluationResult, IndicatorResult
from perfscore.form.fields import BUDGET, FORM, INDICATOR
from perfscore.report.wording import Tally, flag_title, flag_where, row_number
from perfscore.waivers import flag_message
from perfscore.words.catalogue import severity_word
from perfscore.words.flags import Flag
from perfscore.words.messages import grade_word, num, percent, say, status

__all__ = ["CSV_BOM", "CSV_COLUMNS", "CsvWriter", "csv_header", "csv_text", "summary_rows"]

#: The columns: each one's stable name (the English header) and its Chinese header, taken from
#: the field table where the column is a field of the form.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("source", "来源文件"),
    ("project", FORM["project"].label),
    ("year", FORM["year"].label),
    ("row_type", "行类型"),
    ("number", "序号"),
    ("level1", INDICATOR["level1"].label),
    ("level2", INDICATOR["level2"].label),
    ("name", INDICATOR["name"].label),
    ("target", INDICATOR["target"].label),
    ("actual", INDICATOR["actual"].label),
    ("status", "判断"),
    ("achievement", "完成程度"),
    ("weight", INDICATOR["weight"].label),
    ("score", "重算得分"),
    ("reported_score", "填报得分"),
    ("money_unit", FORM["money_unit"].label),
    ("budget", BUDGET["adjusted"].label),
    ("executed", BUDGET["executed"].label),
    ("rate", BUDGET["rate"].label),
    ("flags", "问题代码"),
    ("severity", "级别"),
    ("message", "问题说明"),
    ("place", "位置"),
    ("path", "字段路径"),
    ("status_code", "判断代码"),
    ("verified_share", "已核实占比"),
)

#: A byte-order mark: spreadsheet programs then read the file as UTF-8, not the local code page.
CSV_BOM = "\ufeff"

# First characters that make a spreadsheet run a cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_ROW_TYPES = {
    "indicator": ("指标", "indicator"),
    "execution": ("预算执行", "execution"),
    "total": ("总分", "total"),
    "flag": ("问题", "flag"),
    "summary": ("合计", "summary"),
}


def csv_text(value: object) -> str:
    """A text cell for CSV: text a spreadsheet would run as a formula is quoted with ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_header(lang: str) -> list[str]:
    """The header row in ``lang``."""
    return [name if lang == "en" else zh for name, zh in CSV_COLUMNS]


def _flag_words(flag: Flag, result: EvaluationResult, lang: str) -> str:
    """One flag in words: ``警告 缺少偏差原因 第3项「X」偏差原因分析及改进措施（Sheet1!J14）：
    …``."""
    where = flag_where(flag, result, lang) + say(lang, "：", ": ")
    return f"{severity_word(flag.severity, lang)} {flag_title(flag, lang)} {where}" + (
        flag_message(flag, lang)
    )


def _severity(flags: list[Flag], lang: str) -> str:
    """The severity column: the worst of the flags no waiver accepted, else 已接受 where every
    flag was accepted (an accepted error is not an error to act on), else blank."""
    open_ = [f for f in flags if f.waiver is None]
    worst = next(
        (s for s in ("error", "warning", "info") if any(f.severity == s for f in open_)), ""
    )
    if worst:
        return severity_word(worst, lang)
    return say(lang, "已接受", "accepted") if flags else ""


class CsvWriter:
    """The CSV report, written result by result (see the module's description)."""

    def __init__(self, stream: TextIO, header: bool = True, lang: str = "zh") -> None:
        self._writer = csv.writer(stream, lineterminator="\n")
        self._lang = lang
        if header:
            stream.write(CSV_BOM)
            self._writer.writerow(csv_header(lang))

    def _row(self, result: EvaluationResult | None, kind: str, **cells: object) -> None:
        lead: dict[str, object] = {"row_type": say(self._lang, *_ROW_TYPES[kind])}
        if result is not None:
            lead.update(
                source=csv_text(result.source),
                project=csv_text(result.form.project),
                year=result.form.year or "",
                money_unit=result.form.money_unit,
                verified_share=num(result.verified),
            )
        lead.update(cells)
        self._writer.writerow([lead.get(name, "") for name, _ in CSV_COLUMNS])

    def write(self, result: EvaluationResult) -> None:
        """Write the rows of one result."""
        on_rows: dict[int, list[Flag]] = {}
        others: list[Flag] = []
        for f in result.flags:
            loc = f.location
            if len(loc) > 1 and loc[0] == "indicators" and isinstance(loc[1], int):
                on_rows.setdefault(loc[1], []).append(f)
            else:
                others.append(f)
        for r in result.indicators:
            self._indicator(result, r, on_rows.get(r.index, []))
        self._totals(result)
        for f in others:
            self._row(
                result,
                "flag",
                flags=f.code,
                severity=_severity([f], self._lang),
                message=csv_text(_flag_words(f, result, self._lang)),
                place=csv_text(f.source.text(self._lang) if f.source else ""),
                path=f.path,
            )

    def _indicator(self, result: EvaluationResult, r: IndicatorResult, flags: list[Flag]) -> None:
        ind, lang = r.indicator, self._lang
        place = next((f.source for f in flags if f.source is not None), None)
        self._row(
            result,
            "indicator",
            number=row_number(r),
            level1=csv_text(ind.printed("level1")),
            level2=csv_text(ind.printed("level2")),
            name=csv_text(ind.printed("name")),
            target=csv_text(ind.printed("target")),
            actual=csv_text(ind.printed("actual")),
            status=status(r.status, lang),
            achievement=num(r.achievement),
            weight=num(r.weight),
            score=num(r.score),
            reported_score=num(r.reported_score),
            flags=" ".join(f.code for f in flags),
            severity=_severity(flags, lang),
            message=csv_text("；".join(_flag_words(f, result, lang) for f in flags)),
            place=csv_text(place.text(lang) if place is not None else ""),
            path=f"indicators[{r.index}]",
            status_code=r.status,
        )

    def _totals(self, result: EvaluationResult) -> None:
        """The budget's execution row (amounts, rate, scores) and the total row."""
        ex = result.execution
        if ex is not None and result.form.kind != "targets":
            self._row(
                result,
                "execution",
                name=say(self._lang, "预算执行率", "execution rate"),
                weight=num(ex.weight) if ex.score is not None else "",
                score=num(ex.score),
                reported_score=num(ex.reported_score),
                budget=num(ex.budget),
                executed=num(ex.executed),
                rate=percent(ex.rate),
                path="budget",
            )
        if result.total is not None or result.reported_total is not None:
            self._row(
                result,
                "total",
                name=say(self._lang, "总分", "total"),
                score=num(result.total),
                reported_score=num(result.reported_total),
                status=grade_word(result.grade, self._lang),
                path="total",
            )

    def summary(self, tally: Tally, unread: int = 0) -> None:
        """The closing row: forms, errors, warnings, notes and the verified share of points."""
        self._row(
            None,
            "summary",
            message=tally.text(self._lang, unread),
            verified_share=num(tally.verified),
        )


def summary_rows(tally: Tally, lang: str, unread: int = 0) -> str:
    """The closing summary row as CSV text (for a writer that has written its rows already)."""
    import io

    buffer = io.StringIO()
    CsvWriter(buffer, header=False, lang=lang).summary(tally, unread)
    return buffer.getvalue()
