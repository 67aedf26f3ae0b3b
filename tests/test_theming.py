"""A site restyles the theme without forking it: its own static/custom.css, and a
base.html that extends "theme/base.html" to change one block. The same site turns
search off, which leaves out the search page, its index and its link."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL_SITE = ROOT / "tests" / "sites" / "basic"
BASE = """{% extends "theme/base.html" %}
{% block extra_head %}<meta name="theme-color" content="#8a1c1c">{% endblock %}
{% block footer %}{{ super() }}<p class="wrap">Published by the Trade Desk.</p>{% endblock %}
"""


def test_a_site_overrides_one_block_and_its_custom_css(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SMALL_SITE, site)
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "search: false\n", encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates" / "base.html").write_text(BASE, encoding="utf-8")
    (site / "static").mkdir()
    (site / "static" / "custom.css").write_text(":root { --link: #8a1c1c; }\n", encoding="utf-8")
    output = tmp_path / "out"
    command = [sys.executable, "-m", "generator", "build", "--config", str(site / "site.yaml")]
    result = subprocess.run(
        [*command, "--output", str(output)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    pages = {p: p.read_text(encoding="utf-8") for p in output.rglob("*.html")}
    assert len(pages) > 5
    for path, html in pages.items():
        assert '<meta name="theme-color" content="#8a1c1c">' in html, path
        assert "Published by the Trade Desk." in html, path
        assert 'class="site-footer"' in html, f"{path}: the theme's footer is gone"
        assert 'class="skip-link"' in html, path
    assert (output / "static" / "custom.css").read_text() == ":root { --link: #8a1c1c; }\n"
    bundled = (ROOT / "static" / "style.css").read_bytes()
    assert (output / "static" / "style.css").read_bytes() == bundled
    assert not (output / "search").exists() and not (output / "pagefind").exists()
    assert not [path for path, html in pages.items() if ">Search</a>" in html]
