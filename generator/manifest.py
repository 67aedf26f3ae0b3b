"""Build inputs -> a fingerprint, so a build with nothing changed can stop at once.

The fingerprint covers every file the output depends on (content, templates,
static files, site.yaml, the generator's own code) by path, size and
modification time, plus the effective settings. It is recorded after a
successful build together with a check of the output it produced, and a
later build with the same fingerprint and untouched output does no work.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from stat import S_ISREG

from .config import SiteConfig
from .errors import Problem

GENERATOR_DIR = Path(__file__).resolve().parent


def _file_stats(folder: Path) -> Iterator[tuple[str, int, int]]:
    """(path, size, mtime_ns) of every file under `folder`; plain strings, as a
    big site has ten thousand of them and a build with no change stops here."""
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except OSError:  # gone since it was listed
                continue
            if S_ISREG(stat.st_mode):
                yield path, stat.st_size, stat.st_mtime_ns


def fingerprint(config: SiteConfig, folders: Iterable[Path]) -> str:
    """Hash of the settings and of every input file's path, size and mtime."""
    # SOURCE_DATE_EPOCH dates the feed of an empty site, so it is an input too.
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    digest = hashlib.sha256(f"{config!r}\0{epoch}".encode())
    files = {
        path: (size, mtime)
        for path, size, mtime in _file_stats(GENERATOR_DIR)
        if path.endswith((".py", ".txt"))
    }
    for folder in folders:
        files.update((path, (size, mtime)) for path, size, mtime in _file_stats(folder))
    try:
        stat = os.stat(config.path)
        files[str(config.path)] = (stat.st_size, stat.st_mtime_ns)
    except OSError:
        pass
    lines = (f"{path}\0{size}\0{mtime}\n" for path, (size, mtime) in sorted(files.items()))
    digest.update("".join(lines).encode())
    return digest.hexdigest()


def output_stamp(output_dir: Path) -> str:
    """A cheap check that the output is still the one we wrote."""
    parts = []
    for name in ("briefings.json", "index.html", "sitemap.xml"):
        try:
            stat = (output_dir / name).stat()
        except OSError:
            return ""
        parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}")
    return "|".join(parts)


def read_manifest(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def unchanged(path: Path, inputs: str, output_dir: Path) -> dict[str, object] | None:
    """The recorded build, when inputs and output are as it left them."""
    manifest = read_manifest(path)
    stamp = output_stamp(output_dir)
    if stamp and manifest.get("inputs") == inputs and manifest.get("output") == stamp:
        return manifest
    return None


def record(
    path: Path,
    inputs: str,
    output_dir: Path,
    summary: Mapping[str, object],
    warnings: Iterable[Problem],
) -> None:
    data = {
        "inputs": inputs,
        "output": output_stamp(output_dir),
        "summary": summary,
        "warnings": [{"path": w.path, "line": w.line, "message": w.message} for w in warnings],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
