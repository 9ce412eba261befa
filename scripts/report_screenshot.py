"""Regenerate ``docs/img/report.png``, the README's picture of the HTML report.

The page is what ``perfscore score … --format html`` writes today for two forms in the
repository (one with warnings, one clean), rendered by headless Chromium (no network, a
throw-away profile) at 1200 × 1900.  The picture carries the SHA-256 of the page it shows in a
PNG text chunk, so a test can tell, without a browser, whether it still shows the current
report:

    python scripts/report_screenshot.py            # render the current report and write it
    python scripts/report_screenshot.py --check    # exit 1 if the picture is of another page

``tests/test_report_screenshot.py`` runs the check.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PICTURE = ROOT / "docs" / "img" / "report.png"
#: The forms shown, relative to the repository (the page names them as given).
INPUTS = ("tests/data/forms/pingshan-2020-training.yaml", "examples/luohu-2024-social-workers.yaml")
WINDOW = (1200, 1900)
#: The PNG text chunk's keyword for the page's digest.
KEYWORD = b"perfscore-report-sha256"
_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def report_html() -> str:
    """The HTML report of :data:`INPUTS` as the installed perfscore writes it."""
    from perfscore.cli import run

    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    os.chdir(ROOT)  # the page names the forms as given: relative to the repository
    try:
        code = run(["score", *INPUTS, "--format", "html", "--fail-on", "never"], out, err)
    finally:
        os.chdir(here)
    if code != 0:
        raise SystemExit(f"perfscore score failed ({code}): {err.getvalue()}")
    return out.getvalue()


def digest(page: str) -> str:
    """The SHA-256 of a page, as the picture records it."""
    return hashlib.sha256(page.encode("utf-8")).hexdigest()


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    if not png.startswith(_SIGNATURE):
        raise ValueError("not a PNG file")
    chunks, at = [], len(_SIGNATURE)
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        chunks.append((kind, png[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def stamp(png: bytes, value: str) -> bytes:
    """``png`` with the text chunk ``KEYWORD = value`` (replacing an earlier one)."""
    kept = [
        (kind, data)
        for kind, data in _chunks(png)
        if not (kind == b"tEXt" and data.split(b"\0", 1)[0] == KEYWORD)
    ]
    text = (b"tEXt", KEYWORD + b"\0" + value.encode("ascii"))
    kept.insert(len(kept) - 1, text)  # before IEND
    return _SIGNATURE + b"".join(_chunk(kind, data) for kind, data in kept)


def stamped(png: bytes) -> str | None:
    """The digest a picture records, or ``None``."""
    for kind, data in _chunks(png):
        keyword, _, value = data.partition(b"\0")
        if kind == b"tEXt" and keyword == KEYWORD:
            return value.decode("ascii")
    return None


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("needs Chromium (apt-get install chromium fonts-noto-cjk)")


def render(page: str, target: Path) -> None:
    """Screenshot ``page`` with headless Chromium into ``target``, stamped with its digest."""
    with tempfile.TemporaryDirectory() as folder:
        source, shot = Path(folder, "report.html"), Path(folder, "report.png")
        source.write_text(page, "utf-8")
        subprocess.run(
            [
                _browser(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={Path(folder, 'profile')}",
                f"--window-size={WINDOW[0]},{WINDOW[1]}",
                f"--screenshot={shot}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
            env={**os.environ, "HOME": folder},
        )
        target.write_bytes(stamp(shot.read_bytes(), digest(page)))


def main(argv: list[str]) -> int:
    page = report_html()
    if argv == ["--check"]:
        if stamped(PICTURE.read_bytes()) == digest(page):
            return 0
        print(
            f"{PICTURE.relative_to(ROOT)} does not show the current HTML report; "
            "run python scripts/report_screenshot.py",
            file=sys.stderr,
        )
        return 1
    render(page, PICTURE)
    print(f"wrote {PICTURE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
