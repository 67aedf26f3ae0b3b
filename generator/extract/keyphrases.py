"""Analysed words -> ranked keyphrases (per article, no corpus) and weighted terms.

Keyphrases are the article's repeated content words and phrases. Without a
corpus to say which words are rare, word length stands in for specificity:
long words ("privatisation") are seldom generic, short ones ("good") often are.
Terms are folded content words weighted by how often they occur; the
site-wide stage weighs them by TF-IDF to find related briefings.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import partial
from itertools import chain, compress
from typing import NamedTuple

from generator.extract.memo import Memo
from generator.extract.words import TextWords, fold
from generator.model import Keyphrase

_MAX_KEYPHRASES = 15
# Nearly every content word of a news story: on BBC stories, site-wide TF-IDF
# cosine finds same-topic neighbours far better with the rare words kept
# (P@5 0.83) than with only the 30 most frequent (0.73).
_MAX_TERMS = 200
# Beyond this many letters a word gets no more specific; a phrase counts as this long.
_SPECIFIC_LENGTH = 8
# Units and weekdays: they recur in news without saying what the story is about.
_NOT_TOPICS_TEXT = (
    "percent cent million billion trillion bn "
    "monday tuesday wednesday thursday friday saturday sunday"
)
_NOT_TOPICS = frozenset(_NOT_TOPICS_TEXT.split())
_PHRASE_WEIGHT = 0.5  # a repeated phrase against a single word of the same count


def extract_keyphrases(title: TextWords, sentences: Sequence[TextWords]) -> tuple[Keyphrase, ...]:
    """The keyphrases of the analysed title and sentences, most important first."""
    heading = _phrases([title], lowercase_names=_is_headline_case(title))
    body = _phrases(sentences)
    # In order of first use: Counters keep it and sorting is stable, so ties go to first use.
    scores = _scores(Counter(map(str.lower, chain(heading.written, body.written))))
    ranked = _without_variants(sorted(scores, key=scores.__getitem__, reverse=True))
    # Spellings inside sentences come first: a headline's or a sentence's first
    # capital is lowered, and that says less about a name than "in Madagascar".
    spellings = [body.inner, body.named, body.opening, heading.written]
    display = _display_forms(set(ranked), spellings)
    return tuple(
        Keyphrase(phrase=display[phrase], score=round(scores[phrase], 4)) for phrase in ranked
    )


def extract_terms(texts: Sequence[TextWords]) -> tuple[tuple[str, float], ...]:
    """Folded content words weighted 1 + ln(count), most frequent first (earlier on ties).

    The weight grows slowly with repetition: a story saying "profit" ten times
    is not ten times more about profit than one saying it once, and linear
    counts let one repeated word drown the rare words that mark the topic.
    """
    counts = Counter(chain.from_iterable(text.folded for text in texts))
    for number in [word for word in counts if word[0].isdigit()]:
        del counts[number]  # counted, then dropped: Counter counts fastest in one go
    return tuple((term, _TERM_WEIGHTS[count]) for term, count in counts.most_common(_MAX_TERMS))


def _term_weight(count: int) -> float:
    return round(1 + math.log(count), 4)


# Kept because counts are small numbers, met again in every article.
_TERM_WEIGHTS = Memo(_term_weight, limit=1024)


def _without_variants(ranked: Sequence[str]) -> list[str]:
    """The first `_MAX_KEYPHRASES` phrases, skipping plurals of ones already listed."""
    kept: list[str] = []
    seen: set[str] = set()
    for phrase in ranked:
        folded = " ".join(map(fold, phrase.split()))
        if folded not in seen:
            seen.add(folded)
            kept.append(phrase)
            if len(kept) == _MAX_KEYPHRASES:
                break
    return kept


class _Grams(NamedTuple):
    """Some texts' phrases, kept apart by what their spelling says about capitals."""

    written: list[str]  # every phrase but `named`, in the order written
    opening: list[str]  # from the runs that open a sentence, their first word lowered
    inner: list[str]  # from every other run
    named: list[str]  # words inside longer names: no phrases alone, but spelled as names


def _phrases(texts: Sequence[TextWords], *, lowercase_names: bool = False) -> _Grams:
    """Every phrase of one to three words inside the texts' content-word runs.

    A word inside a longer capitalised name ("United" of "United Nations",
    "President" of "President William Ruto") is no phrase on its own: the
    name says it better. A headline's capitals mark no names, so there every
    word stands alone.
    """
    # One set of lists for all the texts: an article has many short sentences.
    grams = _Grams([], [], [], [])
    opening_grams = _RUN_GRAMS[lowercase_names, True]
    inner_grams = _RUN_GRAMS[lowercase_names, False]
    for text in texts:
        for index, chunk in enumerate(text.chunks):
            opening = index == 0 and text.opens_with_content
            found, named = (opening_grams if opening else inner_grams)[chunk]
            grams.written.extend(found)
            (grams.opening if opening else grams.inner).extend(found)
            if named:
                grams.named.extend(named)
    return grams


def _run_grams(
    chunk: tuple[str, ...], *, lowercase_names: bool, opening: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(phrases, words inside longer names) of one run of content words; see `_phrases`."""
    words = list(chunk)
    named = set() if lowercase_names else _inside_names(chunk)
    if lowercase_names:
        words = [word.lower() if word[1:].islower() else word for word in words]
    elif opening and words[0][1:].islower():
        words[0] = words[0].lower()  # a sentence's capital says nothing about a name
    if not named:  # most runs
        return (*words, *_ngrams(words)), ()
    found = [word for place, word in enumerate(words) if place not in named]
    found.extend(_ngrams(words))
    return tuple(found), tuple(chunk[place] for place in sorted(named))


# Kept because runs recur: a story repeats its names and phrases from sentence to
# sentence. One for each way a run is read, so that a run alone is the key.
_RUN_GRAMS = {
    (lowercase_names, opening): Memo(
        partial(_run_grams, lowercase_names=lowercase_names, opening=opening), limit=16384
    )
    for lowercase_names in (False, True)
    for opening in (False, True)
}


def _inside_names(chunk: tuple[str, ...]) -> set[int]:
    """Positions of capitalised words next to another capitalised word."""
    inside: set[int] = set()
    for place in range(len(chunk) - 1):
        if chunk[place][0].isupper() and chunk[place + 1][0].isupper():
            inside.update((place, place + 1))
    return inside


def _is_headline_case(title: TextWords) -> bool:
    """True for "Ad Sales Boost Time Warner Profit": capitals there do not mark names."""
    words = [word for chunk in title.chunks for word in chunk if word[0].isalpha()]
    capitalised = sum(word[0].isupper() for word in words)
    return len(words) > 2 and capitalised >= 0.6 * len(words)


def _ngrams(words: list[str]) -> Iterator[str]:
    """Every run of two or three consecutive words, joined by spaces."""
    if len(words) > 1:
        yield from map(" ".join, zip(words, words[1:], strict=False))
    if len(words) > 2:
        yield from map(" ".join, zip(words, words[1:], words[2:], strict=False))


def _scores(counts: Counter[str]) -> dict[str, float]:
    """Score = log(1 + count) x word-length specificity; a phrase must occur twice."""
    return {
        phrase: math.log1p(count) * min(len(phrase), _SPECIFIC_LENGTH)
        if " " not in phrase
        else math.log1p(count) * _SPECIFIC_LENGTH * _PHRASE_WEIGHT
        for phrase, count in counts.items()
        # A bare number or a unit means nothing without its sentence.
        if (count > 1 or " " not in phrase)
        and not phrase[0].isdigit()
        and phrase not in _NOT_TOPICS
    }


def _display_forms(phrases: set[str], sources: Sequence[Sequence[str]]) -> dict[str, str]:
    """Each phrase as most often written in the first source that has it, so names keep capitals."""
    display: dict[str, str] = {}
    for source in sources:
        if len(display) == len(phrases):
            break  # a later source only spells phrases that have a spelling already
        # Mapped and filtered without a Python step per gram: sources are long.
        surfaces = Counter(compress(source, map(phrases.__contains__, map(str.lower, source))))
        chosen: dict[str, str] = {}
        for surface, count in surfaces.items():  # insertion order: earlier spelling wins ties
            phrase = surface.lower()
            if phrase not in chosen or count > surfaces[chosen[phrase]]:
                chosen[phrase] = surface
        display = chosen | display
    return display
