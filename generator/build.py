"""The pipeline: load -> extract -> link -> render -> write."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .cache import read_briefings
from .config import SiteConfig
from .errors import BuildError, Problem
from .link import SiteGraph, build_graph
from .manifest import fingerprint, record, unchanged
from .model import Briefing
from .outputs import render_outputs
from .render import THEME_STATIC, THEME_TEMPLATES, ProgressCallback, Renderer
from .write import SiteWriter, WriteSummary, clean_stale_staging, read_static


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    briefings: int
    pages: int  # HTML pages
    write: WriteSummary
    seconds: float
    warnings: tuple[Problem, ...] = ()


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
    clean_stale_staging(config.output_dir)  # and put back a site a killed build moved aside
    inputs = fingerprint(config, input_folders(config))
    if stats_path is None:
        recorded = unchanged(manifest_path(config), inputs, config.output_dir)
        if recorded is not None:
            return _unchanged_result(recorded, strict, time.perf_counter() - started)
    briefings = read_briefings(
        config.content_dir,
        config.extract,
        cache_dir(config),
        config.include_drafts,
        progress=progress,
    )
    graph = build_graph(briefings, config.related)
    renderer = Renderer(config, graph)
    with SiteWriter(config.output_dir) as writer:
        pages = write_pages(config, graph, renderer, writer, strict, progress)
        summary = writer.commit()
    if stats_path is not None:
        write_stats(stats_path, briefings, time.perf_counter() - started)
    counts = {"briefings": len(briefings), "pages": pages, "files": len(writer.paths)}
    record(manifest_path(config), inputs, config.output_dir, counts, renderer.problems)
    return BuildResult(
        briefings=len(briefings),
        pages=pages,
        write=summary,
        seconds=time.perf_counter() - started,
        warnings=tuple(renderer.problems),
    )


def write_pages(
    config: SiteConfig,
    graph: SiteGraph,
    renderer: Renderer,
    writer: SiteWriter,
    strict: bool,
    progress: ProgressCallback | None,
) -> int:
    """Hand every file of the site to `writer`, each page as soon as it is made;
    returns how many HTML pages there are."""
    paths: list[str] = []
    pages_digest = hashlib.sha256(repr(config.search).encode())
    for path, html in renderer.render_pages(progress):
        writer.add(path, html)
        paths.append(path)
        pages_digest.update(path.encode() + b"\0" + hashlib.sha256(html).digest())
    if strict and renderer.problems:
        raise BuildError([replace(p, warning=False) for p in renderer.problems])
    outputs = render_outputs(config, graph, [p.removesuffix("index.html") for p in paths])
    for path, text in outputs.items():
        writer.add(path, text.encode("utf-8"))
    if config.search:
        for path, data in search_index(config, writer.staging, pages_digest.hexdigest()).items():
            writer.add(path, data)
    static = {**read_static(THEME_STATIC), **read_static(config.static_dir)}  # the site's win
    for path, data in static.items():
        writer.add(path, data)
    return len(paths)


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


def search_index(config: SiteConfig, site: Path, pages_digest: str) -> dict[str, bytes]:
    """The search index of the pages written to `site`, made again only when a
    page's bytes changed (`pages_digest` says)."""
    from .search import index_folder  # only builds with search pay for it

    stored = Path(config.path).parent / ".cache" / "search" / f"{pages_digest}.pickle"
    try:
        cached = pickle.loads(stored.read_bytes())
        if isinstance(cached, dict):
            return cached
    except (OSError, pickle.PickleError, EOFError):
        pass
    index = index_folder(site, config)
    shutil.rmtree(stored.parent, ignore_errors=True)  # one index is all a site needs
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    return index


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


def write_stats(path: Path, briefings: list[Briefing], seconds: float) -> None:
    """Timings for `make eval` and `make bench`; not part of the site."""
    data = {
        "seconds": round(seconds, 4),
        "articles": [
            {
                "source_path": b.article.source_path,
                "slug": b.article.slug,
                "extract_seconds": round(b.extraction.seconds, 6),
            }
            for b in briefings
        ],
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
