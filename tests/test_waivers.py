"""Waivers (已接受的问题): reading a waivers file, matching flags, accepted flags not counted,
stale waivers, and the same through ``evaluate_many``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from perfscore.batch import evaluate_many
from perfscore.engine.pipeline import EvaluationResult
from perfscore.errors import PerfscoreError, WaiverError
from perfscore.waivers import KEYS, Waivers, accepted_note, load_waivers
from tests.conftest import DATA

FORM = DATA / "waivers" / "training-2024.yaml"
WAIVERS = DATA / "waivers" / "training-2024.waivers.yaml"
PROJECT = "法律服务培训项目"


def _accepted(result: EvaluationResult) -> dict[tuple[str, str], int | None]:
    """Each accepted flag (code, path) and the line of the waiver that accepted it."""
    return {(f.code, f.path): f.waiver.line for f in result.flags if f.waiver is not None}


def _one(**entry: Any) -> Waivers:
    """One waiver of the training form's project, with a reason, and ``entry``'s keys."""
    return load_waivers([{"项目名称": PROJECT, "原因": "已说明", **entry}])


def test_the_file_accepts_its_flags_and_names_the_stale_one() -> None:
    """The example file accepts three findings, by row, by name and field, and by path; the
    2023 waiver matches nothing and is stale, named by its line."""
    waivers = load_waivers(WAIVERS)
    result = perfscore.evaluate(FORM, waivers=waivers)
    assert _accepted(result) == {
        ("over-achievement", "indicators[1].actual"): 2,
        ("score-mismatch", "indicators[0].score"): 9,
        ("low-execution", "budget.rate"): 17,
    }
    assert [w.where for w in waivers.stale([result])] == [f"{WAIVERS}:25"]


def test_accepted_flags_are_listed_but_not_counted() -> None:
    """An accepted error stays in ``flags`` with its severity, but not in ``errors``; the
    form is ok when every error is accepted."""
    plain = perfscore.evaluate(FORM)
    waivers = load_waivers(
        [
            {"项目名称": PROJECT, "问题代码": code, "原因": "已复核"}
            for code in ("score-mismatch", "total-mismatch")
        ]
    )
    result = perfscore.evaluate(FORM, waivers=waivers)
    assert [(f.code, f.severity, f.path) for f in result.flags] == [
        (f.code, f.severity, f.path) for f in plain.flags
    ]
    assert len(plain.errors) == 3
    assert not plain.ok
    assert result.errors == ()
    assert result.ok
    assert len(result.accepted) == 3
    assert result.warnings == plain.warnings


def test_waiver_from_file_matches_a_waiver_from_data() -> None:
    """A path and the loaded Waivers give the same result."""
    by_path = perfscore.evaluate(FORM, waivers=WAIVERS)
    by_object = perfscore.evaluate(FORM, waivers=load_waivers(WAIVERS))
    assert by_path.to_dict() == by_object.to_dict()


@pytest.mark.parametrize(
    ("entry", "accepted"),
    [
        pytest.param({"位置": 1}, {"indicators[0].score"}, id="a row as the form numbers it"),
        pytest.param({"位置": "第3项"}, {"indicators[2].score"}, id="第N项"),
        pytest.param({"位置": "row 3"}, {"indicators[2].score"}, id="row N"),
        pytest.param({"位置": "序号3"}, {"indicators[2].score"}, id="序号N"),
        pytest.param(
            {"位置": "第3项「培训合格率」得分"}, {"indicators[2].score"}, id="as reports name it"
        ),
        pytest.param(
            {"位置": "row 3 (培训合格率), score"}, {"indicators[2].score"}, id="in English"
        ),
        pytest.param({"位置": "第3项「培训人数」"}, set(), id="a number and another row's name"),
        pytest.param({"位置": "第3项「培训合格率」实际完成值"}, set(), id="another field"),
        pytest.param({"位置": "第18行"}, {"indicators[2].score"}, id="a line of the file"),
        pytest.param({"位置": "第3行"}, set(), id="a line is not a row"),
        pytest.param({"位置": "#3"}, {"indicators[2].score"}, id="#N"),
        pytest.param({"位置": "培训合格率"}, {"indicators[2].score"}, id="an indicator's name"),
        pytest.param({"位置": "培训 合格率。"}, {"indicators[2].score"}, id="a name as words"),
        pytest.param({"位置": "indicators[2]"}, {"indicators[2].score"}, id="a row's path"),
        pytest.param({"位置": "indicators[2].score"}, {"indicators[2].score"}, id="a field's path"),
        pytest.param({"位置": "indicators[2].actual"}, set(), id="another field's path"),
        pytest.param({"位置": 3, "字段": "得分"}, {"indicators[2].score"}, id="row and field"),
        pytest.param({"位置": 3, "字段": "actual"}, set(), id="row and another field"),
        pytest.param({}, {"indicators[0].score", "indicators[2].score"}, id="the whole form"),
        pytest.param({"位置": 9}, set(), id="a row the form does not have"),
        pytest.param({"位置": "Sheet1!C3"}, set(), id="a cell, on a form read from YAML"),
        pytest.param({"年度": 2023}, set(), id="another year"),
        pytest.param({"年度": "2024年"}, {"indicators[0].score", "indicators[2].score"}, id="年"),
        pytest.param({"项目名称": "其他项目"}, set(), id="another project"),
        pytest.param(
            {"项目名称": "法律服務培訓項目"},
            {"indicators[0].score", "indicators[2].score"},
            id="traditional script",
        ),
        pytest.param(
            {"项目编码": "440300-2024-017"},
            {"indicators[0].score", "indicators[2].score"},
            id="the project's code and name",
        ),
        pytest.param({"项目编码": "440300-2024-018"}, set(), id="another code"),
    ],
)
def test_where_a_waiver_matches(entry: dict[str, Any], accepted: set[str]) -> None:
    """A waiver of score-mismatch matches the flags its place names, in the form it names."""
    waivers = _one(问题代码="score-mismatch", **entry)
    result = perfscore.evaluate(FORM, waivers=waivers)
    assert {path for code, path in _accepted(result)} == accepted
    assert bool(waivers.stale([result])) == (not accepted)


def test_the_first_waiver_wins_and_the_second_is_not_stale() -> None:
    """Two waivers of one flag: the flag carries the first written; neither is stale."""
    waivers = load_waivers(
        [
            {"项目名称": PROJECT, "问题代码": "total-mismatch", "原因": "一", "位置": "total"},
            {"项目名称": PROJECT, "问题代码": "total-mismatch", "原因": "二"},
        ]
    )
    result = perfscore.evaluate(FORM, waivers=waivers)
    assert [f.waiver.reason for f in result.accepted if f.waiver] == ["一"]
    assert waivers.stale([result]) == ()


def test_the_waiver_travels_with_the_flag() -> None:
    """The accepted flag's JSON and words carry the reason, who and when, and the file's line."""
    result = perfscore.evaluate(FORM, waivers=WAIVERS)
    flag = next(f for f in result.flags if f.code == "over-achievement")
    assert flag.to_dict()["accepted"] == {
        "reason": "单位已说明：追加专项经费后增加宣传场次",
        "reviewer": "张三",
        "date": "2025-03-01",
        "file": str(WAIVERS),
        "line": 2,
    }
    assert (
        accepted_note(flag, "zh")
        == "已接受（单位已说明：追加专项经费后增加宣传场次，张三，2025-03-01）"
    )
    assert (
        accepted_note(flag, "en")
        == "accepted (单位已说明：追加专项经费后增加宣传场次, 张三, 2025-03-01)"
    )
    other = next(f for f in result.flags if f.code == "missing-reason")
    assert other.to_dict()["accepted"] is None
    assert accepted_note(other, "zh") == ""


def test_english_and_chinese_keys_read_alike() -> None:
    """Every key reads the same under its English name and its Chinese label."""
    english = {
        "project": PROJECT,
        "project_code": "440300-2024-017",
        "year": 2024,
        "flag": "score-mismatch",
        "location": "培训人数",
        "field": "score",
        "reason": "已说明",
        "reviewer": "张三",
        "date": "2025-03-02",
    }
    chinese = {KEYS[key].labels[0]: value for key, value in english.items()}
    chinese["日期"] = "2025年3月2日"
    assert load_waivers([english]) == load_waivers([chinese])
    (waiver,) = load_waivers([chinese])
    assert (waiver.indicator, waiver.field, waiver.date) == ("培训人数", "score", date(2025, 3, 2))


@pytest.mark.parametrize(
    ("text", "error"),
    [
        pytest.param(
            "- {项目名称: A, 问题代码: over-achievment, 原因: r}\n",
            "w.yaml:1:13: unknown flag code 'over-achievment'; did you mean 'over-achievement'?",
            id="a misspelt flag code",
        ),
        pytest.param(
            "- {项目名称: A, 问提代码: over-achievement, 原因: r}\n",
            "w.yaml:1:13: unknown key '问提代码'; did you mean '问题代码'?",
            id="a misspelt key",
        ),
        pytest.param(
            "- 项目名称: A\n  问题代码: over-achievement\n",
            "w.yaml:1:3: the waiver has no reason (原因)",
            id="no reason",
        ),
        pytest.param(
            "- {项目名称: A, 问题代码: over-achievement, 原因: '  '}\n",
            "w.yaml:1:37: 原因 is empty",
            id="an empty reason",
        ),
        pytest.param(
            "- 问题代码: over-achievement\n  原因: r\n",
            "w.yaml:1:3: the waiver names no form",
            id="no form",
        ),
        pytest.param(
            "- {项目名称: A, 原因: r}\n",
            "w.yaml:1:3: the waiver has no flag (问题代码)",
            id="no flag code",
        ),
        pytest.param(
            "- {项目名称: A, 问题代码: over-achievement, 原因: r, 日期: 2025-02-30}\n",
            "w.yaml:1:44: 日期 '2025-02-30' is not a date",
            id="a date that is not one",
        ),
        pytest.param(
            "- {项目名称: A, 问题代码: over-achievement, 原因: r, 年度: 24}\n",
            "w.yaml:1:44: 年度 24 is not a year",
            id="a year that is not one",
        ),
        pytest.param("项目名称: A\n", "w.yaml:1:1: a waivers file is a list", id="not a list"),
        pytest.param("- [1, 2]\n", "w.yaml:1:3: each waiver is a mapping", id="not a mapping"),
        pytest.param(
            "- {项目名称: A, 问题代码: over-achievement, 原因: r, 字段: 得分}\n",
            "w.yaml:1:44: 字段 goes with a row or an indicator's name",
            id="a field without a row",
        ),
        pytest.param(
            "- {项目名称: A, 问题代码: over-achievement, 原因: r, 位置: 3, 字段: 得份}\n",
            "w.yaml:1:51: unknown field '得份'",
            id="an unknown field",
        ),
        pytest.param(
            "- {项目名称: A, project: B, 问题代码: over-achievement, 原因: r}\n",
            "w.yaml:1:13: 'project' repeats '项目名称'",
            id="one key twice",
        ),
        pytest.param(
            "- {项目名称: A, 问题代码: over-achievement, 原因: [r]}\n",
            "w.yaml:1:37: 原因 is not text",
            id="a list for text",
        ),
        pytest.param(
            "- {项目名称: A, 问题代码: over-achievement, 原因: r, 位置: 第0项}\n",
            "w.yaml:1:44: rows are numbered from 1",
            id="row 0",
        ),
        pytest.param(
            "- {项目名称: A, 问题代码: over-achievement, 原因: r, 位置: 'indicators[x]'}\n",
            "w.yaml:1:44: 'indicators[x]' is not a field path",
            id="a broken path",
        ),
        pytest.param(
            "- {项目名称: A, 问题代码: over-achievement, 原因: r\n",
            "w.yaml:2:1: invalid YAML",
            id="broken YAML",
        ),
        pytest.param(
            "- 项目名称: A\n  项目名称: B\n",
            "w.yaml:2:3: duplicate key '项目名称' (first on line 1)",
            id="a duplicate key",
        ),
    ],
)
def test_a_bad_file_is_one_clear_error(tmp_path: Path, text: str, error: str) -> None:
    """A malformed waivers file is a WaiverError naming the file, line and column."""
    path = tmp_path / "w.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(WaiverError) as raised:
        load_waivers(path)
    assert str(raised.value).startswith(f"{tmp_path}/{error}")
    assert isinstance(raised.value, PerfscoreError)


def test_an_empty_file_has_no_waivers(tmp_path: Path) -> None:
    """An empty waivers file (or one of comments) waives nothing and is not an error."""
    path = tmp_path / "w.yaml"
    path.write_text("# nothing accepted yet\n", "utf-8")
    assert len(load_waivers(path)) == 0


def test_entries_given_in_python_are_numbered() -> None:
    """Entries given as a list name the entry (from 1) where a file names the line."""
    with pytest.raises(WaiverError, match=r"^waiver #2: unknown flag code 'nope'"):
        load_waivers(
            [
                {"项目名称": "A", "问题代码": "over-achievement", "原因": "r"},
                {"项目名称": "A", "问题代码": "nope", "原因": "r"},
            ]
        )
    with pytest.raises(WaiverError, match="a list of entries"):
        load_waivers({"项目名称": "A"})  # type: ignore[arg-type]


def test_evaluate_refuses_a_missing_waivers_file(tmp_path: Path) -> None:
    """A waivers path that is not a file is a WaiverError naming it."""
    with pytest.raises(WaiverError, match=r"nowhere\.yaml"):
        perfscore.evaluate(FORM, waivers=tmp_path / "nowhere.yaml")


@pytest.mark.parametrize("jobs", [1, 2])
def test_evaluate_many_applies_the_waivers(jobs: int) -> None:
    """evaluate_many reads the waivers once and applies them in every worker alike."""
    forms = [FORM, FORM]
    items = list(evaluate_many(forms, waivers=WAIVERS, jobs=jobs, chunk_size=1))
    results = [r for r in items if isinstance(r, EvaluationResult)]
    assert len(results) == len(items)
    expected = perfscore.evaluate(FORM, waivers=WAIVERS)
    assert [_accepted(r) for r in results] == [_accepted(expected)] * 2
    waivers = load_waivers(WAIVERS)
    assert waivers.stale(results) == waivers.stale([expected])
    assert waivers.stale([waivers.matched(r) for r in results]) == waivers.stale(results)


_PLAIN = perfscore.evaluate(FORM)


@given(st.sets(st.sampled_from(range(len(_PLAIN.flags)))))
def test_waivers_accept_exactly_the_flags_they_name(chosen: set[int]) -> None:
    """Waivers naming any set of a form's flags by code and path accept exactly those flags,
    leave every flag otherwise as it was, and none is stale."""
    entries = [
        {
            "项目名称": PROJECT,
            "问题代码": _PLAIN.flags[i].code,
            "位置": _PLAIN.flags[i].path,
            "原因": "r",
        }
        for i in sorted(chosen)
    ]
    waivers = load_waivers(entries)
    result = perfscore.evaluate(FORM, waivers=waivers)
    assert [f._replace(waiver=None) for f in result.flags] == list(_PLAIN.flags)
    assert {i for i, f in enumerate(result.flags) if f.waiver is not None} == chosen
    assert waivers.stale([result]) == ()
    assert len(result.errors) + len(result.warnings) + len(result.accepted) >= len(
        _PLAIN.errors
    ) + len(_PLAIN.warnings)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.text(max_size=12),
    st.sampled_from(
        ["over-achievement", "第3项", "第3项「x」得分", "2024年", "2025-03-01", "indicators[1]"]
    ),
)
_KEYS = st.one_of(
    st.sampled_from([s for f in KEYS.values() for s in (f.key, *f.labels)]), st.text(max_size=6)
)
_ENTRIES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=8)),
    max_leaves=20,
)


@given(st.lists(_ENTRIES, max_size=4))
def test_any_entries_load_or_raise_a_waiver_error(entries: list[Any]) -> None:
    """Whatever the entries hold, loading gives Waivers or a WaiverError, never another
    exception; what loads can be applied to a form."""
    try:
        waivers = load_waivers(entries)
    except WaiverError as exc:
        error: WaiverError | None = exc
    else:
        error = None
        result = perfscore.evaluate(FORM, waivers=waivers)
        assert len(result.flags) == len(_PLAIN.flags)
    assert error is None or str(error).startswith("waiver #")


@pytest.mark.parametrize("written", ["over-achievement", "大幅超额完成", "大幅超額完成"])
def test_a_flag_is_named_by_its_code_or_its_title(written: str) -> None:
    """The flag may be named as reports title it (in either script), or by its code."""
    (waiver,) = _one(问题代码=written)
    assert waiver.flag == "over-achievement"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The training form written as a workbook: its flags stand at cells."""
    from perfscore.readers import load_forms
    from perfscore.readers.writer import write_workbook

    path = tmp_path_factory.mktemp("waivers") / "training.xlsx"
    write_workbook(load_forms(FORM), path)
    return path


@pytest.mark.parametrize(
    ("place", "accepted"),
    [
        pytest.param("法律服务培训项目!E10", "indicators[1].actual", id="sheet and cell"),
        pytest.param("'法律服务培训项目'!$e$10", "indicators[1].actual", id="quoted, absolute"),
        pytest.param("E10", "indicators[1].actual", id="the cell alone"),
        pytest.param("法律服务培训项目 第7行", "budget.rate", id="a sheet's row"),
        pytest.param("E11", None, id="another cell"),
    ],
)
def test_a_waiver_names_the_cell_reports_print(
    workbook: Path, place: str, accepted: str | None
) -> None:
    """On a workbook, a waiver written with the place a report prints accepts that flag."""
    code = "low-execution" if "第7行" in place else "over-achievement"
    result = perfscore.evaluate(workbook, waivers=_one(问题代码=code, 位置=place))
    assert [f.path for f in result.accepted] == ([accepted] if accepted else [])


def test_one_waivers_object_serves_many_threads() -> None:
    """Waivers are immutable: threads scoring with one object get what one thread gets."""
    from concurrent.futures import ThreadPoolExecutor

    waivers = load_waivers(WAIVERS)
    expected = perfscore.evaluate(FORM, waivers=waivers).to_dict()
    with ThreadPoolExecutor(4) as pool:
        found = list(
            pool.map(lambda _: perfscore.evaluate(FORM, waivers=waivers).to_dict(), range(16))
        )
    assert found == [expected] * 16
