"""evaluate_many on other executors: process pools, threads, a Dask cluster; bounded windows,
the CPU cap, the start method, and ``score --format jsonl``."""

from __future__ import annotations

import io
import json
import multiprocessing
import shutil
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from perfscore import batch
from perfscore.batch import Failure, evaluate_many
from perfscore.cli import run
from tests.conftest import DATA, EXAMPLES

FORMS = sorted(EXAMPLES.glob("*.yaml")) + sorted((DATA / "forms").glob("*.yaml"))


def _shown(item: Any) -> Any:
    if isinstance(item, Failure):
        return ("failure", item.source, type(item.error).__name__, item.message)
    return item.to_dict()


def _tree(root: Path) -> list[Path]:
    """The fixture forms spread over a folder tree, with a broken file among them, in the
    order a directory walk gives them."""
    for number, form in enumerate(FORMS):
        folder = root / f"dept-{number % 3}" / f"year-{2020 + number % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(form, folder / form.name)
    (root / "dept-1" / "broken.yaml").write_text("indicators: [{name: x, wieght: 5}]\n")
    return sorted(p for p in root.rglob("*.yaml"))


def _inputs(root: Path) -> list[Any]:
    """Paths of a tree, a mapping, a Form object and an invalid mapping."""
    return [
        *_tree(root),
        yaml.safe_load(FORMS[0].read_text("utf-8")),
        perfscore.load_form(FORMS[1]),
        {"indicators": "not a list"},
    ]


def _summary(item: Any) -> Any:
    """A picklable transform."""
    return (item.source, str(item.total), [f.code for f in item.flags])


@pytest.mark.parametrize("transform", [None, _summary], ids=["results", "transformed"])
@pytest.mark.parametrize("kind", ["process", "thread"])
def test_any_executor_gives_the_one_core_items(tmp_path: Path, kind: str, transform: Any) -> None:
    """A caller's process pool or thread pool yields what one core yields, in input order,
    failures included; the caller's executor is left running for the caller to shut."""
    inputs = _inputs(tmp_path)
    serial = [
        _shown(i) if transform is None or isinstance(i, Failure) else i
        for i in evaluate_many(inputs, transform=transform)
    ]
    assert sum(isinstance(s, tuple) and s[0] == "failure" for s in serial) == 2
    pool: Executor = ProcessPoolExecutor(2) if kind == "process" else ThreadPoolExecutor(3)
    with pool:
        items = evaluate_many(inputs, executor=pool, chunk_size=2, transform=transform)
        spread = [_shown(i) if transform is None or isinstance(i, Failure) else i for i in items]
        assert pool.submit(len, "still open").result() == len("still open")
    assert spread == serial


class _Counting(Executor):
    """Runs each task at once, in the calling thread, and counts the tasks handed out."""

    def __init__(self) -> None:
        self.submitted = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.submitted += 1
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


@given(
    workers=st.integers(min_value=1, max_value=4),
    chunk_size=st.integers(min_value=1, max_value=5),
    n=st.integers(min_value=0, max_value=60),
)
def test_window_stays_bounded(workers: int, chunk_size: int, n: int) -> None:
    """However long the stream, no more than four chunks per worker are handed out ahead of
    what the caller has taken — the input is read lazily, as the results are consumed."""
    form = yaml.safe_load(FORMS[0].read_text("utf-8"))
    pulled = 0

    def stream() -> Iterator[Any]:
        nonlocal pulled
        for _ in range(n):
            pulled += 1
            yield form

    executor = _Counting()
    taken = 0
    for _ in evaluate_many(stream(), executor=executor, jobs=workers, chunk_size=chunk_size):
        taken += 1
        window = batch.IN_FLIGHT_PER_WORKER * workers
        assert pulled <= taken + window * chunk_size
    assert taken == n
    assert executor.submitted == -(-n // chunk_size)


def test_window_size_is_asked_of_the_executor() -> None:
    """Without ``jobs`` the window follows the executor's own worker count."""
    with ThreadPoolExecutor(3) as pool:
        assert batch._workers_of(pool) == 3
    assert batch._workers_of(_Counting()) == batch.cpu_count()


def test_jobs_capped_at_the_cpu_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """More jobs than CPUs start no more processes than CPUs; on one CPU none at all."""
    started: list[int] = []

    class Recording(ProcessPoolExecutor):
        def __init__(self, max_workers: int, **kwargs: Any) -> None:
            started.append(max_workers)
            super().__init__(max_workers, **kwargs)

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", Recording)
    monkeypatch.setattr(batch, "cpu_count", lambda: 1)
    assert len(list(evaluate_many(FORMS, jobs=64))) == len(FORMS)
    assert started == []
    monkeypatch.setattr(batch, "cpu_count", lambda: 2)
    assert len(list(evaluate_many(FORMS, jobs=64, chunk_size=2))) == len(FORMS)
    assert started == [2]


def test_pool_uses_the_platform_start_method(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool is started the platform's default way (spawn on macOS), never forced to fork."""
    contexts: list[Any] = []

    class Recording(ProcessPoolExecutor):
        def __init__(self, max_workers: int, **kwargs: Any) -> None:
            contexts.append(kwargs.get("mp_context"))
            super().__init__(max_workers, **kwargs)

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", Recording)
    monkeypatch.setattr(batch, "cpu_count", lambda: 2)
    list(evaluate_many(FORMS[:3], jobs=2, chunk_size=1))
    assert len(contexts) == 1
    method = contexts[0].get_start_method() if contexts[0] else multiprocessing.get_start_method()
    assert method == multiprocessing.get_start_method()


def test_failure_survives_the_trip_between_processes(tmp_path: Path) -> None:
    """A Failure made in a worker keeps its error's kind, file, path and line."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: x\nindicators:\n  - name: a\n    wieght: 5\n", "utf-8")
    (here,) = evaluate_many([bad])
    with ProcessPoolExecutor(1) as pool:
        (there,) = evaluate_many([bad], executor=pool)
    assert isinstance(here, Failure)
    assert isinstance(there, Failure)
    assert type(there.error) is type(here.error)
    for attr in ("source", "path", "line", "expected", "message"):
        assert getattr(there.error, attr) == getattr(here.error, attr)
    assert there.error.line == 4


def test_dask_cluster_gives_the_one_core_items(tmp_path: Path) -> None:
    """A re-score of a folder tree on a local Dask cluster with two worker processes yields
    what one core yields (docs/scale.md shows the same code)."""
    distributed = pytest.importorskip(
        "distributed", reason="the dask extra is not installed (pip install -e '.[dask]')"
    )
    inputs = _inputs(tmp_path)
    serial = [_shown(i) for i in evaluate_many(inputs, "hubei", jobs=1)]
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        executor = client.get_executor()
        assert batch._workers_of(executor) == 2
        spread = [
            _shown(i) for i in evaluate_many(inputs, "hubei", executor=executor, chunk_size=3)
        ]
        texts = list(
            evaluate_many(inputs, "hubei", executor=executor, chunk_size=3, transform=_summary)
        )
    assert spread == serial
    assert [t[0] if isinstance(t, tuple) else t.source for t in texts] == [
        s[1] if isinstance(s, tuple) else s["source"] for s in serial
    ]


def test_score_jsonl_one_object_per_input(tmp_path: Path) -> None:
    """--format jsonl: one compact JSON object a line, in input order, a failed input as an
    object naming its error; the same objects as --format json."""
    paths = [str(p) for p in _tree(tmp_path)]
    out, err = io.StringIO(), io.StringIO()
    code = run(["score", "--format", "jsonl", "--jobs", "2", *paths], out, err)
    lines = out.getvalue().splitlines()
    assert code == 4  # the broken file
    assert len(lines) == len(paths)
    objects = [json.loads(line) for line in lines]
    assert [o["source"] for o in objects] == paths
    (broken,) = [o for o in objects if "error" in o]
    assert broken["source"].endswith("broken.yaml")
    assert broken["error"]["path"] == "indicators[0].wieght"
    assert broken["error"]["line"] == 1
    assert "broken.yaml" in err.getvalue()
    whole = io.StringIO()
    run(["score", "--format", "json", *paths], whole, io.StringIO())
    assert [o for o in objects if "error" not in o] == json.loads(whole.getvalue())
