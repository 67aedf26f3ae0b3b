from generator.extract.sentences import split_sentences
from generator.model import Paragraph


def sentence_texts(text: str, kind: str = "paragraph") -> list[str]:
    paragraph = Paragraph(index=1, text=text, line=1, kind=kind)
    return [sentence.text for sentence in split_sentences([paragraph])]


def test_titles_and_dotted_acronyms_do_not_end_sentences() -> None:
    assert sentence_texts("Mr. Smith met Dr. Jones at the U.N. office. They talked.") == [
        "Mr. Smith met Dr. Jones at the U.N. office.",
        "They talked.",
    ]


def test_an_acronym_ends_the_sentence_when_a_new_one_clearly_starts() -> None:
    assert sentence_texts("Sales grew in the U.S. The firm was pleased.") == [
        "Sales grew in the U.S.",
        "The firm was pleased.",
    ]


def test_initials_and_decimals_stay_inside_the_sentence() -> None:
    assert sentence_texts("J. K. Rowling sold 3.5 million books. Fans cheered.") == [
        "J. K. Rowling sold 3.5 million books.",
        "Fans cheered.",
    ]


def test_abbreviations_before_numbers_and_latin_ones_stay_whole() -> None:
    text = "Gen. Lee went to No. 10 on Jan. 5 with gifts, e.g. Wine from Italy."
    assert sentence_texts(text) == [text]


def test_a_quote_followed_by_its_speaker_is_one_sentence() -> None:
    assert sentence_texts('"We will win," he said. "It is over." She left.') == [
        '"We will win," he said.',
        '"It is over."',
        "She left.",
    ]


def test_a_question_in_quotes_before_a_lowercase_word_does_not_split() -> None:
    assert sentence_texts('"Why now?" he asked. Nobody knew.') == [
        '"Why now?" he asked.',
        "Nobody knew.",
    ]


def test_an_ellipsis_ends_a_sentence_only_before_a_capital() -> None:
    assert sentence_texts("He paused... Then he spoke. It was... odd.") == [
        "He paused...",
        "Then he spoke.",
        "It was... odd.",
    ]


def test_a_heading_is_a_single_sentence() -> None:
    assert sentence_texts("Results. What comes next? More", kind="heading") == [
        "Results. What comes next? More"
    ]


def test_ids_count_within_each_paragraph_and_offsets_point_into_its_text() -> None:
    paragraphs = [
        Paragraph(index=2, text="  First one. Second one!  ", line=3),
        Paragraph(index=3, text="Third.", line=5),
    ]
    sentences = split_sentences(paragraphs)
    assert [s.id for s in sentences] == ["p2s1", "p2s2", "p3s1"]
    assert [s.paragraph for s in sentences] == [2, 2, 3]
    for sentence in sentences:
        paragraph = paragraphs[sentence.paragraph - 2]
        assert paragraph.text[sentence.start : sentence.end] == sentence.text
    assert sentences[0].start == 2
    assert sentences[1].text == "Second one!"


def test_an_empty_paragraph_gives_no_sentences() -> None:
    assert split_sentences([Paragraph(index=1, text="   ", line=1)]) == ()
