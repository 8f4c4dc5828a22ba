"""The site as a reader sees it: headless Chromium against a real `python build.py serve` process.

Debian's Chromium (`apt-get install chromium`), driven by Playwright; no browser is downloaded.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urljoin

import frontmatter
import pytest

from conftest import REPO

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = REPO / "tests" / "artifacts"
EVENTS = "/__briefs__/events"
RELOAD_TIMEOUT_MS = 3000  # the promise: an edit shows in the open page within 3 s

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is missing: pip install -e '.[test]'")
if not CHROMIUM.is_file():
    pytest.skip(f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium` to run the browser tests",
                allow_module_level=True)
expect = sync_api.expect


@dataclass
class Served:
    """A running `build.py serve` on a copy of the shipped seed."""

    url: str
    root: Path
    process: subprocess.Popen[str]
    log: Path

    def content_pages(self) -> list[Path]:
        return sorted((self.root / "content").rglob("*.md"))


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("preview")
    shutil.copytree(REPO / "seeds", root / "seeds")
    # the shipped seed holds four briefs: three a page gives the index a page 2
    (root / "pyproject.toml").write_text('[tool.briefs]\ntitle = "Briefs"\npage_size = 3\n', encoding="utf-8")
    log = root / "serve.log"
    with log.open("w", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--port", "0"],
            stdout=subprocess.PIPE, stderr=errors, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("serving "):
        process.kill()
        pytest.fail(f"serve did not start: {line}{log.read_text(encoding='utf-8')}")
    yield Served(line.split()[1], root, process, log)
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page plus everything that went wrong while it was open."""

    page: Any
    problems: list[str] = field(default_factory=list)


@pytest.fixture
def tab(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = Watched(context.new_page())

    def failed(request: Any) -> None:
        if EVENTS not in request.url:  # the reload stream is cut on every navigation, by design
            watched.problems.append(f"request failed: {request.url} {request.failure}")

    def console(message: Any) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            watched.problems.append(f"console error: {message.text} at {message.location.get('url')}")  # a site
            # without a favicon is fine: Chromium probes /favicon.ico on its own

    def response(reply: Any) -> None:
        if reply.status >= 400:
            watched.problems.append(f"HTTP {reply.status}: {reply.url}")

    watched.page.on("console", console)
    watched.page.on("pageerror", lambda error: watched.problems.append(f"page error: {error}"))
    watched.page.on("requestfailed", failed)
    watched.page.on("response", response)
    yield watched
    context.close()


def test_read_the_site_by_following_links(served: Served, tab: Watched) -> None:
    page = tab.page
    page.goto(served.url)
    expect(page.locator("h1")).to_have_text("Latest briefs")
    items = page.locator("main article.brief-item h2 a")
    expect(items).to_have_count(3)
    title = items.first.inner_text()
    items.first.click()
    expect(page.locator("h1")).to_have_text(title)
    assert page.url.startswith(served.url) and page.url.endswith("/")

    tag = page.locator("article.brief ul.tags a").first
    tag_name = tag.inner_text()
    tag.click()
    expect(page.locator("h1")).to_have_text(f"Tagged “{tag_name}”")
    expect(page.locator("main article.brief-item h2 a", has_text=title)).to_have_count(1)

    page.get_by_role("navigation", name="Site").get_by_role("link", name="Latest").click()
    expect(page.locator("h1")).to_have_text("Latest briefs")
    page.locator("nav.pager a[rel=next]").click()
    expect(page.locator("h1")).to_have_text("Latest briefs, page 2")
    expect(page.locator("main article.brief-item")).to_have_count(1)
    expect(page.locator("nav.pager a[rel=prev]")).to_have_attribute("href", "../../")
    assert tab.problems == []


def test_edits_reload_the_open_page_and_errors_show_then_clear(served: Served, tab: Watched) -> None:
    source = served.content_pages()[0]
    original = source.read_text(encoding="utf-8")
    post = frontmatter.loads(original)
    page = tab.page
    page.goto(served.url + f"{post['slug']}/")
    expect(page.locator("h1")).to_have_text(post["title"])
    try:
        post["title"], title = "Edited while open", post["title"]
        source.write_text(frontmatter.dumps(post) + "\n", encoding="utf-8")
        expect(page.locator("h1")).to_have_text("Edited while open", timeout=RELOAD_TIMEOUT_MS)

        source.write_text(original.replace("title: ", "title: [unclosed ", 1), encoding="utf-8")
        expect(page.locator("h1")).to_have_text("Build error", timeout=RELOAD_TIMEOUT_MS)
        expect(page.locator("code.where")).to_contain_text(source.relative_to(served.root).as_posix())

        source.write_text(original, encoding="utf-8")
        expect(page.locator("h1")).to_have_text(title, timeout=RELOAD_TIMEOUT_MS)
    finally:
        source.write_text(original, encoding="utf-8")
    assert "Traceback" not in served.log.read_text(encoding="utf-8")


def _pages(served: Served, page: Any) -> dict[str, str]:
    """index, a brief, a tag page, search and a missing page, as URLs."""
    post = frontmatter.loads(served.content_pages()[0].read_text(encoding="utf-8"))
    page.goto(served.url + f"{post['slug']}/")
    tag_href = page.locator("article.brief ul.tags a").first.get_attribute("href")
    return {"index": served.url, "brief": served.url + f"{post['slug']}/", "tag": urljoin(page.url, tag_href),
            "search": served.url + "search/", "404": served.url + "no-such-page/"}


@pytest.mark.parametrize("name", ["index", "brief", "tag", "search", "404"])
def test_no_serious_accessibility_violations(served: Served, tab: Watched, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = tab.page
    url = _pages(served, page)[name]
    response = page.goto(url)
    assert response is not None
    if name == "search":
        if response.status == 404:
            pytest.skip("no /search/ page in this build (search is switched off or not built)")
        expect(page.locator(".pagefind-ui")).to_be_visible()
    else:
        assert response.status == (404 if name == "404" else 200)
    violations = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert violations == [], "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}" for v in violations)


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_and_no_sideways_scrolling(served: Served, tab: Watched, width: int) -> None:
    page = tab.page
    urls = _pages(served, page)
    page.set_viewport_size({"width": width, "height": 900})
    ARTIFACTS.mkdir(exist_ok=True)
    for name in ("index", "brief"):
        page.goto(urls[name])
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"


@pytest.mark.search
def test_search_finds_briefs_in_every_bundle_of_a_split_index(project: Path, write_page, run_cli, tab: Watched,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A large site's index comes in several bundles (here 4 bundles for 8 briefs): the search page
    merges them, so a brief is found whichever bundle holds its words."""
    import functools
    import http.server
    import threading

    from briefs import publish, render

    if publish.find_pagefind() is None:
        pytest.skip("needs the Pagefind binary (pip install 'pagefind[bin]')")
    monkeypatch.setattr(render, "SEARCH_SHARD_PAGES", 2)
    words = ["heron", "bison", "cheetah", "dingo", "eland", "fossa", "gibbon", "ibex"]
    for n, word in enumerate(words):
        write_page(f"s/{n}.md", f"Brief {n}", f"2024-03-{n + 1:02d}", f"The {word} was seen.", tags="[Zoo]")
    assert run_cli("render") == 0
    shards = {word: render.search_shard(f"brief-{n}/index.html", 4) for n, word in enumerate(words)}
    assert len(set(shards.values())) > 2
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(project / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = tab.page
        for word, shard in shards.items():
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={word}")
            link = page.locator(".pagefind-ui__result-link")
            expect(link).to_have_count(1, timeout=10_000)
            n = words.index(word)
            assert link.get_attribute("href") == f"/brief-{n}/", (word, shard)
    finally:
        server.shutdown()
    assert tab.problems == []
