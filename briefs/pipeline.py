"""The only module that knows the order of the steps: seeds → content → site."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, NamedTuple, Sequence

from . import __version__
from .catalog import build_site
from .cache import CHECK_MEMO, BodyStore, BuildCache, Fingerprints, Previous, brief_key, code_version, folder_identity, layout_files, quick_key
from .cache import file_digest, flat_brief, stat_key, text_key, unflat_brief
from .cache import Page as CachedPage
from .config import Config
from .content import WriteReport, is_unedited, load_page, scan_content, seed_pages, write_atomic, write_pages
from .errors import BriefsError, CheckError, ConfigError, SeedError
from .model import Brief, Site, revised
from .output import Shadow, WorkAhead, can_fork, chunked, fork_map, recover, usable_cores, write_site
from .publish import find_pagefind, index_search, keep_search, publish_plan, resolve_search, search_inputs, site_renderer
from .render import convert_bodies, search_shard

if TYPE_CHECKING:
    from .tags import Taxonomy

log = logging.getLogger(__name__)

PLACEHOLDER_HOSTS = {"example.org", "example.com", "example.net"}  # RFC 2606 names: never a real site
# ingest, tags and check are imported where used: a rebuild with nothing to do should not pay for them.

SEED_SUFFIXES = {".txt", ".text", ".md"}


@dataclass
class IngestReport:
    seeds: int = 0
    skipped: int = 0  # unchanged since the last ingest
    briefs: int = 0
    pages: WriteReport = field(default_factory=WriteReport)
    warnings: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line per seed that could not be read


@dataclass
class BuildReport:
    pages: int = 0
    briefs: int = 0
    tags: int = 0
    seconds: float = 0.0
    ingest: IngestReport | None = None
    warnings: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # output paths written afresh; the others were reused
    reused: int = 0  # outputs whose inputs did not change: not rendered, not rewritten


def now_for(cfg: Config) -> dt.datetime:
    if cfg.now:
        try:
            value = dt.datetime.fromisoformat(cfg.now)
        except ValueError:
            raise ConfigError(f"--now must be an ISO date or datetime, not {cfg.now!r}") from None
        return value if value.tzinfo else value.replace(tzinfo=cfg.tz)
    return dt.datetime.now(cfg.tz)


def taxonomy_for(cfg: Config) -> Taxonomy:
    """The shipped alias taxonomy with the project's taxonomy.yml (if any) merged on top."""
    from .tags import DEFAULT_TAXONOMY, load_taxonomy

    path = cfg.root / cfg.taxonomy_file
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return load_taxonomy(text, DEFAULT_TAXONOMY, str(path)) if text else DEFAULT_TAXONOMY


def seed_files(seeds_dir: Path) -> list[Path]:
    """Seed files in name order; a symlink to a file outside the seeds folder is refused, never read."""
    if not seeds_dir.is_dir():
        return []
    files = sorted(p for p in seeds_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    root = seeds_dir.resolve()
    for path in files:
        if not path.resolve().is_relative_to(root):
            raise SeedError("links to a file outside the seeds folder; copy the file in instead", path)
    return files


def ingest_version(cfg: Config) -> str:
    """Changes whenever the ingest rules or the project's taxonomy change, so seeds are re-ingested."""
    from . import credits, dates, ingest as ingest_module, tags as tags_module, text

    digest = hashlib.sha256(__version__.encode())
    rules = [Path(m.__file__ or "") for m in (text, dates, credits, tags_module, ingest_module)]
    builtin_taxonomy = Path(tags_module.__file__ or "").with_name("taxonomy.yml")
    for path in (*rules, builtin_taxonomy, cfg.root / cfg.taxonomy_file):
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()[:16]


def _ledger_path(cfg: Config) -> Path:
    return cfg.path("cache_dir") / "seeds.json"


def _read_ledger(cfg: Config, version: str) -> dict[str, dict]:
    try:
        data = json.loads(_ledger_path(cfg).read_text(encoding="utf-8"))
        return data["seeds"] if data.get("version") == version else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


INGEST_POOL_SEEDS = 8  # seeds to ingest: below this, or below INGEST_POOL_BYTES of them, one process does it
INGEST_POOL_BYTES = 500_000  # (~0.2 s of ingest: starting worker processes costs more than it saves below that)


def ingest(cfg: Config, *, force: bool = False, prune: bool = False, only_changed: bool = True) -> IngestReport:
    """Turn every seed that changed into content pages; edited pages are kept, never overwritten.
    Many seeds to read (a new archive, or every seed after an upgrade) are read on every core; the
    pages are written here, in seed order, so the result does not depend on the workers."""
    report = IngestReport()
    content_dir, seeds_dir = cfg.path("content_dir"), cfg.path("seeds_dir")
    version = ingest_version(cfg)
    ledger = _read_ledger(cfg, version) if only_changed and not force else {}
    new_ledger: dict[str, dict] = {}
    files = seed_files(seeds_dir)
    todo: list[tuple[Path, bytes, str]] = []  # (seed, its bytes, their digest)
    for path in files:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        known = ledger.get(path.name)
        if known and known.get("sha256") == digest and all((content_dir / path.stem / n).exists() for n in known.get("pages", [])):
            new_ledger[path.name] = known
            report.skipped += 1
        else:
            todo.append((path, data, digest))
    for (path, _, digest), read in zip(todo, _read_seeds(cfg, [(path, data) for path, data, _ in todo])):
        if read.pages is None:
            report.failed.append(read.failure)
            continue
        report.warnings += [f"{path}: {w.removeprefix(path.name + ': ')}" for w in read.warnings]
        write_pages(content_dir / path.stem, read.pages, force=force, report=report.pages)
        report.seeds += 1
        report.briefs += len(read.pages)
        new_ledger[path.name] = {"sha256": digest, "pages": list(read.pages)}
    seed_stems = {p.stem for p in files}
    if content_dir.is_dir():
        for folder in sorted(p for p in content_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if folder.name in seed_stems:
                continue
            for page in sorted(folder.glob("*.md")):
                text = page.read_text(encoding="utf-8", errors="replace")
                if "\nseed:" not in text:
                    continue  # a hand-made page, not from a seed
                if prune and is_unedited(text):
                    page.unlink()
                    report.pages.removed.append(str(page))
                else:
                    report.pages.orphaned.append(str(page))
    for page in report.pages.kept_edited:
        report.warnings.append(f"{page}: edited by hand, so re-ingest kept it (use --force to overwrite)")
    if report.pages.orphaned:
        report.warnings.append(
            f"{len(report.pages.orphaned)} page(s) come from seeds that no longer exist, e.g. {report.pages.orphaned[0]}"
            + ("" if prune else " (use --prune to remove the unedited ones)"))
    if new_ledger != ledger or not _ledger_path(cfg).exists():
        write_atomic(_ledger_path(cfg), json.dumps({"version": version, "seeds": new_ledger}, indent=1, sort_keys=True).encode())
    return report


class SeedRead(NamedTuple):
    """What reading one seed gave: its pages by file name (None if it failed, and why)."""

    warnings: list[str]
    pages: dict[str, str] | None
    failure: str = ""


def _read_seeds(cfg: Config, todo: list[tuple[Path, bytes]]) -> list[SeedRead]:
    """Each seed read, in order; on every core when there are many."""
    if not todo:
        return []
    taxonomy = taxonomy_for(cfg)
    tz = cfg.tz

    def read(chunk: Sequence[tuple[Path, bytes]]) -> list[SeedRead]:
        return [_read_seed(path, data, taxonomy, tz) for path, data in chunk]

    workers = usable_cores()
    if can_fork(workers, len(todo), INGEST_POOL_SEEDS) and sum(len(data) for _, data in todo) >= INGEST_POOL_BYTES:
        chunks = chunked(todo, max(1, len(todo) // (workers * 4)))  # (small chunks: seeds differ much in size)
        return [outcome for done in fork_map(read, chunks, workers) for outcome in done]
    return read(todo)


def _read_seed(path: Path, data: bytes, taxonomy: Taxonomy, tz: dt.tzinfo) -> SeedRead:
    """One seed's outcome, its pages written out as text (in the worker: YAML is a third of the work); its
    errors are values, so that one bad seed (or a bug in ingest) costs the others nothing."""
    from .ingest import decode_seed, ingest_text

    try:
        text, warnings = decode_seed(data, path.name)
    except SeedError as exc:
        return SeedRead([], None, str(exc) if exc.path else f"{path}: {exc}")
    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, tz).date()
    try:
        result = ingest_text(text, path.name, taxonomy, fallback_date=mtime)
        return SeedRead([*warnings, *result.warnings], seed_pages(result.briefs))
    except Exception as exc:  # a bug in ingest must not cost the other seeds their pages
        log.debug("ingest of %s failed", path, exc_info=True)
        return SeedRead([], None, f"{path}: ingest failed ({type(exc).__name__}: {exc}); this is a bug in Briefs, "
                        "please report it with the seed (run with --verbose for the traceback)")


def pages_key(cfg: Config) -> bytes:
    """What a parsed page depends on besides its bytes."""
    return repr((cfg.timezone, Path(cfg.content_dir).as_posix().rstrip("/"))).encode()


def load_pages(cfg: Config, stats: dict[str, tuple[int, int]], cache: BuildCache, key: bytes) -> tuple[dict[str, CachedPage], list[str]]:
    """Parse every content page, by source path; with a cache, a page whose size and mtime (or, failing
    that, bytes) did not change since the last build is taken from the cache instead of parsed again.
    Many pages to parse (a cold build) are parsed on every core. `key`: pages_key(cfg). Also returns the sources the cache
    does not have as they are now (BuildCache.save_pages stores them; the caller decides when)."""
    content_dir = cfg.path("content_dir")
    tz = cfg.tz
    prefix = Path(cfg.content_dir).as_posix().rstrip("/")
    known = cache.pages(key)
    pages: dict[str, CachedPage] = {}
    # pages to parse: source, size, mtime, file, bytes (None: the parser reads the file, so a cold build
    # never holds every page's text in this process)
    todo: list[tuple[str, int, int, str, bytes | None]] = []
    base = str(content_dir) + os.sep
    for name, (size, mtime_ns) in stats.items():
        rel = name[len(base):] if os.sep == "/" and name.startswith(base) else Path(name).relative_to(content_dir).as_posix()
        source = f"{prefix}/{rel}"
        entry = known.get(source)
        if entry is None:
            pages[source] = None  # type: ignore[assignment]  # keeps the walk's order
            todo.append((source, size, mtime_ns, name, None))
            continue
        # changed this close to the shard's save, the mtime proves nothing: compare the bytes
        if (entry.size, entry.mtime_ns) != (size, mtime_ns) or mtime_ns >= entry.saved_ns - RACY_NS:
            with open(name, "rb") as handle:
                data = handle.read()
            digest = file_digest(data)
            if entry.digest != digest:
                pages[source] = None  # type: ignore[assignment]
                todo.append((source, size, mtime_ns, name, data))
                continue
            if (entry.size, entry.mtime_ns) != (size, mtime_ns):
                entry = CachedPage(size, mtime_ns, digest, entry.brief)
        pages[source] = entry
    parsed = _parse_all([(source, name, data) for source, _, _, name, data in todo], tz)
    for (source, size, mtime_ns, _, _), (digest, brief) in zip(todo, parsed):
        pages[source] = CachedPage(size, mtime_ns, digest, brief)
    changed = [k for k in pages if known.get(k) is not pages[k]] + [k for k in known if k not in pages]
    return pages, changed


PARSE_POOL_MIN = 1000  # pages to parse: below this, starting worker processes costs more than it saves


def _parse_one(source: str, name: str, data: bytes | None, tz: dt.tzinfo) -> tuple[bytes, Brief]:
    """A page's hash and Brief, reading its file if its bytes were not read already."""
    if data is None:
        with open(name, "rb") as handle:
            data = handle.read()
    return file_digest(data), load_page(data.decode("utf-8", errors="replace"), source, tz)


def _parse_chunk(items: list[tuple[str, str, bytes | None]], tz: dt.tzinfo) -> list[tuple[bytes, tuple]]:
    """In a worker: pages as plain tuples, which cross the pipe back for a third of a Brief's cost."""
    return [(digest, flat_brief(brief)) for digest, brief in (_parse_one(*item, tz) for item in items)]


def _parse_all(items: list[tuple[str, str, bytes | None]], tz: dt.tzinfo) -> list[tuple[bytes, Brief]]:
    """_parse_one over every (source, file, bytes) item, in order; on all cores when there are many
    (the first error wins)."""
    workers = usable_cores()
    if not can_fork(workers, len(items), PARSE_POOL_MIN):
        return [_parse_one(*item, tz) for item in items]
    size = max(50, min(500, len(items) // (workers * 4)))
    chunks = chunked(items, size)
    return [(digest, unflat_brief(values)) for chunk in fork_map(functools.partial(_parse_chunk, tz=tz), chunks, workers)
            for digest, values in chunk]


RACY_NS = 2_000_000_000  # a file changed within this long of a cache write may share its mtime: check its bytes


def verify_site(folder: Path, cfg: Config, memo: Path | None = None, keys: Mapping[str, bytes] | None = None) -> int:
    """Run the site check on a built folder; any problem is a CheckError listing them all.

    With a `memo` (a file in the cache) and `keys` (each output's fingerprint), only the files that
    changed since the last check are read again (see check.CheckMemo): same problems, less work."""
    from .check import CheckMemo, check_site

    report = check_site(folder, cfg, CheckMemo(memo, code_version()) if memo is not None else None, keys)
    if report.problems:
        lines = tuple(str(p) for p in report.problems)
        raise CheckError(f"the site check found {len(lines)} problem(s), e.g. {lines[0]}; the previous site was left as it was "
                         "(fix the layouts or content, or build with --no-check to skip the check)", lines)
    log.debug("checked %d files (%d pages, %d links): no problems", report.files, report.pages, report.links)
    return report.pages


GC_THRESHOLD = 100_000  # allocations between the collector's youngest passes during a build (Python's default: 700)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """A build holds ~10^6 long-lived objects (pages, briefs, plans): at the default threshold the
    collector walks them again and again, a third of the catalog's and the plan's time on an edit.
    Collecting less often keeps every cycle collectable, at a few MB of garbage between passes."""
    old = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def render(cfg: Config, progress: Callable[[int, int], None] | None = None) -> BuildReport:
    """content/ → site/: load, catalog, render, write (atomically), doing only what changed.

    A build that would change no file does not touch site/ at all; otherwise unchanged files are
    hard-linked into the new tree (same inode and mtime) and only changed pages are rendered.
    """
    with _fewer_collections(), contextlib.ExitStack() as cleanup:
        return _render(cfg, progress, cleanup)


AHEAD_MIN = 1000  # bodies to convert on a cold build before it is worth converting some while the build plans
AHEAD_CHUNK = 25  # bodies a chunk (~10 ms): the plan waits for at most two when it stops the worker


def _convert_ahead(briefs: list[Brief], bodies: BodyStore, cleanup: contextlib.ExitStack) -> WorkAhead | None:
    """With no converted body at hand (a cold build), Markdown is converted on the core the catalog
    and plan leave idle, straight into the body cache; rendering then converts only what this did
    not reach. (Returned instead, 100,000 briefs' worth would wait in this process's memory.)"""
    if bodies.path is None or bodies.readable or bodies.new or not can_fork(usable_cores(), len(briefs), AHEAD_MIN):
        return None
    texts = list(dict.fromkeys(b.body for b in briefs))
    chunks = chunked(texts, AHEAD_CHUNK)
    return cleanup.enter_context(WorkAhead(lambda chunk: bodies.store_now(convert_bodies(chunk)), chunks))


def _render(cfg: Config, progress: Callable[[int, int], None] | None, cleanup: contextlib.ExitStack) -> BuildReport:
    started = time.perf_counter()
    cfg, search_skipped = resolve_search(cfg)
    target = cfg.path("output_dir")
    recover(target)
    cache = BuildCache(cfg)
    previous = cache.previous(target)
    now = now_for(cfg)
    stats = scan_content(cfg.path("content_dir"))
    layouts = layout_files(cfg)
    quick = quick_key(cfg, stats, layouts)
    racy = any(mtime >= previous.saved_ns - RACY_NS for _, mtime in stats.values())
    if previous.site is not None and previous.quick == quick and not racy and now.timestamp() < previous.release_at:
        log.debug("nothing changed since the last build: site/ left as it is")
        report = BuildReport(pages=len(previous.fingerprints), reused=len(previous.fingerprints), briefs=previous.briefs,
                             tags=previous.tags, warnings=list(previous.warnings))
    else:
        step = _Steps(started)
        key = pages_key(cfg)
        pages, unsaved = load_pages(cfg, stats, cache, key)
        briefs = [page.brief for page in pages.values()]
        bodies = cache.bodies()
        ahead = _convert_ahead(briefs, bodies, cleanup)
        if cache.enabled:
            cache.save_pages(key, pages, unsaved)
        step("loaded %d pages", len(pages))
        structure = catalog_key(cfg, briefs, now)
        site = catalog(cfg, briefs, structure, now, cache)
        future = [b.date.timestamp() for b in briefs if b.date > now] if not cfg.future else []  # type: ignore[operator, union-attr]
        del briefs, stats  # the briefs as loaded: the site holds them as catalogued (~60 MB at 100,000)
        step("catalogued %d briefs", len(site.briefs))
        renderer = site_renderer(cfg, site, cache.compiled_layouts())
        renderer.bodies = bodies  # type: ignore[assignment]  # looked up one by one, not loaded whole
        # each brief by its file's hash (plus what the catalog changed): no need to hash its content again
        known = {id(b): (b, brief_key(key, pages[b.source].digest, b)) for b in site.briefs}
        prints = Fingerprints(cfg, renderer, known, layouts)
        brief_keys = {b.source: digest for b, digest in known.values()}
        changed = None  # the briefs (by index) whose content changed, when nothing else did: see Renderer.plan
        if (previous.site is not None and previous.catalog == structure and previous.base == prints.base
                and previous.brief_keys.keys() == brief_keys.keys()):
            changed = {i for i, b in enumerate(site.briefs) if previous.brief_keys[b.source] != brief_keys[b.source]}
        plan = publish_plan(cfg, renderer, changed)
        fingerprints = prints.of_plan(plan, previous.fingerprints)
        base = prints.base
        del prints, known, pages  # the memo of every hashed value: ~60 MB at 100,000 briefs
        step("planned and fingerprinted %d outputs", len(plan))
        if ahead is not None:
            stored = ahead.take()
            bodies.refresh()
            step("%d bodies were converted meanwhile", sum(stored))
        searched = SearchState()
        reuse = {path for path, print_ in fingerprints.items() if previous.fingerprints.get(path) == print_}
        report = BuildReport(pages=len(plan), briefs=len(site.briefs), tags=len(site.tags), warnings=list(site.warnings))
        shadow_dir = cache.folder / "previous-site"
        shadow = previous.shadow
        if previous.site is not None and len(fingerprints) == len(plan) and reuse == fingerprints.keys() == previous.fingerprints.keys():
            log.debug("every output is unchanged: site/ left as it is")
            report.reused = len(plan)
        else:
            usable = cache.enabled and shadow is not None and folder_identity(shadow_dir) == shadow
            check_memo = cache.folder / CHECK_MEMO if cache.enabled else None
            if not usable:
                cache.discard(shadow_dir)  # left by a build the cache no longer knows
            written = write_site(plan, target, verify=(lambda folder: verify_site(folder, cfg, check_memo, fingerprints)) if cfg.check else None,
                                 finish=(lambda folder: _search(folder, search_inputs(renderer, plan), renderer.search_split[0],
                                                                fingerprints, previous.search or SearchState(),
                                                                target if previous.site is not None else None, searched))
                                 if cfg.search else None,
                                 renderer=renderer, reuse=reuse, workers=usable_cores(), progress=progress,
                                 shadow=Shadow(shadow_dir, previous.shadow_fingerprints, fingerprints) if usable else None,
                                 keep_old=shadow_dir if cache.enabled and target.exists() else None)
            report.rendered, report.reused = written.rendered, len(written.reused)
            step("wrote the site (%d rendered)", len(report.rendered))
            shadow = folder_identity(shadow_dir) if written.kept_old else None
            previous.shadow_fingerprints = previous.fingerprints if written.kept_old else {}
        if cache.enabled:
            bodies.save(len(site.briefs), lambda: (text_key(b.body) for b in site.briefs))
            cache.save_previous(Previous(
                site=folder_identity(target), fingerprints=fingerprints, quick=quick, release_at=min(future, default=float("inf")),
                briefs=report.briefs, tags=report.tags, warnings=list(site.warnings), saved_ns=time.time_ns(),
                shadow=shadow, shadow_fingerprints=previous.shadow_fingerprints if shadow else {},
                search=searched if searched.shards else previous.search,
                catalog=structure, base=base, brief_keys=brief_keys))
            step("saved the build cache")
    cache.empty_trash()  # after the swap: the new site is already in place
    if search_skipped:
        report.warnings.append(search_skipped)
    if not cfg.absolute_base:
        report.warnings.append("no base_url set: canonical links and feeds use relative URLs, and sitemap.xml and "
                               "news-sitemap.xml are left out (set base_url in [tool.briefs] or --base-url)")
    elif urlsplit(cfg.base_url).hostname in PLACEHOLDER_HOSTS:
        report.warnings.append(f"base_url is the placeholder {cfg.base_url}: set your site's address in [tool.briefs] "
                               "or with --base-url before publishing")
    report.seconds = time.perf_counter() - started
    return report


class _Steps:
    """With --verbose, how long each step of a build took (where to look when a build is slow)."""

    def __init__(self, started: float) -> None:
        self.last = started

    def __call__(self, what: str, *args: object) -> None:
        now = time.perf_counter()
        log.debug(f"{what} in %.2f s", *args, now - self.last)
        self.last = now


@dataclass
class SearchState:
    """What the search bundles were made from: per page Pagefind reads, its fingerprint and the hash of
    its bytes (a layout change gives new fingerprints but often the very same bytes), and each bundle's key."""

    digests: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)
    shards: list[bytes] = field(default_factory=list)


def _search(folder: Path, inputs: list[str], shards: int, fingerprints: Mapping[str, bytes], known: SearchState,
            previous_site: Path | None, made: SearchState) -> None:
    """Index the staged site with Pagefind, in `shards` bundles: a bundle whose pages have the very bytes
    the previous site's was made from is linked in as it is; only the others are made again."""
    binary = find_pagefind()
    for path in inputs:
        old = known.digests.get(path)
        if old is not None and old[0] == fingerprints[path]:
            made.digests[path] = old
        else:
            made.digests[path] = (fingerprints[path], file_digest((folder / path).read_bytes()))
    parts = [code_version(), str(binary), repr(stat_key(binary) if binary else None), str(shards)]
    pages: dict[int, list[str]] = {shard: [] for shard in range(shards)}
    for path in inputs:
        pages[search_shard(path, shards)].append(path)
    made.shards = [text_key("\n".join(parts + [f"{path}\0{made.digests[path][1].hex()}" for path in pages[shard]]))
                   for shard in range(shards)]
    kept = known.shards if previous_site is not None and len(known.shards) == shards else []
    todo = [shard for shard in range(shards) if (pages[shard] or shard == 0)  # (a shard no page hashed to has no bundle)
            and (not kept or kept[shard] != made.shards[shard] or not keep_search(previous_site, folder, shard))]  # type: ignore[arg-type]
    if not todo:
        log.info("search: no page Pagefind reads changed; the index was kept")
    elif shards == 1:
        index_search(folder)
    else:
        index_search(folder, {shard: pages[shard] for shard in todo}, usable_cores())


def catalog_key(cfg: Config, briefs: list[Brief], now: dt.datetime) -> bytes:
    """Everything build_site reads: equal keys, equal order, slugs, tags and related lists."""
    return text_key(repr((cfg.drafts, cfg.future, cfg.related_count, [
        (b.source, b.title, b.slug, b.tags, b.seed, b.section, b.date.timestamp(), b.draft,  # type: ignore[union-attr]
         (cfg.drafts or not b.draft) and (cfg.future or b.date <= now)) for b in briefs])))  # type: ignore[operator]


def catalog(cfg: Config, briefs: list[Brief], key: bytes, now: dt.datetime, cache: BuildCache) -> Site:
    """build_site, or, when nothing it reads changed (an edit of a body, a summary, a photo), the last
    build's order, slugs, tags and related lists applied to the briefs as they are now."""
    known = cache.catalog(key) if cache.enabled else None
    if known is not None:
        order, slugs, tags, site_tags, tag_slugs, same_story, related, warnings = known
        by_source = {b.source: b for b in briefs}
        if all(source in by_source for source in order):
            ordered = tuple(revised(by_source[source], slug=slug, tags=brief_tags) for source, slug, brief_tags in zip(order, slugs, tags))
            return Site(briefs=ordered, tags=site_tags, tag_slugs=tag_slugs, same_story=same_story, related=related,
                        warnings=warnings)
    site = build_site(briefs, now=now, drafts=cfg.drafts, future=cfg.future, related_count=cfg.related_count)
    if cache.enabled:
        cache.save_catalog(key, ([b.source for b in site.briefs], [b.slug for b in site.briefs], [b.tags for b in site.briefs],
                                 site.tags, dict(site.tag_slugs), dict(site.same_story), dict(site.related), site.warnings))
    return site


_FAILURES_SHOWN = 5  # an error stays one readable line when a whole folder of seeds fails


def build(cfg: Config, *, force: bool = False, prune: bool = False,
          progress: Callable[[int, int], None] | None = None) -> BuildReport:
    """Ingest what changed, then render; a seed that cannot be read fails the build at the end."""
    started = time.perf_counter()
    ingested = ingest(cfg, force=force, prune=prune)
    report = render(cfg, progress)
    report.ingest = ingested
    report.warnings = ingested.warnings + report.warnings
    report.seconds = time.perf_counter() - started
    if ingested.failed:
        shown = ingested.failed[:_FAILURES_SHOWN]
        more = len(ingested.failed) - len(shown)
        raise BriefsError("; ".join(shown) + (f"; and {more} more seed(s) failed" if more else "")
                          + f" (the site was built from the other {ingested.seeds + ingested.skipped} seed(s))")
    return report
