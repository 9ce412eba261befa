"""Places in a form: a field path as a tuple (``("indicators", 3, "actual")``) and as text
(``indicators[3].actual``); and places in a file, :class:`SourceLocation` (``Sheet1!H14``,
``第2页 表1第5行``, ``第57行``).  A foundation: it imports nothing of perfscore."""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = [
    "Location",
    "SourceLocation",
    "cell_name",
    "column_letters",
    "format_path",
    "parse_path",
]

Location = tuple[str | int, ...]
"""Where a value sits in a form: ``("indicators", 3, "weight")``, ``("budget", "rate")``."""


def parse_path(text: str) -> tuple[str | int, ...]:
    """``"indicators[3].actual"`` → ``("indicators", 3, "actual")``."""
    parts: list[str | int] = []
    for piece in text.replace("]", "").split("."):
        name, *indices = piece.split("[")
        if name:
            parts.append(name)
        parts += [int(i) for i in indices if i.isdigit()]
    return tuple(parts)


def format_path(path: tuple[str | int, ...]) -> str:
    """``("indicators", 3, "actual")`` → ``"indicators[3].actual"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def column_letters(column: int) -> str:
    """A 1-based column number as a worksheet names it: 1 → ``A``, 28 → ``AB``."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    """A 1-based (row, column) in A1 notation: (14, 8) → ``H14``."""
    return f"{column_letters(column)}{row}"


def _sheet_text(name: str) -> str:
    """A sheet name as a reference writes it: quoted when it is more than letters, digits and
    underscores (``'预算 表'!H14``, a quote inside doubled), as spreadsheets do."""
    if name and all(ch.isalnum() or ch == "_" for ch in name):
        return name
    return "'" + name.replace("'", "''") + "'"


class SourceLocation(NamedTuple):
    """Where a value stands in the file it was read from (来源位置), as the reader saw it.

    A workbook names a ``sheet`` and a ``cell`` (``H14``; only the ``row`` where a flag is
    about the row as a whole); a PDF a ``page`` and, in a ruled table, its ``table`` and
    ``row`` (numbered from 1 on the page); a Word document or a web page a ``table`` and
    ``row``, or a ``paragraph`` outside the tables; a text, YAML or JSON file a ``line`` (and a
    YAML key its ``column``).  Every number is 1-based, as a person counts.  :meth:`text` says
    it in Chinese or English: ``Sheet1!H14``, ``第2页 表1第5行``, ``第57行``.  A named tuple:
    a form has one per value, made as it is read.
    """

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    paragraph: int | None = None
    line: int | None = None
    column: int | None = None

    def text(self, lang: str = "zh") -> str:
        """The place within the file: ``Sheet1!H14``, ``第2页 表1第5行`` / ``page 2, table 1,
        row 5``, ``表1第5行``, ``第3段``, ``第57行`` / ``line 57``; ``""`` when nothing is known."""
        en = lang == "en"
        if self.sheet is not None:
            sheet = _sheet_text(self.sheet)
            if self.cell:
                return f"{sheet}!{self.cell}"
            if self.row is not None:
                return f"{sheet} row {self.row}" if en else f"{sheet} 第{self.row}行"
            return sheet
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}" if en else f"第{self.page}页")
        if self.table is not None:
            rows = "" if self.row is None else (f", row {self.row}" if en else f"第{self.row}行")
            parts.append(f"table {self.table}{rows}" if en else f"表{self.table}{rows}")
        elif self.row is not None:
            parts.append(f"row {self.row}" if en else f"第{self.row}行")
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}" if en else f"第{self.paragraph}段")
        if self.line is not None:
            parts.append(f"line {self.line}" if en else f"第{self.line}行")
        if en:
            return ", ".join(parts)
        # 第2页 表1第5行, 第2页第5行: a page's row follows it directly, a table after a space.
        return "".join(
            p if i == 0 or not p.startswith("表") else f" {p}" for i, p in enumerate(parts)
        )

    def where(self, lang: str = "zh") -> str:
        """The file and the place in it: ``budget.xlsx Sheet1!H14``, ``form.yaml:57:3`` (a
        line as editors and compilers write it)."""
        place = self.text(lang)
        if self.file is None:
            return place
        if self.line is not None and self.page is None:
            column = f":{self.column}" if self.column is not None else ""
            return f"{self.file}:{self.line}{column}"
        return f"{self.file} {place}" if place else self.file

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The fields that are known, and ``text`` (:meth:`text` in ``lang``): JSON-ready."""
        out: dict[str, Any] = {
            name: value for name, value in zip(self._fields, self, strict=True) if value is not None
        }
        out["text"] = self.text(lang)
        return out
