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

from slugify import slugify

from .extract.lexicon import first_names
from .model import EntityBrief, EntityType, Summary

ENTITY_SECTIONS: dict[EntityType, str] = {
    "person": "people",
    "organization": "organizations",
    "place": "places",
}
MIN_TAG_BRIEFINGS = 2  # a tag on one briefing gathers nothing: it is not shown
# Words that join a longer name to what follows: "Bank of China" does not end in
# a name of its own, so "China" is never taken for it.
_CONNECTORS = frozenset({"of", "for", "and", "&", "on", "de", "the"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Appearance:
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Related:
    slug: str
    score: float
    reason: str  # "Shared people: William Ruto; topics: trade"


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEvent:
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
    local = [(b.slug, e) for b in briefings for e in b.entities]
    groups = _group_names(e for _, e in local)
    members: dict[str, list[tuple[str, EntityBrief]]] = defaultdict(list)
    for slug, entity in local:
        members[groups[entity.name]].append((slug, entity))
    site_entities: list[SiteEntity] = []
    entity_keys: dict[tuple[str, str], str] = {}
    used: set[str] = set()
    for group in sorted(members, key=str.casefold):
        site_entity = _site_entity(group, members[group], used)
        site_entities.append(site_entity)
        for slug, entity in members[group]:
            entity_keys[(slug, entity.name)] = site_entity.key
    return tuple(sorted(site_entities, key=lambda e: (e.name.casefold(), e.key))), entity_keys


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
    distinct = list(dict.fromkeys((e.name, e.type, e.surfaces) for e in entities))
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
    members: Sequence[tuple[str, EntityBrief]],
    used: set[str],
) -> SiteEntity:
    """The group's entity; `name` is the longer name the others joined."""
    kinds = Counter(entity.type for _, entity in members)
    kind: EntityType = max(kinds, key=lambda k: (kinds[k], k))
    roles = Counter(entity.role for _, entity in members if entity.role)
    base = f"{ENTITY_SECTIONS[kind]}/{slugify(name) or 'entity'}"
    key, number = base, 1
    while key in used:
        number += 1
        key = f"{base}-{number}"
    used.add(key)
    surfaces = dict.fromkeys(s for _, entity in members for s in entity.surfaces)
    appearances = []
    for slug, entity in members:
        if entity.first_sentence is not None:
            appearances.append(
                Appearance(slug=slug, sentence=entity.first_sentence, text=entity.first_text)
            )
    return SiteEntity(
        key=key,
        name=name,
        type=kind,
        role=roles.most_common(1)[0][0] if roles else None,
        surfaces=tuple(surfaces),
        appearances=tuple(dict((a.slug, a) for a in appearances).values()),
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
    from .related import rank_related  # NumPy and SciPy load only when a build gets here

    vectors = {b.slug: _features(b, entity_keys, briefing_tags.get(b.slug, ())) for b in briefings}
    reasons: dict[tuple[tuple[float, str], ...], str] = {}  # the same few pairs recur often
    related = {}
    for slug, matches in rank_related(vectors, count).items():
        found = []
        for match in matches:
            reason = reasons.get(match.shared)
            if reason is None:
                reason = reasons[match.shared] = _reason(list(match.shared), names)
            found.append(Related(slug=match.slug, score=match.score, reason=reason))
        related[slug] = tuple(found)
    return related


def _features(
    briefing: Summary, entity_keys: dict[tuple[str, str], str], tags: Sequence[str]
) -> dict[str, float]:
    features: dict[str, float] = {}
    for term, weight in briefing.terms():
        features[f"w:{term}"] = weight
    for entity in briefing.entities:
        key = entity_keys.get((briefing.slug, entity.name))
        if key:
            mentions = entity.mentions or 1
            features[f"e:{key}"] = _ENTITY_WEIGHT * (1 + math.log(mentions))
    for tag in tags:
        features[f"t:{tag}"] = _TAG_WEIGHT
    return features


def _reason(shared: list[tuple[float, str]], names: dict[str, str]) -> str:
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
    events: dict[tuple[dt.date, str, str], TimelineEvent] = {}
    for briefing in briefings:
        for mention in briefing.dates:
            event = TimelineEvent(
                date=mention.date,
                precision=mention.precision,
                text=mention.event,
                slug=briefing.slug,
                sentence=mention.sentence,
            )
            events.setdefault((event.date, event.slug, event.text), event)
    return tuple(sorted(events.values(), key=lambda e: (e.date, e.slug, e.text), reverse=True))
