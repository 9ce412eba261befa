"""The fast paths of workbook reading read exactly what the slow ones did.

Each shortcut taken for speed (a part told usual by a few byte searches instead of one pattern,
a form's cells converted in one pass before pydantic-core validates them, points printed as
plain digits read directly) is checked here against the plain reading it replaces.
"""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from perfscore.errors import FormError
from perfscore.form.cells import read_points, to_decimal
from perfscore.form.model import Form, Indicator, form_from_data
from perfscore.readers.xmlattrs import unusual_spelling

# The definition of an unusual attribute spelling (single quotes, white space around =, a
# break or tab before a name, a reference in a value): what the byte searches must agree with.
_UNUSUAL = re.compile(rb"[\w:.-]\s+=|=\s+[\"']|=\s*'|[\t\r\n][\w:.-]+=|=\"[^\"]*&")

_PIECES = [
    b"<c",
    b"<row",
    b' r="A1"',
    b" r='B2'",
    b"r",
    b"=",
    b'"',
    b"'",
    b" ",
    b"\t",
    b"\n",
    b"\r",
    b"\x0b",
    b"\x0c",
    b"&",
    b"&#88;",
    b"&#39033;",
    b">",
    b"<t>",
    b"x",
    b"7",
    b":",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map(b"".join))
def test_usual_parts_are_told_by_bytes_as_by_the_pattern(data: bytes) -> None:
    """unusual_spelling agrees with the full pattern on any mix of the bytes it looks for."""
    assert unusual_spelling(data) == (_UNUSUAL.search(data) is not None)


def test_character_references_in_text_are_usual() -> None:
    """openpyxl's inline strings (&#39033; in text) do not send a part to be rewritten."""
    part = b'<row r="1"><c r="A1" t="inlineStr"><is><t>&#39033;&#30446;</t></is></c></row>'
    assert not unusual_spelling(b'<?xml version="1.0"?>\r\n' + part)
    assert unusual_spelling(part.replace(b'r="A1"', b'r="&#65;1"'))


# --- the form model: cells converted in one pass, validated by pydantic-core ------------------


def test_every_way_in_keeps_the_printed_text() -> None:
    """A form's cells read the same, with their printed text kept, however the model is made:
    form_from_data, Form.model_validate, or a model's own constructor."""
    row = {"name": "產出數量", "weight": "5", "target": "≥10件"}
    made = Indicator(**row)
    assert (made.name, made.printed("name"), made.weight) == ("产出数量", "產出數量", Decimal(5))
    validated = Form.model_validate({"project": "項目", "indicators": [row]})
    assert validated.printed("project") == "項目"
    assert validated.indicators[0].printed("name") == "產出數量"
    read = form_from_data(
        {
            "項目名稱": "項目",
            "indicators": [row],
            "budget": {"adjusted": "１００", "reason": "說明"},
        }
    )
    assert read.indicators[0] == validated.indicators[0] == made
    assert read.indicators[0].printed("name") == "產出數量"
    assert read.budget is not None
    assert read.budget.printed("reason") == "說明"
    assert read.budget.adjusted == Decimal(100)


@given(
    st.one_of(
        st.integers(-(10**6), 10**6),
        st.decimals(-(10**6), 10**6, places=2),
        st.from_regex(r"[+-]?[0-9]{1,6}(\.[0-9]{0,3})?", fullmatch=True),
        st.sampled_from(["5分", "五分", "２４", " 7 ", "1,000", "—", "x", ""]),
    )
)
def test_points_read_alike_on_the_short_path(points: object) -> None:
    """A weight read from a form row is what reading it as points, then as a number, gives."""
    expected = to_decimal(read_points(points))
    row = {"name": "n", "weight": points}
    try:
        form = form_from_data({"indicators": [row]})
    except FormError:
        return  # a number out of bounds: refused either way
    weight = form.indicators[0].weight
    if isinstance(expected, Decimal):
        assert weight == expected
    else:
        assert weight is None  # unreadable or blank: left out
