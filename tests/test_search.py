"""generator/search.py: rendered pages in, the Pagefind index files out."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.config import SiteConfig, read_config
from generator.search import (
    SEARCHABLE_MARK,
    build_search_index,
    index_folder,
    searchable_digest,
    searchable_document,
    shard_count,
    shard_folders,
)

PAGES = {
    "briefings/rain/index.html": (
        '<!doctype html><html lang="en"><title>Rain</title><body><nav>Menu words</nav>'
        '<article data-pagefind-body data-pagefind-meta="kind:Briefing"><h1>Rain in Nairobi</h1>'
        "<p>Heavy rain closed the Thika road on Monday.</p></article></body></html>"
    ),
    "people/jane-achieng/index.html": (
        '<!doctype html><html lang="en"><title>Jane</title><body>'
        '<header data-pagefind-body data-pagefind-meta="kind:Person"><h1>Jane Achieng</h1>'
        '<p data-pagefind-meta="detail">Trade Minister</p></header></body></html>'
    ),
    "timeline/index.html": '<!doctype html><html lang="en"><title>T</title><h1>Timeline</h1>',
}


def index_of(pages: dict[str, str], **settings: object) -> dict[str, bytes]:
    config = SiteConfig(**settings)  # type: ignore[arg-type]
    return build_search_index({p: html.encode() for p, html in pages.items()}, config)


def fragments(files: dict[str, bytes]) -> list[dict[str, object]]:
    """The indexed pages, as Pagefind stores them (gzip, behind a signature)."""
    records = []
    for path, data in sorted(files.items()):
        if path.startswith("pagefind/fragment/"):
            text = gzip.decompress(data).decode("utf-8").removeprefix("pagefind_dcd")
            records.append(json.loads(text))
    return records


def test_only_the_parts_marked_searchable_are_indexed() -> None:
    files = index_of(PAGES)
    assert "pagefind/pagefind.js" in files
    entry = json.loads(files["pagefind/pagefind-entry.json"])
    assert entry["languages"]["en"]["page_count"] == 2
    pages = {str(f["url"]): f for f in fragments(files)}
    assert set(pages) == {"/briefings/rain/", "/people/jane-achieng/"}
    assert "Menu" not in str(pages["/briefings/rain/"]["content"])
    assert pages["/people/jane-achieng/"]["meta"] == {
        "kind": "Person",
        "detail": "Trade Minister",
        "title": "Jane Achieng",
    }


def test_file_urls_keep_index_html() -> None:
    urls = {str(f["url"]) for f in fragments(index_of(PAGES, directory_urls=False))}
    assert urls == {"/briefings/rain/index.html", "/people/jane-achieng/index.html"}


def test_pagefinds_own_search_interfaces_are_left_out() -> None:
    files = index_of(PAGES)
    assert not [p for p in files if "-ui." in p or "highlight" in p]
    assert all(p.startswith("pagefind/") for p in files)


def test_the_same_pages_give_the_same_bytes() -> None:
    assert index_of(PAGES) == index_of(PAGES)


def test_no_index_when_search_is_off_or_nothing_is_searchable() -> None:
    assert index_of(PAGES, search=False) == {}
    assert index_of({"timeline/index.html": PAGES["timeline/index.html"]}) == {}


def test_what_pagefind_reads_of_a_page_is_hashed_without_the_parts_it_skips() -> None:
    page = (
        b'<html lang="en"><title>T</title><body><article data-pagefind-body><h1>A</h1>'
        b'<section data-pagefind-ignore="all"><p>related 1</p><section>in</section></section>'
        b"<p>tail</p></article><nav>newer</nav></body></html>"
    )
    skipped_parts_changed = page.replace(b"related 1", b"related 2").replace(b"newer", b"older")
    read_part_changed = page.replace(b"<p>tail", b"<p>other")
    assert searchable_digest(page) == searchable_digest(skipped_parts_changed)
    assert searchable_digest(page) != searchable_digest(read_part_changed)
    assert searchable_digest(page.replace(b"<article data-pagefind-body>", b"<article>")) is None
    in_text = page.replace(b"<p>tail</p>", b"<p>data-pagefind-ignore=all tail</p>")
    assert searchable_digest(in_text) != searchable_digest(in_text.replace(b"tail", b"other"))
    unclosed = page.replace(b"</article>", b"")  # cannot be followed: hashed whole
    assert searchable_digest(unclosed) != searchable_digest(unclosed.replace(b"newer", b"x"))


def test_a_big_site_gets_its_search_index_in_shards() -> None:
    assert [shard_count(n) for n in (0, 500, 501, 2000, 2001)] == [1, 1, 2, 4, 8]
    assert shard_folders(1) == ["pagefind/"]
    assert shard_folders(2) == ["pagefind/0/", "pagefind/1/"]


def test_pagefind_makes_the_same_index_of_the_searchable_documents_as_of_whole_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build hands Pagefind only what it reads of each page: the index of
    every page kind of our templates must not change for it."""
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "sites" / "basic", site)
    monkeypatch.chdir(site)
    config = read_config(Path("site.yaml"))
    build(config)
    pages = {
        p.relative_to(config.output_dir).as_posix(): p.read_bytes()
        for p in sorted(config.output_dir.rglob("*.html"))
    }
    kinds = {path.split("/")[0] for path in pages if SEARCHABLE_MARK in pages[path]}
    assert {"briefings", "people", "places", "tags"} <= kinds
    indexes = []
    for name, make in (("whole", lambda html: html), ("documents", searchable_document)):
        folder = tmp_path / name
        for path, html in pages.items():  # in the same order: it shapes the index
            if SEARCHABLE_MARK in html:
                (folder / path).parent.mkdir(parents=True, exist_ok=True)
                (folder / path).write_bytes(make(html))
        indexes.append(index_folder(folder, config))
    assert len(indexes[0]) > 10 and indexes[0] == indexes[1]
    page = pages["briefings/first/index.html"]
    document = searchable_document(page)
    assert document is not None and len(document) < len(page) and b"<nav" not in document
