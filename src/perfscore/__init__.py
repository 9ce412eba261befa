"""perfscore: score and validate Chinese budget performance self-evaluation forms (预算绩效自评表).

>>> import perfscore
>>> result = perfscore.evaluate("examples/luohu-2024-social-workers.yaml")  # doctest: +SKIP
>>> result.total, result.ok  # doctest: +SKIP
(Decimal('99.90'), True)

The names below are imported on first use, so ``import perfscore.values`` (or a command that
needs only part of the package) does not pay for the rest.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from perfscore.batch import evaluate_many
    from perfscore.engine import EvaluationResult, evaluate
    from perfscore.errors import FormError, PerfscoreError, RuleSetError
    from perfscore.form import Form
    from perfscore.readers import load_form, load_forms
    from perfscore.rules import RuleSet, list_rules, load_rules
    from perfscore.values import parse_value

__all__ = [
    "EvaluationResult",
    "Form",
    "FormError",
    "PerfscoreError",
    "RuleSet",
    "RuleSetError",
    "evaluate",
    "evaluate_many",
    "list_rules",
    "load_form",
    "load_forms",
    "load_rules",
    "parse_value",
]

__version__ = "0.1.0"

_HOME = {
    "EvaluationResult": "engine",
    "evaluate": "engine",
    "evaluate_many": "batch",
    "Form": "form",
    "FormError": "errors",
    "PerfscoreError": "errors",
    "RuleSetError": "errors",
    "RuleSet": "rules",
    "list_rules": "rules",
    "load_rules": "rules",
    "load_form": "readers",
    "load_forms": "readers",
    "parse_value": "values",
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
