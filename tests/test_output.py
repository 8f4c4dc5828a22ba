import time
from concurrent.futures import wait
from pathlib import Path

import pytest

from briefs.errors import BriefsError, OutputCollision
from briefs.model import Output
from briefs.output import WorkAhead, recover, safe_relative, write_site


@pytest.mark.parametrize("bad", ["../x.html", "/etc/passwd", "a/../../x", "", ".", "a\\b", "a\x00b"])
def test_paths_outside_the_site_are_refused(bad: str) -> None:
    with pytest.raises(OutputCollision):
        safe_relative(bad)


def test_two_outputs_for_one_path_are_refused_and_old_site_kept(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site([Output("index.html", b"old")], site)
    with pytest.raises(OutputCollision, match="a/index.html"):
        write_site([Output("a/index.html", b"1"), Output("a/./index.html", b"2")], site)
    assert (site / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left behind


def test_swap_replaces_the_whole_tree(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site([Output("index.html", b"one"), Output("gone/index.html", b"x")], site)
    write_site([Output("index.html", b"two")], site)
    assert (site / "index.html").read_bytes() == b"two"
    assert not (site / "gone").exists()


def test_error_while_rendering_leaves_old_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site([Output("index.html", b"old")], site)

    def failing():
        yield Output("index.html", b"new")
        raise BriefsError("boom")

    with pytest.raises(BriefsError):
        write_site(failing(), site)
    assert (site / "index.html").read_bytes() == b"old"


def test_recover_restores_previous_site_after_interrupted_swap(tmp_path: Path) -> None:
    previous = tmp_path / ".site.previous"
    previous.mkdir()
    (previous / "index.html").write_text("old")
    (tmp_path / ".site.build-abc").mkdir()
    recover(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def _square_all(chunk: list[int]) -> list[int]:
    if 13 in chunk:
        raise ValueError("unlucky")
    time.sleep(0.01)
    return [n * n for n in chunk]


def test_work_ahead_gives_what_it_finished_in_order_without_the_failed_chunk() -> None:
    chunks = [[n, n + 1] for n in range(0, 40, 2)]
    with WorkAhead(_square_all, chunks) as ahead:
        wait(ahead.futures)
        done = ahead.take()
    assert done == [[n * n, (n + 1) ** 2] for n in range(0, 40, 2) if n != 12]  # [12, 13] failed: left out


def test_work_ahead_stops_when_taken_and_keeps_the_order() -> None:
    chunks = [[n] for n in range(200)]  # 2 s of work at least
    with WorkAhead(_square_all, chunks) as ahead:
        done = ahead.take()  # at once: what is under way is finished, the rest is cancelled
    assert len(done) < 10  # the chunk under way and the one queued for it, give or take
    assert done == [[n * n] for n in range(len(done))]
