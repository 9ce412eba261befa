"""Regenerate docs/img/web.png: the page of ``perfscore serve`` after a batch of the bundled forms.

    python scripts/web_screenshot.py               # writes docs/img/web.png
    python scripts/web_screenshot.py OUT.png       # writes OUT.png

Needs the web extra, selenium, Chromium and chromedriver (as the browser tests do); the server
runs on a free local port for the time of the shot and keeps nothing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_web_browser import LocalServer, batch_files, chrome, upload  # noqa: E402


def screenshot(target: Path) -> None:
    """Score the bundled forms (and a broken file) on the page and save it as a PNG."""
    with tempfile.TemporaryDirectory(prefix="perfscore-shot-") as folder:
        files = batch_files(Path(folder))
        with LocalServer() as server:
            driver = chrome(Path(folder), width=1280, height=1500)
            try:
                upload(driver, server.url, files)
                # Open one explanation, as an auditor would, so the shot shows the panel.
                buttons = driver.find_elements("css selector", "tr.has-flags button.explain")
                if buttons:
                    buttons[0].click()
                driver.execute_script("window.scrollTo(0, 0)")
                target.parent.mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(target))
            finally:
                driver.quit()


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else ROOT / "docs" / "img" / "web.png"
    screenshot(target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
