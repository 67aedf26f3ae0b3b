"""`make bench`: build a large generated corpus cold and incrementally, beside Hugo and Pelican.

The corpus is the BBC articles of the evaluation data (or, without it, our
own sample articles) repeated with distinct titles, dates and slugs. Every
build runs as a separate process, measured for wall time, CPU time (its own
and its children's) and peak memory of the whole process tree, sampled from
/proc. Peers run on the same corpus in the same run when installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from .eval_data import parse_story

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"cold_vs_hugo": 4.0, "no_change_s": 1.5, "one_edit_s": 2.0, "peak_mib": 1024.0}


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    """One measured build."""

    tool: str  # "briefings", "hugo", "hugo+related", "pelican"
    scenario: str  # cold | no change | edit one | add one
    wall_s: float
    cpu_s: float
    peak_mib: float
    ok: bool
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    title: str
    paragraphs: tuple[str, ...]
    topic: str  # used as the one tag every peer gets, so tag pages compare


# --- corpus ---------------------------------------------------------------------


def read_sources(data: Path) -> list[Source]:
    """BBC articles from the evaluation data, else the project's own sample articles."""
    articles = sorted((data / "bbc-summary" / "article").glob("*/*.txt"))
    if articles:
        return [_bbc_source(path) for path in articles]
    from .load import read_articles

    return [
        Source(title=a.title, paragraphs=tuple(p.text for p in a.paragraphs),
               topic=(a.tags or ("news",))[0])
        for a in read_articles(PROJECT_ROOT / "content")
    ]  # fmt: skip


def _bbc_source(path: Path) -> Source:
    title, paragraphs = parse_story(path.read_text(encoding="utf-8"))
    return Source(title=title, paragraphs=paragraphs, topic=path.parent.name)


def article_fields(number: int, source: Source) -> tuple[str, str, dt.date]:
    """(slug, title, date) of corpus article `number`: distinct for every article."""
    date = dt.date(2015, 1, 1) + dt.timedelta(days=number // 3)
    return f"a{number:05d}", f"{source.title} (no. {number})", date


def write_corpus(folder: Path, sources: Sequence[Source], count: int) -> None:
    """Our content dir, a Hugo site and a Pelican site with the same articles."""
    for sub in ("briefings/content", "hugo/content/posts", "pelican/content"):
        shutil.rmtree(folder / sub, ignore_errors=True)
        (folder / sub).mkdir(parents=True)
    for number in range(count):
        source = sources[number % len(sources)]
        slug, title, date = article_fields(number, source)
        body = "\n\n".join(source.paragraphs)
        front = json.dumps(title)
        (folder / "briefings/content" / f"{slug}.md").write_text(
            f"---\ntitle: {front}\ndate: {date}\nslug: {slug}\ntags: [{source.topic}]\n---\n\n"
            f"{body}\n", encoding="utf-8")  # fmt: skip
        (folder / "hugo/content/posts" / f"{slug}.md").write_text(
            f"---\ntitle: {front}\ndate: {date}\nslug: {slug}\ntags: [{source.topic}]\n---\n\n"
            f"{body}\n", encoding="utf-8")  # fmt: skip
        (folder / "pelican/content" / f"{slug}.md").write_text(
            f"Title: {title}\nDate: {date}\nSlug: {slug}\nTags: {source.topic}\n\n{body}\n",
            encoding="utf-8",
        )
    (folder / "briefings/site.yaml").write_text(
        "title: Bench\nbase_url: https://bench.invalid/\n", encoding="utf-8")  # fmt: skip
    _write_hugo_site(folder / "hugo")
    (folder / "pelican/pelicanconf.py").write_text(
        'SITENAME = "Bench"\nSITEURL = ""\nTIMEZONE = "UTC"\nDEFAULT_LANG = "en"\n'
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nDEFAULT_PAGINATION = 10\n",
        encoding="utf-8",
    )


def _write_hugo_site(folder: Path) -> None:
    layouts = folder / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    page = "<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>"
    (layouts / "single.html").write_text(
        page + "{{ .Content }}{{ range .Params.tags }}<a href='/tags/{{ . | urlize }}/'>"
        "{{ . }}</a>{{ end }}{{ if site.Params.related }}<ul>{{ range first 5 "
        "(site.RegularPages.Related .) }}<li><a href='{{ .RelPermalink }}'>{{ .Title }}</a>"
        "</li>{{ end }}</ul>{{ end }}\n", encoding="utf-8")  # fmt: skip
    (layouts / "list.html").write_text(
        page + "{{ range .Paginator.Pages }}<p><a href='{{ .RelPermalink }}'>{{ .Title }}</a>"
        "</p>{{ end }}\n", encoding="utf-8")  # fmt: skip
    for related in (False, True):
        name = "config-related.toml" if related else "config.toml"
        extra = (
            (
                "[params]\nrelated = true\n[related]\nthreshold = 10\nincludeNewer = true\n"
                "toLower = true\n[[related.indices]]\nname = 'tags'\nweight = 100\n"
                "[[related.indices]]\nname = 'date'\nweight = 10\n"
            )
            if related
            else ""
        )
        (folder / name).write_text(
            f"baseURL = 'https://bench.invalid/'\ntitle = 'Bench'\npaginate = 10\n{extra}",
            encoding="utf-8")  # fmt: skip


# --- measuring --------------------------------------------------------------------


def _tree_rss_kib(root: int) -> int:
    """Memory of a process and all its descendants, from /proc: the sum of their
    proportional set sizes (PSS), so pages forked workers share with their
    parent count once, as they take memory once; resident size where the
    kernel gives no PSS."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        parents[int(entry)] = int(fields.get("PPid", "0").strip())
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(_pss_kib(pid) or rss.get(pid, 0) for pid in tree)


def _pss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


# How often memory is sampled. Reading a big process's proportional set size
# walks its page tables, on the cores the build is measured on: sampled every
# 0.05 s, a 10k cold build took 73 s against 59 s unsampled (one run each).
SAMPLE_SECONDS = 0.25


def measure(tool: str, scenario: str, command: Sequence[str], cwd: Path) -> Run:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    output = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
    ok = os.waitstatus_to_exitcode(status) == 0
    note = "" if ok else output.strip().splitlines()[-1][:120] if output.strip() else "failed"
    return Run(tool=tool, scenario=scenario, wall_s=round(wall, 3),
               cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
               peak_mib=round(max(peak, usage.ru_maxrss) / 1024, 1), ok=ok, note=note)  # fmt: skip


def bench_ours(folder: Path, sources: Sequence[Source], count: int) -> list[Run]:
    site = folder / "briefings"
    command = [sys.executable, "-m", "generator", "build", "--config", "site.yaml"]
    shutil.rmtree(site / "_site", ignore_errors=True)
    shutil.rmtree(site / ".cache", ignore_errors=True)
    runs = [measure("briefings", "cold", command, site)]
    runs.append(measure("briefings", "no change", command, site))
    edited = site / "content" / "a00007.md"
    text = edited.read_text(encoding="utf-8")
    added = text.replace("\n\n", "\n\nA reporter added this sentence to the story.\n\n", 1)
    edited.write_text(added, encoding="utf-8")
    runs.append(measure("briefings", "edit one", command, site))
    source = sources[0]
    (site / "content" / "added.md").write_text(
        f"---\ntitle: Added story\ndate: 2030-01-01\ntags: [{source.topic}]\n---\n\n"
        + "\n\n".join(source.paragraphs) + "\n", encoding="utf-8")  # fmt: skip
    runs.append(measure("briefings", "add one", command, site))
    return runs


def bench_peers(folder: Path) -> tuple[list[Run], list[str]]:
    runs: list[Run] = []
    missing: list[str] = []
    hugo = shutil.which("hugo")
    if hugo:
        for tool, config in (("hugo", "config.toml"), ("hugo+related", "config-related.toml")):
            shutil.rmtree(folder / "hugo" / "public", ignore_errors=True)
            runs.append(
                measure(
                    tool,
                    "cold",
                    [hugo, "--quiet", "--config", config, "--destination", "public"],
                    folder / "hugo",
                )
            )
    else:
        missing.append("hugo (Debian package `hugo`)")
    pelican = shutil.which("pelican", path=str(Path(sys.executable).parent)) or shutil.which(
        "pelican"
    )
    if pelican:
        shutil.rmtree(folder / "pelican" / "output", ignore_errors=True)
        runs.append(
            measure(
                "pelican",
                "cold",
                [pelican, "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
                folder / "pelican",
            )
        )
    else:
        missing.append("pelican (PyPI `pelican[markdown]`)")
    return runs, missing


# --- report -----------------------------------------------------------------------


def summarise(runs: Sequence[Run]) -> dict[str, float | None]:
    def wall(tool: str, scenario: str = "cold") -> float | None:
        found = [r.wall_s for r in runs if r.tool == tool and r.scenario == scenario and r.ok]
        return found[0] if found else None

    ours, hugo = wall("briefings"), wall("hugo")
    peak = max((r.peak_mib for r in runs if r.tool == "briefings"), default=None)
    return {
        "cold_vs_hugo": round(ours / hugo, 2) if ours and hugo else None,
        "cold_vs_hugo_related": _ratio(ours, wall("hugo+related")),
        "cold_vs_pelican": _ratio(ours, wall("pelican")),
        "no_change_s": wall("briefings", "no change"),
        "one_edit_s": wall("briefings", "edit one"),
        "add_one_s": wall("briefings", "add one"),
        "peak_mib": peak,
    }


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    return round(ours / theirs, 2) if ours and theirs else None


def format_report(runs: Sequence[Run], summary: dict[str, float | None],
                  missing: Sequence[str], count: int) -> str:  # fmt: skip
    lines = [
        f"corpus: {count} articles, {os.cpu_count()} cores",
        f"{'tool':14} {'scenario':10} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}  result",
    ]
    for run in runs:
        lines.append(
            f"{run.tool:14} {run.scenario:10} {run.wall_s:8.2f} {run.cpu_s:8.2f} "
            f"{run.peak_mib:9.0f}  {'ok' if run.ok else 'FAILED ' + run.note}"
        )
    lines.append("")
    for key, value in summary.items():
        target = TARGETS.get(key)
        verdict = (
            "" if target is None or value is None else ("  pass" if value <= target else "  MISS")
        )
        limit = f" (target <= {target})" if target is not None else ""
        lines.append(f"{key:22} {value if value is not None else 'n/a'}{limit}{verdict}")
    if missing:
        lines.append("peers not installed, not measured: " + ", ".join(missing))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.bench", description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT.parent / "shared" / "eval")
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / ".cache" / "bench")
    parser.add_argument("--json", type=Path, help="figures as JSON (default WORK/results.json)")
    parser.add_argument("--no-peers", action="store_true", help="measure only our builds")
    args = parser.parse_args(argv)
    sources = read_sources(args.data)
    print(
        f"writing a corpus of {args.articles} articles from {len(sources)} sources "
        f"into {args.work}",
        flush=True,
    )
    write_corpus(args.work, sources, args.articles)
    runs = bench_ours(args.work, sources, args.articles)
    peers, missing = ([], []) if args.no_peers else bench_peers(args.work)
    runs += peers
    summary = summarise(runs)
    print(format_report(runs, summary, missing, args.articles))
    path = args.json or args.work / "results.json"
    path.write_text(
        json.dumps(
            {
                "articles": args.articles,
                "runs": [asdict(r) for r in runs],
                "summary": summary,
                "missing_peers": missing,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"figures written to {path}")
    return 0 if all(r.ok for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
