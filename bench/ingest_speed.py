"""Ingest throughput: MB/s of seed text through decode + ingest on one core (median of 3).

The seed is generated: the shipped seed and the outlet fixtures in tests/fixtures/seeds/,
repeated to the wanted size with varied names (so the taxonomy and name matching see many
distinct entities, as a real archive would), all run together into one file. About half of its
paragraphs still repeat one seen before (those without a number or a swapped name), and ingest
analyses a repeated text once; so the second figure, every real seed of the repo (the shipped one and
the 49 outlet fixtures) ingested one by one as a newsroom drops them, is the plainer one.

    python bench/ingest_speed.py            # 10 MB
    python bench/ingest_speed.py --mb 2 --profile   # also print the top of a cProfile
    python bench/ingest_speed.py --mb 2 --archive 600   # also 600 seed files, on one core and on all
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefs.ingest import decode_seed, ingest_text  # noqa: E402

FIRST = ["Anna", "Pavel", "Maria", "Jonas", "Leila", "Tomasz", "Aiko", "Kwame", "Sofia", "Diego"]
LAST = ["Kowalski", "Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Petrenko", "Silva", "Novak"]
PLACES = ["Kharkiv", "Gdansk", "Tampere", "Porto", "Lyon", "Haifa", "Osaka", "Accra", "Quito", "Leeds"]


def generate(megabytes: float, seed: int = 7) -> bytes:
    """Deterministic seed text of about `megabytes` MB built from the repo's real seeds.

    Each copy swaps numbers and about a third of the mid-sentence names for others, so nearly
    every paragraph is new (per-paragraph caching must not flatter the figure) and the name
    matching sees many distinct entities, as in a real archive.
    """
    rnd = random.Random(seed)
    sources = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    sources += [p.read_text(encoding="utf-8") for p in sorted((REPO / "tests/fixtures/seeds").glob("*.txt"))]
    names = [f"{f} {s}" for f in FIRST for s in LAST] + PLACES + LAST

    def number(m: re.Match[str]) -> str:
        return str(rnd.randrange(2, 10 ** len(m.group())))

    def name(m: re.Match[str]) -> str:
        return rnd.choice(names) if rnd.random() < 0.35 else m.group()

    parts: list[str] = []
    size = 0
    while size < megabytes * 1e6:
        text = _NUMBER.sub(number, rnd.choice(sources))
        text = _NAME.sub(name, text)
        parts.append(text)
        size += len(text.encode())
    return "\n\n".join(parts).encode()


_NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?![\d,.:])")
_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{3,}(?: [A-Z][a-z]{3,})?")


def measure(data: bytes, runs: int) -> tuple[float, int, list[float]]:
    """MB/s (median of `runs`), stories found, and each run's seconds: decode + ingest on one core."""
    times, stories = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        text, _ = decode_seed(data, "bench.txt")
        stories = len(ingest_text(text, "bench.txt", fallback_date=dt.date(2024, 1, 1)).briefs)
        times.append(time.perf_counter() - started)
    return len(data) / 1e6 / statistics.median(times), stories, times


def pipeline_cores() -> str:
    from briefs.output import usable_cores

    return f"{usable_cores()} cores"


def real_seeds() -> list[tuple[str, bytes]]:
    """Every real seed of the repo, by name: the shipped ones and the outlet fixtures."""
    paths = sorted((REPO / "seeds").glob("*.txt")) + sorted((REPO / "tests/fixtures").rglob("*.txt"))
    return [(p.name, p.read_bytes()) for p in paths]


def measure_each(seeds: list[tuple[str, bytes]], runs: int) -> float:
    """MB/s (median of `runs`) of ingesting each seed on its own, one after another, on one core."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for name, data in seeds:
            ingest_text(decode_seed(data, name)[0], name, fallback_date=dt.date(2024, 1, 1))
        times.append(time.perf_counter() - started)
    return sum(len(data) for _, data in seeds) / 1e6 / statistics.median(times)


def measure_archive(count: int, runs: int, seed: int = 3) -> tuple[float, float, float]:
    """An archive of `count` seed files (the repo's real seeds with their numbers varied) through
    `build.py ingest --force`'s reading step, one process and then every core: (MB, seconds on one
    core, seconds on all; medians of `runs`). The pages are made but not written."""
    from briefs import pipeline
    from briefs.config import load_config

    rnd = random.Random(seed)
    sources = [data.decode("utf-8") for _, data in real_seeds()]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        todo = []
        for n in range(count):
            text = _NUMBER.sub(lambda m: str(rnd.randrange(2, 10 ** len(m.group()))), rnd.choice(sources))
            path = root / f"s{n:05d}.txt"
            path.write_text(text, encoding="utf-8")
            todo.append((path, text.encode()))
        cfg = load_config(root, {})
        limit = pipeline.INGEST_POOL_SEEDS
        timings = {}
        try:
            for mode, pool_from in (("one", 10 ** 9), ("all", limit)):
                pipeline.INGEST_POOL_SEEDS = pool_from
                runs_taken = []
                for _ in range(runs):
                    started = time.perf_counter()
                    pipeline._read_seeds(cfg, todo)
                    runs_taken.append(time.perf_counter() - started)
                timings[mode] = statistics.median(runs_taken)
        finally:
            pipeline.INGEST_POOL_SEEDS = limit
    return sum(len(d) for _, d in todo) / 1e6, timings["one"], timings["all"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of the generated seed in MB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print the 25 costliest functions")
    parser.add_argument("--archive", type=int, default=0, metavar="N",
                        help="also read an archive of N seed files on one core and on every core")
    args = parser.parse_args()
    data = generate(args.mb)
    speed, stories, times = measure(data, args.runs)
    print(f"ingest: {speed:.2f} MB/s on a {len(data) / 1e6:.1f} MB seed "
          f"({stories} stories; runs {', '.join(f'{t:.2f}s' for t in times)})")
    seeds = real_seeds()
    print(f"ingest: {measure_each(seeds, args.runs):.2f} MB/s on the repo's {len(seeds)} real seeds, one by one "
          f"({sum(len(d) for _, d in seeds) / 1e6:.2f} MB)")
    if args.archive:
        mb, one, every = measure_archive(args.archive, args.runs)
        print(f"archive of {args.archive} seeds ({mb:.1f} MB) to pages: {one:.2f} s on one core, {every:.2f} s on "
              f"{pipeline_cores()} ({one / every:.2f}x)")
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(lambda: ingest_text(decode_seed(data, "bench.txt")[0], "bench.txt",
                                         fallback_date=dt.date(2024, 1, 1)))
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
