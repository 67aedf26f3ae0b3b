"""Progress of a long build: a line redrawn in place on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
import time
from typing import TextIO

# Builds shorter than this finish before a progress line would help anyone.
QUIET_SECONDS = 3.0
# Off a terminal (CI logs, pipes), one line per stage at most this often.
LINE_EVERY_SECONDS = 5.0


class Progress:
    """Callable as progress(stage, done, total); prints nothing for quick builds."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.last_line = 0.0
        self.drawn = False
        self.terminal = stream.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < QUIET_SECONDS:
            return
        text = f"{stage}: {done}/{total}"
        if self.terminal:
            width = 30
            filled = width * done // max(total, 1)
            self.stream.write(f"\r{text:32} [{'#' * filled}{'.' * (width - filled)}]")
            self.drawn = True
        elif now - self.last_line >= LINE_EVERY_SECONDS:
            self.stream.write(text + "\n")
            self.last_line = now
        self.stream.flush()

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
