"""Batches being scored: each a :class:`Job` with its private folder, scored in a worker thread.

A :class:`JobStore` belongs to one server and keeps at most ``max_jobs`` batches.  A batch's
uploads live in its own folder under the store's private temporary directory (mode 0700) and
are removed with the batch: when the auditor clears it, when it has been finished for
``job_seconds``, when room is needed for a new one (the oldest finished goes first), or when the
server stops.  Scoring runs in the store's thread pool, one file at a time, so the page can
show each form as it finishes; the files are read by the same bounded readers (a worker
process with memory and CPU limits) as ``perfscore score``.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from perfscore.batch import Failure, evaluate_many
from perfscore.engine.pipeline import EvaluationResult
from perfscore.errors import PerfscoreError
from perfscore.ruleset.rules import RuleSet

__all__ = ["Busy", "Job", "JobStore", "Progress", "Upload", "remove_folder"]

State = Literal["queued", "running", "done", "cancelled"]


class Busy(PerfscoreError):
    """Every batch the server keeps is still being scored."""


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: the name the auditor gave it (shown, never used as a path) and
    where it was saved (a name perfscore chose)."""

    name: str
    path: Path


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot of a batch for the page: files done of total, and the outcome so far."""

    state: State
    done: int
    total: int
    items: tuple[tuple[Upload, EvaluationResult | Failure], ...]


@dataclass(eq=False)
class Job:
    """One batch: its folder, uploads, rule set and what scoring has produced so far."""

    id: str
    folder: Path
    uploads: tuple[Upload, ...]
    rules: RuleSet
    rules_name: str
    lang: Literal["zh", "en"] = "zh"
    rule_findings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    waivers: Any = None
    #: Other files of the batch (its rule file, its waivers file) and the names they came by.
    aliases: tuple[tuple[str, str], ...] = ()
    created: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _items: list[tuple[Upload, EvaluationResult | Failure]] = field(default_factory=list)
    _done: int = 0
    _state: State = "queued"
    _finished: float | None = None
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)

    def progress(self) -> Progress:
        """What is done so far (a consistent snapshot)."""
        with self._lock:
            return Progress(self._state, self._done, len(self.uploads), tuple(self._items))

    def results(self) -> list[EvaluationResult]:
        """The forms scored so far, in upload order."""
        return [r for _, r in self.progress().items if isinstance(r, EvaluationResult)]

    def finished_for(self, now: float) -> float | None:
        """Seconds since scoring ended, or None while it runs."""
        with self._lock:
            return None if self._finished is None else now - self._finished

    def named(self, text: str) -> str:
        """``text`` with every private path of this batch's files replaced by the name the
        auditor gave the file (a report or an explanation may name the file it read)."""
        for upload in self.uploads:
            text = text.replace(str(upload.path), upload.name)
        for saved, name in self.aliases:
            text = text.replace(saved, name)
        return text.replace(str(self.folder) + "/", "").replace(str(self.folder), "")

    def stop(self) -> None:
        """Ask the scoring to stop after the file in hand."""
        self._stop.set()

    def run(self) -> None:
        """Score every upload in order (called in the store's worker thread)."""
        with self._lock:
            self._state = "running"
        try:
            for upload in self.uploads:
                if self._stop.is_set():
                    break
                found = list(self._score(upload))
                with self._lock:
                    self._items += [(upload, item) for item in found]
                    self._done += 1
        finally:
            with self._lock:
                self._state = "cancelled" if self._stop.is_set() else "done"
                self._finished = time.monotonic()

    def _score(self, upload: Upload) -> Iterator[EvaluationResult | Failure]:
        """The forms of one file, their sources and messages naming the upload, not the
        private path it was saved under."""
        options: dict[str, Any] = {"lang": self.lang}
        if self.waivers is not None:
            options["waivers"] = self.waivers
        saved = str(upload.path)
        for item in evaluate_many([upload.path], self.rules, **options):
            if isinstance(item, Failure):
                error = item.error
                message = str(error).replace(saved, upload.name)
                yield Failure(upload.name, PerfscoreError(message))
            else:
                yield _renamed(item, saved, upload.name)


def _renamed(result: EvaluationResult, saved: str, name: str) -> EvaluationResult:
    """``result`` naming the upload where it named the private path: its source and the file
    of each flag's place."""
    flags = tuple(
        f._replace(source=f.source._replace(file=f.source.file.replace(saved, name)))
        if f.source is not None and f.source.file and saved in f.source.file
        else f
        for f in result.flags
    )
    return replace(result, source=(result.source or saved).replace(saved, name), flags=flags)


class JobStore:
    """The batches of one server, bounded, with their private folders."""

    def __init__(self, max_jobs: int, job_seconds: int, workers: int = 2) -> None:
        self.max_jobs = max_jobs
        self.job_seconds = job_seconds
        self.root = Path(tempfile.mkdtemp(prefix="perfscore-web-"))  # created 0700
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="perfscore-job")

    def folder(self) -> Path:
        """A new private folder for a batch's uploads."""
        return Path(tempfile.mkdtemp(dir=self.root))

    def new_id(self) -> str:
        """An id nobody can guess (it is the batch's only key)."""
        return secrets.token_urlsafe(16)

    def submit(self, job: Job) -> None:
        """Keep ``job`` and start scoring it.

        :raises Busy: every kept batch is still being scored (the job's folder is removed).
        """
        with self._lock:
            self._expire(time.monotonic(), room=True)
            if len(self._jobs) >= self.max_jobs:
                remove_folder(job.folder)
                raise Busy(
                    f"refused: {len(self._jobs)} batches are being scored, the most this "
                    "server keeps at once; wait for one to finish or clear one"
                )
            self._jobs[job.id] = job
        self._pool.submit(job.run)

    def get(self, job_id: str) -> Job | None:
        """The batch ``job_id``, or None (never kept, cleared or expired)."""
        with self._lock:
            self._expire(time.monotonic())
            return self._jobs.get(job_id)

    def remove(self, job_id: str) -> bool:
        """Stop and forget a batch and remove its folder; False when there was none."""
        with self._lock:
            job = self._jobs.pop(job_id, None)
        if job is None:
            return False
        job.stop()
        remove_folder(job.folder)
        return True

    def _expire(self, now: float, room: bool = False) -> None:
        """Drop expired batches and, to make ``room`` for one more, the oldest finished ones
        while the store is full (called with the lock held)."""
        finished = sorted(
            (age, job.created, job.id)
            for job in self._jobs.values()
            if (age := job.finished_for(now)) is not None
        )
        for age, _, job_id in reversed(finished):  # the oldest first
            if age < self.job_seconds and not (room and len(self._jobs) >= self.max_jobs):
                break
            remove_folder(self._jobs.pop(job_id).folder)

    def close(self) -> None:
        """Stop every batch and remove the store's folder (the server is stopping)."""
        with self._lock:
            jobs = list(self._jobs.values())
            self._jobs.clear()
        for job in jobs:
            job.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)
        remove_folder(self.root)


def remove_folder(folder: Path) -> None:
    """Remove a batch folder and everything in it (gone already is fine)."""
    shutil.rmtree(folder, ignore_errors=True)
