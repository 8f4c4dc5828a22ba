"""Check a built site before anyone sees it: links, fragments, HTML5, feeds, foreign hosts, unsafe markup.

`check_site(folder, cfg)` reads every file once (HTML through the browsers' parsing algorithm:
html5ever, and html5lib for the messages of a page with errors, so a parse error here is one a
browser would silently "repair"), then resolves every reference against the set of written files
and the ids each page defines: linear in the size of the site. It returns problems; it never
raises on a bad site.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import json
import logging
import os
import posixpath
import pickle
import re
import sqlite3
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping
from urllib.parse import unquote, urljoin, urlsplit

import html5lib
from html5lib import constants as html5_constants
from html5lib import treebuilders

try:
    import markupever
except ImportError:  # (no wheel for this platform: html5lib parses every page, ~4× slower)
    markupever = None

from .cache import file_digest
from .config import Config
from .output import can_fork, chunked, fork_map, usable_cores

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
_PLAIN_PATH = re.compile(r"[^#?%;:@\\\[\]\s\x00-\x1f\x7f]+")  # a file path that reads the same as a URL path
_PLAIN_FRAGMENT = re.compile(r"#[A-Za-z0-9._~-]*")
_PLAIN_START = (".", "_", "-", "~", "%")  # a reference starting so is relative to the page's folder


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
        self._located: dict[tuple[str, str], tuple[str, tuple[str, ...], str]] = {}

    def url_of(self, rel: str) -> str:
        return self.origin + rel

    def locate(self, from_rel: str, ref: str) -> tuple[str, tuple[str, ...], str]:
        """Where a reference points, whatever files exist: the files that would satisfy it, in order.

        Memoised by the folder the reference is relative to: `../style.css` from ten thousand brief
        folders one level down is worked out once. (A reference that is empty or starts with `#` or
        `?` is relative to the page itself; each leading `../` climbs one folder of the page's path,
        exactly as RFC 3986 resolution does, so the memo key is the folder reached and the rest.)
        """
        if ref[:1] == "#" and _PLAIN_FRAGMENT.fullmatch(ref) and _PLAIN_PATH.fullmatch(from_rel):
            return "internal", (from_rel, from_rel + "/index.html"), ref[1:]  # "#main": this very page
        if not (ref[:1].isalnum() or ref[:1] in _PLAIN_START) or not _PLAIN_PATH.fullmatch(from_rel):  # "", "#x", "?q", " x"…: relative to the page itself
            base, rest = from_rel, ref
        else:
            base, rest = from_rel[:from_rel.rfind("/") + 1], ref
            while rest.startswith("../") and base:
                base, rest = base[:base.rstrip("/").rfind("/") + 1], rest[3:]
            if rest is not ref and ((rest and not (rest[0].isalnum() or rest[0] in "_-~%#?")) or ":" in rest.partition("/")[0]):
                # an odd climb (what is left would read as a scheme, or starts oddly): resolve it as written
                base, rest = from_rel, ref
        key = (base, rest)
        found = self._located.get(key)
        if found is None:
            found = self._located[key] = self._locate(base, rest)
        return found

    def _locate(self, base: str, ref: str) -> tuple[str, tuple[str, ...], str]:
        joined = urlsplit(urljoin(self.url_of(base), ref))
        if joined.scheme not in ("http", "https") or (joined.netloc.lower() != self.host):
            return "external", (), ""
        path = unquote(joined.path)
        if not (path + "/").startswith(self.base_path):
            return "outside", (), path
        rel = posixpath.normpath(path[len(self.base_path):]) if len(path) > len(self.base_path) else ""
        rel = "" if rel == "." else rel
        if rel.startswith(".."):
            return "outside", (), path
        candidates = (rel + "/index.html" if rel else "index.html",) if path.endswith("/") or not rel else (rel, rel + "/index.html")
        return "internal", candidates, unquote(joined.fragment)


@functools.lru_cache(maxsize=1 << 16)
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


XHTML = html5_constants.namespaces["html"]


# Where html5ever and html5lib read a page differently, html5lib (the check's reference) reads it: a
# <template> (html5lib has none) or <noscript> (html5ever parses with scripting on: its content is
# text), and the characters html5lib calls parse errors and html5ever lets pass (controls, C1
# controls, noncharacters).
_HTML5LIB_ONLY = re.compile(rb"<(?:template|noscript)|[\x01-\x08\x0b\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xef\xb7[\x90-\xaf]|"
                            rb"\xef\xbf[\xbe\xbf]|[\xf0-\xf4][\x8f\x9f\xaf\xbf]\xbf[\xbe\xbf]", re.IGNORECASE)
_UTF8_META = re.compile(rb"<meta[^>]*charset\s*=\s*[\"']?utf-?8", re.IGNORECASE)  # (html5ever reads UTF-8 only)


def _quick_tree(data: bytes) -> ET.Element | None:
    """The page's elements as html5lib's tree has them (tags, attributes, the text of <title> and
    <script>: all `_check_html` reads), in document order under the root, parsed by html5ever (Rust,
    through markupever): ~4× faster than html5lib. None when html5ever finds a parse error (html5lib
    then parses the page, for its messages with line and column), or for a page the two could read
    differently (_HTML5LIB_ONLY; a page not declared UTF-8, which html5lib may decode otherwise)."""
    if markupever is None or _HTML5LIB_ONLY.search(data) or not (data.isascii() or data.startswith(codecs.BOM_UTF8)
                                                                  or _UTF8_META.search(data, 0, 1024)):
        return None
    parser = markupever.Parser(markupever.HtmlOptions())
    parser.process(data)
    parser.finish()
    if parser.errors():
        return None
    root: ET.Element | None = None
    for node in parser.into_dom().select("*"):  # every element, in document order (chosen in Rust: no text nodes)
        name = node.name
        tag = name.local if name.ns == XHTML else f"{{{name.ns}}}{name.local}"
        element = ET.Element(tag, {key.local if not key.ns else f"{{{key.ns}}}{key.local}": value
                                   for key, value in node.attrs.items()})
        if tag == "title" or tag == "script":
            element.text = node.text()
        if root is None:
            root = element
        else:
            root.append(element)  # (flat: the checks walk the elements in order and never ask for parents)
    return root


def _check_html(rel: str, data: bytes, site: _Site, cfg: Config, quick: bool = True) -> tuple[_Page, list[Problem], list[str]]:
    """Parse one page: its ids and references for the second pass, its own problems, its canonical URLs.
    (`quick`: html5ever first; see _quick_tree.)"""
    problems: list[Problem] = []
    canonicals: list[str] = []
    root = _quick_tree(data) if quick else None
    if root is None:
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


def _check_xml(rel: str, data: bytes, problems: list[Problem]) -> list[tuple[str, str]]:
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


def _check_css(data: bytes) -> list[tuple[str, str, bool]]:
    text = data.decode("utf-8", errors="replace")
    # An image embedded in a stylesheet (Pagefind's UI icons) makes no request and runs no script.
    return [(f"url({url[:80]})", url, True) for url in CSS_URL.findall(text)
            if not url.startswith("#") and not url.lower().startswith("data:image/")]


CHECKED = (".html", ".htm", ".xml", ".json", ".css", ".txt")  # what the check reads; other files need only exist
HTML = (".html", ".htm")


@dataclass(slots=True)
class _Facts:
    """What one file says by itself, whatever else the site holds: its own problems, its ids (HTML
    pages only), its references and canonical URLs. A function of the file's bytes and the settings."""

    problems: list[Problem] = field(default_factory=list)
    ids: frozenset[str] | None = None  # None: not an HTML page (no fragment of it is checked)
    refs: list[tuple[str, str, bool]] = field(default_factory=list)  # (text for messages, url, loads)
    canonicals: list[str] = field(default_factory=list)


def _suffix(rel: str) -> str:
    return posixpath.splitext(rel)[1].lower()


def _file_facts(rel: str, data: bytes) -> _Facts:
    """Facts of a file that is not an HTML page."""
    facts = _Facts()
    suffix = _suffix(rel)
    if suffix == ".xml":
        facts.refs = [(w, u, False) for w, u in _check_xml(rel, data, facts.problems)]
    elif suffix == ".json":
        try:
            json.loads(data)
        except ValueError as exc:
            facts.problems.append(Problem(rel, "JSON does not parse", str(exc)))
    elif suffix == ".css":
        facts.refs = _check_css(data)
    elif rel == "robots.txt":
        facts.refs = [(line.strip(), line.split(":", 1)[1].strip(), False)
                      for line in data.decode("utf-8", "replace").splitlines() if line.lower().startswith("sitemap:")]
    return facts


def _walk(folder: Path) -> tuple[list[str], list[str]]:
    """Every plain file and every symbolic link under folder, relative and posix, in path order
    (a symlinked folder is reported, never entered)."""
    files: list[str] = []
    links: list[str] = []
    pending = [(str(folder), "")]
    while pending:
        path, prefix = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_symlink():
                    links.append(rel)
                elif entry.is_dir():
                    pending.append((entry.path, rel + "/"))
                elif entry.is_file():
                    files.append(rel)
    order = lambda rel: rel.split("/")  # noqa: E731  (the order of sorted Paths: part by part)
    return sorted(files, key=order), sorted(links, key=order)


def check_site(folder: Path, cfg: Config, memo: CheckMemo | None = None, keys: Mapping[str, bytes] | None = None) -> CheckReport:
    """Every problem with the site in `folder` as it would be served from cfg.base_url.

    With a `memo` (the last check of an earlier tree, see CheckMemo) only files whose key changed
    are read: `keys` gives a file's identity (the build's fingerprint of its bytes); a file without
    one is identified by its bytes' hash. The problems found are exactly those of a full check.
    """
    memo = memo or CheckMemo(None)
    site = _Site(folder, cfg)
    files, links = _walk(folder)
    site.files = set(files)
    checked = [rel for rel in files if _suffix(rel) in CHECKED]
    report = CheckReport(files=len(files), pages=sum(1 for rel in checked if _suffix(rel) in HTML))
    with memo.session(repr((site.origin, site.base_path, cfg.absolute_base))) as db:
        known = db.known()
        data: dict[str, bytes] = {}

        def key_of(rel: str) -> bytes | None:
            given = keys.get(rel) if keys is not None else None
            if given is not None:
                return b"f" + given
            if not db.persistent:
                return None
            data[rel] = (folder / rel).read_bytes()
            return b"c" + file_digest(data[rel])

        new_keys = {rel: key_of(rel) for rel in checked}
        changed = [rel for rel in checked if not known or known.get(rel) != new_keys[rel]]
        new_ids: dict[str, frozenset[str] | None] = {}
        fragments: list[tuple[str, str, str, str]] = []  # (page, target, fragment, what) to look up once every page is read
        moved = set(site.files ^ known.keys()) if known else set()

        def learn(rels: list[str]) -> None:
            for rel, facts in _gather(rels, site, cfg, data):
                new_ids[rel] = facts.ids
                if rel in known and facts.ids != db.ids(rel):
                    moved.add(rel)
                problems = list(facts.problems)
                deps: set[str] = set()
                for what, url, loads in facts.refs:
                    problems += _check_ref(site, rel, what, url, loads, deps, facts.ids, fragments)
                deps.discard(rel)
                db.put(rel, new_keys[rel], facts, problems, deps)

        learn(changed)
        # A reference of an unchanged file reads other files' existence and ids: read again the files
        # whose references point at a file that appeared, went, or changed its ids.
        again = db.referrers(moved) & site.files - new_ids.keys()
        learn([rel for rel in checked if rel in again])
        late: dict[str, list[Problem]] = {}
        for rel, target, fragment, what in fragments:
            found = new_ids[target] if target in new_ids else db.ids(target)
            if found is not None and fragment not in found:
                late.setdefault(rel, []).append(Problem(rel, f"broken fragment: {target} has no id \"{fragment[:60]}\"", what))
        db.add_problems(late)
        db.forget(known.keys() - site.files)
        db.add_plain(site.files - known.keys() - set(checked))
        report.links, problems, canonicals = db.summary()
    report.problems = [Problem(rel, "is a symbolic link", "the site must be plain files") for rel in links] + problems
    owners: dict[str, list[str]] = {}
    for url, rel in sorted(canonicals, key=lambda item: item[1].split("/")):
        owners.setdefault(url, []).append(rel)
    for url, claimed in sorted(owners.items()):
        if len(claimed) > 1:
            report.problems.append(Problem(claimed[1], "canonical URL is not unique", f"{url} is also claimed by {claimed[0]}"))
    report.problems = sorted(set(report.problems))
    log.debug("checked %d files (%d pages, %d links; %d read): %d problem(s)",
              report.files, report.pages, report.links, len(new_ids), len(report.problems))
    return report


def _gather(rels: list[str], site: _Site, cfg: Config, data: dict[str, bytes]) -> Iterator[tuple[str, _Facts]]:
    """Facts of these files, reading each once (HTML pages on every core when there are many)."""
    pages = [rel for rel in rels if _suffix(rel) in HTML]
    yield from zip(pages, _parse_pages(pages, site, cfg, data))
    for rel in rels:
        if _suffix(rel) not in HTML:
            yield rel, _file_facts(rel, data.pop(rel, None) or (site.folder / rel).read_bytes())


POOL_MIN = 200  # pages: below this, starting worker processes costs more than it saves


def _page_facts(rel: str, data: bytes, site: _Site, cfg: Config) -> _Facts:
    page, problems, canonicals = _check_html(rel, data, site, cfg)
    return _Facts(problems, frozenset(page.ids), page.refs, canonicals)


def _parse_chunk(site: _Site, cfg: Config, rels: list[str]) -> list[_Facts]:
    return [_page_facts(rel, (site.folder / rel).read_bytes(), site, cfg) for rel in rels]


def _parse_pages(rels: list[str], site: _Site, cfg: Config, data: Mapping[str, bytes] | None = None) -> Iterator[_Facts]:
    """Parse every page, on every core when there are many (parsing is most of a check); results in order,
    as they come (the parent never holds every page's references at once)."""
    workers = usable_cores()
    if not can_fork(workers, len(rels), POOL_MIN):
        data = data or {}
        for rel in rels:
            yield _page_facts(rel, data.get(rel) or (site.folder / rel).read_bytes(), site, cfg)
        return
    size = max(20, min(200, len(rels) // (workers * 4)))
    chunks = chunked(rels, size)
    for chunk in fork_map(functools.partial(_parse_chunk, site, cfg), chunks, workers):
        yield from chunk


def _check_ref(site: _Site, rel: str, what: str, url: str, loads: bool, deps: set[str], ids: frozenset[str] | None,
               fragments: list[tuple[str, str, str, str]]) -> list[Problem]:
    """Problems of one reference from `rel` (whose own ids are `ids`). `deps` collects the files whose
    existence or ids the answer depends on; a fragment of another page goes to `fragments`."""
    scheme = _scheme(url)
    if scheme and scheme not in ("http", "https"):
        return [Problem(rel, "loads a non-web URL", what)] if loads else []
    kind, candidates, extra = site.locate(rel, url)
    if kind == "external":
        return [Problem(rel, "loads a resource from another host", what)] if loads else []
    if kind == "outside":
        return [Problem(rel, f"link leaves the site's base path {site.base_path}", what)]
    deps.update(candidates)
    target = next((c for c in candidates if c in site.files), None)
    if target is None:
        return [Problem(rel, "broken link: no such file in the site", what)]
    if extra and not extra.startswith(":~:"):
        if target != rel:
            fragments.append((rel, target, extra, what))
        elif ids is not None and extra not in ids:
            return [Problem(rel, f"broken fragment: {target} has no id \"{extra[:60]}\"", what)]
    return []


# ---------------------------------------------------------------- the memo of the last check


class CheckMemo:
    """The last checked tree, in SQLite: per file its key, its problems, ids, canonical URLs and the
    files its references read (`edges`), so the next check of a similar tree reads only the files
    whose key changed, plus those whose references point at a file that appeared, went or changed
    its ids. Without a path it lives in memory (a full check). Any doubt (another version or other
    settings, an unreadable database) means an empty memo, so the worst case is a full check."""

    def __init__(self, path: Path | None, version: str = "") -> None:
        self.path = path
        self.version = version

    @contextlib.contextmanager
    def session(self, settings: str) -> Iterator[_MemoSession]:
        """One check: everything it learns is committed together, or not at all."""
        stamp = repr((settings, self.version))
        db = None
        if self.path is not None:
            try:
                db = self._open(self.path, stamp)
            except sqlite3.Error as exc:
                log.warning("ignoring the check memo %s (%s): checking every file", self.path, exc)
                if not isinstance(exc, sqlite3.OperationalError):  # not a database (any more): start afresh
                    self.path.unlink(missing_ok=True)
                db = None
        persistent = db is not None
        if db is None:
            db = self._open(None, stamp)
        session = _MemoSession(db, persistent)
        try:
            yield session
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    @staticmethod
    def _open(path: Path | None, stamp: str) -> sqlite3.Connection:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(":memory:" if path is None else path, isolation_level=None)
        if path is not None:  # a crash may lose the last check (the next one reads more), never corrupt the memo
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        db.execute("BEGIN IMMEDIATE")
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE name = 'stamp'").fetchone()
        if row is None or row[0] != stamp:
            for table in ("paths", "files", "edges"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (stamp,))
        # paths: every path a file or a reference names (numbered, so an edge is two small integers)
        db.execute("CREATE TABLE IF NOT EXISTS paths (id INTEGER PRIMARY KEY, path TEXT UNIQUE)")
        db.execute("CREATE TABLE IF NOT EXISTS files (id INTEGER PRIMARY KEY, key BLOB, ids BLOB, problems BLOB, "
                   "canonicals BLOB, links INTEGER)")
        db.execute("CREATE TABLE IF NOT EXISTS edges (referrer INTEGER, target INTEGER, PRIMARY KEY (referrer, target)) WITHOUT ROWID")
        db.execute("CREATE INDEX IF NOT EXISTS edges_by_target ON edges (target)")
        return db


def _blob(value: object) -> bytes | None:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) if value else None


class _MemoSession:
    def __init__(self, db: sqlite3.Connection, persistent: bool) -> None:
        self.db = db
        self.persistent = persistent  # in memory, nobody asks who links to what: no edges are kept
        self._known: dict[str, bytes | None] = {}
        self._ids: dict[str, int] = {}
        self._paths: list[tuple[int, str]] = []  # numbered in this session, not yet stored
        self._offset = 0

    def _id(self, rel: str) -> int:
        found = self._ids.get(rel)
        if found is None:
            found = self._ids[rel] = len(self._ids) + 1 + self._offset
            self._paths.append((found, rel))
        return found

    def known(self) -> dict[str, bytes | None]:
        """Every file of the last checked tree and its key (None for a file the check does not read)."""
        self._ids = {path: n for n, path in self.db.execute("SELECT id, path FROM paths")}
        files = self.db.execute("SELECT count(*) FROM files").fetchone()[0]
        if len(self._ids) > 4 * files + 1000:  # mostly paths of files long gone: start afresh (a full check)
            self.db.execute("DELETE FROM paths")
            self.db.execute("DELETE FROM files")
            self.db.execute("DELETE FROM edges")
            self._ids = {}
        self._offset = max(self._ids.values(), default=0) - len(self._ids)
        self._known = dict(self.db.execute("SELECT path, key FROM files JOIN paths USING (id)"))
        return self._known

    def _flush_paths(self) -> None:
        if self._paths:
            self.db.executemany("INSERT INTO paths VALUES (?, ?)", self._paths)
            self._paths.clear()

    def ids(self, rel: str) -> frozenset[str] | None:
        row = self.db.execute("SELECT ids FROM files WHERE id = ?", (self._ids.get(rel, -1),)).fetchone()
        return pickle.loads(row[0]) if row and row[0] is not None else None

    def referrers(self, targets: Iterable[str]) -> set[str]:
        found: set[int] = set()
        for target in targets:
            if target in self._ids:
                found.update(r for (r,) in self.db.execute("SELECT referrer FROM edges WHERE target = ?", (self._ids[target],)))
        names = {n: path for path, n in self._ids.items()} if found else {}
        return {names[n] for n in found}

    def put(self, rel: str, key: bytes | None, facts: _Facts, problems: list[Problem], deps: set[str]) -> None:
        n = self._id(rel)
        if self.persistent:
            if rel in self._known:
                self.db.execute("DELETE FROM edges WHERE referrer = ?", (n,))
            if deps:
                targets = [(n, self._id(t)) for t in deps]
                self._flush_paths()
                self.db.executemany("INSERT INTO edges VALUES (?, ?)", targets)
        self._flush_paths()
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", (
            n, key, None if facts.ids is None else pickle.dumps(facts.ids),
            _blob([(p.file, p.what, p.where) for p in problems]), _blob(facts.canonicals), len(facts.refs)))

    def add_problems(self, late: Mapping[str, list[Problem]]) -> None:
        for rel, problems in late.items():
            n = self._ids[rel]
            (blob,) = self.db.execute("SELECT problems FROM files WHERE id = ?", (n,)).fetchone()
            kept = pickle.loads(blob) if blob is not None else []
            self.db.execute("UPDATE files SET problems = ? WHERE id = ?", (_blob(kept + [(p.file, p.what, p.where) for p in problems]), n))

    def forget(self, rels: Iterable[str]) -> None:
        for rel in rels:
            n = self._ids[rel]
            self.db.execute("DELETE FROM edges WHERE referrer = ?", (n,))
            self.db.execute("DELETE FROM files WHERE id = ?", (n,))

    def add_plain(self, rels: Iterable[str]) -> None:
        rows = [(self._id(rel),) for rel in rels]
        self._flush_paths()
        self.db.executemany("INSERT OR REPLACE INTO files (id) VALUES (?)", rows)

    def summary(self) -> tuple[int, list[Problem], list[tuple[str, str]]]:
        """The whole tree's reference count, problems, and (canonical URL, file) pairs."""
        links = self.db.execute("SELECT coalesce(sum(links), 0) FROM files").fetchone()[0]
        problems = [Problem(*p) for (blob,) in self.db.execute("SELECT problems FROM files WHERE problems IS NOT NULL")
                    for p in pickle.loads(blob)]
        canonicals = [(url, rel) for rel, blob in self.db.execute(
            "SELECT path, canonicals FROM files JOIN paths USING (id) WHERE canonicals IS NOT NULL") for url in pickle.loads(blob)]
        return links, problems, canonicals
