"""The explanation of one form (``perfscore explain``): every value as it was read, and the
trace behind every number, indicator by indicator."""

from __future__ import annotations

import re

from perfscore.engine.pipeline import EvaluationResult, IndicatorResult
from perfscore.report.formats import heading, scored, verified_words
from perfscore.report.wording import Tally, field_label, flag_subject, flag_title, money, row_number
from perfscore.text.operators import OPERATORS
from perfscore.text.values import (
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
from perfscore.waivers import flag_message
from perfscore.words.catalogue import severity_word
from perfscore.words.flags import Flag
from perfscore.words.messages import grade_word, shorten, symbol
from perfscore.words.messages import num as _num
from perfscore.words.messages import percent as _percent
from perfscore.words.messages import say as _t
from perfscore.words.messages import status as _status

__all__ = ["describe_value", "explain"]

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
        # A row without its groups is its name alone (was `` / 名称``).
        f"[{row_number(row)}] "
        + " / ".join(
            p for p in (ind.printed("level1"), ind.printed("level2"), ind.printed("name")) if p
        ),
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
    out += [
        _flag_line(result, f, lang, subject=False) for f in here if f.code != "direction-inferred"
    ]
    return out


def _flag_line(result: EvaluationResult, f: Flag, lang: str, *, subject: bool = True) -> str:
    """``  ! 错误 得分计算有误 [Sheet1!H14] 得分: 得分填报为…``: a flag under what it is about,
    with its place in the file, its field (or, away from its row, its subject) and its code."""
    place = f.source.text(lang) if f.source is not None else ""
    about = flag_subject(f, result, lang) if subject else _field(f, lang)
    parts = [severity_word(f.severity, lang), flag_title(f, lang)]
    if place:
        parts.append(f"[{place}]")
    if about:
        parts.append(about)
    return f"  ! {' '.join(parts)}{_t(lang, '：', ': ')}{flag_message(f, lang)} ({f.code})"


def _field(f: Flag, lang: str) -> str:
    """The field of a row's flag as the form labels it (``得分``); empty for the row itself."""
    return field_label(f.location, lang) if len(f.location) > 2 else ""


def explain(result: EvaluationResult, indicator: str | None = None, lang: str = "zh") -> str:
    """The trace behind every number of a result, or of one indicator (its number or name).

    :raises LookupError: ``indicator`` names no indicator of the form.
    """
    rows = list(result.indicators)
    if indicator is not None:
        if indicator.isdigit():  # the row's number as the reports print it (序号, or from 1)
            rows = [r for r in rows if row_number(r) == indicator]
        else:
            rows = [r for r in rows if indicator in r.name]
        if not rows:
            names = ", ".join(r.name for r in result.indicators)
            raise LookupError(f"no indicator {indicator!r}; the form has: {names}")
    out = [heading(result, lang)]
    if indicator is None:
        out += _explain_budget(result, lang)
    for row in rows:
        out += ["", *_explain_indicator(result, row, lang)]
    if indicator is None:
        out += _explain_total(result, lang)
        out += ["", Tally.of(result).text(lang, one=True)]
    return "\n".join(out) + "\n"


def _explain_budget(result: EvaluationResult, lang: str) -> list[str]:
    """预算执行: the amounts in the form's money unit, the trace, the printed score, its flags."""
    ex = result.execution
    if ex is None or not (ex.trace or ex.reported_score is not None):
        return []
    out = ["", _t(lang, "预算执行", "budget execution")]
    unit = result.form.money_unit
    amounts = [
        f"{label} {money(amount, unit, lang)}"
        for label, amount in (
            (_t(lang, "全年预算数", "budget"), ex.budget),
            (_t(lang, "全年执行数", "executed"), ex.executed),
        )
        if amount is not None
    ]
    if amounts:
        out.append("  " + "  ".join(amounts))
    # An unscored form's execution is its rate: the score line is the rules' guess.
    out += [f"  · {step}" for step in (ex.trace if scored(result) else ex.trace[:1])]
    if ex.reported_score is not None:
        out.append("  " + _t(lang, "填报得分", "printed score") + f": {_num(ex.reported_score)}")
    out += [_flag_line(result, f, lang) for f in result.flags if f.location[:1] == ("budget",)]
    return out


def _explain_total(result: EvaluationResult, lang: str) -> list[str]:
    """The total as the sum of its parts, then every flag about the form as a whole."""
    out: list[str] = []
    if result.total is not None:
        parts = (
            [_num(result.execution.score)]
            if result.execution and result.execution.score is not None
            else []
        )
        # A row that could not be judged counts with its printed score: shown as such.
        printed = _t(lang, "填报", "printed")
        parts += [
            _num(r.score) if r.score is not None else f"{_num(r.reported_score)}({printed})"
            for r in result.indicators
            if r.score is not None or r.index in result.trusted
        ]
        out += [
            "",
            _t(lang, "总分", "total")
            + f" = {' + '.join(parts) or '0'} = {_num(result.total)}"
            + f"  ({printed} {_num(result.reported_total) or '-'})"
            + (
                f"  {_t(lang, '等级', 'grade')} {grade_word(result.grade, lang)}"
                if result.grade
                else ""
            )
            + verified_words(result, lang),
        ]
    whole = [
        _flag_line(result, f, lang)
        for f in result.flags
        if f.location[:1] != ("budget",)
        and not (len(f.location) > 1 and f.location[0] == "indicators")
    ]
    # Under the total where there is one, else in a paragraph of their own.
    out += whole if result.total is not None or not whole else ["", *whole]
    return out
