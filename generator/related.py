"""Feature vectors of every briefing -> its related briefings, best first, with what they share.

Scores are cosines of TF-IDF weighted features (terms, entities, tags) computed
as one sparse matrix product with SciPy, a block of rows at a time, so the
work grows with how much briefings overlap rather than with the square of
their number. Features in a large share of briefings say nothing about
relatedness and are dropped before the product, and briefings with identical
vectors are multiplied once. A second pass lets each briefing's nearest
neighbours vote (pseudo-relevance feedback): a briefing close to my neighbours
is about the same thing even when it shares few words with me directly.

Choosing, voting and explaining work on whole arrays, not on one briefing at a
time in Python. Yet the floats are those of a loop over one briefing at a time
(tests/test_related.py keeps such a loop to compare against): sums are taken
in the same order, and ties go to the earlier slug, so a ranking never hangs
on how the work was cut up.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice

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
PAIRS_PER_BLOCK = 4096  # pairs explained at once: bounds memory at PAIRS x shared features


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
    group = _identical_rows(matrix)
    candidates, first_scores = _first_pass(matrix, group)
    best, scores = _best(_with_feedback(candidates, first_scores), count)
    chosen = best >= 0
    rows, others = np.nonzero(chosen)[0], best[chosen]
    shared = _shared(matrix, group, rows, others, features)
    found = zip(others.tolist(), scores[chosen].tolist(), shared, strict=True)
    matches = iter([
        Match(slug=slugs[other], score=round(score, 6), shared=explained)
        for other, score, explained in found
    ])  # fmt: skip
    return {
        slug: list(islice(matches, size))
        for slug, size in zip(slugs, chosen.sum(axis=1).tolist(), strict=True)
    }


def _weighted_matrix(
    slugs: Sequence[str], vectors: Mapping[str, Mapping[str, float]]
) -> tuple[sparse.csr_array, list[str]]:
    """Rows of unit-length TF-IDF weights over the features worth comparing."""
    rows = [vectors[slug] for slug in slugs]
    total = len(rows)
    lengths = np.fromiter(map(len, rows), np.int64, total)
    names, numbers = _numbered(chain.from_iterable(rows), int(lengths.sum()))
    weights = np.fromiter(
        chain.from_iterable(row.values() for row in rows), np.float64, len(numbers)
    )
    frequency = np.bincount(numbers, minlength=len(names)).tolist()
    limit = max(COMMON_FLOOR, min(COMMON_CAP, int(total * COMMON_SHARE)))
    kept = [n for n, seen in enumerate(frequency) if 1 < seen <= limit]
    kept.sort(key=names.__getitem__)  # columns in name order
    column = np.full(len(names), -1, dtype=np.int64)
    column[kept] = np.arange(len(kept))
    # math.log, not np.log, whose last bit may differ from one machine to another.
    idf = np.array([math.log(1 + total / frequency[n]) for n in kept], dtype=np.float64)
    columns = column[numbers]
    used = columns >= 0
    per_row = np.bincount(np.repeat(np.arange(total), lengths)[used], minlength=total)
    matrix = sparse.csr_array(
        (weights[used] * idf[columns[used]], columns[used], np.append(0, np.cumsum(per_row))),
        shape=(total, len(kept)),
    )
    matrix.sort_indices()
    _normalise_rows(matrix)
    return matrix, [names[n] for n in kept]


def _numbered(features: Iterable[str], size: int) -> tuple[list[str], np.ndarray]:
    """The distinct features in order of first sight, and the number of each one given."""
    numbers: defaultdict[str, int] = defaultdict()
    numbers.default_factory = numbers.__len__  # a feature not seen before takes the next number
    found = np.fromiter(map(numbers.__getitem__, features), np.int64, size)
    return list(numbers), found


def _normalise_rows(matrix: sparse.csr_array) -> None:
    """Scale every row to length 1, in place; an empty row stays empty."""
    squares = sparse.csr_array(
        (matrix.data * matrix.data, matrix.indices, matrix.indptr), shape=matrix.shape
    )
    # SciPy adds along a row in column order, as a loop over one briefing's weights does.
    norms = np.sqrt(squares @ np.ones(matrix.shape[1]))
    norms[norms == 0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr))


def _identical_rows(matrix: sparse.csr_array) -> np.ndarray:
    """A group number per row, shared by rows of identical weights, numbered by first row."""
    seen: dict[tuple[bytes, bytes], int] = {}
    bounds = zip(matrix.indptr[:-1].tolist(), matrix.indptr[1:].tolist(), strict=True)
    groups = [
        seen.setdefault((matrix.indices[a:b].tobytes(), matrix.data[a:b].tobytes()), len(seen))
        for a, b in bounds
    ]
    return np.array(groups, dtype=np.int64)


def _first_pass(matrix: sparse.csr_array, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every row's best CANDIDATES other rows by cosine, best first, and their scores.

    Identical rows have identical scores, so one row of each group is
    multiplied, and its scores copied out to the columns of all its members.
    """
    firsts = np.unique(group, return_index=True)[1]
    unique = matrix[firsts]
    transposed = unique.T.tocsc()
    found: list[tuple[np.ndarray, np.ndarray]] = []
    for start in range(0, len(firsts), ROWS_PER_BLOCK):
        block = (unique[start : start + ROWS_PER_BLOCK] @ transposed).toarray()
        if len(firsts) < len(group):
            block = block[:, group]  # a column per row again
        # One more than kept: a row is among the best of its group, and drops itself below.
        found.append(_top(block, CANDIDATES + 1))
    best = np.concatenate([rows for rows, _ in found])[group]
    scores = np.concatenate([values for _, values in found])[group]
    return _without_itself(best, scores)


def _without_itself(best: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's list less the row itself, or less its last entry when the row is not in it."""
    itself = best == np.arange(len(best))[:, None]
    dropped = np.where(itself.any(axis=1), itself.argmax(axis=1), best.shape[1] - 1)
    kept = np.arange(best.shape[1] - 1)[None, :]
    kept = kept + (kept >= dropped[:, None])
    return np.take_along_axis(best, kept, axis=1), np.take_along_axis(scores, kept, axis=1)


def _with_feedback(best: np.ndarray, scores: np.ndarray) -> sparse.csr_array:
    """First-pass scores plus the votes of each row's NEIGHBOURS best rows.

    `best` holds each row's first-pass rows, best first (-1 pads), and `scores`
    their scores. The votes are added one neighbour at a time, best first, to
    the row's own scores: the order, and so the floats, of a loop.
    """
    total = len(best)
    valid = best >= 0
    indptr = np.append(0, np.cumsum(valid.sum(axis=1)))
    first = sparse.csr_array((scores[valid], best[valid], indptr), shape=(total, total))
    first.sort_indices()
    votes = sparse.csr_array(
        (FEEDBACK * first.data / NEIGHBOURS, first.indices, np.append(indptr, indptr[-1])),
        shape=(total + 1, total),
    )  # its last row is empty: the votes of a missing neighbour
    neighbours = np.where(valid, best, total)[:, :NEIGHBOURS]
    summed = first
    for rank in range(neighbours.shape[1]):
        summed = summed + votes[neighbours[:, rank]]
    return summed


def _best(scores: sparse.csr_array, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's `count` best other rows and their scores; -1 pads a row with fewer."""
    columns, values = _padded(scores)
    values[columns == np.arange(len(columns))[:, None]] = 0.0  # never related to itself
    positions, best_scores = _top(values, count)
    best = np.take_along_axis(columns, np.maximum(positions, 0), axis=1)
    return np.where(positions >= 0, best, -1), best_scores


def _padded(matrix: sparse.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """The rows of a sparse matrix as equal rows of (column, value), columns ascending.

    Padded with column -1 and value 0 up to the longest row.
    """
    matrix.sort_indices()
    lengths = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(len(lengths)), lengths)
    places = np.arange(matrix.nnz) - matrix.indptr[rows]
    width = max(int(lengths.max(initial=0)), 1)
    columns = np.full((len(lengths), width), -1, dtype=np.int64)
    values = np.zeros((len(lengths), width), dtype=matrix.dtype)
    columns[rows, places] = matrix.indices
    values[rows, places] = matrix.data
    return columns, values


def _top(values: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the positions of the `count` largest positive values and those values.

    Largest first, and the earlier position among equal values; -1 and 0 pad
    a row with fewer.
    """
    height, width = values.shape
    count = min(count, width)
    cutoff = np.partition(values, width - count, axis=1)[:, width - count]
    lowest = np.maximum(cutoff, np.nextafter(0.0, 1.0))  # only positive values count
    rows, positions = np.divmod(np.flatnonzero(values >= lowest[:, None]), width)
    found = values[rows, positions]
    # All values above the cutoff fit; of those equal to it, the earliest that still fit.
    tied = found == cutoff[rows]
    room = count - np.bincount(rows[~tied], minlength=height)
    tied_before = np.cumsum(tied) - tied
    tied_before -= tied_before[_row_starts(rows, height)[rows]]
    kept = ~tied | (tied_before < room[rows])
    rows, positions, found = rows[kept], positions[kept], found[kept]
    order = np.lexsort((positions, -found, rows))
    rows, positions, found = rows[order], positions[order], found[order]
    places = np.arange(len(rows)) - _row_starts(rows, height)[rows]
    top = np.full((height, count), -1, dtype=np.int64)
    top_values = np.zeros((height, count))
    top[rows, places] = positions
    top_values[rows, places] = found
    return top, top_values


def _row_starts(rows: np.ndarray, height: int) -> np.ndarray:
    """Where each row's run begins in `rows`, a sorted array of row numbers."""
    sizes = np.bincount(rows, minlength=height)
    return np.cumsum(sizes) - sizes


def _shared(
    matrix: sparse.csr_array,
    group: np.ndarray,
    rows: np.ndarray,
    others: np.ndarray,
    features: Sequence[str],
) -> list[tuple[tuple[float, str], ...]]:
    """What each pair (rows[i], others[i]) has in common, worked out once per pair of vectors.

    What two rows share does not depend on which of them asks, nor on which
    of several identical rows stands for their vector.
    """
    groups = int(group.max()) + 1
    low, high = np.minimum(group[rows], group[others]), np.maximum(group[rows], group[others])
    pairs, which = np.unique(low * groups + high, return_inverse=True)
    firsts = np.unique(group, return_index=True)[1]
    common = matrix[firsts[pairs // groups]].multiply(matrix[firsts[pairs % groups]])
    common = sparse.csr_array(common)
    kinds = feature_kinds(features)
    explained: list[tuple[tuple[float, str], ...]] = [()] * len(pairs)
    # Pairs sharing about as many features go together: the arrays need little padding.
    by_size = np.argsort(np.diff(common.indptr), kind="stable")
    for start in range(0, len(pairs), PAIRS_PER_BLOCK):
        chunk = by_size[start : start + PAIRS_PER_BLOCK].tolist()
        for pair, shared in zip(chunk, _explain(common[chunk], kinds, features), strict=True):
            explained[pair] = shared
    return [explained[pair] for pair in which.tolist()]


def _explain(
    common: sparse.csr_array, kinds: np.ndarray, features: Sequence[str]
) -> list[tuple[tuple[float, str], ...]]:
    """Per row of `common`, what a pair shares, the strongest features, a few of each kind.

    A feature's strength is its share of the pair's cosine (the product of
    the pair's weights); kinds are people, organisations and places apart,
    then tags, then terms (see `feature_kinds`), so a shared person is named
    even when many shared words weigh more. Among equal strengths the lower
    column wins, which is the name first in order.
    """
    columns, strength = _padded(common)
    padding = int(kinds.max(initial=-1)) + 1  # a kind after all others
    kind = np.where(columns >= 0, kinds[columns], padding)
    # By kind, strongest first; lexsort keeps the column order of equals.
    order = np.lexsort((-strength, kind), axis=1)
    kind = np.take_along_axis(kind, order, axis=1)
    places = np.arange(kind.shape[1])
    new_kind = np.ones(kind.shape, dtype=bool)
    new_kind[:, 1:] = kind[:, 1:] != kind[:, :-1]
    rank = places - np.maximum.accumulate(np.where(new_kind, places, 0), axis=1)
    shown = np.empty(kind.shape, dtype=bool)
    np.put_along_axis(shown, order, (rank < SHOWN) & (kind < padding), axis=1)
    counts = shown.sum(axis=1)
    strongest = np.argsort(np.where(shown, -strength, np.inf), axis=1, kind="stable")
    strongest = strongest[:, : max(int(counts.max(initial=0)), 1)]
    kept = np.arange(strongest.shape[1]) < counts[:, None]
    named = zip(
        np.take_along_axis(strength, strongest, axis=1)[kept].tolist(),
        [features[c] for c in np.take_along_axis(columns, strongest, axis=1)[kept].tolist()],
        strict=True,
    )
    return [tuple(islice(named, size)) for size in counts.tolist()]


def feature_kinds(features: Sequence[str]) -> np.ndarray:
    """A number per feature naming its kind: "e:people", "e:places"..., "t:", "w:"."""
    names = [f.split("/", 1)[0] if f.startswith("e:") else f[:2] for f in features]
    numbers = {name: number for number, name in enumerate(sorted(set(names)))}
    return np.array([numbers[name] for name in names], dtype=np.int64)
