"""docs/img/report.png shows the HTML report perfscore writes today: the picture records the
digest of the page it was rendered from (scripts/report_screenshot.py), checked here without a
browser."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.conftest import ROOT


def _script() -> ModuleType:
    path = ROOT / "scripts" / "report_screenshot.py"
    spec = importlib.util.spec_from_file_location("report_screenshot", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_picture_shows_the_current_report() -> None:
    """The README's picture was rendered from the page `score --format html` writes now
    (after a change to the report: python scripts/report_screenshot.py)."""
    script = _script()
    assert script.main(["--check"]) == 0


def test_the_stamp_survives_and_replaces() -> None:
    """The digest is a PNG text chunk before IEND; stamping again replaces it."""
    script = _script()
    png = script.PICTURE.read_bytes()
    again = script.stamp(script.stamp(png, "a" * 64), "b" * 64)
    assert script.stamped(again) == "b" * 64
    kinds = [kind for kind, _ in script._chunks(again)]
    assert kinds[-1] == b"IEND"
