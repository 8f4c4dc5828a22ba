"""Pure site-wide computations: order, unique slugs, the tag index, related briefs, pagination."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence, TypeVar

from .errors import OutputCollision
from .model import Brief, Site, Tag, revised, slugify

T = TypeVar("T")

# First path segments the site itself uses; a brief never takes one of them as its slug.
RESERVED_SLUGS = frozenset({"tags", "page", "search", "pagefind", "feed.xml", "sitemap.xml", "404.html", "style.css", "static"})
RELATED_WINDOW = 40  # candidates looked at per tag, nearest in time: keeps related briefs linear


@functools.lru_cache(maxsize=1 << 16)  # a site has a few thousand tags, each on many briefs
def tag_key(tag: str) -> str:
    """Tags that differ only in case, spacing or accents are one tag ("Brasília" in one seed, "Brasilia" in
    another: an archive gathers both, and they would otherwise claim one URL)."""
    key = " ".join(tag.split()).casefold()
    if not key.isascii():
        key = "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))
    return key


def publishable(briefs: Sequence[Brief], now: dt.datetime, drafts: bool, future: bool) -> list[Brief]:
    return [b for b in briefs if (drafts or not b.draft) and (future or b.date <= now)]  # type: ignore[operator]


def newest_first(briefs: Sequence[Brief]) -> list[Brief]:
    """Newest first; ties broken by seed order then source path, so the order never wobbles."""
    return sorted(briefs, key=lambda b: (-b.date.timestamp(), b.seed, b.section or 0, b.source))  # type: ignore[union-attr]


def unique_slugs(briefs: Sequence[Brief]) -> tuple[list[Brief], list[str]]:
    """Give every brief a distinct slug; the oldest keeps the plain one, later ones get -2, -3…"""
    slugs, warnings = _distinct_slugs(briefs)
    return [revised(b, slug=slug) for b, slug in zip(briefs, slugs)], warnings


def _distinct_slugs(briefs: Sequence[Brief]) -> tuple[list[str], list[str]]:
    """unique_slugs' slugs, in the briefs' order, and its warnings."""
    taken = set(RESERVED_SLUGS)
    owner: dict[str, str] = {}
    slugs = [""] * len(briefs)
    last: dict[str, int] = {}  # base → the number its last brief got: a daily "Live updates" does not count up from 2 each time
    warnings = []
    for index in sorted(range(len(briefs)), key=lambda i: (briefs[i].date.timestamp(), briefs[i].source)):  # type: ignore[union-attr]
        brief = briefs[index]
        base = slugify(brief.slug or brief.title)
        n = last.get(base, 1)
        slug = base if n == 1 else f"{base}-{n}"
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        last[base] = n
        if slug != base:
            clash = owner.get(base, "a page of the site itself")
            warnings.append(f"{brief.source}: slug '{base}' is also used by {clash}; this brief is published as '{slug}'")
        taken.add(slug)
        owner[slug] = brief.source
        slugs[index] = slug
    return slugs, warnings


def canonical_tags(briefs: Sequence[Brief]) -> tuple[dict[str, str], dict[str, str]]:
    """Map each tag key to its most common spelling, and each spelling to a unique URL slug."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    first_source: dict[str, str] = {}
    for brief in briefs:
        for tag in brief.tags:
            clean = " ".join(tag.split())
            if clean:
                key = tag_key(clean)
                spellings[key][clean] += 1
                first_source.setdefault(key, brief.source)
    names = {key: min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, counts in spellings.items()}
    slugs: dict[str, str] = {}
    by_slug: dict[str, str] = {}
    for key in sorted(names):
        name = names[key]
        slug = slugify(name)
        if slug in by_slug:
            other = by_slug[slug]
            raise OutputCollision(
                f"tags '{other}' and '{name}' would both be published at /tags/{slug}/; rename one of them "
                f"(or map one to the other in taxonomy.yml)", first_source[key])
        by_slug[slug] = name
        slugs[name] = slug
    return names, slugs


def story_of(brief: Brief) -> str:
    """Briefs cut from one seed are one story; a hand-written page is its own."""
    return brief.seed or brief.source


def related_briefs(briefs: Sequence[Brief], count: int) -> dict[int, tuple[int, ...]]:
    """Briefs from other seeds that share tags, rarer shared tags weighing more (idf)."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, brief in enumerate(briefs):
        for tag in brief.tags:
            postings[tag].append(index)
    total = len(briefs)
    weight = {tag: math.log((1 + total) / len(ids)) + 0.01 for tag, ids in postings.items()}
    related: dict[int, tuple[int, ...]] = {}
    half = RELATED_WINDOW // 2
    stories = [story_of(b) for b in briefs]
    for index, brief in enumerate(briefs):
        scores: dict[int, float] = {}
        for tag in brief.tags:
            ids, tag_weight = postings[tag], weight[tag]
            at = bisect.bisect_left(ids, index)
            window = ids[max(0, at - half): at + half + 1]
            if not scores:
                scores = dict.fromkeys(window, tag_weight)
                continue
            get = scores.get
            for other in window:
                scores[other] = get(other, 0.0) + tag_weight
        mine = stories[index]
        for other in [other for other in scores if stories[other] == mine]:  # itself and the rest of its story
            del scores[other]
        # only the candidates that can make the top `count` are ranked
        floor = sorted(scores.values(), reverse=True)[count - 1] if len(scores) > count else -math.inf
        best = sorted([(-score, abs(other - index), other) for other, score in scores.items() if score >= floor])[:count]
        related[index] = tuple(other for _, _, other in best)
    return related


def build_site(briefs: Sequence[Brief], *, now: dt.datetime, drafts: bool = False, future: bool = False,
               related_count: int = 5) -> Site:
    """Turn loaded briefs into the Site the renderer walks; the input is never mutated."""
    chosen = publishable(briefs, now, drafts, future)
    names, tag_slugs = canonical_tags(chosen)
    slugs, warnings = _distinct_slugs(chosen)  # (from slug, title, date and source: the tags play no part)
    chosen = [revised(b, slug=slug, tags=tuple(dict.fromkeys(names[tag_key(t)] for t in b.tags if t.strip())))
              for b, slug in zip(chosen, slugs)]  # one copy of each brief
    ordered = newest_first(chosen)
    members: dict[str, list[int]] = defaultdict(list)
    for index, brief in enumerate(ordered):
        for tag in brief.tags:
            members[tag].append(index)
    tags = tuple(Tag(name=n, slug=tag_slugs[n], briefs=tuple(members[n])) for n in sorted(members, key=str.casefold))
    by_seed: dict[str, list[int]] = defaultdict(list)
    for index, brief in enumerate(ordered):
        by_seed[story_of(brief)].append(index)
    same_story: dict[int, tuple[int, ...]] = {}
    for group in by_seed.values():
        group.sort(key=lambda i: (ordered[i].section or 0, ordered[i].source))
        for i in group:
            same_story[i] = tuple(j for j in group if j != i)
    return Site(briefs=tuple(ordered), tags=tags, tag_slugs=tag_slugs, same_story=same_story,
                related=related_briefs(ordered, related_count), warnings=tuple(warnings))


@dataclass(frozen=True, slots=True)
class Page:
    number: int  # 1-based
    total: int
    items: tuple


def paginate(items: Sequence[T], size: int) -> list[Page]:
    """Split a list into pages; an empty list still has one (empty) first page."""
    chunks = [tuple(items[i:i + size]) for i in range(0, len(items), size)] or [()]
    return [Page(number=n, total=len(chunks), items=chunk) for n, chunk in enumerate(chunks, 1)]
