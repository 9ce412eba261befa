"""A waiver and a file's waivers, as data: which form, which flag, where, why; how a waiver
matches a flag; and the words a report writes beside an accepted flag."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfscore.form.fields import FORM, FieldLabels
from perfscore.paths import Location
from perfscore.text.normalise import words
from perfscore.words.messages import say

if TYPE_CHECKING:
    from perfscore.engine.results import EvaluationResult
    from perfscore.form.model import Form
    from perfscore.words.flags import Flag

__all__ = [
    "KEYS",
    "Waiver",
    "WaiverInput",
    "Waivers",
    "accepted_label",
    "accepted_note",
    "flag_message",
    "place_key",
    "places_of",
    "row_names",
]


def _key(key: str, what: str, *labels: str) -> FieldLabels:
    return FieldLabels(key, labels, what)


#: The keys of a waiver: the English key, then every spelling accepted for it (the Chinese an
#: auditor writes first).  The form's own keys take their labels from the form's field table.
KEYS: Mapping[str, FieldLabels] = {
    f.key: f
    for f in (
        _key("project", "the project's name, as the form prints it", *FORM["project"].labels),
        _key("project_code", "the project's code (项目编码)", *FORM["code"].labels),
        _key("year", "the year the form evaluates (any year when left out)", *FORM["year"].labels),
        _key("flag", "the flag code accepted (over-achievement …)", "问题代码", "标记代码"),
        _key(
            "location",
            "where: a row as reports name it (3, 第3项, 第3项「名称」得分), an indicator's name, a "
            "field path (indicators[2].actual) or a place in the file (Sheet1!H14, 第57行); the "
            "whole form when left out",
            "位置",
        ),
        _key(
            "field",
            "with a row or an indicator's name: the field (actual, 实际完成值)",
            "字段",
            "栏目",
        ),
        _key("reason", "why the finding is accepted", "原因", "接受原因", "说明"),
        _key("reviewer", "who accepted it", "审核人", "复核人", "who", "by"),
        _key("date", "when (2025-03-01, 2025年3月1日)", "日期", "审核日期"),
    )
}


@dataclass(frozen=True, slots=True)
class Waiver:
    """One accepted finding: which form, which flag, where, and why.

    The form is named by ``project`` (its name, compared as words: script, spaces and
    punctuation aside) and/or ``project_code``, and ``year`` (any year when ``None``).

    ``location`` is the place as written.  A field path is read as ``path`` (0-based; the
    place and everything under it).  Any other place matches a flag whose place in the file is
    written so (``place``: ``Sheet1!H14``, ``H14``, ``第2页 表1第5行``, as reports print it),
    or the rows it names: ``row`` (as the form numbers them, from 1) or ``indicator`` (a row's
    name; every row so named), narrowed to one of the row's fields by ``field``.  No place:
    every flag of the code in the form.  ``source`` and ``line`` are where the waiver was
    written.
    """

    flag: str
    reason: str
    project: str | None = None
    project_code: str | None = None
    year: int | None = None
    location: str | None = None
    path: Location | None = None
    row: int | None = None
    indicator: str | None = None
    place: str | None = None
    field: str | None = None
    reviewer: str | None = None
    date: date | None = None
    source: str | None = None
    line: int | None = None

    @property
    def where(self) -> str:
        """Where the waiver was written: ``waivers.yaml:7``, or ``waiver #3`` without a file."""
        if self.source is None:
            return f"waiver #{self.line}" if self.line is not None else "waiver"
        return f"{self.source}:{self.line}" if self.line is not None else self.source

    def describe(self) -> str:
        """The waiver in one line: ``法律服务培训项目 2024 over-achievement 第2项``."""
        parts = [self.project or self.project_code, self.year, self.flag, self.location]
        return " ".join(str(p) for p in parts if p is not None)

    def covers(self, form: Form) -> bool:
        """Whether the waiver names ``form`` (its project and year)."""
        if self.year is not None and form.year != self.year:
            return False
        if self.project_code is not None and (form.code or "").strip() != self.project_code:
            return False
        return self.project is None or words(form.project or "") == words(self.project)

    def matches(self, flag: Flag, names: Sequence[str]) -> bool:
        """Whether ``flag`` of a form this waiver covers is the one accepted; ``names`` are the
        form's row names as words (:func:`row_names`)."""
        if flag.code != self.flag:
            return False
        here = flag.location
        if self.path is not None:
            return here[: len(self.path)] == self.path
        if self.place is None:
            return True
        if self.place in places_of(flag):
            return True
        if len(here) < 2 or here[0] != "indicators" or not isinstance(here[1], int):
            return False
        index = here[1]
        if self.row is not None and index != self.row - 1:
            return False
        if self.indicator is not None and (
            index >= len(names) or names[index] != words(self.indicator)
        ):
            return False
        return self.field is None or here[2:3] == (self.field,)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: why, by whom, when, and where the waiver was written."""
        return {
            "reason": self.reason,
            "reviewer": self.reviewer,
            "date": self.date.isoformat() if self.date else None,
            "file": self.source,
            "line": self.line,
        }


def places_of(flag: Flag) -> frozenset[str]:
    """The places a flag stands at in its file, as :func:`place_key` compares them: the place
    in either language (``Sheet1!H14``, ``第2页 表1第5行``, ``page 2, table 1, row 5``), and a
    cell alone (``H14``); none for a form made in Python."""
    source = getattr(flag, "source", None)
    if source is None:
        return frozenset()
    found = {place_key(source.text(lang)) for lang in ("zh", "en")}
    cell = getattr(source, "cell", None)
    if isinstance(cell, str) and cell:
        found.add(place_key(cell))
    found.discard("")
    return frozenset(found)


def place_key(text: str) -> str:
    """A place as compared: without spaces, quotes and ``$``, letters capitalised
    (``'预算 表'!$h$14`` → ``预算表!H14``)."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "$'\"").upper()


def row_names(form: Form) -> tuple[str, ...]:
    """The form's row names as a waiver's ``indicator`` is compared with them."""
    return tuple(words(ind.name) for ind in form.indicators)


@dataclass(frozen=True, slots=True)
class Waivers:
    """The waivers of one file (or list), in the order written; immutable, safe to share
    between threads and to send to worker processes."""

    entries: tuple[Waiver, ...] = ()
    source: str | None = None
    # The entries' positions by the form they name (its name as words, else its code), so a
    # form of a batch looks at its own waivers only: thousands of waivers cost no more per
    # form than a few.  Built once; never changed.
    by_form: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[int]] = {}
        for i, w in enumerate(self.entries):
            key = _name_key(w.project) if w.project is not None else _code_key(w.project_code)
            index.setdefault(key, []).append(i)
        object.__setattr__(self, "by_form", {k: tuple(v) for k, v in index.items()})

    def of(self, form: Form) -> list[tuple[int, Waiver]]:
        """The waivers that name ``form``, with their positions, in file order."""
        found = self.by_form.get(_name_key(form.project), ())
        if form.code:
            found += self.by_form.get(_code_key(form.code), ())
        entries = self.entries
        return [(i, entries[i]) for i in sorted(set(found)) if entries[i].covers(form)]

    def __iter__(self) -> Iterator[Waiver]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def accept(self, form: Form, flags: Iterable[Flag]) -> tuple[Flag, ...]:
        """``flags`` of ``form``, each one a waiver matches marked with the first such waiver
        (in file order)."""
        flags = tuple(flags)
        mine = [w for _, w in self.of(form)]
        if not mine:
            return flags
        names = row_names(form)
        out = []
        for f in flags:
            waiver = next((w for w in mine if w.matches(f, names)), None)
            out.append(f if waiver is None else f._replace(waiver=waiver))
        return tuple(out)

    def matched(self, result: EvaluationResult) -> frozenset[int]:
        """The positions (in :attr:`entries`) of the waivers that match a flag of ``result``
        — a waiver another one shadowed included: it is not stale."""
        mine = self.of(result.form)
        if not mine:
            return frozenset()
        names = row_names(result.form)
        return frozenset(i for i, w in mine if any(w.matches(f, names) for f in result.flags))

    def stale(self, results: Iterable[EvaluationResult | frozenset[int]]) -> tuple[Waiver, ...]:
        """The waivers that match no flag of any of ``results`` (results, or what
        :meth:`matched` said of each, as a batch's workers send it back)."""
        used: set[int] = set()
        for item in results:
            used |= item if isinstance(item, frozenset) else self.matched(item)
        return tuple(w for i, w in enumerate(self.entries) if i not in used)


def _name_key(project: str | None) -> str:
    return "name:" + words(project or "")


def _code_key(code: str | None) -> str:
    return "code:" + (code or "").strip()


#: What ``evaluate(..., waivers=…)`` takes: a waivers file's path, loaded :class:`Waivers`, or
#: the entries themselves as mappings (keys as in a file).
WaiverInput = Waivers | str | Path | Sequence[Mapping[str, Any]]


def accepted_note(flag: Flag, lang: str) -> str:
    """``已接受（原因，审核人，2025-03-01）`` for a flag a waiver accepted, ``""`` for another:
    what every report writes beside the flag's message."""
    waiver = getattr(flag, "waiver", None)
    if waiver is None:
        return ""
    parts = [waiver.reason, waiver.reviewer, waiver.date.isoformat() if waiver.date else None]
    shown = [p for p in parts if p]
    if lang == "en":
        return f"accepted ({', '.join(shown)})"
    return f"已接受（{'，'.join(shown)}）"


def flag_message(flag: Flag, lang: str) -> str:
    """The flag's message in ``lang``, followed by its waiver where one accepted it: what every
    report writes for a flag (``…，指标值可能设置偏低 已接受（原因，审核人，日期）``)."""
    note = accepted_note(flag, lang)
    return f"{flag.message_in(lang)} {note}" if note else flag.message_in(lang)


def accepted_label(lang: str) -> str:
    """The word for an accepted flag: ``已接受`` or ``accepted``."""
    return say(lang, "已接受", "accepted")
