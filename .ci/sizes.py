"""Fail when a module is over 500 lines or a function over 60, listing each offender.

    python .ci/sizes.py            # every .py file under src/
    python .ci/sizes.py some/dir   # every .py file under the folders (or files) named

A function's length runs from its ``def`` line to its last line, nested functions and all
(decorators are not counted); a method is named ``Class.method``.  Sizes, not a complexity
score: a long function is one a reader has to hold in their head at once.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def _functions(
    node: ast.AST, prefix: str = ""
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function under ``node`` with its dotted name (``Class.method``, ``outer.inner``)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + child.name, child
            yield from _functions(child, f"{prefix}{child.name}.")
        elif isinstance(child, ast.ClassDef):
            yield from _functions(child, f"{prefix}{child.name}.")
        else:
            yield from _functions(child, prefix)


def offences(path: Path) -> list[str]:
    """What is too long in one file, a line each (``file:line: ...``)."""
    text = path.read_text("utf-8")
    found = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{path}: module is {lines} lines (at most {MAX_MODULE_LINES})")
    for name, function in _functions(ast.parse(text, str(path))):
        length = (function.end_lineno or function.lineno) - function.lineno + 1
        if length > MAX_FUNCTION_LINES:
            found.append(
                f"{path}:{function.lineno}: {name} is {length} lines (at most {MAX_FUNCTION_LINES})"
            )
    return found


def main(roots: list[str]) -> int:
    files = sorted(
        file
        for root in map(Path, roots or ["src"])
        for file in ([root] if root.is_file() else root.rglob("*.py"))
    )
    found = [line for file in files for line in offences(file)]
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} too long in {len(files)} files", file=sys.stderr)
        return 1
    print(
        f"sizes: {len(files)} files, none over {MAX_MODULE_LINES} lines or with a function "
        f"over {MAX_FUNCTION_LINES}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
