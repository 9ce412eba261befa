"""Bounds on a PDF, checked before the work they would cost.

A PDF of a few kilobytes can declare 300,000 pages, put half a million glyphs on one page or
rule a page into a 400 × 400 grid, which table finding takes minutes over.  These checks refuse
such a file with a :class:`FormError` naming the bound; what no check can see before the library
unpacks it (a stream of a gigabyte) is bounded by the reader's worker process
(:mod:`perfscore.readers.isolation`).
"""

from __future__ import annotations

from typing import Any

from perfscore.errors import FormError

__all__ = [
    "MAX_GLYPHS",
    "MAX_GRID_CELLS",
    "MAX_PAGES",
    "MAX_RULINGS",
    "check_page",
    "check_pages",
    "declared_pages",
]

#: Longest PDF read (a department's whole budget document has a few hundred pages).
MAX_PAGES = 2_000
#: Characters on one page (a dense page of a form holds a few thousand).
MAX_GLYPHS = 100_000
#: Ruling lines and rectangle edges on one page (a form's table has a few hundred).
MAX_RULINGS = 10_000
#: Cells the ruling lines of one page can bound: distinct rows of horizontal lines times
#: distinct columns of vertical ones.  Table finding costs grow with it (a 200 × 200 grid takes
#: 20 s); a form's table has a few hundred cells, a long list a few thousand.
MAX_GRID_CELLS = 20_000


def declared_pages(document: Any) -> int:
    """The page count the document's page tree declares (``/Count``), read without building
    a single page; 0 when the tree does not say."""
    from pdfminer.pdftypes import resolve1

    try:
        pages = resolve1(document.doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else 0
    except Exception:  # a damaged tree: the library's own reading reports it
        return 0
    return count if isinstance(count, int) else 0


def check_pages(document: Any, source: str) -> None:
    """Refuse a document longer than :data:`MAX_PAGES` before its pages are built.

    :raises FormError: naming the count.
    """
    count = declared_pages(document)
    if count > MAX_PAGES:
        raise FormError(
            f"the PDF has {count:,} pages",
            source=source,
            expected=f"at most {MAX_PAGES:,} pages",
        )


def check_page(page: Any, source: str) -> None:
    """Refuse a page with more glyphs or ruling lines than any form's, before its tables are
    looked for.

    :raises FormError: naming the page and the count.
    """
    glyphs = len(page.chars)
    rulings = len(page.lines) + 4 * len(page.rects) + len(page.curves)
    if glyphs > MAX_GLYPHS or rulings > MAX_RULINGS:
        raise FormError(
            f"page {page.page_number} holds {glyphs:,} characters and {rulings:,} ruling lines, "
            "more than any form",
            source=source,
            expected=f"at most {MAX_GLYPHS:,} characters and {MAX_RULINGS:,} lines a page",
        )
    rows = {round(e["top"]) for e in page.edges if e["orientation"] == "h"}
    columns = {round(e["x0"]) for e in page.edges if e["orientation"] == "v"}
    if len(rows) * len(columns) > MAX_GRID_CELLS:
        raise FormError(
            f"page {page.page_number} is ruled into {len(rows):,} × {len(columns):,} cells, "
            "more than any form",
            source=source,
            expected=f"at most {MAX_GRID_CELLS:,} ruled cells a page",
        )


def open_error(exc: Exception) -> str:
    """Why the library could not open a PDF, in words: its wrapper
    (``PdfminerException``) says nothing, the error it wraps (``PDFPasswordIncorrect``) does."""
    inner = next((a for a in exc.args if isinstance(a, BaseException)), None)
    shown = inner if inner is not None else exc
    reason = str(shown).strip() or type(shown).__name__
    named = f"{reason} {type(shown).__name__}".lower()
    if "password" in named or "encrypt" in named:
        return f"it is protected by a password ({reason})"
    return reason
