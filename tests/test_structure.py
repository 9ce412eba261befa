"""Reading a form's layout against the rule set's template (perfscore.engine.structure), and the
budget and block arithmetic that depends on it."""

from __future__ import annotations

import copy
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from perfscore.engine.structure import has_execution_row, label_key, place
from perfscore.ruleset.rules import load_rules
from tests.conftest import EXAMPLES

CORPUS = Path(__file__).resolve().parent / "corpus"

NATIONAL = load_rules("national-2020")
BASE: dict[str, Any] = yaml.safe_load(
    (EXAMPLES / "luohu-2024-social-workers.yaml").read_text(encoding="utf-8")
)

# Printed label → the key it is compared by.
LABELS = [
    ("产出指标", "产出"),
    ("产出指标 (50分)", "产出"),
    ("产出指标（50分）", "产出"),
    ("產出指標", "产出"),
    ("一、产出指标", "产出"),
    ("（一）产出指标", "产出"),
    ("1.数量指标", "数量"),
    ("服务对象满意度指标等", "服务对象满意度"),
    ("满 意 度 指 标", "满意度"),
    ("效益指标：", "效益"),
    ("成本类指标", "成本"),
    ("12345热线", "12345热线"),
    (None, ""),
    ("", ""),
]


@pytest.mark.parametrize(("label", "key"), LABELS)
def test_label_key(label: str | None, key: str) -> None:
    """Script, spaces, numbering, points and the suffixes 等/类/指标 are set aside."""
    assert label_key(label) == key


_NAMES = [*NATIONAL.spec.structure.level1, *NATIONAL.spec.structure.required]
_TRADITIONAL = str.maketrans("产标质时满务对态经济会础", "產標質時滿務對態經濟會礎")


@given(
    name=st.sampled_from(_NAMES),
    numbering=st.sampled_from(["", "一、", "（二）", "3."]),
    points=st.sampled_from(["", "(50分)", "（30分）", " (10 分)"]),
    suffix=st.sampled_from(["", "等"]),
    traditional=st.booleans(),
    spaces=st.lists(st.integers(min_value=0, max_value=8), max_size=3),
)
def test_every_spelling_of_a_template_label_reads_as_it(
    name: str, numbering: str, points: str, suffix: str, traditional: bool, spaces: list[int]
) -> None:
    """However a person prints a block or group of the template, it is the same label."""
    printed = name + suffix
    for at in spaces:
        cut = min(at, len(printed))
        printed = printed[:cut] + " " + printed[cut:]
    if traditional:
        printed = printed.translate(_TRADITIONAL)
    printed = numbering + printed + points
    assert label_key(printed) == label_key(name)


@pytest.mark.parametrize(
    ("level1", "level2", "block", "group", "home"),
    [
        ("产出指标", "进度指标", "产出指标", "时效指标", "产出指标"),
        ("效益指标", "服务对象满意度指标等", "效益指标", "服务对象满意度指标", "满意度指标"),
        ("效益指标", "成本指标", "效益指标", "成本指标", "产出指标"),
        ("滿意度指標", "服務對象滿意度指標", "满意度指标", "服务对象满意度指标", "满意度指标"),
        ("社会公众或服务对象满意度指标", None, "满意度指标", None, "满意度指标"),
        ("产出指标(60分)", "项目管理", "产出指标", None, "产出指标"),
    ],
)
def test_place(level1: str, level2: str | None, block: str, group: str | None, home: str) -> None:
    """Where a row stands and where it counts, through synonyms and placements."""
    where = place(level1, level2, NATIONAL)
    assert (where.block, where.group, where.home) == (block, group, home)


def _structure(form: dict[str, Any]) -> list[perfscore.words.flags.Flag]:
    return [f for f in perfscore.evaluate(form).flags if f.code == "structure"]


def test_older_template_satisfaction_under_benefit_is_a_note() -> None:
    """满意度 under 效益指标 (before 2020) counts as 满意度: the 50/30/10 convention holds and
    the note says how the row was read."""
    form = copy.deepcopy(BASE)
    for ind in form["indicators"]:
        if ind["level1"] == "满意度指标":
            ind["level1"] = "效益指标"
    del form["blocks"]
    notes = _structure(form)
    assert [n.severity for n in notes] == ["info"]
    assert "旧表式" in notes[0].message
    assert "一级指标分值" not in notes[0].message


def test_absent_block_is_a_warning() -> None:
    """No row under 效益指标 at all: the one structure finding is a warning."""
    form = copy.deepcopy(BASE)
    form["indicators"] = [i for i in form["indicators"] if i["level1"] != "效益指标"]
    notes = _structure(form)
    assert [n.severity for n in notes] == ["warning"]
    assert "缺少一级指标“效益指标”" in notes[0].message


def test_one_structure_finding_however_many_differences() -> None:
    """A renamed group, a misplaced group and a missing group: still one finding."""
    form = copy.deepcopy(BASE)
    form["indicators"][2]["level2"] = "进度指标"
    form["indicators"][3]["level1"] = "效益指标"
    del form["indicators"][1]  # 质量指标
    notes = _structure(form)
    assert len(notes) == 1
    for part in ("进度指标", "成本指标", "缺少二级指标“质量指标”"):
        assert part in notes[0].message


def test_seed_003_layout_reads_clean() -> None:
    """Seed 003 form 1 follows the national template: no structure finding at all."""
    assert _structure(copy.deepcopy(BASE)) == []


# --- budget ------------------------------------------------------------------------------


def _rate_flags(adjusted: int, executed: int, printed: str) -> list[str]:
    form = {
        "budget": {"adjusted": adjusted, "executed": executed, "rate": printed, "reason": "说明"},
    }
    return [f.code for f in perfscore.evaluate(form).flags if f.code == "execution-rate-mismatch"]


@given(
    adjusted=st.integers(min_value=1_000, max_value=10**9),
    share=st.integers(min_value=100, max_value=10_000),  # 1%–100%: a bare 0.01 is ambiguous
    places=st.integers(min_value=0, max_value=2),
    as_fraction=st.booleans(),
)
def test_printed_rate_rounded_or_cut_is_accepted(
    adjusted: int, share: int, places: int, as_fraction: bool
) -> None:
    """executed / budget printed rounded or cut to its places is right; one unit off (and
    neither reading) is an error."""
    executed = adjusted * share // 10_000
    exact = Decimal(executed) / Decimal(adjusted)
    unit = Decimal(1).scaleb(-(places + 2))
    rounded = exact.quantize(unit, rounding=ROUND_HALF_UP)
    cut = exact.quantize(unit, rounding=ROUND_DOWN)

    def show(rate: Decimal) -> str:
        return f"{rate}" if as_fraction else f"{(rate * 100).quantize(unit.scaleb(2))}%"

    assert _rate_flags(adjusted, executed, show(rounded)) == []
    assert _rate_flags(adjusted, executed, show(cut)) == []
    wrong = rounded + unit
    if wrong not in (rounded, cut) and Decimal(0) < wrong <= 1:
        assert _rate_flags(adjusted, executed, show(wrong)) == ["execution-rate-mismatch"]


def test_rate_from_initial_budget_when_no_full_year_budget() -> None:
    """Only 年初预算数: 264000 / 500000 = 52.8% is computed, noted, and found low."""
    form = {"budget": {"initial": 500000, "executed": 264000, "weight": 10}}
    result = perfscore.evaluate(form)
    assert result.execution is not None
    assert result.execution.rate == Decimal("0.528")
    codes = {(f.code, f.severity) for f in result.flags}
    assert {("execution-from-initial", "info"), ("low-execution", "warning")} <= codes


@pytest.mark.parametrize(
    ("budget", "what"),
    [
        ({"initial": 0, "adjusted": 0, "executed": 0}, "为空或全为零"),
        ({"weight": 10}, "为空或全为零"),
        ({"adjusted": 100000}, "未填写全年执行数"),
        ({"adjusted": 0, "executed": 5000}, "未填写预算数"),
    ],
)
def test_budget_row_that_gives_no_rate(budget: dict[str, Any], what: str) -> None:
    """A budget row blank, all zeros or missing an amount is flagged, once."""
    flags = [f for f in perfscore.evaluate({"budget": budget}).flags]
    found = [f for f in flags if f.code == "budget-incomplete"]
    assert len(found) == 1
    assert what in found[0].message
    assert found[0].severity == "warning"


def test_target_tables_need_no_amount_executed() -> None:
    """A budget-time target table has no 全年执行数: nothing to flag."""
    form = {"kind": "targets", "budget": {"adjusted": 100000}}
    assert [f for f in perfscore.evaluate(form).flags if f.code == "budget-incomplete"] == []


def _no_row(weights: list[int], budget: dict[str, Any]) -> perfscore.EvaluationResult:
    rows = [
        {"level1": "产出指标", "name": f"指标{i}", "target": "≥1件", "actual": "1件", "weight": w}
        for i, w in enumerate(weights)
    ]
    return perfscore.evaluate({"budget": budget, "indicators": rows})


def test_template_without_an_execution_row() -> None:
    """Indicators adding up to 100 and no 分值 for the budget: checked against 100 alone, and
    the total is the indicators' (no execution share)."""
    result = _no_row([60, 40], {"adjusted": 100, "executed": 80})
    assert "weights-sum" not in [f.code for f in result.flags]
    assert result.total == Decimal(100)
    form = perfscore.form.model.form_from_data({"budget": {"adjusted": 100, "executed": 80}})
    assert has_execution_row(form, NATIONAL)  # no indicators: the rule set's row stands


def test_printed_budget_weight_keeps_the_execution_row() -> None:
    """A 分值 printed for the budget means the template has the row: 100 + 10 is an error."""
    result = _no_row([60, 40], {"adjusted": 100, "executed": 80, "weight": 10})
    found = [f for f in result.flags if f.code == "weights-sum"]
    assert [f.data["sum"] for f in found] == ["110"]


def test_budget_points_on_a_block_header() -> None:
    """预算执行(20分) among the blocks is the execution weight when the row prints none."""
    form = {
        "blocks": {"产出指标": 80, "预算执行": 20},
        "budget": {"adjusted": 100, "executed": 100},
        "indicators": [
            {"level1": "产出指标", "name": "件数", "target": "≥1件", "actual": "1件", "weight": 80}
        ],
    }
    result = perfscore.evaluate(form)
    assert result.execution is not None
    assert result.execution.weight == 20
    arithmetic = [f.code for f in result.flags if f.severity == "error"]
    assert arithmetic == []


def test_block_points_read_from_headers_broken_over_lines() -> None:
    """Published text without tabs (seed 001) with points on the block headers, broken over
    lines as the extraction leaves them: the points fill ``blocks``; the rows read as before."""
    from perfscore.readers.spaced import forms_from_spaced_text
    from tests.conftest import DATA

    text = (DATA / "seeds" / "001_aa12b68a981f2731.txt").read_text(encoding="utf-8")
    printed = text.replace("产\n\n出\n指\n\n标", "产\n\n出\n指\n\n标(50分)", 1).replace(
        "效益\n\n指标\n", "效益\n\n指标（30分）\n", 1
    )
    plain, pointed = forms_from_spaced_text(text)[0], forms_from_spaced_text(printed)[0]
    assert pointed.data["blocks"] == {"产出指标": "50", "效益指标": "30"}
    assert pointed.data["indicators"] == plain.data["indicators"]


def _block_only(name: str) -> dict[str, Any]:
    """A seed 003 form as a template printing weights on the block headers only."""
    form: dict[str, Any] = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    for ind in form["indicators"]:
        del ind["weight"]
    return form


@pytest.mark.parametrize(
    "name", ["luohu-2024-social-workers.yaml", "luohu-2024-notary-lawyers.yaml"]
)
def test_seed_003_with_block_points_only_is_clean(name: str) -> None:
    """Seed 003 with its weights on the block headers only: every block adds up (shifted rows
    counted where they belong, not-applicable rows in full), so nothing is wrong."""
    result = perfscore.evaluate(_block_only(name))
    assert [f.code for f in result.flags if f.severity == "error"] == []


@pytest.mark.parametrize(("row", "block"), [(9, "效益指标"), (10, "效益指标"), (13, "满意度指标")])
def test_met_row_printed_short_inside_its_block(row: int, block: str) -> None:
    """Without row weights, a row printed 0.4 short inside a block whose rows all earn their
    weight (met, or not applicable and scored in full) shows in the block's sum."""
    form = _block_only("luohu-2024-notary-lawyers.yaml")
    short = Decimal(str(form["indicators"][row]["score"])) - Decimal("0.4")
    form["indicators"][row]["score"] = short
    form["total"] = Decimal(str(form["total"])) - Decimal("0.4")
    found = [(f.code, f.path) for f in perfscore.evaluate(form).flags if f.severity == "error"]
    assert found == [("block-score", f"blocks.{block}")]


def test_block_findings_marked_on_the_block_header(tmp_path: Path) -> None:
    """In an annotated workbook, block-score is marked on the 产出指标 (50分) header cell."""
    import openpyxl

    from perfscore.readers.xlsx import write_workbook
    from perfscore.report.annotate import annotate_workbook

    form = perfscore.load_form(CORPUS / "04-block-met-short.yaml")
    book, out = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    write_workbook([form], book)
    annotate_workbook(book, out)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    marked = [c for row in sheet.iter_rows() for c in row if c.comment]
    header = [c for c in marked if str(c.value).startswith("产出指标")]
    assert header
    assert "block-score" in header[0].comment.text


_GROUPS = {
    "产出指标": ["数量指标", "质量指标", "时效指标", "成本指标"],
    "效益指标": ["社会效益指标", "可持续影响指标"],
    "满意度指标": ["服务对象满意度指标"],
}


@st.composite
def _block_only_forms(draw: st.DrawFn) -> dict[str, Any]:
    """A form whose rows all meet their targets, weights printed on the block headers only
    (blocks adding up to 90 beside a 10-point budget row), scores printed in full."""
    points = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    rows: list[dict[str, Any]] = []
    for block, total in points.items():
        count = draw(st.integers(min_value=1, max_value=len(_GROUPS[block])))
        cuts = sorted(
            draw(
                st.lists(
                    st.integers(1, total - 1), min_size=count - 1, max_size=count - 1, unique=True
                )
            )
        )
        weights = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        for group, weight in zip(_GROUPS[block], weights, strict=False):
            need = draw(st.integers(min_value=1, max_value=500))
            done = need + draw(st.integers(min_value=0, max_value=need))
            rows.append(
                {
                    "level1": block,
                    "level2": group,
                    "name": f"{group}完成数",
                    "target": f"≥{need}件",
                    "actual": f"{done}件",
                    "score": weight,
                }
            )
    return {
        "blocks": points,
        "budget": {"adjusted": 1000, "executed": 1000, "weight": 10, "score": 10},
        "indicators": rows,
        "total": 100,
    }


@given(
    form=_block_only_forms(),
    pick=st.integers(min_value=0),
    delta=st.sampled_from(["-0.4", "-1", "0.5", "2"]),
)
def test_block_only_forms_right_and_wrong(form: dict[str, Any], pick: int, delta: str) -> None:
    """A block-only form met throughout carries no error; one printed score moved (with the
    total moved along, so the addition still holds) is always caught at its block."""
    assert [f.code for f in perfscore.evaluate(form).flags if f.severity == "error"] == []
    row = form["indicators"][pick % len(form["indicators"])]
    row["score"] = Decimal(row["score"]) + Decimal(delta)
    form["total"] = Decimal(100) + Decimal(delta)
    errors = {
        (f.code, f.location[0]) for f in perfscore.evaluate(form).flags if f.severity == "error"
    }
    assert errors & {("block-score", "blocks"), ("score-exceeds-weight", "indicators")}
