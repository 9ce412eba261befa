"""Workbooks and published text in traditional script read as their simplified originals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

import perfscore
from perfscore.form.fields import FORM
from perfscore.readers import form_files, load_forms
from perfscore.text.script import TRADITIONAL, simplify
from tests import workbooks
from tests.conftest import DATA, EXAMPLES

SEED_003 = DATA / "seeds" / "003_1f06280c6eec3f80.txt"
LUOHU = [EXAMPLES / "luohu-2024-social-workers.yaml", EXAMPLES / "luohu-2024-notary-lawyers.yaml"]

# One traditional character for each simplified one the table knows (the first in code-point
# order where several share it, 發 and 髮): not always the idiomatic spelling, which is the
# point — any traditional rendering must read back the same.
_TO_TRADITIONAL = str.maketrans({s: t for t, s in sorted(TRADITIONAL.items(), reverse=True)})


def _traditional(text: str) -> str:
    return text.translate(_TO_TRADITIONAL)


def _outcome(result: perfscore.EvaluationResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "execution": result.execution,
        "rows": [
            (r.name, r.indicator.level1, r.status, r.score, r.reported_score)
            for r in result.indicators
        ],
        "flags": [(f.code, f.path) for f in result.flags],
    }


def test_rendering_round_trips() -> None:
    """The test's own rendering changes the text and simplifies back to it."""
    text = SEED_003.read_text("utf-8")
    assert _traditional(text) != text
    assert simplify(_traditional(text)) == simplify(text)


def test_seed_003_text_in_traditional_script(tmp_path: Path) -> None:
    """Seed 003's published text rewritten in traditional script scores exactly as printed
    (99.9 and 93.69), with the cells kept as printed."""
    path = tmp_path / "003-traditional.txt"
    path.write_text(_traditional(SEED_003.read_text("utf-8")), "utf-8")
    simplified = [perfscore.evaluate(f) for f in load_forms(SEED_003)]
    traditional = [perfscore.evaluate(f) for f in load_forms(path)]
    assert [_outcome(r) for r in traditional] == [_outcome(r) for r in simplified]
    first = traditional[0].indicators[0].indicator
    assert (first.level1, first.name) == ("产出指标", "社工人数")
    assert first.printed("name") == _traditional("社工人数")


@pytest.mark.parametrize(
    "seed", ["000_901614b04f88c628.txt", "001_aa12b68a981f2731.txt", "004_f2f3303566fa8c39.txt"]
)
def test_published_text_layouts_keep_the_printed_script(tmp_path: Path, seed: str) -> None:
    """The wide table (000), text without tabs (001) and target tables (004) in traditional
    script read as the simplified text does, and keep the cells as printed for the reports."""
    original = DATA / "seeds" / seed
    path = tmp_path / seed
    path.write_text(_traditional(original.read_text("utf-8")), "utf-8")
    traditional, simplified = load_forms(path), load_forms(original)
    assert traditional == simplified  # forms compare by their reading
    rows = [ind for form in traditional for ind in form.indicators]
    kept = [ind for ind in rows if ind.printed("name") != ind.name]
    assert kept, "no name kept its printed spelling"
    assert all(simplify(ind.printed("name")) == ind.name for ind in kept)
    assert all(ind.printed("name") == _traditional(ind.name) for ind in kept)


@pytest.mark.parametrize("per_sheet", [True, False], ids=["one per sheet", "stacked"])
def test_luohu_workbook_in_traditional_script(tmp_path: Path, per_sheet: bool) -> None:
    """The Luohu workbooks with every text cell in traditional script evaluate exactly as the
    simplified workbooks."""
    twins = [yaml.safe_load(p.read_text("utf-8")) for p in LUOHU]
    simple = workbooks.luohu_style(tmp_path / "simple.xlsx", twins, per_sheet=per_sheet)
    book = openpyxl.load_workbook(simple)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = _traditional(cell.value)
    rewritten = tmp_path / "traditional.xlsx"
    book.save(rewritten)
    expected = [_outcome(perfscore.evaluate(f)) for f in load_forms(simple)]
    got = [perfscore.evaluate(f) for f in load_forms(rewritten)]
    assert [_outcome(r) for r in got] == expected
    assert got[0].indicators[0].indicator.printed("name") == _traditional("社工人数")


def _wide(text: str) -> str:
    """ASCII letters full-width (``ｉｎｄｉｃａｔｏｒｓ``), as a form typed with a Chinese IME."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in text)


def _spelled(spelling: str) -> tuple[str, str]:
    """The social workers' form as a file name and text, its keys in ``spelling``."""
    data = yaml.safe_load(LUOHU[0].read_text("utf-8"))
    if spelling == "traditional":
        return "form.yaml", (
            DATA / "traditional" / "luohu-2024-social-workers-traditional.yaml"
        ).read_text("utf-8")
    if spelling == "full-width":
        return "form.json", json.dumps(
            {_wide(k): v for k, v in data.items()}, ensure_ascii=False, default=str
        )
    # Each key under its last Chinese label, in traditional script, quoted with space inside.
    labels = {k: _traditional(FORM[k].labels[-1]) for k in data}
    text = yaml.safe_dump({f" {labels[k]} ": v for k, v in data.items()}, allow_unicode=True)
    return "form.yaml", text


@pytest.mark.parametrize("spelling", ["traditional", "full-width", "chinese-labels"])
def test_a_folder_scan_takes_every_spelling_a_reader_reads(tmp_path: Path, spelling: str) -> None:
    """A form in a folder is taken whatever spelling of its keys the readers accept
    (regression: a folder of forms in traditional script was skipped, "not a form")."""
    name, text = _spelled(spelling)
    (tmp_path / name).write_text(text, "utf-8")
    files, notes = form_files([tmp_path])
    assert (files, notes) == ([tmp_path / name], [])
    assert load_forms(files[0])[0].project == "购买社工岗位服务"
