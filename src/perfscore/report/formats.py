"""Text reports of results: terminal table, Markdown, CSV (:mod:`perfscore.report.csvout`) and
JSON.  The explanation of one form is :mod:`perfscore.report.explain`, the department roll-up
:mod:`perfscore.report.rollup`, HTML :mod:`perfscore.report.html`.

The human reports speak the form's language (``lang``): severities 错误/警告/提示, each flag's
title, the row as the form numbers it with its name, the field's label and the place in the
file (:mod:`perfscore.report.wording`), amounts with the form's money unit, and a closing
summary.  JSON keeps the codes and paths for programs.

Writers take a stream and one result at a time, so a batch of any size is written as it is
scored.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from typing import Any, NamedTuple, TextIO

from perfscore.engine.pipeline import EvaluationResult, IndicatorResult
from perfscore.report.csvout import CSV_BOM, CSV_COLUMNS, CsvWriter, csv_text, summary_rows
from perfscore.report.wording import Tally, flag_subject, flag_title, money, row_number
from perfscore.waivers import flag_message
from perfscore.words.catalogue import severity_word
from perfscore.words.flags import Flag
from perfscore.words.messages import grade_word, num, percent, say, status

__all__ = [
    "CSV_BOM",
    "CSV_COLUMNS",
    "CsvWriter",
    "JsonWriter",
    "Rendered",
    "Tally",
    "closing",
    "csv_text",
    "display_width",
    "flag_lines",
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
        "序号",
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
        "No.",
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
    """One indicator as text cells: its number as the form counts (from 1), groups, name,
    target, actual, status, numbers (all ten columns of :data:`INDICATOR_HEADER`;
    :func:`shown_columns` says which to print)."""
    ind = r.indicator
    return [
        f"{row_number(r)}{mark}",
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
    """``全年预算数 224500 元  全年执行数 217461.64 元  预算执行率 96.86%  得分 9.69 / 10  (填报
    -)``; the rate alone on an unscored form; what is missing where no rate can be worked out;
    ``None`` without a budget row."""
    ex = result.execution
    if ex is None or result.form.kind == "targets":
        return None
    unit = result.form.money_unit
    line = ""
    for label, amount in (
        (_t(lang, "全年预算数", "budget"), ex.budget),
        (_t(lang, "全年执行数", "executed"), ex.executed),
    ):
        if amount is not None:
            line += f"{label} {money(amount, unit, lang)}  "
    line += _t(lang, "预算执行率", "execution rate") + " "
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
        total += "  " + _t(lang, "等级", "grade") + f" {grade_word(result.grade, lang)}"
    return total + verified_words(result, lang)


def verified_words(result: EvaluationResult, lang: str) -> str:
    """``  已核实 20% (按填报计入的行: #1, #2)`` where the total took printed scores on trust
    (rows numbered as the table numbers them); empty where every point was recomputed."""
    if result.verified is None or not result.trusted:
        return ""
    rows = ", ".join(f"#{row_number(result.indicators[i])}" for i in result.trusted)
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


def flag_lines(result: EvaluationResult, lang: str) -> list[str]:
    """Each flag on a line: severity, title, what it is about and where it stands in the file,
    then the message: ``错误  得分计算有误  第3项「成本控制率」得分 [Sheet1!H14]  得分填报为…``."""
    out = []
    for f in result.flags:
        place = f.source.text(lang) if f.source is not None else ""
        where = flag_subject(f, result, lang) + (f" [{place}]" if place else "")
        severity = severity_word(f.severity, lang)
        out.append(f"{severity}  {flag_title(f, lang)}  {where}  {flag_message(f, lang)}")
    return out


def _budget_words(result: EvaluationResult, lang: str, sep: str) -> list[str]:
    """A target table's budget and spending plan: ``预算数 107000 元``."""
    budget = result.form.budget
    if result.form.kind != "targets" or budget is None:
        return []
    out = [
        _t(lang, "预算数", "budget")
        + f"{sep}{money(budget.adjusted, result.form.money_unit, lang)}"
    ]
    plan = "  ".join(f"{p.when} {p.share}" for p in result.form.spending_plan)
    if plan:
        out.append(_t(lang, "资金支出计划", "spending plan") + f"{sep}{plan}")
    return out


def to_table(result: EvaluationResult, lang: str = "zh") -> str:
    """A plain-text report of one result: heading, execution, indicators, total, flags with
    their places, and its closing line (errors, warnings, notes, the verified share)."""
    out = [heading(result, lang)]
    if result.source:
        out.append(result.source)
    out += _budget_words(result, lang, " ")
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
        out += ["", *flag_lines(result, lang)]
    out += ["", Tally.of(result).text(lang, one=True)]
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
    out += [f"- {line}" for line in _budget_words(result, lang, ": ")]
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
            f"| {_t(lang, '级别', 'Severity')} | {_t(lang, '问题', 'Finding')} | "
            f"{_t(lang, '对象', 'About')} | {_t(lang, '位置', 'Place')} | "
            f"{_t(lang, '说明', 'Message')} |",
            "|---|---|---|---|---|",
        ]
        out += [_markdown_flag(f, result, lang) for f in result.flags]
    out += ["", Tally.of(result).text(lang, one=True)]
    return "\n".join(out) + "\n\n"


def _markdown_flag(f: Flag, result: EvaluationResult, lang: str) -> str:
    """A flag's Markdown row; its code stays beside the title for a reader who looks it up."""
    place = f.source.text(lang) if f.source is not None else ""
    cells = (
        severity_word(f.severity, lang),
        f"{flag_title(f, lang)} (`{f.code}`)",
        markdown_cell(flag_subject(f, result, lang)),
        markdown_cell(place),
        markdown_cell(flag_message(f, lang)),
    )
    return "| " + " | ".join(cells) + " |"


# --------------------------------------------------------------------------------------------
# CSV and JSON, streamed


def result_data(result: EvaluationResult) -> dict[str, Any]:
    """A result as JSON output holds it: :meth:`EvaluationResult.to_dict` and its ``review``
    (:func:`perfscore.review`)."""
    # Imported here: only JSON output holds the review, and a table need not import it.
    from perfscore.report.review import review

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


class Rendered(NamedTuple):
    """One result rendered where it was scored: the report's text, whether it raised a flag of
    a severity that fails the run, its source, and its counts for the closing summary."""

    text: str
    hit: bool
    source: str | None
    tally: Tally


def closing(fmt: str, tally: Tally, lang: str, unread: int = 0) -> str:
    """The closing summary of a run in ``fmt`` (table, markdown, csv; nothing for JSON):
    forms, errors, warnings, notes, the verified share of points, files not read."""
    if fmt == "csv":
        return summary_rows(tally, lang, unread)
    if fmt == "table":
        return f"\n{tally.text(lang, unread)}\n"
    if fmt == "markdown":
        return (
            f"**{_t(lang, '合计', 'Summary')}**{_t(lang, '：', ': ')}{tally.text(lang, unread)}\n"
        )
    return ""


def rendered(result: EvaluationResult, fmt: str, lang: str, worst: tuple[str, ...]) -> Rendered:
    """One result as report text in ``fmt`` (table, markdown, csv rows, a JSON element, or a
    JSON line without its newline), whether it raised a flag of a severity in ``worst``, its
    source and its counts."""
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
    hit = any(f.severity in worst and f.waiver is None for f in result.flags)
    return Rendered(text, hit, result.source, Tally.of(result))


def failure_line(source: str, error: Exception) -> str:
    """The JSON line (newline included) of an input that could not be scored: its source and
    the error, with the file, path and line where the error names them."""
    import json

    where = {k: getattr(error, k, None) for k in ("path", "line", "column", "expected")}
    text = getattr(error, "message", str(error))
    data = {"source": source, "error": {"message": text, **where}}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
