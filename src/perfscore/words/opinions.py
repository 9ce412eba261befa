"""Review opinions (审核意见): for every flag code, the problem in a reviewer's words and what the
unit is asked to do, in Chinese and English.

:data:`OPINIONS` is keyed by the codes of :data:`~perfscore.words.catalogue.CATALOGUE` (a test
checks that it covers exactly those codes).  These are the defaults shipped with the package; a
rule file words its own under ``opinions:`` (``ruleset/rulefile.py``), code by code and key by
key, and a rule set that ``extends:`` another inherits its wording.  An opinion states no
numbers: the flags it stands for carry them, and one opinion speaks for every row a problem was
found on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["OPINIONS", "Opinion"]


@dataclass(frozen=True, slots=True)
class Opinion:
    """One code's review opinion: ``problem`` (问题) and ``ask`` (整改要求), with English twins.

    Texts are sentences without their closing stop; :meth:`text_in` joins them.
    """

    problem: str
    ask: str
    problem_en: str
    ask_en: str

    def problem_in(self, lang: str) -> str:
        """The problem in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.problem_en if lang == "en" else self.problem

    def ask_in(self, lang: str) -> str:
        """What the unit is asked to do, in ``lang``."""
        return self.ask_en if lang == "en" else self.ask

    def text_in(self, lang: str, places: str = "", ask: str | None = None) -> str:
        """The opinion as one paragraph: ``第4项「成本控制率」：问题。请……。``; ``ask`` in place of
        the request (an acceptance, say) where given."""
        problem, ask = self.problem_in(lang), self.ask_in(lang) if ask is None else ask
        if lang == "en":
            lead = f"{places}: " if places else ""
            return f"{lead}{_sentence(problem, '.')} {_sentence(_capital(ask), '.')}".strip()
        lead = f"{places}：" if places else ""
        return f"{lead}{_sentence(problem, '。')}{_sentence(ask, '。')}"


def _sentence(text: str, stop: str) -> str:
    """``text`` ending in one stop (a rule file may or may not have written one)."""
    text = text.strip()
    if not text:
        return ""
    return text if text[-1] in "。！？.!?" else text + stop


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _o(problem: str, ask: str, problem_en: str, ask_en: str) -> Opinion:
    return Opinion(problem, ask, problem_en, ask_en)


#: The default opinion of every flag code.
OPINIONS: Mapping[str, Opinion] = MappingProxyType(
    {
        "score-mismatch": _o(
            "填报得分与按评分规则计算的得分不一致",
            "请核实得分计算并更正",
            "the printed score differs from the score the rules give",
            "please check the score calculation and correct it",
        ),
        "total-mismatch": _o(
            "填报总分与重新计算的总分不一致",
            "请核实总分计算并更正",
            "the printed total differs from the recomputed total",
            "please check the total and correct it",
        ),
        "execution-rate-mismatch": _o(
            "填报的预算执行率与全年执行数/全年预算数不一致",
            "请核实预算执行率并更正",
            "the printed execution rate differs from executed / budget",
            "please check the execution rate and correct it",
        ),
        "execution-score-mismatch": _o(
            "预算执行得分与按预算执行率计算的得分不一致",
            "请按预算执行率核实预算执行得分并更正",
            "the printed budget-execution score differs from the one the rate gives",
            "please recompute the execution score from the rate and correct it",
        ),
        "sum-mismatch": _o(
            "总分不等于各项填报得分之和",
            "请核实得分加总并更正总分",
            "the printed total is not the sum of the printed scores",
            "please add the scores up again and correct the total",
        ),
        "score-exceeds-weight": _o(
            "得分超过该项权重",
            "请核实得分，单项得分不应超过其权重",
            "a score exceeds its weight",
            "please check the score: no indicator scores more than its weight",
        ),
        "negative-value": _o(
            "金额、权重、得分或完成值填报为负数",
            "请核实并更正填报数据",
            "an amount, weight, score or actual is negative",
            "please check the figure and correct it",
        ),
        "overspent": _o(
            "全年执行数超过全年预算数",
            "请说明超预算支出的原因及资金来源，并核实执行数",
            "more was spent than the budget",
            "please explain the overspending and its funding, and check the amount executed",
        ),
        "low-execution": _o(
            "预算执行率偏低且未说明原因",
            "请说明预算执行率偏低的原因及改进措施",
            "the execution rate is low and not explained",
            "please explain why the budget was under-spent and what will be done about it",
        ),
        "weight-on-not-applicable": _o(
            "不适用的指标仍设置了权重",
            "请核实该指标是否适用；不适用的，请将其权重调整至其他指标或说明计分方法",
            "a not-applicable indicator still carries weight",
            "please confirm the indicator does not apply, and move its weight to other "
            "indicators or explain how it is scored",
        ),
        "duplicate-indicator": _o(
            "指标重复设置",
            "请删除或合并重复的指标，并相应调整权重",
            "the same indicator is listed twice",
            "please remove or merge the duplicate and adjust the weights",
        ),
        "ceiling-target": _o(
            "比率指标值设为上限（≥100%），无法超额完成",
            "请核实指标值设置是否合理",
            "a rate is targeted at its ceiling and cannot be beaten",
            "please check that the target is set sensibly",
        ),
        "compound-target": _o(
            "一项指标值包含多项内容，逐项判断后取平均",
            "建议将各项内容拆分为单独的指标，分别设置指标值和权重",
            "one target holds several clauses, judged one by one and averaged",
            "consider splitting the clauses into indicators of their own, each with its "
            "target and weight",
        ),
        "missing-reason": _o(
            "指标未完成或未全部完成，未填写偏差原因分析及改进措施",
            "请补充偏差原因分析及改进措施",
            "a target fell short with no explanation of the deviation",
            "please explain the deviation and the measures taken to correct it",
        ),
        "over-achievement": _o(
            "实际完成值远超指标值",
            "请说明超额完成原因，指标值设置是否偏低",
            "the actual far exceeds the target",
            "please explain the over-achievement and whether the target was set too low",
        ),
        "grade-out-of-band": _o(
            "定性指标的完成比例与完成情况的表述所属档次不符",
            "请对照评分档次核实完成比例或完成情况的表述",
            "a qualitative completion percentage falls outside its words' band",
            "please check the percentage or the words against the scoring bands",
        ),
        "unknown-grade": _o(
            "无法判断定性指标的完成程度",
            "请明确填写完成程度（全部达成、基本达成、部分达成或未达成）或完成比例",
            "how far a qualitative target was reached cannot be told",
            "please state the degree of completion (fully, mostly, partly or not reached) "
            "or a percentage",
        ),
        "weights-sum": _o(
            "各项权重合计（含预算执行）与规定总分不符",
            "请按规定调整各项权重，使合计等于规定总分",
            "the weights (budget execution included) do not add up to the required total",
            "please adjust the weights so that they add up to the required total",
        ),
        "unreadable-value": _o(
            "指标值或实际完成值无法识别",
            "请按“比较符+数值+计量单位”的规范格式填写",
            "a target or actual cannot be read",
            "please write it as a comparator, a number and a unit",
        ),
        "missing-value": _o(
            "未填写指标值或实际完成值",
            "请补充填写",
            "a target or actual is missing",
            "please fill it in",
        ),
        "unmeasurable-target": _o(
            "指标值不可衡量",
            "请将指标值细化、量化为可衡量的数值或明确的评价标准",
            "a target cannot be measured",
            "please make the target a number or a clear standard that can be assessed",
        ),
        "unit-mismatch": _o(
            "计量单位不一致或与指标不符，无法比较",
            "请统一指标值与实际完成值的计量单位",
            "the units cannot be compared or do not fit the indicator",
            "please use the same unit for the target and the actual",
        ),
        "ratio-read-as-percent": _o(
            "实际完成值未写百分号，按比例读取",
            "请核实完成值：比率类指标按百分比填写（如 90%），定性指标写明实际达到的效果",
            "an actual without a percent sign was read as a ratio",
            "please check the actual: write a rate as a percentage (such as 90%), and for a"
            " qualitative target describe what was achieved",
        ),
        "direction-inferred": _o(
            "指标值未写比较符（≥、≤、=）",
            "请在指标值中注明比较符",
            "a target has no comparator (≥, ≤, =)",
            "please write the comparator in the target",
        ),
        "actual-as-bound": _o(
            "实际完成值写成了区间或界限",
            "请填写实际完成的具体数值",
            "an actual is printed as a bound",
            "please give the actual figure achieved",
        ),
        "bound-against-target": _o(
            "实际完成值只给出界限，无法判断是否达到指标值",
            "请填写实际完成的具体数值",
            "an actual only bounds the value, so whether the target was met cannot be told",
            "please give the actual figure achieved",
        ),
        "approximate-actual": _o(
            "实际完成值为约数",
            "请填写准确的实际完成值",
            "an actual is approximate",
            "please give the exact figure",
        ),
        "vacuous-met": _o(
            "实际完成值表示未发生相关事项，视为达成",
            "请核实是否确未发生相关事项",
            "an actual says nothing occurred, and the target is taken as met",
            "please confirm that nothing of the kind occurred",
        ),
        "printed-scores-trusted": _o(
            "部分指标的得分无法核实，按填报计入总分",
            "请补充可核实的指标值与实际完成值",
            "some scores could not be verified and were taken as printed",
            "please give targets and actuals that can be checked",
        ),
        "period-scaled": _o(
            "指标值按期间设定，实际完成值未注明统计期间",
            "请注明实际完成值的统计期间",
            "a target is set per period and the actual gives no period",
            "please state the period the actual covers",
        ),
        "share-of-target": _o(
            "实际完成值以完成比例填报",
            "请填写实际完成的具体数量",
            "an actual is printed as the share of the target done",
            "please give the quantity actually achieved",
        ),
        "nil-as-not-applicable": _o(
            "定性指标的完成值填“无”，按不适用处理",
            "请说明该指标是否适用；适用的，请填写完成情况",
            'a completion of "none" against a qualitative target is read as not applicable',
            "please say whether the indicator applies, and if it does, how far it was reached",
        ),
        "actual-restates-target": _o(
            "完成值复述了指标值，按达成计",
            "请以具体事实或数据说明完成情况",
            "the completion restates the target and is read as met",
            "please describe what was achieved with facts or figures",
        ),
        "grade-read": _o(
            "定性完成情况按评分档次折算为完成比例",
            "请核实完成程度的表述，必要时填写完成比例",
            "a completion word was converted to a percentage by the scoring bands",
            "please check the words, and give a percentage where they are vague",
        ),
        "unreadable-cell": _o(
            "部分单元格无法读取",
            "请核实表格填报内容和格式",
            "a cell could not be read",
            "please check what the cell holds and how it is written",
        ),
        "reading-note": _o(
            "读取表格时作了处理（如单位换算、分值分配）",
            "请核实读取结果与原表一致",
            "a decision was taken while reading the form (a unit converted, points shared out)",
            "please check that the reading matches the form",
        ),
        "spending-plan-decreasing": _o(
            "资金支出计划的累计比例出现下降",
            "请更正资金支出计划，累计比例应逐期不减",
            "the cumulative spending plan goes down",
            "please correct the spending plan: its cumulative shares never go down",
        ),
        "spending-plan-incomplete": _o(
            "资金支出计划年末累计未达到100%",
            "请完善资金支出计划，年末累计应达到100%",
            "the spending plan does not reach 100% by the year end",
            "please complete the spending plan so that it reaches 100%",
        ),
        "spending-plan-back-loaded": _o(
            "资金支出计划进度偏后",
            "请合理安排支出进度，或说明年中支出比例偏低的原因",
            "the spending plan is back-loaded",
            "please spread the spending over the year, or explain the low mid-year share",
        ),
        "rate-over-100": _o(
            "比率类指标值超过100%",
            "请核实指标值设置",
            "a rate target is above 100%",
            "please check the target",
        ),
        "uninformative-text": _o(
            "指标描述或指标值确定依据仅重复了指标名称或描述",
            "请具体说明指标内涵及指标值的确定依据",
            "a description or basis only repeats the indicator's name or description",
            "please say what the indicator measures and where its target comes from",
        ),
        "cost-direction": _o(
            "成本类指标的指标值写成了不低于（≥）",
            "成本指标应为上限，请核实比较符（≤）",
            "a cost target is written as a minimum (≥)",
            "a cost is a limit: please check the comparator (≤)",
        ),
        "name-placeholder": _o(
            "指标名称含占位符或多余符号",
            "请规范填写指标名称",
            "an indicator name holds a placeholder or a stray symbol",
            "please write the indicator's name properly",
        ),
        "formula-failed": _o(
            "按评分规则无法计算该项得分",
            "请核实该项填报数据（如指标值或预算数为零）",
            "the scoring rule could not be applied to this row",
            "please check the row's figures (a zero target or budget, say)",
        ),
        "structure": _o(
            "指标体系结构与规定表式不一致",
            "请对照规定表式核实一级、二级指标的设置",
            "the indicator structure differs from the required layout",
            "please check the first- and second-level indicators against the required layout",
        ),
        "block-score": _o(
            "一级指标下各项得分合计与其分值不符",
            "请核实该一级指标下各项得分",
            "the scores under a first-level indicator do not fit its points",
            "please check the scores under that first-level indicator",
        ),
        "block-weights": _o(
            "一级指标下各项权重合计与表头分值不符",
            "请调整各项权重，使合计等于该一级指标的分值",
            "the weights under a first-level indicator do not add up to its points",
            "please adjust the weights so that they add up to the indicator's points",
        ),
        "budget-incomplete": _o(
            "预算执行情况填报不完整，无法计算执行率",
            "请补充填写全年预算数和全年执行数",
            "the budget row is incomplete: no execution rate can be worked out",
            "please fill in the full-year budget and the amount executed",
        ),
        "execution-from-initial": _o(
            "未填写全年预算数，执行率按年初预算数计算",
            "请补充填写全年预算数（调整后预算数）",
            "no full-year budget is printed: the rate is taken against the initial budget",
            "please fill in the full-year (adjusted) budget",
        ),
        "missing-execution-score": _o(
            "未填写预算执行得分",
            "请补充填写预算执行得分",
            "the budget-execution score is blank",
            "please fill in the execution score",
        ),
        "unscored-form": _o(
            "表中未设置权重和得分",
            "请按规定设置权重并自评打分",
            "the form has no weights or scores",
            "please set the weights and score the form as required",
        ),
    }
)
