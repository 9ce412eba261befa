"""Scoring many forms: a stream in, a stream out, in input order, on one core or several.

:func:`evaluate_many` takes any iterable of forms (paths, mappings or :class:`Form` objects) and
yields one item per input, in input order: an :class:`~perfscore.engine.EvaluationResult`, or a
:class:`Failure` for an input that could not be read.  It never holds more than a small window of
forms at once, so memory stays flat however long the stream.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from perfscore.engine import EvaluationResult, evaluate
from perfscore.errors import PerfscoreError
from perfscore.form import Form, form_from_data
from perfscore.readers import load_forms
from perfscore.rules import RuleSet, load_rules

__all__ = ["Failure", "evaluate_many"]

FormInput = Form | Mapping[str, Any] | str | Path


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be scored, and why."""

    source: str
    error: PerfscoreError

    @property
    def message(self) -> str:
        """The error as one line."""
        return str(self.error)


# A form ready to score, and the source its result carries (None: keep the form's own).
Ready = tuple[Form, str | None]


def _read(form: FormInput, index: int) -> list[Ready] | Failure:
    """The validated forms an input holds: a file may hold several (a workbook, a text)."""
    try:
        if isinstance(form, (str, Path)):
            forms = load_forms(form)
            if len(forms) == 1:
                return [(forms[0], str(form))]
            return [(f, f"{form} #{i + 1}") for i, f in enumerate(forms)]
        return [(form if isinstance(form, Form) else form_from_data(form), None)]
    except PerfscoreError as exc:
        return Failure(str(form) if isinstance(form, (str, Path)) else f"<form {index}>", exc)


def _score(
    ready: Ready, rules: str | Path | RuleSet, lang: Literal["zh", "en"], index: int
) -> EvaluationResult | Failure:
    form, source = ready
    try:
        result = evaluate(form, rules, lang=lang)
    except PerfscoreError as exc:
        return Failure(source or f"<form {index}>", exc)
    return result if source is None else replace(result, source=source)


def _one(
    form: FormInput, rules: str | Path | RuleSet, lang: Literal["zh", "en"], index: int
) -> list[EvaluationResult | Failure]:
    """Read and score one input."""
    read = _read(form, index)
    if isinstance(read, Failure):
        return [read]
    return [_score(ready, rules, lang, index) for ready in read]


# Each worker process loads the rule set once, on its first chunk.
_worker_rules: dict[str, RuleSet] = {}

Chunk = list[tuple[int, FormInput]]


def _work(
    chunk: Chunk,
    rules_key: str,
    lang: Literal["zh", "en"],
    transform: Callable[[EvaluationResult], Any] | None,
) -> list[Any]:
    """Read, score and transform a chunk where it lands, sending back only what ``transform``
    makes of each result."""
    rules = _worker_rules.get(rules_key)
    if rules is None:
        rules = _worker_rules[rules_key] = load_rules(rules_key)
    items = [item for index, form in chunk for item in _one(form, rules, lang, index)]
    if transform is None:
        return items
    return [item if isinstance(item, Failure) else transform(item) for item in items]


def _read_chunk(chunk: Chunk) -> list[tuple[int, list[Ready] | Failure]]:
    """Read and validate a chunk; the parent scores it."""
    return [(index, _read(form, index)) for index, form in chunk]


def _start_worker() -> None:
    # A forked worker inherits the parent's whole heap.  Freezing it keeps the worker's garbage
    # collector from walking those objects over and over — each walk also writes to their
    # pages, undoing copy-on-write sharing — so the worker's time goes to its own forms.
    gc.freeze()


def evaluate_many(
    forms: Iterable[FormInput],
    rules: str | Path | RuleSet = "national-2020",
    *,
    lang: Literal["zh", "en"] = "zh",
    jobs: int = 1,
    chunk_size: int = 32,
    transform: Callable[[EvaluationResult], Any] | None = None,
) -> Iterator[Any]:
    """Score every form of ``forms``; yield results (or :class:`Failure`) in input order.

    ``jobs`` > 1 spreads reading and validating — most of the work — over that many processes
    in chunks of ``chunk_size`` forms, and scores in this process; at most four chunks per
    process are in flight, so a stream of any length runs in bounded memory.  ``transform`` (a
    picklable, module-level function) is applied to each result where it is made: the workers
    then score too and send back only what the caller needs — a report's text, say.

    :raises RuleSetError: the rule set cannot be loaded (checked before any form is read).
    """
    ruleset = load_rules(rules)
    if jobs <= 1:
        for index, form in enumerate(forms):
            for item in _one(form, ruleset, lang, index):
                yield item if transform is None or isinstance(item, Failure) else transform(item)
        return
    # Imported here: process pools cost a start-up the single-core path should not pay.
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    # Workers receive the rule set's file, not the compiled object (it holds compiled code).
    key = ruleset.source_file or ruleset.name
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # Without a transform the workers only read and validate, which is most of the cost, and
    # the parent scores: a validated form crosses processes for a third of what a whole result
    # costs to pickle and rebuild, and scoring from the parent's warm caches is quick.
    pending: deque[Future[list[Any]]] = deque()
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker
    ) as pool:

        def done(future: Future[list[Any]]) -> Iterator[Any]:
            if transform is not None:
                yield from future.result()
                return
            for index, read in future.result():
                if isinstance(read, Failure):
                    yield read
                else:
                    for ready in read:
                        yield _score(ready, ruleset, lang, index)

        for chunk in _chunks(forms, chunk_size):
            if transform is None:
                pending.append(pool.submit(_read_chunk, chunk))
            else:
                pending.append(pool.submit(_work, chunk, key, lang, transform))
            if len(pending) >= 4 * jobs:
                yield from done(pending.popleft())
        while pending:
            yield from done(pending.popleft())


def _chunks(forms: Iterable[FormInput], size: int) -> Iterator[Chunk]:
    chunk: Chunk = []
    for index, form in enumerate(forms):
        chunk.append((index, form))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
