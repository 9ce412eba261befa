"""Review opinions (审核意见): one per flag code, worded by the rule set, and the review summary
of a form — totals, the verified share, the opinions in order of severity naming the rows as
the form numbers them."""

from __future__ import annotations

import copy
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from perfscore import RuleSetError, load_rules
from perfscore.cli import run
from perfscore.report.review import MAX_PLACES, place_of, review
from perfscore.ruleset.check import check_file
from perfscore.words.catalogue import CATALOGUE, RANK
from perfscore.words.opinions import OPINIONS
from tests.conftest import DATA, EXAMPLES, ROOT
from tests.test_checks import BASE, CASES, Form

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _evaluate(mutate: Callable[[Form], None], **options: Any) -> perfscore.EvaluationResult:
    form = copy.deepcopy(BASE)
    mutate(form)
    return perfscore.evaluate(form, **options)


# --- the table of opinions --------------------------------------------------------------------


def test_every_code_has_an_opinion() -> None:
    """The opinions are keyed by exactly the catalogue's codes, in the catalogue's order."""
    assert list(OPINIONS) == list(CATALOGUE)


@pytest.mark.parametrize("code", list(OPINIONS))
def test_opinion_wording(code: str) -> None:
    """Each opinion states a problem and a request, the Chinese in Chinese, the English in
    English, none with a stop of its own (the review adds it) nor a template field."""
    opinion = OPINIONS[code]
    for zh in (opinion.problem, opinion.ask):
        assert _CHINESE.search(zh), zh
        assert not zh.endswith(("。", ".")), zh
    for en in (opinion.problem_en, opinion.ask_en):
        assert en.isascii() or not _CHINESE.search(en), en
        assert not en.endswith("."), en
    assert "{" not in opinion.problem + opinion.ask + opinion.problem_en + opinion.ask_en
    assert opinion.text_in("zh", "第1项").endswith("。")
    assert opinion.text_in("en").endswith(".")


# --- one opinion per problem, its rows as the form numbers them ---------------------------------


@pytest.mark.parametrize(("code", "trigger", "path", "clean"), CASES, ids=[c[0] for c in CASES])
def test_each_flag_has_its_opinion(
    code: str, trigger: Callable[[Form], None], path: str, clean: Callable[[Form], None]
) -> None:
    """The form that raises a code carries that code's opinion, naming the flagged place: a row
    by its number from 1 and its indicator's name, never the field path."""
    result = _evaluate(trigger)
    found = review(result)
    (opinion,) = [o for o in found.opinions if o.code == code]
    assert path in opinion.paths
    assert opinion.opinion == OPINIONS[code]
    assert OPINIONS[code].ask in opinion.text
    assert "indicators[" not in opinion.text
    row = re.match(r"indicators\[(\d+)\]", path)
    if row and len(opinion.rows) <= 3:
        number = int(row.group(1)) + 1
        name = result.form.indicators[number - 1].name[:10]
        assert f"第{number}项「{name}" in opinion.text
        assert number in opinion.rows


def test_opinions_in_order_of_severity() -> None:
    """Errors first, then warnings, then notes; within a severity, in the order of the form."""

    def faults(form: Form) -> None:
        form["indicators"][3].pop("reason")
        form["indicators"][0]["score"] = 29
        form["indicators"][2]["actual"] = "25次/年"
        form["total"] = 98

    result = _evaluate(faults)
    found = review(result)
    codes = [o.code for o in found.opinions]
    assert codes[:2] == ["score-mismatch", "total-mismatch"]
    assert codes.index("over-achievement") < codes.index("missing-reason")
    ranks = [RANK[o.severity] for o in found.opinions]
    assert ranks == sorted(ranks)
    (over,) = [o for o in found.opinions if o.code == "over-achievement"]
    assert over.text == (
        "第3项「社区矫正风险研判会议频率」：实际完成值远超指标值。"
        "请说明超额完成原因，指标值设置是否偏低。"
    )


def test_one_opinion_names_every_row() -> None:
    """A problem on many rows is one opinion; past three rows they are named by number, past
    MAX_PLACES counted."""

    def no_comparators(form: Form) -> None:
        for row in form["indicators"]:
            row["target"] = str(row["target"]).lstrip("≥≤")

    found = review(_evaluate(no_comparators))
    (inferred,) = [o for o in found.opinions if o.code == "direction-inferred"]
    assert inferred.rows == (1, 2, 3, 4, 6)
    assert inferred.text.startswith("第1、2、3、4、6项：")
    english = review(_evaluate(no_comparators), "en")
    (inferred_en,) = [o for o in english.opinions if o.code == "direction-inferred"]
    assert inferred_en.text.startswith("rows 1, 2, 3, 4 and 6: a target has no comparator")
    department = review(perfscore.evaluate(DATA / "forms" / "caidian-2020-department.yaml"))
    (restated,) = [o for o in department.opinions if o.code == "actual-restates-target"]
    assert len(restated.rows) == 18
    shown = "、".join(str(n) for n in restated.rows[:MAX_PLACES])
    assert restated.text.startswith(f"第{shown}项等18项：完成值复述了指标值")


def test_summary_of_a_form(luohu_notary: Path) -> None:
    """The summary: printed and recomputed total, their difference, the verified share."""
    found = review(perfscore.evaluate(luohu_notary))
    assert dict(found.summary_rows())["填报总分"] == "93.69"
    assert dict(found.summary_rows())["重算总分"] == "93.69"
    assert dict(found.summary_rows())["已核实得分占比"] == "100%"
    assert dict(found.summary_rows())["预算数"] == "224500 元"
    assert dict(found.summary_rows())["指标完成情况"] == "达成 9  未达成 1  不适用 5"
    assert found.difference == 0
    assert found.conclusion == "未发现需整改的问题。"
    wrong = review(_evaluate(lambda f: f.update(total=98)), "en")
    assert wrong.difference is not None
    assert str(wrong.difference) == "-1.90"
    assert wrong.conclusion.startswith("1 error found")


def test_summary_of_a_target_table() -> None:
    """A target table (绩效目标表) has no totals, execution or statuses to speak of: its kind,
    its budget and the counts."""
    from perfscore.readers import load_forms

    (form, *_) = load_forms(DATA / "seeds" / "004_f2f3303566fa8c39.txt")
    rows = dict(review(perfscore.evaluate(form)).summary_rows())
    assert list(rows) == ["表式", "预算数", "问题"]
    assert rows["表式"] == "绩效目标表"


def test_places_of_form_level_flags() -> None:
    """A flag off the rows is placed by the part of the form it is on, labelled as printed."""
    result = _evaluate(lambda f: f.update(total=98))
    (total,) = [f for f in result.flags if f.code == "total-mismatch"]
    assert place_of(total, result, "zh") == "总分"
    low = _evaluate(lambda f: f["budget"].update(executed=1000000))
    (flag,) = [f for f in low.flags if f.code == "low-execution"]
    assert place_of(flag, low, "zh") == "预算执行情况 执行率"
    assert place_of(flag, low, "en") == "budget, rate"


def test_places_name_the_file_s_own_place(luohu_notary: Path) -> None:
    """A form read from a file: each finding's place ends with where the reader found it (a
    YAML form's line; a workbook's cell, a PDF's page and row)."""
    result = perfscore.evaluate(luohu_notary)
    places = [f.place for f in review(result).findings]
    assert places[0] == "预算执行情况 得分（第11行）"
    assert all(re.search(r"（第\d+行）$", p) for p in places)
    english = review(result, "en").findings
    assert english[0].place == "budget, score (line 11)"


def test_review_in_json_output(luohu_notary: Path) -> None:
    """``score --format json`` and ``jsonl`` carry each form's review: codes, rows and words."""
    for fmt in ("json", "jsonl"):
        out, err = io.StringIO(), io.StringIO()
        assert run(["score", "--format", fmt, str(luohu_notary)], out, err) == 0, err.getvalue()
        text = out.getvalue()
        data = json.loads(text)[0] if fmt == "json" else json.loads(text.splitlines()[0])
        summary = data["review"]
        assert summary["reported_total"] == "93.69"
        assert summary["verified_share"] == "1.0000"
        assert summary["counts"] == {"error": 0, "warning": 0, "info": 12, "accepted": 0}
        codes = [o["code"] for o in summary["opinions"]]
        assert codes == [c for c in dict.fromkeys(f["code"] for f in data["flags"])]
        first = summary["opinions"][0]
        assert set(first) == {
            "code",
            "severity",
            "rows",
            "paths",
            "places",
            "problem",
            "ask",
            "text",
            "accepted",
        }


def test_accepted_findings_stand_apart() -> None:
    """Flags a waiver accepted are not counted against the form: their opinions come last,
    the acceptance (why, who, when) in place of the request; a problem accepted on one row and
    not on another is two opinions."""
    waivers = perfscore.load_waivers(DATA / "waivers" / "training-2024.waivers.yaml")
    result = perfscore.evaluate(DATA / "waivers" / "training-2024.yaml", waivers=waivers)
    found = review(result)
    assert [(o.code, bool(o.accepted)) for o in found.opinions] == [
        ("score-mismatch", False),
        ("total-mismatch", False),
        ("missing-reason", False),
        ("structure", False),
        ("actual-restates-target", False),
        ("score-mismatch", True),
        ("low-execution", True),
        ("over-achievement", True),
    ]
    accepted = found.opinions[-1]
    assert accepted.text == (
        "第2项「宣传活动次数」：实际完成值远超指标值。"
        "已接受（单位已说明：追加专项经费后增加宣传场次，张三，2025-03-01）。"
    )
    assert (found.count("error"), found.count("warning"), found.accepted) == (2, 1, 3)
    assert found.conclusion == "发现 2 处错误，请核实更正后重新报送。另有 3 处已接受。"
    assert found.to_dict()["counts"] == {"error": 2, "warning": 1, "info": 2, "accepted": 3}
    assert dict(found.summary_rows())["问题"] == "错误 2  警告 1  提示 2  已接受 3"
    notes = {f.path: f.accepted for f in found.findings}
    assert notes["budget.rate"] == "已接受（结余资金已按规定收回，张三，2025-03-01）"
    assert notes["indicators[2].score"] == ""
    english = review(result, "en")
    assert english.opinions[-1].text.endswith(
        "Accepted (单位已说明：追加专项经费后增加宣传场次, 张三, 2025-03-01)."
    )


# --- a rule set words its own -------------------------------------------------------------------

_PROVINCE = """\
name: province
title: 省级审核口径
extends: national-2020
opinions:
  missing-reason:
    ask: 请在“偏差原因分析及改进措施”栏逐项说明未完成原因
  over-achievement:
    problem: 实际完成值超过指标值一倍以上
    ask_en: explain why the target was beaten so far
"""


def _rules(tmp_path: Path, text: str, name: str = "province.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_rule_file_words_its_own_opinions(tmp_path: Path) -> None:
    """A rule file's ``opinions:`` replaces the wording key by key; the rest keeps the default,
    a rule set extending it inherits its wording, and ``null`` for a code goes back to the
    default."""
    province = _rules(tmp_path, _PROVINCE)
    city = _rules(
        tmp_path,
        "name: city\ntitle: 市级\nextends: province.yaml\n"
        "opinions:\n  missing-reason:\n    problem: 未说明偏差原因\n",
        "city.yaml",
    )
    rules = load_rules(province)
    assert (
        rules.opinions["missing-reason"].ask == "请在“偏差原因分析及改进措施”栏逐项说明未完成原因"
    )
    assert rules.opinions["missing-reason"].problem == OPINIONS["missing-reason"].problem
    assert rules.opinions["over-achievement"].ask == OPINIONS["over-achievement"].ask
    assert rules.opinions["over-achievement"].ask_en == "explain why the target was beaten so far"
    assert rules.opinions["score-mismatch"] == OPINIONS["score-mismatch"]
    inherited = load_rules(city).opinions["missing-reason"]
    assert (inherited.problem, inherited.ask) == (
        "未说明偏差原因",
        "请在“偏差原因分析及改进措施”栏逐项说明未完成原因",
    )

    reset = _rules(
        tmp_path,
        "name: reset\ntitle: 复位\nextends: city.yaml\nopinions:\n  missing-reason: null\n",
        "reset.yaml",
    )
    assert load_rules(reset).opinions["missing-reason"] == OPINIONS["missing-reason"]
    result = _evaluate(lambda f: f["indicators"][3].pop("reason"), rules=city)
    (opinion,) = [o for o in review(result).opinions if o.code == "missing-reason"]
    assert opinion.text == (
        "第4项「成本控制率」：未说明偏差原因。请在“偏差原因分析及改进措施”栏逐项说明未完成原因。"
    )
    english = review(result, "en")
    (opinion_en,) = [o for o in english.opinions if o.code == "missing-reason"]
    assert opinion_en.text.endswith(
        "Please explain the deviation and the measures taken to correct it."
    )


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        (
            "  over-achievment:\n    ask: 请说明\n",
            "unknown flag code 'over-achievment'; did you mean 'over-achievement'?",
            4,
        ),
        ("  missing-reason:\n    ask: '  '\n", "an opinion is words", 5),
        ("  missing-reason:\n    request: 请说明\n", "unknown key 'request'", 5),
        ("  missing-reason:\n    ask: " + "很" * 301 + "\n", "at most 300", 5),
    ],
    ids=["misspelt code", "blank", "misspelt key", "too long"],
)
def test_bad_opinions_are_refused_at_their_line(
    tmp_path: Path, body: str, message: str, line: int
) -> None:
    """An unknown code (with the likely one), a blank or overlong text and an unknown key are
    refused when the rule set loads, at the line that holds them; ``rules check`` says so."""
    path = _rules(tmp_path, "name: p\ntitle: t\nopinions:\n" + body)
    with pytest.raises(RuleSetError) as info:
        load_rules(path)
    assert message in info.value.message
    assert info.value.line == line
    assert info.value.path is not None
    assert info.value.path.startswith(
        "opinions.over-achievment" if "achievment" in body else "opinions.missing-reason"
    )
    (finding,) = check_file(path)
    assert finding.line == line
    assert message in finding.message


@pytest.mark.parametrize(
    ("opinions", "valid"),
    [
        ({"missing-reason": {"ask": "请说明", "problem_en": "no reason given"}}, True),
        ({"missing-reason": None}, True),
        ({"over-achievment": {"ask": "请说明"}}, False),
        ({"missing-reason": {"ask": "  "}}, False),
        ({"missing-reason": {"ask": "很" * 301}}, False),
        ({"missing-reason": {"request": "请说明"}}, False),
    ],
    ids=["valid", "null", "misspelt code", "blank", "too long", "misspelt key"],
)
def test_schema_refuses_what_loading_refuses(opinions: dict[str, Any], valid: bool) -> None:
    """The committed JSON Schema agrees with the loader on opinions: an editor marks what
    loading would refuse."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schemas" / "rules.schema.json").read_text("utf-8"))
    document = {"name": "p", "title": "t", "opinions": opinions}
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    assert (errors == []) is valid, errors


def test_rules_check_finds_opinions_in_the_wrong_language(tmp_path: Path) -> None:
    """English under a Chinese key, or Chinese under an ``_en`` key, is a finding."""
    path = _rules(
        tmp_path,
        "name: p\ntitle: t\nopinions:\n  missing-reason:\n    ask: please explain\n"
        "    problem_en: 未说明原因\n    ask_en: please explain\n",
    )
    findings = check_file(path)
    assert [f.path for f in findings] == [
        "opinions.missing-reason.ask",
        "opinions.missing-reason.problem_en",
    ]
    assert all(f.file == str(path) for f in findings)


def test_documented_province_words_its_own() -> None:
    """docs/review.md's example rule file loads clean and words what the page says."""
    path = ROOT / "docs" / "examples" / "province-opinions.yaml"
    assert check_file(path) == []
    result = perfscore.evaluate(copy.deepcopy(BASE) | {"total": 98}, path)
    (mismatch,) = [o for o in review(result).opinions if o.code == "total-mismatch"]
    assert mismatch.opinion == OPINIONS["total-mismatch"]
    rules = load_rules(path)
    assert rules.opinions["over-achievement"].problem == "实际完成值超过年度指标值一倍以上"
    assert rules.opinions["missing-reason"].problem == OPINIONS["missing-reason"].problem
    page = (ROOT / "docs" / "review.md").read_text("utf-8")
    assert rules.opinions["missing-reason"].ask in page


def test_shipped_rule_sets_word_every_opinion() -> None:
    """Every shipped rule set has an opinion for every code."""
    for name in perfscore.list_rules():
        assert set(load_rules(name).opinions) == set(CATALOGUE)


# --- the review holds together, whatever the form ------------------------------------------------


@given(st.lists(st.sampled_from(range(len(CASES))), min_size=1, max_size=4, unique=True))
def test_review_accounts_for_every_flag(picked: list[int]) -> None:
    """Whatever a form raises: one opinion per code, every flag's path in its code's opinion,
    one finding per flag, opinions and findings worst first, rows numbered within the form."""
    form = copy.deepcopy(BASE)
    for i in picked:
        try:
            CASES[i][1](form)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed what this one edits
    try:
        result = perfscore.evaluate(form)
    except perfscore.PerfscoreError:
        return
    found = review(result)
    assert [o.code for o in found.opinions] == sorted(
        dict.fromkeys(f.code for f in result.flags),
        key=lambda c: (
            min(RANK[f.severity] for f in result.flags if f.code == c),
            [f.code for f in result.flags].index(c),
        ),
    )
    for flag in result.flags:
        (opinion,) = [o for o in found.opinions if o.code == flag.code]
        assert flag.path in opinion.paths
    assert len(found.findings) == len(result.flags)
    assert [RANK[f.severity] for f in found.findings] == sorted(
        RANK[f.severity] for f in found.findings
    )
    rows = len(result.indicators)
    assert all(1 <= n <= rows for o in found.opinions for n in o.rows)
    assert sum(found.count(s) for s in ("error", "warning", "info")) == len(result.flags)


def test_review_is_at_the_package_top() -> None:
    """``perfscore.review`` is the review, imported on first use like the other names."""
    assert perfscore.review is review
    assert "review" in perfscore.__all__


def test_review_of_a_result_made_without_opinions() -> None:
    """A result built by hand (no rule-set opinions carried) is reviewed with the defaults."""
    import dataclasses

    result = perfscore.evaluate(EXAMPLES / "luohu-2024-social-workers.yaml")
    bare = dataclasses.replace(result, opinions=())
    assert [o.text for o in review(bare).opinions] == [o.text for o in review(result).opinions]
