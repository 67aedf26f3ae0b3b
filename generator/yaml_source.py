"""YAML text -> mapping plus the line of each key, for errors that point at lines."""

from __future__ import annotations

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
    loader = yaml.SafeLoader(text)
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
    except ValueError as error:  # e.g. an impossible date such as 2025-02-30
        bad = _first_bad_scalar(node) if node is not None else None
        line = first_line + (bad.start_mark.line if bad is not None else 0)
        raise BuildError([Problem(path=path, line=line, message=_value_error(error))]) from None
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
    return YamlMapping(
        data={str(k): v for k, v in data.items()},
        lines=lines,
        line=first_line + node.start_mark.line,
    )


def _first_bad_scalar(node: yaml.Node) -> yaml.Node | None:
    """The first scalar that cannot be constructed on its own (PyYAML does not say)."""
    if isinstance(node, yaml.ScalarNode):
        try:
            yaml.safe_load(node.value) if node.tag.endswith("timestamp") else None
        except ValueError:
            return node
        return None
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    for child in children:
        found = _first_bad_scalar(child)
        if found is not None:
            return found
    return None


def _value_error(error: ValueError) -> str:
    return f"invalid value: {error}; use a real calendar date such as 2025-09-24"


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
