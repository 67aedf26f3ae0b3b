import math
import random
from collections import Counter
from collections.abc import Callable

import numpy as np
import pytest

from generator import related
from generator.related import Features, Match, features_of, rank_features, rank_related

Vectors = dict[str, dict[str, float]]


def rank_one_at_a_time(
    vectors: Vectors, count: int, rounded: Callable[[float, int], float] = round
) -> dict[str, list[Match]]:
    """What rank_related computes, written as a plain loop over one briefing at a time."""
    slugs = sorted(vectors)
    total = len(slugs)
    frequency = Counter(feature for vector in vectors.values() for feature in vector)
    limit = max(related.COMMON_FLOOR, min(related.COMMON_CAP, int(total * related.COMMON_SHARE)))
    idf = {f: math.log(1 + total / n) for f, n in frequency.items() if 1 < n <= limit}
    weights = [
        unit_length({f: w * idf[f] for f, w in vectors[slug].items() if f in idf}) for slug in slugs
    ]
    first = [top_candidates(row, weights) for row in range(total)]
    ranked: dict[str, list[Match]] = {}
    for row, slug in enumerate(slugs):
        scores = dict(first[row])
        for neighbour in list(first[row])[: related.NEIGHBOURS]:
            for other, score in first[neighbour].items():
                if other != row:
                    vote = related.FEEDBACK * score / related.NEIGHBOURS
                    scores[other] = scores.get(other, 0.0) + vote
        best = sorted(scores, key=lambda other: (-scores[other], other))[:count]
        ranked[slug] = [
            Match(slug=slugs[other], score=rounded(scores[other], 6),
                  shared=shared(weights[row], weights[other]))
            for other in best
        ]  # fmt: skip
    return ranked


def unit_length(weights: dict[str, float]) -> dict[str, float]:
    squares = 0.0
    for feature in sorted(weights):
        squares += weights[feature] * weights[feature]
    norm = math.sqrt(squares) or 1.0
    return {feature: weights[feature] / norm for feature in sorted(weights)}


def top_candidates(row: int, weights: list[dict[str, float]]) -> dict[int, float]:
    """The best CANDIDATES other rows by cosine, best first."""
    scores = {}
    for other, theirs in enumerate(weights):
        cosine = 0.0
        for feature, weight in weights[row].items():  # in name order
            if feature in theirs:
                cosine += weight * theirs[feature]
        if other != row and cosine > 0:
            scores[other] = cosine
    best = sorted(scores, key=lambda other: (-scores[other], other))[: related.CANDIDATES]
    return {other: scores[other] for other in best}


def shared(mine: dict[str, float], theirs: dict[str, float]) -> tuple[tuple[float, str], ...]:
    def kind(feature: str) -> str:
        return feature.split("/", 1)[0] if feature.startswith("e:") else feature[:2]

    common = sorted((-mine[f] * theirs[f], f) for f in mine if f in theirs)
    shown: list[tuple[float, str]] = []
    for name in {kind(f) for _, f in common}:
        shown += [(-s, f) for s, f in common if kind(f) == name][: related.SHOWN]
    return tuple(sorted(shown, key=lambda pair: (-pair[0], pair[1])))


def random_vectors(seed: int, size: int, ties: bool = True) -> Vectors:
    """Briefings drawing on few features and, unless `ties` is false, few weights."""
    rng = random.Random(seed)
    kinds = ["w:term", "e:people/person", "e:places/place", "e:organizations/org", "t:tag"]
    vectors: Vectors = {}
    for number in range(size):
        slug = f"b{rng.randrange(1000):03d}-{number}"
        if vectors and rng.random() < 0.2:  # a copy of another briefing's features
            vectors[slug] = dict(rng.choice(list(vectors.values())))
            continue
        features = {"w:everywhere": 1.0} if rng.random() < 0.7 else {}
        for _ in range(rng.randrange(0, 9)):
            weight = rng.choice([1.0, 1.5, 2.0]) if ties else rng.uniform(1.0, 3.0)
            features[f"{rng.choice(kinds)}{rng.randrange(12)}"] = weight
        vectors[slug] = features
    return vectors


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_ranks_as_a_loop_over_one_briefing_at_a_time(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small limits so that candidates, common features and blocks all run out.
    for name, value in [("CANDIDATES", 6), ("NEIGHBOURS", 3), ("COMMON_FLOOR", 10),
                        ("ROWS_PER_BLOCK", 7), ("PAIRS_PER_BLOCK", 5)]:  # fmt: skip
        monkeypatch.setattr(related, name, value)
    vectors = random_vectors(seed, 90)
    assert rank_related(vectors, 4) == rank_one_at_a_time(vectors, 4)


def test_ranks_as_the_loop_with_the_real_limits() -> None:
    vectors = random_vectors(5, 150)
    assert rank_related(vectors, 5) == rank_one_at_a_time(vectors, 5)


def test_scores_are_the_floats_of_the_loop_to_the_last_bit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(related, "round", lambda score, _: score, raising=False)
    vectors = random_vectors(6, 120, ties=False)
    assert rank_related(vectors, 5) == rank_one_at_a_time(vectors, 5, lambda score, _: score)


def test_identical_briefings_come_first_and_the_earlier_slug_wins_a_tie() -> None:
    same = {"w:tariff": 1.0, "e:people/william-ruto": 1.0}
    vectors = {"d": dict(same), "b": dict(same), "a": dict(same), "c": dict(same),
               "e": {"w:tariff": 1.0}, "f": {"w:tariff": 1.0}}  # fmt: skip
    ranked = rank_related(vectors, 3)
    assert [m.slug for m in ranked["c"]] == ["a", "b", "d"]
    assert [m.slug for m in ranked["e"]] == ["f", "a", "b"]
    assert ranked["a"][0].score == ranked["a"][1].score


def test_a_briefing_sharing_nothing_has_no_related_ones() -> None:
    vectors = {"a": {"w:tariff": 1.0}, "b": {"w:tariff": 2.0}, "c": {"w:tea": 1.0}, "d": {}}
    ranked = rank_related(vectors, 5)
    assert [m.slug for m in ranked["a"]] == ["b"]
    assert ranked["c"] == []
    assert ranked["d"] == []


def test_what_two_briefings_share_names_a_few_of_each_kind_strongest_first() -> None:
    terms = {f"w:term{n}": 1.0 + n for n in range(6)}
    ruto = {"e:people/william-ruto": 1.0}
    vectors = {"a": terms | ruto, "b": terms | ruto, "c": {"w:term0": 1.0, "w:other": 1.0},
               "d": {"w:other": 1.0, "e:people/william-ruto": 1.0}}  # fmt: skip
    (best, *_) = rank_related(vectors, 1)["a"]
    assert best.slug == "b"
    assert [feature for _, feature in best.shared] == [
        "w:term5", "w:term4", "w:term3", "w:term2", "e:people/william-ruto"
    ]  # fmt: skip
    strengths = [strength for strength, _ in best.shared]
    assert strengths == sorted(strengths, reverse=True)


def test_a_feature_given_twice_to_a_briefing_keeps_its_last_weight_as_in_a_dict() -> None:
    features = features_of(random_vectors(7, 80))
    twice = Features(
        slugs=features.slugs,
        names=features.names,
        rows=np.concatenate([features.rows, features.rows]),
        numbers=np.concatenate([features.numbers, features.numbers]),
        weights=np.concatenate([features.weights[::-1], features.weights]),
    )
    assert rank_features(twice, 5) == rank_features(features, 5)
