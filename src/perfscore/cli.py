"""The command line: ``perfscore score``, ``perfscore rules list|check|test``, ``perfscore schema``.

:func:`run` takes argv and the two streams and returns the exit code, so tests drive it
directly; :func:`main` only calls it.  Bad paths, files and options are one clear line on
stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from perfscore.engine import EvaluationResult, evaluate
from perfscore.errors import PerfscoreError
from perfscore.form import Form
from perfscore.report import to_json, to_table
from perfscore.rulecheck import check_file, run_tests
from perfscore.rules import RuleFile, list_rules, load_rules

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
    check = rules_sub.add_parser(
        "check", help="validate rule files: schema, expressions, bands, weights, properties"
    )
    check.add_argument("paths", nargs="+", metavar="FILE|DIR")
    check.add_argument("--format", choices=["text", "json", "github"], default="text")
    test = rules_sub.add_parser("test", help="run the test cases rule sets carry")
    test.add_argument("names", nargs="*", metavar="NAME|FILE", help="default: every shipped set")
    schema = sub.add_parser("schema", help="print the JSON Schema of rule files or forms")
    schema.add_argument("which", choices=["rules", "form"])
    for p in (score, rules, check, test, schema):
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


def _rule_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml"}))
        elif path.exists():
            files.append(path)
        else:
            raise PerfscoreError("no such file or directory", source=text)
    return files


def _check_rules(paths: Sequence[str], fmt: str, stdout: TextIO, stderr: TextIO) -> int:
    files = _rule_files(paths)
    findings = [finding for path in files for finding in check_file(path)]
    if fmt == "json":
        json.dump([f.to_dict() for f in findings], stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
    else:
        for finding in findings:
            print(finding.github() if fmt == "github" else finding.text(), file=stdout)
    print(f"{len(files)} rule files checked, {len(findings)} findings", file=stderr)
    return 1 if findings else 0


def _test_rules(names: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    passed = failed = 0
    for name in names or list_rules():
        for outcome in run_tests(load_rules(name)):
            if outcome.ok:
                passed += 1
                print(f"PASS  {outcome.rules}: {outcome.name}", file=stdout)
            else:
                failed += 1
                print(f"FAIL  {outcome.rules}: {outcome.name}", file=stdout)
                for problem in outcome.problems:
                    print(f"      {problem}", file=stdout)
    print(f"{passed} passed, {failed} failed", file=stdout)
    return 1 if failed else 0


def _schema(which: str, stdout: TextIO) -> int:
    model = RuleFile if which == "rules" else Form
    json.dump(model.model_json_schema(by_alias=True), stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return 0


def run(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run the command line; 0 clean, 1 flags at or above ``--fail-on`` or bad files, 2 usage."""
    try:
        args = _parser().parse_args(list(argv))
    except _Usage as exc:
        print(str(exc), file=stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)

    try:
        if args.command == "schema":
            return _schema(args.which, stdout)
        if args.command == "rules":
            if args.rules_command == "check":
                return _check_rules(args.paths, args.format, stdout, stderr)
            if args.rules_command == "test":
                return _test_rules(args.names, stdout, stderr)
            for name in list_rules():
                print(f"{name}\t{load_rules(name).title}", file=stdout)
            return 0
    except PerfscoreError as exc:
        print(f"perfscore: {exc}", file=stderr)
        return 2

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
    try:
        code = run(sys.argv[1:], sys.stdout, sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (perfscore … | head): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
