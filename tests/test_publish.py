"""Feeds, sitemaps, robots.txt, page metadata and search, read back with the parsers their consumers use."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from lxml import etree

from briefs import publish, render
from briefs.publish import headline, json_ld

from conftest import REPO, parse_html, text_of, tree

BASE = "https://example.org/news/"
SCHEMAS = Path(__file__).parent / "schemas"
SEARCH_JS = Path(__file__).parent / "fixtures" / "pagefind_search.mjs"
HOSTILE_TITLE = 'Kremlin "warns" <b>US</b> & </script><!-- Київ 🎉'
HOSTILE_TAG = "A&B </script> <i>"
HOSTILE_SUMMARY = "It's \"quoted\" </script> & <em>not</em> HTML — Київ 🎉"


def _pages(write_page) -> None:
    write_page("s1/01-hostile.md", HOSTILE_TITLE, "2024-03-10T09:30:00+02:00",
               "Peskov said **zebrafish** matter.\n\nSecond <script>alert(1)</script> paragraph.",
               tags=json.dumps(["Kremlin", "Київ", HOSTILE_TAG], ensure_ascii=False),
               summary=json.dumps(HOSTILE_SUMMARY, ensure_ascii=False),
               updated="2024-03-10T12:00:00+02:00", seed="s1.txt", section=0, outlet="CNN", byline="By Jane Roe",
               contributors="[{name: Olga Voitovych, place: Kyiv}, {name: Ed Itor, role: editing}]")
    write_page("s1/02-second.md", "Finland border", "2024-03-10T07:00:00+00:00", "Finland closes crossings.",
               tags="[Finland, Kremlin]", seed="s1.txt", section=1)
    write_page("s2/01-other.md", "Border guards report", "2024-03-09", "Guards report queues.",
               tags="[Finland, Київ]", seed="s2.txt", section=0, outlet="Reuters")
    write_page("old/old.md", "An old brief " + "with a very long headline " * 6, "2024-02-01", "Old news.",
               tags="[Archive]")
    for day in range(11, 23):  # enough briefs for a second index page
        write_page(f"filler/{day}.md", f"Filler {day}", f"2024-01-{day:02d}", f"Filler body {day}.", tags="[Filler]")


@pytest.fixture
def site(project: Path, write_page, run_cli) -> Path:
    _pages(write_page)
    assert run_cli("render", "--base-url", BASE) == 0
    return project / "site"


def feed_of(path: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
    return feed


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def meta(root, key: str) -> list[str]:
    return [m.get("content") for m in root.iter("meta") if key in (m.get("property"), m.get("name"))]


def ld_json(root) -> list[dict]:
    return [json.loads("".join(s.itertext())) for s in root.iter("script") if s.get("type") == "application/ld+json"]


def when(parsed) -> dt.datetime:
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.timezone.utc)


# ---------------------------------------------------------------- feeds


def test_site_feed_lists_briefs_newest_first_with_full_entries(site: Path) -> None:
    feed = feed_of(site / "feed.xml")
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    assert titles[:4] == [HOSTILE_TITLE, "Finland border", "Border guards report", titles[3]]
    assert titles[3].startswith("An old brief") and len(feed.entries) == 16
    published = [when(e.published_parsed) for e in feed.entries]
    assert published == sorted(published, reverse=True)
    hostile = feed.entries[0]
    assert hostile.published == "2024-03-10T09:30:00+02:00" and hostile.updated == "2024-03-10T12:00:00+02:00"
    assert when(feed.feed.updated_parsed) == max(when(e.updated_parsed) for e in feed.entries)
    assert hostile.summary == HOSTILE_SUMMARY
    content = hostile.content[0]
    assert content.type == "text/html" and "<strong>zebrafish</strong>" in content.value
    assert "<script>" not in content.value and "&lt;script&gt;" in content.value  # raw HTML in a body stays text
    assert [t.term for t in hostile.tags] == ["Kremlin", "Київ", HOSTILE_TAG]
    assert [a.name for a in hostile.authors] == ["Olga Voitovych"] and hostile.contributors[0].name == "Ed Itor"
    assert hostile.link == BASE + hostile.link.removeprefix(BASE) and hostile.link.endswith("/")
    assert (site / hostile.link.removeprefix(BASE) / "index.html").is_file()
    assert feed.entries[2].author == "Reuters"  # no contributors: the outlet
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:example.org,20") for i in ids)


def test_tag_feeds_hold_only_their_briefs(site: Path) -> None:
    feed = feed_of(site / "tags" / "kiiv" / "feed.xml")
    assert [e.title for e in feed.entries] == [HOSTILE_TITLE, "Border guards report"]
    assert feed.feed.title == "Київ · Briefs"
    hostile_feed = next(site.glob("tags/a-b-*/feed.xml"))
    assert [e.title for e in feed_of(hostile_feed).entries] == [HOSTILE_TITLE]


def test_feeds_and_sitemaps_are_byte_identical_across_builds(project: Path, write_page, run_cli) -> None:
    _pages(write_page)
    assert run_cli("render", "--base-url", BASE) == 0
    first = tree(project / "site")
    assert run_cli("render", "--base-url", BASE, "--now", "2031-06-01T12:00:00+00:00") == 0
    second = tree(project / "site")
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_feed_size_setting_limits_entries(project: Path, write_page, run_cli) -> None:
    _pages(write_page)
    (project / "pyproject.toml").write_text("[tool.briefs]\nfeed_size = 3\n", encoding="utf-8")
    assert run_cli("render", "--base-url", BASE) == 0
    assert [e.title for e in feed_of(project / "site" / "feed.xml").entries] == [
        HOSTILE_TITLE, "Finland border", "Border guards report"]


def test_without_base_url_feed_links_are_relative_and_resolve(project: Path, write_page, run_cli, capsys) -> None:
    _pages(write_page)
    assert run_cli("render") == 0
    assert capsys.readouterr().err.count("no base_url set") == 1
    site = project / "site"
    for path in [site / "feed.xml", site / "tags" / "finland" / "feed.xml"]:
        feed = feed_of(path)
        feed_url = "https://host.invalid/any/path/" + path.relative_to(site).as_posix()
        for entry in feed.entries:
            assert not urlsplit(entry.link).scheme and entry.id.startswith("urn:uuid:")
            target = urlsplit(urljoin(feed_url, entry.link)).path.removeprefix("/any/path/")
            assert (site / target / "index.html").is_file(), entry.link
    assert not (site / "sitemap.xml").exists() and not (site / "news-sitemap.xml").exists()
    assert "Sitemap:" not in (site / "robots.txt").read_text()


# ---------------------------------------------------------------- sitemaps and robots.txt


def schema(*names: str) -> etree.XMLSchema:
    imports = "".join(f'<xs:import namespace="{etree.parse(str(SCHEMAS / n)).getroot().get("targetNamespace")}" '
                      f'schemaLocation="{n}"/>' for n in names)
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), base_url=str(SCHEMAS) + "/"))


def test_sitemap_is_valid_and_lists_every_page(site: Path) -> None:
    document = etree.parse(str(site / "sitemap.xml"))
    validator = schema("sitemap.xsd")
    assert validator.validate(document), validator.error_log
    ns = {"s": publish.SITEMAP_NS}
    locs = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in document.getroot()}
    expected = {BASE + p.relative_to(site).as_posix().removesuffix("index.html")
                for p in html_pages(site) if p.name == "index.html" and p.parent.name != "search"}
    assert set(locs) == expected and (BASE + "page/2/") in locs and (BASE + "tags/kiiv/") in locs
    hostile = next(u for u in locs if "kremlin-warns" in u)
    assert locs[hostile] == "2024-03-10T12:00:00+02:00"  # the update, not the first publication
    assert locs[BASE] == locs[BASE + "page/2/"] == "2024-03-10T12:00:00+02:00"
    assert locs[BASE + "tags/archive/"] == "2024-02-01T00:00:00+00:00"


def test_news_sitemap_is_valid_and_holds_the_last_two_days(site: Path) -> None:
    document = etree.parse(str(site / "news-sitemap.xml"))
    validator = schema("sitemap.xsd", "sitemap-news.xsd")
    assert validator.validate(document), validator.error_log
    assert not schema("sitemap.xsd").validate(document)  # the news elements really are checked
    ns = {"s": publish.SITEMAP_NS, "n": publish.NEWS_NS}
    urls = document.getroot().findall("s:url", ns)
    assert [u.findtext("n:news/n:title", namespaces=ns) for u in urls] == [
        HOSTILE_TITLE, "Finland border", "Border guards report"]
    first = urls[0]
    assert first.findtext("n:news/n:publication/n:name", namespaces=ns) == "Briefs"
    assert first.findtext("n:news/n:publication/n:language", namespaces=ns) == "en"
    assert first.findtext("n:news/n:publication_date", namespaces=ns) == "2024-03-10T09:30:00+02:00"


def test_robots_txt_points_to_both_sitemaps(site: Path) -> None:
    lines = (site / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in lines
    assert [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap:")] == [
        BASE + "sitemap.xml", BASE + "news-sitemap.xml"]


# ---------------------------------------------------------------- page metadata


def test_brief_page_has_open_graph_twitter_and_news_article(site: Path) -> None:
    page = next(site.glob("kremlin-warns*/index.html"))
    root = parse_html(page)
    url = BASE + page.parent.name + "/"
    assert root.find(".//link[@rel='canonical']").get("href") == url
    assert meta(root, "og:type") == ["article"] and meta(root, "og:url") == [url]
    assert meta(root, "og:title") == meta(root, "twitter:title") == [HOSTILE_TITLE]
    assert meta(root, "og:description") == meta(root, "twitter:description") == [HOSTILE_SUMMARY]
    assert meta(root, "og:site_name") == ["Briefs"] and meta(root, "twitter:card") == ["summary"]
    assert meta(root, "article:published_time") == ["2024-03-10T09:30:00+02:00"]
    assert meta(root, "article:tag") == ["Kremlin", "Київ", HOSTILE_TAG]
    [article] = ld_json(root)
    assert article["@type"] == "NewsArticle" and article["headline"] == HOSTILE_TITLE
    assert article["datePublished"] == "2024-03-10T09:30:00+02:00" and article["dateModified"] == "2024-03-10T12:00:00+02:00"
    assert article["author"] == [{"@type": "Person", "name": "Olga Voitovych",
                                  "homeLocation": {"@type": "Place", "name": "Kyiv"}}]
    assert article["editor"] == [{"@type": "Person", "name": "Ed Itor"}]
    assert article["publisher"]["name"] == "Briefs" and article["articleSection"] == "Kremlin"
    assert article["keywords"] == ["Kremlin", "Київ", HOSTILE_TAG] and article["description"] == HOSTILE_SUMMARY
    assert article["isBasedOn"]["publisher"] == {"@type": "Organization", "name": "CNN"}
    assert article["url"] == url
    raw = page.read_text(encoding="utf-8")
    script = raw[raw.index('<script type="application/ld+json">'):]
    script = script[len('<script type="application/ld+json">'):script.index("</script>")]
    assert json.loads(script) == article and "<" not in script and "&" not in script


def test_author_falls_back_to_outlet_then_publisher_and_headline_is_cut(site: Path) -> None:
    [other] = ld_json(parse_html(site / "border-guards-report" / "index.html"))
    assert other["author"] == [{"@type": "Organization", "name": "Reuters"}]
    old = parse_html(next(site.glob("an-old-brief*/index.html")))
    [article] = ld_json(old)
    assert article["author"][0]["name"] == "Briefs"
    assert len(article["headline"]) <= 110 and article["headline"].endswith("…")
    assert text_of(old.find(".//h1")).startswith(article["headline"][:-1])


def test_listing_pages_carry_collection_json_ld(site: Path) -> None:
    home = parse_html(site / "index.html")
    [data] = ld_json(home)
    assert data["@type"] == "CollectionPage" and data["url"] == BASE
    items = data["mainEntity"]["itemListElement"]
    assert [i["name"] for i in items] == [text_of(a) for a in home.findall(".//article/h2/a")]
    assert [i["position"] for i in items] == list(range(1, len(items) + 1)) and items[0]["url"].startswith(BASE)
    [tag] = ld_json(parse_html(site / "tags" / "kiiv" / "index.html"))
    assert tag["name"] == "Briefs tagged Київ" and [i["name"] for i in tag["mainEntity"]["itemListElement"]] == [
        HOSTILE_TITLE, "Border guards report"]
    [tags] = ld_json(parse_html(site / "tags" / "index.html"))
    assert {i["url"] for i in tags["mainEntity"]["itemListElement"]} >= {BASE + "tags/kiiv/"}
    assert ld_json(parse_html(site / "404.html")) == []


def test_every_page_links_the_feeds(site: Path) -> None:
    for page in html_pages(site):
        root = parse_html(page)
        feeds = [link.get("href") for link in root.iter("link")
                 if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"]
        assert feeds, page
        page_url = "https://example.org/news/missing/x" if page.name == "404.html" else BASE + page.relative_to(site).as_posix()
        targets = [urljoin(page_url, href).removeprefix(BASE) for href in feeds]
        assert targets[0] == "feed.xml", page
        if "tags" in page.parts and page.parent.name != "tags":
            assert len(targets) == 2 and targets[1].startswith("tags/") and (site / targets[1]).is_file(), page


def test_no_external_requests_and_no_localhost(site: Path) -> None:
    for page in html_pages(site):
        root = parse_html(page)
        for element in root.iter():
            loads = element.get("src") if element.tag in ("script", "img", "iframe") else (
                element.get("href") if element.tag == "link" and element.get("rel") != "canonical"
                and element.get("rel") != "alternate" else None)
            assert not loads or not urlsplit(loads).netloc, (page, loads)
    for path in site.rglob("*"):
        if path.is_file():
            assert b"localhost" not in path.read_bytes() and b"127.0.0.1" not in path.read_bytes(), path


def test_json_ld_never_ends_its_script() -> None:
    data = {"a": "</script><script>alert(1)</script>", "b": "<!-- & ' \u2028", "c": "Київ 🎉"}
    text = json_ld(data)
    assert json.loads(text) == data
    assert not set("<>&'") & set(text)
    assert headline("short") == "short"
    cut = headline("word " * 40)
    assert len(cut) <= 110 and cut.endswith("…") and not cut[:-1].endswith(" ")


def test_control_characters_never_break_the_xml(project: Path, run_cli) -> None:
    # YAML escapes put a bell, a form feed and a vertical tab into the front matter (XML 1.0 forbids all three)
    (project / "content" / "a.md").write_text(
        '---\ntitle: "Bell \\a and form \\f feed"\ndate: 2024-01-01\nsummary: "Tab\\there \\v"\ntags: ["\\aodd"]\n---\n\nBody.\n',
        encoding="utf-8")
    assert run_cli("render", "--base-url", BASE, "--no-check") == 0  # the HTML side is the site check's business
    entry = feed_of(project / "site" / "feed.xml").entries[0]
    assert entry.title == "Bell  and form  feed" and entry.summary.strip() == "Tab\there" and entry.tags[0].term == "odd"
    assert schema("sitemap.xsd", "sitemap-news.xsd").validate(etree.parse(str(project / "site" / "news-sitemap.xml")))


# ---------------------------------------------------------------- search


def pagefind_search(bundle: Path, query: str) -> list[dict]:
    """Pagefind's own search (its pagefind.js and WebAssembly) run in Node over the built bundle."""
    result = subprocess.run(["node", str(SEARCH_JS), str(bundle), query], capture_output=True, text=True,
                            timeout=60, check=True)
    return json.loads(result.stdout)


@pytest.mark.search
@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run Pagefind's search")
@pytest.mark.skipif(publish.find_pagefind() is None, reason="needs the Pagefind binary (pip install 'pagefind[bin]')")
def test_search_index_finds_a_brief_by_a_word_of_its_body(project: Path, write_page, run_cli) -> None:
    _pages(write_page)
    assert run_cli("render", "--base-url", BASE) == 0
    site = project / "site"
    hits = pagefind_search(site / "pagefind", "zebrafish")
    hostile = next(site.glob("kremlin-warns*/index.html")).parent.name
    assert [h["url"] for h in hits] == [f"/{hostile}/"] and hits[0]["title"] == HOSTILE_TITLE
    assert [h["url"] for h in pagefind_search(site / "pagefind", "queues")] == ["/border-guards-report/"]
    assert pagefind_search(site / "pagefind", "xylophone") == []
    # the search page loads Pagefind's UI from the site itself, and every page has a search box that goes there
    search_page = parse_html(site / "search" / "index.html")
    assert [s.get("src") for s in search_page.iter("script") if s.get("src")] == ["../pagefind/pagefind-ui.js"]
    assert (site / "pagefind" / "pagefind-ui.js").is_file() and (site / "pagefind" / "pagefind-ui.css").is_file()
    assert "triggerSearch" in text_of(search_page.find(".//main"))
    form = parse_html(next(site.glob("kremlin-warns*/index.html"))).find(".//form[@role='search']")
    assert form.get("action") == "../search/" and form.get("method") == "get"
    assert form.find(".//input").get("name") == "q"


def bundle_files(bundle: Path) -> dict[Path, int]:
    """A search bundle's own files (not the other bundles inside the first one), by inode."""
    return {p.relative_to(bundle): p.stat().st_ino for p in bundle.rglob("*") if p.is_file() and "shards" not in
            p.relative_to(bundle).parts}


@pytest.mark.search
@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run Pagefind's search")
@pytest.mark.skipif(publish.find_pagefind() is None, reason="needs the Pagefind binary (pip install 'pagefind[bin]')")
def test_a_large_sites_index_is_split_and_an_edit_remakes_one_bundle(project: Path, write_page, run_cli,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("briefs.render.SEARCH_SHARD_PAGES", 2)  # as 10,000 briefs are split in bundles of ~625
    words = ["heron", "bison", "cheetah", "dingo", "eland", "fossa", "gibbon"]
    for n, word in enumerate(words):
        write_page(f"s/{n}.md", f"Brief {n}", f"2024-03-{n + 1:02d}", f"The {word} was seen.", tags="[Zoo]")
    assert run_cli("render", "--base-url", BASE) == 0
    site = project / "site"
    shard_of = {word: render.search_shard(f"brief-{n}/index.html", 4) for n, word in enumerate(words)}  # 7 briefs, 2 a bundle: 4
    made = sorted(set(shard_of.values()))
    assert len(made) > 1 and sorted(p.name for p in site.glob("pagefind/shards/*")) == [str(n) for n in made if n]
    assert not list(site.glob(".search-shard-*"))  # Pagefind's inputs are gone
    bundles = [site / "pagefind"] + [site / "pagefind" / "shards" / str(n) for n in (1, 2, 3)]
    found = {word: [n for n in made for _ in pagefind_search(bundles[n], word)] for word in words}
    assert found == {word: [shard] for word, shard in shard_of.items()}  # every brief in exactly its bundle
    # the search page merges the other bundles into the first, by their paths from the page
    script = text_of(parse_html(site / "search" / "index.html").find(".//main"))
    assert json.dumps([f"../pagefind/shards/{n}/" for n in made if n]) in script
    assert "mergeIndex" in script
    before = [bundle_files(bundles[n]) for n in made]
    write_page("s/3.md", "Brief 3", "2024-03-04", "The dingo and the zebu were seen.", tags="[Zoo]")
    assert run_cli("render", "--base-url", BASE) == 0
    after = [bundle_files(bundles[n]) for n in made]
    remade = [n for n, old, new in zip(made, before, after) if old != new]
    assert remade == [shard_of["dingo"]]  # only the edited brief's bundle was made again; the others are the same files
    assert [hit["url"] for hit in pagefind_search(bundles[remade[0]], "zebu")] == ["/brief-3/"]


@pytest.mark.search
@pytest.mark.skipif(publish.find_pagefind() is None, reason="needs the Pagefind binary (pip install 'pagefind[bin]')")
def test_a_split_index_survives_a_first_bundle_without_briefs_and_a_disk_without_hard_links(
        project: Path, write_page, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("briefs.render.SEARCH_SHARD_PAGES", 2)
    slugs = [n for n in range(40) if render.search_shard(f"brief-{n}/index.html", 2) == 1][:3]
    for n in slugs:  # 3 briefs, 2 a bundle, all hashed to the second: the search page needs the first
        write_page(f"s/{n}.md", f"Brief {n}", "2024-03-01", f"Word{n} seen.")
    assert run_cli("render") == 0
    site = project / "site"
    assert (site / "pagefind" / "pagefind-ui.js").is_file() and not (site / "pagefind" / "shards").exists()
    first = next(n for n in range(40) if render.search_shard(f"brief-{n}/index.html", 2) == 0)
    write_page(f"s/{first}.md", f"Brief {first}", "2024-03-02", "More.")  # 4 briefs, both bundles hold one: 2 bundles
    monkeypatch.setattr("os.link", lambda *args, **kwargs: (_ for _ in ()).throw(OSError(1, "Operation not permitted")))
    assert run_cli("render") == 0  # no hard links: the pages Pagefind reads are copied
    assert (site / "pagefind" / "shards" / "1" / "pagefind-entry.json").is_file()


@pytest.mark.search
def test_a_failed_pagefind_run_stops_the_others_and_leaves_the_site(project: Path, write_page, run_cli,
                                                                    tmp_path_factory: pytest.TempPathFactory,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("briefs.render.SEARCH_SHARD_PAGES", 2)
    fake = tmp_path_factory.mktemp("bin") / "pagefind"  # fails on the first bundle at once; the others take a while, then write
    fake.write_text('#!/bin/sh\ncase "$2" in *-0) echo "broken" >&2; exit 1;; esac\nsleep 2; mkdir -p "$4"; '
                    'echo "Indexed 1 page"\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(publish, "find_pagefind", lambda: fake)
    for n in range(8):
        write_page(f"s/{n}.md", f"Brief {n}", "2024-03-01", f"Word{n} seen.")
    assert run_cli("render") == 1
    time.sleep(2.5)
    assert sorted(p.name for p in project.iterdir()) == [".briefs-cache", "content", "seeds"]  # no site, no leftovers


@pytest.mark.search
def test_missing_pagefind_skips_search_and_says_so(project: Path, write_page, run_cli, capsys, monkeypatch) -> None:
    monkeypatch.setattr(publish, "find_pagefind", lambda: None)
    _pages(write_page)
    assert run_cli("render", "--base-url", BASE) == 0
    assert "search was skipped" in capsys.readouterr().err
    site = project / "site"
    assert not (site / "search").exists() and not (site / "pagefind").exists()
    assert parse_html(site / "index.html").find(".//form[@role='search']") is None


# ---------------------------------------------------------------- the shipped seed


def test_shipped_seed_publishes_valid_feeds_and_sitemaps(project: Path, run_cli) -> None:
    for seed in (REPO / "seeds").iterdir():
        shutil.copy(seed, project / "seeds" / seed.name)
    assert run_cli("build", "--base-url", BASE) == 0
    site = project / "site"
    feed = feed_of(site / "feed.xml")
    briefs = [p for p in site.glob("*/index.html") if p.parent.name not in ("tags", "page", "search")]
    assert len(feed.entries) == min(50, len(briefs)) > 0
    for tag_feed in site.glob("tags/*/feed.xml"):
        assert feed_of(tag_feed).entries
    assert schema("sitemap.xsd").validate(etree.parse(str(site / "sitemap.xml")))
    news = etree.parse(str(site / "news-sitemap.xml"))
    assert schema("sitemap.xsd", "sitemap-news.xsd").validate(news) and len(news.getroot()) > 0
    for page in briefs:
        [article] = ld_json(parse_html(page))
        assert article["@type"] == "NewsArticle" and len(article["headline"]) <= 110


def test_github_pages_workflow_builds_with_the_pages_address_and_uploads_site() -> None:
    import yaml

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any(r.startswith("pip install .") for r in runs)
    assert any("python build.py --base-url" in r and "steps.pages.outputs.base_url" in r for r in runs)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
