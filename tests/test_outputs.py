import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.config import SiteConfig
from generator.errors import BuildError
from generator.outputs import render_feed

ROOT = Path(__file__).resolve().parent.parent


def updated(feed: str) -> str:
    return feed.split("<updated>")[1].split("</updated>")[0]


def test_a_feed_with_no_entries_is_dated_by_source_date_epoch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert updated(render_feed(SiteConfig(), [], "", "T")) == "1970-01-01T00:00:00+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert updated(render_feed(SiteConfig(), [], "", "T")) == "2023-11-14T22:13:20+00:00"


@pytest.mark.parametrize("value", ["yesterday", "1.5", "99999999999999999999"])
def test_a_source_date_epoch_that_is_not_whole_seconds_is_an_error(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(BuildError) as caught:
        render_feed(SiteConfig(), [], "", "T")
    assert str(caught.value) == (
        f"SOURCE_DATE_EPOCH: {value!r} is not a whole number of seconds since 1970; fix or unset it"
    )


def test_two_builds_of_a_site_with_no_articles_are_byte_identical(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "site.yaml").write_text("title: Empty\nbase_url: https://example.org/\n")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(ROOT)}
    trees = []
    for output in ("first", "second"):
        if trees:
            time.sleep(1.1)  # a clock leaking into the output would now differ
        command = [sys.executable, "-m", "generator", "build", "--output", output]
        subprocess.run(command, cwd=tmp_path, env=env, check=True, capture_output=True)
        folder = tmp_path / output
        files = [p for p in folder.rglob("*") if p.is_file()]
        trees.append({p.relative_to(folder): p.read_bytes() for p in files})
    assert trees[0] == trees[1]
    assert b"<updated>2023-11-14T22:13:20+00:00</updated>" in trees[0][Path("feed.xml")]


def test_a_site_with_an_empty_title_still_gets_a_valid_feed() -> None:
    feed = render_feed(SiteConfig(title="", base_url="https://example.org/"), [], "", "")
    assert "<title>https://example.org/</title>" in feed
