"""Forms in spreadsheets (.xlsx, .xlsm, .xls, .ods), read through python-calamine.

Every sheet is read as a grid of cell texts from A1, so a position in the grid is the cell's own
(row, column) and an annotated copy can mark it.  A merged range carries its value into every
cell it covers, so 一级指标 printed once for a block reads on every row of the block and a
header spanning three columns names all three; where the library reports no merged ranges
(.ods) the grid reader fills 一级/二级 down instead.  Percent-formatted numbers read as printed
(``96.86%``), other numbers as their shortest text, dates as ``2024-03-31``.

A spreadsheet is measured before anything is materialised: the extent of every sheet (its last
row and column holding a cell), checked against :data:`MAX_ROWS`, :data:`MAX_COLUMNS` and
:data:`MAX_CELLS`.  A 6 KB file claiming a cell at XFD1048576 is refused at once, instead of
the library allocating the whole range.  Merged ranges are clipped to the extent.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfscore.errors import FormError
from perfscore.readers.celltext import cell_text
from perfscore.readers.grid import GridForm
from perfscore.readers.source import describe, read_bytes, sniff
from perfscore.readers.xmlattrs import tag_attrs, usual_spelling, xml_unescape
from perfscore.readers.ziparchive import PartTooLarge, ZipParts

if TYPE_CHECKING:
    from perfscore.readers.isolation import ReaderLimits

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "SPREADSHEET_SUFFIXES",
    "SheetForm",
    "forms_from_workbook",
    "workbook_grids",
]

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})

#: Largest sheet read: rows, columns, and cells of its used extent (forms have a few hundred
#: cells; a department's whole list of projects a few hundred thousand).
MAX_ROWS = 200_000
MAX_COLUMNS = 1_024
MAX_CELLS = 4_000_000
MAX_MERGES = 100_000  #: merged ranges a sheet (a form has tens)
MAX_SHARED_STRINGS, MAX_SHARED_BYTES = MAX_CELLS, 64 * 1024 * 1024  #: entries; bytes unpacked
#: Largest part of a zipped spreadsheet read, uncompressed (guards against a zip bomb).
MAX_PART_BYTES = 256 * 1024 * 1024


@dataclass
class SheetForm:
    """A form found in a workbook, and the sheet it came from (positions are 0-based)."""

    sheet: str
    form: GridForm


@dataclass
class _Sheet:
    """What the pre-scan learnt of one sheet: its extent and its percent-formatted cells."""

    rows: int = 0
    columns: int = 0
    percent: set[tuple[int, int]] = field(default_factory=set)
    merges: list[tuple[tuple[int, int], tuple[int, int]]] | None = None
    merge_count: int = 0


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _too_big(source: str, sheet: str, rows: int, columns: int) -> FormError:
    return FormError(
        f"sheet {sheet!r} spans {rows:,} rows × {columns:,} columns, more than perfscore reads",
        source=source,
        expected=f"at most {MAX_ROWS:,} rows, {MAX_COLUMNS:,} columns and {MAX_CELLS:,} cells",
    )


def _check_extent(source: str, sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise _too_big(source, sheet, rows, columns)


# What a damaged or hostile zip raises while read: a bad directory, a corrupt deflate stream,
# a truncated member, an unsupported compression method, an encrypted member.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    UnicodeDecodeError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
)


def _read_part(archive: ZipParts, name: str, source: str) -> bytes:
    """A zip member's bytes, its declared size checked first and the actual size while read."""
    try:
        return archive.read(name, MAX_PART_BYTES)
    except PartTooLarge as exc:
        raise FormError(
            f"part {name} unpacks to {exc.args[1]:,} bytes or more",
            source=source,
            expected=f"at most {MAX_PART_BYTES:,} bytes per part",
        ) from None


# --- .xlsx / .xlsm ---------------------------------------------------------------------------

# Attribute patterns start with the literal ` r="` so the scan runs at memchr speed.
_ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*? r=\"(\d+)\"")
_PLAIN_ROW_REF = re.compile(rb"<row r=\"(\d+)\"")
_CELL_REF = re.compile(rb" r=\"([A-Z]{1,4})(\d+)\"")
_WIDE_REF = re.compile(rb" r=\"([A-Z]{2,})\d+\"")
_NARROW_REF = re.compile(rb" r=\"([A-Z])\d")
_XF = re.compile(rb"<(?:\w+:)?xf\b[^>]*>")
_XF_FORMAT = re.compile(rb"numFmtId=\"(\d+)\"")
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b[^>]*?numFmtId=\"(\d+)\"[^>]*?formatCode=\"([^\"]*)\"")
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def _percent_format(code: str) -> bool:
    """A number format that prints a percent sign (outside quotes and escapes)."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in code


def _percent_styles(styles: bytes) -> set[int]:
    """Indexes of the cell formats (``s="…"``) whose number format shows a percent."""
    percent_ids = {9, 10}
    for number, code in _NUM_FMT.findall(styles):
        text = code.decode("utf-8", "replace").replace("&quot;", '"').replace("&amp;", "&")
        if _percent_format(text):
            percent_ids.add(int(number))
    block = _CELL_XFS.search(styles)
    if block is None:
        return set()
    out = set()
    for index, xf in enumerate(_XF.findall(block.group(0))):
        found = _XF_FORMAT.search(xf)
        if found and int(found.group(1)) in percent_ids:
            out.add(index)
    return out


def _xlsx_sheet_parts(archive: ZipParts, source: str) -> dict[str, str]:
    """Sheet name → worksheet part, from the workbook and its relationships."""
    workbook = _read_part(archive, "xl/workbook.xml", source)
    try:
        rels = _read_part(archive, "xl/_rels/workbook.xml.rels", source)
    except KeyError:
        rels = b""
    targets: dict[bytes, str] = {}
    for rel in _REL.findall(rels):
        attrs = tag_attrs(rel)
        target = xml_unescape(attrs.get(b"Target", b""))
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[attrs.get(b"Id", b"")] = re.sub(r"[^/]+/\.\./", "", part)
    parts: dict[str, str] = {}
    for sheet in _SHEET.findall(workbook):
        attrs = tag_attrs(sheet)
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
        if rid in targets:
            parts[xml_unescape(attrs.get(b"name", b""))] = targets[rid]
    return parts


def _xlsx_sheet(data: bytes, percent_styles: set[int]) -> _Sheet:
    """The extent of a worksheet part and its percent-formatted cells, by scanning its XML.

    Cells are normally written with their reference (``r="C7"``); the library places a cell
    without one after the previous cell, so where some lack it the bound grows by their count.
    """
    sheet = _Sheet()
    # Rows as Excel and openpyxl write them (`<row r="7"`, found at memchr speed); any other
    # spelling (a namespace prefix, r not first) through the general pattern.
    found = _PLAIN_ROW_REF.findall(data)
    if len(found) != data.count(b"<row ") + data.count(b":row "):
        found = _ROW_REF.findall(data)
    rows = [int(r) for r in found]
    sheet.rows = max(rows, default=0)
    # Column letters beyond Z are rare in a form: find them only where they occur.
    wide = _WIDE_REF.findall(data)
    sheet.columns = max((_column_number(w) for w in wide), default=0)
    if sheet.columns == 0 and len(data) <= 1 << 20:
        # One letter each: the greatest letter is the last column.
        sheet.columns = _column_number(max(_NARROW_REF.findall(data), default=b""))
    elif sheet.columns == 0:
        # A large sheet: one search per letter from Z down, each at memchr speed, instead of
        # a list of every cell.
        sheet.columns = next(
            (
                26 - i
                for i, letter in enumerate(b"ZYXWVUTSRQPONMLKJIHGFEDCBA")
                if data.find(b' r="%c' % letter) >= 0
            ),
            0,
        )
    # A cell reference with more row digits than any row element declares (a damaged file).
    digits = len(str(sheet.rows))
    if re.search(rb" r=\"[A-Z]{1,4}\d{%d,}\"" % (digits + 1), data):
        sheet.rows = max(int(m.group(2)) for m in _CELL_REF.finditer(data))
    sheet.merge_count = data.count(b"<mergeCell ") + data.count(b":mergeCell ")
    cells = data.count(b"<c ") + data.count(b"<c>")
    if data.count(b' r="') < cells + len(rows):
        sheet.rows += data.count(b"<row")
        sheet.columns += cells
    if percent_styles:
        styles = b"|".join(str(s).encode() for s in sorted(percent_styles))
        pattern = re.compile(rb"<(?:\w+:)?c\s(?=[^>]*\ss=\"(?:%s)\")[^>]*>" % styles)
        for tag in pattern.findall(data):
            ref = _CELL_REF.search(tag)
            if ref:
                sheet.percent.add((int(ref.group(2)) - 1, _column_number(ref.group(1)) - 1))
    return sheet


def _check_shared_strings(archive: ZipParts, source: str) -> None:
    """The shared strings measured before the library builds them: 19 million empty entries
    fit in 800 KB, one 600 MB string in 600 KB."""
    name = next((n for n in archive.names if n.lower() == "xl/sharedstrings.xml"), None)
    if name is None:
        return
    try:
        data = archive.read(name, MAX_SHARED_BYTES)
    except PartTooLarge:
        raise FormError(
            "the shared strings unpack to more than perfscore reads",
            source=source,
            expected=f"at most {MAX_SHARED_BYTES:,} bytes of shared strings",
        ) from None
    count = data.count(b"<si") + data.count(b":si")
    if count > MAX_SHARED_STRINGS:
        raise FormError(
            f"the workbook declares {count:,} shared strings",
            source=source,
            expected=f"at most {MAX_SHARED_STRINGS:,}",
        )


def _scan_xlsx(data: bytes, source: str) -> dict[str, _Sheet]:
    try:
        archive = ZipParts(data)
        names = archive.names
        if "xl/workbook.xml" not in names:
            found = "a Word document" if "word/document.xml" in names else "a zip archive"
            raise FormError(
                f"not a workbook: the file is {found}",
                source=source,
                expected="an .xlsx workbook (xl/workbook.xml)",
            )
        _check_shared_strings(archive, source)
        styles = _read_part(archive, "xl/styles.xml", source) if "xl/styles.xml" in names else b""
        percent = _percent_styles(styles) if styles else set()
        out: dict[str, _Sheet] = {}
        for name, part in _xlsx_sheet_parts(archive, source).items():
            if part not in names:
                continue
            sheet = _xlsx_sheet(usual_spelling(_read_part(archive, part, source)), percent)
            if sheet.merge_count > MAX_MERGES:
                raise FormError(
                    f"sheet {name!r} has {sheet.merge_count:,} merged ranges",
                    source=source,
                    expected=f"at most {MAX_MERGES:,} merged ranges a sheet",
                )
            _check_extent(source, name, sheet.rows, sheet.columns)
            out[name] = sheet
        return out
    except _ZIP_ERRORS as exc:
        raise FormError(f"a damaged workbook: {_reason(exc)}", source=source) from None


# --- .ods ------------------------------------------------------------------------------------

_ODS_TAG = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>"
)


def _ods_content(raw: bytes, source: str) -> bytes:
    """The content part of an OpenDocument spreadsheet, its attributes in the usual spelling."""
    try:
        archive = ZipParts(raw)
        if "content.xml" not in archive.names:
            raise FormError(
                "not a spreadsheet: no content.xml",
                source=source,
                expected="an OpenDocument spreadsheet (.ods)",
            )
        return usual_spelling(_read_part(archive, "content.xml", source))
    except _ZIP_ERRORS as exc:
        raise FormError(f"a damaged spreadsheet: {_reason(exc)}", source=source) from None


def _scan_ods(raw: bytes, source: str) -> dict[str, _Sheet]:
    """Extents, percent cells and merged ranges of every table of an OpenDocument spreadsheet.

    Rows and cells carry repeat counts (``number-rows-repeated``): an empty row repeated to
    the millionth row is nothing, but repeated cells with content are cells, so the extent is
    the last row and column with content, counted with the repeats.
    """
    data = _ods_content(raw, source)
    out: dict[str, _Sheet] = {}
    sheet: _Sheet | None = None
    row = col = row_repeat = 0
    for m in _ODS_TAG.finditer(data):
        closing, tag, attrs_raw, empty = m.groups()
        if tag == b"table":
            if not closing:
                attrs = tag_attrs(attrs_raw)
                sheet = _Sheet(merges=[])
                out[xml_unescape(attrs.get(b"table:name", b""))] = sheet
                row = 0
            continue
        if sheet is None:
            continue
        if tag == b"table-row":
            if closing:
                row += row_repeat
                continue
            attrs = tag_attrs(attrs_raw)
            row_repeat = int(attrs.get(b"table:number-rows-repeated", b"1"))
            col = 0
            if empty:
                row += row_repeat
            continue
        if closing:
            continue
        attrs = tag_attrs(attrs_raw)
        repeat = int(attrs.get(b"table:number-columns-repeated", b"1"))
        # Content: a value type, or text inside (a non-empty element).
        has_content = tag == b"table-cell" and (b"office:value-type" in attrs or not empty)
        if has_content:
            last_row, last_col = row + row_repeat, col + repeat
            sheet.rows = max(sheet.rows, last_row)
            sheet.columns = max(sheet.columns, last_col)
            _check_extent(source, _sheet_name(out, sheet), sheet.rows, sheet.columns)
            # A percentage repeated over a block (bounded: a form's cells are not repeated
            # thousands of times; beyond that the cells read as their plain numbers).
            typed = attrs.get(b"office:value-type")
            if typed == b"percentage" and row_repeat * repeat <= 10_000:
                for r in range(row, last_row):
                    for c in range(col, last_col):
                        sheet.percent.add((r, c))
            across = int(attrs.get(b"table:number-columns-spanned", b"1"))
            down = int(attrs.get(b"table:number-rows-spanned", b"1"))
            if (across > 1 or down > 1) and sheet.merges is not None:
                sheet.merges.append(((row, col), (row + down - 1, col + across - 1)))
        col += repeat
    return out


def _sheet_name(sheets: dict[str, _Sheet], sheet: _Sheet) -> str:
    return next((name for name, s in sheets.items() if s is sheet), "")


# --- .xls ------------------------------------------------------------------------------------


def _scan_xls(data: bytes, source: str) -> dict[str, _Sheet]:
    from perfscore.readers.biff import scan_xls

    found = scan_xls(data)
    out: dict[str, _Sheet] = {}
    for name, sheet in (found or {}).items():
        _check_extent(source, name, sheet.rows, sheet.columns)
        out[name] = _Sheet(sheet.rows, sheet.columns, sheet.percent)
    return out


# --- reading ---------------------------------------------------------------------------------


def workbook_grids(data: bytes, source: str) -> Iterator[tuple[str, list[list[str]]]]:
    """(sheet name, grid of cell texts from A1) for every worksheet of the spreadsheet held in
    ``data`` (an .xlsx, .xlsm, .xls or .ods file's bytes, whatever its name says).

    :raises FormError: the bytes are no spreadsheet, or a damaged or encrypted one, or a sheet
        is larger than the limits.
    """
    from python_calamine import (  # on first use: most runs read no workbook
        CalamineError,
        CalamineWorkbook,
        SheetTypeEnum,
    )

    kind = sniff(data)
    if kind == "encrypted":
        raise FormError(
            "the workbook is encrypted (protected by a password)",
            source=source,
            expected="a workbook saved without a password",
        )
    if kind not in ("xlsx", "ods", "xls"):
        raise FormError(
            f"not a spreadsheet: the file is {describe(kind)}",
            source=source,
            expected="an .xlsx, .xlsm, .xls or .ods spreadsheet",
        )
    if kind == "xlsx":
        scanned = _scan_xlsx(data, source)
    elif kind == "ods":
        scanned = _scan_ods(data, source)
    else:
        scanned = _scan_xls(data, source)
    try:
        workbook = CalamineWorkbook.from_filelike(BytesIO(data))
    except CalamineError as exc:
        raise FormError(f"not a readable workbook: {_reason(exc)}", source=source) from None
    with workbook:
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            info = scanned.get(meta.name)
            if kind != "xls" and info is None:
                continue  # no worksheet part (a chart sheet): nothing to read, nothing measured
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
            except CalamineError as exc:
                raise FormError(
                    f"sheet {meta.name!r} cannot be read: {_reason(exc)}", source=source
                ) from None
            end = sheet.end
            if end is None:
                continue
            rows, columns = end[0] + 1, end[1] + 1
            _check_extent(source, meta.name, rows, columns)
            yield meta.name, _grid(sheet, rows, columns, info)


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    if "password" in text.lower() or "encrypt" in text.lower():
        return f"it is protected by a password ({text})"
    if type(exc).__name__ == "XmlError":
        return f"its XML is damaged ({text})"
    return text


def _grid(sheet: Any, rows: int, columns: int, info: _Sheet | None) -> list[list[str]]:
    percent = info.percent if info else set()
    grid: list[list[str]] = []
    # Row by row (the library's values for one row alive at a time), from row 1; a row starts
    # at the sheet's first used column, so the columns before it are put back.
    first = sheet.start[1] if sheet.start else 0
    pad = [""] * first
    for r, values in enumerate(sheet.iter_rows()):
        if percent:
            row = pad + [cell_text(v, (r, first + c) in percent) for c, v in enumerate(values)]
        else:
            row = pad + [v if v.__class__ is str else cell_text(v) for v in values]
        grid.append(row)
    merges = sheet.merged_cell_ranges
    if merges is None and info is not None:
        merges = info.merges
    for (top, left), (bottom, right) in merges or ():
        if top >= rows or left >= columns:
            continue
        value = grid[top][left]
        for r in range(top, min(bottom, rows - 1) + 1):
            line = grid[r]
            for c in range(left, min(right, len(line) - 1) + 1):
                line[c] = value
    return grid


def forms_from_workbook(
    path: Path, *, isolate: bool = True, limits: ReaderLimits | None = None
) -> list[SheetForm]:
    """Every form on every sheet of the spreadsheet at ``path``, read in a bounded worker
    process unless ``isolate`` is false (see :mod:`perfscore.readers.isolation`).

    :raises FormError: the file cannot be read as a spreadsheet (see :func:`workbook_grids`).
    """
    from perfscore.readers.isolation import DEFAULT_LIMITS, read_grid_forms

    found = read_grid_forms(
        "sheets", read_bytes(path), str(path), isolate=isolate, limits=limits or DEFAULT_LIMITS
    )
    return [SheetForm(name, form) for name, form in found]
