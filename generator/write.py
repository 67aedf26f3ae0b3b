"""{site path: bytes} -> the output dir: the only module that writes the site.

The new site is assembled in a fresh directory beside the output and swapped
in only when complete, so a failed or interrupted build never leaves a
half-written site. Files whose bytes did not change are hard-linked from the
previous site, which keeps their modification times (and Pages diffs) intact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteSummary:
    written: int  # new or changed files
    unchanged: int
    removed: int  # files of the previous site that are gone


def read_static(static_dir: Path, prefix: str = "static/") -> dict[str, bytes]:
    """Every file under the static dir, keyed by its site path."""
    if not static_dir.is_dir():
        return {}
    return {
        prefix + path.relative_to(static_dir).as_posix(): path.read_bytes()
        for path in sorted(static_dir.rglob("*"))
        if path.is_file()
    }


def write_site(output_dir: Path, files: Mapping[str, bytes]) -> WriteSummary:
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    try:
        written = unchanged = 0
        for site_path, data in sorted(files.items()):
            target = staging / site_path
            target.parent.mkdir(parents=True, exist_ok=True)
            if _same_bytes(output_dir / site_path, data):
                os.link(output_dir / site_path, target)
                unchanged += 1
            else:
                target.write_bytes(data)
                written += 1
        removed = sum(1 for old in _files_under(output_dir) if old not in files)
        _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteSummary(written=written, unchanged=unchanged, removed=removed)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _files_under(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]


def _swap(staging: Path, output_dir: Path) -> None:
    """Put the new site in place; the old one is removed only afterwards."""
    os.chmod(staging, 0o755)
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    os.rename(output_dir, retired / "site")
    os.rename(staging, output_dir)
    shutil.rmtree(retired, ignore_errors=True)
