"""Forms laid out as units lay them out in Word and Excel, and exported to PDF as they do.

:func:`word_layout` is the ordinary layout of a self-evaluation form as one table: the title
merged across all columns inside the ruled table, the heading fields as table rows, 项目资金
merged down two rows beside 年度资金总额, the indicator table under it.  :func:`to_docx` and
:func:`to_xlsx` write it with a page size and orientation, with or without rules, rows allowed
to split across pages; :func:`to_pdf` exports either with LibreOffice headless, the way a unit's
"save as PDF" does.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests import formats
from tests.formats import WIDTH, Layout, covered_by, docx_table

PAGES = {"A4": (21.0, 29.7), "Letter": (21.59, 27.94)}


def word_layout(forms: list[dict[str, Any]], *, padding_rows: int = 0) -> Layout:
    """``forms`` one under another in one table each: title merged across, heading rows,
    项目资金 merged down beside 年度资金总额 (every amount of the budget row filled), the
    indicators (一级/二级 merged down) and 总分; ``padding_rows`` copies of each form's
    indicators make it run over several pages."""
    lay = formats.layout([padded(f, padding_rows) for f in forms])
    for r, row in enumerate(lay.rows):
        if row[0] and str(row[0]).startswith("项目资金"):
            lay.merges.remove((r, 0, r, 1))
            lay.merges.append((r, 0, r + 1, 0))
            lay.rows[r + 1][7] = forms[0]["budget"].get("score") if len(forms) == 1 else None
    return lay


def padded(form: dict[str, Any], copies: int) -> dict[str, Any]:
    """``form`` with every indicator's weight and score present (empty where it has none) and
    ``copies`` more copies of its indicators, renamed."""
    blank = {"actual": None, "weight": None, "score": None}
    # The layout prints no goal column: each indicator without its goal number.
    rows = [
        {**blank, **{k: v for k, v in ind.items() if k != "goal"}} for ind in form["indicators"]
    ]
    # The layout prints every form under the title 项目支出绩效自评表.
    form = {**form, "kind": "project", "indicators": rows}
    if copies:
        form.pop("blocks", None)  # the points of each block are not printed
    budget = form["budget"]
    if budget.get("weight") is not None and budget.get("score") is None:
        form["budget"] = {**budget, "score": budget["weight"]}  # every amount filled
    extra = [
        {**ind, "name": f"{ind['name']}（{n + 2}）"}
        for n in range(copies)
        for ind in form["indicators"]
    ]
    form["indicators"] += extra
    return form


def soffice() -> str | None:
    """LibreOffice, if this machine has it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def to_docx(
    lay: Layout, path: Path, *, page: str = "A4", landscape: bool = False, rules: bool = True
) -> Path:
    """The layout as a Word document: every form one table (its title and heading inside it),
    rows allowed to break across pages (Word's default), the header row repeated."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    width, height = PAGES[page]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Cm(width), Cm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(9)
    starts = [*lay.titles, len(lay.rows)]
    for first, end in itertools.pairwise(starts):
        while end > first and not any(v is not None for v in lay.rows[end - 1]):
            end -= 1
        docx_table(document, lay, first, end, rules=rules)
        document.add_paragraph("")
    document.save(str(path))
    return path


def to_xlsx(
    lay: Layout, path: Path, *, page: str = "A4", landscape: bool = False, rules: bool = True
) -> Path:
    """The layout as a workbook set up for printing: paper, orientation, fit to the width, thin
    borders on every used cell (or none), wrapped text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Side

    formats.to_xlsx(lay, path)
    from openpyxl import load_workbook

    workbook: Workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for r, row in enumerate(lay.rows):
        if not any(v is not None for v in row):
            continue
        for c in range(WIDTH):
            cell = sheet.cell(r + 1, c + 1)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if rules:
                cell.border = border
    widths = [8, 10, 12, 22, 12, 8, 12, 8, 8, 16]
    for c, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + c)].width = width
    covered = covered_by(lay)
    for r, row in enumerate(lay.rows):
        # As Excel saves a wrapped row: tall enough for its longest cell (a Chinese character
        # is two width units), so that nothing spills into the next row when printed.
        lines = max(
            (
                -(-2 * len(str(value)) // widths[c])
                for c, value in enumerate(row)
                if value is not None and covered.get((r, c), (r, c, r, c))[3] == c
            ),
            default=1,
        )
        sheet.row_dimensions[r + 1].height = 14 * max(lines, 1)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4 if page == "A4" else sheet.PAPERSIZE_LETTER
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    workbook.save(path)
    return path


def to_pdf(document: Path) -> Path:
    """``document`` exported to PDF beside it by LibreOffice headless."""
    office = soffice()
    assert office is not None
    profile = document.parent / f".lo-{document.stem}"
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(document.parent),
            str(document),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(document.parent)},
    )
    return document.with_suffix(".pdf")
