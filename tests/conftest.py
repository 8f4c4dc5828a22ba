"""Shared helpers: build a real project in tmp_path and read the HTML back with a real parser."""

from __future__ import annotations

import datetime as dt
import functools
import textwrap
import unicodedata
from pathlib import Path
from typing import Callable
from xml.etree.ElementTree import Element

import html5lib
import pytest

from briefs.cli import main
from briefs.ingest import IngestResult, account_for_lines, ingest_text
from briefs.model import Brief

REPO = Path(__file__).resolve().parent.parent
NOW = "2030-01-01T00:00:00+00:00"  # every test build's clock, so dates and drafts never depend on the day


def page_text(title: str, date: str, body: str = "Body text.", **fields: str) -> str:
    """A content page; extra fields are given as raw YAML values."""
    lines = ["---", f"title: {title!r}" if "'" not in title else f'title: "{title}"', f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body).strip() + "\n"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder by relative path, with its bytes: two builds compare with ==."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def parse_html(path: Path) -> Element:
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def text_of(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


@functools.cache
def ingest_seed(path: Path, fallback_date: dt.date | None = None, seed_name: str | None = None) -> tuple[str, IngestResult]:
    """A seed's text and what ingest makes of it, once a run: the blind tests ask each seed many questions.
    Read as bytes so a CRLF seed keeps its "\\r" (blind2/press_release.txt); `seed_name` defaults to the file name."""
    text = path.read_bytes().decode("utf-8")
    return text, ingest_text(text, seed_name or path.name, fallback_date=fallback_date)


SEEDS = Path(__file__).parent / "fixtures" / "seeds"
BLIND_DATE = dt.date(2025, 3, 20)  # the fallback date of blind rounds 5 and 6: their seeds' files are undated


def blind_briefs(round_name: str, name: str) -> tuple:
    """The briefs of one seed of a blind round (tests/fixtures/seeds/<round>/), dated as its writers saw it."""
    return ingest_seed(SEEDS / round_name / name, fallback_date=BLIND_DATE)[1].briefs


def ingest_checked(text: str, seed_name: str = "seed.txt", **kw) -> IngestResult:
    """ingest_text, and every line of the text accounted for."""
    result = ingest_text(text, seed_name, **kw)
    assert account_for_lines(text, result.briefs) == []
    return result


def ingest_paragraphs(*paragraphs: str, fallback: dt.date = dt.date(2025, 1, 1)) -> tuple[Brief, ...]:
    """The briefs of a seed made of these paragraphs (nothing lost, as `ingest_checked` checks)."""
    return ingest_checked("\n\n".join(paragraphs) + "\n", "x.txt", fallback_date=fallback).briefs


def flat(text: str) -> str:
    """Compare text the way a reader sees it: NFC, any run of spaces (NBSP too) as one."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def day(b: Brief) -> dt.date:
    """The calendar day of a brief, whether ingest found a date or a full timestamp."""
    return b.date.date() if isinstance(b.date, dt.datetime) else b.date


def block_lines(text: str) -> list[tuple[int, int]]:
    """(first, last) 1-based line numbers of each blank-line-separated block."""
    out: list[tuple[int, int]] = []
    start = None
    lines = text.split("\n")
    for n, line in enumerate(lines, start=1):
        if line.strip() and start is None:
            start = n
        if not line.strip() and start is not None:
            out.append((start, n - 1))
            start = None
    if start is not None:
        out.append((start, len(lines)))
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project folder with content/ and no seeds."""
    (tmp_path / "content").mkdir()
    (tmp_path / "seeds").mkdir()
    return tmp_path


@pytest.fixture
def write_page(project: Path) -> Callable[..., Path]:
    def write(rel: str, title: str, date: str, body: str = "Body text.", **fields: str) -> Path:
        path = project / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_text(title, date, body, **fields), encoding="utf-8")
        return path
    return write


@pytest.fixture
def run_cli(project: Path, request: pytest.FixtureRequest) -> Callable[..., int]:
    """The CLI on `project`; Pagefind (about half a second a build) runs only in tests marked `search`."""
    fast = [] if request.node.get_closest_marker("search") else ["--no-search"]

    def run(*args: str) -> int:
        now = [] if "--now" in args else ["--now", NOW]
        return main([*args, "--root", str(project), *now, *fast])
    return run
