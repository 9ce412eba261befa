"""Rule files and arguments that cannot work are refused when loaded, never while scoring."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

import perfscore
from perfscore.errors import RuleSetError
from perfscore.ruleset.loading import MAX_EXTENDS
from perfscore.ruleset.patterns import nested_repeat
from perfscore.ruleset.rules import load_rules
from tests.conftest import EXAMPLES

NOTARY = EXAMPLES / "luohu-2024-notary-lawyers.yaml"


def _rule(tmp_path: Path, body: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(f"name: r\ntitle: t\nextends: national-2020\n{body}\n", "utf-8")
    return path


@pytest.mark.parametrize(
    "definition",
    [
        "箩 = -50 kilogram",
        "箩 = 0 kilogram",
        "箩 = 1e-320 kilogram",
        "箩 = 1e308 * 1e308 kilogram",
        "箩 = 10 ** 100000 kilogram",
    ],
)
def test_unit_factors_that_are_no_size_are_refused(tmp_path: Path, definition: str) -> None:
    """A unit of the rule set's own must be a positive, finite, sensible size."""
    with pytest.raises(RuleSetError, match="positive size") as info:
        load_rules(_rule(tmp_path, f'units: ["{definition}"]'))
    assert info.value.path == "units"


def test_a_sensible_unit_factor_loads(tmp_path: Path) -> None:
    """50 kilograms to the 担 is a unit."""
    assert load_rules(_rule(tmp_path, 'units: ["箩 = 50 kilogram"]')).local_units


@pytest.mark.parametrize("pattern", ["(a+)+$", "(\\\\w*)*x", "(?:x{2,})+", "((ab)c+)*"])
def test_patterns_that_backtrack_exponentially_are_refused(tmp_path: Path, pattern: str) -> None:
    """A repeated group repeating inside (``(a+)+``) is refused at its line."""
    start = time.perf_counter()
    with pytest.raises(RuleSetError, match="exponential") as info:
        load_rules(_rule(tmp_path, f'direction_hints:\n  lower: ["{pattern}"]'))
    assert info.value.line == 5
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("pattern", ["(ab)+", "a+b*", "(降低|减少)+率", "[(a+)]+", "(x{1})+"])
def test_linear_patterns_are_accepted(pattern: str) -> None:
    """Repeats side by side, a repeated group without a repeat inside, a class: accepted."""
    assert nested_repeat(pattern) is None


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("tolerance: 1e21", "tolerance"),
        ("tolerance: -0.5", "tolerance"),
        ("qualitative:\n  words: {full: -5}", "qualitative.words.full"),
        ("qualitative:\n  words: {basic: 1.5}", "qualitative.words.basic"),
        ("over_achievement: 0", "over_achievement"),
        ("over_achievement: 1", "over_achievement"),
    ],
)
def test_settings_outside_their_meaning_are_refused(tmp_path: Path, body: str, key: str) -> None:
    """Settings a rule set cannot mean are refused naming the key."""
    with pytest.raises(RuleSetError) as info:
        load_rules(_rule(tmp_path, body))
    assert info.value.path == key


@pytest.mark.parametrize("number", ["0x1", "0b1", "0o1"])
def test_formula_numbers_in_other_bases_are_refused(tmp_path: Path, number: str) -> None:
    """``0x1`` in a formula is a RuleSetError naming the key, not decimal.InvalidOperation."""
    body = f"quantitative:\n  score: weight * min(achievement, {number})"
    with pytest.raises(RuleSetError, match="decimal number") as info:
        load_rules(_rule(tmp_path, body))
    assert info.value.path == "quantitative.score"


def test_a_long_extends_chain_is_refused(tmp_path: Path) -> None:
    """A chain of 1,000 files extending each other is refused, not a RecursionError."""
    for i in range(1000):
        parent = f"extends: c{i + 1}.yaml" if i < 999 else "extends: national-2020"
        (tmp_path / f"c{i}.yaml").write_text(f"name: c{i}\ntitle: t\n{parent}\n", "utf-8")
    with pytest.raises(RuleSetError, match=f"more than {MAX_EXTENDS}"):
        load_rules(tmp_path / "c0.yaml")


def test_a_very_long_rule_name_is_an_unknown_name() -> None:
    """``--rules`` with a 300-character name is no shipped name, not ENAMETOOLONG."""
    with pytest.raises(RuleSetError, match="no shipped rule set"):
        load_rules("a" * 300)


@pytest.mark.parametrize("rules", [42, None, 1.5, ["national-2020"]])
def test_rules_of_another_type_are_a_type_error(rules: object) -> None:
    """``evaluate(form, rules=42)`` names what is accepted."""
    with pytest.raises(TypeError, match="rule-set name, a path to a rule file or a RuleSet"):
        perfscore.evaluate(NOTARY, rules=rules)  # type: ignore[arg-type]


def test_a_signal_handler_may_load_rules_while_rules_load(tmp_path: Path) -> None:
    """A handler scoring a form while this thread holds the loader's lock goes on."""
    path = _rule(tmp_path, "tolerance: 0.02")
    other = _rule(tmp_path, "tolerance: 0.03", "other.yaml")
    done: list[object] = []

    def handler(signum: int, frame: object) -> None:
        done.append(perfscore.evaluate(NOTARY, rules=other).total)

    from perfscore.ruleset import loading

    previous = signal.signal(signal.SIGALRM, handler)
    try:
        with loading._LOADED._lock:  # held as reading a file holds it
            signal.raise_signal(signal.SIGALRM)
            load_rules(path)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert done
