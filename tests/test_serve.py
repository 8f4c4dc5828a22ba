"""The preview server, in-process on a free port: URLs, types, 404s, traversal, reload, error page, Ctrl-C."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Callable, Iterator
from xml.etree.ElementTree import Element

import html5lib
import pytest

from briefs.config import load_config
from briefs.errors import ConfigError
from briefs.serve import EVENTS_PATH, Session, inject

from conftest import NOW, REPO, text_of

WAIT = 20.0  # seconds before a test gives up on a rebuild that never comes (a hang guard, not a speed test)


def fetch(url: str, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One request without following redirects, sending the path exactly as given."""
    host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=WAIT)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def parse(body: bytes) -> Element:
    return html5lib.parse(body, namespaceHTMLElements=False)


def reload_scripts(document: Element) -> list[Element]:
    return [s for s in document.iter("script") if EVENTS_PATH in (s.text or "")]


@pytest.fixture
def pages(write_page: Callable[..., Path], project: Path) -> Path:
    (project / "pyproject.toml").write_text('[tool.briefs]\ntitle = "Preview test"\npage_size = 2\n', encoding="utf-8")
    for day in range(1, 6):
        write_page(f"b{day}.md", f"Brief number {day}", f"2024-01-0{day}", f"Body {day}.", tags="[Alpha, Beta]")
    return project


@pytest.fixture
def start(pages: Path) -> Iterator[Callable[..., Session]]:
    sessions: list[Session] = []

    def start(**overrides: object) -> Session:
        settings = {"now": NOW, **overrides}
        session = Session(load_config(pages, settings), port=0, reload_config=lambda: load_config(pages, settings))
        sessions.append(session.start())
        return session

    yield start
    for session in sessions:
        session.close()


def wait_for_rebuild(session: Session, seen: str) -> str:
    version = session.preview.wait_for_version(seen, WAIT)
    assert version != seen, "no rebuild after the change"
    return version


def test_pretty_urls_mime_types_and_head(start: Callable[..., Session]) -> None:
    session = start()
    status, headers, body = fetch(session.url, "/brief-number-3/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert text_of(parse(body).find(".//h1")) == "Brief number 3"
    status, headers, _ = fetch(session.url, "/brief-number-3")
    assert status == 301 and headers["location"] == "/brief-number-3/"
    status, headers, body = fetch(session.url, "/style.css")
    assert status == 200 and headers["content-type"] == "text/css; charset=utf-8"
    assert body == (session.preview.site_dir / "style.css").read_bytes()
    status, headers, body = fetch(session.url, "/page/2/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0
    assert fetch(session.url, "/page/2/?utm=x")[0] == 200


def test_missing_page_gets_the_sites_404(start: Callable[..., Session]) -> None:
    session = start()
    status, headers, body = fetch(session.url, "/no-such-brief/")
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert text_of(parse(body).find(".//h1")) == "Page not found"


ESCAPES = ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/tags/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
           "//etc/passwd", "/%5c..%5cpyproject.toml", "/..", "/%2e%2e%00/pyproject.toml"]


def test_paths_that_escape_the_site_are_refused(start: Callable[..., Session], pages: Path) -> None:
    session = start()
    for path in ESCAPES:
        status, _, body = fetch(session.url, path)
        assert status in (403, 404), path
        assert b"root:" not in body and b"tool.briefs" not in body, path
    (session.preview.site_dir / "leak.toml").symlink_to(pages / "pyproject.toml")
    status, _, body = fetch(session.url, "/leak.toml")
    assert status == 403 and b"tool.briefs" not in body


def test_base_url_path_prefix(start: Callable[..., Session]) -> None:
    session = start(base_url="https://example.org/news/")
    assert session.url.endswith("/news/")
    status, _, body = fetch(session.url, "/news/")
    assert status == 200 and text_of(parse(body).find(".//h1")) == "Latest briefs"
    assert fetch(session.url, "/news/brief-number-1/")[0] == 200
    status, headers, _ = fetch(session.url, "/")
    assert status == 302 and headers["location"] == "/news/"
    assert fetch(session.url, "/news")[0] == 302
    assert fetch(session.url, "/brief-number-1/")[0] == 404


def test_reload_script_is_served_but_never_written(start: Callable[..., Session]) -> None:
    session = start()
    for path in ("/", "/brief-number-1/", "/tags/alpha/", "/missing/"):
        assert len(reload_scripts(parse(fetch(session.url, path)[2]))) == 1, path
    written = sorted(session.preview.site_dir.rglob("*.html"))
    assert written
    for page in written:
        assert reload_scripts(parse(page.read_bytes())) == [], page


def test_inject_without_body_tag_appends() -> None:
    assert inject(b"<p>x", "<script></script>") == b"<p>x<script></script>"
    assert inject(b"<BODY>a</BODY></html>", "<s>") == b"<BODY>a<s></BODY></html>"


def test_edit_sends_a_reload_event_and_serves_the_change(start: Callable[..., Session], pages: Path) -> None:
    session = start()
    host, port = session.server.server_name, session.server.server_port
    with socket.create_connection((host, port), timeout=WAIT) as stream:
        stream.sendall(f"GET {EVENTS_PATH}?since={session.preview.version} HTTP/1.0\r\n\r\n".encode())
        reader = stream.makefile("rb")
        assert reader.readline().split()[1] == b"200"
        page = pages / "content" / "b2.md"
        page.write_text(page.read_text(encoding="utf-8").replace("Brief number 2", "Brief number two"), encoding="utf-8")
        lines = []
        while (line := reader.readline()) and line.strip() != b"event: reload":
            lines.append(line)
        assert line.strip() == b"event: reload", lines
    status, _, body = fetch(session.url, "/brief-number-two/")
    assert status == 200 and text_of(parse(body).find(".//h1")) == "Brief number two"


def test_taxonomy_saved_by_rename_triggers_a_rebuild(start: Callable[..., Session], pages: Path) -> None:
    session = start()
    seen = session.preview.version
    temporary = pages / "taxonomy.yml.new"
    temporary.write_text("{}\n", encoding="utf-8")
    os.replace(temporary, pages / "taxonomy.yml")
    wait_for_rebuild(session, seen)


def test_bad_yaml_shows_the_error_page_then_recovers(start: Callable[..., Session], pages: Path) -> None:
    session = start()
    page = pages / "content" / "b1.md"
    good = page.read_text(encoding="utf-8")
    seen = session.preview.version
    page.write_text("---\ntitle: <b>Broken\ndate: [2024-01-01\n---\n\nBody.\n", encoding="utf-8")
    seen = wait_for_rebuild(session, seen)
    for path in ("/brief-number-1/", "/", "/missing/"):
        status, _, body = fetch(session.url, path)
        document = parse(body)
        assert status == 500 and text_of(document.find(".//h1")) == "Build error", path
        assert len(reload_scripts(document)) == 1
    where = text_of(document.find(".//code[@class='where']"))
    assert where.startswith("content/b1.md:") and int(where.rsplit(":", 1)[1]) >= 2
    excerpt = document.find(".//pre[@class='excerpt']")
    assert "title: <b>Broken" in text_of(excerpt) and excerpt.find(".//b") is None  # escaped, not markup
    assert fetch(session.url, "/style.css")[0] == 200  # the last good site's files still load
    page.write_text(good, encoding="utf-8")
    wait_for_rebuild(session, seen)
    status, _, body = fetch(session.url, "/brief-number-1/")
    assert status == 200 and text_of(parse(body).find(".//h1")) == "Brief number 1"


def test_pages_ingest_writes_do_not_start_a_second_rebuild(start: Callable[..., Session], pages: Path) -> None:
    seed = pages / "seeds" / "wire.txt"
    seed.write_text("Quake shakes coastal town\n\nA strong earthquake shook the town on Monday, officials said.\n",
                    encoding="utf-8")
    session = start()
    written = sorted((pages / "content" / "wire").glob("*.md"))
    assert written and all(session.preview.is_own_write(p) for p in written)
    seen = session.preview.version
    written[0].write_text(written[0].read_text(encoding="utf-8").replace("Quake", "Earthquake"), encoding="utf-8")
    assert not session.preview.is_own_write(written[0])  # an editor's save after the build is a change
    wait_for_rebuild(session, seen)


def test_busy_port_is_a_user_error(pages: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(ConfigError, match="--port"):
            Session(load_config(pages, {"now": NOW}), port=taken.getsockname()[1])


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a shell may start us with SIGINT ignored


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_cleanly_and_frees_the_port(pages: Path, stop: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--root", str(pages), "--port", "0", "--now", NOW],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("serving http://127.0.0.1:"), line + process.stderr.read() if process.stderr else ""
        url = line.split()[1]
        with urllib.request.urlopen(url + "brief-number-1/", timeout=WAIT) as response:
            assert response.status == 200
        process.send_signal(stop)
        _, stderr = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode in (0, 130)
    assert "Traceback" not in stderr
    port = int(url.rsplit(":", 1)[1].strip("/"))
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as any server would; ignores TIME_WAIT only
        again.bind(("127.0.0.1", port))  # raises if the preview still listened on it
        again.listen()
