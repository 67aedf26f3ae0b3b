import datetime as dt
import hashlib
from pathlib import Path

import pytest

import generator.cache as cache
from generator.errors import BuildError
from generator.load import find_articles
from generator.model import ExtractSettings


def write(
    folder: Path, name: str, title: str, body: str = "Kenya signed a deal on Monday."
) -> None:
    (folder / name).write_text(f"---\ntitle: {title}\ndate: 2025-01-02\n---\n\n{body}\n")


def test_only_changed_articles_are_extracted_again(tmp_path: Path, extractions: list[str]) -> None:
    content, store = tmp_path / "content", tmp_path / "cache"
    content.mkdir()
    write(content, "a.md", "A")
    write(content, "b.md", "B")
    first = cache.read_briefings(content, ExtractSettings(), store)
    assert sorted(extractions) == ["a.md", "b.md"]
    write(content, "b.md", "B", "Uganda signed a deal on Tuesday.")
    second = cache.read_briefings(content, ExtractSettings(), store)
    assert sorted(extractions) == ["a.md", "b.md", "b.md"]
    assert [b.article.slug for b in second] == [b.article.slug for b in first]
    assert len(list(store.glob("*/*.pickle"))) == 2  # the stale entry for old b.md is gone


def test_changed_settings_invalidate_the_cache(tmp_path: Path, extractions: list[str]) -> None:
    content = tmp_path / "content"
    content.mkdir()
    write(content, "a.md", "A")
    cache.read_briefings(content, ExtractSettings(), tmp_path / "cache")
    cache.read_briefings(content, ExtractSettings(stop_entities=("Kenya",)), tmp_path / "cache")
    assert extractions == ["a.md", "a.md"]


def test_parallel_extraction_gives_the_same_briefings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for number in range(6):
        write(content, f"n{number}.md", f"Story {number}", f"Story {number} is about Kenya.")
    serial = cache.read_briefings(content, ExtractSettings(), None, workers=1)
    monkeypatch.setattr(cache, "PARALLEL_FROM", 2)
    parallel = cache.read_briefings(content, ExtractSettings(), None, workers=2)
    assert [(b.article, b.extraction.entities) for b in parallel] == [
        (b.article, b.extraction.entities) for b in serial
    ]


def test_problems_from_workers_are_all_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    write(content, "good.md", "Good")
    (content / "bad1.md").write_text("no front matter\n")
    (content / "bad2.md").write_text("---\ntitle: x\n---\n")
    monkeypatch.setattr(cache, "PARALLEL_FROM", 2)
    with pytest.raises(BuildError) as caught:
        cache.read_briefings(content, ExtractSettings(), None, workers=2)
    assert [p.path for p in caught.value.problems] == [
        str(content / "bad1.md"),
        str(content / "bad2.md"),
    ]


def test_a_summary_keeps_what_linking_needs_of_a_briefing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    write(content, "a.md", "A", "President William Ruto of Kenya met Ruto's team on Monday.")
    corpus = cache.read_corpus(content, ExtractSettings(), tmp_path / "cache")
    (summary,) = corpus.summaries
    briefing = corpus.load(summary)
    assert summary.terms() == list(briefing.extraction.terms) and summary.terms()
    assert [e.name for e in summary.entities] == [e.name for e in briefing.extraction.entities]
    assert [(d.date, d.sentence) for d in summary.dates] == [
        (d.date, d.sentence) for d in briefing.extraction.dates
    ]
    again = cache.read_corpus(content, ExtractSettings(), tmp_path / "cache")  # from the index
    assert again.summaries == corpus.summaries


def test_a_file_with_its_size_and_time_unchanged_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    write(content, "a.md", "A")
    write(content, "b.md", "B")
    cache.read_corpus(content, ExtractSettings(), tmp_path / "cache")
    read: list[str] = []
    real = cache.read_source
    monkeypatch.setattr(cache, "read_source", lambda path: read.append(path.name) or real(path))
    write(content, "b.md", "B", "Uganda signed a deal on Tuesday.")
    corpus = cache.read_corpus(content, ExtractSettings(), tmp_path / "cache")
    assert read == ["b.md"]
    assert "Uganda" in corpus.load(next(s for s in corpus.summaries if s.slug == "b")).article.body
    read.clear()
    cache.read_corpus(content, ExtractSettings(stop_entities=("Kenya",)), tmp_path / "cache")
    assert sorted(read) == ["a.md", "b.md"]  # new settings: every key worked out again


def test_an_edit_records_only_what_changed_and_the_index_reads_back_whole(
    tmp_path: Path,
) -> None:
    content, store = tmp_path / "content", tmp_path / "cache"
    content.mkdir()
    for name in "abc":
        write(content, f"{name}.md", name.upper())
    first = cache.read_corpus(content, ExtractSettings(), store)
    whole = (store / cache.INDEX_NAME).stat().st_mtime_ns
    write(content, "b.md", "B", "Uganda signed a deal on Tuesday.")
    (content / "c.md").unlink()
    second = cache.read_corpus(content, ExtractSettings(), store)
    assert (store / cache.INDEX_NAME).stat().st_mtime_ns == whole  # not written again
    assert (store / cache.DELTA_NAME).is_file()
    version = hashlib.sha256(cache.code_version() + repr(ExtractSettings()).encode()).hexdigest()
    index = cache._read_index(store, version)  # the whole file with the changes applied
    assert set(index.summaries) == {s.key for s in second.summaries}
    assert {s.slug for s in second.summaries} == {"a", "b"}
    assert len(list(store.glob("*/*.pickle"))) == 2  # the entries of old b and c are gone
    again = cache.read_corpus(content, ExtractSettings(), store)
    assert again.summaries == second.summaries != first.summaries


def test_the_index_gives_back_the_summaries_extraction_made(tmp_path: Path) -> None:
    content, store = tmp_path / "content", tmp_path / "cache"
    content.mkdir()
    (content / "a.md").write_text(
        "---\ntitle: A\ndate: 2025-01-02T10:30:00+03:00\n---\n\n"
        "President William Ruto of Kenya said on Monday that [talks](b.md) start in March.\n"
    )
    write(content, "b.md", "B", "Uganda and Kenya signed a deal on Tuesday.")
    made = cache.read_corpus(content, ExtractSettings(), store).summaries
    again = cache.read_corpus(content, ExtractSettings(), store).summaries  # from the index
    assert again == made
    assert [[type(value) for value in s] for s in again] == [[type(v) for v in s] for s in made]
    (a,) = (summary for summary in again if summary.slug == "a")
    assert a.entities and a.dates and a.links
    assert a.datetime is not None and a.datetime.utcoffset() == dt.timedelta(hours=3)


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"{", None])
def test_a_damaged_or_foreign_index_is_not_trusted(
    tmp_path: Path, extractions: list[str], damage: bytes | None
) -> None:
    content, store = tmp_path / "content", tmp_path / "cache"
    content.mkdir()
    write(content, "a.md", "A")
    write(content, "b.md", "B")
    first = cache.read_corpus(content, ExtractSettings(), store).summaries
    index = store / cache.INDEX_NAME
    whole = index.read_bytes()
    index.write_bytes(whole[: len(whole) // 2] if damage is None else damage)
    (store / cache.DELTA_NAME).write_bytes(b"\x00garbage")
    again = cache.read_corpus(content, ExtractSettings(), store).summaries
    assert again == first
    assert sorted(extractions) == ["a.md", "b.md"]  # summaries made again from the cache entries
    assert cache._read_index(store, "another version").summaries == {}


def test_sources_are_found_as_paths_would_find_them(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for folder in ("a", "a/b", ".hidden", "x.md"):
        (content / folder).mkdir(parents=True)
    for name in ("a.md", "a-b.md", "a/z.md", "a/b/c.md", ".hidden/h.md", "B.md", "notes.txt"):
        (content / name).write_text("x")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "o.md").write_text("x")
    (content / "linked").symlink_to(tmp_path / "outside")
    (content / "link.md").symlink_to(content / "a.md")
    expected = [path.relative_to(content).as_posix() for path in find_articles(content)]
    assert cache.find_sources(content) == expected
    assert "link.md" in expected and "linked/o.md" not in expected


def test_a_briefing_whose_entry_went_is_made_again_from_its_file(
    tmp_path: Path, extractions: list[str]
) -> None:
    content, store = tmp_path / "content", tmp_path / "cache"
    content.mkdir()
    write(content, "a.md", "A", "Kenya signed a deal on Monday.")
    cache.read_corpus(content, ExtractSettings(), store)
    corpus = cache.read_corpus(content, ExtractSettings(), store)  # the file is not read
    for entry in store.glob("*/*.pickle"):
        entry.unlink()
    (summary,) = corpus.summaries
    assert "Kenya" in corpus.load(summary).article.body
    assert extractions == ["a.md", "a.md"]
