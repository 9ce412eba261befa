"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

# Characters that matter to the value language, plus some that do not.
_ALPHABET = (
    "0123456789０１２３.,，;；、%％‰≥≧≤≦><=＞＜═~-—/ "
    "人次件家个场份项天日月年小时工作万亿元余约以上下内不低于少超过达到控制在"
    "百分比效果显著提升较好良好达成预期指标完成通过适用涉及无未发现规定时间及时受理"
    "一二两三十&$*()（）\n\t"
)

value_text = st.text(alphabet=_ALPHABET, max_size=40)

magnitudes = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("100000"), places=2, allow_nan=False
)
positive = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2, allow_nan=False
)
weights = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=1)
units = st.sampled_from(["", "%", "人", "件", "次", "天", "小时", "万元"])
