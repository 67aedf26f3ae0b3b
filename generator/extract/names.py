"""Sentence -> candidate names, each with votes for its type from the clues around it.

`name_runs` cuts the capitalised words into names; here each name gets votes
from its own words (a known place, a given name, "Ltd") and its neighbours
("in X", "X, 34,", "striker X", "X (AGOA)"). `entities` adds the votes of
every mention of a name before deciding what it is.
"""

from __future__ import annotations

from operator import attrgetter
from typing import NamedTuple

from generator.extract import lexicon, name_runs
from generator.extract.memo import Memo
from generator.extract.name_runs import Token
from generator.model import Sentence

_OPENERS = frozenset("\"'“‘(:")


class NameSpan(NamedTuple):
    """One candidate name in one sentence, with votes for its type.

    A tuple rather than a frozen dataclass: an article makes dozens, and
    building a tuple costs a fraction of the dataclass's checked setattr.
    """

    surface: str
    sentence: str  # Sentence.id
    paragraph: int
    start: int  # offset in the paragraph text
    end: int
    role: str | None  # title written with it: "Secretary of State"
    votes: tuple[tuple[str, float], ...]  # (type, weight): person/organization/place
    initial: bool  # first word of its sentence, so maybe capitalised by grammar
    shouting: bool  # from an all-capitals line such as a dateline
    acronym: str | None = None  # "(AGOA)" written right after it
    listed: bool = False  # found by a site.yaml alias, not by the name finder


def find_names(sentence: Sentence, *, heading: bool = False) -> list[NameSpan]:
    """Every candidate name in the sentence, in order; a heading yields only places."""
    tokens, starts = name_runs.tokenize(sentence)
    if heading or _is_shouting(tokens):
        return _shouted_places(sentence, tokens, starts)
    first = _first_word(tokens)
    spans: list[NameSpan] = []
    for run in name_runs.capitalised_runs(tokens):
        for part, role in name_runs.split_run(tokens, run):
            if part:
                spans.append(_make_span(sentence, tokens, starts, part, role, first))
    return spans


def _is_shouting(tokens: list[Token]) -> bool:
    shouted: int = sum(map(_IS_SHOUTED, tokens))
    if not shouted:
        return False  # most sentences: the words need no counting
    words: int = sum(map(_IS_WORD, tokens))
    return shouted / words >= 0.7 and shouted > 1 or words == 1 == shouted


_IS_WORD = attrgetter("word")
_TEXT = attrgetter("text")
_IS_SHOUTED = attrgetter("shouted")


def _shouted_places(sentence: Sentence, tokens: list[Token], starts: list[int]) -> list[NameSpan]:
    """Headlines and datelines capitalise every word; only places are believed there."""
    spans, index = [], 0
    while index < len(tokens):
        for size in (3, 2, 1):
            part = tokens[index : index + size]
            name = " ".join(t.text for t in part).lower()
            if len(part) == size and name in lexicon.places():
                end = starts[index + size - 1] + len(part[-1].text)
                votes = (("place", 3.0),)
                spans.append(_span(sentence, starts[index], end, None, votes, False, True))
                index += size - 1
                break
        index += 1
    return spans


def _first_word(tokens: list[Token]) -> int:
    for index, token in enumerate(tokens):
        if token.text not in _OPENERS:
            return index
    return 0


def _span(
    sentence: Sentence,
    start: int,
    end: int,
    role: str | None,
    votes: tuple[tuple[str, float], ...],
    initial: bool,
    shouting: bool,
    acronym: str | None = None,
) -> NameSpan:
    local = sentence.text[start - sentence.start : end - sentence.start]
    return NameSpan(
        surface=local,
        sentence=sentence.id,
        paragraph=sentence.paragraph,
        start=start,
        end=end,
        role=role,
        votes=votes,
        initial=initial,
        shouting=shouting,
        acronym=acronym,
    )


def _make_span(
    sentence: Sentence,
    tokens: list[Token],
    starts: list[int],
    part: list[int],
    role: str | None,
    first: int,
) -> NameSpan:
    before = tokens[part[0] - 1] if part[0] > 0 else None
    after = part[-1] + 1
    votes = list(_shape_votes(tokens, part))
    if role is not None:
        votes.append(("person", 3.0))
        role = role or None  # "" marks a courtesy title such as "Mr"
    elif before is not None and before.lower in lexicon.PERSON_ROLES:
        role = None if before.lower in lexicon.HONORIFICS else _role_before(tokens, part[0])
        votes.append(("person", 2.0))
    if role is None:
        role = _appositive_role(tokens, after)
        if role is not None:
            votes.append(("person", 2.0))
    votes.extend(_context_votes(tokens, part, before, after))
    initial = part[0] == first or (before is not None and before.text in _OPENERS)
    if _holds_role(tokens, part, after, initial):
        votes.append(("organization", 1.0))
    acronym = _acronym_after(tokens, after)
    end = starts[part[-1]] + len(tokens[part[-1]].text)
    return _span(sentence, starts[part[0]], end, role, tuple(votes), initial, False, acronym)


_ARTICLES = lexicon.words("the a an its their")
# Place words that come first in a name: "Mount Kenya", "Lake Naivasha".
_PLACE_OPENERS = lexicon.words("mount mt lake cape isle")
_ROLE_WORDS = lexicon.PERSON_ROLES | lexicon.TITLE_HEADS | lexicon.TITLE_MODIFIERS
# Roles held for a body ("Chelsea defender", "Merrill Lynch analyst"), unlike
# "defending champion" or "his wife", which describe the person.
_HELD_ROLES = lexicon.PERSON_ROLES - lexicon.words(
    """champion seed veteran rookie challenger teammate son daughter wife husband brother
    sister father mother widow mr mrs dr sir"""
)
_HEADS_OR_HELD_ROLES = lexicon.TITLE_HEADS | _HELD_ROLES


def _role_before(tokens: list[Token], first: int) -> str:
    """ "Apple chief executive Tim Cook" -> "Apple chief executive".

    The lowercase role words, and the capitalised body they belong to; a
    place, nationality or possessive before them says whose office it is
    ("Kenya's trade minister"), not which, so it is left out.
    """
    start = first - 1
    while start > 0 and not tokens[start - 1].capital and tokens[start - 1].lower in _ROLE_WORDS:
        start -= 1
    body = start
    while body > 0 and tokens[body - 1].capital and not tokens[body - 1].closes:
        body -= 1
    while body < start and _is_not_office(tokens[body]):
        body += 1
    return " ".join(token.text for token in tokens[body:first])


def _is_not_office(token: Token) -> bool:
    """Words before a role that name no office: "On", "Monday", "Kenya", "British"."""
    word = token.lower
    return (
        word in lexicon.STOP_WORDS
        or word in lexicon.WEEKDAYS
        or word in lexicon.MONTHS
        or word in lexicon.places()
        or lexicon.is_demonym(token.text)
    )


def _appositive_role(tokens: list[Token], after: int) -> str | None:
    """ "Tommy Pigott, the deputy spokesperson," -> "deputy spokesperson"."""
    if after >= len(tokens) or tokens[after].text != ",":
        return None
    index = after + 1
    # Skip "the", "Kenya's", "US": who the role is held for, not the role.
    while index < len(tokens) and (
        tokens[index].lower in _ARTICLES
        or tokens[index].capital
        and not name_runs.is_title_word(tokens, index)
        and (tokens[index].closes or tokens[index].lower in lexicon.places())
    ):
        index += 1
    start = index
    while index < len(tokens) and (
        name_runs.is_title_word(tokens, index) or tokens[index].lower in ("of", "for")
    ):
        index += 1
    role = tokens[start:index]
    ends = index == len(tokens) or tokens[index].text in (",", ".", ";")
    if ends and any(token.lower in lexicon.TITLE_HEADS for token in role):
        return " ".join(token.text for token in role)
    return None


def _shape_votes(tokens: list[Token], part: list[int]) -> tuple[tuple[str, float], ...]:
    """What the words themselves say: a known place, a given name, "Ltd"."""
    return _VOTES_OF_WORDS[tuple(map(tokens.__getitem__, part))]


def _votes_of_words(part: tuple[Token, ...]) -> tuple[tuple[str, float], ...]:
    words = [token.lower for token in part]
    text = " ".join(token.text for token in part).lower()
    votes: list[tuple[str, float]] = []
    place = lexicon.places().get(text)
    if place is not None:
        votes.append(("place", 3.0 if place.lower() in lexicon.countries() else 2.0))
    if text in lexicon.organizations():
        votes.append(("organization", 3.0))
    if len(words) > 2 and words[0] in lexicon.ORG_WORDS and words[1] == "of":
        votes.append(("organization", 3.0))  # "Bank of America", "University of Nairobi"
    if words[-1] in lexicon.ORG_WORDS and len(words) > 1 and place is None:
        votes.append(("organization", 3.0))
    elif len(words) > 1 and (words[-1] in lexicon.PLACE_WORDS or words[0] in _PLACE_OPENERS):
        votes.append(("place", 2.0))
    if len(words) > 1 and (words[0] in lexicon.first_names() or len(words[0]) == 1):
        votes.append(("person", 2.5))
    elif len(words) == 1 and words[0] in lexicon.first_names():
        votes.append(("person", 1.0))  # "Jack and Mary": a given name alone
    raw = part[0].text
    if len(part) == 1 and raw.isupper() and len(raw.replace(".", "")) >= 2 and place is None:
        votes.append(("organization", 1.0))  # an acronym, unless a place says otherwise
    return tuple(votes)


# Kept because the votes depend on the words alone, and news repeats its names.
_VOTES_OF_WORDS = Memo(_votes_of_words, limit=16384)


def _context_votes(
    tokens: list[Token], part: list[int], before: Token | None, after: int
) -> list[tuple[str, float]]:
    """What the words around say: "in X", "X, 34,", "X 2 Y 1"."""
    votes: list[tuple[str, float]] = []
    previous = before.text.lower() if before else ""
    following = list(map(_TEXT, tokens[after : after + 3]))
    if previous in ("in", "at", "near", "from", "outside", "across"):
        votes.append(("place", 0.5))
    if previous == "of" and part[0] > 1 and tokens[part[0] - 2].text in lexicon.PLACE_NOUNS:
        votes.append(("place", 2.0))  # "the city of Arbil"
    if previous == "the":
        votes.append(("organization", 0.5))
    if following[:1] and following[0].lower() in lexicon.REPORTING_VERBS and len(part) > 1:
        votes.append(("person", 0.5))
    inside = following[1].lower() if len(following) == 3 else ""
    if following[::2] == [",", ","] and inside.isdigit():
        votes.append(("person", 2.0))  # an age: "Phil Simmons, 33,"
    if following[::2] == ["(", ")"] and inside in lexicon.places():
        votes.append(("person", 1.5))  # "Sjeng Schalken (Netherlands)": where a person is from
    if following[:1] and following[0].isdigit() and _is_score_line(tokens):
        votes.append(("team", 1.5))
    return votes


def _holds_role(tokens: list[Token], part: list[int], after: int, initial: bool) -> bool:
    """ "Apple" in "Apple chief executive Tim Cook": a body whose office a person holds.

    Places hold offices too ("Kenya President"), but they have their own votes.
    Opening a sentence, only an office will do: "Defending champion X" and
    "Veteran striker X" describe the person, not a body.
    """
    index = after
    while index < len(tokens) and index - after < 4 and tokens[index].lower in _ROLE_WORDS:
        index += 1
    if index == after or index == len(tokens) or not tokens[index].capital:
        return False
    role = {token.lower for token in tokens[after:index]}
    heads = lexicon.TITLE_HEADS if initial else _HEADS_OR_HELD_ROLES
    first, last = tokens[part[0]], tokens[part[-1]]
    return (
        not role.isdisjoint(heads)
        and not last.closes
        and _role_word(last) not in _ROLE_WORDS  # "Co-Premiers Prince X"
        and not lexicon.starts_like_a_country(first.text)
        and name_runs.text_of(tokens, part).lower() not in lexicon.places()
    )


def _role_word(token: Token) -> str:
    """ "co-premiers" -> "premier": the role in a plural or prefixed title."""
    return token.lower.rsplit("-", 1)[-1].removesuffix("s")


def _is_score_line(tokens: list[Token]) -> bool:
    return sum(1 for token in tokens if token.text.isdigit()) >= 2


def _acronym_after(tokens: list[Token], after: int) -> str | None:
    """ "African Growth and Opportunity Act (AGOA)" -> "AGOA"."""
    if after + 2 >= len(tokens) or tokens[after].text != "(" or tokens[after + 2].text != ")":
        return None
    inside = tokens[after + 1].text
    return inside if inside.isupper() else None
