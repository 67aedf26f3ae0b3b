"""What a reader does, in headless Chromium: search for a person and open the
briefing found, follow a key fact to its sentence, and read with JavaScript off."""

from __future__ import annotations

from typing import Any

import pytest
from browsing import SCREENSHOTS, ServedSite, run_axe

from generator.search import shard_of

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


def person_in_one_briefing(site: ServedSite) -> tuple[str, dict[str, Any]]:
    """A person's name and the only briefing naming them, so search has one right answer."""
    seen: dict[str, list[dict[str, Any]]] = {}
    for briefing in site.briefings():
        for entity in briefing["entities"]:
            if entity["type"] == "person" and entity["url"]:
                seen.setdefault(entity["name"], []).append(briefing)
    name = sorted(n for n, found in seen.items() if len(found) == 1 and " " in n)[0]
    return name, seen[name][0]


def result_links(page: Any) -> list[str]:
    return list(page.eval_on_selector_all("#search-results a", "links => links.map(a => a.href)"))


def test_search_finds_a_briefing_by_a_persons_name(served_site: ServedSite, open_page: Any) -> None:
    name, briefing = person_in_one_briefing(served_site)
    page, problems = open_page(served_site.url("search/"))
    page.get_by_label("Words to look for").fill(name)
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("#search-results li")
    assert briefing["url"] in result_links(page), f"{name!r}: {result_links(page)}"
    assert "results for" in page.locator("#search-status").inner_text()
    assert page.url.endswith("?q=" + name.replace(" ", "+")), "the address keeps the query"
    page.screenshot(path=SCREENSHOTS / "search-results-phone-390.png", full_page=True)
    assert not (violations := run_axe(page)), "\n".join(violations)
    page.locator("#search-results a").nth(result_links(page).index(briefing["url"])).click()
    page.wait_for_url(briefing["url"])
    assert page.locator("h1").inner_text() == briefing["title"]
    assert not problems.errors, "\n".join(problems.errors)


def test_search_finds_people_places_and_topics_too(served_site: ServedSite, open_page: Any) -> None:
    name, _ = person_in_one_briefing(served_site)
    person = next(
        e["url"] for b in served_site.briefings() for e in b["entities"] if e["name"] == name
    )
    page, problems = open_page(served_site.url("search/?q=" + name), width=1280)
    page.wait_for_selector("#search-results li")
    assert person in result_links(page)
    kinds = page.locator("#search-results .search-kind").all_inner_texts()
    assert any(kind.lower().startswith("person") for kind in kinds), kinds
    tag = sorted(t for b in served_site.briefings() for t in b["tags"] if t.isalpha())[0]
    page.goto(served_site.url("search/?q=" + tag))
    page.wait_for_selector("#search-results li")
    assert served_site.url(f"tags/{tag}/") in result_links(page)
    page.goto(served_site.url("search/?q=Kenya"))  # named everywhere: more than a page
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results li").count() == 10
    page.get_by_role("button", name="Show more results").click()
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 10")
    focused = page.evaluate("document.activeElement.href")
    assert focused == result_links(page)[10], "focus goes to the first new result"
    page.goto(served_site.url("search/?q=zzzzqqq"))
    page.wait_for_function(
        "document.querySelector('#search-status').textContent.startsWith('Nothing')"
    )
    assert not problems.errors, "\n".join(problems.errors)


def test_search_merges_the_shards_of_a_big_sites_index(
    sharded_site: ServedSite, open_page: Any
) -> None:
    shards = sorted(p.name for p in (sharded_site.root / "pagefind").iterdir() if p.is_dir())
    assert len(shards) >= 4, shards
    name, briefing = person_in_one_briefing(sharded_site)
    page, problems = open_page(sharded_site.url("search/?q=" + name), width=1280)
    page.wait_for_selector("#search-results li")
    assert briefing["url"] in result_links(page)
    page.goto(sharded_site.url("search/?q=Kenya"))  # named on pages in every shard
    page.wait_for_selector("#search-results li")
    paths = [link.removeprefix(sharded_site.base_url) for link in result_links(page)]
    found_in = {shard_of(path + ("index.html" if path.endswith("/") else ""), len(shards))
                for path in paths}  # fmt: skip
    assert len(found_in) >= 3, paths  # one search, results from several shards
    assert not problems.errors, "\n".join(problems.errors)


def test_a_key_fact_link_shows_its_sentence(served_site: ServedSite, open_page: Any) -> None:
    briefing = next(b for b in served_site.briefings() if any(f["anchor"] for f in b["key_facts"]))
    fact = next(f for f in reversed(briefing["key_facts"]) if f["anchor"])
    page, problems = open_page(briefing["url"], width=320, height=640)
    page.locator(f'.key-facts a[href="#{fact["anchor"]}"]').click()
    page.wait_for_function(f"location.hash === '#{fact['anchor']}'")
    target = page.evaluate(
        """() => {
        const e = document.querySelector(":target"), r = e.getBoundingClientRect();
        return {id: e.id, top: r.top, bottom: r.bottom, height: innerHeight,
                text: e.textContent, background: getComputedStyle(e).backgroundColor};
    }"""
    )
    assert target["id"] == fact["anchor"]
    assert " ".join(target["text"].split()) == " ".join(fact["sentence"].split())
    assert 0 <= target["top"] < target["height"], f"the sentence is not in view: {target}"
    assert target["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), "not highlighted"
    page.screenshot(path=SCREENSHOTS / "key-fact-target-phone-320.png")
    assert not problems.errors, "\n".join(problems.errors)


def test_the_site_reads_without_javascript(served_site: ServedSite, open_page: Any) -> None:
    page, problems = open_page(served_site.url(""), javascript=False)
    page.locator(".card-title a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(served_site.url("briefings/"))
    fact = page.locator(".key-facts a[href^='#']").first
    anchor = (fact.get_attribute("href") or "#").removeprefix("#")
    fact.click()
    assert page.evaluate("document.querySelector(':target')?.id") == anchor
    page.locator(".site-nav a", has_text="Search").click()
    page.wait_for_load_state()
    note = page.locator(".search-note")
    assert note.is_visible() and "needs JavaScript" in note.inner_text()
    page.screenshot(path=SCREENSHOTS / "search-no-javascript-phone-390.png", full_page=True)
    assert not problems.errors, "\n".join(problems.errors)
