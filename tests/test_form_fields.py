"""Form fields as people type them: amounts with units, points, traditional script, unreadable
cells flagged on their field, blank cells as missing values."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from perfscore import FormError, load_form
from perfscore.form.cells import money_unit, read_amount, read_points
from perfscore.form.model import form_from_data
from perfscore.report.formats import to_markdown, to_table
from tests.conftest import DATA, EXAMPLES

ROW = {"name": "社工人数", "target": "≥16人", "actual": "16人", "weight": 90, "score": 90}


def _form(**fields: Any) -> dict[str, Any]:
    return {"project": "测试", "indicators": [dict(ROW)], **fields}


def _codes(result: perfscore.EvaluationResult) -> dict[tuple[str | int, ...], list[str]]:
    out: dict[tuple[str | int, ...], list[str]] = {}
    for f in result.flags:
        out.setdefault(f.location, []).append(f.code)
    return out


# --------------------------------------------------------------------------------------------
# Amounts: (cell, form's money unit, amount read in that unit, whether a reading note is made)

AMOUNTS = [
    ("150万", "元", "1500000", True),
    ("80万元", "元", "800000", True),
    ("1.2亿", "元", "120000000", True),
    ("1.2亿元", "元", "120000000", True),
    ("3,500元", "元", "3500", False),
    ("3500.00 元", "元", "3500.00", False),
    ("￥2,025,000.00", "元", "2025000.00", False),
    ("¥2025000", "元", "2025000", False),
    ("人民币3500元", "元", "3500", False),
    ("150 万", "元", "1500000", True),
    ("5千元", "元", "5000", True),
    ("1千万", "元", "10000000", True),
    ("150萬", "元", "1500000", True),
    ("80萬元", "元", "800000", True),
    ("1.2億", "元", "120000000", True),
    ("１５０万", "元", "1500000", True),
    ("２０２５０００", "元", "2025000", False),
    ("150万", "万元", "150", False),
    ("80万元", "万元", "80", False),
    ("80萬元", "万元", "80", False),
    ("1.2亿", "万元", "12000", True),
    ("3,500元", "万元", "0.35", True),
    ("2,025,000.00元", "万元", "202.5", True),
    ("202.5", "万元", "202.5", False),
    ("4,262.41", "万元", "4262.41", False),
    ("1.2E+05元", "元", "120000", False),
    ("1.2e5", "元", "120000", False),
    ("1.5E2万元", "元", "1500000", True),
]


@pytest.mark.parametrize(("cell", "unit", "amount", "noted"), AMOUNTS)
def test_amount_cells(cell: str, unit: str, amount: str, noted: bool) -> None:
    """A budget amount typed with its unit is converted to the form's money unit, and the
    conversion is a reading note on the field, never silent."""
    result = perfscore.evaluate(
        _form(money_unit=unit, budget={"adjusted": cell, "executed": cell, "weight": 10})
    )
    assert result.form.budget is not None
    assert result.form.budget.adjusted == Decimal(amount)
    assert result.execution is not None
    assert result.execution.rate == 1
    notes = [f for f in result.flags if f.code == "reading-note"]
    assert {f.location for f in notes} == (
        {("budget", "adjusted"), ("budget", "executed")} if noted else set()
    )
    assert all(f.severity == "info" for f in notes)
    if noted:
        assert cell in notes[0].message
        assert unit in notes[0].message


def test_budget_in_wan_no_longer_refuses_the_form() -> None:
    """Regression: ``budget: {adjusted: 150万}`` raised FormError."""
    result = perfscore.evaluate(
        _form(budget={"全年预算数": "150万", "全年执行数": "120万", "weight": 10})
    )
    assert result.execution is not None
    assert result.execution.budget == Decimal(1_500_000)
    assert result.execution.rate == Decimal("0.8")
    assert result.total is not None


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("元", "元"),
        ("万元", "万元"),
        ("萬元", "万元"),
        ("万", "万元"),
        ("萬", "万元"),
        ("单位：万元", "万元"),
        ("單位：萬元", "万元"),
        ("金额单位:万元", "万元"),
        ("（万元）", "万元"),
        ("(元)", "元"),
        ("人民币元", "元"),
        ("人民币万元", "万元"),
        (" 万元 ", "万元"),
        ("千元", "千元"),
        ("亿元", "亿元"),
        ("億元", "亿元"),
        ("美元", None),
        ("", None),
        ("%", None),
    ],
)
def test_money_unit_spellings(printed: str, read: str | None) -> None:
    """Every way a form prints its money unit, in either script."""
    assert money_unit(printed) == read


def test_money_unit_in_traditional_script() -> None:
    """Regression: ``money_unit: 萬元`` raised FormError."""
    form = form_from_data(_form(money_unit="萬元", budget={"adjusted": 202.5, "executed": 200}))
    assert form.money_unit == "万元"
    assert not form.notes


@pytest.mark.parametrize(
    ("declared", "unit", "adjusted"),
    [("千元", "元", Decimal(2_025_000)), ("亿元", "万元", Decimal(20_250))],
)
def test_money_units_outside_reports_are_converted(
    declared: str, unit: str, adjusted: Decimal
) -> None:
    """A form in 千元 or 亿元 is kept in 元 or 万元, with one note on the money unit."""
    amount = "2025" if declared == "千元" else "2.025"
    form = form_from_data(_form(money_unit=declared, budget={"adjusted": amount}))
    assert form.money_unit == unit
    assert form.budget is not None
    assert form.budget.adjusted == adjusted
    assert [(n.path, n.severity) for n in form.notes] == [("money_unit", "info")]


def test_unknown_money_unit_is_a_flag_on_the_field() -> None:
    """``money_unit: 美元`` cannot be read: flagged on money_unit; the form is still scored."""
    result = perfscore.evaluate(_form(money_unit="美元"))
    assert "unreadable-cell" in _codes(result)[("money_unit",)]
    assert result.form.money_unit == "元"
    assert result.indicators[0].status == "met"


# --------------------------------------------------------------------------------------------
# Unreadable cells


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"budget": {"adjusted": 100, "executed": "很多"}}, ("budget", "executed")),
        ({"budget": {"adjusted": "一些", "executed": 100}}, ("budget", "adjusted")),
        (
            {"budget": {"adjusted": 100, "executed": 100, "weight": "十分重要"}},
            ("budget", "weight"),
        ),
        ({"budget": {"adjusted": "150美元", "executed": 100}}, ("budget", "adjusted")),
        ({"budget": "见附件"}, ("budget",)),
        ({"total": "优秀"}, ("total",)),
        ({"year": "去年"}, ("year",)),
        ({"money_unit": ["元"]}, ("money_unit",)),
    ],
)
def test_one_unreadable_cell_is_flagged_and_the_rest_scored(
    fields: dict[str, Any], where: tuple[str, ...]
) -> None:
    """A cell that cannot be read is an unreadable-cell flag on that field, not a FormError."""
    result = perfscore.evaluate(_form(**fields))
    assert "unreadable-cell" in _codes(result)[where]
    assert result.indicators[0].status == "met"
    assert result.indicators[0].score == Decimal(90)


@pytest.mark.parametrize(
    ("budget", "row"),
    [
        ({"adjusted": 100, "executed": "九十五万"}, {}),
        ({"adjusted": 100, "executed": 95}, {"weight": "很重"}),
        ({"adjusted": 100, "executed": 95}, {"score": "满分"}),
    ],
)
def test_a_total_made_of_an_unread_cell_is_not_graded(
    budget: dict[str, Any], row: dict[str, Any]
) -> None:
    """A grade is never printed beside a total one of whose cells could not be read: the
    total is still recomputed from what was read, and the cell is flagged."""
    rows = [dict(ROW, weight=45, score=45), {**ROW, "name": "解矫率", "weight": 45, **row}]
    result = perfscore.evaluate({"budget": budget, "indicators": rows})
    assert "unreadable-cell" in {f.code for f in result.flags}
    assert result.total is not None
    assert result.grade is None
    read = perfscore.evaluate({"budget": {"adjusted": 100, "executed": 95}, "indicators": [ROW]})
    assert read.grade is not None


def test_weights_worked_out_by_a_program_are_read_with_a_note() -> None:
    """A weight typed as a float from arithmetic (100/3) is rounded to the places a form holds,
    with a note, and the row is scored: never a FormError for the whole form."""
    rows = [
        dict(ROW, weight=100 / 3, score=100 / 3),
        dict(ROW, name="解矫率", target="≥90%", actual="95%", weight=200 / 3, score=None),
    ]
    result = perfscore.evaluate({"indicators": rows})
    notes = [f for f in result.flags if f.code == "reading-note"]
    assert {f.path for f in notes} == {
        "indicators[0].weight",
        "indicators[0].score",
        "indicators[1].weight",
    }
    assert result.indicators[0].weight == Decimal("33.333333333333")
    assert result.total == Decimal("100.00")
    assert "missing-reason" not in {f.code for f in result.flags}


def test_unreadable_indicator_weight_costs_only_that_cell() -> None:
    """An unreadable weight in one row: that row is flagged, every other row scored."""
    rows = [dict(ROW, weight="很重"), dict(ROW, name="解矫率", target="≥90%", actual="95%")]
    result = perfscore.evaluate({"indicators": rows})
    assert "unreadable-cell" in _codes(result)[("indicators", 0, "weight")]
    assert result.indicators[1].score == Decimal(90)


def test_unreadable_cell_note_names_the_cell_and_what_was_expected(tmp_path: Path) -> None:
    """The note quotes the cell and says what would have been read."""
    path = tmp_path / "f.yaml"
    path.write_text("project: x\nindicators:\n  - name: a\n    weight: 很多\n", "utf-8")
    form = load_form(path)
    assert [(n.path, n.severity) for n in form.notes] == [("indicators[0].weight", "warning")]
    assert "很多" in form.notes[0].message
    assert "数字" in form.notes[0].message
    assert form.indicators[0].weight is None


@pytest.mark.parametrize(
    "data",
    [
        ["not", "a", "form"],
        {"indicators": "社工人数"},
        {"indicators": ["社工人数"]},
        {"indicators": [{"target": "≥1人"}]},
        {"kind": "budget"},
        {"indicators": [dict(ROW, taget="≥1人")]},
    ],
    ids=["not-a-mapping", "indicators-not-a-list", "row-not-a-mapping", "no-name", "kind", "typo"],
)
def test_structural_errors_remain_form_errors(data: Any) -> None:
    """A form that is not a form is still refused, with its path."""
    with pytest.raises(FormError):
        perfscore.evaluate(data)


# --------------------------------------------------------------------------------------------
# Points


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("5分", "5"),
        ("5 分", "5"),
        ("９５．５分", "95.5"),
        ("五分", Decimal(5)),
        ("十分", Decimal(10)),
        ("十五分", Decimal(15)),
        ("二十", Decimal(20)),
        ("两分", Decimal(2)),
        ("一百分", Decimal(100)),
        ("一百零五", Decimal(105)),
        ("九十九分", Decimal(99)),
        ("很多", "很多"),
        ("百", "百"),
        (5, 5),
    ],
)
def test_points(cell: Any, read: Any) -> None:
    """Weights and scores typed with 分 or in Chinese numerals."""
    assert read_points(cell) == read


def test_weight_in_chinese_numerals_is_read() -> None:
    """Regression: ``weight: 五分`` was refused; a person reads it as 5."""
    result = perfscore.evaluate({"indicators": [dict(ROW, weight="五分", score="5分")]})
    assert result.indicators[0].weight == Decimal(5)
    assert result.indicators[0].reported_score == Decimal(5)


# --------------------------------------------------------------------------------------------
# Traditional script


def test_traditional_keys_labels_and_values() -> None:
    """Keys, labels and values in traditional script are read as simplified; the printed text
    is kept for reports."""
    form = form_from_data(
        {
            "項目名稱": "購買社工崗位服務",
            "金額單位": "萬元",
            "預算執行情況": {"全年預算數": "202.5", "全年執行數": "202.5"},
            "績效指標": [
                {
                    "一級指標": "產出指標",
                    "二級指標": "質量指標",
                    "三級指標": "驗收合格率",
                    "年度指標值": "不低於90%",
                    "實際完成值": "９５％",
                    "權重": 10,
                    "得分": 10,
                }
            ],
        }
    )
    ind = form.indicators[0]
    assert (ind.level1, ind.level2, ind.name) == ("产出指标", "质量指标", "验收合格率")
    assert (ind.target, ind.actual) == ("不低于90%", "95%")
    assert ind.printed("level1") == "產出指標"
    assert ind.printed("target") == "不低於90%"
    assert ind.printed("actual") == "９５％"
    assert ind.printed("reason") == ""
    assert form.project == "购买社工岗位服务"
    assert form.printed("project") == "購買社工崗位服務"


def test_traditional_ceiling_is_read_as_a_ceiling() -> None:
    """Regression: ``不超過2人`` completed ``3人`` scored met."""
    row = {"name": "投訴人數", "target": "不超過2人", "actual": "3人", "weight": 10}
    result = perfscore.evaluate({"indicators": [row]})
    assert result.indicators[0].status != "met"


def _twin(name: str) -> tuple[perfscore.EvaluationResult, perfscore.EvaluationResult]:
    simplified = perfscore.evaluate(EXAMPLES / f"{name}.yaml")
    traditional = perfscore.evaluate(DATA / "traditional" / f"{name}-traditional.yaml")
    return simplified, traditional


@pytest.mark.parametrize("name", ["luohu-2024-social-workers", "luohu-2024-notary-lawyers"])
def test_traditional_twin_of_seed_003_scores_exactly_as_the_simplified_form(name: str) -> None:
    """Seed 003's forms typed in traditional script, with Chinese keys and amounts in 万元,
    score exactly as printed in simplified script."""
    simplified, traditional = _twin(name)
    assert traditional.total == simplified.total
    assert traditional.execution == simplified.execution
    for a, b in zip(simplified.indicators, traditional.indicators, strict=True):
        assert (b.status, b.achievement, b.weight, b.score, b.reported_score) == (
            a.status,
            a.achievement,
            a.weight,
            a.score,
            a.reported_score,
        )
        assert (b.indicator.level1, b.indicator.level2, b.indicator.name) == (
            a.indicator.level1,
            a.indicator.level2,
            a.indicator.name,
        )
    extra = [f for f in traditional.flags if f.code == "reading-note"]
    assert {f.location[0] for f in extra} == {"budget"}  # the amounts typed in 万元
    assert [(f.code, f.location) for f in traditional.flags if f.code != "reading-note"] == [
        (f.code, f.location) for f in simplified.flags
    ]


def test_traditional_twin_reports_print_the_traditional_text() -> None:
    """The table report shows the cells as the form printed them."""
    _, traditional = _twin("luohu-2024-social-workers")
    for text in (to_table(traditional), to_markdown(traditional)):
        assert "產出指標" in text
        assert "产出指标" not in text
        assert "購買社工崗位服務" in text


# --------------------------------------------------------------------------------------------
# Blank cells


@pytest.mark.parametrize("blank", ["", " ", "\u3000", "\t"])
@pytest.mark.parametrize("field", ["target", "actual"])
def test_blank_value_is_missing_not_unreadable(field: str, blank: str) -> None:
    """Regression: a blank target or actual gave unreadable-value “无法识别“””."""
    result = perfscore.evaluate({"indicators": [dict(ROW, **{field: blank})]})
    codes = _codes(result)[("indicators", 0, field)]
    assert "missing-value" in codes
    assert "unreadable-value" not in codes


# --------------------------------------------------------------------------------------------
# Properties


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2),
    st.sampled_from(["元", "万元"]),
    st.sampled_from(["", "元", "万", "万元", "亿", "亿元", "千元"]),
)
def test_amount_is_the_same_money_in_every_unit(amount: Decimal, unit: str, suffix: str) -> None:
    """An amount typed in any unit reads as the same money in the form's unit."""
    size = {"": 1, "元": 1, "万": 10_000, "万元": 10_000, "亿": 10**8, "亿元": 10**8, "千元": 1000}
    read, note = read_amount(f"{amount}{suffix}", unit, unit)
    in_yuan = amount * (size[suffix] if suffix else size[unit])
    assert read * size[unit] == in_yuan
    assert (note is None) == (suffix == "" or size[suffix] == size[unit])


@pytest.mark.parametrize(
    ("cell", "amount"),
    [("¥3,500", "0.35"), ("￥3500", "0.35"), ("人民币3500元", "0.35"), ("RMB 3,500", "0.35")],
)
def test_a_currency_sign_says_yuan(cell: str, amount: str) -> None:
    """¥3,500 in a form kept in 万元 is 3500 元, read as 0.35 万元 with a note; never 3500 万元."""
    read, note = read_amount(cell, "万元", "万元")
    assert read == Decimal(amount)
    assert note is not None


@pytest.mark.parametrize("cell", ["1E100", "1e999", "9" * 40, "1E100万元"])
def test_amounts_past_any_form_are_left_for_the_bounds(cell: str) -> None:
    """An amount too large to write out whole is read as it is, not an exception: the form's
    bounds then refuse it with the field's name."""
    amount, _ = read_amount(cell, "元", "万元")
    assert amount is None or amount.adjusted() >= 15


@given(st.text(max_size=20))
def test_reading_cells_never_raises(cell: str) -> None:
    """Any cell at all is read, or left for validation to flag; never an exception."""
    read_amount(cell, "元", "万元")
    read_points(cell)
    money_unit(cell)


def test_block_points_in_traditional_script_and_words() -> None:
    """一級指標分值 with traditional labels and points in words reads as the simplified form;
    a block's points that cannot be read are flagged on that block."""
    form = form_from_data(
        {
            "一級指標分值": {"產出指標": "五十分", "效益指標": "30分", "滿意度指標": "很多"},
            "indicators": [dict(ROW)],
        }
    )
    assert form.blocks == {"产出指标": Decimal(50), "效益指标": Decimal(30)}
    assert [(n.path, n.severity) for n in form.notes] == [("blocks.满意度指标", "warning")]


@pytest.mark.parametrize(
    ("printed", "year"),
    [
        ("2024年", 2024),
        ("2024年度", 2024),
        ("二〇二四年", 2024),
        (" 2024 ", 2024),
        ("２０２４年", 2024),
    ],
)
def test_year_as_printed(printed: str, year: int) -> None:
    """绩效自评年度 typed as a heading prints it."""
    assert form_from_data(_form(绩效自评年度=printed)).year == year


@pytest.mark.parametrize(
    ("printed", "kind"),
    [
        ("项目支出", "project"),
        ("項目支出", "project"),
        ("部门整体", "department"),
        ("部門整體", "department"),
        ("绩效目标表", "targets"),
        ("項目績效目標表", "targets"),
    ],
)
def test_kind_in_chinese(printed: str, kind: str) -> None:
    """类型 written in Chinese, in either script."""
    assert form_from_data(_form(類型=printed)).kind == kind


def test_notes_speak_english_in_english_reports() -> None:
    """Reading notes and unreadable cells are worded in the report's language."""
    form = _form(budget={"adjusted": "150万", "executed": "很多"})
    en = perfscore.evaluate(form, lang="en")
    messages = {f.code: f.message for f in en.flags}
    assert "'150万' read as 1500000 元" in messages["reading-note"]
    assert "cannot read '很多': expected a number" in messages["unreadable-cell"]
    zh = {f.code: f.message for f in perfscore.evaluate(form).flags}
    assert "“150万”按 1500000元计" in zh["reading-note"]
    assert "无法读取“很多”，应为数字" in zh["unreadable-cell"]


def test_json_keeps_the_printed_traditional_text() -> None:
    """to_dict reads in simplified script and keeps what the form printed beside it."""
    from tests.conftest import EXAMPLES

    folder = Path(__file__).parent / "data" / "traditional"
    traditional = perfscore.evaluate(folder / "luohu-2024-notary-lawyers-traditional.yaml")
    simplified = perfscore.evaluate(EXAMPLES / "luohu-2024-notary-lawyers.yaml")
    data, plain = traditional.to_dict(), simplified.to_dict()
    assert data["project"] == plain["project"] == "公证律师管理经费"
    assert data["printed"]["project"] == "公證律師管理經費"
    assert "printed" not in plain
    row = data["indicators"][0]
    assert row["name"] == plain["indicators"][0]["name"]
    assert row["printed"]["level1"] == "產出指標"
    assert "printed" not in plain["indicators"][0]


def test_amount_in_exponent_notation_prints_as_a_person_writes_it() -> None:
    """`1.2E+05元` (as spreadsheets export it) is 120000, not `1.2E+5`, wherever it is shown."""
    result = perfscore.evaluate(_form(budget={"adjusted": "1.2E+05元", "executed": "1.2e5"}))
    assert result.form.budget is not None
    assert str(result.form.budget.adjusted) == str(result.form.budget.executed) == "120000"
