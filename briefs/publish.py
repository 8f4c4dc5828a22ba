"""What other programs read: Atom feeds, sitemaps, robots.txt, JSON-LD, and the Pagefind search index.

Everything here is a pure function of the Site and the Config (no build time, no random ids),
so unchanged content gives byte-identical files. Without an absolute `base_url`, feed links are
relative to the feed's own location and the sitemaps are left out (crawlers need absolute URLs).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import posixpath
import re
import shutil
import subprocess
import uuid
from dataclasses import replace
from pathlib import Path
from typing import AbstractSet, Any, Callable, Iterable, Mapping, Sequence
from urllib.parse import urlsplit

import jinja2
import jinja2.meta
from jinja2.utils import htmlsafe_json_dumps

from . import __version__
from .catalog import paginate
from .config import Config
from .errors import BriefsError
from .model import Brief, Output, Site
from .render import (ROUTES, Job, Links, Renderer, Unchanged, brief_path, listing_dir, listing_paths, root_for,
                     search_bundle)

log = logging.getLogger(__name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS_WINDOW = dt.timedelta(days=2)  # Google News reads articles of the last two days
NEWS_LIMIT = 1000  # at most this many entries in a news sitemap
HEADLINE_LIMIT = 110  # schema.org headline length Google shows
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)  # `updated` of an empty feed: never the build time
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # characters XML 1.0 forbids



def xml_text(text: str) -> str:
    """Drop the control characters XML cannot hold (raw seed text may carry them)."""
    return _NOT_XML.sub("", text)


def stamp(value: dt.datetime) -> str:
    """W3C/RFC 3339 datetime with its offset, to the second."""
    return value.replace(microsecond=0).isoformat()


def modified(brief: Brief) -> dt.datetime:
    return brief.updated or brief.date  # type: ignore[return-value]


def _links(cfg: Config, out_path: str) -> Links:
    """Links as seen from one output file: absolute with a base URL, else relative to that file."""
    return Links(root=root_for(out_path), absolute_base=cfg.absolute_base)


def _href(links: Links, path: str) -> str:
    return links.canonical(path) or links.url(path)


# ---------------------------------------------------------------- Atom feeds


def _entry_id(cfg: Config, brief: Brief) -> str:
    """A tag: URI (RFC 4151) on the site's host and the brief's first date; a name-based UUID without a host."""
    host = urlsplit(cfg.absolute_base).hostname
    if host:
        return f"tag:{host},{brief.date:%Y-%m-%d}:{cfg.base_path}{brief.slug}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'briefs:{brief.date:%Y-%m-%d}:{brief.slug}')}"


def _esc(text: str) -> str:
    """Text for an XML element: XML-forbidden characters dropped, markup characters escaped."""
    return xml_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    """Text for a double-quoted XML attribute (whitespace escaped too, so parsers keep it as written)."""
    return (_esc(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;"))


def atom_entry(cfg: Config, site: Site, index: int, links: Links, body: str) -> str:
    """One brief as an Atom <entry>; the same for every feed at one folder depth, so it is made once."""
    brief = site.briefs[index]
    parts = [f"  <entry>\n    <id>{_esc(_entry_id(cfg, brief))}</id>\n    <title>{_esc(brief.title)}</title>\n"
             f"    <updated>{modified(brief).isoformat()}</updated>\n"]
    reporters = [c for c in brief.contributors if not c.role]
    for person in reporters or ([] if not brief.outlet else [None]):
        parts.append(f"    <author>\n      <name>{_esc(person.name if person else brief.outlet)}</name>\n    </author>\n")
    parts.append(f'    <content type="html">{_esc(body)}</content>\n'
                 f'    <link href="{_attr(_href(links, brief_path(brief)))}" rel="alternate" type="text/html"/>\n')
    if brief.summary:
        parts.append(f"    <summary>{_esc(brief.summary)}</summary>\n")
    for tag in brief.tags:
        scheme, name = links.canonical(f"tags/{site.tag_slugs[tag]}/"), _attr(tag)
        parts.append(f'    <category term="{name}" label="{name}"' + (f' scheme="{_attr(scheme)}"' if scheme else "") + "/>\n")
    for person in brief.contributors:
        if person.role:
            parts.append(f"    <contributor>\n      <name>{_esc(person.name)}</name>\n    </contributor>\n")
    parts.append(f"    <published>{brief.date.isoformat()}</published>\n  </entry>\n")
    return "".join(parts)


def atom_feed(cfg: Config, site: Site, indexes: Sequence[int], out_path: str, title: str,
              entry: Callable[[int, Links], str]) -> bytes:
    """An Atom 1.0 feed of `indexes` (newest first); its `updated` is the newest entry's, never now.

    Built as text (every value escaped by `_esc`/`_attr`): a feed library building a tree per feed
    cost seconds at a thousand tag feeds; `entry(index, links)` returns a brief's ready-made entry.
    """
    links = _links(cfg, out_path)
    chosen = list(indexes[:cfg.feed_size])
    feed_id = links.canonical(out_path) or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'briefs:{cfg.title}:{out_path}')}"
    updated = max((modified(site.briefs[i]) for i in chosen), default=EPOCH)
    alternate = _href(links, listing_dir(out_path))
    head = (f"<?xml version='1.0' encoding='UTF-8'?>\n"
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{_attr(cfg.language)}">\n'
            f"  <id>{_esc(feed_id)}</id>\n  <title>{_esc(title)}</title>\n  <updated>{updated.isoformat()}</updated>\n"
            f"  <author>\n    <name>{_esc(cfg.title)}</name>\n  </author>\n"
            f'  <link href="{_attr(links.canonical(out_path) or posixpath.basename(out_path))}" rel="self"/>\n'
            f'  <link href="{_attr(alternate)}" rel="alternate" type="text/html"/>\n'
            f'  <generator version="{_attr(__version__)}">Briefs</generator>\n'
            f"  <subtitle>{_esc(cfg.description or title)}</subtitle>\n")
    return (head + "".join(entry(i, links) for i in chosen) + "</feed>\n").encode("utf-8")


# ---------------------------------------------------------------- sitemaps and robots.txt


def site_pages(cfg: Config, site: Site) -> list[tuple[str, dt.datetime]]:
    """Every public page (URL path, last modified), following render's walk and ROUTES."""
    briefs = site.briefs
    newest = modified(max(briefs, key=modified)) if briefs else EPOCH
    pages = [(brief_path(b), modified(b)) for b in briefs]

    def listing(first: str, later: str, indexes: Sequence[int], slug: str = "") -> None:
        # Adding a brief shifts every page of a listing, so each page changes with its newest member.
        latest = max((modified(briefs[i]) for i in indexes), default=newest)
        for path in listing_paths(first, later, len(paginate(indexes, cfg.page_size)), slug):
            pages.append((path.removesuffix("index.html"), latest))

    listing(ROUTES["home"][1], ROUTES["home_page"][1], range(len(briefs)))
    pages.append((ROUTES["tags"][1].removesuffix("index.html"), newest))
    for tag in site.tags:
        listing(ROUTES["tag"][1].format(slug=tag.slug), ROUTES["tag_page"][1], tag.briefs, tag.slug)
    return pages


def sitemap(cfg: Config, pages: Iterable[tuple[str, dt.datetime]]) -> bytes:
    """sitemaps.org urlset; needs an absolute base URL. Built as escaped text (a tree of 17,000 URLs is slow)."""
    lines = [f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP_NS}\">\n"]
    for path, lastmod in pages:
        lines.append(f"  <url>\n    <loc>{_esc(cfg.absolute_base + path)}</loc>\n"
                     f"    <lastmod>{stamp(lastmod)}</lastmod>\n  </url>\n")
    lines.append("</urlset>\n")
    return "".join(lines).encode("utf-8")


def news_briefs(site: Site) -> list[Brief]:
    """Briefs of the two days counted back from the newest one, so a built site always has some."""
    if not site.briefs:
        return []
    since = max(b.date for b in site.briefs) - NEWS_WINDOW  # type: ignore[operator]
    return [b for b in site.briefs if b.date >= since][:NEWS_LIMIT]  # type: ignore[operator]


def news_sitemap(cfg: Config, briefs: Sequence[Brief]) -> bytes:
    """Google News sitemap of `briefs` (see news_briefs): publication name and language, publication date and title per brief."""
    lines = [f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP_NS}\" xmlns:news=\"{NEWS_NS}\">\n"]
    name, language = _esc(cfg.title), _esc(cfg.language.lower())
    for brief in briefs:
        lines.append(f"  <url>\n    <loc>{_esc(cfg.absolute_base + brief_path(brief))}</loc>\n    <news:news>\n"
                     f"      <news:publication>\n        <news:name>{name}</news:name>\n"
                     f"        <news:language>{language}</news:language>\n      </news:publication>\n"
                     f"      <news:publication_date>{stamp(brief.date)}</news:publication_date>\n"  # type: ignore[arg-type]
                     f"      <news:title>{_esc(brief.title)}</news:title>\n    </news:news>\n  </url>\n")
    lines.append("</urlset>\n")
    return "".join(lines).encode("utf-8")


def robots(cfg: Config) -> bytes:
    """Allow everything; list both sitemaps when they exist (they need an absolute base URL)."""
    lines = ["User-agent: *", "Allow: /", ""]
    if cfg.absolute_base:
        lines += [f"Sitemap: {cfg.absolute_base}{ROUTES[k][1]}" for k in ("sitemap", "news_sitemap")]
    else:
        lines += ["# Sitemaps are listed here once base_url is set (crawlers need absolute URLs)."]
    return ("\n".join(lines) + "\n").encode("utf-8")


# ---------------------------------------------------------------- JSON-LD


def json_ld(data: Mapping[str, Any]) -> str:
    """JSON that cannot end its <script>: <, >, & and ' are written as \\u003c and friends."""
    return str(htmlsafe_json_dumps(data, ensure_ascii=False, sort_keys=False, indent=None))


def headline(title: str, limit: int = HEADLINE_LIMIT) -> str:
    """A title cut at a word boundary to fit `limit` characters, with an ellipsis when cut."""
    if len(title) <= limit:
        return title
    cut = title[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:-") + "…"


class StructuredData:
    """schema.org JSON-LD per page: NewsArticle on briefs, CollectionPage + ItemList on listings."""

    def __init__(self, cfg: Config, site: Site) -> None:
        self.cfg = cfg
        self.site = site

    def publisher(self, links: Links) -> dict[str, Any]:
        return {"@type": "Organization", "name": self.cfg.title, "url": _href(links, "")}

    def __call__(self, kind: str, links: Links, context: Mapping[str, Any]) -> str:
        if kind == "brief":
            return json_ld(self.article(context["brief"], links))
        if kind in ("home", "home_page", "tag", "tag_page"):
            items = [(b.title, brief_path(b)) for b in context["briefs"]]
            name = f"Briefs tagged {context['tag'].name}" if "tag" in context else self.cfg.title
            return json_ld(self.collection(name, items, links, context["page_path"]))
        if kind == "tags":
            items = [(t.name, f"tags/{t.slug}/") for t in context["tags"]]
            return json_ld(self.collection(f"Tags · {self.cfg.title}", items, links, context["page_path"]))
        return ""

    def article(self, brief: Brief, links: Links) -> dict[str, Any]:
        url = _href(links, brief_path(brief))
        reporters = [c for c in brief.contributors if not c.role]
        authors: list[dict[str, Any]] = [
            {"@type": "Person", "name": c.name, **({"homeLocation": {"@type": "Place", "name": c.place}} if c.place else {})}
            for c in reporters]
        if not authors:
            authors = [{"@type": "Organization", "name": brief.outlet}] if brief.outlet else [self.publisher(links)]
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": headline(brief.title),
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "datePublished": stamp(brief.date),  # type: ignore[arg-type]
            "dateModified": stamp(modified(brief)),
            "author": authors,
            "publisher": self.publisher(links),
            "inLanguage": self.cfg.language,
        }
        editors = [{"@type": "Person", "name": c.name} for c in brief.contributors if c.role]
        if editors:
            data["editor"] = editors
        if brief.summary:
            data["description"] = brief.summary
        if brief.tags:
            data["articleSection"] = brief.tags[0]
            data["keywords"] = list(brief.tags)
        if brief.dateline:
            data["locationCreated"] = {"@type": "Place", "name": brief.dateline}
        if brief.outlet:
            source = {"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": brief.outlet}}
            data["isBasedOn"] = {**source, **({"author": {"@type": "Person", "name": brief.byline}} if brief.byline else {})}
        return data

    def collection(self, name: str, items: Sequence[tuple[str, str]], links: Links, page_path: str) -> dict[str, Any]:
        return {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": name,
            "url": _href(links, page_path),
            "isPartOf": {"@type": "WebSite", "name": self.cfg.title, "url": _href(links, "")},
            "mainEntity": {
                "@type": "ItemList",
                "numberOfItems": len(items),
                "itemListElement": [{"@type": "ListItem", "position": n, "name": title, "url": _href(links, path)}
                                    for n, (title, path) in enumerate(items, 1)],
            },
        }


# ---------------------------------------------------------------- the whole publishing step


ENTRY_MEMO = 4096  # feed entries kept for the next feeds


def feed_jobs(cfg: Config, site: Site, renderer: Renderer, changed: AbstractSet[int] | None = None) -> list[Job | Unchanged | Output]:
    """feed_outputs as a plan: feeds are Jobs (so the build cache skips unchanged ones and workers
    render them with the pages' Markdown), the sitemaps and robots.txt ready-made Outputs.
    `changed` as in Renderer.plan: a feed that lists none of those briefs is Unchanged."""

    @functools.lru_cache(maxsize=ENTRY_MEMO)  # a brief is in many tag feeds; an entry holds a whole body's HTML
    def entry(index: int, links: Links) -> str:
        return atom_entry(cfg, site, index, links, renderer.body_html(site.briefs[index].body))

    def produce(job: Job) -> bytes:
        return atom_feed(cfg, site, job.context["indexes"], job.path, job.context["title"], entry)

    def feed(kind: str, indexes: Sequence[int], path: str, title: str, changed: AbstractSet[int] | None = None) -> Job | Unchanged:
        chosen = tuple(indexes[:cfg.feed_size])  # the briefs are in the context: the cache sees their content
        if changed is not None and changed.isdisjoint(chosen):
            return Unchanged(kind, path, functools.partial(feed, kind, indexes, path, title))
        return renderer.job(kind, path, indexes=chosen, briefs=[site.briefs[i] for i in chosen], title=title)

    renderer.producers.update(feed=produce, tag_feed=produce, sitemap=lambda job: sitemap(cfg, site_pages(cfg, site)),
                              news_sitemap=lambda job: news_sitemap(cfg, job.context["briefs"]))
    items: list[Job | Unchanged | Output] = [feed("feed", range(len(site.briefs)), ROUTES["feed"][1], cfg.title, changed)]
    for tag in site.tags:
        items.append(feed("tag_feed", tag.briefs, ROUTES["tag_feed"][1].format(slug=tag.slug), f"{tag.name} · {cfg.title}", changed))
    if cfg.absolute_base:
        # Jobs, not ready-made files: an edit that changes no date leaves them as they were, unwritten.
        # Their variables are what site_pages and news_sitemap read of the site, so the cache sees it.
        items.append(renderer.job("sitemap", ROUTES["sitemap"][1], slugs=tuple([b.slug for b in site.briefs]), tags=site.tags,
                                  modified=tuple([modified(b).isoformat() for b in site.briefs])))
        items.append(renderer.job("news_sitemap", ROUTES["news_sitemap"][1], briefs=news_briefs(site)))
    items.append(Output(ROUTES["robots"][1], robots(cfg)))
    return items


def site_renderer(cfg: Config, site: Site, compiled: Path | None = None) -> Renderer:
    """The renderer of every page, with JSON-LD in their head (`compiled`: see render.environment)."""
    return Renderer(cfg, site, structured_data=StructuredData(cfg, site), compiled=compiled)


def publish_plan(cfg: Config, renderer: Renderer, changed: AbstractSet[int] | None = None) -> list[Job | Unchanged | Output]:
    """Every file of the site, unrendered: pages, feeds, sitemaps, robots.txt (`changed`: see Renderer.plan)."""
    return [*renderer.plan(changed), *feed_jobs(cfg, renderer.site, renderer, changed)]


# ---------------------------------------------------------------- search


def find_pagefind() -> Path | None:
    """The Pagefind binary (from the `pagefind[bin]` wheel, PAGEFIND_BINARY_PATH or PATH), or None."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    path = get_executable()
    return path if path is not None and path.is_file() else None


def resolve_search(cfg: Config) -> tuple[Config, str | None]:
    """Turn search off (with a warning) when Pagefind is missing, before any page links to it."""
    if cfg.search and find_pagefind() is None:
        return replace(cfg, search=False), ("search was skipped: the Pagefind binary is missing "
                                            "(pip install 'pagefind[bin]', or set search = false)")
    return cfg, None


def index_search(folder: Path, shards: Mapping[int, Sequence[str]] | None = None, workers: int = 1) -> int:
    """Run Pagefind over a built folder (the staging folder, before the swap); returns pages indexed.
    `shards`: the bundles to make, each from its own pages (see render.search_shards); None for one
    bundle over the whole folder. At most `workers` Pagefind processes run at once.

    The binary itself, not its Python service: the same bundle in two thirds of the time (13.7 s
    against 20.5 s for 10,000 briefs on two cores)."""
    binary = find_pagefind()
    if binary is None:
        raise BriefsError("Pagefind could not index the site: its binary is missing; build with search = false in "
                          "[tool.briefs] to skip search", folder)
    runs = [(folder, folder / search_bundle(0))] if shards is None else [
        (_shard_pages(folder, shard, paths), folder / search_bundle(shard)) for shard, paths in sorted(shards.items())]
    pages = 0
    started: list[subprocess.Popen[str]] = []
    try:
        for start in range(0, len(runs), max(1, workers)):
            batch = [_start_pagefind(binary, site, out, folder) for site, out in runs[start:start + max(1, workers)]]
            started += batch
            for process in batch:
                pages += _pagefind_pages(process, folder)
    finally:
        for process in started:  # one run failed (or the build was stopped): the others must not write on
            if process.poll() is None:
                process.kill()
                process.wait()
        if shards is not None:
            for site, _ in runs:
                shutil.rmtree(site, ignore_errors=True)
    log.info("search: Pagefind indexed %d pages%s", pages, f" into {len(runs)} bundle(s)" if shards is not None else "")
    return pages


def _shard_pages(folder: Path, shard: int, paths: Sequence[str]) -> Path:
    """A hidden folder of hard links to one shard's pages, at their paths, for Pagefind to read as a site."""
    site = folder / f".search-shard-{shard}"
    shutil.rmtree(site, ignore_errors=True)
    for path in paths:
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(folder / path, target)
        except FileNotFoundError:
            raise
        except OSError:  # a file system without hard links
            shutil.copyfile(folder / path, target)
    return site


def _start_pagefind(binary: Path, site: Path, out: Path, folder: Path) -> subprocess.Popen[str]:
    try:
        return subprocess.Popen([str(binary), "--site", str(site), "--output-path", str(out)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, errors="replace", cwd=folder)
    except OSError as exc:
        raise BriefsError(f"Pagefind could not index the site: {exc}; build with search = false in [tool.briefs] "
                          "to skip search", folder) from None


def _pagefind_pages(process: subprocess.Popen[str], folder: Path) -> int:
    """Wait for one Pagefind run: the pages it indexed, or its last line of error as a BriefsError."""
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        last = (stderr.strip() or stdout.strip() or f"exit status {process.returncode}").splitlines()[-1]
        raise BriefsError(f"Pagefind could not index the site: {last}; build with search = false in [tool.briefs] "
                          "to skip search", folder)
    found = re.search(r"Indexed (\d+) pages?", stdout)
    return int(found.group(1)) if found else 0


def search_inputs(renderer: Renderer, plan: Sequence[Job | Output]) -> list[str]:
    """The paths of the pages Pagefind reads into the index: those whose layout marks a
    `data-pagefind-body` (Pagefind then ignores every other page), or every HTML page if none does.
    A static HTML file counts either way (it may carry the mark itself)."""
    env = renderer.env
    marked: dict[str, bool] = {}

    def marks(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name not in marked:
            try:
                source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
                parents = [n for n in jinja2.meta.find_referenced_templates(env.parse(source)) if n and n not in seen]
            except jinja2.TemplateError:
                return True  # it fails to render anyway: be conservative
            marked[name] = "data-pagefind-body" in source or any(marks(n, seen | {name}) for n in parents)
        return marked[name]

    kinds = {kind for kind, (layout, _) in ROUTES.items() if layout and marks(layout)}
    return [item.path for item in plan if item.path.endswith((".html", ".htm"))
            and (not kinds or isinstance(item, Output) or item.kind in kinds)]


def keep_search(previous: Path, folder: Path, shard: int = 0) -> bool:
    """Hard-link one search bundle of the previous site into the new site (its pages did not change).
    The first bundle's folder holds the others: they are kept or made on their own."""
    source = previous / search_bundle(shard)
    if not source.is_dir():
        return False
    target = folder / search_bundle(shard)
    shutil.rmtree(target, ignore_errors=True)
    try:
        shutil.copytree(source, target, copy_function=os.link,
                        ignore=(lambda at, names: ["shards"] if Path(at) == source and not shard else []))
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True
