"""What the page takes from the auditor's workbench (issue 24), in one place.

The page shows, for each flag, its severity in words, where it is (a cell, a page, a line, else
the field path), the review opinion (审核意见) and whether a waiver accepted it; it offers the
Word review for download and takes a waivers file.  The review and the Word review are looked
up when first asked for (:mod:`perfscore.report.review`, :mod:`perfscore.report.docx`: they
load python-docx and the opinions only when used); the rest is the core's own.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from perfscore.engine.pipeline import EvaluationResult
from perfscore.waivers import Waivers, accepted_note
from perfscore.waivers import load_waivers as waivers_from
from perfscore.words.catalogue import severity_word
from perfscore.words.flags import Flag

__all__ = [
    "accepted",
    "asks",
    "has_word_review",
    "load_waivers",
    "opinions",
    "place",
    "review_of",
    "severity_word",
    "stale",
    "word_review",
]


def place(flag: Flag, lang: str) -> str:
    """Where the flag points in the file (``Sheet1!H14``, 第2页 表1第5行, 第57行), else its
    field path (``indicators[3].score``)."""
    return flag.place(lang)


def review_of(result: EvaluationResult, lang: str) -> Any:
    """The review summary of a form (``perfscore.report.review.review``), or None when this
    perfscore writes no review opinions."""
    module = _module("perfscore.report.review")
    return None if module is None else module.review(result, lang)


def asks(review: Any, lang: str) -> dict[str, str]:
    """What the review asks the unit to do, by flag code (``请补充偏差原因分析及改进措施``)."""
    if review is None:
        return {}
    return {o.code: o.opinion.ask_in(lang) for o in review.opinions}


def opinions(review: Any) -> list[tuple[str, str]]:
    """The review's opinions in order of severity: (severity, the opinion as a paragraph)."""
    if review is None:
        return []
    return [(str(o.severity), o.text) for o in review.opinions]


def accepted(flag: Flag, lang: str) -> str | None:
    """The note on a flag a waiver accepted (``已接受（原因，审核人，日期）``), or None when it
    stands."""
    return accepted_note(flag, lang) if flag.waiver is not None else None


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def has_word_review() -> bool:
    """Whether this perfscore writes the Word review (``--format docx``)."""
    return _word_writer() is not None


def _word_writer() -> Any:
    module = _module("perfscore.report.docx")
    return getattr(module, "write_review", None) if module is not None else None


def word_review(
    results: Sequence[EvaluationResult], lang: str, target: Path, failures: Sequence[str] = ()
) -> bool:
    """Write the Word review of ``results`` (and a line per file that could not be read) to
    ``target``; False when this perfscore has no Word review."""
    writer = _word_writer()
    if writer is None:
        return False
    writer(results, target, lang, failures)
    return True


def load_waivers(path: Path) -> Waivers:
    """The waivers in the file at ``path``, to pass to scoring as ``waivers=``.

    :raises WaiverError: the file is not a waivers file.
    """
    return waivers_from(path)


def stale(waivers: Waivers | None, results: Sequence[EvaluationResult]) -> list[str]:
    """The waivers that matched no flag, a line each (``waivers.yaml:7: 项目 2024 code 第2项``)."""
    if waivers is None:
        return []
    return [f"{w.where}: {w.describe()}" for w in waivers.stale(results)]
