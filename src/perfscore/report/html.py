"""One self-contained HTML page for a batch of results (and for a department roll-up).

The page opens with a summary — printed against recomputed totals, flag counts by code, a chart
of the score distribution — then shows each form with printed and recomputed scores side by side
and every flagged cell highlighted; hovering a cell shows its flags.  No external resources:
styles, the SVG chart and the small filter script are inline, so the file can be mailed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape

from perfscore.engine.pipeline import EvaluationResult, IndicatorResult
from perfscore.report.formats import INDICATOR_HEADER, scored, shown_columns, verified_words
from perfscore.report.rollup import method_words
from perfscore.report.wording import Tally, flag_subject, flag_title, money, row_number
from perfscore.rollup import Rollup
from perfscore.waivers import accepted_note, flag_message
from perfscore.words.catalogue import CATALOGUE, severity_word
from perfscore.words.flags import Flag
from perfscore.words.messages import grade_word, num, percent, say, status

__all__ = ["page", "rollup_page"]

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
sans-serif;margin:24px;color:#1f2328;font-size:14px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:8px 0 16px}
th,td{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top}
th{background:#f6f8fa;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.flag-error{background:#ffebe9;outline:2px solid #cf222e}
td.flag-warning{background:#fff8c5;outline:1px solid #bf8700}
td.flag-accepted{background:#dafbe1;outline:1px solid #1a7f37}.accepted{color:#1a7f37}
tr.status-not_judged td.status,tr.status-missed td.status{color:#cf222e}
.sev-error{color:#cf222e;font-weight:bold}.sev-warning{color:#9a6700}.sev-info{color:#57606a}
.ok{color:#1a7f37}.bad{color:#cf222e;font-weight:bold}.place{color:#57606a;font-size:12px}
ul.flags{margin:4px 0;padding-left:20px}.meta{color:#57606a}
label{user-select:none}
table.indicators th,table.indicators td.num,table.indicators td.status,
table.indicators td:nth-child(-n+3){white-space:nowrap}
"""

_SCRIPT = """
document.getElementById('only-flagged').addEventListener('change', function (event) {
  document.querySelectorAll('tr.indicator').forEach(function (row) {
    row.hidden = event.target.checked && !row.classList.contains('has-flags');
  });
});
"""


_num = num
_percent = percent
_t = say


def _heads(labels: Iterable[str]) -> str:
    """A header row."""
    return "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in labels) + "</tr>"


def _filter(lang: str) -> str:
    """The "show only flagged indicators" switch (the page's one script drives it)."""
    label = _t(lang, "只显示有问题的指标", "show only flagged indicators")
    return f'<label><input type="checkbox" id="only-flagged"> {label}</label>'


def _hover(f: Flag, lang: str) -> str:
    """A flag as a cell's tooltip shows it: ``错误 得分计算有误（Sheet1!H14）：…``."""
    place = f.source.text(lang) if f.source is not None else ""
    where = (f" ({place})" if lang == "en" else f"（{place}）") if place else ""
    head = f"{severity_word(f.severity, lang)} {flag_title(f, lang)}{where}"
    return head + say(lang, "：", ": ") + flag_message(f, lang)


def _td(
    text: str, flags: Sequence[Flag] = (), numeric: bool = False, cls: str = "", lang: str = "zh"
) -> str:
    classes = [cls] if cls else []
    if numeric:
        classes.append("num")
    attrs = ""
    shown = [f for f in flags if f.severity != "info"]
    if shown:
        # A cell whose every flag was accepted (a waiver) is marked as such, not as a fault.
        live = [f for f in shown if f.waiver is None]
        worst = "error" if any(f.severity == "error" for f in live) else "warning"
        classes += ["flagged", f"flag-{worst if live else 'accepted'}"]
        codes = " ".join(sorted({f.code for f in shown}))
        title = "\n".join(_hover(f, lang) for f in shown)
        attrs = f' data-flags="{escape(codes)}" title="{escape(title)}"'
    cls_attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{cls_attr}{attrs}>{escape(text)}</td>"


def _histogram(totals: Sequence[Decimal], lang: str) -> str:
    """An inline SVG bar chart of recomputed totals in bins of ten points."""
    if not totals:
        return f'<p class="meta">{_t(lang, "没有可计分的表", "No scored forms.")}</p>'
    bins = [0] * 10
    for total in totals:
        bins[min(int(total // 10), 9) if total >= 0 else 0] += 1
    top = max(bins)
    width, height, bar, top_pad = 440, 160, 40, 16
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + top_pad + 30}" '
        f'role="img" aria-label="score distribution">',
        f'<g transform="translate(0,{top_pad})">',
    ]
    for i, count in enumerate(bins):
        h = 0 if top == 0 else round(height * count / top)
        x = i * (bar + 4)
        parts.append(
            f'<rect x="{x}" y="{height - h}" width="{bar}" height="{h}" fill="#0969da">'
            f"<title>{i * 10}–{i * 10 + 10}: {count}</title></rect>"
        )
        if count:
            parts.append(
                f'<text x="{x + bar / 2}" y="{height - h - 3}" font-size="11" '
                f'text-anchor="middle">{count}</text>'
            )
        parts.append(
            f'<text x="{x + bar / 2}" y="{height + 14}" font-size="11" '
            f'text-anchor="middle">{i * 10}</text>'
        )
    parts.append(
        f'<text x="{width / 2}" y="{height + 28}" font-size="11" text-anchor="middle">'
        f"{_t(lang, '重算总分（每 10 分一档）', 'recomputed total, in bins of 10')}</text>"
    )
    parts.append("</g></svg>")
    return "".join(parts)


_Cells = dict[tuple[str | int, ...], list[Flag]]  # a cell's location → its flags


def _by_cell(flags: Iterable[Flag]) -> _Cells:
    cells: _Cells = {}
    for f in flags:
        cells.setdefault(f.location, []).append(f)
    return cells


def _form_section(number: int, result: EvaluationResult, lang: str) -> str:
    """One form: its heading, its budget or spending plan, its indicators, its flags."""
    cells = _by_cell(result.flags)
    form = result.form
    meta = (form.year, form.printed("unit"), result.source)
    source = result.source or f"form {number}"
    out = [
        f'<section class="form" id="form-{number}" data-source="{escape(source)}">',
        f"<h2>{escape(form.printed('project') or source)}</h2>",
        f'<p class="meta">{escape(" · ".join(str(x) for x in meta if x))}'
        f" · {_t(lang, '规则', 'rules')} {escape(result.rules)}</p>",
    ]
    if form.kind == "targets":
        out += _plan_table(result, cells, lang)
    else:
        out += _execution_table(result, cells, lang)
    out += _indicator_table(result, cells, lang)
    if result.flags:
        out.append('<ul class="flags">')
        out += [_flag_item(f, result, lang) for f in result.flags]
        out.append("</ul>")
    out.append(f'<p class="closing">{escape(Tally.of(result).text(lang, one=True))}</p>')
    out.append("</section>")
    return "\n".join(out)


def _flag_item(f: Flag, result: EvaluationResult, lang: str) -> str:
    """A flag in a form's list: severity, title (its code on hover), what it is about, where it
    stands in the file, the message."""
    place = f.source.text(lang) if f.source is not None else ""
    where = f' <span class="place">{escape(place)}</span>' if place else ""
    return (
        f'<li data-code="{escape(f.code)}" data-path="{escape(f.path)}">'
        f'<span class="sev-{f.severity}">{severity_word(f.severity, lang)}</span> '
        f'<strong title="{escape(f.code)}">{escape(flag_title(f, lang))}</strong> '
        f"{escape(flag_subject(f, result, lang))}{where}{say(lang, '：', ': ')}"
        f"{escape(f.message_in(lang))}{_accepted(f, lang)}</li>"
    )


def _accepted(flag: Flag, lang: str) -> str:
    """The waiver that accepted ``flag``, after its message; ``""`` for another flag."""
    note = accepted_note(flag, lang)
    return f' <span class="accepted">{escape(note)}</span>' if note else ""


def _plan_table(result: EvaluationResult, cells: _Cells, lang: str) -> list[str]:
    """A target table's budget and spending plan (none without a budget)."""
    form = result.form
    if form.budget is None:
        return []
    plan = [(p.when, p.share) for p in form.spending_plan]
    heads = [_t(lang, "预算数", "budget")] + [when for when, _ in plan]
    unit = form.money_unit
    values = [
        _td(
            money(form.budget.adjusted, unit, lang),
            cells.get(("budget", "adjusted"), []),
            True,
            lang=lang,
        )
    ] + [
        _td(share, cells.get(("spending_plan", i, "share"), []), True, lang=lang)
        for i, (_, share) in enumerate(plan)
    ]
    return ["<table>" + _heads(heads) + "<tr>" + "".join(values) + "</tr></table>"]


def _execution_table(result: EvaluationResult, cells: _Cells, lang: str) -> list[str]:
    """Budget execution: budget, executed, rate, and for a scored form the scores."""
    ex = result.execution
    if ex is None:
        return []
    unit = result.form.money_unit
    heads = [
        _t(lang, "全年预算数", "budget"),
        _t(lang, "全年执行数", "executed"),
        _t(lang, "执行率", "rate"),
    ]
    values = [
        _td(money(ex.budget, unit, lang), cells.get(("budget", "adjusted"), []), True, lang=lang),
        _td(money(ex.executed, unit, lang), cells.get(("budget", "executed"), []), True, lang=lang),
        _td(_percent(ex.rate), cells.get(("budget", "rate"), []), True, lang=lang),
    ]
    if scored(result):  # an unscored form's execution has a rate, not a score
        heads += [
            _t(lang, "分值", "weight"),
            _t(lang, "填报得分", "printed score"),
            _t(lang, "重算得分", "recomputed score"),
        ]
        values += [
            _td(_num(ex.weight), cells.get(("budget", "weight"), []), True, lang=lang),
            _td(_num(ex.reported_score), cells.get(("budget", "score"), []), True, lang=lang),
            _td(_num(ex.score), (), True),
        ]
    return ["<table>" + _heads(heads) + "<tr>" + "".join(values) + "</tr></table>"]


def _indicator_table(result: EvaluationResult, cells: _Cells, lang: str) -> list[str]:
    """The indicators: the text reports' columns worth printing (no status on a target table,
    no empty score columns), then printed and recomputed side by side, then the total."""
    columns = shown_columns(result)
    first = [i for i in columns if i < 8]
    names = INDICATOR_HEADER["en" if lang == "en" else "zh"]
    header = [names[i] for i in first]
    if 9 in columns:
        header.append(_t(lang, "填报得分", "Printed"))
    if 8 in columns:
        header.append(_t(lang, "重算得分", "Recomputed"))
    if result.form.kind != "targets":
        header.append(_t(lang, "偏差原因", "Reason"))
    out = ['<table class="indicators">' + _heads(header)]
    # The rows with a flag worth a look, found once: not every flag for every row.
    flagged = {
        f.location[1]
        for f in result.flags
        if f.location[:1] == ("indicators",) and len(f.location) > 1 and f.severity != "info"
    }
    out += [
        _indicator_row(result, r, cells, columns, lang, r.index in flagged)
        for r in result.indicators
    ]
    if result.total is not None or result.reported_total is not None:
        total_flags = cells.get(("total",), [])
        out.append(
            f'<tr class="total"><th colspan="{len(first)}">{_t(lang, "总分", "Total")}</th>'
            + _td(_num(result.reported_total), total_flags, True, lang=lang)
            + _td(_num(result.total), (), True)
            + f"<td>{escape(grade_word(result.grade, lang))}</td></tr>"
        )
        if result.trusted:
            out.append(
                f'<tr class="verified"><th colspan="{len(first)}">'
                f"{escape(verified_words(result, lang).strip())}</th></tr>"
            )
    out.append("</table>")
    return out


def _indicator_row(
    result: EvaluationResult,
    r: IndicatorResult,
    cells: _Cells,
    columns: Sequence[int],
    lang: str,
    flagged: bool,
) -> str:
    """One indicator's row, in ``columns`` (the text reports' numbering); ``flagged`` when it
    has a flag worth a look."""
    key = ("indicators", r.index)
    classes = f"indicator status-{r.status}" + (" has-flags" if flagged else "")
    ind = r.indicator
    row = {
        0: _td(row_number(r), cells.get(key, []), lang=lang),
        1: _td(ind.printed("level1"), cells.get((*key, "level1"), []), lang=lang),
        2: _td(ind.printed("level2"), cells.get((*key, "level2"), []), lang=lang),
        3: _td(ind.printed("name"), cells.get((*key, "name"), []), lang=lang),
        4: _td(ind.printed("target"), cells.get((*key, "target"), []), lang=lang),
        5: _td(ind.printed("actual"), cells.get((*key, "actual"), []), lang=lang),
        6: _td(status(r.status, lang), (), cls="status"),
        7: _td(_num(r.weight), cells.get((*key, "weight"), []), True, lang=lang),
    }
    tail = []
    if 9 in columns:
        tail.append(_td(_num(r.reported_score), cells.get((*key, "score"), []), True, lang=lang))
    if 8 in columns:
        tail.append(_td(_num(r.score), (), True))
    if result.form.kind != "targets":
        tail.append(_td(ind.printed("reason"), cells.get((*key, "reason"), []), lang=lang))
    return (
        f'<tr class="{classes}" data-index="{r.index}">'
        + "".join(row[i] for i in columns if i < 8)
        + "".join(tail)
        + "</tr>"
    )


def _document(title: str, body: list[str], lang: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "zh-CN"}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{escape(title)}</title>\n<style>{_CSS}</style>\n'
        "</head>\n<body>\n" + "\n".join(body) + f"\n<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def page(
    results: Sequence[EvaluationResult], lang: str = "zh", failures: Sequence[str] = ()
) -> str:
    """The whole report: summary, distribution chart, then every form."""
    title = _t(lang, "绩效自评表核查报告", "Self-evaluation check report")
    body = [
        f"<h1>{title}</h1>",
        f'<p class="meta">{len(results)} '
        f"{_t(lang, '张表', 'form' if len(results) == 1 else 'forms')}</p>",
        _filter(lang),
        f"<h2>{_t(lang, '汇总', 'Summary')}</h2>",
        '<table class="summary">'
        + _heads(
            (
                _t(lang, "表", "Form"),
                _t(lang, "来源", "Source"),
                _t(lang, "填报总分", "Printed total"),
                _t(lang, "重算总分", "Recomputed total"),
                _t(lang, "错误", "Errors"),
                _t(lang, "警告", "Warnings"),
            )
        ),
    ]
    for number, result in enumerate(results):
        errors = len(result.errors)
        mark = "bad" if errors else "ok"
        name = result.form.project or result.source or str(number)
        body.append(
            f'<tr><td><a href="#form-{number}">{escape(name)}</a></td>'
            f'<td class="source">{escape(result.source or "")}</td>'
            f'<td class="num">{_num(result.reported_total)}</td>'
            f'<td class="num">{_num(result.total)}</td>'
            f'<td class="num {mark}">{errors}</td><td class="num">{len(result.warnings)}</td></tr>'
        )
    body.append("</table>")
    if failures:
        body.append(f"<h2>{_t(lang, '无法读取的文件', 'Unreadable files')}</h2><ul>")
        body += [f"<li>{escape(line)}</li>" for line in failures]
        body.append("</ul>")
    body += _codes_table(results, lang)
    body.append(f"<h2>{_t(lang, '总分分布', 'Distribution of recomputed totals')}</h2>")
    body.append(_histogram([r.total for r in results if r.total is not None], lang))
    body += [_form_section(i, r, lang) for i, r in enumerate(results)]
    body += _closing(results, lang, len(failures))
    return _document(title, body, lang)


def _codes_table(results: Sequence[EvaluationResult], lang: str) -> list[str]:
    """Flags by code, most frequent first: each code's title, severity and count."""
    counts = Counter(f.code for r in results for f in r.flags)
    severity = {f.code: f.severity for r in results for f in r.flags}
    body: list[str] = []
    body.append(f'<h2>{_t(lang, "问题代码", "Flags by code")}</h2><table class="codes">')
    body.append(
        f"<tr><th>{_t(lang, '问题', 'Finding')}</th><th>{_t(lang, '代码', 'Code')}</th>"
        f"<th>{_t(lang, '级别', 'Severity')}</th><th>{_t(lang, '次数', 'Count')}</th></tr>"
    )
    body += [
        f"<tr><td>{escape(CATALOGUE[code].title_in(lang))}</td><td><code>{escape(code)}</code></td>"
        f'<td class="sev-{severity[code]}">{severity_word(severity[code], lang)}</td>'
        f'<td class="num">{count}</td></tr>'
        for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    body.append("</table>")
    return body


def rollup_page(rollup: Rollup, results: Sequence[EvaluationResult], lang: str = "zh") -> str:
    """The department roll-up as a page, followed by the forms it was built from."""
    title = _t(lang, "部门汇总", "Department roll-up")
    rate = rollup.execution_rate
    body = [
        f"<h1>{title}</h1>",
        _filter(lang),
        f"<p>{_t(lang, '部门预算执行率', 'Department execution rate')} = "
        f"{money(rollup.executed, rollup.money_unit, lang)} / "
        f"{money(rollup.budget, rollup.money_unit, lang)} = "
        f"{_percent(rate) or '-'}; "
        f"{_t(lang, '按资金加权的部门得分', 'fund-weighted score')} "
        f"{_num(rollup.printed_score) or '-'}</p>",
        '<table class="projects">'
        + _heads(
            (
                _t(lang, "项目", "Project"),
                _t(lang, "来源", "Source"),
                _t(lang, "预算数", "Budget"),
                _t(lang, "执行数", "Executed"),
                _t(lang, "执行率", "Rate"),
                _t(lang, "总分", "Total"),
            )
        ),
    ]
    body += [
        f'<tr><td>{escape(p.project)}</td><td class="source">{escape(p.source or "")}</td>'
        f'<td class="num">{money(p.budget, rollup.money_unit, lang)}</td>'
        f'<td class="num">{money(p.executed, rollup.money_unit, lang)}</td>'
        f'<td class="num">{_percent(p.rate)}</td>'
        f'<td class="num">{_num(p.total)}</td></tr>'
        for p in rollup.projects
    ]
    body.append(
        '</table><table class="rollup-indicators"><tr>'
        f"<th>{_t(lang, '指标', 'Indicator')}</th><th>{_t(lang, '汇总方式', 'Method')}</th>"
        f"<th>{_t(lang, '汇总值', 'Value')}</th><th>{_t(lang, '项目数', 'Projects')}</th></tr>"
    )
    body += [
        f"<tr><td>{escape(i.name)}</td><td>{method_words(i.method, lang)}</td>"
        f'<td class="num">{escape(i.shown)}</td>'
        f'<td class="num">{i.projects}</td></tr>'
        for i in rollup.indicators
    ]
    body.append("</table>")
    body += [_form_section(i, r, lang) for i, r in enumerate(results)]
    body += _closing(results, lang)
    return _document(title, body, lang)


def _closing(results: Sequence[EvaluationResult], lang: str, unread: int = 0) -> list[str]:
    """The page's closing summary: forms, errors, warnings, notes, the verified share."""
    tally = sum((Tally.of(r) for r in results), Tally())
    return [
        f"<h2>{_t(lang, '合计', 'Summary')}</h2>",
        f'<p class="closing">{escape(tally.text(lang, unread))}</p>',
    ]
