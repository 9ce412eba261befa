"""Waivers (已接受的问题): findings an auditor has seen and accepted, recorded once so that a
re-run lists them as accepted instead of raising them again.

A waivers file is a YAML list; each entry names a form (its project name or code, and the year),
a flag code, optionally where in the form, and why it was accepted, by whom and when::

    - 项目名称: 法律服务培训项目
      年度: 2024
      问题代码: over-achievement
      位置: 第2项            # or 宣传活动次数, indicators[1].actual, Sheet1!H14
      原因: 单位已说明：追加专项经费后增加宣传场次
      审核人: 张三
      日期: 2025-03-01

Keys are English or Chinese, all from one table (:data:`KEYS`).  A matching flag stays in the
result with its severity, carrying the :class:`Waiver` (``flag.waiver``); it is not counted as an
error or warning (``result.errors``, ``--fail-on``).  A waiver that matches no flag is *stale*
(:meth:`Waivers.stale`): the finding it accepted is gone, or the waiver is wrong.
"""

from __future__ import annotations

from perfscore.waivers.model import (
    KEYS,
    Waiver,
    WaiverInput,
    Waivers,
    accepted_label,
    accepted_note,
    flag_message,
    row_names,
)
from perfscore.waivers.reading import MAX_WAIVER_BYTES, load_waivers, waivers_json_schema

__all__ = [
    "KEYS",
    "MAX_WAIVER_BYTES",
    "Waiver",
    "WaiverInput",
    "Waivers",
    "accepted_label",
    "accepted_note",
    "flag_message",
    "load_waivers",
    "row_names",
    "waivers_json_schema",
]
