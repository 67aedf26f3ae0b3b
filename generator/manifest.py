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
from collections.abc import Iterable, Mapping
from pathlib import Path

from .config import SiteConfig
from .errors import Problem

GENERATOR_DIR = Path(__file__).resolve().parent


def _files(folder: Path) -> Iterable[Path]:
    if folder.is_dir():
        yield from (p for p in folder.rglob("*") if p.is_file())


def fingerprint(config: SiteConfig, folders: Iterable[Path]) -> str:
    """Hash of the settings and of every input file's path, size and mtime."""
    # SOURCE_DATE_EPOCH dates the feed of an empty site, so it is an input too.
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    digest = hashlib.sha256(f"{config!r}\0{epoch}".encode())
    code = [p for p in _files(GENERATOR_DIR) if p.suffix in (".py", ".txt")]
    paths = [Path(config.path), *code, *(p for folder in folders for p in _files(folder))]
    for path in sorted(set(paths)):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
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
