"""The human reports speak the form's language (issue 24, part 1): severities 错误/警告/提示, a
title per flag code, rows as the form numbers them with their names, the field's label, the
place in the file, amounts with their money unit, a closing summary — and ``--lang en`` the
same in English, while JSON keeps codes and paths."""

from __future__ import annotations

import copy
import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import perfscore
from perfscore.cli import run
from perfscore.form.fields import BUDGET, FORM, INDICATOR
from perfscore.report import formats as report
from perfscore.report import html as htmlreport
from perfscore.report.explain import explain
from perfscore.report.wording import Tally, field_label, flag_subject, money
from perfscore.words.catalogue import CATALOGUE, SEVERITY_WORDS
from tests.conftest import EXAMPLES, ROOT
from tests.formats import layout, to_xlsx

CORPUS = ROOT / "tests" / "corpus"


def _form() -> dict[str, Any]:
    """A wrong printed score on row 1 and a missed row 3 with no reason."""
    data: dict[str, Any] = yaml.safe_load((CORPUS / "09-wrong-rate.yaml").read_text("utf-8"))
    data = copy.deepcopy(data)
    data["indicators"][0]["score"] = 18
    data["indicators"][2]["actual"] = "8个工作日"
    data["indicators"][2]["score"] = 0
    return data


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return to_xlsx(layout([_form()]), tmp_path_factory.mktemp("wb") / "form.xlsx")


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# --- the catalogue's words --------------------------------------------------------------------


def test_every_code_has_a_title_in_both_languages() -> None:
    """One short title per code, Chinese and English, none shared by two codes."""
    for code, spec in CATALOGUE.items():
        assert re.search(r"[\u4e00-\u9fff]", spec.title), code
        assert spec.title_en, code
        assert spec.title_en.isascii(), code
    assert len({s.title for s in CATALOGUE.values()}) == len(CATALOGUE)
    assert len({s.title_en for s in CATALOGUE.values()}) == len(CATALOGUE)


def test_flags_page_shows_each_title() -> None:
    """docs/flags.md shows each code's Chinese and English title beside it."""
    text = (ROOT / "docs" / "flags.md").read_text("utf-8")
    for code, spec in CATALOGUE.items():
        title = rf"\*\*{re.escape(spec.title)}\*\* \({re.escape(spec.title_en)}\)"
        assert re.search(
            rf"^\| `{code}` \| \w+ \| {title}",
            text,
            re.M,
        ), code


LABELS = [
    (("indicators", 3, "score"), "得分", "score"),
    (("indicators", 3, "reason"), INDICATOR["reason"].label, "reason"),
    (("budget", "rate"), BUDGET["rate"].label, "rate"),
    (("budget", "adjusted"), BUDGET["adjusted"].label, "adjusted"),
    (("total",), FORM["total"].label, "total"),
    (("spending_plan", 2, "share"), FORM["spending_plan"].label, "spending plan"),
]


@pytest.mark.parametrize(("location", "zh", "en"), LABELS)
def test_field_labels_come_from_the_field_table(
    location: tuple[str | int, ...], zh: str, en: str
) -> None:
    """A field is named by its canonical label, the one the writer prints."""
    assert field_label(location, "zh") == zh
    assert field_label(location, "en") == en


@pytest.mark.parametrize(
    ("amount", "unit", "lang", "shown"),
    [
        ("107000", "元", "zh", "107000 元"),
        ("10.70", "万元", "zh", "10.7 万元"),
        ("107000", "元", "en", "107000 yuan"),
        ("10.7", "万元", "en", "10.7 10k yuan"),
        (None, "元", "zh", ""),
    ],
)
def test_amounts_carry_the_money_unit(amount: str | None, unit: str, lang: str, shown: str) -> None:
    from decimal import Decimal

    assert money(None if amount is None else Decimal(amount), unit, lang) == shown


# --- table, Markdown, explain -----------------------------------------------------------------


def test_table_speaks_chinese_with_places(workbook: Path) -> None:
    """错误 / 警告 / 提示, the title, the row by number and name, the label and the cell."""
    result = perfscore.evaluate(workbook)
    text = report.to_table(result)
    assert "错误  得分计算有误  第1项「帮教对象衔接人数」得分 [Sheet!I9]  得分填报为 18" in text
    assert "警告  缺少偏差原因  第3项「衔接登记时限」偏差原因分析及改进措施 [Sheet!J11]" in text
    assert "警告  缺少预算执行得分  预算执行情况 得分 [Sheet 第6行]" in text
    assert "全年预算数 460000 元  全年执行数 412760 元  预算执行率 89.73%" in text
    assert not re.search(r"^(error|warning|info) ", text, re.M)
    assert "score-mismatch" not in text
    assert text.rstrip().endswith("本表：错误 4 项，警告 3 项，提示 1 项；已核实分值占比 100%")


def test_table_in_english(workbook: Path) -> None:
    """``lang="en"``: the same report in English, places the same."""
    result = perfscore.evaluate(workbook, lang="en")
    text = report.to_table(result, "en")
    assert "error  score differs  row 1 (帮教对象衔接人数), score [Sheet!I9]  score printed" in text
    assert "warning  no reason for the shortfall  row 3 (衔接登记时限), reason [Sheet!J11]" in text
    assert "budget 460000 yuan  executed 412760 yuan" in text
    assert not re.search("|".join(zh for zh, _ in SEVERITY_WORDS.values()), text)
    assert "this form: 4 errors, 3 warnings, 1 note; 100% of the points verified" in text


def test_rows_are_numbered_from_one() -> None:
    """The table's first column is the form's row number (序号), from 1."""
    result = perfscore.evaluate(EXAMPLES / "luohu-2024-social-workers.yaml")
    rows = [
        line.split()[0]
        for line in report.to_table(result).splitlines()
        if re.match(r"\s*\d+\s+(产出|效益|满意度)", line)
    ]
    assert rows == [str(n) for n in range(1, len(result.indicators) + 1)]


def test_markdown_lists_flags_with_title_code_and_place(workbook: Path) -> None:
    """Markdown: the title with the code beside it, what it is about, the place, the message."""
    text = report.to_markdown(perfscore.evaluate(workbook))
    row = "| 错误 | 得分计算有误 (`score-mismatch`) | 第1项「帮教对象衔接人数」得分 | Sheet!I9 |"
    assert row + " 得分填报为 18" in text
    assert "本表：错误 4 项" in text


def test_explain_shows_each_flag_at_its_place(workbook: Path) -> None:
    """explain: rows numbered from 1, each flag with its title, place and code."""
    result = perfscore.evaluate(workbook)
    text = explain(result)
    assert "[1] 产出指标 / 数量指标 / 帮教对象衔接人数" in text
    assert "  ! 错误 得分计算有误 [Sheet!I9] 得分：得分填报为 18" in text
    assert "  ! 错误 执行率计算有误 [Sheet!G6] 预算执行情况 执行率：" in text
    assert "  ! 错误 总分计算有误 [Sheet!I15] 总分：" in text
    assert "  全年预算数 460000 元  全年执行数 412760 元" in text
    assert explain(result, "3").startswith(explain(result, "衔接登记时限").split("\n")[0])
    assert "[3] 产出指标 / 时效指标 / 衔接登记时限" in explain(result, "3")


def test_subject_of_each_kind_of_flag(workbook: Path) -> None:
    """What a flag is about, for a row's field, the budget and the total."""
    result = perfscore.evaluate(workbook)
    subjects = {f.path: flag_subject(f, result, "zh") for f in result.flags}
    assert subjects["indicators[0].score"] == "第1项「帮教对象衔接人数」得分"
    assert subjects["budget.rate"] == "预算执行情况 执行率"
    assert subjects["total"] == "总分"


# --- CSV --------------------------------------------------------------------------------------


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix(report.CSV_BOM))))


def test_csv_speaks_the_forms_language(workbook: Path) -> None:
    """Chinese headers (the field table's labels), row flags with their messages and places,
    an execution row and a total row."""
    _, out, _ = _run("score", "--format", "csv", "--fail-on", "never", str(workbook))
    header = out.removeprefix(report.CSV_BOM).split("\n", 1)[0].split(",")
    for label in (INDICATOR["name"].label, INDICATOR["target"].label, BUDGET["rate"].label):
        assert label in header
    rows = _csv(out)
    first = next(r for r in rows if r["三级指标"] == "帮教对象衔接人数")
    assert (first["序号"], first["行类型"], first["级别"]) == ("1", "指标", "错误")
    assert first["问题代码"] == "score-mismatch"
    assert "得分计算有误" in first["问题说明"]
    assert "（Sheet!I9）" in first["问题说明"]
    assert first["位置"] == "Sheet!I9"
    execution = next(r for r in rows if r["行类型"] == "预算执行")
    assert (execution["全年预算数"], execution["执行率"], execution["重算得分"]) == (
        "460000",
        "89.73%",
        "8.97",
    )
    assert execution["金额单位"] == "元"
    total = next(r for r in rows if r["行类型"] == "总分")
    assert (total["重算得分"], total["填报得分"]) == ("95.22", "98.97")


def test_csv_of_a_batch_closes_with_a_summary(workbook: Path) -> None:
    """A batch's CSV ends with one summary row counting every form's flags."""
    _, out, _ = _run("score", "--format", "csv", "--lang", "en", str(workbook), str(EXAMPLES))
    last = _csv(out)[-1]
    assert last["row_type"] == "summary"
    assert last["message"].startswith("3 forms: 4 errors, 3 warnings, ")
    assert last["verified_share"] == "1"


# --- the closing summary ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_batch_closes_with_a_summary(fmt: str, workbook: Path, tmp_path: Path) -> None:
    """Forms, errors, warnings, notes, the verified share, and files that could not be read."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: [unclosed\n", "utf-8")
    _, out, _ = _run("score", "--format", fmt, str(workbook), str(bad), str(EXAMPLES))
    results = [perfscore.evaluate(workbook)] + [
        perfscore.evaluate(p) for p in sorted(EXAMPLES.glob("*.yaml"))
    ]
    tally = sum((Tally.of(r) for r in results), Tally())
    assert tally.forms == 3
    assert out.rstrip().endswith(tally.text("zh", 1))
    assert "共 3 张表：错误 4 项" in out
    assert "1 个文件无法读取" in out


def test_html_speaks_the_forms_language(workbook: Path) -> None:
    """HTML: titles in the code table, severities in words, places, units and a summary."""
    page = htmlreport.page([perfscore.evaluate(workbook)])
    assert "<td>得分计算有误</td><td><code>score-mismatch</code></td>" in page
    assert '<span class="sev-error">错误</span>' in page
    assert '<span class="place">Sheet!I9</span>' in page
    assert ">460000 元</td>" in page
    assert ">412760 元</td>" in page
    assert "共 1 张表：错误 4 项，警告 3 项，提示 1 项" in page
    assert 'title="错误 得分计算有误（Sheet!I9）：得分填报为 18' in page


def test_tally_adds_up_form_by_form() -> None:
    """A batch's counts are the sum of its forms' counts."""
    results = [perfscore.evaluate(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    tally = sum((Tally.of(r) for r in results), Tally())
    assert tally.forms == len(results)
    assert tally.notes == sum(1 for r in results for f in r.flags if f.severity == "info")
    assert tally.verified == 1
    assert Tally().verified is None


def test_rows_keep_the_number_the_form_prints(tmp_path: Path) -> None:
    """A form printing 序号 is numbered by it everywhere: table, explain -i, flag subjects, the
    rows taken as printed."""
    path = tmp_path / "numbered.yaml"
    path.write_text(
        "project: p\n"
        "indicators:\n"
        "  - {序号: '11', name: 甲, target: '≥10人', actual: '10人', weight: 50, score: 50}\n"
        "  - {序号: '12', name: 乙, target: '80&', actual: '90&', weight: 50, score: 40}\n"
        "total: 90\n",
        "utf-8",
    )
    result = perfscore.evaluate(path)
    assert [r.indicator.number for r in result.indicators] == ["11", "12"]
    table = report.to_table(result)
    assert re.search(r"^\s*12\*\s+乙", table, re.M)
    assert "按填报计入的行: #12" in table
    trusted = next(f for f in result.flags if f.code == "printed-scores-trusted")
    assert "#12" in trusted.message
    assert explain(result, "12").split("\n")[2].startswith("[12] 乙")
    unread = next(f for f in result.flags if f.location[:2] == ("indicators", 1))
    assert flag_subject(unread, result, "zh").startswith("第12项「乙」")


def test_a_workbook_numbering_column_is_read(tmp_path: Path) -> None:
    """A workbook whose indicator table has a 序号 column: the reports use it."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["项目支出绩效自评表"])
    sheet.append(["项目名称", "p"])
    sheet.append(["序号", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"])
    sheet.append(["1.1", "产出指标", "数量指标", "甲", "≥10人", "12人"])
    sheet.append(["1.2", "产出指标", "数量指标", "乙", "≥10人", "8人"])
    workbook.save(tmp_path / "n.xlsx")
    result = perfscore.evaluate(tmp_path / "n.xlsx")
    assert [r.indicator.number for r in result.indicators] == ["1.1", "1.2"]
    missed = next(f for f in result.flags if f.code == "missing-reason")
    assert flag_subject(missed, result, "zh").startswith("第1.2项「乙」")


def test_rollup_speaks_the_forms_language() -> None:
    """The roll-up: Chinese CSV headers, kinds and methods under zh, amounts with their unit,
    methods in words in Markdown, and the forms' closing summary."""
    from perfscore.report.rollup import rollup_csv, rollup_markdown
    from perfscore.rollup import aggregate

    results = [perfscore.evaluate(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    rollup = aggregate(results)
    out = io.StringIO()
    rollup_csv(rollup, out)
    rows = _csv(out.getvalue())
    assert rows[0]["行类型"] == "项目"
    assert rows[0]["金额单位"] == "元"
    assert next(r for r in rows if r["行类型"] == "指标")["汇总方式"] in ("累加", "资金加权平均")
    tally = sum((Tally.of(r) for r in results), Tally())
    text = rollup_markdown(rollup, "zh", tally)
    assert "| sum |" not in text
    assert "| weighted_mean |" not in text
    assert "= 2242461.64 元 / 2249500 元 = 99.69%" in text
    assert text.rstrip().endswith(tally.text("zh"))
    _, table, _ = _run("aggregate", str(EXAMPLES))
    assert table.rstrip().endswith(
        "共 2 张表：错误 0 项，警告 0 项，提示 14 项；已核实分值占比 100%"
    )


def test_rollup_page_speaks_the_forms_language() -> None:
    """The roll-up page: amounts with their unit, methods in words, a closing summary."""
    from perfscore.rollup import aggregate

    results = [perfscore.evaluate(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    page = htmlreport.rollup_page(aggregate(results), results)
    assert ">224500 元</td>" in page
    assert "<td>sum</td>" not in page
    assert "<td>weighted_mean</td>" not in page
    assert "资金加权平均" in page
    assert "共 2 张表：错误 0 项" in page


def test_flag_where_in_one_phrase(workbook: Path) -> None:
    """What a flag is about and its place, as a review quotes it; the subject alone without
    a file."""
    from perfscore.report.wording import flag_where

    result = perfscore.evaluate(workbook)
    flag = next(f for f in result.flags if f.path == "indicators[0].score")
    assert flag_where(flag, result, "zh") == "第1项「帮教对象衔接人数」得分（Sheet!I9）"
    assert flag_where(flag, result, "en") == "row 1 (帮教对象衔接人数), score (Sheet!I9)"
    bare = perfscore.evaluate(_form())
    flag = next(f for f in bare.flags if f.path == "indicators[0].score")
    assert flag_where(flag, bare, "zh") == "第1项「帮教对象衔接人数」得分"
