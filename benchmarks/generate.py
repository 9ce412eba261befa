"""Realistic synthetic self-evaluation forms for the benchmarks.

Targets and actuals are drawn from the variety of the seed documents — comparators in symbols and
words (≥ ≧ >= ＞ 不低于 以上 以内), units (人 件 次 家 场 份 小时 天 个工作日 月 年 元 万元 次/年),
percentages written %, ％ and 百分比, full-width digits, grades (效果显著 有效提升 较好), compounds
(群众≥5000人；公司≥200家), approximate and embedded numbers, not-applicable rows, typos (80&) — with
10 to 20 indicators a form and some errors planted (a wrong score, a wrong total, a missing reason).
Everything is drawn from a seeded random generator, so a run is repeatable.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

_COUNT_UNITS = ["人", "件", "次", "家", "场", "份", "个", "宗", "人次", "项"]
_TIME_UNITS = ["小时", "天", "个工作日", "个月"]
_GE_WORDS = [
    "≥{n}{u}",
    "≧{n}{u}",
    ">={n}{u}",
    "不低于{n}{u}",
    "{n}{u}以上",
    "不少于 {n} {u}",
    "{n}{u}",
    "＞{n}{u}",
]
_LE_WORDS = ["≤{n}{u}", "≦{n}{u}", "不超过{n}{u}", "{n}{u}以内", "控制在{n}{u}以内", "低于{n}{u}"]
_PERCENT = ["%", "%", "%", "％", "百分比"]
_GRADES = ["效果显著", "有效提升", "显著提升", "较好", "良好", "积极有效", "明显改善"]
_COMPLETIONS = ["达成预期指标", "已完成", "通过", "基本完成", "部分达成"]
_QUANT_NAMES = [
    "社区法律服务次数",
    "法律援助案件办结数量",
    "调解案件受理量",
    "普法宣讲会数量",
    "教育改造列管矫正人员数量",
    "公证业务办理件数",
    "实地检查机构数",
    "培训参加人次",
]
_RATE_NAMES = [
    "调解案件成功率",
    "学法考试通过率",
    "安全检查合格率",
    "矫正对象学习教育按期完成率",
    "资金拨付及时率",
    "服务对象满意度",
    "受援人满意度",
]
_LOWER_NAMES = [
    "成本控制率",
    "案件平均调解时长",
    "矫正对象重新犯罪率",
    "法律援助有效投诉率",
    "受理审批时长",
]
_GRADE_NAMES = ["辖区社会稳定维护程度", "群众法治意识提升", "普法宣传效果", "基层法治效益"]
_LEVEL2 = {
    "数量": ("产出指标", "数量指标"),
    "质量": ("产出指标", "质量指标"),
    "时效": ("产出指标", "时效指标"),
    "成本": ("产出指标", "成本指标"),
    "社会": ("效益指标", "社会效益指标"),
    "满意": ("满意度指标", "服务对象满意度指标"),
}
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _num(rng: random.Random, low: int, high: int) -> int:
    return rng.randint(low, high)


def _pick(rng: random.Random, choices: list[int], wide: bool) -> int:
    """One of ``choices``; with ``wide``, any whole number from 1 to ten times the largest, so
    that texts seldom repeat (the fresh-row benchmark: texts the value cache has not seen)."""
    return rng.randint(1, 10 * max(choices)) if wide else rng.choice(choices)


def _percent(rng: random.Random, choices: list[int], wide: bool) -> str:
    """A percentage from ``choices``; with ``wide``, with two decimals between the smallest
    choice and 100 (written as printed: ``93.71``)."""
    if not wide:
        return str(rng.choice(choices))
    return f"{rng.randint(100 * min(choices), 10_000) / 100:.2f}"


def _quantitative(rng: random.Random, wide: bool = False) -> tuple[str, str, str]:
    unit = rng.choice(_COUNT_UNITS)
    n = _pick(rng, [1, 2, 4, 6, 10, 12, 50, 100, 120, 300, 450, 550, 2000, 4000], wide)
    target = rng.choice(_GE_WORDS).format(n=n, u=unit)
    got = max(0, round(n * rng.choice([0, 0.5, 0.8, 0.95, 1, 1, 1, 1.1, 1.3, 2.5])))
    actual = rng.choice([f"{got}{unit}", f"{got}", f"{got}余{unit}", f"完成{got}{unit}"])
    if rng.random() < 0.05:
        actual = actual.translate(_FULLWIDTH)
    return rng.choice(_QUANT_NAMES), target, actual


def _rate(rng: random.Random, wide: bool = False) -> tuple[str, str, str]:
    pct = rng.choice(_PERCENT)
    n = _percent(rng, [80, 85, 90, 95, 98, 99, 100], wide)
    target = rng.choice(["≥{n}{u}", "≧{n}{u}", "不低于 {n}{u}", "{n}{u}以上", "{n}{u}"]).format(
        n=n, u=pct
    )
    reached = min(100.0, float(n) + rng.choice([-15, -5, -2, 0, 0, 1, 3, 10]))
    # Whole percentages print as before ("95"); wide ones keep their two decimals.
    got = f"{reached:.2f}" if wide and reached < 100 else f"{reached:g}"
    actual = rng.choice([f"{got}%", f"{got}%", f"{got}％", f"{reached / 100:g}", f"≥{got}%"])
    if rng.random() < 0.02:
        actual = f"{got}&"  # the seed-001 typo
    return rng.choice(_RATE_NAMES), target, actual


def _lower(rng: random.Random, wide: bool = False) -> tuple[str, str, str]:
    name = rng.choice(_LOWER_NAMES)
    if "时长" in name:
        unit = rng.choice(_TIME_UNITS)
        n = _pick(rng, [3, 5, 7, 30], wide)
        target = rng.choice(_LE_WORDS).format(n=n, u=unit)
        actual = f"{max(1, n + rng.choice([-2, -1, 0, 0, 1, 3]))}{unit}"
    else:
        share = rng.choice([0.2, 0.5, 1.0, 98.0, 100.0])
        if wide:
            share = rng.randint(1, 10_000) / 100
        target = rng.choice(["≤{n:g}%", "{n:g}%以内", "低于{n:g}%", "控制在{n:g}%以内"]).format(
            n=share
        )
        actual = rng.choice([f"{share * rng.choice([0, 0.5, 1, 1.02]):g}%", "0", "无"])
    return name, target, actual


def _qualitative(rng: random.Random, wide: bool = False) -> tuple[str, str, str]:
    done = _percent(rng, [60, 70, 80, 85, 90, 95, 100], wide)
    actual = rng.choice([f"{done}%", "1", "0.9", rng.choice(_COMPLETIONS)])
    return rng.choice(_GRADE_NAMES), rng.choice(_GRADES), actual


def _compound(rng: random.Random, wide: bool = False) -> tuple[str, str, str]:
    a, b = _num(rng, 1000, 6000), _num(rng, 50, 300)
    if wide:
        a, b = a * 10 + _num(rng, 0, 9), b * 10 + _num(rng, 0, 9)
    target = f"群众≥{a}人；公司≥{b}家"
    people = int(a * rng.choice([0.8, 1, 1.5]))
    firms = int(b * rng.choice([0.9, 1, 1.2]))
    actual = f"接待群众{people}余人次；服务企业{firms}家"
    return "公证业务服务主体数量", target, actual


_KINDS: list[tuple[Callable[[random.Random, bool], tuple[str, str, str]], str]] = [
    (_quantitative, "数量"),
    (_rate, "质量"),
    (_lower, "成本"),
    (_qualitative, "社会"),
    (_rate, "满意"),
    (_quantitative, "时效"),
    (_compound, "数量"),
]


def _weights(rng: random.Random, n: int) -> list[int]:
    """n weights adding up to 90 (the execution row carries 10)."""
    cuts = sorted(rng.sample(range(1, 90), n - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, 90], strict=True)]


def synthetic_form(rng: random.Random, number: int, wide: bool = False) -> dict[str, Any]:
    """One form in the form format, with about one planted error in four forms.  With ``wide``,
    numbers are drawn from wide ranges and every name carries the form's number, so that
    nearly every row and nearly every cell text is one no other form has."""
    n = rng.randint(10, 20)
    indicators = []
    weights = _weights(rng, n)
    for i in range(n):
        make, group = rng.choice(_KINDS)
        name, target, actual = make(rng, wide)
        level1, level2 = _LEVEL2[group]
        indicators.append(
            {
                "level1": level1,
                "level2": level2,
                "name": f"{name}{number}{i:02d}" if wide else f"{name}{i}",
                "target": target,
                "actual": actual,
                "weight": weights[i],
            }
        )
    if rng.random() < 0.1:
        indicators.append(
            {
                "level1": "效益指标",
                "level2": "经济效益指标",
                "name": "不适用",
                "target": "不适用",
                "actual": "不适用",
                "weight": 0,
            }
        )
    budget = Decimal(rng.randint(100, 5000)) * 1000
    executed = (budget * Decimal(rng.choice(["1", "0.99", "0.9686", "0.8619", "0.6438"]))).quantize(
        Decimal("0.01")
    )
    return {
        "kind": "project",
        "code": f"4403032103015{number:08d}",
        "project": f"合成项目{number}",
        "year": 2024,
        "unit": "某区司法局",
        "budget": {"adjusted": str(budget), "executed": str(executed), "weight": 10},
        "indicators": indicators,
    }


def printed(form: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Fill in printed scores and the total the way a careful unit would — then plant errors."""
    import perfscore

    result = perfscore.evaluate(form)
    for row, ind in zip(result.indicators, form["indicators"], strict=True):
        if row.score is not None:
            ind["score"] = str(row.score)
        if row.score is not None and row.weight and row.score < row.weight:
            ind["reason"] = "受疫情影响，部分工作延后"
    if result.total is not None:
        form["total"] = str(result.total)
    roll = rng.random()
    if roll < 0.1 and form["indicators"]:
        form["indicators"][0]["score"] = str(Decimal(form["indicators"][0].get("score", "0")) - 1)
    elif roll < 0.2 and "total" in form:
        form["total"] = str(Decimal(form["total"]) + 1)
    elif roll < 0.25:
        form["indicators"][-1].pop("reason", None)
    return form


def forms(count: int, seed: int = 2024, wide: bool = False) -> Iterator[dict[str, Any]]:
    """``count`` synthetic forms with printed scores, deterministic for a given ``seed``; with
    ``wide``, texts seldom repeat (see :func:`synthetic_form`)."""
    rng = random.Random(seed)
    for number in range(count):
        yield printed(synthetic_form(rng, number, wide), rng)
