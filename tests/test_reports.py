"""Every command and format on the seed fixtures: score, explain, aggregate, batch."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import shutil
import subprocess
import tracemalloc
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

import perfscore
from perfscore.batch import Failure, evaluate_many
from perfscore.cli import run
from perfscore.rollup import aggregate
from tests.conftest import DATA, EXAMPLES

FORMS = sorted(EXAMPLES.glob("*.yaml")) + sorted((DATA / "forms").glob("*.yaml"))
PINGSHAN = sorted((DATA / "forms").glob("pingshan-*.yaml"))


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# --- score -----------------------------------------------------------------------------------


def test_score_markdown() -> None:
    """Markdown: a section per form with one table row per indicator."""
    code, out, _ = _run("score", "--format", "markdown", *map(str, FORMS))
    assert code == 0
    results = [perfscore.evaluate(p) for p in FORMS]
    for result in results:
        assert f"## {result.form.project}" in out
    rows = [line for line in out.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == sum(len(r.indicators) for r in results)


def test_score_csv_one_row_per_indicator() -> None:
    """CSV: a header, then one row per indicator with its status, scores and flag codes, and
    one per form-level flag."""
    code, out, _ = _run("score", "--format", "csv", "--lang", "en", *map(str, FORMS))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    results = [perfscore.evaluate(p) for p in FORMS]
    indicator_rows = [r for r in rows if r["row_type"] == "indicator"]
    assert len(indicator_rows) == sum(len(r.indicators) for r in results)
    form_level = [
        f
        for r in results
        for f in r.flags
        if not (f.location[0] == "indicators" and len(f.location) > 1)
    ]
    flag_rows = [r for r in rows if r["row_type"] == "flag"]
    assert sorted(r["flags"] for r in flag_rows) == sorted(f.code for f in form_level)
    cost = next(r for r in rows if r["name"] == "成本控制率" and r["project"] == "购买社工岗位服务")
    printed = (cost["status_code"], cost["score"], cost["reported_score"])
    assert printed == ("partly_met", "4.9", "4.9")
    assert cost["status"] == "partly met"
    typo = next(r for r in rows if r["actual"] == "80&")
    assert "unreadable-value" in typo["flags"].split()


def test_score_json_streams_a_valid_array() -> None:
    """JSON: one array element per form, in input order."""
    code, out, _ = _run("score", "--format", "json", *map(str, FORMS))
    assert code == 0
    data = json.loads(out)
    assert [d["source"] for d in data] == [str(p) for p in FORMS]


def test_output_file(tmp_path: Path) -> None:
    """--output writes the report to a file and nothing to stdout."""
    target = tmp_path / "out.json"
    code, out, _ = _run("score", "--format", "json", "--output", str(target), str(EXAMPLES))
    assert code == 0
    assert out == ""
    assert len(json.loads(target.read_text("utf-8"))) == 2


def test_progress_goes_to_stderr_only() -> None:
    """The progress bar is on stderr; stdout holds only the report."""
    code, out, err = _run("score", "--progress", "always", "--format", "json", *map(str, FORMS))
    assert code == 0
    assert f"{len(FORMS)}/{len(FORMS)}" in err
    json.loads(out)


def test_jobs_keep_input_order() -> None:
    """--jobs 2 gives the same report, in the same order, as one process."""
    args = ["score", "--format", "csv", *map(str, FORMS)]
    assert _run(*args, "--jobs", "2")[1] == _run(*args)[1]


def test_bad_file_does_not_stop_the_batch(tmp_path: Path) -> None:
    """A broken file is one line on stderr; the others are scored."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: [unclosed\n", "utf-8")
    code, out, err = _run("score", "--format", "json", str(bad), *map(str, FORMS))
    assert code == 4
    assert len(json.loads(out)) == len(FORMS)
    assert err.count("\n") == 1
    assert str(bad) in err
    assert "Traceback" not in err


# --- HTML ------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects form sections and flagged cells of a report page."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.cells: list[tuple[str, int | None, str]] = []  # (section, row, data-flags)
        self._row: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("data-source") or "")
        elif tag == "tr":
            index = a.get("data-index")
            self._row = int(index) if index is not None else None
        elif tag == "td" and "flagged" in (a.get("class") or "").split():
            self.cells.append((self.sections[-1], self._row, a.get("data-flags") or ""))


def _html() -> str:
    code, out, _ = _run("score", "--format", "html", *map(str, FORMS))
    assert code == 0
    return out


def test_html_lists_every_form_and_marks_every_flagged_cell() -> None:
    """Every form has its section; every warning or error on a cell marks that cell."""
    page = _Page()
    page.feed(_html())
    assert page.sections == [str(p) for p in FORMS]
    marked = {(s, row, code) for s, row, codes in page.cells for code in codes.split()}
    cell_fields = {"level1", "level2", "name", "target", "actual", "weight", "score", "reason"}
    expected = 0
    for path in FORMS:
        for flag in perfscore.evaluate(path).flags:
            loc = flag.location
            if flag.severity == "info" or loc[0] != "indicators" or len(loc) < 2:
                continue
            if len(loc) == 3 and loc[2] not in cell_fields:
                continue
            expected += 1
            assert (str(path), loc[1], flag.code) in marked, (path.name, flag.path, flag.code)
    assert expected > 5


def test_html_summary_and_chart() -> None:
    """The summary shows printed and recomputed totals, flag counts and an SVG chart."""
    text = _html()
    assert "93.69" in text
    assert "<svg" in text
    assert 'class="codes"' in text
    assert "<script src" not in text
    assert "<link" not in text


_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_NO_CHROMIUM = (
    "the HTML rendering test needs Chromium (apt-get install chromium fonts-noto-cjk), "
    "which is not on PATH"
)


def _chromium() -> str:
    """The Chromium to render with; without one the test is skipped with the reason, except
    under CI (``CI`` set), where a missing browser is a failure: .ci/run installs it."""
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail(f"{_NO_CHROMIUM}; under CI it must be: .ci/run installs it")
    pytest.skip(f"{_NO_CHROMIUM}; skipped outside CI (under CI, with CI set, it fails)")


@pytest.mark.parametrize("ci", [None, "true"])
def test_missing_chromium_skips_with_a_reason_or_fails_under_ci(
    ci: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No browser on PATH: a skip naming Chromium outside CI, a failure under CI."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    outcome = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(outcome, match="needs Chromium"):
        _chromium()


def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    """The page opens in headless Chromium and renders to a PNG with no console message."""
    browser = _chromium()
    page = tmp_path / "report.html"
    page.write_text(_html(), "utf-8")
    shot = tmp_path / "report.png"
    proc = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,1600",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []


# --- explain ---------------------------------------------------------------------------------


def test_explain_cost_control_step_by_step() -> None:
    """成本控制率 ≤98% completed 100%: 98% / 100% = 0.98, then 5 × 0.98 = 4.9."""
    code, out, _ = _run(
        "explain", str(EXAMPLES / "luohu-2024-social-workers.yaml"), "--indicator", "成本控制率"
    )
    assert code == 0
    lines = out.splitlines()
    assert "年度指标值: “≤98%” → 数量 ≤ 98 [%; 百分比]" in out
    assert any("指标值 / 实际完成值 = 98% / 100% = 0.98" in line for line in lines)
    assert any("5 × min(0.98, 1) = 4.9" in line for line in lines)
    assert any("4.9 → 4.90" in line for line in lines)
    assert "得分 4.9 / 5 (填报 4.9)" in out


def test_explain_whole_form_in_english() -> None:
    """Without --indicator: execution, every indicator and the total's sum."""
    code, out, _ = _run("explain", str(EXAMPLES / "luohu-2024-notary-lawyers.yaml"), "--lang", "en")
    assert code == 0
    assert "execution rate = 217461.64 / 224500 = 0.968649, taken as 96.86%" in out
    assert "rounded half-up to 2 places: 9.686 → 9.69" in out
    assert (
        "total = 9.69 + 7 + 0 + 7 + 6 + 6 + 6 + 6 + 6 + 0 + 15 + 15 + 0 + 0 + 10 + 0 = 93.69" in out
    )
    assert "read as >= (default: higher is better)" in out


def test_explain_api_trace() -> None:
    """The API carries the same trace: result.indicators[i].trace."""
    row = perfscore.evaluate(EXAMPLES / "luohu-2024-social-workers.yaml").indicators[3]
    assert any("98% / 100% = 0.98" in step for step in row.trace)


def test_explain_unknown_indicator() -> None:
    """An indicator the form does not have is one line and exit 2."""
    code, _, err = _run("explain", str(EXAMPLES / "luohu-2024-social-workers.yaml"), "-i", "不存在")
    assert code == 2
    assert "no indicator '不存在'" in err
    assert err.count("\n") == 1


# --- aggregate -------------------------------------------------------------------------------


def test_aggregate_seed_001_by_hand() -> None:
    """Σ executed / Σ budget and fund-weighted averages, recomputed here by hand."""
    results = [perfscore.evaluate(p) for p in PINGSHAN]
    rollup = aggregate(results)
    budgets = {
        "社区矫正": "529.99",
        "一般行政管理事务": "324.78",
        "基层司法业务": "1674.18",
        "法制建设": "412.3",
        "培训支出": "23.95",
        "其他司法支出": "620.7",
    }
    executed = {
        "社区矫正": "528.66",
        "一般行政管理事务": "317.47",
        "基层司法业务": "1612.89",
        "法制建设": "410.83",
        "培训支出": "15.42",
        "其他司法支出": "620.7",
    }
    budget_sum = sum(Decimal(v) for v in budgets.values())
    executed_sum = sum(Decimal(v) for v in executed.values())
    assert rollup.budget == budget_sum == Decimal("3585.90")
    assert rollup.executed == executed_sum == Decimal("3505.97")
    assert rollup.execution_rate == executed_sum / budget_sum
    assert rollup.money_unit == "万元"
    stability = next(i for i in rollup.indicators if i.name == "辖区社会稳定维护程度")
    assert (stability.method, stability.value, stability.projects) == (
        "weighted_mean",
        Decimal("0.9"),
        4,
    )
    counts = next(i for i in rollup.indicators if i.name == "社区法律服务次数")
    assert (counts.method, counts.value) == ("sum", Decimal(4305))


def test_aggregate_weights_by_funds() -> None:
    """A rate differing between projects is averaged by each project's budget."""
    forms = []
    for path in PINGSHAN:
        data = yaml.safe_load(path.read_text("utf-8"))
        if data["project"] == "培训支出":
            for ind in data["indicators"]:
                if ind["name"] == "成本控制率":
                    ind["actual"] = "80%"
        forms.append(data)
    rollup = aggregate(perfscore.evaluate(f) for f in forms)
    cost = next(i for i in rollup.indicators if i.name == "成本控制率")
    total = Decimal("3585.90")
    expected = (total - Decimal("23.95") + Decimal("23.95") * Decimal("0.8")) / total
    assert cost.value == expected
    assert cost.projects == 6


def test_aggregate_sums_counts_across_projects() -> None:
    """Absolute values of indicators that share a name add up."""
    data: dict[str, Any] = yaml.safe_load(PINGSHAN[0].read_text("utf-8"))
    twin = copy.deepcopy(data)
    twin["project"] = "社区矫正（二期）"
    rollup = aggregate([perfscore.evaluate(data), perfscore.evaluate(twin)])
    people = next(i for i in rollup.indicators if i.name == "教育改造列管矫正人员数量")
    assert (people.method, people.value, people.unit) == ("sum", Decimal(294), "人")


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "csv", "html"])
def test_aggregate_formats(fmt: str) -> None:
    """Every output format carries the department rate and every project."""
    code, out, _ = _run("aggregate", "--format", fmt, *map(str, PINGSHAN))
    assert code == 0
    if fmt == "json":
        data = json.loads(out)
        assert data["budget"] == "3585.90"
        assert len(data["projects"]) == 6
    else:
        assert "3505.97" in out
        for name in ("社区矫正", "培训支出", "其他司法支出"):
            assert name in out
    if fmt in ("table", "markdown", "html"):
        assert "97.77%" in out


# --- batch -----------------------------------------------------------------------------------


def test_evaluate_many_keeps_order_and_reports_failures(tmp_path: Path) -> None:
    """Results come back in input order; a bad input is a Failure, not an exception."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("nonsense: 1\n", "utf-8")
    inputs: list[Any] = [FORMS[0], bad, FORMS[1], {"indicators": [{"name": "x"}]}]
    for jobs in (1, 2):
        items = list(evaluate_many(inputs, jobs=jobs))
        assert [type(i).__name__ for i in items] == [
            "EvaluationResult",
            "Failure",
            "EvaluationResult",
            "EvaluationResult",
        ]
        failure = items[1]
        assert isinstance(failure, Failure)
        assert failure.source == str(bad)
        assert "unknown key 'nonsense'" in failure.message


def _summary(item: Any) -> Any:
    """A picklable transform: what a report needs of a result."""
    return (item.source, str(item.total), [f.code for f in item.flags])


def test_evaluate_many_same_results_on_one_core_and_several() -> None:
    """Workers that only read (and the parent scoring), workers that score and transform, and
    one core all give the same items: files holding several forms, mappings, Form objects and
    invalid mappings included."""
    from perfscore.readers import load_form

    seed = DATA / "seeds" / "003_1f06280c6eec3f80.txt"  # two forms in one text
    inputs: list[Any] = [
        seed,
        FORMS[0],
        {"indicators": "not a list"},
        load_form(FORMS[1]),
        yaml.safe_load(FORMS[2].read_text("utf-8")),
    ]

    def shown(item: Any) -> Any:
        if isinstance(item, Failure):
            return ("failure", item.source, item.message)
        return item.to_dict()

    serial = [shown(i) for i in evaluate_many(inputs, jobs=1)]
    assert [s[1] if isinstance(s, tuple) else s["source"] for s in serial] == [
        f"{seed} #1",
        f"{seed} #2",
        str(FORMS[0]),
        "<form 2>",
        None,  # a Form object, and a mapping, carry no file name
        None,
    ]
    assert [shown(i) for i in evaluate_many(inputs, jobs=2, chunk_size=2)] == serial
    summaries = [i if isinstance(i, Failure) else _summary(i) for i in evaluate_many(inputs)]
    parallel = list(evaluate_many(inputs, jobs=2, chunk_size=2, transform=_summary))
    assert [shown(i) if isinstance(i, Failure) else i for i in parallel] == [
        shown(i) if isinstance(i, Failure) else i for i in summaries
    ]


def test_evaluate_many_memory_stays_flat() -> None:
    """Streaming thousands of forms does not accumulate memory."""
    base = [perfscore.load_form(p) for p in FORMS]

    def stream(n: int) -> Any:
        for i in range(n):
            yield base[i % len(base)]

    tracemalloc.start()
    try:
        for _ in evaluate_many(stream(300)):
            pass
        _, warm = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        for _ in evaluate_many(stream(3000)):
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - warm < 2_000_000
