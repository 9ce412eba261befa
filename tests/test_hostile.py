"""Hostile input: files built to crash, hang, exhaust or fool perfscore.

Every case must end as a :class:`perfscore.PerfscoreError` naming the file (and the line where
there is one) or as a flag — never a traceback, a hang, a crash of the interpreter or a silent
guess.  Organised by topic: YAML structure, YAML scalars, JSON, files that are not files,
magnitudes, output onto input, the host's Decimal context, threads and caches, rule files from
unexpected places, rule formulas that fail while scoring.
"""

from __future__ import annotations

import ast
import json
import os
import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from perfscore import FormError, load_form
from perfscore.errors import PerfscoreError, RuleSetError
from perfscore.ruleset.rules import load_rules
from perfscore.yamlfile import MAX_DEPTH, parse_yaml, read_yaml
from tests.conftest import EXAMPLES

_FORM_HEAD = "project: x\nindicators:\n"


def _write(tmp_path: Path, text: str, name: str = "f.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _form_error(path: Path) -> FormError:
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert str(path) in str(caught.value)
    return caught.value


# --- YAML structure: depth, aliases, documents ------------------------------------------------


@pytest.mark.parametrize(
    ("body", "flow"),
    [
        pytest.param("  " + "[" * 50_000 + "]" * 50_000, True, id="flow-50000"),
        pytest.param("  " + "{a: " * 50_000 + "1" + "}" * 50_000, True, id="flow-mapping-50000"),
        pytest.param("- " * 50_000 + "x", False, id="block-50000"),
        pytest.param("  " + "[" * 2_000 + "]" * 2_000, True, id="flow-2000"),
        pytest.param(
            "".join(f"{'  ' * i}- k:\n" for i in range(1, 2_000)), False, id="indented-2000"
        ),
    ],
)
def test_deep_nesting_is_refused_with_its_line(tmp_path: Path, body: str, flow: bool) -> None:
    """Nesting far past any form is refused on the parser's events, before anything is built:
    no segfault in libyaml, no RecursionError.

    Flow-style nesting may meet the YAML parser's own limit first (newer PyYAML stops it in
    the scanner); either way the refusal is a ``FormError`` with its line.  Block nesting is
    always perfscore's to refuse, so there its own limit is checked."""
    error = _form_error(_write(tmp_path, "project: x\nindicators:\n" + body + "\n"))
    if not flow:
        assert f"deeper than {MAX_DEPTH}" in error.message
    assert error.line is not None
    assert error.line >= 3


def test_deep_nesting_in_a_subprocess_does_not_crash_the_interpreter(tmp_path: Path) -> None:
    """The crash the depth limit prevents is a segfault: prove the process survives."""
    path = _write(tmp_path, "[" * 50_000 + "]" * 50_000)
    code = (
        "import sys, perfscore\n"
        f"try:\n    perfscore.load_form({str(path)!r})\n"
        "except perfscore.FormError as e:\n    print('refused', e.line)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "refused 1"


def test_nesting_at_the_limit_is_read() -> None:
    """The limit is a limit, not an off-by-one: MAX_DEPTH levels are read."""
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    data = parse_yaml(text).data
    for _ in range(MAX_DEPTH - 1):
        data = data[0]
    assert data == []
    with pytest.raises(FormError):
        parse_yaml("[" + text + "]")


_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_at_the_first_alias(tmp_path: Path) -> None:
    """A 400-byte alias bomb is refused at its first alias, before anything expands."""
    error = _form_error(_write(tmp_path, _BOMB))
    assert "alias" in error.message
    assert (error.line, error.column) == (2, 8)


def test_any_alias_is_refused_in_forms(tmp_path: Path) -> None:
    """Even a harmless-looking alias: forms never need them, and a reader must see each value."""
    text = _FORM_HEAD + "- &row {name: a, weight: 50}\n- *row\n"
    error = _form_error(_write(tmp_path, text))
    assert "alias" in error.message
    assert error.line == 4


def test_second_document_is_refused(tmp_path: Path) -> None:
    """Two documents in one file: which is the form?  Refused, at the second."""
    error = _form_error(_write(tmp_path, "project: a\n---\nproject: b\n"))
    assert "second document" in error.message
    assert error.line == 2


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("project: x\nyear: 2024\nproject: y\n", 3),
        (_FORM_HEAD + "- name: a\n  weight: 5\n  weight: 50\n", 5),
        ('{"project": "x", "project": "y"}\n', 1),
        ("project: x\n'project': y\n", 2),
    ],
)
def test_duplicate_keys_name_both_lines(tmp_path: Path, text: str, line: int) -> None:
    """A repeated key used to keep the last value silently; now both places are named."""
    error = _form_error(_write(tmp_path, text))
    assert "duplicate key" in error.message
    assert error.line == line
    assert "first on line" in error.message


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object:os.system {}\n",
        "project: !!binary aGk=\n",
        "x: !custom 1\n",
        "? [a]\n: 1\n",
    ],
)
def test_tags_and_complex_keys_are_refused(tmp_path: Path, text: str) -> None:
    """Nothing but plain values: unknown tags and collections as keys are refused."""
    error = _form_error(_write(tmp_path, text))
    assert error.line == 1


def test_invalid_yaml_names_line_and_column(tmp_path: Path) -> None:
    error = _form_error(_write(tmp_path, "project: x\nbudget: [1, 2\n"))
    assert error.message.startswith("invalid YAML")
    assert error.line is not None


def test_rule_file_errors_are_rule_set_errors(tmp_path: Path) -> None:
    """The same reader serves rule files: the caller names the kind of error."""
    path = _write(tmp_path, "name: x\nname: y\n", "r.yaml")
    with pytest.raises(RuleSetError) as caught:
        read_yaml(path, error=RuleSetError)
    assert caught.value.line == 2


# --- YAML scalars: the 1.2 core schema --------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("1:15", "1:15"),  # YAML 1.1: sexagesimal 75
        ("010", 10),  # YAML 1.1: octal 8
        ("0o10", 8),
        ("0x1F", 31),
        ("yes", "yes"),  # YAML 1.1: True
        ("No", "No"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("2024-02-30", "2024-02-30"),  # YAML 1.1: a date (and this one an error)
        ("2024-01-01", "2024-01-01"),
        ("1_000", "1_000"),  # YAML 1.1: 1000
        ("217461.64", Decimal("217461.64")),
        ("0.1", Decimal("0.1")),
        ("1e3", Decimal("1e3")),
        ("-.5", Decimal("-0.5")),
        ("+12", 12),
        ("~", None),
        ("null", None),
        ("", None),
        ("'010'", "010"),
        ('"1:15"', "1:15"),
        ("!!str 12", "12"),
        ("!!float 12", Decimal(12)),
        ("!!int 12", 12),
        ("!!int 1e999999999", Decimal("1e999999999")),
        ("!!float 1e999999999", Decimal("1e999999999")),
        ("96.86%", "96.86%"),
        ("≥90%", "≥90%"),
    ],
)
def test_yaml_1_2_scalars(written: str, read: object) -> None:
    """Plain scalars resolve as YAML 1.2's core schema says, floats as exact Decimals."""
    value = parse_yaml(f"v: {written}\n").data["v"]
    assert value == read
    assert type(value) is type(read)


@pytest.mark.parametrize(
    "written", [".inf", "-.Inf", ".nan", "!!int 1.5", "!!bool 1", "!!int 1e-999999999"]
)
def test_non_finite_and_mistagged_numbers_are_refused(written: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_yaml(f"project: x\nv: {written}\n", source="f.yaml")
    assert caught.value.line == 2


def test_sexagesimal_and_octal_in_a_form(tmp_path: Path) -> None:
    """``weight: 010`` is ten and ``target: 1:15`` stays the printed text."""
    path = _write(tmp_path, _FORM_HEAD + "- {name: a, target: 1:15, actual: 1:15, weight: 010}\n")
    form = load_form(path)
    assert form.indicators[0].weight == Decimal(10)
    assert form.indicators[0].target == "1:15"


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_yaml_numbers_round_trip_exactly(number: Decimal) -> None:
    """Any finite number written plainly reads back as the same Decimal (or int)."""
    text = str(number)
    if "E" in text or "e" in text:
        text = text.replace("E", "e")
    value = parse_yaml(f"v: {text}\n").data["v"]
    assert Decimal(value) == number


# YAML streams hold printable characters only, and fold line breaks inside quotes.
_PRINTABLE = st.characters(
    blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"
)


@given(st.text(alphabet=_PRINTABLE, max_size=30))
def test_quoted_text_is_text(text: str) -> None:
    """Whatever a quoted scalar holds, it is read back as the same text."""
    import json

    assert parse_yaml(f"v: {json.dumps(text, ensure_ascii=False)}\n").data["v"] == text


_YAML_PIECES = [*"ab01.-+:[]{},#&*!|>'\"?% \n\t~eEoxin", "!!int ", "!!float ", "---\n", "1e9999"]
_YAML_SYNTAX = st.lists(st.sampled_from(_YAML_PIECES), max_size=60).map("".join)


@given(st.one_of(st.text(max_size=200), _YAML_SYNTAX))
def test_any_text_is_data_or_a_form_error(text: str) -> None:
    """Whatever the text, the reader returns data or raises FormError naming the source:
    never another exception (a parser error, InvalidOperation, RecursionError, KeyError)."""
    outcome: object
    try:
        outcome = parse_yaml(text, source="f.yaml")
    except FormError as exc:
        outcome = exc.source
    assert outcome == "f.yaml" or not isinstance(outcome, str)


# --- JSON ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"project": ' + "[" * 50_000 + "]" * 50_000 + "}", "deeper than"),
        ('{"project": ' + "[" * 100 + "]" * 100 + "}", "deeper than"),
        ('{"project": "x", "total": NaN}', "not a finite number"),
        ('{"project": "x", "total": Infinity}', "not a finite number"),
        ('{"project": "x", "project": "y"}', "duplicate key"),
    ],
)
def test_hostile_json(tmp_path: Path, text: str, message: str) -> None:
    error = _form_error(_write(tmp_path, text, "f.json"))
    assert message in error.message


def test_json_huge_integer_is_a_form_error(tmp_path: Path) -> None:
    """An integer past Python's 4,300-digit limit is refused with its field, not ValueError."""
    path = _write(tmp_path, '{"project": "x", "total": ' + "9" * 10_000 + "}", "f.json")
    error = _form_error(path)
    assert error.path == "total"


# --- files that are not forms -----------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    """A FIFO named as a form would block a reader forever: refused before reading."""
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    assert "not a regular file" in _form_error(fifo).message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_device_is_refused() -> None:
    """/dev/zero never ends: refused as not a regular file, before a byte is read."""
    with pytest.raises(PerfscoreError, match="not a regular file"):
        read_yaml("/dev/zero")


def test_directory_named_as_a_form(tmp_path: Path) -> None:
    folder = tmp_path / "d.yaml"
    folder.mkdir()
    _form_error(folder)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.truncate(9 * 1024 * 1024)  # sparse: its size, not its reading, must refuse it
    assert "more than" in _form_error(path).message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes("project: 测试\n".encode("gb18030"))
    assert "not UTF-8" in _form_error(path).message


# --- magnitudes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "written", "path"),
    [
        ("weight", "1e30", "indicators[0].weight"),
        ("weight", "1e16", "indicators[0].weight"),
        ("score", "1e999999999", "indicators[0].score"),
        ("score", "-1e999999999", "indicators[0].score"),
        ("score", "1e-999999999", "indicators[0].score"),
        ("score", "'nan'", "indicators[0].score"),
        ("score", "'Infinity'", "indicators[0].score"),
        ("score", "'sNaN'", "indicators[0].score"),
        ("weight", "0." + "0" * 40 + "1", "indicators[0].weight"),
        ("weight", "9" * 5000, "indicators[0].weight"),
        ("weight", "'" + "9" * 100_000 + "'", "indicators[0].weight"),
    ],
)
def test_absurd_numbers_are_form_errors(
    tmp_path: Path, field: str, written: str, path: str
) -> None:
    """Numbers no form holds end as a FormError with the field and line — not
    decimal.InvalidOperation from deep in the arithmetic."""
    text = _FORM_HEAD + f"- name: a\n  target: ≥1人\n  actual: 1人\n  {field}: {written}\n"
    error = _form_error(_write(tmp_path, text))
    assert error.path == path
    assert error.line == 6
    assert len(str(error)) < 400  # a 100,000-digit cell is not quoted whole


@pytest.mark.parametrize("rate", ["'90.0000000000000000000000000000000000000001%'", "'0.9' "])
def test_printed_rate_precision(tmp_path: Path, rate: str) -> None:
    """A rate printed with absurd precision is refused at budget.rate; an ordinary one reads."""
    text = f"project: x\nbudget: {{adjusted: 100, executed: 90, weight: 10, rate: {rate}}}\n"
    path = _write(tmp_path, text + "indicators: [{name: a, target: 1, actual: 1}]\n")
    if len(rate) > 10:
        error = _form_error(path)
        assert (error.path, error.line) == ("budget.rate", 2)
    else:
        assert perfscore.evaluate(path).execution is not None


@pytest.mark.parametrize("year", ["1e30", "99999", "'0'"])
def test_absurd_year(tmp_path: Path, year: str) -> None:
    error = _form_error(_write(tmp_path, f"project: x\nyear: {year}\n"))
    assert (error.path, error.line) == ("year", 2)


@given(
    exponent=st.integers(min_value=-2000, max_value=2000),
    digits=st.integers(min_value=1, max_value=10**6),
    field=st.sampled_from(["weight", "score"]),
)
def test_any_magnitude_scores_or_is_refused(exponent: int, digits: int, field: str) -> None:
    """Whatever the magnitude of a weight or score, the result is a score or a FormError."""
    number = Decimal(digits).scaleb(exponent)
    form = {
        "project": "x",
        "indicators": [
            {"name": "a", "target": "≥1人", "actual": "1人", "weight": 10, field: number}
        ],
    }
    bounded = abs(number) < Decimal("1e15") and number == round(number, 12)
    if bounded:
        assert perfscore.evaluate(form).total is not None
    else:
        with pytest.raises(FormError) as caught:
            perfscore.evaluate(form)
        assert caught.value.path == f"indicators[0].{field}"


def test_examples_still_read(luohu_notary: Path) -> None:
    """The bounds leave real forms alone."""
    assert perfscore.evaluate(luohu_notary).total == Decimal("93.69")
    assert len(list(EXAMPLES.glob("*.yaml"))) == 2


# --- output onto input ------------------------------------------------------------------------


def _cli(*argv: str) -> tuple[int, str, str]:
    import io

    from perfscore.cli import run

    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def form_copy(tmp_path: Path, luohu_notary: Path) -> Path:
    path = tmp_path / "form.yaml"
    path.write_bytes(luohu_notary.read_bytes())
    return path


@pytest.fixture
def workbook(tmp_path: Path, luohu_notary: Path) -> Path:
    path = tmp_path / "form.xlsx"
    assert _cli("convert", str(luohu_notary), str(path))[0] == 0
    return path


def _same_spellings(path: Path) -> list[str]:
    """The ways a person names the same file: as given, with ``./`` and ``..``, through a
    symbolic link."""
    link = path.parent / f"link-to-{path.name}"
    link.symlink_to(path)
    return [
        str(path),
        str(path.parent / "." / path.name),
        str(path.parent / ".." / path.parent.name / path.name),
        str(link),
    ]


def test_report_onto_the_form_is_refused(form_copy: Path) -> None:
    """``score f.yaml -o f.yaml`` used to truncate the form before reading it."""
    before = form_copy.read_bytes()
    for spelling in _same_spellings(form_copy):
        for command in (["score"], ["explain"], ["aggregate"]):
            code, out, err = _cli(*command, str(form_copy), "-o", spelling)
            assert code == 6, (command, spelling)
            assert "overwrite the input" in err
            assert out == ""
    assert form_copy.read_bytes() == before


def test_report_onto_a_form_of_a_scanned_folder_is_refused(form_copy: Path) -> None:
    before = form_copy.read_bytes()
    code, _, err = _cli("score", str(form_copy.parent), "--format", "json", "-o", str(form_copy))
    assert code == 6
    assert str(form_copy) in err
    assert form_copy.read_bytes() == before


@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
def test_convert_onto_its_source_is_refused(workbook: Path, form_copy: Path, suffix: str) -> None:
    """``convert a.xlsx a.xlsx`` used to drop the workbook's other sheets."""
    source = workbook if suffix == ".xlsx" else form_copy
    before = source.read_bytes()
    for spelling in _same_spellings(source):
        code, _, err = _cli("convert", str(source), spelling)
        assert code == 6
        assert "overwrite the input" in err
    assert source.read_bytes() == before


def test_annotate_onto_the_workbook_is_refused(workbook: Path, tmp_path: Path) -> None:
    from perfscore.report.annotate import annotate_workbook

    before = workbook.read_bytes()
    for spelling in _same_spellings(workbook):
        code, _, err = _cli("score", str(workbook), "--annotate", spelling)
        assert code == 6
        assert "overwrite the input" in err
    with pytest.raises(PerfscoreError, match="overwrite the input"):
        annotate_workbook(workbook, workbook)
    assert workbook.read_bytes() == before
    report = tmp_path / "both.xlsx"
    code, _, err = _cli("score", str(workbook), "--annotate", str(report), "-o", str(report))
    assert code == 2
    assert "same file" in err


def test_outputs_appear_whole_and_leave_nothing_behind(form_copy: Path, tmp_path: Path) -> None:
    """Every output is written under a temporary name and renamed: the folder ends with the
    inputs and the outputs only."""
    out = tmp_path / "out"
    out.mkdir()
    assert _cli("score", str(form_copy), "-o", str(out / "r.json"), "--format", "json")[0] == 0
    assert _cli("convert", str(form_copy), str(out / "c.xlsx"))[0] == 0
    assert _cli("convert", str(form_copy), str(out / "c.json"))[0] == 0
    assert _cli("score", str(out / "c.xlsx"), "--annotate", str(out / "a.xlsx"))[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.xlsx", "c.json", "c.xlsx", "r.json"]
    assert load_form(out / "c.json") == load_form(form_copy)
    assert (out / "r.json").stat().st_mode & 0o044  # readable as a plain open() would make it


def test_a_failed_write_keeps_the_old_output(tmp_path: Path) -> None:
    """An error while writing leaves the previous file as it was, and no temporary file."""
    from perfscore.files import atomic_path

    target = tmp_path / "report.json"
    target.write_text("old", "utf-8")

    def interrupted() -> None:
        with atomic_path(target) as temporary:
            temporary.write_text("half", "utf-8")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        interrupted()
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_output_into_a_missing_folder_is_an_error(form_copy: Path, tmp_path: Path) -> None:
    code, _, err = _cli("score", str(form_copy), "-o", str(tmp_path / "no" / "r.txt"))
    assert code == 6
    assert "cannot write" in err


# --- the host program's Decimal context -------------------------------------------------------

_EXTREME = {
    "project": "x",
    "budget": {
        "adjusted": "999999999999999.999999999999",
        "executed": "0.000000000001",
        "weight": 10,
        "rate": "0.000000000000%",
    },
    "indicators": [
        {"name": "a", "target": "≥3人", "actual": "2人", "weight": "33.333333333333", "score": 1},
        {"name": "b", "target": "≤7天", "actual": "9天", "weight": "56.666666666667"},
    ],
    "total": "12.345678901234",
}


@pytest.mark.parametrize("form", [_EXTREME, EXAMPLES / "luohu-2024-notary-lawyers.yaml"])
def test_host_decimal_context_changes_nothing(form: object) -> None:
    """A host program with 4-digit precision, rounding down and every signal trapped reads and
    scores forms — at the edges of the bounds too — exactly as a fresh process does."""
    import decimal

    expected = perfscore.evaluate(form).to_dict()  # type: ignore[arg-type]
    signals = [
        decimal.Clamped,
        decimal.DivisionByZero,
        decimal.Inexact,
        decimal.InvalidOperation,
        decimal.Overflow,
        decimal.Rounded,
        decimal.Subnormal,
        decimal.Underflow,
    ]
    host = decimal.Context(prec=4, rounding=decimal.ROUND_DOWN, traps=signals)
    with decimal.localcontext(host):
        read = perfscore.evaluate(form).to_dict()  # type: ignore[arg-type]
    assert read == expected


# --- threads, caches and the host context (the core) -------------------------------------------

NOTARY = EXAMPLES / "luohu-2024-notary-lawyers.yaml"


def _forms(count: int, seed: int) -> list[dict[str, Any]]:
    """Forms whose rows repeat nothing: distinct names, random ≥/≤ counts, random actuals."""
    rng = random.Random(seed)
    forms = []
    for n in range(count):
        indicators = []
        for i in range(8):
            op = rng.choice("≥≤")
            target = rng.randint(1, 500)
            indicators.append(
                {
                    "level1": "产出指标",
                    "level2": "数量指标",
                    "name": f"指标{n}-{i}",
                    "target": f"{op}{target}人",
                    "actual": f"{rng.randint(0, 600)}人",
                    "weight": rng.choice([2, 5, 10]),
                }
            )
        forms.append({"project": f"p{n}", "indicators": indicators})
    return forms


_SINGLE = """
import json, sys
import perfscore
from tests.test_hostile import _forms
forms = _forms(int(sys.argv[1]), int(sys.argv[2]))
print(json.dumps([str(perfscore.evaluate(f).total) for f in forms]))
"""


def test_threads_score_as_one_fresh_process() -> None:
    """8 threads with a tiny switch interval give every form the total a fresh single-threaded
    process gives it (a shared formula evaluator once mixed up their inputs)."""
    count, seed = 300, 7
    root = Path(__file__).resolve().parents[1]
    expected = json.loads(
        subprocess.run(
            [sys.executable, "-c", _SINGLE, str(count), str(seed)],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
        ).stdout
    )
    forms = _forms(count, seed)
    rules = load_rules()
    got: list[str | None] = [None] * count
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:

        def work(start: int) -> None:
            for i in range(start, count, 8):
                got[i] = str(perfscore.evaluate(forms[i], rules).total)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert got == expected


def test_memo_stays_bounded_over_distinct_names() -> None:
    """Rows with names never seen before do not grow the rule set's memo without limit."""
    from perfscore import memo

    rules = load_rules(Path(__file__).resolve().parents[1] / "rules" / "national-2020.yaml")
    limit = memo.DEFAULT_LIMIT
    for form in _forms(3 * limit // 8 + 50, 1):
        perfscore.evaluate(form, rules)
    # Each table holds at most its limit; a handful of tables exist.
    assert rules.memo.size() <= 8 * limit


def test_host_decimal_context_does_not_change_scores() -> None:
    """A host program's low precision and traps are its own business."""
    import decimal

    expected = perfscore.evaluate(NOTARY).total
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        assert perfscore.evaluate(NOTARY).total == expected == Decimal("93.69")


# --- rule files: names, paths, extends --------------------------------------------------------


@pytest.fixture
def elsewhere(tmp_path: Path) -> Iterator[Path]:
    """The working directory moved to an empty temporary folder."""
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


def test_working_directory_cannot_replace_a_shipped_rule_set(elsewhere: Path) -> None:
    """A file called national-2020 (or national-2020.yaml) here changes nothing."""
    hostile = "name: national-2020\ntitle: t\nexecution: {score: 'weight * 0'}\n"
    (elsewhere / "national-2020").write_text(hostile, "utf-8")
    (elsewhere / "national-2020.yaml").write_text(hostile, "utf-8")
    assert perfscore.evaluate(NOTARY).total == Decimal("93.69")
    assert perfscore.evaluate(NOTARY, "national-2020").total == Decimal("93.69")
    assert load_rules("national-2020").source_file != str(elsewhere / "national-2020.yaml")


def test_explicit_relative_path_reads_the_working_directory(elsewhere: Path) -> None:
    (elsewhere / "mine.yaml").write_text(
        "name: mine\ntitle: t\nextends: national-2020\ntolerance: 0.5\n", "utf-8"
    )
    assert load_rules("./mine.yaml").tolerance == Decimal("0.5")
    assert load_rules("mine.yaml").tolerance == Decimal("0.5")
    with pytest.raises(RuleSetError, match="no shipped rule set named 'mine'"):
        load_rules("mine")


@pytest.mark.parametrize(
    ("parent", "message"),
    [
        ("/etc/passwd", "outside the rule file's folder"),
        ("../outside.yaml", "outside the rule file's folder"),
        ("/dev/zero", "outside the rule file's folder"),
        ("passwd", "no shipped rule set named 'passwd'"),
    ],
)
def test_extends_only_shipped_names_or_files_beside(
    tmp_path: Path, parent: str, message: str
) -> None:
    (tmp_path / "outside.yaml").write_text("name: o\ntitle: t\n", "utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    rule = inner / "r.yaml"
    rule.write_text(f"name: r\ntitle: t\nextends: {parent}\n", "utf-8")
    with pytest.raises(RuleSetError) as info:
        load_rules(rule)
    text = str(info.value)
    assert message in text
    assert "root:" not in text  # nothing of the named file is echoed
    assert info.value.line == 3


def test_extends_a_file_beside(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        "name: base\ntitle: t\nextends: national-2020\ntolerance: 0.3\n", "utf-8"
    )
    rule = tmp_path / "r.yaml"
    rule.write_text("name: r\ntitle: t\nextends: base.yaml\n", "utf-8")
    assert load_rules(rule).tolerance == Decimal("0.3")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this platform")
def test_only_regular_files_are_read_as_rules() -> None:
    with pytest.raises(RuleSetError, match="not a regular file"):
        load_rules(Path("/dev/zero"))


def test_oversized_rule_file_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("name: big\ntitle: t\n" + "# padding\n" * 40_000, "utf-8")
    with pytest.raises(RuleSetError, match="more than the 262,144 accepted"):
        load_rules(big)


# --- rule formulas: failures while scoring, settings that cannot work -------------------------


def _rule(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "r.yaml"
    path.write_text("name: r\ntitle: t\nextends: national-2020\n" + body, "utf-8")
    return path


def test_formula_failing_while_scoring_is_a_flag_on_the_row(tmp_path: Path) -> None:
    """`target / actual` for a ≥ target completed 0: the row is flagged with the rule file's
    line, not scored, and the rest of the form is."""
    rules = _rule(tmp_path, "quantitative:\n  higher: target / actual\n")
    result = perfscore.evaluate(
        {
            "indicators": [
                {"name": "培训人数", "target": "≥10人", "actual": "0人", "weight": 50},
                {"name": "覆盖率", "target": "≥90%", "actual": "95%", "weight": 50},
            ]
        },
        rules,
    )
    (failed,) = [f for f in result.flags if f.code == "formula-failed"]
    assert failed.path == "indicators[0]"
    assert failed.severity == "error"
    assert "target / actual" in failed.message
    assert f"{rules}:5 quantitative.higher" in failed.message
    assert result.indicators[0].status == "not_judged"
    assert result.indicators[1].score == Decimal("50.00")


def test_failing_indicator_rule_flags_the_row(tmp_path: Path) -> None:
    rules = _rule(
        tmp_path,
        "indicator_rules:\n"
        "  - name: per-head\n"
        "    match: 人均\n"
        "    unit: 小时\n"
        "    score: weight * target / (actual - 3)\n",
    )
    result = perfscore.evaluate(
        {
            "budget": {"adjusted": 100, "executed": 100},
            "indicators": [
                {"name": "人均时长", "target": "≥3小时", "actual": "3小时", "weight": 90}
            ],
        },
        rules,
    )
    assert [f.code for f in result.flags if f.severity == "error"] == ["formula-failed"]
    assert result.indicators[0].score is None


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("rounding:\n  places: 30\n", "30 is out of range", 5),
        ("rounding:\n  places: -1\n", "-1 is out of range", 5),
        ("execution:\n  score: weight / (rate - 1)\n", "fails at", 5),
        ("qualitative:\n  score: weight / (completion - completion)\n", "fails at", 5),
    ],
)
def test_settings_that_cannot_work_are_refused(
    tmp_path: Path, body: str, message: str, line: int
) -> None:
    with pytest.raises(RuleSetError) as info:
        load_rules(_rule(tmp_path, body))
    assert message in str(info.value)
    assert info.value.line == line


def test_rules_check_reports_unworkable_settings(tmp_path: Path) -> None:
    path = _rule(tmp_path, "rounding:\n  places: 30\n")
    done = subprocess.run(
        [sys.executable, "-m", "perfscore", "rules", "check", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert f"{path}:5" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_formulas_agree_with_simpleeval() -> None:
    """The compiled evaluator computes what simpleeval computes for the same expression."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from simpleeval import SimpleEval

    from perfscore.ruleset.expressions import FUNCTIONS, Formula

    texts = [
        "weight * min(achievement, 1)",
        "actual / target",
        "min(actual, target) / max(actual, target)",
        "weight if rate >= 1 else weight * rate",
        "max(0, 1 - abs(actual - target) / target) * weight",
        "floor(actual * 10) / 10 + ceil(target)",
        "weight * (0.5 if actual > target and target > 0 else 1)",
    ]
    names = frozenset({"weight", "achievement", "actual", "target", "rate"})
    compiled = [Formula.compile(t, names, "test") for t in texts]
    decimals = st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2)

    @settings(max_examples=200)
    @given(st.fixed_dictionaries({n: decimals for n in sorted(names)}))
    def agree(values: dict[str, Decimal]) -> None:
        reference = SimpleEval(functions=dict(FUNCTIONS), names=values)
        for text, formula in zip(texts, compiled, strict=True):
            ours = formula(**{n: values[n] for n in formula.names})
            # The same tree for simpleeval, with its literals as exact Decimals too.
            tree = ast.parse(text, mode="eval")
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant):
                    node.value = Decimal(str(node.value))  # type: ignore[assignment]
            theirs = reference.eval(text, previously_parsed=tree.body)
            assert ours == Decimal(theirs), text

    agree()


def test_reports_ignore_the_host_decimal_context() -> None:
    """Every output of a result, and the roll-up, print the same under a host context with
    three digits and every signal trapped."""
    import decimal

    from perfscore.report import formats as report
    from perfscore.rollup import aggregate

    forms = [NOTARY, EXAMPLES / "luohu-2024-social-workers.yaml"]

    def outputs() -> list[str]:
        results = [perfscore.evaluate(f) for f in forms]
        rollup = aggregate(results)
        texts = [report.to_json(results), json.dumps(rollup.to_dict(), ensure_ascii=False)]
        for r in results:
            texts += [report.to_table(r), report.to_markdown(r), report.to_table(r, "en")]
            texts.append(json.dumps(r.to_dict(), ensure_ascii=False))
        return texts

    expected = outputs()
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        for signal in (decimal.Rounded, decimal.Inexact, decimal.InvalidOperation):
            ctx.traps[signal] = True
        assert outputs() == expected
