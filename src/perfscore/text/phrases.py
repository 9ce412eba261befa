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

__all__ = [
    "DEADLINE",
    "GRADE_WORDS",
    "NIL",
    "NOT_APPLICABLE",
    "NO_DATA",
    "PLAN",
    "SHORT_GRADE",
    "band_of",
]

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

_GOAL = (
    r"(?:既定|预期|各项|计划|全部|预定|规定|设定)?(?:的)?"
    r"(?:目标|指标|要求|任务|效果|目标任务|工作任务|绩效目标)?$"
)
# How a completion says it was done as asked: 按要求, 按计划, 已经, 均已 … (up to two of them).
_AS_ASKED = (
    r"(?:全部|全面|已|已经|均已|均|圆满|按时|按期|按合同|顺利|如期|提前|准时|"
    r"按要求|按规定|按计划|按标准|严格)"
)
# A failure: a denial before what was to be done (没有达到, 无法完成, 尚未落实, 未能按期开展),
# or nothing to show for it (无进展, 没有成效, 毫无效果).  Never "nothing happened" (无).
_DENIAL = r"(?:未能|未|没有|没能|没|无法|不能|不能够|尚未|仍未|并未|均未|暂未|还未|还没有|难以)"
_DONE = (
    r"(?:达到|达成|完成|实现|落实|开展|到位|推进|实施|执行|启动|通过|达标|取得|见效|兑现|"
    r"建成|完工|验收|覆盖|解决|改善|提升|提高)"
)
_RESULT = r"(?:进展|成效|效果|进度|改善|起色|成果|实效|提升|提高|好转)"
_FAILURE = (
    rf"^(?:{_DENIAL}(?:按时|按期|如期|全部|全面|完全|及时|有效)?{_DONE}{HAN}{{0,10}}"
    rf"|(?:无|没有|毫无|未见|未有|未取得|没取得|缺乏)(?:任何|明显|实质性?)?{_RESULT}{HAN}{{0,6}}"
    r"|不合格|不达标|失败|否)$"
)
# One pattern, tried in this order: a completion word's band is the first that matches.
_BANDS = re.compile(
    rf"(?P<none>{_FAILURE})"
    rf"|(?P<partial>^部分(?:达成|完成|实现|达标){_GOAL})"
    rf"|(?P<basic>^(?:基本(?:达成|完成|实现|达标|达到){_GOAL}|较好$))"
    rf"|(?P<full>^{_AS_ASKED}{{0,2}}(?:达成|完成|实现|通过|达标|达到|合格|落实|到位){_GOAL}"
    # 已完成 and what was done, unless the cell says more than the verdict: a number, a denial
    # or a plan (已完成50%, 已完成但未达标, 已完成部分) is read as that, never as full.
    r"|^是$|^已完成(?!.*(?:\d|未|不|没|无法|尚|但|部分|计划|预计|拟|将)).*$|^(?:优秀|优|良好|良)$)"
)
#: A completion that says no figure is to hand (没有数据, 未统计): nothing to judge.
NO_DATA = re.compile(
    r"^(?:(?:没有|无|暂无|尚无|缺少|缺乏|未提供|未取得)(?:相关|统计|监测|具体)?(?:数据|统计数据|资料)"
    r"|(?:未|暂未|尚未|无法|未能|没有|待)(?:统计|测算|采集|监测|评估)(?:数据)?|数据缺失|数据待定)$"
)
#: Words that make a number a plan, a forecast or the target itself, not what was done
#: (预计95%, 计划完成95%, 95%(目标值)).
PLAN = re.compile(
    r"预计|(?<!按)(?<!完成)(?<!达到)(?<!超)(?:计划|目标值?|年度目标)(?!的)"
    r"|拟|力争|争取|有望|预期值|预测|指标值|将达到|将完成"
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
