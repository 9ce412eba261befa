"""Forms in HTML tables saved as ``.xls``, as finance and reporting systems export them.

Many systems "export to Excel" by writing an HTML page with a ``.xls`` name; Excel opens it, so
auditors receive it as a workbook.  The page is read as one grid in document order: text
outside the tables (a title, ``单位：万元``) as rows, each table row as a row, a cell spanning
rows or columns (``rowspan``/``colspan``) carrying its text into every position it covers.
Spans are bounded by the spreadsheet limits, so a page cannot claim a million-row cell.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from perfscore.errors import FormError
from perfscore.paths import SourceLocation
from perfscore.readers.docx import paragraph_cells
from perfscore.readers.grid import GridForm, forms_from_grid
from perfscore.readers.places import GridOrigin, located
from perfscore.readers.spreadsheet import MAX_CELLS, MAX_COLUMNS, MAX_ROWS

__all__ = ["forms_from_html", "html_grid"]

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "title", "br", "li"}


def _span(value: str | None, limit: int) -> int:
    try:
        return max(1, min(int(value or "1"), limit))
    except ValueError:
        return 1


class _Tables(HTMLParser):
    """Collects the page's rows: text lines outside tables and table rows with spans laid out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.grid: list[list[str]] = []
        self.depth = 0  # nested tables are read as text of their cell
        self.text: list[str] = []
        self.cell: list[str] | None = None
        self.row: list[tuple[str, int, int]] | None = None
        self.rows: list[list[tuple[str, int, int]]] = []
        self.spans = (1, 1)
        self.cells = 0
        # Each grid row's place: a table's row, or a line of text outside the tables.
        self.places: list[SourceLocation] = []
        self.tables = 0
        self.lines = 0

    def _flush_text(self) -> None:
        line = re.sub(r"\s+", " ", "".join(self.text)).strip()
        self.text = []
        if line:
            self.lines += 1
            self.grid.append(paragraph_cells(line))
            self.places.append(SourceLocation(paragraph=self.lines))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self._flush_text()
                self.rows = []
        elif self.depth == 1 and tag == "tr":
            self.row = []
        elif self.depth == 1 and tag in ("td", "th"):
            found = dict(attrs)
            self.spans = (
                _span(found.get("rowspan"), MAX_ROWS),
                _span(found.get("colspan"), MAX_COLUMNS),
            )
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")
        elif tag in _BLOCKS and self.depth == 0:
            self._flush_text()

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            if self.depth == 1:
                self._end_cell()
                self._end_row()
                self._lay_out()
            self.depth = max(0, self.depth - 1)
        elif self.depth == 1 and tag in ("td", "th"):
            self._end_cell()
        elif self.depth == 1 and tag == "tr":
            self._end_cell()
            self._end_row()
        elif tag in _BLOCKS and self.depth == 0:
            self._flush_text()

    def handle_data(self, data: str) -> None:
        if self.depth == 0:
            self.text.append(data)
        elif self.cell is not None:
            self.cell.append(data)

    def _end_cell(self) -> None:
        if self.cell is None:
            return
        text = "\n".join(line.strip() for line in "".join(self.cell).split("\n")).strip()
        if self.row is None:
            self.row = []
        self.row.append((text, *self.spans))
        self.cell = None

    def _end_row(self) -> None:
        if self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def _lay_out(self) -> None:
        """Place each cell at the first free column of its row, spans filling what they cover."""
        out: list[list[str | None]] = []
        for r, row in enumerate(self.rows):
            while len(out) <= r:
                out.append([])
            c = 0
            for text, down, across in row:
                line = out[r]
                while c < len(line) and line[c] is not None:
                    c += 1
                self.cells += down * across
                if self.cells > MAX_CELLS:
                    raise _TooLarge
                for dr in range(down):
                    while len(out) <= r + dr:
                        out.append([])
                    target = out[r + dr]
                    if len(target) < c + across:
                        target.extend([None] * (c + across - len(target)))
                    target[c : c + across] = [text] * across
                c += across
        width = max((len(line) for line in out), default=0)
        # One wide row widens every row: measured before the rows are padded to it.
        if len(self.grid) + len(out) > MAX_ROWS or width * len(out) > MAX_CELLS:
            raise _TooLarge
        self.tables += 1
        for number, line in enumerate(out, start=1):
            self.grid.append([cell or "" for cell in line] + [""] * (width - len(line)))
            self.places.append(SourceLocation(table=self.tables, row=number))
        self.rows = []

    def close(self) -> None:
        super().close()
        self._flush_text()


class _TooLarge(Exception):
    pass


def html_grid(
    data: bytes, source: str, places: list[SourceLocation] | None = None
) -> list[list[str]]:
    """The HTML page held in ``data`` as one grid of cell texts; ``places``, when given,
    receives each grid row's place (``表1第5行``; a text line outside the tables as a
    paragraph).

    :raises FormError: the page's tables hold more cells than the limits allow.
    """
    head = data[:2048].decode("ascii", "replace").lower()
    charset = re.search(r"charset\s*=\s*[\"']?([\w-]+)", head)
    encoding = charset.group(1) if charset else "utf-8"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        text = data.decode("gb18030", "replace")  # the other encoding such exports use
    parser = _Tables()
    try:
        parser.feed(text)
        parser.close()
    except _TooLarge:
        raise FormError(
            "the page's tables hold more cells than perfscore reads",
            source=source,
            expected=f"at most {MAX_CELLS:,} cells",
        ) from None
    if places is not None:
        places += parser.places
    return parser.grid


def forms_from_html(data: bytes, source: str) -> list[GridForm]:
    """Every self-evaluation form in the HTML page held in ``data``."""
    places: list[SourceLocation] = []
    grid = html_grid(data, source, places)
    return located(forms_from_grid(grid), GridOrigin(rows=tuple(places)))
