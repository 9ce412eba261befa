"""Clauses that are words, not numbers: not applicable, nothing occurred, a time limit, a grade.

``不适用`` and ``—`` (:data:`NOT_APPLICABLE`), ``无`` and ``未发现`` (:data:`NIL`), ``按时`` and
``规定时间内`` (:data:`DEADLINE`), completion words that say how far a target was reached
(:func:`band_of`: ``达成预期指标``, ``基本完成``) and grade words (:data:`GRADE_WORDS`:
``效果显著``).  Patterns read normalised text (:mod:`perfscore.text.normalise`).
"""

from __future__ import annotations

import re

from perfscore.text.kinds import Band
from perfscore.text.normalise import HAN

__all__ = ["DEADLINE", "GRADE_WORDS", "NIL", "NOT_APPLICABLE", "SHORT_GRADE", "band_of"]

NOT_APPLICABLE = re.compile(
    r"^(?:不适用|不涉及.*|无面向.*|-+|/+|\\|n/?a|N/?A|暂无指标|无此项|无此指标|不适宜)$"
)
NIL = re.compile(
    rf"^(?:(?:无|没有|零)(?:{HAN}|、)*"
    rf"|{HAN}{{0,8}}?(?:未发现|未发生|未收到|未出现|未有)(?:{HAN}|、)*)$"
)
DEADLINE = re.compile(
    r"(?:规定|法定|约定|合同)?(?:时间|时限|期限|期)内|及时|按时|按期|限期|当日|当天"
)

_GOAL = r"(?:预期)?(?:目标|指标|要求|任务|效果)?$"
# One pattern, tried in this order: a completion word's band is the first that matches.
_BANDS = re.compile(
    rf"(?P<none>^(?:未(?:能)?(?:按时|按期|如期)?(?:达成|完成|实现|通过|达标)|不合格|没有完成|否){_GOAL})"
    rf"|(?P<partial>^部分(?:达成|完成|实现|达标){_GOAL})"
    rf"|(?P<basic>^(?:基本(?:达成|完成|实现|达标|达到){_GOAL}|较好$))"
    r"|(?P<full>^(?:全部|全面|已|均已|圆满|已?按时|已?按期|按合同|顺利|已?如期|已?提前|准时)?"
    rf"(?:达成|完成|实现|通过|达标|达到|合格){_GOAL}"
    r"|^是$|^已完成.*$|^(?:优秀|优|良好|良)$)"
)
GRADE_WORDS = re.compile(
    r"显著|明显|有效|提升|提高|促进|较好|良好|优秀|优良|较高|满意|积极|改善|增强|加强|"
    r"健全|建立|规范|稳定|保障|长期|持续|逐步|降低|减少|增加|作用|成效|效果|达到预期|"
    r"较为|完善|到位|好转|满足|合格|通过验收|认可|好评|一般|较差|很差|良|优|好|差"
)
#: Single-character grades (中 差 好) only as the whole cell.
SHORT_GRADE = re.compile(r"^(?:非常|很|较|比较|十分|基本|一般)?(?:中|中等|差|好|高|低)$")


def band_of(text: str) -> Band | None:
    """How far a completion word says its target was reached (``基本完成`` → basic), or None."""
    m = _BANDS.match(text)
    return None if m is None or m.lastgroup is None else Band(m.lastgroup)
