"""The department roll-up (部门汇总) as text: terminal table, Markdown and CSV."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, TextIO

from perfscore.report.formats import CSV_BOM, csv_text, display_width, markdown_cell, table
from perfscore.words.messages import num as _num
from perfscore.words.messages import percent as _percent
from perfscore.words.messages import say as _t

if TYPE_CHECKING:
    from perfscore.rollup import Rollup

__all__ = ["rollup_csv", "rollup_markdown", "rollup_table", "source_cell"]


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


def _rollup_summary(rollup: Rollup, lang: str) -> list[str]:
    return [
        _t(lang, "部门预算执行率", "department execution rate")
        + f" = Σ{_t(lang, '执行数', 'executed')} / Σ{_t(lang, '预算数', 'budget')}"
        f" = {_num(rollup.executed)} / {_num(rollup.budget)} = {_percent(rollup.execution_rate)}",
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
    left_out = _left_out(rollup, lang)
    if left_out:
        out += ["", *left_out]
    return "\n".join(out) + "\n"


def rollup_markdown(rollup: Rollup, lang: str = "zh") -> str:
    """The roll-up as Markdown."""
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
        f"| {markdown_cell(i.name)} | {i.method} | {i.shown} | {i.projects} |"
        for i in rollup.indicators
    ]
    left_out = _left_out(rollup, lang)
    if left_out:
        out += ["", *[f"- {markdown_cell(line)}" for line in left_out]]
    return "\n".join(out) + "\n"


_CSV_HEADER = "kind name budget executed rate total method value unit projects source note".split()


def rollup_csv(rollup: Rollup, stream: TextIO) -> None:
    """The roll-up as CSV: one row per project, the department's, one per indicator, then one
    per indicator left out (``dropped``, why in ``note``) and per copy counted once
    (``duplicate``)."""
    stream.write(CSV_BOM)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(_CSV_HEADER)
    for p in rollup.projects:
        money = [_num(p.budget), _num(p.executed), _num(p.rate), _num(p.total)]
        writer.writerow(
            ["project", csv_text(p.project), *money, *[""] * 4, csv_text(p.source or ""), ""]
        )
    money = [
        _num(rollup.budget),
        _num(rollup.executed),
        _num(rollup.printed_rate),
        _num(rollup.printed_score),
    ]
    writer.writerow(["department", "", *money, "", "", "", len(rollup.projects), "", ""])
    for i in rollup.indicators:
        shown = [i.method, _num(i.printed), i.unit, i.projects]
        writer.writerow(["indicator", csv_text(i.name), *[""] * 4, *shown, "", ""])
    for project, name, why in rollup.dropped:
        writer.writerow(["dropped", csv_text(name), *[""] * 8, csv_text(project), csv_text(why)])
    for source in rollup.duplicates:
        writer.writerow(["duplicate", "", *[""] * 8, csv_text(source), "counted once"])
