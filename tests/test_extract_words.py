"""Words: the word-list patterns the extraction steps search with."""

from __future__ import annotations

import re

from generator.extract.words import alternatives, letter_run_pattern


def test_a_letter_run_pattern_finds_only_whole_runs_of_letters() -> None:
    pattern = letter_run_pattern(["one", "end"])
    texts = ("one end", "honda", "ended", "phone", "5-one", "_end.")
    found = [text for text in texts if pattern.search(text)]
    assert found == ["one end", "5-one", "_end."]


def test_grouped_alternatives_find_what_the_plain_list_finds() -> None:
    words = ["said", "says", "say", "add", "added", "adds", "told", "noted", "note"]
    grouped = re.compile(rf"\b(?:{alternatives(words)})\b", re.IGNORECASE)
    plain = re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)
    text = "She SAID it, he adds; noted, notes and note-taking: it says so, sayings aside, Told."
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert [m.group() for m in grouped.finditer(text)] == [
        "SAID", "adds", "noted", "note", "says", "Told",
    ]  # fmt: skip
