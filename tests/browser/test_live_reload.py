"""`make serve` in the browser: editing an article shows the change without a reload
by hand, because livereload injects its script and reloads the page."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import ROOT, SCREENSHOTS

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

pytestmark = pytest.mark.browser

SMALL_SITE = ROOT / "tests" / "sites" / "basic"
ARTICLE = "content/first.md"
TITLE = "Kenya and Uganda agree a trade deal"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_served(url: str, server: subprocess.Popen[str], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"serve exited {server.returncode}:\n{server.communicate()[0]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"nothing served at {url} after {seconds} s")


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A copy of a small site under `python -m generator serve`: (site folder, URL)."""
    site = tmp_path / "site"
    shutil.copytree(SMALL_SITE, site)
    port = free_port()
    command = [sys.executable, "-m", "generator", "serve", "--config", str(site / "site.yaml")]
    command += ["--port", str(port)]
    server = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_served(url, server)
        yield site, url
    finally:
        server.terminate()
        try:
            server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()


def test_an_edited_article_shows_without_reloading(serving: tuple[Path, str], browser: Any) -> None:
    site, url = serving
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url + "briefings/first/", wait_until="load")
        assert page.locator("h1").inner_text() == TITLE
        assert page.locator("script[src*='livereload.js']").count() == 1, "no livereload script"
        page.wait_for_timeout(500)  # let the script connect before the edit
        article = site / ARTICLE
        edited = f"{TITLE}, and sugar is in it"
        text = article.read_text(encoding="utf-8").replace(TITLE, edited)
        article.write_text(text, "utf-8")
        shows = "title => document.querySelector('h1')?.textContent === title"
        for _ in range(12):
            try:
                page.wait_for_function(shows, arg=edited, timeout=5_000)
                break
            except PlaywrightTimeout:
                # On a busy machine the script may connect only after the reload was
                # sent: saving again (same text) rebuilds and sends it again.
                article.write_text(text, "utf-8")
        else:
            pytest.fail(f"the edited title never showed: {page.locator('h1').inner_text()!r}")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "serve-after-edit-phone-390.png")
        assert not errors, "\n".join(errors)
    finally:
        context.close()
