"""The ``opinions:`` section of a rule file: a flag code's review opinion (审核意见) as a rule
set words it, over the defaults of :mod:`perfscore.words.opinions`.

:class:`OpinionText` is the shape of one entry (``problem``, ``ask`` and their English twins,
each optional); :func:`worded_opinions` puts a rule set's entries over the defaults, key by key
(a rule set that ``extends:`` another has the parent's entries merged in already); and
:func:`wrong_language` is what ``perfscore rules check`` says of wording in the wrong language.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from perfscore.suggest import did_you_mean
from perfscore.words.catalogue import CATALOGUE
from perfscore.words.opinions import OPINIONS, Opinion

__all__ = ["MAX_OPINION_CHARS", "FlagCode", "OpinionText", "worded_opinions", "wrong_language"]

#: The longest opinion text a rule file may give: a sentence or two, not a page.
MAX_OPINION_CHARS = 300


def _opinion_words(text: str) -> str:
    if not text.strip():
        raise ValueError("an opinion is words; leave the key out to keep the parent's wording")
    if len(text) > MAX_OPINION_CHARS:
        raise ValueError(
            f"an opinion of {len(text)} characters; at most {MAX_OPINION_CHARS} (a sentence or two)"
        )
    return text


# Words, not blank, of bounded length; the schema says the same to an editor.
_OpinionWords = Annotated[
    str,
    AfterValidator(_opinion_words),
    Field(json_schema_extra={"pattern": r"\S", "maxLength": MAX_OPINION_CHARS}),
]


def _flag_code(code: str) -> str:
    """A code of the flag catalogue; a misspelt one refused with the likely code."""
    if code not in CATALOGUE:
        raise ValueError(f"unknown flag code {code!r}{did_you_mean(code, CATALOGUE)}")
    return code


#: A key naming a flag code: refused at its own line when it names none.
FlagCode = Annotated[str, AfterValidator(_flag_code)]


class OpinionText(BaseModel):
    """A flag code's review opinion (审核意见) as the rule set words it: ``problem`` (问题) and
    ``ask`` (what the unit is asked to do), each with its English twin (``problem_en``,
    ``ask_en``).  A key left out keeps the parent's or the default wording."""

    # As every section of a rule file: no unknown key, immutable, built on first use.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    problem: _OpinionWords | None = None
    ask: _OpinionWords | None = None
    problem_en: _OpinionWords | None = None
    ask_en: _OpinionWords | None = None


def worded_opinions(entries: Mapping[str, OpinionText | None]) -> dict[str, Opinion]:
    """Every code's opinion: the default, with what ``entries`` word their own (an entry of
    ``None``, ``null`` in the file, keeps the default)."""
    worded = {
        code: replace(OPINIONS[code], **text.model_dump(exclude_none=True))
        for code, text in entries.items()
        if text is not None
    }
    return {**OPINIONS, **worded}


def wrong_language(entries: Mapping[str, OpinionText | None]) -> Iterator[tuple[str, str]]:
    """``(key, problem)`` for wording in the wrong language: Chinese under an ``_en`` key, or a
    Chinese key with no Chinese in it (the review would speak two languages at once)."""
    for code, text in entries.items():
        if text is None:
            continue
        for key, words in text.model_dump(exclude_none=True).items():
            chinese = any("\u4e00" <= ch <= "\u9fff" for ch in words)
            if key.endswith("_en") and chinese:
                yield f"opinions.{code}.{key}", "the English wording holds Chinese text"
            elif not key.endswith("_en") and not chinese:
                yield (
                    f"opinions.{code}.{key}",
                    f"the Chinese wording has no Chinese in it (English goes under {key}_en)",
                )
