"""Sentences -> figures: numbers with their unit and what they measure.

Three shapes are read: money ("$1.2bn", "US$300 million", "£5m"), shares
("10 per cent tariff", "3.5%") and counts or spans of something ("5,000
troops", "25-year-old law", "at least five more years"). A number without a
unit says too little to show, and years such as "2021" are dates.
"""

from __future__ import annotations

import re

from generator.extract import lexicon
from generator.extract.words import letter_run_pattern
from generator.model import Figure, Sentence

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    "dozen": 12, "hundreds": 100, "thousands": 1000, "dozens": 12,
}  # fmt: skip
_SCALES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9,
    "billion": 1e9, "tn": 1e12, "trillion": 1e12,
}  # fmt: skip
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + ")"
_SCALE = r"(?:\s?(?P<scale>(?i:bn|mn|tn|m|k|thousand|million|billion|trillion))\b)?"
_CURRENCY = r"(?P<currency>US\$|U\.S\.\s?\$|A\$|C\$|HK\$|\$|£|€|¥|KSh\s?|Sh\s?|Rs\.?\s?)"
_MONEY = re.compile(_CURRENCY + _NUMBER + _SCALE)
# Digits only: "five per cent" is rare in news, and words make the pattern slow.
_SHARE = re.compile(
    r"\b(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s?(?P<unit>%|(?i:per ?cent|percentage points?)\b)"
)
_AGE = re.compile(r"\b" + _NUMBER + r"-(?P<unit>year|month|week|day)-old\s(?P<noun>[a-z]+)")
_COUNT = re.compile(
    r"\b"
    + _NUMBER
    + _SCALE
    + r"\s(?:(?:more|additional|extra|new|other)\s)?(?P<noun>[a-z]+(?:\s[a-z]+)?)"
)
# Read backwards from the number, so the count pattern need not try it at every word.
_LEAD = re.compile(r"\b(?:at least|more than|about|around|nearly|almost|some|over|up to)\s$", re.I)
_UNCOUNTABLE = lexicon.words("people police staff personnel children men women cattle")
_TIME_UNITS = lexicon.words("years months weeks days hours minutes")
_SMALLEST_COUNT = 3  # counts below this ("two sides") are wording, not figures
_FUNCTION_WORDS = lexicon.STOP_WORDS | lexicon.words("per cent percent")


def extract_figures(sentences: tuple[Sentence, ...]) -> tuple[Figure, ...]:
    """Every figure in the body, in reading order."""
    figures: list[Figure] = []
    for sentence in sentences:
        if not _may_hold_number(sentence.text):
            continue
        taken: list[tuple[int, int]] = []
        for reader in (_money, _shares, _ages, _counts):
            for start, end, figure in reader(sentence):
                if not any(
                    start < other_end and other_start < end for other_start, other_end in taken
                ):
                    taken.append((start, end))
                    figures.append(figure)
    return tuple({(f.text.lower(), f.sentence): f for f in figures}.values())


_DIGIT = re.compile(r"\d")
_NUMBER_WORD = letter_run_pattern(_NUMBER_WORDS)


def _may_hold_number(text: str) -> bool:
    # The patterns below are slow to try at every word; most sentences hold no number.
    if _DIGIT.search(text):
        return True
    return _NUMBER_WORD.search(text.lower()) is not None


def _value(match: re.Match[str]) -> float | None:
    number = match.group("number").lower()
    value = (
        float(_NUMBER_WORDS[number]) if number in _NUMBER_WORDS else float(number.replace(",", ""))
    )
    scale = match.groupdict().get("scale")
    return value * _SCALES[scale.lower()] if scale else value


def _money(sentence: Sentence) -> list[tuple[int, int, Figure]]:
    found = []
    for match in _MONEY.finditer(sentence.text):
        unit = match.group("currency").strip().replace("U.S.", "US").replace(" ", "")
        measure, end = _measure(sentence.text, match.start(), match.end())
        found.append(_figure(sentence, match, _value(match), unit, measure, end=end))
    return found


def _shares(sentence: Sentence) -> list[tuple[int, int, Figure]]:
    found: list[tuple[int, int, Figure]] = []
    if "%" not in sentence.text and "per" not in sentence.text.lower():
        return found  # no unit a share can have
    for match in _SHARE.finditer(sentence.text):
        unit = match.group("unit").lower()
        unit = "per cent" if unit in ("%", "percent", "per cent", "percent") else unit
        measure, end = _measure(sentence.text, match.start(), match.end())
        found.append(_figure(sentence, match, _value(match), unit, measure, end=end))
    return found


def _ages(sentence: Sentence) -> list[tuple[int, int, Figure]]:
    """ "25-year-old law": the law is 25 years old."""
    if "-old" not in sentence.text:
        return []
    return [
        _figure(sentence, match, _value(match), match.group("unit"), match.group("noun") + " age")
        for match in _AGE.finditer(sentence.text)
    ]


def _counts(sentence: Sentence) -> list[tuple[int, int, Figure]]:
    """ "5,000 troops", "400 police officers", "at least five more years"."""
    found = []
    for match in _COUNT.finditer(sentence.text):
        noun = _counted_noun(match.group("noun"))
        if noun is None or _is_year(match):
            continue
        value = _value(match)
        if value is not None and value < _SMALLEST_COUNT and noun not in _TIME_UNITS:
            continue  # "two countries", "the two men": a number, but no figure to report
        unit = noun.split()[-1]
        unit = unit.removesuffix("s") if unit in _TIME_UNITS else unit
        measure = None if noun in _TIME_UNITS else noun
        end = match.start("noun") + len(noun)
        lead = _LEAD.search(sentence.text, max(0, match.start() - 12), match.start())
        start = lead.start() if lead else match.start()
        figure = _figure(sentence, match, value, unit, measure, start=start, end=end)
        found.append(figure)
    return found


def _counted_noun(phrase: str) -> str | None:
    """The plural noun counted: "police officers" from "police officers in", not "of"."""
    words = phrase.lower().split()
    if words[0] in _FUNCTION_WORDS or words[0] in lexicon.MONTHS:
        return None
    if len(words) == 2 and words[1] not in _FUNCTION_WORDS and _is_plural(words[1]):
        return phrase
    if _is_plural(words[0]):
        return phrase.split()[0]
    return None


def _is_plural(word: str) -> bool:
    return word in _UNCOUNTABLE or (
        len(word) > 3 and word.endswith("s") and not word.endswith("ss")
    )


def _is_year(match: re.Match[str]) -> bool:
    number = match.group("number")
    return len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2100


_MEASURE_AFTER = re.compile(r"\s(of\s(?:the\s)?)?([a-z]+)")
_MEASURE_BEFORE = re.compile(r"\b([A-Za-z]+)\sof\s(?:about\s|around\s)?$")


def _measure(text: str, start: int, end: int) -> tuple[str | None, int]:
    """What the figure measures, and where its phrase ends: a noun written right
    after it ("10 per cent tariff", kept in the phrase) or before "of" ("a rise of 5%").
    "at" is not read: "stood at 5%" would make the verb the measure."""
    after = _MEASURE_AFTER.match(text, end)
    if after and after.group(2) not in _FUNCTION_WORDS:
        return after.group(2), end if after.group(1) else after.end()
    before = _MEASURE_BEFORE.search(text, 0, start)
    if before and before.group(1).lower() not in _FUNCTION_WORDS:
        return before.group(1).lower(), end
    return None, end


def _figure(
    sentence: Sentence,
    match: re.Match[str],
    value: float | None,
    unit: str | None,
    measure: str | None,
    *,
    start: int | None = None,
    end: int | None = None,
) -> tuple[int, int, Figure]:
    begin = match.start() if start is None else start
    stop = match.end() if end is None else end
    text = sentence.text[begin:stop].strip()
    figure = Figure(text=text, value=value, unit=unit, measure=measure, sentence=sentence.id)
    return begin, stop, figure
