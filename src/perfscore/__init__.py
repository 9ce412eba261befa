"""perfscore: score and validate Chinese budget performance self-evaluation forms (预算绩效自评表).

>>> import perfscore
>>> result = perfscore.evaluate("examples/luohu-2024-social-workers.yaml")  # doctest: +SKIP
>>> result.total, result.ok  # doctest: +SKIP
(Decimal('99.90'), True)
"""

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
