"""The files a batch offers: CSV, JSON, the Word review, the annotated workbooks (a zip of
several).  Each is made when asked for, in a temporary directory removed before the answer is
sent; nothing is written beside the uploads, and no upload's name is a path."""

from __future__ import annotations

import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from perfscore.engine.pipeline import EvaluationResult
from perfscore.errors import PerfscoreError
from perfscore.readers import WORKBOOK_SUFFIXES
from perfscore.report.formats import CsvWriter, to_json
from perfscore.web import workbench
from perfscore.web.jobs import Job, Upload

__all__ = ["Download", "annotated", "attachment", "csv_report", "json_report", "word_review"]

Download = tuple[bytes, str, str]  # the bytes, the media type, the file name offered

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_UNSAFE = re.compile(r'[\\/:*?"<>|]+')


def safe_file_name(name: str, fallback: str) -> str:
    """A name fit for a download or a zip entry: the last part of ``name`` only, without
    control characters or characters Windows refuses, at most 120 characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" .")
    return base[-120:] or fallback


def attachment(name: str) -> str:
    """A ``Content-Disposition`` value offering ``name`` (non-ASCII as RFC 6266 allows)."""
    plain = name if name.isascii() else "perfscore" + PurePosixPath(name).suffix
    ascii_name = plain.replace('"', "_").replace("\\", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def csv_report(job: Job) -> Download:
    """The CSV report (one row per indicator, then the form-level flags)."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, lang=job.lang)
    for result in job.results():
        writer.write(result)
    data = job.named(buffer.getvalue()).encode("utf-8")
    return data, "text/csv; charset=utf-8", "perfscore.csv"


def json_report(job: Job) -> Download:
    """The JSON report (every result's ``to_dict``)."""
    data = job.named(to_json(job.results())).encode("utf-8")
    return data, "application/json", "perfscore.json"


def word_review(job: Job) -> Download | None:
    """The Word review of the batch, or None when this perfscore writes none."""
    if not workbench.has_word_review():
        return None
    with tempfile.TemporaryDirectory(prefix="perfscore-review-") as folder:
        target = Path(folder) / "review.docx"
        items = job.progress().items
        results = [item for _, item in items if isinstance(item, EvaluationResult)]
        failures = [item.message for _, item in items if not isinstance(item, EvaluationResult)]
        if not workbench.word_review(results, job.lang, target, failures):
            return None
        data = target.read_bytes()
    return data, _DOCX, "审核意见.docx" if job.lang == "zh" else "review.docx"


def workbooks(job: Job) -> list[Upload]:
    """The uploads an annotated copy can be made of: Excel workbooks that were scored (one
    that could not be read is listed on the page, not annotated)."""
    scored = {id(u) for u, item in job.progress().items if isinstance(item, EvaluationResult)}
    return [
        u for u in job.uploads if u.path.suffix.lower() in WORKBOOK_SUFFIXES and id(u) in scored
    ]


def annotated(job: Job) -> Download:
    """The annotated copy of the batch's one workbook, or a zip of the copies of several.

    :raises PerfscoreError: the batch holds no workbook, or none of them could be annotated.
    """
    books = workbooks(job)
    if not books:
        raise PerfscoreError(
            "no Excel workbook was scored in this batch to annotate",
            expected="an .xlsx or .xlsm file that perfscore can read",
        )
    copies: list[tuple[str, bytes]] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="perfscore-annotate-") as folder:
        for number, upload in enumerate(books, start=1):
            target = Path(folder) / f"{number:04d}.xlsx"
            try:
                _annotate(job, upload, target)
            except PerfscoreError as exc:
                problems.append(str(exc).replace(str(upload.path), upload.name))
                continue
            stem = PurePosixPath(safe_file_name(upload.name, f"form-{number}")).stem
            copies.append((f"{stem}.annotated.xlsx", target.read_bytes()))
    if not copies:
        raise PerfscoreError("no workbook could be annotated: " + "; ".join(problems))
    if len(copies) == 1 and not problems:
        name, data = copies[0]
        return data, _XLSX, name
    return _zip(copies, problems), "application/zip", "annotated-workbooks.zip"


def _annotate(job: Job, upload: Upload, target: Path) -> None:
    """Annotate one upload into ``target``, its summary naming the upload, not the private
    path it was saved under."""
    from openpyxl import load_workbook

    from perfscore.report.annotate import annotate_workbook

    annotate_workbook(upload.path, target, job.rules, job.lang)
    book = load_workbook(target)
    saved = str(upload.path)
    for sheet in book.worksheets[-1:]:  # the summary sheet annotate_workbook adds last
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and saved in cell.value:
                    cell.value = cell.value.replace(saved, upload.name)
    book.save(target)


def _zip(copies: Sequence[tuple[str, bytes]], problems: Sequence[str]) -> bytes:
    buffer = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in copies:
            unique, n = name, 1
            while unique in seen:  # two uploads of one name (from two folders)
                n += 1
                unique = f"{PurePosixPath(name).stem.removesuffix('.annotated')}-{n}.annotated.xlsx"
            seen.add(unique)
            archive.writestr(unique, data)
        if problems:
            archive.writestr("not-annotated.txt", "\n".join(problems) + "\n")
    return buffer.getvalue()
