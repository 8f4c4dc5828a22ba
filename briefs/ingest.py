"""Ingest: a seed (raw scraped news text) → one `Brief` per story. Pure functions, no file I/O.

Read top to bottom, this is the order of the work:
  decode_seed → normalise → front matter → paragraphs → classify → stories → briefs.

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

import datetime as dt
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import yaml

from briefs.errors import SeedError
from briefs.model import Brief, Contributor, Photo, slugify
from briefs.tags import DEFAULT_TAXONOMY, Mention, Taxonomy, choose_tags, find_mentions, is_title_case, topic_keys

log = logging.getLogger(__name__)

TITLE_WORDS = 12
SUMMARY_WORDS = 40
COHESIVE = 0.2  # paragraphs sharing this much vocabulary with a story continue it (see `cohesion`)


@dataclass(frozen=True, slots=True)
class IngestResult:
    briefs: tuple[Brief, ...]
    warnings: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Bytes → text

def decode_seed(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode a seed file: UTF-8, else cp1252 with a warning; binary files are a SeedError."""
    sample = data[:65536]
    if b"\x00" in sample or (sample and sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) // 100 + 1):
        raise SeedError("binary file, not a text seed; remove it from the seeds folder", name)
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        return text, [f"{name}: not valid UTF-8, read as cp1252; re-save it as UTF-8"]


_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u200b-\u200d\u2060\ufeff\ufffe]")
_EDGE_SPACES = re.compile(r" *\n *")
_LINE_BREAKS = re.compile(r"\r\n?|[\u000b\u000c\u0085\u2028\u2029]")


def normalise(text: str) -> str:
    """NFC; one kind of newline; NBSP and other odd spaces → a space; single spaces; no BOM."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)  # after this, a space is the only blank left within a line
    while "  " in text:
        text = text.replace("  ", " ")
    if " \n" in text or "\n " in text:
        text = _EDGE_SPACES.sub("\n", text)
    return text.strip(" ")


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

@dataclass(frozen=True, slots=True)
class Para:
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
    for n, line in enumerate(lines, start=offset + 1):
        if not line:
            continue
        prev_blank = n - offset - 2 < 0 or not lines[n - offset - 2]
        if cur and not prev_blank and _continues(cur[-1], line):
            cur.append(line)
            continue
        if cur:
            out.append(Para(" ".join(cur), first, first + len(cur) - 1, tuple(cur)))
        cur, first = [line], n
    if cur:
        out.append(Para(" ".join(cur), first, first + len(cur) - 1, tuple(cur)))
    return out


def _continues(previous: str, line: str) -> bool:
    if not ((line[:1].islower() and not previous.endswith(tuple(".!?:\"”’)"))) or previous.endswith((",", "-"))):
        return False  # the common case, decided cheaply
    return not (previous.startswith("By ") or _CONTRIB.search(previous) or previous.count(" ") < 3
                or parse_timestamp(previous) or is_furniture(previous))


FURNITURE = re.compile(
    r"(?:advertisement|advertising|ad feedback|sponsored( content)?|read more.*|related( coverage| articles?| stories)?|"
    r"more on this story|recommended|\d+ min(ute)?s? read|link copied!?|copy link|share( this( article| story)?)?|"
    r"shares?|share on (facebook|twitter|x|whatsapp|linkedin)|facebook|twitter|whatsapp|email|print|save|"
    r"comments?( \(\d+\))?|show (more|less)|see (more|all)|listen( to this article)?|watch( now| live)?|"
    r"sign up( now)?.*newsletter.*|subscribe( now)?|skip to (main )?content|most (read|popular|viewed)|"
    r"(image|photo|slide)s? \d+ (of|/) \d+|\d+ (of|/) \d+|\d+ photos?|gallery|close|menu|"
    r"enlarge this image|toggle caption|hide caption|(view|open) (image|gallery|slideshow)|"
    r"follow (us|live updates).*|back to top|top stories|trending|(live )?updates?|[_=*~.•\-]{3,}|[—–]+|"
    r"summary|live reporting|key events|our standards:.*|[\w .&'’\-]{0,40}:? ?https?://\S+)[.!:]?",
    re.IGNORECASE,
)
_QUOTES_OPEN = "\"“‘'«"
_PRONOUNS = set("""he she it they we i you his her its their our this that these those but and or so
yet however meanwhile also still then there here asked later earlier instead""".split())
_AGENCIES = (r"AP|AFP|Reuters|Getty Images|Getty|EPA(?:-EFE)?|Shutterstock|Bloomberg|Xinhua|"
             r"Anadolu|Sipa|Alamy|PA|PA Images|PA Wire|NurPhoto|SOPA Images|LightRocket|"
             r"Pool|Handout|TASS|Sputnik|Kremlin|AP Photo|The Associated Press|Associated Press")
_CREDIT_PAREN = re.compile(
    r"\s*\(((?:AP Photo|Photo(?:graph)?(?: by)?|Image|Credit|Courtesy(?: of)?|Pictured|Picture)\b[^()]{0,100}"
    r"|[^()]{0,80}/\s?[^()]{1,60}|(?:" + _AGENCIES + r")(?: via Getty Images)?)\)\s*$")
_CREDIT_LABEL = re.compile(
    r"(?:^|(?<=[.!?\"”’)])\s+)(?:Photograph|Photo|Photos|Picture|Image|Credit|Illustration)s?\s*(?::|\.\.\.|…)\s*"
    r"([^:]{2,120})$")
_CREDIT_BRACKET = re.compile(r"\s*\[((?:File(?: photo)?:\s*)?[^\[\]]{0,80}/\s?[^\[\]]{1,60}|(?:File:\s*)?(?:" + _AGENCIES + r"))\]\s*$")
_CREDIT_TAIL = re.compile(
    r"(?:^|(?<=[.!?\"”’)])\s+)((?:[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3}\s?/\s?)*"
    r"(?:" + _AGENCIES + r")(?:\s?/\s?[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3})*(?: via Getty Images)?)$")
_PHOTO_LABEL = re.compile(r"^(?:Image|Media|Video|Photo) (source|caption)\s*[,:]\s*", re.IGNORECASE)
_AGENCY = re.compile(r"\b(?:" + _AGENCIES + r")\b")
_CAPTION_PREFIX = re.compile(r"^(?:FILE(?: PHOTO)?\s*[-–—:]|Photo:|Image:|Pictured:)", re.IGNORECASE)
_TIMESTAMP = re.compile(
    r"^(?:(Updated|Last updated|Published|First published|Posted|Modified)\b:?\s*(?:on\s+|at\s+)?"
    r"|(?=\d{1,2}[:.]\d{2}\s?(?:[ap]\.?m\.?)?\s?[A-Z]{0,4},? )"
    r"|(?=(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? )?(?:\d{1,2} [A-Z][a-z]{2,8}\.? \d{4}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})"
    r"(?:,? (?:at )?\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?(?: [A-Z]{2,4}(?:[+-]\d{1,2})?)?)?$))(.+)$",
    re.IGNORECASE)
_BYLINE = re.compile(  # "By J. David Goodman", "BY BETH HARRIS", "Edited by Jo Roe", "From CNN's Jo Roe"
    r"^(?:By\s+|BY\s+|Edited by\s+|From\s+[A-Z][\w .&]{0,30}['’]s\s+)([A-Z](?:[^.!?]|(?<=\b[A-Z])\.){1,150})$")
_REPORTING_FROM = re.compile(r"^Reporting from ([A-Z][\w.'’\-]*(?:,? [A-Z][\w.'’\-]*){0,4})$")  # NYT: the dateline
_CONTRIB = re.compile(
    r"(contributed (?:reporting|to (?:this|the) (?:report|story|article))|contributed\.?$|"
    r"(?:^|; ?)(?:additional |further )?(?:reporting|writing|editing|compiled|research|production) by |"
    r"^(?:additional )?(?:reporting|research) (?:was|were) contributed by |^[—–-]* ?with assistance from )",
    re.IGNORECASE)


def split_credit(text: str) -> tuple[str, list[str]]:
    """Peel photo credits off the end of a line: caption text, then credits (last first)."""
    credits: list[str] = []
    while True:  # each pattern is tried only where a cheap test says it could match
        m = _CREDIT_PAREN.search(text) if text.endswith(")") else (
            _CREDIT_BRACKET.search(text) if text.endswith("]") else None)
        if m is None and (":" in text or "..." in text or "…" in text):
            m = _CREDIT_LABEL.search(text)
        if m is None and (credits or len(text) < 160) and _AGENCY.search(text, max(0, len(text) - 120)):
            m = _CREDIT_TAIL.search(text)
            if m and m.start() == 0 and not credits and text != m.group(1):
                m = None
        if m is None:
            break
        credits.append(m.group(1).strip())
        text = text[:m.start()].rstrip()
        if not text:
            break
    return text, credits


def clean_credit(credits: Sequence[str]) -> str:
    """Fold repeated credits into one: the fullest form, with spaced slashes and SHOUTING fixed."""
    cleaned = []
    for c in credits:
        c = re.sub(r"^(?:Photograph|Photo|Image|Picture)(?: by)?\s*:?\s*", "", c, flags=re.IGNORECASE)
        c = re.sub(r"^(?:Credit|File(?: photo)?)\s*(?::|\.\.\.|…)?\s*", "", c, flags=re.IGNORECASE)
        c = re.sub(r"\s*/\s*", "/", c).strip(" .")
        c = re.sub(r"\b[A-Z]{4,}\b", lambda m: m.group().capitalize(), c)  # NATALIA KOLESNIKOVA
        if c:
            cleaned.append(c)
    if not cleaned:
        return ""
    keys = [re.sub(r"\W", "", c).casefold() for c in cleaned]
    best = max(range(len(cleaned)), key=lambda i: (len(keys[i]), -i))
    rest = [c for i, c in enumerate(cleaned) if i != best and keys[i] not in keys[best]]
    return "; ".join([cleaned[best], *rest])


_PROMO = re.compile(r"\b(?:sign up|subscribe)\b.*\bnewsletters?\b|\bnewsletters?\b.*\b(?:sign up|subscribe)\b",
                    re.IGNORECASE)


def is_furniture(text: str) -> bool:
    """Page furniture: a label or link ("Share", "4 min read", "Summary"), or a newsletter promo."""
    if len(text) <= 80 and FURNITURE.fullmatch(text.strip(" •·|›»")) is not None:
        return True
    return len(text) <= 200 and ("ewsletter" in text) and _PROMO.search(text) is not None


def parse_timestamp(text: str) -> tuple[str, dt.datetime] | None:
    """`Updated 9:22 PM EST, Mon November 6, 2023` → ("updated", datetime); None if not one."""
    m = _TIMESTAMP.match(text)
    if not m or len(text) > 120:
        return None
    kind = "updated" if (m.group(1) or "").lower() in {"updated", "last updated", "modified"} else "published"
    rest = m.group(2)
    day = parse_full_date(rest)
    if day is None:
        return None
    tm = re.search(r"\b(\d{1,2})[:.](\d{2})\s*(a\.?m\.?|p\.?m\.?)?(?=\W|$)", rest, re.IGNORECASE)
    hour = minute = 0
    tz: dt.tzinfo | None = None
    if tm:
        hour, minute = int(tm.group(1)), int(tm.group(2))
        ampm = (tm.group(3) or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            return None
        tz = _zone(rest[tm.end():tm.end() + 12])
    return kind, dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


_ZONES = {"UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
          "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
          "IST": 5.5, "JST": 9, "AEST": 10, "AEDT": 11}


def _zone(text: str) -> dt.tzinfo | None:
    m = re.match(r"\s*([A-Z]{1,4})(?:([+-])(\d{1,2}))?\b", text)
    if not m or m.group(1) not in _ZONES:
        return None
    hours = _ZONES[m.group(1)] + (int(m.group(3)) * (1 if m.group(2) == "+" else -1) if m.group(2) else 0)
    return dt.timezone(dt.timedelta(hours=hours))


_CLOCK = re.compile(
    r"^(?:(Posted|Updated|Last updated|Published)(?: at| on)?:?\s+)?(\d{1,2})([:.])(\d{2})"
    r"(?:\s?([ap])\.?m\.?)?(?:\s+([A-Z]{2,4}))?$", re.IGNORECASE)


def parse_clock(text: str) -> tuple[str, dt.time, dt.tzinfo | None] | None:
    """A time of day without a date, as live pages stamp each post (`Posted at 14:05`, `10.32 BST`,
    `Updated at 10.41 BST`, `Updated 7:41 p.m. ET`) → ("posted" | "published" | "updated", time, zone)."""
    m = _CLOCK.match(text) if len(text) <= 40 else None
    if m is None:
        return None
    label, ampm, zone = (m.group(1) or "").lower(), (m.group(5) or "").lower(), m.group(6)
    if not (label or ampm or zone or m.group(3) == ":"):
        return None  # "12.50" alone could be a price
    hour, minute = int(m.group(2)), int(m.group(4))
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    tz = _zone(zone.upper()) if zone else None
    kind = "updated" if label in {"updated", "last updated"} else "published" if label == "published" else "posted"
    return kind, dt.time(hour, minute), tz


def parse_contributors(text: str) -> tuple[tuple[Contributor, ...], str]:
    """Contributors and outlet from a credit line (`CNN's A in Kyiv and B in London contributed
    reporting.`, `Reporting by X; Editing by Y`, `By Jane Doe and John Roe, CNN`)."""
    text = text.strip().rstrip(".")
    outlet = ""
    people: list[Contributor] = []
    m = re.match(r"^From\s+(?:the\s+)?([A-Z][\w .&]{0,30}?)['’]s\s+(.+)$", text)
    if m:  # CNN live pages: "From CNN's Tim Lister and Katharina Krebs"
        return tuple(Contributor(n, p) for n, p in _name_list(m.group(2))), m.group(1)
    m = re.match(r"^Edited by\s+(.+)$", text)
    if m:  # a live page's editor
        return tuple(Contributor(n, p, "editing") for n, p in _name_list(m.group(1))), ""
    m = re.match(r"^(?:Additional )?(?:reporting|research) (?:was|were) contributed by\s+(.+)$", text, re.IGNORECASE)
    if m:  # NYT: "Reporting was contributed by A in X and B in Y."
        return tuple(Contributor(n, p) for n, p in _name_list(m.group(1))), ""
    m = re.match(r"^[—–-]* ?With assistance from\s+(.+)$", text, re.IGNORECASE)
    if m:  # Bloomberg's closing line
        return tuple(Contributor(n, p) for n, p in _name_list(m.group(1))), ""
    m = re.match(r"^(?:By|BY)\s+(.+)$", text)
    if m:  # "By A and B, CNN", "By A, B and C", "By A, Deputy economics editor, BBC News"
        parts = m.group(1).split(", ")
        parts = [p for p in parts if not _JOB.search(p)]  # a job title is neither a name nor an outlet
        if len(parts) > 1 and not re.search(r"\band\b", parts[-1]) and len(parts[-1].split()) <= 4 \
                and (len(parts) == 2 or re.search(r"\band\b", parts[-2]) is None):
            outlet = parts.pop().strip()
        return tuple(Contributor(n, p) for n, p in _name_list(", ".join(parts))), outlet
    m = re.match(r"^(.*?)\s+contributed(?: reporting| to (?:this|the) (?:report|story|article)|$)", text, re.IGNORECASE)
    if m:
        names = m.group(1)
        om = re.match(r"^(?:The\s+)?([A-Z][\w&.\- ]{0,40}?)(?:['’]s?\s+|\s+(?:writers?|reporters?|correspondents?)\s+)", names)
        if om:
            outlet, names = om.group(1).strip(), names[om.end():]
            names = re.sub(r"^(?:writers?|reporters?|correspondents?)\s+", "", names)
        return tuple(Contributor(n, p) for n, p in _name_list(names)), outlet
    for clause in re.split(r";\s*", text):
        cm = re.match(r"^(?:(additional|further)\s+)?(reporting|writing|editing|compiled|research|production)\s+by\s+(.+)$",
                      clause.strip(), re.IGNORECASE)
        if not cm:
            continue
        role = cm.group(2).lower()
        role = "" if role == "reporting" else role
        people.extend(Contributor(n, p, role) for n, p in _name_list(cm.group(3)))
    return tuple(people), outlet


_JOB = re.compile(r"\b(?:editor|correspondent|reporter|writer|producer|analyst|columnist|journalist|"
                  r"staff|contributor|anchor|presenter|team)s?\b", re.IGNORECASE)


def _name_list(text: str) -> list[tuple[str, str]]:
    """`A in Kyiv, B and C in London` → [(A, Kyiv), (B, ""), (C, London)]."""
    out = []
    for part in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text):
        part = part.strip(" .")
        if not part:
            continue
        name, _, place = part.partition(" in ")
        name = name_case(name.strip())
        if name and len(name.split()) <= 5 and name[0].isupper():
            out.append((name, place.strip()))
    return out


_PARTICLES = {"de", "da", "del", "della", "di", "do", "dos", "du", "la", "le", "van", "von", "der", "den", "ter",
              "bin", "ibn", "al", "el"}


def name_case(name: str) -> str:
    """`HANNA ARHIROVA` → `Hanna Arhirova` (AP bylines shout); `MCDONALD` → `McDonald`,
    `O'BRIEN` → `O'Brien`, `JUAN DE LA CRUZ` → `Juan de la Cruz`. Mixed-case names are kept."""
    if not name.isupper() or sum(c.isalpha() for c in name) < 3:
        return name
    out = []
    for n, word in enumerate(name.split()):
        low = word.lower()
        if n and low in _PARTICLES:
            out.append(low)
            continue
        word = "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))
        word = re.sub(r"^(O['’]|Mc)(\w)", lambda m: m.group(1) + m.group(2).upper(), word)
        out.append(word)
    return " ".join(out)


def _is_contributor_line(text: str) -> bool:
    if len(text) > 400 or not ("contributed" in text or "by " in text or "assistance" in text) \
            or not _CONTRIB.search(text):
        return False
    return bool(parse_contributors(text)[0])


def _is_byline(text: str) -> bool:
    m = _BYLINE.match(text)
    return bool(m) and len(text.split()) <= 16 and bool(parse_contributors(text)[0])


def words(text: str) -> list[str]:
    return text.split()


_SENTENCE_END = re.compile(r"[.!?][\"”’)]?$")
_HEAD_END = re.compile(r"[.,;:\"”’)…]$")
_TWO_SENTENCES = re.compile(r"[.!?][\"”’]?\s+[A-Z]")


def is_headline_like(text: str) -> bool:
    """One line, 2–20 words, no sentence-final full stop, not a quotation, starts upper-case."""
    n = text.count(" ") + 1
    if not 2 <= n <= 20 or len(text) > 160:
        return False
    if text[0] in _QUOTES_OPEN or not (text[0].isupper() or text[0].isdigit()):
        return False
    if _HEAD_END.search(text, len(text) - 1) and not text.endswith(("Jr.", "St.", "U.S.")):
        return False
    return not _TWO_SENTENCES.search(text)  # two sentences: not a headline


def is_lead_like(text: str, mentions: Sequence[Mention]) -> bool:
    """Opens like a news lead: declarative, not a quote, not a pronoun/conjunction, names someone."""
    if not text or text[0] in _QUOTES_OPEN or text.count(" ") < 9:
        return False
    if text.split(" ", 1)[0].strip(",").casefold() in _PRONOUNS:
        return False
    if not _SENTENCE_END.search(text, max(0, len(text) - 3)):
        return False
    head = text[:200]
    return any(m.start < len(head) for m in mentions)


# ---------------------------------------------------------------------------------------------
# Sentences, titles, summaries, escaping

_ABBREV = set("""mr mrs ms dr st jr sr gen sen rep gov lt col sgt capt prof no nos inc corp ltd
co vs etc jan feb mar apr jun jul aug sep sept oct nov dec mt ft fig approx dept univ est
adm cmdr rev hon pres""".split())
_BOUNDARY = re.compile(r"([.!?…]+)([\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; survives `U.S.`, `Dr.`, `1,340-km`, `3.5` and quotations."""
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[start:m.start()].split()
        last = before[-1] if before else ""
        if m.group(1) == "." and not m.group(2):
            word = last.rstrip(".").lstrip("(\"“‘'").casefold()
            if word in _ABBREV or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", last.lstrip("(\"“‘'")):
                continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def cut_words(text: str, limit: int) -> str:
    """At most `limit` words, with an ellipsis when cut."""
    parts = text.split()
    if len(parts) <= limit:
        return text
    return " ".join(parts[:limit]).rstrip(",;:—–-") + "…"


_PREPOSITIONS = set("""in on at for to with from by after during over into via within under
across against amid about as since before until through toward towards near following ahead
according despite while who which that where when because although if than""".split())
_AUX = set("""will would is are was were has have had can could may might should must did does
do says said""".split())
_DANGLING = _PREPOSITIONS | set("""the a an and or but of its their his her this that these those
to be not very""".split())


def generate_title(lead: str) -> str:
    """A headline from a lead sentence: its main clause, ≤ 12 words, ending on a whole phrase."""
    text = re.split(r",\s+(?:according to|following|as|after|which|who|while|amid|citing)\b|\s[—–]\s|;\s|:\s",
                    lead, maxsplit=1)[0]
    text = text.strip().rstrip(".!,")
    tokens = text.split()
    if len(tokens) > TITLE_WORDS:  # drop a prepositional phrase between subject and verb
        aux = next((i for i, t in enumerate(tokens[:10]) if t in _AUX), None)
        prep = next((i for i, t in enumerate(tokens[:aux or 0]) if t in _PREPOSITIONS and i >= 2), None)
        if aux is not None and prep is not None:
            tokens = tokens[:prep] + tokens[aux:]
    if len(tokens) > TITLE_WORDS and tokens[0] in {"The", "A", "An"}:
        tokens = tokens[1:]
        tokens[0] = tokens[0][:1].upper() + tokens[0][1:]
    if len(tokens) > TITLE_WORDS:
        cut = 0
        for i in range(1, TITLE_WORDS + 1):
            nxt = tokens[i] if i < len(tokens) else ""
            if (nxt.casefold() in _PREPOSITIONS or nxt == "of" or nxt.endswith(",") is False and tokens[i - 1].endswith(",")) \
                    and tokens[i - 1].casefold().strip(",") not in _DANGLING:
                cut = i
        tokens = tokens[:cut or TITLE_WORDS]
        while len(tokens) > 1 and (tokens[-1].casefold().strip(",") in _DANGLING
                                   or tokens[-1].endswith(("'s", "’s"))):  # "the government's"
            tokens.pop()
    title = " ".join(tokens).rstrip(",;:")
    if title.count("“") > title.count("”"):
        title += "”"
    return title.strip("\"") or lead[:80]


_MD_ALWAYS = re.compile(r"([\\`*_\[\]{}])")
_MD_ANY = re.compile(r"[\\`*_\[\]{}<>&|!()~#]")
_MD_LEADING = re.compile(r"^(\s*)([#>+\-]|\d+(?=[.)])|~)")


def escape_markdown(text: str) -> str:
    """Make one line of seed text render as itself through Python-Markdown (with or without
    `extra`): backslash the specials, entity-encode `<`, entity-like `&`, and `|`."""
    text = text.strip()  # leading spaces would make a code block, trailing ones a line break
    if not _MD_ANY.search(text) and not _MD_LEADING.match(text):
        return text  # nothing Markdown would read as markup
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    text = text.replace("<", "&lt;").replace("|", "&#124;")
    text = _MD_ALWAYS.sub(r"\\\1", text)
    text = re.sub(r"(?<=\d)([.)])(?=\s|$)", r"\\\1", text) if re.match(r"^\s*\d+[.)]", text) else text
    text = re.sub(r"!(?=\\\[)", r"\\!", text)
    text = re.sub(r"\)", r"\\)", text) if "](" in text else text
    m = _MD_LEADING.match(text)
    if m:
        lead = m.group(2)
        if lead == "~":
            text = m.group(1) + "&#126;" + text[m.end():]
        elif not lead.isdigit():
            text = m.group(1) + "\\" + text[m.start(2):]
    return text


def unescape_markdown(text: str) -> str:
    """The inverse of `escape_markdown` (used to account for lines)."""
    return re.sub(r"\\(.)|&lt;|&amp;|&#124;|&#126;",
                  lambda m: m.group(1) or {"&lt;": "<", "&amp;": "&", "&#124;": "|", "&#126;": "~"}[m.group()],
                  text)


# ---------------------------------------------------------------------------------------------
# Dates

_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for m in names}
_MONTH = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_MDY = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?")
_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"\b(?:,?\s+(\d{4})\b)?")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WEEKDAY = re.compile(  # found by the day's name first (fast), then the word before it is checked
    r"(?=[MTWFS])(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_WEEKDAY_BEFORE = re.compile(r"\b(?:on|dated|this|late|early|since)\s+$")
_FUTURE = re.compile(r"\b(?:will|would|shall|next|due|expect|expects|expected|scheduled|planned|until|from)\b[^.!?]*$")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _mk(year: int | None, month: str | int, day: int) -> tuple[int | None, int, int] | None:
    m = month if isinstance(month, int) else _MONTHS.get(month.casefold().rstrip("."))
    if not m or not 1 <= day <= 31:
        return None
    return year, m, day


_MONTH_G = _MONTH.replace("(Jan", "(?:Jan", 1)
_DATES = re.compile(  # one pass for all three forms; each starts with a digit or a month's capital
    r"(?=[0-9JFMASOND])(?<!\w)(?:"
    r"(?P<m1>" + _MONTH_G + r")\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{4})\b)?"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>" + _MONTH_G + r")\b(?:,?\s+(?P<y2>\d{4})\b)?"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})\b)")


def _date_mentions(text: str) -> list[tuple[int | None, int, int]]:
    """(year or None, month, day) for every date written in the text, in order."""
    found = []
    for m in _DATES.finditer(text):
        g = m.groupdict()
        if g["m1"]:
            found.append(_mk(int(g["y1"]) if g["y1"] else None, g["m1"], int(g["d1"])))
        elif g["m2"]:
            found.append(_mk(int(g["y2"]) if g["y2"] else None, g["m2"], int(g["d2"])))
        else:
            found.append(_mk(int(g["y3"]), int(g["m3"]), int(g["d3"])))
    return [f for f in found if f]


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d) if 1900 <= y <= 2200 else None
    except ValueError:
        return None


def parse_full_date(text: str) -> dt.date | None:
    """The first full date (with a year) in a string, e.g. `Mon November 6, 2023`, `6 June 2024`."""
    for y, m, d in _date_mentions(text):
        if y is not None and (day := _safe_date(y, m, d)):
            return day
    return None


def infer_date(text: str) -> dt.date | None:
    """The latest full date gives the year; month–day mentions take it; weekdays ("on Wednesday")
    resolve to the first such day on or after the latest explicit date."""
    mentions = _date_mentions(text)
    full = [d for y, m, dd in mentions if y is not None and (d := _safe_date(y, m, dd))]
    if not full:
        return None
    year = max(full).year
    dates = full + [d for y, m, dd in mentions if y is None and (d := _safe_date(year, m, dd))]
    base = max(dates)
    best = base
    for m in _WEEKDAY.finditer(text):
        if not _WEEKDAY_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue
        if _FUTURE.search(text, max(0, m.start() - 160), m.start()):
            continue  # "tickets will be accepted on Friday": not the day of the report
        want = _WEEKDAYS.index(m.group(1).casefold())
        best = max(best, base + dt.timedelta(days=(want - base.weekday()) % 7))
    return best


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
    stems: frozenset[str] = frozenset()  # content words, for lexical cohesion
    lead: bool | None = None  # memo of `is_lead_like`
    twin: Item | None = None  # the line folded into this caption (bare caption, or caption of a credit)


_NOTHING: frozenset[str] = frozenset()


def classify(paras: Sequence[Para], taxonomy: Taxonomy) -> list[Item]:
    """Give each paragraph a kind, folding a bare caption into its credited twin.

    A paragraph's features depend on its text alone, so a text seen before in this seed (a
    caption printed twice, repeated boilerplate) is analysed once.
    """
    seen: dict[str, tuple[str, str, tuple[str, ...], tuple[Mention, ...], frozenset[str], frozenset[str]]] = {}
    items: list[Item] = []
    for p in paras:
        hit = seen.get(p.text)
        if hit is None:
            kind, caption, credits = _kind_of(p.text)
            mentions: tuple[Mention, ...] = ()
            keys = stems = _NOTHING
            if kind in (HEAD, BODY, CAPTION):
                mentions = find_mentions(caption or p.text, taxonomy)
                keys, stems = topic_keys(mentions), content_stems(caption or p.text)
            hit = seen[p.text] = (kind, caption, credits, mentions, keys, stems)
        kind, caption, credits, mentions, keys, stems = hit
        items.append(Item(p, kind, caption, list(credits), mentions, keys, stems))
    _fold_captions(items)
    return items


def _kind_of(text: str) -> tuple[str, str, tuple[str, ...]]:
    """(kind, caption, credits) of one paragraph."""
    if is_furniture(text):
        return JUNK, "", ()
    if parse_timestamp(text):
        return TIME, "", ()
    if parse_clock(text):
        return CLOCK, "", ()
    if _is_byline(text) or _REPORTING_FROM.match(text):
        return BYLINE, "", ()
    if _NOTE.match(text):
        return NOTE, "", ()
    if _is_contributor_line(text):
        return CONTRIB, "", ()
    label = _PHOTO_LABEL.match(text)  # BBC: "Image source, Getty Images" / "Image caption, Shoppers…"
    if label and len(text) > label.end():
        rest = text[label.end():]
        return (CREDIT, "", (rest,)) if label.group(1).lower() == "source" else (CAPTION, rest, ())
    caption, credits = split_credit(text)
    if credits:
        return (CAPTION if caption else CREDIT), caption, tuple(credits)
    if _CAPTION_PREFIX.match(text) and len(text.split()) > 4:
        return CAPTION, text, ()
    if is_headline_like(text):
        return HEAD, "", ()
    return BODY, "", ()


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _fold_captions(items: list[Item]) -> None:
    """A line repeated as the caption of the next photo, or a credit-only line, is that photo's."""
    for i in range(len(items) - 1):
        a, b = items[i], items[i + 1]
        if b.kind == CAPTION and a.kind in (BODY, HEAD, CAPTION) and a.kind != JUNK:
            ka, kb = _key(a.caption or a.para.text), _key(b.caption)
            if ka and (ka == kb or (len(ka) > 30 and kb.startswith(ka))):
                a.kind, a.caption, b.twin = "dup", a.caption or a.para.text, a
        if a.kind == CREDIT and b.kind == CAPTION and not b.credits and _PHOTO_LABEL.match(a.para.text):
            b.credits, a.kind, b.twin = list(a.credits), "dup", a  # BBC: the source line comes first
            continue
        if b.kind == CREDIT and a.kind in (BODY, CAPTION) and len(words(a.para.text)) <= 60:
            if a.kind == BODY and not (_looks_like_caption(a.para.text) or a.para.last + 1 == b.para.first):
                continue  # a credit on the very next line (no blank between) marks its caption
            b.kind, b.caption = CAPTION, a.caption or a.para.text
            b.credits = [*b.credits, *a.credits]
            a.kind, b.twin = "dup", a


_CAPTION_VERB = re.compile(
    r"\b(?:is|are) (?:seen|pictured|shown|photographed)\b|\bpictured\b|\b(?:walks?|stands?|speaks?|"
    r"looks?|holds?|poses?|gestures?|arrives?|attends?|waits?|sits?|smiles?|waves?|rides?|"
    r"carries|carry|work|works|gather|gathers|march|marches|inspects?|react|reacts)\b")


def _looks_like_caption(text: str) -> bool:
    return bool(_CAPTION_VERB.search(text)) and len(words(text)) <= 60


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
_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z][a-z'’\-]{2,}")
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


def content_stems(text: str) -> frozenset[str]:
    """Stems of the paragraph's common words: names are left to the entity comparison, so
    capitalised words count only in a Title Case Headline; stop words are dropped."""
    if len(text) < 160 and is_title_case(text):  # a Title Case Headline: every word is capitalised
        found = {w.lower() for w in _WORD.findall(text)}
    else:
        found = set(_LOWER_WORD.findall(text))
    found -= _STOP
    return frozenset([_STEMS.get(w) or stem(w) for w in found])


def cohesion(ahead: Iterable[Item], story: Story) -> float:
    """Share of the coming paragraphs' content words the story already uses; a word the story
    uses in two or more paragraphs (its running topic) counts double."""
    new: frozenset[str] = frozenset().union(*(a.stems for a in ahead))
    if not new:
        return 0.0
    shared = new & story.vocab
    return (len(shared) + len(shared & story.recurring)) / len(new)


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
    vocab: set[str] = field(default_factory=set)  # stems its paragraphs use
    recurring: set[str] = field(default_factory=set)  # stems used in two or more of them
    units: int = 0  # paragraphs counted in `keys`

    def add(self, item: Item) -> None:
        self.items.append(item)
        if item.kind in (HEAD, BODY, CAPTION, "sub", DECK):
            self.keys.update(item.keys)
            self.recurring |= self.vocab & item.stems
            self.vocab |= item.stems
            self.units += 1


@dataclass(frozen=True, slots=True)
class Topics:
    """Seed-wide entity counts: an entity in a large share of paragraphs is background."""

    df: Counter[str]
    n: int
    strong: bool  # the seed has at least one unmistakable second story (headline + photo/time)

    def background(self, key: str) -> bool:
        return self.n >= 8 and self.df[key] > 0.4 * self.n


def _next_content(items: Sequence[Item], i: int) -> Item | None:
    for item in items[i + 1:i + 4]:
        if item.kind not in (JUNK, "dup"):
            return item
    return None


def stories(items: list[Item]) -> list[Story]:
    """Cut the classified paragraphs into stories: at headlines, photos after body text, and
    clear changes of topic; subheads and inline photos stay in their story."""
    content = [it for it in items if it.kind in (HEAD, BODY, CAPTION)]
    df: Counter[str] = Counter()
    for it in content:
        df.update(it.keys)
    topics = Topics(df, len(content), _has_second_post(items))
    article = _single_article(items)
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
            (pending if kind == "dup" or kind in (TIME, BYLINE) and cur.body else cur.items).append(item)
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
            continue
        if kind == HEAD:
            if cur.headline is None and cur.body == 0 and cur.photo is None:
                cur.headline = item
            elif cur.body == 0 and cur.deck is None and cur.photo is None:
                item.kind, cur.deck = DECK, item  # a standfirst, or the first post's headline
            elif cur.body == 0:
                item.kind = DECK if len(out) == 1 and _above_byline(items, i) else BODY
            elif article:
                item.kind = "sub"
            elif _starts_post(items, i) or _new_topic(items, i, cur, topics, headline=True):
                out.append(Story(headline=item))
            else:
                item.kind = "sub"
        elif kind == CAPTION:
            if not article and cur.body and _opens_story(items, i) and _new_topic(items, i, cur, topics, headline=True):
                out.append(Story(photo=item))
            elif cur.photo is None:  # the story's first photo, even if it sits lower down
                cur.photo = item
            else:
                item.kind = "inline"
        elif kind == BODY:
            if cur.body == 0 and cur.headline is not None and len(out) == 1 and _above_byline(items, i):
                item.kind = DECK  # a standfirst between the headline and the byline
            elif not article and (
                    cur.body >= 3 and topics.strong and _new_topic(items, i, cur, topics, headline=False)
                    or pending and cur.body and any(p.kind == TIME for p in pending) and _opens_story(items, i - 1)):
                out.append(Story())  # a change of topic, or a timestamp before a new lead, on a page of posts
            if item.kind == BODY:
                out[-1].body += 1
        story = out[-1]
        if pending:
            story.items.extend(pending)
            pending = []
        story.add(item)
    out[-1].items.extend(pending)
    out = [s for s in out if s.items]
    if len(out) > 1 and out[0].headline and not out[0].body and out[0].photo is None:
        _fold_page_header(out)
    first = out[0] if out else Story()
    if first.deck and first.headline and sum(bool(s.headline or s.body) for s in out) > 1:
        # A page of several posts: the line under the page's title is the first post's headline.
        first.headline.kind, first.headline, first.deck.kind, first.deck = JUNK, first.deck, HEAD, None
    return out


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


def _above_byline(items: Sequence[Item], i: int) -> bool:
    """Is item i a standfirst: text under the headline with only photos and times before a byline?"""
    for item in items[i + 1:i + 8]:
        if item.kind == BYLINE:
            return True
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


def _has_second_post(items: Sequence[Item]) -> bool:
    """A headline after body text with a photo, timestamp or byline under it: a live page."""
    seen_body = False
    for i, item in enumerate(items):
        if item.kind == HEAD and seen_body and _starts_post(items, i):
            return True
        seen_body = seen_body or item.kind == BODY
    return False


def _starts_post(items: Sequence[Item], i: int) -> bool:
    nxt = _next_content(items, i)
    return nxt is not None and nxt.kind in (CAPTION, TIME, BYLINE, CREDIT)


def _opens_story(items: Sequence[Item], i: int) -> bool:
    nxt = _next_content(items, i)
    return nxt is not None and nxt.kind == BODY and _lead_like(nxt)


def _lead_like(item: Item) -> bool:
    """`is_lead_like`, worked out once per paragraph (story cutting asks again and again)."""
    if item.lead is None:
        item.lead = is_lead_like(item.para.text, item.mentions)
    return item.lead


def _new_topic(items: Sequence[Item], i: int, cur: Story, topics: Topics, headline: bool) -> bool:
    """Does item i (a headline, a photo or a paragraph) open a new story rather than continue
    this one? The paragraphs it introduces must open like a lead, share little vocabulary with
    the story (`cohesion`) and no name that ties them to it: in a seed that reads as one
    article any shared name does; in a page of several posts only a rare name, or (for a photo
    or a bare paragraph) a rare name the story keeps returning to."""
    item = items[i]
    if cur.body < (1 if headline else 3):
        return False
    ahead: list[Item] = [item] if item.kind != BODY else []
    bodies = 0
    for nxt in items[i if item.kind == BODY else i + 1:i + 8]:
        if nxt.kind == BODY:
            ahead.append(nxt)
            bodies += 1
        if bodies == 2 or nxt.kind in (HEAD, CAPTION, CONTRIB):
            break
    lead = next((a for a in ahead if a.kind == BODY), None)
    if lead is None or not _lead_like(lead):
        return False
    return _no_shared_name(ahead, item.kind, cur, topics) and cohesion(ahead, cur) < COHESIVE


def _no_shared_name(ahead: Sequence[Item], kind: str, cur: Story, topics: Topics) -> bool:
    new: frozenset[str] = frozenset().union(*(a.keys for a in ahead))
    if kind != HEAD and not any(not topics.background(k) for k in new):
        return False  # no name of its own: more of the same story
    shared = new & cur.keys.keys()
    if not topics.strong:  # one article, as far as we can tell: any shared name keeps it whole
        return not shared
    rare = {k for k in shared if not topics.background(k)}
    if kind == HEAD:
        return not rare
    focal = {k for k in shared if cur.keys[k] * 2 >= max(cur.units, 2)}  # the story keeps returning to it
    if kind == CAPTION:
        return not rare & focal
    return not rare and not focal


# ---------------------------------------------------------------------------------------------
# Story → Brief

_DATELINE = re.compile(
    r"^((?:[A-Z][A-Z.'’\-]+)(?: [A-Z][A-Z.'’\-]+)*(?:,(?: [A-Z][\w.'’\-]*){1,3})?"
    r"(?:,? (?:" + _MONTH + r") \d{1,2})?)\s*(?:\((AP|Reuters|AFP|CNN|Bloomberg|UPI|dpa|Xinhua)\))?\s*[—–-]{1,2}\s+")
_CNN_DATELINE = re.compile(r"^([A-Z][\w.'’\-]+(?:,? [A-Z][\w.'’\-]+){0,3}) ?\(?(CNN)\)? ?[—–-]\s+")


def parse_dateline(text: str) -> tuple[str, str, str]:
    """`KYIV, Ukraine (AP) — Russian…` → ("KYIV, Ukraine", "AP", "Russian…")."""
    for pattern in (_DATELINE, _CNN_DATELINE):
        m = pattern.match(text)
        if m and (m.lastindex and m.group(m.lastindex) or pattern is _DATELINE and m.group(1).isupper()
                  and len(m.group(1)) > 2):
            outlet = m.group(m.lastindex) if pattern is _CNN_DATELINE else (m.group(3) or "")
            return m.group(1).strip(", "), outlet or "", text[m.end():]
    return "", "", text


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
    for item in story.items:
        text = item.para.text
        if item.kind == JUNK:
            unplaced.extend(item.para.lines)
        elif item.kind == CLOCK:
            clocks.append(item)
        elif item.kind == NOTE:
            body.append(escape_markdown(text))
        elif item.kind == TIME:
            kind, when = parse_timestamp(text) or ("", None)
            if kind == "updated":
                updated = updated or when
            else:
                published = published or when
        elif item.kind == BYLINE:
            bylines.append(text)
            reporting_from = _REPORTING_FROM.match(text)
            place = place or (reporting_from.group(1) if reporting_from else "")
            people, by_outlet = parse_contributors(text)
            contributors.extend(people)
            outlet = outlet or by_outlet
        elif item.kind == CONTRIB:
            people, by_outlet = parse_contributors(text)
            contributors.extend(people)
            outlet = outlet or by_outlet
        elif item.kind in (BODY, "sub", "inline", DECK):
            if item.kind == BODY and not lead:
                dateline, dl_outlet, rest = parse_dateline(text)
                outlet = outlet or dl_outlet
                lead = rest.lstrip("•·▪● ") or rest  # a summary's bullet is not part of its sentence
            twin = item.twin
            if item.kind == "inline" and twin and _key(twin.para.text) not in _key(text):
                body.append(escape_markdown(twin.para.text))  # a caption whose credit was a line of its own
            body.append(("## " if item.kind == "sub" else "") + escape_markdown(text))
        if item.kind in (HEAD, BODY, "sub", CAPTION, "inline", DECK):
            mentions = item.mentions
            if dateline and text.endswith(lead) and len(text) > len(lead):  # "SPRINGFIELD, Ill. (AP) —"
                cut = len(text) - len(lead)  # in a dateline only known places count ("Ill." is not one)
                mentions = tuple(m for m in mentions if m.known or m.start >= cut)
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
    stamped = {date, updated}
    date, updated, late = _apply_clocks(clocks, date, updated, meta.date is None)
    unplaced.extend(late)
    if len(late) < len(clocks):  # a post's own time replaced the page's timestamp: keep that line
        unplaced.extend(it.para.text for it in story.items if it.kind == TIME
                        and (stamp := parse_timestamp(it.para.text)) and stamp[1] in stamped
                        and stamp[1] not in (date, updated))
    tags = meta.tags or choose_tags(tag_paras, weights, outlet=outlet)
    contributors = _merge_people(contributors)
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


def _merge_people(people: Sequence[Contributor]) -> list[Contributor]:
    """One entry per person and role: a byline and a "Reporting by" line often name the same
    reporters; the entry that knows the place wins."""
    out: list[Contributor] = []
    seen: dict[tuple[str, str], list[int]] = {}  # (name, role) → positions in `out`
    for p in people:
        same = seen.setdefault((p.name, p.role), [])
        i = next((i for i in same if _same_person(out[i], p) or _same_person(p, out[i])), None)
        if i is None:
            same.append(len(out))
            out.append(p)
        elif p.place and not out[i].place:
            out[i] = p
    return out


def _same_person(held: Contributor, named: Contributor) -> bool:
    """Does `held` stand for `named` (same name and role; the place, if `named` gives one)?"""
    return held.name == named.name and held.role == named.role and (not named.place or held.place == named.place)


def _page_stamp(items: Sequence[Item]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(published, updated) from the timestamps above the first paragraph: the page's own."""
    published = updated = None
    for item in items:
        if item.kind == BODY:
            break
        if item.kind == TIME:
            kind, when = parse_timestamp(item.para.text) or ("", None)
            if kind == "updated":
                updated = updated or when
            else:
                published = published or when
    return published, updated


_COMMISSIONED = re.compile(r"^[A-Z][\w.'’\- ]{1,40}? for ((?:The )?[A-Z][\w&'’.\- ]{1,40})$")


def _seed_outlet(items: Sequence[Item]) -> str:
    """The outlet's own mark: a dateline's `(AP)` first, else a byline or contributor line."""
    for item in items:
        if item.kind == BODY:
            outlet = parse_dateline(item.para.text)[1]
            if outlet:
                return outlet
    for item in items:
        if item.kind in (CONTRIB, BYLINE):
            outlet = parse_contributors(item.para.text)[1]
            if outlet:
                return outlet
    for item in items:  # "Kent Nishimura for The Washington Post": a photographer on the outlet's assignment
        for credit in item.credits:
            m = _COMMISSIONED.match(clean_credit([credit]))
            if m and not _AGENCY.search(m.group(1)):
                return m.group(1)
    return ""


def ingest_text(text: str, seed_name: str, taxonomy: Taxonomy = DEFAULT_TAXONOMY,
                fallback_date: dt.date | None = None) -> IngestResult:
    """Seed text → one Brief per story, plus warnings (never raises on odd text)."""
    lines = normalise(text).split("\n")
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
    date, inferred = meta.date, False
    if date is None:
        date, inferred = infer_date("\n".join(lines[meta.lines:])), True
    if date is None:
        date = fallback_date or dt.date(1970, 1, 1)
        warnings.append(f"{seed_name}: no date in the text; using the file's modification date {date}")
    outlet = meta.outlet or _seed_outlet(items)
    stamp = _page_stamp(items)
    briefs = tuple(_brief(s, n, seed_name, taxonomy, meta, date, inferred, outlet, stamp)
                   for n, s in enumerate(found))
    junk = sum(len(b.unplaced) for b in briefs)
    if junk:
        warnings.append(f"{seed_name}: {junk} line(s) of page furniture kept in `unplaced`")
    for w in warnings:
        log.warning(w)
    return IngestResult(briefs, tuple(warnings))


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
        if line and not any(h.holds(line) for h in owners.get(n, ())):
            missing.append(line)
    return missing


class _Held:
    """Everything one brief holds, joined once for substring checks."""

    def __init__(self, b: Brief) -> None:
        body = [unescape_markdown(p[3:] if p.startswith("## ") else p) for p in b.body.split("\n\n")]
        texts = [t for t in [b.title, b.byline, *body, *b.unplaced,
                             *((b.photo.caption, b.photo.credit) if b.photo else ())] if t]
        self.brief = b
        self.exact = set(texts)
        self.text = "\n".join(texts)  # a line has no newline, so it matches inside one text only
        self.keys = "|".join(_key(t) for t in texts)
        self.credit = _key(b.photo.credit) if b.photo else ""

    def holds(self, line: str) -> bool:
        b = self.brief
        label = _PHOTO_LABEL.match(line)
        if label and len(line) > label.end():
            line = line[label.end():]
        if line in self.exact or line in self.text:
            return True
        caption, credits = split_credit(line)
        key = _key(caption)
        if key and key in self.keys:
            return True
        if credits and not key and self.credit and all(_key(clean_credit([c])) in self.credit for c in credits):
            return True  # a credit on a line of its own, folded into the photo's credit
        stamp = parse_timestamp(line)
        if stamp and stamp[1] in (b.date, b.updated):
            return True
        clock = parse_clock(line)
        if clock and any(isinstance(d, dt.datetime) and d.time() == clock[1] for d in (b.date, b.updated)):
            return True
        people, _ = parse_contributors(line)
        return bool(people) and all(any(_same_person(c, p) for c in b.contributors) for p in people)
