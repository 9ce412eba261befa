"""The Word review (``perfscore score --format docx``): what an auditor sends back to the units.

One document for a batch: a title, a contents table when there is more than one form (project,
unit, year, totals and counts, each form's page), then per form a heading (project, unit,
year), the review summary (:mod:`perfscore.report.review`: printed and recomputed total, the
verified share), the opinions in order of severity with the conclusion, a table of findings
(序号, 指标/位置, 问题, 审核意见, 级别) and a line for the reviewer's signature.  Files that
could not be read are listed at the end.  Every text is in the review's language; Chinese text
is set in a Chinese font, so Word and LibreOffice show it without substituting glyphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from perfscore.engine.results import EvaluationResult
from perfscore.errors import OutputError
from perfscore.files import atomic_path
from perfscore.report import wordml
from perfscore.report.review import Review, ReviewOpinion, review
from perfscore.waivers import accepted_label
from perfscore.words.catalogue import Severity, severity_word
from perfscore.words.messages import num, say

__all__ = ["FINDING_HEADER", "check_target", "review_document", "write_review"]

#: The columns of the table of findings.
FINDING_HEADER = {
    "zh": ("序号", "指标/位置", "问题", "审核意见", "级别"),
    "en": ("No.", "Indicator / place", "Problem", "Opinion", "Severity"),
}
_CONTENTS_HEADER = {
    "zh": (
        "序号",
        "项目名称",
        "单位",
        "年度",
        "重算总分",
        "填报总分",
        "错误",
        "警告",
        "提示",
        "已接受",
    ),
    "en": (
        "No.",
        "Project",
        "Unit",
        "Year",
        "Total",
        "Printed",
        "Errors",
        "Warnings",
        "Notes",
        "Accepted",
    ),
}
# Widths of the findings table's columns in centimetres: an A4 page's 17 cm of text.
_FINDING_WIDTHS = (1.3, 3.6, 4.9, 4.9, 1.7)
_CONTENTS_WIDTHS = (1.1, 3.8, 3.2, 1.2, 1.6, 1.6, 1.1, 1.1, 1.1, 1.2)
# The font Chinese text is set in (宋体, on every Chinese Windows; LibreOffice substitutes its
# CJK font where it is missing), and the Latin one beside it.
_EAST_ASIAN_FONT = "宋体"
_LATIN_FONT = "Times New Roman"
_SEVERITY_COLOUR = {Severity.ERROR: "C00000", Severity.WARNING: "9C5700", Severity.INFO: "404040"}
_ACCEPTED_COLOUR = "38761D"


def check_target(target: str | Path | None) -> None:
    """Refuse a target the Word review cannot be written to: none or ``-`` (standard output:
    a Word file is no text for a terminal or a pipe), a name not ending in ``.docx``, a file in
    a folder that does not exist.

    :raises OutputError: saying what to give instead (exit code 6).
    """
    if target is None or str(target) == "-":
        raise OutputError(
            "--format docx writes a Word file, not to standard output",
            expected="-o FILE.docx",
        )
    if Path(target).suffix.lower() != ".docx":
        raise OutputError(
            "--format docx writes a Word file, not this name",
            source=str(target),
            expected="a name ending in .docx",
        )
    folder = Path(target).parent
    if not folder.is_dir():  # found out now, not after every form has been scored
        raise OutputError(
            f"the folder {folder} does not exist", source=str(target), expected="an existing folder"
        )


def write_review(
    results: Sequence[EvaluationResult],
    target: str | Path,
    lang: str = "zh",
    failures: Sequence[str] = (),
) -> None:
    """Write the Word review of ``results`` to ``target`` (a ``.docx`` file), whole or not at
    all: written beside it and renamed when complete.

    :raises OutputError: the target cannot be written.
    """
    document = review_document(results, lang, failures)
    with atomic_path(target) as temporary:
        document.save(str(temporary))


def review_document(
    results: Sequence[EvaluationResult], lang: str = "zh", failures: Sequence[str] = ()
) -> Any:
    """The Word review of ``results`` as a ``docx.Document`` (``failures``: one line for each
    file that could not be read)."""
    import docx  # only this format needs python-docx: imported on use

    document: Any = docx.Document()
    _page_setup(document, lang)
    reviews = [review(r, lang) for r in results]
    wordml.heading(document, document.core_properties.title, 0)
    if len(reviews) > 1 or failures:
        _contents(document, reviews, lang, failures)
    for number, item in enumerate(reviews, 1):
        if number > 1 or len(reviews) > 1 or failures:
            document.add_page_break()
        _form_section(document, item, number if len(reviews) > 1 else None)
    if failures:
        document.add_page_break()
        wordml.heading(document, say(lang, "未能读取的文件", "Files that could not be read"), 1)
        for line in failures:
            wordml.bullet(document, line)
    if not reviews and not failures:
        wordml.run(document.add_paragraph(), say(lang, "没有可审核的表。", "No form to review."))
    return document


# --------------------------------------------------------------------------------------------
# Sections


def _contents(document: Any, reviews: Sequence[Review], lang: str, failures: Sequence[str]) -> None:
    """The contents table: one row per form, its totals and counts."""
    wordml.heading(document, say(lang, "目录", "Contents"), 1)
    rows = [
        (
            str(n),
            item.result.form.printed("project") or say(lang, "（未命名项目）", "(unnamed)"),
            item.result.form.printed("unit"),
            str(item.result.form.year or ""),
            num(item.total) or "-",
            num(item.reported_total) or "-",
            *(str(item.count(s)) for s in Severity),
            str(item.accepted),
        )
        for n, item in enumerate(reviews, 1)
    ]
    header = _CONTENTS_HEADER["en" if lang == "en" else "zh"]
    # Each project a link to its form's heading.
    anchors = [_anchor(n) for n in range(1, len(rows) + 1)]
    wordml.table(document, header, rows, _CONTENTS_WIDTHS, anchors=anchors)
    counts = {s: sum(item.count(s) for item in reviews) for s in Severity}
    summary = say(
        lang,
        f"共 {len(reviews)} 张表；错误 {counts[Severity.ERROR]} 处，"
        f"警告 {counts[Severity.WARNING]} 处，提示 {counts[Severity.INFO]} 处。",
        f"{len(reviews)} form{'s' * (len(reviews) != 1)}: {counts[Severity.ERROR]} errors, "
        f"{counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} notes.",
    )
    if failures:
        summary += say(
            lang,
            f"另有 {len(failures)} 个文件未能读取（见文末）。",
            f" {len(failures)} file{'s' * (len(failures) != 1)} could not be read (listed at "
            "the end).",
        )
    wordml.run(document.add_paragraph(), summary)


def _form_section(document: Any, item: Review, number: int | None) -> None:
    """One form: heading, summary, opinions and conclusion, findings, signature line."""
    lang, form = item.lang, item.result.form
    project = form.printed("project") or say(lang, "（未命名项目）", "(unnamed project)")
    about = [p for p in (form.printed("unit"), str(form.year or "")) if p]
    if about:
        project += say(lang, f"（{'，'.join(about)}）", f" ({', '.join(about)})")
    heading = wordml.heading(document, f"{number}. {project}" if number else project, 1)
    if number:
        wordml.bookmark(heading, _anchor(number), number)
    facts = [
        (say(lang, "项目编码", "Code"), form.code or ""),
        (say(lang, "文件", "File"), item.result.source or ""),
    ]
    line = "　".join(f"{k}：{v}" if lang != "en" else f"{k}: {v}" for k, v in facts if v)
    if line:
        wordml.run(document.add_paragraph(), line)
    wordml.heading(document, say(lang, "审核摘要", "Summary"), 2)
    wordml.table(document, None, item.summary_rows(), (5.0, 12.0))
    # What the unit must act on comes first and alone; notes follow under their own heading,
    # for reference, so that a form with forty notes still reads as its two real problems.
    wordml.heading(document, say(lang, "审核意见", "Opinions"), 2)
    acted = [o for o in item.opinions if o.severity != Severity.INFO and not o.accepted]
    _opinions(document, acted, lang)
    conclusion = document.add_paragraph()
    wordml.run(conclusion, say(lang, "审核结论：", "Conclusion: "), bold=True)
    wordml.run(conclusion, item.conclusion)
    notes = [o for o in item.opinions if o.severity == Severity.INFO and not o.accepted]
    if notes:
        wordml.heading(document, say(lang, "提示（供参考）", "Notes (for reference)"), 2)
        _opinions(document, notes, lang)
    accepted = [o for o in item.opinions if o.accepted]
    if accepted:  # listed with why, so the unit sees what was settled
        wordml.heading(document, say(lang, "已接受的问题", "Accepted findings"), 2)
        _opinions(document, accepted, lang)
    _findings(document, item)
    document.add_paragraph()
    signature = say(
        lang,
        "审核人：                    审核日期：        年    月    日",
        "Reviewer:                    Date:",
    )
    wordml.run(document.add_paragraph(), signature)


def _findings(document: Any, item: Review) -> None:
    """The table of findings: one row per flag, its cell or line on a line of its own under
    its row and field (it reads whole there); an accepted one says why in place of the
    request."""
    lang, findings = item.lang, item.findings
    if not findings:
        return
    wordml.heading(document, say(lang, "问题清单", "Findings"), 2)
    rows = [
        (
            str(n),
            "\n".join(filter(None, (f.subject, f.where))),
            f.problem,
            f.accepted or f.ask,
            severity_word(f.severity, lang) + (f"\n{accepted_label(lang)}" if f.accepted else ""),
        )
        for n, f in enumerate(findings, 1)
    ]
    colours = [_ACCEPTED_COLOUR if f.accepted else _SEVERITY_COLOUR[f.severity] for f in findings]
    header = FINDING_HEADER["en" if lang == "en" else "zh"]
    wordml.table(document, header, rows, _FINDING_WIDTHS, colours=colours)


def _opinions(document: Any, opinions: Sequence[ReviewOpinion], lang: str) -> None:
    """Opinions numbered, each marked with its severity."""
    for n, opinion in enumerate(opinions, 1):
        paragraph = document.add_paragraph()
        colour = _ACCEPTED_COLOUR if opinion.accepted else _SEVERITY_COLOUR[opinion.severity]
        wordml.run(paragraph, f"{n}. ")
        marker = f"[{severity_word(opinion.severity, lang)}] "
        error = opinion.severity == Severity.ERROR and not opinion.accepted
        wordml.run(paragraph, marker, colour, bold=error)
        wordml.run(paragraph, opinion.text)


# --------------------------------------------------------------------------------------------
# The page


def _page_setup(document: Any, lang: str) -> None:
    """A4 portrait, 2 cm margins, the Chinese font on every style used, page numbers below."""
    from docx.shared import Cm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        wordml.style_fonts(document.styles[name], _LATIN_FONT, _EAST_ASIAN_FONT)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)  # 五号, the size of an official letter
    wordml.style_language(normal, say(lang, "zh-CN", "en-GB"), "zh-CN")
    properties = document.core_properties
    properties.title = say(lang, "预算绩效自评审核意见", "Review of performance self-evaluations")
    properties.language = say(lang, "zh-CN", "en")
    # The template's own author, note and 2013 dates would otherwise stand on the review.
    properties.author = properties.last_modified_by = "perfscore"
    properties.comments = ""
    properties.created = properties.modified = datetime.now(UTC).replace(tzinfo=None)
    footer = section.footer.paragraphs[0]
    footer.alignment = 1  # centred
    wordml.run(footer, say(lang, "第 ", "Page "))
    wordml.page_field(footer)
    wordml.run(footer, say(lang, " 页", ""))


def _anchor(number: int) -> str:
    """The bookmark of the ``number``-th form's heading."""
    return f"form_{number}"
