"""The Word review (``score --format docx``): read back with python-docx, and rendered once
through LibreOffice to PDF, where the pages, the opinions and the table of findings are what the
review holds."""

from __future__ import annotations

import copy
import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import perfscore
from perfscore.cli import run
from perfscore.report.docx import FINDING_HEADER, review_document
from perfscore.report.review import Review, review
from tests.conftest import DATA, EXAMPLES
from tests.test_checks import BASE

_SEVERITY_WORDS = {"错误", "警告", "提示"}


def _faulty(folder: Path) -> Path:
    """Seed 003's first form with an arithmetic slip, a missing reason and an over-achievement."""
    form = copy.deepcopy(BASE)
    form["project"] = "购买社工岗位服务（复核）"
    form["indicators"][0]["score"] = 29
    form["indicators"][3].pop("reason", None)
    form["indicators"][2]["actual"] = "25次/年"
    path = folder / "faulty.yaml"
    path.write_text(yaml.safe_dump(form, allow_unicode=True), "utf-8")
    return path


def _forms(folder: Path) -> list[Path]:
    return [
        _faulty(folder),
        EXAMPLES / "luohu-2024-notary-lawyers.yaml",
        DATA / "forms" / "pingshan-2020-training.yaml",
    ]


def _score(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["score", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def _reviews(paths: list[Path], lang: str = "zh") -> list[Review]:
    return [review(perfscore.evaluate(p, lang="en" if lang == "en" else "zh")) for p in paths]


def _cells(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _headings(document: Any) -> list[str]:
    return [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]


def _findings_rows(item: Review) -> list[list[str]]:
    words = {"error": "错误", "warning": "警告", "info": "提示"}
    return [
        [str(n), "\n".join(filter(None, (f.subject, f.where))), f.problem, f.ask, words[f.severity]]
        for n, f in enumerate(item.findings, 1)
    ]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """A batch of three forms written as one Word review by the command line."""
    folder = tmp_path_factory.mktemp("review")
    forms = _forms(folder)
    target = folder / "review.docx"
    code, out, err = _score("--format", "docx", "-o", str(target), *map(str, forms))
    assert code == 1, err  # the faulty form has errors
    assert out == ""
    return target, forms


def test_batch_document_reads_back(batch: tuple[Path, list[Path]]) -> None:
    """One document: a title, a contents table (a row per form with totals and counts), then
    per form a heading (project, unit, year), the summary, the opinions worst first and the
    table of findings — the review's own, cell for cell."""
    import docx

    target, forms = batch
    document = docx.Document(str(target))
    reviews = _reviews(forms)
    headings = _headings(document)
    assert headings[0] == "目录"
    assert headings[1:] == [
        f"{n}. {r.result.form.project}（{r.result.form.unit}，{r.result.form.year}）"
        for n, r in enumerate(reviews, 1)
    ]
    contents, *rest = document.tables
    assert _cells(contents)[0][:3] == ["序号", "项目名称", "单位"]
    assert [row[1] for row in _cells(contents)[1:]] == [r.result.form.project for r in reviews]
    assert _cells(contents)[1][4:] == ["99.9", "99.9", "1", "3", "1", "0"]  # totals, counts
    for n in range(1, len(reviews) + 1):  # each project links to its form's heading
        assert f'w:anchor="form_{n}"' in contents._tbl.xml
        assert f'w:name="form_{n}"' in document.element.xml
    findings = [t for t in rest if _cells(t)[0] == list(FINDING_HEADER["zh"])]
    assert [_cells(t)[1:] for t in findings] == [_findings_rows(r) for r in reviews]
    summaries = [{k: v for k, v in _cells(t)} for t in rest if _cells(t)[0][0] == "表式"]
    assert [s.get("重算总分") for s in summaries] == ["99.9", "93.69", None]  # one unscored
    assert summaries[1]["预算执行率"] == "96.86%"
    assert summaries[2]["预算数"] == "23.95 万元"
    assert summaries[2]["指标完成情况"] == "达成 10  无法判断 1"
    text = [p.text for p in document.paragraphs]
    for item in reviews:
        opinions = [t for t in text if re.match(r"\d+\. \[(错误|警告|提示)\] ", t)]
        for opinion in item.opinions:
            assert any(t.endswith(opinion.text) for t in opinions)
        assert f"审核结论：{item.conclusion}" in text
    first = reviews[0]
    assert [o.code for o in first.opinions][:1] == ["score-mismatch"]
    assert "第1项「社工人数」：填报得分与按评分规则计算的得分不一致。请核实得分计算并更正。" in (
        o.text for o in first.opinions
    )


def test_one_form_has_no_contents(tmp_path: Path, luohu_notary: Path) -> None:
    """A single form's review starts with its heading: no contents table, no empty page."""
    import docx

    target = tmp_path / "one.docx"
    assert _score("--format", "docx", "-o", str(target), str(luohu_notary))[0] == 0
    document = docx.Document(str(target))
    headings = _headings(document)
    assert headings == ["公证律师管理经费（深圳市罗湖区司法局(本级)，2024）"]
    assert _cells(document.tables[0])[:2] == [["表式", "项目支出绩效自评表"], ["填报总分", "93.69"]]
    assert 'w:type="page"' not in document.element.xml


def test_notes_stand_apart(tmp_path: Path) -> None:
    """The opinions an auditor sends come first and alone; notes (提示) follow under their own
    heading, so a form of notes only has nothing to correct."""
    import docx

    target = tmp_path / "notes.docx"
    form = EXAMPLES / "luohu-2024-notary-lawyers.yaml"
    assert _score("--format", "docx", "-o", str(target), str(form))[0] == 0
    texts = [p.text for p in docx.Document(str(target)).paragraphs]
    opinions, notes = texts.index("审核意见"), texts.index("提示（供参考）")
    assert texts[opinions + 1] == "审核结论：未发现需整改的问题。"
    (item,) = _reviews([form])
    shown = texts[notes + 1 : notes + 1 + len(item.opinions)]
    assert shown == [f"{n}. [提示] {o.text}" for n, o in enumerate(item.opinions, 1)]


def test_accepted_findings_in_the_word_review(tmp_path: Path) -> None:
    """``--waivers``: the accepted findings are listed under their own heading with why, their
    rows in the table say so in place of the request, and they do not fail the run."""
    import docx

    target = tmp_path / "accepted.docx"
    waivers = DATA / "waivers" / "training-2024.waivers.yaml"
    form = DATA / "waivers" / "training-2024.yaml"
    code, _, err = _score(
        "--format", "docx", "-o", str(target), "--waivers", str(waivers), str(form)
    )
    assert code == 1  # two errors no waiver accepted
    assert "stale waiver" in err
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("已接受的问题")
    assert [t.split("] ")[0] for t in texts[start + 1 : start + 4]] == [
        "1. [错误",
        "2. [警告",
        "3. [警告",
    ]
    assert texts[start + 2].endswith("已接受（结余资金已按规定收回，张三，2025-03-01）。")
    rows = _cells(document.tables[-1])[1:]
    accepted = [row for row in rows if row[4].endswith("\n已接受")]
    assert len(accepted) == 3
    assert all(row[3].startswith("已接受（") for row in accepted)
    summary = _cells(document.tables[0])  # one form: no contents, the summary first
    assert ["问题", "错误 2  警告 1  提示 2  已接受 3"] in summary


def test_english_review(tmp_path: Path, luohu_notary: Path) -> None:
    """``--lang en``: the same review in English, severities included."""
    import docx

    target = tmp_path / "en.docx"
    assert _score("--format", "docx", "--lang", "en", "-o", str(target), str(luohu_notary))[0] == 0
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "Review of performance self-evaluations"
    header, *rows = _cells(document.tables[-1])
    assert header == list(FINDING_HEADER["en"])
    assert {row[-1] for row in rows} == {"note"}
    (item,) = _reviews([luohu_notary], "en")
    assert [row[1] for row in rows] == [f"{f.subject}\n{f.where}" for f in item.findings]
    assert rows[0][1] == "budget, score\nline 11"  # the row and field, then the file's place


def test_unreadable_files_are_listed(tmp_path: Path, luohu_notary: Path) -> None:
    """A file that cannot be read is listed at the end of the review (and on stderr); the
    run fails."""
    import docx

    broken = tmp_path / "broken.yaml"
    broken.write_text("indicators: [", "utf-8")
    target = tmp_path / "review.docx"
    code, _, err = _score("--format", "docx", "-o", str(target), str(luohu_notary), str(broken))
    assert code == 4  # a form could not be read
    assert "broken.yaml" in err
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert "未能读取的文件" in texts
    assert any("broken.yaml" in t for t in texts[texts.index("未能读取的文件") :])
    assert any("另有 1 个文件未能读取" in t for t in texts)


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (None, "--format docx writes a Word file, not to standard output (expected -o FILE"),
        ("-", "not to standard output"),
        ("review.txt", "review.txt: --format docx writes a Word file, not this name"),
        ("missing/review.docx", "does not exist (expected an existing folder)"),
    ],
)
def test_docx_needs_a_docx_file(
    tmp_path: Path, luohu_notary: Path, output: str | None, message: str
) -> None:
    """Writing the Word review to standard output or under another suffix is refused before
    anything is scored, with what to give instead (exit 6, the output's code; nothing
    written)."""
    monkey = ["-o", str(tmp_path / output) if output not in (None, "-") else "-"]
    argv = ["--format", "docx", *(monkey if output else []), str(luohu_notary)]
    code, out, err = _score(*argv)
    assert code == 6
    assert out == ""
    assert message in err
    assert list(tmp_path.iterdir()) == []


def test_docx_never_overwrites_an_input(tmp_path: Path) -> None:
    """``-o`` naming one of the forms read is refused, the form untouched."""
    form = tmp_path / "form.docx"
    form.write_bytes(b"not really")
    code, _, err = _score("--format", "docx", "-o", str(form), str(form))
    assert code == 6
    assert "would overwrite the input" in err
    assert form.read_bytes() == b"not really"


def test_text_xml_cannot_hold_is_replaced(tmp_path: Path) -> None:
    """A control character or a lone surrogate in a form's text (a damaged cell, a file name
    that is not UTF-8) is written as U+FFFD, never a traceback from the document library."""
    import docx

    from perfscore.report.docx import write_review

    form = copy.deepcopy(BASE)
    form["project"] = "购买\x01社工\ud800服务"
    form["indicators"][0]["name"] = "社工\x0b人数"
    form["indicators"][0]["score"] = 29
    target = tmp_path / "odd.docx"
    write_review([perfscore.evaluate(form)], target)
    document = docx.Document(str(target))
    assert _headings(document)[0].startswith("购买\ufffd社工\ufffd服务")
    assert any("社工\ufffd人数" in row[1] for row in _cells(document.tables[-1]))


@settings(max_examples=40)
@given(project=st.text(min_size=1, max_size=30), name=st.text(min_size=1, max_size=30))
def test_any_text_makes_a_document(project: str, name: str) -> None:
    """Whatever a form's project and indicator are called, the review is a document that reads
    back with the same words (what XML cannot hold as U+FFFD)."""
    import docx

    from perfscore.report.wordml import clean

    form = copy.deepcopy(BASE)
    form["project"], form["indicators"][0]["name"] = project, name
    form["indicators"][0]["score"] = 29  # a finding on the renamed row
    try:
        result = perfscore.evaluate(form)
    except perfscore.PerfscoreError:
        return  # a name the form model refuses (blank, say) is not the review's to write
    buffer = io.BytesIO()
    review_document([result]).save(buffer)
    document = docx.Document(io.BytesIO(buffer.getvalue()))

    def words(text: str) -> str:  # white space aside: Word keeps a line break as a break
        return "".join(clean(text).split())

    shown = result.form.printed("project") or "（未命名项目）"
    assert words(_headings(document)[0]).startswith(words(shown))
    places = [words(row[1]) for row in _cells(document.tables[-1])[1:]]
    printed = result.form.indicators[0].printed("name")
    row = f"第1项「{words(printed)}」" if printed else "第1项"
    assert any(p.startswith(row) for p in places)


def test_empty_review_says_so() -> None:
    """A review of nothing is a document that says so, not an empty page."""
    document = review_document([], "zh")
    assert "没有可审核的表。" in [p.text for p in document.paragraphs]


# --- rendered by LibreOffice ------------------------------------------------------------------


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _render(target: Path) -> Path:
    """``target`` converted to PDF by headless LibreOffice, with a profile of its own (runs
    side by side do not share one)."""
    binary = _soffice()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing under CI (.ci/run installs libreoffice-writer)")
        pytest.skip("no LibreOffice on this machine (apt-get install libreoffice-writer)")
    folder = target.parent / "pdf"
    profile = target.parent / "lo-profile"
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "HOME": str(target.parent)},
    )
    return folder / f"{target.stem}.pdf"


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_rendered_by_libreoffice(batch: tuple[Path, list[Path]]) -> None:
    """LibreOffice lays the review out as written: the contents page, then each form from a
    page of its own, pages numbered in the footer; every opinion reads whole; the table of
    findings, its header repeated on each page it runs over, holds the review's findings row for
    row."""
    import pdfplumber

    target, forms = batch
    reviews = _reviews(forms)
    with pdfplumber.open(_render(target)) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
        tables = [t for page in pdf.pages for t in page.extract_tables()]
    assert len(pages) >= 1 + len(reviews)
    assert [p.strip().splitlines()[-1] for p in pages] == [
        f"第 {n} 页" for n in range(1, len(pages) + 1)
    ]
    starts = [
        next(i for i, p in enumerate(pages) if p.startswith(f"{n}. {r.result.form.project}"))
        for n, r in enumerate(reviews, 1)
    ]
    assert starts[0] == 1
    assert starts == sorted(set(starts))
    for item, first, end in zip(reviews, starts, [*starts[1:], len(pages)], strict=True):
        text = _plain("".join(pages[first:end]))
        for opinion in item.opinions:
            assert _plain(opinion.text) in text
        assert _plain(item.conclusion) in text
    header = [_plain(h) for h in FINDING_HEADER["zh"]]
    rows = [[_plain(c or "") for c in row] for t in tables for row in t]
    found = [row for row in rows if len(row) == len(header) and row != header]
    want = [[_plain(c) for c in row] for item in reviews for row in _findings_rows(item)]
    assert found == want
    assert all(row[-1] in _SEVERITY_WORDS for row in found)
