import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from factories import make_briefing, renderer_of

from generator.config import SiteConfig
from generator.errors import Problem
from generator.render import (
    THEME_TEMPLATES,
    Renderer,
    Urls,
    display_date,
    make_environment,
    path_to_file,
    plain_bytes,
    template_problem,
)


def test_links_are_relative_so_any_subpath_works() -> None:
    urls = Urls("https://org.github.io/briefings/")
    assert urls.relative("briefings/a/", "tags/trade/") == "../../tags/trade/"
    assert urls.relative("briefings/a/", "") == "../../"
    assert urls.relative("", "static/style.css") == "static/style.css"
    assert urls.relative("", "") == "./"
    assert urls.relative("tags/", "tags/") == "./"


def test_the_404_page_links_from_the_site_root_path() -> None:
    urls = Urls("https://org.github.io/briefings/")
    assert urls.relative("404.html", "tags/") == "/briefings/tags/"
    assert urls.absolute("tags/") == "https://org.github.io/briefings/tags/"


def test_file_urls_can_name_index_html() -> None:
    urls = Urls("https://example.org/", directory_urls=False)
    assert urls.relative("briefings/a/", "tags/") == "../../tags/index.html"


def test_dates_read_naturally_at_their_precision() -> None:
    day = dt.date(2025, 9, 4)
    assert display_date(day) == "4 September 2025"
    assert display_date(day, "month") == "September 2025"
    assert display_date(day, "year") == "2025"
    assert path_to_file("briefings/a/") == "briefings/a/index.html"
    assert path_to_file("404.html") == "404.html"


def render_body_of(text: str, body: str, **settings: object) -> tuple[str, Renderer]:
    """The body HTML of a one-briefing site whose article has `body` as its Markdown."""
    briefing = make_briefing("a", text)
    article = replace(briefing.article, source_path="2025/a.md", body=body, body_line=5)
    briefing = replace(briefing, article=article)
    config = SiteConfig(content_dir=Path("content"), templates_dir=THEME_TEMPLATES)
    renderer = renderer_of(replace(config, **settings), [briefing])
    return renderer.body_html(briefing, "briefings/a/"), renderer


def test_a_link_to_a_missing_article_is_a_warning_naming_its_line() -> None:
    html, renderer = render_body_of(
        "See the report. And more.",
        "See [the report](../2024/gone.md).\nAnd [more](a.md#p1s1).\n",
    )
    assert renderer.problems == [
        Problem(
            path="content/2025/a.md",
            line=5,
            message="link to ../2024/gone.md: no such article; fix the path or remove the link",
            warning=True,
        )
    ]
    assert '<a href="../2024/gone.md">the report</a>' in html
    assert '<a href="./#p1s1">more</a>' in html


def test_raw_html_is_kept_only_when_site_yaml_turns_it_on() -> None:
    body = 'A <b onclick="x()">bold</b> <script>alert(1)</script> step.\n'
    shown, _ = render_body_of("A bold step.", body)
    kept, _ = render_body_of("A bold step.", body, raw_html=True)
    assert "&lt;b onclick" in shown and "&lt;script&gt;" in shown
    assert "<b>bold</b>" in kept and "script" not in kept and "onclick" not in kept


def test_a_template_error_names_the_template_and_its_line(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<p>\n{% set n = 1 %}\n{{ n + 'a' }}\n</p>\n")
    environment = make_environment(tmp_path)
    with pytest.raises(TypeError) as caught:
        environment.get_template("page.html").render()
    problem = template_problem(caught.value, "page.html")
    assert problem is not None
    assert (problem.path, problem.line) == (str(tmp_path / "page.html"), 3)
    assert problem.message.startswith("template error: unsupported operand type")
    assert template_problem(TypeError("not from a template"), "page.html") is None


def test_json_in_a_script_cannot_end_the_script() -> None:
    environment = make_environment(THEME_TEMPLATES)
    template = environment.from_string('<script type="application/ld+json">{{ d|tojson }}</script>')
    html = template.render(d={"name": "</script><script>alert(1)</script><!-- '&"})
    inside = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inside and ">" not in inside and "&" not in inside
    assert json.loads(inside) == {"name": "</script><script>alert(1)</script><!-- '&"}


def test_the_timeline_has_a_page_per_year_and_shows_the_newest_first() -> None:
    from generator.model import DateMention

    def dated(slug: str, *days: dt.date):  # type: ignore[no-untyped-def]
        briefing = make_briefing(slug, "Kenya signed it. It came into force.")
        mentions = tuple(
            DateMention(text=str(day), date=day, precision="day", sentence="p1s1", event=slug)
            for day in days
        )
        return replace(briefing, extraction=replace(briefing.extraction, dates=mentions))

    briefings = [
        dated("a", dt.date(2024, 6, 25)),
        dated("b", dt.date(2025, 9, 30), dt.date(2025, 1, 2)),
    ]
    config = SiteConfig(content_dir=Path("content"), templates_dir=THEME_TEMPLATES)
    pages = renderer_of(config, briefings).contexts()
    assert [y["year"] for y in pages["timeline/"]["years"]] == [2025, 2024]
    newest = pages["timeline/"]["groups"]
    assert [g["label"] for g in newest] == ["September 2025", "January 2025"]
    assert pages["timeline/2025/"]["groups"] == newest
    assert [g["label"] for g in pages["timeline/2024/"]["groups"]] == ["June 2024"]


def test_a_long_timeline_year_goes_on_over_numbered_pages() -> None:
    from generator.model import DateMention

    days = [dt.date(2025, month, 1) for month in (9, 7, 5, 3, 1)]
    briefing = make_briefing("a", "Kenya signed it. It came into force.")
    mentions = tuple(
        DateMention(text=str(day), date=day, precision="day", sentence="p1s1", event=str(day))
        for day in [*days, dt.date(2024, 6, 25)]
    )
    briefings = [replace(briefing, extraction=replace(briefing.extraction, dates=mentions))]
    config = SiteConfig(content_dir=Path("content"), templates_dir=THEME_TEMPLATES,
                        list_page_size=2)  # fmt: skip
    renderer = renderer_of(config, briefings)
    pages = renderer.contexts()
    year = ["timeline/2025/", "timeline/2025/page/2/", "timeline/2025/page/3/"]
    assert {p for p in pages if p.startswith("timeline/")} == {"timeline/", *year, "timeline/2024/"}
    labels = [[g["label"] for g in pages[p]["groups"]] for p in year]
    assert labels == [["September 2025", "July 2025"], ["May 2025", "March 2025"], ["January 2025"]]
    assert pages["timeline/"]["groups"] == pages["timeline/2025/"]["groups"]
    assert pages["timeline/"]["pagination"] == {
        "number": 1, "count": 3, "previous": None, "next": "timeline/2025/page/2/"
    }  # fmt: skip
    assert [y["count"] for y in pages["timeline/2025/page/3/"]["years"]] == [5, 1]
    assert pages["timeline/2024/"]["pagination"]["count"] == 1
    html = {
        page.path: renderer.make_page(page, None)[0].decode()
        for page in renderer.pages()
        if page.path.startswith("timeline/")
    }
    second = html["timeline/2025/page/2/"]
    assert "page 2 of 3" in second and "Timeline: 2025, page 2 |" in second
    assert 'href="../3/" rel="next">Earlier dates' in second
    assert 'href="../../" rel="prev">Later dates' in second
    assert 'href="2025/page/2/" rel="next"' in html["timeline/"]
    assert 'rel="next"' not in html["timeline/2024/"]


def test_a_new_title_changes_the_signature_of_every_page_showing_it_and_no_other() -> None:
    def signatures(title: str) -> dict[str, str]:
        briefings = [
            make_briefing("a", "Kenya signed a deal. It held.", {"Kenya": "place"}, ("trade",),
                          date=dt.date(2025, 9, 24)),
            make_briefing("b", "Kenya and Uganda met. They talked.",
                          {"Kenya": "place", "Uganda": "place"}, ("trade",),
                          date=dt.date(2025, 9, 23)),
            make_briefing("c", "Uganda built a road. It opened.", {"Uganda": "place"},
                          date=dt.date(2025, 9, 22)),
            make_briefing("d", "Rwanda held a vote. It was calm.", {"Rwanda": "place"},
                          date=dt.date(2025, 9, 21)),
        ]  # fmt: skip
        c = briefings[2]
        briefings[2] = replace(c, article=replace(c.article, title=title))
        config = SiteConfig(content_dir=Path("content"), templates_dir=THEME_TEMPLATES)
        renderer = renderer_of(config, briefings)
        return {page.path: renderer.signature(page) for page in renderer.pages()}

    before, after = signatures("C"), signatures("Uganda opens a road")
    assert before.keys() == after.keys()
    # c's own page follows its cache key, which briefings held in memory do not change
    changed = {path for path in before if before[path] != after[path]}
    # the home page; a and b list c as related, b and d link to it as the one before
    # and after them; Uganda's page lists it
    assert changed == {"", "briefings/a/", "briefings/b/", "briefings/d/", "places/uganda/"}


def test_signed_data_is_told_apart_by_value_not_by_which_strings_are_one_object() -> None:
    one = "".join(["Kenya", " signed"])
    other = "".join(["Kenya", " signed"])  # equal, but another object
    interned = sys.intern("".join(["Kenya", " signed"]))
    assert plain_bytes((one, one)) == plain_bytes((one, other)) == plain_bytes((interned, other))
    assert plain_bytes(("a", "b")) != plain_bytes(("ab", "")) != plain_bytes(["a", "b"])
    with pytest.raises(ValueError):
        plain_bytes(dt.date(2025, 9, 24))  # not plain data: inputs carry a date as text


def test_long_topic_and_entity_lists_go_on_over_numbered_pages() -> None:
    briefings = [
        make_briefing(
            f"b{n}",
            "Kenya signed a trade deal.",
            {"Kenya": "place"},
            tags=("trade",),
            date=dt.date(2025, 9, n),
        )  # fmt: skip
        for n in range(1, 6)
    ]
    config = SiteConfig(content_dir=Path("content"), templates_dir=THEME_TEMPLATES,
                        list_page_size=2)  # fmt: skip
    renderer = renderer_of(config, briefings)
    pages = renderer.contexts()
    for first in ("tags/trade/", "places/kenya/"):
        assert {p for p in pages if p.startswith(first)} == {
            first,
            first + "page/2/",
            first + "page/3/",
        }
        numbers = [pages[p]["pagination"] for p in (first, first + "page/2/", first + "page/3/")]
        assert numbers[0] == {"number": 1, "count": 3, "previous": None, "next": first + "page/2/"}
        assert numbers[2] == {"number": 3, "count": 3, "previous": first + "page/2/", "next": None}
    tag_pages = [
        pages[p]["tag"] for p in ("tags/trade/", "tags/trade/page/2/", "tags/trade/page/3/")
    ]
    assert [[c["path"] for c in t["briefings"]] for t in tag_pages] == [
        ["briefings/b5/", "briefings/b4/"],
        ["briefings/b3/", "briefings/b2/"],
        ["briefings/b1/"],
    ]
    assert {t["count"] for t in tag_pages} == {5}
    entity = pages["places/kenya/page/3/"]["entity"]
    assert entity["count"] == 5 and [a["path"] for a in entity["appearances"]] == ["briefings/b1/"]
    html = {
        page.path: renderer.make_page(page, None)[0].decode()
        for page in renderer.pages()
        if page.path.startswith(("tags/trade/", "places/kenya/"))
    }
    assert (
        "5 briefings" in html["tags/trade/page/2/"] and "page 2 of 3" in html["tags/trade/page/2/"]
    )
    assert 'href="../3/" rel="next"' in html["tags/trade/page/2/"]
    assert 'href="../../" rel="prev"' in html["tags/trade/page/2/"]
    # Search finds a topic or an entity once, by its first page.
    assert (
        "data-pagefind-body" in html["tags/trade/"]
        and "data-pagefind-body" in html["places/kenya/"]
    )
    assert "data-pagefind-body" not in html["tags/trade/page/2/"]
    assert "data-pagefind-body" not in html["places/kenya/page/3/"]
