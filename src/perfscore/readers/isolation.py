"""Reading untrusted files in a bounded worker process.

The spreadsheet, Word, PDF and HTML readers run native code (calamine, lxml, pdfminer's
decompression) that a file of a few kilobytes can make allocate terabytes, abort the interpreter,
panic or loop.  :func:`read_grid_forms` runs them in a worker process whose address space and
CPU time are capped (``resource`` limits), so a hostile file costs one :class:`FormError` naming
the cause — out of memory, out of time, a crash — and never the calling process.

Workers are reused: a batch pays the start-up once, not once per file.  A worker that crashed
or ran out of time is replaced on the next call.  A worker is a fresh interpreter (started as
a subprocess, not forked): a threaded host is never forked mid-lock and a host script's
``__main__`` is never run again.  The limits are
:class:`ReaderLimits`; ``isolate=False`` reads in this process, for trusted files.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from perfscore.errors import FormError, PerfscoreError

if TYPE_CHECKING:
    from perfscore.readers.grid import GridForm

__all__ = ["DEFAULT_LIMITS", "ReaderLimits", "grid_forms", "guarded", "read_grid_forms", "serve"]

#: What one kind of file gives: the forms its grid holds and where each was found (`` #1``).
Found = list[tuple[str, "GridForm"]]


@dataclass(frozen=True, slots=True)
class ReaderLimits:
    """What reading one file may cost in its worker process.

    ``cpu_seconds``: CPU time (the worker is stopped past it); ``memory_bytes``: the worker's
    whole address space, the interpreter and its libraries included (about 70 MB of it);
    ``wall_seconds``: time waited for an answer, however the worker spends it.
    """

    cpu_seconds: int = 5
    memory_bytes: int = 500 * 1024 * 1024
    wall_seconds: float = 30.0


DEFAULT_LIMITS = ReaderLimits()


def grid_forms(kind: str, data: bytes, source: str) -> Found:
    """The forms in ``data`` (a file of ``kind``, as :func:`~perfscore.readers.source.sniff`
    names it, or ``sheets`` for any spreadsheet), each with where it was found (`` [Sheet1]``,
    `` #2``; for ``sheets`` the sheet's name) — read in this process.

    :raises FormError: the reader of the kind refused the file.
    """
    from perfscore.readers.grid import forms_from_grid

    if kind in ("xlsx", "ods", "xls", "encrypted", "sheets"):
        from perfscore.readers.places import GridOrigin, located
        from perfscore.readers.spreadsheet import workbook_grids

        # "sheets": each form with its bare sheet name (an annotated copy marks that sheet).
        return [
            (name if kind == "sheets" else f" [{name}]", form)
            for name, grid in workbook_grids(data, source)
            for form in located(forms_from_grid(grid), GridOrigin(sheet=name))
        ]
    if kind == "docx":
        from perfscore.readers.docx import forms_from_docx

        found = forms_from_docx(data, source)
    elif kind == "pdf":
        from perfscore.readers.pdf import forms_from_pdf

        found = forms_from_pdf(data, source)
    elif kind == "html":
        from perfscore.readers.htmltable import forms_from_html

        found = forms_from_html(data, source)
    elif kind == "webpage":
        from perfscore.readers.webpage import forms_from_webpage

        found = forms_from_webpage(data, source)
    else:
        from perfscore.readers.text import forms_from_text
        from perfscore.readers.webpage import decode_text, encoding_note

        text, encoding = decode_text(data, source)
        found = [encoding_note(form, encoding) for form in forms_from_text(text)]
    return [(f" #{i + 1}", form) for i, form in enumerate(found)]


def guarded(kind: str, data: bytes, source: str) -> Found:
    """:func:`grid_forms`, with whatever a reader library raises — its own errors, a Rust
    panic (a ``BaseException``), memory or recursion exhausted — as a :class:`FormError`."""
    try:
        return grid_forms(kind, data, source)
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except PerfscoreError as exc:
        error = exc
    except MemoryError:
        error = FormError("the file is too large to read", source=source)
    except RecursionError:
        error = FormError("the file is nested too deeply to read", source=source)
    except BaseException as exc:  # a library's error or panic: reported, never a traceback
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        reason = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
        error = FormError(f"cannot read the file ({reason})", source=source)
    # Without the library's exception behind it: that may not cross to another process.
    error.__context__ = error.__cause__ = None
    raise error


def read_grid_forms(
    kind: str,
    data: bytes,
    source: str,
    *,
    isolate: bool = True,
    limits: ReaderLimits = DEFAULT_LIMITS,
) -> Found:
    """:func:`grid_forms` in a bounded worker process (or, with ``isolate=False``, here).

    :raises FormError: the file was refused, or its reading crashed the worker or went past
        ``limits`` — the message names which.
    """
    if not isolate:
        return guarded(kind, data, source)
    worker = _take(limits)
    try:
        answer = worker.ask((kind, data, source), limits, source)
    except BaseException:
        worker.stop()
        raise
    if worker.process.returncode is None:
        _give_back(worker)
    if isinstance(answer, PerfscoreError):
        raise answer
    found: Found = answer
    return found


class _Worker:
    """One worker process (a fresh interpreter: nothing of the host's ``__main__`` is run
    again, no thread of the host is forked) and the pipes to it: pickles both ways."""

    def __init__(self, limits: ReaderLimits) -> None:
        import subprocess
        import sys

        home = str(Path(__file__).resolve().parents[2])  # perfscore's own import root
        code = (
            f"import sys; sys.path.insert(0, {home!r}); "
            f"from perfscore.readers.isolation import serve; serve({limits.memory_bytes})"
        )
        self.limits = limits
        self.pid = os.getpid()
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # What a library prints as it fails (a Rust panic's backtrace) is not the caller's
            # to read: the file's FormError says what happened.
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C at the terminal goes to the caller, not here
        )
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout

    def ask(self, job: tuple[str, bytes, str], limits: ReaderLimits, source: str) -> Any:
        """The worker's answer to ``job``: forms, or the FormError it raised."""
        import pickle
        import select

        try:
            pickle.dump((job, limits.cpu_seconds), self.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.stdin.flush()
            ready, _, _ = select.select([self.stdout], [], [], limits.wall_seconds)
            if ready:
                return pickle.load(self.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):
            pass  # the worker died: its exit code says why
        else:
            self.stop()
            return FormError(
                f"reading the file took longer than {limits.wall_seconds:g} s",
                source=source,
                expected="a form that reads within the reader's limits",
            )
        self.stop()
        return FormError(_death(self.process.returncode, limits), source=source)

    def stop(self) -> None:
        import subprocess

        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        for pipe in (self.stdin, self.stdout):
            with contextlib.suppress(OSError):
                pipe.close()


def _death(code: int | None, limits: ReaderLimits) -> str:
    """Why a worker ended, from its exit code, as the file's error."""
    megabytes = limits.memory_bytes // (1024 * 1024)
    if code == -signal.SIGXCPU:
        return f"reading the file took more than {limits.cpu_seconds} s of CPU time"
    if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL, -signal.SIGBUS):
        name = signal.Signals(-code).name
        return (
            f"the reader crashed on the file ({name}; most often a file that unpacks to more "
            f"than the {megabytes:,} MB a reader may use)"
        )
    return f"the reader stopped on the file (exit code {code})"


_IDLE: list[_Worker] = []
_LOCK = threading.Lock()


def _take(limits: ReaderLimits) -> _Worker:
    """An idle worker started with ``limits`` in this process, or a new one."""
    with _LOCK:
        for worker in _IDLE:
            if worker.limits == limits and worker.pid == os.getpid():
                _IDLE.remove(worker)
                return worker
    return _Worker(limits)


def _give_back(worker: _Worker) -> None:
    with _LOCK:
        _IDLE.append(worker)
        while len(_IDLE) > 4:  # a few limit settings at once at most; the oldest goes
            _IDLE.pop(0).stop()


def _forget() -> None:
    # A forked child (a batch worker) must not share its parent's readers: it starts its own
    # (and a lock another thread of the parent held at the fork would never be released).
    global _LOCK
    _LOCK = threading.Lock()
    _IDLE.clear()


def _stop_all() -> None:
    with _LOCK:
        while _IDLE:
            _IDLE.pop().stop()


os.register_at_fork(after_in_child=_forget)
atexit.register(_stop_all)


def serve(memory: int) -> None:
    """The worker's loop (run in the worker process only): read each file asked for on stdin,
    under the memory limit and each file's CPU limit, and answer on stdout."""
    import math
    import pickle
    import sys

    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # what a library prints goes where stderr goes, never into the answers
    asked = sys.stdin.buffer
    try:
        import resource
    except ImportError:  # no resource limits on this platform: the wall-clock limit remains
        resource = None  # type: ignore[assignment]
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # The grid reader is needed for every file: loaded once, not on the first file's time.
    import perfscore.readers.grid  # noqa: F401

    while True:
        try:
            job, cpu = pickle.load(asked)
        except (EOFError, OSError):
            return
        if resource is not None:
            used = resource.getrusage(resource.RUSAGE_SELF)
            # The limit is the worker's whole CPU time, in whole seconds: rounded down, so a
            # file never gets more than its ``cpu`` seconds (at least ``cpu`` - 1).
            until = max(math.floor(used.ru_utime + used.ru_stime + cpu), 1)
            resource.setrlimit(resource.RLIMIT_CPU, (until, resource.RLIM_INFINITY))
        try:
            answer: Any = guarded(*job)
        except PerfscoreError as exc:
            answer = exc
        pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()
