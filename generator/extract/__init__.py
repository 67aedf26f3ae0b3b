"""Article -> Extraction: sentences, key facts, entities, figures, dates, quotes, tags.

`extract` is the only public entry point; every step is a pure function of
the article, the settings and what earlier steps found.
"""

from __future__ import annotations

import time

from generator.extract.dates import extract_dates
from generator.extract.entities import extract_entities
from generator.extract.figures import extract_figures
from generator.extract.keyfacts import choose_key_facts, choose_lede, rank_sentences
from generator.extract.keyphrases import extract_keyphrases, extract_terms
from generator.extract.quotes import extract_quotes
from generator.extract.sentences import split_sentences
from generator.extract.tags import extract_tags
from generator.extract.words import analyse
from generator.model import Article, Extraction, ExtractSettings

# Part of the extraction cache key: bump whenever extraction output changes.
EXTRACTOR_VERSION = "6"

__all__ = ["EXTRACTOR_VERSION", "extract"]


def extract(article: Article, settings: ExtractSettings) -> Extraction:
    """Find everything the briefing page shows about one article."""
    # CPU time of this process: what extraction costs, whatever else the machine runs.
    started = time.process_time()
    sentences = split_sentences(article.paragraphs)
    entities = extract_entities(article, sentences, settings)
    # Tokenised once; key facts, keyphrases and terms all count the same words.
    title_words, *sentence_words = analyse([article.title, *(s.text for s in sentences)])
    ranked = rank_sentences(article, sentences, title_words, sentence_words)
    keyphrases = extract_keyphrases(title_words, sentence_words)
    return Extraction(
        sentences=sentences,
        key_facts=choose_key_facts(ranked, limit=settings.max_key_facts),
        entities=entities,
        figures=extract_figures(sentences),
        dates=extract_dates(sentences, article.date),
        quotes=extract_quotes(sentences, entities),
        tags=extract_tags(article, keyphrases, settings),
        keyphrases=keyphrases,
        terms=extract_terms([title_words, *sentence_words]),
        lede=choose_lede(ranked),
        seconds=time.process_time() - started,
    )
