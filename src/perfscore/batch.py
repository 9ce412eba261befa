"""Scoring many forms: a stream in, a stream out, in input order, on one core or many machines.

:func:`evaluate_many` takes any iterable of forms (paths, mappings or :class:`Form` objects) and
yields one item per input, in input order: an :class:`~perfscore.engine.pipeline.EvaluationResult`,
or a :class:`Failure` for an input that could not be read.  It never holds more than a small window
of forms at once, so memory stays flat however long the stream.

The work can go to processes of this machine (``jobs=N``) or to any
:class:`concurrent.futures.Executor` (``executor=``): a process pool, ``loky``, or a Dask
cluster's ``Client.get_executor()``.  Chunks of forms are sent out and results taken back in
order; at most a few chunks per worker are in flight.
"""

from __future__ import annotations

import gc
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from perfscore.engine.pipeline import EvaluationResult, evaluate
from perfscore.errors import PerfscoreError
from perfscore.form.model import Form, form_from_data
from perfscore.readers import load_forms
from perfscore.readers.isolation import DEFAULT_LIMITS, ReaderLimits
from perfscore.ruleset.rules import RuleSet, load_rules, shipped_dir
from perfscore.waivers import WaiverInput, Waivers, load_waivers

if TYPE_CHECKING:  # concurrent.futures imports logging: a start-up one form should not pay
    from concurrent.futures import Executor, Future

__all__ = ["Failure", "cpu_count", "evaluate_many"]

FormInput = Form | Mapping[str, Any] | str | Path
_T = TypeVar("_T")

# Chunks in flight per worker: enough that no worker waits for the next chunk while this
# process takes results in, few enough that memory stays bounded.
IN_FLIGHT_PER_WORKER = 4


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


def _read(form: FormInput, index: int, limits: ReaderLimits) -> list[Ready] | Failure:
    """The validated forms an input holds: a file may hold several (a workbook, a text)."""
    try:
        if isinstance(form, (str, Path)):
            forms = load_forms(form, limits=limits)
            if len(forms) == 1:
                return [(forms[0], str(form))]
            return [(f, f"{form} #{i + 1}") for i, f in enumerate(forms)]
        return [(form if isinstance(form, Form) else form_from_data(form), None)]
    except PerfscoreError as exc:
        return Failure(_source(form, index), exc)


def _score(
    ready: Ready,
    rules: str | Path | RuleSet,
    lang: Literal["zh", "en"],
    index: int,
    waivers: Waivers | None = None,
) -> EvaluationResult | Failure:
    form, source = ready
    try:
        result = evaluate(form, rules, lang=lang, waivers=waivers)
    except PerfscoreError as exc:
        return Failure(source or f"<form {index}>", exc)
    return result if source is None else replace(result, source=source)


def _one(
    form: FormInput,
    rules: str | Path | RuleSet,
    lang: Literal["zh", "en"],
    index: int,
    limits: ReaderLimits = DEFAULT_LIMITS,
    waivers: Waivers | None = None,
) -> list[EvaluationResult | Failure]:
    """Read and score one input."""
    read = _read(form, index, limits)
    if isinstance(read, Failure):
        return [read]
    return [_score(ready, rules, lang, index, waivers) for ready in read]


Chunk = list[tuple[int, FormInput]]


def _work(
    chunk: Chunk,
    rules_key: str,
    lang: Literal["zh", "en"],
    transform: Callable[[EvaluationResult], Any] | None,
    limits: ReaderLimits = DEFAULT_LIMITS,
    waivers: Waivers | None = None,
) -> list[Any]:
    """Read, score and transform a chunk where it lands, sending back only what ``transform``
    makes of each result.  The rule set is loaded by name or path where the chunk runs (a
    compiled rule set holds compiled code; its name travels instead), once per process."""
    rules = load_rules(rules_key)
    items = [
        item for index, form in chunk for item in _one(form, rules, lang, index, limits, waivers)
    ]
    if transform is None:
        return items
    return [item if isinstance(item, Failure) else transform(item) for item in items]


def _start_worker() -> None:
    # A forked worker inherits the parent's whole heap.  Freezing it keeps the worker's garbage
    # collector from walking those objects over and over — each walk also writes to their
    # pages, undoing copy-on-write sharing — so the worker's time goes to its own forms.
    gc.freeze()
    # Ctrl-C is the parent's to handle (it stops the pool): no traceback from every worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity where the platform tells), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def _rules_key(ruleset: RuleSet) -> str:
    """How a worker names the rule set: a shipped set by its name (which resolves wherever
    perfscore is installed, a cluster's machines included), another by its file's path."""
    if ruleset.source_file is None:
        return ruleset.name
    path = Path(ruleset.source_file)
    if path.parent == shipped_dir() and path.suffix == ".yaml":
        return path.stem
    return str(path.resolve())


def _workers_of(executor: Executor) -> int:
    """How many tasks ``executor`` runs at once, where it tells: the standard pools and loky
    keep ``_max_workers``; a Dask ``ClientExecutor`` reaches its cluster through ``_client``.
    Otherwise the CPU count of this machine."""
    count = getattr(executor, "_max_workers", None)
    if isinstance(count, int) and count > 0:
        return count
    client = getattr(executor, "_client", None)
    nthreads = getattr(client, "nthreads", None)
    if callable(nthreads):
        try:
            return max(1, sum(int(n) for n in nthreads().values()))
        except Exception:  # a cluster that cannot answer: size the window by this machine
            pass
    return cpu_count()


@overload
def evaluate_many(
    forms: Iterable[FormInput],
    rules: str | Path | RuleSet = ...,
    *,
    lang: Literal["zh", "en"] = ...,
    jobs: int | None = ...,
    chunk_size: int = ...,
    transform: None = ...,
    executor: Executor | None = ...,
    reader_limits: ReaderLimits = ...,
    waivers: WaiverInput | None = ...,
) -> Iterator[EvaluationResult | Failure]: ...


@overload
def evaluate_many(
    forms: Iterable[FormInput],
    rules: str | Path | RuleSet = ...,
    *,
    lang: Literal["zh", "en"] = ...,
    jobs: int | None = ...,
    chunk_size: int = ...,
    transform: Callable[[EvaluationResult], _T],
    executor: Executor | None = ...,
    reader_limits: ReaderLimits = ...,
    waivers: WaiverInput | None = ...,
) -> Iterator[_T | Failure]: ...


def evaluate_many(
    forms: Iterable[FormInput],
    rules: str | Path | RuleSet = "national-2020",
    *,
    lang: Literal["zh", "en"] = "zh",
    jobs: int | None = None,
    chunk_size: int = 32,
    transform: Callable[[EvaluationResult], Any] | None = None,
    executor: Executor | None = None,
    reader_limits: ReaderLimits = DEFAULT_LIMITS,
    waivers: WaiverInput | None = None,
) -> Iterator[Any]:
    """Score every form of ``forms``; yield results (or :class:`Failure`) in input order:
    an :class:`~perfscore.engine.pipeline.EvaluationResult` each, or what ``transform`` makes
    of it.

    By default every form is scored in this process.  ``jobs`` > 1 spreads the work over that
    many processes of this machine (at most one per CPU), started the platform's safe way
    (``fork`` where it is the default, as on Linux up to Python 3.13; ``spawn`` on macOS and
    Windows).  ``executor`` sends it to any
    :class:`concurrent.futures.Executor` instead — a ``ProcessPoolExecutor``, a loky executor, a
    Dask cluster's ``Client.get_executor()`` — which the caller owns and shuts down; ``jobs``
    then says how many tasks it runs at once (asked of the executor when not given).

    Forms go out in chunks of ``chunk_size``; at most four chunks per worker are in flight, so
    a stream of any length runs in bounded memory.  The workers read, validate and score — on
    rows never seen before, scoring is most of the cost, so it goes where the cores are — and
    send back whole results, or, with ``transform`` (a picklable function applied to each
    result where it is made), only what the caller needs: a report's text, say.  Paths are
    opened where the chunk runs: on a cluster the forms (and a rule file given by path) must
    be at the same path on every machine.

    Files are read within ``reader_limits`` (see :func:`perfscore.readers.load_forms`): one
    that exhausts a reader is that input's :class:`Failure`, and the stream goes on.  ``waivers``
    are read once, here, and applied as :func:`~perfscore.engine.pipeline.evaluate` applies them.

    :raises TypeError: ``forms`` is one form (a path, a mapping, a :class:`Form`), not an
        iterable of them: ``evaluate_many("a.yaml")`` would score the path's characters.
    :raises ValueError: ``jobs`` or ``chunk_size`` below 1.
    :raises RuleSetError: the rule set cannot be loaded.
    :raises WaiverError: the waivers cannot be read.

    All of these are raised by the call itself, before any form is read.
    """
    _check_arguments(forms, jobs, chunk_size)
    ruleset = load_rules(rules)
    limits = (reader_limits, None if waivers is None else load_waivers(waivers))
    return _stream(forms, ruleset, lang, jobs, chunk_size, transform, executor, limits)


def _check_arguments(forms: object, jobs: int | None, chunk_size: int) -> None:
    """Refuse, at the call, arguments that would score nonsense or nothing."""
    if isinstance(forms, str | bytes | Path | Mapping | Form):
        kind = "path" if isinstance(forms, str | bytes | Path) else "single form"
        raise TypeError(
            f"evaluate_many takes an iterable of forms (paths, mappings or Form objects), "
            f"not a {kind} ({type(forms).__name__}): pass [{_shown_input(forms)}], "
            "or perfscore.evaluate for one form"
        )
    if not isinstance(forms, Iterable):
        raise TypeError(
            "evaluate_many takes an iterable of forms (paths, mappings or Form objects), "
            f"not {type(forms).__name__}"
        )
    for name, value in (("jobs", jobs), ("chunk_size", chunk_size)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"{name} must be a whole number, not {type(value).__name__}")
        if value is not None and value < 1:
            raise ValueError(f"{name} must be 1 or more, not {value}")


def _shown_input(forms: object) -> str:
    if isinstance(forms, str | Path):
        return repr(str(forms))
    return "form"


def _stream(
    forms: Iterable[FormInput],
    ruleset: RuleSet,
    lang: Literal["zh", "en"],
    jobs: int | None,
    chunk_size: int,
    transform: Callable[[EvaluationResult], Any] | None,
    executor: Executor | None,
    limits: tuple[ReaderLimits, Waivers | None],
) -> Iterator[Any]:
    """:func:`evaluate_many`'s work, once its arguments are checked; ``limits`` are the
    reader limits and the waivers every form is scored with."""
    if executor is not None:
        workers = jobs if jobs is not None and jobs > 0 else _workers_of(executor)
        yield from _spread(executor, workers, forms, ruleset, lang, chunk_size, transform, limits)
        return
    jobs = min(jobs or 1, cpu_count())
    if jobs <= 1:
        for index, form in enumerate(forms):
            for item in _one(form, ruleset, lang, index, *limits):
                yield item if transform is None or isinstance(item, Failure) else transform(item)
        return
    # Imported here: process pools cost a start-up the single-core path should not pay.
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker)
    try:
        yield from _spread(pool, jobs, forms, ruleset, lang, chunk_size, transform, limits)
    except BaseException:
        # Ctrl-C, or a caller that closed the stream: nothing more is started, nothing waited for.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _spread(
    executor: Executor,
    workers: int,
    forms: Iterable[FormInput],
    ruleset: RuleSet,
    lang: Literal["zh", "en"],
    chunk_size: int,
    transform: Callable[[EvaluationResult], Any] | None,
    limits: tuple[ReaderLimits, Waivers | None],
) -> Iterator[Any]:
    """Send chunks to ``executor``, at most a few per worker in flight; yield in input order.
    ``limits`` are the reader limits and the waivers every chunk is scored with."""
    key = _rules_key(ruleset)
    pending: deque[tuple[Future[list[Any]] | None, Chunk]] = deque()
    job = (key, lang, transform, *limits)
    try:
        for chunk in _chunks(forms, chunk_size):
            try:
                pending.append((executor.submit(_work, chunk, *job), chunk))
            except Exception:  # a pool already broken: the chunk is done here
                pending.append((None, chunk))
            if len(pending) >= IN_FLIGHT_PER_WORKER * max(workers, 1):
                yield from _settle(*pending.popleft(), job)
        while pending:
            yield from _settle(*pending.popleft(), job)
    finally:
        # A caller that stops early (or an error) leaves nothing running on its behalf.
        for future, _ in pending:
            if future is not None:
                future.cancel()


def _settle(future: Future[list[Any]] | None, chunk: Chunk, job: tuple[Any, ...]) -> list[Any]:
    """A chunk's results from its worker; if it could not be sent (an item that cannot be
    pickled) or its worker is gone, each item is done here, and an item that cannot be sent
    is a :class:`Failure` as it would be with ``jobs=1``'s bad input."""
    if future is not None:
        try:
            return future.result()
        except Exception:  # the chunk, or the pool, failed: item by item below
            pass
    import pickle

    items: list[Any] = []
    for index, form in chunk:
        try:
            pickle.dumps(form)
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"
            error = PerfscoreError(f"cannot be sent to a worker process ({reason})")
            items.append(Failure(_source(form, index), error))
            continue
        items += _work([(index, form)], *job)
    return items


def _source(form: object, index: int) -> str:
    return str(form) if isinstance(form, (str, Path)) else f"<form {index}>"


def _chunks(forms: Iterable[FormInput], size: int) -> Iterator[Chunk]:
    chunk: Chunk = []
    for index, form in enumerate(forms):
        chunk.append((index, form))
        if len(chunk) >= max(size, 1):
            yield chunk
            chunk = []
    if chunk:
        yield chunk
