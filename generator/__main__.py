"""Command line: `python -m generator build | serve | new`.

Exit codes: 0 success, 1 content errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from .config import SiteConfig, check_base_url, normalise_base_url, read_config
from .errors import BuildError


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build a briefing site from news articles in Markdown.",
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser("build", help="build the site", description="Build the site.")
    _site_options(build)
    build.add_argument(
        "--strict", action="store_true", help="treat warnings (e.g. broken links) as errors"
    )
    build.add_argument(
        "--stats",
        type=Path,
        metavar="FILE",
        help="also write per-article extraction timings as JSON to FILE",
    )
    serve = commands.add_parser(
        "serve",
        help="build, serve and rebuild on change",
        description="Build, serve on localhost and rebuild on change.",
    )
    _site_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    new = commands.add_parser(
        "new",
        help="write a new dated article",
        description="Write a new article with front matter.",
    )
    new.add_argument("title", help="the article's title")
    new.add_argument("--config", type=Path, default=Path("site.yaml"), metavar="FILE")
    new.add_argument("--content", type=Path, metavar="DIR", help="content dir")
    new.add_argument("--date", help="publication date, YYYY-MM-DD (default today)")
    return main


def _site_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--config",
        type=Path,
        default=Path("site.yaml"),
        metavar="FILE",
        help="site settings (default site.yaml)",
    )
    command.add_argument(
        "--content", type=Path, metavar="DIR", help="content dir (default: site.yaml's content_dir)"
    )
    command.add_argument(
        "--output", type=Path, metavar="DIR", help="output dir (default: site.yaml's output_dir)"
    )
    command.add_argument(
        "--base-url",
        metavar="URL",
        help="absolute URL the site is served from, e.g. https://org.github.io/briefings/",
    )


def load_config(args: argparse.Namespace, usage: argparse.ArgumentParser) -> SiteConfig:
    config = read_config(args.config)
    if getattr(args, "base_url", None):
        problem = check_base_url(args.base_url)
        if problem:
            usage.error(f"--base-url: {problem}")
        config = replace(config, base_url=normalise_base_url(args.base_url))
    if args.content:
        config = replace(config, content_dir=args.content)
    if getattr(args, "output", None):
        config = replace(config, output_dir=args.output)
    return config


def main(argv: list[str] | None = None) -> int:
    usage = parser()
    args = usage.parse_args(argv)
    try:
        config = load_config(args, usage)
        if args.command == "build":
            from .build import build
            from .progress import Progress

            progress = Progress()
            try:
                result = build(config, stats_path=args.stats, strict=args.strict, progress=progress)
            finally:
                progress.close()
            for warning in result.warnings:
                print(warning, file=sys.stderr)
            summary = result.write
            print(
                f"Built {result.briefings} briefings, {result.pages} pages into "
                f"{config.output_dir}: {summary.written} written, {summary.unchanged} "
                f"unchanged, {summary.removed} removed in {result.seconds:.2f} s"
            )
        elif args.command == "serve":
            from .serve import serve

            serve(config, host=args.host, port=args.port)
        elif args.command == "new":
            from .new import write_new_article

            path = write_new_article(config.content_dir, args.title, args.date)
            print(f"Wrote {path}")
    except BuildError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(
            f"Build failed: {count} problem{'s' if count != 1 else ''}; "
            "the previous site was left as it was.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    code = main()
    # Everything is written and closed by now. Leave without freeing the
    # build's objects one by one, which takes a big site's build half a second.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
