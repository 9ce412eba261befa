"""What messages and explanations say: the cause a flag names, long text cut in messages and
kept whole in data, Chinese traces without identifiers."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from perfscore.readers import load_forms
from perfscore.words.messages import QUOTE_LIMIT, formula_text, partial, shorten
from tests.conftest import DATA, EXAMPLES

SEED_004 = DATA / "seeds" / "004_f2f3303566fa8c39.txt"

_TABLE: dict[str, Any] = {
    "kind": "targets",
    "project": "社区矫正专项经费",
    "budget": {"adjusted": 200000},
    "indicators": [
        {
            "level1": "效益指标",
            "level2": "经济效益指标",
            "name": "资金使用效益",
            "description": "资金支出情况",
            "target": "≥95%",
            "basis": "资金支出情况",
        }
    ],
}


def _uninformative(**fields: str) -> list[perfscore.Flag]:
    form = copy.deepcopy(_TABLE)
    form["indicators"][0].update(fields)
    return [f for f in perfscore.evaluate(form).flags if f.code == "uninformative-text"]


def test_basis_repeating_the_description_says_so() -> None:
    """Seed 004: the basis 资金支出情况 repeats the description, not the name 资金使用效益."""
    (found,) = _uninformative()
    assert found.path == "indicators[0].basis"
    assert found.message.endswith("只是重复了绩效指标描述")
    assert found.data["repeats"] == "description"


@pytest.mark.parametrize(
    ("fields", "path", "repeats"),
    [
        ({"description": "资金使用效益", "basis": "依据年度预算"}, "description", "指标名称"),
        ({"description": "支出进度", "basis": "资金使用效益"}, "basis", "指标名称"),
        ({"description": "资金使用效益。", "basis": "资金使用效益"}, "basis", "指标名称"),
        ({"description": "支出进度情况", "basis": "支出进度"}, "basis", "绩效指标描述"),
    ],
)
def test_uninformative_text_names_what_it_repeats(
    fields: dict[str, str], path: str, repeats: str
) -> None:
    """The name when the text repeats the name (even where it also repeats the description)."""
    found = [f for f in _uninformative(**fields) if f.path == f"indicators[0].{path}"]
    assert [f.message.rsplit("重复了", 1)[1] for f in found] == [repeats]


def test_uninformative_text_in_english() -> None:
    """The English message names the description too."""
    form = copy.deepcopy(_TABLE)
    (found,) = [
        f for f in perfscore.evaluate(form, lang="en").flags if f.code == "uninformative-text"
    ]
    assert found.message.endswith("only repeats the description")


def test_seed_004_budget_control_basis_repeats_its_description() -> None:
    """预算控制 (seed 004, 社区矫正专项经费): the basis copies the description word for word."""
    form = load_forms(SEED_004)[1]
    row = form.indicators[3]
    assert row.name == "预算控制"
    (found,) = [
        f
        for f in perfscore.evaluate(form).flags
        if f.code == "uninformative-text" and f.path == "indicators[3].basis"
    ]
    assert found.message.endswith("重复了绩效指标描述")


# --------------------------------------------------------------------------------------------
# Long text in messages

_LONG_TARGET = (
    "全面完成年度社区矫正对象的日常监管、教育帮扶和心理矫治工作，确保辖区社会治安秩序持续稳定，"
    "群众安全感明显提升"
)


@given(st.text(min_size=0, max_size=80))
def test_shorten_keeps_short_text_and_cuts_long_text(text: str) -> None:
    """Text within the limit is untouched; longer text ends in … within the limit."""
    cut = shorten(text)
    if len(text) <= QUOTE_LIMIT:
        assert cut == text
    else:
        assert len(cut) <= QUOTE_LIMIT
        assert cut.endswith("…") or len(" ".join(text.split())) <= QUOTE_LIMIT


def test_flag_message_cuts_long_form_text_and_data_keeps_it() -> None:
    """A paragraph of a target or an actual is quoted cut short; JSON data has it whole."""
    rows = [
        {"target": "≥90%", "actual": "80&，" + _LONG_TARGET},  # unreadable
        {"target": _LONG_TARGET, "actual": "80&，" + _LONG_TARGET},  # restates the target
        {"target": "≥95%", "actual": "≥" + _LONG_TARGET},
    ]
    seen = 0
    for row in rows:
        form = {
            "project": "社区矫正",
            "indicators": [
                {"level1": "效益指标", "level2": "社会效益指标", "name": "社会稳定", **row}
            ],
        }
        for lang in ("zh", "en"):
            for found in perfscore.evaluate(form, lang=lang).flags:
                # Values quoting the form's paragraph (the engine's own words are not cut).
                long = [v for v in found.data.values() if _LONG_TARGET[:20] in v]
                if not long:
                    continue
                seen += 1
                assert all(v not in found.message for v in long), found
                assert "…" in found.message
                assert set(long) <= set(found.to_dict()["data"].values())
    assert seen >= 3


# --------------------------------------------------------------------------------------------
# explain in Chinese: no identifiers


def _explained(form: Any, rules: Any = "national-2020", lang: Literal["zh", "en"] = "zh") -> str:
    from perfscore.report.explain import explain

    return explain(perfscore.evaluate(form, rules, lang=lang), lang=lang)


#: Words of the engine's code that must not show through a Chinese explanation.
_IDENTIFIERS = re.compile(
    r"\b(full|zero|rescale|weight|rate|achievement|completion|actual|target|percentage|number"
    r"|count|time|currency|basic|partial|none)\b|>=|<=|==|\[[a-z]+\]|'"
)


@pytest.mark.parametrize(
    "form", [*sorted(p.name for p in EXAMPLES.glob("*.yaml")), "pingshan-2020-training.yaml"]
)
def test_chinese_explanation_has_no_identifiers(form: str) -> None:
    """Every line of a Chinese explain says names, operators and policies in Chinese
    (no 按规则（full）, no weight * min(rate, 1), no >=, no [count])."""
    path = EXAMPLES / form if (EXAMPLES / form).exists() else DATA / "forms" / form
    text = _explained(path)
    for line in text.splitlines():
        if line.lstrip().startswith("!"):
            continue  # flag lines lead with the stable code and severity
        assert not _IDENTIFIERS.search(line), line


@pytest.mark.parametrize(
    ("policy", "zh", "en"),
    [
        ("full", "不适用：按规则计满分 10.00", "not applicable: full marks under the rules, 10.00"),
        ("zero", "不适用：按规则计 0 分", "not applicable: no marks under the rules"),
        ("rescale", "不适用：不计分，总分按适用指标折算为百分制", "the total is scaled up"),
    ],
)
def test_not_applicable_policy_in_words(tmp_path: Path, policy: str, zh: str, en: str) -> None:
    """The not-applicable step names the rule set's policy in words, not its key."""
    rules = tmp_path / "na.yaml"
    rules.write_text(
        f"name: na\ntitle: t\nextends: national-2020\nnot_applicable: {policy}\n", "utf-8"
    )
    form = EXAMPLES / "luohu-2024-social-workers.yaml"
    assert zh in _explained(form, rules)
    assert en in _explained(form, rules, "en")
    assert "按规则（" not in _explained(form, rules)


def test_formula_names_said_in_chinese() -> None:
    """weight * min(rate, 1) reads 权重 × min(执行率, 1); English keeps the formula as written."""
    assert formula_text("weight * min(rate, 1)", en=False) == "权重 × min(执行率, 1)"
    assert formula_text("target / actual", en=False) == "指标值 / 实际完成值"
    assert formula_text("weight * min(rate, 1)", en=True) == "weight * min(rate, 1)"
    text = _explained(EXAMPLES / "luohu-2024-notary-lawyers.yaml")
    assert "得分 = 权重 × min(执行率, 1) = 10 × min(0.9686, 1) = 9.686" in text


def test_explanation_cuts_a_long_target() -> None:
    """A paragraph of a target is quoted cut short in explain, whole in the result."""
    form = {
        "project": "社区矫正",
        "indicators": [
            {
                "level1": "效益指标",
                "level2": "社会效益指标",
                "name": "社会稳定",
                "target": _LONG_TARGET,
                "actual": "完成",
                "weight": 10,
                "score": 10,
            }
        ],
    }
    for lang in ("zh", "en"):
        text = _explained(form, lang=lang)
        assert _LONG_TARGET not in text
        assert shorten(_LONG_TARGET) in text
    assert perfscore.evaluate(form).indicators[0].indicator.target == _LONG_TARGET


def test_indicator_rule_band_line_prints_the_value_as_written() -> None:
    """jiangxi-2017's cost bands: 0.02, not 0.020000000000, and no English words in Chinese."""
    text = _explained(EXAMPLES / "luohu-2024-social-workers.yaml", "jiangxi-2017")
    assert "指标规则 成本控制率分档: abs(实际完成值 - 指标值) = 0.02 ∈ [0, 0.1] → 5" in text


def test_unrounded_intermediates_are_cut_in_traces() -> None:
    """18/19 in a trace and a flag's formula: ten decimals and …, not the context's 28 digits
    (regression); the rounding step still gives the exact score."""
    form = {
        "indicators": [
            {"name": "合格率", "target": "≥95%", "actual": "90%", "weight": 20, "score": "18.9"},
            {"name": "件数", "target": "≥1件", "actual": "1件", "weight": 80, "score": 80},
        ]
    }
    result = perfscore.evaluate(form)
    row = result.indicators[0]
    assert row.score == Decimal("18.95")
    trace = "\n".join(row.trace)
    assert "0.9473684210…" in trace
    assert "18.9473684210… → 18.95" in trace
    assert "94736842105" not in trace
    (slip,) = [f for f in result.flags if f.code == "score-mismatch"]
    assert slip.data["formula"].endswith("= 18.9473684210…")


@pytest.mark.parametrize(
    ("value", "shown"),
    [("0.5", "0.5"), ("1.2345678901", "1.2345678901"), ("2.99999999999", "2.9999999999…")],
)
def test_partial_cuts_toward_zero(value: str, shown: str) -> None:
    assert partial(Decimal(value)) == shown


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html"])
def test_an_english_report_grades_in_english(fmt: str) -> None:
    """--lang en: the total's grade 优 is written `excellent` (regression: 优 in English);
    Chinese reports keep the rule set's word."""
    import io

    from perfscore.cli import run

    form = str(EXAMPLES / "luohu-2024-notary-lawyers.yaml")
    for lang, word in (("en", "excellent"), ("zh", "优")):
        out = io.StringIO()
        run(["score", form, "--format", fmt, "--lang", lang], out, io.StringIO())
        assert word in out.getvalue(), lang
    assert "excellent" not in out.getvalue()
