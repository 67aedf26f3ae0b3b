"""Site graph -> {site path: HTML}: template contexts, built as plain dicts.

The contexts are documented in docs/site-layout.md; templates rely on nothing else.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import marshal
import multiprocessing as mp
import operator
import os
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup

from .config import SiteConfig
from .errors import BuildError, Problem
from .link import (
    ENTITY_SECTIONS,
    Appearance,
    SiteEntity,
    SiteGraph,
    SiteTag,
    TimelineEvent,
    every_entity,
    site_keys,
)
from .markdown import Span, parse_body, render_body
from .model import Briefing, KeyFact, Summary
from .structured import ArticleFacts, LinkedEntity, build_news_article, json_for_script

Context = dict[str, Any]
_Item = TypeVar("_Item")
_Extra = TypeVar("_Extra")  # what render_pages' `extra` makes of a page
ProgressCallback = Callable[[str, int, int], None]  # (stage, done, total)
Loader = Callable[[Summary], Briefing]  # a briefing's full extraction, read when its page is made
_LABELS = {"person": "Person", "organization": "Organisation", "place": "Place"}
_GROUP_LABELS = {"person": "People", "organization": "Organisations", "place": "Places"}
NAV = (
    ("Briefings", ""),
    ("Topics", "tags/"),
    ("Who and what", "entities/"),
    ("Timeline", "timeline/"),
)
CARD_TAGS = 5  # tags shown with a briefing in a list; its own page shows them all
SEARCH_PATH = "search/"  # the search page, when site.yaml does not turn search off
# Meta descriptions for link previews when neither the page nor site.yaml gives one.
_DESCRIPTIONS = {
    "home": "The latest briefings.",
    "tags": "Every topic of the briefings, with how many briefings carry it.",
    "entities": "People, organisations and places named in the briefings.",
    "timeline": "Dates the briefings mention, each linked to where it is said.",
    "404": "There is no page at this address.",
}


@functools.lru_cache(maxsize=1 << 16)  # a big site shows the same few thousand dates often
def display_date(date: dt.date, precision: str = "day") -> str:
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{date:%B %Y}"
    return f"{date.day} {date:%B %Y}"


@dataclass(frozen=True, slots=True)
class Urls:
    """Turns site paths into hrefs that work at a domain root and under a subpath."""

    base_url: str
    directory_urls: bool = True

    def absolute(self, path: str) -> str:
        return self.base_url + path

    def relative(self, page: str, target: str) -> str:
        """href from the page at site path `page` to site path `target`."""
        if page == "404.html":  # served at any path, so it cannot link relatively
            href = urlsplit(self.base_url).path + target
        else:
            href = relative_path(page, target)
        if not self.directory_urls and (href.endswith("/")):
            href += "index.html"
        return href


@dataclass(frozen=True, slots=True)
class PageUrl:
    """url() in the template of the page at site path `page`."""

    urls: Urls
    page: str

    def __call__(self, target: str) -> str:
        return self.urls.relative(self.page, target)


def relative_path(page: str, target: str) -> str:
    """Path from the page at site path `page` to site path `target`.

    Climbs out of the page's folders not shared with the target, then descends;
    done by hand because posixpath.relpath is slow at scale."""
    folders = page_folders(page)
    if not folders.names or not target.startswith(folders.first):
        return folders.climb + target or "./"  # nothing shared: most links of a page
    here, there = folders.names, target.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:]) or "./"


class Folders(NamedTuple):
    """The folders a page is in, worked out once for all of its links."""

    names: tuple[str, ...]  # "briefings", "x" for the page at "briefings/x/"
    first: str  # the first of them with its slash: "briefings/"
    climb: str  # "../" for each of them


@functools.lru_cache(maxsize=1 << 10)  # pages are made one after another
def page_folders(page: str) -> Folders:
    folder = page if page.endswith("/") else page.rpartition("/")[0]
    names = tuple(part for part in folder.split("/") if part)
    return Folders(names=names, first=names[0] + "/" if names else "", climb="../" * len(names))


# The bundled theme; a site's own templates_dir overrides it file by file.
THEME_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
THEME_STATIC = Path(__file__).resolve().parent.parent / "static"


class _Context(jinja2.runtime.Context):
    """A template context that calls url() and macros straight away.

    Jinja's Context.call first looks on whatever a template calls for a mark
    asking for the context or the environment, which takes three times as long
    as url() itself, and a briefing page makes some forty url() and a dozen
    macro calls. A macro is handed jinja's evaluation context, as Context.call
    would hand it; url() takes nothing from jinja."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # named as in jinja
        kind = type(__obj)
        if kind is not PageUrl and kind is not jinja2.runtime.Macro:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)  # jinja's bookkeeping, dropped as Context.call drops it
        kwargs.pop("_loop_vars", None)
        if kind is jinja2.runtime.Macro:
            args = (__self.eval_ctx, *args)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # from deep inside a macro: what Context.call makes of it
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class _Environment(jinja2.Environment):
    """A jinja environment that reads `x.name` of a plain dict as `x["name"]` at once.

    Jinja tries an attribute first and a key only when that fails, and a failed
    attribute lookup costs an exception: on dicts, which every context is, that
    was a third of a page's template time. A name dict itself has (`x.items`)
    still means the attribute, as in jinja."""

    context_class = _Context

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass  # jinja's own lookup makes the undefined value
        return super().getattr(obj, attribute)


_DICT_ATTRIBUTES = frozenset(dir(dict))


def make_environment(templates_dir: Path) -> jinja2.Environment:
    folders = [templates_dir] if templates_dir.resolve() != THEME_TEMPLATES else []
    # "theme/x.html" always names the bundled template, so a site's own x.html
    # can extend it and override a single block.
    theme = jinja2.PrefixLoader({"theme": jinja2.FileSystemLoader(THEME_TEMPLATES)})
    return _Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader([*folders, THEME_TEMPLATES]), theme]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no need to stat templates per page
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """One page to make: where, with which template, and what it depends on."""

    path: str  # site path: "" for the home page, "briefings/x/"...
    template: str
    inputs: object  # all the page shows, as plain data (plain_bytes): equal inputs, equal page
    make: Callable[[], tuple[Context, Context]]  # its (page, context), built only when needed
    briefing: Summary | None = None  # the briefing a briefing page is about


class BriefingInputs(NamedTuple):
    """What a briefing page shows: the article (named by its cache key) and its links.

    Flat, of strings and of digests for what other pages show too: a big site
    hashes ten thousand of these per build."""

    key: str  # Summary.key
    linked: bytes  # the entity digest of each entity of the article in turn, or UNLINKED
    tags: tuple[str, ...]  # its shown tags
    tag_paths: tuple[str, ...]  # ...and their paths
    related: bytes  # card digests of the related briefings, best first
    reasons: tuple[str, ...]  # ...and why each is related
    previous: bytes | None  # card digest of the older briefing
    next: bytes | None  # ...and of the newer one
    links: tuple[tuple[str, str, str] | None, ...]  # where each link of the body leads


@dataclass(frozen=True, slots=True, kw_only=True)
class Rendered(Generic[_Extra]):
    """A page as `render_pages` hands it over."""

    file: str  # file path in the site: "briefings/x/index.html"
    signature: str  # hash of the page's inputs, templates and settings
    html: bytes | None  # None: same signature as last time, so the old file stands
    page: Page
    extra: _Extra | None = None  # what render_pages' `extra` made of the page, if it was made


class Renderer:
    """Renders every page of a site graph with one jinja environment."""

    def __init__(self, config: SiteConfig, graph: SiteGraph, load: Loader) -> None:
        self.config, self.graph, self.load = config, graph, load
        self.urls = Urls(config.base_url, config.directory_urls)
        self.env = make_environment(config.templates_dir)
        self.by_slug = {b.slug: b for b in graph.briefings}
        self.by_source = {b.source_path: b for b in graph.briefings}
        self.entities = {e.key: e for e in graph.entities}
        self.tag_paths = {t.name: t.path for t in graph.tags}
        self.cards: dict[str, Context] = {}
        self.card_hashes: dict[str, bytes] = {}  # see card_digests
        self.entity_hashes: dict[str, bytes] = {}  # see entity_digests
        self.linked_hashes: dict[str, bytes] = {}  # see linked_digests
        self.tag_lists: dict[str, list[Context]] = {}
        self.problems: list[Problem] = self.link_problems()
        self.digest = self.settings_digest()

    def search_indexes(self) -> list[str]:
        """The site folders of the search index shards; the first is loaded first."""
        from .search import shard_count, shard_folders

        graph = self.graph
        pages = len(graph.briefings) + len(graph.entities) + len(graph.tags)
        return shard_folders(shard_count(pages))

    def settings_digest(self) -> bytes:
        """What every page depends on besides its own inputs: site.yaml and the templates."""
        from .cache import whole_code_version

        digest = hashlib.sha256(whole_code_version() + repr(self.config).encode())
        for name in sorted(self.env.list_templates()):
            loader = self.env.loader
            assert loader is not None
            source, filename, _ = loader.get_source(self.env, name)
            digest.update(f"{name}\0{filename}\0{len(source)}\0".encode() + source.encode())
        return digest.digest()

    def signature(self, page: Page) -> str:
        digest = hashlib.sha256(self.digest)
        digest.update(plain_bytes((page.path, page.template, page.inputs)))
        return digest.hexdigest()

    def render_all(self, progress: ProgressCallback | None = None) -> dict[str, bytes]:
        """Every HTML page by file path."""
        rendered: Iterator[Rendered[None]] = self.render_pages(progress)
        return {r.file: r.html for r in rendered if r.html is not None}

    def render_pages(
        self,
        progress: ProgressCallback | None = None,
        previous: Mapping[str, str] | None = None,
        extra: Callable[[Page, bytes], _Extra] | None = None,
    ) -> Iterator[Rendered[_Extra]]:
        """Every page in order, so a caller can write each away as it comes and a
        big site is never held whole. A page whose signature is the one
        `previous` gives for its file is not made again. `extra` is called with
        every page made and its HTML, in the process that made it, and its
        result handed over too: work on a page is best done there.

        Many pages are made in worker processes forked from this one, which
        share the site graph without copying it.
        """
        previous = previous or {}
        pages = list(self.pages())
        signatures = [self.signature(page) for page in pages]
        todo = [n for n, page in enumerate(pages)
                if previous.get(path_to_file(page.path)) != signatures[n]]  # fmt: skip
        made = self._make_all(pages, todo, extra)
        done = 0
        for number, page in enumerate(pages):
            html, more = next(made) if done < len(todo) and todo[done] == number else (None, None)
            done += html is not None
            yield Rendered(file=path_to_file(page.path), signature=signatures[number], html=html,
                           page=page, extra=more)  # fmt: skip
            if progress and html is not None and done % 100 == 0:
                progress("rendering pages", done, len(todo))
        if progress:
            progress("rendering pages", done, len(todo))

    def _make_all(
        self, pages: list[Page], todo: list[int], extra: Callable[[Page, bytes], _Extra] | None
    ) -> Iterator[tuple[bytes, _Extra | None]]:
        global _FORKED
        workers = os.cpu_count() or 1
        if len(todo) < PARALLEL_PAGES or workers < 2 or "fork" not in mp.get_all_start_methods():
            for number in todo:
                yield self.make_page(pages[number], extra)
            return
        _FORKED = (self, pages, extra)  # what the forked workers find
        thaw = gc.get_freeze_count() == 0  # else whoever froze objects before thaws them
        gc.freeze()  # the collector in a worker then leaves the shared objects' pages alone
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                for result in pool.imap(_make_in_worker, todo, chunksize=8):
                    if isinstance(result, BuildError):
                        raise result
                    yield result
        finally:
            _FORKED = None
            if thaw:
                gc.unfreeze()

    def make_page(
        self, page: Page, extra: Callable[[Page, bytes], _Extra] | None
    ) -> tuple[bytes, _Extra | None]:
        html = self.render(page.template, page.path, *page.make()).encode()
        return html, extra(page, html) if extra else None

    def contexts(self) -> dict[str, Context]:
        """Every page's template context by site path (for tests and tools)."""
        return {page.path: page.make()[1] for page in self.pages()}

    def pages(self) -> Iterator[Page]:
        yield from self.listed_pages()
        # The many list pages of a big site: their inputs are compact, and their
        # contexts are built only for the pages that are made.
        cards = self.card_digests()
        yield from self.home_pages()
        size = self.config.list_page_size
        for tag in self.graph.tags:
            for slugs, pagination, path in paginate(tag.slugs, size, tag.path):
                title = _numbered(f"Topic: {tag.name}", pagination)
                page = self.page("tag", title, f"Briefings on {tag.name}.", tag.path + "feed.xml")
                shown = b"".join(map(cards.__getitem__, slugs))
                yield Page(
                    path=path,
                    template="tag.html",
                    inputs=(page, tag.name, len(tag.slugs), pagination, shown),
                    make=functools.partial(self.tag_view, page, tag, slugs, pagination),
                )
        for entity in self.graph.entities:
            description = f"Briefings that mention {entity.name}."
            for seen, pagination, path in paginate(entity.appearances, size, entity.path):
                page = self.page("entity", _numbered(entity.name, pagination), description)
                slugs, sentences, texts = zip(*seen, strict=True) if seen else ((), (), ())
                inputs = (page, entity.name, entity.type, entity.role, entity.surfaces,
                          len(entity.appearances), pagination,
                          b"".join(map(cards.__getitem__, slugs)), sentences, texts)  # fmt: skip
                yield Page(
                    path=path,
                    template="entity.html",
                    inputs=inputs,
                    make=functools.partial(self.entity_page, page, entity, seen, pagination),
                )
        for index, briefing in enumerate(self.graph.briefings):
            yield self.briefing_page(briefing, index)

    def card_digests(self) -> dict[str, bytes]:
        """Every briefing's card, hashed once, by slug: what list pages name a card by.

        A card shows in many lists (a big tag lists thousands), so its digest
        stands in for the card in their inputs; all of one length, digests
        joined stay unambiguous. The cards hashed are not kept: few are shown
        on a page that is made, and ten thousand kept dicts slow the collector."""
        if not self.card_hashes:
            for briefing in self.graph.briefings:
                self.card_hashes[briefing.slug] = digest_of(self.make_card(briefing))
        return self.card_hashes

    def entity_digests(self) -> dict[str, bytes]:
        """What a briefing page shows of each site entity it names, hashed once, by key:
        ten thousand briefing pages name the same few thousand entities."""
        if not self.entity_hashes:
            for e in self.graph.entities:
                self.entity_hashes[e.key] = digest_of((e.key, e.name, e.type, e.role))
        return self.entity_hashes

    def linked_digests(self) -> dict[str, bytes]:
        """Every briefing's entities as the digests of their site entities (see
        `entity_digests`; UNLINKED where none), joined, by slug: made for all
        briefings in one pass, as a hundred thousand lookups one by one take long."""
        if not self.linked_hashes:
            briefings = self.graph.briefings
            every = every_entity(briefings)
            keys = site_keys(every, self.graph.entity_keys)
            by_key: dict[str | None, bytes] = {None: UNLINKED}
            by_key.update(self.entity_digests())
            digests = list(map(by_key.get, keys, repeat(UNLINKED)))
            end = 0
            for briefing, size in zip(briefings, every.sizes, strict=True):
                start, end = end, end + size
                self.linked_hashes[briefing.slug] = b"".join(digests[start:end])
        return self.linked_hashes

    def tag_view(
        self, page: Context, tag: SiteTag, chunk: Sequence[str], pagination: Context
    ) -> tuple[Context, Context]:
        briefings = [self.card(self.by_slug[s]) for s in chunk]
        view = {"name": tag.name, "path": tag.path, "feed": tag.path + "feed.xml",
                "count": len(tag.slugs), "briefings": briefings}  # fmt: skip
        return page, {"tag": view, "pagination": pagination}

    def entity_page(
        self, page: Context, entity: SiteEntity, chunk: Sequence[Appearance], pagination: Context
    ) -> tuple[Context, Context]:
        return page, {"entity": self.entity_view(entity, chunk), "pagination": pagination}

    def listed_pages(self) -> Iterator[Page]:
        """The site-wide pages (home, tag and entity pages are in `pages`)."""
        yield fixed_page("tags/", "tags.html", self.page("tags", "Topics"),
                         {"tags": self.tag_items()})  # fmt: skip
        yield fixed_page("entities/", "entities.html", self.page("entities", "Who and what"),
                         {"groups": self.entity_groups()})  # fmt: skip
        yield from self.timeline_pages()
        if self.config.search:
            description = "Search every briefing, person, organisation, place and topic."
            indexes: Context = {"indexes": self.search_indexes()}
            yield fixed_page(SEARCH_PATH, "search.html", self.page("search", "Search", description),
                             indexes)  # fmt: skip
        yield fixed_page("404.html", "404.html", self.page("404", "Page not found"), {})

    def render(self, template: str, path: str, page: Context, context: Mapping[str, Any]) -> str:
        page = {**page, "path": path, "canonical": self.urls.absolute(path)}
        search = SEARCH_PATH if self.config.search else None
        nav = [
            {"label": label, "path": target, "current": _in_section(path, target)}
            for label, target in (*NAV, *([("Search", search)] if search else []))
        ]
        site = {
            "title": self.config.title,
            "description": self.config.description,
            "language": self.config.language,
            "base_url": self.config.base_url,
            "search": search,
        }
        url = PageUrl(self.urls, path)
        try:
            return self.env.get_template(template).render(
                site=site, page=page, nav=nav, url=url, abs_url=self.urls.absolute, **context
            )
        except Exception as error:
            problem = template_problem(error, template)
            if problem is None:  # not the template's fault: a bug of ours, keep the traceback
                raise
            raise BuildError([problem]) from None

    def page(
        self, kind: str, title: str, description: str = "", feed: str | None = "feed.xml"
    ) -> Context:
        full = title if kind == "home" else f"{title} | {self.config.title}"
        return {
            "kind": kind,
            "title": full,
            "description": description or self.config.description or _DESCRIPTIONS.get(kind, ""),
            "feed": feed,
            "json_ld": None,
        }

    # --- lists -------------------------------------------------------------

    def home_pages(self) -> Iterator[Page]:
        digests = self.card_digests()
        for chunk, pagination, path in paginate(self.graph.briefings, self.config.page_size, ""):
            page = self.page("home", _numbered(self.config.title, pagination))
            cards = b"".join([digests[b.slug] for b in chunk])
            yield Page(path=path, template="home.html", inputs=(page, pagination, cards),
                       make=functools.partial(self.home_view, page, pagination, chunk))  # fmt: skip

    def home_view(
        self, page: Context, pagination: Context, chunk: Sequence[Summary]
    ) -> tuple[Context, Context]:
        return page, {"briefings": [self.card(b) for b in chunk], "pagination": pagination}

    def card(self, briefing: Summary) -> Context:
        """How a briefing shows in lists; one dict per briefing, shared by every list."""
        card = self.cards.get(briefing.slug)
        if card is None:
            card = self.cards[briefing.slug] = self.make_card(briefing)
        return card

    def make_card(self, briefing: Summary) -> Context:
        return {
            "title": briefing.title,
            "path": briefing_path(briefing.slug),
            "date_iso": briefing.date.isoformat(),
            "date_display": display_date(briefing.date),
            "lede": briefing.lede,
            "tags": [
                {"name": t, "path": self.tag_paths[t]}
                for t in self.graph.briefing_tags[briefing.slug][:CARD_TAGS]
            ],
        }

    def tag_links(self, slug: str) -> list[Context]:
        links = self.tag_lists.get(slug)
        if links is None:
            links = self.tag_lists[slug] = [
                {"name": t, "path": self.tag_paths[t]} for t in self.graph.briefing_tags[slug]
            ]
        return links

    def tag_items(self) -> list[Context]:
        return [{"name": t.name, "path": t.path, "count": len(t.slugs)} for t in self.graph.tags]

    def entity_groups(self) -> list[Context]:
        groups = []
        for kind in ENTITY_SECTIONS:
            entities = [
                {"name": e.name, "role": e.role, "path": e.path, "count": len(e.appearances)}
                for e in self.graph.entities
                if e.type == kind
            ]
            groups.append(
                {"type": ENTITY_SECTIONS[kind], "label": _GROUP_LABELS[kind], "entities": entities}
            )
        return groups

    def entity_view(self, entity: SiteEntity, shown: Sequence[Appearance] | None = None) -> Context:
        """The entity, with the appearances `shown` on its page (all by default)."""
        appearances = []
        for appearance in entity.appearances if shown is None else shown:
            card = self.card(self.by_slug[appearance.slug])
            appearances.append(
                {
                    "title": card["title"],
                    "path": card["path"],
                    "date_iso": card["date_iso"],
                    "date_display": card["date_display"],
                    "sentence": appearance.text,
                    "anchor": appearance.sentence,
                }
            )
        # The same appearances grouped by briefing, in order: a template that
        # grouped them itself would be quadratic on a popular entity's page.
        briefings: dict[str, Context] = {}
        for item in appearances:
            group = briefings.setdefault(item["path"], {**item, "mentions": []})
            group["mentions"].append({"sentence": item["sentence"], "anchor": item["anchor"]})
        return {
            "name": entity.name,
            "type": ENTITY_SECTIONS[entity.type],
            "label": _LABELS[entity.type],
            "role": entity.role,
            "surfaces": list(entity.surfaces),
            "count": len(entity.appearances),
            "appearances": appearances,
            "briefings": list(briefings.values()),
        }

    def timeline_pages(self) -> Iterator[Page]:
        """`timeline/YYYY/` for every year, its events cut into pages of
        `list_page_size` (`timeline/YYYY/page/N/`), and `timeline/` showing the
        first page of the newest year: no page grows with the whole archive."""
        by_year: dict[int, list[TimelineEvent]] = {}
        for event in self.graph.timeline:  # newest first
            by_year.setdefault(event.date.year, []).append(event)
        years = list(by_year)
        if not years:
            yield self.timeline_page("timeline/", None, [], paginate([], 1, "timeline/")[0][1])
            return
        for year in years:
            nav = [{"year": y, "path": f"timeline/{y}/", "count": len(by_year[y]),
                    "current": y == year} for y in years]  # fmt: skip
            chunks = paginate(by_year[year], self.config.list_page_size, f"timeline/{year}/")
            if year == years[0]:
                events, pagination, _ = chunks[0]
                yield self.timeline_page("timeline/", year, nav, pagination, events, root=True)
            for events, pagination, path in chunks:
                yield self.timeline_page(path, year, nav, pagination, events)

    def timeline_page(
        self,
        path: str,
        year: int | None,
        nav: list[Context],
        pagination: Context,
        events: Sequence[TimelineEvent] = (),
        root: bool = False,
    ) -> Page:
        title = "Timeline" if root or year is None else _numbered(f"Timeline: {year}", pagination)
        page = self.page("timeline", title)
        # what the page shows of each event, as plain data: its context is built
        # only if the page is made
        shows = tuple([(e.date.toordinal(), e.precision, e.text, e.slug, e.sentence,
                        self.by_slug[e.slug].title) for e in events])  # fmt: skip
        make = functools.partial(self.timeline_view, page, nav, year, events, pagination)
        inputs = (page, nav, year, pagination, shows)
        return Page(path=path, template="timeline.html", inputs=inputs, make=make)

    def timeline_view(
        self,
        page: Context,
        nav: list[Context],
        shown: int | None,
        events: Sequence[TimelineEvent],
        pagination: Context,
    ) -> tuple[Context, Context]:
        groups = self.timeline_groups(events)
        return page, {"groups": groups, "years": nav, "year": shown, "pagination": pagination}

    def timeline_groups(self, events: Iterable[TimelineEvent]) -> list[Context]:
        groups: dict[str, list[Context]] = {}
        for event in events:
            article = self.by_slug[event.slug]
            label = display_date(event.date, "year" if event.precision == "year" else "month")
            groups.setdefault(label, []).append(
                {
                    "date_iso": event.date.isoformat()
                    if event.precision == "day"
                    else event.date.isoformat()[: 7 if event.precision == "month" else 4],
                    "date_display": display_date(event.date, event.precision),
                    "text": event.text,
                    "title": article.title,
                    "path": briefing_path(article.slug),
                    "anchor": event.sentence,
                }
            )
        return [{"label": label, "events": events} for label, events in groups.items()]

    # --- briefing ----------------------------------------------------------

    def briefing_page(self, summary: Summary, index: int) -> Page:
        """A briefing's page. Its inputs hold what it shows from the rest of the
        site; everything from the article itself is named by the cache key."""
        slug, cards = summary.slug, self.card_digests()
        newer, older = self.neighbours(index)
        related = self.graph.related.get(slug, ())
        tags = self.graph.briefing_tags[slug]
        inputs = BriefingInputs(  # as a plain tuple, the only kind marshal takes
            key=summary.key,
            linked=self.linked_digests()[slug],
            tags=tags,
            tag_paths=tuple(map(self.tag_paths.__getitem__, tags)),
            related=b"".join(map(cards.__getitem__, fields(related, "slug"))),
            reasons=fields(related, "reason"),
            previous=older and cards[older.slug],
            next=newer and cards[newer.slug],
            links=tuple(
                [self.resolve_link(summary.source_path, href) for href, _ in summary.links]
            ),
        )
        return Page(path=briefing_path(slug), template="briefing.html", inputs=tuple(inputs),
                    make=functools.partial(self.make_briefing, summary, index),
                    briefing=summary)  # fmt: skip

    def neighbours(self, index: int) -> tuple[Summary | None, Summary | None]:
        """The newer and the older briefing of the one at `index` of the site's."""
        briefings = self.graph.briefings
        newer = briefings[index - 1] if index > 0 else None
        older = briefings[index + 1] if index + 1 < len(briefings) else None
        return newer, older

    def make_briefing(self, summary: Summary, index: int) -> tuple[Context, Context]:
        newer, older = self.neighbours(index)
        around = {
            "tags": self.tag_links(summary.slug),
            "related": [
                self.related_item(r.slug, r.reason)
                for r in self.graph.related.get(summary.slug, ())
            ],
            "previous": older and {"title": older.title, "path": briefing_path(older.slug)},
            "next": newer and {"title": newer.title, "path": briefing_path(newer.slug)},
        }
        return self.briefing_view(self.load(summary), around)

    def briefing_view(self, briefing: Briefing, around: Context) -> tuple[Context, Context]:
        article, found = briefing.article, briefing.extraction
        path = briefing_path(article.slug)
        view: Context = {
            **self.card_of(briefing),
            "tags": around["tags"],  # all of them on the briefing itself
            "source": article.source,
            "source_url": article.source_url,
            "author": article.author,
            "key_facts": [
                {"text": f.text, "anchor": f.sentence, "by_author": f.sentence is None}
                for f in key_facts(briefing)
            ],
            **self.entity_lists(briefing),
            "figures": [
                {"text": f.text, "measure": f.measure, "anchor": f.sentence} for f in found.figures
            ],
            "dates": [
                {
                    "text": d.text,
                    "date_iso": d.date.isoformat(),
                    "event": d.event,
                    "date_display": display_date(d.date, d.precision),
                    "anchor": d.sentence,
                }
                for d in found.dates
            ],
            "quotes": self.quote_items(briefing),
            "body_html": Markup(self.body_html(briefing, path)),
            "related": around["related"],
            "previous": around["previous"],
            "next": around["next"],
        }
        page = self.page("briefing", article.title, description=lede(briefing))
        page["json_ld"] = Markup(json_for_script(build_news_article(self.article_facts(briefing))))
        return page, {"b": view}

    def card_of(self, briefing: Briefing) -> Context:
        return self.card(self.by_slug[briefing.article.slug])

    def article_facts(self, briefing: Briefing) -> ArticleFacts:
        article = briefing.article
        linked: dict[str, LinkedEntity] = {}
        for entity in briefing.extraction.entities:
            site = self.site_entity(briefing, entity.name)
            if site is not None and site.key not in linked:
                linked[site.key] = LinkedEntity(
                    name=site.name,
                    type=site.type,
                    url=self.urls.absolute(site.path),
                    surfaces=entity.surfaces,
                )
        return ArticleFacts(
            url=self.urls.absolute(briefing_path(article.slug)),
            title=article.title,
            lede=lede(briefing),
            published=(article.datetime or article.date).isoformat(),
            language=self.config.language,
            author=article.author,
            source_url=article.source_url,
            tags=self.graph.briefing_tags[article.slug],
            entities=tuple(linked.values()),
            site_title=self.config.title,
            site_url=self.config.base_url,
        )

    def site_entity(self, briefing: Briefing, name: str) -> SiteEntity | None:
        key = self.graph.entity_keys.get((briefing.article.slug, name))
        return self.entities.get(key) if key else None

    def entity_lists(self, briefing: Briefing) -> Context:
        lists: dict[str, list[Context]] = {section: [] for section in ENTITY_SECTIONS.values()}
        for entity in briefing.extraction.entities:
            site = self.site_entity(briefing, entity.name)
            if site is not None:
                lists[ENTITY_SECTIONS[site.type]].append(
                    {"name": site.name, "role": entity.role or site.role, "path": site.path}
                )
        return lists

    def quote_items(self, briefing: Briefing) -> list[Context]:
        items = []
        for quote in briefing.extraction.quotes:
            site = self.site_entity(briefing, quote.speaker) if quote.speaker else None
            items.append(
                {
                    "text": quote.text,
                    "speaker": site.name if site else quote.speaker,
                    "speaker_path": site.path if site else None,
                    "anchor": quote.sentence,
                }
            )
        return items

    def related_item(self, slug: str, reason: str) -> Context:
        article = self.by_slug[slug]
        return {
            "title": article.title,
            "path": briefing_path(slug),
            "reason": reason,
            "date_iso": article.date.isoformat(),
            "date_display": display_date(article.date),
        }

    def body_html(self, briefing: Briefing, page_path: str) -> str:
        article = briefing.article
        spans: dict[int, list[Span]] = {}
        for sentence in briefing.extraction.sentences:
            spans.setdefault(sentence.paragraph, []).append(
                Span(start=sentence.start, end=sentence.end, kind="sentence", value=sentence.id)
            )
        for entity in briefing.extraction.entities:
            site = self.site_entity(briefing, entity.name)
            if site is not None and entity.mentions:
                first = entity.mentions[0]
                spans.setdefault(first.paragraph, []).append(
                    Span(
                        start=first.start,
                        end=first.end,
                        kind="link",
                        value=self.urls.relative(page_path, site.path),
                    )
                )
        body = parse_body(article.body, article.body_line)
        return render_body(
            body,
            spans,
            lambda href, _line: self.content_link(article.source_path, page_path, href),
            raw_html=self.config.raw_html,
        )

    def content_link(self, source_path: str, page_path: str, href: str) -> str | None:
        """Links to another article's .md file become links to its briefing.

        A link to a .md file that is no briefing of the site is kept as written
        (and reported by `link_problems`). None means: show the link's text only.
        """
        target = self.resolve_link(source_path, href)
        if target is None or target[0] != "briefing":
            return None if target is None else target[1]
        return self.urls.relative(page_path, briefing_path(target[1])) + target[2]

    def resolve_link(self, source_path: str, href: str) -> tuple[str, str, str] | None:
        """("briefing", slug, #fragment) for a link to a briefing's .md file,
        ("keep", href, "") for any other link, None for no link at all."""
        try:
            parts = urlsplit(href)
        except ValueError:  # e.g. an unclosed "[" in the host: no URL a browser could follow
            return None
        if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
            return ("keep", href, "")
        written = unquote(parts.path)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(source_path), written))
        briefing = self.by_source.get(target)
        if briefing is None:
            return ("keep", href, "")
        return ("briefing", briefing.slug, f"#{parts.fragment}" if parts.fragment else "")

    def link_problems(self) -> list[Problem]:
        """A warning for every link to a .md file that is no briefing of the site."""
        problems: list[Problem] = []
        for briefing in sorted(self.graph.briefings, key=lambda b: b.source_path):
            for href, line in briefing.links:
                try:
                    parts = urlsplit(href)
                except ValueError:
                    continue
                if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
                    continue
                if self.resolve_link(briefing.source_path, href) == ("keep", href, ""):
                    written = unquote(parts.path)
                    problem = Problem(
                        path=str(self.config.content_dir / briefing.source_path),
                        line=line,
                        message=f"link to {written}: no such article; "
                        "fix the path or remove the link",
                        warning=True,
                    )
                    if problem not in problems:
                        problems.append(problem)
        return problems


def template_problem(error: Exception, template: str) -> Problem | None:
    """The template file and line at fault, or None when no template line raised `error`."""
    path, line = template, None
    traceback = error.__traceback__
    while traceback is not None:
        # jinja rewrites tracebacks so template frames carry the template's file and line
        if "__jinja_exception__" in traceback.tb_frame.f_globals:
            path, line = traceback.tb_frame.f_code.co_filename, traceback.tb_lineno
        traceback = traceback.tb_next
    if isinstance(error, jinja2.TemplateSyntaxError):
        path, line = error.filename or error.name or template, error.lineno
        message = f"{error.message}; fix the template"
    elif isinstance(error, jinja2.TemplateNotFound):
        message = f"no template named {error.name!r}; create it or fix the name"
    elif isinstance(error, jinja2.TemplateError) or line is not None:
        message = f"{error}; fix the template"
    else:
        return None
    return Problem(path=path, line=line, message=f"template error: {message}")


# Pages to make before worker processes pay off, and what a forked worker renders with.
PARALLEL_PAGES = 300
_FORKED: tuple[Renderer, list[Page], Callable[[Page, bytes], Any] | None] | None = None


def _make_in_worker(number: int) -> tuple[bytes, Any] | BuildError:
    assert _FORKED is not None
    renderer, pages, extra = _FORKED
    try:
        return renderer.make_page(pages[number], extra)
    except BuildError as error:  # sent back as a value: its constructor takes problems
        return _PicklableBuildError(error.problems)


class _PicklableBuildError(BuildError):
    def __reduce__(self) -> tuple[type[BuildError], tuple[tuple[Problem, ...]]]:
        return (BuildError, (self.problems,))


def fixed_page(path: str, template: str, page: Context, context: Context) -> Page:
    """A page whose context is its inputs."""
    return Page(path=path, template=template, inputs=(page, context),
                make=functools.partial(_given, page, context))  # fmt: skip


def _given(page: Context, context: Context) -> tuple[Context, Context]:
    return page, context


def fields(items: Iterable[object], name: str) -> tuple[Any, ...]:
    """The attribute `name` of each of `items`, as a tuple."""
    return tuple(map(operator.attrgetter(name), items))


def plain_bytes(value: Any) -> bytes:
    """Plain data (str, bytes, int, bool, None, and tuples, lists and dicts of them)
    as bytes that only its value decides.

    Not pickle, nor a later marshal version: they write whether two equal strings
    are one object (or a string is interned), which differs between an article
    read from the extraction cache and the same article extracted afresh."""
    return marshal.dumps(value, 2)


def digest_of(value: Any) -> bytes:
    return hashlib.sha256(plain_bytes(value)).digest()


UNLINKED = bytes(32)  # stands for "no site entity" among entity digests


def paginate(
    items: Sequence[_Item], size: int, path: str
) -> list[tuple[Sequence[_Item], Context, str]]:
    """A list cut into pages of `size`: each page's items, its pagination
    {number, count, previous, next} and its site path. The first page is at
    `path`, the others at `path` + "page/N/"; an empty list still has a page."""
    chunks = [items[start : start + size] for start in range(0, len(items), size)] or [items]
    paths = [path if n == 1 else f"{path}page/{n}/" for n in range(1, len(chunks) + 1)]
    return [
        (
            chunk,
            {
                "number": number,
                "count": len(chunks),
                "previous": paths[number - 2] if number > 1 else None,
                "next": paths[number] if number < len(chunks) else None,
            },
            paths[number - 1],
        )  # fmt: skip
        for number, chunk in enumerate(chunks, start=1)
    ]


def _numbered(title: str, pagination: Context) -> str:
    number = pagination["number"]
    return title if number == 1 else f"{title}, page {number}"


def briefing_path(slug: str) -> str:
    return f"briefings/{slug}/"


def path_to_file(path: str) -> str:
    return path + "index.html" if path.endswith("/") or not path else path


def lede(briefing: Briefing) -> str:
    return briefing.article.summary or briefing.extraction.lede


def key_facts(briefing: Briefing, limit: int = 7) -> tuple[KeyFact, ...]:
    """Author facts first, then extracted ones, at most `limit` in all."""
    authored = tuple(KeyFact(text=text, sentence=None) for text in briefing.article.facts)
    return (authored + briefing.extraction.key_facts)[: max(limit, len(authored))]


def _in_section(path: str, target: str) -> bool:
    if not target:
        return path == "" or path.startswith("page/")
    section = target.rstrip("/")
    if target == "entities/":
        return path.startswith(("entities/", "people/", "organizations/", "places/"))
    return path.startswith(section + "/")
