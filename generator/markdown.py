"""Markdown body -> plain-text paragraphs, and back to HTML with sentence anchors.

This is the one place that knows markdown-it-py; its camelCase API stays here.
Extraction works on each block's plain text; rendering maps the extracted
offsets back onto the inline tokens, so sentences get anchors and first
mentions get links without re-parsing any HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .model import Paragraph

_TEXT_BLOCKS = {"paragraph_open": "paragraph", "heading_open": "heading"}


def _new_parser() -> MarkdownIt:
    # CommonMark, raw HTML shown as text: articles come from many hands.
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


_PARSER = _new_parser()


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A range of one paragraph's plain text to wrap: a sentence or a link."""

    start: int
    end: int
    kind: str  # "sentence" (wrapped in a span with `id`) or "link" (an <a href>)
    value: str  # the sentence id, or the link's href


@dataclass(frozen=True, slots=True, kw_only=True)
class Body:
    """A parsed article body: the token stream and its text blocks."""

    tokens: tuple[Token, ...]
    paragraphs: tuple[Paragraph, ...]
    block_tokens: tuple[int, ...]  # index in `tokens` of each paragraph's inline token


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
        elif token.type == "inline" and index and tokens[index - 1].type in _TEXT_BLOCKS:
            text = inline_text(token)
            if not text.strip():
                continue
            opener = tokens[index - 1]
            kind = _TEXT_BLOCKS[opener.type]
            if kind == "paragraph" and context:
                kind = context[-1]
            line = first_line + (opener.map[0] if opener.map else 0)
            paragraphs.append(Paragraph(index=len(paragraphs) + 1, text=text, line=line, kind=kind))
            positions.append(index)
    return Body(tokens=tokens, paragraphs=tuple(paragraphs), block_tokens=tuple(positions))


def inline_text(token: Token) -> str:
    """The plain text of an inline token, as a reader sees it."""
    return "".join(_child_text(child) for child in token.children or ())


def _child_text(child: Token) -> str:
    if child.type in ("text", "code_inline"):
        return child.content
    if child.type in ("softbreak", "hardbreak"):
        return " "
    return ""


def links_in(body: Body) -> list[tuple[str, int]]:
    """Every link target in the body with the line it is on."""
    found: list[tuple[str, int]] = []
    for paragraph, position in zip(body.paragraphs, body.block_tokens, strict=True):
        for child in body.tokens[position].children or ():
            if child.type == "link_open":
                found.append((str(child.attrGet("href") or ""), paragraph.line))
    return found


def render_body(
    body: Body,
    spans: Mapping[int, Sequence[Span]],
    resolve_link: Callable[[str], str] = lambda href: href,
) -> str:
    """HTML of the body, with `spans` (by paragraph index) woven into the text.

    Body headings are shifted down so the page's own h1/h2 stay on top, and
    `resolve_link` rewrites link targets (e.g. `other.md` to a briefing URL).
    """
    shift = _heading_shift(body.tokens)
    tokens = [_shifted(token, shift) for token in body.tokens]
    for paragraph, position in zip(body.paragraphs, body.block_tokens, strict=True):
        html = _render_inline(body.tokens[position], spans.get(paragraph.index, ()), resolve_link)
        tokens[position] = tokens[position].copy(
            children=[Token("html_inline", "", 0, content=html)]
        )
    for index, token in enumerate(tokens):
        if token.type == "inline" and index not in body.block_tokens:
            tokens[index] = token.copy(children=_relinked(token, resolve_link))
    return str(_PARSER.renderer.render(tokens, _PARSER.options, {}))


def render_inline_markdown(text: str) -> str:
    """HTML for a one-line Markdown string such as an author-written fact."""
    return str(_PARSER.renderInline(text))


def _heading_shift(tokens: Sequence[Token]) -> int:
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    return max(0, 3 - min(levels)) if levels else 0


def _shifted(token: Token, shift: int) -> Token:
    if shift and token.type in ("heading_open", "heading_close"):
        return token.copy(tag=f"h{min(6, int(token.tag[1]) + shift)}")
    return token


def _relinked(token: Token, resolve_link: Callable[[str], str]) -> list[Token]:
    children: list[Token] = []
    for child in token.children or ():
        if child.type == "link_open":
            child = child.copy(
                attrs={**child.attrs, "href": resolve_link(str(child.attrs["href"]))}
            )
        children.append(child)
    return children


class _InlineWriter:
    """Writes one inline token's children, opening and closing spans at offsets.

    A sentence boundary can fall inside <em> or a link; the open inline tags
    are closed before the boundary and reopened after it, so the HTML stays
    well nested and every sentence is one element a link can target. Entity
    links go only inside one text run and never inside a Markdown link.
    """

    def __init__(self, spans: Sequence[Span], resolve_link: Callable[[str], str]) -> None:
        self.sentences = sorted((s for s in spans if s.kind == "sentence"), key=lambda s: s.start)
        self.links = sorted((s for s in spans if s.kind == "link"), key=lambda s: s.start)
        self.resolve_link = resolve_link
        self.out: list[str] = []
        self.open_tags: list[Token] = []  # inline tags open right now
        self.in_sentence: Span | None = None
        self.in_link = 0  # depth of Markdown links
        self.offset = 0  # plain-text offset of the next character written

    def render(self, children: Sequence[Token]) -> str:
        self._boundary(0)
        for child in children:
            self._child(child)
        if self.in_sentence:
            self._reopen(close_span=True, open_span=None)
        return "".join(self.out)

    def _child(self, child: Token) -> None:
        if child.type in ("text", "code_inline", "softbreak", "hardbreak"):
            self._text(child)
        elif child.nesting == 1:
            if child.type == "link_open":
                self.in_link += 1
                href = self.resolve_link(str(child.attrs["href"]))
                child = child.copy(attrs={**child.attrs, "href": href})
            self.open_tags.append(child)
            self.out.append(_open_tag(child))
        elif child.nesting == -1:
            self.in_link -= child.type == "link_close"
            if self.open_tags:
                self.open_tags.pop()
            self.out.append(f"</{child.tag}>")
        else:  # images and other self-contained tokens
            self.out.append(_PARSER.renderer.render([child], _PARSER.options, {}))

    def _text(self, child: Token) -> None:
        text = _child_text(child)
        start = self.offset
        links = (
            []
            if self.in_link or child.type != "text"
            else [s for s in self.links if start <= s.start and s.end <= start + len(text)]
        )
        cuts = sorted(
            {s.start for s in self.sentences}
            | {s.end for s in self.sentences}
            | {s.start for s in links}
            | {s.end for s in links}
        )
        cuts = [c for c in cuts if start <= c < start + len(text)] + [start + len(text)]
        open_link: Span | None = None
        for cut in cuts:
            self._write_text(child, text[self.offset - start : cut - start])
            self.offset = cut
            if open_link and open_link.end == cut:
                self.out.append("</a>")
                open_link = None
            self._boundary(cut)
            starting = next((s for s in links if s.start == cut), None)
            if starting and open_link is None:
                self.out.append(f'<a class="entity" href="{escape(starting.value)}">')
                open_link = starting

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
        starting = next((s for s in self.sentences if s.start == offset), None)
        if current and (current.end <= offset or (starting and starting is not current)):
            self._reopen(close_span=True, open_span=None)
            self.in_sentence = None
        if starting and starting is not current:
            self._reopen(close_span=False, open_span=starting)
            self.in_sentence = starting

    def _reopen(self, close_span: bool, open_span: Span | None) -> None:
        tags = list(self.open_tags)
        self.out.extend(f"</{t.tag}>" for t in reversed(tags))
        if close_span:
            self.out.append("</span>")
        if open_span:
            self.out.append(f'<span class="sentence" id="{escape(open_span.value)}">')
        self.out.extend(_open_tag(t) for t in tags)


def _render_inline(token: Token, spans: Sequence[Span], resolve_link: Callable[[str], str]) -> str:
    return _InlineWriter(spans, resolve_link).render(token.children or ())


def _open_tag(token: Token) -> str:
    attrs = "".join(f' {escape(str(k))}="{escape(str(v))}"' for k, v in token.attrs.items())
    return f"<{token.tag}{attrs}>"
