import os
from pathlib import Path

import pytest

from generator.write import write_site


def test_unchanged_files_keep_their_mtime_and_stale_files_go(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    write_site(site, {"index.html": b"home", "old/index.html": b"old", "a.css": b"css"})
    os.utime(site / "a.css", (1_000_000, 1_000_000))
    summary = write_site(site, {"index.html": b"new home", "a.css": b"css"})
    assert (summary.written, summary.unchanged, summary.removed) == (1, 1, 1)
    assert (site / "index.html").read_bytes() == b"new home"
    assert (site / "a.css").stat().st_mtime == 1_000_000
    assert not (site / "old").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]  # no staging left behind


def test_a_failed_write_leaves_the_previous_site(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    write_site(site, {"index.html": b"good"})

    class Exploding(dict[str, bytes]):
        def items(self):  # type: ignore[override]
            yield "index.html", b"half"
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_site(site, Exploding())
    assert (site / "index.html").read_bytes() == b"good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]
