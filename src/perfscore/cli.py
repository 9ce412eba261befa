"""The command line: ``perfscore score FILE…`` and ``perfscore rules list``.

:func:`run` takes argv and the two streams and returns the exit code, so tests drive it
directly; :func:`main` only calls it.  Bad paths, files and options are one clear line on
stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from perfscore.engine import EvaluationResult, evaluate
from perfscore.errors import PerfscoreError
from perfscore.report import to_json, to_table
from perfscore.rules import list_rules, load_rules

__all__ = ["main", "run"]

_FORM_SUFFIXES = {".yaml", ".yml", ".json"}


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Usage(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="perfscore", description="Score and check 预算绩效自评表.")
    sub = parser.add_subparsers(dest="command", required=True)
    score = sub.add_parser("score", help="score forms and list their flags")
    score.add_argument("paths", nargs="+", metavar="FILE|DIR")
    score.add_argument("--rules", default="national-2020", help="rule-set name or file")
    score.add_argument("--format", choices=["table", "json"], default="table")
    score.add_argument("--lang", choices=["zh", "en"], default="zh")
    score.add_argument(
        "--fail-on",
        choices=["error", "warning", "never"],
        default="error",
        help="exit 1 when a flag of this severity or worse is found (default: error)",
    )
    rules = sub.add_parser("rules", help="rule sets")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    rules_sub.add_parser("list", help="list the shipped rule sets")
    check = rules_sub.add_parser("check", help="load and compile rule files; report errors")
    check.add_argument("paths", nargs="+", metavar="FILE|DIR")
    for p in (score, rules, check):
        p.error = _Parser.error.__get__(p)  # type: ignore[method-assign]
    return parser


def _files(paths: Sequence[str]) -> list[Path]:
    out: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in _FORM_SUFFIXES))
        elif path.exists():
            out.append(path)
        else:
            raise PerfscoreError("no such file or directory", source=text)
    return out


def _check_rules(paths: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    files: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
        elif path.exists():
            files.append(path)
        else:
            print(f"perfscore: {text}: no such file or directory", file=stderr)
            return 2
    findings = 0
    for path in files:
        try:
            load_rules(path)
        except PerfscoreError as exc:
            findings += 1
            print(str(exc), file=stdout)
    print(f"{len(files)} rule files checked, {findings} with errors", file=stderr)
    return 1 if findings else 0


def run(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run the command line; 0 clean, 1 flags at or above ``--fail-on`` or bad files, 2 usage."""
    try:
        args = _parser().parse_args(list(argv))
    except _Usage as exc:
        print(str(exc), file=stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)

    if args.command == "rules":
        if args.rules_command == "check":
            return _check_rules(args.paths, stdout, stderr)
        for name in list_rules():
            print(f"{name}\t{load_rules(name).title}", file=stdout)
        return 0

    try:
        rules = load_rules(args.rules)
        files = _files(args.paths)
    except PerfscoreError as exc:
        print(f"perfscore: {exc}", file=stderr)
        return 2
    results: list[EvaluationResult] = []
    failed = False
    for path in files:
        try:
            results.append(evaluate(path, rules, lang=args.lang))
        except PerfscoreError as exc:
            print(f"perfscore: {exc}", file=stderr)
            failed = True
    if args.format == "json":
        stdout.write(to_json(results))
    else:
        stdout.write("\n".join(to_table(r, args.lang) for r in results))
    worst = {"error": ("error",), "warning": ("error", "warning"), "never": ()}[args.fail_on]
    flagged = any(f.severity in worst for r in results for f in r.flags)
    return 1 if failed or flagged else 0


def main() -> None:
    """Console entry point."""
    sys.exit(run(sys.argv[1:], sys.stdout, sys.stderr))
