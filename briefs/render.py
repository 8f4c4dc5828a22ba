"""Site → Outputs through Jinja2 layouts. Writes nothing; every page kind has one route."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import logging
import posixpath
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import AbstractSet, Any, Callable, Iterable, Iterator, Mapping
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import jinja2
import markdown
from markdown.inlinepatterns import ENTITY_RE, InlineProcessor
from markdown.treeprocessors import InlineProcessor as StockInline, Treeprocessor
from markdown.util import AtomicString

from .catalog import paginate
from .config import Config
from .content import INVISIBLE, body_problem
from .errors import TemplateError
from .model import Brief, Output, Site
from .text import unescape_markdown

log = logging.getLogger(__name__)

PACKAGE_LAYOUTS = Path(__file__).parent / "layouts"
SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}

# Page kind → (layout, output path). `{n}` is a page number ≥ 2, `{slug}` a brief or tag slug.
ROUTES: dict[str, tuple[str, str]] = {
    "brief": ("brief.html", "{slug}/index.html"),
    "home": ("index.html", "index.html"),
    "home_page": ("index.html", "page/{n}/index.html"),
    "tags": ("tags.html", "tags/index.html"),
    "tag": ("tag.html", "tags/{slug}/index.html"),
    "tag_page": ("tag.html", "tags/{slug}/page/{n}/index.html"),
    "not_found": ("404.html", "404.html"),
    "search": ("search.html", "search/index.html"),  # only when search is on
    # Files other programs read, built in publish.py (no layout):
    "feed": ("", "feed.xml"),
    "tag_feed": ("", "tags/{slug}/feed.xml"),
    "sitemap": ("", "sitemap.xml"),  # only with an absolute base_url
    "news_sitemap": ("", "news-sitemap.xml"),  # only with an absolute base_url
    "robots": ("", "robots.txt"),
    "search_index": ("", "pagefind/"),  # written by Pagefind over the finished site
}

SEARCH_SHARD_PAGES = 1000  # briefs one search bundle holds at most: any change to one of its pages re-indexes them all
SEARCH_BUNDLES_MAX = 32  # a reader's search fetches a few small files per bundle: beyond this, bundles grow instead


def search_shards(briefs: int) -> int:
    """How many bundles the search index is split into: one up to SEARCH_SHARD_PAGES briefs, then a
    power of two (so a growing site re-splits rarely), at most SEARCH_BUNDLES_MAX. Pagefind cannot
    update an index, and at 10,000 briefs re-indexing them all took 12 s and 1.8 GB for any edit; a
    bundle of ~625 takes ~0.8 s."""
    shards = 1
    while briefs > shards * SEARCH_SHARD_PAGES and shards < SEARCH_BUNDLES_MAX:
        shards *= 2
    return shards


def search_shard(path: str, shards: int) -> int:
    """The bundle a page's words go to: by a hash of its path, so it stays there as the site grows by other pages."""
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=4).digest(), "big") % shards if shards > 1 else 0


def search_split(site: Site) -> tuple[int, list[int]]:
    """The bundles the index is split into, and those besides the first that hold a brief (the search
    page merges them). The first always holds one: the search page loads Pagefind's UI from it."""
    shards = search_shards(len(site.briefs))
    held = {search_shard(brief_file(b.slug), shards) for b in site.briefs} if shards > 1 else {0}
    if 0 not in held:  # (a handful of briefs split very small, as in tests: one bundle then)
        return 1, []
    return shards, sorted(held - {0})


def search_bundle(shard: int) -> str:
    """A shard's bundle in the site: the first is Pagefind's usual folder (the search page loads its UI
    from there), the others sit inside it and are merged in by the search page."""
    return ROUTES["search_index"][1] + (f"shards/{shard}/" if shard else "")


# kind, Links for the page, template variables → JSON-LD text for the page's <head> ("" for none).
StructuredData = Callable[[str, "Links", Mapping[str, Any]], str]


# ---------------------------------------------------------------- Markdown


class _SafeLinks(Treeprocessor):
    """Drop link and image targets with schemes a browser would execute (javascript:, data:, …)."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            for name, value in element.items():  # "&#106;avascript:" is javascript: to a browser; "&#0;" is no text
                element.set(name, INVISIBLE.sub("", html.unescape(value)))
            for attr in ("href", "src"):
                value = element.get(attr)
                if value is None:
                    continue
                try:
                    parts = urlsplit("".join(value.split()))
                except ValueError:  # e.g. "http://[::1" is no URL at all
                    del element.attrib[attr]
                    continue
                if parts.scheme.lower() not in SAFE_SCHEMES:
                    del element.attrib[attr]
                elif element.tag == "img" and parts.netloc:
                    # a page never loads from another host (see check.py): link to the image instead
                    alt = element.get("alt") or value
                    element.tag, element.text = "a", alt
                    element.attrib.clear()
                    element.set("href", value)


class _Entities(InlineProcessor):
    """Character references become their characters; a reference to a control character is dropped."""

    def handleMatch(self, m: Any, data: str) -> tuple[str, int, int]:  # type: ignore[override]
        return INVISIBLE.sub("", html.unescape(m.group(1))), m.start(0), m.end(0)


class _OneH1(Treeprocessor):
    """The layout owns the page's only <h1> (the headline): a body's level-1 headings become <h2>."""

    def run(self, root: Element) -> None:
        for element in root.iter("h1"):
            element.tag = "h2"


# Inline pattern (by its name in Python-Markdown's registry) → texts of which a string must contain at
# least one for the pattern to match (its regular expression cannot match without it).
INLINE_NEEDS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",), "escape": ("\\",), "reference": ("[",), "link": ("[",), "image_link": ("![",),
    "image_reference": ("![",), "short_reference": ("[",), "short_image_ref": ("![",), "autolink": ("<",),
    "automail": ("<",), "linebreak": ("  \n",), "entity": ("&",), "em_strong": ("*", "_"),
}


class _QuickInline(StockInline):
    """Python-Markdown's inline step, minus the pattern calls that cannot match: most text of a news
    brief has no backtick, bracket, asterisk or ampersand, and trying each of the 13 patterns on it
    anyway was the largest part of converting a page. The output is the stock step's, byte for byte
    (tests/test_render.py compares the two). Patterns not in INLINE_NEEDS are always tried."""

    needs: list[tuple[str, ...] | None] | None = None  # per pattern index; made at the first run, when all are registered

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        if self.needs is None:
            registry = self.md.inlinePatterns
            self.needs = [None] * len(registry)
            for name, needs in INLINE_NEEDS.items():
                if name in registry:
                    self.needs[registry.get_index_for_name(name)] = needs
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802 (overrides the stock private method)
        if isinstance(data, AtomicString):
            return data
        apply, patterns, needs = self._InlineProcessor__applyPattern, self.inlinePatterns, self.needs
        start, count = 0, len(patterns)
        while patternIndex < count:
            wanted = needs[patternIndex]
            if wanted is not None:
                for text in wanted:  # a loop, not any(): this runs ~200 times a page
                    if text in data:
                        break
                else:
                    patternIndex, start = patternIndex + 1, 0
                    continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def markdown_converter(quick: bool = True) -> markdown.Markdown:
    """Python-Markdown with raw HTML disabled (it is shown as text) and unsafe URLs removed."""
    # No "smarty": it doubled conversion time, and ingest already keeps the seed's own curly quotes and dashes.
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.inlinePatterns.register(_Entities(ENTITY_RE, md), "entity", 80)
    md.treeprocessors.register(_SafeLinks(md), "safe_links", 0)
    md.treeprocessors.register(_OneH1(md), "one_h1", 1)
    if quick and hasattr(StockInline, "_InlineProcessor__applyPattern"):  # the stock step as it is in Python-Markdown 3.x
        md.treeprocessors.register(_QuickInline(md), "inline", 20)
    return md


# ---------------------------------------------------------------- Jinja2


class _ContainedLoader(jinja2.FileSystemLoader):
    """Loads layouts from one folder only: a layout that is a symlink to a file outside it is refused.

    (`followlinks=False` only affects listing templates; loading by name follows links.)
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        root = Path(self.searchpath[0]).resolve()
        if filename is not None and not Path(filename).resolve().is_relative_to(root):
            raise TemplateError(f"layout {template!r} links to {Path(filename).resolve()}, outside the layouts folder; "
                                "copy the file in instead", filename)
        return source, filename, uptodate


class _CompiledLayouts(jinja2.FileSystemBytecodeCache):
    """Compiled layouts kept between builds (compiling them again took a third of a one-brief
    rebuild's rendering). A folder that cannot be written only costs compiling them next time."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as exc:
            log.debug("compiled layouts not kept: %s", exc)


def environment(layouts: Path | None, compiled: Path | None = None) -> jinja2.Environment:
    """User layouts first, then the package's defaults; autoescape and StrictUndefined on.
    `compiled`: a folder of the build cache for this code version's compiled layouts (see
    cache.BuildCache.compiled_layouts); Jinja2 keys them by each layout's source."""
    loaders: list[jinja2.BaseLoader] = []
    if layouts is not None and layouts.is_dir():
        loaders.append(_ContainedLoader(str(layouts), followlinks=False))
    loaders.append(jinja2.FileSystemLoader(str(PACKAGE_LAYOUTS)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a build reads each layout once; no stat of every layout for every page
        bytecode_cache=_CompiledLayouts(str(compiled)) if compiled is not None else None,
    )
    env.filters["display_date"] = display_date
    env.filters["brief_path"] = brief_path  # as filters too: a filter is a plain call, a global function goes through Jinja's dispatch
    return env


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # not strftime's %B: the same in every locale, and 8 times faster


def display_date(value: dt.datetime) -> str:
    text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return text if (value.hour, value.minute) == (0, 0) else f"{text}, {value:%H:%M} {value.tzname() or ''}".rstrip()


def _template_error(exc: Exception, name: str, layouts: Path | None) -> TemplateError:
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None)
    if isinstance(exc, jinja2.UndefinedError):
        # the failing frame's template is not on the exception: find the deepest layout frame
        tb, filename, lineno = exc.__traceback__, None, None
        while tb is not None:
            code = tb.tb_frame.f_code.co_filename
            if code.endswith(".html"):
                filename, lineno = code, tb.tb_lineno
            tb = tb.tb_next
    where = filename or str((layouts or PACKAGE_LAYOUTS) / name)
    fix = "check the name against the template reference in README.md" if isinstance(exc, jinja2.UndefinedError) else "fix the template syntax"
    return TemplateError(f"{exc.__class__.__name__}: {exc}; {fix}", where, lineno)


# ---------------------------------------------------------------- pages


@dataclass(frozen=True, slots=True)
class Links:
    """URL helpers for one page: internal links are relative to the page, so the site works under any path."""

    root: str  # "" at the top, "../" one level down; base_path for 404.html
    absolute_base: str

    def url(self, path: str = "") -> str:
        return self.root + path if (self.root or path) else "./"

    def canonical(self, path: str = "") -> str:
        return self.absolute_base + path if self.absolute_base else ""


def root_for(out_path: str) -> str:
    depth = out_path.count("/")
    return "../" * depth


@dataclass(frozen=True, slots=True)
class Job:
    """One template page: its kind (a ROUTES key), output path, template variables, and the
    Markdown to convert into `body`. Rendering is deferred so unchanged pages can be skipped."""

    kind: str
    path: str
    context: Mapping[str, Any]
    markdown: str | None = None


@dataclass(frozen=True, slots=True)
class Unchanged:
    """A page none of whose briefs changed, in a build where nothing but some briefs' content did
    (see Renderer.plan): its file and fingerprint are the last build's. `make` gives its Job, for
    when that file has gone from site/ after all."""

    kind: str
    path: str
    make: Callable[[], Job]


def text_key(text: str) -> bytes:
    """A text's 16-byte hash: the key of its converted body here and in the build cache."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def convert_body(md: markdown.Markdown, text: str) -> str:
    """A brief's Markdown as HTML (plain text when Markdown could take unbounded time on it)."""
    if body_problem(text):
        return plain_text_html(text)
    md.reset()  # no state leaks between pages
    return md.convert(text)


def convert_bodies(texts: Iterable[str]) -> dict[bytes, str]:
    """Bodies converted ahead of rendering, in another process: by text_key, as Renderer.body_html keeps them."""
    md = markdown_converter()
    return {text_key(text): convert_body(md, text) for text in texts}


def plain_text_html(text: str) -> str:
    """A body too large or too nested for Markdown, as escaped paragraphs: linear time, nothing lost."""
    paragraphs = (" ".join(unescape_markdown(block).split()) for block in re.split(r"\n[ \t]*\n", text))
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p)


class Renderer:
    """Renders every page kind of a Site. Compile templates once; convert Markdown once per brief."""

    def __init__(self, cfg: Config, site: Site, structured_data: StructuredData | None = None,
                 compiled: Path | None = None) -> None:
        self.cfg = cfg
        self.site = site
        self.structured_data = structured_data  # publish.py supplies schema.org JSON-LD
        self.layouts = cfg.path("layouts_dir")
        self.env = environment(self.layouts, compiled)
        self.md = markdown_converter()
        self.bodies: dict[bytes, str] = {}  # Markdown → HTML by hash of the Markdown (the build cache fills it)
        self._new_bodies: dict[bytes, str] = {}
        self.keep_bodies = True  # a worker process sends its conversions to the parent instead of keeping them
        # Kinds with no layout in ROUTES (feeds, sitemaps): a function of the Job makes their bytes.
        self.producers: dict[str, Callable[[Job], bytes]] = {}
        self.env.globals.update(
            site=site, config=_site_settings(cfg), brief_path=brief_path, tag_path=self.tag_path,
        )
        self.env.filters["tag_path"] = self.tag_path

    @functools.cached_property
    def search_split(self) -> tuple[int, list[int]]:
        """search_split(site), once a build: the search page lists the bundles the build then makes."""
        return search_split(self.site)

    def tag_path(self, name: str) -> str:
        return f"tags/{self.site.tag_slugs[name]}/"

    def body_html(self, text: str) -> str:
        """Markdown → HTML with this renderer's one converter; each distinct text is converted once
        (pages and feeds share the result)."""
        key = text_key(text)
        html = self.bodies.get(key)
        if html is None:
            html = convert_body(self.md, text)
            if self.keep_bodies:
                self.bodies[key] = html
            else:
                self._new_bodies[key] = html
        return html

    def take_new_bodies(self) -> dict[bytes, str]:
        """A worker's conversions since the last call (it sends them to the parent, see keep_bodies)."""
        new, self._new_bodies = self._new_bodies, {}
        return new

    def add_bodies(self, bodies: Mapping[bytes, str]) -> None:
        self.bodies.update(bodies)

    def warm(self) -> None:
        """Compile every layout now, so forked workers inherit compiled templates."""
        for layout, _ in ROUTES.values():
            if layout:
                try:
                    self.env.get_template(layout)
                except jinja2.TemplateNotFound:
                    pass
                except jinja2.TemplateError as exc:
                    raise _template_error(exc, layout, self.layouts) from None

    def job(self, kind: str, out_path: str, markdown: str | None = None, **context: Any) -> Job:
        """A page to render later: cheap to make, so the build cache can skip unchanged ones."""
        return Job(kind, out_path, context, markdown)

    def render(self, job: Job) -> Output:
        """Run the page's layout (converting its Markdown first, if any) and return its bytes."""
        if job.kind in self.producers:
            return Output(job.path, self.producers[job.kind](job))
        layout = ROUTES[job.kind][0]
        root = self.cfg.base_path if job.kind == "not_found" else root_for(job.path)
        links = Links(root=root, absolute_base=self.cfg.absolute_base)
        page_url = job.path.removesuffix("index.html")
        context = dict(job.context)
        if job.markdown is not None:
            context["body"] = self.body_html(job.markdown)
        try:
            template = self.env.get_template(layout)
            data = self.structured_data(job.kind, links, {**context, "page_path": page_url}) if self.structured_data else ""
            html = template.render(kind=job.kind, url=links.url, root=links.root, canonical=links.canonical(page_url),
                                   page_path=page_url, structured_data=data, **context)
        except jinja2.TemplateError as exc:
            raise _template_error(exc, layout, self.layouts) from None
        return Output(job.path, html.encode("utf-8"))

    def brief_job(self, index: int, changed: AbstractSet[int] | None = None) -> Job | Unchanged:
        brief = self.site.briefs[index]
        path = brief_file(brief.slug)
        more, related = self.site.same_story.get(index, ()), self.site.related.get(index, ())
        if changed is not None and index not in changed and changed.isdisjoint(more) and changed.isdisjoint(related):
            return Unchanged("brief", path, functools.partial(self.brief_job, index))
        briefs = self.site.briefs
        return self.job("brief", path, markdown=brief.body, brief=brief,
                        more=[briefs[i] for i in more], related=[briefs[i] for i in related])

    def listing_jobs(self, kind: str, indexes: tuple[int, ...], first: str, later: str,
                     changed: AbstractSet[int] | None = None, **context: Any) -> Iterator[Job | Unchanged]:
        pages = paginate(indexes, self.cfg.page_size)
        paths = listing_paths(first, later, len(pages), context.get("tag_slug", ""))

        def job(n: int) -> Job:
            page = replace(pages[n], items=tuple(self.site.briefs[i] for i in pages[n].items))
            return self.job(kind, paths[n], page=page, briefs=list(page.items), prev_path=listing_dir(paths[n - 1]) if n else None,
                            next_path=listing_dir(paths[n + 1]) if n + 1 < len(paths) else None, **context)

        for n, page in enumerate(pages):
            if changed is not None and changed.isdisjoint(page.items):
                yield Unchanged(kind, paths[n], functools.partial(job, n))
            else:
                yield job(n)

    def plan(self, changed: AbstractSet[int] | None = None) -> Iterator[Job | Unchanged | Output]:
        """Every file of the site in a fixed order: template pages as Jobs, ready-made files as Outputs.

        `changed` is the caller's word that this build differs from the last one only in the content
        of these briefs (by index; same catalog, layouts, settings and code): a page that shows none
        of them is then Unchanged, neither made nor fingerprinted again (an edit touches ~15 of 17,000)."""
        site = self.site
        for index in range(len(site.briefs)):
            yield self.brief_job(index, changed)
        yield from self.listing_jobs("home", tuple(range(len(site.briefs))), ROUTES["home"][1], ROUTES["home_page"][1], changed)
        yield self.unless(changed, self.job("tags", ROUTES["tags"][1], tags=site.tags))
        for tag in site.tags:
            yield from self.listing_jobs("tag", tag.briefs, ROUTES["tag"][1].format(slug=tag.slug), ROUTES["tag_page"][1],
                                         changed, tag=tag, tag_slug=tag.slug)
        yield self.unless(changed, self.job("not_found", ROUTES["not_found"][1]))
        if self.cfg.search:
            bundles = [search_bundle(shard) for shard in self.search_split[1]]
            yield self.unless(changed, self.job("search", ROUTES["search"][1], search_bundles=bundles))
        yield from static_outputs(self.layouts)

    @staticmethod
    def unless(changed: AbstractSet[int] | None, job: Job) -> Job | Unchanged:
        """A page that shows no brief: Unchanged whenever only briefs changed."""
        return job if changed is None else Unchanged(job.kind, job.path, lambda: job)


def listing_paths(first: str, later: str, count: int, slug: str = "") -> list[str]:
    """The output paths of a listing's `count` pages: `first`, then `later` numbered from 2."""
    return [first, *(later.format(n=n, slug=slug) for n in range(2, count + 1))]


def listing_dir(path: str) -> str:
    folder = posixpath.dirname(path)
    return folder + "/" if folder else ""


def brief_path(brief: Brief) -> str:
    return f"{brief.slug}/"


def brief_file(slug: str) -> str:
    """A brief page's file in the site (the search index's bundles are chosen by it too)."""
    return ROUTES["brief"][1].format(slug=slug)


def _site_settings(cfg: Config) -> dict[str, Any]:
    return {"title": cfg.title, "description": cfg.description, "language": cfg.language,
            "base_url": cfg.base_url, "timezone": cfg.timezone, "search": cfg.search}


def static_outputs(layouts: Path | None) -> Iterator[Output]:
    """Files under static/ (package defaults, overridden by the user's layouts/static/)."""
    files: dict[str, Path] = {}
    for folder in (PACKAGE_LAYOUTS / "static", (layouts / "static") if layouts else None):
        if folder is None or not folder.is_dir():
            continue
        base = folder.resolve()
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.resolve().is_relative_to(base):
                files[path.relative_to(folder).as_posix()] = path
    for rel, path in sorted(files.items()):
        yield Output(rel, path.read_bytes())


def render_site(cfg: Config, site: Site) -> list[Output]:
    renderer = Renderer(cfg, site)
    return [renderer.render(item) if isinstance(item, Job) else item for item in renderer.plan()]
