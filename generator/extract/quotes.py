"""Sentences + entities -> quoted words with their speaker.

A quote is the text between quotation marks, straight or curly, and may run
over several sentences of a paragraph. Its speaker is the person or
organisation named next to a reporting verb just after the quote ("...,"
Ruto told Reuters) or just before it (Ruto said: "..."); "he added" means
the person named last. A short phrase in quotes inside a sentence ("good
progress") is a quote only when the sentence says who said it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from generator.extract import lexicon
from generator.extract.words import alternatives
from generator.model import Entity, Quote, Sentence

_MARK = re.compile(r"[“”\"]")
# A straight quote opens when it follows a space or one of these and precedes a word.
_BEFORE_OPENING = frozenset("([—–-:")
_WORD = re.compile(r"[\w’'-]+")
# Attribution is read this far from the quote: "..., Deputy Spokesperson Tommy Pigott said."
_WINDOW = 80
# Shorter quotes inside a sentence are scare quotes unless someone says them.
_MIN_WORDS = 5
_PARAGRAPH = attrgetter("paragraph")
_START = attrgetter("start")


class _Named(NamedTuple):
    """A mention of a person or organisation; a tuple, as every mention makes one."""

    start: int
    end: int
    name: str
    is_person: bool


def extract_quotes(
    sentences: tuple[Sentence, ...], entities: tuple[Entity, ...]
) -> tuple[Quote, ...]:
    """Every quotation in the body, in order, with its speaker where one is said."""
    named = _named_by_paragraph(entities)
    quotes: list[Quote] = []
    last_person: str | None = None
    for paragraph, group in groupby(sentences, key=_PARAGRAPH):
        members = list(group)
        text = _paragraph_text(members)
        names = named.get(paragraph, [])
        position = previous_end = 0
        for start, end, words in _quote_spans(text):
            if not words:
                continue
            last_person = _last_person(names, position, start, last_person)
            sentence = _sentence_at(members, start)
            speaker = _speaker(text, names, members, start, end, last_person)
            position = end
            if speaker is None and _is_scare_quote(words, sentence, start):
                continue
            if speaker is None and quotes and not text[previous_end:start].strip():
                speaker = quotes[-1].speaker  # quote after quote: the same voice goes on
            previous_end = end
            quotes.append(Quote(text=words, speaker=speaker, sentence=sentence.id))
            if speaker is not None and any(n.name == speaker and n.is_person for n in names):
                last_person = speaker
        last_person = _last_person(names, position, len(text), last_person)
    return tuple(quotes)


def _named_by_paragraph(entities: tuple[Entity, ...]) -> dict[int, list[_Named]]:
    named: dict[int, list[_Named]] = {}
    for entity in entities:
        if entity.type == "place":
            continue  # "Beijing said" is rare; a place after a quote is where, not who
        for mention in entity.mentions:
            item = _Named(mention.start, mention.end, entity.name, entity.type == "person")
            named.setdefault(mention.paragraph, []).append(item)
    for items in named.values():
        items.sort(key=_START)
    return named


def _paragraph_text(members: list[Sentence]) -> str:
    """The paragraph as far as its sentences cover it; gaps become spaces."""
    text = ""
    for sentence in members:
        text += " " * (sentence.start - len(text)) + sentence.text
    return text


def _quote_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, words) of each quotation in a paragraph.

    A quotation left open runs to the next opening mark or the paragraph end:
    news writes a quote that goes on into the next paragraph that way.
    """
    opened: int | None = None
    for match in _MARK.finditer(text):
        at = match.start()
        if _opens(text, at):
            if opened is not None:
                yield _quoted(text, opened, at)
            opened = at
        elif opened is not None:
            yield _quoted(text, opened, at + 1)
            opened = None
    if opened is not None:
        yield _quoted(text, opened, len(text))


def _opens(text: str, at: int) -> bool:
    mark = text[at]
    if mark != '"':
        return mark == "“"
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    return (before.isspace() or before in _BEFORE_OPENING) and not after.isspace()


def _quoted(text: str, start: int, end: int) -> tuple[int, int, str]:
    inner = (
        text[start + 1 : end - 1] if text[end - 1 : end] in ('"', "”") else text[start + 1 : end]
    )
    return start, end, inner.strip().rstrip(",").strip()


def _sentence_at(members: list[Sentence], offset: int) -> Sentence:
    for sentence in members:
        if sentence.start <= offset < sentence.end:
            return sentence
    return members[-1]


def _last_person(names: list[_Named], start: int, end: int, current: str | None) -> str | None:
    """The last person named outside quotes between `start` and `end`."""
    for item in names:
        if start <= item.start < end and item.is_person:
            current = item.name
    return current


def _speaker(
    text: str,
    names: list[_Named],
    members: list[Sentence],
    start: int,
    end: int,
    last_person: str | None,
) -> str | None:
    after = _speaker_after(text, names, end, last_person)
    if after is not None:
        return after
    sentence = _sentence_at(members, start)
    return _speaker_before(text, names, sentence.start, start, last_person)


_SPEAKING_PRONOUNS = lexicon.words("he she they")
_VERB = re.compile(rf"\b(?:{alternatives(lexicon.REPORTING_VERBS)})\b", re.IGNORECASE)


def _speaker_after(text: str, names: list[_Named], end: int, last_person: str | None) -> str | None:
    """'," Ruto told Reuters.'  '," she told the BBC.'  '," said Tommy Pigott.'"""
    window = text[end : end + _WINDOW]
    cut = re.search(r"[.!?“\"]", window)
    window = window[: cut.start()] if cut else window
    verb = _VERB.search(window)
    if verb is None or len(window[: verb.start()].split()) > 6:
        return None
    if window[: verb.start()].split()[:1] in (["he"], ["she"], ["they"]):
        return last_person  # the pronoun comes first: "she told BBC Radio" is hers
    for item in names:
        if end <= item.start < end + len(window):
            return item.name
    return None


def _speaker_before(
    text: str, names: list[_Named], sentence_start: int, start: int, last_person: str | None
) -> str | None:
    """'Ruto said: "..."'  'She told BBC Radio: "..."'  'Ruto said talks made "progress".'"""
    window_start = max(sentence_start, start - 2 * _WINDOW)
    verb = _VERB.search(text, window_start, start)
    if verb is None:
        return None
    # The speaker is named before the verb; after "told" comes the listener.
    before = [item for item in names if window_start <= item.start < verb.start()]
    if before:
        people = [item for item in before if item.is_person]
        return (people or before)[-1].name
    if _SPEAKING_PRONOUNS & set(text[window_start : verb.start()].lower().split()):
        return last_person
    if verb.group().lower() in ("said", "says"):
        after = [item for item in names if verb.end() <= item.start < start]
        return after[0].name if after else None  # 'said Tommy Pigott: "..."'
    return None


def _is_scare_quote(words: str, sentence: Sentence, start: int) -> bool:
    """A few words quoted mid-sentence: a phrase, not a statement."""
    return len(words.split()) < _MIN_WORDS and start > sentence.start
