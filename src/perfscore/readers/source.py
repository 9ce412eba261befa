"""Opening a form file: regular files only, sizes checked before reading, kinds sniffed.

A file is chosen by its suffix and then sniffed by its first bytes, so a renamed file is read
for what it is (an ``.xls`` that is really an ``.xlsx``) and a file that is something else
entirely (a Word document named ``.xlsx``, an empty file) is refused saying what it is.
"""

from __future__ import annotations

from pathlib import Path

from perfscore.errors import FormError
from perfscore.files import read_regular_file

__all__ = ["MAX_FILE_BYTES", "describe", "read_bytes", "sniff"]

#: Largest spreadsheet, Word or PDF file read (a form is tens of KiB; a department's whole
#: budget document a few MiB).
MAX_FILE_BYTES = 64 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_bytes(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path`` (read by
    :func:`perfscore.files.read_regular_file`), refusing anything larger than ``limit``.

    :raises FormError: no such file, not a regular file, too large, unreadable, or empty.
    """
    data = read_regular_file(path, max_bytes=limit, error=FormError)
    if not data.strip():
        raise FormError("the file is empty", source=str(path), expected="a form")
    return data


def sniff(data: bytes) -> str:
    """What the bytes hold: ``xlsx``, ``ods``, ``docx``, ``zip``, ``damaged`` (a zip archive
    cut short or corrupted), ``xls``, ``encrypted``
    (an Office file protected by a password), ``ole`` (another Office 97 file), ``pdf``,
    ``html`` or ``text``."""
    if data.startswith(b"PK"):
        # Member names are stored as plain bytes (in each local header and the central
        # directory): found without unpacking anything.  The reader of the kind then opens
        # the archive and reports it damaged if it is.
        if b"PK\x05\x06" not in data[-65_558:]:
            return "damaged"  # no end-of-directory record: cut short
        if b"xl/workbook.xml" in data or b"xl/workbook.bin" in data:
            return "xlsx"
        if b"word/document.xml" in data:
            return "docx"
        if b"content.xml" in data and b"opendocument.spreadsheet" in data:
            return "ods"
        return "zip"
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "encrypted"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        return "ole"
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    head = data[:512].lstrip().lstrip(b"\xef\xbb\xbf").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "html"
    if head.startswith(b"<!--") and b"<html" in data[:4096].lower():
        return "html"  # a page saved by Internet Explorer or 360: <!-- saved from url=… -->
    return "text"


_DESCRIPTIONS = {
    "xlsx": "an Excel workbook",
    "ods": "an OpenDocument spreadsheet",
    "xls": "an Excel 97 workbook",
    "docx": "a Word document",
    "zip": "a zip archive that is no Office document",
    "damaged": "a damaged zip archive (an Office file cut short or corrupted)",
    "encrypted": "an Office file protected by a password",
    "ole": "an Office 97 file that is no workbook",
    "pdf": "a PDF document",
    "html": "an HTML or XML page",
    "text": "text",
}


def describe(kind: str) -> str:
    """A kind from :func:`sniff` as words: ``a Word document``."""
    return _DESCRIPTIONS.get(kind, kind)
