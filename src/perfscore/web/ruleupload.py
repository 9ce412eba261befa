"""The rule set of a batch: a shipped one by name, or a rule file the auditor uploads.

An uploaded rule file is checked as ``perfscore rules check`` checks it (schema, formulas,
bands, weights, properties) and its findings are shown; one that does not load is refused with
them, one that loads with findings is used and the findings shown above the report.  It may
extend a shipped set (``extends: national-2020``) but no other file: it is alone in its folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfscore.errors import PerfscoreError
from perfscore.ruleset.check import check_file
from perfscore.ruleset.rules import RuleSet, list_rules, load_rules
from perfscore.suggest import did_you_mean
from perfscore.web.jobs import JobStore, remove_folder
from perfscore.web.uploads import save_rule_file

__all__ = ["RuleChoice", "RuleRefused", "check_rule_file", "choose_rules"]


class RuleRefused(PerfscoreError):
    """The uploaded rule file does not load; ``findings`` say why, a line each."""

    def __init__(self, message: str, findings: list[str]) -> None:
        super().__init__(message)
        self.findings = findings


@dataclass(frozen=True, slots=True)
class RuleChoice:
    """What the page sent: a shipped set's name, and an uploaded rule file (or nothing)."""

    name: str
    upload: Any = None


def _findings(path: Path, shown: str) -> list[str]:
    """``rules check``'s findings on the file at ``path``, naming it as the auditor does."""
    return [f.text().replace(str(path), shown) for f in check_file(path)]


def check_rule_file(sent: Any, store: JobStore) -> tuple[list[str], bool]:
    """Check an uploaded rule file in a folder of its own, removed straight after: its
    findings, and whether it loads."""
    folder = store.folder()
    try:
        saved = save_rule_file(sent, folder, "rules")
        findings = _findings(saved.path, saved.name)
        try:
            load_rules(saved.path)
        except PerfscoreError:
            return findings, False
        return findings, True
    finally:
        remove_folder(folder)


def choose_rules(choice: RuleChoice, folder: Path) -> tuple[RuleSet, str, list[str]]:
    """The batch's rule set, the name to show for it and the rule file's findings.

    :raises RuleRefused: the uploaded rule file does not load.
    :raises PerfscoreError: no shipped set has that name.
    """
    upload = choice.upload
    if upload is not None and getattr(upload, "filename", None):
        saved = save_rule_file(upload, folder, "rules")
        findings = _findings(saved.path, saved.name)
        try:
            return load_rules(saved.path), saved.name, findings
        except PerfscoreError as exc:
            message = str(exc).replace(str(saved.path), saved.name)
            raise RuleRefused(f"the rule file cannot be used: {message}", findings) from None
    names = list_rules()
    if choice.name not in names:
        hint = did_you_mean(choice.name, names)
        raise PerfscoreError(
            f"no shipped rule set {choice.name!r}{hint}", expected=", ".join(names)
        )
    return load_rules(choice.name), choice.name, []
