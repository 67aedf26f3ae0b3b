"""The pipeline: load -> extract -> link -> render -> write."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .config import SiteConfig
from .errors import BuildError, Problem
from .extract import extract
from .link import build_graph
from .load import read_articles
from .model import Article, Briefing, ExtractSettings
from .outputs import render_outputs
from .render import THEME_STATIC, Renderer
from .write import WriteSummary, read_static, write_site

Report = Callable[[str], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    briefings: int
    pages: int  # HTML pages
    write: WriteSummary
    seconds: float
    warnings: tuple[Problem, ...] = ()


def build(config: SiteConfig, stats_path: Path | None = None, strict: bool = False) -> BuildResult:
    """Build the whole site; on any BuildError the previous site is left untouched.

    Warnings (such as a link to a briefing that does not exist) are returned;
    with `strict` they fail the build before anything is written.
    """
    started = time.perf_counter()
    check_output_dir(config)
    articles = read_articles(config.content_dir, config.include_drafts)
    briefings = extract_all(articles, config.extract)
    graph = build_graph(briefings, config.related)
    renderer = Renderer(config, graph)
    pages = renderer.render_all()
    if strict and renderer.problems:
        raise BuildError([replace(p, warning=False) for p in renderer.problems])
    files = {path: html.encode("utf-8") for path, html in pages.items()}
    outputs = render_outputs(config, graph, [p.removesuffix("index.html") for p in pages])
    files.update({path: text.encode("utf-8") for path, text in outputs.items()})
    files.update(read_static(THEME_STATIC))
    files.update(read_static(config.static_dir))  # the site's own files win
    summary = write_site(config.output_dir, files)
    if stats_path is not None:
        write_stats(stats_path, briefings, time.perf_counter() - started)
    return BuildResult(
        briefings=len(briefings),
        pages=len(pages),
        write=summary,
        seconds=time.perf_counter() - started,
        warnings=tuple(renderer.problems),
    )


def extract_all(articles: list[Article], settings: ExtractSettings) -> list[Briefing]:
    return [Briefing(article=a, extraction=extract(a, settings)) for a in articles]


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
