"""Outputs are safe: never onto a file read in the run, a FIFO or device written through, ``-``
is stdout, text that UTF-8 cannot encode is escaped, Ctrl-C is one line and exit 130."""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from perfscore import cli
from tests.conftest import EXAMPLES

NOTARY = EXAMPLES / "luohu-2024-notary-lawyers.yaml"


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def rules(tmp_path: Path) -> tuple[Path, Path]:
    """A rule file and the file it extends, side by side."""
    base = tmp_path / "base.yaml"
    base.write_text("name: base\ntitle: t\nextends: national-2020\n", "utf-8")
    mine = tmp_path / "mine.yaml"
    mine.write_text("name: mine\ntitle: t\nextends: base.yaml\ntolerance: 0.02\n", "utf-8")
    return mine, base


@pytest.mark.parametrize("command", ["score", "explain", "aggregate"])
@pytest.mark.parametrize("which", [0, 1])
def test_a_report_never_replaces_a_rule_file(
    rules: tuple[Path, Path], command: str, which: int
) -> None:
    """``--rules mine.yaml -o mine.yaml`` (or onto the file it extends) is refused."""
    target = rules[which]
    before = target.read_bytes()
    code, out, err = _cli(command, str(NOTARY), "--rules", str(rules[0]), "-o", str(target))
    assert code == 6
    assert "overwrite the input" in err
    assert out == ""
    assert target.read_bytes() == before


def test_an_annotated_copy_never_replaces_a_rule_file(
    rules: tuple[Path, Path], tmp_path: Path
) -> None:
    """``--annotate`` onto the rule file it scores with is refused."""
    book = tmp_path / "form.xlsx"
    assert _cli("convert", str(NOTARY), str(book))[0] == 0
    before = rules[1].read_bytes()
    code, _, err = _cli("score", str(book), "--rules", str(rules[0]), "--annotate", str(rules[1]))
    assert code == 6
    assert "overwrite the input" in err
    assert rules[1].read_bytes() == before


def test_dash_is_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-o -`` writes the report to stdout, not to a file named ``-``."""
    monkeypatch.chdir(tmp_path)
    code, out, _ = _cli("score", str(NOTARY), "--format", "json", "-o", "-")
    assert code in (0, 1)
    assert json.loads(out)
    assert not (tmp_path / "-").exists()


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_is_written_through() -> None:
    """``-o /dev/null`` writes into the device; it stays a device."""
    code, _, _ = _cli("score", str(NOTARY), "-o", "/dev/null")
    assert code in (0, 1)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not any(p.name.startswith(".null.") for p in Path("/dev").iterdir())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    """``-o fifo`` writes into the FIFO, which a reader receives; it stays a FIFO."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _, _ = _cli("score", str(NOTARY), "--format", "json", "-o", str(fifo))
    reader.join(30)
    assert code in (0, 1)
    assert json.loads(received[0])
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def _surrogate_form(tmp_path: Path) -> Path:
    data = json.loads(json.dumps(__import__("yaml").safe_load(NOTARY.read_text("utf-8"))))
    data["project"] = "x\ud800"
    path = tmp_path / "form.json"
    path.write_text(json.dumps(data), "utf-8")  # written as the escape \ud800
    return path


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "markdown", "html"])
def test_a_lone_surrogate_is_escaped_in_every_output(tmp_path: Path, fmt: str) -> None:
    """A form holding ``"x\\ud800"`` is reported in every format, the character escaped."""
    form = _surrogate_form(tmp_path)
    target = tmp_path / f"report.{fmt}"
    code, _, err = _cli("score", str(form), "--format", fmt, "-o", str(target))
    assert code in (0, 1), err
    assert "\\ud800" in target.read_text("utf-8")


def test_an_undecodable_file_name_is_escaped(tmp_path: Path) -> None:
    """A form whose name is not UTF-8, in a scored folder: reported, its name escaped."""
    folder = tmp_path / "forms"
    folder.mkdir()
    name = os.fsdecode(b"\xff\xfe.yaml")
    (folder / name).write_bytes(NOTARY.read_bytes())
    target = tmp_path / "report.csv"
    code, _, err = _cli("score", str(folder), "--format", "csv", "-o", str(target))
    assert code in (0, 1), err
    assert "\\udcff" in target.read_text("utf-8")


def test_a_strict_ascii_stdout_gets_escapes_not_a_traceback(tmp_path: Path) -> None:
    """``perfscore score`` onto a stdout that encodes ASCII only: exit normally, escapes."""
    form = _surrogate_form(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "perfscore", "score", str(form), "--format", "json"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii:strict"},
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert b"Traceback" not in done.stderr
    assert b"\\ud800" in done.stdout


def test_ctrl_c_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An interrupt ends the command with ``perfscore: interrupted`` and 130."""

    def interrupted(argv: object, stdout: object, stderr: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run", interrupted)
    monkeypatch.setattr(sys, "argv", ["perfscore", "score", str(NOTARY)])
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 130
    assert capsys.readouterr().err == "perfscore: interrupted\n"


def _with_doctype(book: Path, out: Path) -> Path:
    """``book`` with a DOCTYPE in its first sheet: read by the workbook reader, refused by the
    library that writes annotated copies."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                doctype = b'<!DOCTYPE worksheet [<!ENTITY x "x">]>'
                head, mark, rest = data.partition(b"?>")
                data = head + mark + doctype + rest if mark else doctype + data
            dst.writestr(item, data)
    return out


def test_annotate_of_a_workbook_the_writer_rejects_is_one_line(tmp_path: Path) -> None:
    """A workbook scored but not openable for annotation: an error line, no traceback."""
    book = tmp_path / "form.xlsx"
    assert _cli("convert", str(NOTARY), str(book))[0] == 0
    odd = _with_doctype(book, tmp_path / "odd.xlsx")
    code, _, err = _cli("score", str(odd), "--annotate", str(tmp_path / "a.xlsx"))
    assert code == 4
    assert "not annotated" in err or "cannot" in err
    assert not (tmp_path / "a.xlsx").exists()


def test_annotate_never_writes_a_column_past_xfd(tmp_path: Path) -> None:
    """A sheet that already uses its last column (XFD): refused with one line naming the sheet
    (the reader's bounds meet it before the annotation does), never a column past the sheet's
    end, a traceback or a half-written copy."""
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "form.xlsx"
    assert _cli("convert", str(NOTARY), str(book))[0] == 0
    workbook = openpyxl.load_workbook(book)
    workbook.active.cell(1, 16_384).value = "XFD"
    full = tmp_path / "full.xlsx"
    workbook.save(full)
    code, _, err = _cli("score", str(full), "--annotate", str(tmp_path / "a.xlsx"))
    assert code == 4
    assert "公证律师管理经费" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "a.xlsx").exists()


def test_sigterm_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A SIGTERM (a service stopping the command) ends it as Ctrl-C does: one line, 130."""

    def terminated(argv: object, stdout: object, stderr: object) -> int:
        os.kill(os.getpid(), signal.SIGTERM)
        return 0  # pragma: no cover - the signal's handler raises before this

    previous = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(cli, "run", terminated)
    monkeypatch.setattr(sys, "argv", ["perfscore", "score", str(NOTARY)])
    try:
        with pytest.raises(SystemExit) as info:
            cli.main()
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert info.value.code == 130
    assert capsys.readouterr().err == "perfscore: interrupted\n"
