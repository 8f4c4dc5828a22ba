"""Hostile and broken input: every build either succeeds with the text inert, or fails with one clear line.

"Inert" is checked by parsing every output (HTML with html5lib, feeds and sitemaps as XML, JSON-LD
as JSON): no element outside the layouts' vocabulary, no script but JSON-LD and the site's own
search script, no on* attribute, no javascript:/data: URL, no resource from another host.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import html5lib
import pytest

from briefs.check import UNSAFE_SCHEMES, _scheme
from briefs.content import INVISIBLE

from conftest import NOW, REPO, parse_html, text_of

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
PAYLOADS: list[str] = json.loads((HOSTILE / "payloads.json").read_text(encoding="utf-8"))
BASE = "https://example.org/news/"
HANG_GUARD = 120  # seconds: far beyond any honest build here; only a hang reaches it

# Every element the shipped layouts and Markdown (raw HTML off) can produce; anything else broke out.
ALLOWED = {"DOCUMENT_FRAGMENT", "html", "head", "body", "meta", "title", "link", "script", "header", "nav", "ul", "ol", "li", "a", "main",
           "footer", "article", "section", "div", "p", "span", "h1", "h2", "h3", "h4", "h5", "h6", "time",
           "figure", "figcaption", "blockquote", "em", "strong", "code", "pre", "hr", "br", "img", "form",
           "input", "label", "button", "search", "noscript", "table", "thead", "tbody", "tr", "th", "td"}


@contextmanager
def hang_guard(seconds: int = HANG_GUARD) -> Iterator[None]:
    """Fail (rather than hang the suite) if the work inside never finishes."""
    def expire(signum, frame):  # noqa: ANN001
        raise TimeoutError(f"no result after {seconds} s: treated as a hang")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def inert_problems(root: ET.Element, where: str) -> list[str]:
    """Executable or foreign markup in one parsed HTML tree."""
    found = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag and tag not in ALLOWED:
            found.append(f"{where}: unexpected <{tag}>")
        if tag == "script":
            kind = element.get("type") or ""
            if kind == "application/ld+json":
                json.loads("".join(element.itertext()))  # a payload that ended the script would break this
            elif element.get("src"):
                if "pagefind" not in element.get("src", ""):
                    found.append(f"{where}: script {kind!r} {element.get('src')!r}")
            elif not where.startswith("search/") or any(m in "".join(element.itertext()) for m in ("alert", "evil", "XSS")):
                found.append(f"{where}: inline script")  # only the search page's own start-up script is expected
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{where}: <{tag} {name}>")
            if name.lower() in ("href", "src", "action", "formaction", "srcset", "data", "poster") and _scheme(value) in UNSAFE_SCHEMES:
                found.append(f"{where}: <{tag} {name}={value[:40]!r}>")
            if tag in ("img", "iframe", "script") and name == "src" and "evil.example" in value:
                found.append(f"{where}: loads {value[:40]!r}")
    return found


def assert_inert(site: Path) -> None:
    problems: list[str] = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("pagefind/") or not path.is_file():
            continue
        if path.suffix == ".html":
            problems += inert_problems(parse_html(path), rel)
        elif path.suffix == ".xml":
            root = ET.fromstring(path.read_bytes())
            for element in root.iter():
                if element.get("type") == "html" or element.tag == "description":  # Atom type="text" is never markup
                    fragment = html5lib.parseFragment(element.text or "", namespaceHTMLElements=False)
                    problems += inert_problems(fragment, f"{rel} <{element.tag}>")
        elif path.suffix == ".json":
            json.loads(path.read_bytes())
    assert problems == []


def visible(text: str) -> str:
    return " ".join(INVISIBLE.sub("", text).split())


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar for any text (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


def hostile_page(payload: str, n: int = 0) -> str:
    """The payload in every field; `n` tells tags apart (two tags with one slug are refused, rightly)."""
    q = yaml_string(payload)
    tag = yaml_string(f"{payload} {n}" if n else payload)
    return (f"---\ntitle: {yaml_string('Headline ' + payload)}\ndate: 2024-03-01\nslug: {q}\nsummary: {q}\n"
            f"tags: [{tag}, Ordinary]\nphoto: {{caption: {q}, credit: {q}}}\n"
            f"contributors: [{{name: {q}, place: {q}}}, {{name: {q}, role: {q}}}]\n"
            f"outlet: {q}\ndateline: {q}\nbyline: {q}\nseed: hostile.txt\nsection: 0\nunplaced: [{q}]\nextra_field: {q}\n"
            f"---\n\n{payload}\n\nA second paragraph with the payload inline: {payload} and a [link](#main).\n")


@pytest.mark.parametrize("index", range(len(PAYLOADS)), ids=lambda i: f"payload{i}")
def test_payload_in_every_field_renders_inert(project: Path, write_page, run_cli, capsys, index: int) -> None:
    payload = PAYLOADS[index]
    (project / "content" / "hostile.md").write_text(hostile_page(payload), encoding="utf-8")
    write_page("other.md", "An ordinary brief", "2024-03-02", tags="[Ordinary]", seed="other.txt")
    with hang_guard():
        code = run_cli("render", "--base-url", BASE)
    err = capsys.readouterr().err
    assert code == 0, err  # text like this must be published, harmlessly, not refused
    site = project / "site"
    assert_inert(site)
    brief_pages = [p for p in site.glob("*/index.html") if p.parent.name not in ("tags", "page", "search", "ordinary")
                   and p.parent.name != "an-ordinary-brief"]
    assert len(brief_pages) == 1
    assert text_of(parse_html(brief_pages[0]).find(".//h1")) == visible("Headline " + payload)


def test_every_payload_at_once_is_inert_and_passes_the_check(project: Path, run_cli) -> None:
    for n, payload in enumerate(PAYLOADS):
        (project / "content" / f"h{n:02d}.md").write_text(hostile_page(payload, n + 1), encoding="utf-8")
    with hang_guard():
        assert run_cli("render", "--base-url", BASE) == 0
        assert run_cli("check", "--base-url", BASE) == 0
    assert_inert(project / "site")


def _page(front: str, body: str = "Body.") -> str:
    return f"---\ntitle: Broken\ndate: 2024-03-01\n{front}---\n\n{body}\n"


def _bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


BROKEN_PAGES: dict[str, str] = {
    "nul-raw": "---\ntitle: a\x00b\ndate: 2024-03-01\n---\n\nbo\x00dy\n",
    "controls-escaped": _page('summary: "\\0\\a\\e\\x85\\x9b\\uFFFE"\n'),
    "lone-surrogate-escape": _page('summary: "\\ud800"\n'),
    "billion-laughs": _page(_bomb()),
    "billion-laughs-in-tags": _page(_bomb() + "tags: *a8\n"),
    "recursive-alias": _page("x: &x [*x]\n"),
    "yaml-deep-flow": _page("x: " + "[" * 5000 + "]" * 5000 + "\n"),
    "yaml-deep-block": _page("".join("  " * i + f"k{i}:\n" for i in range(400)) + "  " * 400 + "v: 1\n"),
    "yaml-python-tag": _page("x: !!python/object/apply:os.system ['echo pwned']\n"),
    "yaml-huge-int": _page("section: " + "9" * 5000 + "\n"),
    "date-year-99999999": _page("").replace("2024-03-01", "99999999-01-01"),
    "date-month-13": _page("").replace("2024-03-01", "2024-13-45"),
    "date-overflows-utc": _page("").replace("2024-03-01", "0001-01-01T00:00:00+14:00"),
    "date-9999-west": _page("").replace("2024-03-01", "9999-12-31T23:59:59-12:00"),
    "date-huge-int": _page("").replace("2024-03-01", "1" + "0" * 30),
    "date-inf": _page("").replace("2024-03-01", ".inf"),
    "updated-overflow": _page("updated: 0001-01-01T00:00:00+14:00\n"),
    "deep-quote-5000": _page("", ">" * 5000 + " deep"),
    "deep-list-5000": _page("", "".join("  " * i + "- x\n" for i in range(5000))),
    "deep-brackets": _page("", "[" * 500 + "x" + "](y)" * 500),
    "deep-brackets-long": _page("", "[" * 5000 + "x" + "](y)" * 5000),
    "unclosed-brackets": _page("", "[" * 20000),
    "many-blocks": _page("", "# x\n" * 20000),
    "huge-body": _page("", ("word " * 30 + "\n\n") * 2000),
    "huge-paragraph": _page("", "word " * 10000),
    "bad-ipv6-link": _page("", "[a](http://[::1) and <http://[x>"),
    "slug-traversal": _page("slug: ../../../../tmp/pwned\n"),
    "slug-absolute": _page("slug: /etc/passwd\n"),
    "slug-dots": _page("slug: '..'\n"),
    "slug-reserved": _page("slug: tags\n"),
    "tags-not-strings": _page("tags: [{a: 1}, [2]]\n"),
    "no-front-matter": "just text\n",
    "front-matter-list": "---\n- a\n- b\n---\n",
    "binary-junk": "---\ntitle: \udcff\udcfe\ndate: 2024-03-01\n---\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN_PAGES))
def test_broken_page_is_published_inert_or_refused_in_one_line(project: Path, run_cli, capsys, name: str) -> None:
    (project / "content" / "page.md").write_text(BROKEN_PAGES[name], encoding="utf-8", errors="surrogateescape")
    with hang_guard():
        code = run_cli("render", "--base-url", BASE)
    err = capsys.readouterr().err.strip().splitlines()
    assert code in (0, 1)
    if code == 1:
        assert len(err) == 1 and err[0].startswith("error: content/page.md:"), err
        assert not (project / "site").exists()
    else:
        assert_inert(project / "site")
        assert all(p.resolve().is_relative_to(project) for p in project.rglob("*"))
    assert not (Path("/tmp") / "pwned").exists()


def test_limits_are_refused_with_a_line_and_a_fix(project: Path, run_cli, capsys) -> None:
    expected = {
        "billion-laughs": ":5: YAML aliases (*name) are not allowed",
        "date-overflows-utc": ":3: 'date' is out of range",
    }
    for name, message in expected.items():
        (project / "content" / "page.md").write_text(BROKEN_PAGES[name], encoding="utf-8")
        assert run_cli("render") == 1
        assert f"content/page.md{message}" in capsys.readouterr().err


@pytest.mark.parametrize("name, message", [
    ("deep-quote-5000", ":6: quotes or lists nested more than 16 levels deep"),
    ("deep-brackets", ":6: more than 16 '[' open at once"),
    ("huge-body", ":5: the body is"),
])
def test_bodies_beyond_markdown_limits_are_published_as_plain_text(project: Path, run_cli, capsys,
                                                                   name: str, message: str) -> None:
    """One odd page must not block the whole site: its text is published, escaped, without Markdown."""
    page = BROKEN_PAGES[name]
    (project / "content" / "page.md").write_text(page, encoding="utf-8")
    with hang_guard():
        assert run_cli("render") == 0
    err = capsys.readouterr().err
    assert f"content/page.md{message}" in err and "published as plain text" in err
    built = next(p for p in (project / "site").glob("*/index.html") if p.parent.name not in ("tags", "search"))
    source = page.split("---", 2)[2]
    assert text_of(parse_html(built).find(".//div[@class='body']")) == " ".join(source.split())
    assert_inert(project / "site")


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args, "--root", str(project),
                           "--now", NOW, "--base-url", BASE],
                          capture_output=True, text=True, timeout=HANG_GUARD, env=env)


def test_hostile_seed_builds_inert_in_bounded_time(project: Path) -> None:
    """Every payload in seed text, as headline, dateline, credit and contributor lines, through ingest."""
    lines = []
    for payload in PAYLOADS:
        flat = " ".join(payload.split())
        lines += [flat, "", f"WASHINGTON {flat} — A story begins here and runs on.", "",
                  f"Photo: {flat}/Reuters", "", f"{flat} contributed reporting.", "", ""]
    (project / "seeds" / "hostile.txt").write_text("\n".join(lines), encoding="utf-8")
    (project / "seeds" / "bomb.txt").write_text("---\n" + _bomb() + "tags: *a8\ntitle: *a8\n---\n\nText.\n", encoding="utf-8")
    (project / "seeds" / "junk.bin").write_bytes(bytes(range(256)) * 50)
    result = run_build(project)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1), result.stderr
    if result.returncode == 1:
        assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    if (project / "site").exists():
        assert_inert(project / "site")
        assert run_build(project, "check").returncode == 0


@pytest.mark.parametrize("taxonomy", [
    _bomb() + "aliases: *a8\n",
    "aliases:\n  '<script>alert(1)</script>': [Kremlin, '\" onmouseover=alert(1)']\n  Kremlin: ['</script>']\n",
    "[" * 5000 + "]" * 5000,
    "aliases: {a: " * 200 + "b" + "}" * 200,
    "\x00\x01 not yaml: [",
    "!!python/object/apply:os.system ['echo pwned']",
])
def test_hostile_taxonomy_builds_inert_or_fails_in_one_line(project: Path, taxonomy: str) -> None:
    (project / "taxonomy.yml").write_text(taxonomy, encoding="utf-8")
    (project / "seeds" / "s.txt").write_text("Kremlin warns US\n\nMOSCOW — The Kremlin said on Tuesday that it warned.\n",
                                             encoding="utf-8")
    result = run_build(project)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1), result.stderr
    if result.returncode == 1:
        assert len([l for l in result.stderr.splitlines() if l.startswith("error:")]) == 1
        assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    else:
        assert_inert(project / "site")
