import datetime as dt

from generator.extract.tags import extract_tags, normalise_tag
from generator.model import Article, ExtractSettings, Keyphrase, Paragraph, TopicRule


def make_article(title: str, text: str, tags: tuple[str, ...] = ()) -> Article:
    return Article(
        source_path="a.md",
        slug="a",
        title=title,
        date=dt.date(2025, 3, 1),
        tags=tags,
        paragraphs=(Paragraph(index=1, text=text, line=5),),
    )


def phrases(*words: str) -> tuple[Keyphrase, ...]:
    return tuple(Keyphrase(phrase=word, score=10.0 - number) for number, word in enumerate(words))


def test_author_tags_are_lowercased_with_plurals_folded() -> None:
    article = make_article(
        "Vote", "Voters went to the polls.", tags=("Elections", "interest  rates")
    )
    assert extract_tags(article, (), ExtractSettings()) == ("election", "interest rate")


def test_a_name_the_text_writes_capitalised_keeps_its_final_s() -> None:
    assert normalise_tag("Wales", {}, "Voters in Wales went to the polls.") == "wales"
    assert normalise_tag("Elections", {}, "The elections in Wales.") == "election"


def test_site_aliases_turn_a_tag_into_its_canonical_name() -> None:
    settings = ExtractSettings(aliases=(("UK", "United Kingdom"),))
    article = make_article("Trade", "Exports fell.", tags=("uk",))
    assert extract_tags(article, (), settings) == ("united kingdom",)


def test_a_topic_rule_matches_an_alias_as_a_whole_word_in_any_case() -> None:
    rule = TopicRule(tag="climate", aliases=("global warming", "CO2"))
    settings = ExtractSettings(topics=(rule,))
    body = "Global\nwarming is real; GLOBAL WARMING is here."
    assert extract_tags(make_article("Heat", body), (), settings) == ("climate",)
    assert extract_tags(make_article("Cars and co2", "Limits."), (), settings) == ("climate",)
    assert extract_tags(make_article("Heat", "Warming globally."), (), settings) == ()
    assert extract_tags(make_article("Heat", "It was a CO2e figure."), (), settings) == ()


def test_one_passing_mention_in_the_text_is_not_a_topic() -> None:
    settings = ExtractSettings(topics=(TopicRule(tag="china", aliases=("Beijing",)),))
    passing = make_article("Tea exports", "Tea goes to Pakistan; some goes to China.")
    assert extract_tags(passing, (), settings) == ()
    about = make_article("Tea exports", "Tea goes to China. Beijing wants more.")
    assert extract_tags(about, (), settings) == ("china",)


def test_a_topic_rule_matches_its_own_tag_in_the_title() -> None:
    settings = ExtractSettings(topics=(TopicRule(tag="Trade"),))
    assert extract_tags(make_article("Trade talks stall", "No deal."), (), settings) == ("trade",)


def test_automatic_tags_come_last_skip_names_and_respect_the_limit() -> None:
    settings = ExtractSettings(topics=(TopicRule(tag="economy"),), max_auto_tags=2)
    article = make_article(
        "Budget and the economy",
        "Google said tariffs on steel and exports grew.",
        tags=("Budget",),
    )
    keyphrases = phrases("Google", "budget", "tariffs", "steel", "exports")
    assert extract_tags(article, keyphrases, settings) == ("budget", "economy", "tariff", "steel")


def test_tags_are_not_repeated_when_sources_agree() -> None:
    settings = ExtractSettings(topics=(TopicRule(tag="tariffs"),))
    article = make_article("Tariffs", "New tariffs.", tags=("Tariff",))
    assert extract_tags(article, phrases("tariffs"), settings) == ("tariff",)


def test_automatic_tags_skip_generic_news_words_roles_and_verb_forms() -> None:
    article = make_article(
        "Tariffs",
        "Officials in several countries expected higher tariffs on steel, the minister said.",
    )
    keyphrases = phrases("countries", "officials", "minister", "expected", "tariffs", "steel")
    assert extract_tags(article, keyphrases, ExtractSettings(max_auto_tags=2)) == (
        "tariff",
        "steel",
    )


def test_automatic_tags_prefer_phrases_to_single_words() -> None:
    article = make_article("Zones", "Apparel from export processing zones left for export.")
    keyphrases = phrases("apparel", "export processing zones")
    assert extract_tags(article, keyphrases, ExtractSettings(max_auto_tags=1)) == (
        "export processing zone",
    )


def test_a_name_lowercased_only_because_it_opens_a_sentence_is_not_an_automatic_tag() -> None:
    article = make_article("Exports", "Ethiopia lost its access as exports fell.")
    keyphrases = phrases("ethiopia", "exports")
    assert extract_tags(article, keyphrases, ExtractSettings()) == ("export",)
