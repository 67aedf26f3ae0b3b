"""Article + sentences -> people, organisations and places, aliases merged.

Candidate names come from `names.find_names`, one per mention. Mentions of
the same thing are grouped ("Ruto" joins "William Ruto", "US" joins "United
States", "AGOA" joins the long form written before it), each group's votes
decide its type, and groups are ranked by salience.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from generator.extract import lexicon
from generator.extract.aliases import add_alias_spans
from generator.extract.memo import Memo
from generator.extract.names import NameSpan, find_names
from generator.extract.words import is_word_character
from generator.model import Article, Entity, EntityType, ExtractSettings, Mention, Sentence

_TYPES: tuple[EntityType, ...] = ("person", "organization", "place")
_SPACES = re.compile(r"\s+")


def extract_entities(
    article: Article, sentences: tuple[Sentence, ...], settings: ExtractSettings
) -> tuple[Entity, ...]:
    """Every person, organisation and place named in the body, most salient first."""
    headings = {p.index for p in article.paragraphs if p.kind == "heading"}
    spans = [
        span
        for sentence in sentences
        for span in find_names(sentence, heading=sentence.paragraph in headings)
    ]
    spans = add_alias_spans(spans, sentences, settings.aliases)
    aliases = {_key(alias): _SPACES.sub(" ", name) for alias, name in settings.aliases}
    listed = {_key(name): name for name in aliases.values()}
    groups = _group(spans, aliases)
    common = _LowercaseWords(sentences)
    typed = [
        (key, members, _type_of(key, members, common, key in listed))
        for key, members in groups.items()
    ]
    typed = _merge_partial_names(typed)
    stop = {name.lower() for name in settings.stop_entities}
    order = {sentence.id: rank for rank, sentence in enumerate(sentences)}
    title = _words_of(article.title)
    entities = [
        _build_entity(key, members, entity_type, title, order, listed.get(key))
        for key, members, entity_type in typed
        if entity_type is not None and (key in listed or _is_believed(members))
    ]
    kept = [entity for entity in entities if not (stop and _is_stopped(entity, stop))]
    return tuple(sorted(kept, key=lambda entity: (-entity.salience, entity.name)))


def _collapse(surface: str) -> str:
    """The surface with each run of whitespace written as one space."""
    return _SPACES.sub(" ", surface)


def _lowercase_key(surface: str) -> str:
    return _collapsed(surface).lower()


# Kept, like `_words_of`: every mention's surface goes through them, and an
# article names the same things again and again.
_collapsed = Memo(_collapse, limit=16384).__getitem__
_key = Memo(_lowercase_key, limit=16384).__getitem__


def _canonical(surface: str, aliases: dict[str, str]) -> str:
    """The name a surface stands for: a settings alias, a known place or itself."""
    key = _key(surface)
    if key in aliases:
        return aliases[key]
    known = lexicon.organizations().get(key) or lexicon.places().get(key)
    return known or _collapsed(surface)


def _group(spans: list[NameSpan], aliases: dict[str, str]) -> dict[str, list[NameSpan]]:
    """Mentions grouped under one key per thing named; acronyms join their long form."""
    keys = [_key(_canonical(span.surface, aliases)) for span in spans]
    acronyms = {
        span.acronym.lower(): key for span, key in zip(spans, keys, strict=True) if span.acronym
    }
    groups: dict[str, list[NameSpan]] = defaultdict(list)
    for span, key in zip(spans, keys, strict=True):
        groups[acronyms.get(key, key)].append(span)
    return groups


def _votes(members: list[NameSpan]) -> dict[str, float]:
    total: dict[str, float] = defaultdict(float)
    for span in members:
        for kind, weight in span.votes:
            total[kind] += weight
    return total


class _LowercaseWords:
    """Words the article writes in lowercase: capitalised elsewhere, they are not names.

    A word is in it when the sentences write it as a run of letters a-z with
    no letter, digit or underscore on either side. Only a few names per
    article are looked up, so each is searched for rather than every
    lowercase word collected first.
    """

    def __init__(self, sentences: tuple[Sentence, ...]) -> None:
        # Line breaks between sentences end words as spaces do.
        self.text = "\n".join(sentence.text for sentence in sentences)

    def __contains__(self, word: str) -> bool:
        if not (word.isascii() and word.isalpha() and word.islower()):
            return False  # not a run of a-z
        text, size = self.text, len(word)
        start = text.find(word)
        while start != -1:
            end = start + size
            if not (start and is_word_character(text[start - 1])) and not (
                end < len(text) and is_word_character(text[end])
            ):
                return True
            start = text.find(word, start + 1)
        return False


def _type_of(
    key: str, members: list[NameSpan], common: _LowercaseWords, listed: bool
) -> EntityType | None:
    """What the finder's own mentions say; a site alias's name the finder never typed, its shape."""
    found = [span for span in members if not span.listed]
    entity_type = _decide_type(key, found, common) if found else None
    if entity_type is None and listed:
        return _listed_type(key)
    return entity_type


def _listed_type(key: str) -> EntityType:
    """A site alias's canonical name: a known place or body, a person by a given name."""
    if key in lexicon.places():
        return "place"
    words = key.split()
    if key not in lexicon.organizations() and len(words) in (2, 3):
        return "person" if words[0] in lexicon.first_names() else "organization"
    return "organization"


def _decide_type(key: str, members: list[NameSpan], common: _LowercaseWords) -> EntityType | None:
    """The type with most votes; a team named after a city is an organisation."""
    votes = _votes(members)
    team = votes.pop("team", 0.0)
    if team:
        # National sides are reported as their country, clubs as organisations.
        votes["place" if key in lexicon.countries() else "organization"] += team * 2
    if not votes:
        return _type_without_votes(key, members, common)
    best = max(_TYPES, key=votes.__getitem__)
    return best if votes[best] > 0 else None


def _type_without_votes(
    key: str, members: list[NameSpan], common: _LowercaseWords
) -> EntityType | None:
    """Unknown capitalised words: names of two words are most often people."""
    if all(span.initial for span in members) or key in common:
        return None  # capitalised because it opens a sentence or a heading
    words = key.split()
    if len(words) != 2 or words[0] in lexicon.places() or any(word in common for word in words):
        return "organization"  # "Baltimore Orioles", "Natural England"
    return "person"


_Typed = list[tuple[str, list[NameSpan], EntityType | None]]


def _merge_partial_names(typed: _Typed) -> _Typed:
    """ "Ruto" joins "William Ruto" and "Safaricom" joins "Safaricom PLC" when only one fits.

    This is also how a surname that only ever opens a sentence ("Mbadi said")
    is believed: the full name written elsewhere vouches for it.
    """
    by_short_form: dict[str, list[int]] = defaultdict(list)
    for index, (key, _, entity_type) in enumerate(typed):
        for short in _short_forms(key, entity_type):
            by_short_form[short].append(index)
    merged: dict[int, list[NameSpan]] = {}
    dropped: set[int] = set()
    for index, (key, members, _) in enumerate(typed):
        owners = by_short_form.get(key, [])
        if len(owners) == 1:
            merged.setdefault(owners[0], []).extend(members)
            dropped.add(index)
    return [
        (key, members + merged.get(index, []), entity_type)
        for index, (key, members, entity_type) in enumerate(typed)
        if index not in dropped
    ]


def _short_forms(key: str, entity_type: EntityType | None) -> tuple[str, ...]:
    """A person's surname or given name ("Raila"); a company's name without "PLC"."""
    words = key.split()
    if len(words) < 2:
        return ()
    if entity_type == "person":
        return (words[-1], words[0]) if len(words[0]) > 2 else (words[-1],)
    if entity_type == "organization" and all(
        word.rstrip(".") in lexicon.CORPORATE_SUFFIXES for word in words[1:]
    ):
        return (words[0],)
    return ()


def _is_believed(members: list[NameSpan]) -> bool:
    """A word seen only at sentence starts needs a vote from the lexicons or context."""
    if not all(span.initial for span in members):
        return True
    return any(weight >= 1.0 for span in members for _, weight in span.votes)


def _is_stopped(entity: Entity, stop: set[str]) -> bool:
    return entity.name.lower() in stop or any(s.lower() in stop for s in entity.surfaces)


def _build_entity(
    key: str,
    members: list[NameSpan],
    entity_type: EntityType,
    title: str,  # the title's words, as `_words_of` gives them
    order: dict[str, int],
    listed: str | None,  # the canonical name a site alias gives, as written there
) -> Entity:
    surfaces = tuple(dict.fromkeys(map(_collapsed, [span.surface for span in members])))
    mentions = tuple(
        Mention(
            sentence=span.sentence,
            paragraph=span.paragraph,
            start=span.start,
            end=span.end,
            surface=span.surface,
        )
        for span in sorted(members, key=lambda span: (order.get(span.sentence, 0), span.start))
    )
    name = listed or _best_name(key, members, surfaces)
    roles = [span.role for span in members if span.role]
    return Entity(
        name=name,
        type=entity_type,
        surfaces=surfaces,
        mentions=mentions,
        role=Counter(roles).most_common(1)[0][0] if roles else None,
        salience=_salience(mentions, surfaces, title, order),
    )


def _best_name(key: str, members: list[NameSpan], surfaces: tuple[str, ...]) -> str:
    """A known organisation's or place's own name, else the longest form as written."""
    known = lexicon.organizations().get(key) or lexicon.places().get(key)
    if known:
        return known
    long_forms = [span.surface for span in members if _key(span.surface) == key]
    candidates = long_forms or list(surfaces)
    mixed = [name for name in candidates if not name.isupper()] or candidates
    return _collapsed(max(mixed, key=lambda name: (len(name.split()), len(name))))


_WORD = re.compile(r"\w+")


def _spaced_words(text: str) -> str:
    """ " kenya s trade deal ": lowercased words between spaces, for whole-word lookups."""
    return " " + " ".join(_WORD.findall(text.lower())) + " "


_words_of = Memo(_spaced_words, limit=16384).__getitem__


def _salience(
    mentions: tuple[Mention, ...], surfaces: tuple[str, ...], title: str, order: dict[str, int]
) -> float:
    """Mentions (in reading order), plus a bonus for appearing early and in the title."""
    first = order.get(mentions[0].sentence, 0)
    early = 1.0 / (1.0 + first)
    in_title = any(_words_of(surface) in title for surface in surfaces)
    return round(len(mentions) + 2.0 * early + (3.0 if in_title else 0.0), 3)
