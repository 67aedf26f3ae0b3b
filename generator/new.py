"""`new "Title"` -> a dated Markdown article with front matter, ready to write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from slugify import slugify

from .errors import BuildError, Problem


def new_article_text(title: str, date: dt.date) -> str:
    front = yaml.safe_dump(
        {"title": title, "date": date, "tags": []}, allow_unicode=True, sort_keys=False
    )
    return f"---\n{front}source: \nsummary: \n---\n\nWrite the article here.\n"


def write_new_article(content_dir: Path, title: str, date_text: str | None = None) -> Path:
    try:
        date = dt.date.fromisoformat(date_text) if date_text else dt.date.today()
    except ValueError:
        raise BuildError(
            [
                Problem(
                    path="--date",
                    line=None,
                    message=(f"{date_text!r} is not a date; write it as YYYY-MM-DD"),
                )
            ]
        ) from None
    slug = slugify(title, max_length=80, word_boundary=True) or "article"
    path = content_dir / str(date.year) / f"{slug}.md"
    if path.exists():
        raise BuildError(
            [
                Problem(
                    path=str(path),
                    line=None,
                    message=("already exists; choose another title or edit that file"),
                )
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new_article_text(title, date), encoding="utf-8")
    return path
