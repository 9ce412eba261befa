"""Small text helpers shared by the engine and the reports: numbers as printed on a form."""

from __future__ import annotations

from decimal import Decimal

from perfscore.values import _plain

STATUS_ZH = {
    "met": "达成",
    "partly_met": "部分达成",
    "missed": "未达成",
    "not_applicable": "不适用",
    "not_judged": "无法判断",
}


def num(value: Decimal | None) -> str:
    """A Decimal as printed on a form: no exponent, no trailing zeros; ``""`` for None."""
    return "" if value is None else _plain(value)


def percent(fraction: Decimal | None) -> str:
    """0.9686 → ``96.86%``; ``""`` for None."""
    if fraction is None:
        return ""
    return f"{_plain((fraction * 100).quantize(Decimal('0.01')))}%"


def say(lang: str, zh: str, en: str) -> str:
    """The Chinese or the English text."""
    return en if lang == "en" else zh


def status(value: str, lang: str) -> str:
    """An indicator status in the report's language."""
    return value if lang == "en" else STATUS_ZH[value]
