"""Rule expressions: the formula language of rule sets, checked and compiled once.

A rule formula (``weight * min(rate, 1)``, ``target / actual``) is written in the arithmetic
subset of Python that :mod:`simpleeval` accepts: numbers, the declared names, ``+ - * /``,
comparisons, ``and``/``or``, ``a if c else b`` and the functions ``min max abs floor ceil``.
:meth:`Formula.compile` parses the text, refuses every other construct, and turns the tree into
nested closures over :class:`~decimal.Decimal` values.

Evaluation takes its names per call and keeps no state between calls, so one compiled formula
serves any number of threads at once; arithmetic runs in a private Decimal context, so a host
program's ``decimal.getcontext()`` settings never change a score.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Context, Decimal, localcontext

from perfscore.errors import FormulaError, RuleSetError
from perfscore.suggest import did_you_mean

__all__ = [
    "FUNCTIONS",
    "MAX_CONSTANT",
    "MAX_EXPRESSION_LENGTH",
    "MAX_MAGNITUDE",
    "SCORING_CONTEXT",
    "Formula",
]

MAX_EXPRESSION_LENGTH = 300
MAX_CONSTANT = Decimal(1_000_000)
# A formula whose value at ordinary inputs exceeds this is refused: scores are small numbers.
MAX_MAGNITUDE = Decimal(1_000_000_000)

# Every score is computed in this context: 28 significant digits, exponents bounded so that no
# input can ask for a million-digit number, and every arithmetic fault an exception.
SCORING_CONTEXT = Context(prec=28, Emax=999_999, Emin=-999_999)


_DECIMAL_LITERAL = re.compile(r"(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?")


def _decimal_literal(literal: str) -> Decimal | None:
    """A number as written in a formula, exactly; None for what Python reads but a person
    would not write in a rule file (``0x1``, ``0b1``, ``0o1``)."""
    if not _DECIMAL_LITERAL.fullmatch(literal):
        return None
    with localcontext(SCORING_CONTEXT):
        return Decimal(literal.replace("_", ""))


def _floor(x: Decimal) -> Decimal:
    return Decimal(math.floor(x))


def _ceil(x: Decimal) -> Decimal:
    return Decimal(math.ceil(x))


FUNCTIONS: Mapping[str, Callable[..., Decimal]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "floor": _floor,
    "ceil": _ceil,
}

# The one table of what an expression may contain: each node type with what it computes.
_BINARY: Mapping[type[ast.operator], Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_UNARY: Mapping[type[ast.unaryop], Callable[[Decimal], Decimal]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
_COMPARE: Mapping[type[ast.cmpop], Callable[[Decimal, Decimal], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_STRUCTURE = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.IfExp,
    ast.BoolOp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.And,
    ast.Or,
    *_BINARY,
    *_UNARY,
    *_COMPARE,
)

# Inputs at which a formula is tried when it is compiled: a formula that fails or explodes at
# ordinary values is refused with the rule file's line, not discovered while scoring.
_PROBES = (Decimal("0.5"), Decimal(1), Decimal(2), Decimal(100))

Names = Mapping[str, Decimal]
_Node = Callable[[Names], object]


def _build(node: ast.AST) -> _Node:
    """A closure computing ``node`` from the names it is given."""
    if isinstance(node, ast.Constant):
        value = node.value
        return lambda names: value
    if isinstance(node, ast.Name):
        key = node.id
        return lambda names: names[key]
    if isinstance(node, ast.BinOp):
        fn2 = _BINARY[type(node.op)]
        left, right = _build(node.left), _build(node.right)
        return lambda names: fn2(left(names), right(names))  # type: ignore[arg-type]
    if isinstance(node, ast.UnaryOp):
        fn1 = _UNARY[type(node.op)]
        operand = _build(node.operand)
        return lambda names: fn1(operand(names))  # type: ignore[arg-type]
    if isinstance(node, ast.Compare):
        return _chain(node)
    if isinstance(node, ast.BoolOp):
        return _bool_op(node)
    if isinstance(node, ast.IfExp):
        test, body, orelse = _build(node.test), _build(node.body), _build(node.orelse)
        return lambda names: body(names) if test(names) else orelse(names)
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        function = FUNCTIONS[node.func.id]
        arguments = [_build(a) for a in node.args]
        return lambda names: function(*(a(names) for a in arguments))
    raise AssertionError(f"unchecked node {type(node).__name__}")  # compile() refused it


def _chain(node: ast.Compare) -> _Node:
    """``a < b <= c``: each comparison in turn, each operand computed once."""
    first = _build(node.left)
    steps = [
        (_COMPARE[type(op)], _build(right))
        for op, right in zip(node.ops, node.comparators, strict=True)
    ]

    def compare(names: Names) -> bool:
        left = first(names)
        for test, right_node in steps:
            right = right_node(names)
            if not test(left, right):  # type: ignore[arg-type]
                return False
            left = right
        return True

    return compare


def _bool_op(node: ast.BoolOp) -> _Node:
    """``and``/``or`` as Python has them: the first deciding operand, the rest not computed."""
    parts = [_build(v) for v in node.values]
    if isinstance(node.op, ast.And):

        def both(names: Names) -> object:
            result: object = True
            for part in parts:
                result = part(names)
                if not result:
                    return result
            return result

        return both

    def either(names: Names) -> object:
        result: object = False
        for part in parts:
            result = part(names)
            if result:
                return result
        return result

    return either


@dataclass(frozen=True)
class Formula:
    """A compiled rule expression such as ``weight * min(rate, 1)``.

    ``origin`` names where it was written (``rules/hubei.yaml:12 quantitative.lower``) so that
    a failure while scoring can point at the line.  Calling it is thread-safe.
    """

    text: str
    names: frozenset[str]
    origin: str = ""
    _run: _Node = field(default=lambda names: Decimal(0), compare=False, repr=False)

    @classmethod
    def compile(cls, text: str, names: frozenset[str], where: str, *, origin: str = "") -> Formula:
        """Parse, check and compile ``text``; only ``names`` and min/max/abs/floor/ceil are
        allowed.  The result is tried at ordinary inputs before it is returned.

        :raises RuleSetError: naming ``where`` and what was wrong.
        """
        if len(text) > MAX_EXPRESSION_LENGTH:
            raise RuleSetError(
                f"expression longer than {MAX_EXPRESSION_LENGTH} characters", path=where
            )
        source = text.strip()
        try:
            tree = ast.parse(source, mode="eval")
        except SyntaxError as exc:
            raise RuleSetError(f"invalid expression {text!r}: {exc.msg}", path=where) from None
        allowed = ", ".join(sorted(FUNCTIONS))
        for node in ast.walk(tree):
            if not isinstance(node, _STRUCTURE):
                raise RuleSetError(
                    f"{type(node).__name__} is not allowed in an expression ({text!r})",
                    path=where,
                    expected=f"arithmetic, comparisons, {allowed} and the declared names",
                )
            if isinstance(node, ast.Call) and not (
                isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS and not node.keywords
            ):
                raise RuleSetError(f"only {allowed} may be called ({text!r})", path=where)
            if isinstance(node, ast.Name) and node.id not in names and node.id not in FUNCTIONS:
                hint = did_you_mean(node.id, names)
                raise RuleSetError(
                    f"unknown name {node.id!r} in {text!r}{hint}",
                    path=where,
                    expected=", ".join(sorted(names)),
                )
            if isinstance(node, ast.Constant):
                if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                    raise RuleSetError(f"only numbers may appear in {text!r}", path=where)
                # Exact decimals: 0.5 in a rule file means Decimal("0.5"), not a binary float.
                literal = ast.get_source_segment(source, node) or repr(node.value)
                exact = _decimal_literal(literal)
                if exact is None:
                    raise RuleSetError(
                        f"write {literal} as a decimal number in {text!r}",
                        path=where,
                        expected="digits, a point and an exponent (12, 0.5, 1e3)",
                    )
                if abs(exact) > MAX_CONSTANT:
                    raise RuleSetError(
                        f"constant {literal} exceeds {MAX_CONSTANT} in {text!r}", path=where
                    )
                node.value = exact  # type: ignore[assignment]  # the closure returns it as is
        formula = cls(text, names, origin or where, _build(tree.body))
        formula._probe(where)
        return formula

    def _probe(self, where: str) -> None:
        """Evaluate at ordinary inputs: a formula that fails there, or reaches absurd values,
        is refused now rather than while scoring."""
        ordered = sorted(self.names)
        trials = [dict.fromkeys(ordered, p) for p in _PROBES]
        # The names at different values too (actual 2, target 0.5 …), each probe in turn first.
        for shift in range(1, len(_PROBES)):
            trials.append({n: _PROBES[(i + shift) % len(_PROBES)] for i, n in enumerate(ordered)})
        for values in trials:
            try:
                value = self(**values)
            except FormulaError as exc:
                raise RuleSetError(
                    f"{self.text!r} fails at {_show(values)}: {exc.message}",
                    path=where,
                    expected="a formula defined at ordinary positive inputs",
                ) from None
            if abs(value) > MAX_MAGNITUDE:
                raise RuleSetError(
                    f"{self.text!r} reaches {value:.3g} at {_show(values)}",
                    path=where,
                    expected=f"values below {MAX_MAGNITUDE}",
                )

    def __call__(self, **values: Decimal) -> Decimal:
        """Evaluate with ``values`` bound to the names.

        :raises FormulaError: the arithmetic failed (a division by zero, say); the error names
            the formula, where it was written and the inputs.
        """
        try:
            with localcontext(SCORING_CONTEXT):
                result = self._run(values)
                # Comparisons give booleans; a number is what a formula must produce.
                return result if isinstance(result, Decimal) else Decimal(result)  # type: ignore[arg-type]
        except (ArithmeticError, TypeError, ValueError, KeyError) as exc:
            reason = "division by zero" if isinstance(exc, ZeroDivisionError) else str(exc)
            raise FormulaError(
                f"{self.text} failed at {_show(values)}: {reason or type(exc).__name__}",
                path=self.origin or None,
            ) from None


def _show(values: Mapping[str, Decimal]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(values.items())) or "no inputs"
