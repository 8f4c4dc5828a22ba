"""The site check reads only what changed, and still finds exactly what a full check finds.

`check_site(folder, cfg, memo, keys)` remembers the last checked tree (check.CheckMemo); these tests
hold it to the full check over random edit sequences, and to the two cases a naive memo misses: a
page that is not re-read whose link target disappears, and a fragment removed from a target page.
"""

from __future__ import annotations

import itertools
import os
import random
import shutil
from pathlib import Path

import pytest

from briefs import check, pipeline, publish
from briefs.check import CheckMemo, _Site, check_site
from briefs.config import load_config
from briefs.errors import CheckError
from briefs.pipeline import render

from conftest import NOW, tree



def full(folder: Path, cfg) -> list[str]:
    return [str(p) for p in check_site(folder, cfg).problems]


def incremental(folder: Path, cfg, memo: CheckMemo) -> list[str]:
    return [str(p) for p in check_site(folder, cfg, memo).problems]


# ---------------------------------------------------------------- where a reference points


def plain_resolution(site: _Site, from_rel: str, ref: str) -> tuple[str, tuple[str, ...], str]:
    """The resolution by the book: join with the page's own URL, every time (no memo by folder)."""
    return site._locate(from_rel, ref)


@pytest.mark.parametrize("base_url", ["", "https://example.org/news/"])
def test_memoised_resolution_equals_joining_with_each_page(tmp_path: Path, base_url: str) -> None:
    site = _Site(tmp_path, load_config(tmp_path, {"base_url": base_url} if base_url else {}))
    pages = ["index.html", "a/index.html", "a/b/index.html", "404.html", "a b/i.html", "a%20/x.html", "a#b/c.html",
             "київ/index.html", "a:b/c.html"]
    parts = ["../", "..", ".", "#m", "?", " ", "\t", "x", "/", "%2e", "\\", "//h/", "https://example.org/", ":", "~"]
    refs = ["".join(combo) for k in range(4) for combo in itertools.product(parts, repeat=k)]
    for page in pages:
        for ref in refs:
            assert site.locate(page, ref) == plain_resolution(site, page, ref), (page, ref)


# ---------------------------------------------------------------- random trees


NAMES = ["index.html", "a/index.html", "b/index.html", "b/c/index.html", "d.html", "style.css", "sitemap.xml", "logo.png"]


def write_tree(folder: Path, rng: random.Random, name: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    up = "../" * name.count("/")
    if name.endswith(".html"):
        links = []
        for _ in range(rng.randint(0, 4)):
            target = rng.choice(["", "a/", "b/", "b/c/", "d.html", "gone/", "logo.png", "b/c/index.html"])
            fragment = rng.choice(["", "", "#one", "#two", "#main"])
            links.append(f'<a href="{up}{target}{fragment}">x</a>')
        ids = " ".join(f'<p id="{i}">i</p>' for i in rng.sample(["one", "two"], rng.randint(0, 2)))
        canonical = rng.choice(["a/", "b/", name.removesuffix("index.html")])
        title = rng.choice(["<title>t</title>", "<title>t</title>", ""])
        path.write_text(f'<!doctype html><html lang="en"><head>{title}<link rel="canonical" href="https://example.org/{canonical}">'
                        f'<link rel="stylesheet" href="{up}style.css"></head><body><main id="main"><h1>h</h1>{ids}'
                        f'{"".join(links)}</main></body></html>')
    elif name.endswith(".css"):
        path.write_text(f"body {{ background: url({rng.choice(['logo.png', 'gone.png'])}) }}")
    elif name.endswith(".xml"):
        locs = "".join(f"<url><loc>https://example.org/{rng.choice(['a/', 'b/', 'gone/'])}</loc></url>" for _ in range(2))
        path.write_text(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>')
    else:
        path.write_bytes(bytes([rng.randrange(256)]))


def test_incremental_check_equals_full_check_over_random_edits(tmp_path: Path) -> None:
    cfg = load_config(tmp_path, {"base_url": "https://example.org/"})
    site, memo = tmp_path / "site", CheckMemo(tmp_path / "memo.sqlite", "test")
    rng = random.Random(7)
    for name in NAMES:
        write_tree(site, rng, name)
    found_any = False
    for step in range(60):
        for _ in range(rng.randint(1, 3)):
            name = rng.choice(NAMES)
            if rng.random() < 0.25 and (site / name).exists():
                (site / name).unlink()
            else:
                write_tree(site, rng, name)
        expected = full(site, cfg)
        assert incremental(site, cfg, memo) == expected, f"step {step}"
        found_any |= any("broken fragment" in p for p in expected) and any("broken link" in p for p in expected)
    assert found_any  # the walk did exercise both kinds of dependency


def test_unchanged_page_whose_target_disappears_is_reported(tmp_path: Path) -> None:
    cfg = load_config(tmp_path, {})
    site, memo = tmp_path / "site", CheckMemo(tmp_path / "memo.sqlite", "test")
    page = '<!doctype html><html lang="en"><head><title>t</title></head><body><h1 id="{id}">h</h1>{body}</body></html>'
    (site / "target").mkdir(parents=True)
    (site / "index.html").write_text(page.format(id="top", body='<a href="target/">a</a> <a href="other.html#sec">b</a>'))
    (site / "target" / "index.html").write_text(page.format(id="x", body=""))
    (site / "other.html").write_text(page.format(id="sec", body=""))
    assert incremental(site, cfg, memo) == []
    (site / "target" / "index.html").unlink()
    (site / "other.html").write_text(page.format(id="renamed", body=""))
    expected = full(site, cfg)
    assert expected == ['index.html: broken fragment: other.html has no id "sec" (<a href="other.html#sec">)',
                        'index.html: broken link: no such file in the site (<a href="target/">)']
    read: list[str] = []
    original = check._page_facts
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(check, "_page_facts", lambda rel, *a: read.append(rel) or original(rel, *a))
        assert incremental(site, cfg, memo) == expected
    assert sorted(read) == ["index.html", "other.html"]  # the changed page, and the one whose links it affects
    read.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(check, "_page_facts", lambda rel, *a: read.append(rel) or original(rel, *a))
        assert len(incremental(site, cfg, memo)) == 2  # nothing changed: nothing read, the same problems
    assert read == []


def test_stale_or_corrupt_memo_means_a_full_check(tmp_path: Path) -> None:
    cfg = load_config(tmp_path, {})
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<!doctype html><html lang="en"><head><title>t</title></head><body><h1>h</h1>'
                                     '<a href="x/">x</a></body></html>')
    path = tmp_path / "memo.sqlite"
    assert incremental(site, cfg, CheckMemo(path, "v1")) == full(site, cfg)
    assert incremental(site, cfg, CheckMemo(path, "v2")) == full(site, cfg)  # another version: starts afresh
    path.write_bytes(b"not a database" * 100)
    assert incremental(site, cfg, CheckMemo(path, "v2")) == full(site, cfg)


# ---------------------------------------------------------------- in the build


def test_build_checks_only_what_changed_and_still_fails_on_a_broken_link(project: Path, write_page) -> None:
    for n in range(6):
        write_page(f"b/{n}.md", f"Brief number {n}", f"2024-03-{n + 1:02d}", tags="[Kyiv]")
    static = project / "layouts" / "static"
    static.mkdir(parents=True)
    (static / "about.html").write_text('<!doctype html><html lang="en"><head><title>About</title></head><body><h1>About</h1>'
                                       '<a href="brief-number-3/#main">three</a></body></html>')
    cfg = load_config(project, {"now": NOW, "search": False})
    render(cfg)
    read: list[str] = []
    original = check._page_facts
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(check, "_page_facts", lambda rel, *a: read.append(rel) or original(rel, *a))
        (project / "content" / "b" / "1.md").write_text((project / "content" / "b" / "1.md").read_text() + "\nMore.\n")
        report = render(cfg)
        assert set(read) == {rel for rel in report.rendered if rel.endswith(".html")}  # what was rendered, no more
        assert "brief-number-1/index.html" in read and "about.html" not in read and report.reused > 0
        read.clear()
        before = tree(project / "site")
        (project / "content" / "b" / "3.md").unlink()
        with pytest.raises(CheckError) as caught:
            render(cfg)
    assert 'about.html: broken link: no such file in the site (<a href="brief-number-3/#main">)' in caught.value.problems
    assert "about.html" in read  # not changed, but its link target went
    after = tree(project / "site")
    assert after == before  # the failed build left the site as it was
    shutil.rmtree(project / ".briefs-cache")
    with pytest.raises(CheckError) as again:
        render(cfg)  # a build without any memory finds the same
    assert again.value.problems == caught.value.problems


def children() -> set[int]:
    """Processes whose parent is this one (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_stale_trees_are_deleted_in_process(project: Path, write_page) -> None:
    for n in range(3):
        write_page(f"b/{n}.md", f"Brief {n}", f"2024-03-{n + 1:02d}")
    cfg = load_config(project, {"now": NOW, "search": False, "check": False})
    render(cfg)
    write_page("b/9.md", "Another", "2024-03-09")
    render(cfg)  # the first site becomes the cache's previous-site
    assert (project / ".briefs-cache" / "previous-site").is_dir()
    before = children()
    render(load_config(project, {"now": NOW, "search": False, "check": False, "cache": False}))
    assert not (project / ".briefs-cache" / "previous-site").exists()
    assert not (project / ".briefs-cache" / "trash").exists()  # deleted before the build returned
    assert children() <= before  # and no remover left running


# ---------------------------------------------------------------- the search bundle


@pytest.mark.search
@pytest.mark.skipif(publish.find_pagefind() is None, reason="needs the Pagefind binary (pip install 'pagefind[bin]')")
def test_search_bundle_is_kept_until_a_page_it_reads_changes(project: Path, write_page, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(4):
        write_page(f"b/{n}.md", f"Brief {n}", f"2024-03-{n + 1:02d}", f"Word{n} here.", tags="[Kyiv]")
    cfg = load_config(project, {"now": NOW})
    render(cfg)
    bundle = project / "site" / "pagefind"
    before = {p.relative_to(bundle): p.stat().st_ino for p in bundle.rglob("*") if p.is_file()}
    runs: list[Path] = []
    original = pipeline.index_search
    monkeypatch.setattr(pipeline, "index_search", lambda folder, *args: runs.append(folder) or original(folder, *args))
    (project / "layouts").mkdir()
    (project / "layouts" / "tag.html").write_text((Path(publish.__file__).parent / "layouts" / "tag.html").read_text() + "\n")
    report = render(cfg)  # a layout changed: every page is rendered again, but only tag pages change their bytes
    assert "brief-1/index.html" in report.rendered
    assert runs == []  # Pagefind reads only brief pages: their bytes are the same, so is the bundle
    assert {p.relative_to(bundle): p.stat().st_ino for p in bundle.rglob("*") if p.is_file()} == before  # the very files
    write_page("b/1.md", "Brief 1", "2024-03-02", "Another word.", tags="[Kyiv]")
    render(cfg)
    assert len(runs) == 1
    (project / "layouts" / "tag.html").write_text('{% extends "base.html" %}{% block content %}<h1 data-pagefind-body>'
                                                  '{{ tag.name }}</h1>{% endblock %}')
    render(cfg)  # tag pages now marked for the index: their change re-indexes
    assert len(runs) == 2


def test_bodies_spilled_to_the_cache_during_a_pooled_build_give_the_same_site(project: Path, write_page,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A large cold build writes converted bodies to the cache as they come (bounded memory); the
    feeds, rendered after, read them back from there."""
    from briefs import cache, output

    for n in range(12):
        write_page(f"b/{n}.md", f"Brief {n}", f"2024-03-{n + 1:02d}", f"Body *{n}* here.", tags="[Kyiv, Energy]")
    monkeypatch.setattr(output, "POOL_MIN", 1)
    monkeypatch.setattr(cache, "SPILL", 3)
    monkeypatch.setattr("briefs.pipeline.AHEAD_MIN", 1)  # some bodies converted while the build plans,
    monkeypatch.setattr("briefs.pipeline.AHEAD_CHUNK", 2)  # straight into the cache
    monkeypatch.setattr("briefs.pipeline.usable_cores", lambda: 2)
    monkeypatch.setattr("briefs.check.POOL_MIN", 1)  # the site check parses the pages on every core too
    monkeypatch.setattr("briefs.check.usable_cores", lambda: 2)
    render(load_config(project, {"now": NOW, "search": False, "base_url": "https://example.org/"}))
    spilled = tree(project / "site")
    shutil.rmtree(project / "site")
    render(load_config(project, {"now": NOW, "search": False, "base_url": "https://example.org/", "cache": False}))
    clean = tree(project / "site")
    assert spilled == clean and any(rel.endswith("feed.xml") for rel in clean)
