"""Hostile files for the readers: each ends as its own FormError, never a crash or a hang.

The files are built here, a few kilobytes each.  Cases that would cost the reader its whole
CPU or memory allowance run with small :class:`ReaderLimits`, so the suite stays quick.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from perfscore import FormError
from perfscore.batch import Failure, evaluate_many
from perfscore.readers import ReaderLimits, form_files, load_forms
from tests import formats
from tests.conftest import EXAMPLES

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_WORKBOOK = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _xlsx(path: Path, rows: str) -> Path:
    """A workbook of one sheet whose ``<sheetData>`` holds ``rows`` as written."""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


@pytest.mark.parametrize(
    "cell",
    [
        "<c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c>",
        '<c r = "XFD1048576" t="inlineStr"><is><t>x</t></is></c>',
        '<c\tr="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',
        '<c r="&#88;FD1048576" t="inlineStr"><is><t>x</t></is></c>',
    ],
)
def test_last_cell_in_any_quoting_is_measured_before_reading(tmp_path: Path, cell: str) -> None:
    """A cell at XFD1048576, however its attribute is quoted, is refused by the scan."""
    path = _xlsx(
        tmp_path / "far.xlsx",
        f"<row r='1'><c r='A1' t='inlineStr'><is><t>a</t></is>"
        f"</c></row><row r='1048576'>{cell}</row>",
    )
    with pytest.raises(FormError, match="1,048,576 rows"):
        load_forms(path, isolate=False)


def test_repeats_in_single_quotes_are_measured(tmp_path: Path) -> None:
    """An .ods repeating a cell with content 100000 × 1000 times in single quotes is refused."""
    rows = (
        "<table:table-row table:number-rows-repeated='100000'>"
        "<table:table-cell table:number-columns-repeated='1000' office:value-type='string'>"
        "<text:p>x</text:p></table:table-cell></table:table-row>"
    )
    path = formats.ods_file(tmp_path / "rep.ods", rows)
    with pytest.raises(FormError, match="more than perfscore reads"):
        load_forms(path, isolate=False)


def _luohu() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(
        (EXAMPLES / "luohu-2024-notary-lawyers.yaml").read_text("utf-8")
    )
    return loaded


def _xls_bytes() -> bytes:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("自评表")
    for r in range(30):
        for c in range(6):
            sheet.write(r, c, f"项目{r}-{c}")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("isolate", [True, False])
def test_an_xls_cut_short_is_a_form_error(tmp_path: Path, isolate: bool) -> None:
    """A partial download of an .xls (some cuts make the library panic) is a FormError."""
    data = _xls_bytes()
    path = tmp_path / "cut.xls"
    for cut in range(600, len(data), 311):
        path.write_bytes(data[:cut])
        with pytest.raises(FormError):
            load_forms(path, isolate=isolate)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_LENGTH_CYCLE = _pdf(
    [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length 5 0 R >>\nstream\nBT (x) Tj ET\nendstream",
        b"6 0 R",
        b"5 0 R",
    ]
)


def test_a_pdf_that_loops_the_reader_runs_out_of_time(tmp_path: Path) -> None:
    """A PDF whose /Length is a reference cycle (the library loops) ends at the CPU limit."""
    path = tmp_path / "cycle.pdf"
    path.write_bytes(_LENGTH_CYCLE)
    with pytest.raises(FormError, match="CPU time"):
        load_forms(path, limits=ReaderLimits(cpu_seconds=1))


def test_a_reader_out_of_memory_is_a_form_error(tmp_path: Path) -> None:
    """A workbook that needs more memory than the worker may use is a FormError, and the next
    file is read by a fresh worker."""
    big = "x" * (40 * 1024 * 1024)
    path = _xlsx(
        tmp_path / "big.xlsx", f"<row r='1'><c r='A1' t='inlineStr'><is><t>{big}</t></is></c></row>"
    )
    with pytest.raises(FormError):
        load_forms(path, limits=ReaderLimits(memory_bytes=150 * 1024 * 1024))
    good = formats.to_xlsx(formats.layout([_luohu()]), tmp_path / "good.xlsx")
    assert load_forms(good, limits=ReaderLimits(memory_bytes=150 * 1024 * 1024))


def _hostile_files(folder: Path, *, hang: bool) -> list[Path]:
    """One file of each kind found to crash, stall or exhaust a reader (``hang``: with the
    PDF that loops the library, which costs its CPU limit)."""
    folder.mkdir()
    far = "<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>"
    files = [_xlsx(folder / "far.xlsx", far)]
    (folder / "cut.xls").write_bytes(_xls_bytes()[:4000])
    (folder / "long.pdf").write_bytes(_page_pdf(b"", count=300_000))
    (folder / "wide.xls").write_text(
        "<table><tr><td colspan=1024>x</td></tr>" + "<tr><td>y</td></tr>" * 5_000, "utf-8"
    )
    span = '<w:tc><w:tcPr><w:gridSpan w:val="3000000"/></w:tcPr><w:p/></w:tc>'
    files += [folder / "cut.xls", folder / "long.pdf", folder / "wide.xls"]
    files.append(_docx(folder / "span.docx", f"<w:tbl><w:tr>{span}</w:tr></w:tbl>"))
    if hang:
        (folder / "cycle.pdf").write_bytes(_LENGTH_CYCLE)
        files.append(folder / "cycle.pdf")
    return files


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_goes_on_past_hostile_files(tmp_path: Path, jobs: int) -> None:
    """Good forms beside files that crash, stall or exhaust a reader: every good form scores,
    every bad file is its own Failure, in order, with one core or two."""
    good = formats.to_xlsx(formats.layout([_luohu()]), tmp_path / "good.xlsx")
    bad = _hostile_files(tmp_path / "bad", hang=jobs == 2)
    inputs = [good] + [path for hostile in bad for path in (hostile, good)]
    limits = ReaderLimits(cpu_seconds=1)
    items = list(evaluate_many(inputs, jobs=jobs, chunk_size=1, reader_limits=limits))
    assert [isinstance(item, Failure) for item in items] == [p != good for p in inputs]


def test_an_item_that_cannot_be_sent_is_a_failure_in_place() -> None:
    """``evaluate_many(jobs=2)`` over an unpicklable mapping: a Failure where it stood, and the
    other forms scored."""
    import threading

    form = yaml.safe_load((EXAMPLES / "luohu-2024-notary-lawyers.yaml").read_text("utf-8"))
    odd = {**form, "lock": threading.Lock()}
    items = list(evaluate_many([form, odd, form], jobs=2, chunk_size=1))
    assert [isinstance(item, Failure) for item in items] == [False, True, False]
    failure = items[1]
    assert isinstance(failure, Failure)
    assert "cannot be sent to a worker" in failure.message


# --- bounds before work ----------------------------------------------------------------------


def _xlsx_with(path: Path, rows: str, extra: dict[str, bytes]) -> Path:
    _xlsx(path, rows)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, data in extra.items():
            archive.writestr(name, data)
    return path


def test_shared_strings_are_counted_before_reading(tmp_path: Path) -> None:
    """Four million and one empty shared strings (a few KB zipped) are refused."""
    strings = b"<sst>" + b"<si/>" * 4_000_001 + b"</sst>"
    path = _xlsx_with(tmp_path / "sst.xlsx", "", {"xl/sharedStrings.xml": strings})
    with pytest.raises(FormError, match="shared strings"):
        load_forms(path, isolate=False)


def test_merged_ranges_are_counted_before_reading(tmp_path: Path) -> None:
    """A sheet of 100,001 merged ranges is refused before the library lists them."""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>a</t></is></c></row></sheetData>"
        "<mergeCells>" + '<mergeCell ref="A1:B2"/>' * 100_001 + "</mergeCells></worksheet>"
    )
    path = _xlsx(tmp_path / "merges.xlsx", "")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp_path / "m.xlsx", "w") as dst:
        for item in src.infolist():
            data = sheet.encode() if item.filename.endswith("sheet1.xml") else src.read(item)
            dst.writestr(item.filename, data, zipfile.ZIP_DEFLATED)
    with pytest.raises(FormError, match="merged ranges"):
        load_forms(tmp_path / "m.xlsx", isolate=False)


def _docx(path: Path, body: str) -> Path:
    """A Word document whose body is ``body`` (WordprocessingML)."""
    document = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document)
    return path


@pytest.mark.parametrize(
    "table",
    [
        "<w:tr>" + '<w:tc><w:tcPr><w:gridSpan w:val="3000000"/></w:tcPr><w:p/></w:tc>' + "</w:tr>",
        "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>" * 1_001,
    ],
    ids=["span-3000000", "merged-down-1001"],
)
def test_word_tables_are_measured_before_reading(tmp_path: Path, table: str) -> None:
    """Spans and merges that python-docx lays out in quadratic time are refused first."""
    path = _docx(tmp_path / "t.docx", f"<w:tbl>{table}</w:tbl>")
    with pytest.raises(FormError, match="more than perfscore reads"):
        load_forms(path, isolate=False)


def test_one_wide_html_row_does_not_widen_a_million_cells(tmp_path: Path) -> None:
    """``colspan=1024`` then 5,000 rows: refused before every row is padded to 1,024 cells."""
    page = "<table><tr><td colspan=1024>x</td></tr>" + "<tr><td>y</td></tr>" * 5_000 + "</table>"
    path = tmp_path / "wide.xls"
    path.write_text(f"<html><body>{page}</body></html>", "utf-8")
    with pytest.raises(FormError, match="more cells than perfscore reads"):
        load_forms(path, isolate=False)


def _page_pdf(contents: bytes, count: int = 1) -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(contents), contents),
        ]
    )


def test_a_declared_page_count_is_refused_before_the_pages_are_built(tmp_path: Path) -> None:
    """A page tree declaring 300,000 pages is refused at once."""
    path = tmp_path / "long.pdf"
    path.write_bytes(_page_pdf(b"", count=300_000))
    with pytest.raises(FormError, match="300,000 pages"):
        load_forms(path, isolate=False)


def test_a_page_ruled_finer_than_any_form_is_refused(tmp_path: Path) -> None:
    """A 2 KB page ruled into a 200 × 200 grid (table finding: 20 s) is refused."""
    lines = [b"%d 100 m %d 700 l" % (100 + 2 * i, 100 + 2 * i) for i in range(201)]
    lines += [b"100 %d m 500 %d l" % (100 + 3 * i, 100 + 3 * i) for i in range(201)]
    path = tmp_path / "grid.pdf"
    path.write_bytes(_page_pdf(b"\n".join(lines) + b"\nS"))
    # Older pdfplumber releases (the lowest allowed) do not report these strokes as ruling
    # lines: there the page has no table to look for, and is refused as no form at once.
    with pytest.raises(FormError, match=r"ruled into|no self-evaluation form found"):
        load_forms(path, isolate=False)


def test_an_encrypted_pdf_says_it_is_protected(tmp_path: Path) -> None:
    """A PDF locked with a password says so, not only the library's wrapper name."""
    data = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"11" * 32, b"22" * 32),
        ]
    )
    ident = b"<00112233445566778899aabbccddeeff>"
    path = tmp_path / "locked.pdf"
    path.write_bytes(
        data.replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 4 0 R /ID [%s%s]" % (ident, ident))
    )
    with pytest.raises(FormError, match="protected by a password"):
        load_forms(path)


def test_a_panicking_reader_prints_one_line_per_file(tmp_path: Path) -> None:
    """Scoring a folder of .xls files cut short (some make the library panic and print its
    backtrace): stderr holds one line per file, nothing of the library's."""
    import subprocess
    import sys

    data = _xls_bytes()
    folder = tmp_path / "cut"
    folder.mkdir()
    cuts = range(600, len(data), 311)
    for cut in cuts:
        (folder / f"{cut}.xls").write_bytes(data[:cut])
    done = subprocess.run(
        [sys.executable, "-m", "perfscore", "score", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stderr.splitlines()
    assert len(lines) == len(cuts), done.stderr
    assert all(line.startswith("perfscore: ") for line in lines)


def test_word_parts_are_bounded_all_together(tmp_path: Path) -> None:
    """A .docx of small compressed parts that unpack to more than the limit all together (each
    below the per-part limit) is refused before any part is unpacked."""
    path = tmp_path / "images.docx"
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for i in range(3):  # 3 × 100 MiB of zeros: a few hundred KB on disk
            with archive.open(f"word/media/image{i}.png", "w") as part:
                for _ in range(100):
                    part.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(FormError, match="with the parts before it"):
        load_forms(path, isolate=False)


def test_a_folder_that_cannot_be_listed_is_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder below the one named that cannot be listed (unreadable, or gone while the tree
    is walked) is a note; the other files are still found, and no traceback."""
    shutil.copy(EXAMPLES / "luohu-2024-social-workers.yaml", tmp_path / "form.yaml")
    gone = tmp_path / "gone"
    gone.mkdir()
    listing = os.scandir

    def scandir(path: Any) -> Any:
        if Path(path) == gone:
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, notes = form_files([tmp_path])
    assert files == [tmp_path / "form.yaml"]
    assert [n for n in notes if str(gone) in n]
