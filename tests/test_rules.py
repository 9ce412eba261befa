"""Rule sets: loading, compiling, refusing bad files, inheritance."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import perfscore
from perfscore import RuleSet, RuleSetError, load_rules
from perfscore.ruleset.rulefile import FormulaOf, RuleFile, compiled_keys


def test_default_rule_set() -> None:
    """national-2020: 50/30/10 + 10, half-up to 2 places, compiled formulas."""
    rules = load_rules()
    assert rules.name == "national-2020"
    assert rules.weights.level1 == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert rules.weights.execution == 10
    assert rules.round(Decimal("9.685")) == Decimal("9.69")  # half-up, not banker's
    assert rules.round(Decimal("4.905")) == Decimal("4.91")
    assert rules.execution_score(weight=Decimal(10), rate=Decimal("0.8619")) == Decimal("8.619")
    assert load_rules("national-2020") is rules
    assert "national-2020" in perfscore.list_rules()


def test_unknown_rule_set_suggests() -> None:
    """A misspelt rule-set name gets a did-you-mean."""
    with pytest.raises(RuleSetError, match="national-2020"):
        load_rules("national-2002")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "r.yaml"
    path.write_text(text, "utf-8")
    return path


def test_extends_states_only_differences(tmp_path: Path) -> None:
    """A locality file extends national-2020 and changes the execution weight."""
    path = _write(
        tmp_path,
        "name: local\ntitle: t\nextends: national-2020\n"
        "weights:\n  execution: 20\n  level1: {产出指标: 40, 效益指标: 30, 满意度指标: 10}\n",
    )
    rules = load_rules(path)
    assert rules.weights.execution == 20
    assert rules.spec.rounding.places == 2


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("name: x\ntitle: t\nexecution:\n  scroe: weight\n", "did you mean 'score'", 4),
        ("name: x\ntitle: t\nexecution:\n  score: weight * ratee\n", "did you mean 'rate'", None),
        ("name: x\ntitle: t\nexecution:\n  score: weight.__class__\n", "not allowed", None),
        ("name: x\ntitle: t\nexecution:\n  score: 9**9**9\n", "not allowed", None),
        ("name: x\ntitle: t\nexecution:\n  score: open('x')\n", "may be called", None),
        ("name: x\ntitle: t\nweights:\n  level1: {a: 50, b: 30}\n", "add up to 90", None),
        ("a: &a [1]\nb: *a\n", "aliases (*a) are not allowed", 2),
        ("name: x\ntitle: t\nextends: nowhere\n", "no shipped rule set named 'nowhere'", None),
        (
            "name: x\ntitle: t\ntests:\n  - name: c\n    form: {}\n"
            "    expect: {no_flags: [level1-weights]}\n",
            "unknown flag code 'level1-weights'",
            6,
        ),
        ("name: x\ntitle: t\nseverity: {score-mismach: info}\n", "score-mismatch", 3),
    ],
)
def test_bad_rule_files_are_refused(
    tmp_path: Path, text: str, message: str, line: int | None
) -> None:
    """Misspelt keys, undeclared names, attribute access, powers, calls, weights, aliases."""
    with pytest.raises(RuleSetError) as info:
        load_rules(_write(tmp_path, text))
    assert message in str(info.value)
    if line is not None:
        assert info.value.line == line


def test_extends_cycle(tmp_path: Path) -> None:
    """Rule sets extending each other in a cycle are refused."""
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(f"name: a\ntitle: a\nextends: {b}\n", "utf-8")
    b.write_text(f"name: b\ntitle: b\nextends: {a}\n", "utf-8")
    with pytest.raises(RuleSetError, match="cycle"):
        load_rules(a)


def test_severity_override(tmp_path: Path) -> None:
    """A rule set can lower a flag's severity."""
    path = _write(
        tmp_path, "name: x\ntitle: t\nextends: national-2020\nseverity: {score-mismatch: warning}\n"
    )
    result = perfscore.evaluate(
        {
            "indicators": [
                {"name": "a", "target": "≥1件", "actual": "1件", "weight": 90, "score": 80}
            ]
        },
        rules=path,
    )
    assert [f.severity for f in result.flags if f.code == "score-mismatch"] == ["warning"]
    assert result.ok


def test_not_applicable_rescale(tmp_path: Path) -> None:
    """not_applicable: rescale scores the applicable indicators up to 100."""
    path = _write(tmp_path, "name: x\ntitle: t\nextends: national-2020\nnot_applicable: rescale\n")
    result = perfscore.evaluate(
        {
            "budget": {"adjusted": 100, "executed": 100},
            "indicators": [
                {"name": "a", "target": "≥10件", "actual": "5件", "weight": 40},
                {"name": "b", "target": "不适用", "actual": "不适用", "weight": 50},
            ],
        },
        rules=path,
    )
    # (10 + 20) scored of the 50 applicable points → 60 of 100.
    assert result.total == Decimal("60.00")


def test_loaded_rule_set_is_shared_until_the_file_changes(tmp_path: Path) -> None:
    """The same file gives the same compiled object; an edited file is read again."""
    path = _write(tmp_path, "name: edited\ntitle: t\nextends: national-2020\ntolerance: 0.02\n")
    first = load_rules(path)
    assert load_rules(str(path)) is first
    path.write_text("name: edited\ntitle: t\nextends: national-2020\ntolerance: 0.5\n", "utf-8")
    assert load_rules(path).tolerance == Decimal("0.5")


def test_no_rule_set_is_kept_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading writes nothing anywhere: there is no disk cache to trust or to poison."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    load_rules(_write(tmp_path, "name: nocache\ntitle: t\nextends: national-2020\n"))
    assert not (tmp_path / "cache").exists()
    assert not (tmp_path / "home").exists()


def _formula_keys() -> list[str]:
    """Every formula key of a rule file outside the indicator rules."""
    spec = load_rules().spec
    return [key for key, mark, _ in compiled_keys(spec) if isinstance(mark, FormulaOf)]


@pytest.mark.parametrize("key", _formula_keys())
def test_every_formula_key_is_compiled_at_load(tmp_path: Path, key: str) -> None:
    """A bad formula under any formula key is refused when the file is loaded, at its line."""
    section, name = key.split(".")
    path = _write(tmp_path, f"name: x\ntitle: t\n{section}:\n  {name}: 'weight +'\n")
    with pytest.raises(RuleSetError) as info:
        load_rules(path)
    assert (info.value.path, info.value.line) == (key, 4)


def test_rule_set_built_from_a_rule_file() -> None:
    """A RuleSet is its validated file, compiled: built from a RuleFile without any file, it
    scores with its formulas and reads plain settings from its spec."""
    spec = RuleFile.model_validate(
        {"name": "inline", "title": "t", "quantitative": {"higher": "min(actual / target, 1)"}}
    )
    rules = RuleSet(spec)
    assert rules.source_file is None
    assert rules.formula("quantitative.higher") is rules.higher
    assert rules.higher(actual=Decimal(3), target=Decimal(4)) == Decimal("0.75")
    assert rules.pattern("direction_hints.lower") is None
    assert rules.tolerance == spec.tolerance == Decimal("0.01")
    assert rules == RuleSet(spec)  # equal files make equal rule sets


def test_relative_path_follows_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same relative path in two working folders loads two files: only a shipped name's
    file is remembered."""
    for folder, tolerance in (("a", "0.2"), ("b", "0.3")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "mine.yaml").write_text(
            f"name: {folder}\ntitle: t\ntolerance: {tolerance}\n", "utf-8"
        )
    monkeypatch.chdir(tmp_path / "a")
    assert load_rules("mine.yaml").tolerance == Decimal("0.2")
    monkeypatch.chdir(tmp_path / "b")
    assert load_rules("mine.yaml").tolerance == Decimal("0.3")
    assert load_rules(Path("mine.yaml")).name == "b"
