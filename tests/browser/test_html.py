"""Every page of the built site is valid HTML5, and the stylesheets valid CSS, by the
Nu Html Checker (vnu.jar from npm `vnu-jar`, run on the machine's Java)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from browsing import VNU, ServedSite

pytestmark = pytest.mark.browser


def test_every_page_is_valid_html5_and_css(served_site: ServedSite) -> None:
    java = shutil.which("java")
    assert java, "no java: apt-get install default-jre-headless"
    pages = sorted(str(p) for p in served_site.root.rglob("*.html"))
    styles = sorted(str(p) for p in (served_site.root / "static").glob("*.css"))
    assert len(pages) > 20 and styles
    command = [java, "-jar", str(VNU), "--format", "gnu", "--Werror", "--also-check-css"]
    result = subprocess.run(command + pages + styles, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and not output.strip(), output
