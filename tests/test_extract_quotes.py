"""Quotes: quoted words with their speaker resolved to an entity."""

from __future__ import annotations

import datetime as dt

from generator.extract.entities import extract_entities
from generator.extract.quotes import extract_quotes
from generator.extract.sentences import split_sentences
from generator.model import Article, ExtractSettings, Paragraph, Quote


def quotes_of(*paragraphs: str) -> tuple[Quote, ...]:
    article = Article(
        source_path="q.md",
        slug="q",
        title="Quotes",
        date=dt.date(2025, 9, 24),
        paragraphs=tuple(
            Paragraph(index=number, text=text, line=number)
            for number, text in enumerate(paragraphs, 1)
        ),
    )
    sentences = split_sentences(article.paragraphs)
    entities = extract_entities(article, sentences, ExtractSettings())
    return extract_quotes(sentences, entities)


def test_quotes_keep_their_speaker_named_after_them() -> None:
    quotes = quotes_of(
        "President William Ruto met officials in New York.",
        "“The two leaders agreed that the UN must act quickly on Haiti,” "
        "Deputy Spokesperson Tommy Pigott said.",
    )
    assert quotes == (
        Quote(
            text="The two leaders agreed that the UN must act quickly on Haiti",
            speaker="Tommy Pigott",
            sentence="p2s1",
        ),
    )


def test_a_surname_speaker_resolves_to_the_full_name() -> None:
    quotes = quotes_of(
        "President William Ruto spoke in New York on Tuesday.",
        "“We want the trade law renewed for many years,” Ruto told Reuters.",
    )
    assert [quote.speaker for quote in quotes] == ["William Ruto"]


def test_he_added_refers_to_the_person_quoted_last() -> None:
    quotes = quotes_of(
        "President William Ruto spoke to Marco Rubio in New York.",
        "“We want the trade law renewed for many more years,” Ruto told Reuters. "
        "“It gives both sides the best chance to grow,” he added.",
    )
    assert [quote.speaker for quote in quotes] == ["William Ruto", "William Ruto"]
    assert [quote.sentence for quote in quotes] == ["p2s1", "p2s2"]


def test_he_said_after_a_paragraph_about_someone_refers_to_them() -> None:
    quotes = quotes_of(
        "Grace Wanjiku addressed the relations with China. She said trade was balanced.",
        "“We have a deficit with China. We are exploring ways to balance it,” she said.",
    )
    assert [quote.speaker for quote in quotes] == ["Grace Wanjiku"]
    assert quotes[0].text == "We have a deficit with China. We are exploring ways to balance it"


def test_a_quote_over_two_sentences_is_one_quote_starting_in_the_first() -> None:
    quotes = quotes_of(
        "“The talks went well. Both sides want a deal soon,” Grace Wanjiku said on Monday."
    )
    assert len(quotes) == 1
    assert quotes[0].sentence == "p1s1"
    assert quotes[0].speaker == "Grace Wanjiku"


def test_straight_quotes_and_a_speaker_named_before_are_read() -> None:
    quotes = quotes_of('Grace Wanjiku said: "Our farmers need access to these markets now."')
    assert quotes == (
        Quote(
            text="Our farmers need access to these markets now.",
            speaker="Grace Wanjiku",
            sentence="p1s1",
        ),
    )


def test_scare_quotes_without_a_speaker_are_not_quotes() -> None:
    quotes = quotes_of(
        "The tariff is part of his “America First” policy, which critics call “unfair”."
    )
    assert quotes == ()


def test_a_short_phrase_with_a_stated_speaker_is_kept() -> None:
    quotes = quotes_of(
        "President William Ruto met officials. Ruto said the talks had made “good progress”."
    )
    assert [(quote.text, quote.speaker) for quote in quotes] == [("good progress", "William Ruto")]


def test_a_quote_with_no_attribution_has_no_speaker() -> None:
    quotes = quotes_of("“Nobody expected the markets to fall this quickly,” one trader noted.")
    assert [(quote.speaker, quote.sentence) for quote in quotes] == [(None, "p1s1")]
