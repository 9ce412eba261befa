"""Forms in Word documents (.docx), read through python-docx.

The document's body is read in order as one grid: a paragraph becomes a row (``项目名称：X``
split into a label cell and a value cell, so a title or heading paragraph names the form as it
would in a sheet), a table its rows.  Merged cells — across (``gridSpan``) and down
(``vMerge``) — carry their text into every cell they cover, as merged ranges do in a workbook.
Several tables in one document are several forms where a title starts each, or one form whose
heading and indicators are printed as separate tables.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import Any

from perfscore.errors import FormError
from perfscore.paths import SourceLocation
from perfscore.readers.grid import GridForm, forms_from_grid
from perfscore.readers.places import GridOrigin, located
from perfscore.readers.spreadsheet import MAX_CELLS, MAX_COLUMNS, MAX_PART_BYTES
from perfscore.readers.ziparchive import PartTooLarge, ZipParts

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_MERGED_DOWN",
    "docx_grid",
    "forms_from_docx",
    "paragraph_cells",
]

#: All parts of a Word document together, unpacked (each part is bounded by MAX_PART_BYTES).
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
#: Cells merged down (vMerge) in one document: a form has tens.
MAX_MERGED_DOWN = 1_000

# A label in running text: 项目名称：X, 实施单位: Y — short, no digits, at the start of the line or
# after a space (so the 单位 inside 项目资金（单位：万元） is not taken for one).
_LABELLED = re.compile(r"(?:^|(?<=\s))([^\s:：\d()（）]{2,12})[:：]")
_RUNS = re.compile(r"\s{2,}|\t|\u3000+")
_MONEY_UNIT = re.compile(r"^(?:人民币)?(?:亿元|万元|千元|元)[)）]?$")


def paragraph_cells(text: str) -> list[str]:
    """A line of running text as the cells a person reads in it: each ``label：value`` as two
    cells (the label keeping its colon), else runs separated by wide spaces.

    ``单位：万元`` stays one cell: it states the money unit, which is read from the whole text.
    """
    text = text.strip()
    labels = list(_LABELLED.finditer(text))
    if not labels:
        return [p for p in _RUNS.split(text) if p]
    cells = [p for p in _RUNS.split(text[: labels[0].start()]) if p]
    for i, label in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        value = text[label.end() : end].strip()
        if label.group(1).endswith("单位") and _MONEY_UNIT.match(value):
            cells.append(f"{label.group(1)}：{value}")
        elif value:
            cells += [f"{label.group(1)}：", value]
        else:
            cells.append(f"{label.group(1)}：")
    return cells


def _check_parts(data: bytes, source: str) -> None:
    """Refuse a document whose parts unpack to more than the limits — each, and all together —
    or whose tables are larger than any form's, before python-docx builds them."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                if info.file_size > MAX_PART_BYTES or total > MAX_DOCUMENT_BYTES:
                    raise FormError(
                        f"part {info.filename} unpacks to {info.file_size:,} bytes "
                        f"({total:,} with the parts before it)",
                        source=source,
                        expected=f"at most {MAX_PART_BYTES:,} bytes per part and "
                        f"{MAX_DOCUMENT_BYTES:,} in all",
                    )
            if "word/document.xml" in archive.namelist():
                body = ZipParts(data).read("word/document.xml", MAX_PART_BYTES)
                _check_tables(body, source)
    except (zipfile.BadZipFile, PartTooLarge) as exc:
        raise FormError(f"not a readable Word document: {exc}", source=source) from None


_GRID_SPAN = re.compile(rb"<w:gridSpan\s+w:val\s*=\s*[\"']\s*(\d+)")


def _check_tables(body: bytes, source: str) -> None:
    """Cells, spans across and merges down counted in the document's XML: python-docx lays a
    merged cell out in time that grows with the square of the merge (a chain of 2,000 cells
    merged down takes seconds, a span of 3 million columns minutes)."""
    cells = body.count(b"<w:tc>") + body.count(b"<w:tc ")
    widest = max((int(n) for n in _GRID_SPAN.findall(body)), default=1)
    merged = body.count(b"<w:vMerge")
    if cells > MAX_CELLS or widest > MAX_COLUMNS or merged > MAX_MERGED_DOWN:
        raise FormError(
            f"tables of {cells:,} cells, spans of up to {widest:,} columns and {merged:,} cells "
            "merged down, more than perfscore reads",
            source=source,
            expected=f"at most {MAX_CELLS:,} cells, spans of {MAX_COLUMNS:,} columns and "
            f"{MAX_MERGED_DOWN:,} cells merged down",
        )


def docx_grid(
    data: bytes, source: str, places: list[SourceLocation] | None = None
) -> list[list[str]]:
    """The body of the Word document held in ``data`` as one grid of cell texts; ``places``,
    when given, receives each grid row's place (``表2第5行``, ``第3段``: tables and paragraphs
    counted from 1 in the body's order, a table's rows from its first).

    :raises FormError: the document cannot be opened, or a table is larger than the limits.
    """
    _check_parts(data, source)
    from docx import Document  # on first use: most runs read no Word document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(BytesIO(data))
    except Exception as exc:  # lxml, zipfile and python-docx each raise their own kinds
        kind = type(exc).__name__
        reason = f"its XML is damaged ({exc})" if "XML" in kind else f"{kind}: {exc}"
        raise FormError(f"not a readable Word document: {reason}", source=source) from None
    grid: list[list[str]] = []
    out = places if places is not None else []
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs += 1
            cells = paragraph_cells(block.text)
            if cells:
                grid.append(cells)
                out.append(SourceLocation(paragraph=paragraphs))
        elif isinstance(block, Table):
            tables += 1
            rows = _table_rows(block, source)
            grid += rows
            out += [SourceLocation(table=tables, row=i + 1) for i in range(len(rows))]
    return grid


def _table_rows(table: Any, source: str) -> list[list[str]]:
    rows, columns = len(table.rows), len(table.columns)
    if rows * max(columns, 1) > MAX_CELLS:
        raise FormError(
            f"a table of {rows:,} rows × {columns:,} columns, more than perfscore reads",
            source=source,
            expected=f"at most {MAX_CELLS:,} cells",
        )
    out: list[list[str]] = []
    # python-docx's row cells repeat a cell merged across (gridSpan) and give the top cell of
    # one merged down (vMerge), so every position reads its merged text.
    for row in table.rows:
        out.append([cell.text.strip() for cell in row.cells])
    return out


def forms_from_docx(data: bytes, source: str) -> list[GridForm]:
    """Every self-evaluation form in the Word document held in ``data``."""
    places: list[SourceLocation] = []
    grid = docx_grid(data, source, places)
    return located(forms_from_grid(grid), GridOrigin(rows=tuple(places)))
