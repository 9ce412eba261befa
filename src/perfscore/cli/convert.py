"""``perfscore convert``: forms between workbooks, text and the form format (YAML, JSON)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from perfscore.cli.shared import Usage
from perfscore.files import refuse_overwrite
from perfscore.readers import WORKBOOK_SUFFIXES, dump_forms, load_forms

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> list[argparse.ArgumentParser]:
    convert = sub.add_parser(
        "convert", help="convert forms between .xlsx/.txt and .yaml/.json/.xlsx"
    )
    convert.add_argument("source", metavar="IN")
    convert.add_argument("target", metavar="OUT")
    return [convert]


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    target = Path(args.target)
    refuse_overwrite(target, [args.source], what="convert")
    forms = load_forms(args.source)
    suffix = target.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        from perfscore.readers.writer import write_workbook

        write_workbook(forms, target)
    elif suffix in {".yaml", ".yml", ".json"}:
        comments = None
        if suffix != ".json" and Path(args.source).suffix.lower() in {".yaml", ".yml"}:
            # A YAML form's comments (its source, a note on a figure) go with it.
            from perfscore.files import read_regular_file
            from perfscore.readers.writer import yaml_comments
            from perfscore.yamlfile import MAX_YAML_BYTES

            raw = read_regular_file(args.source, max_bytes=MAX_YAML_BYTES)
            comments = yaml_comments(raw.decode("utf-8-sig", errors="replace"))
        dump_forms(forms, target, comments)
    else:
        raise Usage(
            f"perfscore convert: cannot write {target.suffix or 'that'}; use .yaml, .json or .xlsx"
        )
    return 0
