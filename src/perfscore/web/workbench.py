"""What the page asks of the auditor's workbench (issue 24), in one place.

The page shows, for each flag, its severity in words, where it is (a cell, a page, a line, else
the field path), the review opinion (审核意见) and whether a waiver accepted it; it offers the
Word review for download and takes a waivers file.  Each of these comes from the core library
when it provides it and falls back to what the result already says otherwise, so the page
works with what the installed perfscore has: these functions are the only place that knows.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from perfscore.engine.pipeline import EvaluationResult
from perfscore.words.catalogue import severity_word
from perfscore.words.flags import Flag

__all__ = [
    "accepted",
    "has_waivers",
    "has_word_review",
    "load_waivers",
    "opinion",
    "place",
    "severity_word",
    "word_review",
]


def place(flag: Flag, lang: str) -> str:
    """Where the flag points in the file (``Sheet1!H14``, 第2页 表1第5行, 第57行), else its
    field path (``indicators[3].score``)."""
    return flag.place(lang)


def opinion(flag: Flag, result: EvaluationResult, lang: str) -> str:
    """The review opinion (审核意见) for ``flag``, or "" when the rule set words none."""
    found = getattr(flag, "opinion", None)
    if callable(found):
        found = found(lang)
    return str(found or "")


def accepted(flag: Flag) -> str | None:
    """The reason a waiver accepted ``flag``, or None when it stands."""
    waiver = getattr(flag, "waiver", None) or getattr(flag, "waived", None)
    if not waiver:
        return None
    reason = getattr(waiver, "reason", waiver)
    return str(reason) if reason is not True else ""


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def has_word_review() -> bool:
    """Whether this perfscore writes the Word review (``--format docx``)."""
    return word_review_writer() is not None


def word_review_writer() -> Any:
    """The core's Word review writer, or None."""
    module = _module("perfscore.report.docx")
    return getattr(module, "review_document", None) if module is not None else None


def word_review(results: Sequence[EvaluationResult], lang: str, target: Path) -> bool:
    """Write the Word review of ``results`` to ``target``; False when this perfscore has no
    Word review."""
    writer = word_review_writer()
    if writer is None:
        return False
    writer(results, target, lang=lang)
    return True


def has_waivers() -> bool:
    """Whether this perfscore reads waivers files."""
    return _module("perfscore.waivers") is not None


def load_waivers(path: Path) -> Any:
    """The waivers in the file at ``path``, to pass to scoring as ``waivers=``.

    :raises PerfscoreError: the file is not a waivers file.
    """
    module = _module("perfscore.waivers")
    if module is None:
        return None
    return module.load_waivers(path)
