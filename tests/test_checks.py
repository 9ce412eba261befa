"""Every check in the flag catalogue: one case that triggers it, one clean case that does not.

The cases start from seed 003's first form (购买社工岗位服务, printed total 99.9) and change
one thing, the way real forms go wrong.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import yaml

import perfscore
from perfscore.words.flags import CATALOGUE
from tests.conftest import EXAMPLES

Form = dict[str, Any]
BASE: Form = yaml.safe_load(
    (EXAMPLES / "luohu-2024-social-workers.yaml").read_text(encoding="utf-8")
)


def _set(*steps: tuple[Any, ...]) -> Callable[[Form], None]:
    """A mutation: each step is a path to a key and the value to put there (None deletes)."""

    def apply(form: Form) -> None:
        for *path, key, value in steps:
            node: Any = form
            for part in path:
                node = node[part]
            if value is None:
                del node[key]
            else:
                node[key] = value

    return apply


def _unscored(form: Form) -> None:
    for ind in form["indicators"]:
        ind.pop("weight", None)
        ind.pop("score", None)
    form.pop("total")


def _append_copy(form: Form) -> None:
    form["indicators"].append(copy.deepcopy(form["indicators"][0]))


def _drop_timeliness(form: Form) -> None:
    del form["indicators"][2]


def _no_weights(first_score: int) -> list[tuple[Any, ...]]:
    """Weights on the block headers only: each row's weight removed, the first row's printed
    score set to ``first_score`` (30 is its full weight)."""
    steps: list[tuple[Any, ...]] = [("indicators", i, "weight", None) for i in range(10)]
    total = Decimal("99.9") - 30 + first_score
    return [*steps, ("indicators", 0, "score", first_score), ("total", total)]


def _same(form: Form) -> None:
    """The form as printed."""


I1 = ("indicators", 1)
I5 = ("indicators", 5)

# code, trigger, expected path, clean variant
CASES: list[tuple[str, Callable[[Form], None], str, Callable[[Form], None]]] = [
    ("score-mismatch", _set(("indicators", 0, "score", 29)), "indicators[0].score", _same),
    ("total-mismatch", _set(("total", 98)), "total", _same),
    ("printed-scores-trusted", _set((*I1, "actual", "90&")), "total", _same),
    (
        "sum-mismatch",
        # Total, printed sum and recomputed total all differ: a right total is not flagged.
        _set(("budget", "score", 10), ("indicators", 0, "score", 29), ("total", Decimal(97))),
        "total",
        _set(("budget", "score", 10)),
    ),
    ("execution-rate-mismatch", _set(("budget", "rate", "90")), "budget.rate", _same),
    ("execution-score-mismatch", _set(("budget", "score", 9)), "budget.score", _same),
    ("score-exceeds-weight", _set((*I1, "score", 6)), "indicators[1].score", _same),
    ("negative-value", _set(("indicators", 4, "weight", -1)), "indicators[4].weight", _same),
    ("overspent", _set(("budget", "executed", 2100000)), "budget.executed", _same),
    (
        "low-execution",
        _set(("budget", "executed", 1500000)),
        "budget.rate",
        _set(("budget", "executed", 1500000), ("budget", "reason", "部分采购延至次年")),
    ),
    ("weights-sum", _set(("indicators", 0, "weight", 35)), "indicators", _same),
    (
        "structure",
        _set(("indicators", 3, "level1", "效益指标")),
        "indicators",
        _same,
    ),
    (
        "block-score",
        _set(("blocks", {"产出指标": 50, "效益指标": 30, "满意度指标": 10}), *_no_weights(31)),
        "blocks.产出指标",
        _set(("blocks", {"产出指标": 50, "效益指标": 30, "满意度指标": 10}), *_no_weights(30)),
    ),
    (
        "block-weights",
        _set(("blocks", {"产出指标": 55, "效益指标": 25, "满意度指标": 10})),
        "blocks.产出指标",
        _set(("blocks", {"产出指标": 50, "效益指标": 30, "满意度指标": 10})),
    ),
    (
        "budget-incomplete",
        _set(("budget", "adjusted", 0), ("budget", "executed", 0), ("budget", "initial", 0)),
        "budget",
        _same,
    ),
    (
        "execution-from-initial",
        _set(("budget", "adjusted", None), ("budget", "initial", 2025000)),
        "budget.initial",
        _same,
    ),
    (
        "missing-execution-score",
        _set(("total", Decimal("98.9"))),
        "budget.score",
        _set(("budget", "score", 10)),
    ),
    (
        "weight-on-not-applicable",
        _same,
        "indicators[8].weight",
        _set(("indicators", 8, "weight", 0), ("indicators", 8, "score", 0)),
    ),
    ("duplicate-indicator", _append_copy, "indicators[10].name", _same),
    ("unreadable-value", _set((*I1, "actual", "80&")), "indicators[1].actual", _same),
    ("missing-value", _set((*I1, "actual", None)), "indicators[1].actual", _same),
    ("unmeasurable-target", _set((*I1, "target", "及时受理")), "indicators[1].target", _same),
    (
        "unit-mismatch",
        _set((*I1, "target", "≤2人"), (*I1, "actual", "1人")),
        "indicators[1].target",
        _same,
    ),
    (
        "ceiling-target",
        _set((*I1, "target", "≥100%"), (*I1, "actual", "100%")),
        "indicators[1].target",
        _same,
    ),
    (
        "direction-inferred",
        _set(("indicators", 0, "target", "16人")),
        "indicators[0].target",
        _same,
    ),
    ("ratio-read-as-percent", _set((*I1, "actual", "0.9")), "indicators[1].actual", _same),
    ("actual-as-bound", _set((*I1, "actual", "≥90%")), "indicators[1].actual", _same),
    (
        "bound-against-target",
        _set((*I1, "actual", "90%以下")),
        "indicators[1].actual",
        _set((*I1, "actual", "90%以上")),
    ),
    (
        "approximate-actual",
        _set(("indicators", 0, "actual", "16余人")),
        "indicators[0].actual",
        _same,
    ),
    (
        "compound-target",
        _set(
            ("indicators", 0, "target", "社工≥14人；督导≥2人"),
            ("indicators", 0, "actual", "社工14人；督导2人"),
        ),
        "indicators[0].target",
        _same,
    ),
    ("vacuous-met", _set((*I1, "actual", "无")), "indicators[1].actual", _same),
    (
        "period-scaled",
        _set((*I1, "name", "每月开展活动次数"), (*I1, "target", "≥1次"), (*I1, "actual", "10")),
        "indicators[1].target",
        _set(
            (*I1, "name", "每月开展活动次数"), (*I1, "target", "≥1次"), (*I1, "actual", "月均1次")
        ),
    ),
    (
        "share-of-target",
        _set((*I1, "target", "1个工作日内"), (*I1, "actual", "100%")),
        "indicators[1].actual",
        _set((*I1, "target", "1个工作日内"), (*I1, "actual", "1个工作日")),
    ),
    (
        "nil-as-not-applicable",
        _set((*I5, "target", "效果显著"), (*I5, "actual", "无")),
        "indicators[5].actual",
        _same,
    ),
    (
        "grade-read",
        _set((*I5, "target", "效果显著"), (*I5, "actual", "基本达成预期指标")),
        "indicators[5].actual",
        _same,
    ),
    (
        "actual-restates-target",
        _set((*I5, "target", "效果显著"), (*I5, "actual", "效果显著。")),
        "indicators[5].actual",
        _same,
    ),
    ("missing-reason", _set(("indicators", 3, "reason", None)), "indicators[3].reason", _same),
    (
        "over-achievement",
        _set(("indicators", 2, "actual", "25次/年")),
        "indicators[2].actual",
        _same,
    ),
    (
        "grade-out-of-band",
        _set((*I5, "target", "效果显著"), (*I5, "actual", "部分达成 90%")),
        "indicators[5].actual",
        _set((*I5, "target", "效果显著"), (*I5, "actual", "部分达成 70%")),
    ),
    (
        "unknown-grade",
        _set((*I5, "target", "效果显著"), (*I5, "actual", "有促进作用")),
        "indicators[5].actual",
        _same,
    ),
    ("unscored-form", _unscored, "indicators", _same),
    (
        "unreadable-cell",
        _set(("notes", [{"path": "indicators[1].weight", "message": "不是数字：“五”"}])),
        "indicators[1].weight",
        _same,
    ),
    (
        "reading-note",
        _set(
            (
                "notes",
                [{"path": "indicators[0].weight", "message": "权重平均分配", "severity": "info"}],
            )
        ),
        "indicators[0].weight",
        _same,
    ),
]


def _flags(mutate: Callable[[Form], None]) -> list[perfscore.words.flags.Flag]:
    form = copy.deepcopy(BASE)
    mutate(form)
    return list(perfscore.evaluate(form).flags)


def test_every_code_has_a_case() -> None:
    """This table and the target-table one (tests/test_targets.py) cover the catalogue."""
    from tests.test_targets import TARGET_CASES

    elsewhere = {"formula-failed"}  # needs a rule file of its own: tests/test_hostile.py
    covered = {case[0] for case in CASES} | {case[0] for case in TARGET_CASES} | elsewhere
    assert covered == set(CATALOGUE)


@pytest.mark.parametrize(("code", "trigger", "path", "clean"), CASES, ids=[c[0] for c in CASES])
def test_check_triggers(
    code: str, trigger: Callable[[Form], None], path: str, clean: Callable[[Form], None]
) -> None:
    """The faulty form raises the flag at the expected path; the clean one does not."""
    flagged = [f for f in _flags(trigger) if f.code == code]
    assert [f.path for f in flagged][:1] == [path], [f.message for f in flagged]
    assert all(f.message and f.data is not None for f in flagged)
    assert not [f for f in _flags(clean) if f.code == code]


@pytest.mark.parametrize(("code", "trigger", "path", "clean"), CASES, ids=[c[0] for c in CASES])
def test_check_messages_in_english(
    code: str, trigger: Callable[[Form], None], path: str, clean: Callable[[Form], None]
) -> None:
    """lang="en" gives an English message for every check."""
    form = copy.deepcopy(BASE)
    trigger(form)
    flag = next(f for f in perfscore.evaluate(form, lang="en").flags if f.code == code)
    literal = max(re.split(r"\{[^}]*\}", CATALOGUE[code].en), key=len).strip()
    assert literal.isascii()
    assert literal in flag.message


def test_seed_003_carries_no_error() -> None:
    """Both seed-003 forms are arithmetically right: warnings and notes only."""
    for name in ("luohu-2024-social-workers.yaml", "luohu-2024-notary-lawyers.yaml"):
        assert perfscore.evaluate(EXAMPLES / name).ok


def test_misplaced_groups_count_where_they_belong() -> None:
    """Seed 003 form 2 prints 成本指标 under 效益指标: one note lists both shifted groups, and
    the 50/30/10 blocks hold because each group counts where it belongs."""
    result = perfscore.evaluate(EXAMPLES / "luohu-2024-notary-lawyers.yaml")
    notes = [f for f in result.flags if f.code == "structure"]
    assert len(notes) == 1
    assert notes[0].severity == "info"
    assert "成本指标" in notes[0].message
    assert "可持续影响指标" in notes[0].message
    assert "一级指标分值" not in notes[0].message


def test_score_mismatch_for_met_target_awarded_less() -> None:
    """A 2022 Yunnan form: 100% against ≧100% scored 7 of 10 — the message says it was met."""
    form = {
        "kind": "department",
        "indicators": [
            {"name": "完成率", "target": "≧100%", "actual": "100%", "weight": 90, "score": 87}
        ],
    }
    flag = next(f for f in perfscore.evaluate(form).flags if f.code == "score-mismatch")
    assert "已达成" in flag.message
    assert flag.data["recomputed"] == "90"


def test_equal_target_missed_scores_in_proportion() -> None:
    """═100% completed 98% scores 9.8 of 10, not the printed 9."""
    form = {
        "kind": "department",
        "indicators": [
            {"name": "资金到位率", "target": "═100%", "actual": "98%", "weight": 10, "score": 9}
        ],
    }
    result = perfscore.evaluate(form)
    assert result.indicators[0].score == Decimal("9.80")
    assert [f.data["recomputed"] for f in result.flags if f.code == "score-mismatch"] == ["9.8"]


def test_every_unjudged_indicator_says_why() -> None:
    """No indicator is skipped in silence: each not_judged row has a warning or error at it."""
    from tests.conftest import DATA

    for path in [*sorted((DATA / "forms").glob("*.yaml")), *sorted(EXAMPLES.glob("*.yaml"))]:
        result = perfscore.evaluate(path)
        for row in result.indicators:
            if row.status == "not_judged":
                here = [
                    f
                    for f in result.flags
                    if f.location[:2] == ("indicators", row.index) and f.severity != "info"
                ]
                assert here, (path.name, row.name)


def test_a_duplicate_names_the_first_row_as_the_form_numbers_it() -> None:
    """The first copy is named by its number from 1, or its printed 序号 (regression: the
    message said 与第 0 项指标重复 for the form's first row)."""
    form = copy.deepcopy(BASE)
    _append_copy(form)
    (dup,) = [f for f in perfscore.evaluate(form).flags if f.code == "duplicate-indicator"]
    assert dup.data["first"] == "1"
    assert "与第 1 项指标重复" in dup.message
    form["indicators"][0]["number"] = "一"
    (dup,) = [f for f in perfscore.evaluate(form).flags if f.code == "duplicate-indicator"]
    assert dup.data["first"] == "一"
