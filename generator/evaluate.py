"""Evaluation data -> sites built by the real CLI -> scores against the floors.

`python -m generator.evaluate --data DIR` (what `make eval` runs) turns each
data set described in DIR/README.md into a content dir of Markdown articles,
builds it with `python -m generator build` in a subprocess, reads the site's
briefings.json and the build's --stats file, and prints every metric with its
floor and reference. Exit status: 0 all floors met, 1 a floor missed,
2 nothing could be measured (data missing, build failed, output malformed).

Choices the data README leaves open, fixed here so figures stay comparable:
- Answers (summaries, categories, keys, gold entities) stay in this module;
  slugs are neutral (`bbc-037`) and BBC slugs are shuffled, so neither a
  category nor its order reaches the build.
- Precision@5 always divides by 5: fewer than five key facts or related
  briefings count as misses.
- Keyphrase F1@10 is macro: per story P = matches / 10, R = matches / keys,
  F1 averaged over stories. This is the reading under which YAKE (n=3,
  top=10) scores the README's 0.080 (micro gives 0.073).
- Entity F1 is micro: TP, FP and FN summed over documents.
- Body text keeps the data's paragraphs; the lines of a BBC paragraph are
  joined by single spaces. Each CoNLL sentence after the title is its own
  paragraph. A kpcrowd story's first line is its title, the rest its body
  (27 stories are a headline only and have an empty body).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATASETS = ("bbc", "kpcrowd", "conll")
BASE_URL = "https://eval.invalid/"
KEEP_MARKER = ".evaluate-site"  # marks a --keep folder this harness may replace
BUILD_TIMEOUT_SECONDS = 600
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
class BriefingResult:
    """The parts of one briefings.json entry that are scored."""

    fact_sentences: tuple[str | None, ...] = ()  # key facts' source sentences, best first
    keyphrases: tuple[str, ...] = ()  # ranked
    related: tuple[str, ...] = ()  # slugs, best first
    entities: frozenset[tuple[str, str]] = frozenset()  # (type, lowercased surface)


@dataclass(frozen=True, slots=True, kw_only=True)
class Metric:
    """One figure compared with its floor."""

    name: str
    value: float
    floor: float
    reference: str
    unit: str = ""  # "" for scores in [0, 1], "ms" for times
    at_most: bool = False  # True: the value must not exceed the floor
    note: str = ""  # how it was counted

    @property
    def passed(self) -> bool:
        return self.value <= self.floor if self.at_most else self.value >= self.floor


Scorer = Callable[[Mapping[str, BriefingResult]], list[Metric]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Dataset:
    """Articles to build as one site, and how to score what the build found."""

    name: str  # as in --only and the --keep folder
    articles: tuple[EvalArticle, ...]
    score: Scorer
    answers: Mapping[str, object] = field(default_factory=dict)  # written beside --keep sites


# --- text handling ---------------------------------------------------------------


def normalise(text: str) -> str:
    """Lowercase with runs of whitespace folded to one space."""
    return " ".join(text.split()).lower()


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


# --- scoring ------------------------------------------------------------------------


def precision_at(hits: Sequence[bool], k: int) -> float:
    """Share of the first k items that hit; missing items count as misses."""
    return sum(hits[:k]) / k


def key_fact_precision(
    results: Mapping[str, BriefingResult], summaries: Mapping[str, frozenset[str]]
) -> float:
    """Mean share of each article's first five key facts whose sentence is in its summary."""
    scores = [
        precision_at(
            [s is not None and normalise(s) in summary for s in results[slug].fact_sentences], 5
        )
        for slug, summary in summaries.items()
    ]
    return statistics.fmean(scores)


def related_precision(
    results: Mapping[str, BriefingResult], categories: Mapping[str, str]
) -> float:
    """Mean share of each article's first five related briefings in its own category."""
    scores = [
        precision_at([categories.get(other) == category for other in results[slug].related], 5)
        for slug, category in categories.items()
    ]
    return statistics.fmean(scores)


def keyphrase_f1(predicted: Sequence[str], keys: frozenset[str], k: int = 10) -> float:
    """F1 of the first k phrases against the key set, precision over k."""
    matches = len({normalise(p) for p in predicted[:k]} & keys)
    if not matches:
        return 0.0
    precision, recall = matches / k, matches / len(keys)
    return 2 * precision * recall / (precision + recall)


def entity_counts(
    predicted: frozenset[tuple[str, str]], gold: frozenset[tuple[str, str]]
) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of one document."""
    return len(predicted & gold), len(predicted - gold), len(gold - predicted)


def f1_from_counts(true_positives: int, false_positives: int, false_negatives: int) -> float:
    denominator = 2 * true_positives + false_positives + false_negatives
    return 2 * true_positives / denominator if denominator else 0.0


def score_bbc(
    results: Mapping[str, BriefingResult],
    summaries: Mapping[str, frozenset[str]],
    categories: Mapping[str, str],
) -> list[Metric]:
    count = len(categories)
    return [
        Metric(
            name="key-fact precision@5 (bbc-summary)",
            value=key_fact_precision(results, summaries),
            floor=0.60,
            reference="first five sentences 0.53, random 0.44",
            note=f"mean over {count} articles; fewer than 5 facts count as misses",
        ),
        Metric(
            name="related precision@5 (bbc-summary)",
            value=related_precision(results, categories),
            floor=0.85,
            reference="TF-IDF cosine 0.81",
            note=f"all {count} articles built as one site; same category counts",
        ),
    ]


def score_kpcrowd(
    results: Mapping[str, BriefingResult], keys: Mapping[str, frozenset[str]]
) -> list[Metric]:
    scores = [keyphrase_f1(results[slug].keyphrases, key_set) for slug, key_set in keys.items()]
    return [
        Metric(
            name="keyphrase F1@10 (kpcrowd)",
            value=statistics.fmean(scores),
            floor=0.14,
            reference="YAKE 0.080, capitalised phrases 0.10",
            note=f"macro over {len(scores)} stories; P = matches/10, R = matches/keys",
        )
    ]


def score_conll(
    results: Mapping[str, BriefingResult], gold: Mapping[str, frozenset[tuple[str, str]]]
) -> list[Metric]:
    totals = [entity_counts(results[slug].entities, pairs) for slug, pairs in gold.items()]
    tp, fp, fn = (sum(counts[i] for counts in totals) for i in range(3))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return [
        Metric(
            name="entity F1 person/org/place (conll2003)",
            value=f1_from_counts(tp, fp, fn),
            floor=0.60,
            reference="spaCy en_core_web_sm 0.64",
            note=f"micro over {len(gold)} documents: TP {tp}, FP {fp}, FN {fn}, "
            f"P {precision:.3f}, R {recall:.3f}",
        )
    ]


def extraction_time_metric(seconds: Sequence[float]) -> Metric:
    return Metric(
        name="extraction time per article, median",
        value=statistics.median(seconds) * 1000 if seconds else 0.0,
        floor=10.0,
        reference="YAKE 25 ms, spaCy 60 ms",
        unit="ms",
        at_most=True,
        note=f"CPU time, over {len(seconds)} articles, from the build's --stats{_load_note()}",
    )


def _load_note() -> str:
    # Other work on a 2-core machine inflates the timings; say when it did.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    busy = load > (os.cpu_count() or 1)
    return f"; load average {load:.1f} on {os.cpu_count()} cores: may be inflated" if busy else ""


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


# --- building and reading the build's output ----------------------------------------


def write_site(site: Path, dataset: Dataset) -> None:
    """site.yaml and content/<slug>.md for every article of the data set."""
    content = site / "content"
    content.mkdir(parents=True)
    config = {"title": f"Evaluation: {dataset.name}", "base_url": BASE_URL}
    (site / "site.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    for article in dataset.articles:
        (content / f"{article.slug}.md").write_text(render_article(article), encoding="utf-8")


def build_site(site: Path, keep: bool) -> None:
    """Run the real CLI on the site folder, as a user would."""
    command = [
        sys.executable, "-m", "generator", "build",
        "--config", str(site / "site.yaml"), "--content", str(site / "content"),
        "--output", str(site / "_site"), "--stats", str(site / "stats.json"),
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, cwd=PROJECT_ROOT, capture_output=True, text=True,
            timeout=BUILD_TIMEOUT_SECONDS, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise EvaluationError(
            f"build of {site} took over {BUILD_TIMEOUT_SECONDS} s; stopped it"
        ) from None
    if done.returncode != 0:
        output = (done.stderr.strip() or done.stdout.strip()).splitlines()
        tail = "\n".join(output[-20:])
        hint = "" if keep else "; rerun with --keep DIR to inspect the site"
        raise EvaluationError(
            f"build of {site} failed with exit status {done.returncode}{hint}:\n{tail}"
        )


def parse_briefings(text: str, path: str) -> dict[str, BriefingResult]:
    """briefings.json -> the scored parts of each briefing, by slug."""
    try:
        briefings = json.loads(text)["briefings"]
        return {_string(b["slug"]): _briefing_result(b) for b in briefings}
    except (ValueError, KeyError, TypeError) as error:
        raise EvaluationError(
            f"{path}: not the briefings.json layout this harness scores ({error!r}); "
            "see docs/site-layout.md"
        ) from None


def _briefing_result(briefing: Any) -> BriefingResult:
    entities = frozenset(
        (_string(entity["type"]), normalise(surface))
        for entity in briefing["entities"]
        for surface in _strings(entity["surfaces"])
    )
    return BriefingResult(
        fact_sentences=tuple(
            None if fact["sentence"] is None else _string(fact["sentence"])
            for fact in briefing["key_facts"]
        ),
        keyphrases=_strings(briefing["keyphrases"]),
        related=_strings(briefing["related"]),
        entities=entities,
    )


def parse_stats(text: str, path: str) -> tuple[float, ...]:
    """The build's --stats JSON -> extraction seconds of every article."""
    try:
        return tuple(float(a["extract_seconds"]) for a in json.loads(text)["articles"])
    except (ValueError, KeyError, TypeError) as error:
        raise EvaluationError(
            f"{path}: not the --stats layout {{articles: [{{extract_seconds}}]}} ({error!r})"
        ) from None


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {value!r}")
    return value


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list of text, found {value!r}")
    return tuple(_string(item) for item in value)


def prepare_site_folder(site: Path) -> Path:
    """An empty folder for one site; replaces only a folder this harness made."""
    if site.exists():
        if not (site / KEEP_MARKER).exists():
            raise EvaluationError(
                f"{site}: already exists and was not made by this harness; "
                "give --keep an empty or new folder"
            )
        shutil.rmtree(site)
    site.mkdir(parents=True)
    (site / KEEP_MARKER).write_text("made by generator.evaluate; replaced on the next run\n")
    return site


def evaluate_dataset(dataset: Dataset, root: Path, keep: bool) -> tuple[list[Metric], list[float]]:
    """Build one data set as one site and score it: (metrics, extraction seconds)."""
    site = prepare_site_folder(root / dataset.name)
    write_site(site, dataset)
    if keep:
        answers = json.dumps(dataset.answers, indent=1, ensure_ascii=False)
        (root / f"{dataset.name}.answers.json").write_text(answers + "\n", encoding="utf-8")
    print(f"building {dataset.name}: {len(dataset.articles)} articles", file=sys.stderr, flush=True)
    started = time.perf_counter()
    build_site(site, keep)
    print(f"  built in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    briefings_path = site / "_site" / "briefings.json"
    results = parse_briefings(
        require(briefings_path, "written by the build").read_text(encoding="utf-8"),
        str(briefings_path),
    )
    missing = [a.slug for a in dataset.articles if a.slug not in results]
    if missing:
        print(
            f"  warning: {len(missing)} articles have no briefing and score zero: "
            + ", ".join(missing[:10]),
            file=sys.stderr,
        )
    stats_path = site / "stats.json"
    seconds = parse_stats(
        require(stats_path, "written by the build's --stats").read_text(encoding="utf-8"),
        str(stats_path),
    )
    scored = {a.slug: results.get(a.slug, BriefingResult()) for a in dataset.articles}
    return dataset.score(scored), list(seconds)


def evaluate(data: Path, names: Sequence[str], keep: Path | None) -> list[Metric]:
    """Every metric of the chosen data sets, then the median extraction time."""
    if not data.is_dir():
        raise EvaluationError(
            f"{data}: evaluation data not found (no such directory); "
            "pass --data DIR, or EVAL_DATA=DIR to make eval"
        )
    datasets = [READERS[name](data.resolve()) for name in dict.fromkeys(names)]
    metrics: list[Metric] = []
    seconds: list[float] = []
    with tempfile.TemporaryDirectory(prefix="briefings-eval-") as temp:
        root = keep.resolve() if keep else Path(temp)
        for dataset in datasets:
            dataset_metrics, dataset_seconds = evaluate_dataset(dataset, root, keep is not None)
            metrics += dataset_metrics
            seconds += dataset_seconds
    return [*metrics, extraction_time_metric(seconds)]


# --- reporting ----------------------------------------------------------------------


def format_number(value: float, unit: str, decimals: int) -> str:
    return f"{value:.{decimals}f} {unit}" if unit else f"{value:.{decimals}f}"


def format_table(metrics: Sequence[Metric]) -> str:
    """The metrics as an aligned text table, then how each was counted."""
    header = ("metric", "value", "floor", "reference", "result")
    rows = [
        (
            m.name,
            format_number(m.value, m.unit, 1 if m.unit else 3),
            ("<= " if m.at_most else ">= ") + format_number(m.floor, m.unit, 0 if m.unit else 2),
            m.reference,
            "pass" if m.passed else "FAIL",
        )
        for m in metrics
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]  # fmt: skip
    notes = [f"  {m.name}: {m.note}" for m in metrics if m.note]
    return "\n".join([*lines, "", "how counted:", *notes])


def metrics_json(metrics: Sequence[Metric]) -> str:
    figures = [
        {"name": m.name, "value": m.value, "floor": m.floor, "at_most": m.at_most,
         "unit": m.unit, "reference": m.reference, "passed": m.passed, "note": m.note}
        for m in metrics
    ]  # fmt: skip
    document = {"metrics": figures, "passed": all(m.passed for m in metrics)}
    return json.dumps(document, indent=2) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m generator.evaluate",
        description="Build the evaluation data with the real generator and score it.",
    )
    parser.add_argument("--data", type=Path, required=True, help="evaluation data folder")
    parser.add_argument(
        "--only", action="append", choices=DATASETS, help="data set to run (repeatable)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the generated sites, with NAME.answers.json beside each, in this folder",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """0 when every floor is met, 1 when one is missed, 2 when nothing could be measured."""
    args = parse_args(argv)
    try:
        metrics = evaluate(args.data, args.only or DATASETS, args.keep)
    except EvaluationError as error:
        print(f"evaluate: {error}", file=sys.stderr)
        return 2
    print(format_table(metrics))
    if args.json:
        args.json.write_text(metrics_json(metrics), encoding="utf-8")
    return 0 if all(m.passed for m in metrics) else 1


if __name__ == "__main__":
    sys.exit(main())
