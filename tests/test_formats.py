"""Every file an auditor has: spreadsheets, Word, PDF — each scores as its YAML twin, and a file
that cannot be read is a FormError naming it, never a traceback or an empty form."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from perfscore import FormError
from perfscore.batch import Failure, evaluate_many
from perfscore.cli import run
from perfscore.readers import form_files, load_forms
from perfscore.readers.pdf import normalise
from perfscore.readers.spreadsheet import MAX_ROWS, workbook_grids
from tests import formats
from tests.conftest import DATA, EXAMPLES

LUOHU = [EXAMPLES / "luohu-2024-social-workers.yaml", EXAMPLES / "luohu-2024-notary-lawyers.yaml"]


def _twins() -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text("utf-8")) for p in LUOHU]


def _outcome(result: perfscore.EvaluationResult) -> dict[str, Any]:
    """What must agree between a file and its YAML twin."""
    return {
        "total": result.total,
        "execution": result.execution.score if result.execution else None,
        "rows": [(r.name, r.status, r.score, r.reported_score) for r in result.indicators],
        "flags": sorted((f.code, f.path) for f in result.flags if f.code != "reading-note"),
    }


def _want() -> list[dict[str, Any]]:
    return [_outcome(perfscore.evaluate(p)) for p in LUOHU]


def _pdf(tmp_path: Path, lay: formats.Layout, name: str = "forms.pdf", padding: int = 6) -> Path:
    if formats.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing under CI (.ci/run installs it)")
        pytest.skip("no Chromium on this machine to print the PDF (apt-get install chromium)")
    return formats.html_to_pdf(formats.to_html(lay, padding=padding), tmp_path / name)


WRITERS = {
    ".xlsx": formats.to_xlsx,
    ".xls": formats.to_xls,
    ".ods": formats.to_ods,
    ".docx": formats.to_docx,
}


# --- each format scores as the YAML twin ------------------------------------------------------


@pytest.mark.parametrize("suffix", list(WRITERS))
@pytest.mark.parametrize("merged", [True, False], ids=["merged", "blank-below"])
def test_spreadsheets_and_word_score_as_the_twins(
    tmp_path: Path, suffix: str, merged: bool
) -> None:
    """Both Luohu forms in one file — 一级/二级 merged down their blocks, or printed once with
    blanks below — score exactly as the YAML fixtures (percent-formatted actuals included)."""
    path = WRITERS[suffix](formats.layout(_twins(), merge_down=merged), tmp_path / f"f{suffix}")
    forms = load_forms(path)
    assert [_outcome(perfscore.evaluate(f)) for f in forms] == _want()


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_html_saved_as_xls_scores_as_the_twins(tmp_path: Path, encoding: str) -> None:
    """An "export to Excel" that is an HTML page named .xls (row and column spans, the title
    as a heading, in UTF-8 or GB18030) scores as the YAML fixtures."""
    page = formats.to_html(formats.layout(_twins()))
    page = page.replace("<meta charset='utf-8'>", f"<meta charset='{encoding}'>")
    path = tmp_path / "export.xls"
    path.write_bytes(page.encode(encoding))
    forms = load_forms(path)
    assert [_outcome(perfscore.evaluate(f)) for f in forms] == _want()


def test_html_spans_are_bounded(tmp_path: Path) -> None:
    """A page claiming a cell a million rows tall is refused, not laid out."""
    path = tmp_path / "span.xls"
    path.write_text(
        "<html><table><tr><td rowspan=1000000 colspan=1000>x</td></tr></table></html>", "utf-8"
    )
    with pytest.raises(FormError, match="more cells than perfscore reads"):
        load_forms(path)


def test_pdf_scores_as_the_twins(tmp_path: Path) -> None:
    """A form printed to PDF by a browser: radical forms (⽬, ⽀, ⻛) read as 目/支/风, wrapped
    cells joined, the second form's table continued over the page break."""
    path = _pdf(tmp_path, formats.layout(_twins()))
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        raw = "".join(p.extract_text() for p in pdf.pages)
    assert pages >= 2  # the page break falls inside a table
    assert "⽬" in raw  # the browser did draw the radical forms this reader must undo
    forms = load_forms(path)
    assert [f.project for f in forms] == ["购买社工岗位服务", "公证律师管理经费"]
    assert [_outcome(perfscore.evaluate(f)) for f in forms] == _want()


def test_pdf_of_published_text_reads_as_the_text(tmp_path: Path) -> None:
    """Seed 001 — a publication's text, no ruled tables — printed to PDF reads as the text
    itself does: six forms, every field equal."""
    import html

    text = (DATA / "seeds" / "001_aa12b68a981f2731.txt").read_text("utf-8")
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        "body{font-family:'Noto Sans CJK SC',sans-serif;font-size:10px}"
        "pre{font-family:inherit;white-space:pre-wrap}</style></head>"
        f"<body><pre>{html.escape(text)}</pre></body></html>"
    )
    if formats.chromium() is None:
        _pdf(tmp_path, formats.Layout())  # skips (or fails under CI) with the reason
    path = formats.html_to_pdf(page, tmp_path / "seed-001.pdf")
    forms = load_forms(path)
    assert len(forms) == 6
    assert forms == load_forms(DATA / "seeds" / "001_aa12b68a981f2731.txt")


def test_pdf_without_tables_is_not_an_empty_form(tmp_path: Path) -> None:
    """A PDF of prose: no form found, said as such."""
    path = _pdf(tmp_path, formats.Layout(rows=[["会议纪要"] + [None] * 9]), "notes.pdf")
    with pytest.raises(FormError, match="no self-evaluation form found"):
        load_forms(path)


def test_docx_title_paragraph_names_the_form(tmp_path: Path) -> None:
    """The title and heading are paragraphs above the table: they still name the form."""
    path = formats.to_docx(formats.layout(_twins()[:1]), tmp_path / "f.docx")
    (form,) = load_forms(path)
    assert (form.project, form.code, form.unit, form.year) == (
        "购买社工岗位服务",
        "440303210301500004718",
        "深圳市罗湖区司法局(本级)",
        2024,
    )


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("项目名称：测试项目    实施单位：某局", ["项目名称：", "测试项目", "实施单位：", "某局"]),
        ("项目名称： 社工服务 实施单位： 某局", ["项目名称：", "社工服务", "实施单位：", "某局"]),
        ("填报单位：某局  单位：元", ["填报单位：", "某局", "单位：元"]),
        ("单位：万元", ["单位：万元"]),
        ("项目资金（单位：万元）", ["项目资金（单位：万元）"]),
        ("2024年度 项目支出绩效自评表", ["2024年度 项目支出绩效自评表"]),
        ("一级指标  二级指标\t三级指标", ["一级指标", "二级指标", "三级指标"]),
    ],
)
def test_paragraph_cells(line: str, cells: list[str]) -> None:
    """A line of a Word paragraph or of PDF text outside a table, as the cells a person reads:
    labels and their values apart, a money-unit statement whole."""
    from perfscore.readers.docx import paragraph_cells

    assert paragraph_cells(line) == cells


def test_docx_money_unit_paragraph(tmp_path: Path) -> None:
    """单位：万元 printed as a paragraph above the table sets the form's money unit."""
    import docx

    source = formats.to_docx(formats.layout(_twins()[:1]), tmp_path / "a.docx")
    document = docx.Document(str(source))
    document.paragraphs[1].insert_paragraph_before("单位：万元")
    document.save(str(tmp_path / "b.docx"))
    (form,) = load_forms(tmp_path / "b.docx")
    assert form.money_unit == "万元"
    assert form.project == "购买社工岗位服务"


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("项⽬⽀出", "项目支出"),
        ("社区矫正⻛险", "社区矫正风险"),
        ("线上法律服务时\n⻓", "线上法律服务时长"),
        ("≥1000⼩\n时", "≥1000小时"),
        ("Total\nscore", "Total score"),
        ("面积 50㎡", "面积 50㎡"),
        ("（万元）：", "（万元）："),
    ],
)
def test_pdf_text_normalised(printed: str, read: str) -> None:
    """Radical forms read as the ordinary characters; wrapped lines joined; the rest as printed."""
    assert normalise(printed) == read


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40))
def test_normalise_is_stable(text: str) -> None:
    """Normalising twice changes nothing more, and text without line breaks or lookalike
    characters is only trimmed."""
    once = normalise(text)
    assert normalise(once) == once
    lookalike = any(
        "\u2e80" <= ch <= "\u2fdf" or "\uf900" <= ch <= "\ufaff" or ch >= "\U0002f800"
        for ch in text
    )
    if "\n" not in text and not lookalike:
        assert once == text.strip()


# --- bounded reading -------------------------------------------------------------------------


def _rewrite(source: Path, target: Path, part: str, change: Any) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, change(data) if info.filename == part else data)
    return target


def _small_book(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "项目名称"
    book.active["B2"] = 1
    path = tmp_path / "small.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("far", ['r="XFD1048576"', 'r="A1048576"', 'r="XFD1"'])
def test_a_cell_far_away_fails_fast(tmp_path: Path, far: str) -> None:
    """A 6 KB workbook claiming a cell at the sheet's end is refused before the library would
    allocate the whole range (it aborts the process)."""
    path = _rewrite(
        _small_book(tmp_path),
        tmp_path / "far.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda d: d.replace(b'r="B2"', far.encode()).replace(b'<row r="2"', b'<row r="1048576"'),
    )
    assert path.stat().st_size < 10_000
    start = time.perf_counter()
    with pytest.raises(FormError, match="more than perfscore reads"):
        load_forms(path)
    assert time.perf_counter() - start < 5


def test_a_merge_to_the_sheet_end_is_clipped(tmp_path: Path) -> None:
    """A merged range to XFD1048576 fills only the cells that exist."""
    path = _rewrite(
        _small_book(tmp_path),
        tmp_path / "merge.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda d: d.replace(
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
        ),
    )
    ((_, grid),) = list(workbook_grids(path.read_bytes(), str(path)))
    assert grid == [["项目名称", "项目名称"], ["项目名称", "项目名称"]]


def test_ods_repeated_cells_are_measured(tmp_path: Path) -> None:
    """A few hundred bytes of .ods repeating a filled cell a hundred million times are refused;
    the empty rows LibreOffice repeats to the sheet's end are not cells."""
    bomb = formats.ods_file(
        tmp_path / "bomb.ods",
        '<table:table-row table:number-rows-repeated="100000">'
        '<table:table-cell table:number-columns-repeated="1000" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>",
    )
    with pytest.raises(FormError, match="100,000 rows"):
        load_forms(bomb)
    fine = formats.to_ods(formats.layout(_twins()[:1]), tmp_path / "fine.ods")
    ((_, grid),) = list(workbook_grids(fine.read_bytes(), str(fine)))
    assert len(grid) < 40
    assert len(grid[0]) == formats.WIDTH


@given(
    st.lists(
        st.tuples(st.integers(1, 300), st.integers(1, 60)), min_size=1, max_size=12, unique=True
    )
)
def test_xlsx_extent_is_the_last_cell(cells: list[tuple[int, int]]) -> None:
    """The pre-scan's extent is the grid calamine then reads: the last row and column used."""
    import tempfile

    from openpyxl import Workbook

    book = Workbook()
    for r, c in cells:
        book.active.cell(r, c, f"{r},{c}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "b.xlsx"
        book.save(path)
        ((_, grid),) = list(workbook_grids(path.read_bytes(), str(path)))
    assert len(grid) == max(r for r, _ in cells)
    assert len(grid[0]) == max(c for _, c in cells)
    for r, c in cells:
        assert grid[r - 1][c - 1] == f"{r},{c}"


@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.integers(0, 60), st.sampled_from(["n", "p", "t", "i"])),
        min_size=1,
        max_size=15,
        unique_by=lambda cell: cell[:2],
    )
)
def test_xls_scan_finds_extents_and_percents(cells: list[tuple[int, int, str]]) -> None:
    """The Excel 97 record scan agrees with the workbook written: the last row and column
    holding a value, and exactly the cells formatted as percentages read as ``N%``."""
    import tempfile

    import xlwt

    from perfscore.readers.biff import scan_xls

    book = xlwt.Workbook()
    sheet = book.add_sheet("表")
    percent = xlwt.easyxf(num_format_str="0.00%")
    for r, c, kind in cells:
        if kind == "t":
            sheet.write(r, c, f"{r},{c}")
        elif kind == "i":
            sheet.write(r, c, r * 100 + c)  # written as an RK record
        else:
            sheet.write(r, c, r + c / 8, percent if kind == "p" else xlwt.Style.default_style)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "b.xls"
        book.save(str(path))
        data = path.read_bytes()
    found = scan_xls(data)
    assert found is not None
    assert found["表"].rows == max(r for r, _, _ in cells) + 1
    assert found["表"].columns == max(c for _, c, _ in cells) + 1
    assert found["表"].percent == {(r, c) for r, c, kind in cells if kind == "p"}
    ((_, grid),) = list(workbook_grids(data, "b.xls"))
    for r, c, kind in cells:
        assert grid[r][c].endswith("%") == (kind == "p")


def test_limits_are_sane() -> None:
    """A department's list of projects fits; a sheet of a million rows does not."""
    assert 100_000 <= MAX_ROWS < 1_048_576


# --- files that cannot be read ---------------------------------------------------------------


def _broken(folder: Path) -> dict[str, str]:
    """Broken files of every kind, and a word of what the error must say about each."""
    folder.mkdir(parents=True, exist_ok=True)
    book = formats.to_xlsx(formats.layout(_twins()[:1]), folder / "good-source.xlsx")
    data = book.read_bytes()
    book.unlink()
    (folder / "empty.xlsx").write_bytes(b"")
    (folder / "renamed.xlsx").write_text("项目名称\t测试\n", "utf-8")
    (folder / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    corrupt = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    body = info.header_offset + 30 + len(info.filename) + 4
    corrupt[body : body + 40] = b"\xff" * 40
    (folder / "corrupt.xlsx").write_bytes(bytes(corrupt))
    _rewrite(
        book_from(data, folder / "x.xlsx"),
        folder / "badxml.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda d: d.replace(b"</sheetData>", b"</sheetDat>"),
    )
    (folder / "x.xlsx").unlink()
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    )
    (folder / "encrypted.xlsx").write_bytes(ole + b"\x00" * 1024)
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(300))
    document = formats.to_docx(formats.layout(_twins()[:1]), folder / "x.docx")
    _rewrite(document, folder / "badxml.docx", "word/document.xml", lambda d: d[: len(d) // 2])
    document.unlink()
    (folder / "bad-date.yaml").write_text("project: x\nyear: 2024-02-30\n", "utf-8")
    (folder / "no-indicators.yaml").write_text("project: x\nbudget: {adjusted: 1}\n", "utf-8")
    (folder / "empty.json").write_text("", "utf-8")
    return {
        "empty.xlsx": "empty",
        "renamed.xlsx": "text",
        "truncated.xlsx": "damaged",
        "corrupt.xlsx": "",
        "badxml.xlsx": "",
        "encrypted.xlsx": "password",
        "garbage.pdf": "PDF",
        "badxml.docx": "XML is damaged",
        "bad-date.yaml": "",
        "no-indicators.yaml": "no indicators",
        "empty.json": "empty",
    }


def book_from(data: bytes, path: Path) -> Path:
    path.write_bytes(data)
    return path


def test_every_broken_file_is_a_form_error(tmp_path: Path) -> None:
    """Damaged zips, corrupt deflate streams, bad XML, encrypted workbooks, impossible dates,
    empty files: each one FormError naming the file."""
    expected = _broken(tmp_path)
    for name, words in expected.items():
        with pytest.raises(FormError) as info:
            load_forms(tmp_path / name)
        assert name in str(info.value)
        assert words.lower() in str(info.value).lower(), str(info.value)
        # No library exception chained behind it: with exceptions pickled with their chain
        # (tblib, as Dask installs it) lxml's error log could not cross to another process.
        assert info.value.__context__ is None
        assert info.value.__cause__ is None


def _folder(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """One good file of each kind, broken ones, and files that are not forms."""
    folder = tmp_path / "forms"
    expected = _broken(folder / "broken")
    lay = formats.layout(_twins()[:1])
    for suffix, write in WRITERS.items():
        write(lay, folder / f"good{suffix}")
    (folder / "good.yaml").write_text(LUOHU[0].read_text("utf-8"), "utf-8")
    (folder / "good.json").write_text(json.dumps(_twins()[0], ensure_ascii=False), "utf-8")
    (folder / "good.txt").write_text(
        (DATA / "seeds" / "003_1f06280c6eec3f80.txt").read_text("utf-8"), "utf-8"
    )
    (folder / "package.json").write_text('{"name": "site", "version": "1.0.0"}', "utf-8")
    (folder / "other.json").write_text("{}", "utf-8")
    outside = tmp_path / "outside.yaml"
    outside.write_text(LUOHU[1].read_text("utf-8"), "utf-8")
    (folder / "link.yaml").symlink_to(outside)
    os.mkfifo(folder / "pipe.yaml")
    return folder, expected


def test_score_folder_reports_each_broken_file(tmp_path: Path) -> None:
    """One `perfscore score DIR`: every good file scored, every broken one on stderr, files
    that are not forms passed over with a note, exit 4."""
    folder, broken = _folder(tmp_path)
    lay = formats.layout(_twins()[:1])
    _pdf(folder, lay, "good.pdf")
    out, err = io.StringIO(), io.StringIO()
    code = run(["score", "--format", "json", str(folder)], out, err)
    assert code == 4
    results = json.loads(out.getvalue())
    # good.html: the page the PDF was printed from, a web page holding the form.
    good = "good.xlsx good.xls good.ods good.docx good.pdf good.html good.yaml good.json".split()
    assert sorted(Path(r["source"]).name for r in results) == sorted(
        [*good, "good.txt #1", "good.txt #2"]
    )
    assert sorted(r["total"] for r in results) == ["93.69"] + ["99.90"] * 9
    lines = err.getvalue().splitlines()
    for name in broken:
        assert any(name in line for line in lines), name
    for name, why in (
        ("package.json", "not a form"),
        ("other.json", "not a form"),
        ("link.yaml", "out of the folder"),
        ("pipe.yaml", "not a regular file"),
    ):
        assert any(name in line and why in line for line in lines), name
    assert "Traceback" not in err.getvalue()


@pytest.mark.parametrize("jobs", [1, 2])
def test_evaluate_many_yields_a_failure_in_place(tmp_path: Path, jobs: int) -> None:
    """A broken file among many: a Failure in its place, every other input scored."""
    expected = _broken(tmp_path)
    good = formats.to_xlsx(formats.layout(_twins()[:1]), tmp_path / "good.xlsx")
    inputs: list[Path] = []
    for name in expected:
        inputs += [good, tmp_path / name]
    items = list(evaluate_many(inputs, jobs=jobs, chunk_size=3))
    assert len(items) == len(inputs)
    for i, item in enumerate(items):
        assert isinstance(item, Failure) == (i % 2 == 1), (i, item)


def test_a_form_without_indicators_is_an_error(tmp_path: Path) -> None:
    """A heading and a budget but no indicator rows: an error saying what was found."""
    lay = formats.layout(_twins()[:1])
    header = next(i for i, row in enumerate(lay.rows) if row[1] == "一级指标")
    lay.rows = lay.rows[: header + 1]
    lay.merges = [m for m in lay.merges if m[2] <= header]
    path = formats.to_xlsx(lay, tmp_path / "heading-only.xlsx")
    with pytest.raises(FormError, match="no indicator rows") as info:
        load_forms(path)
    assert "购买社工岗位服务" in str(info.value)
    with pytest.raises(FormError, match="empty"):
        perfscore.evaluate({})


def test_form_files_names_what_it_passes_over(tmp_path: Path) -> None:
    """A file named directly is taken whatever it holds; in a folder, non-forms get a note."""
    folder, _ = _folder(tmp_path)
    files, notes = form_files([str(folder), str(folder / "package.json")])
    names = [f.name for f in files]
    assert names.count("package.json") == 1  # named directly
    assert "pipe.yaml" not in names
    assert "link.yaml" not in names
    assert len(notes) == 4
