"""{site path: bytes} -> the output dir: the only module that writes the site.

A whole new site is assembled in a fresh directory beside the output and
swapped in only when complete, so a failed or interrupted build never leaves
a half-written site; files whose bytes did not change are hard-linked from
the previous site, which keeps their modification times (and Pages diffs).

When the caller knows which files the output holds (an incremental build),
only new and changed files are staged. Once all are staged, a journal of
them is written and they are moved into place one by one; a build killed
while moving them is finished by the next one from the journal. Untouched
files are never touched. What a killed build leaves beside the output is
cleared by the next build.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO


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


JOURNAL = "journal.json"  # in an incremental build's staging folder, beside its "site/"


class SiteWriter:
    """Takes the files of a new site one at a time, then puts them in place at once.

    Files go straight into the staging folder as they come, so a big site is
    never held in memory whole. Use it as a context manager: leaving the
    block with an error removes the staging folder and keeps the old site.

    `previous` lists the files the output holds, when the caller knows it:
    then only changed files are staged, and `keep` says a file stays as it is.
    """

    def __init__(self, output_dir: Path, previous: Collection[str] | None = None) -> None:
        self.output_dir = output_dir.resolve()
        self.output_dir.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_staging(self.output_dir)
        prefix = _staging_prefix(self.output_dir, "new")
        self.root = Path(tempfile.mkdtemp(prefix=prefix, dir=self.output_dir.parent))
        self.previous = previous if previous is not None and self.output_dir.is_dir() else None
        self.staging = self.root if self.previous is None else self.root / "site"
        self.paths: set[str] = set()
        self.changed: dict[str, None] = {}  # staged in an incremental build, in order
        self.written = self.unchanged = 0

    @property
    def incremental(self) -> bool:
        return self.previous is not None

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            shutil.rmtree(self.root, ignore_errors=True)

    def add(self, site_path: str, data: bytes) -> None:
        """One file of the new site; unchanged bytes are kept from the old one."""
        self._claim(site_path)
        old = self.output_dir / site_path
        if _same_bytes(old, data):
            self._unchanged(site_path)
        else:
            target = self.staging / site_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            self._written(site_path)

    def add_unchanged(self, site_path: str) -> None:
        """A file the caller knows to be byte for byte as the output has it."""
        self._claim(site_path)
        self._unchanged(site_path)

    def add_filled(self, site_path: str, fill: Callable[[IO[bytes]], None]) -> None:
        """A file the caller knows to have changed, written by `fill` into an open file."""
        self._claim(site_path)
        target = self.staging / site_path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as file:
            fill(file)
        self._written(site_path)

    def keep(self, site_path: str) -> None:
        """An incremental build's file that stays as the output has it."""
        if self.previous is None:
            raise ValueError("only an incremental build keeps files; give every file with add")
        self._claim(site_path)
        self.unchanged += 1

    def current(self, site_path: str) -> Path:
        """Where the new site's file is now: staged, or still in the output."""
        if self.incremental and site_path not in self.changed:
            return self.output_dir / site_path
        return self.staging / site_path

    def commit(self) -> WriteSummary:
        """Put the new site in place; the summary counts against the old one."""
        if self.previous is not None:
            removed = sorted(set(self.previous) - self.paths)
            try:
                _write_journal(self.root, list(self.changed), removed)
            except BaseException:
                shutil.rmtree(self.root, ignore_errors=True)
                raise
            _apply_journal(self.root, self.output_dir)
            return WriteSummary(
                written=self.written, unchanged=self.unchanged, removed=len(removed)
            )
        gone = sum(1 for old in _files_under(self.output_dir) if old not in self.paths)
        try:
            _swap(self.staging, self.output_dir)
        except BaseException:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise
        return WriteSummary(written=self.written, unchanged=self.unchanged, removed=gone)

    def _claim(self, site_path: str) -> None:
        if site_path in self.paths:
            raise ValueError(f"{site_path} was given twice; a site has one file per path")
        self.paths.add(site_path)

    def _unchanged(self, site_path: str) -> None:
        if self.previous is None:  # a whole new site: link the old file in
            target = self.staging / site_path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(self.output_dir / site_path, target)
        self.unchanged += 1

    def _written(self, site_path: str) -> None:
        self.changed[site_path] = None
        self.written += 1


def _write_journal(root: Path, changed: list[str], removed: list[str]) -> None:
    """Record what an incremental build will change; from here on it is finished
    even if this process dies (see `clean_stale_staging`)."""
    temporary = root / (JOURNAL + ".tmp")
    temporary.write_text(json.dumps({"changed": changed, "removed": removed}), encoding="utf-8")
    os.replace(temporary, root / JOURNAL)


def _apply_journal(root: Path, output_dir: Path) -> None:
    """Move the staged files into the output and delete the removed ones; safe to repeat."""
    journal = json.loads((root / JOURNAL).read_text(encoding="utf-8"))
    for site_path in journal["changed"]:
        staged = root / "site" / site_path
        if staged.exists():  # not yet moved by an earlier, killed attempt
            target = output_dir / site_path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
    folders: set[Path] = set()
    for site_path in journal["removed"]:
        (output_dir / site_path).unlink(missing_ok=True)
        folders.update((output_dir / site_path).parents)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        if output_dir in folder.parents:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty
    shutil.rmtree(root, ignore_errors=True)


def write_site(output_dir: Path, files: Mapping[str, bytes]) -> WriteSummary:
    """Write a whole site given at once (see SiteWriter for one file at a time)."""
    with SiteWriter(output_dir) as writer:
        for site_path, data in sorted(files.items()):
            writer.add(site_path, data)
        return writer.commit()


def clean_stale_staging(output_dir: Path) -> list[Path]:
    """Remove the `.<output>.new-*` and `.old-*` folders of builds that were killed.

    A folder is stale when the process that made it (its name holds the pid)
    is gone. A build killed between moving the old site aside and moving the
    new one in leaves no output at all: the old site is put back first.
    """
    output_dir = output_dir.resolve()
    stale = [
        folder
        for folder in sorted(output_dir.parent.glob(f".{glob.escape(output_dir.name)}.*-*"))
        if folder.is_dir() and _left_by_dead_build(folder.name, output_dir.name)
    ]
    for folder in stale:
        retired = folder / "site"
        is_old = folder.name.startswith(f".{output_dir.name}.old-")
        if is_old and retired.is_dir() and not output_dir.exists():
            os.rename(retired, output_dir)
        elif (folder / JOURNAL).is_file() and output_dir.is_dir():
            _apply_journal(folder, output_dir)  # a killed incremental build: finish it
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


def _staging_prefix(output_dir: Path, kind: str) -> str:
    # The pid lets a later build tell a killed build's leftovers from a running one's.
    return f".{output_dir.name}.{kind}-{os.getpid()}-"


def _left_by_dead_build(folder: str, output_name: str) -> bool:
    for kind in ("new", "old"):
        prefix = f".{output_name}.{kind}-"
        if folder.startswith(prefix):
            pid = folder[len(prefix) :].split("-", 1)[0]
            return not (pid.isdigit() and _is_running(int(pid)))
    return False


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


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
    retired = Path(
        tempfile.mkdtemp(prefix=_staging_prefix(output_dir, "old"), dir=output_dir.parent)
    )
    os.rename(output_dir, retired / "site")
    try:
        os.rename(staging, output_dir)
    except BaseException:
        os.rename(retired / "site", output_dir)  # interrupted in between: the old site goes back
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)
