"""Rule sets: loading, compiling, refusing bad files, inheritance."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import perfscore
from perfscore import RuleSetError, load_rules


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
        ("a: &a [1]\nb: *a\n", "aliases are not allowed", 2),
        ("name: x\ntitle: t\nextends: nowhere\n", "no rule set named 'nowhere'", None),
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


def test_validated_rule_sets_are_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule set validated once is read from the cache next time, without validation; a
    changed file is validated again; a damaged cache file is ignored."""
    from perfscore import rules as rules_module

    monkeypatch.setenv("PERFSCORE_CACHE", str(tmp_path / "cache"))
    path = _write(tmp_path, "name: cached\ntitle: t\nextends: national-2020\ntolerance: 0.02\n")
    first = rules_module._load.__wrapped__(str(path))
    assert list((tmp_path / "cache").glob("rules-*.pickle"))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(rules_module.RuleFile, "model_validate", refuse)
    again = rules_module._load.__wrapped__(str(path))
    assert again.spec == first.spec
    assert again.tolerance == Decimal("0.02")

    path.write_text("name: cached\ntitle: t\nextends: national-2020\ntolerance: 0.030\n", "utf-8")
    with pytest.raises(AssertionError, match="validated again"):
        rules_module._load.__wrapped__(str(path))
    monkeypatch.undo()

    monkeypatch.setenv("PERFSCORE_CACHE", str(tmp_path / "cache"))
    for file in (tmp_path / "cache").glob("rules-*.pickle"):
        file.write_bytes(b"not a pickle")
    path.write_text("name: cached\ntitle: t\nextends: national-2020\ntolerance: 0.02\n", "utf-8")
    assert rules_module._load.__wrapped__(str(path)).tolerance == Decimal("0.02")


def test_cache_entry_for_another_key_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cache files are named by a short checksum; an entry written for a different rule
    file that happens to share the name is not taken for this one."""
    import pickle

    from perfscore import rules as rules_module

    monkeypatch.setenv("PERFSCORE_CACHE", str(tmp_path / "cache"))
    one = _write(tmp_path, "name: one\ntitle: t\nextends: national-2020\ntolerance: 0.02\n")
    rules_module._load.__wrapped__(str(one))
    (stored,) = (tmp_path / "cache").glob("rules-*.pickle")
    other = tmp_path / "other.yaml"
    other.write_text("name: other\ntitle: t\nextends: national-2020\ntolerance: 0.05\n", "utf-8")
    cache = rules_module._cache_file(other)
    assert cache is not None
    # Simulate the collision: the other file's name now holds the first file's entry.
    cache[0].write_bytes(stored.read_bytes())
    assert pickle.loads(stored.read_bytes())[0] != cache[1]
    assert rules_module._load.__wrapped__(str(other)).tolerance == Decimal("0.05")


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PERFSCORE_CACHE=off keeps nothing."""
    from perfscore import rules as rules_module

    monkeypatch.setenv("PERFSCORE_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = _write(tmp_path, "name: uncached\ntitle: t\nextends: national-2020\n")
    rules_module._load.__wrapped__(str(path))
    assert not list(tmp_path.rglob("*.pickle"))
