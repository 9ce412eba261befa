"""Reading a completion against its target: the one reading the engine, the roll-up and the
reports share — a bare number in the target's unit, a ratio as a percentage, a completion
that restates, answers or denies the target's words.
"""

from __future__ import annotations

import re
from decimal import Decimal

from perfscore.text.phrases import PLAN
from perfscore.text.units import same_thing
from perfscore.text.values import Quantity

__all__ = ["denied", "falls_short", "planned", "read_actual", "read_completion", "restated"]

_ONE = Decimal(1)
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

# A target asks (是否…) or names what is to be obtained (获得…): the completion answers it with
# the rest of the phrase.
_ASKS = re.compile(r"^(?:是否|能否|可否|有无|有没有|获得|得到|取得|受到|实现|达到)")
# Words that say a procedure was (to be) done as asked: 按要求公示, 已全部公示, 均已及时办理.
_AS_ASKED = re.compile(
    r"^(?:(?:已经|已|均已|均|全部|全面|按要求|按规定|按计划|按时|按期|及时|如期|严格|依法)+)"
)
# Words of degree a target asks for (明显改善, 显著提升): a completion without them says less.
_DEGREE = re.compile(r"显著|明显|大幅|较大|全面|持续|有效|进一步|稳步|逐步|充分|极大|很大|高度")
# Words that deny or weaken a restated phrase (未明显改善, 群众认可度不高, 基本改善).
_DENIES = re.compile(r"未|不|没|否|无|差|欠|低|尚|一般|基本|部分|较少")


def restated(target: str, actual: str) -> str | None:
    """The phrase of ``target`` that ``actual`` repeats without denying it, or None."""
    if not target or not actual:
        return None
    if target == actual:
        return target
    asked = _ASKS.sub("", target) or target
    if asked in actual:
        rest = actual.replace(asked, "", 1)
        return None if _DENIES.search(rest) and not _DENIES.search(asked) else asked
    core = _AS_ASKED.sub("", asked)
    if len(core) >= 2 and core == _AS_ASKED.sub("", actual) and not _DENIES.search(actual):
        # 按要求公示 → 已全部公示: the procedure asked for, reported done in its own words.
        return core
    if len(actual) >= 2 and 2 * len(actual) >= len(asked) and actual in asked:
        # 质量合格 → 合格 repeats the verdict; 明显改善 → 改善 drops the degree asked for.
        dropped = asked.replace(actual, "", 1)
        if _DEGREE.search(dropped) or (_DENIES.search(actual) and not _DENIES.search(asked)):
            return None
        return actual
    return None


# Words after a completion's number that deny it met its target (90%未达标).
_DENIED_TAIL = re.compile(r"未达标|不达标|未达到|未完成|未实现|未通过|不合格|未达成")


# Words before a completion's number that deny it was done (未完成95%, 无法完成95%).
_DENIED_LABEL = re.compile(
    r"(?:未|没有|没|无法|未能|尚未|不能)(?:按时|按期|如期|全部)?(?:完成|达标|达成|实现|通过)|不达标|不合格"
)


def falls_short(tail: str, label: str = "") -> bool:
    """True when the words around a completion's number say it fell short (90%未达标,
    未完成95%)."""
    return bool(_DENIED_TAIL.search(tail) or _DENIED_LABEL.search(label))


def planned(label: str, tail: str) -> bool:
    """True when the words around a completion's number make it a plan, a forecast or the
    target itself (预计95%, 95%(目标值)), not what was done."""
    return bool(PLAN.search(label) or PLAN.search(tail))


_MULTIPLIED = re.compile(r"\d\s*(?:十|百|千|万|亿)")


def read_actual(
    target: Quantity, actual: Quantity, printed: str = ""
) -> tuple[Quantity | None, bool]:
    """``actual`` as it is compared with ``target``, and whether a ratio was read as a
    percentage: the one reading the engine, the roll-up and the reports share.

    A bare number takes the target's unit (147 against ≧50人, 48 against ≥50万元 is 48万元);
    one ``printed`` with its own multiplier is already counted out (48万 against ≥50万元 is
    480000 元, 48万元); a ratio against a percentage target is a percentage (0.9 against
    ≥90% is 90%); None when the dimensions differ or two counts count different things
    (≥200家 and 6000人).
    """
    if actual.unit.is_number and not actual.unit.noun:
        if target.unit.is_percent and _ZERO < actual.magnitude <= _ONE < target.magnitude:
            return Quantity(actual.magnitude * _HUNDRED, target.unit), True
        # Money is the one dimension whose factors are counted from 1 元: 48万 is 48 万元.
        money = target.unit.dimension == "[currency]"
        if money and target.unit.factor != 1 and printed and _MULTIPLIED.search(printed):
            return Quantity(actual.magnitude / target.unit.factor, target.unit), False
        return Quantity(actual.magnitude, target.unit), False
    if target.unit.is_number or (
        actual.unit.dimension == target.unit.dimension and same_thing(target.unit, actual.unit)
    ):
        return actual, False
    return None, False


def read_completion(actual: Quantity) -> tuple[Decimal | None, bool]:
    """A completion against a qualitative target as a fraction (``95%`` → 0.95, a bare ratio
    ``0.9`` → 0.9), and whether it was a bare ratio; None when it is neither."""
    if actual.unit.is_percent:
        return actual.base, False
    if actual.unit.is_number and not actual.unit.noun and _ZERO <= actual.magnitude <= _ONE:
        return actual.magnitude, True
    return None, False


_DENIAL = re.compile(r"^(?:未能|未|不|没有|没|尚未|无)")


def denied(target: str, actual: str) -> bool:
    """True when ``actual`` is the target's phrase with a denial before it (未明显改善)."""
    asked = _ASKS.sub("", target) or target
    if len(asked) < 2 or _DENIAL.match(asked):
        return False
    head, found, _ = actual.partition(asked)
    if found and _DENIAL.match(head) and len(head) <= 3:
        return True
    # 按要求公示 completed 未公示 (or 未按要求公示): the procedure, denied.
    core = _AS_ASKED.sub("", asked)
    denial = _DENIAL.match(actual)
    return (
        len(core) >= 2 and denial is not None and _AS_ASKED.sub("", actual[denial.end() :]) == core
    )
