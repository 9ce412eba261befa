"""Patterns a rule file may hold: regular expressions that run in time linear in the text.

Python's ``re`` backtracks.  A repeated group that itself repeats (``(a+)+``, ``(\\w*)*``,
``(?:x{2,})+``) can try exponentially many ways to split a text that does not match: 26
characters take seconds, 40 take hours.  Such a pattern in ``direction_hints`` would let one
indicator name stall every form scored with the rule set, so it is refused when the rule file is
loaded.
"""

from __future__ import annotations

__all__ = ["nested_repeat"]

_REPEATS = "*+{"


def _repeat_at(pattern: str, i: int) -> bool:
    """Whether ``pattern[i:]`` starts with a quantifier that repeats (``*``, ``+``, ``{2}``,
    ``{1,}``, ``{0,3}`` — not ``?`` nor ``{1}``)."""
    if i >= len(pattern) or pattern[i] not in _REPEATS:
        return False
    if pattern[i] != "{":
        return True
    end = pattern.find("}", i)
    body = pattern[i + 1 : end] if end > 0 else ""
    low, _, high = body.partition(",")
    if not (low.strip().isdigit() or low.strip() == "") or end < 0:
        return False  # a literal brace
    if "," not in body:
        return low.strip().isdigit() and int(low) > 1
    return high.strip() == "" or (high.strip().isdigit() and int(high) > 1)


def nested_repeat(pattern: str) -> str | None:
    """The first repeated group of ``pattern`` that holds a repeat itself (``(a+)+``), or None.

    A scan of the text: escapes and character classes are skipped, each group remembers
    whether a repeat stands inside it.
    """
    inner: list[tuple[int, bool]] = []  # open groups: where each starts, a repeat inside
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            if _repeat_at(pattern, i) and inner:
                inner[-1] = (inner[-1][0], True)
            continue
        if ch == "[":
            i = _class_end(pattern, i)
            if _repeat_at(pattern, i) and inner:
                inner[-1] = (inner[-1][0], True)
            continue
        if ch == "(":
            inner.append((i, False))
        elif ch == ")" and inner:
            start, repeats = inner.pop()
            if _repeat_at(pattern, i + 1):
                if repeats:
                    return pattern[start : i + 2]
                if inner:
                    inner[-1] = (inner[-1][0], True)
            elif repeats and inner:
                inner[-1] = (inner[-1][0], True)
        elif _repeat_at(pattern, i + 1) and inner and ch not in "(|":
            inner[-1] = (inner[-1][0], True)
        i += 1
    return None


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class opening at ``i``."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1
