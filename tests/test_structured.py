"""generator/structured.py: the schema.org NewsArticle of a briefing."""

from __future__ import annotations

import json

from generator.structured import ArticleFacts, LinkedEntity, build_news_article, json_for_script

SITE = "https://org.github.io/briefings/"


def entity(name: str, kind: str, *surfaces: str) -> LinkedEntity:
    slug = name.lower().replace(" ", "-")
    return LinkedEntity(name=name, type=kind, url=f"{SITE}x/{slug}/", surfaces=(name, *surfaces))


def facts(title: str, lede: str, *entities: LinkedEntity) -> ArticleFacts:
    return ArticleFacts(
        url=SITE + "briefings/deal/",
        title=title,
        lede=lede,
        published="2025-09-24",
        language="en",
        author="Trade desk",
        source_url="https://example.org/story",
        tags=("trade",),
        entities=entities,
        site_title="Desk",
        site_url=SITE,
    )


def test_entities_in_the_title_or_lede_are_what_it_is_about() -> None:
    ruto = entity("William Ruto", "person", "Ruto")
    kenya = entity("Kenya", "place")
    wto = entity("World Trade Organization", "organization")
    data = build_news_article(facts("Ruto signs deal", "Kenya gains access.", wto, ruto, kenya))
    assert data["@type"] == "NewsArticle"
    assert [a["name"] for a in data["about"]] == ["William Ruto", "Kenya"]
    assert data["mentions"] == [
        {"@type": "Organization", "name": "World Trade Organization", "url": wto.url}
    ]
    assert data["about"][0] == {"@type": "Person", "name": "William Ruto", "url": ruto.url}
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": SITE + "briefings/deal/"}
    assert data["author"] == {"@type": "Person", "name": "Trade desk"}
    assert data["isBasedOn"] == "https://example.org/story"


def test_a_name_counts_only_as_a_whole_word_in_its_own_case() -> None:
    us = entity("United States", "place", "US")
    un = entity("United Nations", "organization", "UN")
    data = build_news_article(facts("Talks resume", "He told us it was unlikely.", un, us))
    assert [a["name"] for a in data["about"]] == ["United Nations"]  # the most salient
    assert [m["name"] for m in data["mentions"]] == ["United States"]


def test_json_in_a_script_cannot_close_it() -> None:
    text = json_for_script({"headline": "</script><!-- & more"})
    assert "</script>" not in text and "<!--" not in text
    assert json.loads(text) == {"headline": "</script><!-- & more"}
