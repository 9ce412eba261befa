"""Rule files blame the right line: the user's file and the key that caused a problem, one
finding a mistake at ``FILE:LINE:COLUMN``, a rule by its own name, and every numeric setting
held to its meaningful range by the loader, the checker and the JSON Schema alike."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from perfscore.cli import run
from perfscore.errors import RuleSetError
from perfscore.ruleset.check import check_file
from perfscore.ruleset.ranges import RANGES, Range
from perfscore.ruleset.rules import load_rules, shipped_dir
from tests.conftest import ROOT

_HEAD = "name: mine\ntitle: Mine\nextends: national-2020\n"
_RULE = {"name": "时效", "match": "时效", "direction": "higher"}


def _check(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["rules", "check", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def test_an_inherited_sum_blames_the_users_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`weights: {execution: 20}` over national-2020 is one finding on the user's line, in the
    loader's error and in `rules check` of the file and of its folder, never the shipped file."""
    monkeypatch.chdir(tmp_path)
    Path("dir").mkdir()
    Path("dir/a.yaml").write_text(_HEAD + "weights: {execution: 20}\n", "utf-8")
    with pytest.raises(RuleSetError) as info:
        load_rules(Path("dir/a.yaml"))
    assert (Path(info.value.source or "").name, info.value.line, info.value.column) == (
        "a.yaml",
        4,
        11,
    )
    assert info.value.path == "weights.execution"
    for given_path in ("dir/a.yaml", "dir/", "dir"):
        code, out, _ = _check(given_path)
        assert code == 1
        assert out.splitlines() == [
            "dir/a.yaml:4:11: weights.execution: execution and first-level weights add up to "
            "110, not 100 (expected weights adding up to 100)"
        ]
        assert str(shipped_dir()) not in out


def test_a_changed_block_weight_is_blamed_on_its_line(tmp_path: Path) -> None:
    """Overriding one block's weight blames that block, the key the file itself wrote."""
    path = tmp_path / "b.yaml"
    path.write_text(_HEAD + "weights:\n  level1:\n    效益指标: 35\n", "utf-8")
    [finding] = check_file(path)
    assert (finding.file, finding.line, finding.column) == (str(path), 6, 5)
    assert finding.path == "weights.level1.效益指标"


def test_an_error_in_a_local_parent_names_the_checked_file(tmp_path: Path) -> None:
    """A broken file the checked one extends is named at its line, and so is the checked file."""
    (tmp_path / "base.yaml").write_text(
        "name: b\ntitle: t\nexecution:\n  score: weight * ratee\n", "utf-8"
    )
    child = tmp_path / "child.yaml"
    child.write_text("name: c\ntitle: t\nextends: base.yaml\n", "utf-8")
    [finding] = check_file(child)
    assert (Path(finding.file).name, finding.line, finding.column) == ("base.yaml", 4, 3)
    assert finding.message.endswith(f"(reached through extends from {child})")


def test_property_findings_have_a_line_a_column_and_the_rules_name(tmp_path: Path) -> None:
    """A formula giving double marks is one finding at its key, naming the rule, not its index."""
    path = tmp_path / "c.yaml"
    rule = {**_RULE, "score": "weight * actual * 2"}
    path.write_text(_HEAD + yaml.safe_dump({"indicator_rules": [rule]}, allow_unicode=True))
    code, out, _ = _check("--format", "json", str(path))
    assert code == 1
    [finding] = json.loads(out)
    assert finding["path"] == "indicator_rules[时效].score"
    assert (finding["line"], finding["column"]) == (8, 3)
    assert "indicator_rules.0" not in finding["message"]
    assert "时效" not in finding["message"]
    code, out, _ = _check(str(path))
    assert out.startswith(f"{path}:8:3: indicator_rules[时效].score: scores leave [0, 1]")


def test_a_replaced_list_does_not_keep_the_parents_lines(tmp_path: Path) -> None:
    """The child's own bands are blamed at the child's line, not at the parent's bands."""
    path = tmp_path / "q.yaml"
    path.write_text(
        _HEAD + "qualitative:\n  bands:\n    - {name: a, low: 0.5, high: 1, include_high: true,"
        " status: met}\n",
        "utf-8",
    )
    [finding] = check_file(path)
    assert (finding.file, finding.line) == (str(path), 5)
    assert finding.path == "qualitative.bands"
    # jiangxi-2017's second rule has a `measure:`; the child's second rule does not.
    path = tmp_path / "j.yaml"
    rules = [{**_RULE, "score": "weight"}, {**_RULE, "name": "b", "score": "weight"}]
    data = {"name": "j", "title": "t", "extends": "jiangxi-2017", "indicator_rules": rules}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert load_rules(path).locate("indicator_rules.1.measure")[0] == str(path)


# -- ranges -----------------------------------------------------------------------------------

_SETTING: dict[str, Callable[[Any], dict[str, Any]]] = {
    "weights.total": lambda v: {"weights": {"total": v, "level1": {}}},
    "weights.execution": lambda v: {"weights": {"execution": v, "level1": {}}},
    "weights.level1.*": lambda v: {"weights": {"level1": {"产出指标": v}}},
    "execution.rate_places": lambda v: {"execution": {"rate_places": v}},
    "execution.low_threshold": lambda v: {"execution": {"low_threshold": v}},
    "qualitative.words.*": lambda v: {"qualitative": {"words": {"full": v}}},
    "rounding.places": lambda v: {"rounding": {"places": v}},
    "tolerance": lambda v: {"tolerance": v},
    "over_achievement": lambda v: {"over_achievement": v},
    "over_achievement_margin": lambda v: {"over_achievement_margin": v},
    "targets.mid_year_share": lambda v: {"targets": {"mid_year_share": v}},
    "indicator_rules.*.bands.*.points": lambda v: {
        "indicator_rules": [{**_RULE, "bands": [{"low": 0, "points": v}]}]
    },
    "indicator_rules.*.bands.*.share": lambda v: {
        "indicator_rules": [{**_RULE, "bands": [{"low": 0, "share": v}]}]
    },
    "grades.*.low": lambda v: {"grades": [{"name": "优", "low": v}]},
}


def _outside(found: Range) -> list[Any]:
    low, high = found.low, found.high
    values: list[Any] = []
    if low is not None:
        values.append(low if found.low_open else low - 1)
    if high is not None:
        values.append(high if found.high_open else high + 1)
    return values


def _inside(found: Range) -> list[Any]:
    low, high = found.low, found.high
    assert low is not None
    assert high is not None
    return [
        low + (Decimal("0.5") if isinstance(low, Decimal) else 1) if found.low_open else low,
        high,
    ]


def _plain(value: Any) -> Any:
    """A Decimal as YAML and JSON write it: an int when whole, else a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _file(tmp_path: Path, key: str, value: Any) -> Path:
    path = tmp_path / f"{key.replace('*', 'x')}-{value}.yaml"
    data = {"name": "mine", "title": "Mine", "extends": "national-2020"}
    data.update(_SETTING[key](_plain(value)))
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def _schema_errors(path: Path) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schemas" / "rules.schema.json").read_text("utf-8"))
    data = yaml.safe_load(path.read_text("utf-8"))
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


def test_every_ranged_setting_is_tested() -> None:
    """A new range in the table gets a case here."""
    assert set(_SETTING) == set(RANGES)


@pytest.mark.parametrize("key", sorted(RANGES))
def test_a_setting_out_of_range_is_refused_by_all_three(tmp_path: Path, key: str) -> None:
    """Loader, checker and schema refuse a value just outside the range, at the setting's line,
    in the table's words; the range's own ends are accepted by all three."""
    found = RANGES[key]
    for value in _outside(found):
        path = _file(tmp_path, key, value)
        with pytest.raises(RuleSetError) as info:
            load_rules(path)
        assert info.value.expected == found.expected()
        assert info.value.line is not None
        assert info.value.column is not None
        findings = check_file(path)
        assert [f.message for f in findings] == [
            f"{_plain(value)} is out of range (expected {found.expected()})"
        ], value
        assert _schema_errors(path), value
    for value in _inside(found):
        path = _file(tmp_path, key, value)
        if key.startswith("weights."):
            continue  # a weight alone changes the sum; its range is what is tested here
        assert load_rules(path).name == "mine"
        assert not [f for f in check_file(path) if "out of range" in f.message]
        assert _schema_errors(path) == [], value


def test_the_issues_four_mistakes_are_four_findings(tmp_path: Path) -> None:
    """tolerance -1, rate_places -2, low_threshold 1.5, over_achievement 0.5: one finding each,
    in the order of the file's lines."""
    path = tmp_path / "b.yaml"
    path.write_text(
        _HEAD + "tolerance: -1\nexecution:\n  rate_places: -2\n  low_threshold: 1.5\n"
        "over_achievement: 0.5\n",
        "utf-8",
    )
    findings = check_file(path)
    assert [(f.path, f.line) for f in findings] == [
        ("tolerance", 4),
        ("execution.rate_places", 6),
        ("execution.low_threshold", 7),
        ("over_achievement", 8),
    ]
    with pytest.raises(RuleSetError, match=r"tolerance: -1 is out of range \(3 more\)"):
        load_rules(path)


@st.composite
def _settings(draw: st.DrawFn) -> tuple[str, Any]:
    key = draw(st.sampled_from(sorted(RANGES)))
    if isinstance(RANGES[key].low, int):
        return key, draw(st.integers(min_value=-20, max_value=1_000_020))
    return key, draw(st.decimals(min_value=-5, max_value=1_000_005, places=2))


@settings(deadline=None, max_examples=200)
@given(_settings())
def test_a_setting_is_accepted_exactly_where_its_range_holds(setting: tuple[str, Any]) -> None:
    """For every ranged setting and any value, the loader's validation accepts it if and only
    if the table's range holds it."""
    from perfscore.ruleset.rulefile import RuleFile

    key, value = setting
    data = {"name": "x", "title": "t", **_SETTING[key](value)}
    try:
        RuleFile.model_validate(data)
        accepted = True
    except ValueError:
        accepted = False
    assert accepted == RANGES[key].holds(value), (key, value)


def test_the_docs_list_every_range() -> None:
    """docs/rules.md's table of ranges is the table's: every setting, its range and meaning."""
    text = (ROOT / "docs" / "rules.md").read_text("utf-8")
    for key, found in RANGES.items():
        assert f"| `{key}` | {found.describe()} | {found.meaning} |" in text, key


def test_a_property_of_an_inherited_formula_is_told_at_the_users_extends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A property finding on a key the file inherits from a shipped set points at the file's
    own `extends:` line, naming the shipped key, never the installed file."""
    from perfscore.ruleset import check

    path = tmp_path / "e.yaml"
    path.write_text(_HEAD, "utf-8")
    monkeypatch.setattr(check, "_properties", lambda rules: iter([("quantitative.higher", "x")]))
    [finding] = check_file(path)
    assert (finding.file, finding.line, finding.path) == (str(path), 3, "extends")
    assert finding.message == "national-2020 quantitative.higher: x"


def test_a_cycle_and_a_file_level_problem_have_a_line(tmp_path: Path) -> None:
    """A cycle of extends is told at the `extends:` closing it; a file that is not text at
    1:1: every finding has FILE:LINE:COLUMN."""
    (tmp_path / "x.yaml").write_text("name: x\ntitle: t\nextends: y.yaml\n", "utf-8")
    (tmp_path / "y.yaml").write_text("name: y\ntitle: t\nextends: x.yaml\n", "utf-8")
    [finding] = check_file(tmp_path / "x.yaml")
    assert (Path(finding.file).name, finding.line, finding.column) == ("y.yaml", 3, 1)
    assert "cycle" in finding.message
    (tmp_path / "z.yaml").write_bytes(b"name: z\n\xff\xfe")
    [finding] = check_file(tmp_path / "z.yaml")
    assert (finding.line, finding.column) == (1, 1)


def test_every_key_that_does_not_compile_is_one_finding(tmp_path: Path) -> None:
    """Two misspelt formulas, a catastrophic pattern and an unknown unit: four findings in line
    order, where the loader stops at the first."""
    path = tmp_path / "four.yaml"
    path.write_text(
        _HEAD + "execution:\n  score: weight * ratee\nquantitative:\n  higher: actual / targt\n"
        "indicator_rules:\n  - {name: a, match: '(a+)+', score: weight}\n"
        "  - {name: b, match: b, unit: 斤斤, score: weight}\n",
        "utf-8",
    )
    findings = check_file(path)
    assert [(f.path, f.line) for f in findings] == [
        ("execution.score", 5),
        ("quantitative.higher", 7),
        ("indicator_rules[a].match", 9),
        ("indicator_rules[b].unit", 10),
    ]
    with pytest.raises(RuleSetError, match="ratee"):
        load_rules(path)


def test_a_name_and_its_file_stay_one_rule_set_past_the_cache(tmp_path: Path) -> None:
    """Regression: once more files were loaded than the cache keeps, a shipped set loaded by
    name and by its file's path were two compiled copies (the name kept an evicted entry)."""
    from perfscore.ruleset.loading import MAX_LOADED, rule_files

    load_rules("national-2020")
    for i in range(MAX_LOADED + 1):
        path = tmp_path / f"r{i}.yaml"
        path.write_text(f"name: r{i}\ntitle: t\n", "utf-8")
        load_rules(path)
    by_name = load_rules("national-2020")
    assert load_rules(shipped_dir() / "national-2020.yaml") is by_name
    child = tmp_path / "child.yaml"
    child.write_text(_HEAD, "utf-8")
    assert len(rule_files(load_rules(child))) == 2
