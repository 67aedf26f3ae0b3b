import datetime as dt

import pytest

from generator.extract.keyfacts import choose_key_facts, choose_lede, rank_sentences
from generator.extract.sentences import split_sentences
from generator.extract.words import analyse
from generator.model import Article, KeyFact, Paragraph


def make_article(title: str, *blocks: str, heading: int | None = None) -> Article:
    paragraphs = tuple(
        Paragraph(
            index=number,
            text=text,
            line=2 * number,
            kind="heading" if number == heading else "paragraph",
        )
        for number, text in enumerate(blocks, start=1)
    )
    return Article(
        source_path="a.md", slug="a", title=title, date=dt.date(2025, 3, 1), paragraphs=paragraphs
    )


def key_facts(article: Article, limit: int = 5) -> tuple[tuple[KeyFact, ...], str]:
    sentences = split_sentences(article.paragraphs)
    title, *words = analyse([article.title, *(s.text for s in sentences)])
    ranked = rank_sentences(article, sentences, title, words)
    return choose_key_facts(ranked, limit=limit), choose_lede(ranked)


TARIFF_STORY = make_article(
    "Government raises steel tariffs",
    "The government raised tariffs on imported steel to 25% on Monday, "
    "hitting steel makers in Europe and Asia.",
    "Click here to subscribe to our newsletter for more steel tariff news.",
    '"This is a disaster for steel exports and for jobs."',
    "Steel makers said the tariffs would cost 4,000 jobs and cut exports "
    "of steel by a third this year.",
    "The weather was mild.",
    "The government said the steel tariffs will be reviewed in June.",
)


def test_key_facts_prefer_sentences_that_carry_the_story() -> None:
    facts, _ = key_facts(TARIFF_STORY, limit=3)
    assert [fact.sentence for fact in facts] == ["p1s1", "p4s1", "p6s1"]


def test_boilerplate_is_never_a_key_fact() -> None:
    facts, _ = key_facts(TARIFF_STORY, limit=7)
    assert "p2s1" not in [fact.sentence for fact in facts]


def test_a_bare_quote_scores_below_the_same_words_with_their_speaker() -> None:
    article = make_article(
        "Steel tariffs",
        '"Steel tariffs will cost jobs in steel towns across the north."',
        '"Steel tariffs will cost jobs in steel towns across the north," the union said.',
    )
    sentences = split_sentences(article.paragraphs)
    title, *words = analyse([article.title, *(s.text for s in sentences)])
    scores = {r.sentence.id: r.score for r in rank_sentences(article, sentences, title, words)}
    assert scores["p1s1"] < scores["p2s1"] - 0.5


def test_key_facts_come_best_first_up_to_the_limit() -> None:
    facts, _ = key_facts(TARIFF_STORY, limit=2)
    assert len(facts) == 2
    assert facts[0].score >= facts[1].score
    assert all(fact.text for fact in facts)


def test_a_near_repeat_of_a_chosen_sentence_is_skipped() -> None:
    article = make_article(
        "Bank cuts rates",
        "The central bank cut interest rates to 3% on Thursday.",
        "The central bank cut interest rates to 3% on Thursday, analysts noted.",
        "Mortgage lenders are expected to follow the bank and cut their rates.",
    )
    facts, _ = key_facts(article, limit=2)
    assert [fact.sentence for fact in facts].count("p1s1") + [
        fact.sentence for fact in facts
    ].count("p2s1") == 1


def test_headings_are_never_key_facts() -> None:
    article = make_article(
        "Bank cuts rates",
        "Bank cuts interest rates",
        "The central bank cut interest rates to 3% on Thursday.",
        "Lenders will follow the bank and cut rates on mortgages.",
        heading=1,
    )
    facts, _ = key_facts(article)
    assert "p1s1" not in [fact.sentence for fact in facts]
    assert len(facts) == 2


def test_the_lede_is_the_best_short_sentence_of_the_first_paragraph() -> None:
    article = make_article(
        "Council approves budget",
        "The council approved its budget on Tuesday. Council members argued about the "
        "budget for the library, the budget for roads, the budget for parks and the "
        "budget for schools for many hours, with residents watching in the council "
        "chamber until midnight, before the council finally voted on the budget.",
        "The budget adds 2% to council tax and funds the library budget for the council.",
    )
    _, lede = key_facts(article)
    assert lede == "The council approved its budget on Tuesday."


def test_an_article_without_text_has_no_key_facts_or_lede() -> None:
    assert key_facts(make_article("Empty")) == ((), "")


def test_a_sentence_of_punctuation_alone_is_never_a_key_fact() -> None:
    facts, lede = key_facts(make_article("Odd", "... !!! ???"))
    assert facts == ()
    assert lede == ""


def test_the_opening_sentence_leads_even_when_it_is_mostly_names() -> None:
    article = make_article(
        "Leaders meet on trade",
        "President Amina Odhiambo on Tuesday met Foreign Minister Lars Berg in Geneva "
        "at the World Trade Organization.",
        "The trade talks covered tariffs on coffee and tariffs on machinery.",
        "Both sides said the trade talks on tariffs would resume, and coffee tariffs "
        "would fall by 5 per cent.",
    )
    facts, _ = key_facts(article, limit=3)
    assert facts[0].sentence == "p1s1"


def test_a_byline_opening_gets_no_lead_bonus() -> None:
    article = make_article(
        "Ports reopen",
        "By the Harbour Desk",
        "Dock workers ended their strike at the port on Monday after wages rose 8 per cent.",
        "The port strike had stopped exports and the strike cost the port millions.",
    )
    facts, _ = key_facts(article, limit=3)
    assert facts[0].sentence != "p1s1"


@pytest.mark.parametrize(
    "line",
    [
        "Click here to read the full report on the port strike.",
        "Reuters contributed to this report on the port strike.",
        "Harbour Desk 2025, all rights reserved for the port strike story.",
        "Sign up for our port strike alerts today.",
        "Subscribe now to follow the port strike.",
        "Follow us on social media for port strike news.",
        "Read more: the port strike in numbers.",
        "For more information, call the port strike hotline.",
        "Copyright © Harbour Desk, port strike coverage.",
        "Get our newsletter about the port strike every morning.",
        "E-mail us your port strike stories.",
        "Share this article about the port strike with friends.",
        "Image caption Dock workers at the port strike on Monday.",
        "Media caption Dock workers explain the port strike.",
        "Photo by Getty Images of the port strike.",
        "© 2025 Harbour Desk port strike coverage.",
    ],
)
def test_each_kind_of_boilerplate_is_dropped_in_any_case(line: str) -> None:
    article = make_article(
        "Ports reopen",
        "Dock workers ended their port strike on Monday after wages rose 8 per cent.",
        line.upper(),
        "The port strike had stopped exports, and the strike cost the port millions.",
    )
    sentences = split_sentences(article.paragraphs)
    title, *words = analyse([article.title, *(s.text for s in sentences)])
    ranked = rank_sentences(article, sentences, title, words)
    assert [r.sentence.paragraph for r in ranked if r.sentence.paragraph == 2] == []
