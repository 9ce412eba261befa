"""Bounded memo tables: answers worked out once per distinct input, with a ceiling on memory.

Real batches repeat themselves (成本控制率 ≤98% 100% appears in thousands of forms), so the
engine remembers judgements, rows and name lookups.  Each :class:`~perfscore.ruleset.rules.RuleSet`
owns one :class:`Memo`; every table in it is bounded, so memory stays flat however many distinct
names a stream of forms carries.  The key of every table is the complete input of the code
whose answers it keeps — that code receives nothing but the key (see
:class:`perfscore.engine.row.Row`), so no answer can be reused for an input it did not see.

Reads take no lock (a dict lookup is atomic in CPython); writes and evictions take the
table's lock.  Two threads may compute the same answer at once; both store the same value.
"""

from __future__ import annotations

import threading
from typing import Any, Generic, TypeVar

__all__ = ["Memo", "Table"]

K = TypeVar("K")
V = TypeVar("V")

DEFAULT_LIMIT = 16_384


class Table(Generic[K, V]):
    """One bounded mapping; the oldest quarter is dropped when it is full."""

    __slots__ = ("_data", "_limit", "_lock")

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self._data: dict[K, V] = {}
        self._limit = max(limit, 4)
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The stored answer for ``key``, or ``None``."""
        return self._data.get(key)

    def put(self, key: K, value: V) -> V:
        """Store ``value`` for ``key`` and return it."""
        with self._lock:
            data = self._data
            if len(data) >= self._limit:
                for old in list(data)[: self._limit // 4]:
                    del data[old]
            data[key] = value
        return value

    def __len__(self) -> int:
        return len(self._data)


class Memo:
    """The named tables of one rule set (``memo.table("rows", …)``), created on first use."""

    __slots__ = ("_lock", "_tables")

    def __init__(self) -> None:
        self._tables: dict[str, Table[Any, Any]] = {}
        self._lock = threading.Lock()

    def table(self, name: str, limit: int = DEFAULT_LIMIT) -> Table[Any, Any]:
        """The table called ``name``, holding at most ``limit`` entries."""
        found = self._tables.get(name)
        if found is None:
            with self._lock:
                found = self._tables.setdefault(name, Table(limit))
        return found

    def size(self) -> int:
        """Entries held across all tables (for tests and benchmarks)."""
        return sum(len(t) for t in list(self._tables.values()))
