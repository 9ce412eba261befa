"""Exceptions raised by perfscore: one root, :class:`PerfscoreError`, and a few kinds below it.

Deviations found in a form are not exceptions: they are :class:`perfscore.words.flags.Flag` data on
the result.  Exceptions are for input perfscore cannot work with at all — a file that is not a
form, a rule file that does not compile — and each one names where the problem is.
"""

from __future__ import annotations

__all__ = [
    "FormError",
    "FormulaError",
    "OutputError",
    "PerfscoreError",
    "RuleSetError",
    "ValueTextError",
    "WaiverError",
]


class PerfscoreError(ValueError):
    """Root of every error perfscore raises on bad input.

    ``source`` is the file (or ``None`` for in-memory input), ``path`` the field path inside
    it (``indicators[3].weight``), ``line`` and ``column`` the 1-based position where the
    input was a file, and ``expected`` what would have been accepted.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        expected: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.path = path
        self.line = line
        self.column = column
        self.expected = expected
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.source:
            where = self.source
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        if self.path:
            where = f"{where} {self.path}" if where else self.path
        text = f"{where}: {self.message}" if where else self.message
        if self.expected:
            text += f" (expected {self.expected})"
        return text


class FormError(PerfscoreError):
    """A form (file, dict or model) that cannot be read as a self-evaluation form."""


class RuleSetError(PerfscoreError):
    """A rule set that cannot be loaded: unknown name, bad YAML, bad key, bad expression."""


class OutputError(PerfscoreError):
    """An output that cannot be written, or would overwrite one of the files being read."""


class WaiverError(PerfscoreError):
    """A waivers file (已接受的问题) that cannot be read: bad YAML, an unknown key or flag code,
    an entry without its flag code, reason or form."""


class ValueTextError(PerfscoreError, TypeError):
    """:func:`perfscore.parse_value` was handed something that is not text."""


class FormulaError(PerfscoreError):
    """A rule formula that failed while scoring (a division by zero at the row's values).

    The engine turns it into a ``formula-failed`` flag on the row; ``path`` names the rule
    file, line and key the formula was written at.
    """
