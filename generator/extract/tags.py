"""Author tags, site topic rules and keyphrases -> normalised tags.

Tags come in order of authority: what the author wrote, then topics the site
defines in site.yaml, then a few automatic tags from the top keyphrases.
Every tag is normalised the same way so that "Interest rates" in one article
and "interest rate" in another meet on one tag page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from generator.extract import lexicon
from generator.extract.words import fold
from generator.model import Article, ExtractSettings, Keyphrase, TopicRule

# A topic rule tags an article that names it this often: one passing mention of
# China in a story about tea is not a story about China.
MIN_TOPIC_MENTIONS = 2
_EDGE_PUNCTUATION = "#.,;:!?\"'“”‘’()[]"


def extract_tags(
    article: Article, keyphrases: Sequence[Keyphrase], settings: ExtractSettings
) -> tuple[str, ...]:
    """Author tags, then matching topic rules, then up to `max_auto_tags` from keyphrases."""
    aliases = {alias.lower(): canonical for alias, canonical in settings.aliases}
    body = "\n".join(paragraph.text for paragraph in article.paragraphs)
    tags = [normalise_tag(tag, aliases, body) for tag in article.tags]
    text = f"{article.title}\n{body}"
    tags += [
        normalise_tag(rule.tag, aliases, body)
        for rule in settings.topics
        if _is_about(_topic_pattern(rule), article.title, body)
    ]
    tags = _unique(tags)
    automatic = [
        normalise_tag(keyphrase.phrase, aliases, body)
        for keyphrase in keyphrases
        # Names are entities; tags say what it is about. A name opening a
        # sentence is lowercased by keyphrases, but never written so.
        if keyphrase.phrase.islower() and _is_written(keyphrase.phrase, text)
    ]
    topical = [tag for tag in _unique(automatic) if _is_topical(tag)]
    # Phrases first: "export processing zone" says more than "export".
    topical.sort(key=lambda tag: " " not in tag)
    fresh = [tag for tag in topical if tag not in tags]
    return (*tags, *fresh[: settings.max_auto_tags])


def _is_about(pattern: re.Pattern[str], title: str, body: str) -> bool:
    """Named in the title, or more than in passing in the text."""
    if pattern.search(title):
        return True
    return sum(1 for _ in zip(pattern.finditer(body), range(MIN_TOPIC_MENTIONS), strict=False)) >= (
        MIN_TOPIC_MENTIONS
    )


def normalise_tag(tag: str, aliases: Mapping[str, str], body: str = "") -> str:
    """Whitespace folded, site alias applied, lowercased, plurals folded.

    `aliases` maps a lowercased alias to its canonical name, used as is.
    A capitalised word that `body` only ever writes capitalised is a name
    ("Wales", "Yankees") and keeps its final "s"; "Elections" becomes "election".
    """
    words = tag.strip().strip(_EDGE_PUNCTUATION).split()
    joined = " ".join(words).lower()
    if joined in aliases:
        return " ".join(aliases[joined].split()).lower()  # a canonical name is never folded
    return " ".join(word.lower() if _is_name(word, body) else fold(word) for word in words)


def _is_name(word: str, body: str) -> bool:
    if not word[:1].isupper() or word not in body:
        return False
    return re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", body) is None


# Nouns and adjectives that fill news stories on every subject: as a tag they
# would join unrelated briefings. Topical words ("tariff", "election") are kept.
_GENERIC = lexicon.words(
    """country nation state year month week day time today people person man woman men
    women child children family government administration authority official officer
    personnel spokesman report statement way part number deal agreement talks meeting
    visit issue plan move thing group member side end point case fact news source
    percent cent measure thousand hundred million billion lot world area place home
    life change deadline relation relationship product arrangement programme program
    continent region sector force department ministry agency office larger higher lower
    bigger smaller greater different recent major senior former foreign national
    international bilateral commercial economic political global local"""
)
# Roles say who someone is, not what the story is about.
_ROLES = frozenset(fold(word) for word in lexicon.PERSON_ROLES | lexicon.TITLE_HEADS)


def _is_topical(tag: str) -> bool:
    """Not only generic words or roles; one word that is no "-ed" verb form."""
    words = tag.split()
    if all(word in _GENERIC or word in _ROLES for word in words):
        return False
    word = words[0]
    # "expected", "assigned": verbs and participles name no topic; "greed" does.
    return len(words) > 1 or not (word.endswith("ed") and not word.endswith("eed"))


def _is_written(phrase: str, text: str) -> bool:
    """True when `text` has the phrase as whole words, case kept.

    A plain search rather than a regular expression: compiling one per
    keyphrase would cost more than the rest of tagging.
    """
    start = text.find(phrase)
    while start != -1:
        end = start + len(phrase)
        if not (start and text[start - 1].isalnum()) and not text[end : end + 1].isalnum():
            return True
        start = text.find(phrase, start + 1)
    return False


@lru_cache(maxsize=1024)
def _topic_pattern(rule: TopicRule) -> re.Pattern[str]:
    """The rule's tag and aliases as whole words or phrases, any case, any spacing."""
    phrases = sorted({rule.tag, *rule.aliases}, key=len, reverse=True)
    alternatives = "|".join(
        r"\s+".join(re.escape(word) for word in phrase.split())
        for phrase in phrases
        if phrase.strip()
    )
    if not alternatives:
        return re.compile(r"(?!)")  # an empty rule matches nothing, not everything
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _unique(tags: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(tag for tag in tags if tag))
