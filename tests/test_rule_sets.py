"""Shipped rule sets: each loads, passes its property checks and scores its own cases; every
convention of the reference page scores the page's example to the page's number."""

from __future__ import annotations

import io
import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfscore
from perfscore import RuleSetError, load_rules
from perfscore.cli import run
from perfscore.ruleset.check import check_file, run_tests
from tests.conftest import ROOT

SHIPPED = perfscore.list_rules()
CASES = [(name, case.name) for name in SHIPPED for case in load_rules(name).spec.tests]


def test_shipped_rule_sets() -> None:
    """The six conventions ship."""
    assert set(SHIPPED) == {
        "national-2020",
        "hubei",
        "sichuan",
        "jiangxi-2017",
        "hunan-department",
        "linear-reverse",
    }


@pytest.mark.parametrize("name", SHIPPED)
def test_rule_set_is_clean(name: str) -> None:
    """Each shipped rule set passes `rules check` and cites its sources."""
    rules = load_rules(name)
    assert rules.source_file is not None
    assert check_file(rules.source_file) == []
    assert rules.spec.sources
    assert rules.spec.tests


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}: {c}" for n, c in CASES])
def test_rule_set_case(name: str, case: str) -> None:
    """Each case a rule set carries scores as its source says."""
    outcome = next(o for o in run_tests(load_rules(name)) if o.name == case)
    assert outcome.ok, outcome.problems


def _score(rules: str | Path, indicator: dict[str, object]) -> Decimal | None:
    form = {"kind": "department", "indicators": [indicator]}
    return perfscore.evaluate(form, rules=rules).indicators[0].score


def test_shanghai_execution() -> None:
    """Shanghai Putuo 2022: 86.19% → 8.62 and 45.17% → 4.52 (national-2020)."""
    for executed, score in ((8619, "8.62"), (4517, "4.52")):
        result = perfscore.evaluate({"budget": {"adjusted": 10000, "executed": executed}})
        assert result.execution is not None
        assert result.execution.score == Decimal(score)


def test_hunan_staff_control() -> None:
    """Hunan: 在职人员控制率 103% → 3.5 of 5."""
    indicator = {"name": "在职人员控制率", "target": "≤100%", "actual": "103%", "weight": 5}
    assert _score("hunan-department", indicator) == Decimal("3.5")


def test_jiangxi_satisfaction() -> None:
    """Jiangxi 2017: satisfaction 80% → 8 of 10 (national would give 8.89)."""
    indicator = {"name": "服务对象满意度", "target": "≥90%", "actual": "80%", "weight": 10}
    assert _score("jiangxi-2017", indicator) == Decimal(8)
    assert _score("national-2020", indicator) == Decimal("8.89")


def test_hubei_execution_twenty() -> None:
    """Hubei: 得分(20分*执行率): 90% → 18."""
    result = perfscore.evaluate({"budget": {"adjusted": 100, "executed": 90}}, rules="hubei")
    assert result.execution is not None
    assert result.execution.score == Decimal(18)


def test_linear_reverse_zero_at_twice_the_target() -> None:
    """Linear reverse scoring: full at A, 0 at 2A, halfway at 1.5A."""
    base = {"name": "办理时长", "target": "≤10天", "weight": 10}
    assert _score("linear-reverse", {**base, "actual": "15天"}) == Decimal(5)
    assert _score("linear-reverse", {**base, "actual": "20天"}) == Decimal(0)
    assert _score("national-2020", {**base, "actual": "20天"}) == Decimal(5)


def test_never_more_than_the_weight() -> None:
    """得分一档最高不能超过该指标分值上限: beating a target scores the weight, no more."""
    indicator = {"name": "办理数量", "target": "≥100件", "actual": "300件", "weight": 10}
    assert _score("national-2020", indicator) == Decimal(10)


def test_whole_points_rounding(tmp_path: Path) -> None:
    """A Hebei form rounds to whole points: 86% of 10 → 9."""
    path = tmp_path / "hebei.yaml"
    path.write_text(
        "name: hebei-whole\ntitle: t\nextends: national-2020\nrounding: {places: 0}\n", "utf-8"
    )
    result = perfscore.evaluate({"budget": {"adjusted": 100, "executed": 86}}, rules=path)
    assert result.execution is not None
    assert result.execution.score == Decimal(9)


def test_equal_target_of_zero() -> None:
    """= targets are met only when equal; a target of 0 is met by 0."""
    assert (
        _score("national-2020", {"name": "事故", "target": "=0", "actual": "0", "weight": 5}) == 5
    )
    assert (
        _score("national-2020", {"name": "事故", "target": "=0", "actual": "1", "weight": 5}) == 0
    )


def test_grades_of_the_total() -> None:
    """优 90–100, 良 80–89, 中 60–79, 差 0–59."""
    rules = load_rules()
    assert [rules.grade(Decimal(x)) for x in (96, 90, 89.5, 80, 79, 60, 59, 0)] == [
        "优",
        "优",
        "良",
        "良",
        "中",
        "中",
        "差",
        "差",
    ]


def test_over_achievement_factor_is_rule_data(tmp_path: Path) -> None:
    """The 1.2 over-achievement factor comes from the rule set; null turns the check off."""
    path = tmp_path / "r.yaml"
    path.write_text("name: x\ntitle: t\nextends: national-2020\nover_achievement: null\n", "utf-8")
    form = {"indicators": [{"name": "次数", "target": "≥10次", "actual": "20次", "weight": 90}]}
    assert "over-achievement" in [f.code for f in perfscore.evaluate(form).flags]
    assert "over-achievement" not in [f.code for f in perfscore.evaluate(form, rules=path).flags]


def test_indicator_rule_by_name_pattern(tmp_path: Path) -> None:
    """An indicator rule applies to every indicator whose name matches its pattern."""
    path = tmp_path / "r.yaml"
    path.write_text(
        "name: x\ntitle: t\nextends: national-2020\nindicator_rules:\n"
        "  - {name: 满意度, match: 满意度$, direction: higher, score: 'weight * min(actual, 1)'}\n",
        "utf-8",
    )
    form = {
        "kind": "department",
        "indicators": [
            {"name": "群众满意度", "target": "≥90%", "actual": "85%", "weight": 10},
            {"name": "受援人满意度", "target": "≥90%", "actual": "95%", "weight": 10},
            {"name": "办结率", "target": "≥90%", "actual": "85%", "weight": 10},
        ],
    }
    scores = [r.score for r in perfscore.evaluate(form, rules=path).indicators]
    assert scores == [Decimal("8.5"), Decimal("9.5"), Decimal("9.44")]


# --- broken and hostile rule files -----------------------------------------------------------

BROKEN = [
    ("misspelt key", "name: x\ntitle: t\nroundng: {places: 2}\n", "did you mean 'rounding'", 3),
    (
        "undeclared name",
        "name: x\ntitle: t\nexecution:\n  score: weight * ratee\n",
        "did you mean 'rate'",
        4,
    ),
    (
        "band gap",
        "name: x\ntitle: t\nqualitative:\n  bands:\n"
        "    - {name: a, low: 0.8, high: 1, status: met}\n"
        "    - {name: b, low: 0, high: 0.7, include_high: false, status: missed}\n",
        "gap between 0.7 and 0.8",
        4,
    ),
    (
        "band overlap",
        "name: x\ntitle: t\nqualitative:\n  bands:\n"
        "    - {name: a, low: 0.8, high: 1, status: met}\n"
        "    - {name: b, low: 0, high: 0.8, include_high: true, status: missed}\n",
        "overlap at 0.8",
        4,
    ),
    ("weights of 90", "name: x\ntitle: t\nweights:\n  level1: {a: 50, b: 30}\n", "add up to 90", 4),
    ("power tower", "name: x\ntitle: t\nexecution:\n  score: 9**9**9\n", "Pow is not allowed", 4),
    (
        "huge product",
        "name: x\ntitle: t\nexecution:\n  score: weight * 999999 * 999999 * 999999\n",
        "reaches 5.00e+17",
        4,
    ),
    ("attribute access", "name: x\ntitle: t\nexecution:\n  score: rate.real\n", "not allowed", 4),
    (
        "comprehension",
        "name: x\ntitle: t\nexecution:\n  score: '[x for x in (1, 2)]'\n",
        "not allowed",
        4,
    ),
    (
        "long expression",
        "name: x\ntitle: t\nexecution:\n  score: " + "1+" * 200 + "1\n",
        "longer than",
        4,
    ),
    (
        "alias bomb",
        "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n",
        "aliases (*a) are not allowed",
        2,
    ),
    ("unknown parent", "name: x\ntitle: t\nextends: nowhere\n", "no shipped rule set named", 3),
    (
        "indicator rule band gap",
        "name: x\ntitle: t\nindicator_rules:\n  - name: r\n    match: 率\n    bands:\n"
        "      - {low: 0.9, share: 1}\n      - {low: 0, high: 0.8, share: 0}\n",
        "gap between 0.8 and 0.9",
        6,
    ),
]


@pytest.mark.parametrize(("label", "text", "message", "line"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_rule_file_refused_with_line(
    tmp_path: Path, label: str, text: str, message: str, line: int
) -> None:
    """Each broken or hostile file is refused within a second, naming the line."""
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    start = time.perf_counter()
    with pytest.raises(RuleSetError) as info:
        load_rules(path)
    assert time.perf_counter() - start < 1.0
    assert message in str(info.value)
    assert info.value.line == line
    assert f"{path}:{line}" in str(info.value)


def test_cycle_is_refused(tmp_path: Path) -> None:
    """a extends b extends a: refused, naming the chain."""
    (tmp_path / "a.yaml").write_text("name: a\ntitle: a\nextends: b.yaml\n", "utf-8")
    (tmp_path / "b.yaml").write_text("name: b\ntitle: b\nextends: a.yaml\n", "utf-8")
    with pytest.raises(RuleSetError, match=r"cycle: a.yaml → b.yaml → a.yaml"):
        load_rules(tmp_path / "a.yaml")


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    """A rule file over 256 KiB is refused before it is parsed."""
    path = tmp_path / "big.yaml"
    path.write_text("name: x\ntitle: t\n" + "# padding\n" * 40000, "utf-8")
    with pytest.raises(RuleSetError, match="more than the 262,144 accepted"):
        load_rules(path)


def test_property_check_catches_a_bad_formula(tmp_path: Path) -> None:
    """A formula that pays more than the weight loads, but `rules check` reports it."""
    path = tmp_path / "r.yaml"
    path.write_text(
        "name: x\ntitle: t\nextends: national-2020\nquantitative:\n"
        "  score: weight * achievement * 2\n",
        "utf-8",
    )
    findings = check_file(path)
    assert [f.path for f in findings] == ["quantitative.score"]
    assert "leave [0, 1]" in findings[0].message


def test_property_check_catches_a_falling_score(tmp_path: Path) -> None:
    """A score that falls as achievement rises is reported."""
    path = tmp_path / "r.yaml"
    path.write_text(
        "name: x\ntitle: t\nextends: national-2020\nqualitative:\n"
        "  score: weight * (1 - completion) if completion < 1 else weight\n",
        "utf-8",
    )
    assert any("falls" in f.message for f in check_file(path))


# --- the command line ------------------------------------------------------------------------


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_rules_check_formats(tmp_path: Path) -> None:
    """text, json and github formats; exit 1 on findings, 0 when clean, 2 on a bad path."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntitle: t\nexecution:\n  score: weight * ratee\n", "utf-8")
    code, out, _ = _run("rules", "check", str(bad))
    assert code == 1
    assert out.startswith(f"{bad}:4:3: execution.score: unknown name 'ratee'")
    code, out, _ = _run("rules", "check", "--format", "json", str(bad))
    assert json.loads(out)[0]["line"] == 4
    code, out, _ = _run("rules", "check", "--format", "github", str(bad))
    assert out.startswith(f"::error file={bad},line=4,col=3::")
    assert _run("rules", "check", str(ROOT / "rules"))[0] == 0
    assert _run("rules", "check", str(tmp_path / "missing.yaml"))[0] == 3


def test_rules_test_command() -> None:
    """`perfscore rules test` runs every shipped case and ends with a pass/fail count."""
    code, out, _ = _run("rules", "test")
    assert code == 0
    assert out.strip().splitlines()[-1] == f"{len(CASES)} passed, 0 failed"


def _shape(schema: dict[str, object]) -> dict[str, list[str]]:
    definitions: dict[str, Any] = {"": schema, **schema.get("$defs", {})}  # type: ignore[dict-item]
    return {name: sorted(d.get("properties", {})) for name, d in definitions.items()}


def test_schemas_are_current() -> None:
    """schemas/*.json are what `perfscore schema` prints; shipped rule files point at theirs."""
    for which in ("rules", "form"):
        code, out, _ = _run("schema", which)
        assert code == 0
        # Compare the shape (every definition and its keys), not pydantic's exact wording,
        # which varies between pydantic releases.
        assert _shape(json.loads(out)) == _shape(
            json.loads((ROOT / "schemas" / f"{which}.schema.json").read_text("utf-8"))
        )
    for path in (ROOT / "rules").glob("*.yaml"):
        assert path.read_text("utf-8").startswith(
            "# yaml-language-server: $schema=../schemas/rules.schema.json"
        )


def test_indicator_rule_unit(tmp_path: Path) -> None:
    """An indicator rule may state its unit: 办理时长 in days, bands in days."""
    path = tmp_path / "r.yaml"
    path.write_text(
        "name: x\ntitle: t\nextends: national-2020\nindicator_rules:\n"
        "  - name: 时长\n    match: 时长$\n    unit: 天\n    direction: lower\n    bands:\n"
        "      - {low: 0, high: 5, include_high: true, share: 1}\n"
        "      - {low: 5, high: 10, include_low: false, include_high: true, share: 0.5}\n"
        "      - {low: 10, include_low: false, share: 0}\n",
        "utf-8",
    )
    base = {"name": "平均办理时长", "target": "≤5天", "weight": 10}
    assert _score(path, {**base, "actual": "2周"}) == Decimal(0)
    assert _score(path, {**base, "actual": "1周"}) == Decimal(5)
    assert _score(path, {**base, "actual": "72小时"}) == Decimal(10)


def test_unknown_unit_in_rule_file(tmp_path: Path) -> None:
    """Every unit a rule file names must resolve."""
    path = tmp_path / "r.yaml"
    path.write_text(
        "name: x\ntitle: t\nindicator_rules:\n"
        "  - {name: r, match: 时长, unit: 光年, score: weight}\n",
        "utf-8",
    )
    with pytest.raises(RuleSetError, match="unknown unit '光年'") as info:
        load_rules(path)
    assert info.value.line == 4
