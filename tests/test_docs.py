"""The documentation stays in step with the code."""

from __future__ import annotations

import re

from perfscore.words.flags import CATALOGUE
from tests.conftest import ROOT


def test_flag_catalogue_page_lists_every_code() -> None:
    """docs/flags.md lists exactly the engine's flag codes, with their default severities."""
    text = (ROOT / "docs" / "flags.md").read_text("utf-8")
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|info) \|", text, re.M))
    assert set(rows) == set(CATALOGUE)
    assert {code: str(spec.severity) for code, spec in CATALOGUE.items()} == rows


def test_readme_commands() -> None:
    """The README keeps the two fresh-machine commands; .ci/run runs the test command."""
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "perfscore score examples/" in readme
    assert "python -m pytest" in readme
    assert "python -m pytest" in (ROOT / ".ci" / "run").read_text("utf-8")
