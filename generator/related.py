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
from itertools import chain, islice, repeat

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


@dataclass(frozen=True, slots=True, kw_only=True)
class Features:
    """Every briefing's feature weights as flat arrays, an entry per (briefing, feature).

    A feature given twice to a briefing keeps its last weight, as in a dict.
    """

    slugs: Sequence[str]  # the briefings, distinct, in any order
    names: Sequence[str]  # the features, distinct: "w:tariff", "e:people/william-ruto", "t:trade"
    rows: np.ndarray  # of each entry, its briefing's position in `slugs`
    numbers: np.ndarray  # of each entry, its feature's position in `names`
    weights: np.ndarray  # of each entry, the weight


@dataclass(frozen=True, slots=True, kw_only=True)
class Ranking:
    """Every briefing's best matches as flat lists: briefing by briefing, best first."""

    slugs: list[str]  # sorted
    sizes: list[int]  # how many matches each briefing has
    others: list[int]  # of each match, the position in `slugs` of the briefing matched
    scores: list[float]  # of each match, its score rounded to 6 places
    shared: list[tuple[tuple[float, str], ...]]  # what matched pairs share, each pair once...
    pairs: list[int]  # ...and, of each match, its pair's position there


def rank_related(vectors: Mapping[str, Mapping[str, float]], count: int) -> dict[str, list[Match]]:
    """The `count` best matches of every briefing; `vectors` maps slug -> feature weights."""
    ranking = rank_features(features_of(vectors), count)
    slugs, shared = ranking.slugs, ranking.shared
    found = zip(ranking.others, ranking.scores, ranking.pairs, strict=True)
    matches = iter([
        Match(slug=slugs[other], score=score, shared=shared[pair])
        for other, score, pair in found
    ])  # fmt: skip
    return {
        slug: list(islice(matches, size)) for slug, size in zip(slugs, ranking.sizes, strict=True)
    }


def features_of(vectors: Mapping[str, Mapping[str, float]]) -> Features:
    """Flat arrays of the weights `vectors` maps slug -> feature -> weight."""
    slugs = list(vectors)
    lengths = np.fromiter(map(len, vectors.values()), np.int64, len(slugs))
    size = int(lengths.sum())
    names, numbers = numbered(chain.from_iterable(vectors.values()), size)
    weights = chain.from_iterable(vector.values() for vector in vectors.values())
    return Features(
        slugs=slugs,
        names=names,
        rows=np.repeat(np.arange(len(slugs)), lengths),
        numbers=numbers,
        weights=np.fromiter(weights, np.float64, size),
    )


def rank_features(features: Features, count: int) -> Ranking:
    """The `count` best matches of every briefing, ties to the earlier slug."""
    slugs = sorted(features.slugs)
    if count <= 0 or len(slugs) < 2:
        return Ranking(
            slugs=slugs, sizes=[0] * len(slugs), others=[], scores=[], shared=[], pairs=[]
        )
    row_of = np.empty(len(slugs), dtype=np.int64)  # a row per briefing, in slug order
    row_of[sorted(range(len(slugs)), key=features.slugs.__getitem__)] = np.arange(len(slugs))
    matrix, names = _weighted_matrix(features, row_of[features.rows])
    group = _identical_rows(matrix)
    candidates, first_scores = _first_pass(matrix, group)
    best, scores = _best(_with_feedback(candidates, first_scores), count)
    chosen = best >= 0
    rows, others = np.nonzero(chosen)[0], best[chosen]
    shared, pairs = _shared(matrix, group, rows, others, names)
    return Ranking(
        slugs=slugs,
        sizes=chosen.sum(axis=1).tolist(),
        others=others.tolist(),
        scores=list(map(round, scores[chosen].tolist(), repeat(6))),
        shared=shared,
        pairs=pairs,
    )


def _weighted_matrix(features: Features, rows: np.ndarray) -> tuple[sparse.csr_array, list[str]]:
    """Rows of unit-length TF-IDF weights over the features worth comparing, the
    entries' `rows` given; and the name of each column."""
    total = len(features.slugs)
    names, numbers = _in_name_order(features.names, features.numbers)
    entries = _distinct_entries(rows, numbers, total, len(names))
    rows, numbers, weights = rows[entries], numbers[entries], features.weights[entries]
    frequency = np.bincount(numbers, minlength=len(names))
    limit = max(COMMON_FLOOR, min(COMMON_CAP, int(total * COMMON_SHARE)))
    kept = (frequency > 1) & (frequency <= limit)
    column = np.cumsum(kept) - 1  # features are numbered in name order, so are the columns
    # math.log, not np.log, whose last bit may differ from one machine to another.
    idf = np.array(
        [math.log(1 + total / seen) for seen in frequency[kept].tolist()], dtype=np.float64
    )
    used = kept[numbers]
    columns = column[numbers[used]]
    per_row = np.bincount(rows[used], minlength=total)
    matrix = sparse.csr_array(
        (weights[used] * idf[columns], columns, np.append(0, np.cumsum(per_row))),
        shape=(total, len(idf)),
    )
    matrix.sort_indices()  # already sorted: this only checks
    _normalise_rows(matrix)
    return matrix, [names[n] for n in np.flatnonzero(kept).tolist()]


def _in_name_order(names: Sequence[str], numbers: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The features sorted by name, and the entries' `numbers` renumbered to match."""
    order = sorted(range(len(names)), key=names.__getitem__)
    renumbered = np.empty(len(names), dtype=np.int64)
    renumbered[order] = np.arange(len(names))
    return [names[n] for n in order], renumbered[numbers]


def _distinct_entries(rows: np.ndarray, numbers: np.ndarray, total: int, width: int) -> np.ndarray:
    """The positions of the entries to use, by row and then by feature number.

    Of a feature a row is given twice, the last weight counts, as in a dict.
    """
    # A sparse matrix of positions (from 1) sorts them, and adds those of the same cell.
    cells = sparse.csr_array(
        (np.arange(1, len(rows) + 1), (rows, numbers)), shape=(total, width), dtype=np.int64
    )
    cells.sort_indices()
    if cells.nnz == len(rows):  # no feature given twice: no sums
        positions: np.ndarray = cells.data - 1
        return positions
    key = rows * width + numbers
    order = np.argsort(key, kind="stable")
    last = np.ones(len(order), dtype=bool)
    last[:-1] = key[order[1:]] != key[order[:-1]]
    return order[last]


def numbered(features: Iterable[str], size: int) -> tuple[list[str], np.ndarray]:
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
    # Slices of bytes, not of arrays: a slice of an array takes far longer to make.
    indices, data = matrix.indices.tobytes(), matrix.data.tobytes()
    width, size = matrix.indices.itemsize, matrix.data.itemsize
    bounds = zip(matrix.indptr[:-1].tolist(), matrix.indptr[1:].tolist(), strict=True)
    groups = [
        seen.setdefault((indices[a * width : b * width], data[a * size : b * size]), len(seen))
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
) -> tuple[list[tuple[tuple[float, str], ...]], list[int]]:
    """What pairs (rows[i], others[i]) have in common, worked out once per pair of vectors,
    and the position there of each pair.

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
    return explained, which.tolist()


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
