"""The row pipeline: each cell read once, facts between stages, words written when read."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

import perfscore
from perfscore.engine.row import Row, outcome_of, read_row, rows_memo
from perfscore.form.model import form_from_data
from perfscore.ruleset.loading import load_rules
from perfscore.ruleset.rules import RuleSet
from perfscore.text import normalise as normalise_module
from perfscore.text import values as values_module
from perfscore.text.script import simplify


def _fresh_rules() -> RuleSet:
    """The national rule set with an empty memo: nothing remembered from other tests."""
    shipped = load_rules("national-2020")
    return RuleSet(shipped.spec, shipped.source_file)


def _form(tag: str) -> dict[str, Any]:
    """A form whose every target and actual is a text no other test prints."""
    rows = [
        ("产出指标", "数量指标", "培训人数", f"≥{tag}1人", f"{tag}3人", 20, 20),
        ("产出指标", "质量指标", "合格率", f"≥9{tag}%", f"8{tag}%", 20, 18),
        ("产出指标", "时效指标", "完成时间", "2024年6月底前", "2024年5月", 10, 10),
        ("效益指标", "社会效益指标", "群众知晓度", f"明显提升{tag}", "明显提升", 20, 20),
        ("满意度指标", "服务对象满意度指标", "满意度", f"≥8{tag}%", f"9{tag}.5%", 20, 20),
    ]
    return {
        "project": f"项目{tag}",
        "year": 2024,
        "budget": {"adjusted": 100, "executed": 95, "weight": 10, "score": Decimal("9.5")},
        "indicators": [
            {
                "level1": a,
                "level2": b,
                "name": n,
                "target": t,
                "actual": c,
                "weight": w,
                "score": s,
            }
            for a, b, n, t, c, w, s in rows
        ],
    }


def test_each_cell_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Evaluating a form reads every target and actual once: one parse and one normalisation
    per distinct text, however many stages look at the row."""
    normalised: Counter[str] = Counter()

    def counting(text: str) -> str:
        normalised[text] += 1
        return simplify(text)

    monkeypatch.setattr(normalise_module, "simplify", counting)
    form = form_from_data(_form("7"))
    texts = {t for ind in form.indicators for t in (ind.target, ind.actual) if t}
    before = values_module._cached.cache_info().misses
    perfscore.evaluate(form, _fresh_rules())
    # At most one parse per distinct text (texts another test printed are parsed already).
    assert values_module._cached.cache_info().misses - before <= len(texts)
    assert normalised
    assert max(normalised.values()) == 1


def test_one_memo_serves_both_languages() -> None:
    """Outcomes are facts: the English evaluation of a form takes every row from the memo the
    Chinese one filled, and reads the same in English as a fresh English evaluation."""
    rules = _fresh_rules()
    zh = perfscore.evaluate(_form("3"), rules)
    size = len(rows_memo(rules))
    en = perfscore.evaluate(_form("3"), rules, lang="en")
    assert len(rows_memo(rules)) == size
    fresh = perfscore.evaluate(_form("3"), _fresh_rules(), lang="en")
    assert [f.message for f in en.flags] == [f.message for f in fresh.flags]
    assert [r.trace for r in en.indicators] == [r.trace for r in fresh.indicators]
    # Words on demand, in either language, whatever the evaluation's.
    assert [f.message_in("en") for f in zh.flags] == [f.message for f in en.flags]
    assert [r.trace_in("en") for r in zh.indicators] == [r.trace for r in en.indicators]
    assert [f.message_in("zh") for f in en.flags] == [f.message for f in zh.flags]


def test_a_row_is_worked_out_once_wherever_it_stands() -> None:
    """The same row at another place (another form, another index) is the same memo key and
    gets the same outcome; its flags are placed at its own index."""
    rules = _fresh_rules()
    form = _form("5")
    moved = dict(form, indicators=list(reversed(form["indicators"])))
    first = perfscore.evaluate(form, rules)
    size = len(rows_memo(rules))
    second = perfscore.evaluate(moved, rules)
    assert len(rows_memo(rules)) == size
    last = len(form["indicators"]) - 1
    for r in first.indicators:
        twin = second.indicators[last - r.index]
        assert (twin.status, twin.score, twin.steps) == (r.status, r.score, r.steps)
    moved_codes = sorted((f.code, f.location[1]) for f in second.flags if len(f.location) > 1)
    expected = sorted(
        (f.code, last - f.location[1] if isinstance(f.location[1], int) else f.location[1])
        for f in first.flags
        if len(f.location) > 1
    )
    assert moved_codes == expected


def test_the_row_is_the_key_and_nothing_else() -> None:
    """Two rows that differ in any cell are different keys; the row's place is not part of
    it."""
    form = form_from_data(_form("1"))
    ind = form.indicators[0]
    row = read_row(ind, scored=True, targets_only=False, year=2024)
    assert isinstance(row, Row)
    assert row == read_row(ind, scored=True, targets_only=False, year=2024)
    other = ind.model_copy(update={"actual": "4人"})
    assert row != read_row(other, scored=True, targets_only=False, year=2024)
    assert row != read_row(ind, scored=False, targets_only=False, year=2024)
    # Findings name the row's field, never a path: the engine places them.
    partly = read_row(form.indicators[1], scored=True, targets_only=False, year=2024)
    out = outcome_of(partly, _fresh_rules())
    fields = {"", "target", "actual", "weight", "score", "reason"}
    assert out.findings
    assert all(field in fields for _, field, _, _ in out.findings)


@pytest.mark.parametrize(
    ("weight", "score", "expected"),
    [(10, None, 1), (10, 0, 1), (0, 0, 0), (None, None, 0)],
)
def test_an_empty_row_is_one_finding_or_none(
    weight: int | None, score: int | None, expected: int
) -> None:
    """A row printing neither target nor actual is one missing-value finding, not two; a filler
    row that prints no points either is none."""
    rows = [
        {"name": "培训人数", "target": "≥10人", "actual": "12人", "weight": 90, "score": 90},
        {"name": "宣传次数", "weight": weight, "score": score},
    ]
    result = perfscore.evaluate({"indicators": rows})
    missing = [f for f in result.flags if f.code == "missing-value"]
    assert len(missing) == expected
    assert all(f.location[:2] == ("indicators", 1) for f in missing)


def test_flag_data_is_json_with_every_fact() -> None:
    """A flag's data is a plain dict of texts: JSON-ready, with each English twin beside the
    fact it translates, whatever the evaluation's language."""
    rows = [{"name": "培训人数", "target": "≥10人", "actual": "8人", "weight": 10, "score": 10}]
    for lang in ("zh", "en"):
        result = perfscore.evaluate({"indicators": rows}, lang=lang)
        mismatch = next(f for f in result.flags if f.code == "score-mismatch")
        data = json.loads(json.dumps(mismatch.data))
        assert data["how"].startswith("完成程度")
        assert data["how_en"].startswith("achievement")
        assert data["formula"] == "weight * min(achievement, 1) = 10 × min(0.8, 1) = 8"


def test_a_met_row_scored_short_names_the_comparison_that_met() -> None:
    """A met row whose printed score is short of full marks: the mismatch's formula is the
    comparison that met the target, never blank."""
    rows = [{"name": "覆盖率", "target": "100%", "actual": "100%", "weight": 10, "score": 5}]
    result = perfscore.evaluate({"indicators": rows})
    mismatch = next(f for f in result.flags if f.code == "score-mismatch")
    assert mismatch.data["formula"] == "100% ≥ 100%"
