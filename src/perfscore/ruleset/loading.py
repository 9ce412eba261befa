"""Finding, reading and keeping rule files: shipped names and paths, ``extends``, the registry.

:func:`load_rules` takes the name of a shipped rule set (``rules/``; ``national-2020`` is the
default) or an explicit path (a :class:`~pathlib.Path`, or text ending in ``.yaml``/``.yml`` or
containing a ``/``).  A bare name never reads the working directory.  A file is read, merged with
the files it extends, validated against :class:`~perfscore.ruleset.rulefile.RuleFile` and
compiled into a :class:`~perfscore.ruleset.rules.RuleSet` once; loading it again returns the
same object until one of those files changes.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Mapping
from decimal import localcontext
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from perfscore.errors import RuleSetError
from perfscore.ruleset.expressions import SCORING_CONTEXT
from perfscore.ruleset.refusals import pared, refusals
from perfscore.ruleset.rulefile import Positions, RuleFile, shown_key
from perfscore.suggest import did_you_mean
from perfscore.yamlfile import read_yaml

if TYPE_CHECKING:
    from perfscore.ruleset.rules import RuleSet

__all__ = [
    "DEFAULT_RULES",
    "MAX_LOADED",
    "MAX_RULE_BYTES",
    "list_rules",
    "load_rules",
    "names_a_file",
    "problems",
    "problems_and_rest",
    "shipped_dir",
]

DEFAULT_RULES = "national-2020"
MAX_RULE_BYTES = 256 * 1024
# How many loaded rule sets are kept (by file); a program cycling through more reloads them.
MAX_LOADED = 64
# A rule set loaded by its shipped name checks its files for changes at most this often (in
# seconds).  The shipped files are part of the installed package: they change only when someone
# edits the installation, where a second's delay goes unnoticed, while `evaluate` asks for its
# rule set once per form.  A rule set named by its path is checked on every load: a user who
# edits their rule file and loads it again gets the edit at once.
SHIPPED_RECHECK_SECONDS = 1.0
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@cache
def shipped_dir() -> Path:
    """Where the shipped rule sets are: beside the installed package, or ``rules/`` at the top
    of a source checkout."""
    here = Path(__file__).resolve().parents[1]  # the perfscore package
    packaged = here / "rules"
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "rules"


def list_rules() -> list[str]:
    """Names of the shipped rule sets."""
    return sorted(p.stem for p in shipped_dir().glob("*.yaml"))


def names_a_file(text: str) -> bool:
    """Text that names a file rather than a shipped rule set."""
    return text.endswith((".yaml", ".yml")) or "/" in text or os.sep in text


def _shipped(name: str, **where: Any) -> Path:
    path = shipped_dir() / f"{name}.yaml"
    try:
        found = bool(_NAME.fullmatch(name)) and path.is_file()
    except OSError:  # a name too long for a file name is no shipped name
        found = False
    if found:
        return path
    raise RuleSetError(
        f"no shipped rule set named {name!r}{did_you_mean(name, list_rules())}"
        + ("; a rule file is named by its path, e.g. ./my-rules.yaml" if "." not in name else ""),
        expected=", ".join(list_rules()),
        **where,
    )


@lru_cache(maxsize=MAX_LOADED)
def _shipped_file(name: str) -> str:
    """The resolved file of a shipped name, found once: the shipped folder does not depend on
    the working directory.  An unknown name raises, and a raise is not remembered."""
    return str(_shipped(name).resolve())


def _extended(parent: str, child: Path, positions: Positions) -> Path:
    """The file an ``extends:`` names: a shipped rule set, or a ``.yaml`` file in the child's
    own folder (or below it)."""
    file, line, column = positions.get(("extends",), (str(child), None, None))
    where: dict[str, Any] = {"source": file, "path": "extends", "line": line, "column": column}
    if not names_a_file(parent):
        return _shipped(parent, **where)
    folder = child.resolve().parent
    path = (folder / parent).resolve()
    if path.suffix not in {".yaml", ".yml"} or not path.is_relative_to(folder):
        raise RuleSetError(
            f"extends {parent!r} is outside the rule file's folder",
            expected="a shipped rule set's name or a .yaml file beside the rule file",
            **where,
        )
    return path


def _read_yaml(path: Path) -> tuple[dict[str, Any], Positions]:
    """A rule file's data and the position of every key: a regular file of bounded size, YAML
    1.2 scalars, no aliases, no duplicate keys (see :mod:`perfscore.yamlfile`)."""
    source = str(path)
    document = read_yaml(path, error=RuleSetError, max_bytes=MAX_RULE_BYTES)
    if not isinstance(document.data, dict):
        raise RuleSetError("a rule file is a mapping", source=source, line=1, column=1)
    positions: Positions = {
        tuple(str(part) for part in key): (source, line, column)
        for key, (line, column) in document.positions.items()
    }
    return document.data, positions


def _merge(parent: Mapping[str, Any], child: Mapping[str, Any], depth: int = 0) -> dict[str, Any]:
    """The child's keys over the parent's, mappings merged key by key.

    Inside a mapping of names (``weights.level1``, ``structure.level1``), ``null`` removes what
    the parent set: hubei drops ``效益指标: 30`` for ``效益指标+满意度指标: 40``.  Elsewhere
    ``null`` is a value (``over_achievement: null`` turns that check off).
    """
    out = dict(parent)
    for key, value in child.items():
        if value is None and depth >= 2:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value, depth + 1)
        else:
            out[key] = value
    return out


#: Longest chain of ``extends`` followed (a rule set builds on one or two others).
MAX_EXTENDS = 16

_Stamp = tuple[str, int, int, int]  # a file's path, inode, modification time and size


def _stamp(path: str) -> _Stamp:
    try:
        info = os.stat(path)
    except OSError:
        return (path, -1, -1, -1)
    return (path, info.st_ino, info.st_mtime_ns, info.st_size)


def _resolve(
    path: Path, seen: tuple[str, ...], chain: list[_Stamp]
) -> tuple[dict[str, Any], Positions]:
    """Read a rule file and the files it extends, merged; ``chain`` collects each file's stamp
    so a later load can tell whether any of them changed."""
    key = str(path.resolve())
    if len(seen) >= MAX_EXTENDS:
        raise RuleSetError(
            f"rule sets extend each other more than {MAX_EXTENDS} deep",
            source=str(path),
            expected="a short chain of extends",
        )
    if key in seen:
        cycle = " → ".join(Path(p).name for p in (*seen, key))
        raise RuleSetError(f"rule sets extend each other in a cycle: {cycle}", source=str(path))
    chain.append(_stamp(key))
    data, positions = _read_yaml(path)
    parent = data.get("extends")
    if parent:
        parent_path = _extended(str(parent), path, positions)
        try:
            base, base_positions = _resolve(parent_path, (*seen, key), chain)
        except RuleSetError as exc:
            if exc.line is not None:
                raise
            # A cycle, a chain too deep, a parent that cannot be read as a whole: told at the
            # `extends:` that reached it.
            file, line, column = positions.get(("extends",), (str(path), None, None))
            raise _error(exc, source=file, path="extends", line=line, column=column) from None
        base = {k: v for k, v in base.items() if k not in _OWN_KEYS}
        # The parent's own keys are gone with their lines: a child without a `title` is told
        # so in its own file, never at the parent's title.
        kept = {k: v for k, v in _kept(base_positions, data).items() if k[:1] not in _OWN_ROOTS}
        positions = {**kept, **positions}
        data = _merge(base, data)
    return data, positions


# Keys a rule file states for itself and never inherits.
_OWN_KEYS = frozenset({"name", "title", "$schema", "tests"})
_OWN_ROOTS = frozenset((key,) for key in _OWN_KEYS)


def _kept(base: Positions, child: Mapping[str, Any]) -> Positions:
    """The parent's positions the child's keys leave standing: under a key whose value the
    child replaces whole (a list, a scalar), the parent's items are gone and so are their lines
    — an error in the child's third indicator rule must not point at the parent's third."""

    def replaced(key: tuple[str, ...]) -> bool:
        node: Any = child
        for i, part in enumerate(key[:-1]):
            if not isinstance(node, Mapping) or part not in node:
                return False
            node = node[part]
            if not isinstance(node, Mapping):
                return i + 1 < len(key)
        return False

    return {key: where for key, where in base.items() if not replaced(key)}


def _validated(data: dict[str, Any], positions: Positions, path: Path) -> RuleFile:
    """The merged data as a :class:`RuleFile`, or the first problem at its file and line."""
    try:
        return RuleFile.model_validate(data)
    except ValidationError as exc:
        problems = list(refusals(exc, data, positions, path).values())
    more = f" ({len(problems) - 1} more)" if len(problems) > 1 else ""
    raise _error(problems[0], message=problems[0].message + more)


def _error(exc: RuleSetError, **changed: Any) -> RuleSetError:
    """``exc`` with some of its fields changed."""
    fields = ("message", "source", "path", "line", "column", "expected")
    return RuleSetError(**{name: getattr(exc, name) for name in fields} | changed)


def _in_shipped(source: str) -> bool:
    try:
        return Path(source).resolve().parent == shipped_dir().resolve()
    except OSError:
        return False


def _owned(exc: RuleSetError, path: Path, positions: Positions) -> RuleSetError:
    """An error found in a shipped rule set while loading the user's ``path``, which extends
    it, blamed on the user's ``extends:`` line: the shipped sets load on their own, so what
    broke is the user's, and the installed file is no place to send them."""
    if not exc.source or not _in_shipped(exc.source) or _in_shipped(str(path)):
        return exc
    file, line, column = positions.get(("extends",), (str(path), None, None))
    where = Path(exc.source).stem + (f" {exc.path}" if exc.path else "")
    return _error(
        exc,
        message=f"{where}: {exc.message}",
        source=file,
        path="extends",
        line=line,
        column=column,
    )


def problems(path: str | Path) -> list[RuleSetError]:
    """Every problem that keeps the rule file at ``path`` from loading, in the user's file where
    it can be: one per key the validation refuses (``load_rules`` stops at the first), and
    then every problem compiling the rest of the file meets; empty when the file loads."""
    return problems_and_rest(path)[0]


def problems_and_rest(path: str | Path) -> tuple[list[RuleSetError], RuleSet | None]:
    """:func:`problems`, and the rule set the rest of the file makes when the problems are
    refused keys alone (each set aside, its default in its place): what ``rules check`` runs
    its property checks on, so that one refused key hides no misbehaving formula."""
    path = Path(path)
    try:
        load_rules(path)
        return [], None
    except RuleSetError as exc:
        first = exc
    try:
        data, positions = _resolve(path.resolve(), (), [])
    except RuleSetError:
        return [first], None
    with localcontext(SCORING_CONTEXT):
        found, rest = _all_problems(data, positions, path)
    return [_owned(e, path.resolve(), positions) for e in found] or [first], rest


#: How many times a file's refused keys are taken out and the rest validated again.
MAX_PASSES = 8


def _all_problems(
    data: dict[str, Any], positions: Positions, path: Path
) -> tuple[list[RuleSetError], RuleSet | None]:
    """The keys the validation refuses, each once, then what compiling the rest meets: each
    pass takes the refused keys out (defaults take their place) and validates again.  With the
    problems, the rule set the rest compiles into, if it does."""
    from perfscore.ruleset.rules import RuleSet, compile_problems  # rules.py imports this

    found: list[RuleSetError] = []
    refused_keys: set[str] = set()  # as findings name them
    thinned: set[str] = set()  # lists an item was taken out of
    for _ in range(MAX_PASSES):
        try:
            spec = RuleFile.model_validate(data)
        except ValidationError as exc:
            refused = refusals(exc, data, positions, path).values()
            # A key taken out in an earlier pass was reported there: its parent refusing what
            # is left (required there, a band with neither points nor share) follows from it.
            found += [e for e in refused if not _above(e.path or "", refused_keys)]
            refused_keys.update(e.path or "" for e in refused)
            kept, kept_positions, lists = pared(exc, data, positions)
            thinned.update(shown_key(loc, data) for loc in lists)
            data, positions = kept, kept_positions
            continue
        source = str(path.resolve())
        compiled = compile_problems(spec, source, positions)
        found += [e for e in compiled if not _follows(e, refused_keys, thinned)]
        return found, None if compiled else RuleSet(spec, source, positions)
    return found, None


def _above(key: str, refused: set[str]) -> bool:
    """Whether ``key`` is a key refused before, or a list item holding one (``a[b]`` holds
    ``a[b].c``): an item's own checks see only what was left of it.  A mapping's check of its
    names (``severity``'s flag codes) is a mistake of its own."""
    return any(k == key or (key.endswith("]") and k.startswith(f"{key}.")) for k in refused)


def _follows(error: RuleSetError, refused: set[str], thinned: set[str]) -> bool:
    """Whether a compile finding may only follow from keys taken out: a list's coverage with
    an item gone, the weights' sum with a weight gone."""
    key = error.path or ""
    weights = key.startswith("weights") and any(k.startswith("weights") for k in refused)
    return key in thinned or weights


class _Entry:
    """A loaded rule set, the stamps of the files it was read from, and when they were last
    found unchanged."""

    __slots__ = ("checked", "rule_set", "stamps")

    def __init__(self, path: Path) -> None:
        # Imported here: rules.py imports this module to offer load_rules beside RuleSet.
        from perfscore.ruleset.rules import RuleSet

        chain: list[_Stamp] = []
        data, positions = _resolve(path, (), chain)
        try:
            self.rule_set = RuleSet(_validated(data, positions, path), str(path), positions)
        except RuleSetError as exc:
            raise _owned(exc, path, positions) from None
        self.stamps = tuple(chain)
        self.checked = time.monotonic()

    def current(self, grace: float) -> bool:
        """Whether no file changed: trusted for ``grace`` seconds after the last look."""
        now = time.monotonic()
        if now - self.checked < grace:
            return True
        if all(_stamp(stamp[0]) == stamp for stamp in self.stamps):
            self.checked = now  # a plain store: two threads storing the same moment is harmless
            return True
        return False


class _Loaded:
    """Rule sets loaded so far, by resolved file: a changed file is read again, and at most
    ``MAX_LOADED`` are kept."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        # Re-entrant: a signal handler that loads a rule set while this thread holds the lock
        # (reading a file) goes on, instead of waiting for itself for ever.
        self._lock = threading.RLock()

    def get(self, key: str, grace: float = 0.0) -> RuleSet:
        """The rule set of the resolved file ``key``, its files looked at unless they were
        found unchanged less than ``grace`` seconds ago."""
        entry = self._entries.get(key)
        if entry is not None and entry.current(grace):
            return entry.rule_set
        with self._lock:  # one thread reads a file; the others wait for its rule set
            entry = self._entries.get(key)
            if entry is None or not entry.current(0.0):
                # Read, checked and compiled in the scoring context, never the caller's: a
                # host trapping Rounded must not make a valid rule file fail, nor a host's
                # precision shape the compiled constants every later caller shares.
                with localcontext(SCORING_CONTEXT):
                    entry = _Entry(Path(key))
                self._entries.pop(key, None)
                if len(self._entries) >= MAX_LOADED:
                    evicted = self._entries.pop(next(iter(self._entries)))
                    # A name must not keep what the files forgot: a load by the file's path
                    # would compile a second copy, and rule_files() would not know its parents.
                    for name in [n for n, e in _NAMED.items() if e is evicted]:
                        _NAMED.pop(name, None)
                self._entries[key] = entry
        return entry.rule_set

    def entry(self, key: str) -> _Entry | None:
        """The entry of the resolved file ``key``, if it was loaded."""
        return self._entries.get(key)

    def files(self, rule_set: RuleSet) -> tuple[str, ...]:
        """The files ``rule_set`` was read from (its own, then those it extends)."""
        for entry in list(self._entries.values()):
            if entry.rule_set is rule_set:
                return tuple(stamp[0] for stamp in entry.stamps)
        return (rule_set.source_file,) if rule_set.source_file else ()


_LOADED = _Loaded()
# Shipped names already looked up, and their entries (a name's file does not depend on the
# working folder); at most ``MAX_LOADED`` names.
_NAMED: dict[str, _Entry] = {}


def rule_files(rule_set: RuleSet) -> tuple[str, ...]:
    """The files a loaded rule set was read from — its own and every file it extends — which
    an output must never overwrite."""
    return _LOADED.files(rule_set)


def load_rules(name_or_path: str | Path | RuleSet = DEFAULT_RULES) -> RuleSet:
    """Load a shipped rule set by name (``"national-2020"``) or a rule file by path.

    A name is looked up among the shipped rule sets only; a file is named by its path
    (``Path("my.yaml")``, ``"./my.yaml"``, ``"rules/my.yaml"``).  The same file returns the same
    compiled object until the file (or one it extends) changes.  A loaded
    :class:`~perfscore.ruleset.rules.RuleSet` is returned as it is.

    :raises RuleSetError: naming the file, the key, the line and column that are wrong.
    """
    # A shipped name seen before: its entry straight away (no path resolved, no file looked
    # at within the grace second).  ``evaluate`` calls this once per form.
    named = _NAMED.get(name_or_path) if type(name_or_path) is str else None
    if named is not None and named.current(SHIPPED_RECHECK_SECONDS):
        return named.rule_set
    if isinstance(name_or_path, Path):
        # Resolved on every call, never remembered: a relative path follows the working folder.
        return _LOADED.get(str(name_or_path.resolve()))
    if not isinstance(name_or_path, str):
        from perfscore.ruleset.rules import RuleSet

        if isinstance(name_or_path, RuleSet):
            return name_or_path
        raise TypeError(
            "rules must be a rule-set name, a path to a rule file or a RuleSet, "
            f"not {type(name_or_path).__name__}"
        )
    if names_a_file(name_or_path):
        return _LOADED.get(str(Path(name_or_path).resolve()))
    file = _shipped_file(name_or_path)
    rule_set = _LOADED.get(file, SHIPPED_RECHECK_SECONDS)
    entry = _LOADED.entry(file)
    if entry is not None and (name_or_path in _NAMED or len(_NAMED) < MAX_LOADED):
        _NAMED[name_or_path] = entry
    return rule_set
