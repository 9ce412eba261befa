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
from perfscore.errors import PerfscoreError
from perfscore.files import atomic_path
from perfscore.report.review import Review, ReviewOpinion, review
from perfscore.words.catalogue import Severity, severity_word
from perfscore.words.messages import num, say

__all__ = ["FINDING_HEADER", "check_target", "review_document", "write_review"]

#: The columns of the table of findings.
FINDING_HEADER = {
    "zh": ("序号", "指标/位置", "问题", "审核意见", "级别"),
    "en": ("No.", "Indicator / place", "Problem", "Opinion", "Severity"),
}
_CONTENTS_HEADER = {
    "zh": ("序号", "项目名称", "单位", "年度", "重算总分", "填报总分", "错误", "警告", "提示"),
    "en": ("No.", "Project", "Unit", "Year", "Total", "Printed", "Errors", "Warnings", "Notes"),
}
# Widths of the findings table's columns in centimetres: an A4 page's 17 cm of text.
_FINDING_WIDTHS = (1.3, 3.6, 4.9, 4.9, 1.7)
_CONTENTS_WIDTHS = (1.3, 4.2, 3.6, 1.2, 1.8, 1.8, 1.1, 1.1, 1.1)
# The font Chinese text is set in (宋体, on every Chinese Windows; LibreOffice substitutes its
# CJK font where it is missing), and the Latin one beside it.
_EAST_ASIAN_FONT = "宋体"
_LATIN_FONT = "Times New Roman"
_SEVERITY_COLOUR = {Severity.ERROR: "C00000", Severity.WARNING: "9C5700", Severity.INFO: "404040"}


def check_target(target: str | Path | None) -> None:
    """Refuse a target the Word review cannot be written to: none or ``-`` (standard output:
    a Word file is no text for a terminal or a pipe) and a name not ending in ``.docx``.

    :raises PerfscoreError: saying what to give instead.
    """
    if target is None or str(target) == "-":
        raise PerfscoreError(
            "--format docx writes a Word file, not to standard output",
            expected="-o FILE.docx",
        )
    if Path(target).suffix.lower() != ".docx":
        raise PerfscoreError(
            "--format docx writes a Word file, not this name",
            source=str(target),
            expected="a name ending in .docx",
        )


def write_review(
    results: Sequence[EvaluationResult],
    target: str | Path,
    lang: str = "zh",
    failures: Sequence[str] = (),
) -> None:
    """Write the Word review of ``results`` to ``target`` (a ``.docx`` file), whole or not at
    all: written beside it and renamed when complete.

    :raises PerfscoreError: the target cannot be written.
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
    document.add_heading(document.core_properties.title, 0)
    if len(reviews) > 1 or failures:
        _contents(document, reviews, lang, failures)
    for number, item in enumerate(reviews, 1):
        if number > 1 or len(reviews) > 1 or failures:
            document.add_page_break()
        _form_section(document, item, number if len(reviews) > 1 else None)
    if failures:
        document.add_page_break()
        document.add_heading(say(lang, "未能读取的文件", "Files that could not be read"), 1)
        for line in failures:
            document.add_paragraph(line, style="List Bullet")
    if not reviews and not failures:
        document.add_paragraph(say(lang, "没有可审核的表。", "No form to review."))
    return document


# --------------------------------------------------------------------------------------------
# Sections


def _contents(document: Any, reviews: Sequence[Review], lang: str, failures: Sequence[str]) -> None:
    """The contents table: one row per form, its totals and counts."""
    document.add_heading(say(lang, "目录", "Contents"), 1)
    rows = [
        (
            str(n),
            item.result.form.printed("project") or say(lang, "（未命名项目）", "(unnamed)"),
            item.result.form.printed("unit"),
            str(item.result.form.year or ""),
            num(item.total) or "-",
            num(item.reported_total) or "-",
            *(str(item.count(s)) for s in Severity),
        )
        for n, item in enumerate(reviews, 1)
    ]
    table = _table(
        document, _CONTENTS_HEADER["en" if lang == "en" else "zh"], rows, _CONTENTS_WIDTHS
    )
    for n, row in enumerate(table.rows[1:], 1):
        _link(row.cells[1].paragraphs[0], _anchor(n))  # a click goes to the form's heading
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
    document.add_paragraph(summary)


def _form_section(document: Any, item: Review, number: int | None) -> None:
    """One form: heading, summary, opinions and conclusion, findings, signature line."""
    lang, form = item.lang, item.result.form
    project = form.printed("project") or say(lang, "（未命名项目）", "(unnamed project)")
    about = [p for p in (form.printed("unit"), str(form.year or "")) if p]
    if about:
        project += say(lang, f"（{'，'.join(about)}）", f" ({', '.join(about)})")
    heading = document.add_heading(f"{number}. {project}" if number else project, 1)
    if number:
        _bookmark(heading, _anchor(number), number)
    facts = [
        (say(lang, "项目编码", "Code"), form.code or ""),
        (say(lang, "文件", "File"), item.result.source or ""),
    ]
    line = "　".join(f"{k}：{v}" if lang != "en" else f"{k}: {v}" for k, v in facts if v)
    if line:
        document.add_paragraph(line)
    document.add_heading(say(lang, "审核摘要", "Summary"), 2)
    _table(document, None, item.summary_rows(), (5.0, 12.0))
    # What the unit must act on comes first and alone; notes follow under their own heading,
    # for reference, so that a form with forty notes still reads as its two real problems.
    document.add_heading(say(lang, "审核意见", "Opinions"), 2)
    _opinions(document, [o for o in item.opinions if o.severity != Severity.INFO], lang)
    conclusion = document.add_paragraph()
    _run(conclusion, say(lang, "审核结论：", "Conclusion: "), bold=True)
    _run(conclusion, item.conclusion)
    notes = [o for o in item.opinions if o.severity == Severity.INFO]
    if notes:
        document.add_heading(say(lang, "提示（供参考）", "Notes (for reference)"), 2)
        _opinions(document, notes, lang)
    findings = item.findings
    if findings:
        document.add_heading(say(lang, "问题清单", "Findings"), 2)
        rows = [
            (str(n), f.place, f.problem, f.ask, severity_word(f.severity, lang))
            for n, f in enumerate(findings, 1)
        ]
        colours = [f.severity for f in findings]
        header = FINDING_HEADER["en" if lang == "en" else "zh"]
        _table(document, header, rows, _FINDING_WIDTHS, colours)
    document.add_paragraph()
    document.add_paragraph(
        say(
            lang,
            "审核人：                    审核日期：        年    月    日",
            "Reviewer:                    Date:",
        )
    )


def _opinions(document: Any, opinions: Sequence[ReviewOpinion], lang: str) -> None:
    """Opinions numbered, each marked with its severity."""
    for n, opinion in enumerate(opinions, 1):
        paragraph = document.add_paragraph()
        _run(paragraph, f"{n}. ")
        _run(paragraph, f"[{severity_word(opinion.severity, lang)}] ", opinion.severity)
        _run(paragraph, opinion.text)


# --------------------------------------------------------------------------------------------
# Word's pieces


def _page_setup(document: Any, lang: str) -> None:
    """A4 portrait, 2 cm margins, the Chinese font on every style used, page numbers below."""
    from docx.shared import Cm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        style = document.styles[name]
        _fonts(style.element, style.font)
    document.styles["Normal"].font.size = Pt(10.5)  # 五号, the size of an official letter
    _language(document.styles["Normal"].element, lang)
    properties = document.core_properties
    properties.title = say(lang, "预算绩效自评审核意见", "Review of performance self-evaluations")
    properties.language = say(lang, "zh-CN", "en")
    # The template's own author, note and 2013 dates would otherwise stand on the review.
    properties.author = properties.last_modified_by = "perfscore"
    properties.comments = ""
    properties.created = properties.modified = datetime.now(UTC).replace(tzinfo=None)
    footer = section.footer.paragraphs[0]
    footer.alignment = 1  # centred
    _run(footer, say(lang, "第 ", "Page "))
    _page_field(footer)
    _run(footer, say(lang, " 页", ""))


def _language(element: Any, lang: str) -> None:
    """The text's language, so Word checks Chinese as Chinese (and English as English)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = element.get_or_add_rPr()
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    mark = OxmlElement("w:lang")
    mark.set(qn("w:val"), say(lang, "zh-CN", "en-GB"))
    mark.set(qn("w:eastAsia"), "zh-CN")
    properties.append(mark)  # last: nothing a style sets comes after it in w:rPr


def _fonts(element: Any, font: Any) -> None:
    """Set the Latin and the East Asian font of a style or run (python-docx sets the Latin
    one only, and Word then draws Chinese in whatever font it finds)."""
    from docx.oxml.ns import qn

    font.name = _LATIN_FONT
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), _EAST_ASIAN_FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one


def _page_field(paragraph: Any) -> None:
    """A PAGE field: Word and LibreOffice put the page's number there."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind is None:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _run(paragraph: Any, text: str, severity: Severity | None = None, *, bold: bool = False) -> Any:
    run = paragraph.add_run(text)
    if severity is not None:
        run.font.color.rgb = _rgb(_SEVERITY_COLOUR[severity])
        run.bold = severity == Severity.ERROR
    if bold:
        run.bold = True
    return run


def _rgb(hex_colour: str) -> Any:
    from docx.shared import RGBColor

    return RGBColor.from_string(hex_colour)


def _table(
    document: Any,
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    colours: Sequence[Severity] | None = None,
) -> Any:
    """A ruled table: its header row (bold, shaded) repeats on every page it runs over, no row
    splits across a page, and the last column is coloured by ``colours`` (a severity per row)
    where given."""
    from docx.shared import Cm

    table = document.add_table(rows=0, cols=len(widths), style="Table Grid")
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid: what LibreOffice lays the table out by
    lines = ([header] if header else []) + [list(r) for r in rows]
    for i, line in enumerate(lines):
        cells = table.add_row().cells
        for j, text in enumerate(line):
            cells[j].width = Cm(widths[j])
            paragraph = cells[j].paragraphs[0]
            is_header = header is not None and i == 0
            severity = colours[i - (1 if header else 0)] if colours and not is_header else None
            _run(paragraph, text, severity if j == len(line) - 1 else None, bold=is_header)
            if is_header:
                _shade(cells[j])
        _row_mark(table.rows[i], "w:cantSplit")  # a row is read whole, never across a page
        if header is not None and i == 0:
            _row_mark(table.rows[0], "w:tblHeader")  # the header repeats on every page
    return table


def _shade(cell: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "D9E2F3")
    cell._tc.get_or_add_tcPr().append(shading)


def _anchor(number: int) -> str:
    """The bookmark of the ``number``-th form's heading."""
    return f"form_{number}"


def _bookmark(paragraph: Any, name: str, number: int) -> None:
    """Mark ``paragraph`` as the bookmark ``name`` (what a contents link points at)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _link(paragraph: Any, anchor: str) -> None:
    """Make the runs of ``paragraph`` a link to the bookmark ``anchor``, shown as links are."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    for run in list(paragraph.runs):
        run.font.underline = True
        run.font.color.rgb = _rgb("0563C1")
        link.append(run._r)  # moved from the paragraph into the link
    paragraph._p.append(link)


def _row_mark(row: Any, tag: str) -> None:
    """Switch on a row property (``w:cantSplit``, ``w:tblHeader``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    mark = OxmlElement(tag)
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)
