"""An incremental build (warm cache, previous output in place) gives exactly the
bytes a cold build of the same input gives, and extracts only what changed."""

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import generator.render
import generator.search
from generator.build import build
from generator.config import read_config
from generator.errors import BuildError

BASIC = Path(__file__).parent / "sites" / "basic"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def edit(site: Path) -> None:
    path = site / "content" / "second.md"
    path.write_text(path.read_text().replace("on Thursday", "on Friday"))


def add(site: Path) -> None:
    (site / "content" / "fourth.md").write_text(
        "---\ntitle: Kenya and Uganda extend the sugar deal\ndate: 2025-05-01\n---\n\n"
        "Kenya and Uganda extended the trade deal on sugar by a year, Jane Achieng said.\n"
    )


def delete(site: Path) -> None:
    (site / "content" / "third.md").unlink()


def template(site: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates" / "base.html").write_text(
        '{% extends "theme/base.html" %}'
        "{% block footer %}{{ super() }}<p>Desk edition</p>{% endblock %}"
    )


def retitle(site: Path) -> None:
    """A new title shows on the briefing, in every list and on its neighbours."""
    path = site / "content" / "first.md"
    text = path.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(title, "title: Kenya and the US agree a new trade pact"))


def site_title(site: Path) -> None:
    path = site / "site.yaml"
    path.write_text(path.read_text().replace("Test Desk", "Other Desk"))


def extraction_settings(site: Path) -> None:
    path = site / "site.yaml"
    path.write_text(path.read_text() + "stop_entities: [Kenya]\n")


# Each change, and the articles it must extract again: no more, no fewer.
CHANGES = [
    (edit, ["second.md"]),
    (retitle, ["first.md"]),
    (add, ["fourth.md"]),
    (delete, []),
    (template, []),
    (site_title, []),
    (extraction_settings, ["first.md", "second.md", "third.md"]),
]


def short_lists(site: Path) -> None:
    """Topic and entity pages of one briefing each: every change moves briefings
    from page to page."""
    path = site / "site.yaml"
    path.write_text(path.read_text() + "list_page_size: 1\n")


@pytest.mark.parametrize("setup", [None, short_lists], ids=["", "short_lists"])
@pytest.mark.parametrize(("change", "extracted"), CHANGES, ids=[c.__name__ for c, _ in CHANGES])
def test_an_incremental_build_equals_a_cold_one(
    change: Callable[[Path], None],
    extracted: list[str],
    setup: Callable[[Path], None] | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    extractions: list[str],
) -> None:
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    shutil.copytree(BASIC, warm)
    if setup is not None:
        setup(warm)
    monkeypatch.chdir(warm)
    build(read_config(Path("site.yaml")))
    change(warm)
    extractions.clear()
    build(read_config(Path("site.yaml")))
    assert sorted(extractions) == extracted
    shutil.copytree(warm, cold, ignore=shutil.ignore_patterns("_site", ".cache"))
    monkeypatch.chdir(cold)
    build(read_config(Path("site.yaml")))
    assert tree(warm / "_site") == tree(cold / "_site")
    if setup is short_lists:
        assert (warm / "_site" / "tags" / "trade" / "page" / "2" / "index.html").is_file()


@pytest.fixture
def shards(monkeypatch: pytest.MonkeyPatch) -> None:
    """A search index in shards of a page or two, as on a big site."""
    monkeypatch.setattr(generator.search, "SHARD_PAGES", 2)


@pytest.mark.parametrize(("change", "extracted"), CHANGES, ids=[c.__name__ for c, _ in CHANGES])
def test_a_sharded_search_index_is_kept_up_to_date(
    change: Callable[[Path], None],
    extracted: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shards: None,
) -> None:
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    shutil.copytree(BASIC, warm)
    monkeypatch.chdir(warm)
    build(read_config(Path("site.yaml")))
    assert (warm / "_site" / "pagefind" / "1" / "pagefind.js").is_file()
    change(warm)
    build(read_config(Path("site.yaml")))
    shutil.copytree(warm, cold, ignore=shutil.ignore_patterns("_site", ".cache"))
    monkeypatch.chdir(cold)
    build(read_config(Path("site.yaml")))
    assert tree(warm / "_site") == tree(cold / "_site")


def test_an_edit_rewrites_only_the_files_whose_bytes_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    shutil.copytree(BASIC, site)
    monkeypatch.chdir(site)
    build(read_config(Path("site.yaml")))
    output = site / "_site"
    before = {p.relative_to(output).as_posix(): p.stat().st_mtime_ns for p in output.rglob("*")
              if p.is_file()}  # fmt: skip
    old = tree(output)
    edit(site)
    result = build(read_config(Path("site.yaml")))
    new = tree(output)
    changed = {path for path in new if old.get(path) != new[path]}
    assert "briefings/second/index.html" in changed and "briefings.json" in changed
    assert "briefings/first/index.html" not in changed
    assert result.write.written == len(changed)
    for path in set(new) - changed:
        assert (output / path).stat().st_mtime_ns == before[path], path  # not even rewritten


def test_an_incremental_build_killed_while_moving_files_in_is_finished_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, cold = tmp_path / "site", tmp_path / "cold"
    shutil.copytree(BASIC, site)
    monkeypatch.chdir(site)
    build(read_config(Path("site.yaml")))
    edit(site)
    # Dies after moving the first staged file into place, as a power cut would.
    script = (
        "import os, signal\nfrom pathlib import Path\nimport generator.write as write\n"
        "from generator.build import build\nfrom generator.config import read_config\n"
        "real = os.replace\nmoved = []\n"
        "def replace(source, target):\n"
        "    real(source, target)\n"
        "    if str(target).endswith('.html') and '_site' in str(target):\n"
        "        moved.append(target)\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "write.os.replace = replace\n"
        "build(read_config(Path('site.yaml')))\n"
    )
    root = Path(__file__).resolve().parent.parent
    environment = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run([sys.executable, "-c", script], cwd=site, env=environment, check=False)
    assert result.returncode == -signal.SIGKILL
    assert any(p.name.startswith("._site.new-") for p in site.iterdir())  # left half done
    build(read_config(Path("site.yaml")))
    assert not any(p.name.startswith("._site.") for p in site.iterdir())
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns("_site", ".cache", "._site*"))
    monkeypatch.chdir(cold)
    build(read_config(Path("site.yaml")))
    assert tree(site / "_site") == tree(cold / "_site")


def test_pages_made_in_worker_processes_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    shutil.copytree(BASIC, serial)
    shutil.copytree(BASIC, parallel)
    monkeypatch.chdir(serial)
    build(read_config(Path("site.yaml")))
    monkeypatch.setattr(generator.render, "PARALLEL_PAGES", 1)
    monkeypatch.chdir(parallel)
    build(read_config(Path("site.yaml")))
    assert tree(serial / "_site") == tree(parallel / "_site")


def test_a_template_error_in_a_worker_process_names_the_template_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    shutil.copytree(BASIC, site)
    (site / "templates").mkdir()
    (site / "templates" / "briefing.html").write_text("line one\n{{ b.no_such_field.x }}\n")
    monkeypatch.setattr(generator.render, "PARALLEL_PAGES", 1)
    monkeypatch.chdir(site)
    with pytest.raises(BuildError) as raised:
        build(read_config(Path("site.yaml")))
    (problem,) = raised.value.problems
    assert (Path(problem.path).name, problem.line) == ("briefing.html", 2)
    assert "no_such_field" in problem.message


def test_briefings_json_is_assembled_from_kept_and_new_lines(tmp_path: Path) -> None:
    from generator.build import _Entries
    from generator.outputs import briefings_json
    from generator.write import SiteWriter

    config = read_config(BASIC / "site.yaml")
    output = tmp_path / "_site"

    Placed = dict[str, tuple[str, int, int]]

    def write(lines: list[tuple[str, bytes | None]], placed: Placed) -> tuple[bytes, Placed, Any]:
        """Lines given as bytes are new, None keeps the slug's line from `placed`."""
        file = output / "briefings.json"
        entries = _Entries(config, file if placed else None)
        with SiteWriter(output, {"briefings.json"} if placed else None) as writer, entries:
            for slug, line in lines:
                if line is None:
                    entries.reuse(slug, "sig", *placed[slug][1:])
                else:
                    entries.add(slug, "sig", line)
            after: dict[str, tuple[str, int, int]] = {}
            entries.write(writer, after)
            summary = writer.commit()
        data = file.read_bytes()
        for slug, (_, at, length) in after.items():
            assert data[at : at + length].startswith(b'{"slug": "' + slug.encode())
        return data, after, summary

    def line(slug: str, text: str = "") -> bytes:
        return f'{{"slug": "{slug}", "text": "{text}"}}'.encode()

    data, placed, _ = write([(s, line(s)) for s in "abcd"], {})
    assert data == b"".join(briefings_json(config, [line(s) for s in "abcd"]))
    mtime = (output / "briefings.json").stat().st_mtime_ns

    # New lines with the old bytes, kept lines in their old places: not rewritten.
    same, placed, summary = write([("a", None), ("b", line("b")), ("c", None), ("d", None)], placed)
    assert same == data and summary.written == 0 and summary.unchanged == 1
    assert (output / "briefings.json").stat().st_mtime_ns == mtime

    # One changed line, one gone, one new at the top, kept runs copied.
    lines = [("e", line("e")), ("a", None), ("c", line("c", "edited")), ("d", None)]
    data, placed, summary = write(lines, placed)
    expected = [line("e"), line("a"), line("c", "edited"), line("d")]
    assert data == b"".join(briefings_json(config, expected)) and summary.written == 1
    data, placed, summary = write([("a", None), ("c", None), ("d", None)], placed)
    assert data == b"".join(briefings_json(config, expected[1:]))
