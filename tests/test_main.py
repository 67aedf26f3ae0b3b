import shutil
from pathlib import Path

import pytest
from cli import run

BASIC = Path(__file__).parent / "sites" / "basic"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(BASIC, tmp_path / "site")
    return tmp_path / "site"


def test_build_succeeds_and_reports_what_it_wrote(site: Path) -> None:
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Built 3 briefings" in result.stdout
    assert (site / "_site" / "briefings" / "first" / "index.html").exists()


def test_content_error_exits_1_and_keeps_the_previous_site(site: Path) -> None:
    assert run("build", cwd=site).returncode == 0
    before = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    (site / "content" / "bad.md").write_text("---\ntitle: [x]\ndate: 2025-01-01\n---\n")
    result = run("build", cwd=site)
    assert result.returncode == 1
    assert "content/bad.md:2: `title` must be text, not a list" in result.stderr
    after = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    assert after == before


def test_usage_error_exits_2(site: Path) -> None:
    assert run("build", "--no-such-flag", cwd=site).returncode == 2
    assert run("build", "--base-url", "not a url", cwd=site).returncode == 2


@pytest.mark.parametrize("command", ["build", "serve", "new"])
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help", cwd=ROOT)
    assert result.returncode == 0 and "usage:" in result.stdout


def test_new_writes_a_dated_article_that_builds(site: Path) -> None:
    result = run("new", "Ports reopen after strike", "--date", "2025-05-06", cwd=site)
    assert result.returncode == 0, result.stderr
    path = site / "content" / "2025" / "ports-reopen-after-strike.md"
    assert "title: Ports reopen after strike" in path.read_text()
    assert run("build", cwd=site).returncode == 0
    assert (site / "_site" / "briefings" / "ports-reopen-after-strike" / "index.html").exists()


def test_output_and_base_url_flags_override_site_yaml(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    result = run("build", "--output", str(out), "--base-url", "https://o.github.io/r", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "https://o.github.io/r/sitemap.xml" in (out / "robots.txt").read_text()


def test_refuses_to_replace_a_folder_that_is_not_a_site(site: Path) -> None:
    (site / "_site").mkdir()
    (site / "_site" / "precious.txt").write_text("keep me")
    result = run("build", cwd=site)
    assert result.returncode == 1
    assert "is not a briefing site" in result.stderr
    assert (site / "_site" / "precious.txt").read_text() == "keep me"
