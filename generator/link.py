"""All Summaries -> site graph: entity and tag indexes, related briefings, timeline.

Nothing here is quadratic in the number of briefings: related briefings are
found through an inverted index of shared features, and features shared by
a large share of the site (which say nothing about relatedness) are skipped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice, repeat
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, NamedTuple, cast

from slugify import slugify

from .extract.lexicon import first_names
from .model import EntityBrief, EntityType, Summary

if TYPE_CHECKING:
    import numpy as np

    from .related import Features

ENTITY_SECTIONS: dict[EntityType, str] = {
    "person": "people",
    "organization": "organizations",
    "place": "places",
}
MIN_TAG_BRIEFINGS = 2  # a tag on one briefing gathers nothing: it is not shown
# Words that join a longer name to what follows: "Bank of China" does not end in
# a name of its own, so "China" is never taken for it.
_CONNECTORS = frozenset({"of", "for", "and", "&", "on", "de", "the"})


# Appearance, Related and TimelineEvent are named tuples, not dataclasses: a big
# site makes hundreds of thousands of them, and a frozen dataclass takes several
# times as long to make (and to collect) as a tuple.


class Appearance(NamedTuple):
    """One briefing's mention of a site entity: the sentence it is named in."""

    slug: str
    sentence: str  # Sentence.id
    text: str  # the sentence


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteEntity:
    """A person, organisation or place across the whole site, aliases merged."""

    key: str  # "{section}/{slug}", also its site path without the trailing slash
    name: str
    type: EntityType
    role: str | None
    surfaces: tuple[str, ...]
    appearances: tuple[Appearance, ...]  # newest briefing first

    @property
    def path(self) -> str:
        return self.key + "/"


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteTag:
    name: str
    slug: str
    slugs: tuple[str, ...]  # briefings with this tag, newest first

    @property
    def path(self) -> str:
        return f"tags/{self.slug}/"


class Related(NamedTuple):
    slug: str
    score: float
    reason: str  # "Shared people: William Ruto; topics: trade"


class TimelineEvent(NamedTuple):
    date: dt.date
    precision: str  # day | month | year
    text: str  # what happened
    slug: str  # briefing it comes from
    sentence: str  # Sentence.id


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteGraph:
    """Everything cross-linked: the input to rendering."""

    briefings: tuple[Summary, ...]  # newest first
    entities: tuple[SiteEntity, ...]  # sorted by name
    entity_keys: dict[tuple[str, str], str]  # (briefing slug, local entity name) -> key
    tags: tuple[SiteTag, ...]  # shown tags, sorted by name
    briefing_tags: dict[str, tuple[str, ...]]  # slug -> shown tag names
    related: dict[str, tuple[Related, ...]]  # slug -> best first
    timeline: tuple[TimelineEvent, ...]  # newest first


def build_graph(briefings: Sequence[Summary], related_count: int = 5) -> SiteGraph:
    ordered = tuple(sorted(briefings, key=lambda b: (b.date, b.slug), reverse=True))
    entities, entity_keys = link_entities(ordered)
    tags, briefing_tags = link_tags(ordered)
    return SiteGraph(
        briefings=ordered,
        entities=entities,
        entity_keys=entity_keys,
        tags=tags,
        briefing_tags=briefing_tags,
        related=find_related(
            ordered, entity_keys, briefing_tags, related_count, {e.key: e.name for e in entities}
        ),
        timeline=build_timeline(ordered),
    )


# --- entities ---------------------------------------------------------------


def link_entities(
    briefings: Sequence[Summary],
) -> tuple[tuple[SiteEntity, ...], dict[tuple[str, str], str]]:
    """Merge each article's entities into site entities ("Ruto" is "William Ruto")."""
    slugs, named, _ = every_entity(briefings)
    groups = _group_names(named)
    # Each group's members by position: a big site has a few hundred thousand
    # local entities, too many to pair up one by one.
    members: defaultdict[str, list[int]] = defaultdict(list)
    for position, group in enumerate(map(groups.__getitem__, map(attrgetter("name"), named))):
        members[group].append(position)
    site_entities: list[SiteEntity] = []
    entity_keys: dict[tuple[str, str], str] = {}
    used: set[str] = set()
    for group in sorted(members, key=str.casefold):
        positions = members[group]
        group_slugs = [slugs[p] for p in positions]
        entities = [named[p] for p in positions]
        site_entity = _site_entity(group, group_slugs, entities, used)
        site_entities.append(site_entity)
        names = map(attrgetter("name"), entities)
        entity_keys.update(dict.fromkeys(zip(group_slugs, names, strict=True), site_entity.key))
    return tuple(sorted(site_entities, key=lambda e: (e.name.casefold(), e.key))), entity_keys


class EveryEntity(NamedTuple):
    """All briefings' entities in one flat list, for work on all of them at once."""

    slugs: list[str]  # of each entity, its briefing's slug
    entities: list[EntityBrief]
    sizes: list[int]  # how many entities each briefing has, in order


def every_entity(briefings: Sequence[Summary]) -> EveryEntity:
    sizes = [len(b.entities) for b in briefings]
    slugs = list(chain.from_iterable(map(repeat, (b.slug for b in briefings), sizes)))
    return EveryEntity(slugs, list(chain.from_iterable(b.entities for b in briefings)), sizes)


def site_keys(every: EveryEntity, entity_keys: dict[tuple[str, str], str]) -> list[str | None]:
    """The site entity key of each of `every`'s entities; None where there is none."""
    named = zip(every.slugs, map(attrgetter("name"), every.entities), strict=True)
    return list(map(entity_keys.get, named))


def _group_names(entities: Iterable[EntityBrief]) -> dict[str, str]:
    """Map every local entity name to the name of its site-wide group.

    Same name: same group. A shorter name joins the one longer name of the
    same type that claims it, but only when exactly one does, so "Johnson" never merges two
    different Johnsons. A longer name claims its surfaces (the "Ruto" of one
    article is the "William Ruto" of another); a person also claims their
    first and last word ("Xi" for "Xi Jinping"), an organisation the words it
    ends with ("Congress" for "US Congress"). Places claim nothing more:
    "Naivasha" the town is not "Lake Naivasha".
    """
    # The same entity recurs in many articles: each distinct one is looked at once.
    distinct = list(dict.fromkeys(map(attrgetter("name", "type", "surfaces"), entities)))
    claims: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, kind, surfaces in distinct:
        for claimed in _claimed(name, kind, surfaces):
            if claimed != name:
                claims[(kind, claimed)].add(name)
    groups: dict[str, str] = {}
    for name, kind, _ in distinct:
        owners = claims.get((kind, name), set())
        group = next(iter(owners)) if len(owners) == 1 else name
        groups.setdefault(name, group)
    return groups


def _claimed(name: str, kind: EntityType, surfaces: tuple[str, ...]) -> set[str]:
    """Shorter names an entity may stand for elsewhere on the site."""
    words = name.split()
    if len(words) < 2:
        return set()
    claimed = {s for s in surfaces if len(s.split()) < len(words)}
    if kind == "person":
        # The surname, and a first word that is no common given name: "Xi" of
        # "Xi Jinping", but a lone "William" is not taken for William Ruto.
        claimed.add(words[-1])
        if words[0].lower() not in first_names():
            claimed.add(words[0])
    elif kind == "organization":
        # "Congress" of "US Congress", but not "China" of "Bank of China".
        claimed |= {
            " ".join(words[start:])
            for start in range(1, len(words))
            if words[start - 1].lower() not in _CONNECTORS
        }
    return claimed


def _site_entity(
    name: str,
    slugs: Sequence[str],
    entities: Sequence[EntityBrief],
    used: set[str],
) -> SiteEntity:
    """The group's entity; `name` is the longer name the others joined.

    `entities` are the group's members, named in the briefings `slugs`.
    """
    # EntityBrief's fields, a tuple of each: one pass in C, not one per field.
    _, types, roles, surfaces, _, sentences, texts = zip(*entities, strict=True)
    kinds = Counter(types)
    kind: EntityType = max(kinds, key=lambda k: (kinds[k], k))
    known_roles = Counter(filter(None, roles))
    base = f"{ENTITY_SECTIONS[kind]}/{slugify(name) or 'entity'}"
    key, number = base, 1
    while key in used:
        number += 1
        key = f"{base}-{number}"
    used.add(key)
    # One appearance per briefing: where it names the entity twice, the last one
    # named, in the place of the first.
    appearances = list(zip(slugs, sentences, texts, strict=True))
    if None in sentences:  # named in no sentence
        appearances = [a for a in appearances if a[1] is not None]
    named = dict(zip(map(itemgetter(0), appearances), appearances, strict=True))
    return SiteEntity(
        key=key,
        name=name,
        type=kind,
        role=known_roles.most_common(1)[0][0] if known_roles else None,
        surfaces=tuple(dict.fromkeys(chain.from_iterable(surfaces))),
        # tuple.__new__ makes each Appearance from its fields with no Python call
        appearances=tuple(map(tuple.__new__, repeat(Appearance), named.values())),
    )


# --- tags -------------------------------------------------------------------


def link_tags(
    briefings: Sequence[Summary],
) -> tuple[tuple[SiteTag, ...], dict[str, tuple[str, ...]]]:
    """Tag pages for tags that gather at least two briefings."""
    by_tag: dict[str, list[str]] = defaultdict(list)
    for briefing in briefings:
        for tag in dict.fromkeys(briefing.tags):
            by_tag[tag].append(briefing.slug)
    shown = {t: s for t, s in by_tag.items() if len(s) >= MIN_TAG_BRIEFINGS}
    tags: list[SiteTag] = []
    used: set[str] = set()
    for name in sorted(shown, key=str.casefold):
        slug = slugify(name) or "tag"
        while slug in used:
            slug += "-x"
        used.add(slug)
        tags.append(SiteTag(name=name, slug=slug, slugs=tuple(shown[name])))
    briefing_tags = {
        b.slug: tuple(t for t in dict.fromkeys(b.tags) if t in shown) for b in briefings
    }
    return tuple(tags), briefing_tags


# --- related briefings ------------------------------------------------------

_ENTITY_WEIGHT = 1.0  # per mention-scaled entity, on the scale of a term weight
_TAG_WEIGHT = 1.5


def find_related(
    briefings: Sequence[Summary],
    entity_keys: dict[tuple[str, str], str],
    briefing_tags: dict[str, tuple[str, ...]],
    count: int,
    names: dict[str, str],
) -> dict[str, tuple[Related, ...]]:
    """Rank other briefings by what they share: entities, tags and distinctive terms."""
    from .related import rank_features  # NumPy and SciPy load only when a build gets here

    ranking = rank_features(_features(briefings, entity_keys, briefing_tags), count)
    slugs = ranking.slugs
    reasons = [_reason(shared, names) for shared in ranking.shared]  # once per pair
    found = iter([
        Related(slugs[other], score, reasons[pair])
        for other, score, pair in zip(ranking.others, ranking.scores, ranking.pairs, strict=True)
    ])  # fmt: skip
    return {
        slug: tuple(islice(found, size)) for slug, size in zip(slugs, ranking.sizes, strict=True)
    }


def _features(
    briefings: Sequence[Summary],
    entity_keys: dict[tuple[str, str], str],
    briefing_tags: dict[str, tuple[str, ...]],
) -> Features:
    """Every briefing's terms ("w:"), site entities ("e:") and shown tags ("t:"), weighted.

    Made as flat arrays straight from the summaries: a big site has a million
    terms, and each feature's name is spelt once, not once per briefing.
    """
    import numpy as np

    from .related import Features, numbered

    kinds = [
        ("w:", *_term_entries(briefings)),
        ("e:", *_entity_entries(briefings, entity_keys)),
        ("t:", *_tag_entries(briefings, briefing_tags)),
    ]
    names: list[str] = []
    numbers = []
    for prefix, _, values, _ in kinds:
        distinct, numbered_values = numbered(values, len(values))
        numbers.append(numbered_values + len(names))
        names += [prefix + value for value in distinct]
    return Features(
        slugs=[b.slug for b in briefings],
        names=names,
        rows=np.concatenate([rows for _, rows, _, _ in kinds]),
        numbers=np.concatenate(numbers),
        weights=np.concatenate([weights for *_, weights in kinds]),
    )


def _term_entries(briefings: Sequence[Summary]) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Row, term and weight of every briefing's every term (`Summary.terms` of all at once)."""
    import numpy as np

    with_terms = [(row, b) for row, b in enumerate(briefings) if b.term_words]
    if not with_terms:
        return np.zeros(0, dtype=np.int64), [], np.zeros(0)
    terms = "\0".join(b.term_words for _, b in with_terms).split("\0")
    weights = np.frombuffer(b"".join(b.term_weights for _, b in with_terms), np.float64)
    counts = [b.term_words.count("\0") + 1 for _, b in with_terms]
    if counts != [len(b.term_weights) // weights.itemsize for _, b in with_terms]:
        raise ValueError("a summary has not as many term weights as terms")
    rows = np.repeat(np.array([row for row, _ in with_terms], dtype=np.int64), counts)
    return rows, terms, weights


def _entity_entries(
    briefings: Sequence[Summary], entity_keys: dict[tuple[str, str], str]
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Row, site entity key and weight of every briefing's every site entity."""
    import numpy as np

    every = every_entity(briefings)
    entities, sizes, keys = every.entities, every.sizes, site_keys(every, entity_keys)
    mentions = map(attrgetter("mentions"), entities)
    weights = np.fromiter(map(_entity_weight, mentions), np.float64, len(entities))
    rows = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    # A site entity an article names twice ("Ruto", "William Ruto") is given
    # twice: it counts once, with the last weight (see related.Features).
    if None in keys:  # no site entity
        linked = np.array([key is not None for key in keys], dtype=bool)
        return rows[linked], [key for key in keys if key is not None], weights[linked]
    return rows, cast(list[str], keys), weights


@lru_cache(maxsize=1024)  # mentions are small numbers, met again in every article
def _entity_weight(mentions: int) -> float:
    return _ENTITY_WEIGHT * (1 + math.log(mentions or 1))


def _tag_entries(
    briefings: Sequence[Summary], briefing_tags: dict[str, tuple[str, ...]]
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Row, tag and weight of every briefing's every shown tag."""
    import numpy as np

    tagged = [(row, t) for row, b in enumerate(briefings) for t in briefing_tags.get(b.slug, ())]
    rows = np.fromiter((row for row, _ in tagged), np.int64, len(tagged))
    return rows, [tag for _, tag in tagged], np.full(len(tagged), _TAG_WEIGHT)


def _reason(shared: Sequence[tuple[float, str]], names: dict[str, str]) -> str:
    """Name what two briefings share (given strongest first), grouped by kind."""
    groups: dict[str, list[str]] = defaultdict(list)
    for _, feature in shared:
        kind, _, value = feature.partition(":")
        if kind == "e":
            section = value.split("/", 1)[0]
            groups[section].append(names.get(value, value))
        elif kind == "t":
            groups["topics"].append(value)
        else:
            groups["terms"].append(value)
    labels = {
        "people": "people",
        "organizations": "organisations",
        "places": "places",
        "topics": "topics",
        "terms": "terms",
    }
    parts = [f"{labels[k]}: {', '.join(groups[k][:3])}" for k in labels if groups.get(k)]
    return ("Shared " + "; ".join(parts[:3])) if parts else ""


# --- timeline ---------------------------------------------------------------


def build_timeline(briefings: Sequence[Summary]) -> tuple[TimelineEvent, ...]:
    """Every date mentioned, newest first; the same event of a briefing once, as first told."""
    events: dict[tuple[dt.date, str, str], tuple[str, str]] = {}  # -> (precision, sentence)
    for briefing in briefings:
        slug = briefing.slug
        for mention in briefing.dates:
            key = (mention.date, slug, mention.event)
            events.setdefault(key, (mention.precision, mention.sentence))
    # The keys are distinct, so sorting the pairs sorts by key alone.
    return tuple(
        TimelineEvent(date, precision, text, slug, sentence)
        for (date, slug, text), (precision, sentence) in sorted(events.items(), reverse=True)
    )
