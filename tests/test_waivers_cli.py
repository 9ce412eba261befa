"""``perfscore score --waivers``: accepted findings in every format, ``--fail-on`` counting
only what is not accepted, stale waivers on stderr, bad waivers files, ``schema waivers``."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from perfscore.cli import run
from perfscore.waivers import KEYS, waivers_json_schema
from perfscore.yamlfile import read_yaml
from tests.conftest import DATA, ROOT

FORM = str(DATA / "waivers" / "training-2024.yaml")
WAIVERS = str(DATA / "waivers" / "training-2024.waivers.yaml")
NOTE = "已接受（单位已说明：追加专项经费后增加宣传场次，张三，2025-03-01）"
NOTE_EN = "accepted (单位已说明：追加专项经费后增加宣传场次, 张三, 2025-03-01)"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _accept_all(tmp_path: Path, *codes: str) -> str:
    """A waivers file accepting every flag of ``codes`` on the training form."""
    path = tmp_path / "all.yaml"
    path.write_text(
        "".join(f"- {{项目名称: 法律服务培训项目, 问题代码: {c}, 原因: 已复核}}\n" for c in codes),
        "utf-8",
    )
    return str(path)


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html", "json", "jsonl"])
def test_every_format_shows_the_accepted_flag(fmt: str) -> None:
    """Each format lists the accepted over-achievement with its reason, reviewer and date."""
    code, out, err = _run("score", FORM, "--waivers", WAIVERS, "--format", fmt)
    assert code == 1, err  # two errors are not accepted
    if fmt in ("json", "jsonl"):
        data = json.loads(out)[0] if fmt == "json" else json.loads(out.splitlines()[0])
        (flag,) = [f for f in data["flags"] if f["code"] == "over-achievement"]
        assert flag["accepted"]["reason"] == "单位已说明：追加专项经费后增加宣传场次"
        assert flag["accepted"]["line"] == 2
    else:
        assert NOTE in out
    plain = _run("score", FORM, "--format", fmt)[1]
    assert "已接受" not in plain


def test_english_reports_say_accepted() -> None:
    """With --lang en the note is in English; the reason stays as written."""
    out = _run("score", FORM, "--waivers", WAIVERS, "--lang", "en")[1]
    assert NOTE_EN in out


def test_csv_rows_carry_the_waiver() -> None:
    """A row's message and a form-level flag's message end with the waiver's words."""
    out = _run("score", FORM, "--waivers", WAIVERS, "--format", "csv")[1]
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    by_name = {r["三级指标"]: r for r in rows if r["行类型"] == "指标"}
    assert by_name["宣传活动次数"]["问题说明"].endswith(NOTE)
    assert "已接受" not in by_name["培训合格率"]["问题说明"]
    (budget,) = [r for r in rows if r["字段路径"] == "budget.rate"]
    assert budget["问题说明"].endswith("已接受（结余资金已按规定收回，张三，2025-03-01）")


def test_csv_severity_leaves_accepted_flags_out() -> None:
    """The severity column is the worst flag not accepted; a row whose every flag was accepted
    says 已接受 (regression: it showed the accepted flag's severity, as if still to act on)."""
    rows = {}
    for waived in (False, True):
        argv = ["score", FORM, "--format", "csv"] + (["--waivers", WAIVERS] if waived else [])
        out = _run(*argv)[1]
        found = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
        (rows[waived],) = [r for r in found if r["字段路径"] == "budget.rate"]
    assert rows[False]["级别"] in ("错误", "警告")
    assert rows[True]["级别"] == "已接受"


def test_stale_waivers_are_noted_with_their_line() -> None:
    """The 2023 waiver matches nothing: one note on stderr naming its file and line."""
    _, _, err = _run("score", FORM, "--waivers", WAIVERS, "--format", "json")
    assert err.splitlines() == [
        f"perfscore: {WAIVERS}:25: stale waiver, matches no flag: "
        "法律服务培训项目 2023 total-mismatch"
    ]


@pytest.mark.parametrize("fmt", ["table", "html"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_fail_on_counts_only_flags_not_accepted(tmp_path: Path, fmt: str, jobs: str) -> None:
    """Accepting every error makes --fail-on error pass; the warnings still fail
    --fail-on warning until they are accepted too."""
    errors = _accept_all(tmp_path, "score-mismatch", "total-mismatch")
    args = ["score", FORM, FORM, "--format", fmt, "-j", jobs, "--waivers"]
    assert _run(*args, errors)[0] == 0
    assert _run(*args, errors, "--fail-on", "warning")[0] == 1
    every = _accept_all(
        tmp_path,
        "score-mismatch",
        "total-mismatch",
        "low-execution",
        "over-achievement",
        "missing-reason",
    )
    code, _, err = _run(*args, every, "--fail-on", "warning")
    assert (code, err) == (0, "")


def test_a_bad_waivers_file_is_one_line_and_nothing_is_scored(tmp_path: Path) -> None:
    """A misspelt code: exit 5 (a file the forms are checked against could not be loaded), one
    line naming file:line:column and the likely code, no report."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- 项目名称: 法律服务培训项目\n  问题代码: over-achievment\n  原因: r\n", "utf-8"
    )
    code, out, err = _run("score", FORM, "--waivers", str(bad))
    assert (code, out) == (5, "")
    assert err == (
        f"perfscore: {bad}:2:3: unknown flag code 'over-achievment'; did you mean "
        "'over-achievement'? (expected a code or title from docs/flags.md)\n"
    )


def test_output_may_not_overwrite_the_waivers_file(tmp_path: Path) -> None:
    """--output naming the waivers file is refused: it is an input."""
    copy = tmp_path / "w.yaml"
    copy.write_text(Path(WAIVERS).read_text("utf-8"), "utf-8")
    code, _, err = _run("score", FORM, "--waivers", str(copy), "-o", str(copy))
    assert code == 6  # an output that would overwrite an input
    assert "w.yaml" in err
    assert copy.read_text("utf-8") == Path(WAIVERS).read_text("utf-8")


def test_the_committed_schema_is_current_and_takes_the_example() -> None:
    """schemas/waivers.schema.json is what ``perfscore schema waivers`` prints; the example
    file is valid under it, and a misspelt key or code is not."""
    code, out, _ = _run("schema", "waivers")
    assert code == 0
    committed = json.loads((ROOT / "schemas" / "waivers.schema.json").read_text("utf-8"))
    assert json.loads(out) == committed == waivers_json_schema()
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(committed)
    assert list(validator.iter_errors(read_yaml(WAIVERS).data)) == []
    entry = {"项目名称": "A", "问题代码": "over-achievement", "原因": "r"}
    assert list(validator.iter_errors([entry])) == []
    assert list(validator.iter_errors([{**entry, "问提代码": "x"}]))
    assert list(validator.iter_errors([{**entry, "问题代码": "over-achievment"}]))
    assert list(validator.iter_errors([{"项目名称": "A", "问题代码": "over-achievement"}]))


def test_the_docs_list_every_key_and_spelling() -> None:
    """docs/waivers.md's key table is the key table: every key, every spelling, in order."""
    text = (ROOT / "docs" / "waivers.md").read_text("utf-8")
    rows = re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \| ([^|]+) \|$", text, re.M)
    assert [(key, spellings.strip(), what.strip()) for key, spellings, what in rows] == [
        (f.key, ", ".join(f.labels), f.what) for f in KEYS.values()
    ]


def test_html_marks_a_cell_whose_flags_are_all_accepted() -> None:
    """An accepted cell is marked accepted, not as an error; a cell with a flag still open
    keeps its severity."""
    out = _run("score", FORM, "--waivers", WAIVERS, "--format", "html")[1]
    marks = dict(re.findall(r'flagged flag-(\w+)" data-flags="([\w-]+)"', out))
    assert re.search(r'flag-accepted" data-flags="over-achievement"', out)
    assert re.search(r'flag-accepted" data-flags="low-execution"', out)
    assert re.search(r'flag-error" data-flags="score-mismatch"', out)  # row 3 is not accepted
    assert "accepted" in marks


def test_the_annotated_workbook_shows_accepted_cells(tmp_path: Path) -> None:
    """--annotate with --waivers: an accepted cell is filled green and its comment carries the
    waiver; a cell with an open error keeps the error's fill."""
    openpyxl = pytest.importorskip("openpyxl")
    from perfscore.readers import load_forms
    from perfscore.readers.writer import write_workbook

    book = tmp_path / "training.xlsx"
    write_workbook(load_forms(FORM), book)
    out = tmp_path / "checked.xlsx"
    code, _, err = _run("score", str(book), "--annotate", str(out), "--waivers", WAIVERS)
    assert code == 1, err
    sheet = openpyxl.load_workbook(out)["法律服务培训项目"]
    accepted, still_wrong = sheet["E10"], sheet["G11"]
    assert accepted.fill.start_color.rgb == "FFDAFBE1"
    assert NOTE in accepted.comment.text
    assert still_wrong.fill.start_color.rgb == "FFFFC7CE"
    assert "已接受" not in still_wrong.comment.text
