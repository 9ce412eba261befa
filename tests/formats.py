"""One form layout written in every format an auditor receives: .xlsx, .xls, .ods, .docx, PDF.

:func:`layout` lays a form-format mapping out as the 2024 Luohu table is printed (title, heading
fields, 预算执行情况, the indicator table with 一级/二级 merged down their blocks, 总分), as rows
of cells and merged ranges; the writers render that layout in each format, so each file must
score exactly as the mapping does.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from tests.workbooks import INDICATOR_HEADING

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)
WIDTH = 10


@dataclass
class Layout:
    """Rows of cell values (``None``: empty), merged ranges, and the cells shown as percents."""

    rows: list[list[Any]] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    percent: set[tuple[int, int]] = field(default_factory=set)
    titles: list[int] = field(default_factory=list)  # the title row of each form

    def add(self, cells: list[Any], col: int = 0) -> int:
        row = [None] * WIDTH
        for i, value in enumerate(cells):
            row[col + i] = value
        self.rows.append(row)
        return len(self.rows) - 1


def _runs(values: list[Any]) -> list[tuple[int, int]]:
    """(first, last) of each run of equal values."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            out.append((start, i - 1))
            start = i
    return out


def layout(forms: list[dict[str, Any]], *, merge_down: bool = True) -> Layout:
    """The forms one under another, as the Luohu 2024 table prints each."""
    out = Layout()
    for form in forms:
        if out.rows:
            out.add([])
        _heading(out, form)
        _indicators(out, form, merge_down=merge_down)
    return out


def _heading(out: Layout, form: dict[str, Any]) -> None:
    """The title, the heading fields and the 预算执行情况 block."""
    top = out.add(["项目支出绩效自评表"])
    out.titles.append(top)
    out.merges.append((top, 0, top, WIDTH - 1))
    out.add(
        [
            "项目编码:",
            form.get("code"),
            "项目名称:",
            form["project"],
            "绩效自评年度:",
            form.get("year"),
        ]
    )
    out.add(["实施单位:", form.get("unit")])
    out.add(["预算执行情况"])
    money = form.get("money_unit", "元")
    head = out.add(
        [
            f"项目资金({money})",
            None,
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率(%)",
            "得分",
        ]
    )
    out.merges.append((head, 0, head, 1))
    budget = form["budget"]
    out.add(
        [
            None,
            "年度资金总额",
            budget.get("initial"),
            budget["adjusted"],
            budget["executed"],
            budget.get("weight"),
            budget.get("rate"),
        ]
    )
    out.add([])


def _indicators(out: Layout, form: dict[str, Any], *, merge_down: bool) -> None:
    """The indicator table, 一级/二级 merged down their blocks (or printed once), and 总分."""
    out.add(list(INDICATOR_HEADING))
    first = len(out.rows)
    for ind in form["indicators"]:
        actual = ind["actual"]
        r = out.add(
            [
                None,
                ind["level1"],
                ind["level2"],
                ind["name"],
                ind["target"],
                None,
                actual,
                ind["weight"],
                ind["score"],
                ind.get("reason"),
            ]
        )
        if isinstance(actual, str) and actual.endswith("%") and actual[:-1].isdigit():
            out.rows[r][6] = int(actual[:-1]) / 100
            out.percent.add((r, 6))
    last = len(out.rows) - 1
    out.rows[first][0] = "年度绩效指标"
    out.merges.append((first, 0, last, 0))
    for col in (1, 2):
        values = [out.rows[r][col] for r in range(first, last + 1)]
        for a, b in _runs(values):
            if b > a:
                if merge_down:
                    out.merges.append((first + a, col, first + b, col))
                for r in range(first + a + 1, first + b + 1):
                    out.rows[r][col] = None
    total = out.add([None, "总分", None, None, None, None, None, 100, form.get("total"), "—"])
    out.merges.append((total, 1, total, 6))


def shown(value: Any, percent: bool) -> str:
    """A cell's value as Word prints it (a percent-formatted share as ``90%``)."""
    if value is None:
        return ""
    if percent:
        return f"{round(value * 100)}%"
    return str(value)


def covered_by(lay: Layout) -> dict[tuple[int, int], Merge]:
    """Each position a merged range covers, and the range."""
    out = {}
    for m in lay.merges:
        for r in range(m[0], m[2] + 1):
            for c in range(m[1], m[3] + 1):
                out[(r, c)] = m
    return out


# --- spreadsheets ----------------------------------------------------------------------------


def to_xlsx(lay: Layout, path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for r, row in enumerate(lay.rows):
        for c, value in enumerate(row):
            if value is not None:
                cell = sheet.cell(r + 1, c + 1, value)
                if (r, c) in lay.percent:
                    cell.number_format = "0%"
    for a, b, c, d in lay.merges:
        sheet.merge_cells(start_row=a + 1, start_column=b + 1, end_row=c + 1, end_column=d + 1)
    workbook.save(path)
    return path


def to_xls(lay: Layout, path: Path) -> Path:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("自评表")
    percent = xlwt.easyxf(num_format_str="0%")
    covered = covered_by(lay)
    done = set()
    for r, row in enumerate(lay.rows):
        for c, value in enumerate(row):
            merge = covered.get((r, c))
            if merge and merge in done:
                continue
            style = percent if (r, c) in lay.percent else xlwt.Style.default_style
            value = "" if value is None else value
            if merge:
                done.add(merge)
                sheet.write_merge(merge[0], merge[2], merge[1], merge[3], value, style)
            elif value != "":
                sheet.write(r, c, value, style)
    workbook.save(str(path))
    return path


_ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/"
  manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def ods_file(path: Path, rows_xml: str, name: str = "自评表") -> Path:
    """An OpenDocument spreadsheet whose one table holds ``rows_xml``."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet><table:table table:name={quoteattr(name)}>"
        f"{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def to_ods(lay: Layout, path: Path) -> Path:
    """As LibreOffice writes it: merged cells spanned with covered cells, empty rows repeated
    to the sheet's end, percentages typed as such."""
    covered = covered_by(lay)
    rows = []
    for r, row in enumerate(lay.rows):
        cells = []
        for c, value in enumerate(row):
            merge = covered.get((r, c))
            if merge and (merge[0], merge[1]) != (r, c):
                cells.append("<table:covered-table-cell/>")
                continue
            span = ""
            if merge:
                span = (
                    f' table:number-columns-spanned="{merge[3] - merge[1] + 1}"'
                    f' table:number-rows-spanned="{merge[2] - merge[0] + 1}"'
                )
            if value is None:
                cells.append(f"<table:table-cell{span}/>")
            elif (r, c) in lay.percent:
                cells.append(
                    f'<table:table-cell{span} office:value-type="percentage"'
                    f' office:value="{value}"><text:p>{shown(value, True)}</text:p>'
                    "</table:table-cell>"
                )
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append(
                    f'<table:table-cell{span} office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>"
                )
            else:
                cells.append(
                    f'<table:table-cell{span} office:value-type="string">'
                    f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
                )
        cells.append('<table:table-cell table:number-columns-repeated="16374"/>')
        rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    rows.append(
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    return ods_file(path, "".join(rows))


# --- Word ------------------------------------------------------------------------------------


def to_docx(lay: Layout, path: Path) -> Path:
    """A Word document: each title as a paragraph, the heading fields (项目编码, 实施单位) as
    paragraphs ``label value    label value``, the rest of each form as one table with its
    cells merged."""
    import docx

    document = docx.Document()
    r = 0
    while r < len(lay.rows):
        row = lay.rows[r]
        texts = [shown(v, False) for v in row if v is not None]
        if r in lay.titles:
            document.add_paragraph(texts[0])
            r += 1
        elif row[0] in ("项目编码:", "实施单位:"):
            pairs = [
                f"{row[c]}{'' if row[c + 1] is None else row[c + 1]}"
                for c in range(0, WIDTH - 1, 2)
                if row[c] is not None
            ]
            document.add_paragraph("    ".join(pairs))
            r += 1
        elif not texts:
            r += 1
        else:
            end = r + 1
            while end < len(lay.rows) and end not in lay.titles:
                end += 1
            last = end
            while last > r and not any(v is not None for v in lay.rows[last - 1]):
                last -= 1  # trailing empty rows are no part of the table
            docx_table(document, lay, r, last)
            r = end
    document.save(str(path))
    return path


def docx_table(document: Any, lay: Layout, first: int, end: int, *, rules: bool = True) -> None:
    """Rows ``first``–``end`` of ``lay`` as a Word table, merged ranges merged; ruled unless
    ``rules`` is false."""
    table = document.add_table(rows=end - first, cols=WIDTH)
    if rules:
        table.style = "Table Grid"
    merges = covered_by(lay)
    for r in range(first, end):
        for c in range(WIDTH):
            value = lay.rows[r][c]
            if value is not None:
                table.cell(r - first, c).text = shown(value, (r, c) in lay.percent)
    for a, b, c, d in sorted({merges[k] for k in merges if first <= k[0] < end}):
        text = table.cell(a - first, b).text
        merged = table.cell(a - first, b).merge(table.cell(c - first, d))
        merged.text = text


# --- PDF -------------------------------------------------------------------------------------


def to_html(lay: Layout, *, padding: int = 2) -> str:
    """The layout as an HTML page of ruled tables, merged cells as row/column spans; the title
    rows as headings between the tables."""
    covered = covered_by(lay)
    out = [
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        "body{font-family:'Noto Sans CJK SC','Noto Sans SC',sans-serif;font-size:11px}"
        "table{border-collapse:collapse;width:100%;margin:6px 0}"
        f"td{{border:1px solid #000;padding:{padding}px 3px;vertical-align:top}}"
        "tr{break-inside:avoid}"
        "</style></head><body>"
    ]
    in_table = False
    for r, row in enumerate(lay.rows):
        texts = [v for v in row if v is not None]
        title = r in lay.titles
        if not texts or title:
            if in_table:
                out.append("</table>")
                in_table = False
            if title:
                out.append(f"<h3 style='text-align:center'>{html.escape(str(texts[0]))}</h3>")
            continue
        if not in_table:
            out.append("<table>")
            in_table = True
        out.append("<tr>")
        for c, value in enumerate(row):
            merge = covered.get((r, c))
            if merge and (merge[0], merge[1]) != (r, c):
                continue
            span = ""
            if merge:
                span = f" rowspan={merge[2] - merge[0] + 1} colspan={merge[3] - merge[1] + 1}"
            out.append(f"<td{span}>{html.escape(shown(value, (r, c) in lay.percent))}</td>")
        out.append("</tr>")
    if in_table:
        out.append("</table>")
    out.append("</body></html>")
    return "".join(out)


def chromium() -> str | None:
    """The headless browser the PDF tests print with, if this machine has one."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(page: str, path: Path) -> Path:
    """Print an HTML page to PDF with headless Chromium."""
    browser = chromium()
    assert browser is not None
    source = path.with_suffix(".html")
    source.write_text(page, "utf-8")
    profile = path.parent / f".chromium-{path.stem}"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={path}",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(path.parent)},
    )
    return path
