"""Judging one indicator: does the actual meet the target, and by how much?

:func:`judge` returns an :class:`Outcome` of facts; :data:`OPERATORS` is the comparator table.
Scores are not made here (see :mod:`perfscore.engine.scoring`).
"""

from perfscore.engine.judge.core import Judge, judge
from perfscore.engine.judge.outcome import DATE_TESTS, OPERATORS, Outcome, Sense, tidy

__all__ = ["DATE_TESTS", "OPERATORS", "Judge", "Outcome", "Sense", "judge", "tidy"]
