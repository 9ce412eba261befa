"""`perfscore rules check`: files named as given, the documented line format, GitHub
annotations relative to the checkout, and the shipped sets by default."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from perfscore.cli import run
from perfscore.ruleset.check import Finding
from perfscore.ruleset.rules import list_rules
from tests.conftest import ROOT

#: The three files behind the three lines of docs/rules.md's Errors section.
DOCUMENTED = {
    "roundng": "name: r\ntitle: t\nroundng: {places: 2}\n",
    "execution.score": "name: r\ntitle: t\nexecution:\n  score: weight * ratee\n",
    "qualitative.bands": (
        "name: r\ntitle: t\nqualitative:\n  bands:\n"
        "    - {name: a, low: 0.8, high: 1, include_high: true, status: met}\n"
        "    - {name: b, low: 0, high: 0.7, status: missed}\n"
    ),
}
#: Loads, but its execution score gives double marks: a property finding, not a load error.
DOUBLE = "name: d\ntitle: t\nexecution:\n  score: weight * rate * 2\n"


def _check(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["rules", "check", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def _documented_lines() -> list[str]:
    text = (ROOT / "docs" / "rules.md").read_text("utf-8")
    block = text.split("## Errors", 1)[1].split("```", 2)[1]
    return [line for line in block.splitlines() if line.strip()]


def test_output_is_the_documented_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each line of the docs' example is what `rules check r.yaml` prints for such a file."""
    monkeypatch.chdir(tmp_path)
    lines = _documented_lines()
    assert len(lines) == len(DOCUMENTED)
    for line, (key, content) in zip(lines, DOCUMENTED.items(), strict=True):
        Path("r.yaml").write_text(content, "utf-8")
        code, out, err = _check("r.yaml")
        assert code == 1
        assert out.splitlines() == [line], key
        assert err == "1 rule file checked, 1 finding\n"


def test_load_errors_and_property_findings_name_files_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative path stays relative and an absolute one absolute, whichever kind of finding."""
    monkeypatch.chdir(tmp_path)
    Path("bad.yaml").write_text(DOCUMENTED["roundng"], "utf-8")
    Path("double.yaml").write_text(DOUBLE, "utf-8")
    _, out, _ = _check("bad.yaml", "double.yaml")
    assert {line.split(":", 1)[0] for line in out.splitlines()} == {"bad.yaml", "double.yaml"}
    _, out, _ = _check(str(tmp_path / "bad.yaml"), str(tmp_path / "double.yaml"))
    assert {line.split(":", 1)[0] for line in out.splitlines()} == {
        str(tmp_path / "bad.yaml"),
        str(tmp_path / "double.yaml"),
    }


def test_error_in_an_extended_file_is_named_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file reached through extends: is named relative to the working directory."""
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "base.yaml").write_text(DOCUMENTED["execution.score"], "utf-8")
    (tmp_path / "sets" / "child.yaml").write_text(
        "name: c\ntitle: t\nextends: base.yaml\n", "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    _, out, _ = _check("sets/child.yaml")
    assert out.startswith("sets/base.yaml:4:3: execution.score: ")
    assert str(tmp_path) not in out


def test_github_annotations_are_relative_to_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--format github names files relative to $GITHUB_WORKSPACE, however they were given."""
    repo = tmp_path / "repo"
    (repo / "rules").mkdir(parents=True)
    (repo / "rules" / "bad.yaml").write_text(DOCUMENTED["roundng"], "utf-8")
    (repo / "rules" / "double.yaml").write_text(DOUBLE, "utf-8")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    for cwd, given in ((tmp_path, "repo/rules"), (repo, "rules"), (repo / "rules", ".")):
        monkeypatch.chdir(cwd)
        _, out, _ = _check("--format", "github", given)
        files = re.findall(r"^::error file=([^,:]+)", out, re.M)
        assert sorted(set(files)) == ["rules/bad.yaml", "rules/double.yaml"], cwd
        assert "::error file=rules/bad.yaml,line=3,col=1::roundng: unknown key" in out
    monkeypatch.delenv("GITHUB_WORKSPACE")
    monkeypatch.chdir(repo)
    _, out, _ = _check("--format", "github", str(repo / "rules"))
    assert "::error file=rules/bad.yaml,line=3," in out


def test_github_annotation_escapes_its_text() -> None:
    """Workflow commands escape %, CR and LF in the message and : , in properties."""
    line = Finding("a,b:c.yaml", "100% of\nit", "x", 1, 2).github(root="/nowhere")
    assert line == "::error file=a%2Cb%3Ac.yaml,line=1,col=2::x: 100%25 of%0Ait"


def test_no_path_checks_the_shipped_sets_like_rules_test() -> None:
    """`rules check` alone checks every shipped set, as `rules test` alone tests them."""
    code, out, err = _check()
    assert code == 0, out
    assert err == f"{len(list_rules())} rule files checked, 0 findings\n"
    code, _, err = _check("national-2020", "hubei")
    assert (code, err) == (0, "2 rule files checked, 0 findings\n")
