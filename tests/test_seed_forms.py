"""The seed forms, end to end: seed 003 reproduced to the cent, seeds 001/002 judged."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import perfscore
from tests.conftest import DATA, EXAMPLES

D = Decimal

SEED_003 = [
    (
        "luohu-2024-social-workers.yaml",
        D("99.9"),
        D("1"),
        D("10"),
        [D(x) for x in "30 5 10 4.9 0 30 0 0 10 0".split()],
    ),
    (
        "luohu-2024-notary-lawyers.yaml",
        D("93.69"),
        D("0.9686"),
        D("9.69"),
        [D(x) for x in "7 0 7 6 6 6 6 6 0 15 15 0 0 10 0".split()],
    ),
]


@pytest.mark.parametrize(("name", "total", "rate", "execution", "scores"), SEED_003)
def test_seed_003_reproduced_to_the_cent(
    name: str, total: Decimal, rate: Decimal, execution: Decimal, scores: list[Decimal]
) -> None:
    """Every score, the execution rate and score, and the total match the printed form."""
    result = perfscore.evaluate(EXAMPLES / name)
    assert isinstance(result.total, Decimal)
    assert result.total == total
    assert result.reported_total == total
    assert result.execution is not None
    assert result.execution.rate == rate
    assert result.execution.score == execution
    assert [r.score for r in result.indicators] == scores
    assert [r.reported_score for r in result.indicators] == scores
    assert result.ok, [f.message for f in result.errors]
    assert not result.errors


def test_cost_control_scored_in_proportion(luohu_social_workers: Path) -> None:
    """成本控制率 ≤98% completed 100% scores 98/100 × 5 = 4.9."""
    row = perfscore.evaluate(luohu_social_workers).indicators[3]
    assert row.status == "partly_met"
    assert row.achievement == D("0.98")
    assert row.score == D("4.90")
    assert row.direction == "<="


def test_ratio_reads_are_flagged(luohu_notary: Path) -> None:
    """0.9 against ≥90% and 1 against ≤100% are read as percentages, and said so."""
    result = perfscore.evaluate(luohu_notary)
    paths = {f.path for f in result.flags if f.code == "ratio-read-as-percent"}
    assert paths == {
        "indicators[5].actual",
        "indicators[7].actual",
        "indicators[9].actual",
        "indicators[10].actual",
    }
    assert result.indicators[5].status == "met"


def test_missed_count_scores_zero(luohu_notary: Path) -> None:
    """81个社区 completed 0 scores 0 of 6."""
    row = perfscore.evaluate(luohu_notary).indicators[1]
    assert (row.status, row.achievement, row.score) == ("missed", D(0), D(0))


def test_inferred_directions_are_reported(luohu_notary: Path) -> None:
    """120家 and 450份 carry no comparator: read as ≥ and flagged."""
    result = perfscore.evaluate(luohu_notary)
    inferred = [f for f in result.flags if f.code == "direction-inferred"]
    assert [f.path for f in inferred] == [
        "indicators[0].target",
        "indicators[1].target",
        "indicators[3].target",
    ]
    assert all(f.data["direction"] == ">=" for f in inferred)


@pytest.mark.parametrize(("index", "new_score"), [(0, "29"), (3, "5"), (9, "10")])
def test_one_changed_score_gives_one_mismatch(
    luohu_notary: Path, index: int, new_score: str
) -> None:
    """Changing one printed score yields exactly one score-mismatch, at that path."""
    data = yaml.safe_load(luohu_notary.read_text(encoding="utf-8"))
    data["indicators"][index]["score"] = new_score
    result = perfscore.evaluate(data)
    mismatches = [f for f in result.flags if f.code == "score-mismatch"]
    assert [f.path for f in mismatches] == [f"indicators[{index}].score"]
    assert mismatches[0].severity == "error"
    assert mismatches[0].data["reported"] == new_score
    assert not result.ok


def test_met_target_awarded_less_says_so(luohu_social_workers: Path) -> None:
    """A met target awarded less than full marks: the message says the target was met."""
    data = yaml.safe_load(luohu_social_workers.read_text(encoding="utf-8"))
    data["indicators"][0]["score"] = 21
    flag = next(f for f in perfscore.evaluate(data).flags if f.code == "score-mismatch")
    assert "已达成" in flag.message
    flag_en = next(
        f for f in perfscore.evaluate(data, lang="en").flags if f.code == "score-mismatch"
    )
    assert "target met" in flag_en.message


def test_total_mismatch(luohu_social_workers: Path) -> None:
    """A printed total that is not the recomputed one is an error."""
    data = yaml.safe_load(luohu_social_workers.read_text(encoding="utf-8"))
    data["total"] = 100
    flags = [f for f in perfscore.evaluate(data).flags if f.code == "total-mismatch"]
    assert len(flags) == 1
    assert flags[0].data == {"reported": "100", "recomputed": "99.9"}


def test_weights_sum(luohu_social_workers: Path) -> None:
    """Weights that do not add up to 100 with the execution weight are flagged."""
    data = yaml.safe_load(luohu_social_workers.read_text(encoding="utf-8"))
    data["indicators"][0]["weight"] = 35
    flags = [f for f in perfscore.evaluate(data).flags if f.code == "weights-sum"]
    assert len(flags) == 1
    assert flags[0].data["sum"] == "105"


def test_execution_score_from_rate() -> None:
    """Execution score is weight × rate, rounded half-up; printed mismatches are flagged."""
    form = {
        "project": "x",
        "budget": {"adjusted": "100000", "executed": "86190", "score": 8.6, "rate": "86.19%"},
        "indicators": [{"name": "a", "target": "≥1次", "actual": "1次", "weight": 90}],
    }
    result = perfscore.evaluate(form)
    assert result.execution is not None
    assert result.execution.score == D("8.62")
    codes = [f.code for f in result.flags if f.location[0] == "budget"]
    assert codes == ["low-execution", "execution-score-mismatch"]


def test_execution_rate_mismatch() -> None:
    """A printed execution rate that is not executed / budget is flagged."""
    form = {"project": "x", "budget": {"adjusted": 23.95, "executed": 15.42, "rate": "66.38%"}}
    result = perfscore.evaluate(form)
    assert [f.code for f in result.flags] == ["execution-rate-mismatch", "low-execution"]
    assert result.execution is not None
    assert result.execution.rate == D("0.6438")


def _forms() -> list[Path]:
    return sorted((DATA / "forms").glob("*.yaml"))


@pytest.mark.parametrize("path", _forms(), ids=lambda p: p.stem)
def test_unscored_forms_are_judged(path: Path) -> None:
    """Seeds 001/002 carry no weights: every indicator judged, no scores, one info flag."""
    result = perfscore.evaluate(path)
    assert result.total is None
    assert all(r.score is None for r in result.indicators)
    assert [f.code for f in result.flags if f.code == "unscored-form"] == ["unscored-form"]
    assert not result.errors
    judged = [r for r in result.indicators if r.status != "not_judged"]
    assert len(judged) >= len(result.indicators) - 2


def _row(
    result: perfscore.EvaluationResult, name: str
) -> perfscore.engine.pipeline.IndicatorResult:
    return next(r for r in result.indicators if r.name == name)


def test_seed_001_readings() -> None:
    """What a reviewer expects of seed 001: the 80& typo, ≤1年 against 100%, the / target."""
    training = perfscore.evaluate(DATA / "forms" / "pingshan-2020-training.yaml")
    assert training.execution is not None
    assert training.execution.rate == D("0.6438")
    low = [f for f in training.flags if f.code == "low-execution"]
    assert [(f.path, f.data["rate"]) for f in low] == [("budget.rate", "64.38%")]
    typo = _row(training, "社区法律顾问参加培训效果反馈")
    assert typo.status == "not_judged"
    assert any(
        f.code == "unreadable-value" and f.path == f"indicators[{typo.index}].actual"
        for f in training.flags
    )
    assert _row(training, "人民调解员参加培训效果反馈").status == "met"  # 80% is in band 1

    law = perfscore.evaluate(DATA / "forms" / "pingshan-2020-rule-of-law.yaml")
    row = _row(law, "专项法律服务时间")
    # ≤1年 completed 100%: the share of the target done (issue 20), never a unit mismatch.
    assert row.status == "met"
    assert any(
        f.code == "share-of-target" and f.location[:2] == ("indicators", row.index)
        for f in law.flags
    )

    other = perfscore.evaluate(DATA / "forms" / "pingshan-2020-other-judicial.yaml")
    slash = _row(other, "无假证；错证率在1‰内")
    assert slash.status == "not_judged"
    assert any(f.code == "unmeasurable-target" for f in other.flags)
    compound = _row(other, "公证业务服务主体数量")
    assert compound.status == "met"
    embedded = _row(other, "公证业务办理件数")
    assert embedded.status == "met"


def test_seed_002_readings() -> None:
    """均为 100% meets both clauses; 无 against 低于 0.3% is zero complaints."""
    result = perfscore.evaluate(DATA / "forms" / "caidian-2020-department.yaml")
    assert result.execution is not None
    assert result.execution.rate == D(1)
    both = _row(result, "重点刑满释放人员衔接率、帮教率")
    assert both.status == "met"
    assert both.achievement == 1
    missing = _row(result, "促进社区、幸福社区建设")
    assert missing.status == "not_judged"
    assert any(
        f.code == "missing-value" and f.path == f"indicators[{missing.index}].actual"
        for f in result.flags
    )
    complaints = _row(result, "法律援助有效投诉率、投诉查处率")
    assert complaints.status == "met"
    reoffending = _row(result, "社区服刑人员重新犯罪率")
    assert (reoffending.status, reoffending.direction) == ("met", "<=")
    at_least = _row(result, "实际办理法律援助案件数")
    assert at_least.direction == ">="


def test_result_serialises_decimals_as_strings(luohu_notary: Path) -> None:
    """to_dict is JSON-ready with Decimals as strings."""
    import json

    data = perfscore.evaluate(luohu_notary).to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert data["total"] == "93.69"
    assert data["execution"]["rate"] == "0.9686"
    assert data["indicators"][3]["score"] == "6.00"
    assert '"status": "met"' in text


def test_flags_are_ordered(luohu_notary: Path) -> None:
    """Flags come out sorted by path, then severity, then code."""
    flags = perfscore.evaluate(luohu_notary).flags
    assert list(flags) == sorted(flags, key=lambda f: f.sort_key())


def test_nil_readings_depend_on_the_target() -> None:
    """无 is zero against a ≤ target, nothing done against a count, not applicable otherwise."""
    result = perfscore.evaluate(
        {
            "indicators": [
                {"name": "投诉数", "target": "≤2件", "actual": "无"},
                {"name": "培训次数", "target": "≥3次", "actual": "无"},
                {"name": "工作成效", "target": "效果显著", "actual": "无"},
                {"name": "经济效益", "target": "不适用", "actual": "无"},
            ]
        }
    )
    statuses = [r.status for r in result.indicators]
    assert statuses == ["met", "missed", "not_applicable", "not_applicable"]
    assert [f.path for f in result.flags if f.code == "nil-as-not-applicable"] == [
        "indicators[2].actual"
    ]
