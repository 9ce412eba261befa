"""Results as the page's templates read them: plain mappings of text, nothing computed there.

Numbers are written as the reports write them (:func:`perfscore.words.messages.num`), words in
the batch's language; the templates escape every value (Jinja2 with autoescape on), so nothing
here builds HTML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from perfscore.batch import Failure
from perfscore.engine.pipeline import EvaluationResult, IndicatorResult
from perfscore.report.formats import INDICATOR_HEADER, scored, verified_words
from perfscore.report.wording import Tally, flag_subject, flag_title, money, row_number
from perfscore.waivers import accepted_label
from perfscore.web import workbench
from perfscore.web.jobs import Progress, Upload
from perfscore.words.catalogue import CATALOGUE, RANK
from perfscore.words.flags import Flag
from perfscore.words.messages import num, percent, say, status

__all__ = ["batch_view", "form_view", "progress_view"]

_RANK = {str(severity): rank for severity, rank in RANK.items()}


def _flag(flag: Flag, result: EvaluationResult, lang: str, asks: dict[str, str]) -> dict[str, Any]:
    reason = workbench.accepted(flag, lang)
    return {
        "severity": str(flag.severity),
        "severity_word": workbench.severity_word(flag.severity, lang),
        "code": flag.code,
        "title": flag_title(flag, lang),
        "subject": flag_subject(flag, result, lang),
        "message": flag.message_in(lang),
        "place": workbench.place(flag, lang),
        "path": flag.path,
        "opinion": asks.get(flag.code, ""),
        "accepted": reason is not None,
        "reason": reason or "",
    }


def _cell_flags(flags: Sequence[Flag], *location: str | int) -> str:
    """The worst severity among the flags on one cell (for its colour), or ""."""
    found = {str(f.severity) for f in flags if f.location == location and f.severity != "info"}
    return "error" if "error" in found else "warning" if found else ""


def _differs(printed: Decimal | None, recomputed: Decimal | None) -> bool:
    return printed is not None and recomputed is not None and printed != recomputed


def _row(result: EvaluationResult, r: IndicatorResult, lang: str) -> dict[str, Any]:
    ind = r.indicator
    at = ("indicators", r.index)
    flags = [f for f in result.flags if f.location[:2] == at and f.severity != "info"]
    return {
        "index": r.index,
        "number": row_number(r),
        "level1": ind.printed("level1"),
        "level2": ind.printed("level2"),
        "name": ind.printed("name"),
        "target": ind.printed("target"),
        "actual": ind.printed("actual"),
        "reason": ind.printed("reason"),
        "status": status(r.status, lang),
        "status_code": r.status,
        "weight": num(r.weight),
        "printed": num(r.reported_score),
        "recomputed": num(r.score),
        "differs": _differs(r.reported_score, r.score),
        "flagged": bool(flags),
        "cells": {
            name: _cell_flags(result.flags, *at, name)
            for name in ("name", "target", "actual", "weight", "score", "reason")
        },
    }


def _execution(result: EvaluationResult, lang: str) -> dict[str, Any] | None:
    ex = result.execution
    if ex is None or result.form.kind == "targets":
        return None
    return {
        "budget": money(ex.budget, result.form.money_unit, lang),
        "executed": money(ex.executed, result.form.money_unit, lang),
        "rate": percent(ex.rate) or "-",
        "scored": scored(result),
        "weight": num(ex.weight),
        "printed": num(ex.reported_score),
        "recomputed": num(ex.score),
        "differs": _differs(ex.reported_score, ex.score),
        "cells": {
            name: _cell_flags(result.flags, "budget", name)
            for name in ("adjusted", "executed", "rate", "score")
        },
    }


def form_view(number: int, upload: Upload, result: EvaluationResult, lang: str) -> dict[str, Any]:
    """One form: heading, budget execution, indicators printed and recomputed side by side,
    total, and its flags (worst first) with place, opinion and waiver."""
    form = result.form
    flags = sorted(result.flags, key=lambda f: (RANK[f.severity], f.sort_key()))  # worst first
    names = INDICATOR_HEADER["en" if lang == "en" else "zh"]
    review = workbench.review_of(result, lang)
    asks = workbench.asks(review, lang)
    return {
        "number": number,
        "file": upload.name,
        "source": result.source or upload.name,
        "title": form.printed("project") or result.source or upload.name,
        "meta": " · ".join(str(x) for x in (form.year, form.printed("unit")) if x),
        "rules": result.rules,
        "targets_only": form.kind == "targets",
        "execution": _execution(result, lang),
        "header": names,
        "rows": [_row(result, r, lang) for r in result.indicators],
        "total": {
            "printed": num(result.reported_total),
            "recomputed": num(result.total),
            "differs": _differs(result.reported_total, result.total),
            "grade": result.grade or "",
            "verified": verified_words(result, lang).strip(),
            "cell": _cell_flags(result.flags, "total"),
        },
        "flags": [_flag(f, result, lang, asks) for f in flags],
        "opinions": [
            {"severity": sev, "word": workbench.severity_word(sev, lang), "text": text}
            for sev, text in workbench.opinions(review)
        ],
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "closing": Tally.of(result).text(lang, one=True),
    }


def progress_view(progress: Progress, lang: str) -> dict[str, Any]:
    """The JSON the page polls: state, files done of total, and a line per finished form."""
    forms = []
    failures = []
    for number, (upload, item) in enumerate(progress.items):
        if isinstance(item, Failure):
            failures.append({"file": upload.name, "message": item.message})
            continue
        forms.append(
            {
                "number": number,
                "file": upload.name,
                "title": item.form.printed("project") or upload.name,
                "printed": num(item.reported_total),
                "recomputed": num(item.total),
                "errors": len(item.errors),
                "warnings": len(item.warnings),
            }
        )
    return {
        "state": progress.state,
        "done": progress.done,
        "total": progress.total,
        "forms": forms,
        "failures": failures,
        "lang": lang,
    }


def batch_view(progress: Progress, lang: str, waivers: Any = None) -> dict[str, Any]:
    """The whole report: summary counts, the forms, the files that could not be read, the
    flags counted by code, and the waivers that matched nothing."""
    forms = [
        form_view(number, upload, item, lang)
        for number, (upload, item) in enumerate(progress.items)
        if isinstance(item, EvaluationResult)
    ]
    results = [item for _, item in progress.items if isinstance(item, EvaluationResult)]
    codes = Counter((str(f.severity), f.code) for r in results for f in r.flags)
    accepted = sum(1 for r in results for f in r.flags if f.waiver is not None)
    failures = [
        {"file": upload.name, "message": item.message}
        for upload, item in progress.items
        if isinstance(item, Failure)
    ]
    tally = sum((Tally.of(r) for r in results), Tally())
    return {
        "forms": forms,
        "failures": failures,
        "closing": tally.text(lang, unread=len(failures)),
        "stale": workbench.stale(waivers, results),
        "counts": {
            "forms": len(results),
            "errors": sum(len(r.errors) for r in results),
            "warnings": sum(len(r.warnings) for r in results),
            "mismatched": sum(1 for f in forms if f["total"]["differs"]),
            "accepted": accepted,
        },
        "codes": [
            {
                "severity": sev,
                "word": workbench.severity_word(sev, lang),
                "code": c,
                "title": CATALOGUE[c].title_in(lang),
                "count": n,
            }
            for (sev, c), n in sorted(
                codes.items(), key=lambda kv: (_RANK[kv[0][0]], -kv[1], kv[0])
            )
        ],
        "t": _words(lang),
    }


def _code_order(item: tuple[tuple[str, str], int]) -> tuple[int, int, str]:
    """Errors first, then warnings, then notes; the commonest first within each."""
    (severity, code), count = item
    return _RANK.get(severity, 3), -count, code


def _words(lang: str) -> dict[str, str]:
    """The page's fixed words in ``lang`` (zh: the form's own)."""
    pairs = {
        "summary": ("汇总", "Summary"),
        "forms": ("张表", "forms"),
        "errors": ("错误", "errors"),
        "warnings": ("警告", "warnings"),
        "mismatched": ("总分不符", "totals that differ"),
        "accepted": ("已接受", "accepted"),
        "unreadable": ("无法读取的文件", "Files that could not be read"),
        "codes": ("问题代码", "Flags by code"),
        "budget": ("全年预算数", "Budget"),
        "executed": ("全年执行数", "Executed"),
        "rate": ("执行率", "Rate"),
        "weight": ("分值", "Weight"),
        "printed": ("填报得分", "Printed"),
        "recomputed": ("重算得分", "Recomputed"),
        "reason": ("偏差原因", "Reason"),
        "total": ("总分", "Total"),
        "grade": ("等级", "Grade"),
        "execution": ("预算执行", "Budget execution"),
        "flags": ("问题", "Findings"),
        "where": ("位置", "Where"),
        "opinion": ("审核意见", "Review opinion"),
        "severity": ("级别", "Severity"),
        "code": ("代码", "Code"),
        "count": ("次数", "Count"),
        "file": ("文件", "File"),
        "form": ("表", "Form"),
        "waived": (accepted_label("zh"), accepted_label("en")),
        "none": ("未发现错误或警告", "No errors or warnings"),
        "notes": ("提示", "Notes"),
        "explain": ("点击数字查看计算过程", "Click a number to see how it was reached"),
        "opinions": ("审核意见", "Review opinions"),
        "stale": (
            "未匹配任何问题的豁免（可能已过时）",
            "Waivers that matched no finding (perhaps stale)",
        ),
    }
    return {key: say(lang, zh, en) for key, (zh, en) in pairs.items()}
