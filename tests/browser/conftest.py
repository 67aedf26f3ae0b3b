"""Fixtures for the browser tests: the sample site built under a subpath and served
on localhost the way GitHub Pages serves it, and headless Chromium (Playwright).

Run with `make test-browser`, which installs what these need (the `browser` extra,
and axe-core and vnu.jar with `npm ci`). Plain `make test` leaves this folder out.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import (
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    SUBPATH,
    VNU,
    PagesHandler,
    Problems,
    ServedSite,
    build_site,
)


@pytest.fixture(scope="session", autouse=True)
def node_packages() -> None:
    missing = [str(p) for p in (AXE, VNU) if not p.is_file()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run `make test-browser` (it runs npm ci)")


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The sample site, built for and served at http://127.0.0.1:PORT/briefings/."""
    yield from serve(tmp_path_factory, None)


@pytest.fixture(scope="session")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The sample site with its search index in shards of 16 pages, as a big site's is."""
    yield from serve(tmp_path_factory, 16)


def serve(factory: pytest.TempPathFactory, shard_pages: int | None) -> Iterator[ServedSite]:
    www = factory.mktemp("www")
    site_root = www / SUBPATH.strip("/")
    handler = type("Handler", (PagesHandler,), {"site_root": site_root})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(www))
    )
    base_url = f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
    build_site(site_root, base_url, shard_pages=shard_pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedSite(root=site_root, base_url=base_url)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., tuple[Any, Problems]]]:
    """open_page(url, width=390, ...) -> (page, problems); closed after the test."""
    contexts: list[Any] = []

    def open_(
        url: str,
        width: int = 390,
        height: int = 800,
        color_scheme: str = "light",
        javascript: bool = True,
        status: int = 200,
    ) -> tuple[Any, Problems]:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=color_scheme,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        problems = Problems()
        problems.watch(page, url, status)
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == status, f"{url}: {response}"
        return page, problems

    yield open_
    for context in contexts:
        context.close()
