"""A form's layout (表式) read against the rule set's template.

Which first-level block (一级指标) and second-level group (二级指标) each row stands under,
where it counts, the points printed on the blocks (``产出指标(60分)``), and every way the layout
differs from the template.  Local templates are normal, so labels are compared the way a person
reads them: script (``產出指標``), spaces, numbering (``一、``), points and notes in brackets and
the suffixes ``等`` and ``指标`` set aside, then the rule set's ``structure.synonyms``
(``进度指标`` ≈ 时效指标) and ``structure.placements`` (满意度 under 效益 in older templates).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from perfscore.form.model import Form, Indicator
from perfscore.ruleset.rules import RuleSet
from perfscore.text.script import simplify
from perfscore.words.messages import num

__all__ = [
    "Layout",
    "Place",
    "Template",
    "block_points",
    "execution_weight",
    "goal_tables",
    "has_execution_row",
    "label_key",
    "place",
    "read_layout",
    "template",
]

_ZERO = Decimal(0)
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十\d]+[、.．]|[(（][一二三四五六七八九十\d]+[)）])"
)
_BRACKETS = re.compile(r"[(（【\[][^)）】\]]*[)）】\]]?")
_SUFFIXES = ("等", "类", "指标", "：", ":")


@lru_cache(maxsize=4096)
def label_key(label: str | None) -> str:
    """The part of a printed label that names the block or group.

    ``产出指标 (50分)``, ``產出指標``, ``一、产出指标`` → ``产出``; ``服务对象满意度指标等`` →
    ``服务对象满意度``.
    """
    if not label:
        return ""
    text = "".join(simplify(label).split())
    text = _BRACKETS.sub("", _NUMBERING.sub("", text))
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    return text


@dataclass(frozen=True)
class Template:
    """The rule set's structure with every label reduced to its key."""

    blocks: Mapping[str, str]  # key → block name
    groups: Mapping[str, tuple[str, str]]  # key → (group name, block name)
    synonyms: Mapping[str, str]  # key of a printed label → the rule set's name
    placements: frozenset[tuple[str, str]]  # (block, group) allowed besides the group's own
    required: tuple[str, ...]
    conventions: Mapping[str, Decimal]  # 产出指标 → 50; 效益指标+满意度指标 → 40


def template(rules: RuleSet) -> Template:
    """The rule set's :class:`Template`, built once per rule set."""
    table = rules.memo.table("template")
    found = table.get("")
    if found is None:
        spec = rules.spec.structure
        names = list(spec.level1) or [
            part for name in rules.weights.level1 for part in name.split("+")
        ]
        groups = {
            label_key(group): (group, block)
            for block, members in spec.level1.items()
            for group in members
        }
        found = table.put(
            "",
            Template(
                blocks={label_key(name): name for name in names},
                groups=groups,
                synonyms={label_key(k): v for k, v in spec.synonyms.items()},
                placements=frozenset(
                    (block, group)
                    for block, members in spec.placements.items()
                    for group in members
                ),
                required=spec.required,
                conventions=dict(rules.weights.level1),
            ),
        )
    return found  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Place:
    """Where one row stands: the block printed (the rule set's name where known, else the
    label's key), its group (the rule set's name, or ``None`` when unknown) and the block it
    counts under (its group's block, else the printed one)."""

    block: str | None
    group: str | None
    home: str | None
    renamed: tuple[tuple[str, str], ...] = ()  # (printed label, rule-set name) via a synonym


def _block(label: str | None, tpl: Template) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    key = label_key(label)
    if not key:
        return None, ()
    if key in tpl.blocks:
        return tpl.blocks[key], ()
    named = tpl.synonyms.get(key)
    if named is not None:
        named_key = label_key(named)
        name = tpl.blocks.get(named_key) or (
            tpl.groups[named_key][1] if named_key in tpl.groups else named
        )
        return name, (((label or "").strip(), name),)
    if key in tpl.groups:  # a group printed as the block (服务对象满意度指标 as 一级指标)
        return tpl.groups[key][1], ()
    # A longer label naming a block (服务对象满意度 → 满意度指标, 项目产出指标 → 产出指标).
    for block_key, name in sorted(tpl.blocks.items(), key=lambda kv: -len(kv[0])):
        if block_key in key:
            return name, ()
    return key, ()


def _group(
    label: str | None, tpl: Template
) -> tuple[str | None, str | None, tuple[tuple[str, str], ...]]:
    key = label_key(label)
    if not key:
        return None, None, ()
    if key in tpl.groups:
        return (*tpl.groups[key], ())
    named = tpl.synonyms.get(key)
    if named is not None and label_key(named) in tpl.groups:
        group, block = tpl.groups[label_key(named)]
        return group, block, (((label or "").strip(), group),)
    return None, None, ()


def place(level1: str | None, level2: str | None, rules: RuleSet) -> Place:
    """Where a row printed under ``level1`` / ``level2`` stands; cached per rule set."""
    table = rules.memo.table("place")
    found = table.get((level1, level2))
    if found is None:
        tpl = template(rules)
        block, renamed1 = _block(level1, tpl)
        group, group_block, renamed2 = _group(level2, tpl)
        found = table.put(
            (level1, level2), Place(block, group, group_block or block, renamed1 + renamed2)
        )
    return found  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Layout:
    """A form's layout: each row's :class:`Place`, the blocks' printed points (the rule set's
    names, budget rows left out), the blocks absent and the differences, each in Chinese and
    English."""

    places: tuple[Place, ...]
    points: Mapping[str, Decimal]
    absent: tuple[str, ...]
    differences: tuple[tuple[str, str], ...]


def block_points(form: Form, rules: RuleSet) -> dict[str, Decimal]:
    """``form.blocks`` under the rule set's block names; a budget entry (预算执行) is not a
    block of indicators and is left out."""
    tpl = template(rules)
    points: dict[str, Decimal] = {}
    for label, value in form.blocks.items():
        if "预算" in label_key(label):
            continue
        name = _block(label, tpl)[0]
        if name is not None:
            points[name] = points.get(name, _ZERO) + value
    return points


def read_layout(
    form: Form, weights: Sequence[Decimal | None], rules: RuleSet, *, kind_checks: bool = True
) -> Layout:
    """Read ``form``'s layout; ``weights`` are the rows' weights (for the first-level
    convention).  ``kind_checks`` is false for forms whose blocks and groups need not all be
    present (部门整体).

    Forms of one template repeat their layout, so it is remembered in the rule set's memo under
    everything it is read from: the rows' labels and weights, the blocks' points, the kind."""
    key = (
        tuple((ind.level1, ind.level2) for ind in form.indicators),
        tuple(weights),
        tuple(form.blocks.items()),
        kind_checks,
    )
    table = rules.memo.table("layout", limit=1024)
    found: Layout | None = table.get(key)
    if found is None:
        found = table.put(key, _read_layout(form, weights, rules, kind_checks))
    return found


def _read_layout(
    form: Form, weights: Sequence[Decimal | None], rules: RuleSet, kind_checks: bool
) -> Layout:
    tpl = template(rules)
    places = tuple(place(ind.level1, ind.level2, rules) for ind in form.indicators)
    points = block_points(form, rules)
    differences = _placement_notes(form, places, tpl)
    labelled = any(ind.level1 or ind.level2 for ind in form.indicators)
    absent: tuple[str, ...] = ()
    if labelled and kind_checks and form.indicators:
        absent = _presence_notes(places, tpl, differences)
    # The first-level convention (50/30/10) is a project form's; a department form has its own.
    off = _off_convention(places, weights, points, tpl) if labelled and kind_checks else []
    if off:
        differences.append(
            (
                "一级指标分值"
                + "、".join(f"“{b}”{num(got)}（规则 {num(want)}）" for b, got, want in off),
                "first-level points "
                + ", ".join(f"{b!r} {num(got)} (rules {num(want)})" for b, got, want in off),
            )
        )
    return Layout(places, points, absent, tuple(differences))


def _placement_notes(form: Form, places: Sequence[Place], tpl: Template) -> list[tuple[str, str]]:
    """Labels read through synonyms, groups under another block, groups the rule set does not
    know: each a (Chinese, English) note."""
    differences: list[tuple[str, str]] = []
    renamed = _unique(r for p in places for r in p.renamed)
    if renamed:
        differences.append(
            (
                "、".join(f"“{printed}”按“{name}”读" for printed, name in renamed),
                ", ".join(f"{printed!r} read as {name!r}" for printed, name in renamed),
            )
        )
    allowed, wrong, unknown = _placements(form.indicators, places, tpl)
    if allowed:
        differences.append(
            (
                "、".join(f"“{g}”列在“{b}”下（旧表式），计入“{h}”" for g, b, h in allowed),
                ", ".join(
                    f"{g!r} under {b!r} (older template), counted in {h!r}" for g, b, h in allowed
                ),
            )
        )
    if wrong:
        differences.append(
            (
                "、".join(f"“{g}”列在“{b}”下，应属“{h}”" for g, b, h in wrong),
                ", ".join(f"{g!r} printed under {b!r}, belongs under {h!r}" for g, b, h in wrong),
            )
        )
    if unknown:
        differences.append(
            (
                "二级指标" + "、".join(f"“{g}”" for g in unknown) + "不在规则的结构中",
                "groups not in the rule set's structure: " + ", ".join(repr(g) for g in unknown),
            )
        )

    return differences


def _presence_notes(
    places: Sequence[Place], tpl: Template, differences: list[tuple[str, str]]
) -> tuple[str, ...]:
    """Required groups and first-level blocks absent, noted in ``differences``; the blocks
    absent."""
    groups = {p.group for p in places}
    missing = [g for g in tpl.required if g not in groups]
    if missing:
        differences.append(
            (
                "缺少二级指标" + "、".join(f"“{g}”" for g in missing),
                "missing groups: " + ", ".join(repr(g) for g in missing),
            )
        )
    homes = {p.home for p in places}
    absent = tuple(b for b in tpl.blocks.values() if b not in homes)
    if absent:
        differences.append(
            (
                "缺少一级指标" + "、".join(f"“{b}”" for b in absent),
                "missing first-level blocks: " + ", ".join(repr(b) for b in absent),
            )
        )
    return absent


def _unique(items: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return list(dict.fromkeys(items))


def _placements(
    indicators: Sequence[Indicator], places: Sequence[Place], tpl: Template
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], list[str]]:
    allowed: list[tuple[str, ...]] = []
    wrong: list[tuple[str, ...]] = []
    unknown: list[str] = []
    for ind, p in zip(indicators, places, strict=True):
        if p.group is None:
            key = label_key(ind.level2)
            # Not-applicable filler rows and unlabelled rows say nothing of the layout.
            if key and key not in tpl.blocks and (ind.level2 or "").strip() not in unknown:
                unknown.append((ind.level2 or "").strip())
            continue
        if p.block is None or p.home is None or p.block == p.home:
            continue
        entry = ((ind.level2 or "").strip(), (ind.level1 or "").strip(), p.home)
        if (p.block, p.group) in tpl.placements:
            allowed.append(entry)
        else:
            wrong.append(entry)
    return _unique(allowed), _unique(wrong), unknown


def _off_convention(
    places: Sequence[Place],
    weights: Sequence[Decimal | None],
    points: Mapping[str, Decimal],
    tpl: Template,
) -> list[tuple[str, Decimal, Decimal]]:
    """First-level points that differ from the rule set's convention: the blocks' printed
    points where the form has them, else the rows' weights summed where they count."""
    if not tpl.conventions:
        return []
    sums: dict[str, Decimal] = {}
    if points:
        sums = dict(points)
    elif any(w is not None for w in weights):
        for p, w in zip(places, weights, strict=True):
            if p.home is not None and w is not None:
                sums[p.home] = sums.get(p.home, _ZERO) + w
    else:
        return []
    off = []
    for name, convention in tpl.conventions.items():
        # A combined key (效益指标+满意度指标: 40) weighs several blocks together.
        got = sum((sums.get(part, _ZERO) for part in name.split("+")), _ZERO)
        if got != convention:
            off.append((name, got, convention))
    return off


def _budget_points(form: Form) -> Decimal | None:
    """Points printed for the budget among the blocks (``预算执行(20分)``)."""
    for label, value in form.blocks.items():
        if "预算" in label_key(label):
            return value
    return None


def has_execution_row(form: Form, rules: RuleSet) -> bool:
    """Whether the form's template scores budget execution.  Not when nothing is printed for it
    (no 分值, no 得分) and the indicator weights — or the blocks' points — add up to the rule
    set's total on their own."""
    budget = form.budget
    if budget is not None and (budget.weight is not None or budget.score is not None):
        return True
    if _budget_points(form) is not None:
        return True
    points = block_points(form, rules)
    if points:
        return sum(points.values(), _ZERO) != rules.weights.total
    weights = [ind.weight for ind in form.indicators if ind.weight is not None]
    return not weights or sum(weights, _ZERO) != rules.weights.total


def execution_weight(form: Form, rules: RuleSet) -> Decimal | None:
    """The execution weight the form implies where its budget row prints none: the points on a
    budget block header, or 0 for a template without an execution row; ``None`` to use the
    printed 分值 or the rule set's default."""
    if form.budget is not None and form.budget.weight is not None:
        return None
    printed = _budget_points(form)
    if printed is not None:
        return printed
    return None if has_execution_row(form, rules) else _ZERO


def goal_tables(
    places: Sequence[Place], cells: Sequence[tuple[Any, ...]], rules: RuleSet
) -> list[int]:
    """Each row's table, counted from 0, where the form does not say which annual goal
    (年度目标) a row serves.

    A department form read from a layout that prints no goal column (a PDF of the project
    layout) still shows its goals' tables: the first-level blocks start over (产出指标 after
    效益指标 or 满意度指标) and run through at least two blocks again.  A lone row back under an
    earlier block is a row out of place, not a new table, and stays in the table before it; a
    table the same as an earlier one in every row's ``cells`` is a copy of it, not a new goal.
    """
    order = {name: k for k, name in enumerate(template(rules).blocks.values())}
    ranks = [order.get(p.home) if p.home else None for p in places]
    starts = [0]
    last: int | None = None
    for i, rank in enumerate(ranks):
        if rank is None:
            continue
        if last is not None and rank < last:
            starts.append(i)
        last = rank
    tables = [0] * len(places)
    table = 0
    bounds = [*starts, len(places)]
    for begin, end in itertools.pairwise(bounds):
        if begin and len({k for k in ranks[begin:end] if k is not None}) > 1:
            table += 1
        tables[begin:end] = [table] * (end - begin)
    copies: dict[tuple[tuple[Any, ...], ...], int] = {}
    for number in range(table + 1):
        rows = [i for i, t in enumerate(tables) if t == number]
        first = copies.setdefault(tuple(cells[i] for i in rows), number)
        for i in rows:
            tables[i] = first
    return tables
