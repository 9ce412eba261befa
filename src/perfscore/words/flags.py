"""Flags: the deviations the engine finds in a form, as data.

A :class:`Flag` has a stable ``code`` (the catalogue below and ``docs/flags.md`` list them), a
``severity``, a ``path`` into the form (``("indicators", 3, "actual")``), the place in the file
it came from (``source``: ``Sheet1!H14``, ``第2页 表1第5行``, ``第57行``), a message in Chinese
or English, and the numbers involved as strings (printed, recomputed, the formula used).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from perfscore.paths import Location, SourceLocation, format_path, parse_path
from perfscore.words.catalogue import CATALOGUE, RANK, FlagSpec, Severity
from perfscore.words.messages import num, shorten

if TYPE_CHECKING:  # a flag only carries a waiver: the waivers module is not loaded for it
    from perfscore.waivers import Waiver

__all__ = [
    "CATALOGUE",
    "Finding",
    "Flag",
    "FlagSpec",
    "Flagger",
    "KeptFinding",
    "Severity",
    "SourceLocation",
    "facts",
    "finding",
    "format_path",
    "kept",
    "parse_path",
]


#: A flag's facts: (name, value) pairs; a value is text or a number (a Decimal), which is
#: written out as a form prints it when the flag is read.
Facts = tuple[tuple[str, Any], ...]


class Flag(NamedTuple):
    """One deviation found in a form: immutable, cheap to make (forms raise many).

    ``location`` is the field path as a tuple (``("indicators", 3, "actual")``), ``path`` the
    same as text (``indicators[3].actual``).  ``facts`` are the numbers and texts involved, as
    pairs; a fact whose words depend on the language has an English twin named ``…_en``.
    The message is written from the catalogue when read: :attr:`message` in the evaluation's
    language, :meth:`message_in` in either.  ``source`` is where the flagged value stands in
    the file the form was read from (its cell, page and table row, or line), ``None`` for a
    form made in Python.  ``waiver`` is the waiver that accepted the flag
    (:mod:`perfscore.waivers`): it is still listed, but not counted as an error or warning.
    """

    code: str
    severity: Severity
    location: tuple[str | int, ...]
    facts: Facts = ()
    lang: str = "zh"
    source: SourceLocation | None = None
    waiver: Waiver | None = None

    @property
    def accepted(self) -> bool:
        """Whether a waiver accepted the flag."""
        return self.waiver is not None

    def place(self, lang: str | None = None) -> str:
        """Where the flag points, in ``lang`` (the evaluation's by default): the place in the
        file (``Sheet1!H14``, ``第2页 表1第5行``, ``第57行``), else the field path."""
        text = self.source.text(lang or self.lang) if self.source is not None else ""
        return text or self.path

    @property
    def path(self) -> str:
        """The field path as text: ``indicators[3].actual``."""
        return format_path(self.location)

    @property
    def data(self) -> dict[str, str]:
        """Every fact as text, numbers as a form prints them: a fact whose words depend on the
        language is in Chinese, with its English twin beside it (``how``, ``how_en``).  A new
        dict on each read, JSON-ready."""
        return {k: v if isinstance(v, str) else num(v) for k, v in self.facts}

    def _words(self, lang: str) -> dict[str, str]:
        """The facts a message in ``lang`` is written from: in English, each twin in place of
        the fact it translates."""
        facts = self.data
        if lang == "en":
            for twin in [k for k in facts if k.endswith("_en")]:
                facts[twin[:-3]] = facts[twin]
        return facts

    @property
    def message(self) -> str:
        """The message in the evaluation's language."""
        return self.message_in(self.lang)

    def message_in(self, lang: str) -> str:
        """The message in ``lang`` (``"zh"`` or ``"en"``), written from the catalogue."""
        spec = CATALOGUE[self.code]
        data = self._words(lang)
        # Text quoted from the form is cut in the message (a descriptive target may run to a
        # paragraph); the facts keep it whole.
        shown = {k: shorten(v) if k in _QUOTED else v for k, v in data.items()}
        return (spec.en if lang == "en" else spec.zh).format(**shown)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "path": self.path,
            "message": self.message,
            "data": dict(self.data),
            "source": self.source.to_dict(self.lang) if self.source is not None else None,
            "accepted": None if self.waiver is None else self.waiver.to_dict(),
        }

    def sort_key(self) -> tuple[Any, ...]:
        """Path (indicators by number), then severity, then code."""
        return (_location_key(self.location), RANK[self.severity], self.code)


@lru_cache(maxsize=8192)
def _location_key(location: tuple[str | int, ...]) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in location)


#: Message fields that quote the form's own text rather than numbers or the engine's words.
_QUOTED = frozenset(
    {"text", "target", "actual", "name", "words", "matched", "block", "level1", "level2"}
)


def facts(data: Mapping[str, Any]) -> Facts:
    """Keyword data as a flag keeps it: texts, and numbers written out only when read."""
    # From a list: the pairs made before the tuple holding them (see :func:`kept`).
    return tuple(list(data.items()))


class Finding(NamedTuple):
    """A flag before it has a place: what a stage found about one row or field.

    ``field`` names the row's field it is about (``"actual"``) or is empty for the row as a
    whole; ``at`` raises or lowers the catalogue's severity for this one finding.  The engine
    gives findings their path and severity once (:meth:`Flagger.place`).
    """

    code: str
    field: str
    facts: Facts
    at: Severity | None = None


#: A finding as remembered rows keep it: ``(code, field, facts, at)``, a plain tuple of texts
#: and numbers (``at`` a severity's name), which the garbage collector stops visiting.
KeptFinding = tuple[str, str, Facts, str | None]


def kept(found: Iterable[Finding]) -> tuple[KeptFinding, ...]:
    """``found`` as plain tuples."""
    # From a list: each tuple made after its items, so that one pass of the garbage collector
    # finds remembered findings all atoms and stops visiting them.
    return tuple([(f.code, f.field, f.facts, None if f.at is None else f.at.value) for f in found])


def finding(code: str, field: str = "", /, *, at: Severity | None = None, **data: Any) -> Finding:
    """A :class:`Finding` of ``code`` about ``field`` with ``data`` as its facts."""
    return Finding(code, field, facts(data), at)


_new_flag = tuple.__new__


class Flagger:
    """Collects the flags of one evaluation, marked with the language their messages are read
    in.  The severity policy is applied here, once: a rule set's ``overrides`` win; else a
    finding's own ``at``; else the catalogue's default.  Each flag is given its place in the
    file here too, from ``sources`` (a path's own place, else its row's, its block's or the
    form's first: see :mod:`perfscore.form.sources`).  One per evaluation; never shared.
    """

    __slots__ = ("flags", "lang", "overrides", "sources")

    def __init__(
        self,
        overrides: Mapping[str, Severity],
        lang: str = "zh",
        sources: Mapping[Location, SourceLocation] | None = None,
    ) -> None:
        self.overrides = overrides
        self.lang = lang
        self.sources = sources or None
        self.flags: list[Flag] = []

    def _source(self, location: Location) -> SourceLocation | None:
        """The place of ``location``: its own, else the nearest wider one that has a place."""
        sources = self.sources
        if sources is None:
            return None
        found = sources.get(location)  # nearly always: a cell read, or a row
        cut = len(location)
        while found is None and cut > 0:
            cut -= 1
            found = sources.get(location[:cut])
        return found

    def __call__(
        self, code: str, location: Location, *, at: Severity | None = None, **data: Any
    ) -> None:
        """Record flag ``code`` at ``location``; ``data`` are its facts.

        ``at`` raises or lowers this one finding from the catalogue's default (a ``structure``
        note becomes a warning when a block is absent); a rule set's override still wins.
        """
        self.flags.append(self._flag(code, location, at, facts(data)))

    def place(self, found: tuple[KeptFinding, ...], row: Location) -> None:
        """Findings about one row, given the row's path: ``row + (field,)``."""
        append = self.flags.append
        overrides, lang, where = self.overrides, self.lang, self._source
        for code, field, facts, at in found:
            severity = overrides.get(code) or (at and Severity(at)) or CATALOGUE[code].severity
            location = (*row, field) if field else row
            # Straight from the fields: rows place thousands of flags.  A waiver is given later.
            append(_new_flag(Flag, (code, severity, location, facts, lang, where(location), None)))

    def _flag(
        self,
        code: str,
        location: Location,
        at: Severity | None,
        data: Facts,
    ) -> Flag:
        severity = self.overrides.get(code) or at or CATALOGUE[code].severity
        return Flag(code, severity, location, data, self.lang, self._source(location))
