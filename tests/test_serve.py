import shutil
from pathlib import Path

import pytest

from generator.config import read_config
from generator.serve import rebuild

BASIC = Path(__file__).parent / "sites" / "basic"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_failed_rebuild_keeps_the_last_good_site_and_the_next_good_save_recovers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(BASIC, site)
    config = read_config(site / "site.yaml")
    assert rebuild(config)
    good = snapshot(config.output_dir)
    capsys.readouterr()

    article = site / "content" / "fourth.md"
    article.write_text("---\ntitle: [Ports]\ndate: 2025-05-06\n---\n\nPorts reopened.\n")
    assert not rebuild(config)
    assert capsys.readouterr().err.splitlines() == [
        f'{article}:2: `title` must be text, not a list; write `title: "..."`',
        "Build failed; still serving the last good site.",
    ]
    assert snapshot(config.output_dir) == good

    article.write_text("---\ntitle: Ports reopen\ndate: 2025-05-06\n---\n\nPorts reopened.\n")
    assert rebuild(config)
    assert capsys.readouterr().err == ""
    assert "Ports reopen" in (config.output_dir / "briefings/fourth/index.html").read_text()
