"""Rendered HTML pages -> a static search index: the `pagefind/` files of the site.

Pagefind (PyPI `pagefind[bin]`, its binary shipped in the wheel) builds the
index; the browser loads it from the search page (templates/search.html,
static/search.js), so search needs no server and works on GitHub Pages.
Templates choose what is searchable: only the parts of a page marked
`data-pagefind-body` are indexed, and pages without the mark are left out.

Pagefind is handed each page's searchable document, what it reads of the page
and no more (`searchable_document`): it makes the same index of it as of the
whole page, in less time. A build makes each document once, in the process
that makes the page, and leaves it in a folder (`DocumentFolder`, in memory
where there is one) until its shard is indexed. The documents go to the
Pagefind binary in a temporary folder, not through Pagefind's Python service
API: that API answers one request per 0.1 s poll (16 s for the 156 pages of
the sample site, against 0.3 s here) and cannot return an index larger than
its 2 MiB pipe buffer.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import subprocess
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pagefind.service import get_executable

from .config import SiteConfig
from .errors import BuildError, Problem

INDEX_FOLDER = "pagefind/"  # where the index lives in the site
SHARD_PAGES = 500  # searchable pages per index shard, at most (see shard_count)
SEARCHABLE_MARK = b"data-pagefind-body"
# Pagefind's ready-made search interfaces; static/search.js is ours instead.
UNUSED_BUNDLES = (
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
)


def build_search_index(pages: Mapping[str, bytes], config: SiteConfig) -> dict[str, bytes]:
    """The index files by site path (`pagefind/...`); empty when search is off.

    `pages` maps site file paths ("briefings/x/index.html") to their HTML.
    """
    documents = {path: searchable_document(html) for path, html in pages.items()}
    searchable = {p: d for p, d in documents.items() if p.endswith(".html") and d is not None}
    if not config.search or not searchable:  # Pagefind refuses to index nothing
        return {}
    with tempfile.TemporaryDirectory(prefix="briefings-search-", dir=_scratch()) as folder:
        site = Path(folder) / "site"
        for path, document in sorted(searchable.items()):  # the order shapes the index
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_bytes(document)
        return index_folder(site, config)


def shard_count(pages: int) -> int:
    """How many separate indexes a site of `pages` searchable pages gets.

    An edit re-indexes only the shard its pages fall in, so a big site is
    split; a power of two, so the split changes only when the site doubles.
    The search page loads one and merges the others (Pagefind's mergeIndex).
    """
    count = 1
    while count * SHARD_PAGES < pages:
        count *= 2
    return count


def shard_folders(count: int) -> list[str]:
    """The site folder of each shard's index."""
    return [INDEX_FOLDER] if count == 1 else [f"{INDEX_FOLDER}{n}/" for n in range(count)]


def shard_of(site_path: str, count: int) -> int:
    return zlib.crc32(site_path.encode()) % count


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentFolder:
    """Where a build leaves the searchable document of each page it makes, a
    folder per index shard, for `index_pages` to hand to Pagefind: a worker
    process that makes a page writes its document here, so the document is
    made once and never travels through the build's memory."""

    root: Path  # removed when the build ends (see document_folder)
    shards: int  # how many shards the index has (shard_count)

    def shard(self, number: int) -> Path:
        """The documents of the pages of shard `number`, by site path."""
        return self.root / str(number)

    def write(self, site_path: str, html: bytes) -> str | None:
        """Leave the page's document in its shard's folder; the document's hash
        (as `searchable_digest` gives it), or None when the page is not indexed."""
        document = searchable_document(html)
        if document is None:
            return None
        file = self.shard(shard_of(site_path, self.shards)) / site_path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(document)
        return _digest(document)


@contextlib.contextmanager
def document_folder(shards: int) -> Iterator[DocumentFolder]:
    """A DocumentFolder for one build, removed when it ends, also on errors."""
    with tempfile.TemporaryDirectory(prefix="briefings-documents-", dir=_scratch()) as root:
        yield DocumentFolder(root=Path(root), shards=shards)


def index_pages(
    pages: Mapping[str, Path], documents: Path, folder: str, config: SiteConfig
) -> dict[str, bytes]:
    """The index of `pages` (site path -> file on disk) as files under `folder`.

    The document of a page made in this build is under `documents` by its site
    path already (DocumentFolder.write), and is moved from there; a page kept
    from the last build has its document made here from its file.
    """
    # Beside the documents, so that they are moved in, not copied.
    with tempfile.TemporaryDirectory(prefix="briefings-search-", dir=documents.parent) as temporary:
        site = Path(temporary) / "site"
        # Pagefind numbers the pages in the order their files were made, and
        # that order shapes the index: they are made here in sorted order.
        for site_path, file in sorted(pages.items()):
            made, target = documents / site_path, site / site_path
            if made.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                made.rename(target)
                continue
            document = searchable_document(file.read_bytes())
            if document is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(document)
        return {
            folder + path.removeprefix(INDEX_FOLDER): data
            for path, data in index_folder(site, config).items()
        }


def _scratch() -> str | None:
    """Memory-backed scratch space where there is one: Pagefind writes a file per page."""
    shared = Path("/dev/shm")
    return str(shared) if shared.is_dir() and os.access(shared, os.W_OK) else None


_IGNORE_ALL = (b'data-pagefind-ignore="all"', b"data-pagefind-ignore='all'",
               b"data-pagefind-ignore=all")  # fmt: skip
_TAG_NAME = re.compile(rb"<([a-zA-Z][\w-]*)")
_HTML_TAG = re.compile(rb"<html\b[^>]*>")
_TITLE = re.compile(rb"<title>.*?</title>", re.S)
_TAGS: dict[bytes, re.Pattern[bytes]] = {}  # start and end tags of one name


def searchable_digest(html: bytes) -> str | None:
    """A hash of what Pagefind reads of a page (see `searchable_document`);
    None when no part is marked, so the page is not indexed."""
    document = searchable_document(html)
    return None if document is None else _digest(document)


def _digest(document: bytes) -> str:
    return hashlib.sha256(document).hexdigest()


def searchable_document(html: bytes) -> bytes | None:
    """What Pagefind reads of a page, as a page of its own: the language, the
    title and the marked parts, without the parts it is told to skip. Pagefind
    makes the same index of it as of the whole page, several times faster.
    None when no part is marked; a page whose markup this cannot follow is
    given whole, which is never wrong, only slower."""
    if SEARCHABLE_MARK not in html:
        return None
    opening = _HTML_TAG.search(html)
    title = _TITLE.search(html)
    parts = [b"<!DOCTYPE html>\n", opening.group() if opening else b"<html>"]
    parts += [b'<head><meta charset="utf-8">', title.group() if title else b"", b"</head><body>\n"]
    for start in _marked(html, (SEARCHABLE_MARK,)):
        region = _element(html, start)
        if region is None:
            return html
        position = 0
        for ignored in _marked(region, _IGNORE_ALL):
            if ignored < position:
                continue  # inside an element already skipped
            skipped = _element(region, ignored)
            if skipped is None:
                return html
            parts.append(region[position:ignored])
            position = ignored + len(skipped)
        parts += [region[position:], b"\n"]
    return b"".join([*parts, b"</body></html>\n"])


def _marked(html: bytes, marks: tuple[bytes, ...]) -> list[int]:
    """Where the start tags holding any of `marks` begin, in order."""
    found = set()
    for mark in marks:
        at = html.find(mark)
        while at != -1:
            start = html.rfind(b"<", 0, at)
            if start != -1 and html.find(b">", start, at) == -1:  # in a tag, not in text
                found.add(start)
            at = html.find(mark, at + len(mark))
    return sorted(found)


def _element(html: bytes, start: int) -> bytes | None:
    """The element whose start tag begins at `start`, up to its end tag."""
    name = _TAG_NAME.match(html, start)
    if name is None:
        return None
    tag = name.group(1).lower()
    tags = _TAGS.get(tag)
    if tags is None:
        tags = _TAGS[tag] = re.compile(rb"<(/?)" + re.escape(tag) + rb"\b[^>]*>", re.I)
    depth = 0
    for found in tags.finditer(html, start):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return html[start : found.end()]
    return None


def index_folder(site: Path, config: SiteConfig) -> dict[str, bytes]:
    """The index of the marked pages of a site already on disk, by site path."""
    with tempfile.TemporaryDirectory(prefix="briefings-index-", dir=_scratch()) as folder:
        index = Path(folder)
        run_pagefind(site, index, config)
        return {
            INDEX_FOLDER + file.relative_to(index).as_posix(): file.read_bytes()
            for file in sorted(index.rglob("*"))
            if file.is_file() and not file.name.startswith(UNUSED_BUNDLES)
        }


def run_pagefind(site: Path, index: Path, config: SiteConfig) -> None:
    executable = get_executable()
    if executable is None:
        raise search_error(config, "the pagefind binary is not installed")
    # One index in the site's language, whatever each page says.
    command = [str(executable), "--site", str(site), "--output-path", str(index), "--silent"]
    command += ["--force-language", config.language.split("-")[0].lower()]
    if not config.directory_urls:
        command.append("--keep-index-url")
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise search_error(config, str(error)) from None
    if result.returncode != 0:
        output = " ".join((result.stderr or result.stdout).split())
        raise search_error(config, f"pagefind exited {result.returncode}: {output}")


def search_error(config: SiteConfig, reason: str) -> BuildError:
    message = f"cannot build the search index: {reason}; run `make build` to reinstall "
    message += "the dependencies, or set `search: false` in site.yaml"
    return BuildError([Problem(path=config.path, line=None, message=message)])
