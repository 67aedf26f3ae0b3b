"""The evaluation harness's pure parts: data conversion and scoring."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generator.eval_data import (
    EvalArticle,
    EvaluationError,
    conll_article,
    escape_markdown,
    join_tokens,
    parse_conll,
    parse_lines,
    parse_story,
    render_article,
    tagged_entities,
)
from generator.eval_scores import (
    BriefingResult,
    Metric,
    entity_counts,
    f1_from_counts,
    key_fact_precision,
    keyphrase_f1,
    precision_at,
    related_precision,
    score_conll,
)
from generator.evaluate import (
    format_table,
    main,
    parse_briefings,
    parse_stats,
    prepare_site_folder,
)
from generator.load import parse_article
from generator.markdown import parse_body

CONLL = """-DOCSTART- -X- -X- O

CRICKET O
- O
LEICESTERSHIRE B-ORG
WIN O

LONDON B-LOC
1996-08-30 O

Phil B-PER
Simmons I-PER
( O
West B-MISC
Indies I-MISC
) O
said O
Leicestershire B-ORG
did O
n't O
lose O
. O

-DOCSTART- -X- -X- O

Second B-PER
title O

Body O
Smith I-PER
met O
Jones B-PER
Jones B-PER
. O
"""


def test_tokens_join_without_space_before_punctuation_and_clitics() -> None:
    tokens = ["Leicestershire", "'s", "win", "(", "PA", ")", "did", "n't", "end", ",", "ok", "."]
    assert join_tokens(tokens) == "Leicestershire's win (PA) didn't end, ok."


def test_tokens_join_keeps_spaces_around_quotes_and_dashes() -> None:
    assert (
        join_tokens(['"', "Yes", '"', "-", "he", "said", ";", "no", "!"])
        == '" Yes " - he said; no!'
    )


def test_conll_documents_split_on_docstart_and_sentences_on_blank_lines() -> None:
    documents = parse_conll(CONLL)
    assert [len(d) for d in documents] == [3, 2]
    assert documents[0][1] == (("LONDON", "B-LOC"), ("1996-08-30", "O"))


def test_bio_tags_give_typed_surfaces_and_drop_misc() -> None:
    sentence = parse_conll(CONLL)[0][2]
    assert tagged_entities(sentence) == [
        ("person", "Phil Simmons"),
        ("organization", "Leicestershire"),
    ]


def test_an_i_tag_without_its_b_starts_an_entity_and_b_tags_split_neighbours() -> None:
    sentence = parse_conll(CONLL)[1][1]
    assert tagged_entities(sentence) == [
        ("person", "Smith"),
        ("person", "Jones"),
        ("person", "Jones"),
    ]


def test_conll_title_is_first_sentence_and_each_later_sentence_a_paragraph() -> None:
    article, gold = conll_article(parse_conll(CONLL)[0], "conll-001", "valid.txt document 1")
    assert article.title == "CRICKET - LEICESTERSHIRE WIN"
    assert article.date == dt.date(1996, 8, 30)
    assert article.paragraphs == (
        "LONDON 1996-08-30",
        "Phil Simmons (West Indies) said Leicestershire didn't lose.",
    )
    # LEICESTERSHIRE in the title is scored only because the body names it too
    assert gold == {
        ("place", "london"),
        ("person", "phil simmons"),
        ("organization", "leicestershire"),
    }


def test_title_only_entities_are_not_gold() -> None:
    _, gold = conll_article(parse_conll(CONLL)[1], "conll-002", "valid.txt document 2")
    assert gold == {("person", "smith"), ("person", "jones")}


def test_story_title_is_first_line_and_paragraph_lines_join_with_one_space() -> None:
    title, paragraphs = parse_story("Headline here\r\n\r\nOne.\r\nTwo.\r\n\r\n\r\nThree.\r\n")
    assert title == "Headline here"
    assert paragraphs == ("One. Two.", "Three.")


def test_headline_only_story_has_no_paragraphs() -> None:
    assert parse_story("Just a headline\r\n") == ("Just a headline", ())


def test_answer_lines_are_case_and_whitespace_folded() -> None:
    assert parse_lines("San  Francisco\n\nTwitter \n twitter") == {"san francisco", "twitter"}


TRICKY = [
    "1. Not a list item, 2) nor this.",
    "2) Nor this one.",
    "# not a heading",
    "- not a bullet",
    "+ nor this",
    "> not a quote",
    "= not a setext line",
    "AT&T said &amp; and &lsquo;Miral&rsquo; stay as written.",
    "*stars* and _underscores_ and `ticks` and [brackets](x) and <b>tags</b>.",
    "A back\\slash, a pipe | and ~~tildes~~ stay.",
    "Profits rose 2% to $11.1bn! Really?",
]


@pytest.mark.parametrize("text", TRICKY)
def test_escaped_paragraph_reads_back_as_the_data_text(text: str) -> None:
    paragraphs = parse_body(escape_markdown(text)).paragraphs
    assert [(p.text, p.kind) for p in paragraphs] == [(text, "paragraph")]


def test_rendered_article_loads_back_with_the_real_loader() -> None:
    article = EvalArticle(
        slug="kp-007",
        title="'Miral': Director has # conflict of interest",
        date=dt.date(2005, 1, 1),
        paragraphs=tuple(TRICKY),
        origin="x.txt",
    )
    loaded = parse_article(render_article(article), "kp-007.md")
    assert (loaded.slug, loaded.title, loaded.date) == (article.slug, article.title, article.date)
    assert tuple(p.text for p in loaded.paragraphs) == article.paragraphs


def test_precision_at_five_counts_missing_items_as_misses() -> None:
    assert precision_at([True, True], 5) == 0.4
    assert precision_at([True] * 7, 5) == 1.0


def test_key_fact_precision_folds_case_and_whitespace_and_averages_articles() -> None:
    results = {
        "a": BriefingResult(fact_sentences=("It  ROSE 2%.", "It fell.", None)),
        "b": BriefingResult(fact_sentences=tuple(f"S{n}." for n in range(6))),
    }
    summaries = {"a": frozenset({"it rose 2%."}), "b": frozenset({"s0.", "s1.", "s5."})}
    assert key_fact_precision(results, summaries) == pytest.approx((1 / 5 + 2 / 5) / 2)


def test_related_precision_uses_the_harness_categories() -> None:
    categories = {"a": "sport", "b": "sport", "c": "tech", "d": "sport"}
    results = {
        "a": BriefingResult(related=("b", "c", "d")),
        "b": BriefingResult(related=("a", "d", "a", "d", "a", "c")),
        "c": BriefingResult(),
        "d": BriefingResult(related=("unknown",)),
    }
    assert related_precision(results, categories) == pytest.approx((2 / 5 + 1 + 0 + 0) / 4)


def test_keyphrase_f1_divides_precision_by_ten_and_recall_by_keys() -> None:
    keys = frozenset({"twitter", "san francisco", "payroll tax", "ed lee"})
    predicted = ["Twitter", "SAN  Francisco", "twitter", "city"] + ["x"] * 6 + ["ed lee"]
    precision, recall = 2 / 10, 2 / 4
    assert keyphrase_f1(predicted, keys) == pytest.approx(
        2 * precision * recall / (precision + recall)
    )


def test_keyphrase_f1_is_zero_without_a_match() -> None:
    assert keyphrase_f1(["a", "b"], frozenset({"c"})) == 0.0
    assert keyphrase_f1([], frozenset({"c"})) == 0.0


def test_entity_scores_are_micro_over_documents() -> None:
    gold = {
        "d1": frozenset({("person", "phil simmons"), ("place", "london")}),
        "d2": frozenset({("organization", "somerset")}),
    }
    results = {
        "d1": BriefingResult(
            entities=frozenset({("person", "phil simmons"), ("person", "london")})
        ),
        "d2": BriefingResult(entities=frozenset({("organization", "somerset")})),
    }
    assert entity_counts(results["d1"].entities, gold["d1"]) == (1, 1, 1)
    [metric] = score_conll(results, gold)
    assert metric.value == pytest.approx(f1_from_counts(2, 1, 1)) == pytest.approx(4 / 6)
    assert "TP 2, FP 1, FN 1" in metric.note


def test_briefings_json_gives_fact_sentences_keyphrases_related_and_surfaces() -> None:
    text = json.dumps({"briefings": [{
        "slug": "bbc-001", "key_facts": [{"text": "t", "sentence": "It rose.", "anchor": "p1s1"}],
        "entities": [
            {"name": "William Ruto", "type": "person", "surfaces": ["William  Ruto", "Ruto"]}
        ],
        "keyphrases": ["trade talks"], "related": ["bbc-002"],
    }]})  # fmt: skip
    result = parse_briefings(text, "briefings.json")["bbc-001"]
    assert result == BriefingResult(
        fact_sentences=("It rose.",),
        keyphrases=("trade talks",),
        related=("bbc-002",),
        entities=frozenset({("person", "william ruto"), ("person", "ruto")}),
    )


def test_briefings_json_of_another_shape_is_refused_with_its_path() -> None:
    text = json.dumps({"briefings": [{
        "slug": "x", "key_facts": [], "entities": [], "related": [],
        "keyphrases": [{"phrase": "a", "score": 1.0}],
    }]})  # fmt: skip
    with pytest.raises(
        EvaluationError, match=r"^out/briefings.json: not the briefings.json layout"
    ):
        parse_briefings(text, "out/briefings.json")


def test_stats_give_each_article_extraction_seconds() -> None:
    text = '{"articles": [{"slug": "a", "extract_seconds": 0.004}, {"extract_seconds": 1}]}'
    assert parse_stats(text, "stats.json") == (0.004, 1.0)
    with pytest.raises(EvaluationError, match="stats.json: not the --stats layout"):
        parse_stats("{}", "stats.json")


def test_time_metric_passes_at_or_under_its_floor_and_table_marks_failures() -> None:
    fast = Metric(name="time", value=9.5, floor=10, reference="r", unit="ms", at_most=True)
    weak = Metric(name="score", value=0.5, floor=0.6, reference="r")
    assert fast.passed and not weak.passed
    table = format_table([fast, weak]).splitlines()
    assert table[1].split() == ["time", "9.5", "ms", "<=", "10", "ms", "r", "pass"]
    assert table[2].split() == ["score", "0.500", ">=", "0.60", "r", "FAIL"]


def test_missing_data_dir_says_so_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    assert main(["--data", str(missing)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"evaluate: {missing}: evaluation data not found (no such directory)")


def test_missing_data_set_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path), "--only", "kpcrowd"]) == 2
    assert (
        f"{tmp_path / 'kpcrowd' / 'docs'}: not found (kpcrowd stories)" in capsys.readouterr().err
    )


def test_keep_folder_is_replaced_only_when_the_harness_made_it(tmp_path: Path) -> None:
    site = prepare_site_folder(tmp_path / "bbc")
    (site / "old.txt").write_text("x")
    assert not (prepare_site_folder(tmp_path / "bbc") / "old.txt").exists()
    (tmp_path / "mine").mkdir()
    with pytest.raises(EvaluationError, match="not made by this harness"):
        prepare_site_folder(tmp_path / "mine")


def test_data_set_folder_without_files_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "kpcrowd" / "docs").mkdir(parents=True)
    assert main(["--data", str(tmp_path), "--only", "kpcrowd"]) == 2
    assert "no *.txt files (kpcrowd stories)" in capsys.readouterr().err


def test_conll_scores_zero_when_nothing_is_found() -> None:
    gold = {"d1": frozenset({("place", "london")})}
    [metric] = score_conll({"d1": BriefingResult()}, gold)
    assert metric.value == 0.0 and "TP 0, FP 0, FN 1" in metric.note
