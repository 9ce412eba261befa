"""Rows, not forms, absorb damage: a row that prints only its points is kept and flagged."""

from __future__ import annotations

import perfscore
from perfscore.readers import form_from_grid
from perfscore.readers.grid import forms_from_grid

GRID = [
    ["项目支出绩效自评表"],
    ["项目名称", "X"],
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "权重", "得分"],
    ["产出指标", "数量指标", "人数", "≥16人", "16人", "50", "50"],
    ["产出指标", "质量指标", "", "", "", "50", "40"],
]


def test_a_row_printing_only_its_points_is_kept_and_flagged() -> None:
    """Regression: the row was dropped, and its 40 points with it."""
    (found,) = forms_from_grid(GRID)
    form = form_from_grid(found, "grid")
    assert len(form.indicators) == 2
    result = perfscore.evaluate(form)
    assert ("unreadable-cell", "indicators[1].name") in {(f.code, f.path) for f in result.flags}
    assert result.indicators[1].reported_score == 40
