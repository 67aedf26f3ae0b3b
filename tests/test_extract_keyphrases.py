import math

import pytest

from generator.extract.keyphrases import extract_keyphrases, extract_terms
from generator.extract.words import analyse
from generator.model import Keyphrase


def keyphrases(title: str, *sentences: str) -> list[str]:
    title_words, *sentence_words = analyse([title, *sentences])
    return [keyphrase.phrase for keyphrase in extract_keyphrases(title_words, sentence_words)]


def test_repeated_specific_words_rank_above_words_used_once() -> None:
    phrases = keyphrases(
        "Pharmacies offer contraception",
        "Pharmacies will offer emergency contraception to teenagers.",
        "Doctors welcomed the move, but some pharmacies refused to offer contraception.",
    )
    assert set(phrases[:2]) == {"contraception", "pharmacies"}
    assert phrases.index("contraception") < phrases.index("doctors")


def test_stopwords_numbers_units_and_weekdays_are_not_keyphrases() -> None:
    phrases = keyphrases(
        "Shares fall",
        "On Monday shares fell 5 percent to 300 million after the results.",
        "On Monday shares fell again, 5 percent lower.",
    )
    assert "shares" in phrases
    assert not {"monday", "Monday", "percent", "5", "300", "on", "after"} & set(phrases)


def test_names_keep_their_capitals_but_sentence_openers_lose_theirs() -> None:
    phrases = keyphrases(
        "",
        "Researchers found that Google tracked users.",
        "Researchers said Google kept the data for years.",
    )
    assert "Google" in phrases
    assert "researchers" in phrases


def test_headline_capitals_do_not_make_names() -> None:
    phrases = keyphrases("Council Approves Budget For Libraries", "The budget was approved.")
    assert "budget" in phrases
    assert "Budget" not in phrases


def test_a_plural_is_not_listed_beside_its_singular() -> None:
    phrases = keyphrases(
        "Sensor makers",
        "The sensor market grew as sensors got cheaper.",
        "Sony sells sensors and Apple buys sensors.",
    )
    assert "sensors" in phrases
    assert "sensor" not in phrases


def test_a_repeated_phrase_can_be_a_keyphrase() -> None:
    phrases = keyphrases(
        "",
        "Interest rates rose.",
        "Banks said interest rates would rise again.",
        "Higher interest rates hurt borrowers.",
    )
    assert "interest rates" in phrases


def test_an_empty_article_has_no_keyphrases() -> None:
    title, *sentences = analyse([""])
    assert extract_keyphrases(title, sentences) == ()


def test_keyphrase_scores_never_increase_down_the_list() -> None:
    title, *sentences = analyse(
        ["Floods", "Floods hit the valley.", "The valley floods every spring, farmers said."]
    )
    result = extract_keyphrases(title, sentences)
    assert all(isinstance(item, Keyphrase) for item in result)
    assert [k.score for k in result] == sorted((k.score for k in result), reverse=True)


def test_terms_fold_plurals_and_weigh_repeats_sublinearly() -> None:
    texts = analyse(["Tariffs", "A tariff on steel.", "Steel tariffs rose."])
    terms = extract_terms(texts)
    assert [term for term, _ in terms[:2]] == ["tariff", "steel"]
    weights = dict(terms)
    assert weights["tariff"] == pytest.approx(1 + math.log(3), abs=1e-3)
    assert weights["rose"] == 1.0


def test_terms_leave_out_stopwords_and_numbers() -> None:
    terms = dict(extract_terms(analyse(["", "The 25 companies said they would grow in 2025."])))
    assert set(terms) == {"company", "grow"}


def test_words_only_inside_longer_names_are_not_keyphrases_alone() -> None:
    phrases = keyphrases(
        "",
        "President William Ruto met United Nations officials in Nairobi.",
        "The United Nations thanked President William Ruto.",
        "Ruto said the officials agreed.",
    )
    assert "United Nations" in phrases and "Ruto" in phrases
    assert not {"President", "United", "Nations", "William"} & set(phrases)


def test_a_word_opening_a_sentence_takes_the_capitals_written_elsewhere() -> None:
    phrases = keyphrases("", "Madagascar was hit hardest.", "Tariffs on Madagascar rose.")
    assert "Madagascar" in phrases
    assert "madagascar" not in phrases


def test_per_cent_is_a_unit_not_a_keyphrase() -> None:
    phrases = keyphrases("", "Tariffs rose 10 per cent.", "Exports fell 5 per cent.")
    assert "cent" not in phrases
