"""Fast paths build exactly what the general code builds."""

from __future__ import annotations

import pickle
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from perfscore.engine.pipeline import JudgeInput, RowInput
from perfscore.form.model import Indicator

_text = st.none() | st.text(max_size=12)
_number = st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=2)


@given(
    name=st.text(max_size=12),
    level1=_text,
    level2=_text,
    target=_text,
    actual=_text,
    weight=_number,
    score=_number,
    reason=_text,
)
def test_row_indicator_is_what_model_construct_builds(
    name: str,
    level1: str | None,
    level2: str | None,
    target: str | None,
    actual: str | None,
    weight: Decimal | None,
    score: Decimal | None,
    reason: str | None,
) -> None:
    """The Indicator a cached row step sees equals pydantic's own ``model_construct`` of the
    same fields: values, field order, fields set, private attributes, printed text, pickling."""
    row = RowInput(
        JudgeInput(name, level1, level2, target, actual, False, None), weight, score, reason, True
    )
    fast = row.indicator()
    slow = Indicator.model_construct(
        level1=level1,
        level2=level2,
        name=name,
        target=target,
        actual=actual,
        weight=weight,
        score=score,
        reason=reason,
    )
    assert fast == slow
    assert repr(fast) == repr(slow)
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.__pydantic_private__ == slow.__pydantic_private__
    assert fast.model_dump() == slow.model_dump()
    assert fast.printed("target") == slow.printed("target")
    assert pickle.loads(pickle.dumps(fast)) == slow
    assert fast.model_fields_set is not row.indicator().model_fields_set  # not shared
