"""Check a built site before anyone sees it: links, fragments, HTML5, feeds, foreign hosts, unsafe markup.

`check_site(folder, cfg)` reads every file once (HTML through html5lib, the browsers' parsing
algorithm, so a parse error here is one a browser would silently "repair"), then resolves every
reference against the set of written files and the ids each page defines: linear in the size of
the site. It returns problems; it never raises on a bad site.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import posixpath
import re
import xml.etree.ElementTree as ET
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urljoin, urlsplit

import html5lib
from html5lib import constants as html5_constants
from html5lib import treebuilders

from .config import Config

log = logging.getLogger(__name__)

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PLACEHOLDER_HOST = "briefs.invalid"  # stands in for the host when base_url names none
UNSAFE_SCHEMES = {"javascript", "vbscript", "data"}
URL_ATTRS = ("href", "src", "action", "formaction", "poster", "data", "cite", "background")
# Elements that make the browser fetch what their attribute names: these must stay on the site's host.
LOADS = {"script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "frame": ("src",), "embed": ("src",),
         "object": ("data",), "audio": ("src",), "video": ("src", "poster"), "source": ("src", "srcset"),
         "track": ("src",), "input": ("src",)}
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon", "preload", "modulepreload",
                "prefetch", "prerender", "preconnect", "dns-prefetch", "manifest"}
SCRIPT_TYPES = {"", "text/javascript", "module", "application/ld+json", "application/json"}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.IGNORECASE)
_CONTROL_AND_SPACE = re.compile(r"[\x00-\x20]+")


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the built site: the file, what is wrong, and where in the file."""

    file: str  # relative to the site folder, posix
    what: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.file}: {self.what}" + (f" ({self.where})" if self.where else "")


@dataclass(slots=True)
class _Page:
    """What the second pass needs from one parsed HTML page."""

    ids: set[str] = field(default_factory=set)
    refs: list[tuple[str, str, bool]] = field(default_factory=list)  # (attribute text for messages, url, loads)


@dataclass(slots=True)
class CheckReport:
    pages: int = 0
    files: int = 0
    links: int = 0
    problems: list[Problem] = field(default_factory=list)


class _Site:
    """URL ↔ file mapping for one built site under one base URL."""

    def __init__(self, folder: Path, cfg: Config) -> None:
        self.folder = folder
        self.base_path = cfg.base_path
        self.origin = cfg.absolute_base or f"https://{PLACEHOLDER_HOST}{cfg.base_path}"
        self.host = urlsplit(self.origin).netloc.lower()
        self.files: set[str] = set()

    def url_of(self, rel: str) -> str:
        return self.origin + rel

    def resolve(self, from_rel: str, ref: str) -> tuple[str, str | None, str]:
        """('internal', file or None, fragment) | ('external', None, '') | ('outside', None, path)."""
        joined = urlsplit(urljoin(self.url_of(from_rel), ref))
        if joined.scheme not in ("http", "https") or (joined.netloc.lower() != self.host):
            return "external", None, ""
        path = unquote(joined.path)
        if not (path + "/").startswith(self.base_path):
            return "outside", None, path
        rel = posixpath.normpath(path[len(self.base_path):]) if len(path) > len(self.base_path) else ""
        rel = "" if rel == "." else rel
        if rel.startswith(".."):
            return "outside", None, path
        candidates = [rel + "/index.html" if rel else "index.html"] if path.endswith("/") or not rel else [rel, rel + "/index.html"]
        found = next((c for c in candidates if c in self.files), None)
        return "internal", found, unquote(joined.fragment)


def _scheme(value: str) -> str:
    """The scheme a browser would see: it ignores control characters and spaces inside it."""
    cleaned = _CONTROL_AND_SPACE.sub("", value)
    found = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return found.group(1).lower() if found else ""


def _srcset_urls(value: str) -> Iterator[str]:
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            yield parts[0]


def _html_error(error: tuple) -> str:
    (line, col), code, data = error
    message = html5_constants.E.get(code, code)
    try:
        message = message % data
    except (TypeError, KeyError, ValueError):
        pass
    return f"line {line}, column {col}: {message}"


def _check_html(rel: str, data: bytes, site: _Site, cfg: Config) -> tuple[_Page, list[Problem], list[str]]:
    """Parse one page: its ids and references for the second pass, its own problems, its canonical URLs."""
    problems: list[Problem] = []
    canonicals: list[str] = []
    parser = html5lib.HTMLParser(tree=treebuilders.getTreeBuilder("etree"), namespaceHTMLElements=False)
    root = parser.parse(data)
    for error in parser.errors:
        problems.append(Problem(rel, "HTML5 parse error", _html_error(error)))
    page = _Page()
    h1s = 0
    title = None
    canonical: list[str] = []
    seen_ids: Counter[str] = Counter()
    if not (root.get("lang") or "").strip():
        problems.append(Problem(rel, "no lang attribute on <html>", "add lang=\"…\" to base.html"))
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "h1":
            h1s += 1
        elif tag == "title" and title is None:
            title = "".join(element.itertext()).strip()
        elif tag == "script":
            _check_script(rel, element, problems)
        for name, value in element.attrib.items():
            if not isinstance(name, str):
                continue
            lowered = name.lower()
            if lowered.startswith("on"):
                problems.append(Problem(rel, "inline event handler attribute", f"<{tag} {name}=…>"))
            elif lowered == "id" or (lowered == "name" and tag == "a"):
                seen_ids[value] += lowered == "id"
                page.ids.add(value)
            elif lowered == "style" and "url(" in value.lower():
                for url in CSS_URL.findall(value):
                    page.refs.append((f"<{tag} style> url({url})", url, True))
        rels = set((element.get("rel") or "").lower().split())
        for attr in URL_ATTRS + ("srcset", "xlink:href"):
            value = element.get(attr)
            if value is None:
                continue
            urls = list(_srcset_urls(value)) if attr == "srcset" else [value.strip()]
            loads = attr in LOADS.get(tag, ()) or (tag == "link" and bool(rels & LOADING_RELS))
            for url in urls:
                if _scheme(url) in UNSAFE_SCHEMES:
                    problems.append(Problem(rel, f"unsafe {_scheme(url)}: URL", f"<{tag} {attr}=\"{url[:60]}\">"))
                    continue
                if tag == "link" and "canonical" in rels:
                    canonical.append(url)
                page.refs.append((f"<{tag} {attr}=\"{url[:80]}\">", url, loads))
    for value, count in seen_ids.items():
        if count > 1:
            problems.append(Problem(rel, "duplicate id", f"id=\"{value[:60]}\" appears {count} times"))
    if h1s != 1:
        problems.append(Problem(rel, f"has {h1s} <h1> elements, not exactly one", ""))
    if not title:
        problems.append(Problem(rel, "no <title>, or an empty one", ""))
    if cfg.absolute_base and rel != "404.html":
        if len(canonical) != 1:
            problems.append(Problem(rel, f"has {len(canonical)} canonical links, not exactly one", ""))
        for url in canonical:
            absolute = urljoin(site.url_of(rel), url)
            canonicals.append(absolute)
    return page, problems, canonicals


def _check_script(rel: str, element: ET.Element, problems: list[Problem]) -> None:
    kind = (element.get("type") or "").strip().lower()
    if kind not in SCRIPT_TYPES:
        problems.append(Problem(rel, "script of unexpected type", f"<script type=\"{kind[:40]}\">"))
    if kind in ("application/ld+json", "application/json"):
        try:
            json.loads("".join(element.itertext()) or "null")
        except ValueError as exc:
            problems.append(Problem(rel, f"{kind} script does not parse as JSON", str(exc)))


def _check_xml(rel: str, data: bytes, site: _Site, problems: list[Problem]) -> list[tuple[str, str]]:
    """Parse an XML file; for feeds and sitemaps, check the required parts and return their links."""
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        problems.append(Problem(rel, "XML declares a DOCTYPE or entities", "feeds and sitemaps need neither"))
        return []
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = exc.position
        problems.append(Problem(rel, "XML does not parse", f"line {line}, column {col}: {exc}"))
        return []
    links: list[tuple[str, str]] = []
    if root.tag == f"{ATOM}feed":
        for n, entry in enumerate([root, *root.iter(f"{ATOM}entry")]):
            what = "feed" if n == 0 else f"entry {n}"
            for part in ("id", "title", "updated"):
                if not (entry.findtext(f"{ATOM}{part}") or "").strip():
                    problems.append(Problem(rel, f"Atom {what} has no <{part}>", ""))
            hrefs = [link.get("href") or "" for link in entry.findall(f"{ATOM}link")]
            if n and not any(hrefs):
                problems.append(Problem(rel, f"Atom {what} has no <link href>", ""))
            links += [(f"{what} <link href=\"{h[:80]}\">", h) for h in hrefs if h]
    elif root.tag == "rss":
        for n, item in enumerate(root.iter("item"), 1):
            link = (item.findtext("link") or "").strip()
            if not link and not (item.findtext("guid") or "").strip():
                problems.append(Problem(rel, f"RSS item {n} has neither <link> nor <guid>", ""))
            if link:
                links.append((f"item {n} <link>", link))
    elif root.tag in (f"{SITEMAP}urlset", f"{SITEMAP}sitemapindex"):
        child = "url" if root.tag.endswith("urlset") else "sitemap"
        for n, entry in enumerate(root.iter(f"{SITEMAP}{child}"), 1):
            loc = (entry.findtext(f"{SITEMAP}loc") or "").strip()
            if not loc:
                problems.append(Problem(rel, f"sitemap {child} {n} has no <loc>", ""))
            else:
                links.append((f"<loc>{loc[:80]}</loc>", loc))
    return links


def _check_css(rel: str, data: bytes) -> list[tuple[str, str, bool]]:
    text = data.decode("utf-8", errors="replace")
    # An image embedded in a stylesheet (Pagefind's UI icons) makes no request and runs no script.
    return [(f"url({url[:80]})", url, True) for url in CSS_URL.findall(text)
            if not url.startswith("#") and not url.lower().startswith("data:image/")]


def check_site(folder: Path, cfg: Config) -> CheckReport:
    """Every problem with the site in `folder` as it would be served from cfg.base_url."""
    report = CheckReport()
    site = _Site(folder, cfg)
    paths = sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    site.files = {p.relative_to(folder).as_posix() for p in paths}
    for link in sorted(p for p in folder.rglob("*") if p.is_symlink()):
        report.problems.append(Problem(link.relative_to(folder).as_posix(), "is a symbolic link", "the site must be plain files"))
    pages: dict[str, _Page] = {}
    other_refs: dict[str, list[tuple[str, str, bool]]] = {}
    canonicals: dict[str, list[str]] = {}
    html: list[str] = []
    for path in paths:
        rel = path.relative_to(folder).as_posix()
        suffix = path.suffix.lower()
        if suffix not in (".html", ".htm", ".xml", ".json", ".css", ".txt"):
            continue
        data = path.read_bytes()
        if suffix in (".html", ".htm"):
            html.append(rel)
        elif suffix == ".xml":
            other_refs[rel] = [(w, u, False) for w, u in _check_xml(rel, data, site, report.problems)]
        elif suffix == ".json":
            try:
                json.loads(data)
            except ValueError as exc:
                report.problems.append(Problem(rel, "JSON does not parse", str(exc)))
        elif suffix == ".css":
            other_refs[rel] = _check_css(rel, data)
        elif rel == "robots.txt":
            other_refs[rel] = [(line.strip(), line.split(":", 1)[1].strip(), False)
                               for line in data.decode("utf-8", "replace").splitlines()
                               if line.lower().startswith("sitemap:")]
    for rel, (page, problems, urls) in zip(html, _parse_pages(html, site, cfg)):
        pages[rel] = page
        report.problems += problems
        for url in urls:
            canonicals.setdefault(url, []).append(rel)
    report.pages, report.files = len(pages), len(paths)
    refs = [(rel, page.refs) for rel, page in pages.items()] + list(other_refs.items())
    for rel, items in refs:
        for what, url, loads in items:
            report.links += 1
            report.problems += _check_ref(site, pages, rel, what, url, loads)
    for url, owners in sorted(canonicals.items()):
        if len(owners) > 1:
            report.problems.append(Problem(owners[1], "canonical URL is not unique", f"{url} is also claimed by {owners[0]}"))
    report.problems = sorted(set(report.problems))
    log.debug("checked %d files (%d pages, %d links): %d problem(s)", report.files, report.pages, report.links, len(report.problems))
    return report


POOL_MIN = 200  # pages: below this, starting worker processes costs more than it saves
_WORK: tuple[_Site, Config] | None = None  # set before fork, so workers inherit it


def _parse_chunk(rels: list[str]) -> list[tuple[_Page, list[Problem], list[str]]]:
    assert _WORK is not None
    site, cfg = _WORK
    return [_check_html(rel, (site.folder / rel).read_bytes(), site, cfg) for rel in rels]


def _parse_pages(rels: list[str], site: _Site, cfg: Config) -> list[tuple[_Page, list[Problem], list[str]]]:
    """Parse every page, on every core when there are many (html5lib is pure Python); results in order."""
    global _WORK
    workers = os.cpu_count() or 1
    _WORK = (site, cfg)
    try:
        if workers < 2 or len(rels) < POOL_MIN or "fork" not in multiprocessing.get_all_start_methods():
            return _parse_chunk(rels)
        size = max(20, len(rels) // (workers * 4))
        chunks = [rels[i:i + size] for i in range(0, len(rels), size)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [result for chunk in pool.map(_parse_chunk, chunks) for result in chunk]
    finally:
        _WORK = None


def _check_ref(site: _Site, pages: dict[str, _Page], rel: str, what: str, url: str, loads: bool) -> list[Problem]:
    scheme = _scheme(url)
    if scheme and scheme not in ("http", "https"):
        return [Problem(rel, "loads a non-web URL", what)] if loads else []
    kind, target, extra = site.resolve(rel, url)
    if kind == "external":
        return [Problem(rel, "loads a resource from another host", what)] if loads else []
    if kind == "outside":
        return [Problem(rel, f"link leaves the site's base path {site.base_path}", what)]
    if target is None:
        return [Problem(rel, "broken link: no such file in the site", what)]
    if extra and not extra.startswith(":~:"):
        if target in pages and extra not in pages[target].ids:
            return [Problem(rel, f"broken fragment: {target} has no id \"{extra[:60]}\"", what)]
    return []
