"""Evaluation data (../shared/eval) -> articles to build, with their answers kept here."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import yaml

from .eval_scores import (
    Scorer,
    normalise,
    score_bbc,
    score_conll,
    score_kpcrowd,
)

CONLL_TYPES = {"PER": "person", "ORG": "organization", "LOC": "place"}  # MISC is not scored
# Tokens written without the space before them, per the data README.
NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", "!", "?", ")", "'s", "n't"})


class EvaluationError(Exception):
    """Something stops the measurement itself; the message says what to do."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EvalArticle:
    """One article the harness writes as content/<slug>.md."""

    slug: str
    title: str
    date: dt.date
    paragraphs: tuple[str, ...]  # plain text, one string per Markdown paragraph
    origin: str  # data file it came from, for --keep answers


@dataclass(frozen=True, slots=True, kw_only=True)
class Dataset:
    """Articles to build as one site, and how to score what the build found."""

    name: str  # as in --only and the --keep folder
    articles: tuple[EvalArticle, ...]
    score: Scorer
    answers: Mapping[str, object] = field(default_factory=dict)  # written beside --keep sites


# --- text handling ---------------------------------------------------------------


_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")


def escape_markdown(text: str) -> str:
    """Markdown for one paragraph that renders back to exactly `text`."""
    escaped = _INLINE_SPECIAL.sub(r"\\\1", text)
    if escaped[:1] in ("#", "+", "-", "="):
        return "\\" + escaped
    return _LIST_NUMBER.sub(r"\1\\\2", escaped)


def render_article(article: EvalArticle) -> str:
    """The content file: YAML front matter, then one Markdown paragraph per block."""
    front = {"title": article.title, "date": article.date, "slug": article.slug}
    yaml_text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1_000_000)
    body = "\n\n".join(escape_markdown(p) for p in article.paragraphs)
    return f"---\n{yaml_text}---\n\n{body}\n"


def split_paragraphs(lines: Iterable[str]) -> tuple[str, ...]:
    """Blank-line separated blocks, each block's lines joined by single spaces."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return tuple(paragraphs)


def parse_story(text: str) -> tuple[str, tuple[str, ...]]:
    """(title, paragraphs) of a story whose first line is its headline."""
    lines = text.replace("\r\n", "\n").split("\n")
    return lines[0].strip(), split_paragraphs(lines[1:])


def parse_lines(text: str) -> frozenset[str]:
    """A one-item-a-line file as a set of normalised items."""
    return frozenset(normalise(line) for line in text.splitlines() if line.strip())


# --- CoNLL-2003 ---------------------------------------------------------------------

TaggedSentence = tuple[tuple[str, str], ...]  # (token, BIO tag)


def parse_conll(text: str) -> tuple[tuple[TaggedSentence, ...], ...]:
    """Documents, each a tuple of sentences of (token, tag); tag is the last column."""
    documents: list[list[TaggedSentence]] = []
    sentence: list[tuple[str, str]] = []
    for line in [*text.splitlines(), ""]:
        columns = line.split()
        if columns and columns[0] != "-DOCSTART-":
            sentence.append((columns[0], columns[-1]))
            continue
        if sentence:
            if not documents:
                documents.append([])
            documents[-1].append(tuple(sentence))
            sentence = []
        if columns:
            documents.append([])
    return tuple(tuple(d) for d in documents if d)


def join_tokens(tokens: Sequence[str]) -> str:
    """Tokens joined by spaces, none before , . ; : ! ? ) 's n't or after (."""
    parts: list[str] = []
    for index, token in enumerate(tokens):
        if index and token not in NO_SPACE_BEFORE and tokens[index - 1] != "(":
            parts.append(" ")
        parts.append(token)
    return "".join(parts)


def tagged_entities(sentence: TaggedSentence) -> list[tuple[str, str]]:
    """(type, surface) for each scored entity; an I- tag after another type starts one."""
    found: list[tuple[str, list[str]]] = []
    previous = "O"
    for token, tag in sentence:
        prefix, _, kind = tag.partition("-")
        if prefix == "I" and previous == kind and found:
            found[-1][1].append(token)
        elif prefix in ("B", "I"):
            found.append((kind, [token]))
        previous = kind if prefix in ("B", "I") else "O"
    return [(CONLL_TYPES[k], join_tokens(t)) for k, t in found if k in CONLL_TYPES]


def conll_article(
    document: Sequence[TaggedSentence], slug: str, origin: str
) -> tuple[EvalArticle, frozenset[tuple[str, str]]]:
    """The article for one document and its gold (type, lowercased surface) pairs."""
    title, *body = document
    article = EvalArticle(
        slug=slug,
        title=join_tokens([token for token, _ in title]),
        date=dt.date(1996, 8, 30),
        paragraphs=tuple(join_tokens([token for token, _ in s]) for s in body),
        origin=origin,
    )
    gold = {(kind, normalise(surface)) for s in body for kind, surface in tagged_entities(s)}
    return article, frozenset(gold)


# --- reading the data ---------------------------------------------------------------


def require(path: Path, what: str) -> Path:
    if not path.exists():
        raise EvaluationError(
            f"{path}: not found ({what}); pass --data DIR pointing at the evaluation data, "
            "or choose data sets with --only"
        )
    return path


def require_files(folder: Path, pattern: str, what: str) -> list[Path]:
    """The data files of one data set, in a stable order; none is an error."""
    files = sorted(require(folder, what).glob(pattern))
    if not files:
        raise EvaluationError(f"{folder}: no {pattern} files ({what}); is the data complete?")
    return files


def read_bbc(data: Path) -> Dataset:
    sources = require_files(data / "bbc-summary" / "article", "*/*.txt", "bbc-summary articles")
    random.Random(2006).shuffle(sources)  # slug numbers must not group categories
    articles: list[EvalArticle] = []
    summaries: dict[str, frozenset[str]] = {}
    categories: dict[str, str] = {}
    for number, path in enumerate(sources, start=1):
        slug, category = f"bbc-{number:03d}", path.parent.name
        title, paragraphs = parse_story(path.read_text(encoding="utf-8"))
        origin = f"{category}/{path.name}"
        articles.append(EvalArticle(
            slug=slug, title=title, date=dt.date(2005, 1, 1), paragraphs=paragraphs, origin=origin
        ))  # fmt: skip
        summary_path = require(data / "bbc-summary" / "summary" / origin, "bbc-summary summary")
        summaries[slug] = parse_lines(summary_path.read_text(encoding="utf-8"))
        categories[slug] = category
    answers = {a.slug: {"origin": a.origin, "category": categories[a.slug]} for a in articles}
    return Dataset(
        name="bbc",
        articles=tuple(articles),
        score=partial(score_bbc, summaries=summaries, categories=categories),
        answers=answers,
    )


def read_kpcrowd(data: Path) -> Dataset:
    stories = require_files(data / "kpcrowd" / "docs", "*.txt", "kpcrowd stories")
    articles: list[EvalArticle] = []
    keys: dict[str, frozenset[str]] = {}
    for number, path in enumerate(stories, start=1):
        slug = f"kp-{number:03d}"
        title, paragraphs = parse_story(path.read_text(encoding="utf-8"))
        articles.append(EvalArticle(
            slug=slug, title=title, date=dt.date(2005, 1, 1), paragraphs=paragraphs,
            origin=path.name,
        ))  # fmt: skip
        key_path = require(data / "kpcrowd" / "keys" / f"{path.stem}.key", "kpcrowd keys")
        keys[slug] = parse_lines(key_path.read_text(encoding="utf-8"))
    answers = {a.slug: {"origin": a.origin, "keys": sorted(keys[a.slug])} for a in articles}
    return Dataset(
        name="kpcrowd",
        articles=tuple(articles),
        score=partial(score_kpcrowd, keys=keys),
        answers=answers,
    )


def read_conll(data: Path) -> Dataset:
    path = require(data / "conll2003" / "valid.txt", "CoNLL-2003 development split")
    articles: list[EvalArticle] = []
    gold: dict[str, frozenset[tuple[str, str]]] = {}
    documents = parse_conll(path.read_text(encoding="utf-8"))
    if not documents:
        raise EvaluationError(f"{path}: no documents found; is the data complete?")
    for number, document in enumerate(documents, start=1):
        slug = f"conll-{number:03d}"
        article, gold[slug] = conll_article(document, slug, f"valid.txt document {number}")
        articles.append(article)
    answers = {a.slug: {"origin": a.origin, "gold": sorted(gold[a.slug])} for a in articles}
    return Dataset(
        name="conll",
        articles=tuple(articles),
        score=partial(score_conll, gold=gold),
        answers=answers,
    )


READERS: dict[str, Callable[[Path], Dataset]] = {
    "bbc": read_bbc,
    "kpcrowd": read_kpcrowd,
    "conll": read_conll,
}
