"""What the command line writes: CSV a spreadsheet opens safely, English throughout with
``--lang en``, a chosen form explained, every problem of a file at once."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore import FormError
from perfscore.cli import run
from perfscore.readers import load_forms
from perfscore.report.formats import CSV_BOM, csv_text
from tests.conftest import DATA, EXAMPLES

SEED_001 = DATA / "seeds" / "001_aa12b68a981f2731.txt"
NOTARY = EXAMPLES / "luohu-2024-notary-lawyers.yaml"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _csv(text: str) -> list[dict[str, str]]:
    assert text.startswith(CSV_BOM)
    return list(csv.DictReader(io.StringIO(text.removeprefix(CSV_BOM))))


# --- CSV --------------------------------------------------------------------------------------


def test_csv_has_a_bom_and_a_row_per_form_level_flag(tmp_path: Path) -> None:
    """Form-level flags (total-mismatch, sum-mismatch …) are rows of their own."""
    text = NOTARY.read_text("utf-8").replace("total: 93.69", "total: 95")
    assert "total: 95" in text
    form = tmp_path / "form.yaml"
    form.write_text(text, "utf-8")
    code, out, _ = _run("score", "--format", "csv", "--fail-on", "never", "--lang", "en", str(form))
    assert code == 0
    rows = _csv(out)
    flags = [r for r in rows if r["row_type"] == "flag"]
    assert "total-mismatch" in [r["flags"] for r in flags]
    mismatch = next(r for r in flags if r["flags"] == "total-mismatch")
    assert (mismatch["path"], mismatch["severity"]) == ("total", "error")
    assert "95" in mismatch["message"]
    assert mismatch["place"] == "line 44"
    numbers = [r["number"] for r in rows if r["row_type"] == "indicator"]
    assert numbers == [str(i) for i in range(1, 16)]
    total = next(r for r in rows if r["row_type"] == "total")
    assert (total["score"], total["reported_score"]) == ("93.69", "95")


@pytest.mark.parametrize(("lang", "word"), [("zh", "部分达成"), ("en", "partly met")])
def test_csv_status_in_the_report_language(lang: str, word: str) -> None:
    _, out, _ = _run("score", "--format", "csv", "--lang", lang, str(EXAMPLES))
    rows = _csv(out)
    status, code = ("status", "status_code") if lang == "en" else ("判断", "判断代码")
    cost = next(r for r in rows if r[code] == "partly_met")
    assert cost[status] == word


@given(st.sampled_from("=+-@\t\r"), st.text(max_size=20))
def test_csv_text_never_starts_a_formula(first: str, rest: str) -> None:
    cell = csv_text(first + rest)
    assert cell == "'" + first + rest


def test_csv_writes_a_formula_looking_name_as_text(tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    form.write_text(
        'project: "=HYPERLINK(\\"http://x\\",\\"y\\")"\n'
        "indicators:\n  - {name: '@SUM(A1)', target: '-1', actual: '+2'}\n",
        "utf-8",
    )
    _, out, _ = _run("score", "--format", "csv", "--fail-on", "never", "--lang", "en", str(form))
    for row in _csv(out):
        for key in ("project", "name", "target", "actual", "message"):
            assert not row[key].startswith(("=", "+", "-", "@")), (key, row[key])
    assert _csv(out)[0]["name"] == "'@SUM(A1)"


def test_aggregate_csv_has_a_bom() -> None:
    _, out, _ = _run("aggregate", "--format", "csv", str(EXAMPLES))
    assert out.startswith(CSV_BOM)


# --- English throughout -----------------------------------------------------------------------

_RAW = re.compile(r"partly_met|not_judged|not_applicable|\b1 forms\b|未命名|张表")


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html"])
def test_english_reports_print_no_codes_or_chinese_labels(fmt: str, tmp_path: Path) -> None:
    unnamed = tmp_path / "unnamed.yaml"
    unnamed.write_text("indicators: [{name: a, target: '≥90%', actual: '80%'}]\n", "utf-8")
    for path in (NOTARY, unnamed):
        _, out, _ = _run("score", "--lang", "en", "--format", fmt, "--fail-on", "never", str(path))
        shown = re.sub(r'class="[^"]*"|<style>.*?</style>', "", out, flags=re.S)
        if fmt == "csv":  # the code column is for machines
            shown = "\n".join(
                ",".join(v for k, v in r.items() if k != "status_code") for r in _csv(out)
            )
        assert not _RAW.search(shown)
    assert "unnamed project" in out or fmt in ("csv", "html")


# --- explain a chosen form -------------------------------------------------------------------


@pytest.mark.parametrize("how", ["hash", "option"])
def test_explain_picks_the_second_form(how: str) -> None:
    args = [f"{SEED_001}#2"] if how == "hash" else [str(SEED_001), "--form", "2"]
    code, out, err = _run("explain", *args, "-i", "1")
    assert code == 0
    assert out.startswith("一般行政管理事务")
    assert "资产管理系统维护次数" in out
    assert err == ""


def test_explain_of_a_file_with_several_forms_says_which() -> None:
    code, out, err = _run("explain", str(SEED_001), "-i", "1")
    assert code == 0
    assert out.startswith("社区矫正")
    assert "holds 6 forms" in err


def test_explain_a_form_that_is_not_there() -> None:
    code, _, err = _run("explain", str(SEED_001), "--form", "7")
    assert code == 2
    assert "no form #7: the file holds 6 forms" in err
    code, _, err = _run("explain", f"{SEED_001}#2", "--form", "3")
    assert code == 2


# --- every problem at once -------------------------------------------------------------------


def test_all_errors_of_a_form_at_once(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "project: x\nindicators:\n  - name: a\n    weight: 1e99\n    wieght: 2\n  - target: 3\n",
        "utf-8",
    )
    with pytest.raises(FormError) as info:
        load_forms(bad)
    error = info.value
    assert (error.path, error.line) == ("indicators[0].weight", 4)
    text = str(error)
    assert "2 more" in text
    assert "line 5 indicators[0].wieght: unknown key 'wieght'" in text
    assert "line 6 indicators[1].name: required field is missing" in text


def test_all_broken_forms_of_a_file_at_once(tmp_path: Path) -> None:
    bad = tmp_path / "forms.yaml"
    bad.write_text(
        "- {project: a, indicators: [{name: x, weight: 1e99}]}\n"
        "- {project: b, indicators: [{name: y}]}\n"
        "- {project: c, indicators: [{wieght: 1}]}\n",
        "utf-8",
    )
    code, out, err = _run("score", str(bad))
    assert code == 4
    assert out == ""
    assert f"{bad} #1" in err
    assert "1 more broken form:" in err
    assert f"{bad} #3" in err


def test_all_broken_sheets_of_a_workbook_at_once(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title in ("甲", "乙"):
        sheet = workbook.create_sheet(title)
        sheet.append(["项目支出绩效自评表"])
        sheet.append(["项目名称", f"项目{title}"])
        sheet.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"])
    workbook.save(tmp_path / "two.xlsx")
    code, _, err = _run("score", str(tmp_path / "two.xlsx"))
    assert code == 4
    assert "[甲]" in err
    assert "[乙]" in err
    assert "1 more broken form" in err
