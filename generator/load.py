"""content/**/*.md -> Article: front matter checked against a closed schema."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from slugify import slugify

from .errors import BuildError, Problem
from .markdown import parse_body
from .model import Article
from .yaml_source import (
    FORBIDDEN_CHARACTERS,
    YamlMapping,
    check_keys,
    describe,
    describe_character,
    parse_yaml_mapping,
)

MAX_ARTICLE_BYTES = 5 * 1024 * 1024  # far beyond any news article; stops runaway files
FRONT_MATTER_KEYS = frozenset(
    {
        "title",
        "date",
        "source",
        "source_url",
        "author",
        "tags",
        "summary",
        "facts",
        "draft",
        "slug",
        "extra",
    }
)
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_FENCE = re.compile(r"^---[ \t]*$")


def find_articles(content_dir: Path) -> list[Path]:
    """Every Markdown file under the content dir, in a stable order."""
    return sorted(p for p in content_dir.rglob("*.md") if p.is_file())


def check_content_dir(content_dir: Path) -> None:
    if not content_dir.is_dir():
        raise _error(
            str(content_dir), None, "no such folder; create it or set `content_dir` in site.yaml"
        )


def read_articles(content_dir: Path, include_drafts: bool = False) -> list[Article]:
    """Load every article, reporting all problems together."""
    check_content_dir(content_dir)
    articles: list[Article] = []
    problems: list[Problem] = []
    for path in find_articles(content_dir):
        try:
            article = read_article(path, content_dir)
        except BuildError as error:
            problems.extend(error.problems)
            continue
        if include_drafts or not article.draft:
            articles.append(article)
    problems.extend(check_unique_slugs(articles, content_dir))
    if problems:
        raise BuildError(problems)
    return sorted(articles, key=lambda a: (a.date, a.slug), reverse=True)


def read_article(path: Path, content_dir: Path) -> Article:
    return parse_file(path, content_dir, read_source(path))


def read_source(path: Path) -> bytes:
    """The bytes of a content file, or a BuildError saying why they cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        message = f"cannot read it: {error.strerror}; check its permissions"
        raise _error(str(path), None, message) from None


def parse_file(path: Path, content_dir: Path, data: bytes) -> Article:
    """Check and parse the bytes of the content file at `path`."""
    display = str(path)
    if len(data) > MAX_ARTICLE_BYTES:
        raise _error(
            display,
            None,
            f"file is {len(data) // 1024} KiB, over the "
            f"{MAX_ARTICLE_BYTES // 1024 // 1024} MiB limit for one article; split it",
        )
    if b"\0" in data:
        raise _error(display, None, "binary file, not a Markdown article; move it out of content/")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _error(display, line, "not valid UTF-8 text; save the file as UTF-8") from None
    return parse_article(text, path.relative_to(content_dir).as_posix(), display)


def parse_article(text: str, source_path: str, display: str | None = None) -> Article:
    """Parse one article's text; `source_path` is relative to the content dir."""
    display = display or source_path
    check_text(text, display)
    front, body, body_line = split_front_matter(text, display)
    mapping = parse_yaml_mapping(front, display, first_line=2)
    problems = check_keys(mapping, FRONT_MATTER_KEYS, display, "front matter")
    fields = _FrontMatter(mapping, display, problems)
    title = fields.text("title", required=True)
    date, timestamp = fields.date()
    slug = fields.slug(title, source_path)
    article = Article(
        source_path=source_path,
        slug=slug,
        title=title,
        date=date,
        datetime=timestamp,
        source=fields.text("source") or None,
        source_url=fields.url("source_url"),
        author=fields.text("author") or None,
        tags=fields.strings("tags"),
        summary=fields.text("summary") or None,
        facts=fields.strings("facts"),
        draft=fields.flag("draft"),
        extra=fields.extra(),
        body=body,
        body_line=body_line,
        paragraphs=parse_body(body, body_line).paragraphs,
    )
    if problems:
        raise BuildError(problems)
    return article


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """(front matter, body, line where the body starts)."""
    if not text.strip():
        raise _error(
            path,
            None,
            "empty file; start it with front matter between --- lines "
            "giving at least title and date",
        )
    lines = text.splitlines(keepends=True)
    if not _FENCE.match(lines[0].rstrip("\r\n")):
        raise _error(
            path,
            1,
            "no front matter; start the file with a --- line, then "
            "`title:` and `date:`, then another --- line",
        )
    for number, line in enumerate(lines[1:], start=2):
        if _FENCE.match(line.rstrip("\r\n")):
            return "".join(lines[1 : number - 1]), "".join(lines[number:]), number + 1
    raise _error(path, 1, "front matter is not closed; add a --- line after it")


def check_text(text: str, path: str) -> None:
    """Refuse characters that no page or feed can hold, naming the first one's line."""
    found = FORBIDDEN_CHARACTERS.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    raise _error(path, line, f"{describe_character(found.group())} in the text; delete it")


def check_unique_slugs(articles: Iterable[Article], content_dir: Path) -> list[Problem]:
    """Two articles may not claim the same URL."""
    first: dict[str, Article] = {}
    problems: list[Problem] = []
    for article in sorted(articles, key=lambda a: a.source_path):
        other = first.setdefault(article.slug, article)
        if other is not article:
            problems.append(
                Problem(
                    path=str(content_dir / article.source_path),
                    line=None,
                    message=f"slug {article.slug!r} is already used by "
                    f"{content_dir / other.source_path}; give one of them a different `slug:`",
                )
            )
    return problems


def _error(path: str, line: int | None, message: str) -> BuildError:
    return BuildError([Problem(path=path, line=line, message=message)])


class _FrontMatter:
    """Typed reads of front-matter fields; problems are collected, not raised."""

    def __init__(self, mapping: YamlMapping, path: str, problems: list[Problem]) -> None:
        self.mapping, self.path, self.problems = mapping, path, problems

    def _fail(self, key: str, message: str) -> None:
        self.problems.append(
            Problem(path=self.path, line=self.mapping.line_of(key), message=message)
        )

    def _value(self, key: str) -> Any:
        return self.mapping.data.get(key)

    def text(self, key: str, required: bool = False) -> str:
        value = self._value(key)
        if value is None:
            if required:
                self._fail(key, f"missing `{key}`; add `{key}: ...` to the front matter")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self._fail(key, f'`{key}` must be text, not {describe(value)}; write `{key}: "..."`')
            return ""
        text = str(value).strip()
        if required and not text:
            self._fail(key, f"`{key}` is empty; give the article a {key}")
        return text

    def url(self, key: str) -> str | None:
        value = self.text(key) or None
        if value and not re.match(r"^(https?://|mailto:)", value, re.IGNORECASE):
            self._fail(
                key,
                f"`{key}` {value!r} is not an http, https or mailto URL; "
                "write the full address, like https://example.org/story",
            )
            return None
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self._value(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self._fail(
                key,
                f"`{key}` must be a list of text, not {describe(value)}; "
                f"write `{key}: [first, second]`",
            )
            return ()
        return tuple(str(v).strip() for v in value if str(v).strip())

    def flag(self, key: str) -> bool:
        value = self._value(key)
        if value is not None and not isinstance(value, bool):
            self._fail(
                key,
                f"`{key}` must be true or false, not {describe(value)}; write `{key}: true`",
            )
            return False
        return bool(value)

    def date(self) -> tuple[dt.date, dt.datetime | None]:
        value = self._value("date")
        if isinstance(value, str):
            value = _parse_date_text(value.strip())
        if isinstance(value, dt.datetime):
            return value.date(), value
        if isinstance(value, dt.date):
            return value, None
        if value is None and "date" not in self.mapping.data:
            self._fail("date", "missing `date`; add `date: YYYY-MM-DD` to the front matter")
        else:
            self._fail(
                "date",
                f"`date` {self._value('date')!r} is not a date; "
                "write it like 2025-09-24 or 2025-09-24T10:30:00",
            )
        return dt.date(1970, 1, 1), None

    def slug(self, title: str, source_path: str) -> str:
        value = self._value("slug")
        if value is None:
            # The file name, not the title: editing a headline must not break its URL.
            stem = Path(source_path).stem
            return slugify(stem, max_length=80) or slugify(title, max_length=80) or "briefing"
        if not isinstance(value, str) or not _SLUG.match(value):
            self._fail(
                "slug",
                f"`slug` {value!r} is not a plain URL segment; use lowercase letters, "
                "digits and hyphens, like kenya-trade-talks",
            )
            return "x"
        return value

    def extra(self) -> tuple[tuple[str, object], ...]:
        value = self._value("extra")
        if value is None:
            return ()
        if not isinstance(value, dict):
            self._fail(
                "extra",
                f"`extra` must be a mapping of your own keys, not {describe(value)}; "
                "indent `key: value` lines under `extra:`",
            )
            return ()
        return tuple(sorted((str(k), v) for k, v in value.items()))


def _parse_date_text(text: str) -> dt.date | dt.datetime | str:
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            return parse(text.replace("Z", "+00:00"))
        except ValueError:
            continue
    return text
