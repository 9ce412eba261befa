"""``perfscore schema rules|form``: the JSON Schema of rule files or of forms."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from perfscore.form.schema import form_json_schema
from perfscore.ruleset.rulefile import rules_json_schema

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> list[argparse.ArgumentParser]:
    schema = sub.add_parser("schema", help="print the JSON Schema of rule files or forms")
    schema.add_argument(
        "which", choices=["rules", "form"], help="rule files (rules) or the form format (form)"
    )
    return [schema]


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    which = args.which
    schema = rules_json_schema() if which == "rules" else form_json_schema()
    json.dump(schema, stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return 0
