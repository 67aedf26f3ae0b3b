"""Briefing -> schema.org `NewsArticle` JSON-LD, for search engines and link previews.

Entities the briefing is about (named in its title or lede, else its most
salient one) go in `about`; every other entity with a page goes in `mentions`.
Every URL is absolute, built from base_url, so it is right under a subpath too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from .extract.words import is_word_character

_SCHEMA_TYPES = {"person": "Person", "organization": "Organization", "place": "Place"}


class LinkedEntity(NamedTuple):
    """An entity of one briefing that has a page of its own.

    A named tuple, not a frozen dataclass: every briefing page makes one for
    each of its entities, and a tuple is made, and compared, in less time."""

    name: str
    type: str  # person | organization | place
    url: str  # absolute URL of its page
    surfaces: tuple[str, ...]  # every form it is written in, in this briefing


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleFacts:
    """What the JSON-LD says about one briefing."""

    url: str  # absolute canonical URL
    title: str
    lede: str
    published: str  # ISO date or date-time
    language: str
    author: str | None
    source_url: str | None
    tags: tuple[str, ...]
    entities: tuple[LinkedEntity, ...]  # most salient first
    site_title: str
    site_url: str


def build_news_article(facts: ArticleFacts) -> dict[str, Any]:
    about = [e for e in facts.entities if _named_in(e, facts.title + " " + facts.lede)]
    about = about or list(facts.entities[:1])
    mentions = [e for e in facts.entities if e not in about]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": facts.title,
        "description": facts.lede,
        "datePublished": facts.published,
        "inLanguage": facts.language,
        "url": facts.url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": facts.url},
        "publisher": {"@type": "Organization", "name": facts.site_title, "url": facts.site_url},
        "isPartOf": {"@type": "WebSite", "name": facts.site_title, "url": facts.site_url},
    }
    if facts.author:
        data["author"] = {"@type": "Person", "name": facts.author}
    if facts.source_url:
        data["isBasedOn"] = facts.source_url
    if facts.tags:
        data["keywords"] = list(facts.tags)
    if about:
        data["about"] = _things(about)
    if mentions:
        data["mentions"] = _things(mentions)
    return data


def _named_in(entity: LinkedEntity, text: str) -> bool:
    """As a whole word and in its own case: "US" is not in "told us"."""
    return any(_has_word(text, surface) for surface in entity.surfaces)


def _has_word(text: str, words: str) -> bool:
    """`words` in `text` with no word character right before or after it."""
    start = text.find(words)
    while start != -1 and words:
        end = start + len(words)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not is_word_character(before) and not is_word_character(after):
            return True
        start = text.find(words, start + 1)
    return False


def _things(entities: Sequence[LinkedEntity]) -> list[dict[str, str]]:
    return [{"@type": _SCHEMA_TYPES[e.type], "name": e.name, "url": e.url} for e in entities]


# Made once rather than by json.dumps on every page; the data is a fresh tree of
# dicts and lists, so there are no cycles to look for.
_SCRIPT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def json_for_script(data: object) -> str:
    """JSON safe inside <script>: no `</script>` or `<!--` can end it early."""
    text = _SCRIPT_JSON.encode(data)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
