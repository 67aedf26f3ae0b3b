"""Bad input, one folder per case in sites/invalid/: the exact message, exit 1, the old site kept.

Each case folder holds what is added to a good, already built site (the
`basic` one): a site.yaml and content/ (and templates/ where a template is at
fault), with `expected.txt`, the exact lines the build prints on stderr.
Optional: `args.txt`, extra command-line arguments; `grow.txt`, lines of
`path size` naming files the test pads to `size` bytes, so no big file sits
in the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli import run

HERE = Path(__file__).parent
BASIC = HERE / "sites" / "basic"
INVALID = HERE / "sites" / "invalid"
ROOT = HERE.parent
CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())
NOT_INPUT = {"expected.txt", "args.txt", "grow.txt"}
PROGRESS = re.compile(r"[a-z ]+: \d+/\d+")  # "rendering pages: 18/18", only for slow builds


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not PROGRESS.fullmatch(line)]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time, by path."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def add_bad_input(case: Path, site: Path) -> None:
    shutil.copytree(case, site, dirs_exist_ok=True, ignore=lambda _, names: NOT_INPUT & set(names))
    grow = case / "grow.txt"
    for line in grow.read_text().splitlines() if grow.exists() else []:
        name, size = line.split()
        with (site / name).open("a", encoding="utf-8") as file:
            while file.tell() < int(size):
                file.write("Kenya and Uganda signed a trade deal in Nairobi on Tuesday.\n" * 1000)


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("good") / "site"
    shutil.copytree(BASIC, site)
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def site(good_site: Path, tmp_path: Path) -> Path:
    """A copy of the good site with its built _site/, ready for bad input."""
    copy = tmp_path / "site"
    shutil.copytree(good_site, copy)
    return copy


@dataclass(frozen=True)
class Outcome:
    """One case's build: what it printed and the built site before and after it."""

    result: subprocess.CompletedProcess[str]
    before: dict[str, tuple[bytes, int]]
    after: dict[str, tuple[bytes, int]]
    leftovers: list[str]  # staging folders beside the output


def build_with_bad_input(case: str, site: Path) -> Outcome:
    before = snapshot(site / "_site")
    add_bad_input(INVALID / case, site)
    args_file = INVALID / case / "args.txt"
    args = args_file.read_text().split() if args_file.exists() else []
    result = run("build", *args, cwd=site)
    leftovers = [p.name for p in site.iterdir() if p.name.startswith("._site.")]
    return Outcome(
        result=result, before=before, after=snapshot(site / "_site"), leftovers=leftovers
    )


@pytest.fixture(scope="module")
def outcomes(good_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case built at once, each in its own copy of the good site: the CLI mostly waits."""
    sites = {case: tmp_path_factory.mktemp(case) / "site" for case in CASES}
    for copy in sites.values():
        shutil.copytree(good_site, copy)
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        futures = {case: pool.submit(build_with_bad_input, case, sites[case]) for case in CASES}
    return {case: future.result() for case, future in futures.items()}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_exactly_and_the_previous_site_kept(
    case: str, outcomes: dict[str, Outcome]
) -> None:
    outcome = outcomes[case]
    expected = (INVALID / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert problem_lines(outcome.result.stderr) == expected
    assert outcome.result.returncode == 1
    assert outcome.result.stdout == ""
    assert outcome.after == outcome.before  # every byte and modification time
    assert outcome.leftovers == []


def test_every_case_says_what_is_wrong_and_how_to_fix_it() -> None:
    for case in sorted(CASES):
        *problems, summary = (INVALID / case / "expected.txt").read_text().splitlines()
        assert problems, case
        assert summary.startswith("Build failed: ") and summary.endswith(
            "; the previous site was left as it was."
        ), case
        for line in problems:
            where, _, message = line.partition(": ")
            assert where and "; " in message, f"{case}: {line}"


def test_a_broken_link_is_only_a_warning_without_strict(site: Path) -> None:
    add_bad_input(INVALID / "broken-link", site)
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    *problems, _ = (INVALID / "broken-link" / "expected.txt").read_text().splitlines()
    warnings = [line.replace(": link to ", ": warning: link to ", 1) for line in problems]
    assert problem_lines(result.stderr) == warnings
    assert "Built 4 briefings" in result.stdout
