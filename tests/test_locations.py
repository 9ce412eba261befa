"""Every flag carries where it came from (issue 24, part 2): the readers set each value's place
(a workbook's cell, a Word or PDF table's row, a text's line, a YAML key's line and column),
the form carries it, the engine attaches it once, and every report shows it."""

from __future__ import annotations

import copy
import json
import pickle
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import perfscore
from perfscore.batch import evaluate_many
from perfscore.engine.results import EvaluationResult
from perfscore.form.sources import sources_of
from perfscore.paths import SourceLocation, cell_name, column_letters
from perfscore.words.flags import Flag
from tests.conftest import DATA, EXAMPLES, ROOT
from tests.formats import layout, to_docx, to_html, to_ods, to_xls, to_xlsx

CORPUS = ROOT / "tests" / "corpus"
SEED_003 = DATA / "seeds" / "003_1f06280c6eec3f80.txt"
SEED_004 = DATA / "seeds" / "004_f2f3303566fa8c39.txt"


def _form() -> dict[str, Any]:
    """A form with a wrong printed score (row 1), a missed row with no reason (row 3) and a
    wrong execution rate: flags on a cell, on a blank cell and on the budget."""
    data: dict[str, Any] = yaml.safe_load((CORPUS / "09-wrong-rate.yaml").read_text("utf-8"))
    data = copy.deepcopy(data)
    data["indicators"][0]["score"] = 18
    data["indicators"][2]["actual"] = "8个工作日"
    data["indicators"][2]["score"] = 0
    return data


def _flag(result: EvaluationResult, code: str, path: str) -> Flag:
    return next(f for f in result.flags if f.code == code and f.path == path)


# --- SourceLocation ---------------------------------------------------------------------------

PLACES = [
    (SourceLocation(sheet="Sheet1", cell="H14"), "Sheet1!H14", "Sheet1!H14"),
    (SourceLocation(sheet="预算 表", cell="B7"), "'预算 表'!B7", "'预算 表'!B7"),
    (SourceLocation(sheet="O'Hara", cell="A1"), "'O''Hara'!A1", "'O''Hara'!A1"),
    (SourceLocation(sheet="自评表", row=14), "自评表 第14行", "自评表 row 14"),
    (SourceLocation(page=2, table=1, row=5), "第2页 表1第5行", "page 2, table 1, row 5"),
    (SourceLocation(page=2, line=5), "第2页第5行", "page 2, line 5"),
    (SourceLocation(table=1, row=5), "表1第5行", "table 1, row 5"),
    (SourceLocation(paragraph=3), "第3段", "paragraph 3"),
    (SourceLocation(line=57, column=3), "第57行", "line 57"),
    (SourceLocation(), "", ""),
]


@pytest.mark.parametrize(("place", "zh", "en"), PLACES, ids=[p[1] or "none" for p in PLACES])
def test_a_place_in_both_languages(place: SourceLocation, zh: str, en: str) -> None:
    """Each kind of place reads as an auditor writes it, in Chinese and in English."""
    assert place.text("zh") == zh
    assert place.text("en") == en
    assert place.to_dict("en")["text"] == en


def test_where_adds_the_file() -> None:
    """A line is ``FILE:LINE:COLUMN`` as editors read it; other places follow the file."""
    assert SourceLocation(file="f.yaml", line=5, column=3).where() == "f.yaml:5:3"
    assert SourceLocation(file="f.txt", line=5).where() == "f.txt:5"
    assert SourceLocation(file="b.xlsx", sheet="S", cell="A1").where() == "b.xlsx S!A1"
    assert SourceLocation(file="b.pdf", page=1, line=2).where("en") == "b.pdf page 1, line 2"


def _letters_to_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


@given(st.integers(1, 16_384), st.integers(1, 1_048_576))
def test_cell_names_are_a1(column: int, row: int) -> None:
    """Column numbers and letters map one to one (A…Z, AA…, XFD is 16384)."""
    letters = column_letters(column)
    assert letters.isascii()
    assert letters.isupper()
    assert _letters_to_number(letters) == column
    assert cell_name(row, column) == f"{letters}{row}"


def test_last_column_is_xfd() -> None:
    """The sheet's last column, as every spreadsheet names it."""
    assert (column_letters(1), column_letters(26), column_letters(27)) == ("A", "Z", "AA")
    assert column_letters(16_384) == "XFD"


# --- the readers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "write"), [(".xlsx", to_xlsx), (".xls", to_xls), (".ods", to_ods)]
)
def test_workbook_flags_name_their_cell(suffix: str, write: Any, tmp_path: Path) -> None:
    """A wrong score is its score cell; a missing reason is the blank reason cell to fill in;
    a blank execution score, in a budget row with no score column, is the budget row; the
    budget's rate is its cell; the total its cell."""
    lay = layout([_form()])
    result = perfscore.evaluate(write(lay, tmp_path / f"form{suffix}"))
    sheet = {".xlsx": "Sheet"}.get(suffix, "自评表")
    row = next(r for r, cells in enumerate(lay.rows) if cells[3] == "帮教对象衔接人数") + 1
    assert _flag(result, "score-mismatch", "indicators[0].score").place() == f"{sheet}!I{row}"
    missed = _flag(result, "missing-reason", "indicators[2].reason")
    assert missed.source == SourceLocation(
        file=str(tmp_path / f"form{suffix}"), sheet=sheet, cell=f"J{row + 2}"
    )
    assert _flag(result, "execution-rate-mismatch", "budget.rate").place() == f"{sheet}!G6"
    assert _flag(result, "missing-execution-score", "budget.score").place("en") == f"{sheet} row 6"
    assert _flag(result, "total-mismatch", "total").place() == f"{sheet}!I15"


def test_word_flags_name_their_table_row(tmp_path: Path) -> None:
    """In a Word document a flag names its table and row, and that row holds the value."""
    import docx

    path = to_docx(layout([_form()]), tmp_path / "form.docx")
    result = perfscore.evaluate(path)
    flag = _flag(result, "score-mismatch", "indicators[0].score")
    assert flag.source is not None
    assert flag.source.table
    assert flag.source.row
    table = docx.Document(str(path)).tables[flag.source.table - 1]
    texts = [cell.text for cell in table.rows[flag.source.row - 1].cells]
    assert "帮教对象衔接人数" in texts
    assert "18" in texts
    assert re.fullmatch(r"表\d+第\d+行", flag.place())


def test_web_page_flags_name_their_table_row(tmp_path: Path) -> None:
    """A web page's table rows are counted as a Word table's are."""
    page = tmp_path / "form.html"
    page.write_text(to_html(layout([_form()])), "utf-8")
    result = perfscore.evaluate(page)
    flag = _flag(result, "score-mismatch", "indicators[0].score")
    assert flag.source is not None
    assert flag.source.table is not None
    assert flag.place("en").startswith(f"table {flag.source.table}, row ")


def test_text_flags_name_their_line() -> None:
    """Seed 003 as published text: each flag's line holds the row it is about."""
    lines = SEED_003.read_text("utf-8").split("\n")
    for form in perfscore.load_forms(SEED_003):
        result = perfscore.evaluate(form)
        for flag in result.flags:
            assert flag.source is not None, flag
            assert flag.source.line is not None, flag
            if flag.location[:1] == ("indicators",) and len(flag.location) > 1:
                name = result.indicators[int(flag.location[1])].name
                assert name[:4] in lines[flag.source.line - 1], (flag, name)


def test_target_table_flags_name_their_line() -> None:
    """Seed 004's target tables: a flag on a row's basis points at the basis's own line."""
    lines = SEED_004.read_text("utf-8").split("\n")
    result = perfscore.evaluate(perfscore.load_forms(SEED_004)[0])
    flag = next(f for f in result.flags if f.location[-1:] == ("basis",))
    index = int(flag.location[1])
    basis = result.form.indicators[index].basis or ""
    assert flag.source is not None
    assert flag.source.line is not None
    assert basis.split("\n")[0] in lines[flag.source.line - 1]


def test_yaml_flags_name_their_key(tmp_path: Path) -> None:
    """A YAML form: a flag on a key is its line and column; on a key the form left out, the
    row's item; a form-level flag, the form's first line.  Chinese keys count as theirs."""
    path = tmp_path / "form.yaml"
    path.write_text(
        "项目名称: 测试\n"
        "绩效指标:\n"
        "  - 三级指标: 甲\n"
        "    年度指标值: '≥10人'\n"
        "    实际完成值: '5人'\n"
        "    权重: 50\n"
        "    得分: 50\n"
        "  - {三级指标: 乙, 年度指标值: '≥90%', 实际完成值: '95%', 权重: 50}\n"
        "总分: 100\n",
        "utf-8",
    )
    result = perfscore.evaluate(path)
    score = _flag(result, "score-mismatch", "indicators[0].score")
    assert score.source == SourceLocation(file=str(path), line=7, column=5)
    assert score.source.where() == f"{path}:7:5"
    reason = _flag(result, "missing-reason", "indicators[0].reason")
    assert reason.source is not None
    assert reason.source.line == 3
    total = _flag(result, "total-mismatch", "total")
    assert total.place("en") == "line 9"


def test_json_flags_name_their_key(tmp_path: Path) -> None:
    """A JSON form: its keys' lines and columns as a YAML form's (regression: JSON forms kept no
    lines, so their flags pointed at no place); a document the YAML reader cannot follow (an
    escaped surrogate pair) is still scored, without places."""
    form = {
        "项目名称": "测试",
        "绩效指标": [
            {"三级指标": "甲", "年度指标值": "≥10人", "实际完成值": "5人", "权重": 50, "得分": 50},
            {"三级指标": "乙", "年度指标值": "≥90%", "实际完成值": "95%", "权重": 50},
        ],
        "总分": 100,
    }
    path = tmp_path / "form.json"
    path.write_text(json.dumps(form, ensure_ascii=False, indent=2), "utf-8")
    result = perfscore.evaluate(path)
    score = _flag(result, "score-mismatch", "indicators[0].score")
    assert score.source == SourceLocation(file=str(path), line=9, column=7)
    total = _flag(result, "total-mismatch", "total")
    assert total.place("en") == "line 18"
    form["项目名称"] = "测试\U0001f600"
    path.write_text(json.dumps(form, indent=2), "utf-8")  # the emoji as \\ud83d\\ude00
    result = perfscore.evaluate(path)
    assert result.form.project == "测试\U0001f600"
    assert _flag(result, "score-mismatch", "indicators[0].score").source is None


def test_a_form_made_in_python_has_no_places() -> None:
    """Without a file there is no place: ``source`` is None and the path stands in."""
    data = _form()
    result = perfscore.evaluate(data)
    flag = _flag(result, "score-mismatch", "indicators[0].score")
    assert flag.source is None
    assert flag.place() == "indicators[0].score"
    assert flag.to_dict()["source"] is None


def test_places_survive_worker_processes(tmp_path: Path) -> None:
    """A batch scored in worker processes keeps every place (results are pickled)."""
    path = to_xlsx(layout([_form()]), tmp_path / "form.xlsx")
    alone = perfscore.evaluate(path)
    [pooled] = list(evaluate_many([path], jobs=2))
    assert isinstance(pooled, EvaluationResult)
    assert [f.source for f in pooled.flags] == [f.source for f in alone.flags]
    assert pickle.loads(pickle.dumps(alone.form)) == alone.form
    assert sources_of(pickle.loads(pickle.dumps(alone.form))) == sources_of(alone.form)


def test_places_do_not_change_what_a_form_is(tmp_path: Path) -> None:
    """A form read from a file equals the same form made in Python: places are beside it."""
    data = yaml.safe_load((EXAMPLES / "luohu-2024-social-workers.yaml").read_text("utf-8"))
    read = perfscore.load_form(EXAMPLES / "luohu-2024-social-workers.yaml")
    assert sources_of(read)
    assert read == perfscore.Form.model_validate(data)


def test_every_seed_flag_has_a_place() -> None:
    """Every flag raised on the published seed texts points somewhere in its file."""
    for seed in sorted((DATA / "seeds").glob("*.txt")):
        for form in perfscore.load_forms(seed):
            for flag in perfscore.evaluate(form).flags:
                assert flag.source is not None, (seed, flag)
                assert flag.source.file == str(seed), (seed, flag)


# --- JSON -------------------------------------------------------------------------------------


def test_json_keeps_codes_and_adds_the_source(tmp_path: Path) -> None:
    """JSON: codes and paths as before; ``kind``, ``money_unit`` and each flag's ``source``."""
    path = to_xlsx(layout([_form()]), tmp_path / "form.xlsx")
    data = perfscore.evaluate(path, lang="en").to_dict()
    assert (data["kind"], data["money_unit"]) == ("project", "元")
    flag = next(f for f in data["flags"] if f["code"] == "score-mismatch")
    assert flag["path"] == "indicators[0].score"
    assert flag["source"] == {
        "file": str(path),
        "sheet": "Sheet",
        "cell": "I9",
        "text": "Sheet!I9",
    }
    json.dumps(data)


@pytest.mark.parametrize(
    "name", ["notary-docx-letter-landscape.pdf", "caidian-docx-a4-portrait-3pages.pdf"]
)
def test_pdf_flags_name_their_page_and_table_row(name: str) -> None:
    """A ruled PDF: each row's flag names the page, the table on it and the row, and that
    table row holds the row's target as printed."""
    import pdfplumber

    path = DATA / "pdf" / name
    result = perfscore.evaluate(path)
    checked = 0
    with pdfplumber.open(path) as pdf:
        for flag in result.flags:
            if flag.location[-1:] != ("target",):
                continue
            place = flag.source
            assert place is not None
            assert place.page
            assert place.table
            assert place.row
            table = pdf.pages[place.page - 1].find_tables()[place.table - 1].extract()
            cells = " ".join(c or "" for c in table[place.row - 1])
            target = result.indicators[int(flag.location[1])].indicator.target or ""
            assert target[:3] in cells.replace("\n", ""), (flag, cells)
            checked += 1
    assert checked


def test_unruled_pdf_flags_name_their_page_and_line() -> None:
    """A PDF without rules is read as text: a flag names the page and the line on it."""
    result = perfscore.evaluate(DATA / "pdf" / "social-docx-a4-portrait-unruled-4pages.pdf")
    places = [f.source for f in result.flags]
    assert all(p is not None and p.page and p.line for p in places)
    assert {p.text("zh") for p in places if p is not None} >= {"第2页第2行"}


_ROW_TEXT = st.sampled_from(
    ["≥10人", "10人", "8人", "≥90%", "95%", "80&", "不适用", "无", "", "100%"]
)


@settings(max_examples=30)
@given(
    st.lists(
        st.tuples(
            _ROW_TEXT, _ROW_TEXT, st.sampled_from([None, 5, 10]), st.sampled_from([None, 0, 5])
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["indicators", "绩效指标"]),
)
def test_every_flag_of_a_yaml_form_points_at_its_key(
    rows: list[tuple[str, str, int | None, int | None]], top: str
) -> None:
    """Any YAML form: every flag has a line of the file; a flag on a field the file writes is
    on that field's own line, under whatever spelling of the block the file uses."""
    indicators = []
    for n, (target, actual, weight, score) in enumerate(rows):
        row: dict[str, Any] = {"name": f"指标{n}", "target": target, "actual": actual}
        row.update({k: v for k, v in (("weight", weight), ("score", score)) if v is not None})
        indicators.append(row)
    text = yaml.safe_dump(
        {"project": "p", top: indicators, "total": 50}, allow_unicode=True, sort_keys=False
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "form.yaml"
        path.write_text(text, "utf-8")
        result = perfscore.evaluate(path)
    lines = text.split("\n")
    for flag in result.flags:
        assert flag.source is not None, flag
        assert flag.source.line is not None, flag
        assert 1 <= flag.source.line <= len(lines), flag
        loc = flag.location
        if len(loc) == 3 and loc[0] == "indicators" and loc[2] in indicators[int(loc[1])]:
            assert lines[flag.source.line - 1].lstrip(" -").startswith(f"{loc[2]}:"), flag


_NUMBER = st.one_of(st.none(), st.integers(1, 5000))


@given(
    st.one_of(st.none(), st.text(min_size=1, max_size=12)),
    _NUMBER,
    _NUMBER,
    _NUMBER,
    _NUMBER,
    _NUMBER,
)
def test_a_place_names_every_number_it_knows(
    sheet: str | None,
    page: int | None,
    table: int | None,
    row: int | None,
    paragraph: int | None,
    line: int | None,
) -> None:
    """Whatever a reader knows of a place, its words say every number of it, in both
    languages, and a place with nothing known says nothing."""
    place = SourceLocation(
        sheet=sheet, page=page, table=table, row=row, paragraph=paragraph, line=line
    )
    for lang in ("zh", "en"):
        text = place.text(lang)
        shown = [row] if sheet is not None else [page, table, row, paragraph, line]
        for number in shown:
            if number is not None:
                assert str(number) in text, (place, lang, text)
        known = sheet is not None or any(n is not None for n in shown)
        assert bool(text) == known, (place, text)


def test_a_forms_places_as_a_table(tmp_path: Path) -> None:
    """All of a form's places at once, in the form's own keys, whichever spelling the file
    used; a path with no place is a KeyError."""
    path = tmp_path / "form.yaml"
    path.write_text(
        "项目名称: 测试\n预算执行情况: {全年预算数: 100, 全年执行数: 90}\n"
        "绩效指标:\n  - {三级指标: 甲, 年度指标值: '≥10人', 实际完成值: '12人'}\n",
        "utf-8",
    )
    table = dict(sources_of(perfscore.load_form(path)))
    assert table[("project",)].line == 1
    assert (table[("budget", "adjusted")].line, table[("budget", "executed")].line) == (2, 2)
    assert table[("indicators", 0, "actual")].line == 4
    assert ("绩效指标",) not in table
    with pytest.raises(KeyError):
        sources_of(perfscore.load_form(path))[("total",)]
    xlsx = to_xlsx(layout([_form()]), tmp_path / "form.xlsx")
    places = sources_of(perfscore.load_form(xlsx))
    assert places[("indicators", 0, "score")].cell == "I9"
    assert places[("indicators", 0)].row == 9
    with pytest.raises(KeyError):
        places[("spending_plan", 0, "share")]


def test_a_block_spelt_in_traditional_script_has_its_places(tmp_path: Path) -> None:
    """A YAML form whose block keys are in traditional script (績效指標): its flags point at
    their rows, not at the form's first line."""
    path = tmp_path / "form.yaml"
    path.write_text(
        "項目名稱: 測試\n績效指標:\n"
        "  - {name: 甲, target: '≥10人', actual: '5人', weight: 10, score: 10}\n",
        "utf-8",
    )
    result = perfscore.evaluate(path)
    flag = _flag(result, "score-mismatch", "indicators[0].score")
    assert flag.source is not None
    assert (flag.source.line, flag.source.column) == (3, 57)
