"""An incremental build (warm cache, previous output in place) gives exactly the
bytes a cold build of the same input gives, and extracts only what changed."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build
from generator.config import read_config

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


def site_title(site: Path) -> None:
    path = site / "site.yaml"
    path.write_text(path.read_text().replace("Test Desk", "Other Desk"))


def extraction_settings(site: Path) -> None:
    path = site / "site.yaml"
    path.write_text(path.read_text() + "stop_entities: [Kenya]\n")


# Each change, and the articles it must extract again: no more, no fewer.
CHANGES = [
    (edit, ["second.md"]),
    (add, ["fourth.md"]),
    (delete, []),
    (template, []),
    (site_title, []),
    (extraction_settings, ["first.md", "second.md", "third.md"]),
]


@pytest.mark.parametrize(("change", "extracted"), CHANGES, ids=[c.__name__ for c, _ in CHANGES])
def test_an_incremental_build_equals_a_cold_one(
    change: Callable[[Path], None],
    extracted: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    extractions: list[str],
) -> None:
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    shutil.copytree(BASIC, warm)
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
