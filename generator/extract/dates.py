"""Sentences + article date -> the dates the text refers to, resolved.

Explicit dates ("1 October 2025", "Sept. 30", "March 2024", "in 2021") are
read as written; a day and month without a year take the year that puts
them nearest the article date. Relative ones ("on Wednesday", "next week",
"end of this month", "by year-end") are counted from the article date; a
bare weekday is the last one on or before it, as news reports the past.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import Literal

from generator.extract import lexicon
from generator.extract.words import letter_run_pattern
from generator.model import DateMention, Sentence

Precision = Literal["day", "month", "year"]
Resolved = tuple[dt.date, Precision]

# Capitalised only: "may" and "march" are also verbs.
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_EXPLICIT = [
    re.compile(rf"\b{_DAY}\s{_MONTH}(?:,?\s{_YEAR})?\b"),
    re.compile(rf"\b{_MONTH}\s{_DAY}\b(?!:)(?:,?\s{_YEAR})?"),
    re.compile(rf"\b{_MONTH}\s(?:of\s)?{_YEAR}\b"),
]
# Every explicit date names its month, and each month's name starts with one of
# these: a sentence without them needs no month pattern tried.
_MONTH_NAME = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
# A year or a month alone is a date after a preposition: "in 2021", "since March".
# Found bare, then the word before is checked: one pattern for both runs slowly.
# Each pattern comes with a quicker search for what it cannot match without.
_BARE = [
    (re.compile(rf"(?<!\w){_YEAR}\b(?!\s?[%$])"), re.compile(r"1[89]|20")),
    (re.compile(rf"(?<!\w){_MONTH}(?!\w)"), _MONTH_NAME),
]
_PREPOSITION = re.compile(
    r"(?:\b(?i:in|since|by|from|until|till|before|after|during|of|early|late)\s|\bmid-)$"
)
_WORDS_WEEKDAY = re.compile(rf"\b(?:(?P<which>last|next|this)\s|on\s)?{_WEEKDAY}\b")
_YEAR_END = re.compile(r"\b(?:by\s)?(?:the\s)?(?:end of (?:the|this) year|year-end|year end)\b")
_MONTH_END = re.compile(r"\b(?:by\s)?(?:at\s)?the end of (?:this|the) month\b")
# Written out in both cases and led by a look-behind, as that runs faster than \b and re.I.
_RELATIVE = re.compile(
    r"(?<![\w-])(?P<phrase>[Tt]oday|[Yy]esterday|[Tt]omorrow"
    r"|(?:[Ee]arlier |[Ll]ater )?(?P<which>[Tt]his|[Ll]ast|[Nn]ext) (?P<unit>week|month|year))\b"
)
# What every relative date holds, whatever its capital: plain searches rule the pattern out.
_RELATIVE_CLUES = ("oday", "esterday", "omorrow", "week", "month", "year")
# Future-tense cues: "on Wednesday" then means the coming Wednesday.
_FUTURE = re.compile(r"\b(?:will|shall|is due|are due|is expected|are expected|plans? to)\b")
_EVENT_WORDS = 25


def extract_dates(
    sentences: tuple[Sentence, ...], article_date: dt.date
) -> tuple[DateMention, ...]:
    """Every date the body mentions, in reading order."""
    found: list[DateMention] = []
    for sentence in sentences:
        if not _may_hold_date(sentence.text):
            continue
        taken: list[tuple[int, int, DateMention]] = []
        for reader in _READERS:
            for start, end, text, resolved in reader(sentence.text, article_date):
                if resolved is None or any(s < end and start < e for s, e, _ in taken):
                    continue
                mention = DateMention(
                    text=text,
                    date=resolved[0],
                    precision=resolved[1],
                    sentence=sentence.id,
                    event=_event(sentence.text, start),
                )
                taken.append((start, end, mention))
        found.extend(mention for _, _, mention in sorted(taken, key=lambda item: item[0]))
    return tuple(found)


Found = tuple[int, int, str, Resolved | None]

_DIGIT = re.compile(r"\d")
# Every date pattern holds a digit or one of these words.
_DATE_WORDS = frozenset(
    [month[:3] for month in lexicon.MONTHS]
    + [name for month in lexicon.MONTHS for name in (month, month[:4])]
    + list(lexicon.WEEKDAYS)
    + ["today", "yesterday", "tomorrow", "week", "month", "year", "end"]
)
_DATE_WORD = letter_run_pattern(_DATE_WORDS)


def _may_hold_date(text: str) -> bool:
    # Nine patterns per sentence are slow; most sentences give them nothing to find.
    if _DIGIT.search(text):
        return True
    return _DATE_WORD.search(text.lower()) is not None


def _explicit(text: str, today: dt.date) -> list[Found]:
    found: list[Found] = []
    if _MONTH_NAME.search(text) is None:
        return found
    for pattern in _EXPLICIT:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = _month_number(groups.get("month"))
            year = int(groups["year"]) if groups.get("year") else None
            day = int(groups["day"]) if groups.get("day") else None
            resolved = _calendar_date(year, month, day, today)
            found.append((match.start(), match.end(), match.group().strip(), resolved))
    return found


def _bare(text: str, today: dt.date) -> list[Found]:
    """ "in 2021", "since March", "mid-2021": the preposition is part of the text."""
    found: list[Found] = []
    for pattern, clue in _BARE:
        if clue.search(text) is None:
            continue
        for match in pattern.finditer(text):
            before = _PREPOSITION.search(text, max(0, match.start() - 8), match.start())
            if before is None:
                continue
            groups = match.groupdict()
            year = int(groups["year"]) if groups.get("year") else None
            resolved = _calendar_date(year, _month_number(groups.get("month")), None, today)
            found.append(
                (before.start(), match.end(), text[before.start() : match.end()], resolved)
            )
    return found


def _month_number(name: str | None) -> int | None:
    if not name:
        return None
    prefix = name.lower()[:3]
    return next(i for i, month in enumerate(lexicon.MONTHS, 1) if month.startswith(prefix))


def _calendar_date(
    year: int | None, month: int | None, day: int | None, today: dt.date
) -> Resolved | None:
    if month is None:
        return (dt.date(year, 1, 1), "year") if year else None
    if day is None:
        # "in May" alone: news reports the past, so the last May up to the article's month.
        year = year or (today.year if month <= today.month else today.year - 1)
        return dt.date(year, month, 1), "month"
    if year is None:
        # The nearest such date to the article: "Sept. 30" in an October article is last month.
        options = [today.year - 1, today.year, today.year + 1]
        year = min(options, key=lambda y: abs((_safe_date(y, month, day) or today) - today).days)
    resolved = _safe_date(year, month, day)
    return (resolved, "day") if resolved else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None  # "31 June" or a score mistaken for a day


def _weekdays(text: str, today: dt.date) -> list[Found]:
    found: list[Found] = []
    if "day" not in text:
        return found  # every weekday's name ends in "day"
    future = bool(_FUTURE.search(text))
    for match in _WORDS_WEEKDAY.finditer(text):
        target = lexicon.WEEKDAYS.index(match.group("weekday").lower())
        which = (match.group("which") or "").lower()
        back = (today.weekday() - target) % 7
        if which == "next" or (future and which != "last"):
            resolved = today + dt.timedelta(days=(target - today.weekday()) % 7 or 7)
        else:
            resolved = today - dt.timedelta(days=back if which != "last" or back else 7)
        found.append((match.start(), match.end(), match.group(), (resolved, "day")))
    return found


def _period_ends(text: str, today: dt.date) -> list[Found]:
    """ "by the end of the year" -> 31 December; "end of this month" -> its last day."""
    found: list[Found] = []
    year_end: Resolved = (dt.date(today.year, 12, 31), "day")
    # Each phrase says "year" or "month": most sentences need neither pattern.
    for match in _YEAR_END.finditer(text) if "year" in text else ():
        found.append((match.start(), match.end(), match.group(), year_end))
    for match in _MONTH_END.finditer(text) if "month" in text else ():
        last = calendar.monthrange(today.year, today.month)[1]
        resolved: Resolved = (today.replace(day=last), "day")
        found.append((match.start(), match.end(), match.group(), resolved))
    return found


def _relatives(text: str, today: dt.date) -> list[Found]:
    found: list[Found] = []
    if not any(clue in text for clue in _RELATIVE_CLUES):
        return found
    for match in _RELATIVE.finditer(text):
        phrase = match.group("phrase").lower()
        found.append((match.start(), match.end(), match.group(), _relative(phrase, today)))
    return found


def _relative(phrase: str, today: dt.date) -> Resolved:
    offsets = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if phrase in offsets:
        return today + dt.timedelta(days=offsets[phrase]), "day"
    step = {"last": -1, "this": 0, "next": 1}[phrase.split()[-2]]
    unit = phrase.split()[-1]
    if unit == "week":
        monday = today - dt.timedelta(days=today.weekday())
        return monday + dt.timedelta(weeks=step), "day"
    if unit == "month":
        month_index = today.year * 12 + today.month - 1 + step
        return dt.date(month_index // 12, month_index % 12 + 1, 1), "month"
    return dt.date(today.year + step, 1, 1), "year"


_READERS: tuple[Callable[[str, dt.date], list[Found]], ...] = (
    _explicit,
    _bare,
    _period_ends,
    _weekdays,
    _relatives,
)


def _event(text: str, start: int) -> str:
    """The clause around the date, or the sentence, cut to about 25 words."""
    words = text.split()
    if len(words) <= _EVENT_WORDS:
        return text
    before = text[:start].split()
    first = max(0, min(len(before) - 5, len(words) - _EVENT_WORDS))
    clipped = " ".join(words[first : first + _EVENT_WORDS])
    return ("…" if first else "") + clipped + ("…" if first + _EVENT_WORDS < len(words) else "")
