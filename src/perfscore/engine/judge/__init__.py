"""Judging one indicator: does the actual meet the target, and by how much?

:func:`judge` returns an :class:`Outcome` of facts, by the comparator table
(:data:`perfscore.text.operators.OPERATORS`).
Scores are not made here (see :mod:`perfscore.engine.scoring`).
"""

from perfscore.engine.judge.core import Judge, judge
from perfscore.engine.judge.outcome import Outcome, tidy

__all__ = ["Judge", "Outcome", "judge", "tidy"]
