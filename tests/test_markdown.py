import pytest

from generator.markdown import (
    Span,
    is_safe_href,
    links_in,
    parse_body,
    render_body,
    sanitise_html,
)


def spans_for(text: str, *pieces: tuple[str, str, str]) -> list[Span]:
    found = []
    for piece, kind, value in pieces:
        start = text.index(piece)
        found.append(Span(start=start, end=start + len(piece), kind=kind, value=value))
    return found


def test_paragraph_text_is_plain_and_knows_its_line() -> None:
    body = parse_body("Intro *with* `code`\nand a [link](x.md).\n\n- item\n\n> quote\n", 7)
    assert [(p.text, p.line, p.kind) for p in body.paragraphs] == [
        ("Intro with code and a link.", 7, "paragraph"),
        ("item", 10, "list_item"),
        ("quote", 12, "blockquote"),
    ]


def test_sentences_get_anchors_even_across_emphasis() -> None:
    body = parse_body("One *two. Three* four.\n")
    text = body.paragraphs[0].text
    spans = spans_for(text, ("One two.", "sentence", "p1s1"), ("Three four.", "sentence", "p1s2"))
    html = render_body(body, {1: spans})
    assert html == (
        '<p><span class="sentence" id="p1s1">One <em>two.</em></span><em> </em>'
        '<span class="sentence" id="p1s2"><em>Three</em> four.</span></p>\n'
    )


def test_first_mentions_are_linked_but_never_inside_a_link() -> None:
    body = parse_body("Ruto met [Rubio](https://example.org) in Kenya.\n")
    text = body.paragraphs[0].text
    spans = spans_for(
        text,
        ("Ruto", "link", "people/ruto/"),
        ("Rubio", "link", "people/rubio/"),
        ("Kenya", "link", "places/kenya/"),
    )
    html = render_body(body, {1: spans})
    assert '<a class="entity" href="people/ruto/">Ruto</a>' in html
    assert '<a class="entity" href="places/kenya/">Kenya</a>' in html
    assert "people/rubio/" not in html


def test_raw_html_is_shown_as_text() -> None:
    html = render_body(parse_body("Hello <script>alert(1)</script>\n"), {})
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_links_to_articles_are_rewritten_and_headings_shifted() -> None:
    body = parse_body("# Top\n\nSee [this](other.md#p1s1).\n")
    html = render_body(
        body, {}, lambda href, line: "../other/" if href.startswith("other.md") else href
    )
    assert "<h3>Top</h3>" in html
    assert '<a href="../other/">this</a>' in html


def test_links_know_their_exact_line_even_in_tables() -> None:
    body = parse_body("One\n[a](a.md) and\n[b](b.md).\n\n| x |\n|---|\n| [c](c.md) |\n", 3)
    assert links_in(body) == [("a.md", 4), ("b.md", 5), ("c.md", 9)]
    seen: list[tuple[str, int]] = []
    render_body(body, {}, lambda href, line: seen.append((href, line)) or href)
    assert seen == [("a.md", 4), ("b.md", 5), ("c.md", 9)]


@pytest.mark.parametrize(
    "href", ["http://x.org/", "HTTPS://x.org", "mailto:a@x.org", "../a.md", "#p1s1", "a/b:c"]
)
def test_web_mail_and_relative_links_are_safe(href: str) -> None:
    assert is_safe_href(href)


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "JavaScript:x", "java\tscript:x", " \x01javascript:x"]
    + ["data:text/html,x", "vbscript:x", "ftp://x.org/", "file:///etc/passwd", "tel:123"],
)
def test_every_other_scheme_is_unsafe(href: str) -> None:
    assert not is_safe_href(href)


def test_links_with_other_schemes_are_shown_as_text_only() -> None:
    source = "[ftp](ftp://x.org/f) [irc](irc://x.org) <ftp://x.org/auto> [web](https://x.org/)\n"
    html = render_body(parse_body(source + "\n| [t](ftp://x.org) |\n|---|\n"), {})
    assert html.startswith(
        '<p>ftp irc ftp://x.org/auto <a href="https://x.org/">web</a></p>\n<table>'
    )
    assert "<th>t</th>" in html and "href" not in html.split("<table>")[1]


def test_a_resolver_can_turn_a_link_into_text() -> None:
    html = render_body(parse_body("See [there](x.md), *now*.\n"), {}, lambda href, line: None)
    assert html == "<p>See there, <em>now</em>.</p>\n"


def test_inline_and_block_html_count_as_text_and_keep_their_sentences() -> None:
    body = parse_body(
        'A <b onclick="x()">bold</b> move. Then more.\n\n<div>\nRaw. Block.\n</div>\n'
    )
    assert [p.text for p in body.paragraphs] == [
        'A <b onclick="x()">bold</b> move. Then more.',
        "<div> Raw. Block. </div>",
    ]
    first = body.paragraphs[0].text.index("Then")
    spans = {
        1: [Span(start=0, end=first - 1, kind="sentence", value="p1s1")],
        2: [Span(start=0, end=10, kind="sentence", value="p2s1")],
    }
    shown = render_body(body, spans)
    assert (
        '<span class="sentence" id="p1s1">A &lt;b onclick="x()"&gt;bold&lt;/b&gt; move.</span>'
        in shown
    )
    assert (
        '<p><span class="sentence" id="p2s1">&lt;div&gt; Raw.</span> Block. &lt;/div&gt;</p>'
        in shown
    )
    kept = render_body(body, spans, raw_html=True)
    assert '<span class="sentence" id="p1s1">A <b>bold</b> move.</span>' in kept
    assert '<span class="sentence" id="p2s1"></span><div>\nRaw. Block.\n</div>' in kept


def test_raw_html_is_sanitised_when_turned_on() -> None:
    source = (
        '<script>alert(1)</script>\n\nHi <img src=x onerror="alert(1)"> '
        '<a href="javascript:alert(1)">j</a> <a href="ftp://x.org">f</a> '
        '<a href="https://x.org" onmouseover="x()">ok</a> <iframe src="https://x.org"></iframe>\n'
    )
    html = render_body(parse_body(source), {}, raw_html=True)
    assert "script" not in html and "alert" not in html and "iframe" not in html
    assert "onerror" not in html and "onmouseover" not in html and "ftp:" not in html
    assert '<img src="x">' in html and '<a href="https://x.org">ok</a>' in html


def test_the_sanitiser_keeps_our_own_anchors_and_entity_links_only() -> None:
    html = sanitise_html(
        '<span class="sentence" id="p1s1">a</span><span class="evil" id="x">b</span>'
        '<a class="entity" href="../people/x/">c</a><a class="btn" href="/" style="x">d</a>'
    )
    assert html == (  # ammonia leaves an empty class where it removed every name
        '<span class="sentence" id="p1s1">a</span><span class="" id="x">b</span>'
        '<a class="entity" href="../people/x/">c</a><a class="" href="/">d</a>'
    )
