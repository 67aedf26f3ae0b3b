"""Markdown body -> plain-text paragraphs, and back to HTML with sentence anchors.

This is the one place that knows markdown-it-py; its camelCase API stays here.
Extraction works on each block's plain text; rendering maps the extracted
offsets back onto the inline tokens, so sentences get anchors and first
mentions get links without re-parsing any HTML.

Raw HTML is always tokenised and always counted as text, so the plain text,
and every offset extracted from it, is the same whichever way site.yaml's
`raw_html` is set. Only rendering differs: by default the HTML is written out
as visible text; with `raw_html: true` it is kept and the whole body then goes
through nh3, an allow-list sanitiser, which removes scripts, event handlers
and links to anything but http, https and mailto.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from operator import attrgetter
from typing import Any, NamedTuple

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .model import Paragraph

_TEXT_BLOCKS = {"paragraph_open": "paragraph", "heading_open": "heading", "html_block": "html"}
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})  # the only links content may make
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_URL_LEADING = re.compile(r"^[\x00-\x20]+")  # and these at its start
_ESCAPED_IN_TEXT = re.compile("[&<>]")  # what html.escape(quote=False) changes

# href and the line it is on -> the href to write, or None to show only the link text.
LinkResolver = Callable[[str, int], str | None]


def _keep_link(href: str, line: int) -> str:
    return href


def _html_as_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return escape(tokens[idx].content, quote=False)


def _prerendered(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return tokens[idx].content


def _new_parser(raw_html: bool) -> MarkdownIt:
    # CommonMark plus tables. Articles come from many hands: unless the site
    # turns raw HTML on, the HTML the parser finds is rendered as text.
    parser = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
    if not raw_html:
        parser.add_render_rule("html_inline", _html_as_text)
        parser.add_render_rule("html_block", _html_as_text)
    parser.add_render_rule("prerendered", _prerendered)
    return parser


_PARSER = _new_parser(raw_html=False)
_RAW_PARSER = _new_parser(raw_html=True)  # renders HTML as is: only ever before sanitising

# What raw HTML may keep: ammonia's default allow-list of harmless tags and
# attributes, plus the classes and ids this module itself writes.
_SANITISER_ATTRIBUTES = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "a": {"href", "hreflang", "title"},
    "span": {"id"},
    "code": {"class"},  # language-x on fenced code
    "img": {"alt", "src", "title", "width", "height"},
}
_SANITISER_CLASSES = {"span": {"sentence"}, "a": {"entity"}}


class Span(NamedTuple):
    """A range of one paragraph's plain text to wrap: a sentence or a link.

    A named tuple, not a frozen dataclass: a page makes one for each of its
    sentences, and a named tuple is made in some 60% of the time."""

    start: int
    end: int
    kind: str  # "sentence" (wrapped in a span with `id`) or "link" (an <a href>)
    value: str  # the sentence id, or the link's href


_START = attrgetter("start")


@dataclass(frozen=True, slots=True, kw_only=True)
class Body:
    """A parsed article body: the token stream and its text blocks."""

    tokens: tuple[Token, ...]
    paragraphs: tuple[Paragraph, ...]
    block_tokens: tuple[int, ...]  # index in `tokens` of each paragraph's inline token
    first_line: int = 1  # line of the file the body starts on


def parse_body(markdown: str, first_line: int = 1) -> Body:
    """Parse a Markdown body whose first line is line `first_line` of its file."""
    tokens = tuple(_PARSER.parse(markdown))
    paragraphs: list[Paragraph] = []
    positions: list[int] = []
    context: list[str] = []
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            context.append("list_item")
        elif token.type == "blockquote_open":
            context.append("blockquote")
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            context.pop()
        elif token.type == "html_block" or (
            token.type == "inline" and index and tokens[index - 1].type in _TEXT_BLOCKS
        ):
            opener = token if token.type == "html_block" else tokens[index - 1]
            text = html_block_text(token) if token.type == "html_block" else inline_text(token)
            if not text.strip():
                continue
            kind = _TEXT_BLOCKS[opener.type]
            if kind in ("paragraph", "html"):
                kind = context[-1] if context else "paragraph"
            line = first_line + (opener.map[0] if opener.map else 0)
            paragraphs.append(Paragraph(index=len(paragraphs) + 1, text=text, line=line, kind=kind))
            positions.append(index)
    return Body(
        tokens=tokens,
        paragraphs=tuple(paragraphs),
        block_tokens=tuple(positions),
        first_line=first_line,
    )


def inline_text(token: Token) -> str:
    """The plain text of an inline token, as a reader sees it."""
    return "".join(_child_text(child) for child in token.children or ())


def html_block_text(token: Token) -> str:
    """A block of raw HTML read as one paragraph of text."""
    return token.content.rstrip("\n").replace("\n", " ")


def _child_text(child: Token) -> str:
    if child.type in ("text", "code_inline", "html_inline"):
        return child.content
    if child.type in ("softbreak", "hardbreak"):
        return " "
    return ""


def links_in(body: Body) -> list[tuple[str, int]]:
    """Every link target in the body with the line it is on."""
    found: list[tuple[str, int]] = []
    for token in body.tokens:
        if token.type == "inline":
            for child, line in _with_lines(token, body.first_line):
                if child.type == "link_open":
                    found.append((str(child.attrGet("href") or ""), line))
    return found


def _with_lines(token: Token, first_line: int) -> Iterator[tuple[Token, int]]:
    """Each child of an inline token with the line of the file it is on."""
    line = first_line + (token.map[0] if token.map else 0)
    for child in token.children or ():
        yield child, line
        line += child.type in ("softbreak", "hardbreak")


def is_safe_href(href: str) -> bool:
    """True for http, https and mailto URLs and for relative ones; never javascript: or data:."""
    match = _SCHEME.match(_URL_LEADING.sub("", _IGNORED_IN_URLS.sub("", href)))
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def render_body(
    body: Body,
    spans: Mapping[int, Sequence[Span]],
    resolve_link: LinkResolver = _keep_link,
    raw_html: bool = False,
) -> str:
    """HTML of the body, with `spans` (by paragraph index) woven into the text.

    Body headings are shifted down so the page's own h1/h2 stay on top, and
    `resolve_link` rewrites link targets (e.g. `other.md` to a briefing URL).
    A link whose target is not http, https, mailto or relative is shown as
    its text only. With `raw_html`, HTML in the Markdown is kept, sanitised.
    """
    shift = _heading_shift(body.tokens)
    tokens = [_shifted(token, shift) for token in body.tokens]
    for paragraph, position in zip(body.paragraphs, body.block_tokens, strict=True):
        token, woven = body.tokens[position], spans.get(paragraph.index, ())
        if token.type == "html_block":
            html = _render_html_block(token, paragraph, woven, resolve_link, raw_html)
            tokens[position] = Token("prerendered", "", 0, content=html, block=True)
            continue
        writer = _InlineWriter(woven, resolve_link, paragraph.line, raw_html)
        html = writer.render(token.children or ())
        # The renderer reads only an inline token's type and children, and its
        # neighbours `hidden`: a new token, as token.copy takes four times as long.
        written = Token("prerendered", "", 0, content=html)
        tokens[position] = Token("inline", "", 0, children=[written], hidden=token.hidden)
    for index, token in enumerate(tokens):
        if token.type == "inline" and index not in body.block_tokens:
            tokens[index] = token.copy(children=_relinked(token, resolve_link, body.first_line))
    parser = _RAW_PARSER if raw_html else _PARSER
    html = str(parser.renderer.render(tokens, parser.options, {}))
    return sanitise_html(html) if raw_html else html


def sanitise_html(html: str) -> str:
    """Rendered body HTML with raw HTML in it -> only allow-listed tags, attributes and URLs."""
    return str(
        nh3.clean(
            html,
            attributes=_SANITISER_ATTRIBUTES,
            allowed_classes=_SANITISER_CLASSES,
            url_schemes=set(SAFE_SCHEMES),
            link_rel=None,  # our own entity links stay as they are
        )
    )


def render_inline_markdown(text: str) -> str:
    """HTML for a one-line Markdown string such as an author-written fact."""
    return str(_PARSER.renderInline(text))


def _render_html_block(
    token: Token,
    paragraph: Paragraph,
    spans: Sequence[Span],
    resolve_link: LinkResolver,
    raw_html: bool,
) -> str:
    if raw_html:
        # The HTML cannot be cut at sentence offsets, so each sentence gets an
        # empty anchor at the block's start: links to it still land there.
        anchors = "".join(
            f'<span class="sentence" id="{escape(s.value)}"></span>'
            for s in spans
            if s.kind == "sentence"
        )
        return anchors + token.content
    writer = _InlineWriter(spans, resolve_link, paragraph.line, raw_html=False)
    return f"<p>{writer.render([Token('text', '', 0, content=paragraph.text)])}</p>\n"


def _heading_shift(tokens: Sequence[Token]) -> int:
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    return max(0, 3 - min(levels)) if levels else 0


def _shifted(token: Token, shift: int) -> Token:
    if shift and token.type in ("heading_open", "heading_close"):
        return token.copy(tag=f"h{min(6, int(token.tag[1]) + shift)}")
    return token


def _relinked(token: Token, resolve_link: LinkResolver, first_line: int) -> list[Token]:
    """Children of an inline token outside the text blocks (a table cell, say), links resolved."""
    children: list[Token] = []
    shown: list[bool] = []  # per open link: written as <a>, or text only
    for child, line in _with_lines(token, first_line):
        if child.type == "link_open":
            href = resolve_link(str(child.attrs["href"]), line)
            shown.append(href is not None and is_safe_href(href))
            if shown[-1]:
                children.append(child.copy(attrs={**child.attrs, "href": str(href)}))
        elif child.type == "link_close":
            if shown.pop() if shown else True:
                children.append(child)
        else:
            children.append(child)
    return children


class _InlineWriter:
    """Writes one inline token's children, opening and closing spans at offsets.

    A sentence boundary can fall inside <em> or a link; the open inline tags
    are closed before the boundary and reopened after it, so the HTML stays
    well nested and every sentence is one element a link can target. Entity
    links go only inside one text run and never inside a Markdown link.
    """

    def __init__(
        self, spans: Sequence[Span], resolve_link: LinkResolver, line: int, raw_html: bool
    ) -> None:
        self.sentences = sorted((s for s in spans if s.kind == "sentence"), key=_START)
        self.links = sorted((s for s in spans if s.kind == "link"), key=_START)
        # Worked out once: a paragraph has dozens of sentences, and looking them
        # all up again at every cut made long paragraphs quadratic.
        self.cuts = sorted({s.start for s in self.sentences} | {s.end for s in self.sentences})
        self.starting: dict[int, Span] = {}  # the first sentence, as sorted, to start at an offset
        for sentence in self.sentences:
            self.starting.setdefault(sentence.start, sentence)
        self.resolve_link = resolve_link
        self.line = line  # line of the file the next child is on
        self.raw_html = raw_html
        self.out: list[str] = []
        self.open_tags: list[Token] = []  # inline tags open right now
        self.in_sentence: Span | None = None
        self.in_link = 0  # depth of Markdown links
        self.link_shown: list[bool] = []  # per open Markdown link: written as <a>, or text only
        self.offset = 0  # plain-text offset of the next character written

    def render(self, children: Sequence[Token]) -> str:
        self._boundary(0)
        for child in children:
            self._child(child)
            self.line += child.type in ("softbreak", "hardbreak")
        if self.in_sentence:
            self._between_tags("</span>")
        return "".join(self.out)

    def _child(self, child: Token) -> None:
        if child.type == "html_inline" and self.raw_html:
            self._raw_html(child)
        elif child.type in ("text", "code_inline", "softbreak", "hardbreak", "html_inline"):
            self._text(child)
        elif child.type == "link_open":
            self.in_link += 1
            href = self.resolve_link(str(child.attrs["href"]), self.line)
            self.link_shown.append(href is not None and is_safe_href(href))
            if self.link_shown[-1]:
                self._open(child.copy(attrs={**child.attrs, "href": str(href)}))
        elif child.type == "link_close":
            self.in_link -= 1
            shown = self.link_shown.pop() if self.link_shown else True
            if shown:
                self._close(child)
        elif child.nesting == 1:
            self._open(child)
        elif child.nesting == -1:
            self._close(child)
        else:  # images and other self-contained tokens
            self.out.append(_PARSER.renderer.render([child], _PARSER.options, {}))

    def _open(self, child: Token) -> None:
        self.open_tags.append(child)
        self.out.append(_open_tag(child))

    def _close(self, child: Token) -> None:
        if self.open_tags:
            self.open_tags.pop()
        self.out.append(f"</{child.tag}>")

    def _raw_html(self, child: Token) -> None:
        """A tag kept as it is: sentence boundaries inside it move to just after it."""
        start, end = self.offset, self.offset + len(child.content)
        self.out.append(child.content)
        self.offset = end
        for cut in self.cuts[bisect_right(self.cuts, start) : bisect_right(self.cuts, end)]:
            self._boundary(cut)

    def _text(self, child: Token) -> None:
        text = _child_text(child)
        start, end = self.offset, self.offset + len(text)
        links = self._links_in(child, start, end)
        link_at = {s.start: s for s in reversed(links)}  # the first, as sorted, at each offset
        open_link: Span | None = None
        # Most text has nothing to escape: it is written as it is, not escaped piece by piece.
        as_is = child.type == "text" and not _ESCAPED_IN_TEXT.search(text)
        for cut in self._cuts_in(start, end, links):
            piece = text[self.offset - start : cut - start]
            if as_is:
                self.out.append(piece)
            else:
                self._write_text(child, piece)
            self.offset = cut
            if open_link and open_link.end == cut:
                self.out.append("</a>")
                open_link = None
            self._boundary(cut)
            starting = link_at.get(cut)
            if starting and open_link is None:
                self.out.append(_entity_link_tag(starting.value))
                open_link = starting

    def _links_in(self, child: Token, start: int, end: int) -> list[Span]:
        """The entity links that fit in this text run: none in code or a Markdown link."""
        if self.in_link or child.type != "text":
            return []
        return [s for s in self.links if start <= s.start and s.end <= end]

    def _cuts_in(self, start: int, end: int, links: Sequence[Span]) -> list[int]:
        """Offsets from `start` on, before `end`, where a sentence or a link starts
        or ends, then `end`."""
        cuts = self.cuts[bisect_left(self.cuts, start) : bisect_left(self.cuts, end)]
        if links:
            ends = {s.start for s in links} | {s.end for s in links}
            cuts = sorted({*cuts, *(c for c in ends if start <= c < end)})
        return [*cuts, end]

    def _write_text(self, child: Token, text: str) -> None:
        if not text:
            return
        if child.type == "hardbreak":
            self.out.append("<br>\n")
        elif child.type == "softbreak":
            self.out.append("\n")
        elif child.type == "code_inline":
            self.out.append(f"<code>{escape(text)}</code>")
        else:
            self.out.append(escape(text, quote=False))

    def _boundary(self, offset: int) -> None:
        current = self.in_sentence
        starting = self.starting.get(offset)
        if current and (current.end <= offset or (starting and starting is not current)):
            self._between_tags("</span>")
            self.in_sentence = None
        if starting and starting is not current:
            self._between_tags(_sentence_tag(starting.value))
            self.in_sentence = starting

    def _between_tags(self, html: str) -> None:
        """Writes `html` with the open inline tags closed before it and opened again after."""
        tags = self.open_tags  # most sentences start and end outside any inline tag
        if tags:
            self.out.extend(f"</{t.tag}>" for t in reversed(tags))
        self.out.append(html)
        if tags:
            self.out.extend(_open_tag(t) for t in tags)


# The same sentence ids, and links to the same entities, come back page after page.
@functools.lru_cache(maxsize=1 << 12)
def _sentence_tag(sentence_id: str) -> str:
    return f'<span class="sentence" id="{escape(sentence_id)}">'


@functools.lru_cache(maxsize=1 << 12)
def _entity_link_tag(href: str) -> str:
    return f'<a class="entity" href="{escape(href)}">'


def _open_tag(token: Token) -> str:
    attrs = "".join(f' {escape(str(k))}="{escape(str(v))}"' for k, v in token.attrs.items())
    return f"<{token.tag}{attrs}>"
