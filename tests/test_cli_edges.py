"""The command line's edges: one exit code per cause in every subcommand, documented once;
help text on every option; `convert --help` naming every format; `--annotate` refusing a name
it cannot honour."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from perfscore.cli import _parser, run
from perfscore.cli.exits import EXIT_CODES, ExitCode
from perfscore.readers import DATA_SUFFIXES, SUFFIXES, WORKBOOK_SUFFIXES
from tests.conftest import EXAMPLES, ROOT

NOTARY = EXAMPLES / "luohu-2024-notary-lawyers.yaml"
_BROKEN = "project: x\nindicators: [\n"
_BAD_RULES = "name: r\ntitle: t\ntolerance: -1\n"
# A printed score of 10 for half the target: a score mismatch (an error).
_FLAGGED = (
    "project: x\nbudget: {adjusted: 100, executed: 100}\n"
    "indicators:\n  - {name: 培训次数, target: ≥10次, actual: 5次, weight: 10, score: 10}\n"
)


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# Each cause, met by each subcommand that can meet it: (argv with {broken}, {rules}, {tmp}).
_CAUSES: list[tuple[ExitCode, list[str]]] = [
    (ExitCode.USAGE, ["score"]),
    (ExitCode.USAGE, ["score", str(NOTARY), "--jobs", "x"]),
    (ExitCode.USAGE, ["score", str(NOTARY), "--jobs", "0"]),
    (ExitCode.USAGE, ["explain", str(NOTARY), "--form", "9"]),
    (ExitCode.USAGE, ["convert", str(NOTARY), "{tmp}/out.docx"]),
    (ExitCode.MISSING, ["score", "{tmp}/nonexist.yaml"]),
    (ExitCode.MISSING, ["explain", "{tmp}/nonexist.yaml"]),
    (ExitCode.MISSING, ["aggregate", "{tmp}/nonexist.yaml"]),
    (ExitCode.MISSING, ["convert", "{tmp}/nonexist.yaml", "{tmp}/out.json"]),
    (ExitCode.MISSING, ["rules", "check", "{tmp}/nonexist.yaml"]),
    (ExitCode.MISSING, ["rules", "test", "{tmp}/nonexist.yaml"]),
    (ExitCode.MISSING, ["score", str(NOTARY), "--rules", "{tmp}/nonexist.yaml"]),
    (ExitCode.MISSING, ["aggregate", str(NOTARY), "--rules", "{tmp}/nonexist.yaml"]),
    (ExitCode.BAD_INPUT, ["score", "{broken}"]),
    (ExitCode.BAD_INPUT, ["score", "{broken}", "--format", "html"]),
    (ExitCode.BAD_INPUT, ["score", "{broken}", str(NOTARY)]),
    (ExitCode.BAD_INPUT, ["explain", "{broken}"]),
    (ExitCode.BAD_INPUT, ["aggregate", "{broken}"]),
    (ExitCode.BAD_INPUT, ["aggregate", "{broken}", str(NOTARY)]),
    (ExitCode.BAD_INPUT, ["convert", "{broken}", "{tmp}/out.json"]),
    (ExitCode.BAD_RULES, ["score", str(NOTARY), "--rules", "{rules}"]),
    (ExitCode.BAD_RULES, ["explain", str(NOTARY), "--rules", "{rules}"]),
    (ExitCode.BAD_RULES, ["aggregate", str(NOTARY), "--rules", "{rules}"]),
    (ExitCode.BAD_RULES, ["score", str(NOTARY), "--rules", "no-such-set"]),
    (ExitCode.BAD_RULES, ["rules", "test", "no-such-set"]),
    (ExitCode.BAD_RULES, ["score", str(NOTARY), "--waivers", "{rules}"]),
    (ExitCode.BAD_RULES, ["explain", str(NOTARY), "--waivers", "{rules}"]),
    (ExitCode.MISSING, ["score", str(NOTARY), "--waivers", "{tmp}/nonexist.yaml"]),
    (ExitCode.FLAGGED, ["rules", "check", "{rules}"]),
    (ExitCode.FLAGGED, ["score", "{flagged}"]),
    (ExitCode.FLAGGED, ["score", "{flagged}", "--format", "html"]),
    (ExitCode.BAD_INPUT, ["score", "{flagged}", "{broken}"]),
    (ExitCode.OK, ["score", "{flagged}", "--fail-on", "never"]),
    (ExitCode.OUTPUT, ["score", str(NOTARY), "-o", "{tmp}/no/such/folder.txt"]),
    (ExitCode.OUTPUT, ["score", str(NOTARY), "-o", str(NOTARY)]),
    (ExitCode.OUTPUT, ["convert", "{broken}", "{broken}"]),
    (ExitCode.OK, ["score", str(NOTARY), "--fail-on", "never"]),
]


@pytest.mark.parametrize(
    ("code", "argv"),
    _CAUSES,
    ids=[f"{code.name}-{' '.join(Path(a).name for a in argv)}" for code, argv in _CAUSES],
)
def test_one_exit_code_per_cause(tmp_path: Path, code: ExitCode, argv: list[str]) -> None:
    """Each cause ends with its code whichever subcommand met it, with one line on stderr."""
    broken, rules = tmp_path / "broken.yaml", tmp_path / "rules.yaml"
    broken.write_text(_BROKEN, "utf-8")
    rules.write_text(_BAD_RULES, "utf-8")
    (tmp_path / "flagged.yaml").write_text(_FLAGGED, "utf-8")
    names = {"broken": str(broken), "rules": str(rules), "tmp": str(tmp_path)}
    names["flagged"] = str(tmp_path / "flagged.yaml")
    got, _, err = _run(*[part.format(**names) for part in argv])
    assert got == code, err
    assert "Traceback" not in err
    if code not in (ExitCode.OK, ExitCode.FLAGGED):
        assert err.strip(), "a failure says why"


def test_the_readme_and_help_show_the_one_table(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's exit-code table and `perfscore --help`'s epilog are EXIT_CODES."""
    readme = (ROOT / "README.md").read_text("utf-8")
    assert _run("--help")[0] == 0
    out = capsys.readouterr().out
    for code, cause in EXIT_CODES.items():
        assert f"| {int(code)} | {cause} |" in readme
        assert f"{int(code):>3}  {cause}" in out


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found += _parsers(sub)
    return found


def test_every_subcommands_help_ends_with_the_exit_codes() -> None:
    """`perfscore score --help`, `perfscore rules check --help`, …: each ends with the table
    (regression: only `perfscore --help` showed it)."""
    for parser in _parsers(_parser()):
        text = parser.format_help()
        assert all(f"{int(code):>3}  {cause}" in text for code, cause in EXIT_CODES.items()), (
            parser.prog
        )


def test_every_option_has_help_text() -> None:
    """Walking every parser of every subcommand: each option and argument says what it is."""
    missing = [
        f"{parser.prog}: {action.option_strings or action.dest}"
        for parser in _parsers(_parser())
        for action in parser._actions
        # The subcommands are listed each with its own help, walked as parsers here.
        if not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
        and (not action.help or action.help == argparse.SUPPRESS)
    ]
    assert missing == []


def test_convert_help_lists_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    """`convert --help` names every suffix read and every suffix written."""
    assert _run("convert", "--help")[0] == 0
    out = capsys.readouterr().out
    words = set(out.replace("(", " ").replace(")", " ").split())
    assert words >= SUFFIXES
    assert words >= WORKBOOK_SUFFIXES | DATA_SUFFIXES


@pytest.mark.parametrize("name", ["a.ods", "a.xls", "a.csv"])
def test_annotate_refuses_a_name_it_cannot_write(tmp_path: Path, name: str) -> None:
    """`--annotate x.ods` would hold .xlsx bytes under an .ods name: refused with the reason,
    naming .xlsx, and nothing written."""
    book = tmp_path / "form.xlsx"
    assert _run("convert", str(NOTARY), str(book))[0] == 0
    code, _, err = _run("score", str(book), "--annotate", str(tmp_path / name))
    assert code == ExitCode.USAGE
    assert ".xlsx" in err
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("command", ["score", "aggregate"])
@pytest.mark.parametrize("fmt", ["table", "json", "docx"])
@pytest.mark.parametrize(
    "inside", [{}, {"package.json": '{"name": "x"}', ".ci.yml": "on: push\n", "logo.png": "x"}]
)
def test_a_run_that_finds_no_form_says_so(
    tmp_path: Path, command: str, fmt: str, inside: dict[str, str]
) -> None:
    """A folder that is empty, or holds no form, ends with "no form found" and the code of a
    missing input, writing no report (regression: it exited 0 in silence, and ``--format
    docx`` wrote an empty review)."""
    folder, report = tmp_path / "forms", tmp_path / "out" / f"report.{fmt}"
    folder.mkdir()
    report.parent.mkdir()
    for name, text in inside.items():
        (folder / name).write_text(text, "utf-8")
    shown = "table" if command == "aggregate" and fmt == "docx" else fmt
    code, out, err = _run(command, str(folder), "--format", shown, "-o", str(report))
    assert code == ExitCode.MISSING
    assert err.splitlines()[-1] == f"perfscore: no form found in {folder}"
    assert (out, list(report.parent.iterdir())) == ("", [])
