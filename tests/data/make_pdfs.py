"""Write the PDF fixtures of tests/test_unit_pdfs.py the way units make them, with their twins.

Each form is laid out as units lay it out (:mod:`tests.unitfiles`), saved as ``.docx`` or
``.xlsx`` and exported to PDF by LibreOffice headless; its YAML twin (the same form as data)
is written beside it.  Run from the repository root after changing the layout or a form::

    python tests/data/make_pdfs.py        # needs soffice (libreoffice-writer, -calc)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests import unitfiles  # noqa: E402

OUT = ROOT / "tests" / "data" / "pdf"
SOURCES = {
    "social": ROOT / "examples" / "luohu-2024-social-workers.yaml",
    "notary": ROOT / "examples" / "luohu-2024-notary-lawyers.yaml",
    "caidian": ROOT / "tests" / "data" / "forms" / "caidian-2020-department.yaml",
    "training": ROOT / "tests" / "data" / "forms" / "pingshan-2020-training.yaml",
}
#: name: (form, writer, page, landscape, ruled, copies of the indicators)
FIXTURES: dict[str, tuple[str, str, str, bool, bool, int]] = {
    "social-docx-a4-portrait": ("social", "docx", "A4", False, True, 0),
    "notary-docx-letter-landscape": ("notary", "docx", "Letter", True, True, 0),
    "caidian-docx-a4-portrait-3pages": ("caidian", "docx", "A4", False, True, 0),
    "social-docx-a4-portrait-5pages": ("social", "docx", "A4", False, True, 9),
    "social-xlsx-a4-landscape": ("social", "xlsx", "A4", True, True, 0),
    "training-xlsx-letter-portrait": ("training", "xlsx", "Letter", False, True, 0),
    "social-docx-a4-portrait-unruled": ("social", "docx", "A4", False, False, 0),
    "notary-docx-letter-landscape-unruled": ("notary", "docx", "Letter", True, False, 0),
    "training-docx-a4-portrait-unruled": ("training", "docx", "A4", False, False, 0),
    "social-docx-a4-portrait-unruled-4pages": ("social", "docx", "A4", False, False, 4),
}


def fixture(name: str, work: Path) -> None:
    """Write ``name``.pdf and ``name``.yaml into :data:`OUT`."""
    source, writer, page, landscape, rules, copies = FIXTURES[name]
    form: dict[str, Any] = unitfiles.padded(
        yaml.safe_load(SOURCES[source].read_text("utf-8")), copies
    )
    lay = unitfiles.word_layout([form])
    write = unitfiles.to_docx if writer == "docx" else unitfiles.to_xlsx
    document = write(lay, work / f"{name}.{writer}", page=page, landscape=landscape, rules=rules)
    unitfiles.to_pdf(document).replace(OUT / f"{name}.pdf")
    twin = yaml.safe_dump(form, allow_unicode=True, sort_keys=False)
    (OUT / f"{name}.yaml").write_text(f"# The twin of {name}.pdf (tests/data/make_pdfs.py)\n{twin}")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for name in FIXTURES:
            fixture(name, Path(work))
            print(name)


if __name__ == "__main__":
    main()
