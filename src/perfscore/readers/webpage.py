"""Forms in web pages and in text written by a Chinese office, whatever its encoding.

A government site publishes a form as a table in a page: ``.html``/``.htm`` saved from the
browser (UTF-8, or GBK/GB18030 as older sites and Internet Explorer or 360 save them, often
behind a ``<!-- saved from url=… -->`` line), or ``.mht`` (the page and its images as one MIME
message).  The page's tables are read by :mod:`perfscore.readers.htmltable`, navigation and
paragraphs around them as text rows the grid reader passes over.

Text files are decoded as a Chinese office writes them (:func:`decode_text`): UTF-8 with or
without a byte-order mark, UTF-16 with one, else GB18030 (which covers GBK and GB2312).
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from email.message import EmailMessage

from perfscore.errors import FormError
from perfscore.readers.grid import GridForm
from perfscore.readers.htmltable import forms_from_html

__all__ = ["decode_text", "encoding_note", "forms_from_webpage", "looks_like_html"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?[\w-]+""", re.IGNORECASE)
_PAGE = re.compile(rb"<(?:!doctype\s+html|html|head|body|table|meta)\b", re.IGNORECASE)
_MIME = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n)*?content-type:\s*multipart/", re.IGNORECASE)


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """The text held in ``data`` and the name of the encoding it was read in.

    :raises FormError: the bytes are neither UTF-8, UTF-16 (with a byte-order mark) nor
        GB18030, naming the offset of the first byte that is not.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise _undecodable(exc, name, source) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as first:
        try:
            return data.decode("gb18030"), "GB18030"
        except UnicodeDecodeError:
            raise _undecodable(first, "UTF-8 or GB18030", source) from None


def encoding_note(form: GridForm, encoding: str) -> GridForm:
    """``form`` with a reading note naming the encoding its text was read in, when that is
    not plain UTF-8 (what a reader should know when a character looks wrong)."""
    if encoding != "UTF-8":
        form.notes.append(("project", f"文本按 {encoding} 编码读取", "info"))
    return form


def _undecodable(exc: UnicodeDecodeError, tried: str, source: str) -> FormError:
    return FormError(
        f"the text cannot be read as {tried}: byte {exc.start:,} (0x{exc.object[exc.start]:02x})"
        " is not a character there",
        source=source,
        expected="text in UTF-8, GB18030 (GBK) or UTF-16",
    )


def looks_like_html(data: bytes) -> bool:
    """Whether ``data`` is a web page: an HTML tag near its start, behind any comment such as
    ``<!-- saved from url=(0041)http://… -->``, or a saved ``.mht`` page."""
    head = data[:4096].lstrip(codecs.BOM_UTF8).lstrip()
    if _MIME.match(head):
        return True
    return head.startswith(b"<") and _PAGE.search(head) is not None


def forms_from_webpage(data: bytes, source: str) -> list[GridForm]:
    """Every self-evaluation form in the tables of the web page held in ``data``
    (``.html``, ``.htm`` or ``.mht``)."""
    head = data[:4096].lstrip()
    if _MIME.match(head):
        data = _mht_page(data, source)
    elif not looks_like_html(data):
        raise FormError(
            "the file is not a web page (no HTML tag at its start)",
            source=source,
            expected="an HTML page holding the form's table",
        )
    return forms_from_html(_declared(data, source), source)


def _declared(data: bytes, source: str) -> bytes:
    """The page as UTF-8 when it declares no charset (decoded as :func:`decode_text` reads
    text); else as it is, for the HTML reader to decode by its declaration."""
    if _CHARSET.search(data[:2048]):
        return data
    text, _ = decode_text(data, source)
    return b"<meta charset='utf-8'>" + text.encode("utf-8")


def _mht_page(data: bytes, source: str) -> bytes:
    """The HTML part of a ``.mht`` page, decoded from its transfer encoding and charset and
    written as UTF-8."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html" and isinstance(part, EmailMessage):
            content = part.get_content()
            text = content if isinstance(content, str) else content.decode("gb18030", "replace")
            text = _CHARSET.sub(b"charset=utf-8", text.encode("utf-8")).decode("utf-8")
            return b"<meta charset='utf-8'>" + text.encode("utf-8")
    raise FormError(
        "the .mht file holds no HTML page", source=source, expected="a page saved as .mht"
    )
