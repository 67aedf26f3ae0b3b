"""YAML text -> mapping: libyaml reads what it reads as PyYAML does, and every
result and every error stays PyYAML's."""

from __future__ import annotations

import os
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator import yaml_source
from generator.errors import BuildError
from generator.yaml_source import compose_with_libyaml, parse_yaml_mapping

needs_libyaml = pytest.mark.skipif(
    yaml_source.LIBYAML_LOADER is None, reason="PyYAML is built without libyaml here"
)

Outcome = tuple[object, ...]


def outcome(text: str) -> Outcome:
    """What parse_yaml_mapping makes of `text`: the mapping, or the problems, as text."""
    try:
        mapping = parse_yaml_mapping(text, "x.md", first_line=2)
    except BuildError as error:
        return ("problems", [str(problem) for problem in error.problems])
    # repr, not ==: it tells 1 from 1.0 and True, and a NaN from another
    return ("mapping", repr(mapping.data), mapping.lines, mapping.line)


def pyyaml_outcome(text: str) -> Outcome:
    """The outcome with PyYAML alone, as it was before libyaml read anything."""
    with mock.patch.object(yaml_source, "LIBYAML_LOADER", None):
        return outcome(text)


def read_raw(text: str, loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> Outcome:
    """What one loader makes of `text` on its own, no guards: the value and key lines."""
    try:
        reader = loader(text)
    except yaml.YAMLError as error:
        return ("error", type(error).__name__)
    try:
        node = reader.get_single_node()
        value = reader.construct_document(node) if node is not None else None
    except Exception as error:
        return ("error", type(error).__name__)
    finally:
        reader.dispose()
    keys = [(key.value, key.start_mark.line) for key, _ in getattr(node, "value", ())]
    return ("value", repr(value), repr(keys))


ORDINARY = [
    "title: Kenya and the US\ndate: 2025-09-24\ntags: [trade, kenya]\nslug: kenya-us\n",
    'title: "Ruto: \\"We will\\" talk"\ndate: 2025-09-24T10:30:00+03:00\ndraft: false\n',
    "title: 'It''s here'\nsummary: >\n  One line\n  folded.\n\n  Another.\n",
    "facts:\n  - A.\n  - B.\ntags:\n- c\n- d\n",
    "title: T\nsummary: |-\n  kept\n    as is\n\nextra:\n  score: 1.5\n  nested: {a: [1, 2]}\n",
    "title: Kenya 🇰🇪 — ‘quotes’, Q&A and what now?\ndate: 2025-09-24\n# a comment\nauthor: 日本\n",
    "title: CRLF\r\ndate: 2025-09-24\r\ntags:\r\n- a\r\n- b\r\n",
    "title: one\n  two\nsource: a # comment\nsource_url: https://example.org/?q=1#x\n",
    "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
]

# Where libyaml on its own reads otherwise than PyYAML: each must go to PyYAML.
LIBYAML_READS_OTHERWISE = [
    "a:\t1\n",  # a tab between tokens
    "a: [1,\t2]\n",
    "a: 1\n\ufeff# c\n",  # a BOM at the start of a line
    "a: [b,\n\ufeffc]\n",
    "a: !\n",  # an empty node with the non-specific tag
    "a: ! \nb: 1\n",
    "a: !<!> \n",
    "a: |2#c\n  x\n",  # a comment right after a block scalar header
    "a: >1-#c\n",
    "tags: [What now?]\n",  # a "?" inside brackets
    "a: {What now?: x,}\n",
    "%YAML 1.3\n---\na: 1\n",  # a directive libyaml refuses
    "a:\n  " + "- " * 600 + "x\n",  # deeper than PyYAML's recursion allows
    "".join(f"{' ' * depth}k:\n" for depth in range(600)),
    "".join(f"{' ' * depth}k:\r" for depth in range(600)),  # lines that end in \r alone
]

SOMETIMES_INVALID = [
    "",
    "# only a comment\n",
    "---\n",
    "- a\n- b\n",
    "just text\n",
    "a:b\n",
    "a: b: c\n",
    "title: Q&A: yes\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "a: 1\n... \nb: 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "%YAML 1.2\n---\na: 1\n",
    "%TAG ! tag:example.org,2000:\n---\na: !x 1\n",
    "a: !!str 12\nb: !!int '7'\nc: !!python/object:os.system x\nd: !custom x\n",
    "a: [b\n",
    "a: [b]]\n",
    "a: {b: 1\n",
    "a: 'unclosed\n",
    'a: "unclosed\n',
    "a: *nope\n",
    "a: &x 1\nb: &x 2\n",
    "a: &a [*a]\n",
    "? [a, b]\n: c\n",
    "? a\n: b\n",
    "a: 1\na: 2\n",
    "1: one\ntrue: yes\nnull: ~\n2025-01-01: d\n",
    "a: 2025-02-30\n",
    "a: 2025-13-01 10:00:00\n",
    f"a: {'9' * 5000}\n",
    "a: 1e999\nb: .nan\nc: -.inf\nd: 0x1F\ne: 0o17\nf: 017\ng: 1_000\nh: 1:20\n",
    'a: "\\/ \\e \\N \\_ \\L \\P \\x41 \\u00e9 \\U0001F600 \\0"\n',
    'a: "\\ud800"\n',
    'a: "\\U00110000"\n',
    'a: "\\q"\n',
    "a: b\rc: d\n",
    "a: b\x85c: d\n",
    "a: b\u2028c: d\n",
    "a: \ud800\n",
    "a: \x00\n",
    "a: \x97\n",
    "a: \x7f\n",
    "k" * 1024 + ": 1\n",
    "k" * 1025 + ": 1\n",
    "é" * 1025 + ": 1\n",
    "😀" * 300 + ": 1\n",
    "a: " + "[" * 51 + "\n",
    "a:\n  - b\n - c\n",
    " a: 1\nb: 2\n",
    "a: |\n   \n  b\n",
    "a: >\n  b\n c\n",
    "a: -\nb: - c\n",
    ": x\n",
    "a: b #c\nd: e#f\n",
]


@needs_libyaml
def test_ordinary_front_matter_is_read_by_libyaml() -> None:
    for text in ORDINARY:
        assert compose_with_libyaml(text) is not None, text


@needs_libyaml
def test_the_texts_libyaml_reads_otherwise_do_differ_and_go_to_pyyaml() -> None:
    # Without its guard each would give another result than PyYAML's.
    for text in LIBYAML_READS_OTHERWISE:
        assert read_raw(text, yaml.CSafeLoader) != read_raw(text, yaml.SafeLoader), text
        assert compose_with_libyaml(text) is None, text


@pytest.mark.parametrize("text", ORDINARY + LIBYAML_READS_OTHERWISE + SOMETIMES_INVALID)
def test_libyaml_changes_no_result_and_no_error(text: str) -> None:
    assert outcome(text) == pyyaml_outcome(text)


@pytest.mark.parametrize("text", ORDINARY + SOMETIMES_INVALID[:12])
def test_without_libyaml_pyyaml_reads_everything(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = outcome(text)
    monkeypatch.setattr(yaml_source, "LIBYAML_LOADER", None)
    assert compose_with_libyaml(text) is None
    assert outcome(text) == expected


def test_errors_are_worded_by_pyyaml() -> None:
    assert outcome("title: T\ntags: [a, b\ndate: 2025-01-01\n") == (
        "problems",
        [
            "x.md:3: invalid YAML: while parsing a flow sequence: "
            "expected ',' or ']', but got ':'; fix the syntax"
        ],
    )


# Keys, values and odd pieces of front matter, to be put together at random.
KEYS = ["title", "tags", "a", "k k", "é", "日本", "1", "true", "null", "~", "2025-01-02", "? a\n:"]
VALUES = [
    *(
        "word",
        "two words",
        "What now?",
        "Q&A",
        "Wow!",
        "a:b",
        "a#b",
        "-x",
        ":x",
        "12",
        "1.5e3",
        "0x1F",
    ),
    *(
        "0o17",
        "1_000",
        "1:20",
        ".inf",
        ".nan",
        "yes",
        "~",
        "2025-01-02",
        "2025-02-30",
        "9" * 30,
        "é",
    ),
    *("'it''s'", "'a\n\n  b'", '"\\/ \\e \\x41 \\u00e9 \\N"', '"a\\\n  b"', '"\\ud800"', "[]"),
    *(
        "[a, b]",
        "[a, [b, {c: d}]]",
        "{a: 1, b: [2]}",
        "[a, b,]",
        "{a}",
        "&a x",
        "*a",
        "&a [*a]",
        "!!str 1",
    ),
    *(
        "! 1",
        "!x y",
        "|\n  a\n   b\n\n",
        "|-\n  a\n",
        ">+\n  a\n  b\n\n",
        ">\n\n  a\n b",
        "|2\n   a",
    ),
    *("\n  - a\n  - b", "\n- a\n-  b: c", "\n  x: 1\n  y:\n    z: 2", "\n  <<: {m: 1}\n  n: 2"),
    *("one\n  two", "one\n\n  two", "a # c", "a#c", ""),
]
PIECES = [
    *(": ", ":", " ", "\n", "\n  ", "\r\n", "\r", "\t", "#", "- ", "? ", ",", "[", "]", "{", "}"),
    *("'", '"', "\\", "&a ", "*a", "! ", "|", ">", "%", "@", "`", "...", "---", "\ufeff", "\x85"),
    *("\u2028", "\x97", "\x7f", "😀", "\u00a0", "k" * 1030),
]


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """Lines of `key: value`, now and then with odd pieces put in anywhere."""
    lines = draw(
        st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES)), min_size=1, max_size=6)
    )
    text = "".join(f"{key}: {value}\n" for key, value in lines)
    for at, piece in draw(st.lists(st.tuples(st.integers(0, len(text)), st.sampled_from(PIECES)),
                                   max_size=3)):  # fmt: skip
        text = text[:at] + piece + text[at:]
    return text


@settings(
    max_examples=int(os.environ.get("YAML_EXAMPLES", "300")),  # more for a deeper local run
    deadline=None,
    database=None,
    derandomize=bool(os.environ.get("CI")),  # as in test_hostile_input
    suppress_health_check=[HealthCheck.too_slow],
)
@given(front_matter())
def test_any_front_matter_reads_as_pyyaml_reads_it(text: str) -> None:
    event("read by libyaml" if compose_with_libyaml(text) else "read by PyYAML alone")
    assert outcome(text) == pyyaml_outcome(text)
