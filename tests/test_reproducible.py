"""Same input, same bytes: builds in different folders, at different times, under different TZ and locale."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, tree

SEEDS = Path(__file__).parent / "fixtures" / "seeds"



def build(root: Path, env: dict[str, str], *args: str) -> None:
    full_env = {k: v for k, v in os.environ.items() if k not in ("TZ", "LANG", "LC_ALL", "SOURCE_DATE_EPOCH")}
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--root", str(root), *args],
                            env={**full_env, **env}, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def make_project(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copytree(REPO / "seeds", root / "seeds")  # copy2: a seed's mtime is part of its input (its fallback date)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy2(seed, root / "seeds" / seed.name)
    (root / "content").mkdir()
    (root / "content" / "hand.md").write_text("---\ntitle: Hand-made brief\ndate: 2024-02-29T23:30:00-05:00\n"
                                              "tags: [Ünïcode, Kyiv]\n---\n\nWritten *by hand*.\n", encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.briefs]\ntimezone = "Europe/Kyiv"\n', encoding="utf-8")
    return root


def test_two_builds_in_different_places_times_zones_and_locales_are_byte_identical(tmp_path: Path) -> None:
    first = make_project(tmp_path / "one" / "project")
    second = make_project(tmp_path / "elsewhere" / "deeper" / "project-two")
    args = ("--base-url", "https://example.org/news/")
    build(first, {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONHASHSEED": "1"}, *args)
    time.sleep(1.1)  # a different second on the clock, in case anything stamps the time
    build(second, {"TZ": "America/Adak", "LC_ALL": "POSIX", "LANG": "de_DE.UTF-8", "PYTHONHASHSEED": "2",
                   "SOURCE_DATE_EPOCH": "0"}, *args)
    one, two = tree(first / "site"), tree(second / "site")
    assert len(one) > 30
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    for root in (first, second, tmp_path):
        assert not any(str(root).encode() in body for body in [*one.values(), *two.values()])
    assert not any(os.environ.get("HOME", "/root").encode() + b"/" in body for body in two.values())


def test_pages_written_by_ingest_are_identical_too(tmp_path: Path) -> None:
    first = make_project(tmp_path / "a")
    second = make_project(tmp_path / "b")
    build(first, {"TZ": "Asia/Kolkata", "PYTHONHASHSEED": "3"}, "--no-search")
    build(second, {"TZ": "UTC", "PYTHONHASHSEED": "4"}, "--no-search")
    assert tree(first / "content") == tree(second / "content")
