"""`perfscore convert` writing YAML as a person would: numbers unquoted, the source's comments
kept above their keys, and every value read back the same."""

from __future__ import annotations

import io
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfscore.cli import run
from perfscore.form.model import form_from_data
from perfscore.readers import dump_forms, load_forms
from perfscore.readers.writer import yaml_comments
from tests.conftest import DATA, EXAMPLES

SOURCE = """\
# yaml-language-server: $schema=../schemas/form.schema.json
# 2020 培训支出: figures from the published table.

kind: project
project: 培训支出
code: "00123"
year: 2020
# 万元, as printed
budget: {adjusted: 23.95, executed: 15.42, rate: "64.38%"}
indicators:
  # a comment inside the list has no place of its own in a rewritten form
  - {level1: 产出指标, level2: 数量指标, name: 培训次数, target: "≥1次", actual: "2"}
  - {level1: 产出指标, level2: 数量指标, name: 参加人次, target: "150", actual: "173.50"}
  - {level1: 产出指标, level2: 数量指标, name: 编号, target: "007", actual: "1e3"}
# checked by the finance bureau
"""


def _convert(source: Path, target: Path) -> str:
    err = io.StringIO()
    assert run(["convert", str(source), str(target)], io.StringIO(), err) == 0, err.getvalue()
    return target.read_text("utf-8")


def test_numbers_are_written_unquoted(tmp_path: Path) -> None:
    """30, 2, 173.50 and 23.95 as numbers; 007, 1e3 and a code with a leading zero stay
    quoted text, since unquoted they would read back as other text."""
    (tmp_path / "in.yaml").write_text(SOURCE, "utf-8")
    text = _convert(tmp_path / "in.yaml", tmp_path / "out.yaml")
    for line in ("actual: 2\n", "target: 150\n", "actual: 173.50\n", "adjusted: 23.95\n"):
        assert line in text, line
    for line in ("code: '00123'\n", "target: '007'\n", "actual: '1e3'\n"):
        assert line in text, line
    assert load_forms(tmp_path / "out.yaml") == load_forms(tmp_path / "in.yaml")


def test_seed_003_example_writes_weights_and_scores_as_numbers(tmp_path: Path) -> None:
    """The example form: no '30', no '10' — every weight, score and bare count is a number."""
    text = _convert(EXAMPLES / "luohu-2024-social-workers.yaml", tmp_path / "out.yaml")
    assert not re.search(r"(weight|score|total|rate|actual|target): '\d+(\.\d+)?'", text)
    assert "weight: 30\n" in text


def test_comments_stay_above_their_keys(tmp_path: Path) -> None:
    """The header, a note above a key and the closing note survive; a comment inside a block
    is not moved elsewhere."""
    (tmp_path / "in.yaml").write_text(SOURCE, "utf-8")
    text = _convert(tmp_path / "in.yaml", tmp_path / "out.yaml")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schemas/form.schema.json"
    assert lines[1] == "# 2020 培训支出: figures from the published table."
    assert lines[lines.index("# 万元, as printed") + 1] == "budget:"
    assert lines[-1] == "# checked by the finance bureau"
    assert "a comment inside the list" not in text
    assert load_forms(tmp_path / "out.yaml") == load_forms(tmp_path / "in.yaml")


def test_yaml_comments_by_key() -> None:
    """Comments collected by the top-level key below them; "" for the end of the file."""
    assert yaml_comments(SOURCE) == {
        "kind": [
            "# yaml-language-server: $schema=../schemas/form.schema.json",
            "# 2020 培训支出: figures from the published table.",
        ],
        "budget": ["# 万元, as printed"],
        "": ["# checked by the finance bureau"],
    }


def test_json_and_other_sources_are_unchanged(tmp_path: Path) -> None:
    """JSON has no comments; a text source has none to keep."""
    (tmp_path / "in.yaml").write_text(SOURCE, "utf-8")
    assert "#" not in _convert(tmp_path / "in.yaml", tmp_path / "out.json")
    seed = DATA / "seeds" / "003_1f06280c6eec3f80.txt"
    assert not _convert(seed, tmp_path / "seed.yaml").startswith("#")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.from_regex(r"[+-]?[0-9]{1,17}(\.[0-9]{0,14})?([eE][0-9])?", fullmatch=True),
        st.text(alphabet="0123456789.-e", max_size=8),
    )
)
def test_any_number_like_text_reads_back_as_itself(tmp_path: Path, text: str) -> None:
    """Whatever digits a cell holds, written to YAML and read back it is the same text."""
    form = form_from_data(
        {"project": "x", "indicators": [{"name": "a", "target": "≥1次", "actual": text}]}
    )
    dump_forms([form], tmp_path / "f.yaml")
    assert load_forms(tmp_path / "f.yaml") == [form]
