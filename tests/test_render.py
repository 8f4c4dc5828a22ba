"""End to end: build a small content folder into tmp_path and read the HTML back."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.render import INLINE_NEEDS, markdown_converter

from conftest import parse_html, text_of, tree


def internal_targets(site: Path) -> list[tuple[Path, str]]:
    """Every (page, href/src) pair that points inside the site."""
    pairs = []
    for page in sorted(site.rglob("*.html")):
        root = parse_html(page)
        for element in root.iter():
            for attr in ("href", "src"):
                value = element.get(attr)
                if value and not urlsplit(value).scheme and not value.startswith("#"):
                    pairs.append((page, value))
    return pairs


def resolve(site: Path, page: Path, href: str, base_path: str = "/") -> Path:
    page_url = "/" + page.relative_to(site).as_posix()
    if page.name == "404.html":
        page_url = base_path + "missing/deep/path"
    elif base_path != "/":
        page_url = base_path.rstrip("/") + page_url
    target = urlsplit(urljoin(page_url, href)).path
    assert target.startswith(base_path), f"{page}: {href} leaves {base_path}"
    rel = posixpath.normpath(target[len(base_path):]) if target != base_path else ""
    candidate = site / rel if rel not in ("", ".") else site
    return candidate / "index.html" if target.endswith("/") or candidate.is_dir() else candidate


@pytest.fixture
def small_site(project: Path, write_page, run_cli) -> Path:
    write_page("s1/01-first.md", "Kremlin warns US", "2024-03-01", "Para one.\n\n## A subhead\n\nPara two.",
               tags="[Kremlin, Ukraine]", seed="s1.txt", section=0, summary="The lead.",
               photo="{caption: 'A caption.', credit: 'Saul Loeb/Reuters'}",
               contributors="[{name: Olga Voitovych, place: Kyiv}]", outlet="CNN")
    write_page("s1/02-second.md", "Finland border", "2024-03-02", tags="[Finland, kremlin]", seed="s1.txt", section=1)
    for day in range(3, 15):
        write_page(f"other/{day:02d}.md", f"Filler brief {day}", f"2024-03-{day:02d}", tags="[Filler, Київ]")
    assert run_cli("render") == 0
    return project / "site"


def test_every_brief_and_listing_page_is_written(small_site: Path) -> None:
    for slug in ["kremlin-warns-us", "finland-border", *[f"filler-brief-{d}" for d in range(3, 15)]]:
        assert (small_site / slug / "index.html").is_file()
    assert (small_site / "page" / "2" / "index.html").is_file()
    assert not (small_site / "page" / "3").exists()  # 14 briefs, 10 a page
    assert (small_site / "tags" / "kiiv" / "index.html").is_file()
    assert (small_site / "404.html").is_file() and (small_site / "style.css").is_file()


def test_brief_page_structure(small_site: Path) -> None:
    root = parse_html(small_site / "kremlin-warns-us" / "index.html")
    assert root.get("lang") == "en"
    assert [text_of(h) for h in root.iter("h1")] == ["Kremlin warns US"]
    time = root.find(".//article//time")
    assert time.get("datetime") == "2024-03-01T00:00:00+00:00"
    assert text_of(root.find(".//p[@class='dek']")) == "The lead."
    figcaption = root.find(".//figure/figcaption")
    assert "A caption." in text_of(figcaption) and text_of(figcaption.find("span")) == "Saul Loeb/Reuters"
    assert "Olga Voitovych in Kyiv" in text_of(root.find(".//p[@class='contributors']"))
    assert [text_of(h) for h in root.iter("h2")][:1] == ["A subhead"]
    tags = root.find(".//ul[@class='tags']")
    assert [(a.get("href"), text_of(a)) for a in tags.iter("a")] == [("../tags/kremlin/", "Kremlin"), ("../tags/ukraine/", "Ukraine")]
    more = root.find(".//section[@class='more']")
    assert [a.get("href") for a in more.iter("a")] == ["../finland-border/"]
    assert root.find(".//main[@id='main']") is not None
    assert root.find(".//a[@class='skip-link']").get("href") == "#main"


def test_index_is_newest_first_and_paginated(small_site: Path) -> None:
    first = parse_html(small_site / "index.html")
    titles = [text_of(h) for h in first.iter("h2") if h.find("a") is not None]
    assert titles == [f"Filler brief {d}" for d in range(14, 4, -1)]
    second = parse_html(small_site / "page" / "2" / "index.html")
    assert [text_of(h) for h in second.iter("h2") if h.find("a") is not None] == [
        "Filler brief 4", "Filler brief 3", "Finland border", "Kremlin warns US"]
    assert second.find(".//a[@rel='prev']").get("href") == "../../"
    assert first.find(".//a[@rel='next']").get("href") == "page/2/"


def test_tag_pages_merge_spellings_and_count(small_site: Path) -> None:
    tag = parse_html(small_site / "tags" / "kremlin" / "index.html")
    assert [text_of(h) for h in tag.iter("h2") if h.find("a") is not None] == ["Finland border", "Kremlin warns US"]
    index = parse_html(small_site / "tags" / "index.html")
    entries = {text_of(li.find("a")): text_of(li.find("span")) for li in index.iter("li") if li.find("span") is not None}
    assert entries["Kremlin"] == "(2)" and entries["Київ"] == "(12)"
    assert (small_site / "tags" / "filler" / "page" / "2" / "index.html").is_file()


@pytest.mark.parametrize("base_url", ["", "https://example.org/", "https://example.org/news/"])
def test_every_internal_link_resolves(project: Path, write_page, run_cli, base_url: str) -> None:
    for day in range(1, 13):
        write_page(f"s/{day:02d}.md", f"Brief {day}", f"2024-03-{day:02d}", tags="[Alpha, Beta]", seed="s.txt", section=day)
    args = ["render"] + (["--base-url", base_url] if base_url else [])
    assert run_cli(*args) == 0
    site = project / "site"
    base_path = urlsplit(base_url).path or "/"
    pairs = internal_targets(site)
    assert len(pairs) > 100
    for page, href in pairs:
        assert resolve(site, page, href, base_path).is_file(), f"{page.relative_to(site)} → {href}"


def test_canonical_url_uses_base_url(project: Path, write_page, run_cli) -> None:
    write_page("a.md", "One", "2024-01-01")
    assert run_cli("render", "--base-url", "https://example.org/news/") == 0
    root = parse_html(project / "site" / "one" / "index.html")
    assert root.find(".//link[@rel='canonical']").get("href") == "https://example.org/news/one/"


def test_drafts_and_future_briefs_are_held_back(project: Path, write_page, run_cli) -> None:
    write_page("a.md", "Draft brief", "2024-01-01", draft="true")
    write_page("b.md", "Future brief", "2099-01-01")
    write_page("c.md", "Normal brief", "2024-01-01")
    assert run_cli("render") == 0
    assert sorted(p.name for p in (project / "site").iterdir() if p.is_dir()) == ["normal-brief", "tags"]
    assert run_cli("render", "--drafts", "--future") == 0
    assert (project / "site" / "draft-brief").is_dir() and (project / "site" / "future-brief").is_dir()


def test_hostile_text_is_rendered_inert(project: Path, write_page, run_cli) -> None:
    write_page("a.md", "</title><script>alert(1)</script>", "2024-01-01",
               "Raw <script>alert(2)</script> and [link](javascript:alert(3)) and <img src=x onerror=alert(4)>",
               tags='["<b>bold</b>"]', summary='"</p><script>alert(5)</script>"')
    assert run_cli("render") == 0
    for page in (project / "site").rglob("*.html"):
        root = parse_html(page)
        # the only scripts are JSON-LD data blocks, which hold the hostile text as escaped JSON
        assert all(s.get("type") == "application/ld+json" for s in root.iter("script")), page
        assert root.find(".//img") is None, page
        assert all(not (a.get("href") or "").startswith("javascript") for a in root.iter("a"))
    root = parse_html(next(p for p in (project / "site").glob("*/index.html") if "title" in p.parent.name))
    assert text_of(root.find(".//h1")) == "</title><script>alert(1)</script>"


def test_markdown_converter_shows_raw_html_as_text() -> None:
    md = markdown_converter()
    html = md.convert("a <b>b</b> [c](data:text/html,x) [d](https://ok.example/)")
    assert "&lt;b&gt;" in html and 'href="https://ok.example/"' in html and "data:" not in html


# Markdown built from the characters every inline pattern needs, mixed with words and line structure.
MARKDOWN_PIECES = st.lists(st.sampled_from([
    "word", "two words", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")", "!", "<",
    ">", "&", ";", "&amp;", "&#106;", "https://a.example/", "a@b.example", "# ", "- ", "1. ", "> ", "    ", "[x]: /y",
]), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(MARKDOWN_PIECES)
def test_quick_inline_step_gives_the_stock_output(text: str) -> None:
    quick, stock = markdown_converter(), markdown_converter(quick=False)
    assert quick.convert(text) == stock.convert(text)


def test_every_inline_pattern_is_known_to_the_quick_step() -> None:
    """A Python-Markdown upgrade adding a pattern still converts right (unknown patterns always run),
    but it would lose the speed-up silently: this says so."""
    assert {item.name for item in markdown_converter().inlinePatterns._priority} == set(INLINE_NEEDS)


def test_layout_override_and_unknown_variable(project: Path, write_page, run_cli, capsys) -> None:
    write_page("a.md", "One", "2024-01-01")
    layouts = project / "layouts"
    layouts.mkdir()
    (layouts / "404.html").write_text('{% extends "base.html" %}{% block content %}<h1>Custom lost</h1>{% endblock %}')
    assert run_cli("render") == 0
    assert text_of(parse_html(project / "site" / "404.html").find(".//h1")) == "Custom lost"
    before = tree(project / "site")
    (layouts / "404.html").write_text("{{ no_such_variable }}")
    assert run_cli("render") == 1
    err = capsys.readouterr().err
    assert "404.html:1" in err and "no_such_variable" in err and "Traceback" not in err
    assert tree(project / "site") == before
    (layouts / "404.html").write_text("{% block content %}")
    assert run_cli("render") == 1
    assert "404.html" in capsys.readouterr().err


def test_the_search_index_is_split_into_the_fewest_bundles_of_a_power_of_two_up_to_a_cap() -> None:
    from briefs import render

    size, cap = render.SEARCH_SHARD_PAGES, render.SEARCH_BUNDLES_MAX
    for briefs in range(0, 3 * cap * size, size // 3):
        bundles = render.search_shards(briefs)
        assert bundles & (bundles - 1) == 0 and 1 <= bundles <= cap  # a power of two, at most the cap
        assert briefs <= bundles * size or bundles == cap  # each at most `size` briefs, until the cap
        assert bundles == 1 or briefs > bundles // 2 * size  # and no more bundles than that takes
