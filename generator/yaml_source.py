"""YAML text -> mapping plus the line of each key, for errors that point at lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import BuildError, Problem


@dataclass(frozen=True, slots=True, kw_only=True)
class YamlMapping:
    """A parsed YAML mapping and where each top-level key sits."""

    data: dict[str, Any]
    lines: dict[str, int]  # key -> 1-based line in the file
    line: int  # line of the mapping itself

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


def parse_yaml_mapping(text: str, path: str, first_line: int = 1) -> YamlMapping:
    """Parse `text` (which starts at `first_line` of `path`) as a YAML mapping."""
    too_deep = _too_deep_at(text)
    if too_deep is not None:
        message = f"invalid YAML: [ or {{ nested more than {MAX_NESTING} deep; flatten them"
        raise BuildError([Problem(path=path, line=first_line + too_deep, message=message)])
    composed = compose_with_libyaml(text) or compose_with_pyyaml(text, path, first_line)
    if composed is None:
        return YamlMapping(data={}, lines={}, line=first_line)
    node, data = composed
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        kind = type(data).__name__
        raise BuildError(
            [
                Problem(
                    path=path,
                    line=first_line + node.start_mark.line,
                    message=f"expected a mapping of keys to values, found a {kind}; "
                    "write one `key: value` per line",
                )
            ]
        )
    lines = {
        str(key.value): first_line + key.start_mark.line
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    mapping = YamlMapping(
        data={str(k): v for k, v in data.items()},
        lines=lines,
        line=first_line + node.start_mark.line,
    )
    problems = check_characters(mapping, path)
    if problems:
        raise BuildError(problems)
    return mapping


Composed = tuple[yaml.Node, Any]  # a document's node and the value built from it

# libyaml reads front matter into nodes some fifteen times faster than PyYAML's
# pure-Python reader, scanner and parser, but the two do not agree on
# everything: libyaml takes a tab as a space between tokens, skips a BOM at the
# start of any line, reads `a: !` as text, not null, allows `|2#` as a block
# scalar header, reads on past a "?" in `[What now?]`, and nests blocks deeper
# than PyYAML can before its recursion limit. Text that holds any of these goes
# to PyYAML alone, and so does text libyaml refuses, so the result, and every
# error, is always PyYAML's.
LIBYAML_LOADER: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)
_TOKEN_START = r"(?:^|[\s\[\]{},:?-])"
_PYYAML_ONLY = re.compile(
    # anything but \n, \r\n and printable characters (so no other line breaks, no BOM)
    "[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    "|\r(?!\n)"  # a line break the ^ below would not see
    f"|{_TOKEN_START}!"  # a tag
    rf"|{_TOKEN_START}[|>](?![-+]? *\r?$)"  # a block scalar header with more than chomping
    # A block nests at most two deeper for each column it is indented by or
    # starts after "- ", "? " or ": " (and brackets are counted apart): cap it
    # far below the depth where PyYAML runs out of recursion.
    "|^[ ?:-]{40}",
    re.MULTILINE,
)


def compose_with_libyaml(text: str) -> Composed | None:
    """The mapping node and value of `text` read by libyaml, where it surely reads as
    PyYAML does; None where it may not, or is not a mapping, or is not valid YAML."""
    if LIBYAML_LOADER is None or _libyaml_may_differ(text):
        return None
    try:
        loader = LIBYAML_LOADER(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except Exception:  # not lost: PyYAML reads it again and says what is wrong
        return None
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        return None  # PyYAML words the error
    return node, data


def _libyaml_may_differ(text: str) -> bool:
    if _PYYAML_ONLY.search(text):
        return True
    # A "?" after the first [ or { may be inside a flow collection, where PyYAML
    # ends a plain scalar at it.
    flow = [at for at in (text.find("["), text.find("{")) if at >= 0]
    return bool(flow) and text.find("?", min(flow)) >= 0


def compose_with_pyyaml(text: str, path: str, first_line: int) -> Composed | None:
    """The node and value of `text` read by PyYAML, None for an empty document;
    raises a BuildError that says what is wrong and on which line."""
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as error:  # a character YAML does not allow
        line = first_line + text[: error.position].count("\n")
        message = f"invalid YAML: {describe_character(chr(error.character))}; delete it"
        raise BuildError([Problem(path=path, line=line, message=message)]) from None
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        return None if node is None else (node, loader.construct_document(node))
    except yaml.MarkedYAMLError as error:
        # The context mark is where the broken construct began (an unclosed
        # "[" say), which is the line to fix; the problem mark is where the
        # parser gave up, often the end of the text.
        mark = error.context_mark or error.problem_mark
        line = first_line + mark.line if mark else first_line
        reason = error.problem or str(error)
        if error.context:
            reason = f"{error.context}: {reason}"
        raise BuildError(
            [Problem(path=path, line=line, message=f"invalid YAML: {reason}; fix the syntax")]
        ) from None
    except RecursionError:
        message = "invalid YAML: lists or mappings nested too deeply; flatten them"
        raise BuildError([Problem(path=path, line=first_line, message=message)]) from None
    except (ValueError, TypeError, AttributeError, OverflowError) as error:
        # A value PyYAML matched but cannot build, such as 2025-02-30.
        bad = _first_bad_scalar(node) if node is not None else None
        line = first_line + (bad.start_mark.line if bad is not None else 0)
        message = _value_error(bad, error)
        raise BuildError([Problem(path=path, line=line, message=message)]) from None
    finally:
        loader.dispose()


MAX_NESTING = 50  # PyYAML's scanner slows down with the square of the depth


def _too_deep_at(text: str) -> int | None:
    """The 0-based line where `[` and `{` nest past MAX_NESTING, counting even quoted ones.

    Counting quoted brackets too can only overcount, and only for text with
    dozens of unclosed brackets; it keeps this check a single cheap pass.
    """
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_NESTING:
            return text.count("\n", 0, match.start())
    return None


# Characters no feed can hold (XML 1.0 forbids them): the C0 controls except tab
# and line breaks, lone surrogates and two non-characters. The C1 controls are
# allowed: real articles carry them where text was decoded with the wrong
# code page (U+0097 for a dash), and refusing the article helps nobody.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def describe_character(character: str) -> str:
    return f"the control character U+{ord(character):04X}"


def check_characters(mapping: YamlMapping, path: str) -> list[Problem]:
    """Problems for values that hold a forbidden character, e.g. written as "\\0" in quotes."""
    problems = []
    for key, value in mapping.data.items():
        found = _forbidden_character((key, value))
        if found is not None:
            name = f"`{key}`" if FORBIDDEN_CHARACTERS.search(key) is None else repr(key)
            problems.append(
                Problem(
                    path=path,
                    line=mapping.line_of(key),
                    message=f"{name} contains {describe_character(found)}; delete it",
                )
            )
    return problems


def _forbidden_character(value: object) -> str | None:
    """The first forbidden character in a YAML value, nested values included."""
    pending, seen = [value], set()
    while pending:
        item = pending.pop()
        if id(item) in seen:  # YAML aliases can share, and even contain, themselves
            continue
        seen.add(id(item))
        if isinstance(item, str):
            match = FORBIDDEN_CHARACTERS.search(item)
            if match:
                return match.group()
        elif isinstance(item, dict):
            pending.extend(reversed([part for pair in item.items() for part in pair]))
        elif isinstance(item, list | tuple | set | frozenset):
            pending.extend(reversed(list(item)))
    return None


def _first_bad_scalar(node: yaml.Node) -> yaml.ScalarNode | None:
    """The first scalar that cannot be constructed on its own (PyYAML does not say)."""
    constructor = yaml.constructor.SafeConstructor()
    pending, seen = [node], set()
    while pending:
        item = pending.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, yaml.ScalarNode):
            try:
                constructor.construct_object(item)
            except Exception:
                return item
        elif isinstance(item, yaml.MappingNode):
            pending.extend(reversed([part for pair in item.value for part in pair]))
        elif isinstance(item, yaml.SequenceNode):
            pending.extend(reversed(item.value))
    return None


def _value_error(node: yaml.ScalarNode | None, error: Exception) -> str:
    tag = node.tag.rsplit(":", 1)[-1] if node is not None else ""
    if tag == "timestamp" and node is not None:
        reason = str(error) if isinstance(error, ValueError) else f"{node.value!r} is not a date"
        return f"invalid value: {reason}; use a real calendar date such as 2025-09-24"
    if tag == "int" and node is not None:
        return (
            f"invalid value: a number {len(node.value)} digits long is too long; "
            "put it in quotes to keep it as text"
        )
    return f"invalid value: {error}; fix it, or put it in quotes to keep it as text"


def check_keys(
    mapping: YamlMapping, allowed: frozenset[str], path: str, what: str
) -> list[Problem]:
    """Problems for keys outside a closed schema, each with a did-you-mean hint."""
    from .errors import did_you_mean

    return [
        Problem(
            path=path,
            line=mapping.line_of(key),
            message=f"unknown {what} key {key!r}{did_you_mean(key, allowed)}; "
            "remove it or put free-form data under `extra:`",
        )
        for key in mapping.data
        if key not in allowed
    ]


def describe(value: object) -> str:
    """How a YAML value reads in an error message: "a list", "text"..."""
    names = {
        list: "a list",
        dict: "a mapping",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)
