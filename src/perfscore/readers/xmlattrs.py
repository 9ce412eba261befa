"""XML attributes as the scans of zipped spreadsheets read them, however they are written.

The size scans of :mod:`perfscore.readers.spreadsheet` look for ``␠r="C7"`` at memchr speed;
XML also allows ``r='C7'``, ``r = "C7"``, a tab before the name and character references in the
value, which the libraries read alike.  :func:`usual_spelling` rewrites a part that uses any of
those to the one spelling first, so what the library will read is what was measured.
"""

from __future__ import annotations

import re

__all__ = ["tag_attrs", "unusual_spelling", "usual_spelling", "xml_unescape"]

_ATTR = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
# An attribute written otherwise than `name="value"` (single quotes, white space around `=`,
# a tab or newline before it) or with a character reference in its value: the scans' fast
# patterns know only the usual spelling, so such a part is first rewritten to it.
_UNUSUAL_ATTR = re.compile(rb"[\w:.-]\s+=|=\s+[\"']|=\s*'|[\t\r\n][\w:.-]+=|=\"[^\"]*&")
_ANY_ATTR = re.compile(rb"\s+([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
# Every unusual spelling needs one of these bytes; telling whether a part holds any takes a
# bytes search each (memchr speed), where the pattern above tries five alternatives at every
# byte.  Line breaks (the declaration's) and & (openpyxl writes every Chinese character as
# &#NNNNN; in text) are common, so they count only where the pattern could match: a break
# beside an attribute's = or before its name, an & inside a quoted value.
_TELLING = (b"'", b"\t", b"\x0b", b"\x0c", b" =", b"= ")
_BREAK_BEFORE = re.compile(rb"[\r\n]+(?:[\w:.-]+[\r\n]*)?=")
_AMP_IN_VALUE = re.compile(rb"=\"[^\"]*&")


def tag_attrs(raw: bytes) -> dict[bytes, bytes]:
    """The attributes of a tag, however quoted (values as written, entities not replaced)."""
    return {name: double or single for name, double, single in _ATTR.findall(raw)}


def usual_spelling(data: bytes) -> bytes:
    """``data`` with every attribute as ``␠name="value"``, character references in values
    replaced (so ``r='&#88;FD1'`` is measured as the ``XFD1`` a library reads)."""
    if not unusual_spelling(data):
        return data

    def usual(match: re.Match[bytes]) -> bytes:
        value = match.group(2) if match.group(2) is not None else match.group(3)
        if b"&" in value:
            value = xml_unescape(value).replace('"', "&quot;").encode("utf-8")
        return b" " + match.group(1) + b'="' + value + b'"'

    return _ANY_ATTR.sub(usual, data)


def unusual_spelling(data: bytes) -> bool:
    """Whether ``data`` writes some attribute otherwise than ``␠name="value"`` (the full
    pattern is searched only where a byte it needs is there)."""
    maybe = any(b in data for b in _TELLING)
    if not maybe and (b"\n" in data or b"\r" in data):
        maybe = b"=\n" in data or b"=\r" in data or _BREAK_BEFORE.search(data) is not None
    if not maybe and b"&" in data:
        maybe = _AMP_IN_VALUE.search(data) is not None
    return maybe and _UNUSUAL_ATTR.search(data) is not None


_CHAR_REF = re.compile(r"&#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}));")


def _char(match: re.Match[str]) -> str:
    number = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    return chr(number) if number < 0x110000 else "\ufffd"


def xml_unescape(raw: bytes) -> str:
    text = _CHAR_REF.sub(_char, raw.decode("utf-8", "replace"))
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")
