"""Reading by shape gives exactly what the whole grammar gives, for every text."""

from __future__ import annotations

import re
import threading
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from perfscore import parse_value
from perfscore.text import values
from perfscore.text.kinds import Value
from perfscore.text.shapes import ShapeReader, shape_of
from perfscore.text.values import FreeText, read_in_full
from tests.strategies import magnitudes, units, value_text

_CASES = yaml.safe_load((Path(__file__).parent / "cases" / "values.yaml").read_text("utf-8"))
CASE_TEXTS = sorted(
    {v for case in _CASES for k, v in case.items() if k in ("text", "target", "actual")}
)

_COMPARATORS = ["", "≥", "≤", ">", "<", "不低于", "不超过", "约", "负", "-", "达到", "控制在"]
_AFTER = ["", "以上", "以内", "左右", "余", "万", "万元", "以下"]
_LABELS = ["", "完成", "群众", "服务企业", "培训"]

# A cell as forms print them: a label, a comparator, a number, a unit, a word after it —
# one clause, two bounds or two clauses.
clause = st.builds(
    lambda label, op, number, unit, after: f"{label}{op}{number}{unit}{after}",
    st.sampled_from(_LABELS),
    st.sampled_from(_COMPARATORS),
    magnitudes.map(str),
    units,
    st.sampled_from(_AFTER),
)
cell = st.one_of(
    clause,
    st.builds(lambda a, b: f"{a}且{b}", clause, clause),
    st.builds(lambda a, b: f"{a}-{b}", clause, clause),
    st.builds(lambda a, b: f"{a}；{b}", clause, clause),
)


def _with_other_digits(text: str, shift: int) -> str:
    """``text`` with every digit changed (the first of a number never to 0)."""

    def other(m: re.Match[str]) -> str:
        digits = [str((int(d) + shift) % 10) for d in m[0]]
        if digits[0] == "0":
            digits[0] = str(shift % 9 + 1)
        return "".join(digits)

    return re.sub(r"[0-9]+", other, text)


def _same(text: str, reader: ShapeReader) -> None:
    got, expected = reader.read(text), read_in_full(text)
    assert got == expected, text
    assert repr(got) == repr(expected), text


def _read_by_shape(text: str) -> None:
    """The text and texts of its shape with other numbers, read by one reader until its
    shape's template is trusted, each equal to the whole grammar's reading."""
    reader = ShapeReader(read_in_full)
    for shift in (0, 3, 7, 1, 5, 0, 9):
        _same(_with_other_digits(text, shift) if shift else text, reader)


@settings(deadline=None, max_examples=300)
@given(value_text)
def test_any_text_reads_the_same_by_shape(text: str) -> None:
    """Any text of the value grammar's alphabet, and the texts of its shape."""
    _read_by_shape(text)


@settings(deadline=None, max_examples=300)
@given(cell)
def test_cells_as_forms_print_them_read_the_same_by_shape(text: str) -> None:
    """Comparators, numbers and units in the combinations forms print."""
    _read_by_shape(text)


@pytest.mark.parametrize("text", CASE_TEXTS)
def test_every_case_reads_the_same_by_shape(text: str) -> None:
    """Every text of tests/cases/values.yaml, and the texts of its shape."""
    _read_by_shape(text)


def test_a_trusted_shape_is_not_read_by_the_grammar() -> None:
    """Once two texts of a shape with different numbers agree with the template, the next
    text of that shape is made from the template alone."""
    calls: list[str] = []

    def full(text: str) -> Value:
        calls.append(text)
        return read_in_full(text)

    reader = ShapeReader(full)
    for text in ("≥93人", "≥57人", "≥81人"):
        reader.read(text)
    assert calls == ["≥93人", "≥57人"]
    assert reader.read("≥12人") == read_in_full("≥12人")
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("80%-90%", "90%-80%"),  # the order of the numbers is part of the shape
        ("≥100%", "≥200%"),  # 100 is read by value (100%覆盖)
        ("2024年≥5人", "2025年≥5人"),  # a year is never a number of the shape
        ("4,262.41元", "5,373.52元"),  # thousands separators: read in full
    ],
)
def test_shapes_keep_apart_what_the_grammar_reads_by_value(first: str, second: str) -> None:
    """Texts whose numbers the grammar reads by value are not one shape."""
    a, b = shape_of(first), shape_of(second)
    assert a is None or b is None or a[0] != b[0]


def test_a_range_whose_ends_change_places_is_read_in_full() -> None:
    """2天-30小时 and 2天-50小时 are one shape, but their low and high ends differ."""
    reader = ShapeReader(read_in_full)
    for text in ("2天-30小时", "3天-41小时", "4天-52小时", "1天-50小时", "2天-50小时"):
        _same(text, reader)


def test_a_rate_per_no_period_is_no_error() -> None:
    """每0个月1次 names no period: it is read (as a description), never a division by zero."""
    value = parse_value("每0个月1次")
    assert isinstance(value, FreeText)
    assert parse_value("每2个月1次").quantity.magnitude == Decimal("0.5")  # type: ignore[union-attr]


def test_a_new_text_made_from_its_shape_is_kept_from_its_second_reading() -> None:
    """parse_value: a text seen once and made from a trusted shape is not cached; seen again
    it is, and both readings are the grammar's."""
    for text in ("≥7301人次", "≥6412人次", "≥5523人次"):  # the shape trusted
        parse_value(text)
    text = "≥4634人次"
    before = values._cached.cache_info().currsize
    first = parse_value(text)
    assert values._cached.cache_info().currsize == before
    second = parse_value(text)
    assert values._cached.cache_info().currsize == before + 1
    assert first == second == read_in_full(text)
    assert parse_value(text) is second


def test_threads_reading_new_shapes_agree_with_the_grammar() -> None:
    """Eight threads reading the same new texts at once (learning, confirming and using the
    same templates) each get the grammar's values."""
    texts = [f"完成{n}.{n % 10}%" for n in range(310, 470)] + [f"≤{n}天" for n in range(21, 99)]
    expected = [read_in_full(t) for t in texts]
    reader = ShapeReader(read_in_full)
    results: list[list[Value]] = []

    def work() -> None:
        results.append([reader.read(t) for t in texts])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert all(got == expected for got in results)
