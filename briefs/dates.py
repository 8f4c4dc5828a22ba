"""Dates: timestamp lines, a post's time of day, and the date a seed's text implies.

`parse_timestamp` reads `Updated 9:22 PM EST, Mon November 6, 2023`; `parse_clock` reads a live
post's `Posted at 14:05` / `10.32 BST`; `infer_date` resolves "on Wednesday" against the latest
full date in the text. Pure functions.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo


# ---------------------------------------------------------------------------------------------
# Dates written in the text

MONTHS = {m: i for i, names in enumerate(  # every spelling of a month (casefolded) → its number
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for m in names}
MONTH_NAME = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
# A weekday's name is found first (`infer_date`), then the word before it is checked:
_WEEKDAY_BEFORE = re.compile(r"\b(?:on|dated|this|late|early|since|said|says|announced|added|reported)\s+$")
# In the same sentence (and paragraph) before a date; "Biden to travel" is headline future. (The
# lookahead names the letters a match can start with: elsewhere the search fails fast.)
_FUTURE = re.compile(
    r"(?=[wsndepufA-Z])(?:\b(?:will|would|shall|next|due|expect|expects|expected|scheduled|planned|until|from|set (?:\w+ )?for)\b"
    r"|\b[A-Z][\w’'\-]* to [a-z]{3,}\b)[^.!?\n]*$")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]  # date.weekday() order


def _mk(year: int | None, month: str | int, day: int) -> tuple[int | None, int, int] | None:
    m = month if isinstance(month, int) else MONTHS.get(month.casefold().rstrip("."))
    if not m or not 1 <= day <= 31:
        return None
    return year, m, day


_MONTH_G = MONTH_NAME.replace("(Jan", "(?:Jan", 1)
# A month's name past its first letter, which a look back names: "(?<=J)an(?:uary)?|…".
_MONTH_TAIL = "(?:" + "|".join(f"(?<={name[0]}){name[1:]}" for name in MONTH_NAME[1:-4].split("|")) + r")\.?"
_DATES = re.compile(  # one pass over the seed for all three forms. Each starts with a digit or a month's
    # capital, consumed first (the look back after it checks the word starts there), so that the regex
    # engine skips from candidate to candidate: `_placed_mentions` puts that first character back
    # on the groups m1 (month), d2 (day) and y3 (year).
    r"[0-9JFMASOND](?<!\w.)(?:"
    r"(?P<m1>" + _MONTH_TAIL + r")\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{4})\b)?"
    r"|(?<=\d)(?P<d2>\d?)(?:st|nd|rd|th)?\s+(?P<m2>" + _MONTH_G + r")\b(?:,?\s+(?P<y2>\d{4})\b)?"
    r"|(?<=\d)(?P<y3>\d{3})-(?P<m3>\d{2})-(?P<d3>\d{2})(?:\b|(?=T\d)))")  # (ISO, and ISO with its time: "2025-03-06T09:15")


def _placed_mentions(text: str) -> list[tuple[tuple[int | None, int, int], int]]:
    """(year or None, month, day) for every date written in the text, in order, with its offset."""
    found = []
    for m in _DATES.finditer(text):
        if f := _date_of(m, text):
            found.append((f, m.start()))
    return found


def _date_of(m: re.Match[str], text: str) -> tuple[int | None, int, int] | None:
    m1, d1, y1, d2, m2, y2, y3, m3, d3 = m.groups()  # (the groups in `_DATES` order: no dict per date)
    first = text[m.start()]  # (the first character, which no group holds)
    if m1 is not None:
        return _mk(int(y1) if y1 else None, first + m1, int(d1))
    if m2:
        return _mk(int(y2) if y2 else None, m2, int(first + d2))
    return _mk(int(first + y3), int(m3), int(d3))


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d) if 1900 <= y <= 2200 else None
    except ValueError:
        return None


def parse_full_date(text: str) -> dt.date | None:
    """The first full date (with a year) in a string, e.g. `Mon November 6, 2023`, `6 June 2024`."""
    for (y, m, d), _ in _placed_mentions(text):
        if y is not None and (day := _safe_date(y, m, d)):
            return day
    return None


def _future(text: str, at: int) -> bool:
    """Is the date at `at` in a future context, within its own clause? ("Biden will travel on
    Thursday, the White House said on Wednesday": Thursday is ahead, Wednesday is the report.)"""
    start = max(0, at - 160)
    comma = max(text.rfind(",", start, at), text.rfind(";", start, at))
    if comma >= 0 and at - comma > 3:  # "on Friday, June 2" keeps its own comma
        start = comma
    return _FUTURE.search(text, start, at) is not None


def infer_date(text: str, fallback: dt.date | None = None) -> dt.date | None:
    """The latest full date gives the year; month–day mentions take it; weekdays ("on Wednesday")
    resolve to the nearest such day to the latest explicit date (up to three days after it, else
    the days before: "the quake struck on Monday" under a photo dated Tuesday). A month–day in a
    future context ("the vote will be held on 4 July") is not the day of the report. With no
    full date at all, month–day mentions take `fallback`'s year (the latest such day not after it).

    Only latest days count, so candidates are tried latest first and the costly context tests
    (`_future`) stop at the first that passes: a long seed names thousands of dates."""
    placed = _placed_mentions(text)
    full = [(d, at) for (y, m, dd), at in placed if y is not None and (d := _safe_date(y, m, dd))]
    if not full:
        if fallback is None:
            return None
        dates = [(d, at) for (y, m, dd), at in placed if y is None and (d := _safe_date(fallback.year, m, dd))]
        return _latest([(d if d <= fallback else (_safe_date(d.year - 1, d.month, d.day) or d), at)
                        for d, at in dates], text)
    # "Sentencing was set for March 28, 2024": a future full date gives the year only if no
    # other full date does, and never the day of the report.
    base = _latest(full, text) or max(d for d, _ in full)
    year = base.year
    base = _latest([(d, at) for (y, m, dd), at in placed
                    if y is None and (d := _safe_date(year, m, dd)) and d > base], text) or base
    for ahead in (3, 2, 1):  # a weekday up to three days after `base`, the latest first (an earlier
        # one, or one after "since", is the nearest such day before it: "struck on Monday" under a Tuesday photo)
        name = _DAY_NAMES[(base.weekday() + ahead) % 7]
        at = text.find(name)  # (a plain find, then a word's end checked as `\b` would: several times faster)
        while at >= 0:
            end = at + len(name)
            if (end == len(text) or not (text[end].isalnum() or text[end] == "_")) \
                    and not text.endswith("since ", 0, at) and _WEEKDAY_BEFORE.search(text, max(0, at - 8), at) \
                    and not _future(text, at):  # (not "tickets will be accepted on Friday")
                return base + dt.timedelta(days=ahead)
            at = text.find(name, end)
    return base


_DAY_NAMES = [day.capitalize() for day in WEEKDAYS]


def _latest(candidates: list[tuple[dt.date, int]], text: str) -> dt.date | None:
    """The latest of (day, offset) candidates whose offset is not in a future context."""
    for day, at in sorted(candidates, key=lambda c: c[0], reverse=True):
        if not _future(text, at):
            return day
    return None


# ---------------------------------------------------------------------------------------------
# Timestamp lines: a date and a time

_TIMESTAMP = re.compile(
    r"^(?:(Updated|Last updated|Last update(?= on:|:)|Published|First published|Posted|Modified)\b(?: on| at)?:?\s*(?:on\s+|at\s+)?"
    r"|(?=\d{1,2}[:.]\d{2}\s?(?:[ap]\.?m\.?)?\s?[A-Z]{0,4},? )"
    r"|(?=(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? )?(?:\d{1,2} [A-Z][a-z]{2,8}\.? \d{4}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})"
    r"(?:,? (?:at )?\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?(?:,? [A-Z]{2,4}(?:[+-]\d{1,2})?)?)?$))(.+)$",
    re.IGNORECASE)
SEGMENTS = re.compile(r"\s+[/·]\s+|\s*\|\s*")  # "TOI City Desk / TIMESOFINDIA.COM / Updated: …", "Jane Doe  |20.06.2025": a stamp line's parts


_GLUED = re.compile(r"\b((?:19|20)\d\d)(\d{1,2}:\d\d)\b")  # "March 11, 20256:02 AM ET": a date and a time copied as one


# A line that starts like a stamp with no label: a date's digits, or a weekday's or month's name
_BARE_START = re.compile(r"\d|(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?|" + MONTH_NAME[1:-4] + r")\b",
                         re.IGNORECASE)
_GLUED_LABEL = re.compile(r"(?<=[\dA-Za-z])(?=(?:Updated|Published)\b)")  # "8:12 PM GMT-3Updated 2 hours ago"


def may_be_timestamp(text: str) -> bool:
    """False when `parse_timestamp` is sure to find nothing: a cheap screen for the many
    paragraphs that are plainly text (one anchored match, no call per segment)."""
    if len(text) > 160:
        return False  # (a paragraph is never a stamp line)
    if " / " in text or "|" in text or " · " in text or text.endswith("GMT"):
        return True  # (a stamp among a line's parts; a wire's)
    return len(text) <= 120 and (_TIMESTAMP.match(text) is not None or (
        " - " in text or " – " in text) and text[0].isupper() and text[-1] != "." or ":" in text and (
        _GLUED.search(text) is not None and _TIMESTAMP.match(_GLUED.sub(r"\1 \2", text)) is not None)
        or len(text) <= 64 and _BARE_START.match(text) is not None)


# An AP-style wire feed's transmission stamp under each story: "AP-WF-03-04-25 1422GMT" (month, day, year, UTC)
WIRE_STAMP = re.compile(r"[A-Z]{2}-[A-Z]{2}-(\d{2})-(\d{2})-(\d{2}) (\d{2})(\d{2})GMT")
ANY_YEAR = 2000  # a leap year (every month-day is a date in it): for asking whether a line is a stamp at all


def parse_timestamp(text: str, year: int | None = None) -> tuple[str, dt.datetime] | None:
    """`Updated 9:22 PM EST, Mon November 6, 2023` → ("updated", datetime); None if not one.

    A line with no label ("Published", "Updated") is a stamp only if it holds nothing but a date,
    a time, a zone and a weekday: `Feb. 27, 2025, 5 a.m. EST`, `03/06/2025 6:42 p.m. EST`,
    `Thu Mar 06 2025 - 05:00`, `2025-03-06T09:15:00Z`. A labelled one may leave out the year, as
    papers do in the current one (`Published Mar. 3`): it is `year` (the seed's), if given."""
    if len(text) > 160:
        return None  # (what the checks below would come to, cheaply: a paragraph is never a stamp line)
    if text.endswith("GMT") and (wire := WIRE_STAMP.fullmatch(text)):
        month, day, yy, hour, minute = (int(g) for g in wire.groups())
        when = _safe_date(2000 + yy, month, day)
        return ("published", dt.datetime(when.year, when.month, when.day, hour, minute, tzinfo=dt.timezone.utc)) \
            if when and hour < 24 and minute < 60 else None
    if ":" in text:
        text = _GLUED.sub(r"\1 \2", text)
    m = _TIMESTAMP.match(text)
    if m is None and (" - " in text or " – " in text):  # "Mar 6, 2025 - News": a stamp and its section
        head, _, section = text.rpartition(" - " if " - " in text else " – ")
        if head and len(section.split()) <= 3 and all(w[:1].isupper() for w in section.split()) \
                and not any(c.isdigit() for c in section):  # (not a timeline's "Feb 24, 2022 - Russia invades Ukraine")
            return parse_timestamp(head, year)
    if m is None and (" / " in text or "|" in text or " · " in text):
        # "TOI City Desk / TIMESOFINDIA.COM / Updated: Jun 9, 2024, 14:32 IST": one segment is the stamp
        for segment in SEGMENTS.split(text):
            stamp = parse_timestamp(segment, year) if segment != text else None
            if stamp is None and (inside := labelled_stamp(segment, year)):  # "Dawn.com Published March 1, 2025"
                stamp = inside[1]
            if stamp:
                return stamp
        return None
    if len(text) > 120:
        return None
    bare = m is None
    if bare:
        if len(text) > 64 or not _BARE_START.match(text):
            return None  # (as `may_be_timestamp` screens)
        kind, label, rest = "published", "", _GLUED_LABEL.sub(" ", text)
    else:
        label, rest = m.group(1) or "", m.group(2)
        kind = "updated" if label.lower() in {"updated", "last updated", "last update", "modified"} else "published"
    rest = rest[:later.start()] if (later := _LATER_LABEL.search(rest)) else rest  # ("Published Mar. 3|Updated Mar. 5")
    found = _stamp_date(rest, year if label else None)  # (a year left out only after a label)
    if found is None:
        return None
    day, start, end, yearless = found
    undated = _blank(rest, start, end)  # (the time is sought outside the date: "06.03.2025, 09:15")
    tm = _TIME.search(undated)
    hour = minute = 0
    tz: dt.tzinfo | None = None
    if tm:
        clock = _twenty_four_hour(int(tm.group(1) or tm.group(4)), int(tm.group(2) or 0), (tm.group(3) or tm.group(5) or "")[:1])
        if clock is None:
            return None
        hour, minute = clock
        tz, zone_end = _zone_at(undated, tm.end())
        if bare and tm.group(4) and tz is None:
            return None  # ("Saturday, March 8, 2025, 11 a.m.": an event's time in the text; a stamp says its zone)
        undated = _blank(undated, tm.start(), zone_end)
    if (bare or yearless) and _STAMP_FILLER.sub("", undated):
        return None  # (words besides the date and time: a sentence that opens with a date, "Posted March 3 on …")
    return kind, dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def nearest_stamp(text: str, near: dt.date | None) -> tuple[str, dt.datetime] | None:
    """`parse_timestamp`; a stamp that leaves out its year ("Published Jan. 6") is given the one that
    puts it nearest `near`, the seed's date (a January stamp over a text that ends the old year is
    the new year's)."""
    stamp = parse_timestamp(text)
    if stamp is not None or near is None:
        return stamp
    found = [s for year in (near.year - 1, near.year, near.year + 1) if (s := parse_timestamp(text, year))]
    day = near if isinstance(near, dt.datetime) else dt.datetime(near.year, near.month, near.day)
    return min(found, key=lambda s: abs(s[1].replace(tzinfo=None) - day.replace(tzinfo=None)), default=None)


_LABEL_INSIDE = re.compile(r"(?<= )(?:Updated|Published|Posted)\b")


def labelled_stamp(segment: str, year: int | None = None) -> tuple[str, tuple[str, dt.datetime]] | None:
    """A stamp inside one part of a stamp line and the words before it ("Dawn.com" in "Dawn.com Published
    March 1, 2025"), or None if the part holds no such stamp."""
    label = _LABEL_INSIDE.search(segment, 1)
    stamp = parse_timestamp(segment[label.start():], year) if label else None
    return (segment[:label.start()].strip(), stamp) if stamp else None
_LATER_LABEL = re.compile(r"[\s|·/](?:Updated?|Last updated|Published)\b.*$")
# a time: "9:22 PM", "14:05", "14:32:10", "5 a.m.", "7 AM" (an hour alone needs its a.m. or p.m.)
_TIME = re.compile(r"(?<![\d:.,])(\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?(?:\s?([ap])\.?\s?m\b\.?)?"
                   r"|(?<![\d:.,])(\d{1,2})\s?([ap])\.?\s?m\b\.?", re.IGNORECASE)
_STAMP_FILLER = re.compile(r"(?i:\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b\.?|\bat\b|\bon\b)|\bT\b|[\s,\-–—|()·/:.]+")
_NUMERIC_DATE = re.compile(  # "2025/03/06", "03/06/2025", "6.3.2025" (ISO "2025-03-06" is one of `_DATES`)
    r"(?<![\d/.:-])(?:((?:19|20)\d\d)([/.])(\d{1,2})\2(\d{1,2})|(\d{1,2})([/.])(\d{1,2})\6((?:19|20)\d\d))(?![\d/.]\d)")
_US_ZONE = re.compile(r"\b(?:E|C|M|P|AK|H)[SD]?T\b|\bET\b")


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _stamp_date(rest: str, year: int | None = None) -> tuple[dt.date, int, int, bool] | None:
    """The stamp's date and where it stands: the first written with a month's name or in ISO
    form, else a numeric one. "03/06/2025" is read as its weekday says; else month first with a US
    zone or a 12-hour clock, day first with another zone or a 24-hour clock (and with dots: "06.03.2025");
    with none of these it is no stamp (the date is inferred from the text, with a warning). The last
    item says the year was `year`, the text having left it out."""
    for match in _DATES.finditer(rest):
        if (f := _date_of(match, rest)) and f[0] is not None and (day := _safe_date(*f)):  # type: ignore[arg-type]
            return day, match.start(), match.end(), False
    nm = _NUMERIC_DATE.search(rest)
    if nm is None:
        if year is not None:  # "Published Mar. 3": the seed's year
            for match in _DATES.finditer(rest):
                if (f := _date_of(match, rest)) and f[0] is None and (day := _safe_date(year, f[1], f[2])):
                    return day, match.start(), match.end(), True
        return None
    if nm.group(1):
        day = _safe_date(int(nm.group(1)), int(nm.group(3)), int(nm.group(4)))
        return (day, nm.start(), nm.end(), False) if day else None
    a, b, written = int(nm.group(5)), int(nm.group(7)), int(nm.group(8))
    day_first, month_first = _safe_date(written, b, a), _safe_date(written, a, b)
    if day_first and month_first and day_first != month_first:
        weekday = next((n for n, name in enumerate(WEEKDAYS) if re.search(rf"\b{name[:3]}", rest, re.IGNORECASE)), None)
        after = _blank(rest, nm.start(), nm.end())  # (the clock may come first: "10:47 07/03/2025")
        if weekday is not None and (day_first.weekday() == weekday) != (month_first.weekday() == weekday):
            us = month_first.weekday() == weekday
        elif nm.group(6) == "/" and (_US_ZONE.search(after) or re.search(r"\d\s?[ap]\.?m\b", after, re.I)):
            us = True
        elif nm.group(6) == "." or _ZONE_WORD.search(after) or re.search(r"\d[:.]\d\d", after):
            us = False
        else:
            return None
        return (month_first if us else day_first), nm.start(), nm.end(), False
    day = day_first or month_first
    return (day, nm.start(), nm.end(), False) if day else None


def _zone_at(text: str, at: int) -> tuple[dt.tzinfo | None, int]:
    """The zone written right after a time ("EST", "GMT-3", "(15:20 JST)", an ISO "Z" or "+01:00"), and where it ends."""
    iso = _ISO_OFFSET.match(text, at)
    if iso:
        sign = -1 if iso.group(1) == "-" else 1
        hours, minutes = int(iso.group(2) or 0), int(iso.group(3) or 0)
        if hours > 14 or minutes > 59:
            return None, at
        return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes)), iso.end()
    m = _ZONE.match(text, at)
    tz = _zone(text[at:at + 12]) if m else None
    return (tz, m.end()) if m and tz else (None, at)


_ISO_OFFSET = re.compile(r"Z\b|([+-])(\d\d):?(\d\d)\b")


def _twenty_four_hour(hour: int, minute: int, ampm: str) -> tuple[int, int] | None:
    """12-hour clock ("a"/"p", any case; "" for a 24-hour clock) to (hour, minute); None if impossible."""
    ampm = ampm.lower()
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    return None if hour > 23 or minute > 59 else (hour, minute)


_ZONES = {"UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
          "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
          "IST": 5.5, "JST": 9, "AEST": 10, "AEDT": 11, "HKT": 8, "SGT": 8, "PHT": 8, "KST": 9, "ICT": 7, "WIB": 7,
          "PKT": 5, "GST": 4, "EAT": 3, "CAT": 2, "SAST": 2, "WAT": 1, "WET": 0, "WEST": 1, "BRT": -3, "ART": -3,
          "AKST": -9, "AKDT": -8, "HST": -10, "NZST": 12, "NZDT": 13}
# US outlets write the region's time without saying whether it is summer time ("6:02 AM ET"): the place's zone
_REGIONS = {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
            "UK": "Europe/London"}  # (Sky News: "18:25, UK" is London time, GMT or BST)


_ZONE_WORD = re.compile(r"\b(?:" + "|".join(sorted(_ZONES)) + r")\b")  # a zone anywhere in a stamp
_ZONE = re.compile(r",?\s*([A-Z]{1,4})(?:([+-])(\d{1,2}))?\b", re.IGNORECASE)


def _zone(text: str) -> dt.tzinfo | None:
    m = _ZONE.match(text)
    zone = m.group(1).upper() if m else ""  # "GMT", and a title-cased page's "Gmt"
    if zone in _REGIONS and not m.group(2):
        return ZoneInfo(_REGIONS[zone])
    if zone not in _ZONES:
        return None
    hours = _ZONES[zone] + (int(m.group(3)) * (1 if m.group(2) == "+" else -1) if m.group(2) else 0)
    if not -12 <= hours <= 14:
        return None  # "GMT+25" is no zone on Earth (they run from UTC-12 to UTC+14): the time stays unzoned
    return dt.timezone(dt.timedelta(hours=hours))


# ---------------------------------------------------------------------------------------------
# Post times: a time of day alone

_CLOCK = re.compile(
    r"^(?:(Posted|Updated|Last updated|Published)(?: at| on)?:?\s+)?(\d{1,2})([:.])(\d{2})"
    r"(?:\s?([ap])\.?m\.?)?(?:\s+([A-Z]{2,4}(?:[+-]\d{1,2})?))?$", re.IGNORECASE)  # ("7:41 PM GMT-3")


def parse_clock(text: str) -> tuple[str, dt.time, dt.tzinfo | None] | None:
    """A time of day without a date, as live pages stamp each post (`Posted at 14:05`, `10.32 BST`,
    `Updated at 10.41 BST`, `Updated 7:41 p.m. ET`) → ("posted" | "published" | "updated", time, zone)."""
    m = _CLOCK.match(text) if len(text) <= 40 else None
    if m is None:
        return None
    label, ampm, zone = (m.group(1) or "").lower(), (m.group(5) or "").lower(), m.group(6)
    if not (label or ampm or zone or m.group(3) == ":"):
        return None  # "12.50" alone could be a price
    clock = _twenty_four_hour(int(m.group(2)), int(m.group(4)), ampm)
    if clock is None:
        return None
    hour, minute = clock
    tz = _zone(zone.upper()) if zone else None
    kind = "updated" if label in {"updated", "last updated"} else "published" if label == "published" else "posted"
    return kind, dt.time(hour, minute), tz
