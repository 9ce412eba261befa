"""What every human report says the same way: a flag's severity, title, subject and place, an
amount with its money unit, a row as the form numbers it, and the closing summary of a run.

The table, Markdown, CSV, HTML and explain reports speak the form's language through these,
so a flag reads alike everywhere: ``错误  得分计算有误  第3项「成本控制率」得分  Sheet1!H14``.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import NamedTuple

from perfscore.engine.results import EvaluationResult, IndicatorResult
from perfscore.form.fields import BUDGET, FORM, INDICATOR, FieldLabels
from perfscore.ruleset.expressions import SCORING_CONTEXT
from perfscore.words.catalogue import CATALOGUE, severity_word
from perfscore.words.flags import Flag
from perfscore.words.messages import num, percent, say

__all__ = [
    "Tally",
    "field_label",
    "flag_subject",
    "flag_title",
    "flag_where",
    "money",
    "row_label",
    "row_number",
    "severity_word",
]

_ZERO = Decimal(0)

#: The money units as English reports say them.
_MONEY_EN = {"元": "yuan", "万元": "10k yuan"}


def money(amount: Decimal | None, unit: str, lang: str) -> str:
    """An amount with the form's money unit: ``107000 元``, ``10.7 万元`` (``107000 yuan``);
    ``""`` for no amount."""
    if amount is None:
        return ""
    return f"{num(amount)} {_MONEY_EN.get(unit, unit) if lang == 'en' else unit}"


def row_number(row: IndicatorResult) -> str:
    """The row's number as the form numbers it: its 序号 where it prints one, else its place
    counted from 1 (``index`` counts from 0)."""
    return row.indicator.number or str(row.index + 1)


def row_label(result: EvaluationResult, index: int, lang: str) -> str:
    """``第3项「成本控制率」`` / ``row 3 (成本控制率)``: an indicator row as a person finds it."""
    rows = result.indicators
    inside = 0 <= index < len(rows)
    name = rows[index].indicator.printed("name") if inside else ""
    number = row_number(rows[index]) if inside else str(index + 1)
    if lang == "en":
        return f"row {number}" + (f" ({name})" if name else "")
    return f"第{number}项" + (f"「{name}」" if name else "")


def _label(table: dict[str, FieldLabels], key: str, lang: str) -> str:
    if lang == "en" or key not in table:
        return key.replace("_", " ")
    return table[key].label


def field_label(location: tuple[str | int, ...], lang: str) -> str:
    """The label the form prints for the field at ``location`` (from the field table):
    ``("indicators", 3, "score")`` → ``得分``, ``("budget", "rate")`` → ``执行率``,
    ``("total",)`` → ``总分``; in English the field's own name."""
    if not location:
        return ""
    if location[0] == "indicators" and len(location) > 2 and isinstance(location[2], str):
        return _label(INDICATOR, location[2], lang)
    if location[0] == "budget" and len(location) > 1 and isinstance(location[1], str):
        return _label(BUDGET, location[1], lang)
    return _label(FORM, str(location[0]), lang)


def flag_subject(flag: Flag, result: EvaluationResult, lang: str) -> str:
    """What a flag is about, as the form names it: ``第3项「成本控制率」得分``, ``预算执行情况
    执行率``, ``总分``, ``整表``; in English ``row 3 (成本控制率), score``."""
    loc = flag.location
    if not loc:
        return say(lang, "整表", "the form")
    if loc[0] == "indicators" and len(loc) > 1 and isinstance(loc[1], int):
        row = row_label(result, loc[1], lang)
        if len(loc) == 2:
            return row
        return f"{row}, {field_label(loc, lang)}" if lang == "en" else row + field_label(loc, lang)
    if loc[0] == "budget" and len(loc) > 1:
        block = _label(FORM, "budget", lang)
        return (
            f"{block}, {field_label(loc, lang)}"
            if lang == "en"
            else f"{block} {field_label(loc, lang)}"
        )
    rest = " ".join(str(p) for p in loc[1:])
    return field_label(loc, lang) + (f" {rest}" if rest else "")


def flag_where(flag: Flag, result: EvaluationResult, lang: str) -> str:
    """What a flag is about and where it stands in the file, as one phrase:
    ``第3项「成本控制率」得分（Sheet1!H14）`` / ``row 3 (成本控制率), score (Sheet1!H14)``; the
    subject alone for a form with no places."""
    place = flag.source.text(lang) if flag.source is not None else ""
    subject = flag_subject(flag, result, lang)
    if not place:
        return subject
    return f"{subject} ({place})" if lang == "en" else f"{subject}（{place}）"


def flag_title(flag: Flag, lang: str) -> str:
    """The flag's title from the catalogue: ``得分计算有误`` / ``score differs``."""
    return CATALOGUE[flag.code].title_in(lang)


class Tally(NamedTuple):
    """What a run found, added up form by form: the closing summary of every human report."""

    forms: int = 0
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    #: Points the engine recomputed, and points it took as printed (rows it could not judge).
    checked: Decimal = _ZERO
    taken: Decimal = _ZERO
    #: Flags a waiver accepted (whatever their severity): not among the errors, warnings, notes.
    accepted: int = 0

    @classmethod
    def of(cls, result: EvaluationResult) -> Tally:
        """One form's counts (in the scoring context: the host's Decimal context must not
        change a report)."""
        with localcontext(SCORING_CONTEXT):
            return cls._of(result)

    @classmethod
    def _of(cls, result: EvaluationResult) -> Tally:
        severities = [str(f.severity) for f in result.flags if f.waiver is None]
        checked = sum((r.score for r in result.indicators if r.score is not None), _ZERO)
        ex = result.execution
        if ex is not None and ex.score is not None and result.total is not None:
            checked += ex.score
        taken = sum(
            (
                r.reported_score
                for r in result.indicators
                if r.index in result.trusted and r.reported_score is not None
            ),
            _ZERO,
        )
        return cls(
            1,
            severities.count("error"),
            severities.count("warning"),
            severities.count("info"),
            checked if result.total is not None else _ZERO,
            taken if result.total is not None else _ZERO,
            len(result.flags) - len(severities),
        )

    def __add__(self, other: tuple[object, ...]) -> Tally:
        """Two tallies added field by field (a tuple would be joined)."""
        if not isinstance(other, Tally):
            return NotImplemented
        with localcontext(SCORING_CONTEXT):
            return self._plus(other)

    def _plus(self, other: Tally) -> Tally:
        return Tally(
            self.forms + other.forms,
            self.errors + other.errors,
            self.warnings + other.warnings,
            self.notes + other.notes,
            self.checked + other.checked,
            self.taken + other.taken,
            self.accepted + other.accepted,
        )

    @property
    def verified(self) -> Decimal | None:
        """The share of all points that was recomputed; ``None`` when no form was scored."""
        with localcontext(SCORING_CONTEXT):
            whole = self.checked + self.taken
            return (self.checked / whole).quantize(Decimal("0.0001")) if whole > 0 else None

    def text(self, lang: str, unread: int = 0, *, one: bool = False) -> str:
        """``共 3 张表：错误 2 项，警告 5 项，提示 7 项；已核实分值占比 98.5%`` (and the files
        that could not be read, where there were any); ``one``: a form's own closing line,
        ``本表：错误 2 项…``."""
        share = self.verified
        if lang == "en":
            forms = "this form" if one else f"{self.forms} form" + ("" if self.forms == 1 else "s")
            out = (
                f"{forms}: {self.errors} error{'' if self.errors == 1 else 's'}, "
                f"{self.warnings} warning{'' if self.warnings == 1 else 's'}, "
                f"{self.notes} note{'' if self.notes == 1 else 's'}"
            )
            if self.accepted:
                out += f", {self.accepted} accepted"
            if share is not None:
                out += f"; {percent(share)} of the points verified"
            if unread:
                out += f"; {unread} file{'' if unread == 1 else 's'} could not be read"
            return out
        forms = "本表" if one else f"共 {self.forms} 张表"
        out = f"{forms}：错误 {self.errors} 项，警告 {self.warnings} 项，提示 {self.notes} 项"
        if self.accepted:
            out += f"，已接受 {self.accepted} 项"
        if share is not None:
            out += f"；已核实分值占比 {percent(share)}"
        if unread:
            out += f"；{unread} 个文件无法读取"
        return out
