"""generator/search.py: rendered pages in, the Pagefind index files out."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import generator.build
import generator.render
import generator.search
from generator.build import build
from generator.config import SiteConfig, read_config
from generator.errors import BuildError, Problem
from generator.search import (
    SEARCHABLE_MARK,
    build_search_index,
    index_folder,
    searchable_digest,
    searchable_document,
    shard_count,
    shard_folders,
    shard_of,
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


def documents_made(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Log each searchable document made, in any process: its process and page."""
    real = generator.search.searchable_document

    def logging(html: bytes) -> bytes | None:
        with log.open("a") as file:  # one short line per call: appends do not interleave
            file.write(f"{os.getpid()} {hashlib.sha256(html).hexdigest()}\n")
        return real(html)

    monkeypatch.setattr(generator.search, "searchable_document", logging)


def whole_page_indexes(output: Path, config: SiteConfig) -> dict[str, bytes]:
    """The index of each shard of a built site made from its whole pages, made
    as the build makes it: in sorted order, in the same scratch space (the order
    a folder lists its files in, which shapes the index, depends on the file system)."""
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    searchable = [p for p in pages if SEARCHABLE_MARK in (output / p).read_bytes()]
    listed = re.findall(rb"pagefind/\d+/", (output / "search" / "index.html").read_bytes())
    folders = shard_folders(max(1, len(set(listed))))  # as the search page loads them
    index = {}
    for number, folder in enumerate(folders):
        shard = [path for path in searchable if shard_of(path, len(folders)) == number]
        with tempfile.TemporaryDirectory(dir=generator.search._scratch()) as site:
            for path in shard:
                (Path(site) / path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(output / path, Path(site) / path)
            for path, data in index_folder(Path(site), config).items() if shard else ():
                index[folder + path.removeprefix("pagefind/")] = data
    return index


def test_each_document_is_made_once_where_its_page_is_and_gives_the_whole_pages_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "sites" / "basic", site)
    monkeypatch.chdir(site)
    monkeypatch.setattr(generator.render, "PARALLEL_PAGES", 1)  # every page in a worker
    monkeypatch.setattr(generator.search, "SHARD_PAGES", 8)  # two shards
    log = tmp_path / "documents.log"
    documents_made(monkeypatch, log)
    config = read_config(Path("site.yaml"))
    build(config)
    output = config.output_dir
    pages = {hashlib.sha256(p.read_bytes()).hexdigest() for p in output.rglob("*.html")}
    calls = [line.split() for line in log.read_text().splitlines()]
    assert Counter(page for _, page in calls) == Counter(pages)  # each page once
    assert str(os.getpid()) not in {pid for pid, _ in calls}  # all in the workers
    index = {p.relative_to(output).as_posix(): p.read_bytes()
             for p in (output / "pagefind").rglob("*") if p.is_file()}  # fmt: skip
    assert "pagefind/1/pagefind.js" in index
    assert index == whole_page_indexes(output, config)

    # An edit: the pages kept in a shard indexed again are read from their files.
    log.unlink()
    article = site / "content" / "third.md"
    article.write_text(article.read_text() + "\nThe growers expect a smaller crop this year.\n")
    build(config)
    calls = [line.split() for line in log.read_text().splitlines()]
    assert max(Counter(page for _, page in calls).values()) == 1
    assert str(os.getpid()) in {pid for pid, _ in calls}  # a kept page read in for its shard
    index = {p.relative_to(output).as_posix(): p.read_bytes()
             for p in (output / "pagefind").rglob("*") if p.is_file()}  # fmt: skip
    assert index == whole_page_indexes(output, config)


@pytest.fixture
def scratched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The basic site, as the working dir, and the scratch folder its builds use."""
    site, scratch = tmp_path / "site", tmp_path / "scratch"
    shutil.copytree(Path(__file__).parent / "sites" / "basic", site)
    scratch.mkdir()
    monkeypatch.chdir(site)
    monkeypatch.setattr(generator.search, "_scratch", lambda: str(scratch))
    return site, scratch


def test_a_build_leaves_no_documents_behind_even_when_it_fails(
    scratched: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site, scratch = scratched
    monkeypatch.setattr(generator.render, "PARALLEL_PAGES", 1)  # documents made in workers
    build(read_config(Path("site.yaml")))
    assert (site / "_site" / "pagefind" / "pagefind.js").is_file()
    assert list(scratch.iterdir()) == []
    (site / "templates").mkdir()
    (site / "templates" / "tag.html").write_text("{{ no_such_thing.x }}")
    shutil.rmtree(site / "_site")
    with pytest.raises(BuildError):
        build(read_config(Path("site.yaml")))
    assert list(scratch.iterdir()) == []


def test_a_failure_while_the_index_is_made_waits_for_it_and_keeps_the_last_site(
    scratched: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site, scratch = scratched
    build(read_config(Path("site.yaml")))
    before = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    indexed: list[str] = []
    index_pages = generator.search.index_pages

    def slow_index(*args: Any, **kwargs: Any) -> dict[str, bytes]:
        time.sleep(0.5)  # still indexing when the feeds fail
        indexed.append("done")
        return index_pages(*args, **kwargs)

    def failing_outputs(*_: Any) -> None:
        raise BuildError([Problem(path="site.yaml", line=None, message="feeds failed")])

    monkeypatch.setattr(generator.search, "index_pages", slow_index)
    monkeypatch.setattr(generator.build, "write_outputs", failing_outputs)
    (site / "content" / "extra.md").write_text("---\ntitle: Extra\ndate: 2025-01-01\n---\n\nNew.\n")
    with pytest.raises(BuildError, match="feeds failed"):
        build(read_config(Path("site.yaml")))
    assert indexed == ["done"]  # the indexing thread had ended when build() returned
    assert list(scratch.iterdir()) == []
    after = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    assert after == before
