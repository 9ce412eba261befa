"""Traditional script and full-width characters read as simplified ASCII-digit text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore.text.script import TRADITIONAL, simplify
from tests.conftest import DATA, EXAMPLES, ROOT

# What a form in traditional script prints, and what its simplified twin prints.
VOCABULARY = [
    ("產出指標", "产出指标"),
    ("質量指標", "质量指标"),
    ("時效指標", "时效指标"),
    ("數量指標", "数量指标"),
    ("成本指標", "成本指标"),
    ("效益指標", "效益指标"),
    ("經濟效益指標", "经济效益指标"),
    ("社會效益指標", "社会效益指标"),
    ("生態效益指標", "生态效益指标"),
    ("可持續影響指標", "可持续影响指标"),
    ("滿意度指標", "满意度指标"),
    ("服務對象滿意度指標", "服务对象满意度指标"),
    ("預算執行率", "预算执行率"),
    ("資金來源", "资金来源"),
    ("項目名稱", "项目名称"),
    ("實施單位", "实施单位"),
    ("萬元", "万元"),
    ("億元", "亿元"),
    ("不低於90%", "不低于90%"),
    ("不超過2人", "不超过2人"),
    ("不少於500戶", "不少于500户"),
    ("達到預期目標", "达到预期目标"),
    ("較上年顯著提升", "较上年显著提升"),
    ("實際完成值", "实际完成值"),
    ("年度指標値", "年度指标值"),
    ("權重", "权重"),
    ("得分", "得分"),
    ("偏差原因分析及改進措施", "偏差原因分析及改进措施"),
    ("群眾滿意度", "群众满意度"),
    ("群衆滿意度", "群众满意度"),
    ("驗收合格率", "验收合格率"),
    ("開展培訓課時數", "开展培训课时数"),
    ("綫上服務", "线上服务"),
    ("這個項目與技術", "这个项目与技术"),
    ("１２３４５６７８９０", "1234567890"),
    ("≥９０％", "≥90%"),
    ("１．５萬元", "1.5万元"),
    ("ＡＢＣ級ｘｙｚ", "ABC级xyz"),
]


@pytest.mark.parametrize(("traditional", "simplified"), VOCABULARY)
def test_vocabulary_reads_as_simplified(traditional: str, simplified: str) -> None:
    """Every term the forms print in traditional script reads as its simplified twin."""
    assert simplify(traditional) == simplified


@pytest.mark.parametrize(
    "kept",
    [
        "效果显著",  # 著 is simplified too (显著); never 着
        "乾坤",
        "狼藉",
        "瞭望",
        "，；：（）",  # clause punctuation is the value reader's business
    ],
    ids=["显著", "乾坤", "狼藉", "瞭望", "punctuation"],
)
def test_characters_in_simplified_use_are_kept(kept: str) -> None:
    """Characters that simplified text itself uses are not rewritten."""
    assert simplify(kept) == kept


def test_full_width_comma_is_left_to_the_value_reader() -> None:
    """A full-width comma may end a clause or group thousands: only the digits change."""
    assert simplify("１，０００") == "1，000"


def test_table_is_closed() -> None:
    """No simplified character is itself mapped, so one pass is enough."""
    assert not set(TRADITIONAL.values()) & set(TRADITIONAL)
    assert all(len(t) == 1 and len(s) == 1 and t != s for t, s in TRADITIONAL.items())


def test_table_is_a_character_table() -> None:
    """Several hundred characters, not a list of the seeds' words."""
    assert len(TRADITIONAL) >= 600


SIMPLIFIED_TEXTS = sorted(
    [
        *(DATA / "seeds").glob("*.txt"),
        *(DATA / "forms").glob("*.yaml"),
        *EXAMPLES.glob("*.yaml"),
        *(ROOT / "rules").glob("*.yaml"),
    ]
)


@pytest.mark.parametrize("path", SIMPLIFIED_TEXTS, ids=lambda p: p.name)
def test_simplified_documents_are_unchanged(path: Path) -> None:
    """Published simplified forms and the rule sets keep every character but full-width ones."""
    text = path.read_text(encoding="utf-8")
    changed = {a for a, b in zip(text, simplify(text), strict=True) if a != b}
    assert all("\uff01" <= c <= "\uff5e" for c in changed), changed


_MIXED = "".join(sorted(TRADITIONAL)) + "".join(sorted(set(TRADITIONAL.values())))
_ALPHABET = _MIXED + "0123456789０１２３４５６７８９％．%.,，ＡＺａｚAZaz ≥≤人次万元"


@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_idempotent(text: str) -> None:
    """Simplifying twice is simplifying once."""
    once = simplify(text)
    assert simplify(once) == once
    assert len(once) == len(text)


@given(st.text(alphabet="".join(sorted(set(TRADITIONAL.values()))) + "0123456789.%", max_size=60))
def test_simplified_text_unchanged(text: str) -> None:
    """Text written in simplified characters and ASCII digits is returned as is."""
    assert simplify(text) == text


@given(st.text(max_size=60))
def test_never_raises_and_keeps_length(text: str) -> None:
    """Any string at all: one character in, one character out."""
    assert len(simplify(text)) == len(text)
