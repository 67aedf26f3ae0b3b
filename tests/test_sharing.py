"""Link previews and search engines: canonical URLs, Open Graph and Twitter cards on
every page, and NewsArticle JSON-LD on briefings, all right under a subpath base_url.
Also the search page (tests/test_theming.py turns it off)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
from sitecheck import Page

ROOT = Path(__file__).resolve().parents[1]
SMALL_SITE = ROOT / "tests" / "sites" / "basic"
BASE_URL = "https://org.github.io/desk/"


def build(site: Path, output: Path) -> dict[str, Page]:
    command = [sys.executable, "-m", "generator", "build", "--config", str(site / "site.yaml")]
    command += ["--output", str(output), "--base-url", BASE_URL]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return {
        p.relative_to(output).as_posix(): Page(p.read_text(encoding="utf-8"))
        for p in sorted(output.rglob("*.html"))
    }


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    return build(SMALL_SITE, tmp_path_factory.mktemp("sharing") / "site")


def meta(page: Page, key: str) -> list[str]:
    return [
        m.attrs.get("content", "")
        for m in page.find("meta")
        if key in (m.attrs.get("property"), m.attrs.get("name"))
    ]


def canonical(page: Page) -> list[str]:
    return [
        link.attrs["href"] for link in page.find("link") if link.attrs.get("rel") == "canonical"
    ]


def page_url(path: str) -> str:
    return BASE_URL + path.removesuffix("index.html")


def test_every_page_names_its_own_address_for_sharing(pages: dict[str, Page]) -> None:
    problems = []
    for path, page in pages.items():
        if path == "404.html":
            continue
        expected = {
            "canonical": [page_url(path)],
            "og:url": [page_url(path)],
            "og:title": [page.find("title")[0].text],
            "twitter:card": ["summary"],
        }
        found = {"canonical": canonical(page)} | {k: meta(page, k) for k in list(expected)[1:]}
        problems += [
            f"{path}: {k} is {found[k]}, not {v}" for k, v in expected.items() if found[k] != v
        ]
        if not all(meta(page, "og:description")):
            problems.append(f"{path}: empty og:description")
    assert not problems, "\n".join(problems)


def test_the_404_page_claims_no_address(pages: dict[str, Page]) -> None:
    assert canonical(pages["404.html"]) == [] and meta(pages["404.html"], "og:url") == []


def json_ld(page: Page) -> list[dict[str, object]]:
    scripts = [s for s in page.find("script") if s.attrs.get("type") == "application/ld+json"]
    return [json.loads("".join(s.parts)) for s in scripts]


def test_briefings_are_news_articles_about_their_entities(pages: dict[str, Page]) -> None:
    briefings = {p: page for p, page in pages.items() if p.startswith("briefings/")}
    assert briefings
    for path, page in briefings.items():
        (data,) = json_ld(page)
        assert data["@type"] == "NewsArticle" and data["url"] == page_url(path)
        assert data["headline"] == page.find("h1")[0].text
        assert data["datePublished"] == page.find("time")[0].attrs["datetime"]
        assert data["publisher"] == {"@type": "Organization", "name": "Test Desk", "url": BASE_URL}
        assert meta(page, "og:type") == ["article"]
        things = [*data.get("about", []), *data.get("mentions", [])]  # type: ignore[misc]
        assert things, f"{path}: no about or mentions"
        for thing in things:
            target = str(thing["url"]).removeprefix(BASE_URL) + "index.html"
            assert target in pages, f"{path}: {thing} is not a page of the site"
            assert pages[target].find("h1")[0].text == thing["name"]
            assert thing["@type"] in ("Person", "Organization", "Place")
    assert all(not json_ld(page) for p, page in pages.items() if p not in briefings)


def test_every_page_offers_search_and_the_search_page_needs_no_server(
    pages: dict[str, Page],
) -> None:
    search = pages["search/index.html"]
    assert [f.attrs["action"] for f in search.find("form")] == ["./"]
    assert [s.attrs["src"] for s in search.find("script") if "src" in s.attrs] == [
        "../static/search.js"
    ]
    assert any("JavaScript" in n.text for n in search.find("noscript"))
    for path, page in pages.items():
        served_at = BASE_URL + "some/missing/page" if path == "404.html" else page_url(path)
        hrefs = [a.attrs["href"] for a in page.find("a") if a.text == "Search"]
        assert [urljoin(served_at, h) for h in hrefs] == [BASE_URL + "search/"], path
