"""Memo: a function of a word, worked out once per word."""

from __future__ import annotations

from generator.extract.memo import Memo


def test_a_memo_works_each_key_out_once_and_empties_when_full() -> None:
    calls: list[str] = []

    def shout(word: str) -> str:
        calls.append(word)
        return word.upper()

    memo = Memo(shout, limit=2)
    assert list(map(memo.__getitem__, ["a", "b", "a", "b"])) == ["A", "B", "A", "B"]
    assert calls == ["a", "b"]
    assert memo["c"] == "C"  # a third key: the full memo starts again
    assert dict(memo) == {"c": "C"}
    assert memo["a"] == "A" and calls == ["a", "b", "c", "a"]
