"""Preview: build, serve the output dir and rebuild on change (a thin livereload wrapper)."""

from __future__ import annotations

import sys
from pathlib import Path

from livereload import Server

from .build import build
from .config import SiteConfig
from .errors import BuildError


def rebuild(config: SiteConfig) -> bool:
    """Build once; on failure print why and keep the last good site being served."""
    try:
        result = build(config)
    except BuildError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("Build failed; still serving the last good site.", file=sys.stderr, flush=True)
        return False
    print(
        f"Rebuilt {result.briefings} briefings: {result.write.written} files written "
        f"in {result.seconds:.2f} s",
        flush=True,
    )
    return True


def watched_paths(config: SiteConfig) -> list[Path]:
    paths = [config.content_dir, config.templates_dir, config.static_dir, Path(config.path)]
    return [p for p in paths if p.exists()]


def serve(config: SiteConfig, host: str = "127.0.0.1", port: int = 8000) -> None:
    rebuild(config)
    server = Server()
    for path in watched_paths(config):
        server.watch(str(path), lambda: rebuild(config), delay=0.2)
    print(f"Serving {config.output_dir} on http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    server.serve(root=str(config.output_dir), host=host, port=port, open_url_delay=None)
