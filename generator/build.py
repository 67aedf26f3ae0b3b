"""The pipeline: load -> extract -> link -> render -> write.

A build remembers what it made (`State`, kept in .cache): each page's
signature, the place of each briefing in briefings.json and the search
index shards. The next build into the same, untouched output makes again
only the pages whose signature changed, and writes only changed files.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import mmap
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, NamedTuple

from .cache import Corpus, read_corpus
from .config import SiteConfig
from .errors import BuildError, Problem
from .link import SiteGraph, build_graph
from .manifest import fingerprint, output_stamp, record, unchanged
from .outputs import briefing_json, briefings_json_frame, site_outputs
from .render import THEME_STATIC, THEME_TEMPLATES, Page, ProgressCallback, Renderer, path_to_file
from .search import DocumentFolder, document_folder
from .write import SiteWriter, WriteSummary, clean_stale_staging, read_static


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    briefings: int
    pages: int  # HTML pages
    write: WriteSummary
    seconds: float
    warnings: tuple[Problem, ...] = ()


@dataclass(slots=True, kw_only=True)
class State:
    """What a build left in the output dir, for the next build to start from."""

    stamp: str = ""  # manifest.output_stamp of the output it describes
    pages: dict[str, str] = field(default_factory=dict)  # HTML file -> page signature
    searchable: dict[str, str] = field(default_factory=dict)  # file -> search signature
    entries: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    # ^ briefing slug -> (page signature, offset, length) of its line in briefings.json
    shards: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # ^ search index folder -> (signature, its files)
    outputs: dict[str, str] = field(default_factory=dict)  # feed path -> signature
    files: set[str] = field(default_factory=set)  # every file of the site


def build(
    config: SiteConfig,
    stats_path: Path | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
) -> BuildResult:
    """Build the whole site; on any BuildError the previous site is left untouched.

    Warnings (such as a link to a briefing that does not exist) are returned;
    with `strict` they fail the build before anything is written.
    """
    started = time.perf_counter()
    check_output_dir(config)
    clean_stale_staging(config.output_dir)  # and finish or undo what a killed build left
    inputs = fingerprint(config, input_folders(config))
    if stats_path is None:
        recorded = unchanged(manifest_path(config), inputs, config.output_dir)
        if recorded is not None:
            return _unchanged_result(recorded, strict, time.perf_counter() - started)
    with _collector_for_build() as settled:
        corpus = read_corpus(
            config.content_dir,
            config.extract,
            cache_dir(config),
            config.include_drafts,
            progress=progress,
        )
        graph = build_graph(corpus.summaries, config.related)
        renderer = Renderer(config, graph, corpus.load)
        settled()
        if strict and renderer.problems:
            raise BuildError([replace(p, warning=False) for p in renderer.problems])
        before = read_state(state_path(config), config.output_dir)
        with SiteWriter(config.output_dir, before.files if before else None) as writer:
            after = write_pages(config, graph, renderer, corpus, writer, before, progress)
            summary = writer.commit()
    after.stamp, after.files = output_stamp(config.output_dir), writer.paths
    write_state(state_path(config), after)
    if stats_path is not None:
        write_stats(stats_path, corpus, time.perf_counter() - started)
    pages = len(after.pages)
    counts = {"briefings": len(graph.briefings), "pages": pages, "files": len(writer.paths)}
    record(manifest_path(config), inputs, config.output_dir, counts, renderer.problems)
    return BuildResult(
        briefings=len(graph.briefings),
        pages=pages,
        write=summary,
        seconds=time.perf_counter() - started,
        warnings=tuple(renderer.problems),
    )


@contextlib.contextmanager
def _collector_for_build() -> Iterator[Callable[[], None]]:
    """Hold the cycle collector off while the corpus and the site graph are made,
    then (when the block calls the function it is given) file them as permanent
    for the rest of the build.

    They are hundreds of thousands of tuples that hold no cycles and live as
    long as the build, yet each full collection scanned them all: about a
    second of a ten-thousand-article rebuild. Left frozen, the collector
    still looks after everything made later, such as the pages' contexts.
    """
    enabled, frozen = gc.isenabled(), gc.get_freeze_count() > 0
    froze = False

    def settled() -> None:
        nonlocal froze
        if not frozen:  # never thaw what someone else froze
            gc.freeze()
            froze = True
        if enabled:
            gc.enable()

    gc.disable()
    try:
        yield settled
    finally:
        if froze:
            gc.unfreeze()
        if enabled:
            gc.enable()


def write_pages(
    config: SiteConfig,
    graph: SiteGraph,
    renderer: Renderer,
    corpus: Corpus,
    writer: SiteWriter,
    before: State | None,
    progress: ProgressCallback | None,
) -> State:
    """Hand every file of the site to `writer`, each page as soon as it is made
    (or kept, when its signature says it is as `before` left it)."""
    before = before or State()
    after = State()
    entries = _Entries(config, writer.output_dir / "briefings.json" if before.entries else None)
    site_entities = {e.key: e for e in graph.entities}
    documents: contextlib.AbstractContextManager[DocumentFolder | None] = contextlib.nullcontext()
    if config.search:
        documents = document_folder(len(renderer.search_indexes()))

    def entry_of(page: Page) -> bytes | None:
        if page.briefing is None:
            return None
        return briefing_json(config, graph, site_entities, corpus.load(page.briefing))

    with documents as folder, entries:

        def made(page: Page, html: bytes) -> _Made:  # in the process that made the page
            searchable = folder.write(path_to_file(page.path), html) if folder else None
            return _Made(entry=entry_of(page), searchable=searchable)

        for done in renderer.render_pages(progress, before.pages, made):
            file, page = done.file, done.page
            after.pages[file] = done.signature
            if done.html is None:
                writer.keep(file)
                if file in before.searchable:
                    after.searchable[file] = before.searchable[file]
            else:
                assert done.extra is not None
                writer.add(file, done.html)
                if done.extra.searchable is not None:
                    after.searchable[file] = done.extra.searchable
            if page.briefing is not None:
                old = before.entries.get(page.briefing.slug)
                if old is not None and old[0] == done.signature:
                    entries.reuse(page.briefing.slug, done.signature, old[1], old[2])
                else:
                    entry = done.extra.entry if done.extra is not None else entry_of(page)
                    assert entry is not None
                    entries.add(page.briefing.slug, done.signature, entry)
        indexing: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
        if folder is not None:
            indexing = search_index(config, renderer, writer, before, after, folder)
        with indexing:  # the feeds and briefings.json are written meanwhile
            write_outputs(config, graph, renderer, writer, before, after)
            entries.write(writer, after.entries)
    static = {**read_static(THEME_STATIC), **read_static(config.static_dir)}  # the site's win
    for path, data in static.items():
        writer.add(path, data)
    return after


def write_outputs(
    config: SiteConfig,
    graph: SiteGraph,
    renderer: Renderer,
    writer: SiteWriter,
    before: State,
    after: State,
) -> None:
    """Feeds, the sitemap and the other files that are not pages or briefings.json."""
    paths = [file.removesuffix("index.html") for file in after.pages]
    for output in site_outputs(config, graph, paths):
        if output.inputs is not None:
            data = pickle.dumps((output.path, output.inputs), pickle.HIGHEST_PROTOCOL)
            signature = hashlib.sha256(renderer.digest + data).hexdigest()
            after.outputs[output.path] = signature
            if before.outputs.get(output.path) == signature:
                writer.keep(output.path)
                continue
        writer.add(output.path, output.make().encode("utf-8"))


class _Made(NamedTuple):
    """What the process that makes a page makes of it besides its HTML."""

    entry: bytes | None  # its line in briefings.json, for a briefing page
    searchable: str | None  # the hash of its searchable document (DocumentFolder.write)


class _Entries:
    """briefings.json in the making: each briefing's line either new, or the
    unchanged line of the file the last build wrote.

    The file runs to a hundred megabytes on a big site, so it is assembled
    from pieces: runs of unchanged lines are copied from the old file as
    they lie there, and it is not written at all when no byte changed.
    """

    def __init__(self, config: SiteConfig, old: Path | None) -> None:
        self.config, self.old_path = config, old
        self.spool: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __exit__
        self.old_file: IO[bytes] | None = None
        self.old: mmap.mmap | bytes = b""
        self.order: list[tuple[str, str, bool, int, int]] = []  # slug, signature, new?, at, length

    def __enter__(self) -> _Entries:
        if self.old_path is not None and self.old_path.stat().st_size:
            self.old_file = self.old_path.open("rb")
            self.old = mmap.mmap(self.old_file.fileno(), 0, access=mmap.ACCESS_READ)
        return self

    def __exit__(self, *_: object) -> None:
        if isinstance(self.old, mmap.mmap):
            self.old.close()
        if self.old_file is not None:
            self.old_file.close()
        self.spool.close()

    def add(self, slug: str, signature: str, entry: bytes) -> None:
        self.order.append((slug, signature, True, self.spool.tell(), len(entry)))
        self.spool.write(entry)

    def reuse(self, slug: str, signature: str, offset: int, length: int) -> None:
        self.order.append((slug, signature, False, offset, length))

    def write(self, writer: SiteWriter, placed: dict[str, tuple[str, int, int]]) -> None:
        """Hand the file to `writer`; `placed` is filled with where each line went."""
        pieces = self._pieces(placed)
        if self._unchanged(pieces):
            writer.add_unchanged("briefings.json")
        else:
            writer.add_filled("briefings.json", lambda file: self._fill(file, pieces))

    def _pieces(self, placed: dict[str, tuple[str, int, int]]) -> list[bytes | tuple[int, int]]:
        """The new file as bytes and (start, end) ranges of the old file, in order."""
        self.spool.flush()
        self.spool.seek(0)
        spooled = self.spool.read()
        head, first, between, tail = briefings_json_frame(self.config)
        pieces: list[bytes | tuple[int, int]] = [head]
        position = len(head)
        for number, (slug, signature, new, at, length) in enumerate(self.order):
            separator = between if number else first
            position += len(separator)
            placed[slug] = (signature, position, length)
            position += length
            last = pieces[-1]
            if new:
                pieces.append(separator + spooled[at : at + length])
            elif isinstance(last, tuple) and self.old[last[1] : at] == separator:
                pieces[-1] = (last[0], at + length)  # the line after the last one copied
            else:
                pieces += [separator, (at, at + length)]
        pieces.append(tail)
        return pieces

    def _unchanged(self, pieces: list[bytes | tuple[int, int]]) -> bool:
        """Whether the pieces make the old file again, byte for byte."""
        position = 0
        for piece in pieces:
            if isinstance(piece, tuple):
                if piece[0] != position:
                    return False
                position = piece[1]
            else:
                if self.old[position : position + len(piece)] != piece:
                    return False
                position += len(piece)
        return position == len(self.old)

    def _fill(self, file: IO[bytes], pieces: list[bytes | tuple[int, int]]) -> None:
        for piece in pieces:
            if isinstance(piece, bytes):
                file.write(piece)
                continue
            file.flush()
            start, end = piece
            while start < end:
                copied = _copy_range(self.old_file, self.old, file, start, end)
                start += copied


def _copy_range(source: IO[bytes] | None, data: mmap.mmap | bytes, target: IO[bytes],
                start: int, end: int) -> int:  # fmt: skip
    """Copy bytes start..end of `source` (whose contents are `data`) to the end of
    `target`, in the kernel where it can; says how many bytes it copied."""
    if source is not None and hasattr(os, "copy_file_range"):
        try:
            copied = os.copy_file_range(source.fileno(), target.fileno(), end - start, start)
            if copied > 0:
                target.seek(0, os.SEEK_END)
                return copied
        except OSError:
            pass  # not between these files: copy through memory
    target.write(data[start:end])
    return end - start


@contextlib.contextmanager
def search_index(
    config: SiteConfig,
    renderer: Renderer,
    writer: SiteWriter,
    before: State,
    after: State,
    documents: DocumentFolder,
) -> Iterator[None]:
    """The search index, in shards, made while the block runs and handed to
    `writer` when it ends; a shard whose pages did not change is kept.
    `documents` holds the documents of the pages made in this build."""
    from .search import index_pages, shard_of  # only builds with search pay for it

    todo: dict[str, tuple[str, int, dict[str, Path]]] = {}  # folder -> (signature, shard, pages)
    folders = renderer.search_indexes() if after.searchable else []  # Pagefind needs pages
    shards: list[dict[str, str]] = [{} for _ in folders]
    for file, signature in sorted(after.searchable.items()):
        shards[shard_of(file, len(folders))][file] = signature
    for number, (folder, pages) in enumerate(zip(folders, shards, strict=True)):
        digest = hashlib.sha256(renderer.digest + folder.encode())
        digest.update(json.dumps(pages, sort_keys=True).encode())
        signature = digest.hexdigest()
        old = before.shards.get(folder)
        if old is not None and old[0] == signature:
            for path in old[1]:
                writer.keep(path)
            after.shards[folder] = old
        else:
            todo[folder] = (signature, number, {f: writer.current(f) for f in pages})

    def index(folder: str) -> dict[str, bytes]:
        _, number, pages = todo[folder]
        return index_pages(pages, documents.shard(number), folder, config) if pages else {}

    # Pagefind works on one core: shards are indexed side by side, one per core,
    # in threads that mostly wait for it while this one goes on with the block.
    pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
    try:
        indexed = [pool.submit(index, folder) for folder in todo]
        yield
        for folder, future in zip(todo, indexed, strict=True):
            files = future.result()
            for path, data in files.items():
                writer.add(path, data)
            after.shards[folder] = (todo[folder][0], tuple(files))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def input_folders(config: SiteConfig) -> list[Path]:
    return [config.content_dir, config.templates_dir, config.static_dir, THEME_TEMPLATES,
            THEME_STATIC]  # fmt: skip


def manifest_path(config: SiteConfig) -> Path:
    """One record per output dir, so builds to different places do not clash."""
    name = hashlib.sha256(str(config.output_dir.resolve()).encode()).hexdigest()[:16]
    return Path(config.path).parent / ".cache" / f"manifest-{name}.json"


def _unchanged_result(recorded: dict[str, Any], strict: bool, seconds: float) -> BuildResult:
    """What a build reports when its inputs and output are as the last build left them."""
    warnings = tuple(Problem(path=w["path"], line=w["line"], message=w["message"], warning=True)
                     for w in recorded.get("warnings", []))  # fmt: skip
    if strict and warnings:
        raise BuildError([replace(w, warning=False) for w in warnings])
    counts = recorded.get("summary", {})
    return BuildResult(
        briefings=int(counts.get("briefings", 0)),
        pages=int(counts.get("pages", 0)),
        write=WriteSummary(written=0, unchanged=int(counts.get("files", 0)), removed=0),
        seconds=seconds,
        warnings=warnings,
    )


def state_path(config: SiteConfig) -> Path:
    manifest = manifest_path(config)
    return manifest.with_name(manifest.stem.replace("manifest", "state", 1) + ".pickle")


def read_state(path: Path, output_dir: Path) -> State | None:
    """The state the last build left, if the output is still the one it describes."""
    try:
        state = pickle.loads(path.read_bytes())
    except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError, ValueError):
        return None
    if not isinstance(state, State) or not state.stamp or state.stamp != output_stamp(output_dir):
        return None
    return state


def write_state(path: Path, state: State) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    temporary.replace(path)


def cache_dir(config: SiteConfig) -> Path:
    """Where extraction results are kept between builds (`make clean` removes it)."""
    return Path(config.path).parent / ".cache" / "extract"


def check_output_dir(config: SiteConfig) -> None:
    """Refuse to replace a folder that is not a site we built, or holds our sources."""
    output = config.output_dir.resolve()
    sources = [config.content_dir.resolve(), Path(config.path).resolve().parent]
    if any(output == s or output in s.parents for s in sources):
        raise BuildError(
            [
                Problem(
                    path=config.path,
                    line=None,
                    message=(
                        f"output dir {config.output_dir} would replace the site's own sources; "
                        "set `output_dir` to a folder of its own, such as _site"
                    ),
                )
            ]
        )
    if output.is_dir() and any(output.iterdir()) and not (output / "briefings.json").exists():
        raise BuildError(
            [
                Problem(
                    path=config.path,
                    line=None,
                    message=(
                        f"output dir {config.output_dir} exists and is not a briefing site; "
                        "empty it or choose another `output_dir`"
                    ),
                )
            ]
        )


def write_stats(path: Path, corpus: Corpus, seconds: float) -> None:
    """Timings for `make eval` and `make bench`; not part of the site."""
    data = {
        "seconds": round(seconds, 4),
        "articles": [
            {
                "source_path": b.source_path,
                "slug": b.slug,
                "extract_seconds": round(b.seconds, 6),
            }
            for b in corpus.summaries
        ],
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
