"""Command line: argparse, logging set-up, and the one place that turns errors into exit codes."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from . import __version__, pipeline
from .config import Config, load_config
from .errors import BriefsError

log = logging.getLogger("briefs")


def _common(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("folders and site settings (override [tool.briefs] in pyproject.toml)")
    group.add_argument("--root", type=Path, default=Path("."), help="project folder (default: current folder)")
    group.add_argument("--content", dest="content_dir", metavar="DIR", help="content pages (default: content)")
    group.add_argument("--seeds", dest="seeds_dir", metavar="DIR", help="raw seed text (default: seeds)")
    group.add_argument("--layouts", dest="layouts_dir", metavar="DIR", help="layout overrides (default: layouts)")
    group.add_argument("--output", dest="output_dir", metavar="DIR", help="built site (default: site)")
    group.add_argument("--base-url", dest="base_url", metavar="URL", help="public address, e.g. https://example.org/news/")
    group.add_argument("--drafts", action="store_true", default=None, help="render pages marked draft: true")
    group.add_argument("--future", action="store_true", default=None, help="render briefs dated after --now")
    group.add_argument("--now", metavar="DATETIME", help="the build's notion of now (ISO); default: the current time")
    group.add_argument("--no-search", dest="search", action="store_false", default=None,
                       help="no search page, search box or Pagefind index (faster builds)")
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    noise.add_argument("-v", "--verbose", action="store_true", help="print every step")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefs", description="Turn raw news text into a static site of briefs.")
    parser.add_argument("--version", action="version", version=f"briefs {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="ingest seeds that changed, then render the site (default)")
    ingest = commands.add_parser("ingest", help="turn seeds into content pages only")
    render = commands.add_parser("render", help="render content/ into site/ only")
    clean = commands.add_parser("clean", help="remove the built site")
    check = commands.add_parser("check", help="check the built site: links, fragments, HTML5, feeds, foreign hosts")
    preview = commands.add_parser("serve", help="build, serve on localhost, rebuild and reload pages on every change")
    preview.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    preview.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    preview.add_argument("--open", dest="open_browser", action="store_true", help="open the site in a web browser")
    for sub in (build, ingest):
        sub.add_argument("--force", action="store_true", help="overwrite pages even if an editor changed them")
        sub.add_argument("--prune", action="store_true", help="remove unedited pages whose seed is gone")
    for sub in (build, ingest, render, clean, check, preview):
        _common(sub)
    for sub in (parser, build, render, preview):
        sub.add_argument("--no-check", dest="check", action="store_false", default=None,
                         help="skip the site check before the new site replaces the old one")
        sub.add_argument("--no-cache", dest="cache", action="store_false", default=None,
                         help="ignore and remove the build cache (.briefs-cache/): parse and render everything")
    _common(parser)
    parser.set_defaults(force=False, prune=False)
    return parser


def _config(args: argparse.Namespace) -> Config:
    keys = ("content_dir", "seeds_dir", "layouts_dir", "output_dir", "base_url", "drafts", "future", "now", "check", "search", "cache")
    overrides: dict[str, Any] = {k: getattr(args, k, None) for k in keys}
    return load_config(args.root, overrides)


def _summary(report: pipeline.BuildReport) -> str:
    return (f"built {report.pages} pages ({len(report.rendered)} rendered, {report.reused} reused) "
            f"from {report.briefs} briefs and {report.tags} tags in {report.seconds:.2f} s")


def _progress(args: argparse.Namespace) -> Callable[[int, int], None] | None:
    """A one-line counter on a terminal; nothing with --quiet, in CI or when output is piped."""
    if args.quiet or not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\rrendering {done}/{total} pages" + ("\r\033[K" if done >= total else ""))
        sys.stderr.flush()
    return show


def _ingest_summary(report: pipeline.IngestReport) -> str:
    pages = report.pages
    return (f"ingested {report.seeds} seed(s) into {report.briefs} briefs: {len(pages.written)} page(s) written, "
            f"{len(pages.unchanged)} unchanged, {len(pages.kept_edited)} kept (edited), {len(pages.removed)} removed; "
            f"{report.skipped} seed(s) unchanged since last ingest")


def run(args: argparse.Namespace) -> int:
    cfg = _config(args)
    command = args.command or "build"
    if command == "clean":
        target = cfg.path("output_dir")
        if target.exists():
            shutil.rmtree(target)
        log.info("removed %s", target)
        return 0
    if command == "check":
        return _check(cfg)
    if command == "serve":
        from . import serve  # imported where used, like check: a rebuild with nothing to do should not pay for them

        serve.serve(cfg, host=args.host, port=args.port, open_browser=args.open_browser,
                    reload_config=lambda: _config(args), ready=lambda url: print(f"serving {url} (Ctrl-C to stop)", flush=True))
        return 0
    if command == "ingest":
        report = pipeline.ingest(cfg, force=args.force, prune=args.prune)
        for warning in report.warnings:
            log.warning("%s", warning)
        log.info("%s", _ingest_summary(report))
        if report.failed:
            raise BriefsError("; ".join(report.failed))
        return 0
    progress = _progress(args)
    build = (pipeline.render(cfg, progress) if command == "render"
             else pipeline.build(cfg, force=args.force, prune=args.prune, progress=progress))
    for warning in build.warnings:
        log.warning("%s", warning)
    log.info("%s", _summary(build))
    return 0


def _check(cfg: Config) -> int:
    """`check`: one line per problem with the built site, then a summary; exit 1 if any."""
    folder = cfg.path("output_dir")
    if not folder.is_dir():
        raise BriefsError("no built site to check; run `python build.py` first", folder)
    from .check import check_site

    report = check_site(folder, cfg)
    for problem in report.problems:
        print(f"{folder.name}/{problem}")
    if report.problems:
        log.error("error: %s: %d problem(s) in %d files", folder, len(report.problems), report.files)
        return 1
    log.info("checked %d files (%d pages, %d links) in %s: no problems", report.files, report.pages, report.links, folder)
    return 0


class _Format(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return f"warning: {text}" if record.levelno == logging.WARNING else text


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Format())
    root = logging.getLogger("briefs")
    root.handlers[:] = [handler]
    root.setLevel(logging.ERROR if args.quiet else logging.DEBUG if args.verbose else logging.INFO)
    root.propagate = False
    try:
        return run(args)
    except BriefsError as exc:
        for line in getattr(exc, "problems", ()):
            log.error("%s", line)
        log.error("error: %s", exc)
        return 1
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130
    except Exception as exc:  # a bug, not the user's mistake: one line, the traceback on request
        log.debug("internal error", exc_info=True)
        log.error("internal error: %s: %s (a bug in Briefs; run with --verbose for the traceback and please report it)",
                  type(exc).__name__, exc)
        return 1
