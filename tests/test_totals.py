"""The printed total against the recomputed total and the printed scores: one slip, one flag."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from perfscore.words.flags import Flag
from tests.conftest import EXAMPLES

#: Seed 003, form 1: printed scores add up to 89.9; the execution score (10) is not printed.
SOCIAL: dict[str, Any] = yaml.safe_load(
    (EXAMPLES / "luohu-2024-social-workers.yaml").read_text("utf-8")
)
#: Seed 003, form 2: printed scores add up to 84, no execution score printed, total 93.69.
NOTARY: dict[str, Any] = yaml.safe_load(
    (EXAMPLES / "luohu-2024-notary-lawyers.yaml").read_text("utf-8")
)

#: The rounding example of docs/rules.md.
MY_PROVINCE = """\
name: my-province
title: 某省项目支出绩效自评
extends: national-2020
rounding: {places: 0}
"""


def _total_codes(
    form: dict[str, Any], rules: Any = "national-2020", lang: Literal["zh", "en"] = "zh"
) -> list[Flag]:
    result = perfscore.evaluate(form, rules, lang=lang)
    return [f for f in result.flags if f.path == "total"]


def _with(form: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(form)
    for key, value in changes.items():
        if key == "execution_score":
            out["budget"]["score"] = value
        elif key.startswith("score_"):
            out["indicators"][int(key[6:])]["score"] = value
        else:
            out[key] = value
    return out


def test_docs_rounding_example_reports_the_total_once(tmp_path: Path) -> None:
    """my-province rounds the execution score to 10: the total differs, the addition does not,
    and no 各项填报得分相加为 94 is made up from an execution score nobody printed."""
    rules = tmp_path / "my-province.yaml"
    rules.write_text(MY_PROVINCE, "utf-8")
    flags = _total_codes(NOTARY, rules)
    assert [(f.code, f.data["reported"], f.data["recomputed"]) for f in flags] == [
        ("total-mismatch", "93.69", "94")
    ]
    result = perfscore.evaluate(NOTARY, rules)
    assert not [f for f in result.flags if f.code == "sum-mismatch"]
    assert all("相加为 94" not in f.message for f in result.flags)


#: Seed 003, form 1 with its execution score printed: parts 89.9 + 10 = total 99.9.
PRINTED = _with(SOCIAL, execution_score=10)


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({}, []),
        ({"total": 98}, ["total-mismatch"]),  # the total alone is wrong
        ({"total": 100}, ["total-mismatch"]),
        ({"score_0": 29}, []),  # a score lowered, the total right: score-mismatch alone
        ({"score_0": 29, "total": 98.9}, ["total-mismatch"]),  # added right, a part wrong
        ({"score_0": 29, "total": 97}, ["sum-mismatch", "total-mismatch"]),  # two slips
        ({"execution_score": 9, "total": 98.9}, ["total-mismatch"]),  # adds up, 9 is wrong
    ],
)
def test_one_slip_one_flag(changes: dict[str, Any], codes: list[str]) -> None:
    """sum-mismatch only where the printed scores do not add up to the printed total, and not
    again where the printed parts are right and only the total is wrong, nor where the total is
    right and only the parts are wrong."""
    assert sorted(f.code for f in _total_codes(_with(PRINTED, **changes))) == codes


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_right_parts_wrong_total_is_one_flag(total: Decimal) -> None:
    """Printed scores equal to the recomputed ones: any wrong total is one flag, never two."""
    codes = [f.code for f in _total_codes(_with(PRINTED, total=str(total)))]
    if abs(total - Decimal("99.9")) <= Decimal("0.01"):
        assert codes == []
    else:
        assert codes == ["total-mismatch"]


def test_right_total_wrong_parts_asks_for_the_parts() -> None:
    """Regression: the notary form with its execution score printed as 10 (the rules give
    9.69) under its right total 93.69 — the execution score is the error, and no flag or
    opinion asks the unit to correct the total."""
    result = perfscore.evaluate(_with(NOTARY, execution_score=10))
    assert result.total == Decimal("93.69")
    assert [f.code for f in result.flags if f.severity.value == "error"] == [
        "execution-score-mismatch"
    ]
    assert not [f for f in result.flags if f.path == "total"]
    assert all("总分" not in opinion.ask for _, opinion in result.opinions)


@given(
    st.decimals(min_value=0, max_value=10, places=2),
    st.decimals(min_value=0, max_value=30, places=1),
)
def test_right_total_is_never_flagged(execution: Decimal, first: Decimal) -> None:
    """A printed total equal to the recomputed one draws no flag on the total, whatever the
    printed parts add up to: a wrong part is flagged where it is printed."""
    form = _with(PRINTED, execution_score=str(execution), score_0=str(first))
    assert _total_codes(form) == []


def test_implied_execution_score_is_named_and_checked_against_its_weight() -> None:
    """Regression: a blank execution score under a total implying 10.69 (文书邮寄数 printed 5)
    — the message names 10.69 as the implied execution score, not as the total, and says it
    is above the execution weight 10."""
    form = _with(NOTARY, score_3=5)
    assert form["indicators"][3]["name"] == "文书邮寄数"
    cases: list[tuple[Literal["zh", "en"], str]] = [
        ("zh", "按总分推算的预算执行得分为 10.69，超过预算执行权重 10，按规则应为 9.69"),
        ("en", "the total implies an execution score of 10.69, above the execution weight 10,"),
    ]
    for lang, words in cases:
        flags = perfscore.evaluate(form, lang=lang).flags
        (flag,) = [f for f in flags if f.code == "missing-execution-score"]
        assert words in flag.message
        assert "总分推算为" not in flag.message
    below = perfscore.evaluate(_with(NOTARY, total="92.69")).flags
    (flag,) = [f for f in below if f.code == "missing-execution-score"]
    assert "预算执行得分为 8.69，按规则应为 9.69" in flag.message
    assert "超过" not in flag.message
