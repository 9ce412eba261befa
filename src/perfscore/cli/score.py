"""``perfscore score``: score forms and list their flags."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from perfscore.batch import Failure, evaluate_many
from perfscore.cli.exits import worst
from perfscore.cli.shared import FORMATS, Usage, add_common, form_paths, inputs, output
from perfscore.engine.pipeline import EvaluationResult
from perfscore.errors import PerfscoreError
from perfscore.files import refuse_overwrite, same_file
from perfscore.readers import WORKBOOK_SUFFIXES
from perfscore.report import formats as report
from perfscore.ruleset.rules import RuleSet, load_rules
from perfscore.waivers import Waivers, load_waivers

__all__ = ["add_parser", "run"]

# Formats of `score` only: JSON Lines streams one object a form, for outputs too large to hold.
_SCORE_FORMATS = [*FORMATS, "jsonl", "docx"]


def add_parser(sub: Any) -> list[argparse.ArgumentParser]:
    score = sub.add_parser("score", help="score forms and list their flags")
    score.add_argument(
        "paths", nargs="+", metavar="FILE|DIR", help="forms, and folders searched for forms"
    )
    score.add_argument(
        "--format",
        choices=_SCORE_FORMATS,
        default="table",
        help="the report's format (default: table); jsonl streams one object a form",
    )
    add_common(score)
    score.add_argument(
        "--fail-on",
        choices=["error", "warning", "never"],
        default="error",
        help="exit 1 when a flag of this severity or worse is found (default: error)",
    )
    score.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        default=1,
        metavar="N",
        help="processes to score with, 1 or more (at most one per CPU)",
    )
    score.add_argument(
        "--annotate",
        metavar="OUT.xlsx",
        help="with one workbook: write an annotated .xlsx copy (recomputed scores, each flag "
        "on its cell)",
    )
    score.add_argument(
        "--progress",
        choices=["auto", "always", "never"],
        default="auto",
        help="a progress bar on stderr (auto: when stderr is a terminal and files are many)",
    )
    score.add_argument(
        "--waivers",
        metavar="FILE",
        help="accepted findings (YAML, docs/waivers.md): listed as accepted, not counted by "
        "--fail-on; a waiver that matches nothing is noted on stderr",
    )
    return [score]


def _positive(text: str) -> int:
    """A whole number of 1 or more (``--jobs``), else a usage error naming it."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return value


class _Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, stream: TextIO, total: int, enabled: bool) -> None:
        self.stream, self.total, self.enabled, self.done = stream, total, enabled, 0

    def step(self) -> None:
        self.done += 1
        if self.enabled and (self.done == self.total or self.done % 25 == 0):
            filled = 30 * self.done // max(self.total, 1)
            bar = "#" * filled + "-" * (30 - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    files = form_paths(args.paths, stderr=stderr)
    rules = load_rules(args.rules)
    waivers = load_waivers(args.waivers) if args.waivers else None
    read = [*inputs(files, rules), *([args.waivers] if waivers is not None else [])]
    _outputs(args, files, read)
    show = args.progress == "always" or (
        args.progress == "auto" and len(files) > 20 and stderr.isatty()
    )
    progress = _Progress(stderr, len(files), show)
    severities = {"error": ("error",), "warning": ("error", "warning"), "never": ()}[args.fail_on]
    if args.format in ("html", "docx"):
        return _score_page(args, files, (rules, waivers), severities, progress, (stdout, stderr))
    failed: list[PerfscoreError] = []
    flagged = False
    tally = report.Tally()  # the closing summary of the human formats
    used: list[frozenset[int]] = []
    # Other formats are rendered where each form is scored (in the workers with --jobs),
    # and written here in input order as they arrive.
    render = partial(_rendered, waivers=waivers, fmt=args.format, lang=args.lang, worst=severities)
    with output(args.output, stdout, read) as out:
        if args.format == "csv":
            report.CsvWriter(out, lang=args.lang)  # the header row
        elif args.format == "json":
            out.write("[")
        first = True
        for item in evaluate_many(
            files, rules, lang=args.lang, jobs=args.jobs, transform=render, waivers=waivers
        ):
            progress.step()
            if isinstance(item, Failure):
                failed.append(item.error)
                print(f"perfscore: {item.message}", file=stderr)
                if args.format == "jsonl":  # one line per input, a failed one included
                    out.write(report.failure_line(item.source, item.error))
                continue
            text, hit, _, counts, matched = item
            flagged, tally = flagged or hit, tally + counts
            used.append(matched)
            if args.format == "json":
                out.write(("\n" if first else ",\n") + text)
            elif args.format == "table":
                out.write(("" if first else "\n") + text)
            elif args.format == "jsonl":
                out.write(text + "\n")
            else:
                out.write(text)
            first = False
        if args.format == "json":
            out.write("\n]\n" if not first else "]\n")
        elif tally.forms > 1 or (failed and tally.forms):
            out.write(report.closing(args.format, tally, args.lang, len(failed)))
    _stale(waivers, used, stderr)
    return worst(failed, flagged)


def _outputs(args: argparse.Namespace, files: Sequence[Path], read: Sequence[Path | str]) -> None:
    """Every output checked before any form is scored (none may overwrite what the run reads),
    and ``--annotate``'s copy written."""
    if args.output and args.output != "-":
        refuse_overwrite(args.output, read, what="--output")
    if args.format == "docx":
        from perfscore.report.docx import check_target

        check_target(args.output)
    if args.annotate:
        refuse_overwrite(args.annotate, read, what="--annotate")
        _annotate(args, files)


def _rendered(
    result: EvaluationResult, waivers: Waivers | None, **how: Any
) -> tuple[str, bool, str | None, report.Tally, frozenset[int]]:
    """A result rendered where it was scored (:func:`report.rendered`), with the waivers that
    matched one of its flags: all a worker sends back."""
    text, hit, source, counts = report.rendered(result, **how)
    matched = waivers.matched(result) if waivers is not None else frozenset()
    return text, hit, source, counts, matched


def _stale(waivers: Waivers | None, used: Sequence[frozenset[int]], stderr: TextIO) -> None:
    """A note on stderr for each waiver that matched no flag of the run."""
    for waiver in () if waivers is None else waivers.stale(used):
        print(
            f"perfscore: {waiver.where}: stale waiver, matches no flag: {waiver.describe()}",
            file=stderr,
        )


def _annotate(args: argparse.Namespace, files: Sequence[Path]) -> None:
    """``score --annotate``: an annotated copy of the one workbook scored."""
    if len(files) != 1 or files[0].suffix.lower() not in WORKBOOK_SUFFIXES:
        raise Usage("perfscore score: --annotate takes exactly one .xlsx workbook")
    if Path(args.annotate).suffix.lower() not in WORKBOOK_SUFFIXES:
        # The copy keeps the workbook's own format; an .ods (or any other) name would hold
        # .xlsx bytes that the program the name promises cannot open.
        raise Usage(
            f"perfscore score: --annotate writes an .xlsx workbook, not {args.annotate!r}; "
            "name the copy OUT.xlsx (LibreOffice opens it and saves it as .ods)"
        )
    if args.output and same_file(args.output, args.annotate):
        raise Usage("perfscore score: --output and --annotate name the same file")
    from perfscore.report.annotate import annotate_workbook  # needs openpyxl: imported on use

    annotate_workbook(files[0], args.annotate, args.rules, args.lang, args.waivers)


def _score_page(
    args: argparse.Namespace,
    files: Sequence[Path],
    checks: tuple[RuleSet, Waivers | None],
    severities: tuple[str, ...],
    progress: _Progress,
    streams: tuple[TextIO, TextIO],
) -> int:
    """``score --format html`` and ``docx``: the page's summary and the Word review's contents
    need every result, so they come back whole and the report is written at the end."""
    stdout, stderr = streams
    rules, waivers = checks
    flagged = False
    failures: list[Failure] = []
    kept: list[EvaluationResult] = []
    for item in evaluate_many(files, rules, lang=args.lang, jobs=args.jobs, waivers=waivers):
        progress.step()
        if isinstance(item, Failure):
            failures.append(item)
            print(f"perfscore: {item.message}", file=stderr)
        else:
            flagged = flagged or any(f.severity in severities and not f.waiver for f in item.flags)
            kept.append(item)
    _stale(waivers, [waivers.matched(r) for r in kept] if waivers else [], stderr)
    if args.format == "docx":
        from perfscore.report.docx import write_review

        write_review(kept, args.output, args.lang, [f.message for f in failures])
        return worst([f.error for f in failures], flagged)
    from perfscore.report import html as htmlreport

    read = [*inputs(files, rules), *([args.waivers] if waivers is not None else [])]
    with output(args.output, stdout, read) as out:
        out.write(htmlreport.page(kept, args.lang, [f.message for f in failures]))
    return worst([f.error for f in failures], flagged)
