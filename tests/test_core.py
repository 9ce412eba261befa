"""The core under pressure: threads, rule files from unexpected places, formulas that fail
while scoring, caches that must stay bounded and truthful."""

from __future__ import annotations

import ast
import json
import os
import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfscore
from perfscore.errors import RuleSetError
from perfscore.rules import load_rules
from tests.conftest import EXAMPLES

NOTARY = EXAMPLES / "luohu-2024-notary-lawyers.yaml"


def _forms(count: int, seed: int) -> list[dict[str, Any]]:
    """Forms whose rows repeat nothing: distinct names, random ≥/≤ counts, random actuals."""
    rng = random.Random(seed)
    forms = []
    for n in range(count):
        indicators = []
        for i in range(8):
            op = rng.choice("≥≤")
            target = rng.randint(1, 500)
            indicators.append(
                {
                    "level1": "产出指标",
                    "level2": "数量指标",
                    "name": f"指标{n}-{i}",
                    "target": f"{op}{target}人",
                    "actual": f"{rng.randint(0, 600)}人",
                    "weight": rng.choice([2, 5, 10]),
                }
            )
        forms.append({"project": f"p{n}", "indicators": indicators})
    return forms


_SINGLE = """
import json, sys
import perfscore
from tests.test_core import _forms
forms = _forms(int(sys.argv[1]), int(sys.argv[2]))
print(json.dumps([str(perfscore.evaluate(f).total) for f in forms]))
"""


def test_threads_score_as_one_fresh_process() -> None:
    """8 threads with a tiny switch interval give every form the total a fresh single-threaded
    process gives it (a shared formula evaluator once mixed up their inputs)."""
    count, seed = 300, 7
    root = Path(__file__).resolve().parents[1]
    expected = json.loads(
        subprocess.run(
            [sys.executable, "-c", _SINGLE, str(count), str(seed)],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
        ).stdout
    )
    forms = _forms(count, seed)
    rules = load_rules()
    got: list[str | None] = [None] * count
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:

        def work(start: int) -> None:
            for i in range(start, count, 8):
                got[i] = str(perfscore.evaluate(forms[i], rules).total)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert got == expected


def test_memo_stays_bounded_over_distinct_names() -> None:
    """Rows with names never seen before do not grow the rule set's memo without limit."""
    from perfscore import memo

    rules = load_rules(Path(__file__).resolve().parents[1] / "rules" / "national-2020.yaml")
    limit = memo.DEFAULT_LIMIT
    for form in _forms(3 * limit // 8 + 50, 1):
        perfscore.evaluate(form, rules)
    # Each table holds at most its limit; a handful of tables exist.
    assert rules.memo.size() <= 8 * limit


def test_host_decimal_context_does_not_change_scores() -> None:
    """A host program's low precision and traps are its own business."""
    import decimal

    expected = perfscore.evaluate(NOTARY).total
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        assert perfscore.evaluate(NOTARY).total == expected == Decimal("93.69")


# --------------------------------------------------------------------------------------------
# Rule files: names, paths, extends


@pytest.fixture
def elsewhere(tmp_path: Path) -> Iterator[Path]:
    """The working directory moved to an empty temporary folder."""
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


def test_working_directory_cannot_replace_a_shipped_rule_set(elsewhere: Path) -> None:
    """A file called national-2020 (or national-2020.yaml) here changes nothing."""
    hostile = "name: national-2020\ntitle: t\nexecution: {score: 'weight * 0'}\n"
    (elsewhere / "national-2020").write_text(hostile, "utf-8")
    (elsewhere / "national-2020.yaml").write_text(hostile, "utf-8")
    assert perfscore.evaluate(NOTARY).total == Decimal("93.69")
    assert perfscore.evaluate(NOTARY, "national-2020").total == Decimal("93.69")
    assert load_rules("national-2020").source_file != str(elsewhere / "national-2020.yaml")


def test_explicit_relative_path_reads_the_working_directory(elsewhere: Path) -> None:
    (elsewhere / "mine.yaml").write_text(
        "name: mine\ntitle: t\nextends: national-2020\ntolerance: 0.5\n", "utf-8"
    )
    assert load_rules("./mine.yaml").tolerance == Decimal("0.5")
    assert load_rules("mine.yaml").tolerance == Decimal("0.5")
    with pytest.raises(RuleSetError, match="no shipped rule set named 'mine'"):
        load_rules("mine")


@pytest.mark.parametrize(
    ("parent", "message"),
    [
        ("/etc/passwd", "outside the rule file's folder"),
        ("../outside.yaml", "outside the rule file's folder"),
        ("/dev/zero", "outside the rule file's folder"),
        ("passwd", "no shipped rule set named 'passwd'"),
    ],
)
def test_extends_only_shipped_names_or_files_beside(
    tmp_path: Path, parent: str, message: str
) -> None:
    (tmp_path / "outside.yaml").write_text("name: o\ntitle: t\n", "utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    rule = inner / "r.yaml"
    rule.write_text(f"name: r\ntitle: t\nextends: {parent}\n", "utf-8")
    with pytest.raises(RuleSetError) as info:
        load_rules(rule)
    text = str(info.value)
    assert message in text
    assert "root:" not in text  # nothing of the named file is echoed
    assert info.value.line == 3


def test_extends_a_file_beside(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        "name: base\ntitle: t\nextends: national-2020\ntolerance: 0.3\n", "utf-8"
    )
    rule = tmp_path / "r.yaml"
    rule.write_text("name: r\ntitle: t\nextends: base.yaml\n", "utf-8")
    assert load_rules(rule).tolerance == Decimal("0.3")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this platform")
def test_only_regular_files_are_read_as_rules() -> None:
    with pytest.raises(RuleSetError, match="not a regular file"):
        load_rules(Path("/dev/zero"))


def test_oversized_rule_file_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("name: big\ntitle: t\n" + "# padding\n" * 40_000, "utf-8")
    with pytest.raises(RuleSetError, match="more than the 262,144 accepted"):
        load_rules(big)


# --------------------------------------------------------------------------------------------
# Formulas


def _rule(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "r.yaml"
    path.write_text("name: r\ntitle: t\nextends: national-2020\n" + body, "utf-8")
    return path


def test_formula_failing_while_scoring_is_a_flag_on_the_row(tmp_path: Path) -> None:
    """`target / actual` for a ≥ target completed 0: the row is flagged with the rule file's
    line, not scored, and the rest of the form is."""
    rules = _rule(tmp_path, "quantitative:\n  higher: target / actual\n")
    result = perfscore.evaluate(
        {
            "indicators": [
                {"name": "培训人数", "target": "≥10人", "actual": "0人", "weight": 50},
                {"name": "覆盖率", "target": "≥90%", "actual": "95%", "weight": 50},
            ]
        },
        rules,
    )
    (failed,) = [f for f in result.flags if f.code == "formula-failed"]
    assert failed.path == "indicators[0]"
    assert failed.severity == "error"
    assert "target / actual" in failed.message
    assert f"{rules}:5 quantitative.higher" in failed.message
    assert result.indicators[0].status == "not_judged"
    assert result.indicators[1].score == Decimal("50.00")


def test_failing_indicator_rule_flags_the_row(tmp_path: Path) -> None:
    rules = _rule(
        tmp_path,
        "indicator_rules:\n"
        "  - name: per-head\n"
        "    match: 人均\n"
        "    unit: 小时\n"
        "    score: weight * target / (actual - 3)\n",
    )
    result = perfscore.evaluate(
        {
            "budget": {"adjusted": 100, "executed": 100},
            "indicators": [
                {"name": "人均时长", "target": "≥3小时", "actual": "3小时", "weight": 90}
            ],
        },
        rules,
    )
    assert [f.code for f in result.flags if f.severity == "error"] == ["formula-failed"]
    assert result.indicators[0].score is None


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("rounding:\n  places: 30\n", "less than or equal to 6", 5),
        ("rounding:\n  places: -1\n", "greater than or equal to 0", 5),
        ("execution:\n  score: weight / (rate - 1)\n", "fails at", 5),
        ("qualitative:\n  score: weight / (completion - completion)\n", "fails at", 5),
    ],
)
def test_settings_that_cannot_work_are_refused(
    tmp_path: Path, body: str, message: str, line: int
) -> None:
    with pytest.raises(RuleSetError) as info:
        load_rules(_rule(tmp_path, body))
    assert message in str(info.value)
    assert info.value.line == line


def test_rules_check_reports_unworkable_settings(tmp_path: Path) -> None:
    path = _rule(tmp_path, "rounding:\n  places: 30\n")
    done = subprocess.run(
        [sys.executable, "-m", "perfscore", "rules", "check", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert f"{path}:5" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_formulas_agree_with_simpleeval() -> None:
    """The compiled evaluator computes what simpleeval computes for the same expression."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from simpleeval import SimpleEval

    from perfscore.expressions import FUNCTIONS, Formula

    texts = [
        "weight * min(achievement, 1)",
        "actual / target",
        "min(actual, target) / max(actual, target)",
        "weight if rate >= 1 else weight * rate",
        "max(0, 1 - abs(actual - target) / target) * weight",
        "floor(actual * 10) / 10 + ceil(target)",
        "weight * (0.5 if actual > target and target > 0 else 1)",
    ]
    names = frozenset({"weight", "achievement", "actual", "target", "rate"})
    compiled = [Formula.compile(t, names, "test") for t in texts]
    decimals = st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2)

    @settings(max_examples=200)
    @given(st.fixed_dictionaries({n: decimals for n in sorted(names)}))
    def agree(values: dict[str, Decimal]) -> None:
        reference = SimpleEval(functions=dict(FUNCTIONS), names=values)
        for text, formula in zip(texts, compiled, strict=True):
            ours = formula(**{n: values[n] for n in formula.names})
            # The same tree for simpleeval, with its literals as exact Decimals too.
            tree = ast.parse(text, mode="eval")
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant):
                    node.value = Decimal(str(node.value))  # type: ignore[assignment]
            theirs = reference.eval(text, previously_parsed=tree.body)
            assert ours == Decimal(theirs), text

    agree()


def test_reports_ignore_the_host_decimal_context() -> None:
    """Every output of a result, and the roll-up, print the same under a host context with
    three digits and every signal trapped."""
    import decimal

    from perfscore import report
    from perfscore.rollup import aggregate

    forms = [NOTARY, EXAMPLES / "luohu-2024-social-workers.yaml"]

    def outputs() -> list[str]:
        results = [perfscore.evaluate(f) for f in forms]
        rollup = aggregate(results)
        texts = [report.to_json(results), json.dumps(rollup.to_dict(), ensure_ascii=False)]
        for r in results:
            texts += [report.to_table(r), report.to_markdown(r), report.to_table(r, "en")]
            texts.append(json.dumps(r.to_dict(), ensure_ascii=False))
        return texts

    expected = outputs()
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        for signal in (decimal.Rounded, decimal.Inexact, decimal.InvalidOperation):
            ctx.traps[signal] = True
        assert outputs() == expected
