"""Ingest: a seed (raw scraped news text) → one `Brief` per story. Pure functions, no file I/O.

Read top to bottom, this is the order of the work:
  decode_seed → normalise → front matter → paragraphs → classify → stories → briefs.
The line-level readers it leans on live beside it: `text` (normalising, sentences, titles,
Markdown escaping), `dates` (timestamps, post times, date inference) and `credits` (photo
credits, bylines, contributors, datelines); `tags` finds the names.

Story boundaries, as an editor would draw them: a headline starts a story unless the lines
under it continue the current one (then it is a `##` subhead); a photo after body text starts
one only on a change of topic; so does, on a page of several posts, a paragraph that opens
like a new lead. "Continue" means sharing a rare name or enough vocabulary (`cohesion`).
A post's time line ("Posted at 14:05", "10.32 BST") opens a post. A single article (a byline
above the text or a dateline on its lead, and no post markers) is never cut: its headlines are
subheads and its photos inline; text between its headline and byline is the standfirst.
Speed: each distinct paragraph is analysed once, and every pass over the text is linear.

A seed is data, never markup: every body line is escaped for Markdown, and every non-blank
line lands in exactly one place (title, caption, credit, body, byline/contributor/date field,
or `unplaced`); `account_for_lines` checks that.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from typing import Any, NamedTuple

import yaml

from briefs.credits import (AGENCY, COMMISSIONED, JOB_TITLE, OUTLET_WORD, REPORTING_FROM, clean_credit, fold_key, has_contribution,
                            is_byline, is_contributor_line, looks_like_outlet, may_have_credit, merge_people,
                            parse_contributors, parse_dateline, same_person, split_credit)
from briefs.dates import (ANY_YEAR, SEGMENTS, WIRE_STAMP, infer_date, labelled_stamp, may_be_timestamp, nearest_stamp,
                          parse_clock, parse_full_date, parse_timestamp)
from briefs.model import Brief, Contributor, Photo, revised, slugify
from briefs.tags import (DEFAULT_TAXONOMY, Mention, Taxonomy, choose_tags, defined_acronyms, find_mentions, is_title_case,
                         topic_keys)
from briefs.text import cut_words, decode_seed, escape_markdown, generate_title, normalise, split_sentences, unescape_markdown

__all__ = ["IngestResult", "account_for_lines", "decode_seed", "ingest_text"]


SUMMARY_WORDS = 40
COHESIVE = 0.2  # paragraphs sharing this much vocabulary with a story continue it (see `cohesion`)


# ---------------------------------------------------------------------------------------------
# Result

@dataclass(frozen=True, slots=True)
class IngestResult:
    briefs: tuple[Brief, ...]
    warnings: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Front matter

@dataclass(frozen=True, slots=True)
class FrontMatter:
    title: str = ""
    date: dt.date | dt.datetime | None = None
    tags: tuple[str, ...] = ()
    outlet: str = ""
    lines: int = 0  # how many lines of the seed it used


def read_front_matter(lines: Sequence[str], name: str) -> tuple[FrontMatter, list[str]]:
    """A leading `---` YAML block (title, date, tags, outlet); its values win over inference."""
    if not lines or lines[0] != "---":
        return FrontMatter(), []
    try:
        end = lines.index("---", 1)
    except ValueError:
        return FrontMatter(), [f"{name}:1: front matter has no closing `---`; read as text"]
    try:
        data = yaml.safe_load("\n".join(lines[1:end])) or {}
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        return FrontMatter(), [f"{name}:1: front matter is not valid YAML; read as text"]
    if not isinstance(data, dict):
        return FrontMatter(), [f"{name}:1: front matter is not a mapping; read as text"]
    def scalar(value: Any) -> str:  # never str() a list: YAML aliases can make it astronomically long
        return str(value) if isinstance(value, str | int | float) else ""

    return FrontMatter(
        title=scalar(data.get("title")).strip(),
        date=_front_date(data.get("date")),
        tags=tuple(scalar(t) for t in data.get("tags") or () if scalar(t).strip())
        if isinstance(data.get("tags"), list) else (),
        outlet=scalar(data.get("outlet")).strip(),
        lines=end + 1,
    ), []


def _front_date(value: Any) -> dt.date | dt.datetime | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return parse_full_date(value)
    return None


# ---------------------------------------------------------------------------------------------
# Paragraphs and what they are

class Para(NamedTuple):
    """A paragraph (a named tuple: a seed has tens of thousands, and tuples are the cheapest to make)."""

    text: str
    first: int  # 1-based line numbers in the normalised seed
    last: int
    lines: tuple[str, ...]


def paragraphs(lines: Sequence[str], offset: int = 0) -> list[Para]:
    """Blank-line blocks, each split into its lines; hard-wrapped lines are joined back.

    A line continues the previous one only when that one stops mid-sentence and this one starts
    in lower case; a seed without blank lines is thereby split by line.
    """
    out: list[Para] = []
    cur: list[str] = []
    first = 0
    blank_before = True
    for n, line in enumerate(lines, start=offset + 1):
        if not line:
            blank_before = True
            continue
        if cur and not blank_before and _continues(cur[-1], line):
            cur.append(line)
        else:
            if cur:
                out.append(_new_tuple(Para, (" ".join(cur), first, first + len(cur) - 1, tuple(cur))))
            cur, first = [line], n
        blank_before = False
    if cur:
        out.append(_new_tuple(Para, (" ".join(cur), first, first + len(cur) - 1, tuple(cur))))
    return out


_new_tuple = tuple.__new__  # a Para without the Python-level __new__ of a named tuple


_STOPS = tuple(".!?:\"”’)")


def _continues(previous: str, line: str) -> bool:
    if not ((line[:1].islower() and not previous.endswith(_STOPS)) or previous.endswith((",", "-"))):
        return False  # the common case, decided cheaply
    return not (previous.startswith("By ") or has_contribution(previous) or previous.count(" ") < 3
                or parse_timestamp(previous, ANY_YEAR) or is_furniture(previous))


FURNITURE = re.compile(
    r"(?:advertisement|advertising|sponsored( content)?|read more.*|(also read|read also|see also) ?[|:] ?.{2,80}|to plant (a )?trees? in memory.*|(times|post|herald|news|tribune|globe|star|journal|chronicle|gazette|mail|express|independent|guardian) staff|related( coverage| articles?| stories)?|"
    r"more on this story|recommended|estimated \d+ min(ute)?s?( read)?|\d+ min(ute)?s? read|reading time:? \d+ min(ute)?s?|link copied!?|copy link|share( this( article| story)?)?|"
    r"shares?|share (on|via|to|with) [\w .]{1,20}|facebook|twitter|whatsapp|email|print|save|"
    r"show (thumbnails|captions|comments)|view comments|autoplay|(last|next|previous) ?slide.*|"
    r"print this (page|article)|gift (this )?article|save (for later|article|story)|\d+-minute listen|"
    r"(avatar|headshot|portrait|photo|picture) (for|of) (the )?(author|writer|reporter) [\w .'’\-]{2,40}|"
    r"headshot of [\w .'’\-]{2,40}|heard on [\w .'’\-]{2,30}|"
    r"your browser does not support the <?audio>? element|add to my\w{1,8}|go to (accessibility shortcuts|main content)|"
    r"(view )?comments?( \(\d+\))?|in this (article|story|section)|show (more|less)|see (more|all)( [\w ]{2,20})?|listen( to this article)?( [|·•] \d{1,2}:\d{2})?|watch( now| live)?|"
    r"(video )?ad feedback|now playing|videos?|\d{1,2}:\d{2} ?[-–—] ?source: [\w .&'’]{2,40}|source: [\w .&'’]{2,40}|"
    r"(?:(?:facebook|tweet|twitter|email|link|link copied!?) ?){2,6}|"
    r"sign up( now)?.*newsletter.*|subscribe( now)?|skip to (main )?content|most (read|popular|viewed)|"
    r"(image|photo|slide)s? \d+ (of|/) \d+|\d+ (of|/) \d+|\d+ photos?|gallery|close|menu|"
    r"enlarge this image|toggle caption|hide caption|(view|open) (image|gallery|slideshow)|"
    r"follow (us|live updates).*|back to top|top stories|trending|(live )?updates?|[_=*~.•#\-]{3,}|[—–]+|"
    r"also read|more from [\w .&'’]{2,30}|explore more|skip next section.*|(press play to )?listen to this article.*|"
    r"voiced by artificial intelligence|(tap|click) here.*|(media|press) contacts?|contacts?|- ?ends ?-|ends|"
    r"\(?with inputs from (agencies|\w+)\)?|enditem|\(end\)|end|-30-|-0-|(this was )?(posted|updated|published) \d+ ?(h|hr|hrs|m|mins?|d|hours?|minutes?|days?) ago.*|\d+ (hours?|minutes?|mins?|days?) ago|"
    r"summary|live reporting|key events|our standards:.*|[\w .&'’\-]{0,40}:? ?https?://\S+)[.!:]?",
    re.IGNORECASE,
)
_QUOTES_OPEN = "\"“‘'«"
_PRONOUNS = set("""he she it they we i you his her its their our this that these those but and or so
yet however meanwhile also still then there here asked later earlier instead""".split())
_PHOTO_LABEL = re.compile(r"^(?:Image|Media|Video|Photo) (source|caption)\s*[,:]\s*", re.IGNORECASE)
_CAPTION_PREFIX = re.compile(r"^(?:FILE(?: PHOTO)?\s*[-–—:]|Photo:|Image:|Pictured:)", re.IGNORECASE)
_PROMO = re.compile(r"\b(?:sign up|subscribe)\b.*\bnewsletters?\b|\bnewsletters?\b.*\b(?:sign up|subscribe)\b",
                    re.IGNORECASE)
# A promotion for the outlet itself, never a sentence of the story (no full stop at its end):
# "Sign up for the daily X email", "Get our free X email", "Follow Sky News on WhatsApp".
_PROMO_LINE = re.compile(  # (the lookahead: the letters a match can start with, so most places fail fast)
    r"(?=[sgdfkbj])(?:^(?:sign up|subscribe|get (?:our|the) free|download (?:our|the)|follow [\w .&'’]{2,30} on|"
    r"(?:join|find) [\w .&'’]{2,30} on (?:whatsapp|telegram|instagram|facebook|x|twitter|tiktok|youtube|google news|apple news)|"
    r"keep up with)\b|\bby following [A-Z])", re.IGNORECASE)
# Sign-offs: AFP "burs-fz/jj", DW "kb/sms (dpa, Reuters, AFP)"; a press release's "SOURCE Acme";
# contact details alone on a line.
_SIGN_OFF = re.compile(r"^(?:burs?-)?[a-z]{2,4}(?:, ?[a-z]{2,4})*(?:[/-][a-z]{2,4})+(?: \([\w ,.&\-]{2,60}\))?\.?$|^SOURCE [A-Z].{0,60}$")
_EMAIL = r"[\w.+\-]+@[\w\-]+\.[\w.\-]+"
_CONTACT = re.compile(r"^(?:" + _EMAIL + r"|\+?[\d ()\-.]{7,20}|(?:www\.|https?://)\S+)$")


# Share targets, player and account links: words, looked up whole (the pattern above is tried on every line)
_FURNITURE_WORDS = frozenset("""linkedin telegram reddit pinterest flipboard bluesky mastodon copied bookmark""".split()) | {
    "read later", "sponsor message", "listen to this story", "sign in", "log in", "skip to navigation",
    # buttons and labels of page chrome, never a paragraph of a story
    "follow", "post", "e-mail", "for subscribers", "subscribers only", "staff writer", "staff writers",
    "staff report", "staff correspondent", "short url", "multimedia downloads", "gift this article", "gift this article free",
    "gift article", "share & save", "join the conversation", "sign the guest book", "send flowers", "view guest book", "normal text size", "larger text size", "text size", "photo gallery (click to enlarge)", "close button", "close menu", "story continues", "recommended stories", "related topics", "read next",
    "report this ad", "republish", "republish this story", "font size", "open this photo in gallery",
    "scroll to continue", "advertisement · scroll to continue", "play video", "closed captions"}
_READING_TIME = re.compile(r"\d{1,2} ?mins?")  # "6 min" among the share buttons; alone, a match report's minute
# Words that are a share bar's or player's only next to other furniture ("X" and "Line" can be list items)
_BAR_WORDS = frozenset("x line threads messenger copy download embed transcript playlist home count".split())


def is_furniture(text: str) -> bool:
    """Page furniture: a label or link ("Share", "4 min read", "Summary"), or a newsletter promo.
    (Every paragraph is asked: the checks are grouped by the lengths they apply to, cheapest first.)"""
    n = len(text)
    if n <= 80:
        if FURNITURE.fullmatch(text.strip(" •·|›»")) is not None or _SIGN_OFF.match(text) \
                or _CONTACT.match(text) and not _LIFE_DATES.fullmatch(text) \
                or _WIRE_LINE.fullmatch(text) is not None \
                or n <= 40 and text.strip(" •·|›».:").casefold() in _FURNITURE_WORDS:
            return True
        if " | " in text and all(0 < len(part.split()) <= 3 for part in text.split(" | ")) \
                and any(is_furniture(part) for part in text.split(" | ")):
            return True  # a bar of links: "View Online | Sign Up | Shop"
    if n > 300:
        return False
    if n <= 200 and ("opyright" in text or "©" in text or "ights" in text) and _COPYRIGHT_LINE.search(text):
        return True  # a page's or a wire's copyright line (a "© Jane Roe/TASS" line without a year is a photo's credit)
    if "ommission" in text and _NOTICE.search(text) or text.startswith(("IE", "Internet Explorer")) and _BROWSER.match(text):
        return True  # an affiliate notice ("… Vox Media may earn a commission."), a browser notice
    if n <= 120 and _PROMPT_LINE.match(text):
        return True  # a sponsor's line, "Log in, register or subscribe to save articles for later."
    if "@" in text and (n <= 120 and _MAIL_HEADER.match(text) or n <= 160 and _CONTACT_LINE.match(text)):
        return True  # a forwarded newsletter's mail header; "Source: Elena Marquez, elena.marquez@…": a press contact
    if n <= 160 and text[-1] not in ".\"”’" and (_PROMO_LINE.match(text) or "ollow" in text.lower()
                                                   and _PROMO_LINE.search(text) or "Learn more" in text):
        return True  # (past the start, only "by following" matches: "ollow" has no non-ASCII case variants;
        # "…for financial market professionalsLearn more aboutRefinitiv": a promo's call to action)
    if text.startswith(("The audio version of this article", "This audio is")) or n <= 200 and text.startswith(
            "By subscribing, you") or ("AI narration" in text or "text-to-speech" in text) and "isten" in text:
        return True  # an article player's note ("… is generated by AI-based technology"); "By subscribing, you can help us …"
    if "ign up" in text and _SIGNUP_PROMO.search(text):
        return True  # "… Sign up to receive our biggest stories …", "Sign up for Dispatches to get stories like this one"
    if n > 200:
        return False
    if "ournalism" in text and _JOURNALISM_APPEAL.search(text):
        return True  # "In a time of … quality journalism is more crucial than ever."
    if "odcast" in text and not _SENTENCE_END.search(text) and _PODCAST_PROMO.search(text):
        return True  # "Our In the News podcast is now published daily – Find the latest episode here"
    return "ewsletter" in text and _PROMO.search(text) is not None


# A footer's copyright line: "© 2025 The Irish Times DAC", "Copyright © 2025, Radio New Zealand", "(Copyright 2025
# The Associated Press. All Rights Reserved.)", "… Limited 2025. All rights reserved." (not "Copyright 2024 in review: …")
_COPYRIGHT_LINE = re.compile(r"^(?:©\s*(?:19|20)\d\d|\(?copyright\s*©)|^[(©]?\s*copyright\b.*\ball rights reserved\b"
                             r"|\ball rights reserved\.?\)?$", re.IGNORECASE)
# An AP-style wire feed's lines for its editors: a story's header ("a0418 4 n AM-WX--Winter Storm 03-04 0211"),
# slug ("BC-US--Winter Storm/"), priority ("URGENT"), notes ("Eds: …"), "MORE" (in capitals: "More." is a word)
_WIRE_LINE = re.compile(r"[a-z]\d{4} \d [a-z] .{3,60} \d{2}-\d{2} \d{4}|[A-Z]{2}-[\w.\- ]{2,40}/|URGENT|BULLETIN|FLASH|MORE|"
                        r"Eds: [A-Z].{1,80}")
_LINK_PREFIXES = ("READ:", "Read:", "READ MORE:", "ALSO READ:", "Also read:", "RELATED:", "Related:")
_NOTICE = re.compile(r"\b(?:link|links|buy|purchase|products?)\b.*\bmay (?:earn|receive|get) (?:a |an )?(?:small )?(?:affiliate )?"
                     r"commission\b", re.IGNORECASE)
_BROWSER = re.compile(r"(?:IE ?\d+|Internet Explorer(?: \d+)?) is (?:not|no longer) supported")
_MAIL_HEADER = re.compile(r"(?:From|To|Cc|Sent|Reply-To):\s.*@|[^<>@]{2,60} <" + _EMAIL + ">$")
_PROMPT_LINE = re.compile(  # (the lookahead: the letters a match can start with, so most lines fail at once)
    r"(?=[pstilPSTIL])(?i:(?:presented by|sponsored by|together with|in partnership with) [\w .&'’\-]{2,40}$"
    r"|(?:log ?in|sign ?in|subscribe)\b[^.]{0,40}\bto (?:save|keep reading|continue reading|read (?:more|the full)|comment|unlock))")
_SIGNUP_PROMO = re.compile(r"\b[Ss]ign up\b[^.]{0,40}\b(?:to (?:receive|get)|for)\b[^.]{0,60}\b(?:our|stories like this)\b")
_JOURNALISM_APPEAL = re.compile(r"\b(?:support (?:our|independent|quality) journalism|quality journalism is|"
                                r"journalism (?:like this )?(?:needs|depends on) (?:you|your support))", re.IGNORECASE)
_CONTACT_LINE = re.compile(r"(?i:source|contact|media contact|press contact|story by|for more information)\s*:"
                           r".*[\w.+\-]+@[\w\-]+\.\w")
_PODCAST_PROMO = re.compile(r"\b(?:listen|subscribe|find|download|follow)\b.*\b(?:here|now|today|wherever you get your podcasts)\b",
                            re.IGNORECASE)


_SENTENCE_END = re.compile(r"[.!?][\"”’)]?$")
_HEAD_END = re.compile(r"[.,;:\"”’)…♦■]$")  # (an end mark closes a last paragraph, never a headline)
_TWO_SENTENCES = re.compile(r"[.][\"”’]?\s+[A-Z]")  # (not "?" or "!": "Rail strike averted? Amtrak, unions reach deal")
_TWO_QUESTIONS = re.compile(r"[?!][\"”’]?\s+[A-Z]")


_QUOTED_LABEL = re.compile(r"^[\"“‘'].{2,80}?[\"”’]: [A-Z]")  # "‘It’s a massacre’: Survivors…"


def is_headline_like(text: str) -> bool:
    """One line, 2–20 words, no sentence-final full stop, not a quotation, starts upper-case."""
    n = text.count(" ") + 1
    if not 2 <= n <= 20 or len(text) > 160:
        return False
    if text[0] in _QUOTES_OPEN:
        if not _QUOTED_LABEL.match(text):
            return False  # a quotation, not a headline
    elif not (text[0].isupper() or text[0].isdigit()):
        return False
    if _HEAD_END.search(text, len(text) - 1) and not text.endswith(("Jr.", "St.", "U.S.")):
        return False
    if text[-1] in "?!" and _TWO_QUESTIONS.search(text, 0, len(text) - 1):
        return False  # "Did the minister know? And if she did, why did she say nothing?"
    return not (_TWO_SENTENCES.search(text) and len(split_sentences(text)) > 1)  # two sentences ("St. Cloud" is one)


def is_lead_like(text: str, mentions: Sequence[Mention]) -> bool:
    """Opens like a news lead: declarative, not a quote, not a pronoun/conjunction, names someone."""
    # names someone in its first 200 characters (mentions come in text order: the first decides)
    return bool(mentions) and mentions[0].start < 200 and declarative(text)


def declarative(text: str) -> bool:
    """A full sentence of ten words or more that does not lean on what came before: no opening
    quote, pronoun or conjunction."""
    if not text or text[0] in _QUOTES_OPEN or text.count(" ") < 9:
        return False
    if text.split(" ", 1)[0].strip(",").casefold() in _PRONOUNS:
        return False
    return bool(_SENTENCE_END.search(text, max(0, len(text) - 3)))


# ---------------------------------------------------------------------------------------------
# Classification

HEAD, CAPTION, CREDIT, BODY, TIME, BYLINE, CONTRIB, JUNK = (
    "headline", "caption", "credit", "body", "timestamp", "byline", "contributors", "furniture")
DECK = "deck"  # a standfirst: shown in the body, never the lead
CLOCK = "clock"  # a live post's time of day ("Posted at 14:05", "10.32 BST")
NOTE = "note"  # "Editor's note: …", "Correction: …": shown in the body, never the lead
_NOTE = re.compile(r"^(?:Editor['’]?s['’]? note|Correction|Clarification)\s*:\s*\S", re.IGNORECASE)


@dataclass(slots=True)
class Item:
    """A paragraph with its kind and (for captions) its caption text and credits."""

    para: Para
    kind: str
    caption: str = ""
    credits: list[str] = field(default_factory=list)
    mentions: tuple[Mention, ...] = ()
    keys: frozenset[str] = frozenset()
    stems: frozenset[str] | Words = frozenset()  # content words, for lexical cohesion (see `stems_of`)
    lead: bool | None = None  # memo of `is_lead_like`
    twin: Item | None = None  # the line folded into this caption (bare caption, or caption of a credit)


_NOTHING: frozenset[str] = frozenset()


def _recast(item: Item, kind: str) -> None:
    """A line found to be furniture or a byline after all: no longer text, so no names or words either."""
    item.kind, item.mentions, item.keys, item.stems = kind, (), _NOTHING, _NOTHING


def classify(paras: Sequence[Para], taxonomy: Taxonomy) -> list[Item]:
    """Give each paragraph a kind, folding a bare caption into its credited twin.

    A paragraph's features depend on its text alone, so a text seen before in this seed (a
    caption printed twice, repeated boilerplate) is analysed once.
    """
    seen: dict[str, tuple[str, str, tuple[str, ...], tuple[Mention, ...], frozenset[str], frozenset[str] | Words]] = {}
    items: list[Item] = []
    for p in paras:
        hit = seen.get(p.text)
        if hit is None:
            kind, caption, credits = _kind_of(p.text)
            mentions: tuple[Mention, ...] = ()
            keys = stems = _NOTHING
            if kind in (HEAD, BODY, CAPTION):
                text = caption or p.text
                title_case = is_title_case(text)  # (both readers below ask)
                mentions = find_mentions(text, taxonomy, title_case)
                keys, stems = topic_keys(mentions), Words(text, title_case)
            hit = seen[p.text] = (kind, caption, credits, mentions, keys, stems)
        kind, caption, credits, mentions, keys, stems = hit
        items.append(Item(p, kind, caption, list(credits), mentions, keys, stems))
    _fold_captions(items)
    _bars(items)
    _attributions(items)
    _page_top(items)
    _video_titles(items)
    _player_times(items)
    _wire_takes(items)
    _inline_links(items)
    _link_lists(items)
    _comments(items)
    _name_bylines(items)
    return items


def _bars(items: list[Item]) -> None:
    """A share bar's or player's ambiguous words ("X", "Copy", "Line", "Download") are furniture when
    they sit in a run with other furniture, and stay text anywhere else."""
    header = True  # (above the first paragraph of text: where a reading time stands; below it "6 min" is a match's minute)

    def bar_word(item: Item) -> bool:
        text = item.para.text
        return item.kind in (HEAD, BODY) and len(text) <= 12 and (text.strip(" •·|").casefold() in _BAR_WORDS
                                                                  or text.replace(",", "").isdigit()  # a share count
                                                                  or header and _READING_TIME.fullmatch(text) is not None)

    run: list[Item] = []  # a run of furniture and such words: a bar when it holds some furniture
    for n, item in enumerate([*items, None]):
        if header and item is not None and item.kind == BODY and item.para.text.count(" ") >= 9 and not any(
                it.kind in (BYLINE, TIME) for it in items[n + 1:n + 3]):
            header = False  # (the text begins: not at a standfirst, which has the byline or stamp under it)
        if item is not None and (item.kind == JUNK or bar_word(item)):
            run.append(item)
            continue
        if any(it.kind == JUNK for it in run):
            for word in run:
                _recast(word, JUNK)
        run = []


def _attributions(items: list[Item]) -> None:
    """"— Maria Lopez" under a quotation attributes it: body text, not a post's sign-off."""
    for before, item in pairwise(items):
        if item.kind == CONTRIB and item.para.text[:1] in "—–" and len(item.para.text.split()) <= 5 and (
                before.para.text[:1] in _QUOTES_OPEN or before.para.text.rstrip()[-1:] in "\"”’'"):
            item.kind = BODY


def _page_top(items: list[Item]) -> None:
    """Above a page's headline a scrape carries its menu and section labels ("Home", "News",
    "Hong Kong", "Transport", "Add to myFT"): short lines before the first longer one. When that
    longer line is a headline, the labels are furniture (kept in `unplaced`). And bare names on
    lines of their own right above the page's timestamp, under its headline, are its byline ("Chan
    Ho-him" / "Natalie Wong" / "Published: 6:30pm, 12 Mar 2025")."""
    labels: list[Item] = []
    seen_furniture = under_furniture = False  # ("Skip to main content" / "Politics": a label under the page's furniture)
    for n, item in enumerate(items):
        if item.kind == JUNK:
            seen_furniture = True
            continue
        text = item.para.text
        if item.kind == CREDIT and len(text.split()) <= 3 and looks_like_outlet(text):
            labels.append(item)  # an agency's name atop its own page ("TASS"), not a photo's credit
            continue
        if item.kind in (HEAD, BODY) and (" " not in text and len(text) <= 24 or not _SENTENCE_END.search(text) and (
                text.count(" ") < 3 or _BREADCRUMB.search(text) and len(text) <= 60 or " & " in text and len(text) <= 30
                or _masthead(text))):
            labels.append(item)  # ("U.S." in a menu, "Israel & the Region"; the outlet's name atop the page)
            under_furniture |= seen_furniture  # (furniture above or among the labels, not only a share bar under a headline)
            continue
        first = n  # (the first line past the labels: what follows is decided from it)
        if labels and _masthead(labels[-1].para.text) and labels[-1].para.text.count(" ") >= 3:
            # a masthead has the menu under it: right above the text it is the headline ("The Good
            # News About Inflation", "TRUMP SUES NEW YORK TIMES")
            top = labels.pop()
            first = next(at for at in range(n) if items[at] is top)
        # a headline is one line: three labels, two single words, a "News | World" path or labels
        # among furniture are the menu, whatever follows; over a longer headline (past a timestamp),
        # so are two labels or one word (a kicker: "Analysis"), but not one short line of words,
        # which may be a short headline over its standfirst ("Floods hit Leeds"); nor are two over a
        # byline ("Floods hit Leeds" / "Jane Doe"), nor over a share bar ("Floods hit Leeds" / "Share"), where
        # a topic's follow button is ("Electric vehicles" / "Add to myFT" / headline)
        over_headline = next((it.kind for it in items[first:] if it.kind not in (JUNK, TIME)), "") == HEAD
        one_words = all(" " not in label.para.text.strip() or _section_name(label.para.text) for label in labels)
        if labels and (len(labels) > 2 or under_furniture or _BREADCRUMB.search(labels[0].para.text)
                       or len(labels) > 1 and one_words or over_headline and (len(labels) > 1 or one_words or seen_furniture
                                                                               and labels[0].para.text.count(" ") < 2)):
            for label in labels:
                _recast(label, JUNK)
        break
    paragraphs = 0
    for n, item in enumerate(items):
        if item.kind == BODY and item.para.text.count(" ") >= 20:
            paragraphs += 1
            if paragraphs > 1:
                return  # (the top of the page ends at its text, past the standfirst; not at a promo line)
        if item.kind == TIME:
            names: list[Item] = []
            below = item
            for before in reversed(items[:n]):
                if before.kind == JUNK and below.para.first - before.para.last <= 1 and len(before.para.text) <= 24:
                    below = before  # ("Bar Peleg" / "Follow" / "Josh Breiner" / "Follow": a follow button by each name)
                    continue
                if before.kind != HEAD or below.para.first - before.para.last > 1 \
                        or not _names_only(before.para.text) or any(m.known for m in before.mentions):
                    break
                names.append(before)
                below = before
            names = names or _stacked_byline(items[:n])
            if any(it.kind == HEAD for it in items[:n - len(names)]):  # (the headline stays above them)
                for name in names:
                    _recast(name, BYLINE)
            return


def _stacked_byline(above: list[Item]) -> list[Item]:
    """Names each over their place, on lines of their own right above the stamp ("Marie Lachance" /
    "Ottawa" / "Nathan VanderKlippe" / "Washington"): the byline, bottom up; [] if the lines are not so."""
    lines: list[Item] = []
    for before in reversed(above):
        if before.kind not in (HEAD, BODY) or lines and lines[-1].para.first - before.para.last > 1 \
                or len(before.para.text.split()) > 4 or not before.para.text[:1].isupper() or _SENTENCE_END.search(before.para.text):
            break
        lines.append(before)
    while len(lines) % 2 or lines and not _byline_pairs(lines):
        lines = lines[:-1] if len(lines) % 2 else lines[:-2]
    return lines


def _byline_pairs(lines: list[Item]) -> bool:
    """Bottom up, each (place, name) pair: a place the taxonomy knows or a word or two; a person's name."""
    for place, name in zip(lines[::2], lines[1::2]):
        words = place.para.text.split()
        if not (_BARE_NAME.match(name.para.text) and _names_only(name.para.text)) or any(m.known for m in name.mentions) \
                or not all(w[:1].isupper() for w in words) or words[-1] in _NOT_SURNAMES or not (
                any(m.known for m in place.mentions) or len(words) <= 2 and not _names_only(place.para.text)):
            return False
    return True


def _masthead(text: str) -> bool:
    """The outlet's name atop a page ("THE TIMES OF ISRAEL", "The Globe and Mail"): a label like the menu by it.
    (A name word is needed: "THE FED HOLDS RATES" is a headline in capitals.)"""
    return len(text.split()) <= 5 and not _SENTENCE_END.search(text) and OUTLET_WORD.search(
        text.title() if text.isupper() else text) is not None and (text.isupper() or text.startswith("The "))


# Words of a news site's section names ("World News", "Middle East", "Science & Tech"): a line of
# nothing else above a headline is its section, not a short headline.
_SECTION_WORDS = frozenset("""world news politics business tech technology science health sport sports opinion culture
entertainment lifestyle travel climate environment local national international us uk europe asia africa americas
middle east economy markets money weather education crime media arts life style food video live analysis breaking
latest top stories global nation region regional u.s. u.k. & and the""".split())


def _section_name(text: str) -> bool:
    return all(word in _SECTION_WORDS for word in text.strip(" :").casefold().split())


_BREADCRUMB = re.compile(r"\w \| \w|\w ?[›»>] ?\w")  # "News | World", "Home › Politics"


def _names_only(text: str) -> bool:
    """A line that is nothing but people's names (and where they are): "Natalie Wong", "Andy Bounds
    in Brussels and Edward White in Shanghai"."""
    return bool(_BARE_NAME.match(text) or parse_contributors("By " + text)[0]) and not looks_like_outlet(text) \
        and text.rsplit(" ", 1)[-1] not in _NOT_SURNAMES and not (_BARE_NAME.match(text) and JOB_TITLE.search(text))
    # (a job alone, "Housing Correspondent", is no name; "Bridget Hōhaia-Marsh, Gisborne Reporter" is one)


# Last words of places and bodies, never of a person's name ("Gtech Community Stadium", "Premier League")
_NOT_SURNAMES = frozenset("""Stadium Arena Square Avenue Airport Station Centre Center Cathedral Hospital Museum
League Cup Championship Party Union Council Group Company Committee Commission Ministry Department Agency University
College School Club Bank Fund Office Board Service City United FC""".split())


_VIDEO_SOURCE = re.compile(r"^\d{1,2}:\d{2} ?[-–—] ?Source: ", re.IGNORECASE)


def _video_titles(items: list[Item]) -> None:
    """An embedded video scrapes as "Video Ad Feedback", its title, "02:31 - Source: CNN": the
    title is the video's, not a headline of the page (kept in `unplaced` with the rest)."""
    for i in range(1, len(items)):
        if items[i].kind == JUNK and _VIDEO_SOURCE.match(items[i].para.text):
            prev = items[i - 1]
            if prev.kind in (HEAD, BODY) and len(prev.para.text.split()) <= 25:
                prev.kind = JUNK


_BARE_TIME = re.compile(r"\d{1,2}:\d{2}")  # "00:00", "23:41": a player's position and length, or a post's time
_LISTEN = re.compile(r"listen|\d{1,2}:\d{2}$", re.IGNORECASE)  # (a live post's time may follow a "Play video" link)
_PLAYER = re.compile(r"(?:listen|play|watch|now playing|pause|closed captions|\d{1,2}:\d{2}$)", re.IGNORECASE)


def _player_times(items: list[Item]) -> None:
    """A bare time beside an audio or video player ("Listen to this article" / "00:00" / "23:41";
    "Play Video" / its title / "02:14" / "Closed Captions") is the player's clock, not a post's
    time: two such times in a row never are. The video's title between goes with the player."""
    for i, item in enumerate(items):
        if item.kind != CLOCK or not _BARE_TIME.fullmatch(item.para.text):
            continue
        before, after = items[i - 1] if i else None, items[i + 1] if i + 1 < len(items) else None
        if before and (before.kind == CLOCK and _BARE_TIME.fullmatch(before.para.text) or before.kind == JUNK
                       and _LISTEN.match(before.para.text)) or after and after.kind in (CLOCK, JUNK) and _PLAYER.match(after.para.text):
            item.kind = JUNK
            if i >= 2 and items[i - 2].kind == JUNK and _PLAYER.match(items[i - 2].para.text) \
                    and items[i - 1].kind in (HEAD, BODY) and len(items[i - 1].para.text.split()) <= 25:
                _recast(items[i - 1], JUNK)


def _inline_links(items: list[Item]) -> None:
    """"READ: Vietnam's economy grows 7.1% …" between a story's paragraphs is a link to another story,
    not a headline; above the text it may be one ("READ: Full text of the special counsel's report")."""
    text_seen = False
    for item in items:
        if item.kind == BODY and item.para.text.count(" ") >= 9:
            text_seen = True
        elif text_seen and item.kind in (HEAD, BODY) and item.para.text.startswith(_LINK_PREFIXES) \
                and not item.para.text.endswith((".", "”", "\"")):
            _recast(item, JUNK)


def _wire_takes(items: list[Item]) -> None:
    """An AP-style feed closes each take with its transmission stamp and a "<" line: furniture there
    (anywhere else, "<" may be a formula's)."""
    for before, item in pairwise(items):
        if item.para.text == "<" and before.kind == TIME and WIRE_STAMP.fullmatch(before.para.text):
            _recast(item, JUNK)


_LINK_LABEL = re.compile(r"^(?:read more|also read|read also|in this (?:article|story|section)|more from .{2,30}|related(?: (?:coverage|articles?|stories|links?))?|"
                         r"more on this story|recommended(?: stories| articles| for you)?|(?:media|press) contacts?|contacts?|most (?:popular|read|viewed)|"
                         r"more (?:articles|stories) from this (?:writer|author|reporter)|keywords|trending(?: now)?|"
                         r"you (?:may|might) also like)\s*:?$", re.IGNORECASE)


def _link_lists(items: list[Item]) -> None:
    """Under a "Read more:" / "Also Read" / "More from X" / "Media contact:" label come links
    (headlines of other stories) or contact lines, not the story: every line after the label that
    is not a finished sentence is furniture too, up to the first one that is."""
    for i, item in enumerate(items):
        if item.kind != JUNK or not _LINK_LABEL.match(item.para.text.strip(" •·|›»")):
            continue
        for k in range(i + 1, min(i + 12, len(items))):
            nxt, text = items[k], items[k].para.text
            if nxt.kind == JUNK:
                continue
            if nxt.kind not in (HEAD, BODY) or len(text.split()) > 25 or _SENTENCE_END.search(text) and not text.endswith("?") \
                    or nxt.kind == HEAD and _text_under(items, k):
                break  # (a finished sentence, or a headline with its story under it: the page goes on)
            _recast(nxt, JUNK)


def _text_under(items: Sequence[Item], k: int) -> bool:
    """Is the headline at k a story's, with its stamp or byline and then its text under it (a link
    in a list has at most a date, and a link inside an article has the article's text under it)?"""
    below = _below(items, k, 4)
    n = next((n for n, it in enumerate(below) if it.kind not in (TIME, BYLINE)), len(below))
    return 0 < n < len(below) and below[n].kind == BODY and below[n].para.text.count(" ") >= 15


_COMMENTS = re.compile(r"^(?:(?:view |show |read )?comments? \(\d+\)|\d+ comments?|comments are (?:closed|now closed).*)$",
                       re.IGNORECASE)


def _comments(items: list[Item]) -> None:
    """Under a story, "Comments (14)" opens the readers' comments: names, times and their words,
    then the page's footer, up to the next headline or post time. None of it is the story (all kept
    in `unplaced`). Only a counted label counts, and only after the story's text: a share bar's
    "Comments" link above it does not."""
    text_seen = 0
    for i, item in enumerate(items):
        if item.kind == BODY:
            text_seen += 1
        elif item.kind == JUNK and text_seen >= 3 and _COMMENTS.match(item.para.text.strip()):
            for rest in items[i + 1:]:
                if rest.kind in (CLOCK, BYLINE) or rest.kind == HEAD and rest.para.text.count(" ") >= 4:
                    break  # (a post's time, or a headline: the page goes on; a commenter's name is short)
                _recast(rest, JUNK)
            return


_BARE_NAME = re.compile(r"^[A-Z][\w'’\-]+(?: [A-Z][\w'’\-.]*){1,3}$")
_BYLINE_TAIL = re.compile(r"^in [A-Z][\w .,'’\-]{1,40}$|@\w{2,}")


def _name_bylines(items: list[Item]) -> None:
    """A byline written as a bare name with the writer's place or job on the very next line
    ("Io Dodds" / "in San Francisco"; "Sam Coates" / "Deputy political editor @SamCoatesSky")."""
    for a, b in zip(items, items[1:]):
        if a.kind != HEAD or a.para.last + 1 != b.para.first or not _BARE_NAME.match(a.para.text):
            continue
        tail = b.para.text
        if len(tail.split()) <= 10 and (_BYLINE_TAIL.search(tail) or JOB_TITLE.search(tail)) \
                and not _SENTENCE_END.search(tail):
            for it in (a, b):
                _recast(it, BYLINE)


# The line starts that bylines, notes, photo labels and caption prefixes need (see `_kind_of`).
_MARKED_START = re.compile(r"By|Edited by|From|Reporting from|Editor|Correction|Clarification|"
                           r"(?:Image|Media|Video|Photo) (?:source|caption)|FILE|Photo:|Image:|Pictured:",
                           re.IGNORECASE)


def _kind_of(text: str) -> tuple[str, str, tuple[str, ...]]:
    """(kind, caption, credits) of one paragraph.

    Most paragraphs are plain text, and running every check on each cost several times the
    rest: so each check runs only where a cheap screen it implies says it could hold (a line
    start, a length, `may_be_timestamp`, `may_have_credit`). The checks' order is unchanged.
    """
    if is_furniture(text):
        return JUNK, "", ()
    n = len(text)
    marked = _MARKED_START.match(text) is not None
    if may_be_timestamp(text) and parse_timestamp(text, ANY_YEAR):
        return TIME, "", ()
    if parse_clock(text):
        return CLOCK, "", ()
    if (marked or n <= 80) and (is_byline(text) or REPORTING_FROM.match(text)):  # (a news desk: 80 at most)
        return BYLINE, "", ()
    if marked and _NOTE.match(text):
        return NOTE, "", ()
    if is_contributor_line(text):
        return CONTRIB, "", ()
    label = _PHOTO_LABEL.match(text) if marked else None  # BBC: "Image source, Getty Images" / "Image caption, …"
    if label and n > label.end():
        rest = text[label.end():]
        return (CREDIT, "", (rest,)) if label.group(1).lower() == "source" else (CAPTION, rest, ())
    if may_have_credit(text):
        caption, credits = split_credit(text)
        if credits:
            return (CAPTION if caption else CREDIT), caption, tuple(credits)
    if marked and _CAPTION_PREFIX.match(text) and len(text.split()) > 4:
        return CAPTION, text, ()
    if is_headline_like(text):
        return HEAD, "", ()
    return BODY, "", ()


def _fold_captions(items: list[Item]) -> None:
    """A line repeated as the caption of the next photo, or a credit-only line, is that photo's."""
    for a, b in pairwise(items):
        if b.kind != CAPTION and b.kind != CREDIT:
            continue  # (every fold below is onto a caption or a credit: most pairs are neither)
        if b.kind == CAPTION and a.kind in (BODY, HEAD, CAPTION) and a.kind != JUNK:
            ka, kb = fold_key(a.caption or a.para.text), fold_key(b.caption)
            if ka and (ka == kb or (len(ka) > 30 and kb.startswith(ka))):
                a.kind, a.caption, b.twin = "dup", a.caption or a.para.text, a
                b.credits = [*b.credits, *(c for c in a.credits if c not in b.credits)]  # one photo credited twice: both
        if a.kind == CREDIT and b.kind == CAPTION and not b.credits and _PHOTO_LABEL.match(a.para.text):
            b.credits, a.kind, b.twin = list(a.credits), "dup", a  # BBC: the source line comes first
            continue
        if b.kind == CREDIT and (a.kind in (BODY, CAPTION) or a.kind == HEAD and a.para.last + 1 == b.para.first) \
                and 1 < len(a.para.text.split()) <= 60 and any(c.isalpha() for c in a.para.text):  # (not a menu's "Mail")
            if a.kind == BODY and not (_CAPTION_VERB.search(a.para.text) or a.para.last + 1 == b.para.first):
                continue  # a credit on the very next line (no blank between) marks its caption
            b.kind, b.caption = CAPTION, a.caption or a.para.text
            b.credits = [*b.credits, *a.credits]
            a.kind, b.twin = "dup", a


_CAPTION_VERB = re.compile(  # a short paragraph that describes a picture is the caption of the credit under it
    r"\b(?:is|are) (?:seen|pictured|shown|photographed)\b|\bpictured\b|\b(?:walks?|stands?|speaks?|"
    r"looks?|holds?|poses?|gestures?|arrives?|attends?|waits?|sits?|smiles?|waves?|rides?|"
    r"carries|carry|work|works|gather|gathers|march|marches|inspects?|react|reacts)\b")


# ---------------------------------------------------------------------------------------------
# Lexical cohesion: the content words a paragraph shares with the story so far

_STOP = frozenset("""a about above after again against all also although am among an and another any
are around as at away back be because been before being below between both but by can could did do
does doing down during each either else even ever every few for from further had has have having he
her here hers herself him himself his how however i if in into is it its itself just least less like
made make many may me might more most much must my near never new no nor not now of off often on once
one only or other others our ours out over own per rather said same say says saying she should since
so some still such than that the their theirs them then there these they this those though through
thus to told too two under until up upon us very via was we were what when where whether which while
who whom whose why will with within without would yet you your according asked added told tell
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week weeks year
years day days time times people mr mrs ms dr cent percent january february march april may june
july august september october november december""".split())
_WORD = re.compile(r"[A-Za-z][a-z'’\-]{2,}")
# A lower-case word, not the tail of a capitalised one (the look back comes after the first letter,
# so that the regex engine skips from letter to letter: its fastest search).
_LOWER_WORD = re.compile(r"[a-z](?<![A-Za-z].)[a-z'’\-]{2,}")
_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """A light suffix-stripper: prices/price, foods/food, rising/rises/rise meet; memoised."""
    hit = _STEMS.get(word)
    if hit is not None:
        return hit
    w = word.lower().replace("’", "'").split("'")[0]
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(_STEMS) < 200_000:
        _STEMS[word] = w
    return w


def content_stems(text: str, title_case: bool | None = None) -> frozenset[str]:
    """Stems of the paragraph's common words: names are left to the entity comparison, so
    capitalised words count only in a Title Case Headline; stop words are dropped.
    (`title_case` is `is_title_case(text)`, passed by a caller that knows it.)"""
    if title_case is None:
        title_case = is_title_case(text)
    if len(text) < 160 and title_case:  # a Title Case Headline: every word is capitalised
        return _word_stems(text)
    return _stems_of(set(_LOWER_WORD.findall(text)))


def _word_stems(text: str) -> frozenset[str]:
    """Stems of every word, capitalised or not, minus stop words."""
    return _stems_of({w.lower() for w in _WORD.findall(text)})


def _stems_of(words: set[str]) -> frozenset[str]:
    """Stems of the words that are not stop words. The vocabulary of news repeats, so most
    paragraphs have only words stemmed before: they are looked up without a Python call each."""
    words -= _STOP
    try:
        return frozenset(map(_STEMS.__getitem__, words))
    except KeyError:  # a new word (or a full memo): stem them one by one
        return frozenset(map(stem, words))


class Words:
    """A paragraph's `content_stems`, worked out when a test for a change of topic first needs
    them (and shared by the paragraph's repeats). Many paragraphs are never asked about: none
    in a seed read as one article, and on a page of posts none that only follow a story's last
    such test, or whose topic change its names already settled."""

    __slots__ = ("stems", "text", "title_case")

    def __init__(self, text: str, title_case: bool) -> None:
        self.text, self.title_case = text, title_case
        self.stems: frozenset[str] | None = None


def stems_of(item: Item) -> frozenset[str]:
    """The item's content words (see `Words`)."""
    words = item.stems
    if type(words) is not Words:
        return words
    if words.stems is None:
        words.stems = content_stems(words.text, words.title_case)
    return words.stems


def cohesion(ahead: Iterable[Item], story: Story) -> float:
    """Share of the coming paragraphs' content words the story already uses; a word the story
    uses in two or more paragraphs (its running topic) counts double."""
    new: frozenset[str] = frozenset().union(*map(stems_of, ahead))
    if not new:
        return 0.0
    vocab, recurring = story.vocabulary()
    shared = new & vocab
    return (len(shared) + len(shared & recurring)) / len(new)


# ---------------------------------------------------------------------------------------------
# Stories

@dataclass(slots=True)
class Story:
    items: list[Item] = field(default_factory=list)
    headline: Item | None = None
    deck: Item | None = None  # a headline-like line right under the headline
    photo: Item | None = None
    body: int = 0
    keys: Counter[str] = field(default_factory=Counter)
    lexical: list[Item] = field(default_factory=list)  # its paragraphs counted in `keys` and `vocabulary`
    vocab: set[str] = field(default_factory=set)  # stems the first `folded` of them use
    recurring: set[str] = field(default_factory=set)  # stems used in two or more of those
    folded: int = 0
    subheads: int = 0  # a story set out under subheads runs on to the next headline or photo
    signed: bool = False  # closed by "… contributed reporting." under its text: what follows is a new post

    def add(self, item: Item) -> None:
        self.items.append(item)
        if item.kind == "sub":
            self.subheads += 1
        if item.kind in (HEAD, BODY, CAPTION, "sub", DECK):
            keys = self.keys
            for key in item.keys:  # (Counter.update's type checks cost more than counting a few names)
                keys[key] = keys.get(key, 0) + 1
            self.lexical.append(item)

    def vocabulary(self) -> tuple[set[str], set[str]]:
        """(stems its paragraphs use, stems used in two or more of them), brought up to date only
        when a topic test asks (see `Words`)."""
        for item in self.lexical[self.folded:]:
            stems = stems_of(item)
            self.recurring |= self.vocab & stems
            self.vocab |= stems
        self.folded = len(self.lexical)
        return self.vocab, self.recurring


@dataclass(frozen=True, slots=True)
class Topics:
    """What the whole seed says about its names: an entity in a large share of its paragraphs is
    background, no sign of a story of its own."""

    background: frozenset[str]  # keys in more than 40% of the paragraphs, in a seed of eight or more
    strong: bool  # the seed has at least one unmistakable second story (headline + photo/time)

    @classmethod
    def of(cls, content: Sequence[Item], strong: bool) -> Topics:
        """Counted once per seed, so that a topic test asks a set, not each name."""
        n = len(content)
        df = Counter(chain.from_iterable(it.keys for it in content))
        return cls(frozenset(k for k, c in df.items() if c > 0.4 * n) if n >= 8 else frozenset(), strong)


_TRAILER = re.compile(r"^(?:This (?:story|article|post|report|page)\b|\(?(?:Correction|Update|Clarification)\b)",
                      re.IGNORECASE)


def _trailer(text: str) -> bool:
    """A line under a sign-off that is about the story, not a new one: a short line, or
    "This story has been updated …"."""
    return text.count(" ") < 5 or bool(_TRAILER.match(text))


# A story's end mark: a line of its own (a wire's "Enditem", "-30-", "(END)"; an AP-style feed's
# transmission stamp, `WIRE_STAMP`, which also dates the story), or
# the end of its last paragraph (a magazine's "♦" or "■", Xinhua's " Enditem")
_END_MARK = re.compile(r"(?i:enditem|\(end\)|end|-30-|-0-|-? ?ends ?-?)")  # (not "###": a section break too)
_END_TAILS = (" Enditem", " (END)", "♦", "■")


def _below(items: Sequence[Item], i: int, span: int) -> list[Item]:
    """The items within `span` after item i, past furniture and folded duplicates: what a reader sees under it."""
    return [it for it in items[i + 1:i + 1 + span] if it.kind not in (JUNK, "dup")]


def _next_content(items: Sequence[Item], i: int) -> Item | None:
    below = _below(items, i, 3)
    return below[0] if below else None


def stories(items: list[Item]) -> list[Story]:
    """Cut the classified paragraphs into stories: at headlines, photos after body text, and
    clear changes of topic; subheads and inline photos stay in their story."""
    live = _live_page(items)
    explainer = _explainer(items)
    topics = Topics.of([it for it in items if it.kind in (HEAD, BODY, CAPTION)],
                       live or _has_second_post(items, explainer))
    article = not live and _single_article(items)
    least = 2 if topics.strong else 3  # paragraphs a story has before a change of topic may cut it
    out: list[Story] = [Story()]
    pending: list[Item] = []  # furniture, bylines and timestamps waiting for the next story
    for i, item in enumerate(items):
        cur = out[-1]
        kind = item.kind
        if kind == CLOCK:  # "Posted at 14:05" opens a post; "Updated at 10.41 BST" closes one
            posted = _is_post_clock(item)
            if posted and (cur.headline or cur.body or cur.photo):
                out.append(Story())
            (pending if posted or not cur.items else cur.items).append(item)
            continue
        if kind == NOTE:  # an editor's note belongs to the story it sits on top of (or under)
            (cur.items if cur.body else pending).append(item)
            continue
        if kind in (JUNK, TIME, BYLINE, "dup"):
            # "Enditem", "-30-", a wire's "AP-WF-03-04-25 1422GMT", a paper's "Published by The Courier on Mar. 4,
            # 2025." (their time the story's): the story is over
            closes = bool(cur.body) and (kind == JUNK and _END_MARK.fullmatch(item.para.text.strip()) is not None
                                         or kind == TIME and (WIRE_STAMP.fullmatch(item.para.text) is not None
                                                              or cur.body >= 3 and item.para.text.startswith(
                                                                  ("Published in ", "Published by "))))  # (not a header's)
            (pending if not closes and (kind == "dup" or kind in (TIME, BYLINE) and cur.body) else cur.items).append(item)
            cur.signed = cur.signed or closes
            continue
        if kind == CREDIT:  # a credit line on its own: the story's photo, else kept in the body
            if cur.photo is not None and not cur.photo.credits:
                cur.photo.credits.extend(item.credits)
                cur.items.append(item)
                continue
            kind = item.kind = "inline"
        if kind == CONTRIB:
            cur.items.extend(pending)
            pending = []
            cur.add(item)
            cur.signed = bool(cur.body) and not article
            continue
        if cur.signed and (kind == HEAD or kind == CAPTION and _opens_story(items, i)
                           or kind == BODY and not _trailer(item.para.text)):
            # A post's sign-off ends it: a headline, photo or paragraph after it opens the next post
            # (but a short note on the story itself, "This story has been updated.", stays with it).
            out.append(Story(headline=item) if kind == HEAD else Story(photo=item) if kind == CAPTION else Story())
            if kind == BODY:
                out[-1].body += 1
        elif kind == HEAD:
            if cur.headline is None and cur.body == 0 and cur.photo is None:
                cur.headline = item
                if live and len(out) == 1:  # a live page's title names the whole page, not its first post
                    item.keys, item.stems = _NOTHING, _NOTHING
            elif cur.body == 0 and cur.deck is None and cur.photo is None:
                item.kind, cur.deck = DECK, item  # a standfirst, or the first post's headline
            elif cur.body == 0:
                item.kind = DECK if len(out) == 1 and _above_byline(items, i) else BODY
            elif article:
                item.kind = "sub"
            elif _starts_post(items, i) or _heads_lead(items, i, explainer) or (
                    not _subhead_look(items, i, cur) and _new_topic(items, i, cur, topics, headline=True)):
                out.append(Story(headline=item))
            else:
                item.kind = "sub"
        elif kind == CAPTION:
            if not article and cur.body and _opens_story(items, i) and (
                    topics.strong and _post_photo(item) or _new_topic(items, i, cur, topics, headline=True)):
                out.append(Story(photo=item))
            elif cur.photo is None:  # the story's first photo, even if it sits lower down
                cur.photo = item
            else:
                item.kind = "inline"
        elif kind == BODY:
            if cur.body == 0 and cur.headline is not None and (len(out) == 1 or not live) \
                    and _above_byline(items, i, over_text=len(out) > 1):
                item.kind = DECK  # a standfirst between the headline and the byline (of a later article: over its text)
            elif not article and (
                    cur.body >= least and topics.strong and _new_topic(
                        items, i, cur, topics, headline=False, least=least if live or cur.headline or cur.photo else 3,
                        nameless_only=bool(cur.subheads))
                    or pending and cur.body and any(p.kind == TIME for p in pending) and _opens_story(items, i - 1)):
                out.append(Story())  # a change of topic, or a timestamp before a new lead, on a page of posts
            if item.kind == BODY:
                out[-1].body += 1
        story = out[-1]
        if pending:
            story.items.extend(pending)
            pending = []
        story.add(item)
        if item.kind == BODY and item.para.text.endswith(_END_TAILS) and len(item.para.text) > 20:  # (a "■" alone breaks a section)
            story.signed = True  # "… did not contradict him. ♦", "… Commerce. Enditem"
    out[-1].items.extend(pending)
    out = [s for s in out if s.items]
    if len(out) > 1 and out[0].headline and not out[0].body and out[0].photo is None:
        _fold_page_header(out)
    if len(out) > 1 and not out[-1].body and out[-1].photo is None and _footer_shaped(out[-1].items):
        _fold_page_footer(out)
    first = out[0] if out else Story()
    if (first.deck and first.headline and sum(bool(s.headline or s.body) for s in out) > 1
            and (live or not any(it.kind == BYLINE or it.kind == TIME and _signed_stamp(it.para.text) for it in first.items)
                 or _stamped_between(first))
            and not (_BARE_NAME.match(first.deck.para.text) or _names_only(first.deck.para.text)
                     or _LIFE_DATES.fullmatch(first.deck.para.text))):
        # A page of several posts: the line under the page's title is the first post's headline (not
        # under a signed article's headline, where it is the standfirst, nor a name: that is a byline).
        first.headline.kind, first.headline, first.deck.kind, first.deck = JUNK, first.deck, HEAD, None
    return out


_LIVE = re.compile(r"\b(?:live(?: updates| blog)?|latest|as it happened|in brief|briefing|round-?up|news digest)\b\s*:?",
                   re.IGNORECASE)


# An obituary's life dates under the name: "June 12, 1938 - March 1, 2025", "1951 - 2025"
_LIFE_DATES = re.compile(r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}, )?(?:1[89]|20)\d\d ?[-–—] ?(?:[A-Z][a-z]{2,8}\.? \d{1,2}, )?(?:19|20)\d\d")


def _stamped_between(story: Story) -> bool:
    """A timestamp between the page's headline and the line under it: that line opens the first post."""
    at = {id(it): n for n, it in enumerate(story.items)}  # (by identity: Items compare by value)
    if id(story.headline) not in at or id(story.deck) not in at:
        return False
    return any(it.kind in (TIME, CLOCK) for it in story.items[at[id(story.headline)] + 1:at[id(story.deck)]])


def _signed_stamp(text: str) -> bool:
    """A stamp line that names its writer ("Jane Doe | 20.06.2025 - Update : 20.06.2025"): a signed article."""
    return SEGMENTS.search(text) is not None and any(
        part.startswith(("By ", "BY ")) or _names_only(part) for part in SEGMENTS.split(text) if not parse_timestamp(part, ANY_YEAR))


def _live_page(items: Sequence[Item]) -> bool:
    """The page's own headline calls it a page of posts: "Russia-Ukraine war live: …",
    "Ukraine war latest: …", "… as it happened", "Morning briefing: …"."""
    for item in items:
        if item.kind == HEAD:
            head = item.para.text.split(":", 1)[0] if ":" in item.para.text else item.para.text
            return bool(_LIVE.search(head)) and (":" in item.para.text or head.rstrip().endswith("happened"))
        if item.kind == BODY:
            return False
    return False


def _is_post_clock(item: Item) -> bool:
    clock = parse_clock(item.para.text)
    return clock is not None and clock[0] == "posted"


def _single_article(items: Sequence[Item]) -> bool:
    """One article, not a page of posts: a byline above the text or a dateline on its lead, and
    nothing that marks a second post (a post time, or a byline, timestamp or headline with its
    own photo or byline after the text has begun). Its headlines are subheads, its photos inline."""
    marked = False
    bodies = 0  # a standfirst may sit above the byline: the text begins at the second paragraph
    for i, item in enumerate(items):
        if item.kind == CLOCK and _is_post_clock(item):
            return False
        if item.kind in (BYLINE, TIME) and bodies > 1:
            return False
        if item.kind == HEAD and bodies and _starts_post(items, i):
            return False
        if item.kind == BYLINE:
            marked = True
        elif item.kind == BODY:
            marked = marked or bodies < 2 and bool(parse_dateline(item.para.text)[0])
            bodies += 1
    return marked


def _above_byline(items: Sequence[Item], i: int, over_text: bool = False) -> bool:
    """Is item i a standfirst: text under the headline with only photos and times before a byline?
    (`over_text`: and the byline over the text, not a post's sign-off under it.)"""
    for n, item in enumerate(items[i + 1:i + 8], start=i + 1):
        if item.kind == BYLINE:
            return not over_text or next((it.kind for it in items[n + 1:n + 5] if it.kind not in (JUNK, TIME, BYLINE)), "") == BODY
        if item.kind not in (JUNK, "dup", CAPTION, CREDIT, TIME):
            return False
    return False


def _fold_page_header(out: list[Story]) -> None:
    """A first "story" of only a headline (and standfirst) above posts is the page's header: it
    joins the first post, whose own headline wins; the page's lines are kept in `unplaced`."""
    head, post = out.pop(0), out[0]
    if post.headline is None:
        post.headline, post.deck = head.headline, head.deck
    else:
        for item in head.items:
            if item.kind in (HEAD, DECK):
                item.kind = JUNK
    post.items[:0] = head.items


def _footer_shaped(items: list[Item]) -> bool:
    """Links and notes, not a post: it opens with no time, and each of its headlines stands alone over
    a date, furniture or its end (a post's headline has its text under it)."""
    if items[0].kind in (TIME, CLOCK):
        return False
    return all(it.kind not in (HEAD, DECK) or nxt is None or nxt.kind in (TIME, JUNK, CREDIT)
               for it, nxt in zip(items, [*items[1:], None]))


def _fold_page_footer(out: list[Story]) -> None:
    """A last "story" with no text of its own (a related link and its date; "Additional input from
    APP" / "Published in Dawn, March 1st, 2025") is the page's footer: its lines join the story above,
    its headlines and stamps kept in `unplaced`, as they name or date no part of that story."""
    tail = out.pop()
    for item in tail.items:
        if item.kind in (HEAD, DECK, TIME, CLOCK):
            _recast(item, JUNK)
        out[-1].add(item)


def _has_second_post(items: Sequence[Item], explainer: bool) -> bool:
    """A live page: after body text, a headline with a photo, timestamp or byline under it, or
    one its next paragraph restates (`_heads_lead`), or a post's photo over a fresh lead."""
    seen_body = False
    for i, item in enumerate(items):
        if seen_body and (item.kind == HEAD and (_starts_post(items, i) or _heads_lead(items, i, explainer))
                          or item.kind == CAPTION and _post_photo(item) and _opens_story(items, i)):
            return True
        seen_body = seen_body or item.kind == BODY
    return False


def _post_photo(item: Item) -> bool:
    """A photo printed twice, bare and then with its credit: how live pages scrape the photo that
    opens a post (an inline photo in an article is printed once)."""
    if item.twin is None or item.twin.kind != "dup":
        return False
    caption = fold_key(item.caption)
    return bool(caption) and fold_key(item.twin.para.text) == caption and fold_key(item.para.text).startswith(caption)


def _subhead_look(items: Sequence[Item], i: int, cur: Story) -> bool:
    """A label rather than a headline: six words or fewer, naming nobody ("What we know about the
    trip", "Inside the courtroom"), over a paragraph that names someone the story already named
    (even as its first word: "Bankman-Fried stood…").
    Without a photo under it or a lead restating it, it is a subhead."""
    item = items[i]
    if item.para.text.count(" ") >= 6 or item.keys:
        return False
    nxt = _next_content(items, i)
    return nxt is not None and nxt.kind == BODY and any(m.name in cur.keys for m in nxt.mentions)


def _explainer(items: Sequence[Item]) -> bool:
    """A page built of questions: its title asks one, or two or more headlines do."""
    heads = [it.para.text for it in items if it.kind == HEAD]
    return bool(heads) and (heads[0].endswith("?") or sum(h.endswith("?") for h in heads) >= 2)


def _heads_lead(items: Sequence[Item], i: int, explainer: bool) -> bool:
    """Is headline i a post's headline rather than a subhead? A news headline is restated by the
    lead under it ("Biden to travel to Israel" / "President Joe Biden will travel to Israel…"):
    the lead names someone the headline names, or repeats most of its words. A subhead ("What we
    know", "Inside the courtroom") introduces more of the same story without restating itself."""
    if items[i].para.text.count(" ") < 5:
        return False  # five words or fewer: as likely a subhead ("Kremlin reaction") as a headline
    nxt = _next_content(items, i)
    if nxt is None or nxt.kind != BODY or explainer and items[i].para.text.endswith("?"):
        return False  # an explainer's questions are answered by the text under them: subheads
    text = nxt.para.text
    if not declarative(text):
        return False
    head = items[i]
    if head.keys & nxt.keys or {m.name for m in head.mentions} & {m.name for m in nxt.mentions}:
        return True  # "Harris will not speak" over "Harris campaign co-chair Cedric Richmond…"
    words = _word_stems(head.para.text)
    return len(words) >= 2 and len(words & _word_stems(text)) >= 0.6 * len(words)


def _starts_post(items: Sequence[Item], i: int) -> bool:
    """A headline with its photo, stamp or byline under it; or with its standfirst, then a byline or
    stamp (a second article: "Betty Lou Marchetti … dies at 91" / standfirst / photo / "By Paul Guzzo")."""
    below = _below(items, i, 7)[:3]
    if below and below[0].kind == HEAD and _LIFE_DATES.fullmatch(below[0].para.text):
        return True  # an obituary's name over the years of a life
    if below and below[0].kind == BODY:
        return any(it.kind in (BYLINE, TIME) for it in below[1:]) and all(it.kind in (CAPTION, CREDIT, BYLINE, TIME) for it in below[1:])
    return bool(below) and below[0].kind in (CAPTION, TIME, BYLINE, CREDIT)


def _opens_story(items: Sequence[Item], i: int) -> bool:
    nxt = _next_content(items, i)
    return nxt is not None and nxt.kind == BODY and _lead_like(nxt)


def _lead_like(item: Item) -> bool:
    """`is_lead_like`, worked out once per paragraph (story cutting asks again and again)."""
    if item.lead is None:
        item.lead = is_lead_like(item.para.text, item.mentions)
    return item.lead


def _new_topic(items: Sequence[Item], i: int, cur: Story, topics: Topics, headline: bool, least: int = 3,
               nameless_only: bool = False) -> bool:
    """Does item i (a headline, a photo or a paragraph) open a new story rather than continue
    this one? The paragraphs it introduces must open like a lead, share little vocabulary with
    the story (`cohesion`) and no name that ties them to it: in a seed that reads as one
    article any shared name does; in a page of several posts only a rare name, or (for a photo
    or a bare paragraph) a rare name the story keeps returning to."""
    item = items[i]
    if cur.body < (1 if headline else least):
        return False
    ahead: list[Item] = [item] if item.kind != BODY else []
    bodies = 0
    stop = ""
    lead: Item | None = None  # the first paragraph ahead
    for nxt in items[i if item.kind == BODY else i + 1:i + 8]:
        if nxt.kind == BODY:
            ahead.append(nxt)
            bodies += 1
            if lead is None:
                lead = nxt
        if bodies == 2 or nxt.kind in (HEAD, CAPTION, CONTRIB):
            stop = nxt.kind
            break
    if item.kind == BODY and bodies < 2 and stop != CONTRIB:
        return False  # a lone paragraph before the next headline or photo is the tail of this story
    if lead is None:
        return False
    if item.kind == BODY and bodies == 2 and not any(a.keys for a in ahead) \
            and declarative(lead.para.text) and cohesion(ahead, cur) < COHESIVE:
        # Two paragraphs naming nobody and sharing next to no word with the story ("The pound
        # rose …" under a post on a rate decision): a new post, not more of this one.
        return True
    if nameless_only or not _lead_like(lead):
        # (a story set out under subheads runs on to the next headline or photo: names its
        # sections bring in are no sign of a new post, only a turn to nameless, unrelated text is)
        return False
    # (the names first: they are counted already, while the story's vocabulary is worked out when asked)
    return _no_shared_name(ahead, item.kind, cur, topics) and cohesion(ahead, cur) < COHESIVE


def _no_shared_name(ahead: Sequence[Item], kind: str, cur: Story, topics: Topics) -> bool:
    new: frozenset[str] = frozenset().union(*(a.keys for a in ahead))
    # A name opening a sentence is no evidence of a name, unless the story already used it.
    new |= {m.name for a in ahead for m in a.mentions if m.initial and m.name in cur.keys}
    if kind != HEAD and new <= topics.background:
        return False  # no name of its own: more of the same story
    shared = new & cur.keys.keys()
    if not topics.strong:  # one article, as far as we can tell: any shared name keeps it whole
        return not shared
    rare = shared - topics.background
    if kind == HEAD:
        return not rare
    focal = {k for k in shared if cur.keys[k] * 2 >= max(len(cur.lexical), 2)}  # the story keeps returning to it
    if kind == CAPTION:
        return not rare & focal
    return not rare and not focal


# ---------------------------------------------------------------------------------------------
# Story → Brief

def _brief(story: Story, n: int, seed: str, taxonomy: Taxonomy, meta: FrontMatter,
           date: dt.date | dt.datetime | None, date_inferred: bool, outlet: str,
           page_stamp: tuple[dt.datetime | None, dt.datetime | None] = (None, None)) -> Brief:
    body: list[str] = []
    unplaced: list[str] = []
    bylines: list[str] = []
    contributors: list[Contributor] = []
    published = updated = None
    tag_paras: list[Sequence[Mention]] = []
    weights: list[float] = []
    dateline = place = ""
    lead = ""
    clocks: list[Item] = []
    filed_from: list[Mention] = []  # names in the lead's dateline
    acronyms: dict[str, str] = {}  # short forms the text spells out
    name_above = False  # the item before was a byline of a bare name (its place may follow)
    seed_date = date  # (for a stamp that leaves its year out)
    for item in story.items:
        text = item.para.text
        kind = item.kind
        if kind != BYLINE:
            name_above = False
        if kind == CAPTION and item is not story.photo:
            kind = "inline"  # a second photo (a trailing post without text folds into the story before it)
        if kind in (BODY, "sub", "inline", DECK):  # (the commonest kinds first)
            if kind == BODY and not lead:
                dateline, dl_outlet, rest = parse_dateline(text)
                outlet = outlet or dl_outlet
                lead = rest.lstrip("•·▪● ") or rest  # a summary's bullet is not part of its sentence
            if kind == "inline" and item.twin:
                # a caption whose credit was a line of its own (or two): the lines folded into it,
                # first to last, following the chain of folds
                chain: list[Item] = []
                twin: Item | None = item.twin
                while twin is not None:  # (each fold is onto the next item: the chain cannot loop)
                    chain.append(twin)
                    twin = twin.twin
                held = fold_key(text)
                for twin in reversed(chain):
                    key = fold_key(twin.para.text)
                    if key not in held:
                        body.append(escape_markdown(twin.para.text))
                        held += key
                if item.caption and fold_key(item.caption) not in held:
                    body.append(escape_markdown(item.caption))  # … or two lines of credit
            body.append(("## " if kind == "sub" else "") + escape_markdown(text))
            if kind != "inline" and "(" in text:
                for short, full in defined_acronyms(text).items():
                    acronyms.setdefault(short, full)
        elif kind == JUNK:
            unplaced.extend(item.para.lines)
        elif kind == CLOCK:
            clocks.append(item)
        elif kind == NOTE:
            body.append(escape_markdown(text))
        elif kind == TIME:
            stamp_kind, when = nearest_stamp(text, seed_date) or ("", None)
            if stamp_kind == "updated":
                updated = updated or when
            else:
                published = published or when
            # the other parts of a stamp line ("Karen Pauls · CBC News · Posted: …"): its byline and outlet
            for part in SEGMENTS.split(text) if SEGMENTS.search(text) else ():
                if parse_timestamp(part, ANY_YEAR):
                    continue
                part = (labelled_stamp(part, ANY_YEAR) or (part,))[0]  # ("Dawn.com Published March 1, 2025": the outlet before it)
                if part.startswith("Source: ") and looks_like_outlet(part[8:]):
                    outlet = outlet or part[8:].strip()  # Xinhua: "Source: Xinhua| 2025-03-04 15:22:10|Editor: huaxia"
                    continue
                signed = part.startswith(("By ", "BY "))
                people, desk = parse_contributors(part if signed else "By " + part)
                if people and (signed or _names_only(part)):
                    contributors.extend(people)
                elif desk or looks_like_outlet(part):  # "TOI City Desk", "CBC News"
                    outlet = outlet or desk or part
                else:
                    unplaced.append(part)
        elif kind == BYLINE:
            bylines.append(text)
            reporting_from = REPORTING_FROM.match(text)
            place = place or (reporting_from.group(1) if reporting_from else "")
            people, by_outlet = parse_contributors(text)
            place_line = text.startswith("in ") or name_above and not JOB_TITLE.search(text) and (
                text[:1].isupper() and text.replace("-", "").isalpha() or taxonomy.canonical(text.strip()) is not None)
            # ("Marie Lachance" / "Ottawa": the place she files from)
            name_above = False
            if not people and not by_outlet and place_line and contributors and not contributors[-1].place:
                contributors[-1] = Contributor(contributors[-1].name, text.removeprefix("in ").strip(), contributors[-1].role)
            elif not people and not by_outlet and _names_only(text):  # "Io Dodds" above "in San Francisco"
                people = parse_contributors("By " + text)[0] or (Contributor(text),)
                name_above = True
            contributors.extend(people)
            outlet = outlet or by_outlet
        elif kind == CONTRIB:
            people, by_outlet = parse_contributors(text)
            contributors.extend(people)
            outlet = outlet or by_outlet
        if kind in (HEAD, BODY, "sub", CAPTION, "inline", DECK):
            mentions = item.mentions
            if dateline and text.endswith(lead) and len(text) > len(lead):  # "LONDON (Reuters) -"
                cut = len(text) - len(lead)  # where the reporter filed from: a tag only if the story names it again
                filed_from.extend(m for m in mentions if m.start < cut)
                mentions = tuple(m for m in mentions if m.start >= cut)
            tag_paras.append(mentions)
            weights.append(3.0 if item is story.headline else 2.0 if text.endswith(lead or "\0")
                           else 1.5 if item is story.photo else 1.0)
    title = story.headline.para.text if story.headline else ""
    title_generated = False
    sentences = split_sentences(lead) if lead else []
    if n == 0 and meta.title:
        if title:  # the seed's own headline, replaced by the editor's: kept, not shown
            unplaced.insert(0, title)
        title = meta.title
    elif not title:
        title = generate_title(sentences[0]) if sentences else (
            story.photo.caption[:80] if story.photo else "Untitled")
        title_generated = True
    summary = cut_words(sentences[0], SUMMARY_WORDS) if sentences else ""
    photo = None
    if story.photo:
        photo = Photo(story.photo.caption, clean_credit(story.photo.credits))
    if not (published or updated) and meta.date is None:
        published, updated = page_stamp  # the page's own timestamp covers every post
    if (published or updated) and meta.date is None:
        date, date_inferred = published or updated, False
        updated = updated if published else None
    date, updated, late = _apply_clocks(clocks, date, updated, meta.date is None)
    unplaced.extend(late)
    # a stamp line whose time the brief does not carry (a second "Updated …", one a post's own time
    # replaced, any under the front matter's date) is kept as it was
    unplaced.extend(it.para.text for it in story.items if it.kind == TIME
                    and ((stamp := nearest_stamp(it.para.text, seed_date)) is None or stamp[1] not in (date, updated)))
    if filed_from:
        named = {m.name for ms in tag_paras for m in ms}
        folded = {n.casefold(): n for n in named}  # a dateline's "BRUSSELS" is the text's "Brussels"
        again = tuple(m if m.name in named else m._replace(name=folded[m.name.casefold()]) for m in filed_from
                      if m.name in named or m.name.isupper() and m.name.casefold() in folded)
        if again:
            tag_paras.append(again)
            weights.append(2.0)
    tags = meta.tags or choose_tags(tag_paras, weights, outlet=outlet, acronyms=acronyms)
    contributors = merge_people(contributors)
    lines = [it.para for it in story.items]
    return Brief(
        title=title, date=date or dt.date(1970, 1, 1), body="\n\n".join(body), slug=slugify(title),
        summary=summary, tags=tuple(tags), photo=photo, contributors=tuple(contributors),
        outlet=outlet, dateline=dateline or place, byline="; ".join(bylines), seed=seed, section=n,
        source_lines=(min(p.first for p in lines), max(p.last for p in lines)),
        title_generated=title_generated, date_inferred=date_inferred, updated=updated,
        unplaced=tuple(unplaced),
    )


def _apply_clocks(clocks: Sequence[Item], date: dt.date | dt.datetime | None, updated: dt.datetime | None,
                  allowed: bool) -> tuple[dt.date | dt.datetime | None, dt.datetime | None, list[str]]:
    """A post's own time of day on the page's date: the first posted time sets `date`, the first
    updated time sets `updated`. Times that cannot be used (no date, the front matter's date, a
    second time of one kind) are returned as lines for `unplaced`, so nothing is lost."""
    late: list[str] = []
    used: set[str] = set()
    for item in clocks:
        kind, time, tz = parse_clock(item.para.text) or ("", dt.time(), None)
        kind = "updated" if kind == "updated" else "posted"
        if not allowed or date is None or kind in used:
            late.append(item.para.text)
            continue
        used.add(kind)
        day = date.date() if isinstance(date, dt.datetime) else date
        when = dt.datetime.combine(day, time, tz or (date.tzinfo if isinstance(date, dt.datetime) else None))
        if kind == "updated":
            updated = when
        else:
            date = when
    return date, updated, late


def _page_stamp(items: Sequence[Item], near: dt.date) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(published, updated) from the timestamps above the first paragraph: the page's own (`near`: see `nearest_stamp`)."""
    published = updated = None
    for item in items:
        if item.kind == BODY:
            break
        if item.kind == TIME:
            kind, when = nearest_stamp(item.para.text, near) or ("", None)
            if kind == "updated":
                updated = updated or when
            else:
                published = published or when
    return published, updated


def _seed_outlet(items: Sequence[Item]) -> str:
    """The outlet's own mark: a dateline's `(AP)` first, else a byline or contributor line."""
    for item in items:  # (a wire's name in a dateline is in brackets or slashes, or is CNN's own)
        if item.kind == BODY and ("(" in item.para.text or "/" in item.para.text or "CNN" in item.para.text):
            outlet = parse_dateline(item.para.text)[1]
            if outlet:
                return outlet
    for item in items:
        if item.kind in (CONTRIB, BYLINE):
            outlet = parse_contributors(item.para.text)[1]
            if outlet:
                return outlet
    for item in items:  # "Updated on: June 11, 2024 / 5:58 PM EDT / CBS News": the stamp line names the outlet
        if item.kind == TIME and (" / " in item.para.text or " | " in item.para.text):
            for segment in SEGMENTS.split(item.para.text):
                if len(segment.split()) <= 4 and not re.search(r"\d", segment) and looks_like_outlet(segment):
                    return segment
    for item in items:  # "Kent Nishimura for The Washington Post": a photographer on the outlet's assignment
        for credit in item.credits:
            m = COMMISSIONED.match(clean_credit([credit]))
            if m and not AGENCY.search(m.group(1)):
                return m.group(1)
    return ""


# ---------------------------------------------------------------------------------------------
# The whole seed

@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Ingest makes hundreds of thousands of small objects (paragraphs, mentions, sets) that
    reference counting frees; the cycle collector's passes over them found nothing and cost a
    tenth of the time. It runs again (if it was on) when ingest returns."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def ingest_text(text: str, seed_name: str, taxonomy: Taxonomy = DEFAULT_TAXONOMY,
                fallback_date: dt.date | None = None) -> IngestResult:
    """Seed text → one Brief per story, plus warnings (never raises on odd text)."""
    with _collector_paused():
        return _ingest_text(text, seed_name, taxonomy, fallback_date)


def _ingest_text(text: str, seed_name: str, taxonomy: Taxonomy, fallback_date: dt.date | None) -> IngestResult:
    text = normalise(text)
    lines = text.split("\n")
    meta, warnings = read_front_matter(lines, seed_name)
    items = classify(paragraphs(lines[meta.lines:], meta.lines), taxonomy)
    every = stories(items)
    found = [s for s in every if s.headline or s.body]
    if not found:
        leftovers = [line for it in items for line in it.para.lines]
        warnings.append(f"{seed_name}: no story found" + (f"; unplaced lines: {leftovers[:5]}" if leftovers else
                                                           " (empty seed)"))
        return IngestResult((), tuple(warnings))
    orphans = [s for s in every if not (s.headline or s.body)]  # e.g. trailing furniture
    if orphans:
        found[-1].items.extend(it for s in orphans for it in s.items)
        found[-1].photo = found[-1].photo or next((s.photo for s in orphans if s.photo), None)
    date, inferred = meta.date, False
    if date is None:
        body = "\n".join(lines[meta.lines:]) if meta.lines else text  # (the text itself, not a copy)
        date, inferred = infer_date(body, fallback_date), True
    if date is None:
        date = fallback_date or dt.date(1970, 1, 1)
        warnings.append(f"{seed_name}: no date in the text; using the file's modification date {date}")
    outlet = meta.outlet or _seed_outlet(items)
    stamp = _page_stamp(items, date)
    briefs = _full_names(tuple(_brief(s, n, seed_name, taxonomy, meta, date, inferred, outlet, stamp)
                               for n, s in enumerate(found)), taxonomy)
    junk = sum(len(b.unplaced) for b in briefs)
    if junk:
        warnings.append(f"{seed_name}: {junk} line(s) of page furniture kept in `unplaced`")
    return IngestResult(briefs, tuple(warnings))


def _full_names(briefs: tuple[Brief, ...], taxonomy: Taxonomy) -> tuple[Brief, ...]:
    """A later post calls a person by surname alone ("Stoltenberg said …") once the page has
    named them in full: its tag is the full name another post of the same seed uses, when
    exactly one full name ends in that word. A name the taxonomy knows ("Jordan") is left alone."""
    if len(briefs) < 2:
        return briefs
    by_last: dict[str, set[str]] = {}
    for brief in briefs:
        for tag in brief.tags:
            if " " in tag:
                by_last.setdefault(tag.rsplit(" ", 1)[1], set()).add(tag)
    out = []
    for brief in briefs:
        tags: list[str] = []
        for tag in brief.tags:
            full = by_last.get(tag, set()) if " " not in tag and taxonomy.canonical(tag) is None else set()
            tag = next(iter(full)) if len(full) == 1 else tag
            if tag not in tags:
                tags.append(tag)
        out.append(brief if tuple(tags) == brief.tags else revised(brief, tags=tuple(tags)))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Nothing lost

def account_for_lines(text: str, briefs: Iterable[Brief]) -> list[str]:
    """Non-blank lines of the normalised seed that no brief holds (should be empty).

    Linear in the seed: each brief's texts are gathered once, and each line is checked only
    against the briefs whose `source_lines` cover it.
    """
    lines = normalise(text).split("\n")
    meta, _ = read_front_matter(lines, "")
    owners: dict[int, list[_Held]] = {}
    for b in briefs:
        if b.source_lines:
            held = _Held(b)
            for n in range(b.source_lines[0], b.source_lines[1] + 1):
                owners.setdefault(n, []).append(held)
    missing = []
    for n, line in enumerate(lines[meta.lines:], start=meta.lines + 1):
        if line and not any(h.holds(line) for h in owners.get(n, ())) and not _paragraph_held(lines, n, owners):
            missing.append(line)
    return missing


def _paragraph_held(lines: list[str], n: int, owners: dict[int, list[_Held]]) -> bool:
    """Is line `n` (1-based) held as part of its paragraph, joined? (A caption broken inside its
    credit, "… Brussels. | Ni" / "colas Tucat/AFP via Getty Images", is held as caption and credit.)"""
    at = n - 1
    for start in range(max(0, at - 3), at + 1):  # (the paragraph as ingest read it: up to four lines around it)
        for end in range(max(at, start + 1), min(len(lines), start + 4)):
            span = lines[start:end + 1]
            if all(span) and any(h.holds(" ".join(line.strip() for line in span)) for h in owners.get(n, ())):
                return True
    return False


class _Held:
    """Everything one brief holds, joined once for substring checks."""

    def __init__(self, b: Brief) -> None:
        body = [unescape_markdown(p[3:] if p.startswith("## ") else p) for p in b.body.split("\n\n")]
        texts = [t for t in [b.title, b.byline, *body, *b.unplaced,
                             *((b.photo.caption, b.photo.credit) if b.photo else ())] if t]
        self.brief = b
        self.exact = set(texts)
        self.text = "\n".join(texts)  # a line has no newline, so it matches inside one text only
        self.keys = "|".join(fold_key(t) for t in texts)
        self.credit = fold_key(b.photo.credit) if b.photo else ""

    def holds(self, line: str) -> bool:
        b = self.brief
        label = _PHOTO_LABEL.match(line)
        if label and len(line) > label.end():
            line = line[label.end():]
        if line in self.exact or line in self.text:
            return True
        caption, credits = split_credit(line)
        key = fold_key(caption)
        if key and key in self.keys:
            return True
        if credits and not key and self.credit and all(fold_key(clean_credit([c])) in self.credit for c in credits):
            return True  # a credit on a line of its own, folded into the photo's credit
        stamp = nearest_stamp(line, b.date)
        if stamp and stamp[1] in (b.date, b.updated):
            return True
        clock = parse_clock(line)
        if clock and any(isinstance(d, dt.datetime) and d.time() == clock[1] for d in (b.date, b.updated)):
            return True
        people, _ = parse_contributors(line)
        return bool(people) and all(any(same_person(c, p) for c in b.contributors) for p in people)
