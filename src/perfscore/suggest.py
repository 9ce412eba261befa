"""Did-you-mean: the one place misspelt names (keys, codes, rule sets) are matched."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["closest", "did_you_mean"]


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known name closest to ``word``, if any is close enough to be a likely misspelling."""
    import difflib  # only errors need it: start-up does not pay for it

    found = difflib.get_close_matches(word, list(known), n=1)
    return found[0] if found else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``"; did you mean 'rounding'?"`` or ``""``: a suffix for an error message."""
    match = closest(word, known)
    return f"; did you mean {match!r}?" if match else ""
