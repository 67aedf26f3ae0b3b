"""Content files -> a Summary per article, extracting only what changed, on every core.

Each article's parse and extraction are cached under one key: a hash of its
file's bytes, its path, the extraction settings and the extractor version.
Changed files are extracted in parallel worker processes, which store the
full Briefing in the cache themselves and hand back only its Summary. The
summaries of the whole site are kept together in one index file, so a build
reads one file instead of one per article; a Briefing is loaded again only
while its own page is made. Cache entries no build uses are removed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import marshal
import operator
import os
import pickle
import stat as file_mode
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from .errors import BuildError, Problem
from .extract import EXTRACTOR_VERSION, extract, lexicon
from .load import check_content_dir, check_unique_slugs, parse_file, read_source
from .markdown import links_in, parse_body
from .model import Article, Briefing, DateBrief, EntityBrief, ExtractSettings, Summary

# Below this many articles to extract, starting worker processes costs more than it saves.
PARALLEL_FROM = 40
INDEX_NAME = "summaries.marshal"


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    """One content file to parse and extract in a worker."""

    key: str
    path: Path
    content_dir: Path
    data: bytes | None  # None: read it when needed (the index vouched for the key)
    settings: ExtractSettings
    cache_dir: Path | None  # where the worker stores the Briefing; None: hand it back


@dataclass(slots=True, kw_only=True)
class Corpus:
    """Every article of the site: its Summary, and its Briefing on demand."""

    summaries: list[Summary]  # newest first
    cache_dir: Path | None
    content_dir: Path | None = None  # where the `trusted` paths are
    settings: ExtractSettings = ExtractSettings()  # how to extract them
    jobs: dict[str, Job] = field(default_factory=dict)  # the files read, to make each again
    trusted: dict[str, str] = field(default_factory=dict)  # key -> content path, not read
    held: dict[str, Briefing] = field(default_factory=dict)  # when there is no cache dir
    last: tuple[str, Briefing] | None = None  # the briefing loaded last

    @classmethod
    def of(cls, briefings: Sequence[Briefing]) -> Corpus:
        """Briefings already in memory as a corpus (tests and tools)."""
        keys = [f"held-{number}" for number in range(len(briefings))]
        summaries = [summarise(b, key) for b, key in zip(briefings, keys, strict=True)]
        ordered = sorted(summaries, key=lambda s: (s.date, s.slug), reverse=True)
        return cls(summaries=ordered, cache_dir=None, held=dict(zip(keys, briefings, strict=True)))

    def load(self, summary: Summary) -> Briefing:
        """The full Briefing of `summary`, from the cache (or extracted again if it went)."""
        if self.last is not None and self.last[0] == summary.key:
            return self.last[1]  # a briefing's page and its briefings.json line, one after another
        briefing = self.held.get(summary.key) or _load(self.cache_dir, summary.key)
        if briefing is None:
            result, briefing = run_job(self._job(summary))
            if briefing is None:
                raise BuildError(cast(tuple[Problem, ...], result))
        self.last = (summary.key, briefing)
        return briefing

    def _job(self, summary: Summary) -> Job:
        """How to make the Briefing of `summary` again."""
        if summary.key in self.jobs:
            return self.jobs[summary.key]
        source = self.trusted.get(summary.key)
        if source is None or self.content_dir is None:
            raise KeyError(summary.source_path)
        return Job(key=summary.key, path=self.content_dir / source, content_dir=self.content_dir,
                   data=None, settings=self.settings, cache_dir=self.cache_dir)  # fmt: skip


# The code an extraction depends on: a change to any of it re-extracts every article.
EXTRACTION_CODE = ("extract", "cache.py", "config.py", "errors.py", "load.py", "markdown.py",
                   "model.py", "yaml_source.py")  # fmt: skip


@functools.cache
def code_version(parts: tuple[str, ...] = EXTRACTION_CODE) -> bytes:
    """A hash of the given parts of the generator's code and word lists."""
    digest = hashlib.sha256(EXTRACTOR_VERSION.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if relative.parts[0] not in parts or "__pycache__" in relative.parts:
            continue
        if path.suffix in (".py", ".txt"):
            digest.update(relative.as_posix().encode())
            digest.update(path.read_bytes())
    return digest.digest()


def whole_code_version() -> bytes:
    """A hash of all of the generator's code: what a page depends on."""
    package = Path(__file__).resolve().parent
    return code_version(tuple(sorted({p.relative_to(package).parts[0] for p in package.iterdir()})))


def cache_key(source_path: str, data: bytes, settings: ExtractSettings) -> str:
    digest = hashlib.sha256()
    for part in (code_version(), repr(settings).encode(), source_path.encode(), data):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def summarise(briefing: Briefing, key: str) -> Summary:
    return Summary.of(briefing, key, body_links(briefing.article))


def body_links(article: Article) -> tuple[tuple[str, int], ...]:
    """(href, line) of the body's links; only a body that could link to a .md file is parsed."""
    if ".md" not in article.body and "&" not in article.body:  # "&" may spell a "." or "m"
        return ()
    return tuple(links_in(parse_body(article.body, article.body_line)))


def run_job(job: Job) -> tuple[Summary | tuple[Problem, ...], Briefing | None]:
    """Parse and extract one file; problems are returned, since workers cannot raise them.

    With a cache dir the Briefing is stored there and not handed back, so
    only the small Summary crosses between processes.
    """
    try:
        data = job.data if job.data is not None else read_source(job.path)
        article = parse_file(job.path, job.content_dir, data)
    except BuildError as error:
        return error.problems, None
    briefing = Briefing(article=article, extraction=extract(article, job.settings))
    if job.cache_dir is not None:
        _store(job.cache_dir, job.key, briefing)
    return summarise(briefing, job.key), briefing


def _run_in_worker(job: Job) -> tuple[Summary | tuple[Problem, ...], Briefing | None]:
    result, briefing = run_job(job)
    return result, (None if job.cache_dir is not None else briefing)  # stored: not sent back


def read_corpus(
    content_dir: Path,
    settings: ExtractSettings,
    cache_dir: Path | None,
    include_drafts: bool = False,
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Corpus:
    """Every article of the content dir summarised, newest first."""
    check_content_dir(content_dir)
    version = hashlib.sha256(code_version() + repr(settings).encode()).hexdigest()
    index = _read_index(cache_dir, version)
    stats = index.stats
    corpus = Corpus(summaries=[], cache_dir=cache_dir, content_dir=content_dir, settings=settings)
    found: dict[str, Summary] = {}
    seen: Stats = {}
    problems: list[Problem] = []
    folder = os.path.join(content_dir, "")  # with a separator at the end
    for relative in find_sources(content_dir):
        try:
            stat = os.stat(folder + relative)
            if not file_mode.S_ISREG(stat.st_mode):
                continue
            known = stats.get(relative)
            if (
                known
                and known[:2] == (stat.st_size, stat.st_mtime_ns)
                and known[2] in index.summaries
            ):
                key = known[2]  # same size and time as when it was read: not read
                corpus.trusted[key] = relative
            else:
                path = content_dir / relative
                data = read_source(path)
                key = cache_key(relative, data, settings)
                corpus.jobs[key] = Job(key=key, path=path, content_dir=content_dir, data=data,
                                       settings=settings, cache_dir=cache_dir)  # fmt: skip
        except BuildError as error:
            problems.extend(error.problems)
            continue
        except OSError:  # gone since it was listed
            continue
        seen[relative] = (stat.st_size, stat.st_mtime_ns, key)
        summary = index.summaries.get(key) or _summary_from_entry(cache_dir, key)
        if summary is not None:
            found[key] = summary
    todo = [job for key, job in corpus.jobs.items() if key not in found]
    lexicon.keep_tables_in(cache_dir)
    for done, (job, result) in enumerate(zip(todo, _run_all(todo, workers), strict=True), 1):
        if progress and (done % 50 == 0 or done == len(todo)):
            progress("extracting articles", done, len(todo))
        made, briefing = result
        if isinstance(made, Summary):
            found[job.key] = made
            if briefing is not None:  # no cache dir: kept in memory
                corpus.held[job.key] = briefing
        else:
            problems.extend(made)
    summaries = [s for s in found.values() if include_drafts or not s.draft]
    problems.extend(check_unique_slugs(cast(list[Article], summaries), content_dir))
    if problems:
        raise BuildError(problems)
    if found.keys() != index.summaries.keys() or seen != stats:
        whole = _write_index(cache_dir, version, found, seen, index)
        _prune(cache_dir, set(found), set() if whole else set(index.summaries) - set(found))
    corpus.summaries = sorted(summaries, key=operator.attrgetter("date", "slug"), reverse=True)
    return corpus


def find_sources(content_dir: Path) -> list[str]:
    """The paths `find_articles` finds, relative and in POSIX form, in the same order,
    but for names that are not regular files (a broken link), which the caller's
    stat drops. Plain strings: ten thousand Path objects are slow to make and sort.
    """
    top = os.fspath(content_dir)
    found: list[str] = []
    for folder, _, names in os.walk(top):  # like rglob, not into linked folders
        prefix = folder[len(top) + 1 :].replace(os.sep, "/")
        found.extend(f"{prefix}/{name}" if prefix else name for name in names
                     if name.endswith(".md"))  # fmt: skip
    return sorted(found, key=lambda path: path.split("/"))  # as Paths sort: part by part


def read_briefings(
    content_dir: Path,
    settings: ExtractSettings,
    cache_dir: Path | None,
    include_drafts: bool = False,
    workers: int | None = None,
) -> list[Briefing]:
    """Every article with its full extraction, newest first (small sites and tools)."""
    corpus = read_corpus(content_dir, settings, cache_dir, include_drafts, workers)
    return [corpus.load(s) for s in corpus.summaries]


def _run_all(
    jobs: Sequence[Job], workers: int | None
) -> Iterator[tuple[Summary | tuple[Problem, ...], Briefing | None]]:
    count = workers or os.cpu_count() or 1
    if len(jobs) < PARALLEL_FROM or count < 2:
        yield from map(_run_in_worker, jobs)
        return
    with ProcessPoolExecutor(max_workers=count) as pool:
        # Small chunks keep both cores busy to the end and progress moving.
        chunk = max(1, min(16, len(jobs) // (count * 8)))
        yield from pool.map(_run_in_worker, jobs, chunksize=chunk)


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


def _summary_from_entry(cache_dir: Path | None, key: str) -> Summary | None:
    briefing = _load(cache_dir, key)
    return summarise(briefing, key) if briefing is not None else None


def _store(cache_dir: Path, key: str, value: object) -> None:
    path = _entry(cache_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)  # a reader never sees half a file


Stats = dict[str, tuple[int, int, str]]  # content path -> (size, mtime_ns, cache key)
DELTA_NAME = "summaries-delta.marshal"  # what changed since the index was last written whole
FORMER_NAMES = ("summaries.pickle", "summaries-delta.pickle")  # the index before marshal


@dataclass(slots=True)
class Index:
    """The summaries the cache holds, and the size and time of each file when its
    key was worked out (trusted only under the same code and settings).

    On disk it is a whole file plus a small one of the changes since, so a
    rebuild after one edit does not write the summaries of the whole site.
    Both hold plain values, which marshal reads faster than pickle reads named
    tuples; marshal's format may change with Python's, so the whole file
    records the version that wrote it.
    """

    summaries: dict[str, Summary] = field(default_factory=dict)
    stats: Stats = field(default_factory=dict)
    token: str | None = None  # names the whole file the changes are made against
    whole: frozenset[str] = frozenset()  # the keys in the whole file


_INDEX_ERRORS = (OSError, pickle.PickleError, EOFError, AttributeError, TypeError, ValueError,
                 KeyError, IndexError)  # fmt: skip


def _read_index(cache_dir: Path | None, version: str) -> Index:
    if cache_dir is None:
        return Index()
    # A big index is hundreds of thousands of tuples: build.py holds the cycle
    # collector off while they are made (see _collector_for_build).
    index = _read_whole(cache_dir / INDEX_NAME, version)
    if index.token is not None:
        _apply_delta(index, cache_dir / DELTA_NAME, version)
    return index


def _read_whole(path: Path, version: str) -> Index:
    try:
        whole = marshal.loads(path.read_bytes())
        if (whole["version"], whole["python"]) != (version, sys.version_info[:2]):
            return Index()  # other code or settings: none of its keys can match
        summaries = _summaries(whole["summaries"])
        return Index(summaries=summaries, stats=whole["stats"], token=whole["token"],
                     whole=frozenset(summaries))  # fmt: skip
    except _INDEX_ERRORS:
        return Index()


def _apply_delta(index: Index, path: Path, version: str) -> None:
    try:
        delta = marshal.loads(path.read_bytes())
        if (delta["token"], delta["version"]) != (index.token, version):
            return  # made against an older whole file
        added, removed, stats = _summaries(delta["added"]), list(delta["removed"]), delta["stats"]
    except _INDEX_ERRORS:
        return
    for key in removed:
        index.summaries.pop(key, None)
    index.summaries.update(added)
    index.stats = stats


def _write_index(
    cache_dir: Path | None, version: str, summaries: dict[str, Summary], stats: Stats, old: Index
) -> bool:
    """Record the summaries: the changes against the whole file while they are few.
    Says whether the whole file was written."""
    if cache_dir is None:
        return False
    cache_dir.mkdir(parents=True, exist_ok=True)
    added = [_plain(v) for k, v in summaries.items() if k not in old.whole]
    removed = old.whole - set(summaries)
    if old.token is not None and len(added) + len(removed) <= max(50, len(summaries) // 20):
        delta: dict[str, object] = {"token": old.token, "version": version, "added": added,
                                    "removed": removed, "stats": stats}  # fmt: skip
        _write_atomic(cache_dir / DELTA_NAME, marshal.dumps(delta))
        return False
    value = {"token": os.urandom(16).hex(), "version": version, "python": sys.version_info[:2],
             "summaries": [_plain(s) for s in summaries.values()], "stats": stats}  # fmt: skip
    _write_atomic(cache_dir / INDEX_NAME, marshal.dumps(value))
    for name in (DELTA_NAME, *FORMER_NAMES):
        (cache_dir / name).unlink(missing_ok=True)
    return True


# Where a Summary holds values marshal cannot store.
_DATE, _DATETIME, _ENTITIES, _DATES = map(
    Summary._fields.index, ("date", "datetime", "entities", "dates")
)
_new = tuple.__new__  # makes a named tuple from a list with no Python call per field


def _plain(summary: Summary) -> list[object]:
    """A Summary as values marshal stores: dates as day numbers, named tuples as
    plain ones, and the rare datetime (it may carry a time zone) pickled."""
    values: list[object] = list(summary)
    values[_DATE] = summary.date.toordinal()
    values[_DATETIME] = None if summary.datetime is None else pickle.dumps(summary.datetime)
    values[_ENTITIES] = [tuple(entity) for entity in summary.entities]
    values[_DATES] = [(d.date.toordinal(), d.precision, d.event, d.sentence) for d in summary.dates]
    return values


def _summaries(rows: list[list[Any]]) -> dict[str, Summary]:
    """The summaries of `_plain` rows, by key."""
    day = dt.date.fromordinal
    summaries: dict[str, Summary] = {}
    for values in rows:
        values[_DATE] = day(values[_DATE])
        if values[_DATETIME] is not None:
            values[_DATETIME] = pickle.loads(values[_DATETIME])
        values[_ENTITIES] = tuple([_new(EntityBrief, entity) for entity in values[_ENTITIES]])
        values[_DATES] = tuple([_new(DateBrief, (day(d[0]), *d[1:])) for d in values[_DATES]])
        summary = _new(Summary, values)
        summaries[summary.key] = summary
    return summaries


def _prune(cache_dir: Path | None, keep: set[str], gone: set[str]) -> None:
    """Remove the entries of `gone`, or with none given every entry not kept."""
    if cache_dir is None or not cache_dir.is_dir():
        return
    if gone:
        for key in gone:
            _entry(cache_dir, key).unlink(missing_ok=True)
        return
    for path in cache_dir.glob("*/*.pickle"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)
