"""``perfscore explain``: the trace behind every number of one form."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from perfscore.cli.shared import Usage, add_common, output, require
from perfscore.engine.pipeline import evaluate
from perfscore.readers import load_forms
from perfscore.ruleset.loading import rule_files
from perfscore.ruleset.rules import load_rules

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> list[argparse.ArgumentParser]:
    explain = sub.add_parser("explain", help="show how every number of a form was reached")
    explain.add_argument(
        "path", metavar="FILE", help="the form (FILE#N: the N-th form of a file holding several)"
    )
    explain.add_argument("--indicator", "-i", metavar="N|NAME", help="one indicator only")
    explain.add_argument(
        "--form",
        "-f",
        type=int,
        metavar="N",
        help="the N-th form of a file holding several (also written FILE#N)",
    )
    add_common(explain)
    explain.add_argument(
        "--waivers", metavar="FILE", help="accepted findings (YAML): shown as accepted"
    )
    return [explain]


def _form_choice(path: str, number: int | None) -> tuple[str, int | None]:
    """``FILE#N`` (when FILE#N is not itself a file) split into FILE and N, reconciled with
    ``--form N``."""
    chosen = number
    base, mark, digits = path.rpartition("#")
    if mark and digits.isdigit() and not Path(path).exists():
        if chosen is not None and chosen != int(digits):
            raise Usage(f"perfscore explain: {path} and --form {chosen} name different forms")
        path, chosen = base, int(digits)
    if chosen is not None and chosen < 1:
        raise Usage("perfscore explain: forms are numbered from 1")
    return path, chosen


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    path, number = _form_choice(args.path, args.form)
    require([path])
    forms = load_forms(path)
    if number is not None and number > len(forms):
        raise Usage(
            f"perfscore explain: {path}: no form #{number}: the file holds {len(forms)} "
            f"form{'s' if len(forms) > 1 else ''}"
        )
    if number is None and len(forms) > 1:
        print(
            f"perfscore: {path} holds {len(forms)} forms; explaining the first "
            f"(choose one with {path}#N or --form N)",
            file=stderr,
        )
    result = evaluate(forms[(number or 1) - 1], args.rules, lang=args.lang, waivers=args.waivers)
    try:
        from perfscore.report.explain import explain  # only this command needs it

        text = explain(result, args.indicator, args.lang)
    except LookupError as exc:
        # --indicator names no row: the command line is wrong, not the form.
        reason = str(exc).strip("'\"")
        raise Usage(f"perfscore explain: {args.path}: {reason}") from None
    read = [path, *rule_files(load_rules(args.rules)), *([args.waivers] if args.waivers else [])]
    with output(args.output, stdout, read) as out:
        out.write(text)
    return 0
