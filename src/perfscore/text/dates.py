"""Dates and periods as forms print them: ``2024年6月底前``, ``第一季度``, ``上半年``,
``年底前``, ``完成时间为2022年12月30日``, ``9月前``, ``3月后``.

:func:`read_date` reads one clause as a :class:`~perfscore.text.kinds.Date` (or None when it
is not one); the words that bound a date (``不晚于``, ``前``, ``起``) come from the operator
table.
"""

from __future__ import annotations

import re
from functools import cache

from perfscore.text.kinds import Comparison, Date
from perfscore.text.normalise import HAN
from perfscore.text.operators import Op, alternation, date_words_after, date_words_before

__all__ = ["DATE_HINT", "as_date", "read_date", "year_offset"]

#: A cheap test before the date grammar is tried: a month, quarter, half year or year.
DATE_HINT = re.compile(r"[月季]|半年|年[底末内初中]|^(?:19|20)\d\d年|(?:19|20)\d\d年(?:度)?$")

_CJK = re.compile(HAN)
_CN_MONTH = "十二|十一|十|一|二|三|四|五|六|七|八|九"
_CN_MONTHS = {w: i for i, w in enumerate("一二三四五六七八九十", start=1)} | {
    "十一": 11,
    "十二": 12,
}
_BEFORE = date_words_before()
_AFTER = date_words_after()
# Words before a date that only place it (完成于2024年6月): part of the label.
_PLACING = ("于", "在")


@cache
def _date_pattern() -> re.Pattern[str]:
    """Compiled the first time a cell could need it."""
    return re.compile(
        rf"^(?P<label>(?:{HAN}{{0,10}}?(?:为|是|于|在|:))?|{HAN}{{0,10}}?)"
        rf"(?P<pre>{alternation(_BEFORE)}|{'|'.join(_PLACING)})?"
        r"(?:(?P<year>(?:19|20)\d{2})年(?:度)?)?"
        r"(?:"
        rf"(?P<month>1[0-2]|0?[1-9]|{_CN_MONTH})月(?:份)?"
        r"(?:(?P<day>[12]\d|3[01]|0?[1-9])[日号])?(?P<part>底|末|初|上旬|中旬|下旬)?"
        r"|第?(?P<quarter>[1-4一二三四])季度(?P<qpart>末|底|初)?"
        r"|(?P<half>上|下)半年(?P<hpart>末|底|初)?"
        r"|(?P<yearpart>年底|年末|年内|年度内|年初|年中|底|末|内)"
        r")?"
        rf"(?P<post>{alternation(_AFTER)})?"
        rf"(?P<tail>{HAN}{{0,10}})$"
    )


# What a date may be followed by: nothing, or what was (to be) done then (前完成招标, 已完成).
@cache
def _completion() -> re.Pattern[str]:
    """Compiled the first time a cell could need it."""
    return re.compile(
        r"^(?:前|内|之前|以前)?(?:全部|全面|已|已经|如期|按期|按时|基本|顺利)?"
        r"(?:(?:完成|完工|竣工|办结|结束|实施|开工|启动|到位|交付|上线|验收|投入使用|投用|建成|拨付|"
        r"支付|发放|兑现|下达|完毕|结项|结题|落实|开展|召开|举办|印发|出台|制定|组织|提交|上报|报送)"
        rf"{HAN}{{0,8}})?$"
    )


_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4}
_YEAR_PARTS = {
    "年底": ((12, 0), (12, 0)),
    "年末": ((12, 0), (12, 0)),
    "底": ((12, 0), (12, 0)),
    "末": ((12, 0), (12, 0)),
    "年初": ((1, 1), (1, 0)),
    "年中": ((6, 0), (6, 0)),
}
# A period: (first (month, day), last (month, day), whether it names a precise day).
_Period = tuple[tuple[int, int], tuple[int, int], bool]


def read_date(text: str, body: str) -> Date | None:
    """``body`` (a normalised clause of ``text``) read as a date, or None."""
    m = _date_pattern().match(body)
    if m is None:
        return None
    year = int(m["year"]) if m["year"] else None
    period = m["month"] or m["quarter"] or m["half"] or m["yearpart"]
    pre, post, tail, label = m["pre"], m["post"], m["tail"], m["label"]
    if not _completion().match(tail) or not (year or period):
        return None
    if label and (_CJK.sub("", label) not in ("", ":") or len(label) > 12):
        return None
    if not pre:
        # 不晚于2024年 reads 不晚于 as a label ending in 于: it bounds the date.
        for word in sorted(_BEFORE, key=len, reverse=True):
            if label.endswith(word):
                label, pre = label[: -len(word)], word
                break
    if pre in _PLACING:
        label, pre = label + pre, None
    if m["month"]:
        if not (year or m["day"] or m["part"] or pre or post or tail) and not (
            label and label[-1] in "为是于在:"
        ):
            return None  # 6月 (周期6月) is six months as often as June: the engine decides
        first, last, precise = _month(m)
    elif m["quarter"] or m["half"]:
        first, last, precise = _quarter_or_half(m)
    elif m["yearpart"]:
        yp = m["yearpart"]
        if yp in ("底", "末", "内") and not year:
            return None
        first, last = _YEAR_PARTS.get(yp, ((1, 1), (12, 0)))
        precise = yp not in ("年初",)
        if yp in ("年内", "年度内", "内") and post is None:
            post = "内"
    else:
        if not (pre or post or tail or label) and m["year"] and body != m[0]:
            return None
        first, last, precise = (1, 1), (12, 0), False
    return Date(text, _bound(pre, post, tail, precise), year, first, last, label, tail)


def _month(m: re.Match[str]) -> _Period:
    month = _CN_MONTHS.get(m["month"]) or int(m["month"])
    part = m["part"]
    if m["day"]:
        first = last = (month, int(m["day"]))
    elif part in ("底", "末"):
        first = last = (month, 0)
    elif part in ("初", "上旬"):
        first, last = (month, 1), (month, 10)
    elif part == "中旬":
        first, last = (month, 11), (month, 20)
    elif part == "下旬":
        first, last = (month, 21), (month, 0)
    else:
        first, last = (month, 1), (month, 0)
    return first, last, bool(m["day"] or part in ("底", "末"))


def _quarter_or_half(m: re.Match[str]) -> _Period:
    if m["quarter"]:
        q = _QUARTERS.get(m["quarter"]) or int(m["quarter"])
        first, last = (3 * q - 2, 1), (3 * q, 0)
        if m["qpart"] in ("末", "底"):
            first = last
        elif m["qpart"] == "初":
            last = (3 * q - 2, 0)
        return first, last, m["qpart"] in ("末", "底")
    first, last = ((1, 1), (6, 0)) if m["half"] == "上" else ((7, 1), (12, 0))
    if m["hpart"] in ("末", "底"):
        first = last
    return first, last, m["hpart"] in ("末", "底")


def _bound(pre: str | None, post: str | None, tail: str, precise: bool) -> Op | None:
    """How the words around a date bound it (the operator table's date words)."""
    op = _BEFORE.get(pre) if pre else None
    if post:
        op = _AFTER[post]
    elif tail.startswith("前"):
        op = Op.LT
    # 6月底前 and 6月30日前 include the day named; 6月前 is before June begins.
    if op is Op.LT and precise and (post or tail.startswith("前")):
        op = Op.LE
    return op


# Words that place a date in the year after (or before) the form's: 次年3月, 明年5月, 去年12月.
_NEXT_YEAR = re.compile(r"次年|明年|翌年|来年|下一年|下年|第二年")
_LAST_YEAR = re.compile(r"去年|上年|上一年|前一年")


def year_offset(date: Date) -> int:
    """How many years after the form's year a date printed without a year falls (次年3月 is
    1, 去年12月 is -1, 3月 is 0)."""
    if date.year is not None:
        return 0
    words = date.label + date.text[:8]
    if _NEXT_YEAR.search(words):
        return 1
    return -1 if _LAST_YEAR.search(words) else 0


def as_date(value: Comparison) -> Date | None:
    """A bare ``9月`` (nine months, as read) taken as September, for comparing with a date."""
    q = value.quantity
    if (
        value.op is None
        and q.unit.label == "月"
        and q.magnitude == q.magnitude.to_integral_value()
        and 1 <= q.magnitude <= 12
    ):
        month = int(q.magnitude)
        return Date(value.text, None, None, (month, 1), (month, 0), value.label, value.tail)
    return None
