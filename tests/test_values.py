"""The indicator-value language: every seed string read as a person reads it."""

from __future__ import annotations

import datetime
import threading
import time
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

import perfscore
from perfscore import parse_value
from perfscore.errors import PerfscoreError, ValueTextError
from perfscore.report.explain import explain
from perfscore.text import normalise, values
from perfscore.text.numbers import read_number
from perfscore.text.operators import BY_DIRECTION, OPERATORS, Operator
from perfscore.text.values import Band, Comparison, Compound, Date, FreeText, Grade, Op, Range
from tests.describe import describe
from tests.strategies import value_text

ALL_CASES = yaml.safe_load((Path(__file__).parent / "cases" / "values.yaml").read_text("utf-8"))
CASES = [c for c in ALL_CASES if "text" in c]
PAIRS = [c for c in ALL_CASES if "target" in c]


def test_case_file_covers_all_five_seeds() -> None:
    """The case file draws on every seed document and holds 200 invented cells and pairs."""
    seeds = {s for case in CASES for s in case.get("seeds", [])}
    assert seeds == {"000", "001", "002", "003", "004"}
    assert len([c for c in CASES if "seeds" in c]) > 200
    assert len([c for c in CASES if c.get("invented")]) + len(PAIRS) >= 200


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:24].replace("\n", " ") for c in CASES])
def test_value_reads_as_a_reader_would(case: dict[str, str]) -> None:
    """Each target/actual (seed or invented) is read into the structure the case file gives."""
    assert describe(parse_value(case["text"])) == case["reads"]


def _row(target: str, actual: str, **extra: Any) -> perfscore.IndicatorResult:
    form = {
        "project": "p",
        "year": extra.get("year", 2024),
        "indicators": [
            {
                "level1": "产出指标",
                "level2": extra.get("level2", "质量指标"),
                "name": extra.get("name", "指标"),
                "target": target,
                "actual": actual,
                "weight": extra.get("weight", 10),
                "reason": "说明",
            }
        ],
    }
    rules = extra.get("rules", "national-2020")
    return perfscore.evaluate(form, rules).indicators[0]


@pytest.mark.parametrize(
    "case", PAIRS, ids=[f"{c['target']}|{c['actual']}|{c.get('name', '')}" for c in PAIRS]
)
def test_pair_reads_and_scores(case: dict[str, Any]) -> None:
    """Each invented pair reads as given and scores as a careful auditor scores it."""
    assert [describe(parse_value(case["target"])), describe(parse_value(case["actual"]))] == case[
        "reads"
    ]
    extra = {k: case[k] for k in ("name", "level2", "year") if k in case}
    row = _row(case["target"], case["actual"], **extra)
    assert row.status == case["status"]
    expected = None if case["score"] is None else Decimal(case["score"])
    assert row.score == expected


@pytest.mark.parametrize(
    ("text", "reads"),
    [
        ("≥90%", ">= 90 %"),
        ("≧50人", ">= 50 人"),
        ("＞5次", "> 5 次"),
        (">=3件", ">= 3 件"),
        ("≥９０％", ">= 90 %"),
        ("═100%", "== 100 %"),
        ("不超过 7 天", "<= 7 天"),
        ("低于0.3%", "< 0.3 %"),
        ("高于80%", "> 80 %"),
        ("达到95%", ">= 95 %"),
        ("控制在0.5%以内", "<= 0.5 %"),
        ("30人以下", "<= 30 人"),
        ("约200人", "? ~200 人"),
        ("5万元", "? 5 万元"),
        ("2亿元", "? 2 亿元"),
        ("1.1万册", "? 11000 册"),
        ("4,262.41", "? 4262.41"),
        ("80%-90%", "range 80 %..90 %"),
        ("90%~80%", "range 80 %..90 %"),
        ("3‰", "? 3 ‰"),
        ("≥12次/年", ">= 12 次/年"),
        ("两次", "? 2 次"),
        ("部分达成", "grade:partial"),
        ("基本完成", "grade:basic"),
        ("未完成", "grade:none"),
        ("不涉及", "na"),
        ("-", "na"),
        ("", "free:empty"),
        ("&&", "free:no-words"),
    ],
)
def test_value_forms(text: str, reads: str) -> None:
    """Comparators, units, multipliers, ranges and words beyond the seeds."""
    assert describe(parse_value(text)) == reads


def test_comparison_fields() -> None:
    """A parsed comparison exposes operator, exact Decimal magnitude and unit."""
    value = parse_value("≤98%")
    assert isinstance(value, Comparison)
    assert value.op is Op.LE
    assert value.quantity.magnitude == Decimal("98")
    assert value.quantity.base == Decimal("0.98")
    assert value.quantity.unit.is_percent
    assert value.text == "≤98%"


def test_units_compare_by_dimension() -> None:
    """人 and 家 share a dimension; % and 人 do not; 万元 converts exactly to 元."""
    people, firms, rate = parse_value("2人"), parse_value("3家"), parse_value("2%")
    assert isinstance(people, Comparison)
    assert isinstance(firms, Comparison)
    assert isinstance(rate, Comparison)
    assert people.quantity.unit.dimension == firms.quantity.unit.dimension == "[count]"
    assert rate.quantity.unit.dimension != people.quantity.unit.dimension
    money = parse_value("2.5万元")
    assert isinstance(money, Comparison)
    assert money.quantity.base == Decimal("25000")


def test_compound_clauses_keep_labels() -> None:
    """群众≥5000人；公司≥200家 is two clauses, each with its label."""
    value = parse_value("群众≥5000人；公司≥200家")
    assert isinstance(value, Compound)
    assert [c.label for c in value.clauses if isinstance(c, Comparison)] == ["群众", "公司"]


def test_grade_bands() -> None:
    """Completion words carry a band; target words do not."""
    done = parse_value("达成预期指标")
    assert isinstance(done, Grade)
    assert done.band is Band.FULL
    target = parse_value("效果显著")
    assert isinstance(target, Grade)
    assert target.band is None


def test_unreadable_keeps_reason() -> None:
    """80& is not read as 80%: it comes back as free text with the stray character named."""
    value = parse_value("80&")
    assert isinstance(value, FreeText)
    assert value.code == "stray-after"
    assert "&" in value.reason
    assert "&" in value.reason_zh


def test_non_string_is_refused() -> None:
    """Only text is parsed; anything else raises the library's own error."""
    with pytest.raises(ValueTextError):
        parse_value(0.9)  # type: ignore[arg-type]
    assert issubclass(ValueTextError, PerfscoreError)


@given(value_text)
def test_parser_never_raises(text: str) -> None:
    """Any string comes back as a value holding the text exactly as printed."""
    value = parse_value(text)
    assert value.text == text
    describe(value)


@given(value_text)
def test_parser_is_deterministic(text: str) -> None:
    """Reading the same text twice gives the same value (the cache is transparent)."""
    assert parse_value(text) == parse_value(str(text))


# --------------------------------------------------------------------------------------------
# Hostile text: linear time, never an exception, bounded magnitudes and cache


@pytest.mark.parametrize(
    "text",
    [
        "." * 100_000,
        "。" * 100_000,
        "。" * 100_000 + "x",
        "1." * 50_000,
        "≥" * 50_000 + "1",
        "9" * 1_000_000,
        "1" * 30 + "." + "1" * 30 + "%",
        "1e999999999",
        "第一季度" * 20_000,
        "每" * 60_000 + "1次",
        "且≤1" * 20_000,
    ],
    ids=lambda t: f"{t[:6]}…{len(t)}",
)
def test_long_and_huge_text_is_read_at_once(text: str) -> None:
    """Long repeated text and huge numbers come back as values (never an exception) at once."""
    start = time.perf_counter()
    value = parse_value(text)
    assert value.text == text
    describe(value)
    # A guard against quadratic reading (seconds at this length), not a speed measurement.
    assert time.perf_counter() - start < 2


@given(st.text(alphabet=".。1%≥万年月日前且-~每", min_size=1, max_size=8), st.integers(1, 3000))
def test_repeated_text_never_raises(unit: str, times: int) -> None:
    """Any short pattern repeated thousands of times reads without an exception."""
    text = unit * times
    value = parse_value(text)
    assert value.text == text


def test_magnitudes_are_bounded() -> None:
    """Numbers beyond any magnitude a form prints are free text, named as such."""
    for text in ("9" * 40 + "人", "1e25元", "1E-20%"):
        value = parse_value(text)
        assert isinstance(value, FreeText), text
        assert value.code == "out-of-range"


def test_long_cells_are_not_cached() -> None:
    """A 100 KB cell is read but not kept; short cells are cached in a bounded cache."""
    big = "无" + "。" * 100_000 + "x"
    before = values._cached.cache_info().currsize
    parse_value(big)
    assert values._cached.cache_info().currsize == before
    assert values._cached.cache_info().maxsize is not None


def test_host_decimal_context_does_not_change_readings() -> None:
    """A host program's low Decimal precision does not round magnitudes or conversions."""
    with localcontext() as ctx:
        ctx.prec = 4
        value = parse_value("≥12345.678万元")
        assert isinstance(value, Comparison)
        assert value.quantity.base == Decimal("123456780")
        km = parse_value("123456.789公里")
        assert isinstance(km, Comparison)
        assert km.quantity.base == Decimal("123456789")


def test_reading_from_threads_gives_the_same_values() -> None:
    """Eight threads reading the case file get what one thread gets."""
    texts = [c["text"] for c in CASES] + [p["target"] for p in PAIRS]
    expected = [describe(parse_value(t)) for t in texts]
    results: list[list[str]] = []

    def work() -> None:
        results.append([describe(parse_value(t)) for t in reversed(texts)][::-1])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


# --------------------------------------------------------------------------------------------
# Kinds of value


def test_dates_hold_their_period() -> None:
    """A date keeps its year (or none), its period and how it bounds a completion."""
    value = parse_value("2024年6月底前完成")
    assert isinstance(value, Date)
    assert (value.op, value.year) == (Op.LE, 2024)
    assert str(value.end(2000)) == "2024-06-30"
    quarter = parse_value("第一季度")
    assert isinstance(quarter, Date)
    assert quarter.year is None
    assert (str(quarter.start(2023)), str(quarter.end(2023))) == ("2023-01-01", "2023-03-31")
    february = parse_value("2月底前")
    assert isinstance(february, Date)
    assert str(february.end(2024)) == "2024-02-29"


def test_wei_is_not_equals() -> None:
    """为 joins a label to its value: 完成时间为… is a date, 合格率为95% has no comparator."""
    assert isinstance(parse_value("完成时间为2022年12月30日"), Date)
    rate = parse_value("合格率为95%")
    assert isinstance(rate, Comparison)
    assert rate.op is None


def test_range_ends() -> None:
    """A two-sided bound keeps which ends it includes."""
    value = parse_value(">1且<5天")
    assert isinstance(value, Range)
    assert (value.low_op, value.high_op) == (Op.GT, Op.LT)


# Units of one dimension and the factor between them.
SAME_DIMENSION = [
    ("公里", "米", Decimal(1000)),
    ("千米", "米", Decimal(1000)),
    ("吨", "公斤", Decimal(1000)),
    ("千克", "克", Decimal(1000)),
    ("公顷", "平方米", Decimal(10000)),
    ("万元", "元", Decimal(10000)),
    ("亿元", "万元", Decimal(10000)),
    ("小时", "分钟", Decimal(60)),
    ("天", "小时", Decimal(24)),
    ("年", "个月", Decimal(12)),
    ("千瓦时", "度", Decimal(1)),
    ("千瓦", "瓦", Decimal(1000)),
    ("立方米", "升", Decimal(1000)),
    ("次/季度", "次/年", Decimal(4)),
]
_magnitude = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("5000"), places=1)


@given(
    st.sampled_from(SAME_DIMENSION),
    _magnitude,
    _magnitude,
    st.sampled_from(["≥", "≤", ">", "<", ""]),
    st.booleans(),
)
def test_a_value_in_another_unit_scores_the_same(
    pair: tuple[str, str, Decimal], target: Decimal, actual: Decimal, op: str, swap: bool
) -> None:
    """An actual (or target) printed in another unit of the same dimension scores the same."""
    big, small, factor = pair
    # "2053年" is a calendar year, not a duration of 2,053 years: not this property's subject.
    for number in (target, actual):
        assume(not (big == "年" and number == number.to_integral() and 1900 <= number <= 2100))
    t = f"{op}{values.plain(target)}{big}"
    same = _row(t, f"{values.plain(actual)}{big}")
    converted = f"{values.plain(actual * factor)}{small}"
    other = (
        _row(f"{op}{values.plain(target * factor)}{small}", f"{values.plain(actual)}{big}")
        if swap
        else _row(t, converted)
    )
    assert (other.status, other.score) == (same.status, same.score)


def test_rule_set_units(tmp_path: Path) -> None:
    """A rule set's own units (担 = 50 kg) convert like the table's."""
    rules = tmp_path / "local.yaml"
    rules.write_text(
        "name: local\ntitle: 本地单位\nextends: national-2020\nunits: ['担 = 50 kg']\n",
        encoding="utf-8",
    )
    assert _row("≥10担", "600公斤", rules=rules).status == "met"
    short = _row("≥10担", "0.4吨", rules=rules)
    assert (short.status, short.score) == ("partly_met", Decimal("8.00"))
    assert _row("≥10担", "600公斤").status == "not_judged"  # national-2020 has no 担


def test_deadline_formula_from_the_rule_set(tmp_path: Path) -> None:
    """A late date scores 0 under national-2020, or the on-time share where a rule set says."""
    late = ("6月底前", "2024年9月完成")
    assert (_row(*late).status, _row(*late).score) == ("missed", Decimal("0.00"))
    rules = tmp_path / "share.yaml"
    rules.write_text(
        "name: share\ntitle: 按时占比\nextends: national-2020\n"
        "quantitative: {deadline: allowed / taken}\n",
        encoding="utf-8",
    )
    row = _row(*late, rules=rules)
    # 1 January to 30 June 2024 is 182 days, to 30 September 274: 182 / 274 = 0.6642.
    assert (row.status, row.score) == ("partly_met", Decimal("6.64"))


def test_dates_and_ranges_in_reports() -> None:
    """explain and JSON describe dates and strict ranges (a date once ended explain in an
    AssertionError)."""

    form = {
        "project": "p",
        "year": 2024,
        "indicators": [
            {
                "name": "完成时间",
                "target": "2024年6月底前完成",
                "actual": "2024年9月完成",
                "weight": 10,
            },
            {"name": "办理时长", "target": ">1且<5天", "actual": "3天", "weight": 10},
        ],
    }
    result = perfscore.evaluate(form)
    text = explain(result, None, "zh")
    assert "日期 不晚于 2024-06-月末" in text
    assert "（不含）" in text
    english = explain(perfscore.evaluate(form, lang="en"), None, "en")
    assert "date by the end of 2024-06-end" in english
    target = result.to_dict()["indicators"][0]["target"]
    assert (target["kind"], target["op"], target["first"]) == ("date", "<=", [6, 0])


# --------------------------------------------------------------------------------------------
# The operator table, the number reader and the normaliser


@pytest.mark.parametrize("row", OPERATORS.values(), ids=lambda row: str(row.op))
def test_every_spelling_in_the_operator_table_is_read_as_its_operator(row: Operator) -> None:
    """Each sign and word of a row reads as that row's operator, before or after a number
    and around a date: the parser has no spelling of its own."""
    for sign in (row.symbol, *row.variants, *row.before):
        value = parse_value(f"{sign}90%")
        assert isinstance(value, Comparison), sign
        assert value.op is row.op, sign
    for word in row.after:
        value = parse_value(f"90%{word}")
        assert isinstance(value, Comparison), word
        assert value.op is row.op, word
    for word in row.date_before:
        date = parse_value(f"{word}2024年6月")
        assert isinstance(date, Date), word
        assert date.op is row.op, word
    for word in row.date_after:
        date = parse_value(f"2024年6月{word}")
        assert isinstance(date, Date), word
        assert date.op is row.op, word


def test_operator_tests_and_directions() -> None:
    """Each operator's test on numbers and on periods, and which way is better."""
    one, two = Decimal(1), Decimal(2)
    assert [OPERATORS[op].holds(two, one) for op in Op] == [True, True, False, False, False]
    assert {op: OPERATORS[op].better for op in Op} == {
        Op.GE: "higher",
        Op.GT: "higher",
        Op.LE: "lower",
        Op.LT: "lower",
        Op.EQ: "equal",
    }
    assert BY_DIRECTION == {"higher": Op.GE, "lower": Op.LE, "equal": Op.EQ}
    june = (datetime.date(2024, 6, 1), datetime.date(2024, 6, 30))
    may = (datetime.date(2024, 5, 1), datetime.date(2024, 5, 31))
    assert OPERATORS[Op.LE].holds_on_dates(*may, *june)
    assert OPERATORS[Op.LT].holds_on_dates(*may, *june)
    assert not OPERATORS[Op.GE].holds_on_dates(*may, *june)
    assert OPERATORS[Op.EQ].holds_on_dates(*june, *june)
    assert (OPERATORS[Op.GE].zh, OPERATORS[Op.GE].en, OPERATORS[Op.LE].date_en) == (
        "不低于（≥）",
        "at least",
        "by",
    )


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1,234.5", "1234.5"),
        ("１，２３４．５", "1234.5"),
        ("1.2E+05", "120000"),
        ("1.5e2", "150"),
        ("48万", "480000"),
        ("1.2億", "120000000"),
        ("-3.5", "-3.5"),
        (" 96.86 ", "96.86"),
        ("两", "2"),
    ],
)
def test_read_number_reads_a_cell_that_is_one_number(text: str, number: str) -> None:
    """Separators, full-width digits, exponents, multipliers and Chinese numerals."""
    assert read_number(text) == Decimal(number)


@pytest.mark.parametrize("text", ["", "—", "90%", "≥90", "12人", "1e999", "9" * 40, "abc"])
def test_read_number_refuses_what_is_not_one_number(text: str) -> None:
    """Units, comparators, words and magnitudes no form prints are not numbers."""
    assert read_number(text) is None


def test_a_cell_is_normalised_once_for_its_value_and_its_words() -> None:
    """Reading a cell's value and then its words normalises it once."""
    text = "“明显改善（測試）。”"
    before = normalise._recent.cache_info()
    values._cached.cache_clear()
    parse_value(text)
    assert values.words(text) == "明显改善测试"
    after = normalise._recent.cache_info()
    assert after.misses - before.misses == 1
    assert after.hits - before.hits == 1


def test_compound_bounds_are_read_once() -> None:
    """A cell of two clauses with a bound each is no range, and each clause reads as its own."""
    value = parse_value("群众≥5000人；公司≥200家")
    assert isinstance(value, Compound)
    assert [describe(c) for c in value.clauses] == [
        describe(parse_value("群众≥5000人")),
        describe(parse_value("公司≥200家")),
    ]
    ranged = parse_value("≥80%，≤100%")
    assert isinstance(ranged, Range)
