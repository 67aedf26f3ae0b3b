import datetime as dt
from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.load import parse_article, read_article, read_articles


def problems(text: str) -> list[str]:
    with pytest.raises(BuildError) as caught:
        parse_article(text, "2025/x.md", "content/2025/x.md")
    return [str(p) for p in caught.value.problems]


def test_front_matter_and_body_become_an_article() -> None:
    article = parse_article(
        "---\ntitle: Kenya and the US\ndate: 2025-09-24\ntags: [trade]\nfacts:\n  - A fact.\n"
        "---\n\nFirst paragraph.\n\n## Heading\n\nSecond one.\n",
        "2025/kenya.md",
    )
    assert article.title == "Kenya and the US"
    assert article.date == dt.date(2025, 9, 24)
    assert article.slug == "kenya"
    assert article.tags == ("trade",)
    assert article.facts == ("A fact.",)
    assert [(p.text, p.line, p.kind) for p in article.paragraphs] == [
        ("First paragraph.", 9, "paragraph"),
        ("Heading", 11, "heading"),
        ("Second one.", 13, "paragraph"),
    ]


def test_date_time_keeps_the_time() -> None:
    article = parse_article("---\ntitle: T\ndate: 2025-09-24T10:30:00Z\n---\nBody.\n", "t.md")
    assert article.date == dt.date(2025, 9, 24)
    assert article.datetime is not None and article.datetime.hour == 10


def test_missing_title_and_date_are_both_reported() -> None:
    assert problems("---\nsource: Desk\n---\nBody\n") == [
        "content/2025/x.md:2: missing `date`; add `date: YYYY-MM-DD` to the front matter",
        "content/2025/x.md:2: missing `title`; add `title: ...` to the front matter",
    ]


def test_unknown_key_gets_a_did_you_mean_hint() -> None:
    assert problems("---\ntitle: T\ndate: 2025-01-01\nsumary: x\n---\n") == [
        "content/2025/x.md:4: unknown front matter key 'sumary' (did you mean \"summary\"?); "
        "remove it or put free-form data under `extra:`"
    ]


def test_wrong_types_are_explained() -> None:
    assert problems("---\ntitle: [a, b]\ndate: 2025-01-01\ntags: trade\n---\n") == [
        'content/2025/x.md:2: `title` must be text, not a list; write `title: "..."`',
        "content/2025/x.md:4: `tags` must be a list of text, not text; "
        "write `tags: [first, second]`",
    ]


def test_impossible_date_names_its_line() -> None:
    assert problems("---\ntitle: T\ndate: 2025-02-30\n---\n") == [
        "content/2025/x.md:3: invalid value: day is out of range for month; "
        "use a real calendar date such as 2025-09-24"
    ]


def test_unclosed_front_matter_is_an_error() -> None:
    assert problems("---\ntitle: T\ndate: 2025-01-01\n") == [
        "content/2025/x.md:1: front matter is not closed; add a --- line after it"
    ]


@pytest.mark.parametrize(
    ("written", "value"),
    [("../x", "../x"), ("/etc/x", "/etc/x"), ("a\\\\b", "a\\b"), ("C:/x", "C:/x"), ("A B", "A B")],
)
def test_slug_cannot_leave_the_output_dir(written: str, value: str) -> None:
    assert problems(f'---\ntitle: T\ndate: 2025-01-01\nslug: "{written}"\n---\n') == [
        f"content/2025/x.md:4: `slug` {value!r} is not a plain URL segment; use lowercase "
        "letters, digits and hyphens, like kenya-trade-talks"
    ]


def test_two_articles_with_one_url_are_refused(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("---\ntitle: T\nslug: same-title\ndate: 2025-01-01\n---\nx\n")
    with pytest.raises(BuildError) as caught:
        read_articles(tmp_path)
    (problem,) = caught.value.problems
    assert "slug 'same-title' is already used by" in str(problem)
    assert str(problem).startswith(str(tmp_path / "b.md"))


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(b"---\ntitle: T\ndate: 2025-01-01\n---\ncaf\xe9\n")
    with pytest.raises(BuildError) as caught:
        read_article(path, tmp_path)
    assert str(caught.value) == f"{path}:5: not valid UTF-8 text; save the file as UTF-8"


def test_drafts_are_left_out_unless_asked_for(tmp_path: Path) -> None:
    (tmp_path / "d.md").write_text("---\ntitle: D\ndate: 2025-01-01\ndraft: true\n---\nx\n")
    assert read_articles(tmp_path) == []
    assert [a.slug for a in read_articles(tmp_path, include_drafts=True)] == ["d"]


def test_control_characters_are_refused_with_their_line() -> None:
    assert problems("---\ntitle: T\ndate: 2025-01-01\n---\nA\n\x0cB\n") == [
        "content/2025/x.md:6: the control character U+000C in the text; delete it"
    ]


def test_control_characters_written_as_yaml_escapes_are_refused_too() -> None:
    assert problems('---\ntitle: "a\\0b"\ndate: 2025-01-01\ntags: ["\\x1b[31m"]\n---\n') == [
        "content/2025/x.md:2: `title` contains the control character U+0000; delete it",
        "content/2025/x.md:4: `tags` contains the control character U+001B; delete it",
    ]


def test_a_number_too_long_for_python_is_explained() -> None:
    assert problems(f"---\ntitle: T\ndate: 2025-01-01\nsource: {'9' * 5000}\n---\n") == [
        "content/2025/x.md:4: invalid value: a number 5000 digits long is too long; "
        "put it in quotes to keep it as text"
    ]


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    assert problems(f"---\ntitle: T\ndate: 2025-01-01\nextra: {'[' * 5000}\n---\n") == [
        "content/2025/x.md:4: invalid YAML: [ or { nested more than 50 deep; flatten them"
    ]


def test_deep_block_nesting_is_an_error_not_a_crash() -> None:
    nested = "".join(f"{'  ' * depth}k:\n" for depth in range(1000))
    assert problems(f"---\ntitle: T\ndate: 2025-01-01\nextra:\n{nested}---\n") == [
        "content/2025/x.md:2: invalid YAML: lists or mappings nested too deeply; flatten them"
    ]


def test_a_self_referencing_yaml_alias_is_not_a_crash() -> None:
    assert problems("---\ntitle: &a [*a]\ndate: 2025-01-01\n---\n") == [
        'content/2025/x.md:2: `title` must be text, not a list; write `title: "..."`'
    ]


def test_a_missing_content_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        read_articles(tmp_path / "nope")
    assert str(caught.value) == (
        f"{tmp_path / 'nope'}: no such folder; create it or set `content_dir` in site.yaml"
    )


def test_an_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.md"
    path.write_text("---\ntitle: T\ndate: 2025-01-01\n---\n")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(BuildError) as caught:
        read_article(path, tmp_path)
    assert str(caught.value) == f"{path}: cannot read it: Permission denied; check its permissions"
