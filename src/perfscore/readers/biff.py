"""What python-calamine does not say of an Excel 97 workbook (.xls): which cells are formatted
as percentages, and how far each sheet's cells reach, read from the BIFF8 records before the
library lays the sheet out.

An .xls file is a compound file (OLE2): sectors chained by an allocation table, a directory,
and a ``Workbook`` stream of records.  Only what is needed is read: the formats (FORMAT, XF),
the sheets (BOUNDSHEET), and the position and format of every number (NUMBER, RK, MULRK,
FORMULA) and the position of every text or boolean cell.  Anything malformed stops the scan
with nothing learnt; the library then reports the damage itself.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

__all__ = ["BiffSheet", "scan_xls"]

_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE


@dataclass
class BiffSheet:
    """One worksheet: its extent (rows, columns) and its percent-formatted cells."""

    rows: int = 0
    columns: int = 0
    percent: set[tuple[int, int]] = field(default_factory=set)


class _Damaged(Exception):
    pass


def _u32(data: bytes, at: int) -> int:
    if at + 4 > len(data):
        raise _Damaged
    value: int = struct.unpack_from("<I", data, at)[0]
    return value


def _chain(fat: list[int], start: int, limit: int) -> list[int]:
    out: list[int] = []
    sector = start
    while sector not in (_END, _FREE):
        if sector >= len(fat) or len(out) > limit:
            raise _Damaged
        out.append(sector)
        sector = fat[sector]
    return out


def _workbook_stream(data: bytes) -> bytes:
    """The ``Workbook`` (or BIFF5 ``Book``) stream of a compound file."""
    shift = struct.unpack_from("<H", data, 30)[0]
    mini_shift = struct.unpack_from("<H", data, 32)[0]
    if shift not in (9, 12) or mini_shift != 6:
        raise _Damaged
    size = 1 << shift
    sectors = (len(data) - 512) // size + 1

    def sector(n: int) -> bytes:
        at = (n + 1) * size
        if n >= sectors or at + size > len(data) + size:
            raise _Damaged
        return data[at : at + size]

    difat = [_u32(data, 76 + 4 * i) for i in range(109)]
    next_difat, count = _u32(data, 68), _u32(data, 72)
    for _ in range(min(count, sectors)):
        block = sector(next_difat)
        difat += [_u32(block, 4 * i) for i in range(size // 4 - 1)]
        next_difat = _u32(block, size - 4)
    fat: list[int] = []
    for n in difat:
        if n in (_FREE, _END):
            continue
        block = sector(n)
        fat += struct.unpack_from(f"<{size // 4}I", block)
        if len(fat) > 4 * sectors + 1024:
            raise _Damaged
    directory = b"".join(sector(n) for n in _chain(fat, _u32(data, 48), sectors))
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        raise _Damaged
    root = entries[0]
    cutoff = _u32(data, 56)
    for entry in entries:
        length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(length - 2, 0)].decode("utf-16-le", "replace")
        if entry[66] != 2 or name not in ("Workbook", "Book"):
            continue
        start, stream_size = _u32(entry, 116), _u32(entry, 120)
        if stream_size >= cutoff:
            body = b"".join(sector(n) for n in _chain(fat, start, sectors))
            return body[:stream_size]
        # A small stream lives in the mini stream (the root entry's data), in 64-byte sectors.
        mini_data = b"".join(sector(n) for n in _chain(fat, _u32(root, 116), sectors))
        mini_fat_sectors = _chain(fat, _u32(data, 60), sectors)
        mini_fat: list[int] = []
        for n in mini_fat_sectors:
            mini_fat += struct.unpack_from(f"<{size // 4}I", sector(n))
        parts = [mini_data[m * 64 : m * 64 + 64] for m in _chain(mini_fat, start, sectors * 64)]
        return b"".join(parts)[:stream_size]
    raise _Damaged


def _percent_format(code: str) -> bool:
    return "%" in re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)


def _unicode(data: bytes, at: int, count: int) -> str:
    wide = data[at] & 1
    raw = data[at + 1 : at + 1 + count * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")


def _records(stream: bytes, start: int) -> list[tuple[int, int, int]]:
    """(type, offset of the body, length) of the records from ``start`` to the next EOF."""
    out = []
    at = start
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        out.append((kind, at + 4, length))
        at += 4 + length
        if kind == 0x000A:  # EOF
            break
    return out


def scan_xls(data: bytes) -> dict[str, BiffSheet] | None:
    """Every worksheet's extent and percent cells, by name; ``None`` where the file cannot be
    scanned (the library then says what is wrong)."""
    try:
        stream = _workbook_stream(data)
        return _scan(stream)
    except (_Damaged, struct.error, IndexError, ValueError):
        return None


def _scan(stream: bytes) -> dict[str, BiffSheet]:
    percent_formats = {9, 10}
    xf_formats: list[int] = []
    sheets: list[tuple[str, int]] = []
    for kind, at, length in _records(stream, 0):
        body = stream[at : at + length]
        if kind == 0x041E and length >= 5:  # FORMAT
            number, count = struct.unpack_from("<HH", body, 0)
            if _percent_format(_unicode(body, 4, count)):
                percent_formats.add(number)
        elif kind == 0x00E0 and length >= 4:  # XF
            xf_formats.append(struct.unpack_from("<H", body, 2)[0])
        elif kind == 0x0085 and length >= 8:  # BOUNDSHEET
            offset = _u32(body, 0)
            if body[5] == 0:  # a worksheet (not a chart or macro sheet)
                sheets.append((_unicode(body, 7, body[6]), offset))
    percent_xfs = {i for i, f in enumerate(xf_formats) if f in percent_formats}
    out: dict[str, BiffSheet] = {}
    for name, offset in sheets:
        sheet = out[name] = BiffSheet()
        for kind, at, length in _records(stream, offset):
            if length < 6:
                continue
            row, col, xf = struct.unpack_from("<HHH", stream, at)
            if kind == 0x00BD:  # MULRK: (xf, rk) pairs from col, then the last column
                last = struct.unpack_from("<H", stream, at + length - 2)[0]
                for i in range(last - col + 1):
                    cell_xf = struct.unpack_from("<H", stream, at + 4 + 6 * i)[0]
                    if cell_xf in percent_xfs:
                        sheet.percent.add((row, col + i))
                sheet.rows, sheet.columns = max(sheet.rows, row + 1), max(sheet.columns, last + 1)
            elif kind in (0x0203, 0x027E, 0x0006, 0x00FD, 0x0204, 0x0205, 0x00D6):
                # NUMBER, RK, FORMULA, LABELSST, LABEL, BOOLERR, RSTRING: one cell each.
                if kind in (0x0203, 0x027E, 0x0006) and xf in percent_xfs:
                    sheet.percent.add((row, col))
                sheet.rows, sheet.columns = max(sheet.rows, row + 1), max(sheet.columns, col + 1)
    return out
