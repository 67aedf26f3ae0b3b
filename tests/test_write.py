import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.write import SiteWriter, clean_stale_staging, write_site


def test_unchanged_files_keep_their_mtime_and_stale_files_go(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    write_site(site, {"index.html": b"home", "old/index.html": b"old", "a.css": b"css"})
    os.utime(site / "a.css", (1_000_000, 1_000_000))
    summary = write_site(site, {"index.html": b"new home", "a.css": b"css"})
    assert (summary.written, summary.unchanged, summary.removed) == (1, 1, 1)
    assert (site / "index.html").read_bytes() == b"new home"
    assert (site / "a.css").stat().st_mtime == 1_000_000
    assert not (site / "old").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]  # no staging left behind


def test_a_failed_write_leaves_the_previous_site(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    write_site(site, {"index.html": b"good"})

    class Exploding(dict[str, bytes]):
        def items(self):  # type: ignore[override]
            yield "index.html", b"half"
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_site(site, Exploding())
    assert (site / "index.html").read_bytes() == b"good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


ROOT = Path(__file__).resolve().parent.parent
OLD_SITE = {"index.html": b"old home", "briefings/a/index.html": b"old a"}


def run_killed_build(site: Path, script: str) -> None:
    """Run `script` after writing OLD_SITE into `site`, in a process it kills itself."""
    write_site(site, OLD_SITE)
    code = "import os, signal\nfrom pathlib import Path\nfrom generator.write import write_site\n"
    code += f"site = Path({str(site)!r})\n{script}"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    assert result.returncode == -signal.SIGKILL


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def dead_pid() -> int:
    command = [sys.executable, "-c", "import os; print(os.getpid())"]
    process = subprocess.run(command, capture_output=True, text=True, check=True)
    return int(process.stdout)


def test_a_build_killed_while_writing_leaves_the_old_site(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    run_killed_build(
        site,
        "def files():\n"
        "    yield 'index.html', b'new home'\n"
        "    yield 'briefings/b/index.html', b'new b'\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "class Killing(dict):\n"
        "    def items(self):\n"
        "        return files()\n"
        "write_site(site, Killing())\n",
    )
    assert tree(site) == OLD_SITE
    (staging,) = [p.name for p in tmp_path.iterdir() if p.name != "_site"]
    assert staging.startswith("._site.new-")
    summary = write_site(site, {"index.html": b"next home"})  # the next build clears up
    assert tree(site) == {"index.html": b"next home"} and summary.removed == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_a_build_killed_between_the_two_renames_gets_the_old_site_back(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    run_killed_build(
        site,
        "rename, calls = os.rename, []\n"
        "def rename_then_die(source, target):\n"
        "    calls.append(source)\n"
        "    if len(calls) == 2:  # the old site is aside, the new one not yet in\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    rename(source, target)\n"
        "os.rename = rename_then_die\n"
        "write_site(site, {'index.html': b'new home'})\n",
    )
    assert not site.exists()
    clean_stale_staging(site)
    assert tree(site) == OLD_SITE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_an_interrupt_during_the_swap_puts_the_old_site_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "_site"
    write_site(site, OLD_SITE)
    rename = os.rename

    def interrupted(source: Path, target: Path) -> None:
        if Path(source).name.startswith("._site.new-"):
            raise KeyboardInterrupt
        rename(source, target)

    monkeypatch.setattr(os, "rename", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_site(site, {"index.html": b"new home"})
    assert tree(site) == OLD_SITE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_only_the_leftovers_of_builds_no_longer_running_are_removed(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    write_site(site, OLD_SITE)
    dead, alive = dead_pid(), os.getpid()
    names = [f"._site.new-{dead}-abc", f"._site.old-{dead}-def", "._site.new-legacy1"]
    names += [f"._site.new-{alive}-ghi", f".other.new-{dead}-jkl", "notes"]
    for name in names:
        (tmp_path / name / "site").mkdir(parents=True)
    removed = clean_stale_staging(site)
    assert sorted(p.name for p in removed) == sorted(names[:3])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["_site", *names[3:]])
    assert tree(site) == OLD_SITE  # an old site aside is not put back over a current one


def test_a_site_can_be_written_one_file_at_a_time(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    write_site(site, {"index.html": b"home", "old.html": b"old"})
    with SiteWriter(site) as writer:
        writer.add("index.html", b"home")
        assert (writer.staging / "index.html").read_bytes() == b"home"  # written as it comes
        writer.add("new.html", b"new")
        with pytest.raises(ValueError):
            writer.add("new.html", b"again")
        summary = writer.commit()
    assert (summary.written, summary.unchanged, summary.removed) == (1, 1, 1)
    assert tree(site) == {"index.html": b"home", "new.html": b"new"}


def test_an_error_while_adding_files_keeps_the_old_site(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    write_site(site, OLD_SITE)
    with pytest.raises(RuntimeError), SiteWriter(site) as writer:
        writer.add("index.html", b"half")
        raise RuntimeError("rendering failed")
    assert tree(site) == OLD_SITE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]
