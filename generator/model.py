"""Frozen data passed between the build stages: Article -> Briefing -> site graph."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Literal, NamedTuple, TypeVar

EntityType = Literal["person", "organization", "place"]
Class = TypeVar("Class", bound=type)


def pickled_as_values(cls: Class) -> Class:
    """Pickle a frozen slots dataclass as the tuple of its field values.

    The __getstate__ and __setstate__ that dataclasses gives such a class call
    fields() on every object: most of the time a Briefing took to pickle into
    the cache, and much of the time it took to load again for its page. These
    work the fields out once, for the class.
    """
    names = tuple(field.name for field in fields(cls))
    if len(names) < 2:
        return cls  # attrgetter of one name gives the value, not a tuple
    values = attrgetter(*names)
    # The slots' own setters, which a frozen class's __setattr__ does not guard.
    setters = tuple(getattr(cls, name).__set__ for name in names)

    def __getstate__(self: object) -> tuple[object, ...]:
        return values(self)

    def __setstate__(self: object, state: Sequence[object]) -> None:
        # Not zip(strict=True), which makes loading a sixth slower: the cache key
        # hashes this file, so a state has one value per field.
        for set_field, value in zip(setters, state):  # noqa: B905
            set_field(self, value)

    for name, method in (("__getstate__", __getstate__), ("__setstate__", __setstate__)):
        setattr(cls, name, method)
    return cls


# --- loaded content --------------------------------------------------------


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    """One block of running text from the article body, as plain text."""

    index: int  # 1-based position among the body's text blocks
    text: str  # plain text: inline markup removed, soft breaks as spaces
    line: int  # 1-based line in the content file where the block starts
    kind: str = "paragraph"  # paragraph | heading | list_item | blockquote


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One content file, validated: front matter plus its Markdown body."""

    source_path: str  # path relative to the content dir, POSIX separators
    slug: str  # URL segment of the briefing, from front matter or title
    title: str
    date: dt.date  # publication date (time of day, if given, is in `datetime`)
    datetime: dt.datetime | None = None  # full timestamp when front matter gave one
    source: str | None = None  # publication the article came from
    source_url: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()  # author tags, as written
    summary: str | None = None  # author lede; extraction writes one when absent
    facts: tuple[str, ...] = ()  # author key facts, shown before extracted ones
    draft: bool = False
    extra: tuple[tuple[str, object], ...] = ()  # free-form front matter under `extra:`
    body: str = ""  # Markdown source of the body
    body_line: int = 1  # line in the file where the body starts
    paragraphs: tuple[Paragraph, ...] = ()  # text blocks of the body, in order


# --- extraction results ----------------------------------------------------


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """A sentence of the body; `id` is its anchor on the briefing page."""

    id: str  # "p{paragraph}s{n}", e.g. "p3s2"
    paragraph: int  # Paragraph.index it belongs to
    start: int  # character offset in the paragraph's plain text
    end: int  # exclusive end offset in the paragraph's plain text
    text: str  # verbatim text, == paragraph.text[start:end]


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class KeyFact:
    """A sentence chosen as a key fact; author facts have no sentence."""

    text: str  # what is shown
    sentence: str | None  # Sentence.id it comes from; None for author facts
    score: float = 0.0  # ranking score, higher is more informative


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """Where an entity is named: sentence and offsets in the paragraph text."""

    sentence: str  # Sentence.id
    paragraph: int  # Paragraph.index
    start: int  # offset in paragraph plain text
    end: int
    surface: str  # the words as written, e.g. "President Ruto"


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """A person, organisation or place named in one article, aliases merged."""

    name: str  # canonical, longest full form: "William Ruto"
    type: EntityType
    surfaces: tuple[str, ...]  # every form seen, e.g. ("William Ruto", "Ruto")
    mentions: tuple[Mention, ...]
    role: str | None = None  # title or role where the text states one
    salience: float = 0.0  # how central the entity is to the article


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    """A number with its unit and what it measures: "10 per cent tariff"."""

    text: str  # the phrase as written
    value: float | None  # numeric value when it parses
    unit: str | None  # "per cent", "US$", "year", "people"...
    measure: str | None  # what it measures: "tariff", "law age"...
    sentence: str  # Sentence.id


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class DateMention:
    """A date the text refers to, resolved against the article date."""

    text: str  # as written: "on Wednesday", "end of this month"
    date: dt.date  # resolved calendar date (start of range for months/years)
    precision: Literal["day", "month", "year"]
    sentence: str  # Sentence.id
    event: str  # short description of what happens then (usually the sentence)


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """Quoted words with their speaker resolved to an entity where possible."""

    text: str  # the quoted words without the quotation marks
    speaker: str | None  # Entity.name of the speaker, or the name as written
    sentence: str  # Sentence.id where the quote starts


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class Keyphrase:
    phrase: str
    score: float


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class Extraction:
    """Everything extraction finds in one article."""

    sentences: tuple[Sentence, ...]
    key_facts: tuple[KeyFact, ...]  # extracted only, best first (3-7)
    entities: tuple[Entity, ...]  # most salient first
    figures: tuple[Figure, ...]
    dates: tuple[DateMention, ...]
    quotes: tuple[Quote, ...]
    tags: tuple[str, ...]  # normalised topic tags: author, topic rules, automatic
    keyphrases: tuple[Keyphrase, ...]  # ranked
    terms: tuple[tuple[str, float], ...] = ()  # distinctive terms with weights, for related
    lede: str = ""  # one-line summary when the author gave none
    seconds: float = 0.0  # CPU time spent extracting


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class TopicRule:
    """site.yaml topic rule: a tag given when any alias appears in the text."""

    tag: str
    aliases: tuple[str, ...] = ()


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class ExtractSettings:
    """The parts of site.yaml that steer extraction."""

    topics: tuple[TopicRule, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, canonical entity name)
    stop_entities: tuple[str, ...] = ()  # names never reported as entities
    max_key_facts: int = 5
    max_auto_tags: int = 3


@pickled_as_values
@dataclass(frozen=True, slots=True, kw_only=True)
class Briefing:
    """An article with what extraction found in it."""

    article: Article
    extraction: Extraction


# --- what the site-wide stages need of a briefing ----------------------------
# Named tuples, not dataclasses: a big site makes tens of thousands of these from
# its summary index at every build, and a named tuple is made from a row of plain
# values with no Python call per field (a dataclass took fifteen times as long).


class EntityBrief(NamedTuple):
    """An article's entity as the site-wide stages see it: no offsets, one sentence."""

    name: str
    type: EntityType
    role: str | None
    surfaces: tuple[str, ...]
    mentions: int  # how often it is named
    first_sentence: str | None  # Sentence.id of its first mention
    first_text: str  # that sentence


class DateBrief(NamedTuple):
    """A DateMention as the timeline needs it."""

    date: dt.date
    precision: str  # day | month | year
    event: str
    sentence: str  # Sentence.id


class Summary(NamedTuple):
    """The small part of a Briefing that linking, lists and feeds read.

    A big site keeps one of these per article in memory; the full Briefing
    is loaded from the cache only while its own page is made.
    """

    key: str  # the cache key: names the full Briefing and changes whenever it does
    source_path: str
    slug: str
    title: str
    date: dt.date
    datetime: dt.datetime | None
    author: str | None
    draft: bool
    lede: str  # the author's summary, else the extracted lede
    tags: tuple[str, ...]  # Extraction.tags
    entities: tuple[EntityBrief, ...]  # most salient first
    dates: tuple[DateBrief, ...]
    term_words: str  # Extraction.terms, the words joined by NUL...
    term_weights: bytes  # ...and their weights as native doubles (see `terms`)
    links: tuple[tuple[str, int], ...]  # (href, line) of every link in the body
    seconds: float  # CPU time extraction took

    def terms(self) -> list[tuple[str, float]]:
        """Extraction.terms: (term, weight) pairs."""
        if not self.term_words:
            return []
        return list(zip(self.term_words.split("\0"), array("d", self.term_weights), strict=True))

    @classmethod
    def of(cls, briefing: Briefing, key: str, links: tuple[tuple[str, int], ...]) -> Summary:
        article, found = briefing.article, briefing.extraction
        sentences = {s.id: s.text for s in found.sentences}
        entities = tuple(
            EntityBrief(
                name=e.name,
                type=e.type,
                role=e.role,
                surfaces=e.surfaces,
                mentions=len(e.mentions),
                first_sentence=e.mentions[0].sentence if e.mentions else None,
                first_text=sentences.get(e.mentions[0].sentence, "") if e.mentions else "",
            )
            for e in found.entities
        )
        dates = tuple(
            DateBrief(date=d.date, precision=d.precision, event=d.event, sentence=d.sentence)
            for d in found.dates
        )
        return cls(
            key=key,
            source_path=article.source_path,
            slug=article.slug,
            title=article.title,
            date=article.date,
            datetime=article.datetime,
            author=article.author,
            draft=article.draft,
            lede=article.summary or found.lede,
            tags=found.tags,
            entities=entities,
            dates=dates,
            term_words="\0".join(term for term, _ in found.terms),
            term_weights=array("d", [weight for _, weight in found.terms]).tobytes(),
            links=links,
            seconds=found.seconds,
        )
