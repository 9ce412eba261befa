"""The command line.

    perfscore score FILE|DIR…      score forms; table, json, markdown, csv, html or docx
    perfscore explain FILE         the trace behind every number
    perfscore aggregate FILE|DIR…  the department roll-up
    perfscore rules list|check|test
    perfscore schema rules|form

:func:`run` takes argv and the two streams and returns the exit code, so tests drive it
directly; :func:`main` only calls it.  Bad paths, files and options are one clear line on
stderr, never a traceback; nothing but the report goes to stdout.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import perfscore._startup  # noqa: F401  # first: before any model is defined
from perfscore.batch import Failure, evaluate_many
from perfscore.engine.pipeline import EvaluationResult, evaluate
from perfscore.errors import PerfscoreError
from perfscore.files import refuse_overwrite, same_file, text_output
from perfscore.form.model import Form
from perfscore.readers import SUFFIXES, WORKBOOK_SUFFIXES, dump_forms, form_files, load_forms
from perfscore.report import formats as report
from perfscore.ruleset.loading import rule_files
from perfscore.ruleset.rulefile import rules_json_schema
from perfscore.ruleset.rules import RuleSet, list_rules, load_rules

__all__ = ["main", "run"]

_FORM_SUFFIXES = SUFFIXES
_FORMATS = ["table", "json", "markdown", "csv", "html"]
# Formats of `score` only: JSON Lines streams one object a form, for outputs too large to hold.
_SCORE_FORMATS = [*_FORMATS, "jsonl", "docx"]


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Usage(f"{self.prog}: {message}")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", default="national-2020", help="rule-set name or file")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report here")


_COMMANDS = ("score", "explain", "aggregate", "rules", "convert", "schema")


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only``, just that command's (start-up is faster)."""
    parser = _Parser(prog="perfscore", description="Score and check 预算绩效自评表.")
    # Answered in run() before parsing (a command is otherwise required); listed for --help.
    parser.add_argument("--version", "-V", action="store_true", help="print the version")
    sub = parser.add_subparsers(dest="command", required=True)
    built: list[argparse.ArgumentParser] = []

    def wanted(name: str) -> bool:
        return only is None or only == name

    if wanted("score"):
        _score_parser(sub, built)
    if wanted("explain"):
        _explain_parser(sub, built)
    if wanted("aggregate"):
        agg = sub.add_parser("aggregate", help="roll project forms up to the department")
        agg.add_argument("paths", nargs="+", metavar="FILE|DIR")
        agg.add_argument("--format", choices=_FORMATS, default="table")
        _common(agg)
        built.append(agg)
    if wanted("rules"):
        _rules_parser(sub, built)
    if wanted("convert"):
        convert = sub.add_parser(
            "convert", help="convert forms between .xlsx/.txt and .yaml/.json/.xlsx"
        )
        convert.add_argument("source", metavar="IN")
        convert.add_argument("target", metavar="OUT")
        built.append(convert)
    if wanted("schema"):
        schema = sub.add_parser("schema", help="print the JSON Schema of rule files or forms")
        schema.add_argument("which", choices=["rules", "form"])
        built.append(schema)
    for p in built:
        p.error = _Parser.error.__get__(p)  # type: ignore[method-assign]
    return parser


def _explain_parser(sub: Any, built: list[argparse.ArgumentParser]) -> None:
    explain = sub.add_parser("explain", help="show how every number of a form was reached")
    explain.add_argument("path", metavar="FILE")
    explain.add_argument("--indicator", "-i", metavar="N|NAME", help="one indicator only")
    explain.add_argument(
        "--form",
        "-f",
        type=int,
        metavar="N",
        help="the N-th form of a file holding several (also written FILE#N)",
    )
    _common(explain)
    built.append(explain)


def _rules_parser(sub: Any, built: list[argparse.ArgumentParser]) -> None:
    rules = sub.add_parser("rules", help="rule sets")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    rules_sub.add_parser("list", help="list the shipped rule sets")
    check = rules_sub.add_parser(
        "check", help="validate rule files: schema, expressions, bands, weights, properties"
    )
    check.add_argument(
        "paths", nargs="*", metavar="FILE|DIR|NAME", help="default: every shipped set"
    )
    check.add_argument("--format", choices=["text", "json", "github"], default="text")
    test = rules_sub.add_parser("test", help="run the test cases rule sets carry")
    test.add_argument("names", nargs="*", metavar="NAME|FILE", help="default: every shipped set")
    built += [rules, check, test]


def _score_parser(sub: Any, built: list[argparse.ArgumentParser]) -> None:
    score = sub.add_parser("score", help="score forms and list their flags")
    score.add_argument("paths", nargs="+", metavar="FILE|DIR")
    score.add_argument("--format", choices=_SCORE_FORMATS, default="table")
    _common(score)
    score.add_argument(
        "--fail-on",
        choices=["error", "warning", "never"],
        default="error",
        help="exit 1 when a flag of this severity or worse is found (default: error)",
    )
    score.add_argument(
        "--jobs", "-j", type=int, default=1, help="processes to score with (at most one per CPU)"
    )
    score.add_argument(
        "--annotate",
        metavar="OUT.xlsx",
        help="with one workbook: write an annotated copy (recomputed scores, flagged cells)",
    )
    score.add_argument(
        "--progress",
        choices=["auto", "always", "never"],
        default="auto",
        help="a progress bar on stderr (auto: when stderr is a terminal and files are many)",
    )
    built.append(score)


def _files(
    paths: Sequence[str], suffixes: set[str] = _FORM_SUFFIXES, stderr: TextIO | None = None
) -> list[Path]:
    files, notes = form_files(paths, suffixes, forms_only=suffixes is _FORM_SUFFIXES)
    for note in notes:
        print(f"perfscore: {note}", file=stderr or sys.stderr)
    return files


@contextmanager
def _output(path: str | None, stdout: TextIO, inputs: Sequence[Path | str]) -> Iterator[TextIO]:
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


def _inputs(files: Sequence[Path], rules: RuleSet) -> list[Path | str]:
    """Every file a run reads: the forms, and the rule file with the files it extends."""
    return [*files, *rule_files(rules)]


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


def _score(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    files = _files(args.paths, stderr=stderr)
    rules = load_rules(args.rules)
    inputs = _inputs(files, rules)
    if args.output and args.output != "-":
        refuse_overwrite(args.output, inputs, what="--output")
    if args.format == "docx":
        from perfscore.report.docx import check_target  # before any form is scored

        check_target(args.output)
    if args.annotate:
        _annotate(args, files)
    show = args.progress == "always" or (
        args.progress == "auto" and len(files) > 20 and stderr.isatty()
    )
    progress = _Progress(stderr, len(files), show)
    worst = {"error": ("error",), "warning": ("error", "warning"), "never": ()}[args.fail_on]
    if args.format in ("html", "docx"):
        return _score_page(args, files, rules, worst, progress, (stdout, stderr))
    failed = flagged = False
    # Other formats are rendered where each form is scored (in the workers with --jobs),
    # and written here in input order as they arrive.
    render = partial(report.rendered, fmt=args.format, lang=args.lang, worst=worst)
    with _output(args.output, stdout, inputs) as out:
        if args.format == "csv":
            report.CsvWriter(out, lang=args.lang)  # the header row
        elif args.format == "json":
            out.write("[")
        first = True
        for item in evaluate_many(files, rules, lang=args.lang, jobs=args.jobs, transform=render):
            progress.step()
            if isinstance(item, Failure):
                failed = True
                print(f"perfscore: {item.message}", file=stderr)
                if args.format == "jsonl":  # one line per input, a failed one included
                    out.write(report.failure_line(item.source, item.error))
                continue
            text, hit, _ = item
            flagged = flagged or hit
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
    return 1 if failed or flagged else 0


def _annotate(args: argparse.Namespace, files: Sequence[Path]) -> None:
    """``score --annotate``: an annotated copy of the one workbook scored."""
    if len(files) != 1 or files[0].suffix.lower() not in WORKBOOK_SUFFIXES:
        raise _Usage("perfscore score: --annotate takes exactly one .xlsx workbook")
    if args.output and same_file(args.output, args.annotate):
        raise _Usage("perfscore score: --output and --annotate name the same file")
    from perfscore.report.annotate import annotate_workbook  # needs openpyxl: imported on use

    annotate_workbook(files[0], args.annotate, args.rules, args.lang)


def _score_page(
    args: argparse.Namespace,
    files: Sequence[Path],
    rules: RuleSet,
    worst: tuple[str, ...],
    progress: _Progress,
    streams: tuple[TextIO, TextIO],
) -> int:
    """``score --format html``: the page's summary needs every result, so they come back
    whole and the page is written at the end."""
    stdout, stderr = streams
    flagged = False
    failures: list[str] = []
    kept: list[EvaluationResult] = []
    for item in evaluate_many(files, rules, lang=args.lang, jobs=args.jobs):
        progress.step()
        if isinstance(item, Failure):
            failures.append(item.message)
            print(f"perfscore: {item.message}", file=stderr)
        else:
            flagged = flagged or any(f.severity in worst for f in item.flags)
            kept.append(item)
    if args.format == "docx":
        from perfscore.report.docx import write_review

        write_review(kept, args.output, args.lang, failures)
        return 1 if failures or flagged else 0
    from perfscore.report import html as htmlreport

    with _output(args.output, stdout, _inputs(files, rules)) as out:
        out.write(htmlreport.page(kept, args.lang, failures))
    return 1 if failures or flagged else 0


def _convert(args: argparse.Namespace) -> int:
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
        raise _Usage(
            f"perfscore convert: cannot write {target.suffix or 'that'}; use .yaml, .json or .xlsx"
        )
    return 0


def _form_choice(path: str, number: int | None) -> tuple[str, int | None]:
    """``FILE#N`` (when FILE#N is not itself a file) split into FILE and N, reconciled with
    ``--form N``."""
    chosen = number
    base, mark, digits = path.rpartition("#")
    if mark and digits.isdigit() and not Path(path).exists():
        if chosen is not None and chosen != int(digits):
            raise _Usage(f"perfscore explain: {path} and --form {chosen} name different forms")
        path, chosen = base, int(digits)
    if chosen is not None and chosen < 1:
        raise _Usage("perfscore explain: forms are numbered from 1")
    return path, chosen


def _explain(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    path, number = _form_choice(args.path, args.form)
    forms = load_forms(path)
    if number is not None and number > len(forms):
        raise PerfscoreError(
            f"no form #{number}: the file holds {len(forms)} form{'s' if len(forms) > 1 else ''}",
            source=path,
        )
    if number is None and len(forms) > 1:
        print(
            f"perfscore: {path} holds {len(forms)} forms; explaining the first "
            f"(choose one with {path}#N or --form N)",
            file=stderr,
        )
    result = evaluate(forms[(number or 1) - 1], args.rules, lang=args.lang)
    try:
        from perfscore.report.explain import explain  # only this command needs it

        text = explain(result, args.indicator, args.lang)
    except LookupError as exc:
        raise PerfscoreError(str(exc).strip("'\""), source=args.path) from None
    with _output(args.output, stdout, [path, *rule_files(load_rules(args.rules))]) as out:
        out.write(text)
    return 0


def _aggregate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from perfscore.report.rollup import rollup_csv, rollup_markdown, rollup_table

    results: list[EvaluationResult] = []
    failed = False
    files = _files(args.paths, stderr=stderr)
    inputs = _inputs(files, load_rules(args.rules))
    if args.output and args.output != "-":
        refuse_overwrite(args.output, inputs, what="--output")
    for item in evaluate_many(files, args.rules, lang=args.lang):
        if isinstance(item, Failure):
            failed = True
            print(f"perfscore: {item.message}", file=stderr)
        else:
            results.append(item)
    if not results:
        raise PerfscoreError("no form could be read", source=" ".join(args.paths))
    from perfscore.rollup import aggregate

    rollup = aggregate(results)
    with _output(args.output, stdout, inputs) as out:
        if args.format == "json":
            import json

            json.dump(rollup.to_dict(), out, ensure_ascii=False, indent=2)
            out.write("\n")
        elif args.format == "csv":
            rollup_csv(rollup, out)
        elif args.format == "markdown":
            out.write(rollup_markdown(rollup, args.lang))
        elif args.format == "html":
            from perfscore.report import html as htmlreport

            out.write(htmlreport.rollup_page(rollup, results, args.lang))
        else:
            out.write(rollup_table(rollup, args.lang))
    return 1 if failed else 0


def _schema(which: str, stdout: TextIO) -> int:
    import json

    schema = rules_json_schema() if which == "rules" else Form.model_json_schema(by_alias=True)
    json.dump(schema, stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return 0


def run(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run the command line: 0 clean, 1 findings (flags at ``--fail-on``, bad files), 2 usage."""
    try:
        argv = list(argv)
        if argv in (["--version"], ["-V"]):
            from perfscore import __version__

            print(f"perfscore {__version__}", file=stdout)
            return 0
        only = argv[0] if argv and argv[0] in _COMMANDS else None
        args = _parser(only).parse_args(argv)
    except _Usage as exc:
        print(str(exc), file=stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        if args.command == "score":
            return _score(args, stdout, stderr)
        if args.command == "explain":
            return _explain(args, stdout, stderr)
        if args.command == "aggregate":
            return _aggregate(args, stdout, stderr)
        if args.command == "convert":
            return _convert(args)
        if args.command == "schema":
            return _schema(args.which, stdout)
        if args.rules_command in ("check", "test"):
            from perfscore.ruleset import check

            if args.rules_command == "test":
                return check.print_tests(args.names, stdout)
            return check.print_checks(args.paths, args.format, stdout, stderr)
        for name in list_rules():
            print(f"{name}\t{load_rules(name).title}", file=stdout)
        return 0
    except _Usage as exc:
        print(str(exc), file=stderr)
        return 2
    except PerfscoreError as exc:
        print(f"perfscore: {exc}", file=stderr)
        return 2


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
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    main()
