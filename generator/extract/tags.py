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

from generator.extract.words import fold
from generator.model import Article, ExtractSettings, Keyphrase, TopicRule

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
        if _topic_pattern(rule).search(text)
    ]
    tags = _unique(tags)
    automatic = [
        normalise_tag(keyphrase.phrase, aliases, body)
        for keyphrase in keyphrases
        if keyphrase.phrase.islower()  # names are entities; tags say what it is about
    ]
    fresh = [tag for tag in _unique(automatic) if tag not in tags]
    return (*tags, *fresh[: settings.max_auto_tags])


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
