#!/usr/bin/env python3
"""Benchmark: generate N synthetic briefs, then time `build.py render` as a real user runs it.

    python bench/run.py                    # N = 1,000 and 10,000, 3 runs each
    python bench/run.py --huge             # also N = 100,000
    python bench/run.py --update-readme    # write the table into README.md ("Performance")

Reports, per N, the median of --runs runs of: a cold build (no site/, no cache), a no-op rebuild
(and whether it wrote any file), a one-brief edit (and how many pages it re-rendered), the peak
memory of the build process tree (the largest single process, from os.wait4's rusage), pages per
second of the cold build, and ingest throughput on a generated multi-MB seed. It is a benchmark,
not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import logging
import datetime as dt
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = "2030-01-01T00:00:00+00:00"
WORDS = ("the of and to in a is that for on said was with as by at from it his an were are which be this has "
         "have had not but after its they government minister officials president said told police city state "
         "military forces troops border talks week year people report statement security agency country region "
         "capital election vote parliament court ruling law economy market prices energy gas oil supply aid "
         "spokesperson ministry foreign defence attack strike ceasefire negotiations sanctions summit leaders "
         "residents emergency services hospital injured killed missing search rescue flood storm weather fire "
         "company shares investors bank inflation rates budget plan project workers union strike protest crowd "
         "streets march demonstrators arrested charged trial judge prosecutors evidence witness investigation "
         "according statement earlier later monday tuesday wednesday thursday friday weekend morning evening").split()
PLACES = ("Kyiv Moscow Washington London Paris Berlin Warsaw Helsinki Ankara Beijing Tokyo Delhi Cairo Nairobi "
          "Lagos Brasilia Ottawa Canberra Madrid Rome Athens Vienna Prague Budapest Riga Vilnius Tallinn Minsk "
          "Tbilisi Yerevan Baku Tehran Baghdad Damascus Beirut Amman Riyadh Doha Dubai Islamabad Kabul Dhaka").split()
TOPICS = ("Ukraine Russia Kremlin NATO European Union United Nations White House Pentagon Energy Elections "
          "Climate Economy Trade Health Migration Courts Technology Sport Culture Defence Diplomacy Sanctions "
          "Refugees Inflation Protests Wildfires Floods Aviation Shipping Agriculture Education Space").split()


# ---------------------------------------------------------------- synthetic content


def tag_vocabulary(rng: random.Random, size: int) -> list[str]:
    """Topic and place names first (the popular ones), then a long tail of people and organisations."""
    names = list(dict.fromkeys(TOPICS + PLACES))
    while len(names) < size:
        names.append(f"{rng.choice(['Anna', 'Olga', 'Ivan', 'Maria', 'John', 'Li', 'Amir', 'Sara'])} "
                     f"{rng.choice(['Petrenko', 'Smith', 'Kowalski', 'Haddad', 'Tanaka', 'Okafor', 'Silva'])} {len(names)}")
    return names


def paragraph(rng: random.Random, words: int) -> str:
    out = []
    for i in range(words):
        word = rng.choice(WORDS)
        if i == 0 or out[-1].endswith("."):
            word = word.capitalize()
        if rng.random() < 0.04:
            word = rng.choice(PLACES)
        if rng.random() < 0.01:
            word = f"*{word}*"
        out.append(word + ("." if rng.random() < 0.06 else ""))
    return " ".join(out).rstrip(".") + "."


def brief_page(rng: random.Random, n: int, vocab: list[str], weights: list[float], seed: str, section: int) -> str:
    date = dt.datetime(2020, 1, 1, 6) + dt.timedelta(minutes=n * 37 + rng.randrange(30))
    tags = list(dict.fromkeys(rng.choices(vocab, weights, k=rng.randint(2, 5))))
    title = paragraph(rng, rng.randint(7, 13)).rstrip(".")
    body = []
    remaining = rng.randint(330, 470)  # ~400 words a brief
    while remaining > 0:
        words = min(remaining, rng.randint(35, 90))
        body.append(paragraph(rng, words))
        remaining -= words
        if rng.random() < 0.08:
            body.append(f"## {paragraph(rng, 4).rstrip('.')}")
    if rng.random() < 0.2:
        body.append(f"Read the [full statement](https://statements.example.net/{n}).")
    front = [
        "---", f"title: {title!r}", f"date: {date.isoformat()}", f"summary: {paragraph(rng, 25)!r}",
        "tags: [" + ", ".join(f"'{t}'" for t in tags) + "]",
        f"seed: {seed}", f"section: {section}",
        "photo: {caption: " + repr(paragraph(rng, 14)) + ", credit: 'Staff/Agency'}",
        "contributors: [{name: " + repr(rng.choice(vocab[len(TOPICS):])) + ", place: " + rng.choice(PLACES) + "}]",
        "outlet: Wire", "---", "", "",
    ]
    return "\n".join(front) + "\n\n".join(body) + "\n"


def generate(folder: Path, count: int, seed: int = 7) -> None:
    """`count` content pages under folder/content/, deterministic for a given seed."""
    rng = random.Random(seed)
    vocab = tag_vocabulary(rng, max(200, count // 5))
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(vocab))]  # Zipf-like: a few big tags, a long tail
    content = folder / "content"
    shutil.rmtree(content, ignore_errors=True)
    n = 0
    seed_no = 0
    while n < count:
        sections = min(count - n, rng.choice([1, 1, 1, 2, 3, 5]))  # most seeds are one story, some several
        stem = f"{seed_no:06d}"
        (content / stem).mkdir(parents=True, exist_ok=True)
        for section in range(sections):
            text = brief_page(rng, n, vocab, weights, f"{stem}.txt", section)
            (content / stem / f"{section + 1:02d}-brief-{n}.md").write_text(text, encoding="utf-8")
            n += 1
        seed_no += 1
    (folder / "seeds").mkdir(exist_ok=True)
    (folder / "pyproject.toml").write_text('[tool.briefs]\ntitle = "Bench"\nbase_url = "https://example.org/"\n')


# ---------------------------------------------------------------- measuring


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    summary: str


def build(folder: Path, *extra: str) -> Run:
    """One `build.py render` in a child process; its peak RSS from wait4 (the largest of its process tree)."""
    args = [sys.executable, str(REPO / "build.py"), "render", "--root", str(folder), "--now", NOW, *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "CI": "1"})
    output = proc.stdout.read().decode() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}):\n{output}")
    summary = next((line for line in reversed(output.splitlines()) if line.startswith("built ")), "")
    return Run(seconds, usage.ru_maxrss / 1024, summary)


def snapshot(site: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()}


def rendered_of(summary: str) -> str:
    found = re.search(r"(\d+) rendered", summary)
    return found.group(1) if found else "?"


def copy_time(site: Path) -> float:
    """How long the machine takes just to copy the built site on the same disk: the floor under any
    build's writing (on a throttled or busy virtual disk it can be seconds, and it moves from run to run)."""
    copy = site.with_name("site-copy")
    shutil.rmtree(copy, ignore_errors=True)
    started = time.perf_counter()
    shutil.copytree(site, copy)
    seconds = time.perf_counter() - started
    shutil.rmtree(copy, ignore_errors=True)
    return seconds


def measure(count: int, runs: int, keep: Path | None, check: bool, search: bool, where: str | None = None) -> dict[str, str]:
    folder = keep or Path(tempfile.mkdtemp(prefix=f"briefs-bench-{count}-", dir=where))
    started = time.perf_counter()
    generate(folder, count)
    print(f"N={count}: generated in {time.perf_counter() - started:.1f} s at {folder}", file=sys.stderr)
    extra = (() if check else ("--no-check",)) + (() if search else ("--no-search",))
    cold, noop, edit = [], [], []
    for _ in range(runs):
        shutil.rmtree(folder / "site", ignore_errors=True)
        shutil.rmtree(folder / ".briefs-cache", ignore_errors=True)
        cold.append(build(folder, *extra))
        print(f"  cold {cold[-1].seconds:.2f} s, {cold[-1].max_rss_mb:.0f} MB: {cold[-1].summary}", file=sys.stderr)
    writes = 0
    for _ in range(runs):
        before = snapshot(folder / "site")
        noop.append(build(folder, *extra))
        writes += sum(1 for k, v in snapshot(folder / "site").items() if before.get(k) != v)
        print(f"  no-op {noop[-1].seconds:.2f} s: {noop[-1].summary}", file=sys.stderr)
    copying = statistics.median(copy_time(folder / "site") for _ in range(runs))
    target = sorted((folder / "content").rglob("*.md"))[count // 2]
    original = target.read_text(encoding="utf-8")
    for i in range(runs):
        target.write_text(original + f"\nAn editor's correction, number {i}.\n", encoding="utf-8")
        edit.append(build(folder, *extra))
        print(f"  edit {edit[-1].seconds:.2f} s: {edit[-1].summary}", file=sys.stderr)
    target.write_text(original, encoding="utf-8")
    pages = int(re.search(r"built (\d+)", cold[0].summary).group(1)) if cold[0].summary.startswith("built ") else 0
    med = lambda rs: statistics.median(r.seconds for r in rs)  # noqa: E731
    if keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "briefs": f"{count:,}", "pages": f"{pages:,}", "cold": f"{med(cold):.2f} s",
        "pages/s": f"{pages / med(cold):,.0f}", "peak memory": f"{max(r.max_rss_mb for r in cold):.0f} MB",
        "no-op": f"{med(noop):.2f} s", "no-op writes": str(writes),
        "one edit": f"{med(edit):.2f} s", "re-rendered": rendered_of(edit[-1].summary),
        "edit memory": f"{max(r.max_rss_mb for r in edit):.0f} MB", "copying the site": f"{copying:.2f} s",
    }


def ingest_speed(runs: int, megabytes: float = 5.0) -> str:
    """MB/s of seed text through decode + ingest on one core, on bench/ingest_speed.py's generated seed
    (real seeds with varied names and numbers, so per-paragraph caching cannot flatter it)."""
    sys.path.insert(0, str(REPO / "bench"))
    from ingest_speed import generate, measure, measure_each, real_seeds

    logging.getLogger("briefs").setLevel(logging.ERROR)  # the seed's own warnings are not the benchmark's output

    data = generate(megabytes)
    speed, _, _ = measure(data, runs)
    seeds = real_seeds()
    return (f"{speed:.1f} MB/s on a {len(data) / 1e6:.1f} MB seed of varied real-seed text, "
            f"{measure_each(seeds, runs):.1f} MB/s on the repo's {len(seeds)} real seeds one by one (bench/ingest_speed.py)")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def table(rows: list[dict[str, str]]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(row[k] for k in keys) + " |" for row in rows]
    return "\n".join(lines)


def update_readme(text: str) -> None:
    readme = REPO / "README.md"
    content = readme.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in content:
        raise SystemExit("README.md has no <!-- bench:start --> marker in its Performance section")
    head, rest = content.split(start, 1)
    readme.write_text(head + start + "\n" + text + "\n" + end + rest.split(end, 1)[1], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--huge", action="store_true", help="also 100,000 briefs (a few minutes)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="keep the site check on (it reads every page)")
    parser.add_argument("--search", action="store_true", help="keep the Pagefind search index on")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it (one size only)")
    parser.add_argument("--dir", help="make the benchmark folders here (e.g. /dev/shm, to take the disk out of the figures)")
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args()
    sizes = args.sizes + ([100_000] if args.huge else [])
    rows = [measure(n, args.runs, args.keep, args.check, args.search, args.dir) for n in sizes]
    check = ("with" if args.check else "without") + " the site check, " + ("with" if args.search else "without")
    text = (f"{table(rows)}\n\nMedians of {args.runs} runs of `build.py render` ({check} the Pagefind index), "
            f"{dt.date.today().isoformat()}, on {machine()}, in {args.dir or tempfile.gettempdir()}.\n"
            f"Ingest: {ingest_speed(args.runs)}.")
    print(text)
    if args.update_readme:
        update_readme(text)


if __name__ == "__main__":
    main()
