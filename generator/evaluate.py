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
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .eval_data import READERS, Dataset, EvaluationError, render_article, require
from .eval_scores import BriefingResult, Metric, extraction_time_metric, normalise

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATASETS = ("bbc", "kpcrowd", "conll")
BASE_URL = "https://eval.invalid/"
KEEP_MARKER = ".evaluate-site"  # marks a --keep folder this harness may replace
BUILD_TIMEOUT_SECONDS = 600


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
