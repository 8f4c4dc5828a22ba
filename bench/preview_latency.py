#!/usr/bin/env python3
"""Benchmark: how long a one-file edit takes to show in an open browser page under `serve`.

    python bench/preview_latency.py               # the shipped seed, 9 edits
    python bench/preview_latency.py --edits 20 --log   # with the server's log

Copies seeds/ into a temporary project, runs `python build.py serve --port 0` on it, opens a
brief in headless Chromium (Debian's /usr/bin/chromium via Playwright), then, for each edit,
rewrites the title of that brief's content page and times from just before the write until the
open page shows the new title (watcher debounce + rebuild + Server-Sent Event + page reload).
Prints each time and the median. It is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import frontmatter
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=9, help="how many edits to time (default: 9)")
    parser.add_argument("--log", action="store_true", help="show the server's log (each rebuild's time)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefs-preview-") as folder:
        root = Path(folder)
        shutil.copytree(REPO / "seeds", root / "seeds")
        shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
        server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--port", "0"],
                                  stdout=subprocess.PIPE, stderr=None if args.log else subprocess.DEVNULL, text=True)
        try:
            assert server.stdout is not None
            url = server.stdout.readline().split()[1]
            source = sorted((root / "content").rglob("*.md"))[0]
            post = frontmatter.loads(source.read_text(encoding="utf-8"))
            times = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page()
                page.goto(f"{url}{post['slug']}/")
                for n in range(args.edits):
                    post["title"] = f"Edited title number {n}"
                    text = frontmatter.dumps(post) + "\n"
                    started = time.perf_counter()
                    source.write_text(text, encoding="utf-8")
                    page.wait_for_function("t => document.querySelector('h1')?.textContent === t",
                                           arg=post["title"], polling="raf", timeout=30_000)
                    times.append(time.perf_counter() - started)
                    print(f"edit {n + 1}: {times[-1] * 1000:.0f} ms", flush=True)
                    time.sleep(0.3)  # let the page settle, as between an editor's saves
                browser.close()
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
    print(f"median of {len(times)}: {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
