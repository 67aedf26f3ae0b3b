"""Random front matter and Markdown full of hostile strings, through parse -> extract -> render.

Each example either builds, with every hostile string escaped in every
output file, or fails with a BuildError. Any other exception is a bug.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import yaml
from factories import renderer_of
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.config import parse_config
from generator.errors import BuildError
from generator.extract import extract
from generator.load import check_unique_slugs, parse_article
from generator.model import Briefing
from generator.outputs import briefing_json, briefings_json, render_outputs
from generator.render import THEME_TEMPLATES

HOSTILE = [
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "]]>",
    "<![CDATA[x]]>",
    "<!--",
    "-->",
    "</title><svg onload=alert(1)>",
    '"',
    "'",
    "&amp;&lt;",
    "\\",
    "{{ 7 * 7 }}",
    "{% raw %}",
    "\x00",
    "\x1b[31m",
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u2028",
    "\ufeff",
    "\ud800",  # a lone surrogate, which no UTF-8 file can hold
    "9" * 400,
    "1e999",
    "-0",
    "Ruto",
    "Kenya",
]
MARKDOWN = [
    "[link](javascript:alert(1))",
    "[link](JAVASCRIPT:alert(1))",
    "[link](java\tscript:alert(1))",
    "[link](ftp://example.org/x)",
    "[link](data:text/html,x)",
    "[ok](https://example.org/?q=<script>)",
    '[title](https://example.org "a\\" onclick=\\"x")',
    "[other](b.md)",
    "[missing](nope.md#p1s1)",
    "[host](http://[oops/)",
    "<javascript:alert(1)>",
    '<https://example.org/"onmouseover=x>',
    "![img](javascript:alert(1))",
    '![x" onerror="alert(1)](https://example.org/i.png)',
    '<a href="javascript:alert(1)">a</a>',
    '<img src=x onerror="alert(1)">',
    "<div onclick=alert(1)>",
    "<script>",
    "</script>",
    "<style>body{}</style>",
    "<iframe src=https://example.org></iframe>",
    "# Heading",
    "- item",
    "> quote",
    "```\ncode <script>\n```",
    "`<b>`",
    "| a | b |\n|---|---|\n| [c](javascript:x) | <i>d</i> |",
    "*em*",
    '"Quoted," said Ruto.',
]
KEYS = ["title", "date", "source", "source_url", "author", "tags", "summary", "facts", "slug"]
URLS = [
    "https://example.org/?q=<script>alert(1)</script>",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/]]>",
    "mailto:desk@example.org?subject=<b>",
    "javascript:alert(1)",
]
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Text a page can hold: most examples should build, so escaping gets checked.
printable = st.one_of(
    st.sampled_from([h for h in HOSTILE if not FORBIDDEN.search(h)]),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20),
)
text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20))  # anything at all
scalar = st.one_of(
    text,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates(),
    st.none(),
)
value = st.one_of(scalar, st.lists(scalar, max_size=3))


@st.composite
def good_front_matter(draw: st.DrawFn) -> str:
    """Front matter of the right shape, with hostile text in every field."""
    fields: dict[str, object] = {
        "title": draw(printable) + "x",
        "date": draw(st.one_of(st.dates(), st.datetimes())),
    }
    optional = {
        "source": printable,
        "source_url": st.sampled_from(URLS),
        "author": printable,
        "summary": printable,
        "tags": st.lists(printable, max_size=3),
        "facts": st.lists(printable, max_size=3),
        "extra": st.dictionaries(printable, printable, max_size=2),
    }
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
        fields[key] = draw(optional[key])
    return yaml.safe_dump(fields, allow_unicode=draw(st.booleans()))


@st.composite
def any_front_matter(draw: st.DrawFn) -> str:
    """Any types, unknown keys, or raw `key: value` lines that may not be YAML at all."""
    fields = {"title": draw(text), "date": "2025-03-04"}
    fields.update(draw(st.dictionaries(st.sampled_from([*KEYS, "extra", "sumary"]), value)))
    if draw(st.booleans()):
        return yaml.safe_dump(fields, allow_unicode=draw(st.booleans()))
    return "".join(f"{key}: {draw(text)}\n" for key in fields)


@st.composite
def article(draw: st.DrawFn) -> str:
    good = draw(st.integers(0, 3)) > 0  # three in four articles are well formed
    front = draw(good_front_matter() if good else any_front_matter())
    pieces = st.one_of(st.sampled_from(HOSTILE + MARKDOWN), printable if good else text)
    separators = st.sampled_from([" ", "\n", "\n\n", ". "])
    body = "".join(piece + draw(separators) for piece in draw(st.lists(pieces, max_size=12)))
    return f"---\n{front}---\n\n{body}\n"


@st.composite
def site_yaml(draw: st.DrawFn) -> str:
    fields = {"title": draw(printable), "description": draw(printable)}
    fields["raw_html"] = draw(st.booleans())
    fields["base_url"] = "https://example.org/sub/"
    fields["templates_dir"] = str(THEME_TEMPLATES)
    fields["search"] = False  # the search index runs an external tool, not under test here
    return yaml.safe_dump(fields, allow_unicode=True)


def build_in_memory(site: str, articles: list[str]) -> dict[str, str]:
    """parse -> extract -> link -> render, as the build does, without writing anything."""
    config = parse_config(site, "site.yaml", Path("."))
    parsed = [
        parse_article(source, f"{name}.md", f"content/{name}.md")
        for name, source in zip("abc", articles, strict=False)
    ]
    problems = check_unique_slugs(parsed, Path("content"))
    if problems:
        raise BuildError(problems)
    briefings = [Briefing(article=a, extraction=extract(a, config.extract)) for a in parsed]
    renderer = renderer_of(config, briefings)
    pages = {p: html.decode() for p, html in renderer.render_all().items()}
    outputs = render_outputs(config, renderer.graph, [p.removesuffix("index.html") for p in pages])
    entities = {e.key: e for e in renderer.graph.entities}
    lines = [briefing_json(config, renderer.graph, entities, renderer.load(s))
             for s in renderer.graph.briefings]  # fmt: skip
    return {**pages, **outputs, "briefings.json": b"".join(briefings_json(config, lines)).decode()}


class Markup(HTMLParser):
    """Every start tag with its attributes, and the type and text of every script element."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[str, str]] = []  # (type attribute, text)
        self.in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        if tag == "script":
            self.scripts.append((self.tags[-1][1].get("type", ""), ""))
            self.in_script = True

    def handle_endtag(self, tag: str) -> None:
        self.in_script = self.in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self.in_script:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)


BAD_SCHEME = re.compile(r"^[\x00-\x20]*(javascript|vbscript|data|file):", re.IGNORECASE)


def check_html(path: str, html: str) -> list[str]:
    problems = []
    page = Markup(html)
    for tag, attrs in page.tags:
        handlers = [name for name in attrs if name.startswith("on")]
        if handlers:
            problems.append(f"{path}: <{tag}> has event handlers {handlers}")
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            url = re.sub(r"[\t\n\r]", "", attrs.get(name, ""))
            if BAD_SCHEME.match(url):
                problems.append(f"{path}: <{tag} {name}={attrs[name]!r}>")
        ours = attrs.get("type") == "application/ld+json" or (
            attrs.get("src", "").endswith("static/search.js")
        )
        if tag in ("script", "iframe", "object", "embed", "style") and not ours:
            problems.append(f"{path}: a <{tag}> element: {attrs}")
    for kind, script in page.scripts:
        if "<" in script:
            problems.append(f"{path}: unescaped < in a script: {script[:80]!r}")
        if kind == "application/ld+json":
            json.loads(script)  # still JSON, whatever the text held
    return problems


@settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "40")),  # more for a deeper local run
    deadline=None,
    database=None,
    # CI replays the same examples every run so a landing never hinges on luck;
    # local runs draw new ones and keep exploring.
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(site=site_yaml(), articles=st.lists(article(), min_size=1, max_size=3))
def test_hostile_input_builds_escaped_or_fails_with_a_build_error(
    site: str, articles: list[str]
) -> None:
    try:
        files = build_in_memory(site, articles)
    except BuildError as error:
        assert error.problems
        event("failed with a BuildError")
        return
    event("built")
    problems: list[str] = []
    for path, content in files.items():
        if path.endswith(".html"):
            problems += check_html(path, content)
        elif path.endswith(".xml"):
            ET.fromstring(content.encode("utf-8"))
            if "<script" in content:
                problems.append(f"{path}: a raw <script")
        elif path.endswith(".json"):
            json.loads(content)
        content.encode("utf-8")  # no lone surrogate got through
    assert not problems, "\n".join(problems)


def test_the_check_itself_finds_scripts_handlers_and_script_urls() -> None:
    html = (
        '<p onclick="x()">a</p><a href=" java\nscript:x()">b</a><script>alert(1)</script>'
        '<script type="application/ld+json">{"a": "</b>"}</script><p>&lt;script&gt;</p>'
    )
    assert check_html("x.html", html) == [
        "x.html: <p> has event handlers ['onclick']",
        "x.html: <a href=' java\\nscript:x()'>",
        "x.html: a <script> element: {}",
        'x.html: unescaped < in a script: \'{"a": "</b>"}\'',
    ]
