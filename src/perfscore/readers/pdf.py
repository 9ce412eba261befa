"""Forms in PDF documents, read through pdfplumber.

Each page is read top to bottom as rows of one grid: a ruled table (found by its ruling lines)
gives its rows, a line of text outside the tables one row (the title 项目支出绩效自评表, a
heading ``项目名称： X``).  A table continued over a page break simply continues on the next
page's rows, a header repeated there is skipped by the grid reader, and a cell spanning several
rows or columns carries its text into every position it covers.  A cell's text wrapped over
several lines is joined (without a space between Chinese characters, with one between words).

Text is normalised as it is read: PDFs often draw 目, 支, 工 with the Kangxi radical or
compatibility characters (``⽬`` U+2F6C, ``⽀`` U+2F40), which look the same but are other
characters; NFKC maps them to the ordinary ones.  Only those characters are mapped, so
``㎡`` and full-width punctuation stay as printed.

A PDF without ruled tables (a text-only publication) is read as published text
(:mod:`perfscore.readers.text`).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from io import BytesIO
from typing import Any

from perfscore.errors import FormError
from perfscore.readers.docx import paragraph_cells
from perfscore.readers.grid import GridForm, forms_from_grid
from perfscore.readers.pdfbounds import check_page, check_pages, open_error
from perfscore.readers.spreadsheet import MAX_CELLS

__all__ = ["MAX_PAGES", "forms_from_pdf", "normalise", "pdf_grid"]

#: Most pages read from one PDF (a department's budget document runs to a few hundred).
MAX_PAGES = 2_000

# Kangxi radicals, CJK radicals supplement, compatibility ideographs: drawn like ordinary
# characters, read as them after NFKC.
_LOOKALIKE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_BREAK = re.compile(r"[ \t]*\n[ \t]*")
# Radicals-supplement forms that NFKC leaves alone but fonts use for whole characters
# (风 drawn as ⻛ U+2EDB "CJK RADICAL C-SIMPLIFIED WIND"), by their Unicode names.
_SUPPLEMENT = dict(
    zip(
        "⺠⻄⻅⻆⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻨⻩⻬⻮⻰",
        "民西见角贝车长门青韦页风飞食马骨鬼鱼鸟麦黄齐齿龙",
        strict=True,
    )
)


def _ordinary(match: re.Match[str]) -> str:
    char = match.group(0)
    return _SUPPLEMENT.get(char) or unicodedata.normalize("NFKC", char)


def normalise(text: str) -> str:
    """``text`` with radical and compatibility forms read as ordinary characters and lines
    broken by wrapping joined."""
    text = _LOOKALIKE.sub(_ordinary, text)
    if "\n" not in text:
        return text.strip()
    return _BREAK.sub(_joint, text.strip())


def _joint(match: re.Match[str]) -> str:
    """What a wrapped line break stands for: a space between two words, nothing elsewhere."""
    text = match.string
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return (
        " " if before.isascii() and before.isalpha() and after.isascii() and after.isalpha() else ""
    )


def _quiet() -> None:
    # pdfminer logs a warning for every glyph of a font without a bounding box (common in
    # browser-printed PDFs); they say nothing about the form.  Only where nobody configured it.
    logger = logging.getLogger("pdfminer")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.ERROR)


def pdf_grid(data: bytes, source: str) -> tuple[list[list[str]], list[str]]:
    """The PDF held in ``data`` as one grid of cell texts, and — where no page has a ruled
    table — its text as lines (empty when there are tables).

    :raises FormError: the PDF cannot be opened (damaged, encrypted) or is too long.
    """
    import pdfplumber  # on first use: most runs read no PDF

    _quiet()
    try:
        document = pdfplumber.open(BytesIO(data))
    except Exception as exc:  # pdfminer raises its own classes for damaged or locked files
        raise FormError(f"not a readable PDF: {open_error(exc)}", source=source) from None
    grid: list[list[str]] = []
    lines: list[str] = []
    tables_found = False
    cells = 0
    with document:
        check_pages(document, source)  # the declared count, before any page is built
        if len(document.pages) > MAX_PAGES:
            raise FormError(
                f"the PDF has {len(document.pages):,} pages",
                source=source,
                expected=f"at most {MAX_PAGES:,} pages",
            )
        for page in document.pages:
            check_page(page, source)
            rows, page_lines, has_tables = _page_rows(page)
            tables_found = tables_found or has_tables
            lines += page_lines
            for row in rows:
                cells += len(row)
                grid.append(row)
            if cells > MAX_CELLS:
                raise FormError(
                    "the PDF holds more cells than perfscore reads",
                    source=source,
                    expected=f"at most {MAX_CELLS:,} cells",
                )
            page.close()
    return grid, [] if tables_found else lines


def _page_rows(page: Any) -> tuple[list[list[str]], list[str], bool]:
    """A page's rows in reading order (table rows and the text lines around the tables), its
    text lines as printed (look-alike characters mapped, nothing joined), and whether it has
    a ruled table."""
    tables = page.find_tables()
    placed: list[tuple[float, int, list[str]]] = []
    for number, table in enumerate(tables):
        top = table.bbox[1]
        for i, row in enumerate(_table_rows(table)):
            placed.append((top, number * 100_000 + i, row))
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    text = page.filter(outside) if boxes else page
    printed: list[str] = []
    for line in text.extract_text_lines():
        printed.append(_LOOKALIKE.sub(_ordinary, line["text"]))
        cells = paragraph_cells(normalise(line["text"]))
        if cells:
            placed.append((line["top"], -1, cells))
    placed.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in placed], printed, bool(tables)


def _table_rows(table: Any) -> list[list[str]]:
    """A ruled table's rows with every merged cell's text in each position it covers."""
    texts = table.extract()
    rows = table.rows
    boxes: list[tuple[tuple[float, float, float, float], str]] = []
    column_x: dict[int, float] = {}
    for r, row in enumerate(rows):
        for c, box in enumerate(row.cells):
            if box is not None:
                boxes.append((box, normalise(texts[r][c] or "")))
                column_x.setdefault(c, (box[0] + box[2]) / 2)
    out: list[list[str]] = []
    for r, row in enumerate(rows):
        y = (row.bbox[1] + row.bbox[3]) / 2
        line: list[str] = []
        for c, box in enumerate(row.cells):
            if box is not None:
                line.append(normalise(texts[r][c] or ""))
                continue
            x = column_x.get(c)
            owner = (
                next(
                    (t for b, t in boxes if b[0] <= x <= b[2] and b[1] <= y <= b[3]),
                    "",
                )
                if x is not None
                else ""
            )
            line.append(owner)
        out.append(line)
    return out


def forms_from_pdf(data: bytes, source: str) -> list[GridForm]:
    """Every self-evaluation form in the PDF held in ``data``: its ruled tables, or where it
    has none, its text read as a published text (:mod:`perfscore.readers.text`)."""
    grid, lines = pdf_grid(data, source)
    if not lines:
        return forms_from_grid(grid)
    from perfscore.readers.text import forms_from_text

    return forms_from_text("\n".join(lines))
