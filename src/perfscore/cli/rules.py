"""``perfscore rules list|check|test``: the shipped rule sets, and checks of rule files."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from perfscore.cli.shared import require
from perfscore.ruleset.loading import names_a_file
from perfscore.ruleset.rules import list_rules, load_rules

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> list[argparse.ArgumentParser]:
    rules = sub.add_parser("rules", help="rule sets")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    rules_sub.add_parser("list", help="list the shipped rule sets")
    check = rules_sub.add_parser(
        "check", help="validate rule files: schema, expressions, bands, weights, properties"
    )
    check.add_argument(
        "paths", nargs="*", metavar="FILE|DIR|NAME", help="default: every shipped set"
    )
    check.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="FILE:LINE:COLUMN lines, JSON objects, or GitHub Actions annotations (default: text)",
    )
    test = rules_sub.add_parser("test", help="run the test cases rule sets carry")
    test.add_argument("names", nargs="*", metavar="NAME|FILE", help="default: every shipped set")
    return [rules, check, test]


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if args.rules_command in ("check", "test"):
        from perfscore.ruleset import check

        if args.rules_command == "check":
            shipped = set(list_rules())
            require([p for p in args.paths if p not in shipped])
        else:
            require([name for name in args.names if names_a_file(name)])

        if args.rules_command == "test":
            return check.print_tests(args.names, stdout)
        return check.print_checks(args.paths, args.format, stdout, stderr)
    for name in list_rules():
        print(f"{name}\t{load_rules(name).title}", file=stdout)
    return 0
