"""Text -> words for every extraction step: tokens, stopwords, folded forms, phrase runs.

Our own small stopword list and a suffix-stripping fold: the fold only has to
map "tariffs" and "tariff" to one key, not produce dictionary lemmas. `analyse`
tokenises each sentence once; key facts, keyphrases and terms all read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

from generator.extract.memo import Memo

# Dotted acronyms ("U.S.") first, then words and numbers; inner apostrophes,
# hyphens, periods and commas stay so "don't", "high-speed" and "1,200" are one token.
TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_](?:[\w'’.,&-]*[^\W_])?")

_STOPWORD_TEXT = """
    a about above across after afterwards again against ago ahead all almost alone along
    already also although always am among amongst an and another any anybody anyone
    anything anyway anywhere are around as at back be became because become becomes been
    before beforehand behind being below beside besides between beyond both but by can
    cannot could did do does doing done down during each either else elsewhere enough
    etc even ever every everyone everything everywhere except few first for former formerly
    from further get gets getting give given gives go goes going gone got had has have
    having he hence her here hers herself him himself his how however i if in indeed instead
    into is it its itself just last later latter least less let lets like likely made make
    makes making many may me meanwhile might mine more moreover most mostly much must my
    myself namely neither never nevertheless next no nobody none nor not nothing now nowhere
    of off often on once one ones only onto or other others otherwise our ours ourselves
    out over own per perhaps put quite rather really said same say saying says see seem
    seemed seems several she should since so some somehow someone something sometimes
    somewhere still such take taken than that the their theirs them themselves then there
    thereby therefore these they thing things this those though through throughout thus to
    together too toward towards under unless until up upon us used using very via was way
    we well were what whatever when whenever where whereas whether which while who whoever
    whole whom whose why will with within without would yet you your yours yourself
    yourselves mr mrs ms dr told asked added according including new also year years
    time times want wants wanted know knew known think thought see seen saw come came
    coming look looked looking use uses day days week weeks month months today yesterday
    tomorrow s t re ve ll d m don't doesn't didn't isn't wasn't aren't weren't won't can't
    couldn't wouldn't shouldn't it's he's she's that's there's i'm we're they're you're
    i've we've they've i'd we'd they'd lot lots able yes
    """
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


def is_stopword(word: str) -> bool:
    """True for function words; an acronym such as "US" or "WHO" is never one."""
    if len(word) > 1 and word.isupper():
        return False
    lowered = word.lower()
    if "’" in lowered:
        lowered = lowered.translate(_APOSTROPHES)
    return lowered in STOPWORDS


# Words whose final "s" is not a plural ending.
_NOT_PLURAL_ENDINGS = ("ss", "us", "is", "ous", "ics", "news", "series", "species")


# Cached because a news vocabulary is small and every stage folds every word.
@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lowercase and strip plural and possessive endings: "Tariffs'" -> "tariff"."""
    word = word.lower().translate(_APOSTROPHES)
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    if len(word) <= 3 or not word.isalpha() or word.endswith(_NOT_PLURAL_ENDINGS):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


# Words, or the punctuation that ends a run of content words. Words come first,
# so the periods of "3.5" and "U.S." and the apostrophe of "don't" stay in them.
_WORD_OR_BREAK = re.compile(TOKEN.pattern + r"|[,;:()\[\]\"“”!?—–/.…]|(?<!\w)['‘’]|['‘’](?!\w)")
_BREAKS = frozenset(",;:()[]\"“”!?—–/.…'‘’")


class TextWords(NamedTuple):
    """The words of one sentence (or title), split into runs of content words."""

    token_count: int  # all words, stopwords included
    chunks: tuple[tuple[str, ...], ...]  # content words as written, unbroken by stopwords
    folded: tuple[str, ...]  # every content word through `fold`, in order
    opens_with_content: bool  # the first chunk's first word is the sentence's first word


@lru_cache(maxsize=65536)
def content_form(token: str) -> tuple[str, str] | None:
    """The token as a content word and folded ("Google's" -> "Google", "google"), or None."""
    if token.endswith(("'s", "’s")):
        token = token[:-2]
    if (len(token) < 2 and not token.isdigit()) or is_stopword(token):
        return None
    return token, fold(token)


def alternatives(words: Iterable[str]) -> str:
    """A pattern for any one of `words`, grouped by first letter ("a(?:dd|sk)|s(?:aid)").

    Grouped, a search tries one branch per first letter at each place in the
    text rather than one per word. Where no word of the list can stop inside
    another (a pattern that ends each at a word boundary), what it finds is
    what the plain list would.
    """
    endings: dict[str, list[str]] = {}
    for word in sorted(words):
        endings.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in endings.items())


def letter_run_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Finds any of `words`, each of letters a-z, as a whole run of letters a-z in
    lowercased text: the words "one" and "end" are found in "one end", not in "Honda".

    One search for them all, rather than collecting the text's every run of
    letters and looking each up: most texts hold none of them.
    """
    return re.compile(rf"(?<![a-z])(?:{alternatives(words)})(?![a-z])")


def analyse(texts: Sequence[str]) -> tuple[TextWords, ...]:
    """Tokenise each text once for every extraction step that counts words."""
    return tuple(_analyse_text(text) for text in texts)


def _analyse_text(text: str) -> TextWords:
    token_count = 0
    chunks: list[tuple[str, ...]] = []
    chunk: list[str] = []
    folded: list[str] = []
    opens_with_content = False
    # No token holds a space or looks past one, so the text is read piece by piece.
    for counts, content, folded_form, run_goes_on in chain.from_iterable(
        map(_PIECE_ROLES.__getitem__, text.split())
    ):
        if content is not None:
            opens_with_content = opens_with_content or token_count == 0
            chunk.append(content)
            folded.append(folded_form)
        if chunk and not run_goes_on:
            chunks.append(tuple(chunk))  # punctuation, a stopword or a possessive ends the run
            chunk = []
        token_count += counts
    if chunk:
        chunks.append(tuple(chunk))
    return TextWords(token_count, tuple(chunks), tuple(folded), opens_with_content)


_TokenRole = tuple[int, str | None, str, bool]


def _token_roles(piece: str) -> tuple[_TokenRole, ...]:
    """The `_token_role` of each token in a piece of text between spaces."""
    return tuple(map(_token_role, _WORD_OR_BREAK.findall(piece)))


@lru_cache(maxsize=32768)
def _token_role(token: str) -> _TokenRole:
    """(1 for a word or 0 for punctuation, content word or None, folded form, whether a run
    of content words can go on after it)."""
    if token in _BREAKS:
        return 0, None, "", False
    forms = content_form(token)
    if forms is None:
        return 1, None, "", False
    return 1, forms[0], forms[1], forms[0] == token


# Kept because news repeats its words: a piece of text is searched once, then looked up.
_PIECE_ROLES = Memo(_token_roles, limit=32768)


def is_word_character(character: str) -> bool:
    """What the regex class \\w matches: a letter, digit or underscore in any script."""
    return character.isalnum() or character == "_"
