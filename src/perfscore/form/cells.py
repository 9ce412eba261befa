"""The number cells of a form as people type them: amounts, points and money units.

A budget cell is often typed with its unit or a multiplier — ``150万``, ``80万元``, ``1.2亿``,
``3,500元``, ``￥2,025,000.00`` — and the form's unit (金额单位) in any script or wrapping —
``萬元``, ``单位：万元``, ``（万元）``.  :func:`read_amount` turns such a cell into a number in the
form's money unit and says, in words for a reading note, what was converted; :func:`read_points`
reads a weight or score typed with ``分``; :func:`money_unit` reads a money unit.
:func:`to_decimal`, :func:`to_text` and :func:`bounded` are the form model's conversions of a
cell to its field's type.

Everything here is pure and works on exact Decimals.  A cell that is not an amount comes back
unchanged, for the form's validation to report on its field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

from pydantic_core import PydanticCustomError

from perfscore.text.numbers import MULTIPLIERS
from perfscore.text.script import simplify
from perfscore.text.values import plain

__all__ = [
    "MAX_PLACES",
    "MONEY_UNITS",
    "bounded",
    "from_float",
    "money_unit",
    "rate_text",
    "read_amount",
    "read_kind",
    "read_points",
    "read_year",
    "to_blocks",
    "to_decimal",
    "to_text",
]

_ONE = Decimal(1)

#: Money units a form may declare, with their size in 元.
MONEY_UNITS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1_000),
    "万元": Decimal(10_000),
    "百万元": Decimal(1_000_000),
    "亿元": Decimal(100_000_000),
}

# Thousands are grouped with ASCII or full-width commas, or spaces; currency signs and 人民币
# may lead; 元 (or 圆) may close.  Simplified and half-width already (see simplify).
_AMOUNT = re.compile(
    r"(?P<currency>(?:人民币|RMB|CNY)?[¥￥]?)"
    r"(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?)"
    r"(?P<multiplier>百万|千万|千|万|亿)?"
    r"(?P<yuan>元|圆)?",
    re.IGNORECASE,
)
_GROUPING = re.compile(r"(?<=\d)[,，\s](?=\d)")
_SPACE = re.compile(r"\s+")
_BLANK = frozenset({"", "—", "——", "-", "--", "/", "－", "–"})
_POINTS = re.compile(r"(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))分?")
# Wrapping a printed money unit carries: 金额单位：万元, (万元), 单位:人民币万元.
_UNIT_WRAPPING = re.compile(r"^(?:金额)?(?:单位)?[:：]?|[()（）\[\]【】\s]|人民币|币种")


def money_unit(printed: Any) -> str | None:
    """The money unit a form declares, as one of :data:`MONEY_UNITS`, or None if unreadable.

    ``萬元``, ``万``, ``单位：万元``, ``（万元）``, ``人民币元`` are read; anything else is None.
    """
    if not isinstance(printed, str):
        return None
    text = _UNIT_WRAPPING.sub("", simplify(printed).strip())
    text = text.replace("圆", "元")
    if text in MONEY_UNITS:
        return text
    if text and text + "元" in MONEY_UNITS:  # 万, 亿: the unit named by its multiplier
        return text + "元"
    return None


def _text(value: str) -> str:
    return _SPACE.sub("", _GROUPING.sub("", simplify(value).strip()))


def _whole(amount: Decimal) -> Decimal:
    """An amount without exponent or padding zeros: 120000, 21.746164.

    An amount past any form's (1E+96) is left as read, for the form's bounds to refuse: written
    out whole it would need more digits than a Decimal context holds."""
    if not amount.is_finite() or amount.adjusted() >= 15:
        return amount
    return amount.quantize(_ONE) if amount == amount.to_integral_value() else amount.normalize()


def read_amount(value: Any, bare: str, unit: str) -> tuple[Any, tuple[str, str] | None]:
    """A money cell in ``unit``, and a reading note (Chinese, English) when the printed amount
    was converted.

    ``bare`` is the unit of a number printed without one (the form's declared unit).  A cell
    that is not an amount (``—``, a number, text) comes back as it was with no note.

    >>> read_amount("150万", "元", "元")
    (Decimal('1500000'), ('“150万”按 1500000元计', "'150万' read as 1500000 元"))
    >>> read_amount("80万元", "万元", "万元")
    (Decimal('80'), None)
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        return value, None
    printed = repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        text = _text(value)
        if text in _BLANK:
            return None, None
        match = _AMOUNT.fullmatch(text)
        if match is None:
            return value, None
        number = Decimal(match["number"])
        multiplier = match["multiplier"] or ""
        # ¥, ￥, 人民币 say 元 as much as 元 does: ¥3,500 in a 万元 form is 0.35 万元.
        printed_unit = bool(multiplier or match["yuan"] or match["currency"])
        said = multiplier + "元" if printed_unit else bare
        folded = said not in MONEY_UNITS  # 1千万: a multiplier without a unit of its own
        if folded:
            said, number = "元", number * MULTIPLIERS[multiplier]
    else:
        number, said, folded, printed_unit = Decimal(printed), bare, False, False
    if said == unit and not folded:
        # 1.2E+05 is printed as 120000: an exponent is how it was typed, not a precision.
        return (_whole(number) if "e" in printed.lower() else number), None
    amount = _whole(number * MONEY_UNITS[said] / MONEY_UNITS[unit])
    # A bare number in a form declared in 亿元 is converted with the form (one note there).
    if not printed_unit:
        return amount, None
    return amount, (
        f"“{printed}”按 {plain(amount)}{unit}计",
        f"{printed!r} read as {plain(amount)} {unit}",
    )


def read_points(value: Any) -> Any:
    """A weight, score or total typed with ``分`` or in Chinese numerals (``5分``, ``９５．５分``,
    ``五分``, ``二十分``) as its number; any other cell unchanged."""
    if not isinstance(value, str):
        return value
    text = _text(value)
    match = _POINTS.fullmatch(text)
    if match:
        return match["number"]
    number = _chinese_whole(text.removesuffix("分"))
    return value if number is None else Decimal(number)


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHINESE_WHOLE = re.compile(
    r"(?:([一二两三四五六七八九])百)?(?:([一二三四五六七八九])?(十))?零?([一二两三四五六七八九])?"
)


def _chinese_whole(text: str) -> int | None:
    """一 … 九百九十九 in Chinese numerals (五, 十五, 二十, 一百, 一百零五), or None."""
    if text in ("零", "〇"):
        return 0
    match = _CHINESE_WHOLE.fullmatch(text)
    if not text or match is None:
        return None
    hundreds, tens, ten, ones = match.groups()
    value = _DIGITS[hundreds] * 100 if hundreds else 0
    if ten:
        value += _DIGITS[tens] * 10 if tens else 10
    return value + (_DIGITS[ones] if ones else 0)


_YEAR = re.compile(r"(\d{4})年?度?")
_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def read_year(value: Any) -> Any:
    """A year typed as text (``2024年``, ``2024年度``, ``二〇二四年``) as a whole number; any other
    cell unchanged."""
    if not isinstance(value, str):
        return value
    text = _text(value).translate(_CHINESE_DIGITS)
    match = _YEAR.fullmatch(text)
    return int(match[1]) if match else value


def read_kind(value: Any) -> Any:
    """The kind of form named in Chinese (``项目支出``, ``部门整体``, ``绩效目标表``, in either
    script) as ``project``, ``department`` or ``targets``; any other cell unchanged."""
    if not isinstance(value, str) or value in ("project", "department", "targets"):
        return value
    text = _text(value)
    if "目标" in text:
        return "targets"
    if "部门" in text:
        return "department"
    if "项目" in text:
        return "project"
    return value


# --------------------------------------------------------------------------------------------
# A cell to its field's type, as the form model converts it

# The magnitudes a form's numbers can have: more than any budget in 元 (a national budget is
# about 10^13), and more decimal places than any printed amount, rate or score.  Outside them a
# number is a typing accident (``1e30``, ``1e999999999``), refused with its path and line
# rather than carried into arithmetic.
MAX_PLACES = 12
_SMALLEST = Decimal(1).scaleb(-MAX_PLACES)
# Exact for every number below 10^15 at 12 places, whatever the host program's context.
_BOUNDS_CONTEXT = Context(prec=40, Emax=999_999, Emin=-999_999)
_BOUNDS_QUANTIZE = _BOUNDS_CONTEXT.quantize
_PLACES = re.compile(rf"[.．][0-9０-９]{{{MAX_PLACES + 1},}}")


def to_decimal(value: Any) -> Any:
    """Accept 2025000, 2025000.0, "2,025,000.00" and " 96.86 " as Decimals; leave anything
    else for the field's own validation to refuse, with its path."""
    if value is None or isinstance(value, (Decimal, bool)):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return from_float(value)
    if isinstance(value, str):
        text = (value if value.isascii() else simplify(value)).strip()
        text = text.replace(",", "").replace("，", "")
        if text in {"", "—", "-", "/"}:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            return value
    return value


def from_float(value: float) -> Decimal:
    """A float as the number it stands for: its shortest repr (what the user wrote), rounded
    half-up to :data:`MAX_PLACES` places where it carries a binary fraction's tail (``100/3``
    is 33.333333333333336: 33.333333333333)."""
    number = Decimal(repr(value))
    if number.is_finite() and number.as_tuple().exponent < -MAX_PLACES:  # type: ignore[operator]
        return number.quantize(_SMALLEST, rounding=ROUND_HALF_UP, context=_BOUNDS_CONTEXT)
    return number


def to_text(value: Any) -> Any:
    """Printed cells: keep strings; numbers typed in YAML become their printed text."""
    if type(value) is str:  # nearly every cell: no further tests
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return value


def to_blocks(value: Any) -> Any:
    """``{产出指标: 60, 效益指标: "40分", 產出指標: 四十}``: each block's points as a Decimal, its
    label in simplified script."""
    if not isinstance(value, Mapping):
        return value
    return {
        simplify(key).strip() if isinstance(key, str) else key: to_decimal(read_points(points))
        for key, points in value.items()
    }


def rate_text(text: str) -> str:
    """A printed rate ("96.86%") is compared to the places it shows: refuse absurd precision."""
    if _PLACES.search(text):
        raise ValueError(f"a rate printed with more than {MAX_PLACES} decimal places: {text!r}")
    return text


def bounded(value: Decimal) -> Decimal:
    """A number a form can hold: finite, below 10^15, at most 12 decimal places."""
    # The bounds' own context does the arithmetic, whatever the host program's context is.
    if value.is_finite() and value.adjusted() < 15 and value == _BOUNDS_QUANTIZE(value, _SMALLEST):
        return value
    raise PydanticCustomError("number_bounds", "not a usable number")
