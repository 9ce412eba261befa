"""The commonest pair, judged straight: a bound on a number (``≥90%``, ``≤5天``, ``>200人``)
against a number in the same unit or printed bare (``95%``, ``4天``, ``231人``, ``96``).

More than half of the rows of real forms are this pair.  The general judge
(:class:`~perfscore.engine.judge.core.Judge`) asks a dozen questions of every pair before it
compares — a restated grade, nothing done, words disowning the number, a bound for an actual,
a negative count, a change from last year, a share of a count, a period to scale, a ratio to
read as a percentage — and for this pair every answer is "no" (the last three are asked here
by the same functions).  :func:`fast_judgement` checks
the few facts that make every answer "no" and goes straight to the comparison the general
judge ends with (:meth:`~perfscore.engine.judge.core.Judge.compare`): the same steps, the same
achievement, the same formula.

Anything else, and any pair whose comparison has something to say (an over-achievement, a
formula that failed), takes the general judge: the fast path never makes a finding.
``tests/test_fast_path.py`` checks that both give the same :class:`Outcome` for pairs drawn from
the value grammar's strategies and for every pair of ``tests/cases/values.yaml``.
"""

from __future__ import annotations

from perfscore.engine.judge.core import Judge
from perfscore.engine.judge.frames import per_year, share_done
from perfscore.engine.judge.outcome import Outcome
from perfscore.engine.reading import read_actual
from perfscore.ruleset.rules import RuleSet
from perfscore.text.kinds import Comparison, Value
from perfscore.text.operators import Op

__all__ = ["fast_judgement"]

_BOUNDS = frozenset({Op.GE, Op.GT, Op.LE, Op.LT})
_new_outcome = tuple.__new__


def fast_judgement(
    rules: RuleSet,
    name: str,
    target: Value,
    actual: Value,
    *,
    level2: str | None = None,
    year: int | None = None,
) -> Outcome | None:
    """The outcome of the commonest pair, or ``None`` when the pair is another (the caller
    then asks :func:`~perfscore.engine.judge.core.judge`)."""
    if target.__class__ is not Comparison or actual.__class__ is not Comparison:
        return None
    assert isinstance(target, Comparison)
    assert isinstance(actual, Comparison)
    op = target.op
    if op not in _BOUNDS or actual.op is not None:
        return None
    # Nothing printed around either number: no words to hear (plans, changes, periods) and
    # no approximation or "each".
    if target.label or target.tail or actual.label or actual.tail:
        return None
    if target.approximate or actual.approximate or target.each or actual.each:
        return None
    tq, aq = target.quantity, actual.quantity
    # Known units (no rule set's own unit to look up), a positive bound, a count that is not
    # negative, and no percentage printed against a count (a share of it done).
    if tq.unit.is_number or not tq.unit.is_known or not aq.unit.is_known:
        return None
    if tq.magnitude <= 0 or aq.magnitude < 0 or share_done(tq, aq) is not None:
        return None
    assert op is not None
    j = Judge(rules, name, level2=level2, year=year)
    if per_year(j, target, actual) is not None:  # a count set per period in the name
        return None
    # The actual as the general judge compares it: a bare number in the target's unit; a
    # ratio read as a percentage, or units that do not compare, are flags.
    read, ratio = read_actual(tq, aq, actual.text)
    if read is None or ratio:
        return None
    outcome = j.compare(op, tq, read)
    if j.found:
        return None
    return _new_outcome(Outcome, (*outcome[:5], tuple(outcome.steps), *outcome[6:8], ()))
