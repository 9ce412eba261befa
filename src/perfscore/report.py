"""Text reports of results: terminal table, Markdown, CSV, JSON, the explanation of one form,
and the department roll-up.  HTML lives in :mod:`perfscore.html`.

Writers take a stream and one result at a time, so a batch of any size is written as it is
scored.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from perfscore.engine import EvaluationResult, IndicatorResult
from perfscore.flags import Flag
from perfscore.judge import OPERATORS
from perfscore.messages import num, percent, say, shorten, status, symbol
from perfscore.values import (
    Comparison,
    Compound,
    Date,
    Deadline,
    FreeText,
    Grade,
    Nil,
    NotApplicable,
    Range,
    Value,
    plain,
)

if TYPE_CHECKING:
    from perfscore.rollup import Rollup

__all__ = [
    "CSV_BOM",
    "CsvWriter",
    "JsonWriter",
    "explain",
    "rollup_csv",
    "rollup_markdown",
    "rollup_table",
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
    return total


# --------------------------------------------------------------------------------------------
# Terminal table


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    if _width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        if used + _width(ch) > width - 1:
            break
        out += ch
        used += _width(ch)
    return out + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    text = _cut(text, width)
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """Columns lined up for a terminal, counting CJK characters as two cells wide."""
    widths = [min(max(_width(r[i]) for r in [header, *rows]), 28) for i in range(len(header))]
    lines = ["  ".join(_pad(h, widths[i], i in numeric) for i, h in enumerate(header))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(c, widths[i], i in numeric) for i, c in enumerate(row)))
    return "\n".join(line.rstrip() for line in lines)


def _heading(result: EvaluationResult, lang: str = "zh") -> str:
    form = result.form
    unnamed = _t(lang, "(未命名项目)", "(unnamed project)")
    parts = [form.printed("project") or unnamed, str(form.year or ""), form.printed("unit")]
    return "  ".join(p for p in parts if p)


def _flag_lines(flags: Sequence[Flag]) -> list[str]:
    return [f"{f.severity:<7}  {f.code:<26}  {f.path:<22}  {f.message}" for f in flags]


def to_table(result: EvaluationResult, lang: str = "zh") -> str:
    """A plain-text report of one result: heading, execution, indicators, total, flags."""
    out = [_heading(result, lang)]
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


def _md(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(result: EvaluationResult, lang: str = "zh") -> str:
    """One result as a Markdown section: a table of indicators, then the flags."""
    out = [f"## {_md(_heading(result, lang))}", ""]
    if result.source:
        out += [f"`{result.source}`", ""]
    if result.form.kind == "targets" and result.form.budget is not None:
        out.append(f"- {_t(lang, '预算数', 'Budget')}: {_num(result.form.budget.adjusted)}")
        plan = ", ".join(f"{p.when} {p.share}" for p in result.form.spending_plan)
        if plan:
            out.append(f"- {_t(lang, '资金支出计划', 'Spending plan')}: {plan}")
    for line in (execution_line(result, lang), total_line(result, lang)):
        if line is not None:
            out.append(f"- {_md(line)}")
    out.append("")
    columns = shown_columns(result)
    header = INDICATOR_HEADER["en" if lang == "en" else "zh"]
    out.append("| " + " | ".join(header[i] for i in columns) + " |")
    out.append("|" + "|".join("---:" if i in _NUMERIC else "---" for i in columns) + "|")
    for r in result.indicators:
        cells = indicator_cells(r, lang)
        out.append("| " + " | ".join(_md(cells[i]) for i in columns) + " |")
    if result.flags:
        out += [
            "",
            f"| {_t(lang, '级别', 'Severity')} | {_t(lang, '代码', 'Code')} | "
            f"{_t(lang, '位置', 'Path')} | {_t(lang, '说明', 'Message')} |",
            "|---|---|---|---|",
        ]
        out += [
            f"| {f.severity} | `{f.code}` | `{f.path}` | {_md(f.message)} |" for f in result.flags
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
                ]
            )
        for f in form_flags:
            self._writer.writerow(
                [*lead, *[""] * 11, f.code, "", f.path, f.severity, csv_text(f.message)]
            )


class JsonWriter:
    """A JSON array of results, written element by element."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._first = True
        stream.write("[")

    def write(self, result: EvaluationResult | dict[str, Any]) -> None:
        """Write one element."""
        import json

        data = result if isinstance(result, dict) else result.to_dict()
        self._stream.write("\n" if self._first else ",\n")
        self._stream.write(json.dumps(data, ensure_ascii=False, indent=2))
        self._first = False

    def close(self) -> None:
        """End the array."""
        self._stream.write("\n]\n" if not self._first else "]\n")


def to_json(results: Sequence[EvaluationResult]) -> str:
    """The results as a JSON array (Decimals as strings)."""
    import json

    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------------------------
# Explanation


#: Dimensions as a Chinese explanation names them (``[count] / [time]`` → ``计数 / 时间``).
_DIMENSION = re.compile(r"\[?([a-z_]+)\]?")
_DIMENSION_ZH = {
    "count": "计数",
    "time": "时间",
    "currency": "金额",
    "length": "长度",
    "area": "面积",
    "mass": "质量",
    "volume": "体积",
    "power": "功率",
    "energy": "能量",
    "percentage": "百分比",
    "number": "纯数",
}
_BAND_ZH = {"full": "达成", "basic": "基本达成", "partial": "部分达成", "none": "未达成"}


def _quoted(text: str, lang: str) -> str:
    """A cell quoted in an explanation: cut when long, in the language's quotation marks."""
    return f"{shorten(text)!r}" if lang == "en" else f"“{shorten(text)}”"


_DATE_BOUND = {
    "<=": ("不晚于", "by the end of"),
    "<": ("早于", "before the start of"),
    ">=": ("不早于", "from the start of"),
    ">": ("晚于", "after the end of"),
}


def _describe_date(value: Date, lang: str) -> str:
    """日期 <= 2024-06-30: the period as days, with ``????`` for a year the cell does not print."""

    def day(month_day: tuple[int, int]) -> str:
        month, d = month_day
        return f"{month:02d}-{d:02d}" if d else f"{month:02d}-" + _t(lang, "月末", "end")

    year = str(value.year) if value.year else "????"
    first, last = day(value.first), day(value.last)
    span = first if first == last else f"{first}..{last}"
    bound = ""
    if value.op is not None:
        zh, en = _DATE_BOUND.get(str(value.op), ("", ""))
        bound = _t(lang, zh, en) + " "
    return _t(lang, "日期 ", "date ") + f"{bound}{year}-{span}"


def describe_value(value: Value | None, lang: str = "zh") -> str:
    """How a printed value was read, in words."""
    if value is None:
        return _t(lang, "（空）", "(empty)")
    if isinstance(value, Comparison):
        q = value.quantity
        unit = q.unit.label or _t(lang, "无单位", "no unit")
        dim = q.unit.dimension or ("percentage" if q.unit.is_percent else "number")
        if lang != "en":
            dim = _DIMENSION.sub(lambda m: _DIMENSION_ZH.get(m.group(1), m.group(1)), dim)
        op = symbol(value.op) if value.op else _t(lang, "未写比较符", "no comparator")
        extra = []
        if value.approximate:
            extra.append(_t(lang, "约数", "approximate"))
        if value.label or value.tail:
            extra.append(
                _t(
                    lang,
                    f"文字“{value.label}…{value.tail}”",
                    f"text {value.label!r}…{value.tail!r}",
                )
            )
        if value.each:
            extra.append(_t(lang, "适用于每一项", "applies to every clause"))
        more = f" ({', '.join(extra)})" if extra else ""
        noun = f" ({q.unit.noun})" if q.unit.noun else ""
        return (
            _t(lang, "数量", "quantity") + f" {op} {plain(q.magnitude)} [{unit}{noun}; {dim}]{more}"
        )
    if isinstance(value, Range):
        low = "" if value.low_op == ">=" else _t(lang, "（不含）", " (excluded)")
        high = "" if value.high_op == "<=" else _t(lang, "（不含）", " (excluded)")
        return _t(lang, "区间", "range") + f" {value.low}{low} – {value.high}{high}"
    if isinstance(value, Date):
        return _describe_date(value, lang)
    if isinstance(value, Compound):
        parts = "; ".join(describe_value(c, lang) for c in value.clauses)
        return (
            _t(
                lang,
                f"复合指标（{len(value.clauses)} 项）：",
                f"compound ({len(value.clauses)} clauses): ",
            )
            + parts
        )
    if isinstance(value, Grade):
        band = ""
        if value.band:
            band = f" ({value.band if lang == 'en' else _BAND_ZH.get(value.band, value.band)})"
        return _t(lang, "等级词", "grade word") + band
    if isinstance(value, Deadline):
        return _t(lang, "未量化的时限", "an unquantified time limit")
    if isinstance(value, NotApplicable):
        return _t(lang, "不适用", "not applicable")
    if isinstance(value, Nil):
        return _t(lang, "未发生（无）", "nothing occurred")
    assert isinstance(value, FreeText)
    return _t(lang, "无法识别：", "unreadable: ") + (
        value.reason if lang == "en" else value.reason_zh
    )


def _explain_indicator(result: EvaluationResult, row: IndicatorResult, lang: str) -> list[str]:
    ind = row.indicator
    out = [
        f"[{row.index}] "
        + " / ".join(p for p in (ind.printed("level1"), ind.printed("level2")) if p)
        + f" / {ind.printed('name')}",
        "  "
        + _t(lang, "年度指标值", "target")
        + f": {_quoted(ind.printed('target'), lang)} → {describe_value(row.target, lang)}",
    ]
    targets = result.form.kind == "targets"
    if not targets:  # a target table is not completed, and not judged
        out.append(
            "  "
            + _t(lang, "实际完成值", "actual")
            + f": {_quoted(ind.printed('actual'), lang)} → {describe_value(row.actual, lang)}"
        )
    if row.direction is not None:
        direction = OPERATORS[row.direction].zh if lang != "en" else symbol(row.direction)
        out.append("  " + _t(lang, "方向", "direction") + f": {direction}")
    here = [f for f in result.flags if f.location[:2] == ("indicators", row.index)]
    for f in here:
        if f.code == "direction-inferred":
            out[-1] += f"  ({f.message})"
    for step in row.trace:
        out.append(f"  · {step}")
    if not targets:
        out.append(
            "  "
            + _t(lang, "结果", "result")
            + f": {_status(row.status, lang)}"
            + (
                f", {_t(lang, '完成程度', 'achievement')} {_percent(row.achievement)}"
                if row.achievement is not None
                else ""
            )
            + (
                f", {_t(lang, '得分', 'score')} {_num(row.score)} / {_num(row.weight)}"
                if row.score is not None
                else ""
            )
            + (
                f" ({_t(lang, '填报', 'printed')} {_num(row.reported_score)})"
                if row.reported_score is not None
                else ""
            )
        )
    for f in here:
        if f.code != "direction-inferred":
            out.append(f"  ! {f.severity} {f.code}: {f.message}")
    return out


def explain(result: EvaluationResult, indicator: str | None = None, lang: str = "zh") -> str:
    """The trace behind every number of a result, or of one indicator (its number or name).

    :raises LookupError: ``indicator`` names no indicator of the form.
    """
    rows = list(result.indicators)
    if indicator is not None:
        if indicator.isdigit():
            rows = [r for r in rows if r.index == int(indicator)]
        else:
            rows = [r for r in rows if indicator in r.name]
        if not rows:
            names = ", ".join(r.name for r in result.indicators)
            raise LookupError(f"no indicator {indicator!r}; the form has: {names}")
    out = [_heading(result, lang)]
    ex = result.execution
    if indicator is None and ex is not None and (ex.trace or ex.reported_score is not None):
        out += ["", _t(lang, "预算执行", "budget execution")]
        # An unscored form's execution is its rate: the score line is the rules' guess.
        out += [f"  · {step}" for step in (ex.trace if scored(result) else ex.trace[:1])]
        if ex.reported_score is not None:
            out.append(
                "  " + _t(lang, "填报得分", "printed score") + f": {_num(ex.reported_score)}"
            )
    for row in rows:
        out += ["", *_explain_indicator(result, row, lang)]
    if indicator is None and result.total is not None:
        parts = (
            [_num(result.execution.score)]
            if result.execution and result.execution.score is not None
            else []
        )
        parts += [_num(r.score) for r in result.indicators if r.score is not None]
        out += [
            "",
            _t(lang, "总分", "total")
            + f" = {' + '.join(parts)} = {_num(result.total)}"
            + f"  ({_t(lang, '填报', 'printed')} {_num(result.reported_total) or '-'})"
            + (f"  {_t(lang, '等级', 'grade')} {result.grade}" if result.grade else ""),
        ]
        for f in result.flags:
            if f.location[0] in ("total",) or f.location == ("indicators",):
                out.append(f"  ! {f.severity} {f.code}: {f.message}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Roll-up


def source_cell(source: str | None, width: int = 28) -> str:
    """A form's source for a narrow column: its end, which tells files apart
    (``…/pingshan-2020-training.yaml``), rather than the directories they share."""
    text = source or ""
    if _width(text) <= width:
        return text
    kept = ""
    for ch in reversed(text):
        if _width(kept) + _width(ch) > width - 1:
            break
        kept = ch + kept
    return "…" + kept


def _rollup_rows(rollup: Rollup, cut: bool = True) -> list[list[str]]:
    return [
        [
            p.project,
            source_cell(p.source) if cut else p.source or "",
            _num(p.budget),
            _num(p.executed),
            _percent(p.rate),
            _num(p.total),
            _num(p.reported_total),
            str(p.errors),
            str(p.warnings),
        ]
        for p in rollup.projects
    ]


def _rollup_header(lang: str, money: str) -> list[str]:
    return (
        [
            "项目",
            "来源",
            f"预算数({money})",
            f"执行数({money})",
            "执行率",
            "总分",
            "填报总分",
            "错误",
            "警告",
        ]
        if lang != "en"
        else [
            "project",
            "source",
            f"budget ({money})",
            f"executed ({money})",
            "rate",
            "total",
            "printed",
            "errors",
            "warnings",
        ]
    )


def _rollup_summary(rollup: Rollup, lang: str) -> list[str]:
    return [
        _t(lang, "部门预算执行率", "department execution rate")
        + f" = Σ{_t(lang, '执行数', 'executed')} / Σ{_t(lang, '预算数', 'budget')}"
        f" = {_num(rollup.executed)} / {_num(rollup.budget)} = {_percent(rollup.execution_rate)}",
        _t(lang, "按资金加权的部门得分", "fund-weighted department score")
        + f": {_num(rollup.printed_score) or '-'}",
    ]


def rollup_table(rollup: Rollup, lang: str = "zh") -> str:
    """The roll-up as terminal tables: projects, then indicators."""
    out = [*_rollup_summary(rollup, lang), ""]
    out.append(
        table(_rollup_header(lang, rollup.money_unit), _rollup_rows(rollup), {2, 3, 4, 5, 6, 7, 8})
    )
    header = (
        ["指标", "汇总方式", "汇总值", "项目数"]
        if lang != "en"
        else ["indicator", "method", "value", "projects"]
    )
    method = {
        "sum": _t(lang, "累加", "sum"),
        "weighted_mean": _t(lang, "资金加权平均", "fund-weighted mean"),
    }
    rows = [[i.name, method[i.method], i.shown, str(i.projects)] for i in rollup.indicators]
    out += ["", table(header, rows, {2, 3})]
    return "\n".join(out) + "\n"


def rollup_markdown(rollup: Rollup, lang: str = "zh") -> str:
    """The roll-up as Markdown."""
    out = ["## " + _t(lang, "部门汇总", "Department roll-up"), ""]
    out += [f"- {line}" for line in _rollup_summary(rollup, lang)] + [""]
    header = _rollup_header(lang, rollup.money_unit)
    out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += [
        "| " + " | ".join(_md(c) for c in row) + " |" for row in _rollup_rows(rollup, cut=False)
    ]
    out += [
        "",
        "| "
        + _t(lang, "指标 | 汇总方式 | 汇总值 | 项目数", "Indicator | Method | Value | Projects")
        + " |",
        "|---|---|---:|---:|",
    ]
    out += [f"| {_md(i.name)} | {i.method} | {i.shown} | {i.projects} |" for i in rollup.indicators]
    return "\n".join(out) + "\n"


def rollup_csv(rollup: Rollup, stream: TextIO) -> None:
    """The roll-up as CSV: one row per project, then one per indicator."""
    stream.write(CSV_BOM)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(
        [
            "kind",
            "name",
            "budget",
            "executed",
            "rate",
            "total",
            "method",
            "value",
            "unit",
            "projects",
            "source",
        ]
    )
    for p in rollup.projects:
        writer.writerow(
            [
                "project",
                csv_text(p.project),
                _num(p.budget),
                _num(p.executed),
                _num(p.rate),
                _num(p.total),
                "",
                "",
                "",
                "",
                csv_text(p.source or ""),
            ]
        )
    writer.writerow(
        [
            "department",
            "",
            _num(rollup.budget),
            _num(rollup.executed),
            _num(rollup.printed_rate),
            _num(rollup.printed_score),
            "",
            "",
            "",
            len(rollup.projects),
            "",
        ]
    )
    for i in rollup.indicators:
        writer.writerow(
            [
                "indicator",
                csv_text(i.name),
                *[""] * 4,
                i.method,
                _num(i.printed),
                i.unit,
                i.projects,
                "",
            ]
        )


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

        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
    elif fmt == "jsonl":
        import json

        text = json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":"))
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
