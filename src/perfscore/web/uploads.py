"""Uploaded files to a batch's private folder, under names perfscore chooses.

The name a browser sends (``2024/社工服务.xlsx`` for a file of a dropped folder) is kept only
as text to show; the file is saved as ``0007.xlsx`` — a number and the suffix, which must be
one perfscore reads — so no upload name is ever part of a path.  Files perfscore does not read
(a ``.doc``, an Office lock file ``~$x.xlsx``, a hidden file) are passed over with a note, as
``perfscore score DIR`` passes them over.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol

from perfscore.errors import PerfscoreError
from perfscore.readers import SUFFIXES
from perfscore.web.jobs import Upload

__all__ = ["RULE_SUFFIXES", "Uploaded", "display_name", "save_rule_file", "save_uploads"]

#: Suffixes of a rule file or a waivers file.
RULE_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
_MAX_NAME = 240


class Uploaded(Protocol):
    """What an upload offers (Starlette's ``UploadFile``): the browser's name, the bytes."""

    filename: str | None
    file: BinaryIO


def display_name(raw: str | None, fallback: str) -> str:
    """The upload's name as text fit to show: ``\\`` as ``/``, control characters and empty
    parts dropped, at most 240 characters; ``fallback`` when nothing is left."""
    text = "".join(c for c in (raw or "").replace("\\", "/") if unicodedata.category(c)[0] != "C")
    parts = [p for p in text.split("/") if p.strip() and p not in (".", "..")]
    name = "/".join(parts).strip()
    if len(name) > _MAX_NAME:
        name = "…" + name[-(_MAX_NAME - 1) :]
    return name or fallback


def _suffix(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def _passed_over(name: str) -> str | None:
    """Why a file is not a form to read, or None."""
    base = PurePosixPath(name).name
    if base.startswith(("~$", ".")):
        return f"{name}: passed over (a hidden or lock file)"
    if _suffix(name) not in SUFFIXES:
        shown = ", ".join(sorted(SUFFIXES))
        return f"{name}: passed over (not a form file; perfscore reads {shown})"
    return None


def save_uploads(
    files: Sequence[Uploaded], folder: Path, max_files: int
) -> tuple[list[Upload], list[str]]:
    """Save the form files of ``files`` into ``folder``, in the order of their names; the
    uploads and notes on the files passed over.

    :raises PerfscoreError: more than ``max_files`` files, or no form file among them.
    """
    if len(files) > max_files:
        raise PerfscoreError(
            f"refused: {len(files)} files sent, at most {max_files} are accepted at once; "
            "send the rest as another batch, or start the server with a larger --max-files"
        )
    uploads: list[Upload] = []
    notes: list[str] = []
    # In the order of their names, as `perfscore score DIR` lists a folder: a browser sends
    # the files of a dropped folder in whatever order it walked it.
    named = sorted(
        ((display_name(sent.filename, f"file {n}"), sent) for n, sent in enumerate(files, 1)),
        key=lambda pair: pair[0],
    )
    for number, (name, sent) in enumerate(named, start=1):
        note = _passed_over(name)
        if note is not None:
            notes.append(note)
            continue
        path = folder / f"{number:04d}{_suffix(name)}"
        _copy(sent.file, path)
        uploads.append(Upload(name, path))
    if not uploads:
        raise PerfscoreError(
            "no form file among the files sent",
            expected=f"files ending in {', '.join(sorted(SUFFIXES))}",
        )
    return uploads, notes


def save_rule_file(sent: Uploaded, folder: Path, stem: str) -> Upload:
    """Save a rule file or a waivers file as ``folder/stem.yaml`` (or ``.json``).

    :raises PerfscoreError: its name does not end in .yaml, .yml or .json.
    """
    name = display_name(sent.filename, stem)
    suffix = _suffix(name)
    if suffix not in RULE_SUFFIXES:
        raise PerfscoreError(
            "not a YAML or JSON file", source=name, expected="a file ending in .yaml, .yml or .json"
        )
    path = folder / f"{stem}{suffix}"
    _copy(sent.file, path)
    return Upload(name, path)


def _copy(source: BinaryIO, path: Path) -> None:
    source.seek(0)
    # "x": a new file, never one that was there; the folder is private to the batch.
    with path.open("xb") as out:
        shutil.copyfileobj(source, out)
