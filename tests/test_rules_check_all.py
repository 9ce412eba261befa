"""`perfscore rules check` reports every mistake of a file at once: each key the model refuses,
in the project's words at its own line, and what compiling and adding up the rest finds."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from perfscore.ruleset.check import Finding, check_file
from perfscore.ruleset.rulefile import IndicatorRule
from perfscore.text.operators import BY_DIRECTION, DIRECTIONS

#: Lines of a file and the findings expected: (line, key, words the message holds).
CASES = {
    "missing title with other mistakes": (
        "name: a\nextends: national-2020\nweights:\n  execution: 20\ntolerance: -1\n",
        [
            (1, "title", "required key missing"),
            (4, "weights.execution", "add up to 110, not 100"),
            (5, "tolerance", "-1 is out of range"),
        ],
    ),
    "three mistakes in one indicator rule": (
        "name: b\ntitle: B\nextends: national-2020\nindicator_rules:\n  - name: r1\n"
        '    match: "满意(度"\n    direction: upward\n    score: flor(weight)\n',
        [
            (6, "indicator_rules[r1].match", "invalid pattern"),
            (7, "indicator_rules[r1].direction", "'upward' is not one of the allowed values"),
            (8, "indicator_rules[r1].score", "'flor(weight)'"),
        ],
    ),
    "a rule taken out keeps the next one's lines": (
        "name: c\ntitle: C\nindicator_rules:\n  - name: r0\n    score: weight\n"
        '  - name: r1\n    match: "a"\n    score: wieght\n'
        "rounding: {mode: halfup}\n",
        [
            (4, "indicator_rules[r0].match", "required key missing"),
            (8, "indicator_rules[r1].score", "did you mean 'weight'?"),
            (9, "rounding.mode", "did you mean 'half_up'?"),
        ],
    ),
    "a refused key hides no misbehaving formula": (
        "name: d\ntitle: D\ntolerance: 5\nexecution:\n  score: weight * rate * 2\n",
        [
            (3, "tolerance", "5 is out of range"),
            (5, "execution.score", "scores leave [0, 1]"),
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_mistake_is_found_at_once(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: the first refused key hid the rest, a missing key was blamed on `extends:`
    with the parent's path, and refusals came in the validator's own words."""
    monkeypatch.chdir(tmp_path)
    content, expected = CASES[case]
    Path("r.yaml").write_text(content, "utf-8")
    findings = check_file("r.yaml")
    assert [(f.line, f.path) for f in findings] == [(line, key) for line, key, _ in expected]
    for finding, (_, _, words) in zip(findings, expected, strict=True):
        assert isinstance(finding, Finding)
        assert finding.file == "r.yaml"
        assert words in finding.message
        assert "reached through extends" not in finding.message


def test_direction_values_come_from_the_one_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model, the scoring and the message all read `Direction`: a misspelt direction is
    told the allowed values and the closest of them."""
    monkeypatch.chdir(tmp_path)
    allowed = get_args(get_args(IndicatorRule.model_fields["direction"].annotation)[0])
    assert allowed == DIRECTIONS == tuple(BY_DIRECTION)
    Path("r.yaml").write_text(
        "name: d\ntitle: D\nindicator_rules:\n  - {name: r, match: a, direction: lowr, "
        "score: weight}\n",
        "utf-8",
    )
    (finding,) = check_file("r.yaml")
    assert finding.message.endswith(f"did you mean 'lower'? (expected {', '.join(DIRECTIONS)})")
