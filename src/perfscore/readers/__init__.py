"""Reading forms from files: YAML and JSON in the form format, spreadsheets, Word, PDF, text.

:func:`load_forms` returns every form a file holds; :func:`load_form` the one form of a file.
Workbooks and texts are read by their labels (:mod:`perfscore.readers.grid`); what a reader
could not read becomes a note on the form, which the engine reports as a flag.
"""

from __future__ import annotations

import os
import re
import stat
import warnings
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfscore.errors import FormError, PerfscoreError
from perfscore.files import read_regular_file
from perfscore.form.document import MAX_FORM_BYTES, parse_data
from perfscore.form.fields import FORM
from perfscore.form.model import Form, form_from_data
from perfscore.form.sources import line_sources, with_sources
from perfscore.readers.isolation import DEFAULT_LIMITS, ReaderLimits, read_grid_forms
from perfscore.readers.places import grid_sources
from perfscore.readers.source import describe, read_bytes, sniff
from perfscore.text.script import simplify

if TYPE_CHECKING:
    from perfscore.readers.grid import GridForm

__all__ = [
    "MultipleFormsWarning",
    "ReaderLimits",
    "dump_forms",
    "form_files",
    "form_from_grid",
    "load_form",
    "load_forms",
]

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
#: Spreadsheets openpyxl can annotate and write.
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
DOCUMENT_SUFFIXES = {".docx", ".pdf"}
TEXT_SUFFIXES = {".txt", ".tsv", ".text"}
DATA_SUFFIXES = {".yaml", ".yml", ".json"}
#: Web pages, read by perfscore.readers.webpage.
WEB_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml"}
SUFFIXES = SPREADSHEET_SUFFIXES | DOCUMENT_SUFFIXES | TEXT_SUFFIXES | DATA_SUFFIXES | WEB_SUFFIXES

_LOOKED_FOR = "a table headed 三级指标 and 年度指标值 (or a wide table with 年度指标内容)"


class MultipleFormsWarning(UserWarning):
    """:func:`load_form` was given a file holding several forms and returned the first."""


def form_from_grid(found: GridForm, source: str, where: str = "") -> Form:
    """The form a layout reader found in a grid, validated; its reading notes become
    ``notes``.  ``where`` (`` [Sheet1]``, `` #2``) is added to the source it names.

    :raises FormError: the grid holds no indicator rows, or a field cannot be read.
    """
    data: dict[str, Any] = dict(found.data)
    if found.notes:
        data["notes"] = [
            {"path": path, "message": message, "severity": severity}
            for path, message, severity in found.notes
        ]
    if not data.get("indicators"):
        raise FormError(
            f"a form{where} with no indicator rows (found {_found(data)})",
            source=source,
            expected="rows under the header 三级指标 / 年度指标值",
        )
    form = form_from_data(data, source=f"{source}{where}")
    # Where each value stands in the file: flags point at it (Sheet1!H14, 第2页 表1第5行).
    return with_sources(form, grid_sources(found, source))


def _found(data: Mapping[str, Any]) -> str:
    """What a form without indicators holds, in words: ``项目名称 “X”, a budget``."""
    parts = []
    for key in ("project", "unit", "year"):
        if data.get(key):
            parts.append(f"{FORM[key].label} “{data[key]}”")
    if data.get("budget"):
        parts.append("a budget")
    return ", ".join(parts) if parts else "nothing but the title"


def _grid_forms(found: list[GridForm], source: str, where: list[str]) -> list[Form]:
    if not found:
        raise FormError("no self-evaluation form found", source=source, expected=_LOOKED_FOR)
    forms: list[Form] = []
    errors: list[FormError] = []
    for form, at in zip(found, where, strict=True):
        try:
            forms.append(form_from_grid(form, source, at))
        except FormError as exc:
            errors.append(exc)  # every broken form of the file is reported, not the first
    _raise_all(errors)
    return forms


def _raise_all(errors: list[FormError]) -> None:
    """Raise the errors of a file's forms as one: the first, then a line for each other."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        first = errors[0]
        rest = "".join(f"\n  {e}" for e in errors[1:])
        expected = f" (expected {first.expected})" if first.expected else ""
        raise FormError(
            f"{first.message}{expected}; {len(errors) - 1} more broken "
            + ("forms" if len(errors) > 2 else "form")
            + f":{rest}",
            source=first.source,
            path=first.path,
            line=first.line,
        )


def load_forms(
    path: str | Path, *, isolate: bool = True, limits: ReaderLimits = DEFAULT_LIMITS
) -> list[Form]:
    """Every form in the file at ``path``: one for YAML/JSON (or several for a list), one per
    form found in a spreadsheet (all sheets), a Word document, a PDF or a published text.

    The suffix says what the file should be and its first bytes what it is: a renamed workbook
    is read as a workbook, a Word document named ``.pdf`` as a Word document.  Whatever goes
    wrong while reading — a damaged zip, an encrypted workbook, a sheet too large, a form
    without indicators — is a :class:`FormError`; a file never reads as an empty form.

    Spreadsheets, Word documents, PDFs and texts are read in a worker process bounded by
    ``limits`` (:mod:`perfscore.readers.isolation`): a file that would exhaust memory, loop or
    crash a reader library is that file's :class:`FormError`.  ``isolate=False`` reads them in
    this process, for files from a trusted source.

    :raises FormError: naming the file and what it could not find or read.
    """
    p = Path(path)
    source = str(p)
    try:
        return _load(p, source, isolate, limits)
    except PerfscoreError as exc:
        error = exc
    except MemoryError:
        error = FormError("the file is too large to read", source=source)
    except RecursionError:
        error = FormError("the file is nested too deeply to read", source=source)
    except Exception as exc:  # a reader library's own error: reported, never a traceback
        text = str(exc).strip()
        reason = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
        error = FormError(f"cannot read the file ({reason})", source=source)
    # Raised without the library's exception behind it: that one may hold what cannot cross
    # to another process (lxml's error log) when exceptions are pickled with their chain.
    error.__context__ = error.__cause__ = None
    raise error


def _load(p: Path, source: str, isolate: bool, limits: ReaderLimits) -> list[Form]:
    suffix = p.suffix.lower()
    if suffix in DATA_SUFFIXES:
        raw = read_regular_file(p, max_bytes=MAX_FORM_BYTES, error=FormError)
        if not raw:
            raise FormError("the file is empty", source=source, expected="a YAML or JSON form")
        return _data_forms(p, source, raw)
    data = read_bytes(p)
    kind = sniff(data)
    binary = kind in ("xlsx", "ods", "xls", "encrypted", "docx", "pdf")
    web = suffix in WEB_SUFFIXES and kind in ("html", "text")
    # An "export to Excel" that wrote an HTML page under a workbook's name.
    if binary or web or (kind == "html" and suffix in SPREADSHEET_SUFFIXES):
        job = kind if binary else "webpage" if web else "html"
        found = read_grid_forms(job, data, source, isolate=isolate, limits=limits)
        return _grid_forms([f for _, f in found], source, [at for at, _ in found])
    if kind == "damaged":
        raise FormError(f"the file is {describe(kind)}", source=source, expected=f"a {suffix} file")
    if kind != "text" or suffix in SPREADSHEET_SUFFIXES | DOCUMENT_SUFFIXES:
        raise FormError(
            f"the file is {describe(kind)}, not what its name says",
            source=source,
            expected=f"a {suffix or 'form'} file" if suffix in SUFFIXES else "a form file",
        )
    if suffix in TEXT_SUFFIXES:
        # Decoded (UTF-8, GB18030, UTF-16: the encoding becomes a reading note) where read.
        found = read_grid_forms("text", data, source, isolate=isolate, limits=limits)
        return _grid_forms([f for _, f in found], source, [at for at, _ in found])
    # Text under another name: read as a form document, within a form document's bound.
    return _data_forms(p, source, read_regular_file(p, max_bytes=MAX_FORM_BYTES, error=FormError))


def _data_forms(p: Path, source: str, raw: bytes) -> list[Form]:
    try:
        data, lines = parse_data(raw, p)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, PerfscoreError):
            raise
        # YAML reads 2024-02-30 as a date and fails on it: not a form's mistake to hide.
        raise FormError(
            f"a value cannot be read: {exc}",
            source=source,
            expected="valid dates (or dates quoted as text)",
        ) from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise FormError("the file holds an empty list", source=source, expected="a form")
    forms = []
    errors: list[FormError] = []
    for i, item in enumerate(items):
        several = isinstance(data, list)
        where = f"{source} #{i + 1}" if several else source
        own = _sublines(lines, i) if several else lines
        try:
            form = form_from_data(item, source=where, lines=own)
        except FormError as exc:
            errors.append(exc)  # every broken form of the file is reported, not the first
            continue
        if not form.indicators:
            found = _found(item) if isinstance(item, Mapping) else "nothing"
            errors.append(
                FormError(
                    f"the form has no indicators (found {found})",
                    source=where,
                    path="indicators",
                    expected="a list of indicators (绩效指标)",
                )
            )
            continue
        forms.append(with_sources(form, line_sources(own, source)))
    _raise_all(errors)
    return forms


def form_files(
    paths: Sequence[str | Path],
    suffixes: Collection[str] = frozenset(SUFFIXES),
    *,
    forms_only: bool = True,
) -> tuple[list[Path], list[str]]:
    """The files named by ``paths``, folders searched recursively, and a note for every file
    of a folder that was passed over.

    A file named directly is always taken (reading it reports what is wrong with it).  In a
    folder, files are chosen by suffix; passed over with a note are links leading out of the
    folder, what is not a regular file (a FIFO, a device), and a ``.json``/``.yaml`` file that
    names none of a form's fields (a ``package.json``, a CI configuration) — unless
    ``forms_only`` is false (a folder of rule files).

    :raises FormError: a path that does not exist.
    """
    files: list[Path] = []
    notes: list[str] = []
    wanted = {s.lower() for s in suffixes}
    for text in paths:
        path = Path(text)
        if path.is_dir():
            root = path.resolve()
            for found in _entries(path, notes):
                if found.suffix.lower() not in wanted:
                    if forms_only and found.is_file() and not found.name.startswith("."):
                        kind = f"a {found.suffix} file" if found.suffix else "a file without suffix"
                        notes.append(f"{found}: skipped, {kind} is not a form perfscore reads")
                    continue
                note = _passed_over(found, root, forms_only)
                if note == "":
                    files.append(found)
                elif note is not None:
                    notes.append(f"{found}: skipped, {note}")
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            raise FormError("no such file or directory", source=str(text))
    return files, notes


def _entries(folder: Path, notes: list[str]) -> list[Path]:
    """Everything below ``folder``, sorted, links to folders not followed; a folder that
    cannot be listed (unreadable, or gone while the tree was walked) is a note, not an error
    for the rest."""

    def unreadable(error: OSError) -> None:
        notes.append(f"{error.filename}: skipped, a folder that cannot be read")

    found: list[Path] = []
    for top, folders, files in os.walk(folder, onerror=unreadable):
        found += [Path(top, name) for name in (*folders, *files)]
    return sorted(found)


def _passed_over(path: Path, root: Path, forms_only: bool) -> str | None:
    """Why a file found in a folder is passed over ("" to take it, None to ignore it quietly)."""
    try:
        real = path.resolve(strict=True)
        info = real.stat()
    except (OSError, RuntimeError):
        return "a broken link" if path.is_symlink() else "cannot be read"
    if path.is_symlink() and not real.is_relative_to(root):
        return f"a link out of the folder (to {real})"
    if stat.S_ISDIR(info.st_mode):
        return None
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if forms_only and path.suffix.lower() in DATA_SUFFIXES and 0 < info.st_size <= MAX_FORM_BYTES:
        try:
            head = read_regular_file(real, max_bytes=MAX_FORM_BYTES, error=FormError)
        except FormError:
            return ""  # reading it again reports why
        text = simplify(head.decode("utf-8", "replace"))  # keys as the readers read them
        if text.strip() and not _form_keys().search(text):
            return "not a form (it names none of a form's fields: indicators, project, budget …)"
    return ""


@cache  # compiled on first use: only a folder's scan asks
def _form_keys() -> re.Pattern[str]:
    """A key of a form written as YAML or JSON: ``indicators:``, ``"项目名称":``.

    Matched against the file's text simplified (:func:`simplify`), so a key in traditional
    script (``績效指標``) or full-width letters is found as the form's reader finds it; the
    spellings are the field table's (:data:`FORM`), the one the form model takes its aliases
    from.
    """
    common = {"kind", "notes", "year", "code", "unit"}  # as English keys, too common elsewhere
    names = {f.key for f in FORM.values() if f.key not in common}
    names.update(simplify(label) for f in FORM.values() for label in f.labels)
    spelled = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    # Space inside the quotes too: a reader strips a key (``" 项目名称 ":``) before it looks.
    return re.compile(rf"""(?m)(?:^|[{{,\s])["']?\s*(?:{spelled})\s*["']?\s*:""")


def _sublines(
    lines: Mapping[tuple[str | int, ...], int], index: int
) -> dict[tuple[str | int, ...], int]:
    return {k[1:]: v for k, v in lines.items() if k[:1] == (index,)}


def load_form(
    path: str | Path, *, isolate: bool = True, limits: ReaderLimits = DEFAULT_LIMITS
) -> Form:
    """The form in the file at ``path`` (``.yaml``, ``.json``, ``.xlsx``, ``.txt``).

    A file holding several forms gives the first, with a :class:`MultipleFormsWarning`
    saying so; :func:`load_forms` reads them all.

    :raises FormError: for a missing or unreadable file, or a bad field — naming the file, the
        field path and the line.
    """
    forms = load_forms(path, isolate=isolate, limits=limits)
    if len(forms) > 1:
        warnings.warn(
            f"{path} holds {len(forms)} forms; load_form returns the first "
            "(perfscore.load_forms reads them all)",
            MultipleFormsWarning,
            stacklevel=_caller_level(),
        )
    return forms[0]


_PACKAGE = str(Path(__file__).resolve().parents[1]) + os.sep


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside perfscore: a warning raised for
    ``evaluate("a.xlsx")`` points at the line that called ``evaluate``, not at the engine."""
    import sys

    level, frame = 1, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        level, frame = level + 1, frame.f_back  # type: ignore[assignment]
    return level


def dump_forms(
    forms: list[Form], path: str | Path, comments: Mapping[str, Sequence[str]] | None = None
) -> None:
    """Write forms to a ``.yaml`` or ``.json`` file in the form format: one form as a mapping,
    several as a list (which :func:`load_forms` reads back), with ``comments`` above their
    keys; see :mod:`perfscore.readers.writer`."""
    from perfscore.readers.writer import dump_forms as dump

    dump(forms, path, comments)
