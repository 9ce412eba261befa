"""What messages and explanations say: the cause a flag names, long text cut in messages and
kept whole in data, Chinese traces without identifiers."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from perfscore.messages import QUOTE_LIMIT, shorten
from perfscore.readers import load_forms
from tests.conftest import DATA

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
