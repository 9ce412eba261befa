"""Reports: a result as a terminal table (Chinese text lined up) or as JSON."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence

from perfscore.engine import EvaluationResult
from perfscore.values import _plain

__all__ = ["to_json", "to_table"]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    out, used = "", 0
    for ch in text:
        w = _width(ch)
        if used + w > width:
            return out[:-1] + "…" if out else ""
        out += ch
        used += w
    return out


def _pad(text: str, width: int, right: bool = False) -> str:
    text = _cut(text, width)
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    widths = [min(max(_width(r[i]) for r in [header, *rows]), 28) for i in range(len(header))]
    lines = ["  ".join(_pad(h, widths[i], i in numeric) for i, h in enumerate(header))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(c, widths[i], i in numeric) for i, c in enumerate(row)))
    return "\n".join(line.rstrip() for line in lines)


def _num(value: object) -> str:
    from decimal import Decimal

    return _plain(value) if isinstance(value, Decimal) else ("" if value is None else str(value))


_STATUS = {
    "met": "达成",
    "partly_met": "部分达成",
    "missed": "未达成",
    "not_applicable": "不适用",
    "not_judged": "无法判断",
}


def to_table(result: EvaluationResult, lang: str = "zh") -> str:
    """A plain-text report of one result: heading, execution, indicators, total, flags."""
    form = result.form
    out = [f"{form.project or '(未命名项目)'}  {form.year or ''}  {form.unit or ''}".rstrip()]
    if result.source:
        out.append(result.source)
    ex = result.execution
    if ex is not None:
        rate = f"{_plain(ex.rate * 100)}%" if ex.rate is not None else "-"
        out.append(
            f"预算执行率 {rate}  得分 {_num(ex.score)} / {_num(ex.weight)}"
            f"  (填报 {_num(ex.reported_score) or '-'})"
        )
    status = _STATUS if lang != "en" else {k: k for k in _STATUS}
    header = (
        ["#", "一级", "二级", "三级指标", "指标值", "完成值", "判断", "权重", "得分", "填报"]
        if lang != "en"
        else [
            "#",
            "level1",
            "level2",
            "indicator",
            "target",
            "actual",
            "status",
            "weight",
            "score",
            "printed",
        ]
    )
    rows = [
        [
            str(r.index),
            r.indicator.level1 or "",
            r.indicator.level2 or "",
            r.indicator.name,
            r.indicator.target or "",
            r.indicator.actual or "",
            status[r.status],
            _num(r.weight),
            _num(r.score),
            _num(r.reported_score),
        ]
        for r in result.indicators
    ]
    out.append("")
    out.append(_table(header, rows, {0, 7, 8, 9}))
    out.append("")
    label = "总分" if lang != "en" else "total"
    printed = "填报" if lang != "en" else "printed"
    out.append(
        f"{label} {_num(result.total) or '-'}  ({printed} {_num(result.reported_total) or '-'})"
    )
    if result.flags:
        out.append("")
        for f in result.flags:
            out.append(f"{f.severity:<7}  {f.code:<26}  {f.path:<22}  {f.message}")
    return "\n".join(out) + "\n"


def to_json(results: Sequence[EvaluationResult]) -> str:
    """The results as a JSON array (Decimals as strings)."""
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2) + "\n"
