"""Figures: numbers with their unit and what they measure."""

from __future__ import annotations

from generator.extract.figures import extract_figures
from generator.model import Figure, Sentence


def figures_of(text: str) -> list[tuple[str, float | None, str | None, str | None]]:
    sentence = Sentence(id="p2s3", paragraph=2, start=0, end=len(text), text=text)
    found = extract_figures((sentence,))
    assert all(figure.sentence == "p2s3" for figure in found)
    return [(figure.text, figure.value, figure.unit, figure.measure) for figure in found]


def test_a_percentage_knows_what_it_measures() -> None:
    assert figures_of("Kenya faces a 10 per cent tariff on its exports.") == [
        ("10 per cent tariff", 10.0, "per cent", "tariff")
    ]
    assert figures_of("Growth of 3.5% in August surprised analysts.") == [
        ("3.5%", 3.5, "per cent", "growth")
    ]


def test_money_keeps_its_currency_and_scale() -> None:
    found = figures_of("The deal is worth $1.2bn, after US$300 million and £5m earlier.")
    assert [(text, value, unit) for text, value, unit, _ in found] == [
        ("$1.2bn", 1.2e9, "$"),
        ("US$300 million", 3e8, "US$"),
        ("£5m", 5e6, "£"),
    ]


def test_counts_name_the_things_counted() -> None:
    found = figures_of("Some 5,000 troops and 400 police officers were deployed.")
    assert [(value, unit, measure) for _, value, unit, measure in found] == [
        (5000.0, "troops", "troops"),
        (400.0, "officers", "police officers"),
    ]


def test_number_words_and_spans_of_time_are_read() -> None:
    found = figures_of("He wants the law extended for at least five more years.")
    assert found == [("at least five more years", 5.0, "year", None)]


def test_an_age_measures_the_thing_it_describes() -> None:
    assert figures_of("The 25-year-old law expires soon.") == [
        ("25-year-old law", 25.0, "year", "law age")
    ]


def test_years_and_bare_numbers_are_not_figures() -> None:
    assert figures_of("Talks began in 2021 and he took four for 38 in reply.") == []


def test_figures_are_returned_in_sentence_order() -> None:
    sentences = tuple(
        Sentence(id=f"p1s{n}", paragraph=1, start=0, end=len(text), text=text)
        for n, text in enumerate(("It costs $5m.", "About 300 people came."), 1)
    )
    assert [figure.sentence for figure in extract_figures(sentences)] == ["p1s1", "p1s2"]
    assert isinstance(extract_figures(sentences)[1], Figure)


def test_a_count_of_two_is_wording_not_a_figure() -> None:
    found = [
        text for text, *_ in figures_of("The two men agreed; two years on, 400 officers left.")
    ]
    assert found == ["two years", "400 officers"]
