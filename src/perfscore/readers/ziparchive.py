"""Reading single parts of an Office file (a zip archive) from its bytes, each part's size
checked before and while it is unpacked.

An Office file is read part by part a few times per form (the workbook, its relationships, its
styles, each sheet).  :mod:`zipfile` builds an object per member and a stream per read; reading
the central directory once and inflating the wanted bytes directly costs a fraction of that,
which matters when a form costs a few milliseconds.  Archives this does not handle (zip64,
other compression methods) are read through :mod:`zipfile`.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from io import BytesIO

__all__ = ["PartTooLarge", "ZipParts"]


class PartTooLarge(Exception):
    """A part unpacks to more than the limit: ``args`` are (name, size)."""


class ZipParts:
    """The parts of the zip archive held in ``data``, by name.

    :raises zipfile.BadZipFile: the archive is damaged (no directory, a bad entry).
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._entries: dict[str, tuple[int, int, int, int]] = {}
        self._fallback: zipfile.ZipFile | None = None
        end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_558))
        if end < 0 or end + 22 > len(data):
            raise zipfile.BadZipFile("no end of central directory: the file is cut short")
        count, _, offset = struct.unpack_from("<HII", data, end + 10)
        if offset == 0xFFFFFFFF or count == 0xFFFF:
            self._fallback = zipfile.ZipFile(BytesIO(data))
            return
        at = offset
        for _ in range(count):
            if data[at : at + 4] != b"PK\x01\x02":
                raise zipfile.BadZipFile("a damaged central directory")
            flags, method = struct.unpack_from("<HH", data, at + 8)
            packed, unpacked, name_len, extra_len, comment_len = struct.unpack_from(
                "<IIHHH", data, at + 20
            )
            local = struct.unpack_from("<I", data, at + 42)[0]
            name = data[at + 46 : at + 46 + name_len].decode("utf-8" if flags & 0x800 else "cp437")
            if flags & 1 or method not in (0, 8):
                # Encrypted members and other methods: zipfile says what is wrong with them.
                self._fallback = zipfile.ZipFile(BytesIO(data))
                return
            self._entries[name] = (local, packed, unpacked, method)
            at += 46 + name_len + extra_len + comment_len

    @property
    def names(self) -> set[str]:
        """Every part's name."""
        if self._fallback is not None:
            return set(self._fallback.namelist())
        return set(self._entries)

    def size(self, name: str) -> int:
        """The declared unpacked size of a part."""
        if self._fallback is not None:
            return self._fallback.getinfo(name).file_size
        return self._entries[name][2]

    def read(self, name: str, limit: int) -> bytes:
        """A part's bytes, refusing a part that says (or turns out) to unpack beyond ``limit``.

        :raises KeyError: no such part.
        :raises PartTooLarge: more than ``limit`` bytes.
        :raises zipfile.BadZipFile, zlib.error: a damaged part.
        """
        if self.size(name) > limit:
            raise PartTooLarge(name, self.size(name))
        if self._fallback is not None:
            with self._fallback.open(name) as stream:
                out = stream.read(limit + 1)
        else:
            local, packed, _, method = self._entries[name]
            data = self._data
            if data[local : local + 4] != b"PK\x03\x04":
                raise zipfile.BadZipFile(f"a damaged entry for {name}")
            name_len, extra_len = struct.unpack_from("<HH", data, local + 26)
            start = local + 30 + name_len + extra_len
            raw = data[start : start + packed]
            if method == 0:
                out = raw
            else:
                inflater = zlib.decompressobj(-15)
                out = inflater.decompress(raw, limit + 1)
        if len(out) > limit:
            raise PartTooLarge(name, len(out))
        return out
