"""Nothing lost, nothing half-written: killed builds and ingests, full disks and read-only folders."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from briefs.content import load_page
import datetime as dt

from conftest import NOW, REPO, page_text, tree

SEEDS = Path(__file__).parent / "fixtures" / "seeds"



def write_content(project: Path, version: str, count: int = 60) -> None:
    """`count` briefs whose every page differs between versions, so old and new trees never share a file."""
    for n in range(count):
        path = project / "content" / f"b{n:03d}.md"
        path.write_text(page_text(f"Brief {n} {version}", f"2024-03-{n % 28 + 1:02d}", f"Body {version} {n}.\n\n" * 5,
                                  tags=f"[Topic {n % 7}, {version}]", summary=f"'Summary {version}'"), encoding="utf-8")


def start(project: Path, *args: str, output: str = "site") -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), *args, "--root", str(project), "--now", NOW,
                             "--output", output, "--no-search", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def finish(project: Path, *args: str, output: str = "site") -> float:
    started = time.monotonic()
    process = start(project, *args, output=output)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    return time.monotonic() - started


def kill_after(process: subprocess.Popen[bytes], seconds: float) -> None:
    """SIGKILL the build and every process it started (render workers), as the OOM killer or a power cut would."""
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize("command", ["render"])
def test_killed_build_leaves_the_old_or_the_new_site_never_a_mix(project: Path, command: str) -> None:
    # the two complete trees every kill must leave one of
    write_content(project, "old")
    finish(project, command, output="expected-old")
    write_content(project, "new")
    duration = finish(project, command, output="expected-new")
    expected = {"old": tree(project / "expected-old"), "new": tree(project / "expected-new")}
    assert expected["old"].keys() != expected["new"].keys()
    shutil.rmtree(project / ".briefs-cache", ignore_errors=True)

    write_content(project, "old")
    finish(project, command)
    current = "old"
    outcomes = []
    for fraction in (0.1, 0.4, 0.7, 0.9, 1.1):
        target = "new" if current == "old" else "old"
        write_content(project, target)
        kill_after(start(project, command), duration * fraction)
        site = tree(project / "site")
        assert site in (expected[current], expected[target]), f"a mixed site after a kill at {fraction:.0%}"
        outcomes.append(site == expected[target])
        finish(project, command)  # the next build recovers and completes
        assert tree(project / "site") == expected[target]
        assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []
        current = target
    assert len(outcomes) == 5


def test_killed_ingest_leaves_no_truncated_page(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    for n in range(6):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, project / "seeds" / f"{n}-{seed.name}")
    reference = tmp_path_factory.mktemp("reference")
    shutil.copytree(project / "seeds", reference / "seeds")
    (reference / "content").mkdir()
    duration = finish(reference, "ingest")
    pages = tree(reference / "content")
    assert len(pages) > 50
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9):
        kill_after(start(project, "ingest", "--force"), duration * fraction)
        for path in sorted((project / "content").rglob("*.md")):
            rel = path.relative_to(project / "content").as_posix()
            if path.name.startswith("."):
                continue  # a temporary file the kill interrupted: never read as a page
            assert path.read_bytes() == pages[rel], f"{rel} is not what ingest writes"
            load_page(path.read_text(encoding="utf-8"), rel, dt.timezone.utc)
    finish(project, "ingest")
    assert {k: v for k, v in tree(project / "content").items() if not Path(k).name.startswith(".")} == pages


def test_disk_full_is_one_line_and_keeps_the_old_site(project: Path, write_page, run_cli, capsys,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(5):
        write_page(f"b{n}.md", f"Brief {n}", "2024-03-01")
    assert run_cli("render", "--no-search") == 0
    before = tree(project / "site")
    write_page("b9.md", "A newer brief", "2024-03-02")
    real_write = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        if ".site.build-" in str(self):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    real_open = open

    def full_open(file, mode="r", *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if "w" in mode and ".site.build-" in str(file):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", full_open)
    capsys.readouterr()
    assert run_cli("render", "--no-search", "--no-cache") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "No space left on device" in err[0] and "previous site was left as it was" in err[0]
    monkeypatch.undo()
    assert tree(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_read_only_output_folder_is_one_line_and_keeps_the_old_site(project: Path, write_page, run_cli, capsys,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    write_page("a.md", "A brief", "2024-03-01")
    assert run_cli("render", "--no-search") == 0
    before = tree(project / "site")
    write_page("b.md", "Another brief", "2024-03-02")

    def read_only(*args, **kwargs):  # noqa: ANN002, ANN003
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(project))

    # root ignores permission bits, so a read-only file system is simulated where the staging folder is made
    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    capsys.readouterr()
    assert run_cli("render", "--no-search") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Read-only file system" in err[0] and "previous site was left as it was" in err[0]
    monkeypatch.undo()
    assert tree(project / "site") == before
