"""The only module that knows the order of the steps: seeds → content → site."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .catalog import build_site
from .check import check_site
from .config import Config
from .content import WriteReport, content_files, is_unedited, load_page, page_name, write_atomic, write_seed_pages
from .errors import BriefsError, CheckError, ConfigError, SeedError
from .ingest import decode_seed, ingest_text
from .model import Brief
from .output import write_site
from .render import render_site
from .tags import load_taxonomy

log = logging.getLogger(__name__)

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


def now_for(cfg: Config) -> dt.datetime:
    if cfg.now:
        try:
            value = dt.datetime.fromisoformat(cfg.now)
        except ValueError:
            raise ConfigError(f"--now must be an ISO date or datetime, not {cfg.now!r}") from None
        return value if value.tzinfo else value.replace(tzinfo=cfg.tz)
    return dt.datetime.now(cfg.tz)


def taxonomy_for(cfg: Config):
    """The shipped alias taxonomy with the project's taxonomy.yml (if any) merged on top."""
    path = cfg.root / cfg.taxonomy_file
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return load_taxonomy(text, str(path))


def seed_files(seeds_dir: Path) -> list[Path]:
    if not seeds_dir.is_dir():
        return []
    return sorted(p for p in seeds_dir.iterdir() if p.is_file() and not p.name.startswith("."))


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


def load_content(cfg: Config) -> list[Brief]:
    content_dir = cfg.path("content_dir")
    tz = cfg.tz
    briefs = []
    for path in content_files(content_dir):
        rel = path.relative_to(content_dir).as_posix()
        text = path.read_bytes().decode("utf-8", errors="replace")
        briefs.append(load_page(text, f"{Path(cfg.content_dir).as_posix().rstrip('/')}/{rel}", tz))
    return briefs


def verify_site(folder: Path, cfg: Config) -> int:
    """Run the site check on a built folder; any problem is a CheckError listing them all."""
    report = check_site(folder, cfg)
    if report.problems:
        lines = tuple(str(p) for p in report.problems)
        raise CheckError(f"the site check found {len(lines)} problem(s), e.g. {lines[0]}; the previous site was left as it was "
                         "(fix the layouts or content, or build with --no-check to skip the check)", lines)
    log.debug("checked %d files (%d pages, %d links): no problems", report.files, report.pages, report.links)
    return report.pages


def render(cfg: Config) -> BuildReport:
    """content/ → site/: load, catalog, render, write (atomically)."""
    started = time.perf_counter()
    briefs = load_content(cfg)
    site = build_site(briefs, now=now_for(cfg), drafts=cfg.drafts, future=cfg.future, related_count=cfg.related_count)
    outputs = render_site(cfg, site)
    pages = write_site(outputs, cfg.path("output_dir"), verify=(lambda folder: verify_site(folder, cfg)) if cfg.check else None)
    report = BuildReport(pages=pages, briefs=len(site.briefs), tags=len(site.tags), warnings=list(site.warnings))
    if not cfg.base_url:
        report.warnings.append("no base_url set: canonical links and feeds use relative URLs (set base_url in [tool.briefs] or --base-url)")
    report.seconds = time.perf_counter() - started
    return report


def build(cfg: Config, *, force: bool = False, prune: bool = False) -> BuildReport:
    """Ingest what changed, then render; a seed that cannot be read fails the build at the end."""
    started = time.perf_counter()
    ingested = ingest(cfg, force=force, prune=prune)
    report = render(cfg)
    report.ingest = ingested
    report.warnings = ingested.warnings + report.warnings
    report.seconds = time.perf_counter() - started
    if ingested.failed:
        raise BriefsError("; ".join(ingested.failed) + f" (the site was built from the other {ingested.seeds} seed(s))")
    return report
