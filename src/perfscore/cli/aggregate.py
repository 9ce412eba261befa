"""``perfscore aggregate``: the department roll-up (部门汇总) of project forms."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from perfscore.batch import Failure, evaluate_many
from perfscore.cli.exits import worst
from perfscore.cli.shared import FORMATS, add_common, form_paths, inputs, output
from perfscore.engine.pipeline import EvaluationResult
from perfscore.errors import FormError, PerfscoreError
from perfscore.files import refuse_overwrite
from perfscore.ruleset.rules import load_rules

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> list[argparse.ArgumentParser]:
    agg = sub.add_parser("aggregate", help="roll project forms up to the department")
    agg.add_argument(
        "paths", nargs="+", metavar="FILE|DIR", help="project forms, and folders of them"
    )
    agg.add_argument(
        "--format", choices=FORMATS, default="table", help="the roll-up's format (default: table)"
    )
    add_common(agg)
    return [agg]


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from perfscore.report.rollup import rollup_csv, rollup_markdown, rollup_table

    results: list[EvaluationResult] = []
    failed: list[PerfscoreError] = []
    files = form_paths(args.paths, stderr=stderr)
    read = inputs(files, load_rules(args.rules))
    if args.output and args.output != "-":
        refuse_overwrite(args.output, read, what="--output")
    for item in evaluate_many(files, args.rules, lang=args.lang):
        if isinstance(item, Failure):
            failed.append(item.error)
            print(f"perfscore: {item.message}", file=stderr)
        else:
            results.append(item)
    if not results:
        raise FormError("no form could be read", source=" ".join(args.paths))
    from perfscore.rollup import aggregate

    rollup = aggregate(results)
    from perfscore.report.wording import Tally

    tally = sum((Tally.of(r) for r in results), Tally())  # the closing summary
    with output(args.output, stdout, read) as out:
        if args.format == "json":
            import json

            json.dump(rollup.to_dict(), out, ensure_ascii=False, indent=2)
            out.write("\n")
        elif args.format == "csv":
            rollup_csv(rollup, out, args.lang)
        elif args.format == "markdown":
            out.write(rollup_markdown(rollup, args.lang, tally))
        elif args.format == "html":
            from perfscore.report import html as htmlreport

            out.write(htmlreport.rollup_page(rollup, results, args.lang))
        else:
            out.write(rollup_table(rollup, args.lang, tally))
    return worst(failed, flagged=False)
