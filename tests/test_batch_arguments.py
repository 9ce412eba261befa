"""`evaluate_many` refuses, at the call, arguments that would score nonsense: one path (whose
characters it would iterate), one form, ``jobs`` or ``chunk_size`` below 1; and it is typed
by what it yields."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, assert_type

import pytest

from perfscore.batch import Failure, evaluate_many
from perfscore.engine.pipeline import EvaluationResult
from perfscore.readers import load_forms
from tests.conftest import EXAMPLES

NOTARY = EXAMPLES / "luohu-2024-notary-lawyers.yaml"


@pytest.mark.parametrize(
    "one", [str(NOTARY), NOTARY, str(NOTARY).encode()], ids=["str", "Path", "bytes"]
)
def test_a_path_is_not_an_iterable_of_forms(one: Any) -> None:
    """`evaluate_many("one.yaml")` was 36 Failures, one a character: now a TypeError at the
    call saying what to pass."""
    with pytest.raises(TypeError, match=r"iterable of forms .* pass \["):
        evaluate_many(one)


def test_one_form_is_not_an_iterable_of_forms() -> None:
    """A mapping or a Form is one form (iterating it gives its keys or fields)."""
    ones: list[Any] = [load_forms(NOTARY)[0], {"project": "x", "indicators": []}]
    for one in ones:
        with pytest.raises(TypeError, match="single form"):
            evaluate_many(one)
    with pytest.raises(TypeError, match="not int"):
        evaluate_many(3)  # type: ignore[call-overload]


@pytest.mark.parametrize("jobs", [0, -1])
def test_jobs_below_one_is_refused(jobs: int) -> None:
    """`jobs=0` ran on one core as if asked for one; now a ValueError naming the argument."""
    with pytest.raises(ValueError, match=f"jobs must be 1 or more, not {jobs}"):
        evaluate_many([NOTARY], jobs=jobs)


def test_chunk_size_below_one_and_non_numbers_are_refused() -> None:
    """A chunk of no forms, or jobs given as text, is refused at the call."""
    with pytest.raises(ValueError, match="chunk_size"):
        evaluate_many([NOTARY], chunk_size=0)
    with pytest.raises(TypeError, match="jobs must be a whole number"):
        evaluate_many([NOTARY], jobs="2")  # type: ignore[call-overload]


def test_a_list_of_paths_still_scores_and_is_typed() -> None:
    """Paths in a list are scored; the stream is typed by what it yields."""
    items = evaluate_many([NOTARY, Path("nowhere.yaml")])
    assert_type(items, Iterator[EvaluationResult | Failure])
    first, second = list(items)
    assert isinstance(first, EvaluationResult)
    assert isinstance(second, Failure)
    texts = evaluate_many([NOTARY], transform=lambda r: r.source or "")
    assert_type(texts, Iterator[str | Failure])
    assert list(texts) == [str(NOTARY)]
