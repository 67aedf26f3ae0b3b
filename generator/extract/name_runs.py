"""Sentence -> words, and the runs of capitalised words cut into names and roles.

A run such as "United States Secretary of State Marco Rubio" is cut into the
parts that name something ("United States", "Marco Rubio") and the role
written with a person's name ("Secretary of State"). Stop words, weekdays,
months, nationalities and events are cut away; connectors such as "of" and
"and" stay inside a name only where its head word says so ("Bank of England").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from generator.extract import lexicon
from generator.extract.memo import Memo
from generator.model import Sentence

# Each token with the whitespace after it: the tokens of a sentence then tile its
# text, so their offsets are the running sum of their lengths. The first three
# forms start with a capital: one look at the letter skips them for other words.
_TOKEN = re.compile(
    r"(?:(?=[A-Z])(?:(?:[A-Z]\.){2,}"  # U.S., U.K.
    r"|(?:St|Mt|Ft|Mr|Mrs|Ms|Dr|Jr|Sr|Gen|Lt|Col|Sgt|Capt|Gov|Sen|Rep|Prof)\."
    r"|[A-Z]\.(?=\s*[A-Z]))"  # an initial: "P. Simmons"
    r"|\w+(?:[-'’&.]\w+)*"
    r"|[^\w\s])\s*"
)


_POSSESSIVE = re.compile(r"['’]s?$")


_CONNECTORS = lexicon.words(
    "of for and & de da del della di du des van von der den la le al bin ibn y upon"
)
# A name part after "the": "Republic of the Congo".


_AFTER_OF = frozenset({"the"})


# Looked up by `Token.lower`: a lowercase word keeps its text, so that is its text lowercased.
_JOINING = _CONNECTORS | _AFTER_OF


_SPLITTING = frozenset({"and", "&", "for"})


class Token(NamedTuple):
    """A word or punctuation mark as written; where it stands is kept apart.

    A tuple because sentences make many of them, and without its offsets one
    token serves every place a word is written: tokenising is a cache lookup.
    """

    text: str  # the word, possessive or "-based" tail removed
    lower: str  # lowercased, trailing period dropped: "inc." -> "inc"
    capital: bool  # starts with a capital letter (the pronoun "I" excluded)
    closes: bool  # a possessive or hyphen tail ends the run after this word
    word: bool  # two or more characters, the first a letter
    shouted: bool  # such a word written in capitals: "NAIROBI", "UN"


def tokenize(sentence: Sentence) -> tuple[list[Token], list[int]]:
    """The sentence's words and marks (names lose "'s"), and each one's offset in the paragraph."""
    text = sentence.text
    # One search of the whole sentence, and no Python step per word: every
    # character not a space starts a token or lies inside one.
    written = _TOKEN.findall(text)
    first = sentence.start + len(text) - len(text.lstrip())
    starts = list(accumulate(map(len, written), initial=first))
    starts.pop()  # where the text ends
    return list(map(_TOKENS.__getitem__, written)), starts


def _token(written: str) -> Token:
    """The token of a word or mark as `_TOKEN` finds it, spaces after it included."""
    word = written.rstrip()
    text, closes = word, False
    capital = word[0].isupper() and word != "I"
    if capital and len(word) > 2:
        text, closes = _name_part(word)
    lower = text.lower()
    if lower[-1] == ".":
        lower = lower.rstrip(".")
    is_word = len(text) > 1 and text[0].isalpha()
    return Token(text, lower, capital, closes, is_word, is_word and text.isupper())


# Kept because news repeats its words, and a token holds nothing but its word.
_TOKENS = Memo(_token, limit=32768)


def _name_part(text: str) -> tuple[str, bool]:
    """ "Kenya’s" -> "Kenya", "London-based" -> "London"; True when the name ends there."""
    if text[-1] in "s'’":
        tail = _POSSESSIVE.search(text)
        if tail:
            return text[: tail.start()], True
    if "-" in text and text.rsplit("-", 1)[1].islower():
        return text.split("-", 1)[0], True  # "London-based", "US-led"
    return text, False


def _is_capitalised(token: Token) -> bool:
    return token.capital


def capitalised_runs(tokens: list[Token]) -> list[list[int]]:
    """Indices of capitalised words, joined by connectors such as "of"."""
    runs: list[list[int]] = []
    run: list[int] = []
    for index, token in enumerate(tokens):
        if token.capital:
            run.append(index)
            if token.closes:
                runs.append(run)
                run = []
        elif not run:
            continue
        elif token.lower in _JOINING and _joins(tokens, index):
            run.append(index)
        else:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return [_trim(tokens, run) for run in runs]


def _joins(tokens: list[Token], index: int) -> bool:
    """A connector joins two capitalised words, with at most one more connector."""
    if tokens[index - 1].closes:
        return False
    for following in tokens[index + 1 : index + 3]:
        if _is_capitalised(following):
            return True
        if following.text.lower() not in _AFTER_OF:
            return False
    return False


def _trim(tokens: list[Token], run: list[int]) -> list[int]:
    while run and not _is_capitalised(tokens[run[-1]]):
        run = run[:-1]
    return run


def split_run(tokens: list[Token], run: list[int]) -> list[tuple[list[int], str | None]]:
    """Cut a run at stop words, dates, roles and weak connectors."""
    if len(run) == 1:  # most runs are one word: skip the cutting
        return [(run, None)] if _is_single_name(tokens[run[0]]) else []
    words = tuple(map(tokens.__getitem__, run))
    parts = _split_words(words, opens_sentence=run[0] == 0)
    return [([run[place] for place in part], role) for part, role in parts]


# Cached because a run is cut by its words alone, and news repeats its names.
@lru_cache(maxsize=16384)
def _split_words(
    words: tuple[Token, ...], *, opens_sentence: bool
) -> tuple[tuple[tuple[int, ...], str | None], ...]:
    """`split_run` of a run's words, with positions counted within the run."""
    tokens, run = list(words), list(range(len(words)))
    parts: list[tuple[list[int], str | None]] = []
    for piece in _split_at_stop_words(tokens, run, opens_sentence):
        for joined in _split_at(tokens, piece, _SPLITTING, keep=_keeps_and):
            for named, role in _split_role(tokens, joined):
                for part in _split_at(tokens, named, frozenset({"of"}), keep=_keeps_of):
                    parts.append((_drop_nationality(tokens, part), role))
    return tuple(
        (tuple(part), role)
        for part, role in parts
        if part
        and not _is_event(tokens, part)
        and not _is_only_title(tokens, part)
        and len(text_of(tokens, part).rstrip(".")) > 1
    )


def _is_single_name(token: Token) -> bool:
    return _is_name_word(token.lower, token.text)


# Cached because one-word runs are most runs and news repeats its names.
@lru_cache(maxsize=16384)
def _is_name_word(word: str, text: str) -> bool:
    """Whether one capitalised word alone names something; `word` is its `Token.lower`."""
    if word in lexicon.STOP_WORDS and not text[1:].isupper():
        return False
    if word in lexicon.WEEKDAYS or word in lexicon.MONTHS or word in lexicon.EVENT_WORDS:
        return False
    if word in lexicon.TITLE_HEADS or word in lexicon.TITLE_MODIFIERS or len(text.rstrip(".")) < 2:
        return False
    if word in lexicon.ORG_WORDS or word in lexicon.PLACE_WORDS:
        # "Parliament" and "the Gulf" name one thing; "Department" alone does not.
        return word in lexicon.organizations() or word in lexicon.places()
    return not lexicon.is_demonym(text)


def _lower(tokens: list[Token], index: int) -> str:
    return tokens[index].lower


def _split_at_stop_words(
    tokens: list[Token], run: list[int], opens_sentence: bool
) -> list[list[int]]:
    """Stop words, weekdays and months end a name; "Theresa May" keeps its May."""
    pieces: list[list[int]] = [[]]
    for position, index in enumerate(run):
        word = _lower(tokens, index)
        is_month = word in lexicon.MONTHS and not (
            pieces[-1] and _is_capitalised(tokens[index - 1])
        )
        text = tokens[index].text
        # Inside a name a stop word is part of it: "Theresa May", "Peter Such".
        capital_stop = word in lexicon.STOP_WORDS and not pieces[-1] and not text[1:].isupper()
        if capital_stop and _starts_place(tokens, run[position:]):
            capital_stop = False  # "New York", "The Hague"
        if (
            capital_stop
            or word in lexicon.WEEKDAYS
            or is_month
            or (position == 0 and opens_sentence and _opens_with_plural(tokens, run))
        ):
            pieces.append([])
        else:
            pieces[-1].append(index)
    return [_trim(tokens, _trim_front(tokens, piece)) for piece in pieces if piece]


def _starts_place(tokens: list[Token], rest: list[int]) -> bool:
    return any(text_of(tokens, rest[:size]).lower() in lexicon.places() for size in (2, 3))


def _opens_with_plural(tokens: list[Token], run: list[int]) -> bool:
    """ "Leaders of the African Union": a plural noun opening the sentence before "of"
    is capitalised for the sentence, not for a name."""
    first = tokens[run[0]].text
    return (
        len(run) > 2
        and tokens[run[1]].lower == "of"
        and first[1:].islower()
        and first.endswith("s")
        and not first.endswith(("ss", "us", "is"))
        and first.lower() not in lexicon.places()
    )


def _trim_front(tokens: list[Token], piece: list[int]) -> list[int]:
    while piece and not _is_capitalised(tokens[piece[0]]):
        piece = piece[1:]
    return piece


_Keep = Callable[[list[Token], list[int], int], bool]


def _split_at(
    tokens: list[Token], piece: list[int], words: frozenset[str], *, keep: _Keep
) -> list[list[int]]:
    """Cut at `words` unless `keep(tokens, piece, position)` says the phrase is one name."""
    for position, index in enumerate(piece):
        if _lower(tokens, index) in words and not keep(tokens, piece, position):
            left = _trim(tokens, piece[:position])
            right = _trim_front(tokens, piece[position + 1 :])
            return [left, *_split_at(tokens, right, words, keep=keep)]
    return [piece]


def text_of(tokens: list[Token], piece: list[int]) -> str:
    return " ".join(tokens[index].text for index in piece)


def _keeps_and(tokens: list[Token], piece: list[int], position: int) -> bool:
    """ "Procter & Gamble", "Test and County Cricket Board", "Trinidad and Tobago"."""
    if text_of(tokens, piece).lower() in lexicon.places():
        return True
    if position == 0 or _lower(tokens, piece[position - 1]) in lexicon.CORPORATE_SUFFIXES:
        return False  # "Johnson Controls Inc and Lear Corp" are two companies
    if _lower(tokens, piece[0]) in lexicon.first_names():
        return False  # "Todd Stottlemyre of the Cardinals for the National League"
    left = piece[:position]
    left_words = [_lower(tokens, index) for index in left]
    if tokens[piece[position]].lower == "for" and left_words[-1] in lexicon.ORG_WORDS:
        return True  # "International Organization for Migration": a body for a purpose
    if "of" in left_words or left_words[-1] in lexicon.ORG_WORDS:
        return False  # "Bank of Ireland and Allied Irish Banks" are two banks
    if text_of(tokens, left).lower() in lexicon.places() or left_words[-1] in lexicon.places():
        return False  # "Natural England and Oxford University"
    return tokens[piece[position]].text == "&" or _lower(tokens, piece[-1]) in lexicon.ORG_WORDS


def _keeps_of(tokens: list[Token], piece: list[int], position: int) -> bool:
    """ "Bank of England", "Isle of Man"; but "Minister of Kenya" is two things."""
    head = _lower(tokens, piece[position - 1]) if position else ""
    if head in lexicon.OF_HEADS or text_of(tokens, piece).lower() in lexicon.places():
        return True
    # "Freedom of Information Act": the last word makes the whole phrase one body;
    # but in "Faik Nerweyi of the Kurdistan Democratic Party" a person comes first.
    last = _lower(tokens, piece[-1])
    return position == 1 and last in lexicon.ORG_WORDS and last not in lexicon.CORPORATE_SUFFIXES


def is_title_word(tokens: list[Token], index: int) -> bool:
    word = _lower(tokens, index)
    return word in lexicon.TITLE_HEADS or word in lexicon.TITLE_MODIFIERS


def _split_role(tokens: list[Token], piece: list[int]) -> list[tuple[list[int], str | None]]:
    """ "US Secretary of State Marco Rubio" -> ("US", None), ("Marco Rubio", role)."""
    for start in range(len(piece)):
        end = start
        while end < len(piece) and (
            is_title_word(tokens, piece[end]) or _continues_role(tokens, piece, end)
        ):
            end += 1
        heads = [
            _lower(tokens, i) for i in piece[start:end] if _lower(tokens, i) in lexicon.TITLE_HEADS
        ]
        if not heads:
            continue
        prefix, name = piece[:start], piece[end:]
        if not name:
            if _holds_office(tokens, prefix):
                return [(prefix, None)]  # "the US Secretary of State"
            if (
                heads[-1] in lexicon.OFFICES
                and _lower(tokens, piece[0]) not in lexicon.first_names()
            ):
                return []  # "Industry Secretary" names an office, not a person
            continue  # "Stephen King"
        if _could_be_person(tokens, name, strong=heads[-1] not in lexicon.AMBIGUOUS_TITLES):
            role = [*_office_words(tokens, prefix), *piece[start:end]]
            role_text = text_of(tokens, list(range(role[0], role[-1] + 1)))
            if all(_lower(tokens, i) in lexicon.HONORIFICS for i in piece[start:end]):
                role_text = ""  # "Mr Ruto" is a person, but "Mr" is no role
            return [(_trim(tokens, prefix), None), (name, role_text)]
    return [(piece, None)]


def _office_words(tokens: list[Token], prefix: list[int]) -> list[int]:
    """ "Treasury" of "US Treasury" before "CS": which office, kept in the role.

    A leading place or nationality says whose office it is; it is an entity
    of its own and the role reads as the office ("Secretary of State").
    """
    for size in range(len(prefix), 0, -1):
        if text_of(tokens, prefix[:size]).lower() in lexicon.places():
            return prefix[size:]
    while prefix and lexicon.is_demonym(tokens[prefix[0]].text):
        prefix = prefix[1:]
    return prefix


def _holds_office(tokens: list[Token], prefix: list[int]) -> bool:
    """A country or body that a role belongs to: "US" in "US Secretary of State"."""
    text = text_of(tokens, prefix).lower()
    return bool(prefix) and (
        text in lexicon.places()
        or text in lexicon.organizations()
        or lexicon.is_demonym(tokens[prefix[-1]].text)
    )


def _continues_role(tokens: list[Token], piece: list[int], position: int) -> bool:
    """ "of State" or "for Foreign Affairs" after a role head."""
    word = _lower(tokens, piece[position])
    if word not in ("of", "for") or position + 1 >= len(piece):
        return False
    following = piece[position + 1]
    return is_title_word(tokens, following) or _lower(tokens, following) == "affairs"


def _could_be_person(tokens: list[Token], name: list[int], *, strong: bool) -> bool:
    """After "President" any name will do; after "General" it needs a given name."""
    if not 1 <= len(name) <= 4 or not tokens[name[0]].capital:
        return False
    words = [_lower(tokens, index) for index in name]
    if any(word in lexicon.ORG_WORDS or word in lexicon.PLACE_WORDS for word in words):
        return False
    if " ".join(words) in lexicon.places() and words[0] not in lexicon.first_names():
        return False
    return strong or words[0] in lexicon.first_names() or len(words[0]) == 1 or len(words) > 1


def _drop_nationality(tokens: list[Token], part: list[int]) -> list[int]:
    """ "Kenyan" in "Kenyan economy" names no entity; "Indian Ocean" keeps it."""
    if not part or _lower(tokens, part[-1]) in lexicon.ORG_WORDS | lexicon.PLACE_WORDS:
        return part
    if text_of(tokens, part).lower() in lexicon.places():
        return part
    while part and (
        lexicon.is_demonym(tokens[part[0]].text)
        or _lower(tokens, part[0]) in lexicon.COMPASS
        and len(part) > 1
        and lexicon.is_demonym(tokens[part[1]].text)
    ):
        part = part[1:]
    return _trim_front(tokens, part)


def _is_only_title(tokens: list[Token], part: list[int]) -> bool:
    return all(is_title_word(tokens, index) for index in part)


def _is_event(tokens: list[Token], part: list[int]) -> bool:
    return _lower(tokens, part[-1]) in lexicon.EVENT_WORDS
