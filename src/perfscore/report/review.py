"""The review of a form (审核意见): what an auditor sends back to the unit.

:func:`review` turns an :class:`~perfscore.engine.results.EvaluationResult` into a
:class:`Review`: the printed and the recomputed total, the share of the points the engine
verified, and one opinion per distinct problem — the rule set's wording of the flag code
(:mod:`perfscore.words.opinions`, a rule file's ``opinions:``), naming the rows as the form
numbers them — in order of severity, then of where on the form the problem is first found.
Each flag is also a :class:`ReviewFinding` (place, problem, opinion, severity): the rows of
the Word review's table of findings (:mod:`perfscore.report.docx`).

>>> import perfscore
>>> result = perfscore.evaluate("examples/luohu-2024-social-workers.yaml")  # doctest: +SKIP
>>> perfscore.review(result).opinions[0].text  # doctest: +SKIP
'预算执行情况（得分）：未填写预算执行得分。请补充填写预算执行得分。'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from perfscore.engine.results import EvaluationResult
from perfscore.form.fields import FORM
from perfscore.report.wording import flag_subject, flag_where, money, row_label, row_number
from perfscore.waivers import accepted_label, accepted_note
from perfscore.words.catalogue import RANK, Severity, severity_word
from perfscore.words.flags import Flag
from perfscore.words.messages import STATUS_ZH, grade_word, num, percent, say, status
from perfscore.words.opinions import OPINIONS, Opinion

__all__ = [
    "MAX_PLACES",
    "Review",
    "ReviewFinding",
    "ReviewOpinion",
    "place_of",
    "place_parts",
    "review",
]

#: How many places an opinion names before it counts the rest (第1项…、第8项「…」等12项).
MAX_PLACES = 8


@dataclass(frozen=True, slots=True)
class ReviewFinding:
    """One flag as the review's table lists it: where (``place``: the row and field,
    ``subject``, and the place in the file, ``where``), what is wrong (``problem``: the flag's
    message), what the unit is asked to do (``ask``) and how much it matters."""

    code: str
    severity: Severity
    place: str
    problem: str
    ask: str
    path: str
    subject: str = ""
    where: str = ""
    #: Why a waiver accepted the flag (``已接受（原因，审核人，日期）``); empty when none did.
    accepted: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "path": self.path,
            "place": self.place,
            "subject": self.subject,
            "where": self.where,
            "problem": self.problem,
            "ask": self.ask,
            "accepted": self.accepted or None,
        }


@dataclass(frozen=True, slots=True)
class ReviewOpinion:
    """One distinct problem (a flag code) and the places on the form it was found at.

    ``severity`` is the worst of its flags'; ``rows`` the indicator rows it names, numbered from
    1 as the form numbers them; ``text`` the opinion as one paragraph in the review's language.
    ``accepted`` holds why, where waivers accepted these flags (:mod:`perfscore.waivers`): the
    problem is then stated with the acceptance in place of the request.
    """

    code: str
    severity: Severity
    opinion: Opinion
    places: tuple[str, ...]
    rows: tuple[int, ...]
    paths: tuple[str, ...]
    lang: str
    accepted: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """``第4项「成本控制率」：问题。请……。`` (``……。已接受（原因，审核人，日期）。``)"""
        places = _joined(self.places, self.lang)
        if not self.accepted:
            return self.opinion.text_in(self.lang, places)
        notes = "; ".join(self.accepted) if self.lang == "en" else "；".join(self.accepted)
        return self.opinion.text_in(self.lang, places, ask=notes)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping: the code, severity, rows (from 1), paths, and the words."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "rows": list(self.rows),
            "paths": list(self.paths),
            "places": list(self.places),
            "problem": self.opinion.problem_in(self.lang),
            "ask": self.opinion.ask_in(self.lang),
            "text": self.text,
            "accepted": list(self.accepted),
        }


@dataclass(frozen=True, slots=True)
class Review:
    """The review summary of one form: totals, the verified share, opinions and findings."""

    result: EvaluationResult
    opinions: tuple[ReviewOpinion, ...]
    lang: str

    @property
    def findings(self) -> tuple[ReviewFinding, ...]:
        """One finding per flag, worst first, then in the order of the form: each flag's
        message written out, so made when asked for (JSON output does not need them)."""
        lang, result = self.lang, self.result
        asks = {o.code: o.opinion.ask_in(lang) for o in self.opinions}
        return tuple(
            ReviewFinding(
                f.code,
                f.severity,
                place_of(f, result, lang),
                f.message_in(lang),
                asks[f.code],
                f.path,
                *place_parts(f, result, lang),
                accepted_note(f, lang),
            )
            for f in sorted(result.flags, key=lambda f: (RANK[f.severity], f.sort_key()))
        )

    @property
    def total(self) -> Decimal | None:
        """The total as recomputed (重算总分)."""
        return self.result.total

    @property
    def reported_total(self) -> Decimal | None:
        """The total as printed (填报总分)."""
        return self.result.reported_total

    @property
    def difference(self) -> Decimal | None:
        """Printed minus recomputed, where both are known."""
        if self.total is None or self.reported_total is None:
            return None
        return self.reported_total - self.total

    @property
    def verified(self) -> Decimal | None:
        """The share of the total the engine recomputed (1 when every point was)."""
        return self.result.verified

    def count(self, severity: str) -> int:
        """How many flags of ``severity`` the form raised that no waiver accepted."""
        return sum(1 for f in self.result.flags if f.severity == severity and f.waiver is None)

    @property
    def accepted(self) -> int:
        """How many flags waivers accepted."""
        return len(self.result.accepted)

    @property
    def conclusion(self) -> str:
        """The review's closing sentence (审核结论), from what was found and not accepted;
        the accepted findings counted after it."""
        accepted = self.accepted
        after = ""
        if accepted:
            after = say(
                self.lang,
                f"另有 {accepted} 处已接受。",
                f" {accepted} more accepted.",
            )
        return self._verdict() + after

    def _verdict(self) -> str:
        errors, warnings = self.count("error"), self.count("warning")
        if errors:
            return say(
                self.lang,
                f"发现 {errors} 处错误，请核实更正后重新报送。",
                f"{errors} error{'s' * (errors != 1)} found: please correct the form "
                "and submit it again.",
            )
        if warnings:
            return say(
                self.lang,
                f"发现 {warnings} 处需说明或完善的问题，请补充说明后报送。",
                f"{warnings} point{'s' * (warnings != 1)} to explain or complete: please "
                "answer them and submit the form.",
            )
        return say(self.lang, "未发现需整改的问题。", "Nothing to correct was found.")

    def summary_rows(self) -> list[tuple[str, str]]:
        """The summary as (label, value) pairs, as the Word review prints it: the kind of
        form, the totals and their difference, the verified share and the grade (a scored
        form), the budget and its execution, how the rows were judged, and the counts."""
        lang, result = self.lang, self.result
        rows = [(say(lang, "表式", "Form"), say(lang, *_KINDS[result.form.kind]))]
        if self.total is not None or self.reported_total is not None:
            rows += [
                (say(lang, "填报总分", "Printed total"), num(self.reported_total) or "-"),
                (say(lang, "重算总分", "Recomputed total"), num(self.total) or "-"),
            ]
        if self.difference is not None:
            difference = say(lang, "差额（填报－重算）", "Difference (printed − recomputed)")
            rows.append((difference, num(self.difference)))
        if self.verified is not None:
            verified = say(lang, "已核实得分占比", "Share of points verified")
            rows.append((verified, percent(self.verified)))
        if result.grade:
            rows.append((say(lang, "等级", "Grade"), grade_word(result.grade, lang)))
        rows += _budget_rows(result, lang)
        judged = _status_counts(result, lang)
        if judged:
            rows.append((say(lang, "指标完成情况", "Indicators"), judged))
        counts = "  ".join(f"{severity_word(s, lang)} {self.count(s)}" for s in Severity)
        if self.accepted:
            counts += f"  {accepted_label(lang)} {self.accepted}"
        rows.append((say(lang, "问题", "Findings"), counts))
        return rows

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (the ``review`` of a result in JSON output)."""
        return {
            "total": _str(self.total),
            "reported_total": _str(self.reported_total),
            "difference": _str(self.difference),
            "verified_share": _str(self.verified),
            "counts": {**{str(s): self.count(s) for s in Severity}, "accepted": self.accepted},
            "conclusion": self.conclusion,
            "opinions": [o.to_dict() for o in self.opinions],
        }


#: The kinds of form, as the review names them.
_KINDS = {
    "project": ("项目支出绩效自评表", "project self-evaluation"),
    "department": ("部门整体绩效自评表", "department self-evaluation"),
    "targets": ("绩效目标表", "performance targets (budget time)"),
}


def _budget_rows(result: EvaluationResult, lang: str) -> list[tuple[str, str]]:
    """The budget (in the form's money unit) and, once the year is over, its execution."""
    form, rows = result.form, []
    budget = form.budget
    amount = None if budget is None else budget.adjusted or budget.initial
    if amount is not None:
        rows.append((say(lang, "预算数", "Budget"), money(amount, form.money_unit, lang)))
    if budget is not None and budget.executed is not None and form.kind != "targets":
        executed = money(budget.executed, form.money_unit, lang)
        rows.append((say(lang, "执行数", "Executed"), executed))
    execution = result.execution
    if execution is not None and execution.rate is not None and form.kind != "targets":
        rows.append((say(lang, "预算执行率", "Execution rate"), percent(execution.rate)))
    return rows


def _status_counts(result: EvaluationResult, lang: str) -> str:
    """``达成 8  部分达成 1  不适用 5``: how the rows were judged (none on a target table)."""
    if result.form.kind == "targets":
        return ""
    found = Counter(str(r.status) for r in result.indicators)
    return "  ".join(f"{status(s, lang)} {found[s]}" for s in STATUS_ZH if found[s])


def review(result: EvaluationResult, lang: str | None = None) -> Review:
    """The review of ``result``, in ``lang`` (the evaluation's language when left out).

    Opinions come from the rule set the form was scored with (``result.opinions``), a code it
    did not carry from the defaults.
    """
    lang = lang or _language(result)
    worded = dict(result.opinions)
    # A problem's flags a waiver accepted are an opinion of their own, after every other.
    grouped: dict[tuple[bool, str], list[Flag]] = {}
    for flag in result.flags:
        grouped.setdefault((flag.waiver is not None, flag.code), []).append(flag)
    opinions = [
        _opinion(code, flags, worded.get(code) or OPINIONS[code], result, lang)
        for (_, code), flags in grouped.items()
    ]
    # Worst first; within a severity, in the order the form is read (flags come sorted by
    # place, and a code's first flag is where its problem is first seen).
    order = {key: i for i, key in enumerate(grouped)}
    opinions.sort(
        key=lambda o: (bool(o.accepted), RANK[o.severity], order[bool(o.accepted), o.code])
    )
    return Review(result, tuple(opinions), lang)


def _opinion(
    code: str, flags: Sequence[Flag], opinion: Opinion, result: EvaluationResult, lang: str
) -> ReviewOpinion:
    rows = tuple(dict.fromkeys(int(f.location[1]) + 1 for f in flags if _is_row(f.location)))
    areas = tuple(dict.fromkeys(_area(f.location, result, lang) for f in flags))
    if len(rows) > _NAMED_ROWS:
        # Many rows are named by number alone (第1、6、7项等12项): a list of names would bury
        # the opinion.
        others = tuple(_area(f.location, result, lang) for f in flags if not _is_row(f.location))
        numbers = [str(row_number(result.indicators[n - 1])) for n in rows]
        areas = (*dict.fromkeys(others), _row_numbers(numbers, lang))
    return ReviewOpinion(
        code,
        min((f.severity for f in flags), key=RANK.__getitem__),
        opinion,
        areas,
        rows,
        tuple(dict.fromkeys(f.path for f in flags)),
        lang,
        tuple(dict.fromkeys(note for f in flags if (note := accepted_note(f, lang)))),
    )


#: Up to this many rows, an opinion names each by its number and indicator.
_NAMED_ROWS = 3


def _row_numbers(rows: Sequence[str], lang: str) -> str:
    """``第1、6、7项`` (``rows 1, 6 and 7``): rows as the form numbers them (its reports' own
    :func:`~perfscore.report.wording.row_number`), the rest counted past :data:`MAX_PLACES`."""
    shown = list(rows[:MAX_PLACES])
    extra = len(rows) - len(shown)
    if lang == "en":
        if extra:
            return f"rows {', '.join(shown)} and {extra} more"
        return f"rows {', '.join(shown[:-1])} and {shown[-1]}"
    return f"第{'、'.join(shown)}项" + (f"等{len(rows)}项" if extra else "")


# --------------------------------------------------------------------------------------------
# Places: a flag's location as the form's reader says it


def place_of(flag: Flag, result: EvaluationResult, lang: str) -> str:
    """Where ``flag`` is, as a person reading the form says it: the row as the form numbers it
    with its indicator and the field's label, then the place in the file where the reader
    knew it (``第4项「成本控制率」得分（Sheet1!H14）``, ``预算执行情况 执行率（第7行）``; in
    English ``row 4 (成本控制率), score (Sheet1!H14)``).

    The one function that words a flag's place for the review: the reports' own phrase
    (:func:`~perfscore.report.wording.flag_where`); its two parts are :func:`place_parts`.
    """
    return flag_where(flag, result, lang)


def place_parts(flag: Flag, result: EvaluationResult, lang: str) -> tuple[str, str]:
    """The two parts of a flag's place: the row and field as the form names them, and the
    place in the file (``""`` for a form made in Python)."""
    where = flag.source.text(lang) if flag.source is not None else ""
    return flag_subject(flag, result, lang), where


def _is_row(location: tuple[str | int, ...]) -> bool:
    return len(location) > 1 and location[0] == "indicators" and isinstance(location[1], int)


def _area(location: tuple[str | int, ...], result: EvaluationResult, lang: str) -> str:
    """The row (``第4项「成本控制率」``) or the part of the form (``预算执行情况``) a location
    is in: what an opinion names."""
    if not location:
        return say(lang, "整表", "the form")
    if _is_row(location):
        return row_label(result, int(location[1]), lang)
    head = str(location[0])
    spec = FORM.get(head)
    label = spec.label if spec is not None and lang != "en" else head.replace("_", " ")
    if len(location) > 1 and isinstance(location[1], int):
        label += f" 第{location[1] + 1}项" if lang != "en" else f" {location[1] + 1}"
    return label


def _joined(places: Sequence[str], lang: str) -> str:
    """Places as one list, the rest counted past :data:`MAX_PLACES`."""
    shown = list(places[:MAX_PLACES])
    if lang == "en":
        text = ", ".join(shown)
        extra = len(places) - len(shown)
        return text + (f" and {extra} more" if extra else "")
    text = "、".join(shown)
    return text + (f"等{len(places)}处" if len(places) > len(shown) else "")


def _language(result: EvaluationResult) -> str:
    """The language the result was evaluated in."""
    for item in (*result.flags, *result.indicators, result.execution):
        lang = getattr(item, "lang", None)
        if lang:
            return str(lang)
    return "zh"


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
