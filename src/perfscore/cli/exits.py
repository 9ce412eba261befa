"""The command's exit codes: one cause, one code, whichever subcommand met it.

:data:`EXIT_CODES` is the one table: ``perfscore --help`` prints it as its epilog, the README
shows it, and :func:`exit_code` maps an error to its code.  A script can tell "the forms were
scored and some were flagged" (1) from "a form could not be read" (4) from "the rule set is
broken" (5) without reading stderr.
"""

from __future__ import annotations

from enum import IntEnum

from perfscore.errors import FormError, OutputError, PerfscoreError, RuleSetError, WaiverError

__all__ = ["EXIT_CODES", "ExitCode", "MissingPath", "epilog", "exit_code", "worst"]


class ExitCode(IntEnum):
    """What a run of ``perfscore`` ended with."""

    OK = 0
    FLAGGED = 1
    USAGE = 2
    MISSING = 3
    BAD_INPUT = 4
    BAD_RULES = 5
    OUTPUT = 6
    INTERRUPTED = 130


#: Each exit code and its cause, in the words ``--help`` and the README use.
EXIT_CODES: dict[ExitCode, str] = {
    ExitCode.OK: "done, nothing at --fail-on found",
    ExitCode.FLAGGED: (
        "flags at --fail-on or worse (score); findings (rules check); failed cases (rules test)"
    ),
    ExitCode.USAGE: "the command line is wrong (an unknown option, a bad value, --form 9 of 2)",
    ExitCode.MISSING: (
        "a form, folder, rule file or waivers file named on the command line does not exist"
    ),
    ExitCode.BAD_INPUT: "a form could not be read (the others are still scored and reported)",
    ExitCode.BAD_RULES: "the rule set or the waivers file could not be loaded (--rules, --waivers)",
    ExitCode.OUTPUT: "the output could not be written, or would overwrite an input",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C, SIGTERM); no half-written output is left",
}


class MissingPath(PerfscoreError):
    """A path named on the command line that does not exist."""


def exit_code(exc: PerfscoreError) -> ExitCode:
    """The code a run stopped by ``exc`` ends with."""
    if isinstance(exc, MissingPath):
        return ExitCode.MISSING
    if isinstance(exc, RuleSetError | WaiverError):
        # What the forms are checked against: a rule set, the findings already accepted.
        return ExitCode.BAD_RULES
    if isinstance(exc, OutputError):
        return ExitCode.OUTPUT
    if isinstance(exc, FormError):
        return ExitCode.BAD_INPUT
    # Any other error met reading the inputs (a file that vanished, a worker that died).
    return ExitCode.BAD_INPUT


def worst(failed: list[PerfscoreError], flagged: bool) -> ExitCode:
    """A batch's code: an input that failed outweighs flags (a broken rule set the most)."""
    if failed:
        return max(exit_code(exc) for exc in failed)
    return ExitCode.FLAGGED if flagged else ExitCode.OK


def epilog() -> str:
    """The exit codes as ``--help`` ends with them."""
    lines = [f"  {int(code):>3}  {cause}" for code, cause in EXIT_CODES.items()]
    return "exit codes:\n" + "\n".join(lines)
