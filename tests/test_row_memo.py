"""The rule set's memo of rows: a row seen once kept as atoms the garbage collector never
walks, and a remembered row scored exactly as a row worked out afresh."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

import perfscore
from perfscore.engine import row as row_module
from perfscore.engine.results import EvaluationResult
from perfscore.engine.row import RowOutcome, rows_memo
from perfscore.readers import load_form
from perfscore.ruleset.loading import load_rules
from perfscore.ruleset.rules import RuleSet

FORMS = sorted((Path(__file__).parent / "data" / "forms").glob("*.yaml"))


def _fresh_rules() -> RuleSet:
    shipped = load_rules("national-2020")
    return RuleSet(shipped.spec, shipped.source_file)


def _atoms_only(item: Any) -> bool:
    """True for texts, numbers and exact tuples of them: nothing the collector must visit
    once it has seen it."""
    if type(item) is tuple:
        return all(_atoms_only(part) for part in item)
    return not gc.is_tracked(item) and not isinstance(item, tuple)


def _facts(result: EvaluationResult) -> list[Any]:
    rows = [
        (r.target, r.actual, r.status, r.achievement, r.score, r.direction, r.steps, r.compared)
        for r in result.indicators
    ]
    flags = [(f.code, f.location, f.severity, f.message) for f in result.flags]
    return [rows, flags, result.total, [r.trace for r in result.indicators]]


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.stem)
def test_a_remembered_row_is_scored_as_a_fresh_one(path: Path) -> None:
    """Every form scored twice with one rule set (the second time from the memo) is scored as
    with a new rule set, in both languages."""
    form = load_form(path)
    rules = _fresh_rules()
    first = perfscore.evaluate(form, rules)
    again = perfscore.evaluate(form, rules)
    english = perfscore.evaluate(form, rules, lang="en")
    assert _facts(again) == _facts(first)
    assert _facts(english) == _facts(perfscore.evaluate(form, _fresh_rules(), lang="en"))


def test_a_row_seen_once_is_kept_as_atoms(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the rows kept whole, what the memo keeps for a row seen once — its key and a
    mark — holds no object the collector tracks: rows never seen again cost the collector
    nothing.  Seen again, the row keeps its outcome."""
    monkeypatch.setattr(row_module, "KEEP_WHOLE", 0)
    rules = _fresh_rules()
    forms = [load_form(path) for path in FORMS]
    for form in forms:
        perfscore.evaluate(form, rules)
    table = rows_memo(rules)
    kept = list(table._data.items())
    assert kept
    for key, mark in kept:
        assert _atoms_only(key), key
        # A row the data repeats is seen twice already, and keeps its outcome.
        assert isinstance(mark, RowOutcome) or _atoms_only(mark), mark
    assert sum(not isinstance(mark, RowOutcome) for _, mark in kept) > len(kept) / 2
    for form in forms:
        perfscore.evaluate(form, rules)
    assert len(table) == len(kept)
    assert all(isinstance(outcome, RowOutcome) for outcome in table._data.values())


def test_texts_too_long_to_cache_are_kept_with_their_row() -> None:
    """A cell longer than the value cache holds is kept as read, not read again."""
    long_target = "≥90%，" + "说明" * 200
    form = {
        "project": "长文本",
        "year": 2024,
        "indicators": [
            {
                "level1": "产出指标",
                "level2": "质量指标",
                "name": "合格率",
                "target": long_target,
                "actual": "95%",
                "weight": 10,
                "score": 10,
            }
        ],
    }
    rules = _fresh_rules()
    first = perfscore.evaluate(form, rules)
    again = perfscore.evaluate(form, rules)
    assert _facts(again) == _facts(first)


def test_a_small_batch_is_kept_whole_the_first_time() -> None:
    """Until the memo holds KEEP_WHOLE rows, a row's outcome is kept the first time: a
    hundred forms scored again are all hits, none worked out twice."""
    rules = _fresh_rules()
    for path in FORMS:
        perfscore.evaluate(load_form(path), rules)
    table = rows_memo(rules)
    assert 0 < len(table) < row_module.KEEP_WHOLE
    assert all(isinstance(outcome, RowOutcome) for outcome in table._data.values())
