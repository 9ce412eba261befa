"""The flag catalogue: every code the engine emits, its default severity, and its message
templates in Chinese and English (``str.format`` fields filled from the flag's facts).

A new flag is one entry here, a row in ``docs/flags.md`` and a case in
``tests/test_checks.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

__all__ = ["CATALOGUE", "RANK", "SEVERITY_WORDS", "FlagSpec", "Severity", "severity_word"]


class Severity(StrEnum):
    """How much a flag matters: ``error`` (the form is wrong), ``warning``, ``info``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# The order flags are listed in.
RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


#: A severity as a report names it (级别), in Chinese and English.
SEVERITY_WORDS = MappingProxyType(
    {
        Severity.ERROR: ("错误", "error"),
        Severity.WARNING: ("警告", "warning"),
        Severity.INFO: ("提示", "note"),
    }
)


@dataclass(frozen=True, slots=True)
class FlagSpec:
    """A catalogue entry: default severity, message templates (``str.format`` fields), a
    one-line summary, and a short title in Chinese and English (``得分计算有误``) that reports
    show beside the code."""

    severity: Severity
    zh: str
    en: str
    summary: str
    title: str
    title_en: str

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.title_en if lang == "en" else self.title


def _spec(severity: str, zh: str, en: str, summary: str, *, title: tuple[str, str]) -> FlagSpec:
    return FlagSpec(Severity(severity), zh, en, summary, *title)


def severity_word(severity: str, lang: str) -> str:
    """``error`` → ``错误`` (``error`` in English), ``warning`` → ``警告``, ``info`` → ``提示``."""
    zh, en = SEVERITY_WORDS[Severity(severity)]
    return en if lang == "en" else zh


#: Every flag code the engine emits, with its default severity and messages.
CATALOGUE: Mapping[str, FlagSpec] = MappingProxyType(
    {
        "score-mismatch": _spec(
            "error",
            "得分填报为 {reported}，按规则应为 {recomputed}（{how}）",
            "score printed as {reported}, the rules give {recomputed} ({how})",
            "A printed indicator score differs from the recomputed one.",
            title=("得分计算有误", "score differs"),
        ),
        "total-mismatch": _spec(
            "error",
            "总分填报为 {reported}，重新计算为 {recomputed}",
            "total printed as {reported}, recomputed {recomputed}",
            "The printed total differs from the recomputed total.",
            title=("总分计算有误", "total differs"),
        ),
        "execution-rate-mismatch": _spec(
            "error",
            "执行率填报为 {reported}，执行数/预算数为 {recomputed}",
            "execution rate printed as {reported}, executed / budget is {recomputed}",
            "The printed execution rate differs from executed / budget.",
            title=("执行率计算有误", "execution rate differs"),
        ),
        "execution-score-mismatch": _spec(
            "error",
            "预算执行得分填报为 {reported}，按规则应为 {recomputed}（{formula}）",
            "execution score printed as {reported}, the rules give {recomputed} ({formula})",
            "The printed budget-execution score differs from the recomputed one.",
            title=("预算执行得分有误", "execution score differs"),
        ),
        "sum-mismatch": _spec(
            "error",
            "总分填报为 {reported}，但各项填报得分相加为 {sum}",
            "total printed as {reported}, but the printed scores add up to {sum}",
            "The printed total is not the sum of the printed scores (a pure addition error).",
            title=("总分加总有误", "total does not add up"),
        ),
        "score-exceeds-weight": _spec(
            "error",
            "得分 {score} 超过权重 {weight}",
            "score {score} exceeds the weight {weight}",
            "A printed score larger than its weight.",
            title=("得分超过权重", "score above weight"),
        ),
        "negative-value": _spec(
            "error",
            "{field_zh}为负数：{value}",
            "{field} is negative: {value}",
            "A negative amount, weight, score or actual.",
            title=("出现负数", "negative value"),
        ),
        "overspent": _spec(
            "warning",
            "全年执行数 {executed} 超过全年预算数 {budget}",
            "executed {executed} exceeds the budget {budget}",
            "Executed more than the budget.",
            title=("超预算支出", "spent over budget"),
        ),
        "low-execution": _spec(
            "warning",
            "预算执行率 {rate} 低于 {threshold}，未说明原因",
            "execution rate {rate} is below {threshold} with no explanation",
            "An execution rate below the rule set's threshold (90%) with nothing said about it.",
            title=("预算执行率偏低", "low execution rate"),
        ),
        "weight-on-not-applicable": _spec(
            "warning",
            "不适用的指标仍有权重 {weight}",
            "a not-applicable indicator carries weight {weight}",
            "A not-applicable indicator still carries weight.",
            title=("不适用指标仍有权重", "weight on a not-applicable row"),
        ),
        "duplicate-indicator": _spec(
            "warning",
            "与第 {first} 项指标重复",
            "duplicates indicator {first}",
            "The same indicator (group, name and target) appears twice.",
            title=("指标重复", "duplicate indicator"),
        ),
        "ceiling-target": _spec(
            "info",
            "指标值“{text}”为比率的上限值，无法超额完成，任何差距都会扣分",
            "target {text!r} is a rate's ceiling: it cannot be beaten, any shortfall costs points",
            "A rate targeted at ≥100%: over-achievement is impossible.",
            title=("指标值为上限", "target at its ceiling"),
        ),
        "compound-target": _spec(
            "info",
            "指标值含 {clauses} 项，逐项判断后取平均",
            "the target has {clauses} clauses, each judged on its own and averaged",
            "A target of several clauses; each clause is judged on its own.",
            title=("复合指标", "compound target"),
        ),
        "missing-reason": _spec(
            "warning",
            "{what}，未填写偏差原因分析及改进措施",
            "{what}, with no explanation of the deviation",
            "Scored below the weight (or missed, on unscored forms) with no 偏差原因.",
            title=("缺少偏差原因", "no reason for the shortfall"),
        ),
        "over-achievement": _spec(
            "warning",
            "实际完成 {actual} 达到指标值 {target} 的 {ratio} 倍，指标值可能设置偏低",
            "actual {actual} is {ratio} times the target {target}: the target may be set too low",
            "A ≥ target beaten by the rule set's factor (2×): probably set too low.",
            title=("大幅超额完成", "far over target"),
        ),
        "grade-out-of-band": _spec(
            "warning",
            "完成比例 {percent} 与“{words}”所属档次（{band}）不符",
            "completion {percent} is outside the band {band} that {words!r} claims",
            "A qualitative completion percentage outside its words' band, or above 100%.",
            title=("完成比例与评价不符", "completion outside its band"),
        ),
        "unknown-grade": _spec(
            "warning",
            "无法判断完成情况“{text}”的程度",
            "cannot tell how far {text!r} reached the target",
            "A completion word the rule set does not know.",
            title=("无法识别的评价词", "unknown completion word"),
        ),
        "weights-sum": _spec(
            "error",
            "权重合计 {sum}（含预算执行 {execution}），应为 {expected}",
            "weights add up to {sum} (execution {execution} included), expected {expected}",
            "All weights, the execution weight included, do not add up to the rule set's total.",
            title=("权重合计不符", "weights do not add up"),
        ),
        "unreadable-value": _spec(
            "warning",
            "无法识别“{text}”：{reason}",
            "cannot read {text!r}: {reason}",
            "A target or actual the engine could not read.",
            title=("无法识别的数值", "unreadable value"),
        ),
        "missing-value": _spec(
            "warning",
            "未填写{field_zh}",
            "the {field} is empty",
            "A target or actual is missing.",
            title=("缺少指标值或完成值", "missing target or actual"),
        ),
        "unmeasurable-target": _spec(
            "warning",
            "指标值“{text}”不可衡量：{reason}",
            "target {text!r} cannot be measured: {reason}",
            "A target that is neither a number nor a recognised grade.",
            title=("指标值不可衡量", "unmeasurable target"),
        ),
        "unit-mismatch": _spec(
            "warning",
            "单位不可比：{detail}",
            "units cannot be compared: {detail}",
            "Quantities whose units cannot be compared, or a unit that does not fit the name.",
            title=("计量单位不一致", "units do not match"),
        ),
        "ratio-read-as-percent": _spec(
            "info",
            "实际完成值“{text}”按比例读作 {percent}",
            "actual {text!r} read as the ratio {percent}",
            "A bare number such as 0.9 against a percentage target was read as 90%.",
            title=("小数按百分比读取", "ratio read as a percentage"),
        ),
        "direction-inferred": _spec(
            "info",
            "指标值“{text}”未写比较符，按{direction_zh}理解（{why}）",
            "target {text!r} has no comparator; read as {direction} ({why})",
            "A target printed without a comparator; the direction was inferred.",
            title=("比较方向系推断", "direction inferred"),
        ),
        "actual-as-bound": _spec(
            "info",
            "实际完成值“{text}”写成了区间，按 {value} 计",
            "actual {text!r} is printed as a bound; {value} is used",
            "An actual printed with a comparator (≥90%); its bound is used.",
            title=("完成值带比较符", "actual printed as a bound"),
        ),
        "bound-against-target": _spec(
            "warning",
            "实际完成值“{text}”只给出{side}的界限，无法判断是否满足指标值“{target}”",
            "actual {text!r} only bounds the value from {side}; whether target {target!r} "
            "was met cannot be told",
            "An actual printed as a bound on the wrong side of the target (90%以下 against "
            "≥90%): the row is not judged rather than called met.",
            title=("完成值与指标方向相反", "actual bound against the target"),
        ),
        "approximate-actual": _spec(
            "info",
            "实际完成值“{text}”为约数，按 {value} 计",
            "actual {text!r} is approximate; {value} is used",
            "An approximate actual (12000余人次); the printed number is used.",
            title=("完成值为约数", "approximate actual"),
        ),
        "vacuous-met": _spec(
            "info",
            "实际完成值“{text}”表示未发生相关事项，视为达成",
            "actual {text!r} says nothing occurred; the target is taken as met",
            "Nothing occurred (无行政诉讼案件) against a limit or a handling target.",
            title=("未发生即视为达成", "met as nothing occurred"),
        ),
        "printed-scores-trusted": _spec(
            "warning",
            "总分中 {points} 分为未能核实指标的填报得分（{rows}），按填报计入；"
            "已核实部分占 {share}",
            "{points} points of the total are printed scores of rows that could not be judged"
            " ({rows}), taken as printed; {share} of the total is verified",
            "The total took printed scores of rows it could not judge: how many points, which"
            " rows, and the share verified.",
            title=("部分得分按填报计入", "printed scores taken on trust"),
        ),
        "period-scaled": _spec(
            "warning",
            "指标值按每{period}计，完成值未注明统计期，按全年（{periods} 个{period}，{year}）比较",
            "the target {text!r} is set per {period} and the actual gives no period: compared"
            " as the year's count ({periods} periods, {year})",
            "A target per month, quarter or week against a count with no period: compared "
            "over the year.",
            title=("按期间折算", "scaled to the period"),
        ),
        "share-of-target": _spec(
            "info",
            "完成值“{text}”按指标值 {target} 的完成比例（{share}）计",
            "actual {text!r} is read as the share of the target {target} done ({share})",
            "A percentage printed against a count or time target: the share of it done.",
            title=("按完成比例计算", "read as a share of the target"),
        ),
        "nil-as-not-applicable": _spec(
            "info",
            "实际完成值“{text}”按不适用处理",
            "actual {text!r} is read as not applicable",
            "无 written against a qualitative target: nothing to assess, read as not applicable.",
            title=("“无”视为不适用", "nil read as not applicable"),
        ),
        "actual-restates-target": _spec(
            "info",
            "完成值“{text}”复述、肯定或回答了指标值（匹配“{matched}”），按达成计",
            "completion {text!r} restates, affirms or answers the target"
            " (matched {matched!r}): met",
            "A completion that restates, affirms or answers a qualitative target is read as met.",
            title=("完成值复述指标", "actual restates the target"),
        ),
        "grade-read": _spec(
            "info",
            "完成情况“{text}”按 {percent} 计",
            "completion {text!r} counted as {percent}",
            "A qualitative completion word was converted to a percentage by the rule set.",
            title=("评价词折算为比例", "completion word converted"),
        ),
        "unreadable-cell": _spec(
            "warning",
            "读取时：{message}",
            "while reading: {message}",
            "A cell or form field that could not be read; the rest of the form loads.",
            title=("单元格无法读取", "unreadable cell"),
        ),
        "reading-note": _spec(
            "info",
            "读取时：{message}",
            "while reading: {message}",
            "A decision taken while reading (block weights shared out, 150万 converted to 元).",
            title=("读取说明", "reading note"),
        ),
        "spending-plan-decreasing": _spec(
            "error",
            "资金支出计划{when}累计 {share}，低于此前的 {before}",
            "the spending plan falls to {share} by {when} from {before}",
            "A cumulative spending plan that goes down.",
            title=("支出计划递减", "spending plan goes down"),
        ),
        "spending-plan-incomplete": _spec(
            "warning",
            "资金支出计划到{when}累计只有 {share}，未达 100%",
            "the spending plan reaches only {share} by {when}, not 100%",
            "A spending plan that does not end at 100%.",
            title=("支出计划未达100%", "spending plan short of 100%"),
        ),
        "spending-plan-back-loaded": _spec(
            "warning",
            "资金支出计划{when}累计 {share}，低于 {expected}",
            "the spending plan is back-loaded: {share} by {when}, below {expected}",
            "Less than the rule set's share of the budget planned by mid-year.",
            title=("支出计划后置", "spending plan back-loaded"),
        ),
        "rate-over-100": _spec(
            "warning",
            "比率指标值“{text}”超过 100%",
            "rate target {text!r} is above 100%",
            "A percentage target above 100%.",
            title=("百分比指标超过100%", "percentage over 100%"),
        ),
        "uninformative-text": _spec(
            "warning",
            "{field_zh}“{text}”只是重复了{repeats_zh}",
            "the {field} {text!r} only repeats the {repeats}",
            "A description or basis that only repeats the indicator's name, or a basis that "
            "only repeats the description.",
            title=("描述未提供信息", "uninformative description"),
        ),
        "cost-direction": _spec(
            "warning",
            "成本类指标的指标值“{text}”写成了不低于（≥）",
            "cost target {text!r} is written as a minimum (≥)",
            "A cost indicator whose target is a minimum: costs are limits.",
            title=("成本指标方向有误", "cost target is a minimum"),
        ),
        "name-placeholder": _spec(
            "warning",
            "指标名称“{name}”含占位符或多余符号",
            "indicator name {name!r} holds a placeholder or stray symbol",
            "A placeholder or stray symbol left in an indicator name.",
            title=("指标名称含占位符", "placeholder in the name"),
        ),
        "formula-failed": _spec(
            "error",
            "规则公式无法计算：{detail}",
            "a rule formula could not be evaluated: {detail}",
            "A rule-set formula failed at this row's values (a division by zero, say); the row "
            "is not scored.",
            title=("计分公式无法计算", "formula failed"),
        ),
        "structure": _spec(
            "info",
            "表式与规则不同：{differences}",
            "the layout differs from the rule set's: {differences}",
            "How the form's blocks and groups differ from the rule set's structure, in one note; "
            "a warning when a first-level block is absent.",
            title=("指标体系结构差异", "structure differs"),
        ),
        "block-score": _spec(
            "error",
            "“{block}”各项填报得分合计 {sum}，{how}",
            "the printed scores under {block!r} add up to {sum}, {how}",
            "A block's printed scores exceed its points, or fall short although every row was met.",
            title=("一级指标得分有误", "block score wrong"),
        ),
        "block-weights": _spec(
            "error",
            "“{block}”各项权重合计 {sum}，表头分值为 {points}",
            "the weights under {block!r} add up to {sum}, its header says {points}",
            "The weights of a block's rows do not add up to the points printed on its header.",
            title=("一级指标分值不符", "block weights do not add up"),
        ),
        "budget-incomplete": _spec(
            "warning",
            "预算执行情况{what}，无法计算执行率",
            "the budget row {what}: no execution rate can be computed",
            "A budget row blank or all zeros, or without the amount executed.",
            title=("预算数据不完整", "budget incomplete"),
        ),
        "execution-from-initial": _spec(
            "info",
            "未填写全年预算数，执行率按年初预算数 {initial} 计算",
            "no full-year budget is printed; the rate is taken against the initial budget "
            "{initial}",
            "Only 年初预算数 printed: the execution rate is computed from it.",
            title=("按年初预算计算执行率", "rate from the initial budget"),
        ),
        "missing-execution-score": _spec(
            "warning",
            "未填写预算执行得分{how}",
            "the execution score is blank{how}",
            "A scored form whose execution score is blank: the execution score the printed total"
            " implies (a note when it is the recomputed one), and if above its weight, so.",
            title=("缺少预算执行得分", "no execution score"),
        ),
        "unscored-form": _spec(
            "info",
            "表中没有权重，仅逐项判断完成情况",
            "the form has no weights; indicators are judged without scores",
            "A form without weights: status and flags only, no scores.",
            title=("未计分的表", "unscored form"),
        ),
    }
)
