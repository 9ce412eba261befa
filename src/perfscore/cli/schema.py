"""``perfscore schema rules|form|waivers``: the JSON Schema of rule files, forms or waivers
files."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from perfscore.form.schema import form_json_schema
from perfscore.ruleset.rulefile import rules_json_schema
from perfscore.waivers import waivers_json_schema

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> list[argparse.ArgumentParser]:
    schema = sub.add_parser(
        "schema", help="print the JSON Schema of rule files, forms or waivers files"
    )
    schema.add_argument(
        "which",
        choices=["rules", "form", "waivers"],
        help="rule files (rules), the form format (form) or waivers files (waivers)",
    )
    return [schema]


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    which = args.which
    if which == "waivers":
        schema = waivers_json_schema()
    else:
        schema = rules_json_schema() if which == "rules" else form_json_schema()
    json.dump(schema, stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return 0
