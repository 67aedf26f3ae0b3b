"""Content files -> Briefings, extracting only what changed, on every core.

Each article's parse and extraction are cached under one key: a hash of its
file's bytes, its path, the extraction settings and the extractor version.
An unchanged file is loaded from the cache; changed ones are extracted in
parallel worker processes. Cache entries no build uses are removed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, Problem
from .extract import EXTRACTOR_VERSION, extract
from .load import check_content_dir, check_unique_slugs, find_articles, parse_file, read_source
from .model import Briefing, ExtractSettings

# Below this many articles to extract, starting worker processes costs more than it saves.
PARALLEL_FROM = 40


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    """One content file to parse and extract in a worker."""

    path: Path
    content_dir: Path
    data: bytes
    settings: ExtractSettings


@functools.cache
def code_version() -> bytes:
    """A hash of the generator's own code and word lists: a new version re-extracts."""
    digest = hashlib.sha256(EXTRACTOR_VERSION.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".txt") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.digest()


def cache_key(source_path: str, data: bytes, settings: ExtractSettings) -> str:
    digest = hashlib.sha256()
    for part in (code_version(), repr(settings).encode(), source_path.encode(), data):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def run_job(job: Job) -> Briefing | tuple[Problem, ...]:
    """Parse and extract one file; problems are returned, since workers cannot raise them."""
    try:
        article = parse_file(job.path, job.content_dir, job.data)
    except BuildError as error:
        return error.problems
    return Briefing(article=article, extraction=extract(article, job.settings))


def read_briefings(
    content_dir: Path,
    settings: ExtractSettings,
    cache_dir: Path | None,
    include_drafts: bool = False,
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Briefing]:
    """Every article of the content dir with its extraction, newest first."""
    check_content_dir(content_dir)
    jobs: dict[str, Job] = {}
    found: dict[str, Briefing] = {}
    problems: list[Problem] = []
    for path in find_articles(content_dir):
        try:
            data = read_source(path)
        except BuildError as error:
            problems.extend(error.problems)
            continue
        key = cache_key(path.relative_to(content_dir).as_posix(), data, settings)
        cached = _load(cache_dir, key)
        if cached is None:
            jobs[key] = Job(path=path, content_dir=content_dir, data=data, settings=settings)
        else:
            found[key] = cached
    results = _run_all(list(jobs.values()), workers)
    for done, (key, result) in enumerate(zip(jobs, results, strict=True), start=1):
        if progress and (done % 50 == 0 or done == len(jobs)):
            progress("extracting articles", done, len(jobs))
        if isinstance(result, Briefing):
            found[key] = result
            _store(cache_dir, key, result)
        else:
            problems.extend(result)
    briefings = [b for b in found.values() if include_drafts or not b.article.draft]
    problems.extend(check_unique_slugs((b.article for b in briefings), content_dir))
    if problems:
        raise BuildError(problems)
    _prune(cache_dir, set(found))
    return sorted(briefings, key=lambda b: (b.article.date, b.article.slug), reverse=True)


def _run_all(jobs: Sequence[Job], workers: int | None) -> Iterator[Briefing | tuple[Problem, ...]]:
    count = workers or os.cpu_count() or 1
    if len(jobs) < PARALLEL_FROM or count < 2:
        yield from map(run_job, jobs)
        return
    with ProcessPoolExecutor(max_workers=count) as pool:
        # Small chunks keep both cores busy to the end and progress moving.
        yield from pool.map(run_job, jobs, chunksize=max(1, min(16, len(jobs) // (count * 8))))


def _entry(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.pickle"


def _load(cache_dir: Path | None, key: str) -> Briefing | None:
    if cache_dir is None:
        return None
    try:
        with _entry(cache_dir, key).open("rb") as file:
            value = pickle.load(file)
    except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError):
        return None  # missing or from an older layout: extract again
    return value if isinstance(value, Briefing) else None


def _store(cache_dir: Path | None, key: str, briefing: Briefing) -> None:
    if cache_dir is None:
        return
    path = _entry(cache_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(pickle.dumps(briefing, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, path)  # a reader never sees half an entry


def _prune(cache_dir: Path | None, keep: set[str]) -> None:
    if cache_dir is None or not cache_dir.is_dir():
        return
    for path in cache_dir.glob("*/*.pickle"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)
