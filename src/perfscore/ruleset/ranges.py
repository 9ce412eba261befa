"""The values each numeric setting of a rule file means something for: the one table.

A setting outside its range is no convention at all — ``tolerance: -1`` makes every printed
score a mismatch, ``low_threshold: 1.5`` asks every form to explain a 100% rate — so the rule
file's models (:mod:`perfscore.ruleset.rulefile`) take their bounds from :data:`RANGES`, the
loader words its refusal from it, and the JSON Schema an editor checks with carries the same
bounds.  A key is the setting's path in the file, ``*`` standing for any name or list position
(``weights.level1.*``, ``indicator_rules.*.bands.*.share``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import Field

__all__ = ["RANGES", "Range", "in_range", "range_at"]


@dataclass(frozen=True, slots=True)
class Range:
    """The values a setting means something for: ``low`` to ``high`` (``None``: unbounded),
    each end included unless it is ``open``, and what the setting measures."""

    low: Decimal | int | None
    high: Decimal | int | None
    meaning: str
    low_open: bool = False
    high_open: bool = False

    def holds(self, value: Decimal | int) -> bool:
        """True when ``value`` lies in the range."""
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        high = self.high
        return high is None or not (value > high or (self.high_open and value == high))

    def describe(self) -> str:
        """``from 0 to 1``, ``above 1, up to 1000000``, ``0 or more``."""
        if self.high is None:
            return f"above {self.low}" if self.low_open else f"{self.low} or more"
        start = f"above {self.low}" if self.low_open else f"from {self.low}"
        end = f"below {self.high}" if self.high_open else f"to {self.high}"
        return f"{start}, {end}" if self.low_open else f"{start} {end}"

    def expected(self) -> str:
        """What a refusal says was expected: the meaning and the range."""
        return f"{self.meaning} {self.describe()}"

    def constraints(self) -> dict[str, Any]:
        """The bounds as pydantic field constraints (``ge``, ``gt``, ``le``, ``lt``)."""
        bounds: dict[str, Any] = {}
        if self.low is not None:
            bounds["gt" if self.low_open else "ge"] = self.low
        if self.high is not None:
            bounds["lt" if self.high_open else "le"] = self.high
        return bounds


_POINTS = Decimal(1000)  # no form is scored out of more points than this

#: Every numeric setting of a rule file and its range, by its path in the file.
RANGES: dict[str, Range] = {
    "weights.total": Range(0, _POINTS, "the form's total points", low_open=True),
    "weights.execution": Range(0, _POINTS, "the execution row's points"),
    "weights.level1.*": Range(0, _POINTS, "a first-level block's points"),
    # The rate is a fraction: 2 places is a whole percent, 4 a hundredth of one (96.86%).
    "execution.rate_places": Range(2, 8, "decimal places of the rate as a fraction"),
    "execution.low_threshold": Range(0, 1, "a rate as a fraction (0.9 is 90%)"),
    "qualitative.words.*": Range(0, 1, "a share of the weight"),
    "rounding.places": Range(0, 6, "decimal places of a printed score"),
    "tolerance": Range(0, 1, "points"),
    # At most 1 would flag every met row as over-achieved.
    "over_achievement": Range(
        1, 1_000_000, "a factor of the target (2: twice the target)", low_open=True
    ),
    "over_achievement_margin": Range(0, 1_000_000, "a count"),
    "targets.mid_year_share": Range(0, 1, "a share of the budget (0.5 is half)"),
    "indicator_rules.*.bands.*.points": Range(0, _POINTS, "points"),
    "indicator_rules.*.bands.*.share": Range(0, 1, "a share of the weight"),
    "grades.*.low": Range(0, _POINTS, "a total score"),
}


def in_range(key: str) -> Any:
    """The pydantic field constraints of the setting at ``key`` (a key of :data:`RANGES`),
    for ``Annotated[Decimal, in_range("tolerance")]``."""
    return Field(**RANGES[key].constraints())


def range_at(loc: Sequence[str | int]) -> tuple[str, Range] | None:
    """The table's key and range for a setting's location in a file (``("weights", "level1",
    "产出指标")``), or ``None`` when the setting has no range."""
    parts = [str(part) for part in loc]
    for key, found in RANGES.items():
        pattern = key.split(".")
        if len(pattern) == len(parts) and all(
            p in ("*", q) for p, q in zip(pattern, parts, strict=True)
        ):
            return key, found
    return None
