"""Site graph -> machine-readable files: Atom feeds, sitemap, robots.txt, briefings.json.

Feeds are written with feedgen (a maintained Atom/RSS writer) so escaping and
the Atom schema are not ours to get wrong. Every timestamp comes from the
articles, never from the clock, so two builds give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from .config import SiteConfig
from .errors import BuildError, Problem
from .link import SiteGraph
from .model import Briefing, Summary
from .render import briefing_path, key_facts, lede

FEED_ENTRIES = 20
SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Output:
    """A non-HTML file of the site, made only when needed."""

    path: str  # site path
    inputs: object  # what it is made from, as plain data; None: always made
    make: Callable[[], str]


def render_outputs(config: SiteConfig, graph: SiteGraph, pages: Sequence[str]) -> dict[str, str]:
    """Every non-HTML file of the site by site path, but briefings.json (see
    `briefings_json`, which is made beside the briefing pages)."""
    return {output.path: output.make() for output in site_outputs(config, graph, pages)}


def site_outputs(config: SiteConfig, graph: SiteGraph, pages: Sequence[str]) -> Iterator[Output]:
    yield Output(path="sitemap.xml", inputs=None,
                 make=lambda: render_sitemap(config, graph, pages))  # fmt: skip
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {config.base_url}sitemap.xml\n"
    yield Output(path="robots.txt", inputs=None, make=lambda: robots)
    yield Output(path=".nojekyll", inputs=None, make=lambda: "")
    yield feed_output(config, graph.briefings, "", config.title)
    by_slug = {b.slug: b for b in graph.briefings}
    for tag in graph.tags:
        briefings = [by_slug[slug] for slug in tag.slugs[:FEED_ENTRIES]]
        yield feed_output(config, briefings, tag.path, f"{config.title}: {tag.name}")


def feed_output(config: SiteConfig, briefings: Sequence[Summary], path: str, title: str) -> Output:
    newest = tuple(briefings[:FEED_ENTRIES])
    inputs = (title, source_date(), [(b.slug, b.title, b.date, b.datetime, b.lede, b.author,
                                      b.tags) for b in newest])  # fmt: skip
    return Output(path=path + "feed.xml", inputs=inputs,
                  make=lambda: render_feed(config, newest, path, title))  # fmt: skip


def _timestamp(briefing: Summary) -> dt.datetime:
    stamp = briefing.datetime or dt.datetime.combine(briefing.date, dt.time(0, 0))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def source_date() -> dt.datetime:
    """The build date when no article gives one: SOURCE_DATE_EPOCH if set, else 1970.

    Never the clock, so two builds of the same input give the same bytes
    (https://reproducible-builds.org/specs/source-date-epoch/).
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        message = f"{value!r} is not a whole number of seconds since 1970; fix or unset it"
        raise BuildError([Problem(path="SOURCE_DATE_EPOCH", line=None, message=message)]) from None


def render_feed(config: SiteConfig, briefings: Sequence[Summary], path: str, title: str) -> str:
    from feedgen.feed import FeedGenerator  # lxml loads only when a feed is made

    feed = FeedGenerator()
    feed.id(config.base_url + path)
    feed.title(title.strip() or config.base_url)  # Atom requires a title; site.yaml may give ""
    feed.subtitle(config.description or title)
    feed.link(href=config.base_url + path, rel="alternate")
    feed.link(href=config.base_url + path + "feed.xml", rel="self")
    feed.language(config.language)
    feed.generator("briefings")
    newest = briefings[:FEED_ENTRIES]
    feed.updated(max((_timestamp(b) for b in newest), default=None) or source_date())
    for briefing in reversed(newest):  # feedgen prepends: add oldest first
        url = config.base_url + briefing_path(briefing.slug)
        entry = feed.add_entry()
        entry.id(url)
        entry.title(briefing.title)
        entry.link(href=url, rel="alternate")
        entry.published(_timestamp(briefing))
        entry.updated(_timestamp(briefing))
        entry.summary(briefing.lede)
        if briefing.author:
            entry.author(name=briefing.author)
        for tag in briefing.tags:
            entry.category(term=tag)
    return str(feed.atom_str(pretty=True).decode("utf-8"))


def render_sitemap(config: SiteConfig, graph: SiteGraph, pages: Sequence[str]) -> str:
    dates = {briefing_path(b.slug): b.date for b in graph.briefings}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path in sorted(pages):
        if path == "404.html":
            continue
        lines.append(f"  <url><loc>{escape(config.base_url + path)}</loc>")
        if path in dates:
            lines.append(f"    <lastmod>{dates[path].isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def briefings_json(config: SiteConfig, entries: Iterable[bytes]) -> Iterator[bytes]:
    """The public, documented JSON view of every briefing (see README), in parts.

    `entries` are the briefings' `briefing_json` texts, newest first. Each
    briefing is one line, so a changed briefing is a one-line change.
    """
    head, first, between, tail = briefings_json_frame(config)
    yield head
    for number, entry in enumerate(entries):
        yield (between if number else first) + entry
    yield tail


def briefings_json_frame(config: SiteConfig) -> tuple[bytes, bytes, bytes, bytes]:
    """What briefings.json holds besides its entries: the opening, what comes
    before the first entry, between two entries, and the closing."""
    site = json.dumps({"title": config.title, "base_url": config.base_url}, ensure_ascii=False)
    return (
        f'{{"version": {SCHEMA_VERSION}, "site": {site}, "briefings": ['.encode(),
        b"\n",
        b",\n",
        b"\n]}\n",
    )


def briefing_json(
    config: SiteConfig, graph: SiteGraph, site_entities: dict[str, Any], briefing: Briefing
) -> bytes:
    """One briefing's entry of briefings.json, as one line of JSON; `site_entities`
    maps entity keys to the graph's entities."""
    data = _briefing_json(config, graph, briefing, site_entities)
    return json.dumps(data, ensure_ascii=False).encode()


def _briefing_json(
    config: SiteConfig, graph: SiteGraph, briefing: Briefing, site_entities: dict[str, Any]
) -> dict[str, Any]:
    article, found = briefing.article, briefing.extraction
    sentences = {s.id: s.text for s in found.sentences}
    entities = []
    for entity in found.entities:
        key = graph.entity_keys.get((article.slug, entity.name))
        site = site_entities.get(key) if key else None
        entities.append(
            {
                "name": site.name if site else entity.name,
                "type": site.type if site else entity.type,
                "role": entity.role,
                "surfaces": list(entity.surfaces),
                "mentions": [
                    {
                        "surface": m.surface,
                        "anchor": m.sentence,
                        "sentence": sentences.get(m.sentence, ""),
                    }
                    for m in entity.mentions
                ],
                "url": config.base_url + site.path if site else None,
            }
        )
    return {
        "slug": article.slug,
        "url": config.base_url + briefing_path(article.slug),
        "source_path": article.source_path,
        "title": article.title,
        "date": (article.datetime or article.date).isoformat(),
        "source": article.source,
        "source_url": article.source_url,
        "author": article.author,
        "lede": lede(briefing),
        "key_facts": [
            {
                "text": f.text,
                "sentence": sentences.get(f.sentence) if f.sentence else None,
                "anchor": f.sentence,
                "by_author": f.sentence is None,
            }
            for f in key_facts(briefing)
        ],
        "entities": entities,
        "tags": list(graph.briefing_tags.get(article.slug, ())),
        "keyphrases": [k.phrase for k in found.keyphrases],
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "anchor": q.sentence} for q in found.quotes
        ],
        "figures": [
            {
                "text": f.text,
                "value": f.value,
                "unit": f.unit,
                "measure": f.measure,
                "anchor": f.sentence,
            }
            for f in found.figures
        ],
        "dates": [
            {
                "text": d.text,
                "date": d.date.isoformat(),
                "precision": d.precision,
                "event": d.event,
                "anchor": d.sentence,
            }
            for d in found.dates
        ],
        "related": [r.slug for r in graph.related.get(article.slug, ())],
        "related_reasons": [
            {"slug": r.slug, "reason": r.reason} for r in graph.related.get(article.slug, ())
        ],
    }
