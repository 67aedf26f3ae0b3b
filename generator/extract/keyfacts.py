"""Sentences -> ranked sentences -> key facts (best first) and a one-line lede.

A sentence is informative when it shares many content words with the rest
of the article (it carries the story, not a detour), states figures, and
stands on its own. Boilerplate and headings are never chosen; bare quotes,
questions and fragments sink to the bottom.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain
from operator import attrgetter, itemgetter
from typing import NamedTuple

from generator.extract.words import TOKEN, TextWords
from generator.model import Article, KeyFact, Sentence

# Lines a site adds around a story rather than news in it.
_BOILERPLATE = re.compile(
    r"\b(?:click here|contributed to this (?:report|story)|all rights reserved|sign up (?:for|to)"
    r"|subscribe (?:to|now|for)|follow us|read more:|for more information,? (?:visit|see|call)"
    r"|copyright ©|our newsletter|e-?mail us|share this (?:article|story)"
    r"|image caption|media caption|getty images)|© \d{4}"
)
# Each alternative above holds one of these: a few plain searches of the whole
# article rule them all out, where the pattern itself is slow to try at every letter.
_BOILERPLATE_CLUES = (
    "click here", "contributed to this ", "all rights reserved", "sign up ", "subscribe ",
    "follow us", "read more:", "for more information", "copyright ©", "our newsletter",
    "mail us", "share this ", " caption", "getty images", "© ",
)  # fmt: skip
_REPORTING_VERBS_TEXT = (
    "said says say told tells added adds asked explained explains warned warns insisted "
    "claimed claims stated argued argues replied noted notes admitted admits urged announced "
    "announces suggested suggests according wrote writes believes tweeted"
)
_REPORTING_VERBS = frozenset(_REPORTING_VERBS_TEXT.split())
_FIGURE_WORDS_TEXT = "million billion trillion percent half double triple"
_FIGURE_WORDS = frozenset(_FIGURE_WORDS_TEXT.split())
_FIRST_LETTER = itemgetter(0)
_SCORE = attrgetter("score")
_QUOTED = re.compile(r"\"[^\"]*\"?|“[^”]*”?")
_MAX_LEDE_WORDS = 40
_LEDE_BONUS = 2.0  # enough to put a real opening sentence first
_LEDE_MIN_WORDS = 5  # content words; shorter openings are bylines or datelines
_REPEAT_OVERLAP = 0.7  # share of words a sentence may have in common with a chosen one


class RankedSentence(NamedTuple):
    """A candidate key fact with its score and folded content words.

    A tuple rather than a frozen dataclass: every sentence makes one, and
    building a tuple costs a fraction of the dataclass's checked setattr.
    """

    sentence: Sentence
    score: float  # higher is more informative
    words: frozenset[str]  # folded content words, to spot near-repeats
    word_count: int  # all words, to keep the lede short


def rank_sentences(
    article: Article,
    sentences: Sequence[Sentence],
    title: TextWords,
    sentence_words: Sequence[TextWords],
) -> tuple[RankedSentence, ...]:
    """Score every sentence that may be a key fact, best first (earlier wins ties).

    `sentence_words` are the analysed `sentences`, in the same order.
    """
    headings = {p.index for p in article.paragraphs if p.kind == "heading"}
    whole = "\n".join(sentence.text for sentence in sentences).lower()
    # The whole text first: most articles have no boilerplate, and no pattern
    # can match across the line breaks between sentences.
    has_boilerplate = (
        any(clue in whole for clue in _BOILERPLATE_CLUES) and _BOILERPLATE.search(whole) is not None
    )
    candidates = [
        (sentence, words)
        for sentence, words in zip(sentences, sentence_words, strict=True)
        if words.token_count  # a run of punctuation says nothing
        and sentence.paragraph not in headings
        and not (has_boilerplate and _BOILERPLATE.search(sentence.text.lower()))
    ]
    content = [frozenset(words.folded) for _, words in candidates]
    counts = Counter(chain.from_iterable(content))
    title_content = frozenset(title.folded)
    ranked = [
        RankedSentence(
            sentence=sentence,
            score=_score(order, content[order], counts, title_content)
            + _opening_bonus(order, sentence.text, words.token_count, len(content[order])),
            words=content[order],
            word_count=words.token_count,
        )
        for order, (sentence, words) in enumerate(candidates)
    ]
    return tuple(sorted(ranked, key=_SCORE, reverse=True))  # stable: ties keep their order


def choose_key_facts(ranked: Sequence[RankedSentence], *, limit: int) -> tuple[KeyFact, ...]:
    """The `limit` best sentences, skipping any that mostly repeat one already chosen."""
    chosen: list[RankedSentence] = []
    for candidate in ranked:
        if any(_overlap(candidate.words, other.words) > _REPEAT_OVERLAP for other in chosen):
            continue
        chosen.append(candidate)
        if len(chosen) == limit:
            break
    return tuple(
        KeyFact(text=c.sentence.text, sentence=c.sentence.id, score=round(c.score, 4))
        for c in chosen
    )


def choose_lede(ranked: Sequence[RankedSentence]) -> str:
    """The best short sentence of the first text paragraph, else the best short one anywhere."""
    short = [c for c in ranked if c.word_count <= _MAX_LEDE_WORDS] or list(ranked)
    if not short:
        return ""
    first_paragraph = min(c.sentence.paragraph for c in short)
    opening = [c for c in short if c.sentence.paragraph == first_paragraph]
    return opening[0].sentence.text


def _score(order: int, words: frozenset[str], counts: Counter[str], title: frozenset[str]) -> float:
    """How much of the story the sentence carries."""
    # Words that come back in other sentences are what the story is about; the
    # second term keeps a short sentence dense with them from losing to a long one.
    shared = sum(map(counts.__getitem__, words)) - len(words)
    score = math.log1p(shared) + 0.5 * shared / (len(words) + 3)
    score += 0.2 * min(len(words & title), 3)
    score += 0.5 / (1 + order)  # news writing puts the news first
    if not _FIGURE_WORDS.isdisjoint(words) or any(map(str.isdigit, map(_FIRST_LETTER, words))):
        score += 0.2
    return score


def _opening_bonus(order: int, text: str, word_count: int, content_words: int) -> float:
    """The penalty for not standing alone, or a bonus for the story's opening sentence."""
    penalty = _penalty(text, word_count)
    if order == 0 and not penalty and content_words >= _LEDE_MIN_WORDS:
        return _LEDE_BONUS  # the opening sentence of a news story is its news
    return -penalty


def _penalty(text: str, word_count: int) -> float:
    """Lower the score of sentences that do not stand on their own."""
    penalty = 0.0
    if word_count < 8:
        penalty += 1.0
    if text.rstrip("\"'”’ ").endswith("?"):
        penalty += 0.5
    if '"' not in text and "“" not in text:
        return penalty
    outside_quotes = _QUOTED.sub(" ", text)
    if len(outside_quotes) < 0.4 * len(text) and not _names_a_speaker(outside_quotes):
        penalty += 1.5  # a bare quote: the reader cannot tell who says it
    elif text.startswith(('"', "“")):
        penalty += 0.3
    return penalty


def _names_a_speaker(text: str) -> bool:
    """Whether the text holds a reporting verb: read only for sentences mostly quoted."""
    return not _REPORTING_VERBS.isdisjoint(map(str.lower, TOKEN.findall(text)))


def _overlap(words: frozenset[str], other: frozenset[str]) -> float:
    return len(words & other) / max(1, min(len(words), len(other)))
