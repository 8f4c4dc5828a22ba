"""The only module that knows the order of the steps: seeds → content → site."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import __version__
from .catalog import build_site
from .cache import BuildCache, Fingerprints, Previous, folder_identity, layout_files, quick_key, stat_key, text_key
from .cache import Page as CachedPage
from .config import Config
from .content import WriteReport, content_files, is_unedited, load_page, page_name, write_atomic, write_seed_pages
from .errors import BriefsError, CheckError, ConfigError, SeedError
from .model import Brief, Site
from .output import recover, write_site
from .publish import index_search, publish_plan, resolve_search

if TYPE_CHECKING:
    from .tags import Taxonomy

log = logging.getLogger(__name__)
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
    from . import ingest as ingest_module, tags as tags_module

    digest = hashlib.sha256(__version__.encode())
    for path in (Path(ingest_module.__file__ or ""), Path(tags_module.__file__ or ""), cfg.root / cfg.taxonomy_file):
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


def ingest(cfg: Config, *, force: bool = False, prune: bool = False, only_changed: bool = True) -> IngestReport:
    """Turn every seed that changed into content pages; edited pages are kept, never overwritten."""
    from .ingest import decode_seed, ingest_text

    report = IngestReport()
    content_dir, seeds_dir = cfg.path("content_dir"), cfg.path("seeds_dir")
    version = ingest_version(cfg)
    ledger = _read_ledger(cfg, version) if only_changed and not force else {}
    new_ledger: dict[str, dict] = {}
    taxonomy = None
    files = seed_files(seeds_dir)
    for path in files:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        folder = content_dir / path.stem
        known = ledger.get(path.name)
        if known and known.get("sha256") == digest and all((folder / n).exists() for n in known.get("pages", [])):
            new_ledger[path.name] = known
            report.skipped += 1
            continue
        try:
            text, warnings = decode_seed(data, path.name)
        except SeedError as exc:
            report.failed.append(str(exc) if exc.path else f"{path}: {exc}")
            continue
        taxonomy = taxonomy or taxonomy_for(cfg)
        mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, cfg.tz).date()
        result = ingest_text(text, path.name, taxonomy, fallback_date=mtime)
        report.warnings += [f"{path}: {w}" for w in (*warnings, *result.warnings)]
        write_seed_pages(folder, result.briefs, force=force, report=report.pages)
        report.seeds += 1
        report.briefs += len(result.briefs)
        new_ledger[path.name] = {"sha256": digest, "pages": [page_name(b) for b in result.briefs]}
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


def load_content(cfg: Config, cache: BuildCache | None = None, files: list[Path] | None = None) -> list[Brief]:
    """Parse every content page; with a cache, a page whose size and mtime (or, failing that, bytes)
    did not change since the last build is taken from the cache instead of parsed again."""
    content_dir = cfg.path("content_dir")
    tz = cfg.tz
    prefix = Path(cfg.content_dir).as_posix().rstrip("/")
    key = repr((cfg.timezone, prefix)).encode()  # what a parsed page depends on besides its bytes
    known, saved_ns = cache.pages(key) if cache else ({}, 0)
    racy_after = saved_ns - RACY_NS  # changed this close to the last save: the mtime proves nothing
    pages: dict[str, CachedPage] = {}
    briefs = []
    for path in files if files is not None else content_files(content_dir):
        source = f"{prefix}/{path.relative_to(content_dir).as_posix()}"
        size, mtime_ns = stat_key(path)
        entry = known.get(source)
        if entry is None or (entry.size, entry.mtime_ns) != (size, mtime_ns) or mtime_ns >= racy_after:
            data = path.read_bytes()
            digest = hashlib.blake2b(data, digest_size=16).digest()
            if entry is None or entry.digest != digest:
                entry = CachedPage(size, mtime_ns, digest, load_page(data.decode("utf-8", errors="replace"), source, tz))
            else:
                entry = CachedPage(size, mtime_ns, digest, entry.brief)
        pages[source] = entry
        briefs.append(entry.brief)
    if cache and (pages.keys() != known.keys() or any(pages[k] is not known[k] for k in pages)):
        cache.save_pages(key, pages)
    return briefs


RACY_NS = 2_000_000_000  # a file changed within this long of a cache write may share its mtime: check its bytes


def verify_site(folder: Path, cfg: Config) -> int:
    """Run the site check on a built folder; any problem is a CheckError listing them all."""
    from .check import check_site

    report = check_site(folder, cfg)
    if report.problems:
        lines = tuple(str(p) for p in report.problems)
        raise CheckError(f"the site check found {len(lines)} problem(s), e.g. {lines[0]}; the previous site was left as it was "
                         "(fix the layouts or content, or build with --no-check to skip the check)", lines)
    log.debug("checked %d files (%d pages, %d links): no problems", report.files, report.pages, report.links)
    return report.pages


def render(cfg: Config, progress: Callable[[int, int], None] | None = None) -> BuildReport:
    """content/ → site/: load, catalog, render, write (atomically), doing only what changed.

    A build that would change no file does not touch site/ at all; otherwise unchanged files are
    hard-linked into the new tree (same inode and mtime) and only changed pages are rendered.
    """
    started = time.perf_counter()
    cfg, search_skipped = resolve_search(cfg)
    target = cfg.path("output_dir")
    recover(target)
    cache = BuildCache(cfg)
    previous = cache.previous(target)
    now = now_for(cfg)
    files = content_files(cfg.path("content_dir"))
    stats = {str(path): stat_key(path) for path in files}
    quick = quick_key(cfg, stats, layout_files(cfg))
    racy = any(mtime >= previous.saved_ns - RACY_NS for _, mtime in stats.values())
    if previous.quick == quick and not racy and now.timestamp() < previous.release_at:
        log.debug("nothing changed since the last build: site/ left as it is")
        report = BuildReport(pages=len(previous.fingerprints), reused=len(previous.fingerprints), briefs=previous.briefs,
                             tags=previous.tags, warnings=list(previous.warnings))
    else:
        briefs = load_content(cfg, cache, files)
        site = build_site(briefs, now=now, drafts=cfg.drafts, future=cfg.future, related_count=cfg.related_count)
        renderer, plan = publish_plan(cfg, site)
        known_bodies = cache.bodies()
        renderer.add_bodies(known_bodies)
        prints = Fingerprints(cfg, renderer)
        fingerprints = {item.path: prints.of(item) for item in plan}
        reuse = {path for path, print_ in fingerprints.items() if previous.fingerprints.get(path) == print_}
        report = BuildReport(pages=len(plan), briefs=len(site.briefs), tags=len(site.tags), warnings=list(site.warnings))
        if previous.site is not None and len(fingerprints) == len(plan) and reuse == fingerprints.keys() == previous.fingerprints.keys():
            log.debug("every output is unchanged: site/ left as it is")
            report.reused = len(plan)
        else:
            written = write_site(plan, target, verify=(lambda folder: verify_site(folder, cfg)) if cfg.check else None,
                                 finish=(lambda folder: index_search(folder, cfg)) if cfg.search else None,
                                 renderer=renderer, reuse=reuse, workers=_cores(), progress=progress)
            report.rendered, report.reused = written.rendered, len(written.reused)
        if cache.enabled:
            _save_bodies(cache, site, renderer.bodies, known_bodies)
            future = [b.date.timestamp() for b in briefs if b.date > now] if not cfg.future else []  # type: ignore[operator, union-attr]
            cache.save_previous(Previous(
                site=folder_identity(target), fingerprints=fingerprints, quick=quick, release_at=min(future, default=float("inf")),
                briefs=report.briefs, tags=report.tags, warnings=list(site.warnings), saved_ns=time.time_ns()))
    if search_skipped:
        report.warnings.append(search_skipped)
    if not cfg.absolute_base:
        report.warnings.append("no base_url set: canonical links and feeds use relative URLs, and sitemap.xml and "
                               "news-sitemap.xml are left out (set base_url in [tool.briefs] or --base-url)")
    report.seconds = time.perf_counter() - started
    return report


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _save_bodies(cache: BuildCache, site: Site, bodies: dict[bytes, str], known: dict[bytes, str]) -> None:
    """Keep the HTML of the current briefs' Markdown only, and write it only when it changed."""
    keep = {key: bodies[key] for key in (text_key(b.body) for b in site.briefs) if key in bodies}
    if keep.keys() != known.keys():
        cache.save_bodies(keep)


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
        raise BriefsError("; ".join(ingested.failed) + f" (the site was built from the other {ingested.seeds} seed(s))")
    return report
