from pathlib import Path

import pytest

from generator.config import parse_config
from generator.errors import BuildError


def problems(text: str) -> list[str]:
    with pytest.raises(BuildError) as caught:
        parse_config(text, "site.yaml", Path("."))
    return [str(p) for p in caught.value.problems]


def test_settings_are_read_and_base_url_gets_a_trailing_slash() -> None:
    config = parse_config(
        "title: Desk\nbase_url: https://org.github.io/briefings\npage_size: 3\n"
        "topics:\n  - tag: trade\n    aliases: [tariff, trade deal]\n  - security\n",
        "site.yaml",
        Path("/site"),
    )
    assert config.title == "Desk"
    assert config.base_url == "https://org.github.io/briefings/"
    assert config.page_size == 3
    assert [t.tag for t in config.extract.topics] == ["trade", "security"]
    assert config.extract.topics[0].aliases == ("tariff", "trade deal")
    assert config.output_dir == Path("/site/_site")


def test_unknown_key_is_named_with_its_line_and_a_hint() -> None:
    assert problems("title: x\ntitel: y\n") == [
        "site.yaml:2: unknown site.yaml key 'titel' (did you mean \"title\"?); "
        "remove it or put free-form data under `extra:`"
    ]


def test_every_problem_is_reported_together() -> None:
    found = problems("page_size: many\nbase_url: /briefings/\ndirectory_urls: 3\n")
    assert found == [
        "site.yaml:1: `page_size` must be a whole number, not text; write `page_size: 10`",
        "site.yaml:2: base_url '/briefings/' is not an absolute http(s) URL; "
        "write it like https://org.github.io/briefings/",
        "site.yaml:3: `directory_urls` must be true or false, not a number; "
        "write `directory_urls: true`",
    ]


def test_topic_rules_must_be_well_formed() -> None:
    assert problems("topics:\n  - tag: trade\n    words: [x]\n") == [
        "site.yaml:1: each topic must be `- tag: name` with optional "
        "`aliases: [word, phrase]` (strings only)"
    ]


def test_broken_yaml_points_at_its_line() -> None:
    (message,) = problems("title: x\ntopics: [a, b\n")
    assert message.startswith("site.yaml:2: invalid YAML: while parsing a flow sequence")


def test_search_is_on_unless_site_yaml_turns_it_off() -> None:
    assert parse_config("title: x\n", "site.yaml", Path(".")).search is True
    assert parse_config("search: false\n", "site.yaml", Path(".")).search is False
    assert problems("search: sometimes\n") == [
        "site.yaml:1: `search` must be true or false, not text; write `search: true`"
    ]
