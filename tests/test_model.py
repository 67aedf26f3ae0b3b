"""The model's frozen dataclasses pickle as the tuple of their field values."""

from __future__ import annotations

import copy
import dataclasses
import functools
import pickle
from collections.abc import Iterator

import pytest

from generator import model
from generator.extract import extract
from generator.load import parse_article
from generator.model import Briefing, ExtractSettings, TopicRule

ARTICLE = """---
title: Kenya and the US
date: 2025-09-24T10:30:00+03:00
source: Daily Nation
source_url: https://example.org/kenya
author: A. Writer
tags: [trade]
facts: ["An author fact."]
extra:
  score: 1.5
  seen: [1, two, 2025-01-02]
---

President William Ruto said on Wednesday: "We will talk to Washington about it."
Kenya raised the tariff on imports to 10 per cent at the end of March 2025, the
Treasury said. Ruto met Donald Trump in Nairobi.

## What next

- Talks resume in Mombasa next month, officials from Kenya said.
"""

MODEL_CLASSES = [
    cls
    for cls in vars(model).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__
]


@functools.cache
def extracted_briefing() -> Briefing:
    article = parse_article(ARTICLE, "2025/kenya.md")
    settings = ExtractSettings(topics=(TopicRule(tag="trade", aliases=("tariff",)),))
    return Briefing(article=article, extraction=extract(article, settings))


def dataclass_objects(value: object) -> Iterator[object]:
    """`value` and every dataclass object inside it."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield value
        for field in dataclasses.fields(value):
            yield from dataclass_objects(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from dataclass_objects(item)


def test_every_model_dataclass_pickles_as_its_field_values() -> None:
    for cls in MODEL_CLASSES:
        assert cls.__getstate__.__qualname__.startswith("pickled_as_values."), cls  # type: ignore[attr-defined]
    briefing = extracted_briefing()
    kinds = set()
    for found in dataclass_objects(briefing):
        fields = dataclasses.fields(found)  # type: ignore[arg-type]
        assert found.__getstate__() == tuple(getattr(found, f.name) for f in fields)
        kinds.add(type(found).__name__)
    # The briefing holds one of each thing extraction finds.
    assert kinds >= {"Article", "Paragraph", "Extraction", "Sentence", "KeyFact", "Entity"}
    assert kinds >= {"Mention", "Figure", "DateMention", "Quote", "Keyphrase"}


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_a_briefing_comes_back_from_a_pickle_equal(protocol: int) -> None:
    briefing = extracted_briefing()
    again = pickle.loads(pickle.dumps(briefing, protocol=protocol))
    assert again == briefing
    assert again.article.datetime == briefing.article.datetime
    assert again.article.datetime is not None and again.article.datetime.utcoffset()
    assert copy.deepcopy(briefing) == briefing


def test_settings_come_back_from_a_pickle_equal() -> None:
    settings = ExtractSettings(
        topics=(TopicRule(tag="trade", aliases=("tariff", "tariffs")),),
        aliases=(("Ruto", "William Ruto"),),
        max_key_facts=3,
    )
    assert pickle.loads(pickle.dumps(settings)) == settings


def test_an_unpickled_object_is_still_frozen() -> None:
    briefing = pickle.loads(pickle.dumps(extracted_briefing()))
    with pytest.raises(dataclasses.FrozenInstanceError):
        briefing.article.title = "changed"  # type: ignore[misc]
