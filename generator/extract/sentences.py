"""Paragraphs -> sentences with stable ids and offsets into the paragraph text.

A boundary is a terminator (. ! ? or an ellipsis), any closing quotes or
brackets after it, then whitespace and a word that can start a sentence.
Periods that belong to abbreviations, initials and acronyms are kept inside
the sentence unless what follows clearly starts a new one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from generator.model import Paragraph, Sentence

# A terminator run that is followed by whitespace or the end of the text;
# "3.5" and the inner periods of "U.S." never match because no space follows.
# The run, "[.!?]+" or "…", is written to open with one character class: the
# search then skips from terminator to terminator instead of trying every letter.
_TERMINATOR = re.compile(r"[.!?…](?:(?<=[.!?])[.!?]*|(?<=…))[\"'”’)\]]*(?=\s|$)")
_LONGEST_WORD = 40  # how far back to look for the word before a period
_WORD_PUNCTUATION = frozenset("_.'’-")  # with letters and digits, what a word before a period holds
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]*(\S*)")

# Words written before a name: a sentence does not end on them.
_TITLES_TEXT = (
    "mr mrs ms dr prof gen sen rep gov lt col capt sgt rev hon maj adm cmdr supt "
    "insp det fr sr st messrs mme mlle brig cpl pte"
)
_TITLES = frozenset(_TITLES_TEXT.split())
# Abbreviations that end a sentence only when the next word is a number-free
# capitalised word, e.g. "Jan. 5" and "No. 10" stay whole.
_BEFORE_NUMBER_TEXT = "jan feb mar apr jun jul aug sep sept oct nov dec no nos vol p pp art fig"
_BEFORE_NUMBER = frozenset(_BEFORE_NUMBER_TEXT.split())
# Abbreviations that never end a sentence.
_NEVER_FINAL_TEXT = "e.g i.e vs v cf approx ca viz"
_NEVER_FINAL = frozenset(_NEVER_FINAL_TEXT.split())
# Capitalised words that almost always start a sentence; after an acronym such
# as "U.S." they decide that the acronym ended the sentence.
_SENTENCE_STARTERS_TEXT = (
    "the a an he she it they we i you but and or so yet this that these those there "
    "his her its their our my in on at for if when while after before however "
    "meanwhile still then now some many most no one what why how who"
)
_SENTENCE_STARTERS = frozenset(_SENTENCE_STARTERS_TEXT.split())


def split_sentences(paragraphs: Sequence[Paragraph]) -> tuple[Sentence, ...]:
    """Split every paragraph; a heading is always a single sentence."""
    sentences: list[Sentence] = []
    for paragraph in paragraphs:
        if paragraph.kind == "heading":
            spans: Iterator[tuple[int, int]] = iter([(0, len(paragraph.text))])
        else:
            spans = _sentence_spans(paragraph.text)
        number = 0
        for start, end in spans:
            start, end = _strip_span(paragraph.text, start, end)
            if start == end:
                continue
            number += 1
            sentences.append(
                Sentence(
                    id=f"p{paragraph.index}s{number}",
                    paragraph=paragraph.index,
                    start=start,
                    end=end,
                    text=paragraph.text[start:end],
                )
            )
    return tuple(sentences)


def _sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _TERMINATOR.finditer(text):
        if _is_boundary(text, match):
            yield start, match.end()
            start = match.end()
    yield start, len(text)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    next_match = _NEXT_WORD.match(text, match.end())
    if next_match is None:
        return True  # end of the paragraph
    next_word = next_match.group(1)
    if not _can_start_sentence(next_word):
        return False
    if not match.group().startswith(".") or match.group().startswith(".."):
        return True  # ! ? and ellipses end a sentence before a capital
    word = _word_before(text, match.start())
    return _period_ends_sentence(word, next_word, closed=len(match.group()) > 1)


def _word_before(text: str, end: int) -> str:
    """The word that ends at `end`, at most `_LONGEST_WORD` long: what `[\\w.'’-]*$`
    finds there. Read backwards: a regular expression would try every start."""
    first = max(0, end - _LONGEST_WORD)
    if end > first and text[end - 1] == "\n":
        end -= 1  # as `$` matches before a final line break
    start = end
    while start > first and (text[start - 1].isalnum() or text[start - 1] in _WORD_PUNCTUATION):
        start -= 1
    return text[start:end]


def _can_start_sentence(word: str) -> bool:
    if not word:
        return False
    first = word[0]
    if first.isupper() or first.isdigit():
        return True
    # "iPod", "eBay": lowercase first letter, capital second
    return len(word) > 1 and first.islower() and word[1].isupper()


def _period_ends_sentence(word: str, next_word: str, *, closed: bool) -> bool:
    """Decide for a period after `word`; `closed` means a quote or bracket follows it."""
    if closed:
        return True  # '."' or '.)' : the abbreviation reading is unlikely
    key = word.lower().rstrip(".")
    if key in _TITLES or key in _NEVER_FINAL:
        return False
    if key in _BEFORE_NUMBER:
        return not next_word[0].isdigit()
    bare = key.replace(".", "")
    if len(bare) == 1 and word[:1].isupper():
        return False  # an initial: "J. K. Rowling"
    if "." in key and bare.isalpha() and len(bare) <= 4:
        # "U.S." ends the sentence only before a typical sentence opener
        return _strip_punctuation(next_word).lower() in _SENTENCE_STARTERS
    return True


def _strip_punctuation(word: str) -> str:
    return word.strip("\"'“”‘’()[],;:")
