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
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as error:  # a character YAML does not allow
        line = first_line + text[: error.position].count("\n")
        message = f"invalid YAML: {describe_character(chr(error.character))}; delete it"
        raise BuildError([Problem(path=path, line=line, message=message)]) from None
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlMapping(data={}, lines={}, line=first_line)
        data = loader.construct_document(node)
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
