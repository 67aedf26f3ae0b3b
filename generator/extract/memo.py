"""Function of a word -> its values, each worked out once: the cache of the per-word steps.

Extraction looks up every word of every sentence several times. An lru_cache
call spends most of a lookup keeping its recency order; this dict finds a
value already worked out with a plain lookup, and `map(memo.__getitem__,
words)` reads a whole sentence without a Python call for any word seen before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class Memo(dict[Key, Value]):
    """`function(key)` as `memo[key]`, kept for the next lookup of the same key.

    Emptied when it holds `limit` values, rather than trimmed one by one: a
    news vocabulary fills it slowly, and an empty one refills from the
    words in use.
    """

    def __init__(self, function: Callable[[Key], Value], limit: int) -> None:
        super().__init__()
        self.function = function
        self.limit = limit

    def __missing__(self, key: Key) -> Value:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.function(key)
        return value
