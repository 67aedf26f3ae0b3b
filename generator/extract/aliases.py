"""site.yaml entity aliases + sentences -> name spans wherever an alias is written.

The name finder only sees what looks like a name: an alias opening a
sentence ("Big Cheese arrived") or written in a way it cuts differently is
missed. The site owner has said these words are a name, so every whole-word
occurrence of an alias, or of its canonical name, becomes a mention of the
canonical entity, whether or not the finder saw it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from generator.extract.names import NameSpan
from generator.model import Sentence


def add_alias_spans(
    spans: list[NameSpan], sentences: tuple[Sentence, ...], aliases: tuple[tuple[str, str], ...]
) -> list[NameSpan]:
    """`spans` plus a span for every alias or canonical name the finder missed.

    A found name that contains the written alias stays whole ("UN General
    Assembly" keeps its "UN"); found names inside or across it give way.
    """
    pattern = _alias_pattern(aliases)
    if pattern is None:
        return spans
    listed = [span for sentence in sentences for span in _matches(pattern, sentence)]
    if not listed:
        return spans
    by_paragraph: dict[int, list[NameSpan]] = {}
    for span in spans:
        by_paragraph.setdefault(span.paragraph, []).append(span)
    added = [span for span in listed if not _inside_found(span, by_paragraph)]
    kept = [span for span in spans if not any(_overlaps(span, new) for new in added)]
    return sorted([*kept, *added], key=lambda span: (span.paragraph, span.start))


@lru_cache(maxsize=16)
def _alias_pattern(aliases: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    """Aliases and canonical names as written (case kept: "US" is not "us"), longest first."""
    names = {" ".join(name.split()) for pair in aliases for name in pair}
    alternatives = [
        r"\s+".join(map(re.escape, name.split()))
        for name in sorted(names, key=len, reverse=True)
        if name
    ]
    if not alternatives:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")


def _matches(pattern: re.Pattern[str], sentence: Sentence) -> list[NameSpan]:
    return [
        NameSpan(
            surface=match.group(),
            sentence=sentence.id,
            paragraph=sentence.paragraph,
            start=sentence.start + match.start(),
            end=sentence.start + match.end(),
            role=None,
            votes=(),  # the type comes from the finder's own mentions, or the name's shape
            initial=False,  # the site owner vouches for it wherever it stands
            shouting=False,
            listed=True,
        )
        for match in pattern.finditer(sentence.text)
    ]


def _inside_found(span: NameSpan, by_paragraph: dict[int, list[NameSpan]]) -> bool:
    return any(
        found.start <= span.start and span.end <= found.end
        for found in by_paragraph.get(span.paragraph, ())
    )


def _overlaps(found: NameSpan, new: NameSpan) -> bool:
    return found.paragraph == new.paragraph and found.start < new.end and new.start < found.end
