"""Dates: explicit and relative dates resolved against the article date."""

from __future__ import annotations

import datetime as dt

from generator.extract.dates import extract_dates
from generator.model import Sentence

WEDNESDAY = dt.date(2025, 9, 24)


def dates_of(text: str, today: dt.date = WEDNESDAY) -> list[tuple[str, dt.date, str]]:
    sentence = Sentence(id="p1s1", paragraph=1, start=0, end=len(text), text=text)
    return [
        (found.text, found.date, found.precision) for found in extract_dates((sentence,), today)
    ]


def test_explicit_dates_are_read_as_written() -> None:
    assert dates_of("Voting opens on 1 October 2025 and the plan dates from March 2024.") == [
        ("1 October 2025", dt.date(2025, 10, 1), "day"),
        ("March 2024", dt.date(2024, 3, 1), "month"),
    ]
    assert dates_of("Talks have run since 2021.") == [("since 2021", dt.date(2021, 1, 1), "year")]


def test_a_day_and_month_take_the_nearest_year() -> None:
    assert dates_of("The deadline was Sept. 30.") == [("Sept. 30", dt.date(2025, 9, 30), "day")]
    january = dt.date(2026, 1, 5)
    assert dates_of("The vote was held on December 30.", january) == [
        ("December 30", dt.date(2025, 12, 30), "day")
    ]


def test_a_bare_weekday_is_the_last_one_on_or_before_the_article_date() -> None:
    assert dates_of("Ruto met Rubio on Wednesday.") == [("on Wednesday", WEDNESDAY, "day")]
    assert dates_of("The ministry replied on Monday.") == [
        ("on Monday", dt.date(2025, 9, 22), "day")
    ]
    assert dates_of("The envoy arrived last Friday.")[0][1] == dt.date(2025, 9, 19)


def test_a_weekday_in_a_sentence_about_the_future_is_the_next_one() -> None:
    assert dates_of("The cabinet will meet on Friday.") == [
        ("on Friday", dt.date(2025, 9, 26), "day")
    ]


def test_ends_of_periods_resolve_to_their_last_day() -> None:
    assert dates_of("The law expires at the end of this month.") == [
        ("at the end of this month", dt.date(2025, 9, 30), "day")
    ]
    assert dates_of("A deal is expected by the end of the year.")[0][1:] == (
        dt.date(2025, 12, 31),
        "day",
    )
    assert dates_of("He hopes to sign by year-end.")[0][1] == dt.date(2025, 12, 31)


def test_relative_words_count_from_the_article_date() -> None:
    assert dates_of("Prices fell yesterday and tariffs rose earlier this year.") == [
        ("yesterday", dt.date(2025, 9, 23), "day"),
        ("earlier this year", dt.date(2025, 1, 1), "year"),
    ]
    assert dates_of("Talks resume next week.")[0][1:] == (dt.date(2025, 9, 29), "day")
    assert dates_of("Exports slowed last month.")[0][1:] == (dt.date(2025, 8, 1), "month")


def test_may_the_verb_is_not_a_month() -> None:
    assert dates_of("Talks may resume, officials say.") == []


def test_the_event_is_the_sentence_cut_to_about_25_words() -> None:
    words = " ".join(f"word{n}" for n in range(40))
    text = f"{words} met on Monday to discuss {words}."
    sentence = Sentence(id="p1s1", paragraph=1, start=0, end=len(text), text=text)
    (found,) = extract_dates((sentence,), WEDNESDAY)
    assert "on Monday" in found.event
    assert len(found.event.split()) <= 25
    short = Sentence(id="p1s1", paragraph=1, start=0, end=17, text="They met Monday.")
    assert extract_dates((short,), WEDNESDAY)[0].event == "They met Monday."


def test_a_month_after_a_preposition_is_the_last_such_month() -> None:
    assert dates_of("In January the ministry cut fuel taxes.") == [
        ("In January", dt.date(2025, 1, 1), "month")
    ]
    assert dates_of("Prices have risen since October.")[0][1:] == (dt.date(2024, 10, 1), "month")
