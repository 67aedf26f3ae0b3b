"""site.yaml -> SiteConfig: a closed schema, checked with file and line."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import BuildError, Problem
from .model import ExtractSettings, TopicRule
from .yaml_source import YamlMapping, check_keys, describe, parse_yaml_mapping

DEFAULT_BASE_URL = "http://127.0.0.1:8000/"  # where `make serve` previews


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    """Validated site settings; paths are resolved against site.yaml's folder."""

    title: str = "Briefings"
    description: str = ""
    language: str = "en"
    base_url: str = DEFAULT_BASE_URL  # absolute, always ends with "/"
    content_dir: Path = Path("content")
    output_dir: Path = Path("_site")
    templates_dir: Path = Path("templates")
    static_dir: Path = Path("static")
    page_size: int = 10  # briefings per home page
    list_page_size: int = 50  # briefings per topic or entity page, events per timeline page
    directory_urls: bool = True  # link to "x/" rather than "x/index.html"
    related: int = 5  # related briefings per page
    include_drafts: bool = False
    raw_html: bool = False  # keep HTML in Markdown (sanitised) instead of showing it as text
    search: bool = True  # build the static search index and the search page
    extract: ExtractSettings = ExtractSettings()
    extra: tuple[tuple[str, object], ...] = ()
    path: str = "site.yaml"  # where these settings came from, for messages


_KEYS = frozenset(
    {
        "title",
        "description",
        "language",
        "base_url",
        "content_dir",
        "output_dir",
        "templates_dir",
        "static_dir",
        "page_size",
        "list_page_size",
        "directory_urls",
        "related",
        "include_drafts",
        "raw_html",
        "search",
        "topics",
        "entity_aliases",
        "stop_entities",
        "key_facts",
        "auto_tags",
        "extra",
    }
)


def read_config(path: Path) -> SiteConfig:
    """Read site.yaml; a missing file gives the defaults rooted at its folder."""
    root = path.parent
    if not path.exists():
        raise BuildError(
            [
                Problem(
                    path=str(path),
                    line=None,
                    message="no such file; create site.yaml or pass --config FILE",
                )
            ]
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = "not valid UTF-8 text; save it as UTF-8" if isinstance(
            error, UnicodeDecodeError) else f"cannot read it: {error.strerror}"  # fmt: skip
        raise BuildError([Problem(path=str(path), line=None, message=reason)]) from None
    return parse_config(text, str(path), root)


def parse_config(text: str, path: str, root: Path) -> SiteConfig:
    mapping = parse_yaml_mapping(text, path)
    problems = check_keys(mapping, _KEYS, path, "site.yaml")
    reader = _Reader(mapping, path, problems)
    if "title" in mapping.data and not str(mapping.data["title"] or "").strip():
        problems.append(Problem(path=path, line=mapping.line_of("title"),
                                message="`title` is empty; give the site a name"))  # fmt: skip
    config = SiteConfig(
        title=reader.string("title", "Briefings"),
        description=reader.string("description", ""),
        language=reader.string("language", "en"),
        base_url=reader.string("base_url", DEFAULT_BASE_URL),
        content_dir=root / reader.string("content_dir", "content"),
        output_dir=root / reader.string("output_dir", "_site"),
        templates_dir=root / reader.string("templates_dir", "templates"),
        static_dir=root / reader.string("static_dir", "static"),
        page_size=reader.integer("page_size", 10, minimum=1),
        list_page_size=reader.integer("list_page_size", 50, minimum=1),
        directory_urls=reader.boolean("directory_urls", True),
        related=reader.integer("related", 5, minimum=0),
        include_drafts=reader.boolean("include_drafts", False),
        raw_html=reader.boolean("raw_html", False),
        search=reader.boolean("search", True),
        extract=ExtractSettings(
            topics=reader.topics(),
            aliases=reader.aliases(),
            stop_entities=reader.string_list("stop_entities"),
            max_key_facts=reader.integer("key_facts", 5, minimum=3, maximum=7),
            max_auto_tags=reader.integer("auto_tags", 3, minimum=0),
        ),
        extra=reader.extra(),
        path=path,
    )
    base_problem = check_base_url(config.base_url)
    if base_problem:
        problems.append(Problem(path=path, line=mapping.line_of("base_url"), message=base_problem))
    if problems:
        raise BuildError(problems)
    return replace(config, base_url=normalise_base_url(config.base_url))


def check_base_url(url: str) -> str | None:
    """Why `url` cannot be a base URL, or None when it can."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return (
            f"base_url {url!r} is not an absolute http(s) URL; "
            "write it like https://org.github.io/briefings/"
        )
    if parts.query or parts.fragment:
        return f"base_url {url!r} has a query or fragment; remove everything after the path"
    return None


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


class _Reader:
    """Typed access to a YAML mapping that records problems instead of raising."""

    def __init__(self, mapping: YamlMapping, path: str, problems: list[Problem]) -> None:
        self.mapping, self.path, self.problems = mapping, path, problems

    def _fail(self, key: str, message: str) -> None:
        self.problems.append(
            Problem(path=self.path, line=self.mapping.line_of(key), message=message)
        )

    def _get(self, key: str, kinds: tuple[type, ...], expected: str, example: str) -> Any:
        value = self.mapping.data.get(key)
        if value is None:
            return None
        if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
            self._fail(
                key, f"`{key}` must be {expected}, not {describe(value)}; write `{key}: {example}`"
            )
            return None
        return value

    def string(self, key: str, default: str) -> str:
        value = self._get(key, (str, int, float), "text", '"..."')
        return default if value is None else str(value)

    def integer(self, key: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
        value = self._get(key, (int,), "a whole number", str(default))
        if value is None:
            return default
        if value < minimum or (maximum is not None and value > maximum):
            upper = f" and at most {maximum}" if maximum is not None else ""
            self._fail(key, f"`{key}` must be at least {minimum}{upper}, not {value}")
            return default
        return int(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, (bool,), "true or false", "true")
        return default if value is None else bool(value)

    def string_list(self, key: str) -> tuple[str, ...]:
        value = self._get(key, (list,), "a list of text", "[first, second]")
        if value is None:
            return ()
        if not all(isinstance(item, str) for item in value):
            self._fail(key, f"`{key}` must be a list of strings")
            return ()
        return tuple(value)

    def topics(self) -> tuple[TopicRule, ...]:
        value = self._get("topics", (list,), "a list of rules", "[{tag: trade, aliases: [tariff]}]")
        rules: list[TopicRule] = []
        for item in value or []:
            if isinstance(item, str):
                rules.append(TopicRule(tag=item))
                continue
            ok = (
                isinstance(item, dict)
                and isinstance(item.get("tag"), str)
                and set(item) <= {"tag", "aliases"}
                and all(isinstance(a, str) for a in item.get("aliases") or [])
            )
            if not ok:
                self._fail(
                    "topics",
                    "each topic must be `- tag: name` with optional "
                    "`aliases: [word, phrase]` (strings only)",
                )
                continue
            rules.append(TopicRule(tag=item["tag"], aliases=tuple(item.get("aliases") or ())))
        return tuple(rules)

    def aliases(self) -> tuple[tuple[str, str], ...]:
        value = self._get(
            "entity_aliases", (dict,), "a mapping of alias to name", '{"Ruto": William Ruto}'
        )
        if value is None:
            return ()
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            self._fail(
                "entity_aliases",
                "`entity_aliases` must map strings to strings, "
                'e.g. `"President Ruto": William Ruto`',
            )
            return ()
        return tuple(sorted(value.items()))

    def extra(self) -> tuple[tuple[str, object], ...]:
        value = self._get("extra", (dict,), "a mapping", "{your_key: value}")
        return tuple(sorted((str(k), v) for k, v in (value or {}).items()))
