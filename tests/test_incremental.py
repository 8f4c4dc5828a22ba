"""The build cache never changes what is built, only how much work it takes.

After any sequence of edits, renames, deletions, layout and settings changes, an incremental
build gives a site byte-identical to a clean build; a no-op rebuild touches no file; a one-brief
edit re-renders exactly the files that show that brief; a corrupt cache means a full, correct build.
"""

from __future__ import annotations

import os
import pickle
import random
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest

from briefs import output
from briefs.config import load_config
from briefs.errors import TemplateError
from briefs.pipeline import BuildReport, render

from conftest import NOW, page_text, parse_html, tree

SETTINGS = '[tool.briefs]\ntitle = "{title}"\nbase_url = "https://example.org/news/"\npage_size = {page_size}\nrelated_count = 2\n'
TAGS = ["Kyiv", "Kremlin", "Energy", "Elections", "Floods", "kyiv"]  # "kyiv" folds into "Kyiv"


def build(project: Path, **overrides) -> BuildReport:
    settings = {"now": NOW, "check": False, "search": False, **overrides}
    return render(load_config(project, settings))



def stamps(site: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.rglob("*")}


def clean_build(project: Path, scratch: Path) -> dict[str, bytes]:
    """The same inputs built from nothing in another folder, without any cache."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    for name in ("content", "layouts"):
        if (project / name).exists():
            shutil.copytree(project / name, scratch / name)
    shutil.copy(project / "pyproject.toml", scratch / "pyproject.toml")
    build(scratch, cache=False)
    return tree(scratch / "site")


def write_brief(project: Path, rel: str, rng: random.Random, n: int) -> None:
    tags = ", ".join(rng.sample(TAGS, rng.randint(1, 3)))
    seed = rng.choice(["", "seed: s1.txt\nsection: 1", "seed: s2.txt\nsection: 2"])
    fields = dict(line.split(": ", 1) for line in seed.splitlines())
    body = f"Paragraph {n} about *{rng.choice(TAGS)}*.\n\n" + "Words " * rng.randint(3, 30)
    path = project / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page_text(f"Brief {n} {rng.choice(['alpha', 'beta'])}", f"2024-03-{rng.randint(1, 28):02d}",
                              body, tags=f"[{tags}]", summary=f"Summary {rng.randint(0, 3)}", **fields), encoding="utf-8")


@pytest.fixture
def site_project(project: Path) -> Path:
    (project / "pyproject.toml").write_text(SETTINGS.format(title="News", page_size=3))
    rng = random.Random(1)
    for n in range(9):
        write_brief(project, f"b/{n:02d}.md", rng, n)
    return project


def test_random_edits_match_a_clean_build(site_project: Path, tmp_path: Path) -> None:
    project, rng = site_project, random.Random(20240601)
    build(project)
    counter = 100
    for step in range(36):
        pages = sorted((project / "content").rglob("*.md"))
        action = rng.choice(["edit", "edit", "body", "body", "updated", "add", "delete", "rename", "touch", "layout", "static",
                             "settings", "none"])
        if action == "body" and pages:  # the catalog stays as it was: only what shows the brief's text changes
            page = pages[rng.randrange(len(pages))]
            text = page.read_text(encoding="utf-8").replace("summary: Summary", f"summary: Summary {counter}", 1)
            page.write_text(text + f"\nA correction, number {counter}.\n", encoding="utf-8")
        elif action == "updated" and pages:  # the catalog stays too, but the sitemaps and feeds show the new time
            page = pages[rng.randrange(len(pages))]
            lines = [line for line in page.read_text(encoding="utf-8").split("\n") if not line.startswith("updated:")]
            lines.insert(2, f"updated: 2024-04-{counter % 28 + 1:02d}T{counter % 24:02d}:00:00+0{counter % 3}:00")
            page.write_text("\n".join(lines), encoding="utf-8")
        elif action == "edit" and pages:
            write_brief(project, pages[rng.randrange(len(pages))].relative_to(project / "content").as_posix(), rng, counter)
        elif action == "add":
            write_brief(project, f"new/{counter}.md", rng, counter)
        elif action == "delete" and len(pages) > 2:
            rng.choice(pages).unlink()
        elif action == "rename" and pages:
            rng.choice(pages).rename(project / "content" / f"renamed-{counter}.md")
        elif action == "touch" and pages:
            os.utime(rng.choice(pages))  # a new mtime, the same bytes
        elif action == "layout":
            (project / "layouts").mkdir(exist_ok=True)
            source = (Path(output.__file__).parent / "layouts" / "brief.html").read_text()
            (project / "layouts" / "brief.html").write_text(source.replace("<h1>", f"<h1 data-v='{counter}'>"))
        elif action == "static":
            (project / "layouts" / "static").mkdir(parents=True, exist_ok=True)
            (project / "layouts" / "static" / "style.css").write_text(f"body {{ margin: {counter}px }}\n")
        elif action == "settings":
            (project / "pyproject.toml").write_text(SETTINGS.format(title=f"News {counter}", page_size=rng.randint(2, 4)))
        counter += 1
        report = build(project)
        assert tree(project / "site") == clean_build(project, tmp_path / "clean"), f"step {step}: {action}"
        if action == "none":
            assert report.rendered == []


def test_no_op_rebuild_writes_nothing(site_project: Path) -> None:
    build(site_project)
    site = site_project / "site"
    before, folder = stamps(site), site.stat().st_ino
    report = build(site_project)
    assert report.rendered == [] and report.reused == report.pages > 0
    assert stamps(site) == before and site.stat().st_ino == folder
    os.utime(next((site_project / "content").rglob("*.md")))  # touched, not changed: still nothing to write
    assert build(site_project).rendered == []
    assert stamps(site) == before


def mentions(site: Path, slug: str) -> set[str]:
    """Every file of the built site that links to /news/<slug>/, found by parsing it."""
    target = f"/news/{slug}/"
    found = set()
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            base = "https://example.org/news/" + rel
            hrefs = [a.get("href") for a in parse_html(path).iter("a")]
        elif path.suffix == ".xml" and "sitemap" not in path.name:
            base = "https://example.org/news/" + rel
            hrefs = [e.get("href") for e in ET.parse(path).iter("{http://www.w3.org/2005/Atom}link")]
        else:
            continue
        if any(h and urlsplit(urljoin(base, h)).path == target for h in hrefs):
            found.add(rel)
    return found


def test_one_edit_renders_exactly_the_pages_that_show_that_brief(site_project: Path) -> None:
    build(site_project)
    site = site_project / "site"
    page = site_project / "content" / "b" / "04.md"
    text = page.read_text()
    title = text.split("title: ", 1)[1].split("\n", 1)[0].strip("'\"")
    slug = "-".join(title.lower().split())
    assert (site / slug / "index.html").is_file()
    expected = mentions(site, slug) | {f"{slug}/index.html"}
    before = stamps(site)
    page.write_text(text.replace("Words", "Changed words", 1))
    report = build(site_project)
    assert set(report.rendered) == expected
    assert {"feed.xml", "sitemap.xml"} & expected == {"feed.xml"}  # in the feed; the sitemap shows no body
    after = stamps(site)
    changed = {rel for rel, stamp in after.items() if before.get(rel) != stamp and (site / rel).is_file()}
    assert changed == expected  # every other file kept its inode and mtime


def test_a_page_deleted_from_site_comes_back_on_the_next_edit(site_project: Path, tmp_path: Path) -> None:
    build(site_project)
    site = site_project / "site"
    page = site_project / "content" / "b" / "04.md"
    slug = "-".join(page.read_text().split("title: ", 1)[1].split("\n", 1)[0].strip("'\"").lower().split())
    lost = next(p for p in sorted(site.glob("*/index.html")) if p.parent.name not in (slug, "tags"))
    assert f"{lost.parent.name}/index.html" not in mentions(site, slug)  # a page the edit does not touch
    lost.unlink()  # by hand, behind the build's back: site/ is still the folder the cache knows
    page.write_text(page.read_text().replace("Words", "Changed words", 1))
    report = build(site_project)
    assert f"{lost.parent.name}/index.html" in report.rendered
    assert len(report.rendered) < report.pages  # the edit's quick path, not a full build
    assert tree(site) == clean_build(site_project, tmp_path / "clean")


def test_corrupt_or_foreign_cache_means_a_full_correct_build(site_project: Path, tmp_path: Path) -> None:
    build(site_project)
    cache = site_project / ".briefs-cache"
    (cache / "site.pickle").write_bytes(b"\x80\x05garbage")
    shards = sorted(cache.glob("pages-*.pickle"))
    assert shards  # the parsed pages really are cached, so ignoring them is what is tested
    for shard in shards:
        shard.write_bytes(pickle.dumps(("another version", {})))
    (cache / "bodies.sqlite").write_bytes(b"not a database" * 100)
    (site_project / "content" / "b" / "01.md").write_text(page_text("Fresh title", "2024-03-03", "New body."))
    again = build(site_project)
    assert len(again.rendered) == again.pages > 0
    assert tree(site_project / "site") == clean_build(site_project, tmp_path / "clean")


def test_site_replaced_behind_the_cache_is_rebuilt(site_project: Path, tmp_path: Path) -> None:
    build(site_project)
    shutil.rmtree(site_project / "site")
    (site_project / "site").mkdir()
    (site_project / "site" / "index.html").write_text("stale")
    report = build(site_project)
    assert len(report.rendered) == report.pages
    assert tree(site_project / "site") == clean_build(site_project, tmp_path / "clean")


def test_failed_build_keeps_site_and_next_build_is_correct(site_project: Path, tmp_path: Path) -> None:
    build(site_project)
    before = tree(site_project / "site")
    (site_project / "layouts").mkdir()
    (site_project / "layouts" / "brief.html").write_text("{% extends 'base.html' %}{% block content %}{{ nope }}{% endblock %}")
    (site_project / "content" / "b" / "02.md").write_text(page_text("Edited", "2024-03-05", "Edited body."))
    with pytest.raises(TemplateError):
        build(site_project)
    assert tree(site_project / "site") == before
    (site_project / "layouts" / "brief.html").unlink()
    build(site_project)
    assert tree(site_project / "site") == clean_build(site_project, tmp_path / "clean")


def test_worker_pools_give_the_same_bytes(site_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = clean_build(site_project, tmp_path / "clean")  # in this process: no pool
    monkeypatch.setattr(output, "POOL_MIN", 1)
    monkeypatch.setattr("briefs.pipeline.PARSE_POOL_MIN", 1)
    monkeypatch.setattr("briefs.pipeline.AHEAD_MIN", 1)  # bodies converted while the build plans
    monkeypatch.setattr("briefs.pipeline.usable_cores", lambda: 2)
    report = build(site_project)
    assert len(report.rendered) == report.pages
    assert tree(site_project / "site") == expected
    page = site_project / "content" / "b" / "03.md"  # the pages the workers parsed are cached as they are
    page.write_text(page.read_text().replace("Words", "Changed words", 1))
    monkeypatch.setattr(output, "POOL_MIN", 10 ** 6)
    assert 0 < len(build(site_project).rendered) < report.pages
    assert tree(site_project / "site") == clean_build(site_project, tmp_path / "clean")


def test_template_error_in_a_worker_names_the_layout_and_line(site_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "POOL_MIN", 1)
    monkeypatch.setattr("briefs.pipeline.usable_cores", lambda: 2)
    (site_project / "layouts").mkdir()
    (site_project / "layouts" / "brief.html").write_text("{% extends 'base.html' %}\n{% block content %}\n{{ nope }}{% endblock %}")
    with pytest.raises(TemplateError) as caught:
        build(site_project)
    assert caught.value.path and caught.value.path.endswith("brief.html") and caught.value.line == 3
    assert not (site_project / "site").exists()


def test_no_cache_builds_everything_and_forgets_the_cache(site_project: Path) -> None:
    build(site_project)
    report = build(site_project, cache=False)
    assert len(report.rendered) == report.pages
    assert not any((site_project / ".briefs-cache").glob("*.pickle"))


def test_body_store_sees_what_another_process_wrote(tmp_path: Path) -> None:
    from briefs.cache import SPILL, BodyStore

    store = BodyStore(tmp_path / "bodies.sqlite")
    assert not store.readable and store.get(b"a" * 16) is None  # a cold build: nothing to look up
    writer = BodyStore(tmp_path / "bodies.sqlite")  # the worker converting ahead has its own
    assert writer.store_now({b"a" * 16: "<p>a</p>"}) == 1
    store.refresh()
    assert store.stored == {b"a" * 16}
    assert store.get(b"a" * 16) == "<p>a</p>" and store.get(b"b" * 16) is None
    many = {n.to_bytes(16, "big"): f"<p>{n}</p>" for n in range(SPILL)}
    store.update(many)  # enough to go to the database at once: they must still be found there
    assert not store.new and store.get((7).to_bytes(16, "big")) == "<p>7</p>"
    assert BodyStore(tmp_path / "bodies.sqlite").get((7).to_bytes(16, "big")) == "<p>7</p>"


def test_compiled_layouts_are_kept_per_code_version(site_project: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from briefs import cache

    build(site_project)
    kept = site_project / ".briefs-cache" / "layouts"
    [first] = kept.iterdir()
    assert any(first.iterdir())  # the layouts this build compiled
    monkeypatch.setattr(cache, "code_version", lambda: "another-version-of-briefs")  # a new Briefs or Jinja2
    report = build(site_project)
    assert len(report.rendered) == report.pages  # everything rendered again…
    assert [p.name for p in kept.iterdir()] == ["another-version-of-briefs"[:16]]  # …from layouts compiled afresh
    assert tree(site_project / "site") == clean_build(site_project, tmp_path / "clean")


def test_a_compiled_layouts_folder_that_cannot_be_written_costs_nothing_but_time(
        site_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    def refuse(self: object, bucket: object) -> None:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", refuse)
    build(site_project)
    assert tree(site_project / "site") == clean_build(site_project, tmp_path / "clean")
