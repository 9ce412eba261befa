"""Warnings point at the caller's line, however deep in perfscore they were raised."""

from __future__ import annotations

import warnings

import pytest

import perfscore
from perfscore.readers import MultipleFormsWarning
from tests.conftest import DATA

SEED_003 = DATA / "seeds" / "003_1f06280c6eec3f80.txt"


@pytest.mark.parametrize("call", ["load_form", "evaluate"])
def test_multiple_forms_warning_points_at_the_caller(call: str) -> None:
    """`evaluate("two-forms.txt")` warned from engine/pipeline.py; now from this file."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        getattr(perfscore, call)(SEED_003)
    [warning] = [w for w in caught if issubclass(w.category, MultipleFormsWarning)]
    assert warning.filename == __file__
