"""Reading forms from files: YAML and JSON in the form format, Excel workbooks, published text.

:func:`load_forms` returns every form a file holds; :func:`load_form` the one form of a file.
Workbooks and texts are read by their labels (:mod:`perfscore.readers.grid`); what a reader
could not read becomes a note on the form, which the engine reports as a flag.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from perfscore.errors import FormError
from perfscore.files import atomic_path
from perfscore.form import Form, form_from_data, read_data

if TYPE_CHECKING:
    from perfscore.readers.grid import GridForm

__all__ = ["MultipleFormsWarning", "dump_forms", "load_form", "load_forms"]

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
TEXT_SUFFIXES = {".txt", ".tsv", ".text"}
DATA_SUFFIXES = {".yaml", ".yml", ".json"}
SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES | DATA_SUFFIXES

_LOOKED_FOR = "a table headed 三级指标 and 年度指标值 (or a wide table with 年度指标内容)"


class MultipleFormsWarning(UserWarning):
    """:func:`load_form` was given a file holding several forms and returned the first."""


def _from_grid(found: GridForm, source: str, where: str) -> Form:
    data: dict[str, Any] = dict(found.data)
    if found.notes:
        data["notes"] = [
            {"path": path, "message": message, "severity": severity}
            for path, message, severity in found.notes
        ]
    return form_from_data(data, source=f"{source}{where}")


def load_forms(path: str | Path) -> list[Form]:
    """Every form in the file at ``path``: one for YAML/JSON (or several for a list), one per
    form found in a workbook (all sheets) or a published text.

    :raises FormError: naming the file and what it could not find or read.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        if not p.exists():
            raise FormError("no such file", source=str(p))
        from perfscore.readers.xlsx import forms_from_workbook  # layout readers: on demand

        found = forms_from_workbook(p)
        if not found:
            raise FormError("no self-evaluation form found", source=str(p), expected=_LOOKED_FOR)
        return [_from_grid(f.form, str(p), f" [{f.sheet}]") for f in found]
    if suffix in TEXT_SUFFIXES:
        try:
            text = p.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise FormError("no such file", source=str(p)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise FormError(f"cannot read the text: {exc}", source=str(p)) from None
        from perfscore.readers.text import forms_from_text

        forms = forms_from_text(text)
        if not forms:
            raise FormError("no self-evaluation form found", source=str(p), expected=_LOOKED_FOR)
        return [_from_grid(f, str(p), f" #{i + 1}") for i, f in enumerate(forms)]
    data, lines = read_data(p)
    if isinstance(data, list):
        return [
            form_from_data(item, source=f"{p} #{i + 1}", lines=_sublines(lines, i))
            for i, item in enumerate(data)
        ]
    return [form_from_data(data, source=str(p), lines=lines)]


def _sublines(
    lines: dict[tuple[str | int, ...], int], index: int
) -> dict[tuple[str | int, ...], int]:
    return {k[1:]: v for k, v in lines.items() if k[:1] == (index,)}


def load_form(path: str | Path) -> Form:
    """The form in the file at ``path`` (``.yaml``, ``.json``, ``.xlsx``, ``.txt``).

    A file holding several forms gives the first, with a :class:`MultipleFormsWarning`
    saying so; :func:`load_forms` reads them all.

    :raises FormError: for a missing or unreadable file, or a bad field — naming the file, the
        field path and the line.
    """
    forms = load_forms(path)
    if len(forms) > 1:
        warnings.warn(
            f"{path} holds {len(forms)} forms; load_form returns the first "
            "(perfscore.load_forms reads them all)",
            MultipleFormsWarning,
            stacklevel=2,
        )
    return forms[0]


def _plain_data(form: Form) -> dict[str, Any]:
    data = form.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    if form.kind == "project":
        data.pop("kind", None)
    return data


def dump_forms(forms: list[Form], path: str | Path) -> None:
    """Write forms to a ``.yaml`` or ``.json`` file in the form format: one form as a mapping,
    several as a list (which :func:`load_forms` reads back)."""
    items = [_plain_data(f) for f in forms]
    data: Any = items[0] if len(items) == 1 else items
    p = Path(path)
    if p.suffix.lower() == ".json":
        import json

        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    with atomic_path(p) as temporary:
        temporary.write_text(text, encoding="utf-8")
