"""Plain data that flows one way through the pipeline: seeds → Brief → Site → Output."""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field, fields
from typing import Any, Mapping


@dataclass(frozen=True, slots=True)
class Photo:
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True, slots=True)
class Contributor:
    name: str
    place: str = ""
    role: str = ""  # e.g. "editing" for "Editing by …"; empty for reporting


@dataclass(frozen=True, slots=True)
class Brief:
    """One story. Ingest makes these from seeds; content.load_page makes them from pages.

    `date` is a `datetime.date` or naive/aware `datetime` as written by ingest or an editor;
    pages loaded for rendering always carry an aware `datetime` (see content.load_page).
    """

    title: str
    date: dt.date | dt.datetime
    body: str = ""  # Markdown
    slug: str = ""
    summary: str = ""
    tags: tuple[str, ...] = ()
    photo: Photo | None = None
    contributors: tuple[Contributor, ...] = ()
    outlet: str = ""
    dateline: str = ""
    byline: str = ""
    seed: str = ""
    section: int | None = None
    source_lines: tuple[int, int] | None = None
    title_generated: bool = False
    date_inferred: bool = False
    updated: dt.datetime | None = None
    draft: bool = False
    unplaced: tuple[str, ...] = ()
    ingest_hash: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)  # unknown front-matter keys, kept
    source: str = ""  # content page path relative to the content folder ("" for fresh ingest)


_BRIEF_FIELDS = {f.name: n for n, f in enumerate(fields(Brief))}
_brief_values = operator.attrgetter(*_BRIEF_FIELDS)


def revised(brief: Brief, **changes: Any) -> Brief:
    """dataclasses.replace for a Brief at half the cost: a catalog copies every brief once or twice."""
    values = list(_brief_values(brief))
    for name, value in changes.items():
        values[_BRIEF_FIELDS[name]] = value
    return Brief(*values)


@dataclass(frozen=True, slots=True)
class Tag:
    name: str  # most common spelling
    slug: str
    briefs: tuple[int, ...]  # indexes into Site.briefs, newest first


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the renderer needs, computed before any template runs."""

    briefs: tuple[Brief, ...]  # newest first; slugs unique; tags in canonical spelling
    tags: tuple[Tag, ...]  # by name
    tag_slugs: Mapping[str, str]  # canonical tag name → slug
    same_story: Mapping[int, tuple[int, ...]]  # brief → the other briefs of its seed, in seed order
    related: Mapping[int, tuple[int, ...]]  # brief → up to N briefs sharing rare tags
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: a path relative to the output folder and its bytes."""

    path: str
    body: bytes


def slugify(text: str, max_length: int = 60) -> str:
    """Stable lower-case ASCII slug, cut at a word boundary; non-Latin text is transliterated."""
    from slugify import slugify as _slugify  # python-slugify

    # text-unidecode always: with the default ("auto"), installing Unidecode for any other reason
    # would change the transliteration, so the URL, of every non-Latin headline
    slug = _slugify(text, max_length=max_length, word_boundary=True, save_order=True, backend="text-unidecode")
    if not slug:  # a title of only punctuation or emoji
        slug = _slugify(text, max_length=max_length, backend="text-unidecode") or "untitled"
    return slug
