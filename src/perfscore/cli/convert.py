"""``perfscore convert``: forms between workbooks, text and the form format (YAML, JSON)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from perfscore.cli.shared import Usage, require
from perfscore.files import refuse_overwrite
from perfscore.readers import DATA_SUFFIXES, SUFFIXES, WORKBOOK_SUFFIXES, dump_forms, load_forms

__all__ = ["add_parser", "run"]

#: What convert writes: a workbook, or the form format; the usual spelling of each first.
_OUTPUTS = WORKBOOK_SUFFIXES | DATA_SUFFIXES
_USUAL = {".yaml", ".json", ".xlsx"}


def _listed(suffixes: set[str]) -> str:
    return " ".join(sorted(suffixes))


def add_parser(sub: Any) -> list[argparse.ArgumentParser]:
    convert = sub.add_parser(
        "convert",
        help="convert forms from any format read into the form format or a workbook",
        description=(
            f"Read the forms of IN ({_listed(SUFFIXES)}) and write them to OUT "
            f"({_listed(_OUTPUTS)}), the format chosen by OUT's suffix."
        ),
    )
    convert.add_argument("source", metavar="IN", help=f"a form file: {_listed(SUFFIXES)}")
    convert.add_argument("target", metavar="OUT", help=f"the file to write: {_listed(_OUTPUTS)}")
    return [convert]


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    target = Path(args.target)
    suffix = target.suffix.lower()
    if suffix not in _OUTPUTS:
        raise Usage(
            f"perfscore convert: cannot write {target.suffix or 'a file without suffix'}; "
            f"use .yaml, .json or .xlsx (also {', '.join(sorted(_OUTPUTS - _USUAL))})"
        )
    require([args.source])
    refuse_overwrite(target, [args.source], what="convert")
    forms = load_forms(args.source)
    if suffix in WORKBOOK_SUFFIXES:
        from perfscore.readers.writer import write_workbook

        write_workbook(forms, target)
    else:
        comments = None
        if suffix != ".json" and Path(args.source).suffix.lower() in {".yaml", ".yml"}:
            # A YAML form's comments (its source, a note on a figure) go with it.
            from perfscore.files import read_regular_file
            from perfscore.readers.writer import yaml_comments
            from perfscore.yamlfile import MAX_YAML_BYTES

            raw = read_regular_file(args.source, max_bytes=MAX_YAML_BYTES)
            comments = yaml_comments(raw.decode("utf-8-sig", errors="replace"))
        dump_forms(forms, target, comments)
    return 0
