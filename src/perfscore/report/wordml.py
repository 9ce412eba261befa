"""Word's pieces for the Word review (:mod:`perfscore.report.docx`): paragraphs, runs, tables,
fields and bookmarks, written as WordprocessingML into a python-docx document.

Tables are built as one piece of XML and parsed once: python-docx adding a table cell by cell
spends most of a review's time (a style looked up by name on every paragraph, a width set on
every cell).  Every text passes through :func:`clean` first: a form's cell or file name may
hold a control character or a lone surrogate, which XML cannot hold and python-docx refuses
with a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

__all__ = [
    "TWIPS_PER_CM",
    "bookmark",
    "bullet",
    "clean",
    "heading",
    "page_field",
    "run",
    "style_fonts",
    "style_language",
    "table",
]

# Not allowed in XML 1.0: C0 controls other than tab, newline and return; lone surrogates; the
# two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The style ids of python-docx's default template, by what they are for.
_STYLE = {0: "Title", 1: "Heading1", 2: "Heading2", "list": "ListBullet"}
#: Twentieths of a point in a centimetre: the unit of widths in WordprocessingML.
TWIPS_PER_CM = 567
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f'xmlns:w="{_W_NS}"'
_HEADER_FILL = "D9E2F3"
_LINK_COLOUR = "0563C1"


def clean(text: str) -> str:
    """``text`` as Word can hold it: what XML cannot hold replaced by U+FFFD (�)."""
    return _NOT_XML.sub("\ufffd", text)


def heading(document: Any, text: str, level: int) -> Any:
    """A heading paragraph (0 the title, 1 and 2 the levels), its style set by id."""
    paragraph = document.add_paragraph()
    paragraph._p.style = _STYLE[level]
    run(paragraph, text)
    return paragraph


def bullet(document: Any, text: str) -> Any:
    """A paragraph of a bulleted list."""
    paragraph = document.add_paragraph()
    paragraph._p.style = _STYLE["list"]
    run(paragraph, text)
    return paragraph


def run(paragraph: Any, text: str, colour: str | None = None, *, bold: bool = False) -> Any:
    """A run of ``text`` at the end of ``paragraph``, in ``colour`` (``"C00000"``), bold."""
    added = paragraph.add_run(clean(text))
    if colour is not None:
        from docx.shared import RGBColor

        added.font.color.rgb = RGBColor.from_string(colour)
    if bold:
        added.bold = True
    return added


def _run_xml(
    text: str, colour: str | None = None, *, bold: bool = False, link: bool = False
) -> str:
    properties = ("<w:b/>" if bold else "") + (f'<w:color w:val="{colour}"/>' if colour else "")
    if link:
        properties = f'<w:color w:val="{_LINK_COLOUR}"/><w:u w:val="single"/>'
    lines = [escape(clean(line)).replace("\t", " ") for line in text.split("\n")]
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
    return f"<w:r><w:rPr>{properties}</w:rPr>{body}</w:r>"


def table(
    document: Any,
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    colours: Sequence[str | None] | None = None,
    anchors: Sequence[str] | None = None,
) -> Any:
    """A ruled table of fixed column ``widths`` (in centimetres) at the end of ``document``:
    its ``header`` row bold and shaded and repeated on every page the table runs over, no row
    split across a page.  ``colours`` colours each row's last cell; ``anchors`` makes each
    row's second cell a link to that bookmark."""
    from docx.oxml import parse_xml

    twips = [round(w * TWIPS_PER_CM) for w in widths]
    parts = [
        f"<w:tbl {_W}><w:tblPr>"
        '<w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{t}"/>' for t in twips),
        "</w:tblGrid>",
    ]
    if header is not None:
        parts.append(_row_xml(header, twips, header=True))
    for i, line in enumerate(rows):
        colour = colours[i] if colours else None
        parts.append(_row_xml(line, twips, colour=colour, anchor=anchors[i] if anchors else None))
    parts.append("</w:tbl>")
    element = parse_xml("".join(parts))
    document.element.body._insert_tbl(element)  # before the section's properties
    return element


def _row_xml(
    cells: Sequence[str],
    twips: Sequence[int],
    *,
    header: bool = False,
    colour: str | None = None,
    anchor: str | None = None,
) -> str:
    marks = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    out = [f"<w:tr><w:trPr>{marks}</w:trPr>"]
    last = len(cells) - 1
    for j, text in enumerate(cells):
        shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{_HEADER_FILL}"/>' if header else ""
        if anchor is not None and j == 1:
            content = f'<w:hyperlink w:anchor="{anchor}" w:history="1">'
            content += _run_xml(text, link=True) + "</w:hyperlink>"
        else:
            content = _run_xml(text, colour if j == last else None, bold=header)
        out.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{twips[j]}" w:type="dxa"/>{shade}</w:tcPr>'
            f"<w:p>{content}</w:p></w:tc>"
        )
    out.append("</w:tr>")
    return "".join(out)


def bookmark(paragraph: Any, name: str, number: int) -> None:
    """Mark ``paragraph`` as the bookmark ``name`` (what a link's anchor points at)."""
    from docx.oxml import parse_xml

    start = parse_xml(f'<w:bookmarkStart {_W} w:id="{number}" w:name="{name}"/>')
    paragraph._p.insert(0, start)
    paragraph._p.append(parse_xml(f'<w:bookmarkEnd {_W} w:id="{number}"/>'))


def page_field(paragraph: Any) -> None:
    """A PAGE field: Word and LibreOffice put the page's number there."""
    from docx.oxml import parse_xml

    chars = [f'<w:r {_W}><w:fldChar w:fldCharType="{kind}"/></w:r>' for kind in ("begin",)]
    chars.append(f'<w:r {_W}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>')
    chars += [f'<w:r {_W}><w:fldChar w:fldCharType="{k}"/></w:r>' for k in ("separate", "end")]
    for xml in chars:
        paragraph._p.append(parse_xml(xml))


def style_fonts(style: Any, latin: str, east_asian: str) -> None:
    """Set a style's Latin and East Asian fonts (python-docx sets the Latin one only, and Word
    then draws Chinese in whatever font it finds)."""
    from docx.oxml.ns import qn

    style.font.name = latin
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one


def style_language(style: Any, language: str, east_asian: str) -> None:
    """A style's text language, so Word checks Chinese as Chinese (and English as English)."""
    from docx.oxml import parse_xml

    properties = style.element.get_or_add_rPr()
    for old in properties.findall(f"{{{_W_NS}}}lang"):
        properties.remove(old)
    # Last: nothing a style sets comes after it in w:rPr.
    properties.append(parse_xml(f'<w:lang {_W} w:val="{language}" w:eastAsia="{east_asian}"/>'))
