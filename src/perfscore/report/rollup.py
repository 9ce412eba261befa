"""The department roll-up (部门汇总) as text: terminal table, Markdown and CSV, in the report's
language (the CSV's headers and row kinds too: stable English names under ``en``), amounts with
their money unit, and a closing summary of the forms it was built from."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, TextIO

from perfscore.report.formats import CSV_BOM, csv_text, display_width, markdown_cell, table
from perfscore.report.wording import Tally, money
from perfscore.words.messages import num as _num
from perfscore.words.messages import percent as _percent
from perfscore.words.messages import say as _t

if TYPE_CHECKING:
    from perfscore.rollup import Rollup

__all__ = ["method_words", "rollup_csv", "rollup_markdown", "rollup_table", "source_cell"]


def source_cell(source: str | None, width: int = 28) -> str:
    """A form's source for a narrow column: its end, which tells files apart
    (``…/pingshan-2020-training.yaml``), rather than the directories they share."""
    text = source or ""
    if display_width(text) <= width:
        return text
    kept = ""
    for ch in reversed(text):
        if display_width(kept) + display_width(ch) > width - 1:
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


#: How an indicator is summed up, in words.
_METHODS = {"sum": ("累加", "sum"), "weighted_mean": ("资金加权平均", "fund-weighted mean")}


def method_words(method: str, lang: str) -> str:
    """How an indicator is summed up, in words: ``sum`` → ``累加``."""
    return _t(lang, *_METHODS[method]) if method in _METHODS else method


def _rollup_summary(rollup: Rollup, lang: str) -> list[str]:
    unit = rollup.money_unit
    return [
        _t(lang, "部门预算执行率", "department execution rate")
        + f" = Σ{_t(lang, '执行数', 'executed')} / Σ{_t(lang, '预算数', 'budget')}"
        f" = {money(rollup.executed, unit, lang)} / {money(rollup.budget, unit, lang)}"
        f" = {_percent(rollup.execution_rate)}",
        _t(lang, "按资金加权的部门得分", "fund-weighted department score")
        + f": {_num(rollup.printed_score) or '-'}",
    ]


def _left_out(rollup: Rollup, lang: str) -> list[str]:
    """What the department figures do not include, one line each: indicators left out of the
    sums (with why) and forms counted once as copies of another."""
    lines = [
        f"left out: {project} · {name} ({why})"
        if lang == "en"
        else f"未计入汇总：{project} · {name}（{why}）"
        for project, name, why in rollup.dropped
    ]
    lines += [
        _t(lang, "重复的表，未重复计入：", "a second copy, counted once: ") + source
        for source in rollup.duplicates
    ]
    return lines


def rollup_table(rollup: Rollup, lang: str = "zh", tally: Tally | None = None) -> str:
    """The roll-up as terminal tables: projects, then indicators; then, given the ``tally`` of
    the forms it was built from, the closing summary."""
    out = [*_rollup_summary(rollup, lang), ""]
    out.append(
        table(_rollup_header(lang, rollup.money_unit), _rollup_rows(rollup), {2, 3, 4, 5, 6, 7, 8})
    )
    header = (
        ["指标", "汇总方式", "汇总值", "项目数"]
        if lang != "en"
        else ["indicator", "method", "value", "projects"]
    )
    rows = [
        [i.name, method_words(i.method, lang), i.shown, str(i.projects)] for i in rollup.indicators
    ]
    out += ["", table(header, rows, {2, 3})]
    left_out = _left_out(rollup, lang)
    if left_out:
        out += ["", *left_out]
    if tally is not None:
        out += ["", tally.text(lang)]
    return "\n".join(out) + "\n"


def rollup_markdown(rollup: Rollup, lang: str = "zh", tally: Tally | None = None) -> str:
    """The roll-up as Markdown (with the closing summary, given the forms' ``tally``)."""
    out = ["## " + _t(lang, "部门汇总", "Department roll-up"), ""]
    out += [f"- {line}" for line in _rollup_summary(rollup, lang)] + [""]
    header = _rollup_header(lang, rollup.money_unit)
    out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += [
        "| " + " | ".join(markdown_cell(c) for c in row) + " |"
        for row in _rollup_rows(rollup, cut=False)
    ]
    out += [
        "",
        "| "
        + _t(lang, "指标 | 汇总方式 | 汇总值 | 项目数", "Indicator | Method | Value | Projects")
        + " |",
        "|---|---|---:|---:|",
    ]
    out += [
        f"| {markdown_cell(i.name)} | {method_words(i.method, lang)} | {i.shown} | {i.projects} |"
        for i in rollup.indicators
    ]
    left_out = _left_out(rollup, lang)
    if left_out:
        out += ["", *[f"- {markdown_cell(line)}" for line in left_out]]
    if tally is not None:
        out += ["", tally.text(lang)]
    return "\n".join(out) + "\n"


#: The CSV's columns: each one's stable name (the English header) and its Chinese header.
CSV_COLUMNS = (
    ("kind", "行类型"),
    ("name", "名称"),
    ("budget", "预算数"),
    ("executed", "执行数"),
    ("rate", "执行率"),
    ("total", "总分"),
    ("method", "汇总方式"),
    ("value", "汇总值"),
    ("unit", "单位"),
    ("projects", "项目数"),
    ("source", "来源"),
    ("note", "说明"),
    ("money_unit", "金额单位"),
)
_KINDS = {
    "project": "项目",
    "department": "部门",
    "indicator": "指标",
    "dropped": "未计入",
    "duplicate": "重复",
}


def rollup_csv(rollup: Rollup, stream: TextIO, lang: str = "zh") -> None:
    """The roll-up as CSV: one row per project, the department's, one per indicator, then one
    per indicator left out (``dropped``, why in ``note``) and per copy counted once
    (``duplicate``).  Headers, row kinds and methods are in ``lang`` (stable English names
    under ``en``); ``money_unit`` is the unit of every amount."""
    stream.write(CSV_BOM)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([name if lang == "en" else zh for name, zh in CSV_COLUMNS])
    unit = rollup.money_unit

    def row(kind: str, **cells: object) -> None:
        cells["kind"] = kind if lang == "en" else _KINDS[kind]
        cells["money_unit"] = unit if cells.keys() & {"budget", "executed"} else ""
        writer.writerow([cells.get(name, "") for name, _ in CSV_COLUMNS])

    for p in rollup.projects:
        amounts = {"budget": _num(p.budget), "executed": _num(p.executed)}
        row(
            "project",
            name=csv_text(p.project),
            **amounts,
            rate=_num(p.rate),
            total=_num(p.total),
            source=csv_text(p.source or ""),
        )
    row(
        "department",
        budget=_num(rollup.budget),
        executed=_num(rollup.executed),
        rate=_num(rollup.printed_rate),
        total=_num(rollup.printed_score),
        projects=len(rollup.projects),
    )
    for i in rollup.indicators:
        row(
            "indicator",
            name=csv_text(i.name),
            method=method_words(i.method, lang),
            value=_num(i.printed),
            unit=i.unit,
            projects=i.projects,
        )
    for project, name, why in rollup.dropped:
        row("dropped", name=csv_text(name), source=csv_text(project), note=csv_text(why))
    for source in rollup.duplicates:
        row("duplicate", source=csv_text(source), note=_t(lang, "只计入一次", "counted once"))
