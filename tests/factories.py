"""Small hand-made briefings for tests of the stages after extraction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from generator.cache import Corpus
from generator.config import SiteConfig
from generator.link import SiteGraph, build_graph
from generator.model import (
    Article,
    Briefing,
    Entity,
    EntityType,
    Extraction,
    KeyFact,
    Mention,
    Paragraph,
    Sentence,
)
from generator.render import Renderer


def make_briefing(
    slug: str,
    text: str,
    entities: dict[str, EntityType] | None = None,
    tags: tuple[str, ...] = (),
    terms: tuple[tuple[str, float], ...] = (),
    date: dt.date = dt.date(2025, 9, 24),
    surfaces: dict[str, tuple[str, ...]] | None = None,
) -> Briefing:
    """One-paragraph briefing; each sentence ends with '. '; entities found by name."""
    paragraph = Paragraph(index=1, text=text, line=5)
    sentences: list[Sentence] = []
    start = 0
    for number, piece in enumerate(text.split(". "), start=1):
        piece = piece if piece.endswith(".") else piece + "."
        end = start + len(piece)
        sentences.append(
            Sentence(id=f"p1s{number}", paragraph=1, start=start, end=end, text=text[start:end])
        )
        start = end + 1
    found = []
    for name, kind in (entities or {}).items():
        forms = (surfaces or {}).get(name, (name,))
        mentions = tuple(
            Mention(
                sentence=s.id,
                paragraph=1,
                start=s.start + s.text.index(form),
                end=s.start + s.text.index(form) + len(form),
                surface=form,
            )
            for s in sentences
            for form in forms
            if form in s.text
        )
        found.append(Entity(name=name, type=kind, surfaces=forms, mentions=mentions))
    article = Article(
        source_path=f"{slug}.md",
        slug=slug,
        title=slug.title(),
        date=date,
        body=text + "\n",
        body_line=5,
        paragraphs=(paragraph,),
    )
    extraction = Extraction(
        sentences=tuple(sentences),
        key_facts=tuple(KeyFact(text=s.text, sentence=s.id) for s in sentences[:3]),
        entities=tuple(found),
        figures=(),
        dates=(),
        quotes=(),
        tags=tags,
        keyphrases=(),
        terms=terms,
        lede=sentences[0].text,
    )
    return Briefing(article=article, extraction=extraction)


def graph_of(briefings: Sequence[Briefing], related: int = 5) -> SiteGraph:
    """The site graph of briefings held in memory, as the build links them."""
    return build_graph(Corpus.of(briefings).summaries, related)


def renderer_of(config: SiteConfig, briefings: Sequence[Briefing]) -> Renderer:
    corpus = Corpus.of(briefings)
    return Renderer(config, build_graph(corpus.summaries, config.related), corpus.load)
