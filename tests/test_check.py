"""`check`: a built site is verified before it replaces the old one; every kind of problem is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.check import check_site
from briefs.config import load_config

from conftest import parse_html, tree


@pytest.fixture
def pages(write_page) -> None:
    write_page("s1/01-first.md", "Kremlin warns US", "2024-03-01", "Para one. [Skip](#main)\n\n## A subhead\n\nPara two.",
               tags="[Kremlin, Ukraine]", seed="s1.txt", section=0, summary="The lead.")
    write_page("s1/02-second.md", "Finland border", "2024-03-02", tags="[Finland, kremlin]", seed="s1.txt", section=1)
    for day in range(3, 15):
        write_page(f"other/{day:02d}.md", f"Filler brief {day}", f"2024-03-{day:02d}", tags="[Filler]")


def problems(project: Path, base_url: str = "") -> list[str]:
    cfg = load_config(project, {"base_url": base_url} if base_url else {})
    return [str(p) for p in check_site(project / "site", cfg).problems]


def override(project: Path, name: str, text: str) -> None:
    (project / "layouts").mkdir(exist_ok=True)
    (project / "layouts" / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("base_url", ["", "https://example.org/", "https://example.org/news/"])
def test_a_built_site_passes_with_and_without_a_subpath(project: Path, pages, run_cli, base_url: str) -> None:
    args = ["--base-url", base_url] if base_url else []
    assert run_cli("render", *args) == 0  # the build itself ran the check on the staging folder
    assert problems(project, base_url) == []
    assert run_cli("check", *args) == 0
    report = check_site(project / "site", load_config(project, {"base_url": base_url} if base_url else {}))
    assert report.pages >= 17 and report.links > 100


def test_subpath_site_checked_as_root_site_reports_broken_links(project: Path, pages, run_cli, capsys) -> None:
    assert run_cli("render", "--base-url", "https://example.org/news/") == 0
    found = problems(project)  # 404.html links to /news/…, which a root site does not have
    assert found and all(line.startswith("404.html: broken link") for line in found)
    capsys.readouterr()
    assert run_cli("check") == 1
    out = capsys.readouterr().out.splitlines()
    assert out and all(line.startswith("site/404.html: ") for line in out)


def test_broken_links_and_fragments_are_reported(project: Path, pages, run_cli) -> None:
    assert run_cli("render") == 0
    page = project / "site" / "finland-border" / "index.html"
    html = page.read_text(encoding="utf-8").replace(
        "</main>", '<p><a href="../no-such-brief/">a</a> <a href="../kremlin-warns-us/#nowhere">b</a> '
                   '<a href="#main">ok</a> <a href="../tags/#main">ok</a> <a href="../../../etc/">c</a></p></main>')
    page.write_text(html, encoding="utf-8")
    found = problems(project)
    assert found == [
        'finland-border/index.html: broken fragment: kremlin-warns-us/index.html has no id "nowhere" '
        '(<a href="../kremlin-warns-us/#nowhere">)',
        'finland-border/index.html: broken link: no such file in the site (<a href="../no-such-brief/">)',
        'finland-border/index.html: link leaves the site\'s base path / (<a href="../../../etc/">)',
    ] or found == [
        'finland-border/index.html: broken fragment: kremlin-warns-us/index.html has no id "nowhere" '
        '(<a href="../kremlin-warns-us/#nowhere">)',
        'finland-border/index.html: broken link: no such file in the site (<a href="../../../etc/">)',
        'finland-border/index.html: broken link: no such file in the site (<a href="../no-such-brief/">)',
    ]


def test_structure_problems_are_reported(project: Path, pages, run_cli) -> None:
    override(project, "tag.html", '{% extends "base.html" %}{% block title %}{% endblock %}'
                                  '{% block content %}<h2>{{ tag.name }}</h2><p><b>unclosed</p>{% endblock %}')
    override(project, "base.html", (Path(__file__).parent.parent / "briefs/layouts/base.html").read_text()
             .replace('<html lang="{{ config.language }}">', "<html>")
             .replace('<link rel="canonical" href="{{ canonical }}">', '<link rel="canonical" href="{{ canonical if kind == "brief" else config.base_url }}">'))
    assert run_cli("render", "--no-check", "--base-url", "https://example.org/") == 0
    found = problems(project, "https://example.org/")
    tag_page = [p for p in found if p.startswith("tags/filler/index.html")]
    assert "tags/filler/index.html: has 0 <h1> elements, not exactly one" in tag_page
    assert "tags/filler/index.html: no <title>, or an empty one" in tag_page
    assert any("HTML5 parse error" in p and "Unexpected end tag (p)" in p for p in tag_page)
    assert any(p.startswith("index.html: no lang attribute") for p in found)
    not_unique = [p for p in found if "canonical URL is not unique" in p]
    assert not_unique and all("https://example.org/" in p for p in not_unique)
    assert not any(p.startswith("kremlin-warns-us/") and "canonical" in p for p in found)


def test_foreign_and_unsafe_resources_are_reported(project: Path, pages, run_cli) -> None:
    base = (Path(__file__).parent.parent / "briefs/layouts/base.html").read_text()
    override(project, "base.html", base.replace("{% block head %}{% endblock %}",
        '<script src="https://cdn.example.com/x.js"></script><link rel="stylesheet" href="//fonts.example.com/a.css">'
        '<link rel="alternate" href="https://elsewhere.example/">'
        '{% block head %}{% endblock %}').replace('<a class="skip-link" href="#main">',
        '<a href="#main" onclick="x()">x</a><a href=" java\tscript:alert(1)">x</a><img src="data:image/png;base64,AA" alt="">'
        '<a class="skip-link" href="#main">'))
    (project / "layouts" / "static").mkdir()
    (project / "layouts" / "static" / "extra.css").write_text("body { background: url('https://t.example/p.gif') }")
    assert run_cli("render", "--no-check") == 0
    found = [p for p in problems(project) if p.startswith(("index.html:", "extra.css:"))]
    assert found == [
        "extra.css: loads a resource from another host (url(https://t.example/p.gif))",
        'index.html: inline event handler attribute (<a onclick=…>)',
        'index.html: loads a resource from another host (<link href="//fonts.example.com/a.css">)',
        'index.html: loads a resource from another host (<script src="https://cdn.example.com/x.js">)',
        'index.html: unsafe data: URL (<img src="data:image/png;base64,AA">)',
        'index.html: unsafe javascript: URL (<a href="java\tscript:alert(1)">)',
    ]


def test_xml_json_and_feeds_are_parsed(project: Path, pages, run_cli) -> None:
    static = project / "layouts" / "static"
    static.mkdir(parents=True)
    (static / "broken.xml").write_text("<urlset><url></urlset>")
    (static / "bomb.xml").write_text('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    (static / "data.json").write_text("{not json")
    (static / "atom.xml").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>t</title><updated>2024-01-01T00:00:00Z</updated>'
        '<entry><title>a</title><updated>2024-01-01T00:00:00Z</updated></entry>'
        '<entry><id>urn:b</id><title>b</title><updated>2024-01-01T00:00:00Z</updated><link href="missing/"/></entry></feed>')
    (static / "sitemap.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>finland-border/</loc></url>'
        '<url><loc>gone/</loc></url><url></url></urlset>')
    assert run_cli("render", "--no-check") == 0
    found = [p for p in problems(project) if not p.startswith(("index", "tags", "page"))]
    assert found == [
        "atom.xml: Atom entry 1 has no <id>",
        "atom.xml: Atom entry 1 has no <link href>",
        'atom.xml: broken link: no such file in the site (entry 2 <link href="missing/">)',
        "bomb.xml: XML declares a DOCTYPE or entities (feeds and sitemaps need neither)",
        "broken.xml: XML does not parse (line 1, column 15: mismatched tag: line 1, column 15)",
        "data.json: JSON does not parse (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))",
        "sitemap.xml: broken link: no such file in the site (<loc>gone/</loc>)",
        "sitemap.xml: sitemap url 3 has no <loc>",
    ]


def test_failing_check_leaves_the_previous_site(project: Path, pages, run_cli, capsys) -> None:
    assert run_cli("render") == 0
    before = tree(project / "site")
    override(project, "index.html", '{% extends "base.html" %}{% block content %}<h1>x</h1><a href="nowhere/">x</a>{% endblock %}')
    capsys.readouterr()
    assert run_cli("render") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == 'index.html: broken link: no such file in the site (<a href="nowhere/">)'
    assert err[1] == 'page/2/index.html: broken link: no such file in the site (<a href="nowhere/">)'
    assert err[-1].startswith("error: the site check found 2 problem(s)") and "previous site was left" in err[-1]
    after = tree(project / "site")
    assert after == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []
    assert run_cli("render", "--no-check") == 0  # the escape hatch
    assert parse_html(project / "site" / "index.html").find(".//a[@href='nowhere/']") is not None


def test_check_without_a_site_is_a_one_line_error(project: Path, run_cli, capsys) -> None:
    assert run_cli("check") == 1
    assert capsys.readouterr().err.strip().endswith("no built site to check; run `python build.py` first")


def test_html5ever_and_html5lib_read_every_page_alike(project: Path, pages, run_cli) -> None:
    """The check reads a page through html5ever (fast) and falls back to html5lib only for a page with
    a parse error: both must give the very same ids, references, canonical URLs and problems."""
    from briefs.check import _Site, _check_html, _quick_tree
    from test_hostile import PAYLOADS, hostile_page

    for n, payload in enumerate(PAYLOADS):
        (project / "content" / f"h{n:02d}.md").write_text(hostile_page(payload, n + 1), encoding="utf-8")
    base = (Path(__file__).parent.parent / "briefs/layouts/base.html").read_text()
    override(project, "base.html", base.replace('<a class="skip-link" href="#main">',
        '<svg><use xlink:href="#i"/><a href="../x/">x</a></svg><math><mi id="m">x</mi></math>'
        '<img srcset="a.png 1x, b.png 2x" alt=""><a name="anchor"></a><p style="background: url(c.png)">s</p>'
        '<!-- a comment --><script type="application/ld+json">{"a": [1, "<x>"]}</script>'
        '<script type="application/ld+json">{"broken": </script><a href="#main" onclick="x()">x</a>'
        '<a class="skip-link" href="#main">'))
    assert run_cli("render", "--no-check", "--base-url", "https://example.org/") == 0
    folder = project / "site"
    cfg = load_config(project, {"base_url": "https://example.org/"})
    site = _Site(folder, cfg)
    compared = 0
    for path in sorted(folder.rglob("*.html")):
        rel, data = path.relative_to(folder).as_posix(), path.read_bytes()
        assert _quick_tree(data) is not None, rel  # the fast path is taken: these pages are valid HTML5
        quick, slow = _check_html(rel, data, site, cfg), _check_html(rel, data, site, cfg, quick=False)
        assert (quick[0].ids, quick[0].refs, quick[1], quick[2]) == (slow[0].ids, slow[0].refs, slow[1], slow[2]), rel
        compared += 1
    assert compared > 20
    # pages html5ever would read otherwise than html5lib go to html5lib: the findings stay the same
    head = b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><h1>h</h1>'
    for page in (head + b'<noscript><a href="missing.html" id="n"></a><img src="javascript:x" onclick="x()"></noscript>',
                 head.replace(b'<meta charset="utf-8">', b'') + '<p id="café">x</p>'.encode(),  # html5lib: cp1252
                 head + b'<p id="a">\x01 \xc2\x85 \xef\xbf\xbf</p>', head + b'<TEMPLATE><p id="t">x</p></TEMPLATE>'):
        assert _quick_tree(page) is None, page
        quick, slow = _check_html("p.html", page, site, cfg), _check_html("p.html", page, site, cfg, quick=False)
        assert (quick[0].ids, quick[0].refs, quick[1], quick[2]) == (slow[0].ids, slow[0].refs, slow[1], slow[2])
    broken = b'<!DOCTYPE html><html lang="en"><title>t</title><h1>x</h1><p><b>unclosed</p>'
    assert _quick_tree(broken) is None  # a parse error: html5lib reads it, for its message
    assert any("Unexpected end tag (p)" in p.where for p in _check_html("b.html", broken, site, cfg)[1])
