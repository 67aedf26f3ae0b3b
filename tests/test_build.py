import shutil
from pathlib import Path

import pytest

import generator.build as build_module
from generator.build import build
from generator.config import read_config

BASIC = Path(__file__).parent / "sites" / "basic"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(BASIC, tmp_path / "site")
    monkeypatch.chdir(tmp_path / "site")
    return tmp_path / "site"


def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count how often the build reads the content."""
    calls: list[int] = []
    real = build_module.read_corpus

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "read_corpus", counting)
    return calls


def test_a_build_with_nothing_changed_does_no_work(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = read_config(Path("site.yaml"))
    first = build(config)
    calls = loads(monkeypatch)
    second = build(config)
    assert calls == []
    assert second.write.written == 0
    assert second.write.unchanged == first.write.written + first.write.unchanged


@pytest.mark.parametrize(
    "change",
    [
        lambda site: (site / "content" / "third.md").write_text(
            (site / "content" / "third.md").read_text().replace("two weeks", "three weeks")
        ),
        lambda site: shutil.rmtree(site / "_site"),
        lambda site: (site / "site.yaml").write_text(
            (site / "site.yaml").read_text().replace("Test Desk", "Other Desk")
        ),
    ],
    ids=["edited article", "deleted output", "edited site.yaml"],
)
def test_any_change_to_inputs_or_output_rebuilds(
    site: Path, monkeypatch: pytest.MonkeyPatch, change
) -> None:  # type: ignore[no-untyped-def]
    build(read_config(Path("site.yaml")))
    calls = loads(monkeypatch)
    change(site)
    build(read_config(Path("site.yaml")))
    assert calls == [1]
    assert (site / "_site" / "briefings" / "third" / "index.html").exists()
