"""The printed total against the recomputed total and the printed scores: one slip, one flag."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import perfscore
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


def _total_codes(form: dict[str, Any], rules: Any = "national-2020", lang: str = "zh") -> list:
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
    """my-province rounds the execution score to 10: the total differs, the addition does not."""
    rules = tmp_path / "my-province.yaml"
    rules.write_text(MY_PROVINCE, "utf-8")
    flags = _total_codes(NOTARY, rules)
    assert [(f.code, f.data["reported"], f.data["recomputed"]) for f in flags] == [
        ("total-mismatch", "93.69", "94")
    ]


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({}, []),
        ({"total": 98}, ["total-mismatch"]),  # the total alone is wrong
        ({"score_0": 29}, ["sum-mismatch"]),  # a score lowered, the total not
        ({"score_0": 29, "total": 98}, ["total-mismatch"]),  # 88.9 + 9.1 could add up
        ({"score_0": 29, "total": 110}, ["sum-mismatch", "total-mismatch"]),  # two slips
        ({"execution_score": 10}, []),
        ({"execution_score": 10, "total": 98}, ["total-mismatch"]),
        ({"execution_score": 9, "total": 98.9}, ["total-mismatch"]),  # adds up, 9 is wrong
        ({"total": 95}, ["total-mismatch"]),  # 89.9 + 5.1: a possible execution score
        ({"total": 120}, ["total-mismatch"]),  # 89.9 + 10 scored right: the total is wrong
        ({"score_0": 45}, ["sum-mismatch"]),  # 104.9 printed, more than the total
    ],
)
def test_one_slip_one_flag(changes: dict[str, Any], codes: list[str]) -> None:
    """sum-mismatch only where the printed scores cannot add up to the printed total."""
    assert sorted(f.code for f in _total_codes(_with(SOCIAL, **changes))) == codes


def test_blank_execution_score_is_named_not_invented() -> None:
    """The sum quoted is the printed scores only, and the message says the execution score
    was not printed (no 各项填报得分相加为 94 when nobody printed an execution score)."""
    (found,) = _total_codes(_with(SOCIAL, score_0=45))
    assert found.data["sum"] == "104.9"
    assert found.message == (
        "总分填报为 99.9，但各项填报得分相加为 104.9（未填报预算执行得分，其分值为 10）"
    )
    (found,) = _total_codes(_with(SOCIAL, score_0=45), lang="en")
    assert found.message.endswith("(no execution score printed; it is worth at most 10)")


@given(st.decimals(min_value=0, max_value=120, places=2))
def test_right_parts_wrong_total_is_one_flag(total: Decimal) -> None:
    """Printed scores equal to the recomputed ones: any wrong total is one flag, never two."""
    for execution in (None, 10):
        form = _with(SOCIAL, total=str(total))
        if execution is not None:
            form["budget"]["score"] = execution
        codes = [f.code for f in _total_codes(form)]
        if abs(total - Decimal("99.9")) <= Decimal("0.01"):
            assert codes == []
        else:
            assert codes == ["total-mismatch"]
