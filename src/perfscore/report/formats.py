"""Text reports of results: terminal table, Markdown, CSV and JSON.  The explanation of one
form is :mod:`perfscore.report.explain`, the department roll-up :mod:`perfscore.report.rollup`, HTML
:mod:`perfscore.report.html`.

Writers take a stream and one result at a time, so a batch of any size is written as it is
scored.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from perfscore.engine.pipeline import EvaluationResult, IndicatorResult
from perfscore.report.review import review
from perfscore.words.flags import Flag
from perfscore.words.messages import num, percent, say, status

if TYPE_CHECKING:
    pass

__all__ = [
    "CSV_BOM",
    "CsvWriter",
    "JsonWriter",
    "display_width",
    "heading",
    "markdown_cell",
    "result_data",
    "shown_columns",
    "to_json",
    "to_markdown",
    "to_table",
]

_t = say
_num = num
_percent = percent
_status = status

#: Column headers of an indicator row, in the order :func:`indicator_cells` gives them.
INDICATOR_HEADER = {
    "zh": [
        "#",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "判断",
        "权重",
        "得分",
        "填报",
    ],
    "en": [
        "#",
        "Level 1",
        "Level 2",
        "Indicator",
        "Target",
        "Actual",
        "Status",
        "Weight",
        "Score",
        "Printed",
    ],
}
_NUMERIC = {0, 7, 8, 9}


def indicator_cells(r: IndicatorResult, lang: str, mark: str = "") -> list[str]:
    """One indicator as text cells: number, groups, name, target, actual, status, numbers
    (all ten columns of :data:`INDICATOR_HEADER`; :func:`shown_columns` says which to print)."""
    ind = r.indicator
    return [
        f"{r.index}{mark}",
        ind.printed("level1"),
        ind.printed("level2"),
        ind.printed("name"),
        ind.printed("target"),
        ind.printed("actual"),
        _status(r.status, lang),
        _num(r.weight),
        _num(r.score),
        _num(r.reported_score),
    ]


def shown_columns(result: EvaluationResult) -> list[int]:
    """The columns of :data:`INDICATOR_HEADER` worth printing for ``result``.

    A target table (绩效目标表) is not completed, judged or scored: its rows show what was
    targeted, not a status nobody judged.  Weight, score and printed-score columns appear only
    where some row has one (an unscored form has none).
    """
    rows = result.indicators
    columns = [0, 1, 2, 3, 4]
    if result.form.kind != "targets":
        columns += [5, 6]
    columns += [
        i
        for i, value in ((7, "weight"), (8, "score"), (9, "reported_score"))
        if any(getattr(r, value) is not None for r in rows)
    ]
    return columns


def scored(result: EvaluationResult) -> bool:
    """Whether the form carries scores at all: a weight or score on a row or the budget row, or
    a total.  An unscored form's execution rate is shown without a score it never had."""
    budget = result.form.budget
    return (
        any(r.weight is not None or r.reported_score is not None for r in result.indicators)
        or (budget is not None and (budget.weight is not None or budget.score is not None))
        or result.reported_total is not None
    )


def execution_line(result: EvaluationResult, lang: str) -> str | None:
    """``预算执行率 96.86%  得分 9.69 / 10  (填报 -)``; the rate alone on an unscored form; what
    is missing where no rate can be worked out; ``None`` without a budget row."""
    ex = result.execution
    if ex is None or result.form.kind == "targets":
        return None
    line = _t(lang, "预算执行率", "execution rate") + " "
    if ex.rate is None:
        missing = (
            _t(lang, "未填写全年预算数", "no budget")
            if ex.budget is None
            else _t(lang, "全年预算数为 0", "the budget is 0")
            if ex.budget <= 0
            else _t(lang, "未填写全年执行数", "no executed amount")
        )
        line += f"-  ({missing})"
    else:
        line += _percent(ex.rate)
    if ex.score is not None and scored(result):
        line += (
            "  "
            + _t(lang, "得分", "score")
            + f" {_num(ex.score)} / {_num(ex.weight)}  ("
            + _t(lang, "填报", "printed")
            + f" {_num(ex.reported_score) or '-'})"
        )
    elif ex.reported_score is not None:
        line += "  " + _t(lang, "填报得分", "printed score") + f" {_num(ex.reported_score)}"
    return line


def total_line(result: EvaluationResult, lang: str) -> str | None:
    """``总分 93.69  (填报 93.69)  等级 优``, or ``None`` where there is no total to speak of
    (a target table, an unscored form)."""
    if result.total is None and result.reported_total is None:
        return None
    total = _t(lang, "总分", "total") + f" {_num(result.total) or '-'}  ("
    total += _t(lang, "填报", "printed") + f" {_num(result.reported_total) or '-'})"
    if result.grade:
        total += "  " + _t(lang, "等级", "grade") + f" {result.grade}"
    return total + verified_words(result, lang)


def verified_words(result: EvaluationResult, lang: str) -> str:
    """``  已核实 20% (按填报计入的行: #1, #2)`` where the total took printed scores on trust
    (rows numbered as the table numbers them); empty where every point was recomputed."""
    if result.verified is None or not result.trusted:
        return ""
    rows = ", ".join(f"#{i}" for i in result.trusted)
    return (
        "  "
        + _t(lang, "已核实", "verified")
        + f" {percent(result.verified)} ("
        + _t(lang, "按填报计入的行", "rows taken as printed")
        + f": {rows})"
    )


# --------------------------------------------------------------------------------------------
# Terminal table


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        if used + display_width(ch) > width - 1:
            break
        out += ch
        used += display_width(ch)
    return out + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    text = _cut(text, width)
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """Columns lined up for a terminal, counting CJK characters as two cells wide."""
    widths = [
        min(max(display_width(r[i]) for r in [header, *rows]), 28) for i in range(len(header))
    ]
    lines = ["  ".join(_pad(h, widths[i], i in numeric) for i, h in enumerate(header))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(c, widths[i], i in numeric) for i, c in enumerate(row)))
    return "\n".join(line.rstrip() for line in lines)


def heading(result: EvaluationResult, lang: str = "zh") -> str:
    form = result.form
    unnamed = _t(lang, "(未命名项目)", "(unnamed project)")
    parts = [form.printed("project") or unnamed, str(form.year or ""), form.printed("unit")]
    return "  ".join(p for p in parts if p)


def _flag_lines(flags: Sequence[Flag]) -> list[str]:
    return [f"{f.severity:<7}  {f.code:<26}  {f.path:<22}  {f.message}" for f in flags]


def to_table(result: EvaluationResult, lang: str = "zh") -> str:
    """A plain-text report of one result: heading, execution, indicators, total, flags."""
    out = [heading(result, lang)]
    if result.source:
        out.append(result.source)
    if result.form.kind == "targets" and result.form.budget is not None:
        out.append(_t(lang, "预算数", "budget") + f" {_num(result.form.budget.adjusted)}")
        plan = "  ".join(f"{p.when} {p.share}" for p in result.form.spending_plan)
        if plan:
            out.append(_t(lang, "资金支出计划", "spending plan") + f"  {plan}")
    execution = execution_line(result, lang)
    if execution is not None:
        out.append(execution)
    flagged = {
        f.location[1]
        for f in result.flags
        if len(f.location) > 1 and f.location[0] == "indicators" and f.severity != "info"
    }
    columns = shown_columns(result)
    header = INDICATOR_HEADER["en" if lang == "en" else "zh"]
    rows = [indicator_cells(r, lang, "*" if r.index in flagged else "") for r in result.indicators]
    out += [
        "",
        table(
            [header[i] for i in columns],
            [[row[i] for i in columns] for row in rows],
            {n for n, i in enumerate(columns) if i in _NUMERIC},
        ),
    ]
    total = total_line(result, lang)
    if total is not None:
        out += ["", total]
    if result.flags:
        out += ["", *_flag_lines(result.flags)]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Markdown


def markdown_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(result: EvaluationResult, lang: str = "zh") -> str:
    """One result as a Markdown section: a table of indicators, then the flags."""
    out = [f"## {markdown_cell(heading(result, lang))}", ""]
    if result.source:
        out += [f"`{result.source}`", ""]
    if result.form.kind == "targets" and result.form.budget is not None:
        out.append(f"- {_t(lang, '预算数', 'Budget')}: {_num(result.form.budget.adjusted)}")
        plan = ", ".join(f"{p.when} {p.share}" for p in result.form.spending_plan)
        if plan:
            out.append(f"- {_t(lang, '资金支出计划', 'Spending plan')}: {plan}")
    for line in (execution_line(result, lang), total_line(result, lang)):
        if line is not None:
            out.append(f"- {markdown_cell(line)}")
    out.append("")
    columns = shown_columns(result)
    header = INDICATOR_HEADER["en" if lang == "en" else "zh"]
    out.append("| " + " | ".join(header[i] for i in columns) + " |")
    out.append("|" + "|".join("---:" if i in _NUMERIC else "---" for i in columns) + "|")
    for r in result.indicators:
        cells = indicator_cells(r, lang)
        out.append("| " + " | ".join(markdown_cell(cells[i]) for i in columns) + " |")
    if result.flags:
        out += [
            "",
            f"| {_t(lang, '级别', 'Severity')} | {_t(lang, '代码', 'Code')} | "
            f"{_t(lang, '位置', 'Path')} | {_t(lang, '说明', 'Message')} |",
            "|---|---|---|---|",
        ]
        out += [
            f"| {f.severity} | `{f.code}` | `{f.path}` | {markdown_cell(f.message)} |"
            for f in result.flags
        ]
    return "\n".join(out) + "\n\n"


# --------------------------------------------------------------------------------------------
# CSV and JSON, streamed

CSV_COLUMNS = [
    "source",
    "project",
    "year",
    "index",
    "level1",
    "level2",
    "name",
    "target",
    "actual",
    "status",
    "achievement",
    "weight",
    "score",
    "reported_score",
    "flags",
    "status_code",
    "path",
    "severity",
    "message",
    "verified_share",
]

#: A byte-order mark: spreadsheet programs then read the file as UTF-8, not the local code page.
CSV_BOM = "\ufeff"

# First characters that make a spreadsheet run a cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> str:
    """A text cell for CSV: text a spreadsheet would run as a formula is quoted with ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class CsvWriter:
    """One CSV row per indicator, then one per form-level flag (``sum-mismatch``,
    ``total-mismatch``, ``low-execution`` …), written as results arrive.

    ``status`` is in the report's language, ``status_code`` the stable code; the header row
    starts with a byte-order mark.  Text cells never start a formula (see :func:`csv_text`).
    """

    def __init__(self, stream: TextIO, header: bool = True, lang: str = "zh") -> None:
        self._writer = csv.writer(stream, lineterminator="\n")
        self._lang = lang
        if header:
            stream.write(CSV_BOM)
            self._writer.writerow(CSV_COLUMNS)

    def write(self, result: EvaluationResult) -> None:
        """Write the rows of one result."""
        codes: dict[int, list[str]] = {}
        form_flags: list[Flag] = []
        for f in result.flags:
            if (
                len(f.location) > 1
                and f.location[0] == "indicators"
                and isinstance(f.location[1], int)
            ):
                codes.setdefault(int(f.location[1]), []).append(f.code)
            else:
                form_flags.append(f)
        lead = [csv_text(result.source), csv_text(result.form.project), result.form.year or ""]
        # The share of the form's total that was recomputed, on each of its rows.
        verified = _num(result.verified)
        for r in result.indicators:
            self._writer.writerow(
                [
                    *lead,
                    r.index,
                    csv_text(r.indicator.printed("level1")),
                    csv_text(r.indicator.printed("level2")),
                    csv_text(r.indicator.printed("name")),
                    csv_text(r.indicator.printed("target")),
                    csv_text(r.indicator.printed("actual")),
                    _status(r.status, self._lang),
                    _num(r.achievement),
                    _num(r.weight),
                    _num(r.score),
                    _num(r.reported_score),
                    " ".join(codes.get(r.index, [])),
                    r.status,
                    f"indicators[{r.index}]",
                    "",
                    "",
                    verified,
                ]
            )
        for f in form_flags:
            self._writer.writerow(
                [*lead, *[""] * 11, f.code, "", f.path, f.severity, csv_text(f.message), verified]
            )


def result_data(result: EvaluationResult) -> dict[str, Any]:
    """A result as JSON output holds it: :meth:`EvaluationResult.to_dict` and its ``review``
    (:func:`perfscore.review`)."""
    return {**result.to_dict(), "review": review(result).to_dict()}


class JsonWriter:
    """A JSON array of results, written element by element."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._first = True
        stream.write("[")

    def write(self, result: EvaluationResult | dict[str, Any]) -> None:
        """Write one element."""
        import json

        data = result if isinstance(result, dict) else result_data(result)
        self._stream.write("\n" if self._first else ",\n")
        self._stream.write(json.dumps(data, ensure_ascii=False, indent=2))
        self._first = False

    def close(self) -> None:
        """End the array."""
        self._stream.write("\n]\n" if not self._first else "]\n")


def to_json(results: Sequence[EvaluationResult]) -> str:
    """The results as a JSON array (Decimals as strings)."""
    import json

    return json.dumps([result_data(r) for r in results], ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------------------------
# Rendering where a result is made (see batch.evaluate_many's ``transform``)


def rendered(
    result: EvaluationResult, fmt: str, lang: str, worst: tuple[str, ...]
) -> tuple[str, bool, str | None]:
    """One result as report text in ``fmt`` (table, markdown, csv rows, a JSON element, or a
    JSON line without its newline), whether it raised a flag of a severity in ``worst``, and
    its source."""
    if fmt == "json":
        import json

        text = json.dumps(result_data(result), ensure_ascii=False, indent=2)
    elif fmt == "jsonl":
        import json

        text = json.dumps(result_data(result), ensure_ascii=False, separators=(",", ":"))
    elif fmt == "csv":
        buffer = io.StringIO()
        CsvWriter(buffer, header=False, lang=lang).write(result)
        text = buffer.getvalue()
    elif fmt == "markdown":
        text = to_markdown(result, lang)
    else:
        text = to_table(result, lang)
    return text, any(f.severity in worst for f in result.flags), result.source


def failure_line(source: str, error: Exception) -> str:
    """The JSON line (newline included) of an input that could not be scored: its source and
    the error, with the file, path and line where the error names them."""
    import json

    where = {k: getattr(error, k, None) for k in ("path", "line", "column", "expected")}
    text = getattr(error, "message", str(error))
    data = {"source": source, "error": {"message": text, **where}}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
