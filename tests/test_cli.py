"""The command line, driven through run(argv, stdout, stderr)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from perfscore.cli import run
from tests.conftest import DATA, EXAMPLES


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_score_table() -> None:
    """The table shows the recomputed and printed totals; a clean form exits 0."""
    code, out, err = _run("score", str(EXAMPLES / "luohu-2024-notary-lawyers.yaml"))
    assert code == 0, err
    assert "总分 93.69" in out
    assert "预算执行率 96.86%" in out
    assert err == ""


def test_score_json_directory() -> None:
    """A directory is read recursively; JSON output parses and keeps Decimals as strings."""
    code, out, _ = _run("score", "--format", "json", str(EXAMPLES))
    assert code == 0
    data = json.loads(out)
    assert sorted(d["total"] for d in data) == ["93.69", "99.90"]


def test_fail_on_warning() -> None:
    """--fail-on warning turns warnings into exit 1; seed 003 carries notes only."""
    path = str(DATA / "forms" / "pingshan-2020-training.yaml")  # 64.38% unexplained
    assert _run("score", "--fail-on", "warning", path)[0] == 1
    assert _run("score", "--fail-on", "never", path)[0] == 0
    clean = str(EXAMPLES / "luohu-2024-notary-lawyers.yaml")
    assert _run("score", "--fail-on", "warning", clean)[0] == 0


def test_english_messages() -> None:
    """--lang en prints English flag messages."""
    _, out, _ = _run("score", "--lang", "en", str(DATA / "forms" / "pingshan-2020-training.yaml"))
    assert "cannot read '80&'" in out


def test_missing_path_is_one_line() -> None:
    """A missing file is one line on stderr and exit 3."""
    code, out, err = _run("score", "nope.yaml")
    assert code == 3
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "nope.yaml" in err


def test_bad_file_is_reported_and_skipped(tmp_path: Path) -> None:
    """A broken form is reported; the others are still scored; exit 4."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: x\nfoo: 1\n", "utf-8")
    code, out, err = _run("score", str(bad), str(EXAMPLES / "luohu-2024-social-workers.yaml"))
    assert code == 4
    assert "unknown key 'foo'" in err
    assert "Traceback" not in err
    assert "总分 99.9" in out


def test_usage_error() -> None:
    """An unknown command is a usage error, exit 2."""
    code, _, err = _run("scor")
    assert code == 2
    assert "invalid choice" in err


def test_rules_list() -> None:
    """rules list names the shipped rule sets."""
    code, out, _ = _run("rules", "list")
    assert code == 0
    assert "national-2020" in out


def test_rules_check_shipped() -> None:
    """The shipped rule sets load and compile."""
    from tests.conftest import ROOT

    code, out, err = _run("rules", "check", str(ROOT / "rules"))
    assert code == 0, out
    assert "0 findings" in err


def test_rules_check_reports_bad_file(tmp_path: Path) -> None:
    """A broken rule file is one finding naming its line; exit 1."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntitle: t\nroundng: {places: 2}\n", "utf-8")
    code, out, _ = _run("rules", "check", str(bad))
    assert code == 1
    assert f"{bad}:3" in out
    assert "did you mean 'rounding'" in out


def test_rules_check_notes_go_to_the_stderr_it_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file of a folder passed over by ``rules check`` (a link leading out) is noted on the
    stderr ``run`` was given, not on the process's own."""
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "ok.yaml").write_text("name: ok\ntitle: t\n", "utf-8")
    (tmp_path / "outside.yaml").write_text("name: o\ntitle: t\n", "utf-8")
    (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    code, _, err = _run("rules", "check", str(folder))
    assert code == 0
    assert "link.yaml" in err
    assert "1 rule file checked" in err
    assert capsys.readouterr().err == ""
