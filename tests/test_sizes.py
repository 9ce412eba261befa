"""``.ci/sizes.py``, the size check: it names every module over 500 lines and every function
over 60, and passes a tree with neither."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SCRIPT = ROOT / ".ci" / "sizes.py"


def _sizes(*roots: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, roots)],
        capture_output=True,
        text=True,
        check=False,
    )


def _function(name: str, lines: int, indent: str = "") -> str:
    """A function whose ``def`` line to its last line is ``lines`` long."""
    body = "".join(f"{indent}    x = {i}\n" for i in range(lines - 1))
    return f"{indent}def {name}() -> None:\n{body}"


def test_long_function_and_module_are_each_named(tmp_path: Path) -> None:
    """A 61-line method and a 501-line module fail the check, each listed with where it is."""
    (tmp_path / "pkg").mkdir()
    method = _function("run", 61, indent="    ")
    (tmp_path / "pkg" / "long.py").write_text(f"class Job:\n{method}", "utf-8")
    (tmp_path / "big.py").write_text("x = 1\n" * 501, "utf-8")
    result = _sizes(tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'big.py'}: module is 501 lines (at most 500)",
        f"{tmp_path / 'pkg' / 'long.py'}:2: Job.run is 61 lines (at most 60)",
    ]


def test_sizes_at_the_limits_pass(tmp_path: Path) -> None:
    """A 60-line function in a 500-line module is within the limits."""
    module = _function("fits", 60) + "y = 1\n" * 440
    (tmp_path / "ok.py").write_text(module, "utf-8")
    result = _sizes(tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("sizes: 1 files")


def test_nested_function_is_named_inside_its_parent(tmp_path: Path) -> None:
    """A long function defined inside another is listed as ``outer.inner`` (and so is the
    outer one, which holds it)."""
    inner = _function("inner", 61, indent="    ")
    (tmp_path / "nested.py").write_text(f"def outer() -> None:\n{inner}", "utf-8")
    lines = _sizes(tmp_path).stdout.splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "outer is 62 lines (at most 60)",
        "outer.inner is 61 lines (at most 60)",
    ]
