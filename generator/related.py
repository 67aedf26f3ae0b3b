"""Feature vectors of every briefing -> its related briefings, best first, with what they share.

Scores are cosines of TF-IDF weighted features (terms, entities, tags) computed
as one sparse matrix product with SciPy, a block of rows at a time, so the
work grows with how much briefings overlap rather than with the square of
their number. Features in a large share of briefings say nothing about
relatedness and are dropped before the product. A second pass lets each
briefing's nearest neighbours vote (pseudo-relevance feedback): a briefing
close to my neighbours is about the same thing even when it shares few
words with me directly.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

COMMON_SHARE = 0.5  # features in more than this share of briefings are dropped...
COMMON_FLOOR = 50  # ...but never below this many briefings, so small sites keep them...
COMMON_CAP = 1000  # ...and never above this many, which bounds the work on big archives
CANDIDATES = 50  # first-pass neighbours kept per briefing
NEIGHBOURS = 5  # neighbours whose own neighbours vote
FEEDBACK = 1.5  # weight of their vote
SHOWN = 4  # shared features of each kind kept to explain a match
ROWS_PER_BLOCK = 512  # rows multiplied at once: bounds memory at ROWS x briefings floats


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    slug: str
    score: float
    shared: tuple[tuple[float, str], ...]  # (contribution, feature), strongest first


def rank_related(vectors: Mapping[str, Mapping[str, float]], count: int) -> dict[str, list[Match]]:
    """The `count` best matches of every briefing; `vectors` maps slug -> feature weights."""
    slugs = sorted(vectors)
    if count <= 0 or len(slugs) < 2:
        return {slug: [] for slug in slugs}
    matrix, features = _weighted_matrix(slugs, vectors)
    kinds = feature_kinds(features)
    first = _first_pass(matrix)
    related: dict[str, list[Match]] = {}
    for row, slug in enumerate(slugs):
        scores = _with_feedback(row, first)
        best = sorted(scores, key=lambda other: (-scores[other], other))[:count]
        related[slug] = [
            Match(slug=slugs[other], score=round(scores[other], 6),
                  shared=_shared(matrix, row, other, features, kinds))
            for other in best
        ]  # fmt: skip
    return related


def _weighted_matrix(
    slugs: Sequence[str], vectors: Mapping[str, Mapping[str, float]]
) -> tuple[sparse.csr_array, list[str]]:
    """Rows of unit-length TF-IDF weights over the features worth comparing."""
    frequency = Counter(feature for slug in slugs for feature in vectors[slug])
    total = len(slugs)
    limit = max(COMMON_FLOOR, min(COMMON_CAP, int(total * COMMON_SHARE)))
    features = sorted(f for f, n in frequency.items() if 1 < n <= limit)
    column = {feature: index for index, feature in enumerate(features)}
    idf = {f: math.log(1 + total / frequency[f]) for f in features}
    rows: list[int] = []
    columns: list[int] = []
    weights: list[float] = []
    for row, slug in enumerate(slugs):
        kept = sorted((column[f], w * idf[f]) for f, w in vectors[slug].items() if f in column)
        norm = math.sqrt(sum(w * w for _, w in kept)) or 1.0
        for index, weight in kept:
            rows.append(row)
            columns.append(index)
            weights.append(weight / norm)
    matrix = sparse.csr_array(
        (np.array(weights), (np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64))),
        shape=(total, len(features)),
    )
    return matrix, features


def _first_pass(matrix: sparse.csr_array) -> list[dict[int, float]]:
    """For every row, its best CANDIDATES other rows by cosine, as {row: score}."""
    transposed = matrix.T.tocsc()
    found: list[dict[int, float]] = []
    total = matrix.shape[0]
    for start in range(0, total, ROWS_PER_BLOCK):
        block = (matrix[start : start + ROWS_PER_BLOCK] @ transposed).toarray()
        for offset, scores in enumerate(block):
            scores[start + offset] = 0.0  # never related to itself
            candidates = np.flatnonzero(scores > 0)
            if len(candidates) > CANDIDATES:
                # Highest scores, and the lower row number among equal scores.
                order = np.lexsort((candidates, -scores[candidates]))[:CANDIDATES]
                candidates = candidates[order]
            found.append({int(c): float(scores[c]) for c in candidates})
    return found


def _with_feedback(row: int, first: Sequence[Mapping[int, float]]) -> dict[int, float]:
    own = first[row]
    neighbours = sorted(own, key=lambda other: (-own[other], other))[:NEIGHBOURS]
    scores = dict(own)
    for neighbour in neighbours:
        for other, score in first[neighbour].items():
            if other != row:
                scores[other] = scores.get(other, 0.0) + FEEDBACK * score / NEIGHBOURS
    return scores


def _shared(
    matrix: sparse.csr_array, row: int, other: int, features: Sequence[str], kinds: np.ndarray
) -> tuple[tuple[float, str], ...]:
    """The strongest features two rows have in common, a few of each kind.

    A feature's strength is its share of the pair's cosine; kinds are people,
    organisations and places apart, then tags, then terms (`kinds` holds a
    number per column), so a shared person is named even when many shared
    words weigh more.
    """
    mine = slice(matrix.indptr[row], matrix.indptr[row + 1])
    theirs = slice(matrix.indptr[other], matrix.indptr[other + 1])
    common, at_mine, at_theirs = np.intersect1d(
        matrix.indices[mine], matrix.indices[theirs], assume_unique=True, return_indices=True
    )
    strength = matrix.data[mine][at_mine] * matrix.data[theirs][at_theirs]
    order = np.lexsort((common, -strength, kinds[common]))  # by kind, then strongest
    grouped = kinds[common][order]
    _, starts, sizes = np.unique(grouped, return_index=True, return_counts=True)
    rank = np.arange(len(order)) - np.repeat(starts, sizes)
    kept = order[rank < SHOWN]
    pairs = [(float(strength[i]), features[int(common[i])]) for i in kept]
    return tuple(sorted(pairs, key=lambda p: (-p[0], p[1])))


def feature_kinds(features: Sequence[str]) -> np.ndarray:
    """A number per feature naming its kind: "e:people", "e:places"..., "t:", "w:"."""
    names = [f.split("/", 1)[0] if f.startswith("e:") else f[:2] for f in features]
    numbers = {name: number for number, name in enumerate(sorted(set(names)))}
    return np.array([numbers[name] for name in names], dtype=np.int64)
