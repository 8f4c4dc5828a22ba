"""Property-based tests: the page loader fails only with ContentError; any text renders inert and valid."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import html5lib
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.catalog import build_site
from briefs.config import Config
from briefs.content import dump_page, load_page
from briefs.errors import BriefsError, ContentError
from briefs.ingest import account_for_lines, ingest_text
from briefs.model import Brief, Contributor, Photo
from briefs.render import render_site

from test_hostile import PAYLOADS, inert_problems

UTC = dt.timezone.utc
NOW = dt.datetime(2030, 1, 1, tzinfo=UTC)
FIELDS = ["title", "date", "updated", "slug", "summary", "tags", "photo", "contributors", "outlet", "dateline",
          "draft", "section", "source_lines", "unplaced", "title_generated", "x"]

# Any code point (controls, surrogates, bidi, noncharacters included), weighted towards markup and YAML syntax.
any_char = st.characters(codec=None, blacklist_categories=())
syntax = st.sampled_from(list("<>&\"'`[](){}!*_#:-|\\/=;\n\t>%@&*!|") + ["---", "&#0;", "&#106;", "javascript:", "data:",
                                                                      "</script>", "<!--", "-->", "\u202e", "\x00"])
hostile_text = st.lists(st.one_of(any_char, syntax, st.sampled_from(PAYLOADS)), max_size=40).map("".join)
yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), hostile_text,
              st.dates(), st.datetimes(timezones=st.just(UTC) | st.none())),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    hostile_text,
    st.builds(lambda front, body: f"---\n{front}\n---\n{body}", hostile_text, hostile_text),
    st.builds(lambda meta, body: "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body,
              st.dictionaries(st.sampled_from(FIELDS), yaml_values, max_size=8), hostile_text),
))
def test_load_page_raises_only_content_errors(text: str) -> None:
    try:
        brief = load_page(text, "content/x.md", UTC)
    except ContentError as exc:
        assert str(exc).startswith("content/x.md")
        assert "\n" not in exc.message  # one line for the CLI
    else:
        assert brief.date.tzinfo is not None and brief.title


printable = st.text(st.characters(codec=None, blacklist_categories=()), max_size=60) | hostile_text


@st.composite
def briefs(draw: st.DrawFn) -> Brief:
    return Brief(
        title=draw(printable) + "x", date=dt.datetime(2024, 1, 1, tzinfo=UTC), body=draw(printable),
        summary=draw(printable), tags=tuple(draw(st.lists(printable, max_size=3))), slug=draw(printable),
        photo=Photo(draw(printable), draw(printable)), contributors=(Contributor(draw(printable), draw(printable)),),
        outlet=draw(printable), dateline=draw(printable), byline=draw(printable), seed="s.txt", section=0,
    )


def render_all(brief: Brief, base_url: str = "https://example.org/news/") -> dict[str, bytes]:
    loaded = load_page(dump_page(brief), "content/x.md", UTC)  # what the renderer sees: a page read back
    site = build_site([loaded], now=NOW)
    return {o.path: o.body for o in render_site(Config(root=Path("/nonexistent-project"), base_url=base_url), site)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(briefs())
def test_any_text_renders_inert_and_parses(brief: Brief) -> None:
    try:
        outputs = render_all(brief)
    except BriefsError:
        return  # e.g. two tags whose slugs collide: refused with a line, which is fine
    for path, body in outputs.items():
        if path.endswith(".html"):
            parser = html5lib.HTMLParser(namespaceHTMLElements=False)
            root = parser.parse(body)
            assert parser.errors == [], (path, parser.errors[:3])
            assert inert_problems(root, path) == []
            assert len(list(root.iter("h1"))) == 1
        elif path.endswith(".xml"):
            import xml.etree.ElementTree as ET
            ET.fromstring(body)
        elif path.endswith(".json"):
            json.loads(body)


REAL_LINES = sorted({line for path in sorted((Path(__file__).parent / "fixtures").rglob("*.txt"))
                     for line in path.read_text(encoding="utf-8").splitlines() if re.search(r"\d", line)})
_DIGITS = re.compile(r"\d+")


@st.composite
def renumbered_lines(draw: st.DrawFn) -> str:
    """A real seed line (timestamp, dateline, caption, score, price …) with every number swapped
    for any other: "GMT+1" may become "GMT+25", "14:17" become "99:00", as a garbled scrape has."""
    line = draw(st.sampled_from(REAL_LINES))
    return _DIGITS.sub(lambda _: str(draw(st.integers(0, 10 ** 6) | st.integers(0, 99))), line)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(renumbered_lines(), min_size=1, max_size=3).map("\n".join), min_size=1, max_size=8))
def test_ingest_of_renumbered_real_lines_never_fails_and_loses_nothing(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs) + "\n"
    result = ingest_text(text, "renumbered.txt", fallback_date=dt.date(2024, 1, 1))
    if result.briefs:
        assert account_for_lines(text, result.briefs) == []
    else:  # page furniture alone ("5 minute read"): said so, with the lines
        assert result.warnings[0].startswith("renumbered.txt: no story found; unplaced lines:")
