"""Reading and writing files safely (文件读写): bounded reads of regular files only, and outputs
that never overwrite an input and never leave a half-written file.

Reads open the file without blocking and check what it is before reading a byte, so a FIFO, a
device or ``/dev/zero`` named as a form is refused instead of hanging or filling memory.
Writes go to a temporary file in the target's own directory that is renamed over the target
once complete (the rename is atomic on one file system), after checking that the target is not
one of the files being read.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from perfscore.errors import OutputError, PerfscoreError

__all__ = [
    "atomic_path",
    "read_regular_file",
    "refuse_overwrite",
    "same_file",
    "text_output",
    "writes_through",
]


def _process_umask() -> int:
    # Read once at import: os.umask can only be read by setting it, which would race with
    # other threads creating files.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _process_umask()


def read_regular_file(
    path: str | Path, *, max_bytes: int, error: type[PerfscoreError] = PerfscoreError
) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes`` of them.

    :raises PerfscoreError: (of the kind ``error``) for a missing file, one that is not a
        regular file (directory, FIFO, device, socket), or one larger than ``max_bytes``.
    """
    source = str(path)
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise error("no such file", source=source) from None
    except IsADirectoryError:
        raise error("is a directory, not a file", source=source) from None
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", source=source) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error("not a regular file", source=source, expected="a file on disk")
        if info.st_size > max_bytes:
            raise error(
                f"the file is {info.st_size:,} bytes, more than the {max_bytes:,} accepted",
                source=source,
            )
        chunks: list[bytes] = []
        size = 0
        # Read one byte past the limit: a file that grew since fstat is still caught.
        while size <= max_bytes:
            chunk = os.read(fd, max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise error(f"the file is larger than the {max_bytes:,} bytes accepted", source=source)
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", source=source) from None
    finally:
        os.close(fd)


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` name the same file (through links, ``..`` or case-insensitive
    file systems); a path that does not exist is nobody's input."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def refuse_overwrite(target: str | Path, inputs: Iterable[str | Path], *, what: str) -> None:
    """Refuse to write ``target`` when it is one of ``inputs`` (the files being read).

    :raises OutputError: naming the target, e.g. "the output is also an input".
    """
    for source in inputs:
        if same_file(target, source):
            raise OutputError(
                f"{what} would overwrite the input {source}",
                source=str(target),
                expected="an output path that is not one of the files read",
            )


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside ``target`` (same directory, same suffix) to write to; renamed
    over ``target`` when the block ends without an exception, removed otherwise.

    :raises OutputError: when the target's directory cannot be written.
    """
    final = Path(target)
    directory = final.parent
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{final.name}.", suffix=f".tmp{final.suffix}", dir=directory
        )
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", source=str(final)) from None
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        # The new file gets the permissions a plain open() would have given it, not mkstemp's
        # 0600: an annotated copy should be as readable as the workbook it came from.
        with suppress(OSError):
            os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, final)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", source=str(final)) from None
    finally:
        with suppress(FileNotFoundError):
            temporary.unlink()


def writes_through(target: str | Path) -> bool:
    """Whether ``target`` is a FIFO or a character device (``/dev/null``, ``/dev/stdout``, a
    terminal): written to as it is, never replaced by a regular file."""
    try:
        mode = os.stat(target).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


@contextmanager
def text_output(target: str | Path) -> Iterator[TextIO]:
    """A UTF-8 text stream onto ``target``: a FIFO or a device written through, any other path
    written beside it and renamed when complete (see :func:`atomic_path`).  What UTF-8 cannot
    encode (a lone surrogate in a form, an undecodable file name) is written as an escape
    (``\\udcff``), never an error halfway through a report.

    :raises OutputError: the target cannot be written.
    """
    if writes_through(target):
        try:
            stream = open(  # noqa: SIM115  # closed by the with below, once open succeeded
                target, "w", encoding="utf-8", errors="backslashreplace", newline=""
            )
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", source=str(target)) from None
        with stream:
            yield stream
        return
    with (
        atomic_path(target) as temporary,
        open(temporary, "w", encoding="utf-8", errors="backslashreplace", newline="") as stream,
    ):
        yield stream
