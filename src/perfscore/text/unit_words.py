"""The printed words of units (度量单位) and the definitions they stand for.

Every word a form prints for a unit, by family, with its name in the package's pint
registry (:data:`WORDS`), and the registry's definitions (:data:`DEFINITIONS`).
:mod:`perfscore.text.units` resolves printed units from these; ``scripts/gen_unit_table.py``
regenerates ``_unit_table.py`` (each registry unit's dimension and factor) from them with pint.

A new unit is a word here (in its family, or a new definition) and a run of that script.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["COUNT_WORDS", "DEFINITIONS", "FAMILIES", "PERCENT_WORDS", "WORDS"]

#: Counting words (量词) seen on forms, all of dimension ``[count]``.
COUNT_WORDS: tuple[str, ...] = (
    "人次",
    "户次",
    "件次",
    "场次",
    "批次",
    "车次",
    "架次",
    "台次",
    "班次",
    "期次",
    "课次",
    "人",
    "名",
    "位",
    "户",
    "次",
    "件",
    "宗",
    "起",
    "例",
    "家",
    "个",
    "所",
    "场",
    "期",
    "份",
    "本",
    "册",
    "套",
    "台",
    "块",
    "张",
    "条",
    "篇",
    "项",
    "处",
    "间",
    "座",
    "辆",
    "部",
    "批",
    "类",
    "支",
    "组",
    "课时",
    "学时",
    "节",
    "堂",
    "单",
    "笔",
    "只",
    "栋",
    "幅",
    "片",
    "箱",
    "盒",
    "桶",
    "瓶",
    "包",
    "袋",
    "棵",
    "株",
    "头",
    "匹",
    "艘",
    "盏",
    "根",
    "枚",
    "顶",
    "副",
    "双",
    "把",
    "扇",
    "面",
    "队",
    "村",
    "床",
    "孔",
    "眼",
    "口",
    "轮",
    "届",
    "版",
    "集",
    "个点",
)

# Durations, with their names in the package's registry.  工作日 is counted as a day: forms
# never mix working and calendar days within one indicator.
_TIME_WORDS: dict[str, str] = {
    "秒": "second",
    "秒钟": "second",
    "分钟": "minute",
    "min": "minute",
    "小时": "hour",
    "个小时": "hour",
    "天": "day",
    "日": "day",
    "个工作日": "day",
    "工作日": "day",
    "周": "week",
    "星期": "week",
    "个星期": "week",
    "旬": "xun",
    "个月": "month",
    "月": "month",
    "季度": "quarter",
    "个季度": "quarter",
    "季": "quarter",
    "半年": "half_year",
    "年": "year",
    "年度": "year",
}

_MONEY_WORDS: dict[str, str] = {
    "元": "yuan",
    "块钱": "yuan",
    "十元": "ten_yuan",
    "百元": "hundred_yuan",
    "千元": "thousand_yuan",
    "万元": "wan_yuan",
    "十万元": "shiwan_yuan",
    "百万元": "million_yuan",
    "千万元": "ten_million_yuan",
    "亿元": "yi_yuan",
}

PERCENT_WORDS: dict[str, str] = {
    "%": "percent",
    "百分比": "percent",
    "百分点": "percent",
    "个百分点": "percent",
    "‰": "permille",
    "千分比": "permille",
}

# Points of a score (90分以上): their own dimension, never a duration.
_POINT_WORDS: dict[str, str] = {"分": "point"}

_LENGTH_WORDS: dict[str, str] = {
    "毫米": "millimetre",
    "mm": "millimetre",
    "厘米": "centimetre",
    "公分": "centimetre",
    "cm": "centimetre",
    "米": "metre",
    "延米": "metre",
    "m": "metre",
    "公里": "kilometre",
    "千米": "kilometre",
    "km": "kilometre",
}

_AREA_WORDS: dict[str, str] = {
    "平方米": "square_metre",
    "平米": "square_metre",
    "m2": "square_metre",
    "平方公里": "square_kilometre",
    "平方千米": "square_kilometre",
    "km2": "square_kilometre",
    "亩": "mu",
    "公顷": "hectare",
    "hm2": "hectare",
}

_MASS_WORDS: dict[str, str] = {
    "毫克": "milligram",
    "克": "gram",
    "g": "gram",
    "斤": "jin",
    "公斤": "kilogram",
    "千克": "kilogram",
    "kg": "kilogram",
    "吨": "tonne",
    "t": "tonne",
}

_VOLUME_WORDS: dict[str, str] = {
    "毫升": "millilitre",
    "ml": "millilitre",
    "升": "litre",
    "L": "litre",
    "立方米": "cubic_metre",
    "立方": "cubic_metre",
    "方": "cubic_metre",
    "m3": "cubic_metre",
}

_POWER_WORDS: dict[str, str] = {
    "瓦": "watt",
    "W": "watt",
    "千瓦": "kilowatt",
    "kW": "kilowatt",
    "kw": "kilowatt",
    "兆瓦": "megawatt",
    "MW": "megawatt",
}

_ENERGY_WORDS: dict[str, str] = {
    "千瓦时": "kilowatt_hour",
    "千瓦·时": "kilowatt_hour",
    "度": "kilowatt_hour",
    "kWh": "kilowatt_hour",
    "kwh": "kilowatt_hour",
    "兆瓦时": "megawatt_hour",
    "MWh": "megawatt_hour",
}

#: Every printed word and its registry name, by family.
FAMILIES: dict[str, Mapping[str, str]] = {
    "count": dict.fromkeys(COUNT_WORDS, "item"),
    "time": _TIME_WORDS,
    "money": _MONEY_WORDS,
    "percent": PERCENT_WORDS,
    "point": _POINT_WORDS,
    "length": _LENGTH_WORDS,
    "area": _AREA_WORDS,
    "mass": _MASS_WORDS,
    "volume": _VOLUME_WORDS,
    "power": _POWER_WORDS,
    "energy": _ENERGY_WORDS,
}
WORDS: dict[str, str] = {w: name for family in FAMILIES.values() for w, name in family.items()}
# 人/次 is a counting word as printed (件/次 per time is a rate); it is matched whole.
WORDS["人/次"] = "item"

DEFINITIONS = """
item = [count]
point = [points]
second = [time] = s
minute = 60 * second = min
hour = 60 * minute = h
day = 24 * hour = d
week = 7 * day
xun = 10 * day
year = 365 * day = a
month = year / 12
quarter = year / 4
half_year = year / 2
yuan = [currency] = CNY
ten_yuan = 10 * yuan
hundred_yuan = 100 * yuan
thousand_yuan = 1000 * yuan
wan_yuan = 10000 * yuan
shiwan_yuan = 100000 * yuan
million_yuan = 1000000 * yuan
ten_million_yuan = 10000000 * yuan
yi_yuan = 100000000 * yuan
percent = 0.01
permille = 0.001
metre = [length] = m = meter
millimetre = metre / 1000 = mm
centimetre = metre / 100 = cm
kilometre = 1000 * metre = km
square_metre = metre ** 2
square_kilometre = kilometre ** 2
hectare = 10000 * square_metre = ha
mu = hectare / 15
gram = [mass] = g
milligram = gram / 1000 = mg
kilogram = 1000 * gram = kg
jin = 500 * gram
tonne = 1000 * kilogram = t
cubic_metre = metre ** 3
litre = cubic_metre / 1000 = L = l = liter
millilitre = litre / 1000 = ml = mL
watt = kilogram * metre ** 2 / second ** 3 = W
kilowatt = 1000 * watt = kW
megawatt = 1000000 * watt = MW
kilowatt_hour = kilowatt * hour = kWh
megawatt_hour = megawatt * hour = MWh
"""
