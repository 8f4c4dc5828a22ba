"""Local preview: build, serve site/ over HTTP, watch the inputs, rebuild, and reload open pages.

One lock is held while a build runs and while a request reads a file, so nobody sees a
half-built site (as in `mkdocs serve`). Pages hear about a finished build over Server-Sent
Events; the script that listens is added to HTML responses only, never to files in site/.
"""

from __future__ import annotations

import errno
import html
import logging
import mimetypes
import queue
import secrets
import signal
import socket
import socketserver
import threading
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote

import watchfiles

from . import pipeline
from .config import Config
from .errors import BriefsError, ConfigError

log = logging.getLogger(__name__)

EVENTS_PATH = "/__briefs__/events"
KEEPALIVE_SECONDS = 15.0
STEP_MS = 50  # a burst of changes ends after this much quiet …
DEBOUNCE_MS = 1600  # … or after this long at most
TICK_MS = 300  # the watchers report an idle tick this often: the first one proves they are watching
TEXT_TYPES = {
    ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".mjs": "text/javascript",
    ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain", ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json", ".md": "text/markdown",
}
BINARY_TYPES = {".wasm": "application/wasm", ".woff2": "font/woff2", ".ico": "image/x-icon", ".webp": "image/webp"}
RELOAD_SCRIPT = """<script>
(() => {{
  const events = new EventSource("{path}?since={version}");
  events.addEventListener("reload", () => {{ events.close(); location.reload(); }});
}})();
</script>
"""


def content_type(path: Path) -> str:
    """A fixed table for what a site ships, so the answer does not depend on /etc/mime.types."""
    suffix = path.suffix.lower()
    if suffix in TEXT_TYPES:
        return TEXT_TYPES[suffix] + "; charset=utf-8"
    return BINARY_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def inject(page: bytes, script: str) -> bytes:
    """Put the reload script before the last </body>, or at the end of a page without one."""
    at = page.lower().rfind(b"</body>")
    tag = script.encode("utf-8")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


def error_page(exc: BaseException, root: Path) -> bytes:
    """An HTML page naming the file, line and message of a failed build, with the lines around it."""
    path = getattr(exc, "path", None)
    line = getattr(exc, "line", None)
    message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    where = f"{path}:{line}" if path and line else path or "the build"
    problems = "".join(f"<li>{html.escape(p)}</li>" for p in getattr(exc, "problems", ()))
    excerpt = ""
    if path and line:
        source = Path(path) if Path(path).is_absolute() else root / path
        try:
            lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        start = max(line - 3, 1)
        rows = [f'<span class="{"bad" if n == line else "ok"}">{n:>4}  {html.escape(text)}</span>'
                for n, text in enumerate(lines[start - 1:line + 2], start)]
        excerpt = f'<pre class="excerpt">{chr(10).join(rows)}</pre>' if rows else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build error · Briefs preview</title>
<style>
body {{ margin: 0 auto; max-width: 48rem; padding: 1rem; font: 1rem/1.5 system-ui, sans-serif;
       background: #fff; color: #1b1b1b; }}
h1 {{ color: #a50e0e; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: 0.75rem; border-radius: 4px; }}
.excerpt span {{ display: block; }} .excerpt .bad {{ background: #fde7e7; font-weight: 700; }}
</style>
</head>
<body>
<main>
<h1>Build error</h1>
<p>In <code class="where">{html.escape(where)}</code>:</p>
<pre class="message">{html.escape(message)}</pre>
{f'<ul class="problems">{problems}</ul>' if problems else ""}
{excerpt}
<p>The preview shows this page until the build succeeds; save a fix and it reloads by itself.</p>
</main>
</body>
</html>
""".encode("utf-8")


class Preview:
    """Owns the build: one at a time, under the lock requests take, and a version pages listen to."""

    def __init__(self, cfg: Config, reload_config: Callable[[], Config] | None = None) -> None:
        self.cfg = cfg
        self.reload_config = reload_config
        self.lock = threading.Lock()
        self.changed = threading.Condition()
        self.token = secrets.token_hex(4)  # a restarted server has a new token, so open pages reload
        self.generation = 0
        self.error: BaseException | None = None
        self.closing = False
        self._warned: set[str] = set()
        self._own_writes: dict[Path, int | None] = {}  # content pages ingest wrote or removed: mtime_ns or None

    @property
    def version(self) -> str:
        return f"{self.token}.{self.generation}"

    @property
    def site_dir(self) -> Path:
        return self.cfg.path("output_dir")

    def rebuild(self) -> None:
        """Build under the lock; a BriefsError becomes the error page instead of stopping the server."""
        with self.lock:
            try:
                if self.reload_config is not None:
                    self.cfg = self.reload_config()
                report = pipeline.build(self.cfg)
            except BriefsError as exc:
                log.error("error: %s", exc)
                self.error = exc
            except Exception as exc:  # a bug, not a user mistake: keep previewing, show it
                log.exception("the build failed unexpectedly")
                self.error = exc
            else:
                if self.error is not None:
                    log.info("the build works again")
                self.error = None
                for warning in report.warnings:
                    if warning not in self._warned:
                        log.warning("%s", warning)
                self._warned = set(report.warnings)
                self._own_writes = _own_writes(report)
                log.info("built %d pages from %d briefs in %.2f s", report.pages, report.briefs, report.seconds)
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def is_own_write(self, path: Path) -> bool:
        """True for a content page the last build's ingest wrote (or removed) and nobody touched since:
        its change event must not start a second, identical rebuild."""
        if path not in self._own_writes:
            return False
        try:
            return self._own_writes[path] == path.stat().st_mtime_ns
        except OSError:
            return self._own_writes[path] is None

    def wait_for_version(self, seen: str, timeout: float) -> str:
        """Block until the version differs from `seen`, the server closes, or the timeout passes."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen or self.closing, timeout)
            return self.version

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()


def _own_writes(report: pipeline.BuildReport) -> dict[Path, int | None]:
    pages = report.ingest.pages if report.ingest is not None else None
    if pages is None:
        return {}
    found: dict[Path, int | None] = {Path(p): None for p in pages.removed}
    for written in map(Path, pages.written):
        try:
            found[written] = written.stat().st_mtime_ns
        except OSError:
            found[written] = None
    return found


class Watcher:
    """Watches the input folders recursively and their parents shallowly (watchfiles).

    The shallow watch sees files saved by rename (how editors save taxonomy.yml) and folders
    created after start; a deep watch of the whole project would also crawl site/ and any .venv.
    """

    def __init__(self, folders: list[Path], files: list[Path], on_change: Callable[[set[Path]], None]) -> None:
        self.folders = folders
        self.files = files
        self.on_change = on_change
        self._stopping = threading.Event()
        self._restart = threading.Event()
        self._watching = [threading.Event(), threading.Event()]  # deep, shallow
        self._filter = watchfiles.DefaultFilter()
        self._threads = [threading.Thread(target=self._deep, name="briefs-watch-folders"),
                         threading.Thread(target=self._shallow, name="briefs-watch-parents")]

    def relevant(self, change: watchfiles.Change, path: str) -> bool:
        candidate = Path(path)
        if candidate.name.startswith(".") or not self._filter(change, path):
            return False  # editor swap files, ingest's temporary files
        return candidate in self.files or any(candidate.is_relative_to(f) for f in self.folders)

    def _deep(self) -> None:
        while not self._stopping.is_set():
            self._restart.clear()
            if self._stopping.is_set():
                break
            folders = [f for f in self.folders if f.is_dir()]
            if not folders:
                self._watching[0].set()
                self._restart.wait(1.0)
                continue
            for changes in watchfiles.watch(*folders, watch_filter=self.relevant, debounce=DEBOUNCE_MS, step=STEP_MS,
                                            stop_event=self._restart, raise_interrupt=False,
                                            rust_timeout=TICK_MS, yield_on_timeout=True):
                self._watching[0].set()
                if changes:
                    self.on_change({Path(p) for _, p in changes})

    def _shallow(self) -> None:
        parents = sorted({p.parent for p in (*self.folders, *self.files) if p.parent.is_dir()})
        for changes in watchfiles.watch(*parents, watch_filter=self.relevant, debounce=DEBOUNCE_MS, step=STEP_MS,
                                        stop_event=self._stopping, raise_interrupt=False, recursive=False,
                                        rust_timeout=TICK_MS, yield_on_timeout=True):
            self._watching[1].set()
            if not changes:
                continue
            paths = {Path(p) for _, p in changes}
            if paths & set(self.folders):
                self._restart.set()  # a watched folder appeared or went: watch the new one
            self.on_change(paths)

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def wait_until_watching(self, timeout: float = 10.0) -> bool:
        """True once both watchers have set up their watches, so no edit after this is missed."""
        return all(event.wait(timeout) for event in self._watching)

    def stop(self) -> None:
        self._stopping.set()
        self._restart.set()
        for thread in self._threads:
            thread.join()


class PreviewServer(ThreadingHTTPServer):
    """http.server with request threads joined on close, so Ctrl-C leaves nothing running."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, host: str, port: int, preview: Preview) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.preview = preview
        try:
            super().__init__((host, port), PreviewHandler)
        except OSError as exc:
            hint = ("stop the other server or pick another port with --port (--port 0 picks a free one)"
                    if exc.errno == errno.EADDRINUSE else "check --host and --port")
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; {hint}") from None

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)  # skip HTTPServer's reverse DNS lookup of the host
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: object, client_address: object) -> None:
        log.debug("request from %s failed", client_address, exc_info=True)

    @property
    def url(self) -> str:
        host = f"[{self.server_name}]" if ":" in self.server_name else self.server_name
        return f"http://{host}:{self.server_port}{self.preview.cfg.base_path}"


class Forbidden(Exception):
    """A request path that would leave the output folder."""


class PreviewHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the built site, plus the reload event stream."""

    server: PreviewServer
    timeout = 30  # seconds a client may take to send its request
    server_version = "BriefsPreview"

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def respond(self, send_body: bool) -> None:
        preview = self.server.preview
        raw_path = self.path.split("?", 1)[0].split("#", 1)[0]
        if raw_path == EVENTS_PATH and send_body:
            return self.stream_events()
        base = preview.cfg.base_path
        if raw_path + "/" == base or (raw_path == "/" and base != "/"):
            return self.redirect(base, HTTPStatus.FOUND)
        try:
            target = self.resolve(raw_path, base, preview.site_dir)
        except Forbidden:
            return self.send_text(HTTPStatus.FORBIDDEN, "403 Forbidden: that path is outside the site folder\n", send_body)
        if target is not None and target.is_dir():
            if not raw_path.endswith("/"):
                return self.redirect(quote(raw_path, safe="/%") + "/", HTTPStatus.MOVED_PERMANENTLY)
            target = target / "index.html"
        with preview.lock:  # wait for a running build: never serve half a site
            error, version = preview.error, preview.version
            status = HTTPStatus.OK
            if target is None or not target.is_file():
                status, target = HTTPStatus.NOT_FOUND, preview.site_dir / "404.html"
            is_html = target.suffix.lower() == ".html"
            if error is not None and is_html:
                body, status = error_page(error, preview.cfg.root), HTTPStatus.INTERNAL_SERVER_ERROR
            elif target.is_file():
                body = target.read_bytes()
            else:
                return self.send_text(status, "404 Not Found\n", send_body)
        if is_html:
            body = inject(body, RELOAD_SCRIPT.format(path=EVENTS_PATH, version=version))
        self.send(status, content_type(target), body, send_body)

    @staticmethod
    def resolve(raw_path: str, base: str, site: Path) -> Path | None:
        """The file or folder a URL path names under site/, None when outside the base path."""
        if not raw_path.startswith(base):
            return None
        rel = unquote(raw_path[len(base):], errors="replace")
        parts = [p for p in rel.split("/") if p not in ("", ".")]
        if any(p == ".." or "\\" in p or "\x00" in p for p in parts):
            raise Forbidden(raw_path)
        target = site.joinpath(*parts)
        if not target.resolve().is_relative_to(site.resolve()):
            raise Forbidden(raw_path)  # a symlink out of the site
        return target

    def send(self, status: HTTPStatus, kind: str, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a preview is never stale
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def send_text(self, status: HTTPStatus, text: str, send_body: bool) -> None:
        self.send(status, "text/plain; charset=utf-8", text.encode("utf-8"), send_body)

    def redirect(self, location: str, status: HTTPStatus) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream_events(self) -> None:
        """Server-Sent Events: `reload` whenever the build version differs from the page's."""
        preview = self.server.preview
        query = self.path.partition("?")[2]
        seen = dict(part.partition("=")[::2] for part in query.split("&") if part).get("since", "")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not preview.closing:
                version = preview.wait_for_version(seen, KEEPALIVE_SECONDS)
                if preview.closing:
                    break
                if version != seen:
                    self.wfile.write(f"event: reload\ndata: {version}\n\n".encode())
                    seen = version
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (ConnectionError, TimeoutError):
            pass  # the page went away


def watch_targets(cfg: Config) -> tuple[list[Path], list[Path]]:
    """Folders and files whose changes need a rebuild: seeds, content, layouts, taxonomy, settings."""
    folders = [cfg.path(name) for name in ("seeds_dir", "content_dir", "layouts_dir")]
    files = [(cfg.root / cfg.taxonomy_file).resolve(), (cfg.root / "pyproject.toml").resolve()]
    return folders, files


class Session:
    """A running preview: server, watcher and builder threads. Use as a context manager."""

    def __init__(self, cfg: Config, host: str = "127.0.0.1", port: int = 8000,
                 reload_config: Callable[[], Config] | None = None) -> None:
        self.preview = Preview(cfg, reload_config)
        self.server = PreviewServer(host, port, self.preview)
        self._changes: queue.Queue[set[Path] | None] = queue.Queue()
        self.watcher = Watcher(*watch_targets(cfg), on_change=self._changes.put)
        self._threads = [threading.Thread(target=self.server.serve_forever, args=(0.1,), name="briefs-serve"),
                         threading.Thread(target=self._builder, name="briefs-rebuild")]
        self._running = False

    @property
    def url(self) -> str:
        return self.server.url

    def _builder(self) -> None:
        """Rebuild once per burst: changes that arrive during a build are folded into the next."""
        while (changes := self._changes.get()) is not None:
            while not self._changes.empty():
                more = self._changes.get()
                if more is None:
                    return
                changes |= more
            changes = {p for p in changes if not self.preview.is_own_write(p)}
            if not changes:
                continue  # only the pages the last build wrote itself
            root = self.preview.cfg.root
            names = sorted(str(p.relative_to(root)) if p.is_relative_to(root) else str(p) for p in changes)
            log.info("changed: %s%s", ", ".join(names[:3]), f" and {len(names) - 3} more" if len(names) > 3 else "")
            self.preview.rebuild()

    def start(self) -> Session:
        self.preview.rebuild()
        self.watcher.start()
        for thread in self._threads:
            thread.start()
        self._running = True
        if not self.watcher.wait_until_watching():
            log.warning("the file watcher did not start; changes may not be picked up")
        return self

    def close(self) -> None:
        """Stop watching, stop serving, end open event streams, and join every thread."""
        if self._running:
            self.watcher.stop()
            self._changes.put(None)
            self.preview.close()
            self.server.shutdown()
        self.server.server_close()  # joins request threads (block_on_close)
        if self._running:
            for thread in self._threads:
                thread.join()
        self._running = False

    def __enter__(self) -> Session:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve(cfg: Config, *, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          reload_config: Callable[[], Config] | None = None, ready: Callable[[str], None] | None = None) -> None:
    """Build, serve and rebuild on change until Ctrl-C; returns normally after a clean stop."""
    if cfg.drafts or cfg.future:
        log.warning("previewing with drafts or future briefs writes them into %s: run `python build.py` "
                    "before you publish that folder", cfg.output_dir)
    session = Session(cfg, host, port, reload_config)
    stopped = threading.Event()
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if on_main_thread else None
    try:
        session.start()
        if ready is not None:
            ready(session.url)
        if open_browser and not webbrowser.open(session.url):
            log.warning("could not open a browser; open %s yourself", session.url)
        stopped.wait()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        session.close()
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the preview as cleanly as Ctrl-C does."""
    raise KeyboardInterrupt
