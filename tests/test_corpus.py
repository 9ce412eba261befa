"""The labelled corpus (tests/corpus/): forms in the style of published ones, each with every
error and warning an auditor should see, by code, path and severity.

A flag of error or warning severity that the labels do not list fails the test, as does a
listed flag that is missing or comes out at another severity: noise and misses both count.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import perfscore
from tests.conftest import ROOT

CORPUS = Path(__file__).resolve().parent / "corpus"
LABELS: dict[str, dict[str, Any]] = yaml.safe_load(
    (CORPUS / "expected.yaml").read_text(encoding="utf-8")
)
FORMS = sorted(p.name for p in CORPUS.glob("*.yaml") if p.name != "expected.yaml")

Found = tuple[str, str, str]


def _found(result: perfscore.EvaluationResult) -> list[Found]:
    return [(f.code, f.path, str(f.severity)) for f in result.flags]


def test_every_form_is_labelled() -> None:
    """Each form has its labels and each label set its form; the corpus has at least 12 forms."""
    assert sorted(LABELS) == FORMS
    assert len(FORMS) >= 12


@pytest.mark.parametrize("name", FORMS)
def test_corpus_form_flags(name: str) -> None:
    """Every error and warning is expected; every expected flag is found at its severity."""
    result = perfscore.evaluate(CORPUS / name)
    found = _found(result)
    expected = [tuple(entry) for entry in LABELS[name]["flags"]]
    unexpected = [f for f in found if f[2] != "info" and f not in expected]
    missing = [e for e in expected if e not in found]
    assert not unexpected, [f.message for f in result.flags if f.severity != "info"]
    assert not missing, found


@pytest.mark.parametrize("name", [n for n in FORMS if "total" in LABELS[n]])
def test_corpus_form_total(name: str) -> None:
    """Forms that can be scored get the total their printed arithmetic should give."""
    result = perfscore.evaluate(CORPUS / name)
    assert result.total == Decimal(str(LABELS[name]["total"]))


def corpus_table() -> str:
    """The Markdown table of errors and warnings per corpus form (kept in docs/flags.md)."""
    lines = ["| form | errors | warnings |", "| --- | ---: | ---: |"]
    for name in FORMS:
        counts = Counter(str(f.severity) for f in perfscore.evaluate(CORPUS / name).flags)
        lines.append(f"| `{name}` | {counts['error']} | {counts['warning']} |")
    return "\n".join(lines)


def test_docs_report_the_corpus_counts() -> None:
    """docs/flags.md shows the counts the corpus gives today."""
    docs = (ROOT / "docs" / "flags.md").read_text(encoding="utf-8")
    assert corpus_table() in docs, corpus_table()
