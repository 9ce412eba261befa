"""Reading waivers: a YAML file (through the one YAML reader, so every error has its line and
column) or a list of mappings, each key resolved through :data:`~perfscore.waivers.model.KEYS`;
and the JSON Schema of the file, from the same table."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from perfscore.errors import WaiverError
from perfscore.form.fields import FORM, INDICATOR
from perfscore.paths import format_path, parse_path
from perfscore.suggest import did_you_mean
from perfscore.text.script import simplify
from perfscore.waivers.model import KEYS, Waiver, WaiverInput, Waivers, place_key
from perfscore.words.catalogue import CATALOGUE
from perfscore.yamlfile import Positions, read_yaml

__all__ = ["MAX_WAIVER_BYTES", "load_waivers", "waivers_json_schema"]

#: Largest waivers file read: a few hundred entries are a few tens of KiB.
MAX_WAIVER_BYTES = 4 * 1024 * 1024

# Every spelling of a key, as written after script and spaces are set aside, to its key.
_SPELLINGS: dict[str, str] = {
    simplify(spelling).strip(): f.key for f in KEYS.values() for spelling in (f.key, *f.labels)
}

# A row's fields and the budget's, by key and by label: a waiver's 字段.
_ROW_FIELDS: dict[str, str] = {
    simplify(spelling): f.key for f in INDICATOR.values() for spelling in (f.key, *f.labels)
}

# Each flag's titles (Chinese, and English in lower case) to its code: a waiver may name a
# flag as reports title it.
_TITLES: dict[str, str] = {
    title: code for code, spec in CATALOGUE.items() for title in (spec.title, spec.title_en.lower())
}

# A row as reports name it: 第3项, 第3项「成本控制率」得分, row 3 (成本控制率), #3, 序号3; the name
# and a field label may follow the number.  (第3行 is a line of a file, as reports print it.)
_ROW = re.compile(
    r"(?:第\s*(?P<n>\d{1,6})\s*项|(?:row|#|序号)\s*(?P<m>\d{1,6}))"
    r"\s*(?:[「(（]\s*(?P<name>[^」)）]+?)\s*[」)）])?\s*[,，]?\s*(?P<field>.*)",
    re.IGNORECASE,
)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def load_waivers(waivers: WaiverInput) -> Waivers:
    """``waivers`` loaded: a file's path is read (YAML, a list of entries), a list of
    mappings checked as a file's entries are, loaded :class:`Waivers` returned as they are.

    :raises WaiverError: naming the file, the line and column, the entry and key, and what was
        expected: a file that cannot be read, an unknown key or flag code (with did-you-mean),
        an entry without its flag code, reason or form.
    """
    if isinstance(waivers, Waivers):
        return waivers
    if isinstance(waivers, (str, Path)):
        source = str(waivers)
        document = read_yaml(waivers, error=WaiverError, max_bytes=MAX_WAIVER_BYTES, max_depth=8)
        return _entries(document.data, document.positions, source)
    if isinstance(waivers, Mapping) or not isinstance(waivers, Sequence):
        raise WaiverError(
            f"waivers must be a file's path or a list of entries, not {type(waivers).__name__}",
            expected="a path, Waivers, or a list of mappings",
        )
    return _entries(list(waivers), {}, None)


def _entries(data: Any, positions: Positions, source: str | None) -> Waivers:
    """A file's data as :class:`Waivers`; an empty file has none."""
    if data is None:
        return Waivers((), source)
    if not isinstance(data, list):
        line, column = positions.get((), (None, None))
        raise WaiverError(
            "a waivers file is a list of entries",
            source=source,
            line=line,
            column=column,
            expected="'- 项目名称: …' entries",
        )
    return Waivers(
        tuple(_Entry(i, item, positions, source).waiver() for i, item in enumerate(data)),
        source,
    )


class _Entry:
    """One entry being read: its keys resolved through :data:`KEYS`, each value checked, every
    error naming the entry's line (or the key's) and column."""

    def __init__(self, index: int, item: Any, positions: Positions, source: str | None) -> None:
        self.index, self.positions, self.source = index, positions, source
        self.values: dict[str, tuple[str, Any]] = {}  # key → (as written, value)
        if not isinstance(item, Mapping):
            self.fail(None, "each waiver is a mapping of keys", "项目名称, 问题代码, 原因 …")
        for written, value in item.items():
            key = _SPELLINGS.get(simplify(str(written)).strip())
            if key is None:
                hint = did_you_mean(str(written), _SPELLINGS)
                self.fail(written, f"unknown key {written!r}{hint}", _known_keys())
            if key in self.values:
                first = self.values[key][0]
                self.fail(written, f"{written!r} repeats {first!r}", "each key once per entry")
            self.values[key] = (written, value)

    def fail(self, written: Any, message: str, expected: str | None = None) -> NoReturn:
        at = (self.index,) if written is None else (self.index, written)
        line, column = self.positions.get(at, self.positions.get((self.index,), (None, None)))
        # A file's error has its line and column (every message names its key); a list's
        # entries are numbered from 1.
        raise WaiverError(
            message,
            source=self.source,
            path=None if line is not None else f"waiver #{self.index + 1}",
            line=line,
            column=column,
            expected=expected,
        )

    def text(self, key: str, *, required: bool = False) -> str | None:
        """The value of ``key`` as text (a number typed for a code is its digits)."""
        if key not in self.values:
            if required:
                spelling = KEYS[key].labels[0]
                self.fail(None, f"the waiver has no {key} ({spelling})", f"a {spelling} key")
            return None
        written, value = self.values[key]
        if isinstance(value, (bool, list, dict)):
            self.fail(written, f"{written} is not text", KEYS[key].what)
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                self.fail(written, f"{written} is empty", KEYS[key].what)
            return None
        return text

    def waiver(self) -> Waiver:
        flag = self.flag()
        reason = self.text("reason", required=True)
        project, code = self.text("project"), self.text("project_code")
        if project is None and code is None:
            self.fail(
                None,
                "the waiver names no form",
                "项目名称 (project) or 项目编码 (project_code)",
            )
        place = self.place()
        line = self.positions.get((self.index,), (None, None))[0]
        return Waiver(
            flag=flag,
            reason=reason or "",
            project=project,
            project_code=code,
            year=self.year(),
            reviewer=self.text("reviewer"),
            date=self.date(),
            source=self.source,
            line=line if line is not None or self.source is not None else self.index + 1,
            **place,
        )

    def flag(self) -> str:
        """The flag code, or the code of the title reports print (``大幅超额完成``)."""
        code = self.text("flag", required=True) or ""
        found = code if code in CATALOGUE else _TITLES.get(simplify(code).strip().lower())
        if found is None:
            written = self.values["flag"][0]
            self.fail(
                written,
                f"unknown flag code {code!r}{did_you_mean(code, [*CATALOGUE, *_TITLES])}",
                "a code or title from docs/flags.md",
            )
        return found

    def year(self) -> int | None:
        if "year" not in self.values:
            return None
        written, value = self.values["year"]
        text = str(value).strip().removesuffix("年度").removesuffix("年")
        if isinstance(value, bool) or not re.fullmatch(r"\d{4}", text):
            self.fail(written, f"{written} {value!r} is not a year", "a year such as 2024")
        return int(text)

    def date(self) -> date | None:
        text = self.text("date")
        if text is None:
            return None
        match = _DATE.fullmatch(text)
        try:
            if match is None:
                raise ValueError(text)
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            written = self.values["date"][0]
            self.fail(written, f"{written} {text!r} is not a date", "2025-03-01")

    def place(self) -> dict[str, Any]:
        """The place as :class:`Waiver`'s fields: the location read, and its field."""
        location = self.text("location")
        out: dict[str, Any] = {"location": location}
        if location is not None:
            out.update(self._location(location))
        field = self.text("field")
        if field is None:
            return out
        written = self.values["field"][0]
        key = self.field_key(written, field)
        if "row" not in out and "indicator" not in out:
            self.fail(written, f"{written} goes with a row or an indicator's name", "位置: 第3项")
        if out.get("field", key) != key:
            self.fail(written, f"{written} {field!r} is not the field 位置 names", "one field")
        return {**out, "field": key, "location": f"{location} {field}"}

    def field_key(self, written: Any, label: str) -> str:
        """A row's field by key or label (``实际完成值``, ``actual``)."""
        key = _ROW_FIELDS.get(simplify(label).strip())
        if key is None:
            hint = did_you_mean(label, _ROW_FIELDS)
            self.fail(written, f"unknown field {label!r}{hint}", "a row's field: 实际完成值 …")
        return key

    def _location(self, text: str) -> dict[str, Any]:
        """A location as written: a field path; else a place in the file, and the row it
        numbers (with its name and field, as reports write them) or the indicator it names."""
        written, value = self.values["location"]
        head = re.match(r"[A-Za-z_]+", text)
        if head is not None and head[0] in FORM and re.fullmatch(r"[\w.\[\]]+", text):
            path = parse_path(text)
            if format_path(path) != text:
                self.fail(written, f"{text!r} is not a field path", "indicators[2].actual")
            return {"path": path}
        out: dict[str, Any] = {"place": place_key(text)}
        if re.fullmatch(r"-?\d{1,6}", text):  # a bare number: the row
            number = int(text)
            if number < 1:
                self.fail(written, "rows are numbered from 1", "第1项 or more")
            return {**out, "row": number}
        row = _ROW.fullmatch(text)
        if row is None or isinstance(value, Decimal):
            return {**out, "indicator": text}
        number = int(row["n"] or row["m"])
        if number < 1:
            self.fail(written, "rows are numbered from 1", "第1项 or more")
        out["row"] = number
        if row["name"]:
            out["indicator"] = row["name"]
        if row["field"]:
            out["field"] = self.field_key(written, row["field"])
        return out


def _known_keys() -> str:
    return ", ".join(f"{f.key} ({f.labels[0]})" for f in KEYS.values())


def waivers_json_schema() -> dict[str, Any]:
    """The JSON Schema of a waivers file, from :data:`KEYS` (``perfscore schema waivers``)."""
    text = {"type": ["string", "number"]}
    kinds: dict[str, Any] = {
        "year": {"type": ["integer", "string"]},
        "date": {"type": "string"},
        "flag": {"type": "string", "enum": sorted(CATALOGUE)},
    }
    properties = {
        spelling: {"description": f.what, **kinds.get(f.key, text)}
        for f in KEYS.values()
        for spelling in (f.key, *f.labels)
    }

    def one_of(*keys: str) -> dict[str, Any]:
        return {"anyOf": [{"required": [s]} for k in keys for s in (k, *KEYS[k].labels)]}

    entry = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "allOf": [one_of("flag"), one_of("reason"), one_of("project", "project_code")],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "perfscore waivers (已接受的问题)",
        "type": "array",
        "items": entry,
    }
