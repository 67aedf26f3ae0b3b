from generator.markdown import Span, parse_body, render_body


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
    html = render_body(body, {}, lambda href: "../other/" if href.startswith("other.md") else href)
    assert "<h3>Top</h3>" in html
    assert '<a href="../other/">this</a>' in html
