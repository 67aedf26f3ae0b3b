"""Built site directory -> parsed pages and link problems, read the way a browser would.

Stdlib only, so the end-to-end test shares no code with the generator it checks.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"]
    + ["track", "wbr"]
)
LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src"}
# GitHub Pages serves 404.html at whatever path was missing, so its links must work anywhere.
NOT_FOUND_SERVED_AT = "some/missing/page"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def fold(text: str) -> str:
    """Collapse runs of whitespace, as rendered text would."""
    return " ".join(text.split())


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    line: int  # 1-based line of the start tag
    parts: list[str] = field(default_factory=list)  # text inside, nested elements included

    @property
    def text(self) -> str:
        return fold("".join(self.parts))


class Page(HTMLParser):
    """One HTML file as a flat list of elements, each knowing its own text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, self.getpos()[0])
        self.elements.append(element)
        if tag not in VOID_TAGS:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.parts.append(data)

    def find(self, tag: str) -> list[Element]:
        return [element for element in self.elements if element.tag == tag]

    @property
    def ids(self) -> list[str]:
        return [element.attrs["id"] for element in self.elements if "id" in element.attrs]

    def by_id(self, id_: str) -> Element | None:
        return next((e for e in self.elements if e.attrs.get("id") == id_), None)


@dataclass(frozen=True)
class Link:
    element: Element
    url: str  # absolute, as the browser resolves it
    file: str | None  # site file it is served from, None when outside base_url
    fragment: str


@dataclass
class Site:
    root: Path
    base_url: str
    pages: dict[str, Page]  # site file path ("briefings/x/index.html") -> parsed page

    def page_url(self, path: str) -> str:
        """Where a page is served: directory-style for index.html."""
        if path == "404.html":
            return self.base_url + NOT_FOUND_SERVED_AT
        if path == "index.html" or path.endswith("/index.html"):
            return self.base_url + path.removesuffix("index.html")
        return self.base_url + path

    def file_for(self, url: str) -> str | None:
        """The site file an absolute URL maps to, or None when it is not under base_url."""
        if not url.startswith(self.base_url):
            return None
        path = unquote(re.split(r"[?#]", url[len(self.base_url) :], maxsplit=1)[0])
        return path + "index.html" if path in ("", ".") or path.endswith("/") else path

    def links(self, path: str) -> list[Link]:
        """Every href/src on a page that stays on the site's host, resolved."""
        page = self.pages[path]
        base = here = self.page_url(path)
        for element in page.find("base"):
            base = urljoin(base, element.attrs.get("href", ""))
        host = urlsplit(self.base_url).netloc
        links = []
        for element in page.elements:
            attribute = LINK_ATTRIBUTES.get(element.tag)
            if attribute is None or attribute not in element.attrs:
                continue
            url = urljoin(base, element.attrs[attribute].strip())
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and parts.netloc == host:
                document, fragment = urldefrag(url)
                # "#id" stays in this document, wherever it is served (404.html)
                file = path if document == here else self.file_for(url)
                links.append(Link(element, url, file, unquote(fragment)))
        return links

    def json(self, path: str) -> Any:
        return json.loads((self.root / path).read_text(encoding="utf-8"))


def read_site(root: Path, base_url: str) -> Site:
    pages = {
        file.relative_to(root).as_posix(): Page(file.read_text(encoding="utf-8"))
        for file in sorted(root.rglob("*.html"))
    }
    return Site(root, base_url, pages)


def check_links(site: Site) -> list[str]:
    """Every internal link: under base_url, to an existing file, to an existing id."""
    problems = []
    for path in site.pages:
        for link in site.links(path):
            attribute = LINK_ATTRIBUTES[link.element.tag]
            where = (
                f"{path}:{link.element.line}: <{link.element.tag} {attribute}="
                f'"{link.element.attrs[attribute]}"> -> {link.url}'
            )
            if link.file is None:
                problems.append(f"{where}: leaves base_url {site.base_url}")
            elif not (site.root / link.file).is_file():
                problems.append(f"{where}: no file {link.file}")
            elif link.fragment and link.file not in site.pages:
                problems.append(f"{where}: #{link.fragment} in a file that is not HTML")
            elif link.fragment and link.fragment not in site.pages[link.file].ids:
                problems.append(f"{where}: no id {link.fragment!r} in {link.file}")
    return problems


def check_unique_ids(site: Site) -> list[str]:
    return [
        f"{path}: id {id_!r} appears {count} times"
        for path, page in site.pages.items()
        for id_, count in sorted(Counter(page.ids).items())
        if count > 1
    ]


def check_page_basics(site: Site) -> list[str]:
    """One <h1>, <html lang>, a non-empty <title>."""
    problems = []
    for path, page in site.pages.items():
        if len(h1s := page.find("h1")) != 1:
            problems.append(f"{path}: {len(h1s)} <h1> elements, expected 1")
        if not any(html.attrs.get("lang", "").strip() for html in page.find("html")):
            problems.append(f"{path}: no <html lang>")
        if not any(title.text for title in page.find("title")):
            problems.append(f"{path}: no <title> text")
    return problems


def check_absolute_url(site: Site, where: str, url: str) -> list[str]:
    """An absolute URL (feed entry, sitemap loc) under base_url, served from an existing file."""
    file = site.file_for(url)
    if file is None:
        return [f"{where}: {url!r} is not under {site.base_url}"]
    if not (site.root / file).is_file():
        return [f"{where}: {url} -> no file {file}"]
    return []


def check_atom_feed(site: Site, path: str) -> list[str]:
    """Atom, at least one entry, every entry linking to a page of the site."""
    try:
        root = ET.parse(site.root / path).getroot()
    except (OSError, ET.ParseError) as error:
        return [f"{path}: not XML: {error}"]
    if root.tag != ATOM + "feed":
        return [f"{path}: root is <{root.tag}>, expected <{ATOM}feed>"]
    entries = root.findall(ATOM + "entry")
    problems = [] if entries else [f"{path}: no <entry>"]
    for number, entry in enumerate(entries, 1):
        hrefs = [
            link.get("href", "")
            for link in entry.findall(ATOM + "link")
            if link.get("rel", "alternate") == "alternate"
        ]
        if not hrefs:
            problems.append(f"{path}: entry {number} has no <link href>")
        for href in hrefs:
            problems += check_absolute_url(site, f"{path}: entry {number} link", href)
    return problems


def read_sitemap(site: Site) -> list[str]:
    """The <loc> URLs of sitemap.xml (raises if it is not a sitemap)."""
    root = ET.parse(site.root / "sitemap.xml").getroot()
    assert root.tag == SITEMAP + "urlset", f"sitemap.xml root is <{root.tag}>"
    return [(loc.text or "").strip() for loc in root.iter(SITEMAP + "loc")]
