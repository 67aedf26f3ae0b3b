import io

import generator.progress as progress_module
from generator.progress import Progress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_quick_builds_print_nothing_and_long_ones_print_plain_lines(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    monkeypatch.setattr(progress_module.time, "monotonic", clock)
    stream = io.StringIO()
    progress = Progress(stream)
    progress("extracting articles", 10, 100)
    assert stream.getvalue() == ""
    clock.now = 10.0
    progress("extracting articles", 50, 100)
    clock.now = 11.0
    progress("extracting articles", 60, 100)  # too soon after the last line
    clock.now = 20.0
    progress("rendering pages", 5, 9)
    progress.close()
    assert stream.getvalue() == "extracting articles: 50/100\nrendering pages: 5/9\n"


def test_a_terminal_gets_one_line_redrawn(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    monkeypatch.setattr(progress_module.time, "monotonic", clock)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = Progress(stream)
    clock.now = 5.0
    progress("rendering pages", 1, 2)
    progress("rendering pages", 2, 2)
    progress.close()
    text = stream.getvalue()
    assert text.count("\r") == 2 and text.endswith("]\n")
    assert "#" * 30 in text
