"""The indicator-value language: every seed string read as a person reads it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given

from perfscore import parse_value
from perfscore.errors import PerfscoreError, ValueTextError
from perfscore.values import Band, Comparison, Compound, FreeText, Grade, Op
from tests.describe import describe
from tests.strategies import value_text

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "values.yaml").read_text("utf-8"))


def test_case_file_covers_all_five_seeds() -> None:
    """The case file draws on every seed document."""
    seeds = {s for case in CASES for s in case["seeds"]}
    assert seeds == {"000", "001", "002", "003", "004"}
    assert len(CASES) > 200


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:24].replace("\n", " ") for c in CASES])
def test_seed_value_reads_as_a_reader_would(case: dict[str, str]) -> None:
    """Each target/actual in the seeds is read into the structure the case file gives."""
    assert describe(parse_value(case["text"])) == case["reads"]


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
