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
from perfscore.paths import SourceLocation
from perfscore.readers.docx import paragraph_cells
from perfscore.readers.grid import GridForm, forms_from_grid
from perfscore.readers.pdfbounds import check_page, check_pages, open_error
from perfscore.readers.pdflayout import Placed, join_pages
from perfscore.readers.pdfwords import word_rows
from perfscore.readers.places import GridOrigin, located
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


def pdf_grid(
    data: bytes, source: str, places: list[list[SourceLocation | None]] | None = None
) -> tuple[list[list[str]], list[str]]:
    """The PDF held in ``data`` as one grid of cell texts, and — where no page has a ruled
    table — its text as lines (empty when there are tables); then the grid is its words
    placed in the columns and rows they stand in (:mod:`perfscore.readers.pdfwords`).

    ``places``, when given, receives two lists: each grid row's place (``第2页 表1第5行``, a
    line of text ``第2页第3行``) and each text line's.

    :raises FormError: the PDF cannot be opened (damaged, encrypted) or is too long.
    """
    import pdfplumber  # on first use: most runs read no PDF

    _quiet()
    try:
        document = pdfplumber.open(BytesIO(data))
    except Exception as exc:  # pdfminer raises its own classes for damaged or locked files
        raise FormError(f"not a readable PDF: {open_error(exc)}", source=source) from None
    pages: list[list[Placed]] = []
    words: list[list[Placed]] = []  # each page's words as rows, while no page has rules
    lines: list[str] = []
    line_places: list[SourceLocation | None] = []
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
        for number, page in enumerate(document.pages, start=1):
            check_page(page, source)
            rows, page_lines, has_tables = _page_rows(page, number)
            tables_found = tables_found or has_tables
            if not tables_found:
                words.append(_word_rows(page, number, words))
            lines += page_lines
            line_places += [SourceLocation(page=number, line=k + 1) for k in range(len(page_lines))]
            pages.append(rows)
            cells += sum(len(row.cells) for row in rows)
            if cells > MAX_CELLS:
                raise FormError(
                    "the PDF holds more cells than perfscore reads",
                    source=source,
                    expected=f"at most {MAX_CELLS:,} cells",
                )
            page.close()
    grid_places: list[SourceLocation | None] = []
    if places is not None:
        places += [grid_places, line_places]
    if tables_found:
        return join_pages(pages, grid_places), []
    return join_pages(words, grid_places), lines


def _word_rows(page: Any, number: int, before: list[list[Placed]]) -> list[Placed]:
    """Page ``number``'s words as rows in the columns of the pages ``before`` it, each placed
    on its line of the page."""
    lefts = next((r.lefts for r in reversed(before[-1]) if r.lefts), ()) if before else ()
    rows = word_rows(page, normalise, lefts)
    for k, row in enumerate(rows, start=1):
        row.place = SourceLocation(page=number, line=k)
    return rows


def _page_rows(page: Any, number: int) -> tuple[list[Placed], list[str], bool]:
    """Page ``number``'s rows in reading order (table rows and the text lines around the
    tables, each with its place), its text lines as printed (look-alike characters mapped,
    nothing joined), and whether it has a ruled table."""
    tables = page.find_tables()
    placed: list[tuple[float, int, Placed]] = []
    for t, table in enumerate(tables):
        top = table.bbox[1]
        rows, lefts = _table_rows(table)
        for i, row in enumerate(rows):
            place = SourceLocation(page=number, table=t + 1, row=i + 1)
            placed.append((top, t * 100_000 + i, Placed(row, lefts, place)))
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
            place = SourceLocation(page=number, line=len(printed))
            placed.append((line["top"], -1, Placed(cells, place=place)))
    placed.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in placed], printed, bool(tables)


def _table_rows(table: Any) -> tuple[list[list[str]], tuple[float, ...]]:
    """A ruled table's rows with every merged cell's text in each position it covers, and the
    x of its columns' left edges.

    A position pdfplumber leaves empty (covered by a merged cell) is filled from the cell
    whose box holds the middle of that position: the position's column runs from its own left
    edge to the next column's, its row from its top to the next row's.  Taking a column's x
    from the first cell seen in it would take a title merged across the table as column 0,
    and read every merged position of that column from the middle of the page.
    """
    texts = table.extract()
    lefts = sorted({box[0] for row in table.rows for box in row.cells if box is not None})
    tops = sorted({box[1] for row in table.rows for box in row.cells if box is not None})
    right, bottom = table.bbox[2], table.bbox[3]
    boxes = [
        (box, normalise(texts[r][c] or ""))
        for r, row in enumerate(table.rows)
        for c, box in enumerate(row.cells)
        if box is not None
    ]
    out: list[list[str]] = []
    for r, row in enumerate(table.rows):
        top = row.bbox[1]
        below = next((t for t in tops if t > top), bottom)
        y = (top + below) / 2
        line: list[str] = []
        for c, box in enumerate(row.cells):
            if box is not None:
                line.append(normalise(texts[r][c] or ""))
                continue
            left = lefts[c] if c < len(lefts) else right
            x = (left + (lefts[c + 1] if c + 1 < len(lefts) else right)) / 2
            line.append(next((t for b, t in boxes if b[0] <= x <= b[2] and b[1] <= y <= b[3]), ""))
        out.append(line)
    return out, tuple(round(x, 1) for x in lefts)


def forms_from_pdf(data: bytes, source: str) -> list[GridForm]:
    """Every self-evaluation form in the PDF held in ``data``: its ruled tables, or where it
    has none, its text read as a published text (:mod:`perfscore.readers.text`)."""
    places: list[list[SourceLocation | None]] = []
    grid, lines = pdf_grid(data, source, places)
    rows, line_places = places
    if not lines:
        return located(forms_from_grid(grid), GridOrigin(rows=tuple(rows)))
    # No rules: read both as the words stand in their columns and as published text, and
    # take the reading that finds more whole indicator rows (the text reader on a tie).
    from perfscore.readers.text import forms_from_text

    words = located(forms_from_grid(grid), GridOrigin(rows=tuple(rows)))
    text = located(forms_from_text("\n".join(lines)), GridOrigin(rows=tuple(line_places)))
    return words if _whole_rows(words) > _whole_rows(text) else text


def _whole_rows(forms: list[GridForm]) -> int:
    """How many indicator rows of ``forms`` have a name, a target and a completion, less the
    cells that could not be read."""
    rows = [
        row
        for form in forms
        for row in form.data.get("indicators") or ()
        if all(row.get(key) for key in ("name", "target", "actual"))
    ]
    return len(rows) - sum(
        1 for form in forms for *_, severity in form.notes if severity == "warning"
    )
