"""perfscore: score and validate Chinese budget performance self-evaluation forms (预算绩效自评表).

>>> import perfscore
>>> result = perfscore.evaluate("examples/luohu-2024-social-workers.yaml")  # doctest: +SKIP
>>> result.total, result.ok  # doctest: +SKIP
(Decimal('99.90'), True)

The names below are imported on first use, so ``import perfscore.text.values`` (or a command that
needs only part of the package) does not pay for the rest.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from perfscore.batch import evaluate_many
    from perfscore.engine.pipeline import EvaluationResult, evaluate
    from perfscore.errors import FormError, PerfscoreError, RuleSetError, WaiverError
    from perfscore.form.model import Form
    from perfscore.paths import SourceLocation
    from perfscore.readers import load_form, load_forms
    from perfscore.report.review import review
    from perfscore.ruleset.rules import RuleSet, list_rules, load_rules
    from perfscore.text.values import parse_value
    from perfscore.waivers import Waivers, load_waivers

__all__ = [
    "EvaluationResult",
    "Form",
    "FormError",
    "PerfscoreError",
    "RuleSet",
    "RuleSetError",
    "SourceLocation",
    "WaiverError",
    "Waivers",
    "evaluate",
    "evaluate_many",
    "list_rules",
    "load_form",
    "load_forms",
    "load_rules",
    "load_waivers",
    "parse_value",
    "review",
]

__version__ = "0.1.0"

_HOME = {
    "EvaluationResult": "engine.pipeline",
    "evaluate": "engine.pipeline",
    "evaluate_many": "batch",
    "Form": "form.model",
    "FormError": "errors",
    "PerfscoreError": "errors",
    "RuleSetError": "errors",
    "RuleSet": "ruleset.rules",
    "list_rules": "ruleset.rules",
    "load_rules": "ruleset.rules",
    "load_form": "readers",
    "load_forms": "readers",
    "parse_value": "text.values",
    "SourceLocation": "paths",
    "review": "report.review",
    "Waivers": "waivers",
    "WaiverError": "errors",
    "load_waivers": "waivers",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'perfscore' has no attribute {name!r}")
    value = getattr(import_module(f"perfscore.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
