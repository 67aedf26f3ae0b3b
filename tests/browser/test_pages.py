"""Every page kind in headless Chromium, at phone and desktop widths and in both themes:
no console errors, no third-party requests, no sideways scrolling, no layout shift,
a working skip link, and no axe-core violations of WCAG 2.2 AA. Screenshots of each
go to tests/browser/screenshots/ for people to look at."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browsing import SCREENSHOTS, ServedSite, run_axe

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

PAGE_KINDS = ["home", "briefing", "tags", "tag", "entities", "entity", "timeline", "search", "404"]
WIDTHS = {"phone-320": 320, "phone-390": 390, "desktop": 1280}
NOT_FOUND = "no/such/page/"  # GitHub Pages answers any missing path with 404.html


def showcase_briefing(site: ServedSite) -> dict[str, Any]:
    """The newest briefing with every section: the one the README shows."""
    briefings = site.briefings()
    full = [b for b in briefings if b["quotes"] and b["figures"] and b["dates"]]
    return (full or briefings)[0]


def kind_path(site: ServedSite, kind: str) -> str:
    """Site path of one page of the kind."""
    briefing = showcase_briefing(site)
    if kind == "briefing":
        return str(briefing["url"]).removeprefix(site.base_url)
    if kind == "tag":
        return f"tags/{sorted(p.name for p in (site.root / 'tags').iterdir() if p.is_dir())[0]}/"
    if kind == "entity":
        person = next(e for e in briefing["entities"] if e["type"] == "person" and e["url"])
        return str(person["url"]).removeprefix(site.base_url)
    paths = {"home": "", "404": NOT_FOUND, "search": "search/"}
    return paths.get(kind, f"{kind}/")


def horizontal_overflow(page: Any) -> list[str]:
    """Elements wider than the viewport, when the page scrolls sideways."""
    return list(
        page.evaluate(
            """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.querySelectorAll("body *")]
              .filter((e) => e.getBoundingClientRect().right > width + 1)
              .slice(0, 5)
              .map((e) => `${e.tagName.toLowerCase()}.${e.className}: right edge at `
                + `${Math.round(e.getBoundingClientRect().right)} px > ${width} px`);
        }"""
        )
    )


def layout_shift(page: Any) -> float:
    """Cumulative layout shift since the page started loading."""
    return float(
        page.evaluate(
            """() => new Promise((resolve) => {
            new PerformanceObserver((list) => resolve(
                list.getEntries().reduce((sum, e) => sum + (e.hadRecentInput ? 0 : e.value), 0)
            )).observe({type: "layout-shift", buffered: true});
            setTimeout(() => resolve(0), 150);
        })"""
        )
    )


def check_skip_link(page: Any) -> list[str]:
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
        const e = document.activeElement, r = e.getBoundingClientRect();
        return {text: e.textContent.trim(), href: e.getAttribute("href"),
                visible: r.width > 0 && r.top >= 0 && r.bottom <= innerHeight};
    }"""
    )
    if focused["text"] != "Skip to content" or focused["href"] != "#content":
        return [f"first Tab stop is {focused}, not the skip link"]
    if not focused["visible"]:
        return ["the skip link is not visible when focused"]
    page.keyboard.press("Enter")
    target = page.evaluate("() => document.activeElement.id")
    return [] if target == "content" else [f"the skip link moved focus to #{target}, not #content"]


@pytest.mark.parametrize("width_name", WIDTHS)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_kind_reads_cleanly(
    served_site: ServedSite, open_page: Any, kind: str, width_name: str
) -> None:
    url = served_site.url(kind_path(served_site, kind))
    page, problems = open_page(url, width=WIDTHS[width_name], status=404 if kind == "404" else 200)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{kind}-{width_name}.png", full_page=True)
    if kind == "briefing" and width_name == "desktop":  # docs/screenshot-briefing.png
        page.screenshot(path=SCREENSHOTS / "briefing-readme.png")
    found = [f"overflow: {line}" for line in horizontal_overflow(page)]
    if (shift := layout_shift(page)) > 0.01:
        found.append(f"layout shift {shift:.3f}")
    found += [f"axe: {line}" for line in run_axe(page)]
    found += check_skip_link(page)
    found += problems.errors
    assert not found, f"{url} at {WIDTHS[width_name]} px:\n" + "\n".join(found)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_kind_passes_axe_in_the_dark_theme(
    served_site: ServedSite, open_page: Any, kind: str
) -> None:
    url = served_site.url(kind_path(served_site, kind))
    page, problems = open_page(url, color_scheme="dark", status=404 if kind == "404" else 200)
    page.screenshot(path=SCREENSHOTS / f"{kind}-phone-390-dark.png", full_page=True)
    found = [f"axe: {line}" for line in run_axe(page)] + problems.errors
    assert not found, f"{url} in the dark theme:\n" + "\n".join(found)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_every_briefing_prints_on_one_or_two_pages(served_site: ServedSite, open_page: Any) -> None:
    page, _ = open_page(served_site.url(""), width=1024)
    page.emulate_media(media="print")
    showcase = showcase_briefing(served_site)["url"]
    too_long = []
    for briefing in served_site.briefings():
        page.goto(briefing["url"], wait_until="networkidle")
        hidden = [
            s for s in (".site-nav", ".related", ".skip-link") if page.locator(s).is_visible()
        ]
        assert not hidden, f"{briefing['url']}: printed with {hidden}"
        pdf = page.pdf(format="A4", print_background=True)
        if briefing["url"] == showcase:
            (SCREENSHOTS / "briefing-print.pdf").write_bytes(pdf)
        if (count := pdf_pages(pdf)) > 2:
            too_long.append(f"{briefing['url']}: {count} pages")
    assert not too_long, "\n".join(too_long)
