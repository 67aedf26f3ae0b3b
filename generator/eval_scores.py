"""What a build found + the answers -> scores, exactly as ../shared/eval/README.md defines them."""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass


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


# --- text handling ---------------------------------------------------------------


def normalise(text: str) -> str:
    """Lowercase with runs of whitespace folded to one space."""
    return " ".join(text.split()).lower()


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
