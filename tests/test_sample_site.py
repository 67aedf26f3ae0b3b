"""The bundled sample site, built as a newcomer builds it: what its briefings name."""

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from generator.config import read_config

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def briefings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    site = tmp_path_factory.mktemp("sample")
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    shutil.copytree(ROOT / "content", site / "content")
    build(read_config(site / "site.yaml"))
    data = json.loads((site / "_site" / "briefings.json").read_text())
    return {b["slug"]: b for b in data["briefings"]}


def entities(briefing: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in briefing["entities"]}


def test_the_un_meeting_names_its_people_with_roles(briefings: dict[str, dict[str, Any]]) -> None:
    found = entities(briefings["ruto-rubio-unga-meeting"])
    assert found["William Ruto"]["type"] == "person"
    assert found["William Ruto"]["role"] == "President"
    assert "Ruto" in found["William Ruto"]["surfaces"]
    assert found["Marco Rubio"]["role"] == "Secretary of State"
    assert found["Tommy Pigott"]["type"] == "person"


def test_countries_are_places_site_wide(briefings: dict[str, dict[str, Any]]) -> None:
    countries = {"Kenya", "Haiti", "China", "United States"}
    for briefing in briefings.values():
        for entity in briefing["entities"]:
            for country in countries & set(entity["surfaces"]):
                assert (entity["name"], entity["type"]) == (country, "place"), briefing["slug"]
                assert entity["url"].endswith(f"places/{country.lower().replace(' ', '-')}/")


def test_organisations_keep_their_names(briefings: dict[str, dict[str, Any]]) -> None:
    names = {n: e["type"] for b in briefings.values() for n, e in entities(b).items()}
    for name in ("United Nations", "US State Department", "African Growth and Opportunity Act"):
        assert names[name] == "organization", name


def test_the_tariff_is_a_figure_and_trade_and_security_are_tags(
    briefings: dict[str, dict[str, Any]],
) -> None:
    tariffs = briefings["us-reciprocal-tariffs-kenya"]
    assert any(f["text"] == "10 per cent tariff" and f["value"] == 10 for f in tariffs["figures"])
    tags = {t for b in briefings.values() for t in b["tags"]}
    assert {"trade", "security", "agoa"} <= tags


def test_key_facts_open_with_the_news(briefings: dict[str, dict[str, Any]]) -> None:
    for briefing in briefings.values():
        facts = [f for f in briefing["key_facts"] if not f["by_author"]]
        assert 3 <= len(facts) <= 7, briefing["slug"]
        assert any(f["anchor"] == "p1s1" for f in facts), briefing["slug"]
