"""What every subcommand of the command line shares: the usage error, the parser class, the
common options, the form files named and the report's output stream."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from perfscore.cli.exits import MissingPath
from perfscore.files import refuse_overwrite, text_output
from perfscore.readers import SUFFIXES, form_files
from perfscore.ruleset.loading import rule_files
from perfscore.ruleset.rules import RuleSet

__all__ = [
    "FORMATS",
    "FORM_SUFFIXES",
    "Parser",
    "Usage",
    "add_common",
    "form_paths",
    "inputs",
    "output",
    "require",
]

FORM_SUFFIXES = SUFFIXES
FORMATS = ["table", "json", "markdown", "csv", "html"]


class Usage(Exception):
    """A usage error: printed as one line on stderr, exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise Usage(f"{self.prog}: {message}")


def add_common(parser: argparse.ArgumentParser) -> None:
    """The options every reporting subcommand takes."""
    parser.add_argument("--rules", default="national-2020", help="rule-set name or file")
    parser.add_argument(
        "--lang", choices=["zh", "en"], default="zh", help="the report's language (default: zh)"
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report here")


def form_paths(
    paths: Sequence[str], suffixes: set[str] = FORM_SUFFIXES, stderr: TextIO | None = None
) -> list[Path]:
    """The form files named by ``paths`` (files and folders), each note on stderr.

    :raises MissingPath: no form at all (folders empty, or holding no form): a run that
        scored nothing must not look like one that found nothing wrong (exit code 3).
    """
    require(paths)
    files, notes = form_files(paths, suffixes, forms_only=suffixes is FORM_SUFFIXES)
    for note in notes:
        print(f"perfscore: {note}", file=stderr or sys.stderr)
    if not files:
        raise MissingPath(f"no form found in {', '.join(str(p) for p in paths)}")
    return files


def require(paths: Sequence[str | Path]) -> None:
    """Refuse a path named on the command line that does not exist (exit code 3)."""
    for text in paths:
        path = Path(text)
        if not (path.exists() or path.is_symlink()):
            raise MissingPath("no such file or directory", source=str(text))


@contextmanager
def output(path: str | None, stdout: TextIO, inputs: Sequence[Path | str]) -> Iterator[TextIO]:
    """The report's stream: stdout (no ``--output``, or ``-o -``), or ``--output``, which
    must not be one of the ``inputs`` (the forms and the rule files read) and appears whole
    (written beside it under a temporary name, then renamed) — a FIFO or a device is written
    through."""
    if path is None or path == "-":
        yield stdout
        return
    refuse_overwrite(path, inputs, what="--output")
    with text_output(path) as stream:
        yield stream


def inputs(files: Sequence[Path], rules: RuleSet) -> list[Path | str]:
    """Every file a run reads: the forms, and the rule file with the files it extends."""
    return [*files, *rule_files(rules)]
