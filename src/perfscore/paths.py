"""Places in a form: a field path as a tuple (``("indicators", 3, "actual")``) and as text
(``indicators[3].actual``).  A foundation: it imports nothing of perfscore."""

from __future__ import annotations

__all__ = ["Location", "format_path", "parse_path"]

Location = tuple[str | int, ...]
"""Where a value sits in a form: ``("indicators", 3, "weight")``, ``("budget", "rate")``."""


def parse_path(text: str) -> tuple[str | int, ...]:
    """``"indicators[3].actual"`` → ``("indicators", 3, "actual")``."""
    parts: list[str | int] = []
    for piece in text.replace("]", "").split("."):
        name, *indices = piece.split("[")
        if name:
            parts.append(name)
        parts += [int(i) for i in indices if i.isdigit()]
    return tuple(parts)


def format_path(path: tuple[str | int, ...]) -> str:
    """``("indicators", 3, "actual")`` → ``"indicators[3].actual"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
