"""The command line.

    perfscore score FILE|DIR…      score forms; table, json, markdown, csv, html or docx
    perfscore explain FILE         the trace behind every number
    perfscore aggregate FILE|DIR…  the department roll-up
    perfscore rules list|check|test
    perfscore schema rules|form|waivers
    perfscore serve                the web page (the ``web`` extra; perfscore.web)

:func:`run` takes argv and the two streams and returns the exit code, so tests drive it
directly; :func:`main` only calls it.  Bad paths, files and options are one clear line on
stderr, never a traceback; nothing but the report goes to stdout.

Each subcommand is a module of this package with ``add_parser(sub)`` (its options) and
``run(args, stdout, stderr)`` (its work); :data:`_COMMANDS` lists them in ``--help`` order.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import perfscore._startup  # noqa: F401  # first: before any model is defined
from perfscore.cli import aggregate, convert, explain, rules, schema, score
from perfscore.cli.exits import ExitCode, epilog, exit_code
from perfscore.cli.shared import Parser, Usage, require
from perfscore.errors import PerfscoreError
from perfscore.ruleset.loading import names_a_file
from perfscore.web import command as serve  # loads no web library: it checks on running

__all__ = ["main", "run"]

_Command = tuple[
    Callable[[Any], list[argparse.ArgumentParser]],
    Callable[[argparse.Namespace, TextIO, TextIO], int],
]
_COMMANDS: dict[str, _Command] = {
    "score": (score.add_parser, score.run),
    "explain": (explain.add_parser, explain.run),
    "aggregate": (aggregate.add_parser, aggregate.run),
    "rules": (rules.add_parser, rules.run),
    "convert": (convert.add_parser, convert.run),
    "schema": (schema.add_parser, schema.run),
    "serve": (serve.add_parser, serve.run),
}


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only``, just that command's (start-up is faster)."""
    parser = Parser(
        prog="perfscore",
        description="Score and check 预算绩效自评表.",
        epilog=epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # Answered in run() before parsing (a command is otherwise required); listed for --help.
    parser.add_argument("--version", "-V", action="store_true", help="print the version")
    sub = parser.add_subparsers(dest="command", required=True)
    built: list[argparse.ArgumentParser] = []
    for name, (add_parser, _) in _COMMANDS.items():
        if only is None or only == name:
            built += add_parser(sub)
    for p in built:
        p.error = Parser.error.__get__(p)  # type: ignore[method-assign]
    _end_with_exit_codes(parser)
    return parser


class _Formatter(argparse.HelpFormatter):
    """Wraps a one-paragraph text to the terminal; keeps a text of several lines (the exit
    codes' table) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def _end_with_exit_codes(parser: argparse.ArgumentParser) -> None:
    """Every subcommand's ``--help`` ends with the exit codes, as ``perfscore --help`` does: a
    script's author reads the help of the command the script runs."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                sub.epilog, sub.formatter_class = epilog(), _Formatter
                _end_with_exit_codes(sub)


def run(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run the command line and return its exit code: one code a cause, the same in every
    subcommand (:data:`perfscore.cli.exits.EXIT_CODES`)."""
    try:
        argv = list(argv)
        if argv in (["--version"], ["-V"]):
            from perfscore import __version__

            print(f"perfscore {__version__}", file=stdout)
            return 0
        only = argv[0] if argv and argv[0] in _COMMANDS else None
        args = _parser(only).parse_args(argv)
    except Usage as exc:
        print(str(exc), file=stderr)
        return ExitCode.USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        rules, waivers = getattr(args, "rules", None), getattr(args, "waivers", None)
        if isinstance(rules, str) and names_a_file(rules):
            require([rules])  # a rule file that is not there is a missing file, as a form is
        if isinstance(waivers, str):
            require([waivers])
        return _COMMANDS[args.command][1](args, stdout, stderr)
    except Usage as exc:
        print(str(exc), file=stderr)
        return ExitCode.USAGE
    except PerfscoreError as exc:
        print(f"perfscore: {exc}", file=stderr)
        return exit_code(exc)


def _terminated(signum: int, frame: object) -> None:
    # As Ctrl-C: the output being written is removed on the way out, never left half-written.
    raise KeyboardInterrupt


def main() -> None:
    """Console entry point."""
    for stream in (sys.stdout, sys.stderr):
        # A lone surrogate in a form, a file name that is not UTF-8: written as an escape on
        # any terminal or pipe, never a UnicodeEncodeError halfway through a report.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    signal.signal(signal.SIGTERM, _terminated)
    try:
        code = run(sys.argv[1:], sys.stdout, sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (perfscore … | head): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except KeyboardInterrupt:
        print("perfscore: interrupted", file=sys.stderr)
        code = ExitCode.INTERRUPTED
    sys.exit(code)
