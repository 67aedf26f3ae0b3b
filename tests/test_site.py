"""End to end: build the sample site at a domain root and under a subpath, then read it back."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sitecheck import (
    Page,
    Site,
    check_absolute_url,
    check_atom_feed,
    check_links,
    check_page_basics,
    check_unique_ids,
    fold,
    read_site,
    read_sitemap,
)

ROOT = Path(__file__).resolve().parents[1]
BASE_URLS = {"domain-root": "https://example.org/", "subpath": "https://org.github.io/briefings/"}
TYPE_DIRECTORIES = {"person": "people", "organization": "organizations", "place": "places"}
ENTITY_PAGE = r"(people|organizations|places)/[^/]+/index\.html"
BRIEFING_FIELDS = {
    "slug": str,
    "url": str,
    "source_path": str,
    "title": str,
    "date": str,
    "key_facts": list,
    "entities": list,
    "tags": list,
    "keyphrases": list,
    "quotes": list,
    "figures": list,
    "dates": list,
    "related": list,
}
ITEM_FIELDS = {
    "key_facts": {"text", "sentence", "anchor"},
    "entities": {"name", "type", "surfaces", "mentions"},
    "quotes": {"text", "speaker"},
}


def build(output: Path, base_url: str, hash_seed: str = "1") -> Path:
    """Run the CLI; hash_seed fixes str hashing, so set-order leaks show up across seeds."""
    command = [sys.executable, "-m", "generator", "build"]
    command += ["--config", str(ROOT / "site.yaml"), "--content", str(ROOT / "content")]
    command += ["--output", str(output), "--base-url", base_url]
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr}")
    return output


@pytest.fixture(scope="module")
def domain_root_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("domain-root") / "site", BASE_URLS["domain-root"])


@pytest.fixture(scope="module")
def subpath_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("subpath") / "site", BASE_URLS["subpath"])


@pytest.fixture(scope="module", params=list(BASE_URLS))
def site(request: pytest.FixtureRequest) -> Site:
    output = request.getfixturevalue(f"{request.param.replace('-', '_')}_build")
    return read_site(output, BASE_URLS[request.param])


def read_briefings(site: Site) -> list[dict[str, Any]]:
    briefings = site.json("briefings.json")["briefings"]
    assert isinstance(briefings, list) and briefings, "briefings.json holds no briefings"
    return briefings


def briefing_file(slug: str) -> str:
    return f"briefings/{slug}/index.html"


def linked_briefings(site: Site, path: str) -> set[str]:
    """Slugs of the briefing pages a page links to."""
    files = {link.file for link in site.links(path)}
    return {m[1] for f in files if f and (m := re.fullmatch(r"briefings/([^/]+)/index\.html", f))}


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def first_difference(path: str, first: bytes | None, second: bytes | None) -> str:
    if first is None or second is None:
        return f"{path}: only in the {'second' if first is None else 'first'} build"
    at = next((i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b), None)
    at = min(len(first), len(second)) if at is None else at
    around = slice(max(at - 40, 0), at + 40)
    return f"{path}: byte {at}: {first[around]!r} vs {second[around]!r}"


def report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


# --- every page kind is there ----------------------------------------------


def test_every_page_kind_is_written(site: Site) -> None:
    required = ["index.html", "tags/index.html", "entities/index.html", "timeline/index.html"]
    required += ["404.html", "feed.xml", "sitemap.xml", "robots.txt", ".nojekyll"]
    required += ["static/style.css", "briefings.json"]
    required += [briefing_file(b["slug"]) for b in read_briefings(site)]
    missing = [path for path in required if not (site.root / path).is_file()]
    patterns = ["tags/*/index.html", "tags/*/feed.xml"]
    patterns += [f"{directory}/*/index.html" for directory in TYPE_DIRECTORIES.values()]
    missing += [f"any {pattern}" for pattern in patterns if not list(site.root.glob(pattern))]
    assert not missing, report(missing)


# --- links, ids and page structure -----------------------------------------


def test_every_internal_link_and_anchor_resolves(site: Site) -> None:
    assert site.pages
    assert not (problems := check_links(site)), report(problems)


def test_ids_are_unique_on_every_page(site: Site) -> None:
    assert not (problems := check_unique_ids(site)), report(problems)


def test_every_page_has_one_h1_a_language_and_a_title(site: Site) -> None:
    assert not (problems := check_page_basics(site)), report(problems)


def test_link_checker_catches_broken_links_and_missing_anchors(tmp_path: Path) -> None:
    page = '<!doctype html><html lang="en"><title>t</title><h1>h</h1>{}</html>'
    pages = {
        "index.html": '<a href="a/">ok</a><a href="a/#x">ok</a><a href="https://elsewhere.org/">'
        '</a><a href="missing/">broken</a><a href="a/#nope">no anchor</a>'
        '<a href="/a/">leaves the subpath</a><img src="static/missing.png">',
        "a/index.html": '<p id="x">x</p><a href="../#top">no anchor on home</a>',
        "404.html": '<a href="/sub/a/">ok</a><a href="../">resolves to sub/some/</a>'
        '<a href="#main" id="main">ok</a><a href="#gone">no anchor</a>',
    }
    for path, body in pages.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(page.format(body), encoding="utf-8")
    problems = check_links(read_site(tmp_path, "https://example.org/sub/"))
    expected = [
        '404.html:1: <a href="#gone"> -> https://example.org/sub/some/missing/page#gone: no id '
        "'gone' in 404.html",
        '404.html:1: <a href="../"> -> https://example.org/sub/some/: no file some/index.html',
        "a/index.html:1: <a href=\"../#top\"> -> https://example.org/sub/#top: no id 'top' in "
        "index.html",
        'index.html:1: <a href="missing/"> -> https://example.org/sub/missing/: no file '
        "missing/index.html",
        "index.html:1: <a href=\"a/#nope\"> -> https://example.org/sub/a/#nope: no id 'nope' in "
        "a/index.html",
        'index.html:1: <a href="/a/"> -> https://example.org/a/: leaves base_url '
        "https://example.org/sub/",
        'index.html:1: <img src="static/missing.png"> -> https://example.org/sub/static/'
        "missing.png: no file static/missing.png",
    ]
    assert sorted(problems) == sorted(expected)


# --- feeds, sitemap, robots.txt --------------------------------------------


def test_feeds_are_atom_with_entries_linking_into_the_site(site: Site) -> None:
    tag_feeds = sorted(
        p.relative_to(site.root).as_posix() for p in site.root.glob("tags/*/feed.xml")
    )
    feeds = ["feed.xml", *tag_feeds]
    problems = [problem for feed in feeds for problem in check_atom_feed(site, feed)]
    assert not problems, report(problems)


def test_sitemap_lists_every_briefing_and_only_existing_pages(site: Site) -> None:
    locs = read_sitemap(site)
    problems = [p for loc in locs for p in check_absolute_url(site, "sitemap.xml <loc>", loc)]
    unlisted = [b["url"] for b in read_briefings(site) if b["url"] not in locs]
    problems += [f"sitemap.xml: no <loc> for briefing {url}" for url in unlisted]
    assert not problems, report(problems)


def test_robots_txt_names_the_sitemap(site: Site) -> None:
    robots = (site.root / "robots.txt").read_text(encoding="utf-8")
    lines = [fold(line).lower() for line in robots.splitlines()]
    assert f"sitemap: {site.base_url}sitemap.xml".lower() in lines, robots


# --- briefings.json agrees with the pages ----------------------------------


def test_briefings_json_has_the_documented_fields(site: Site) -> None:
    problems = []
    for number, b in enumerate(read_briefings(site)):
        where = f"briefings.json[{number}] ({b.get('slug')})"
        for name, kind in BRIEFING_FIELDS.items():
            if not isinstance(b.get(name), kind):
                problems.append(f"{where}: {name} is {b.get(name)!r}, expected {kind.__name__}")
        for name, fields in ITEM_FIELDS.items():
            for item in b.get(name) or []:
                if missing := fields - set(item):
                    problems.append(f"{where}: {name} item {item!r} lacks {sorted(missing)}")
        for entity in b.get("entities") or []:
            if entity.get("type") not in TYPE_DIRECTORIES:
                problems.append(f"{where}: entity {entity.get('name')} type {entity.get('type')!r}")
        try:
            dt.date.fromisoformat(str(b.get("date"))[:10])
        except ValueError:
            problems.append(f"{where}: date {b.get('date')!r} is not ISO")
    slugs = [str(b.get("slug")) for b in read_briefings(site)]
    problems += [f"briefings.json: slug {s!r} repeated" for s in set(slugs) if slugs.count(s) > 1]
    assert not problems, report(problems)


def test_briefing_urls_and_titles_match_their_pages(site: Site) -> None:
    problems = []
    for b in read_briefings(site):
        path = briefing_file(b["slug"])
        if b["url"] != f"{site.base_url}briefings/{b['slug']}/":
            problems.append(f"{b['slug']}: url {b['url']!r}")
        if path not in site.pages:
            problems.append(f"{b['slug']}: no page {path}")
            continue
        h1s = [h1.text for h1 in site.pages[path].find("h1")]
        if not any(fold(b["title"]) in h1 for h1 in h1s):
            problems.append(f"{path}: <h1> {h1s} does not show the title {b['title']!r}")
    assert not problems, report(problems)


def test_key_facts_point_at_their_sentences(site: Site) -> None:
    problems = []
    for b in read_briefings(site):
        path = briefing_file(b["slug"])
        for fact in b["key_facts"]:
            if fact.get("anchor") is None:
                continue
            element = site.pages[path].by_id(fact["anchor"])
            if element is None:
                problems.append(f"{path}: no id {fact['anchor']!r} for key fact {fact['text']!r}")
            elif element.text != fold(fact["sentence"] or ""):
                text, sentence = element.text, fact["sentence"]
                problems.append(f"{path}#{fact['anchor']}: {text!r} != sentence {sentence!r}")
    assert not problems, report(problems)


def test_entities_are_linked_to_their_entity_pages(site: Site) -> None:
    problems = []
    for b in read_briefings(site):
        path = briefing_file(b["slug"])
        links = site.links(path)
        for entity in b["entities"]:
            directory, name = TYPE_DIRECTORIES.get(entity["type"], "?"), fold(entity["name"])
            named = {link.file or link.url for link in links if link.element.text == name}
            # its page: in the type's directory, titled with the name, at the url json gives
            pages = [
                file
                for file in named
                if re.fullmatch(rf"{directory}/[^/]+/index\.html", file)
                and any(name in h1.text for h1 in site.pages.get(file, Page("")).find("h1"))
                and file == site.file_for(entity.get("url") or site.base_url + file)
            ]
            if not pages:
                problems.append(
                    f"{path}: no link {name!r} to its {directory}/ page {entity.get('url')}; "
                    f"links named so go to {sorted(named)}"
                )
    assert not problems, report(problems)


def test_related_briefings_are_up_to_five_other_briefings(site: Site) -> None:
    briefings = read_briefings(site)
    slugs = {b["slug"] for b in briefings}
    problems = []
    for b in briefings:
        related = b["related"]
        if len(related) > 5:
            problems.append(f"{b['slug']}: {len(related)} related, at most 5")
        problems += [f"{b['slug']}: related to itself" for r in related if r == b["slug"]]
        problems += [f"{b['slug']}: related {r!r} is not a briefing" for r in set(related) - slugs]
    assert not problems, report(problems)


def test_source_paths_are_relative_to_the_content_dir(site: Site) -> None:
    problems = []
    for b in read_briefings(site):
        source = Path(b["source_path"])
        if source.is_absolute() or ".." in source.parts:
            problems.append(f"{b['slug']}: source_path {b['source_path']!r} is not relative")
        elif not (ROOT / "content" / source).is_file():
            problems.append(f"{b['slug']}: content/{b['source_path']} does not exist")
    assert not problems, report(problems)


# --- lists ---------------------------------------------------------------


def test_home_page_lists_the_newest_briefing(site: Site) -> None:
    briefings = read_briefings(site)
    newest = max(b["date"][:10] for b in briefings)  # a day, as dates may carry a time
    expected = {b["slug"] for b in briefings if b["date"][:10] == newest}
    assert expected <= linked_briefings(site, "index.html")


def test_tag_pages_list_every_briefing_with_that_tag(site: Site) -> None:
    problems = []
    tag_pages: dict[str, str] = {}  # tag name -> tag page file, found through briefing pages
    for b in read_briefings(site):
        path = briefing_file(b["slug"])
        links = site.links(path)
        for tag in b["tags"]:
            pages = {
                link.file
                for link in links
                if link.element.text.casefold() == fold(tag).casefold()
                and re.fullmatch(r"tags/[^/]+/index\.html", link.file or "")
            }
            if len(pages) != 1:
                problems.append(f"{path}: tag {tag!r} links to {sorted(map(str, pages))}")
                continue
            page = tag_pages.setdefault(tag, found := str(pages.pop()))
            if found != page:
                problems.append(f"{path}: tag {tag!r} links to {found}, elsewhere to {page}")
            elif b["slug"] not in linked_briefings(site, page):
                problems.append(f"{page}: does not list {b['slug']} tagged {tag!r}")
    assert tag_pages, "no briefing links to a tag page"
    assert not problems, report(problems)


def test_every_entity_page_lists_a_briefing(site: Site) -> None:
    slugs = {b["slug"] for b in read_briefings(site)}
    pages = [p for p in site.pages if re.fullmatch(ENTITY_PAGE, p)]
    assert pages
    empty = [p for p in pages if not linked_briefings(site, p) & slugs]
    assert not empty, report([f"{p}: lists no briefing" for p in empty])


# --- reproducible ----------------------------------------------------------


def test_building_twice_gives_identical_output(domain_root_build: Path, tmp_path: Path) -> None:
    again = build(tmp_path / "site", BASE_URLS["domain-root"], hash_seed="2")
    first, second = read_tree(domain_root_build), read_tree(again)
    assert first
    differ = sorted(p for p in first.keys() | second.keys() if first.get(p) != second.get(p))
    assert not differ, report([first_difference(p, first.get(p), second.get(p)) for p in differ])
