"""A shipped rule set by name: found once, looked at again only when its file may have
changed."""

from __future__ import annotations

from typing import Any

import pytest

from perfscore.errors import RuleSetError
from perfscore.ruleset import loading
from perfscore.ruleset.loading import load_rules, shipped_dir


def test_a_name_gives_the_same_rule_set_as_its_file() -> None:
    """By name, again by name and by the file's path: one compiled rule set."""
    first = load_rules("national-2020")
    assert load_rules("national-2020") is first
    assert load_rules(shipped_dir() / "national-2020.yaml") is first


class _Stale:
    """An entry whose file changed since it was read."""

    rule_set: Any = object()

    def current(self, grace: float) -> bool:
        return False


def test_a_changed_file_behind_a_name_is_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A remembered name whose file changed is not answered from memory: the loader looks at
    the file, and the name then remembers what it found."""
    stale = _Stale()
    monkeypatch.setitem(loading._NAMED, "national-2020", stale)
    found = load_rules("national-2020")
    assert found is not stale.rule_set
    assert loading._NAMED["national-2020"] is not stale  # type: ignore[comparison-overlap]
    assert load_rules("national-2020") is found


def test_an_unknown_name_is_not_remembered() -> None:
    """A name that is no shipped rule set raises every time and takes no room."""
    for _ in range(2):
        with pytest.raises(RuleSetError):
            load_rules("no-such-rules")
    assert "no-such-rules" not in loading._NAMED
