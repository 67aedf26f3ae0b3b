"""Helpers for the browser tests: where things are, a GitHub-Pages-like static
server, the sample site build, and what went wrong on a page (console, axe)."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = HERE / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SUBPATH = "/briefings/"  # served like a GitHub Pages project site
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@dataclass(frozen=True)
class ServedSite:
    root: Path  # the built site
    base_url: str  # where it is served, ends with "/"

    def url(self, site_path: str) -> str:
        return self.base_url + site_path

    def briefings(self) -> list[dict[str, Any]]:
        data = json.loads((self.root / "briefings.json").read_text(encoding="utf-8"))
        return list(data["briefings"])


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, and the site's 404.html with status 404 for anything missing."""

    site_root: Path

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = self.site_root / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # keep test output quiet


def build_site(
    output: Path, base_url: str, config: Path = ROOT / "site.yaml", shard_pages: int | None = None
) -> None:
    """Build with the CLI; `shard_pages` splits the search index as a big site's is."""
    command = [sys.executable, "-m", "generator", "build", "--config", str(config)]
    if shard_pages is not None:
        code = "import sys, generator.search as s, generator.__main__ as m; "
        code += f"s.SHARD_PAGES = {shard_pages}; sys.exit(m.main(sys.argv[1:]))"
        command[1:3] = ["-c", code]
    command += ["--output", str(output), "--base-url", base_url]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr}")


@dataclass
class Problems:
    """What went wrong in the browser while a page was open."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page: Any, url: str, status: int) -> None:
        """Record console errors, uncaught exceptions, failed and third-party requests.

        The page's own expected error status (the 404 page) is not a fault; the
        browser logs it to the console as well, located at the page's URL.
        """
        host = urlsplit(url).netloc

        def console(message: Any) -> None:
            expected = status != 200 and message.location.get("url") == url
            if message.type == "error" and not (expected and f"status of {status}" in message.text):
                self.errors.append(f"console: {message.text} ({message.location.get('url')})")

        def request(request: Any) -> None:
            if urlsplit(request.url).netloc != host:
                self.errors.append(f"third-party request: {request.url}")

        def response(response: Any) -> None:
            if response.status >= 400 and not (response.url == url and response.status == status):
                self.errors.append(f"HTTP {response.status}: {response.url}")

        page.on("console", console)
        page.on("request", request)
        page.on("response", response)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} {r.failure}"))


def run_axe(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page, one line per failing element."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        AXE_TAGS,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {' '.join(map(str, node['target']))}: "
        + " ".join(node.get("failureSummary", "").split())
        for violation in result["violations"]
        for node in violation["nodes"]
    ]
